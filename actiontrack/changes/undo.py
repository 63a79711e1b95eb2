"""`undo`: reverse the last command, as a new history entry, never by deleting one.

Every command's entries share a store-wide `txn`.  Undo finds the newest txn that is
neither an undo nor already undone, applies the inverse of each of its changes and
records that as an `undo` entry naming the txn.  Undoing again walks further back.
An undone add takes the record out of use and into the store's archive, with its
history: nothing is lost, and its ref is never handed out again.
"""

from __future__ import annotations

from datetime import datetime

import orjson

from actiontrack.changes.journal import is_field_change, put_back
from actiontrack.changes.meetings import put_back_meeting
from actiontrack.changes.revert import revert
from actiontrack.changes.tracker import Tracker
from actiontrack.dates import british_days, uk
from actiontrack.domain.models import Action, Change, HistoryEntry, Item, Meeting
from actiontrack.domain.people import person_key
from actiontrack.domain.refs import body_key
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput
from actiontrack.reports.views import value_text


def all_entries(data: StoreData) -> list[HistoryEntry]:
    return [h for item in data.items() for h in item.history] + list(data.journal)


def last_undoable(data: StoreData, user: str | None = None) -> int | None:
    """The newest change not undone (and not an undo): `user`'s own, if given."""
    return _newest_standing(all_entries(data), user)


def _newest_standing(entries: list[HistoryEntry], user: str | None = None) -> int | None:
    undone = {h.undoes for h in entries if h.undoes is not None}
    return max((h.txn for h in entries if h.event != "undo" and h.txn is not None and h.txn not in undone
                and (user is None or h.user == user)), default=None)


def _changed_since_by_others(history: list[HistoryEntry], txn: int, user: str, undone: set) -> HistoryEntry | None:
    """The first later change someone else made to the same item (or journal target) that
    still stands: one since undone (and the undo itself) put the item back as it was."""
    return next((h for h in history if h.txn is not None and h.txn > txn and h.user != user
                 and h.event != "undo" and h.txn not in undone), None)


def when(recorded_at: str) -> str:
    """A recording time as people read it: 02 Dec 2026 14:05."""
    try:
        return datetime.fromisoformat(recorded_at).strftime("%d %b %Y %H:%M")
    except ValueError:
        return recorded_at


def last_changes(data: StoreData) -> dict[int | str, str]:
    """What each change did, in a line ("reschedule SUFF-2.2 by ..."), for the backups
    list (a backup is named by the last change it holds): by each entry's seal, and by
    the command's number for entries from before the seals (numbers are given again
    after a restore, so a seal is the surer name)."""
    said: dict[int | str, str] = {}
    entries = [(item.ref, h) for item in data.items() for h in item.history]
    entries += [(h.target or "", h) for h in data.journal]
    # An add undone takes its record to the archive, with the undo's entry: a backup whose
    # last change was that undo was listed with nothing to name it (a new-user trial).
    entries += [(str(archived.get("record", {}).get("ref") or ""), HistoryEntry.from_record(h))
                for archived, history in archived_records(data) for h in history if isinstance(h, dict)]
    for target, h in entries:
        line = f"{h.event} {british_days(target)} by {h.user}, {when(h.recorded_at)}{_gist(h)}"
        if h.txn is not None:
            said.setdefault(h.txn, line)
        if h.hash is not None:
            said[h.hash] = line
    return said


def counted_from(tracker: Tracker, entries: list[HistoryEntry], what: str) -> None:
    """Refuse an undo or redo counting from before the change it reverses: dated back, it
    was listed before that change, and no --as-of view showed either as it was (a trial's
    back-dated undo and redo then let a back-dated update through)."""
    latest = max((h.effective for h in entries), default=None)
    if latest is not None and tracker.as_of < latest:
        raise BadInput(f"the change the {what} reverses counts from {uk(latest)}; the {what} cannot count from "
                       f"{uk(tracker.as_of)}, before it (check --as-of)")


def archived_records(data: StoreData) -> list[tuple[dict, list]]:
    """Each record an undo took away, with its history (kept as its JSON text, or a list)."""
    found = []
    for archived in data.archive:
        history = (archived.get("record") or {}).get("history") or []
        found.append((archived, orjson.loads(history) if isinstance(history, str) else history))
    return found


GIST = 60  # characters of a change's note or fields in the backups list


def _gist(entry: HistoryEntry) -> str:
    """What set the change apart: its note, else its fields' new values.  Backups saved
    in the same minute by the same person read alike without it (found by a new-user trial)."""
    text = entry.note or "; ".join(f"{c.field} {value_text(c.new)}" for c in entry.changes if c.field != "history")
    text = " ".join(text.split())
    if not text:
        return ""
    return f": {text if len(text) <= GIST else text[:GIST - 1] + '…'}"


def describe(entry: HistoryEntry, subject: str) -> str:
    what = "; ".join(f"{c.field} {value_text(c.old)} -> {value_text(c.new)}" for c in entry.changes) or "note only"
    return f"{entry.event} {british_days(subject)} by {entry.user} (effective {uk(entry.effective)}): {what}"


