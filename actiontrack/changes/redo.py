"""`redo`: re-apply the change an undo took back, as a new history entry.

Redo is the undo of an undo: each field the undo put back is set again to what it was
before the undo (the undo recorded both).  It follows the user's own undos only, newest
first, and only while they have made no change of their own since: after a new change
there is nothing to redo, as in any editor.  An undone add is not redone: its record is
in the archive and its ref retired; add it again.  Redo passes over such an undo to the
one before it, and says so (it used to pass over an action's silently, and stop at a
plan's or theme's for good).
"""

from __future__ import annotations

from collections.abc import Collection

import orjson

from actiontrack.changes.journal import put_back
from actiontrack.changes.revert import revert
from actiontrack.changes.tracker import Tracker
from actiontrack.changes.undo import all_entries, describe, when
from actiontrack.dates import british_days
from actiontrack.domain.models import Change, HistoryEntry
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput


def redoable(entries: list[HistoryEntry], user: str, adds: Collection[int] = ()) -> tuple[int | None, list[int]]:
    """The txn of the user's newest undo not yet redone, if nothing of theirs came after it;
    and the undos of `adds` (undos that took an add back, which cannot be redone) walked
    past on the way to it, newest first."""
    redone = {h.undoes for h in entries if h.event == "redo"}
    mine = sorted({h.txn for h in entries if h.user == user and h.txn is not None} | set(adds))
    passed: list[int] = []
    for txn in reversed(mine):
        if txn in adds:
            passed.append(txn)
            continue
        events = {h.event for h in entries if h.txn == txn}
        if events == {"redo"} or events == {"undo"} and txn in redone:
            continue  # the undo/redo chain: look further back for an undo not yet redone
        if events == {"undo"}:
            return txn, passed
        return None, passed  # a change of their own since: the undos before it are past redoing
    return None, passed


def redo_last(tracker: Tracker) -> tuple[list[str], list[str]]:
    """The changes redone, in words; and the undos of adds passed over to reach them."""
    data = tracker.data
    entries = all_entries(data)
    adds = _undone_adds(data, tracker.user)
    txn, passed = redoable(entries, tracker.user, adds)
    if txn is None:
        if passed:  # the user's last undos took adds back, and nothing before them is left to redo
            raise BadInput(adds[passed[0]])
        raise BadInput(f"there is nothing of {tracker.user}'s to redo (redo follows your own undo, "
                       "before any other change of yours)")
    note = f"redo of change {txn}"
    done: list[str] = []
    for item in data.items():
        undos = [h for h in item.history if h.txn == txn]
        if not undos:
            continue
        # Someone else's later change stands in the way; the user's own undos and redos since
        # are the chain being walked.
        later = next((h for h in item.history if h.txn is not None and h.txn > txn and h.user != tracker.user), None)
        if later is not None:
            raise BadInput(f"{item.ref} was changed by {later.user} since (recorded {when(later.recorded_at)}): "
                           "nothing was redone")
        changes = [c for h in undos for c in h.changes]
        if any(c.field == "ref" for c in changes):
            raise BadInput(f"{item.ref}: an undone add is not redone (its ref is retired); add it again")
        redone = [revert(item, c) for c in reversed(changes)]
        entry = tracker.record(item, "redo", redone, note, undoes=txn)
        done.append(describe(entry, item.ref).replace("redo ", f"{_original_event(item.history, undos)} ", 1))
    for entry in [h for h in data.journal if h.txn == txn]:
        target = entry.target or "the store"
        if entry.target == "settings":
            change = entry.changes[0]
            setattr(data.settings, change.field, change.old)
            redone_changes = [Change(change.field, change.new, change.old)]
        elif _field_undo(entry):
            redone_changes = put_back(data, entry)
        else:
            raise BadInput(f"{british_days(target)}: an undone add, or a meeting's change, is not redone: make it again")
        done.append(describe(tracker.record_journal(target, "redo", redone_changes, note, undoes=txn), target))
    return done, [adds[undo] for undo in passed]


def _undone_adds(data: StoreData, user: str) -> dict[int, str]:
    """The user's undos that took an add back (or a meeting's change), by txn, each as
    what it took back: an action's record went whole to the archive with its history."""
    adds: dict[int, str] = {}
    for archived in data.archive:
        record, undo = archived.get("record") or {}, archived.get("undone_by")
        history = record.get("history") or []
        if isinstance(history, str):  # kept as its JSON text
            history = orjson.loads(history)
        if isinstance(undo, int) and any(isinstance(h, dict) and h.get("txn") == undo and h.get("user") == user
                                         for h in history):
            adds[undo] = f"the add of {record.get('ref')} is not redone (an undone add's ref is retired): add it again"
    for h in data.journal:
        if h.event == "undo" and h.user == user and h.txn is not None and h.target != "settings" \
                and not _field_undo(h):
            target = british_days(h.target or "the store")
            took = h.changes[0] if h.changes else None  # an add's undo takes its record away whole
            adds[h.txn] = f"the add of {target} is not redone: add it again" \
                if took and isinstance(took.old, dict) and took.new is None \
                else f"the change to {target} is not redone: make it again"
    return adds


def _original_event(history: list[HistoryEntry], undos: list[HistoryEntry]) -> str:
    """What the redone change was ("edit", "update"): the event the undo had taken back."""
    undone = {h.undoes for h in undos}
    return next((h.event for h in history if h.txn in undone and h.event != "undo"), "redo")


def _field_undo(entry: HistoryEntry) -> bool:
    """An undo of a field-level journal change (a plan, theme, person or return edited),
    not of an add, whose record the undo took out whole under its kind's name."""
    return (bool(entry.changes)
            and all(c.field not in ("plan", "theme", "person", "meeting", "indicator") for c in entry.changes)
            and not (entry.target or "").startswith("meeting "))
