"""The listings clerks table and cron jobs read: overdue and slippage."""

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
from actiontrack.reports.views import ItemFilter, item_view


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
