"""StoreData <-> the tables of plain records (ISO dates) that every store persists and
the JSON export carries.

Table by table: {"meta": [...], "plans": [...], "themes": [...], ...}.  `decode` is the
one place that decides whether tables are an actiontrack store this version can read,
migrating older ones forward (migrations.py).  The backends in store/ lay the tables
out their own way (TinyDB's documents, SQLite's rows).
"""

from __future__ import annotations

from typing import Any

from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.migrations import migrate
from actiontrack.domain.models import SCHEMA_VERSION, Action, HistoryEntry, Meeting, Plan, Resolution, Theme
from actiontrack.domain.people import Person, ReturnLog, person_key
from actiontrack.domain.storedata import Settings, StoreData
from actiontrack.errors import StoreProblem

APP = "actiontrack"
TABLES = ("meta", "plans", "themes", "actions", "meetings", "resolutions", "people", "returns", "indicators",
          "journal", "archive")
# Tables a store written before their schema version lacks: read as empty until migrated.
LATER_TABLES = {"people": 6, "returns": 6, "indicators": 6}
ROW_STORES_FROM = 5  # SQLite and PostgreSQL stores began at schema 5: an older number there is damage


def encode(data: StoreData, tables: tuple[str, ...] = TABLES) -> dict[str, list[dict]]:
    """The named tables of `data` as lists of records (all of them unless told)."""
    def meta() -> list[dict]:
        record = dict(data.meta)
        record.update(app=APP, schema_version=SCHEMA_VERSION, settings=data.settings.to_record())
        return [record]

    build = {
        "meta": meta,
        "plans": lambda: [p.to_record() for p in data.plans.values()],
        "themes": lambda: [t.to_record() for t in data.themes.values()],
        "actions": lambda: list(data.actions.records()),
        "meetings": lambda: [m.to_record() for m in data.meetings.values()],
        "resolutions": lambda: list(data.resolutions.records()),
        "people": lambda: [p.to_record() for p in data.people.values()],
        "returns": lambda: [r.to_record() for r in data.returns.values()],
        "indicators": lambda: [i.to_record() for i in data.indicators.values()],
        "journal": lambda: [h.to_record() for h in data.journal],
        "archive": lambda: list(data.archive),
    }
    return {name: build[name]() for name in tables}


ITEM_KEYS = frozenset({"ref", "title", "owner", "baseline_due", "due", "status"})
ACTION_KEYS = ITEM_KEYS | {"plan", "theme"}
RESOLUTION_KEYS = ITEM_KEYS | {"body", "meeting", "minute"}


def _keyed(docs: list[dict], required: frozenset) -> list[tuple[str, dict]]:
    keyed = []
    for doc in docs:
        if not isinstance(doc, dict) or not required <= doc.keys() or not isinstance(doc["ref"], str):
            raise KeyError(f"a record lacks {sorted(required - set(doc)) if isinstance(doc, dict) else 'its fields'}")
        keyed.append((doc["ref"], doc))
    return keyed


def schema_version(tables: dict[str, list[dict]], where: str) -> int:
    meta_docs = tables.get("meta") or []
    if (not isinstance(meta_docs, list) or len(meta_docs) != 1 or not isinstance(meta_docs[0], dict)
            or meta_docs[0].get("app") != APP):
        raise StoreProblem(f"{where} is not an actiontrack store")
    version = meta_docs[0].get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreProblem(f"{where} has no valid schema version")
    if version > SCHEMA_VERSION:
        raise StoreProblem(
            f"{where} was written by a newer actiontrack (schema {version}; this one reads {SCHEMA_VERSION}): "
            "upgrade actiontrack"
        )
    return version


def decode(tables: dict[str, list[dict]], where: str, items: tuple[ItemMap, ItemMap] | None = None) -> StoreData:
    """`items`: the actions and resolutions, when the backend holds them its own way
    (store/file_items); else they are read from `tables` like the rest."""
    version = schema_version(tables, where)
    record: Any = None  # the record being decoded: named if it is damaged
    try:
        if version < SCHEMA_VERSION:
            tables = migrate(tables, version, SCHEMA_VERSION)
        meta = dict(tables["meta"][0])
        meta.pop("app")
        meta.pop("schema_version")
        data = StoreData(settings=Settings.from_record(meta.pop("settings", {}) or {}), meta=meta)
        for record in tables.get("plans", []):
            plan = Plan.from_record(record)
            data.plans[plan.key] = plan
        for record in tables.get("themes", []):
            theme = Theme.from_record(record)
            if theme.plan not in data.plans:
                # Found by a new-user trial: the plans deleted by hand, reports said "No plans"
                # (0 red) while overdue listed six, and every change carried the file forward.
                raise ValueError(f"theme {theme.key}'s plan {theme.plan!r} is not in the store")
            data.themes[(theme.plan, theme.number)] = theme
        record = None
        # Decoded when first used; checked here only for the keys every record must have.
        if items is not None:
            data.actions, data.resolutions = items
        else:
            data.actions = ItemMap(Action.from_record, _keyed(tables.get("actions", []), ACTION_KEYS), where)
            data.resolutions = ItemMap(Resolution.from_record,
                                       _keyed(tables.get("resolutions", []), RESOLUTION_KEYS), where)
        for record in tables.get("meetings", []):
            meeting = Meeting.from_record(record)
            data.meetings[meeting.key] = meeting
        for record in tables.get("people", []):
            person = Person.from_record(record)
            data.people[person_key(person.name)] = person
        for record in tables.get("returns", []):
            log = ReturnLog.from_record(record)
            data.returns[person_key(log.owner)] = log
        if tables.get("indicators"):  # the scorecard's module, only for a store that has one
            from actiontrack.domain.indicators import Indicator

            for record in tables["indicators"]:
                indicator = Indicator.from_record(record)
                data.indicators[indicator.code] = indicator
        data.journal = []
        for record in tables.get("journal", []):
            data.journal.append(HistoryEntry.from_record(record))
        record = None
        data.archive = [dict(r) for r in tables.get("archive", [])]
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        from actiontrack.domain.damage import in_words  # only once a record has failed

        raise StoreProblem(f"{where} is damaged: {_named(record)} is malformed ({in_words(e)}); "
                           "'actiontrack restore --list' shows the backups to go back to") from None
    if version < SCHEMA_VERSION:
        data.migrated_from = version
    return data


def _named(record: Any) -> str:
    """A damaged record as a person finds it in the file: by its key, code or name."""
    if isinstance(record, dict):
        for key in ("key", "code", "ref", "plan", "name", "body", "target", "owner"):
            if isinstance(record.get(key), str):
                more = [str(record[k]) for k in ("number", "date", "effective") if k in record]
                return f"the record {' '.join([record[key], *more])!r}"
    return "a record"
