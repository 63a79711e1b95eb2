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

from actiontrack.changes.journal import put_back
from actiontrack.changes.revert import revert
from actiontrack.changes.tracker import Tracker
from actiontrack.changes.undo import all_entries, archived_records, counted_from, describe, when
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
    """The changes redone, in words; and the adds passed over (with the undo redone, or
    undos of adds alone before it), each as what to do instead."""
    data = tracker.data
    # With the changes in the records undos took away: an add is a change of the user's own,
    # after which the undos before it are past redoing (a new-user trial's config change,
    # undone, came back by a redo after an add and its undo).
    live = all_entries(data)
    adds = _undone_adds(data, tracker.user)
    # An undo that took only adds back is passed over whole; one that took adds back with
    # other changes (an import's undo) is redone, less its adds.
    alone = set(adds) - {h.txn for h in live if h.txn in adds and not _takes_a_record(h)}
    txn, passed = redoable([*live, *_archived_entries(data)], tracker.user, alone)
    if txn is None:
        if passed:  # the user's last undos took adds back, and nothing before them is left to redo
            raise BadInput(f"{_not_redone(adds[passed[0]])}; nothing was redone")
        raise BadInput(f"there is nothing of {tracker.user}'s to redo (redo follows your own undo, "
                       "before any other change of yours)")
    counted_from(tracker, [h for h in live if h.txn == txn], "redo")
    meeting = next((h for h in data.journal if h.txn == txn and _takes_a_record(h)
                    and h.changes[0].field == "meeting"), None)
    if meeting is not None:
        # A meeting's add moves what falls due at it; redone without the meeting, they were
        # due at a meeting that does not exist (a new-user trial).  Adding it again moves them.
        raise BadInput(f"the add of {british_days(meeting.target or 'the meeting')} is not redone, nor what it moved: "
                       "add the meeting again; nothing was redone")
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
        if any(c.field == "ref" for c in changes):  # a record put back by hand from the archive
            raise BadInput(f"{item.ref}: an undone add is not redone (its ref is retired); add it again")
        redone = [revert(item, c) for c in reversed(changes)]
        entry = tracker.record(item, "redo", redone, note, undoes=txn)
        done.append(describe(entry, item.ref).replace("redo ", f"{_original_event(item.history, undos)} ", 1))
    for entry in [h for h in data.journal if h.txn == txn]:
        target = entry.target or "the store"
        if _takes_a_record(entry):
            continue  # an add: named among those not redone
        if entry.target == "settings":
            change = entry.changes[0]
            setattr(data.settings, change.field, change.old)
            redone_changes = [Change(change.field, change.new, change.old)]
        elif _field_undo(entry):
            redone_changes = put_back(data, entry)
        else:
            raise BadInput(f"the change to {british_days(target)} is not redone: make it again; nothing was redone")
        said = describe(tracker.record_journal(target, "redo", redone_changes, note, undoes=txn), target)
        # As an item's redo says it: "setting settings: ...", not "redo settings" (a second trial).
        done.append(said.replace("redo ", f"{_original_event(data.journal, [entry])} ", 1))
    return done, [_not_redone(adds[undo]) for undo in [*passed, txn] if undo in adds]


_RECORDS = ("plan", "theme", "person", "meeting", "indicator")  # what a journal add's undo takes away whole


def _takes_a_record(entry: HistoryEntry) -> bool:
    """A journal undo of an add: its one change takes the record away (old: the record)."""
    return entry.event == "undo" and len(entry.changes) == 1 and entry.changes[0].field in _RECORDS \
        and isinstance(entry.changes[0].old, dict) and entry.changes[0].new is None


def _not_redone(added: list[tuple[str, bool]]) -> str:
    # An action's or resolution's ref is never given again (a minute may quote it); a
    # theme's or plan's key may be.
    again = "add it again (under a new ref)" if any(retired for _, retired in added) else "add it again"
    return f"the add of {', '.join(name for name, _ in added)} is not redone: {again}"


def _undone_adds(data: StoreData, user: str) -> dict[int, list[tuple[str, bool]]]:
    """What the user's undos took away whole, by the undo's txn, each with whether its ref
    is retired: an action's record went to the archive with its history (the undo's entry
    in it), a plan's or theme's is in the journal's undo."""
    adds: dict[int, list[tuple[str, bool]]] = {}
    for archived, history in archived_records(data):
        record, undo = archived.get("record") or {}, archived.get("undone_by")
        if isinstance(undo, int) and any(isinstance(h, dict) and h.get("txn") == undo and h.get("user") == user
                                         for h in history):
            adds.setdefault(undo, []).append((str(record.get("ref")), True))
    for h in data.journal:
        if h.user == user and h.txn is not None and _takes_a_record(h):
            adds.setdefault(h.txn, []).append((british_days(h.target or "the store"), False))
    return adds


def _archived_entries(data: StoreData) -> list[HistoryEntry]:
    """The changes (not undos or redos) in the records undos took away: each ends the redo
    of the undos before it.  An undo there is past redoing: its item is gone."""
    entries = []
    for _, history in archived_records(data):
        for h in history:
            try:
                entry = HistoryEntry.from_record(h)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # an entry altered by hand in the archive: `verify` names it; redo reads the rest
            if entry.event not in ("undo", "redo"):
                entries.append(entry)
    return entries


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
