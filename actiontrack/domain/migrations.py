"""Forward migrations of the stored tables, one step per schema version.

Each step takes the tables of version N and returns those of N+1.  They run on load;
the store is rewritten only on the next save, after a copy of the old file is kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable


def _v1_to_v2(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """v2 numbers every command (txn) so that `undo` can walk back through them.

    v1 history has no command numbers; each old entry gets its own, in the order it
    was recorded, so undo can still reach back into it one change at a time.
    """
    entries = [h for action in tables.get("actions", []) for h in action.get("history", [])]
    for txn, entry in enumerate(sorted(entries, key=lambda h: h["recorded_at"]), start=1):
        entry.setdefault("txn", txn)
        entry.setdefault("undoes", None)
    tables.setdefault("journal", [])
    tables.setdefault("archive", [])
    tables["meta"][0]["last_txn"] = len(entries)
    return tables


def _v2_to_v3(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """v3 adds meetings and resolutions.  The version moves so that an older
    actiontrack refuses a v3 store rather than saving it without them."""
    tables.setdefault("meetings", [])
    tables.setdefault("resolutions", [])
    return tables


def _v3_to_v4(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """v4 keeps imported spreadsheets' own refs on items and gives the store an id
    (calendar UIDs are built from it).  An older actiontrack would drop both."""
    tables["meta"][0].setdefault("store_id", new_store_id())
    return tables


def new_store_id() -> str:
    return uuid.uuid4().hex


def _v4_to_v5(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """v5 stores each item's history as one JSON string, with a summary beside it, so a
    command decodes only the histories it reads."""
    from actiontrack.domain.models import Action, Resolution

    for name, cls in (("actions", Action), ("resolutions", Resolution)):
        for record in tables.get(name, []):
            if isinstance(record.get("history"), list):
                item = cls.from_record(record)
                item.touch()
                converted = item.to_record()
                record.update(history=converted["history"], summary=converted["summary"])
    return tables


def _v5_to_v6(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """v6 adds people (owners' e-mail addresses), the update returns' log and the
    scorecard's indicators; an older actiontrack would save a store without them."""
    tables.setdefault("people", [])
    tables.setdefault("returns", [])
    tables.setdefault("indicators", [])
    return tables


STEPS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6}


def migrate(tables: dict[str, list[dict]], version: int, target: int) -> dict[str, list[dict]]:
    while version < target:
        tables = STEPS[version](tables)
        version += 1
    return tables
