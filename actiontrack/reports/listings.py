"""The reports clerks table and cron jobs read: overdue, slippage, highlight."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import chain
from operator import itemgetter
from typing import Any

from actiontrack.domain import rules
from actiontrack.domain.models import Item
from actiontrack.domain.prefilter import Prefilter
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import CLOSED_STATUSES
from actiontrack.reports import scorecard
from actiontrack.reports.views import ItemFilter, item_view

NEXT_DEADLINES = 3


def _candidates(data: StoreData, prefilter: Prefilter) -> Iterator[Item]:
    """Items whose stored record passes `prefilter`, decoded only then, one at a time
    (an item is let go once its row is made: a 100k store never holds them all)."""
    return chain(data.actions.select(prefilter), data.resolutions.select(prefilter))


def _open_items(data: StoreData, flt: ItemFilter, as_of: date) -> Iterator[Item]:
    flt = flt.validated(data)
    narrows = flt.narrows
    return (i for i in _candidates(data, Prefilter(late_before=as_of.isoformat()))
            if not i.is_closed and (not narrows or flt.matches(i, data)))


Keep = Callable[[dict], Any]  # a row as a listing keeps it until sorted: the row itself, or its output


def _sorted(rows: list[tuple[tuple, Any]]) -> list[Any]:
    rows.sort(key=itemgetter(0))
    return [row for _, row in rows]


def overdue(data: StoreData, flt: ItemFilter, as_of: date, keep: Keep | None = None) -> list[Any]:
    """Open actions and resolutions past due or with a milestone past due, most days
    overdue first: by the days the listing shows, then by `overdue_by`, the worst of the
    item's and its milestones' days overdue.

    `keep`: what to hold of each row until they are sorted (its JSON text, say), so a
    report of 100,000 rows holds a sort key and that, not every row's dict."""
    rows = []
    for action in _open_items(data, flt, as_of):
        view = item_view(data, action, as_of)
        late = [(as_of - m["due"]).days for m in view["milestones"] if m["overdue"]]
        if view["days_overdue"] == 0 and not late:
            continue
        view["overdue_by"] = max([view["days_overdue"], *late])
        # By the days the listing shows; an item due later but with a milestone late
        # comes after those, worst milestone first (the title says so).
        rows.append(((-view["days_overdue"], -view["overdue_by"], view["kind"], view["plan"] or "", view["ref"]),
                     keep(view) if keep else view))
    return _sorted(rows)


def slippage(data: StoreData, flt: ItemFilter, as_of: date, since: date | None = None,
             keep: Keep | None = None) -> list[Any]:
    """The weekly slippage report.

    Every open action behind its baseline or with a milestone past due, with why,
    and `new` when it went overdue or was moved after `since`; plus actions
    completed since `since` but after their baseline (late completions).  `keep`: as
    for `overdue`.
    """
    since = since or as_of - timedelta(days=7)
    flt = flt.validated(data)
    narrows = flt.narrows
    rows = []
    for action in _candidates(data, Prefilter(late_before=as_of.isoformat(), moved=True,
                                                  completed_after=since.isoformat())):
        if narrows and not flt.matches(action, data):
            continue
        if action.status == "complete":
            row = _late_completion(data, action, as_of, since)
        elif action.is_closed:
            row = None
        else:
            row = _open_slippage(data, action, as_of, since)
        if row:
            rows.append(((-row["slippage_days"], -row["days_overdue"], row["kind"], row["plan"] or "", row["ref"]),
                         keep(row) if keep else row))
    return _sorted(rows)


def _open_slippage(data: StoreData, action: Item, as_of: date, since: date) -> dict | None:
    # The view works out overdue, slippage and late milestones; decide from it.
    facts = rules.history_facts(action, as_of)
    view = item_view(data, action, as_of, facts)
    late = [m for m in view["milestones"] if m["overdue"]]
    if view["slippage_days"] == 0 and not late:
        return None
    reasons = []
    if view["days_overdue"] > 0:
        reasons.append("overdue")
    if action.due and action.baseline_due and action.due > action.baseline_due:
        reasons.append("rescheduled")
    if late:
        reasons.append("milestone-overdue")
    # Became overdue on the day after it was due; "after since" is strictly later.
    moved = facts.last_move
    new = (
        ("overdue" in reasons and action.due is not None and action.due >= since)
        or ("rescheduled" in reasons and moved is not None and moved > since)
        or any(m["due"] >= since for m in late)
    )
    view.update(reason=reasons[0], reasons=reasons, new=bool(new), latest_reason=facts.latest_reason)
    return view


