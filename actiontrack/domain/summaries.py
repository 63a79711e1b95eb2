"""What an item's history comes to, for the reports: which entries still stand, and the
facts saved beside the record (the summary) so a report need not decode the history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypeVar

from actiontrack.dates import is_iso_day, iso


class Entry(Protocol):
    """What the summary reads of a history entry (models.HistoryEntry)."""

    event: str
    txn: int | None
    undoes: int | None
    effective: date
    note: str | None


E = TypeVar("E", bound=Entry)
E_co = TypeVar("E_co", bound=Entry, covariant=True)


class Item(Protocol[E_co]):
    """What the summary reads of an item (models.Item): its history, whatever else it is."""

    @property
    def history(self) -> Sequence[E_co]: ...


def standing_entries(item: Item[E]) -> Sequence[E]:
    """History that still stands: the changes no standing undo took back.  Undos and redos
    are the mechanics, and stand for nothing themselves; a redo takes back the undo it
    undid, so the change it re-applied stands again as first recorded (its event, reason
    and day: a move redone is still a move).  Worked newest first, so an undo of a redo,
    and a redo of that, each cancel what the one before them did."""
    history = item.history
    if not any(h.undoes is not None for h in history):
        return history
    cancelled: set[int | None] = set()
    for h in reversed(history):
        if h.undoes is not None and h.txn not in cancelled:
            cancelled.add(h.undoes)
    return [h for h in history if h.undoes is None and h.txn not in cancelled]


def not_undone(item: Item[E]) -> Sequence[E]:
    """Every entry neither an undo nor undone by one, a redo counted as itself: the newest
    change in effect, and standing_entries as summaries saved
    before 2 Dec 2026 were worked out (verify takes such a summary as actiontrack's)."""
    undone = {h.undoes for h in item.history if h.undoes is not None}
    return [h for h in item.history if h.event != "undo" and h.txn not in undone]


# A clerk's housekeeping, not news of the work: rewording, a new owner, a meeting's new
# date (and the due date that follows it), a date set by the next meeting being added.
# An item whose last change is one of these has had no update from its owner since.
HOUSEKEEPING = frozenset({"edit", "reassign", "meeting-moved", "scheduled"})


def is_progress(entry: Entry) -> bool:
    """Whether a standing history entry is an update on the work (what staleness counts)."""
    return entry.event not in HOUSEKEEPING


def summarise(item: Item[Entry], standing: Sequence[Entry] | None = None) -> dict:
    """The history facts reports use, saved with the record so they need no decoding
    (see rules.history_facts).  `last_update` is the last change of any kind (kept for
    stores read by an earlier actiontrack); `last_progress` the last update on the work,
    which reports show as the last update and judge staleness by."""
    standing = standing_entries(item) if standing is None else standing
    moves = [h for h in standing if h.event == "reschedule"]
    return {
        "latest_effective": iso(max((h.effective for h in item.history), default=None)),
        "last_update": iso(max((h.effective for h in standing), default=None)),
        "reschedules": len(moves),
        "last_move": iso(max((h.effective for h in moves), default=None)),
        "latest_reason": moves[-1].note if moves else None,
        "last_progress": iso(max((h.effective for h in standing if is_progress(h)), default=None)),
    }


SUMMARY_DAYS = ("latest_effective", "last_update", "last_move", "last_progress")


def summary_problem(summary: object) -> str | None:
    """What is wrong with a saved summary, if it is not what summarise() writes (one typed
    into the file by hand); None if nothing.  The reports fall back on the history."""
    if summary is None:
        return None
    if not isinstance(summary, dict) or type(summary.get("reschedules")) is not int:
        return "its summary is not one actiontrack wrote"
    for name in SUMMARY_DAYS:
        day = summary.get(name)
        if day is not None and not is_iso_day(day):
            return f"its summary's {name} {day!r} is not a day"
    return None