def undo_last(tracker: Tracker, *, force: bool = False) -> list[str]:
    """Undo the newest change the tracker's user made and has not undone; returns a line
    per change reversed.  Refused if someone else has changed the same item since (undoing
    would reverse their work too, or fail to apply on top of it), and, unless `force`, if
    the store's newest change is someone else's: undo would walk back past it."""
    data = tracker.data
    user = tracker.user
    # Every item's history decoded once, in one pass (at 10,000 items each pass decoded them
    # all: an undo took 2.4 s where the update it undid took 0.3 s).
    histories = [(item, item.history) for item in data.items()]
    every = [h for _, history in histories for h in history] + list(data.journal)
    txn = _newest_standing(every, user)
    newest = _newest_standing(every)
    if txn is None:
        raise BadInput(f"there is nothing of {user}'s to undo" if newest is not None else "there is nothing to undo")
    done: list[str] = []
    note = f"undo of change {txn}"
    counted_from(tracker, [h for h in every if h.txn == txn], "undo")
    targets = {h.target for h in data.journal if h.txn == txn}
    undone = {h.undoes for h in every if h.undoes is not None}
    items = [(item, [h for h in history if h.txn == txn]) for item, history in histories]
    for subject, history in [(item.ref, item.history) for item, entries in items if entries] + [
            (target or "the store", [h for h in data.journal if h.target == target]) for target in targets]:
        later = _changed_since_by_others(history, txn, user, undone)
        if later is not None:
            raise BadInput(f"{subject} was changed by {later.user} since (recorded {when(later.recorded_at)}): "
                           "undo never reverses a change someone else has built on, not even with --force; "
                           "nothing was undone")
    if newest is not None and newest != txn and not force:
        mark = next(h for h in every if h.txn == newest)
        raise BadInput(f"the newest change is {mark.user}'s ({mark.event}, recorded {when(mark.recorded_at)}): "
                       "undo walks back past someone else's change only with --force; nothing was undone")
    for item, entries in items:
        if entries:
            done += [describe(h, item.ref) for h in entries]
            _undo_item(tracker, item, entries, txn, note)
    # Newest first within the command too: a theme goes before the plan it belongs to.
    for entry in reversed([h for h in data.journal if h.txn == txn]):
        done.append(describe(entry, entry.target or ""))
        _undo_journal(tracker, entry, txn, note)
    return done


def _undo_item(tracker: Tracker, item: Item, entries: list[HistoryEntry], txn: int, note: str) -> None:
    data = tracker.data
    if any(h.event == "create" for h in entries):
        tracker.record(item, "undo", [Change("ref", item.ref, None)], note, undoes=txn)
        data.archive.append({"kind": item.kind, "undone_by": tracker.txn, "record": item.to_record()})
        del (data.actions if isinstance(item, Action) else data.resolutions)[item.ref]
        return
    reversed_changes = []
    try:
        for entry in reversed(entries):
            for change in reversed(entry.changes):
                reversed_changes.append(revert(item, change))
    except BadInput as e:
        raise BadInput(f"cannot undo change {txn}: {e.message}") from None
    tracker.record(item, "undo", reversed_changes, note, undoes=txn)


def _undo_journal(tracker: Tracker, entry: HistoryEntry, txn: int, note: str) -> None:
    data = tracker.data
    if entry.event == "plan-add":
        key = entry.changes[0].new["key"]
        if any(t.plan == key for t in data.themes.values()) or any(a.plan == key for a in data.actions.values()):
            raise BadInput(f"cannot undo change {txn}: plan {key} now has themes or actions")
        removed = data.plans.pop(key).to_record()
    elif entry.event == "theme-add":
        record = entry.changes[0].new
        key = (record["plan"], record["number"])
        if any((a.plan, a.theme) == key for a in data.actions.values()):
            raise BadInput(f"cannot undo change {txn}: theme {key[0]}.{key[1]} now has actions")
        removed = data.themes.pop(key).to_record()
    elif entry.event == "meeting-add":
        meeting = Meeting.from_record(entry.changes[0].new)
        if any(body_key(r.body) == meeting.key[0] and r.meeting == meeting.date for r in data.resolutions.values()):
            raise BadInput(f"cannot undo change {txn}: the meeting of {uk(meeting.date)} now has resolutions")
        removed = data.meetings.pop(meeting.key).to_record()
    elif entry.event in ("meeting-update", "meeting-cancel"):
        put_back_meeting(data.meetings, entry)
        reverted = [Change(c.field, c.new, c.old) for c in entry.changes]
        tracker.record_journal(_target(entry), "undo", reverted, note, undoes=txn)
        return
    elif entry.event == "person-add":
        removed = data.people.pop(person_key(entry.changes[0].new["name"])).to_record()
    elif entry.event == "indicator-add":
        removed = data.indicators.pop(entry.changes[0].new["code"]).to_record()
    elif entry.event in ("setting", "redo") and entry.target == "settings":
        change = entry.changes[0]
        setattr(data.settings, change.field, change.old)
        tracker.record_journal(_target(entry), "undo", [Change(change.field, change.new, change.old)], note, undoes=txn)
        return
    elif is_field_change(entry.event):
        reverted = put_back(data, entry)
        tracker.record_journal(_target(entry), "undo", reverted, note, undoes=txn)
        return
    else:
        raise BadInput(f"cannot undo change {txn}: '{entry.event}' is not something undo knows")
    kind = entry.event.removesuffix("-add")
    data.archive.append({"kind": kind, "undone_by": tracker.txn, "record": removed})
    tracker.record_journal(_target(entry), "undo", [Change(kind, removed, None)], note, undoes=txn)


def _target(entry) -> str:
    """What a journal entry changed ("plan SUFF"): every journal entry names one."""
    assert entry.target is not None, entry
    return entry.target