def _late_completion(data: StoreData, action: Item, as_of: date, since: date) -> dict | None:
    done = action.completed_on
    if not done or not since < done <= as_of or rules.slippage_days(action, as_of) == 0:
        return None
    view = item_view(data, action, as_of)
    view.update(reason="completed-late", reasons=["completed-late"], new=True,
                latest_reason=rules.latest_move_reason(action, as_of))
    return view


def highlight(data: StoreData, as_of: date, plan: str | None = None) -> dict:
    """Per theme: counts by derived RAG, mismatches, stale actions, next deadlines, and
    the actions themselves; then the exceptions (red, then amber) with their latest commentary."""
    plans = [data.plan(plan)] if plan else sorted(data.plans.values(), key=lambda p: p.key)
    themes_out: list[dict[str, Any]] = []
    totals = _empty_counts()
    for p in plans:
        for theme in sorted((t for t in data.themes.values() if t.plan == p.key), key=lambda t: t.number):
            actions = sorted((a for a in data.actions.values() if a.plan == p.key and a.theme == theme.number),
                             key=lambda a: a.seq)
            views = [item_view(data, a, as_of) for a in actions]
            for view, action in zip(views, actions):
                view["commentary"] = rules.latest_commentary(action)
            counts = _empty_counts()
            for v in views:
                counts[v["derived_rag"] or "dropped"] += 1
            for k, n in counts.items():
                totals[k] += n
            theme_out: dict[str, Any] = {
                "plan": p.key,
                "theme": theme.key,
                "title": theme.title,
                "officer": theme.officer,
                "actions": len(views),
                "counts": counts,
                "mismatches": [v["ref"] for v in views if v["rag_mismatch"]],
                "stale": [v["ref"] for v in views if v["stale"]],
                "next_deadlines": _next_deadlines(views, as_of),
                "items": views,
                # The measures this theme's actions are meant to move (the scorecard's rows).
                "indicators": [scorecard.row(data, i, as_of) for i in sorted(data.indicators.values(),
                                                                             key=lambda i: i.code)
                               if i.theme == theme.key],
            }
            themes_out.append(theme_out)
    # An exception is red or amber by its dates or by its owner's own report: an officer's
    # Red is the first thing a Board asks about, whatever the dates say.  Worst first.
    exceptions = [v for t in themes_out for v in t["items"]
                  if _worst(v) in ("red", "amber") and v["status"] not in CLOSED_STATUSES]
    exceptions.sort(key=lambda v: (_worst(v) != "red", -v["days_overdue"], -v["slippage_days"], v["ref"]))
    return {
        "as_of": as_of,
        "plans": [{"key": p.key, "title": p.title, "board": p.board, "owner": p.owner} for p in plans],
        "totals": totals,
        "mismatches": sum(len(t["mismatches"]) for t in themes_out),
        "stale": sum(len(t["stale"]) for t in themes_out),
        "themes": themes_out,
        "exceptions": exceptions,
    }


def _worst(view: dict) -> str | None:
    """The worse of the RAG the dates imply and the RAG the owner reports."""
    rags = [r for r in (view["derived_rag"], view["rag"]) if r in rules.RAG_RANK]
    return max(rags, key=rules.RAG_RANK.__getitem__, default=None)


def _empty_counts() -> dict[str, int]:
    return {"blue": 0, "green": 0, "amber": 0, "red": 0, "dropped": 0}


def _next_deadlines(views: list[dict], as_of: date) -> list[dict]:
    """The soonest dates still ahead: action due dates and open milestones."""
    upcoming = []
    for v in views:
        if v["status"] in CLOSED_STATUSES:
            continue
        # An undated ("Ongoing", "TBC") action has no deadline to list; its milestones may.
        if v["due"] is not None and v["due"] >= as_of:
            upcoming.append({"ref": v["ref"], "what": v["title"], "due": v["due"]})
        for m in v["milestones"]:
            if m["done_on"] is None and m["due"] >= as_of:
                upcoming.append({"ref": v["ref"], "what": f"Milestone {m['number']}: {m['title']}", "due": m["due"]})
    upcoming.sort(key=lambda d: (d["due"], d["ref"]))
    return upcoming[:NEXT_DEADLINES]
