"""Reversing one recorded change on an item: shared by `undo` and by point-in-time views.

History records every change as (field, old, new) with dates as ISO text; putting the
old value back is all either needs.  Milestones are recorded as `milestone N` (added or
removed, with its record), `milestone N done_on`, `milestone N title` and `milestone N due`.
"""

from __future__ import annotations

from typing import Any

from actiontrack.dates import parse_iso
from actiontrack.domain.models import Change, Item, Milestone
from actiontrack.domain.vocabulary import ITEM_DATE_FIELDS
from actiontrack.errors import BadInput

DATE_FIELDS = ITEM_DATE_FIELDS
NOT_REVERSIBLE = {"ref", "milestones", "history"}


def stored(name: str, value: Any) -> Any:
    """The value as history records it (dates as ISO text)."""
    if name in DATE_FIELDS and value is not None:
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def revert(item: Item, change: Change, *, strict: bool = True) -> Change:
    """Put `change.old` back; returns the change that does so.

    strict: refuse when the field no longer holds `change.new` (something later moved it).
    """
    name = change.field
    item.touch()
    if name.startswith("milestone "):
        return _revert_milestone(item, change, strict)
    if name in NOT_REVERSIBLE or not hasattr(item, name):
        raise BadInput(f"{item.ref}: a change to {name!r} cannot be reversed")
    current = stored(name, getattr(item, name))
    if strict and current != change.new:
        raise BadInput(f"{item.ref}'s {name} is now {current!r}, not {change.new!r}")
    setattr(item, name, parse_iso(change.old) if name in DATE_FIELDS else change.old)
    return Change(name, current, change.old)


def _revert_milestone(item: Item, change: Change, strict: bool) -> Change:
    number = int(change.field.split()[1])
    if change.field.endswith((" title", " due")):  # a milestone redrawn
        milestone = _find(item, number, strict)
        name = change.field.rsplit(" ", 1)[1]
        if milestone:
            setattr(milestone, name, parse_iso(change.old) if name == "due" else change.old)
        return Change(change.field, change.new, change.old)
    if change.field.endswith(" done_on"):
        milestone = _find(item, number, strict)
        if milestone:
            milestone.done_on = parse_iso(change.old)
        return Change(change.field, change.new, change.old)
    if change.old is None:  # the milestone was added: take it away
        milestone = _find(item, number, strict)
        item.milestones = [m for m in item.milestones if m.number != number]
        return Change(change.field, milestone.to_record() if milestone else change.new, None)
    # an undo that took a milestone away: put it back
    item.milestones.append(Milestone.from_record(change.old))
    item.milestones.sort(key=lambda m: m.number)
    return Change(change.field, None, change.old)


def _find(item: Item, number: int, strict: bool) -> Milestone | None:
    try:
        return item.milestone(number)
    except BadInput:
        if strict:
            raise
        return None
