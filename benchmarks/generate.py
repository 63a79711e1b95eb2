"""Build benchmark stores: N actions over plans and themes, about half overdue, with
milestones and history, written straight to a store file (building through the CLI
would time the generator, not the tool).  Also writes the same items as Taskwarrior
import JSON.

Both tools must judge "overdue" against the same day, or the comparison is of unequal
work (Taskwarrior against the real today listed every pending task while actiontrack,
at an as-of date in 2022, listed half).  So every date is relative to `as_of` (the real
today unless told), and each task's `due` is the moment its item first becomes overdue
in actiontrack: the end of the earlier of its due date and its earliest undone
milestone's.  Taskwarrior's +OVERDUE (due before now) then lists exactly the items
`actiontrack overdue` lists; run.py checks the counts agree before timing anything.

    python benchmarks/generate.py N STORE.json TASKS.json [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta

from actiontrack.domain.models import SCHEMA_VERSION

OWNERS = ["Head of Corporate Parenting", "Specialist Commissioning Manager", "Head of Early Help",
          "Virtual School Headteacher", "Head of Resources and Placements", "Fostering Recruitment Manager",
          "Designated Nurse for Children in Care", "Principal Social Worker"]
VERBS = ["Review", "Refresh", "Audit", "Commission", "Recruit for", "Report on", "Pilot", "Evaluate"]
OBJECTS = ["placement sufficiency", "the commissioning action plan", "edge of care support", "care leaver housing",
           "foster carer recruitment", "personal education plans", "health passports", "agency social work ratios"]


def entry(txn: int, day: date, event: str, changes: list, note: str | None = None) -> dict:
    # Recorded on the day it counts from: the history never runs ahead of the as-of day.
    return {"recorded_at": f"{day.isoformat()}T09:00:00+00:00", "effective": day.isoformat(),
            "user": "Democratic Services Officer",
            "event": event, "changes": changes, "note": note, "txn": txn, "undoes": None}


def generate(n: int, as_of: date, seed: int = 7) -> tuple[dict, list[dict]]:
    rng = random.Random(seed)
    plans = max(1, n // 2000)
    themes_per_plan = 6
    tables = {"meta": {"1": {"app": "actiontrack", "schema_version": SCHEMA_VERSION, "created": "2021-04-01",
                             "store_id": f"bench{n}", "settings": {"tolerance_days": 30, "cycle_days": 31,
                                                                   "backups": 5}}},
              "plans": {}, "themes": {}, "actions": {}, "meetings": {}, "resolutions": {}, "journal": {},
              "archive": {}}
    tasks = []
    txn = 0
    for p in range(plans):
        key = f"P{p + 1}"
        tables["plans"][str(p + 1)] = {"key": key, "title": f"Action plan {p + 1}", "board": "Corporate Parenting Board",
                                       "owner": OWNERS[p % len(OWNERS)], "start": None, "end": None,
                                       "cycle_days": None, "created": "2021-04-01"}
        for t in range(themes_per_plan):
            tables["themes"][str(p * themes_per_plan + t + 1)] = {
                "plan": key, "number": t + 1, "title": f"Theme {t + 1}", "officer": OWNERS[t % len(OWNERS)]}
    seqs: dict[tuple[str, int], int] = {}
    for i in range(n):
        key = f"P{i % plans + 1}"
        theme = (i // plans) % themes_per_plan + 1
        seqs[(key, theme)] = seq = seqs.get((key, theme), 0) + 1
        ref = f"{key}-{theme}.{seq}"
        created = as_of - timedelta(days=rng.randint(60, 400))
        overdue = rng.random() < 0.5
        due = as_of - timedelta(days=rng.randint(1, 120)) if overdue else as_of + timedelta(days=rng.randint(0, 300))
        baseline = due
        done = rng.random() < 0.15 and not overdue
        title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({ref})"
        owner = rng.choice(OWNERS)
        txn += 1
        history = [entry(txn, created, "create", [
            {"field": "title", "old": None, "new": title}, {"field": "owner", "old": None, "new": owner},
            {"field": "baseline_due", "old": None, "new": baseline.isoformat()},
            {"field": "due", "old": None, "new": baseline.isoformat()},
            {"field": "status", "old": None, "new": "not-started"}])]
        rag = rng.choice(["green", "amber", "red", None])
        txn += 1
        history.append(entry(txn, created + timedelta(days=20), "update",
                             [{"field": "status", "old": "not-started", "new": "in-progress"},
                              {"field": "rag", "old": None, "new": rag}], "Work under way"))
        if rng.random() < 0.3:
            baseline = due - timedelta(days=rng.randint(14, 90))
            history[0]["changes"][2]["new"] = history[0]["changes"][3]["new"] = baseline.isoformat()
            txn += 1
            history.append(entry(txn, created + timedelta(days=40), "reschedule",
                                 [{"field": "due", "old": baseline.isoformat(), "new": due.isoformat()}],
                                 "Capacity in the team"))
        status, completed = "in-progress", None
        if done:
            status, completed = "complete", min(due, as_of)
            txn += 1
            history.append(entry(txn, completed, "complete",
                                 [{"field": "status", "old": "in-progress", "new": "complete"},
                                  {"field": "completed_on", "old": None, "new": completed.isoformat()}]))
        milestones = []
        for m in range(rng.choice([0, 0, 1, 2])):
            mdue = created + timedelta(days=30 * (m + 1))
            milestones.append({"number": m + 1, "title": f"Stage {m + 1}", "due": mdue.isoformat(),
                               "done_on": mdue.isoformat() if rng.random() < 0.6 else None})
        tables["actions"][str(i + 1)] = {
            "ref": ref, "title": title, "owner": owner, "baseline_due": baseline.isoformat(),
            "due": due.isoformat(), "status": status, "rag": rag, "success": None, "finance": None,
            "source": None, "completed_on": completed.isoformat() if completed else None,
            "milestones": milestones, "history": json.dumps(history, separators=(",", ":")),
            "summary": summary(history), "external_ref": None, "plan": key, "theme": theme}
        first_late = min([due] + [date.fromisoformat(m["due"]) for m in milestones if m["done_on"] is None])
        task = {"description": title, "project": f"{key}.{theme}", "status": "completed" if done else "pending",
                "entry": created.strftime("%Y%m%dT000000Z"), "due": _end_of(first_late),
                "uuid": _uuid(rng), "tags": ["actiontrack"], "annotations": [
                    {"entry": (created + timedelta(days=20)).strftime("%Y%m%dT000000Z"), "description": "Work under way"}]}
        if done:
            task["end"] = completed.strftime("%Y%m%dT000000Z")
        tasks.append(task)
    tables["meta"]["1"]["last_txn"] = txn
    # The generated history is unsealed, as a store from before the chain would be; marking
    # the chain as begun keeps the one-time sealing of every entry out of the timed update.
    tables["meta"]["1"]["chain_head"] = ""
    return tables, tasks


def summary(history: list[dict]) -> dict:
    """As actiontrack saves it beside each history (no undos here, so all entries stand)."""
    moves = [h for h in history if h["event"] == "reschedule"]
    latest = max(h["effective"] for h in history)
    progress = [h["effective"] for h in history if h["event"] not in ("edit", "reassign", "meeting-moved", "scheduled")]
    return {"latest_effective": latest, "last_update": latest, "reschedules": len(moves),
            "last_move": max((h["effective"] for h in moves), default=None),
            "latest_reason": moves[-1]["note"] if moves else None, "last_progress": max(progress, default=None)}


def _end_of(day: date) -> str:
    """The last second of `day` on this machine's clock, as Taskwarrior's UTC timestamp:
    an actiontrack item due on `day` is overdue from the next day, wherever it is run."""
    moment = datetime.combine(day, time(23, 59, 59)).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def write(path: str, tables: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tables, f, separators=(",", ":"))


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a benchmark store and the same items for Taskwarrior.")
    parser.add_argument("count", type=int)
    parser.add_argument("store")
    parser.add_argument("tasks")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), help="the day both tools judge by")
    args = parser.parse_args()
    store_path, tasks_path = args.store, args.tasks
    store_tables, task_items = generate(args.count, args.as_of)
    write(store_path, store_tables)
    with open(tasks_path, "w", encoding="utf-8") as f:
        json.dump(task_items, f)
