"""The floor under `actiontrack overdue --format json` on a JSON store: the least any
Python program must do to give that listing, and nothing else.

    python benchmarks/floor_report.py STORE.json > rows.json

It starts Python, imports click (every actiontrack command parses its arguments with it),
msgspec and orjson, decodes from the file the fields an overdue row shows (each item's
history skipped by the decoder, never allocated), keeps the open items past due or with
a milestone past due, builds each row as one dict with the listing's keys, sorts them
most days overdue first and writes them as indented JSON.  It leaves out everything
else the real command does: the rules for the derived RAG, staleness and reschedules,
the store's lock, checks and index, the as-of rewind, theme titles and links, filters.
Its rows are not the report's (those fields are placeholders); their number is, and
run.py checks it against `task +OVERDUE count` before timing anything.

run.py times it beside `task overdue` in the same rounds: a target under this floor's
ratio cannot be met by any report built on the same stack on the same machine.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import date

import click  # noqa: F401  (imported as the command line imports it: its cost is part of the floor)
import msgspec
import orjson

gc.disable()  # as actiontrack runs a command: nothing here is ever garbage


class Milestone(msgspec.Struct):
    """A milestone's fields a row shows."""

    number: int
    title: str
    due: date
    done_on: date | None = None


class Head(msgspec.Struct):
    """An item's fields a row shows; every other field (the history above all) is skipped."""

    ref: str
    title: str
    owner: str
    status: str
    baseline_due: date | None = None
    due: date | None = None
    rag: str | None = None
    completed_on: date | None = None
    milestones: list[Milestone] = []
    plan: str | None = None
    theme: int | None = None


class Store(msgspec.Struct):
    """The two tables of items, in TinyDB's layout ({"1": record, ...})."""

    actions: dict[str, Head] = {}
    resolutions: dict[str, Head] = {}


CLOSED = ("complete", "dropped")


def rows(store: Store, today: date) -> list[dict]:
    kept = []
    for kind, table in (("action", store.actions), ("resolution", store.resolutions)):
        for h in table.values():
            if h.status in CLOSED:
                continue
            days = (today - h.due).days if h.due and h.due < today else 0
            milestones = [{"number": m.number, "title": m.title, "due": m.due, "done_on": m.done_on,
                           "overdue": m.done_on is None and m.due < today} for m in h.milestones]
            late = [(today - m.due).days for m in h.milestones if m.done_on is None and m.due < today]
            if not days and not late:
                continue
            by = max([days, *late])
            slipped = (today - h.baseline_due).days if h.baseline_due and h.baseline_due < today else 0
            kept.append(((-days, -by, kind, h.plan or "", h.ref), {
                "ref": h.ref, "plan": h.plan, "theme": f"{h.plan}.{h.theme}" if h.plan else None,
                "theme_title": None, "title": h.title, "owner": h.owner, "status": h.status, "rag": h.rag,
                "derived_rag": None, "rag_mismatch": False, "baseline_due": h.baseline_due, "due": h.due,
                "completed_on": h.completed_on, "days_overdue": days, "slippage_days": slipped, "reschedules": 0,
                "stale": False, "last_update": None, "milestones": milestones, "kind": kind, "body": None,
                "meeting": None, "minute": None, "links": [], "due_rule": None, "overdue_by": by}))
    kept.sort(key=lambda pair: pair[0])
    return [row for _, row in kept]


def main() -> None:
    with open(sys.argv[1], "rb") as f:
        store = msgspec.json.decode(f.read(), type=Store)
    sys.stdout.buffer.write(orjson.dumps(rows(store, date.today()), option=orjson.OPT_INDENT_2))
    sys.stdout.flush()
    os._exit(0)  # as actiontrack leaves: no teardown of what was decoded


if __name__ == "__main__":
    main()
