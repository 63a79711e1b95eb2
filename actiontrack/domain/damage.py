"""A damaged record's fault in words: which of its days is impossible, and as what.

A day typed into a store by hand (31 Feb) fails wherever the record is decoded, and each
decoder says so in its own words: a report's "Invalid RFC3339 encoded date - at `$.due`",
a change's "day is out of range for month".  Neither said the value to mend, nor (the
second) where it was.  Worked out only once a record has failed, never on a good one.
"""

from __future__ import annotations

from typing import Any

import orjson

from actiontrack.dates import is_iso_day, shown_value
from actiontrack.domain.vocabulary import DATED_CHANGES, ITEM_DATE_FIELDS, MILESTONE_DAYS


def _as_dict(record: Any) -> dict | None:
    """A record as a dict, from its JSON bytes if need be; None if it is no object."""
    if not isinstance(record, dict):
        try:
            record = orjson.loads(bytes(record))
        except (TypeError, ValueError):
            return None
    return record if isinstance(record, dict) else None


# An item's fields that must hold one kind of value (dates: impossible_day), as the JSON
# kinds the report path's decoder names them: both paths say the same.
_KINDS = {"ref": (str,), "title": (str,), "owner": (str,), "status": (str,), "rag": (str, type(None)),
          "milestones": (list,), "actions": (list,), "summary": (dict, type(None))}  # history: in_history
_JSON_KINDS = {str: "str", list: "array", dict: "object", type(None): "null", bool: "bool", int: "int", float: "float"}


def wrong_kind(record: Any) -> str | None:
    """The first field of an item's record (a dict, or its JSON bytes) holding the wrong
    kind of value, in words: a milestones list typed as null was "a field holds the wrong
    kind of value ('NoneType' object is not iterable)" wherever the record was read whole."""
    record = _as_dict(record)
    for name, kinds in _KINDS.items():
        if record is not None and name in record and type(record[name]) not in kinds:
            shown = "RAG" if name == "rag" else name  # as in_words names it
            return f"its {shown}: expected `{_JSON_KINDS[kinds[0]]}`, got `{_JSON_KINDS.get(type(record[name]), 'value')}`"
    for milestone in record.get("milestones") or () if record is not None else ():
        if not isinstance(milestone, dict):
            return f"its milestones: expected `object` in the list, got `{_JSON_KINDS.get(type(milestone), 'value')}`"
    return None


def impossible_day(record: Any) -> str | None:
    """The first day in `record` (a dict, or its JSON bytes) that is not one, in words;
    None if every day in it is a day."""
    record = _as_dict(record)
    if record is None:
        return None
    for name in sorted(ITEM_DATE_FIELDS):
        if name in record and _not_a_day(record[name]):
            return f"its {name} {record[name]!r} is not a day"
    milestones = record.get("milestones")
    for milestone in milestones if isinstance(milestones, list) else ():
        for name in ("due", "done_on"):
            if isinstance(milestone, dict) and _not_a_day(milestone.get(name)):
                return f"its milestone {milestone.get('number')} {name} {milestone[name]!r} is not a day"
    return in_history(record.get("history"))


def in_history(history: Any) -> str | None:
    """The first impossible day in a history (its JSON text, or decoded), in words."""
    if isinstance(history, str):
        try:
            history = orjson.loads(history)
        except ValueError:
            return None
    for entry in history if isinstance(history, list) else ():
        if not isinstance(entry, dict):
            continue
        if _not_a_day(entry.get("effective")) or entry.get("effective") is None:
            return f"its history has a {entry.get('event')} counting from {entry.get('effective')!r}, not a day"
        for change in entry.get("changes") or ():
            name = change.get("field", "") if isinstance(change, dict) else ""
            if isinstance(name, str) and (name in DATED_CHANGES or name.endswith(MILESTONE_DAYS)):
                for value in (change.get("old"), change.get("new")):
                    if _not_a_day(value):
                        return f"its history's {entry.get('event')} of {shown_value(entry.get('effective'))} holds " \
                               f"{name} {value!r}, not a day"
    return None


def _not_a_day(value: Any) -> bool:
    return value is not None and not is_iso_day(value)


def in_words(error: Exception) -> str:
    """A decoder's complaint about a record as a clerk can act on it: the field it is in,
    and no Python names (a new-user trial was shown "ValidationError: ... - at `$.status`"
    and "TypeError: 'NoneType' object is not iterable")."""
    text = str(error)
    at = text.rfind(" - at `$.")
    if at >= 0 and text.endswith("`"):
        path = " ".join("RAG" if part == "rag" else part for part in text[at + len(" - at `$."):-1].split("."))
        said = text[:at]
        if said.startswith("Invalid enum value "):  # as the change path says it (models.check_words)
            return f"its {path} {said.removeprefix('Invalid enum value ')} is not one actiontrack knows"
        return f"its {path}: {said[:1].lower()}{said[1:]}"
    if isinstance(error, KeyError):
        return f"the field {text} is missing"
    if isinstance(error, (TypeError, AttributeError)):
        return f"a field holds the wrong kind of value ({text})"
    if type(error).__name__ == "JSONDecodeError":
        return f"it is not JSON ({text})"
    return text
