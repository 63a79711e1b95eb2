"""Putting back a field-level change to something the journal names: a plan, a theme,
a person, an owner's return log.

Journal entries name what they changed by `target` ("plan SUFF", "theme SUFF.1",
"person Head of Early Help", "return Head of Early Help") and record each field as
(field, old, new), dates as ISO text.  Undo and the point-in-time view both put `old`
back; they share this so the two can never disagree about what a change was.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from actiontrack.dates import parse_iso, plain
from actiontrack.domain.models import Change, HistoryEntry
from actiontrack.domain.people import person_key
from actiontrack.domain.refs import theme_key
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import RECORD_DATE_FIELDS
from actiontrack.errors import BadInput

FIELD_EVENTS = frozenset({"plan-update", "theme-update", "person-update",  # and every "return-*"
                          "indicator-update", "indicator-target", "indicator-record"})
DATE_FIELDS = RECORD_DATE_FIELDS


def is_field_change(event: str) -> bool:
    """A journal entry of fields changed on a record (a redo is only ever of those)."""
    return event in FIELD_EVENTS or event.startswith("return-") or event == "redo"


def record_for(data: StoreData, target: str) -> Any:
    """The plan, theme, person or return log a journal target names (None if gone)."""
    kind, _, name = target.partition(" ")
    if kind == "plan":
        return data.plans.get(name)
    if kind == "theme":
        return data.themes.get(theme_key(name))
    if kind == "person":
        return data.people.get(person_key(name))
    if kind == "return":
        return data.returns.get(person_key(name))
    if kind == "indicator":
        return data.indicators.get(name)
    return None


def put_back(data: StoreData, entry: HistoryEntry, *, strict: bool = True) -> list[Change]:
    """Set each field the entry changed back to its old value; the changes that do so.

    strict: refuse when the record is gone or a field no longer holds the entry's new
    value (something later moved it); otherwise do what can be done."""
    assert entry.target is not None
    record = record_for(data, entry.target)
    if record is None:
        if strict:
            raise BadInput(f"{entry.target} is no longer in the store")
        return []
    assert is_dataclass(record) and not isinstance(record, type)
    names = {f.name for f in fields(record)}
    held: Any = record  # one of the journal's records: a plan, theme, person, return log or indicator
    reverted = []
    for change in reversed(entry.changes):
        if change.field.startswith("value ") and "values" in names:  # an indicator's value for a period
            period = change.field.removeprefix("value ")
            current = held.values.get(period)
            if change.old is None:
                held.values.pop(period, None)
            else:
                held.values[period] = dict(change.old)
            reverted.append(Change(change.field, current, change.old))
            continue
        if change.field not in names:
            raise BadInput(f"{entry.target}: a change to {change.field!r} cannot be reversed")
        current = plain(getattr(record, change.field))
        if strict and current != change.new:
            raise BadInput(f"{entry.target}'s {change.field} is now {current!r}, not {change.new!r}")
        setattr(record, change.field, _value(change.field, change.old))
        reverted.append(Change(change.field, current, change.old))
    return reverted



def _value(name: str, stored: Any) -> Any:
    return parse_iso(stored) if name in DATE_FIELDS else stored
