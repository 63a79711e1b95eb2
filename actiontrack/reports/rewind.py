"""Taking back every change that counts from after a day: the store as it stood then.

Items, plans, themes and meetings added later are left out.  The stored data is never
touched: this works on a copy (StoreData.detached).
"""

from __future__ import annotations

from datetime import date

from actiontrack.changes.journal import is_field_change, put_back
from actiontrack.changes.meetings import put_back_meeting, takes_a_meeting
from actiontrack.changes.revert import NOT_REVERSIBLE, revert
from actiontrack.domain.models import Change, HistoryEntry, Item, Meeting
from actiontrack.domain.people import person_key
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput


def rewound(data: StoreData, day: date) -> StoreData:
    """A copy of `data` as it stood on `day` (the data itself is never touched)."""
    past = data.detached()
    for items in (past.actions, past.resolutions):
        for ref in [ref for ref, item in items.items() if not _rewind_item(item, day)]:
            del items[ref]  # not yet created on that day
    for entry in reversed([h for h in past.journal if h.effective > day]):
        _rewind_journal(past, entry)
    past.journal = [h for h in past.journal if h.effective <= day]
    past.forget_derived()  # worked out for today's data, not that day's
    return past


def _rewind_item(item: Item, day: date) -> bool:
    """Rewind in place; False when the item did not exist yet on `day`."""
    if any(h.event == "create" and h.effective > day for h in item.history):
        return False
    item.touch()
    # A later change whose undo counts from that day or before was already taken back
    # by then: rewinding it as well would reverse it twice.
    undone_by_then = {h.undoes for h in item.history if h.event == "undo" and h.effective <= day}
    for entry in reversed([h for h in item.history if h.effective > day and h.txn not in undone_by_then]):
        for change in reversed(entry.changes):
            _quietly(item, change)
    item.history = [h for h in item.history if h.effective <= day]
    return True


def _quietly(item: Item, change: Change) -> None:
    if change.field in NOT_REVERSIBLE:
        return
    try:
        revert(item, change, strict=False)
    except BadInput:
        pass  # history entered out of order cannot be rewound exactly; keep what is known


def _rewind_journal(past: StoreData, entry: HistoryEntry) -> None:
    if entry.event == "plan-add":
        past.plans.pop(entry.changes[0].new["key"], None)
    elif entry.event == "theme-add":
        record = entry.changes[0].new
        past.themes.pop((record["plan"], record["number"]), None)
    elif entry.event == "meeting-add":
        past.meetings.pop(Meeting.from_record(entry.changes[0].new).key, None)
    elif entry.event in ("setting", "undo", "redo") and entry.target == "settings":
        change = entry.changes[0]
        setattr(past.settings, change.field, change.old)
    elif entry.event == "meeting-update" or takes_a_meeting(entry):
        # An add undone later too: as of before the undo the meeting was there, and what it
        # moved was due at it (a trial saw resolutions due at a meeting the view did not list).
        put_back_meeting(past.meetings, entry)
    elif entry.event == "person-add":
        past.people.pop(person_key(entry.changes[0].new["name"]), None)
    elif entry.event == "indicator-add":
        past.indicators.pop(entry.changes[0].new["code"], None)
    elif is_field_change(entry.event) or entry.event == "undo" and entry.target:
        put_back(past, entry, strict=False)
