"""StoreData <-> the tables a store persists (plain dicts, ISO dates).

The layout is TinyDB's: {"meta": {...}, "plans": {...}, "themes": {...}, "actions": {...}},
each table a list of documents here.  `decode` is the one place that decides whether
a file is an actiontrack store this version can read.
"""

from __future__ import annotations

from actiontrack.errors import StoreProblem
from actiontrack.models import SCHEMA_VERSION, Action, Plan, Settings, StoreData, Theme

APP = "actiontrack"
TABLES = ("meta", "plans", "themes", "actions")


def encode(data: StoreData) -> dict[str, list[dict]]:
    meta = dict(data.meta)
    meta.update(app=APP, schema_version=SCHEMA_VERSION, settings=data.settings.to_record())
    return {
        "meta": [meta],
        "plans": [p.to_record() for p in data.plans.values()],
        "themes": [t.to_record() for t in data.themes.values()],
        "actions": [a.to_record() for a in data.actions.values()],
    }


def decode(tables: dict[str, list[dict]], where: str) -> StoreData:
    meta_docs = tables.get("meta") or []
    if len(meta_docs) != 1 or meta_docs[0].get("app") != APP:
        raise StoreProblem(f"{where} is not an actiontrack store")
    meta = dict(meta_docs[0])
    meta.pop("app")
    version = meta.pop("schema_version", None)
    if not isinstance(version, int) or version < 1:
        raise StoreProblem(f"{where} has no valid schema version")
    if version > SCHEMA_VERSION:
        raise StoreProblem(
            f"{where} was written by a newer actiontrack (schema {version}; this one reads {SCHEMA_VERSION}): upgrade actiontrack"
        )
    try:
        data = StoreData(settings=Settings.from_record(meta.pop("settings", {}) or {}), meta=meta)
        for r in tables.get("plans", []):
            plan = Plan.from_record(r)
            data.plans[plan.key] = plan
        for r in tables.get("themes", []):
            theme = Theme.from_record(r)
            data.themes[(theme.plan, theme.number)] = theme
        for r in tables.get("actions", []):
            action = Action.from_record(r)
            data.actions[action.ref] = action
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise StoreProblem(f"{where} is damaged: a record is malformed ({type(e).__name__}: {e})") from None
    return data
