"""The rules councils judge slippage by.  Every function takes the as-of date.

Slippage is measured against the baseline (original) due date, so a revised date is
still slippage; the derived RAG is what the dates imply, to set beside the RAG the
owner reports.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from actiontrack.domain.models import HistoryEntry, Item, Milestone
from actiontrack.domain.summaries import is_progress, standing_entries

RAG_RANK = {"blue": 0, "green": 1, "amber": 2, "red": 3}
_fromiso = date.fromisoformat


def days_overdue(action: Item, as_of: date) -> int:
    if action.is_closed or action.due is None:
        return 0
    return max(0, (as_of - action.due).days)


def slippage_days(action: Item, as_of: date) -> int:
    if action.baseline_due is None:
        return 0
    if action.status == "complete":
        end = action.completed_on or action.due
        if end is None:
            return 0
    elif action.status == "dropped" or action.due is None:
        return 0
    else:
        # An open action that is past due keeps slipping every day it stays open.
        end = max(action.due, as_of)
    return max(0, (end - action.baseline_due).days)


def milestone_overdue(milestone: Milestone, as_of: date) -> bool:
    return milestone.done_on is None and milestone.due < as_of


def overdue_milestones(action: Item, as_of: date) -> list[Milestone]:
    if action.is_closed:
        return []
    return [m for m in action.milestones if milestone_overdue(m, as_of)]


def _stored(action: Item, as_of: date | None) -> dict | None:
    """The saved summary, when it answers for `as_of` (nothing in the history is later)."""
    summary = action.stored_summary()
    if summary is None:
        return None
    latest = summary.get("latest_effective")
    if as_of is not None and latest and latest > as_of.isoformat():
        return None
    return summary


class Facts(NamedTuple):
    """What a report row takes from an item's history, worked out once per item."""

    reschedules: int  # standing reschedules, whatever their date
    last_update: date | None
    last_move: date | None
    latest_reason: str | None


_new_facts = tuple.__new__


def history_facts(action: Item, as_of: date) -> Facts:
    """The saved summary when it answers for `as_of`; else the history itself."""
    summary = _stored(action, as_of)
    if summary is not None:
        try:
            # A summary saved before last_progress was kept answers with its last change of
            # any kind: decoding every such item's history instead made each report of a store
            # saved before then 2.7 times as slow (10k items), until its every item changed.
            # The item's next change saves last_progress.
            progress = summary.get("last_progress", summary["last_update"])
            update, move, moves = progress, summary["last_move"], summary["reschedules"]
            if type(moves) is int:
                # tuple.__new__: a NamedTuple's own __new__ is Python code, and this runs per row.
                return _new_facts(Facts, (moves, _fromiso(update) if update else None,
                                          _fromiso(move) if move else None, summary["latest_reason"]))
        except (KeyError, TypeError, ValueError):
            pass  # a summary damaged by hand: the history answers (and a save's check names it)
    return Facts(reschedules(action), last_update(action, as_of), last_move(action, as_of),
                 latest_move_reason(action, as_of))


def reschedules(action: Item, as_of: date | None = None) -> int:
    summary = _stored(action, as_of)
    if summary is not None and type(summary.get("reschedules")) is int:
        return summary["reschedules"]
    return len(reschedule_entries(action, as_of))


def last_move(action: Item, as_of: date) -> date | None:
    """The day the due date was last moved (a standing reschedule), up to `as_of`.

    No stored-summary shortcut: its only caller, history_facts, has tried the summary."""
    return max((h.effective for h in reschedule_entries(action, as_of)), default=None)


def latest_move_reason(action: Item, as_of: date) -> str | None:
    summary = _stored(action, as_of)
    if summary is not None:
        return summary["latest_reason"]
    moves = reschedule_entries(action, as_of)
    return moves[-1].note if moves else None


def revisions(item: Item) -> int:
    """How many times the due date has changed since the item was created: every
    reschedule, first date and undo that touched it, undone or not.

    A calendar's SEQUENCE for the item (RFC 5545 wants it to rise with every revision of
    the event): history is only ever appended to, so unlike the count of standing moves
    this never falls when a move is undone."""
    return sum(1 for h in item.history if h.event != "create" and h.changed("due"))


def reschedule_entries(action: Item, as_of: date | None = None) -> list[HistoryEntry]:
    return [
        h for h in standing_entries(action)
        if h.event == "reschedule" and (as_of is None or h.effective <= as_of)
    ]


def derived_rag(action: Item, as_of: date, tolerance_days: int) -> str | None:
    return rag_from(action.status, days_overdue(action, as_of), slippage_days(action, as_of),
                    bool(overdue_milestones(action, as_of)), tolerance_days)


def rag_from(status: str, overdue: int, slippage: int, milestone_late: bool, tolerance_days: int) -> str | None:
    """The derived RAG from facts already worked out (a report works each out once)."""
    if status == "dropped":
        return None
    if status == "complete":
        return "blue"
    if overdue > tolerance_days:
        return "red"
    if overdue > 0 or slippage > 0 or milestone_late:
        return "amber"
    return "green"


def rag_mismatch(reported: str | None, derived: str | None) -> bool:
    """True when the owner's RAG is rosier than the dates allow."""
    if reported is None or derived is None:
        return False
    return RAG_RANK[reported] < RAG_RANK[derived]


IMPORT_NOTE = "imported"  # the note an import leaves on changes it makes itself


def latest_commentary(action: Item) -> str | None:
    """The owner's latest progress commentary: the last note on an update."""
    return next((h.note for h in reversed(standing_entries(action))
                 if h.event == "update" and h.note and h.note != IMPORT_NOTE), None)


def last_update(action: Item, as_of: date) -> date | None:
    """The day of the last update on the work (not a clerk's housekeeping: summaries.is_progress).
    No stored-summary shortcut: history_facts has tried the summary before calling this."""
    dates = [h.effective for h in standing_entries(action) if h.effective <= as_of and is_progress(h)]
    return max(dates) if dates else None


_UNKNOWN = object()  # `last` not given: work it out from the history


def is_stale(action: Item, as_of: date, cycle_days: int, last: date | None | object = _UNKNOWN) -> bool:
    """No update inside the monitoring cycle.  Closed work needs no updates.

    `last`: the last update, when the caller has it already (it may be None: never updated)."""
    if action.is_closed:
        return False
    if last is _UNKNOWN:
        last = last_update(action, as_of)
    assert last is None or isinstance(last, date)
    return last is None or (as_of - last).days > cycle_days


def latest_change(item: Item) -> date | None:
    """The day the item's newest change counts from, undone changes and undos included: a
    later change may not count from before it.  --as-of rewinds entry by entry, newest
    first, so a change back-dated past an undone one was lost from every view of its day
    (a new-user trial)."""
    return max((h.effective for h in item.history), default=None)
