"""`undo`: reverse the last command, as a new history entry, never by deleting one.

Every command's entries share a store-wide `txn`.  Undo finds the newest txn that is
neither an undo nor already undone, applies the inverse of each of its changes and
records that as an `undo` entry naming the txn.  Undoing again walks further back.
An undone add takes the record out of use and into the store's archive, with its
history: nothing is lost, and its ref is never handed out again.
"""

from __future__ import annotations

from typing import Any

from actiontrack.dates import parse_iso
from actiontrack.errors import BadInput
from actiontrack.models import Action, Change, HistoryEntry, Milestone, StoreData
from actiontrack.tracker import Tracker

DATE_FIELDS = {"due", "baseline_due", "completed_on"}
ACTION_FIELDS = {"title", "owner", "status", "rag", "success", "finance", "source"} | DATE_FIELDS


def all_entries(data: StoreData) -> list[HistoryEntry]:
    return [h for a in data.actions.values() for h in a.history] + list(data.journal)


def last_undoable(data: StoreData) -> int | None:
    entries = all_entries(data)
    undone = {h.undoes for h in entries if h.undoes is not None}
    return max((h.txn for h in entries if h.event != "undo" and h.txn is not None and h.txn not in undone),
               default=None)


def describe(entry: HistoryEntry, subject: str) -> str:
    what = "; ".join(f"{c.field} {_short(c.old)} -> {_short(c.new)}" for c in entry.changes) or "note only"
    return f"{entry.event} {subject} by {entry.user} (effective {entry.effective.isoformat()}): {what}"


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return repr(value.get("title") or value.get("key") or "record")
    return "-" if value is None else repr(value)


def undo_last(tracker: Tracker) -> list[str]:
    """Undo the newest command not yet undone; returns a line per change reversed."""
    data = tracker.data
    txn = last_undoable(data)
    if txn is None:
        raise BadInput("there is nothing to undo")
    done: list[str] = []
    note = f"undo of change {txn}"
    for action in list(data.actions.values()):
        entries = [h for h in action.history if h.txn == txn]
        if entries:
            done += [describe(h, action.ref) for h in entries]
            _undo_action(tracker, action, entries, txn, note)
    # Newest first within the command too: a theme goes before the plan it belongs to.
    for entry in reversed([h for h in data.journal if h.txn == txn]):
        done.append(describe(entry, entry.target or ""))
        _undo_journal(tracker, entry, txn, note)
    return done


def _undo_action(tracker: Tracker, action: Action, entries: list[HistoryEntry], txn: int, note: str) -> None:
    data = tracker.data
    if any(h.event == "create" for h in entries):
        tracker._record(action, "undo", [Change("ref", action.ref, None)], note, undoes=txn)
        data.archive.append({"kind": "action", "undone_by": tracker.txn, "record": action.to_record()})
        del data.actions[action.ref]
        return
    reversed_changes = []
    for entry in reversed(entries):
        for change in reversed(entry.changes):
            reversed_changes.append(_revert(action, change, txn))
    tracker._record(action, "undo", reversed_changes, note, undoes=txn)


def _revert(action: Action, change: Change, txn: int) -> Change:
    name = change.field
    if name in ACTION_FIELDS:
        current = getattr(action, name)
        current_plain = current.isoformat() if name in DATE_FIELDS and current else current
        if current_plain != change.new:
            raise BadInput(f"cannot undo change {txn}: {action.ref}'s {name} is now {current_plain!r}, "
                           f"not {change.new!r}")
        setattr(action, name, parse_iso(change.old) if name in DATE_FIELDS else change.old)
        return Change(name, change.new, change.old)
    if name.startswith("milestone ") and name.endswith(" done_on"):
        milestone = action.milestone(int(name.split()[1]))
        milestone.done_on = None
        return Change(name, change.new, None)
    if name.startswith("milestone "):
        number = int(name.split()[1])
        milestone = action.milestone(number)
        action.milestones = [m for m in action.milestones if m.number != number]
        return Change(name, _milestone_record(milestone), None)
    raise BadInput(f"cannot undo change {txn}: it changed {name!r}, which undo does not know")


def _milestone_record(m: Milestone) -> dict:
    return m.to_record()


def _undo_journal(tracker: Tracker, entry: HistoryEntry, txn: int, note: str) -> None:
    data = tracker.data
    if entry.event == "plan-add":
        key = entry.changes[0].new["key"]
        if any(t.plan == key for t in data.themes.values()) or any(a.plan == key for a in data.actions.values()):
            raise BadInput(f"cannot undo change {txn}: plan {key} now has themes or actions")
        plan = data.plans.pop(key)
        data.archive.append({"kind": "plan", "undone_by": tracker.txn, "record": plan.to_record()})
        tracker._journal(entry.target, "undo", [Change("plan", plan.to_record(), None)], note, undoes=txn)
    elif entry.event == "theme-add":
        record = entry.changes[0].new
        key = (record["plan"], record["number"])
        if any((a.plan, a.theme) == key for a in data.actions.values()):
            raise BadInput(f"cannot undo change {txn}: theme {key[0]}.{key[1]} now has actions")
        theme = data.themes.pop(key)
        data.archive.append({"kind": "theme", "undone_by": tracker.txn, "record": theme.to_record()})
        tracker._journal(entry.target, "undo", [Change("theme", theme.to_record(), None)], note, undoes=txn)
    elif entry.event == "setting":
        change = entry.changes[0]
        setattr(data.settings, change.field, change.old)
        tracker._journal(entry.target, "undo", [Change(change.field, change.new, change.old)], note, undoes=txn)
    else:
        raise BadInput(f"cannot undo change {txn}: '{entry.event}' is not something undo knows")
