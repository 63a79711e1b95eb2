"""Meetings move and are cancelled; what was due at them moves too.

A resolution due "at the next meeting" is due on that meeting's date: when the meeting
moves, so does the resolution (and its baseline, if it had never moved: the committee
moved, not the officer's work); when it is cancelled, it falls due at the meeting after,
or, with none set yet, stays due on the day so that it shows as overdue, until the next
meeting is added (after_a_cancelled).  Resolutions made at a meeting follow its date.
All of it is one change, recorded and undone together.
"""

from __future__ import annotations

from datetime import date

from actiontrack.changes.tracker import Tracker
from actiontrack.dates import uk
from actiontrack.domain.checks import MINUTE, clean_text
from actiontrack.domain.models import Change, HistoryEntry, Meeting, Resolution
from actiontrack.domain.refs import body_key
from actiontrack.errors import BadInput


def _due_at(tracker: Tracker, meeting: Meeting) -> list[Resolution]:
    return [r for r in tracker.data.resolutions.values()
            if r.due_next_meeting and r.due == meeting.date and body_key(r.body) == meeting.key[0] and not r.is_closed]


def _move_due(tracker: Tracker, r: Resolution, new: date | None, why: str) -> None:
    changes = [Change("due", r.due.isoformat() if r.due else None, new.isoformat() if new else None)]
    if r.baseline_due == r.due:
        changes.append(Change("baseline_due", changes[0].old, changes[0].new))
        r.baseline_due = new
    r.due = new
    tracker.record(r, "meeting-moved", changes, why)


def update_meeting(tracker: Tracker, body: str, day: date, *, new_date: date | None = None,
                   prefix: str | None = None, note: str | None = None) -> tuple[Meeting, list[str]]:
    """The meeting as it now is, and a line per resolution that moved with it."""
    data = tracker.data
    meeting = data.meeting(body, day)
    target = f"meeting {meeting.body} {meeting.date.isoformat()}"
    changes: list[Change] = []
    moved: list[str] = []
    why = clean_text(note, "the note", multiline=True)
    if prefix is not None:
        prefix = clean_text(prefix, "the minute prefix", required=True)
        if not MINUTE.match(prefix):
            raise BadInput(f"'{prefix}' is not a minute prefix (letters and digits with / . or -, e.g. CPP/17)")
        if prefix != meeting.prefix:
            changes.append(Change("prefix", meeting.prefix, prefix))
    if new_date is not None and new_date != meeting.date:
        if (meeting.key[0], new_date) in data.meetings:
            raise BadInput(f"{meeting.body} already has a meeting on {uk(new_date)}")
        _check_order(tracker, meeting, new_date)
        said = why or f"the meeting of {uk(meeting.date)} moved to {uk(new_date)}"
        for r in _due_at(tracker, meeting):
            _move_due(tracker, r, new_date, said)
            moved.append(f"{r.ref} is now due {uk(new_date)} (next meeting)")
        for r in data.resolutions.values():
            if body_key(r.body) == meeting.key[0] and r.meeting == meeting.date:
                tracker.record(r, "meeting-moved", [Change("meeting", r.meeting.isoformat(), new_date.isoformat())], said)
                r.meeting = new_date
                moved.append(f"{r.ref} was made at the meeting: now of {uk(new_date)}")
        changes.append(Change("date", meeting.date.isoformat(), new_date.isoformat()))
    if not changes:
        raise BadInput(f"nothing to change on the meeting of {uk(meeting.date)}: give a new --date or --prefix")
    del data.meetings[meeting.key]
    meeting.date = new_date or meeting.date
    meeting.prefix = prefix if prefix is not None else meeting.prefix
    data.meetings[meeting.key] = meeting
    tracker.record_journal(target, "meeting-update", changes, why)
    return meeting, moved


def _check_order(tracker: Tracker, meeting: Meeting, new_date: date) -> None:
    """A move may not reorder the committee's meetings, nor put a meeting before the
    resolutions due at it were made, nor after work made at it was finished."""
    data = tracker.data
    for other in data.body_meetings(meeting.body):
        if other.date != meeting.date and min(meeting.date, new_date) < other.date < max(meeting.date, new_date):
            raise BadInput(f"moving it past the meeting of {uk(other.date)} would change which meeting comes next: "
                           "cancel it and add the new one instead")
    for r in _due_at(tracker, meeting):
        if new_date <= r.meeting:
            raise BadInput(f"{r.ref} was made on {uk(r.meeting)} and is due at this meeting: it cannot meet on "
                           f"{uk(new_date)}")
    for r in data.resolutions.values():
        if body_key(r.body) == meeting.key[0] and r.meeting == meeting.date and r.completed_on \
                and r.completed_on < new_date:
            raise BadInput(f"{r.ref} was made at this meeting and completed on {uk(r.completed_on)}: the meeting "
                           f"cannot be on {uk(new_date)}")


def cancel_meeting(tracker: Tracker, body: str, day: date, note: str) -> list[str]:
    """Take a meeting out; what was due at it falls due at the one after.  Lines said."""
    data = tracker.data
    meeting = data.meeting(body, day)
    why = clean_text(note, "the reason", required=True, multiline=True)
    made = [r.ref for r in data.resolutions.values() if body_key(r.body) == meeting.key[0] and r.meeting == meeting.date]
    if made:
        raise BadInput(f"the meeting of {uk(meeting.date)} has resolutions ({', '.join(made)}): it met, "
                       "so it cannot be cancelled; move it with 'meeting update --date' if its date was wrong")
    following = data.next_meeting(meeting.body, meeting.date)
    moved = []
    for r in _due_at(tracker, meeting):
        if following is None:
            # No meeting after it yet: the resolution stays due on the day, so it shows as
            # overdue rather than dropping out of every report until someone notices.
            moved.append(f"{r.ref} stays due {uk(meeting.date)}: no later meeting is set; it falls due at the "
                         "next meeting once that is added (or reschedule it)")
            continue
        _move_due(tracker, r, following.date, f"the meeting of {uk(meeting.date)} was cancelled")
        moved.append(f"{r.ref} is now due {uk(following.date)} (the meeting after)")
    del data.meetings[meeting.key]
    tracker.record_journal(f"meeting {meeting.body} {meeting.date.isoformat()}", "meeting-cancel",
                           [Change("meeting", meeting.to_record(), None)], why)
    return moved


def after_a_cancelled(tracker: Tracker, meeting: Meeting) -> list[Resolution]:
    """Resolutions due "at the next meeting" left due on a cancelled meeting's day (there was
    none after it then: cancel_meeting) fall due at `meeting`, when it is the body's next
    meeting after that day, as they would have on the cancel had it been set (a new-user
    trial's stayed overdue after the next meeting was added)."""
    data = tracker.data
    held = {m.date for m in data.body_meetings(meeting.body)}
    followed = []
    for r in data.resolutions.values():
        if (r.due_next_meeting and r.due is not None and r.due < meeting.date and r.due not in held
                and not r.is_closed and body_key(r.body) == body_key(meeting.body) and _cancelled(data, meeting, r.due)
                and all(not r.due < day < meeting.date for day in held)):
            _move_due(tracker, r, meeting.date, f"the meeting of {uk(r.due)} was cancelled")
            followed.append(r)
    return followed


def _cancelled(data, meeting: Meeting, day: date) -> bool:
    """Whether `meeting`'s body had a meeting on `day` that was cancelled (not one never set)."""
    return any(h.event == "meeting-cancel" and h.target == f"meeting {meeting.body} {day.isoformat()}"
               for h in data.journal)


def takes_a_meeting(entry: HistoryEntry) -> bool:
    """A cancel, or the undo of an add: its one change takes the meeting's record away."""
    return entry.event in ("meeting-cancel", "undo") and bool(entry.changes) and entry.changes[0].field == "meeting" \
        and entry.changes[0].new is None and isinstance(entry.changes[0].old, dict)


def put_back_meeting(meetings: dict, entry: HistoryEntry) -> None:
    """Undo's and --as-of's inverse of a meeting-update or meeting-cancel entry (whose
    target, "meeting BODY 2022-12-14", names the meeting as it was before), and --as-of's of
    an undo that took a meeting's add back (its record put back, as a cancel's is)."""
    if takes_a_meeting(entry):
        restored = Meeting.from_record(entry.changes[0].old)
        meetings[restored.key] = restored
        return
    assert entry.target is not None
    body, was = entry.target.removeprefix("meeting ")[:-11], date.fromisoformat(entry.target[-10:])
    values = {c.field: c for c in entry.changes}
    now = date.fromisoformat(values["date"].new) if "date" in values else was
    found = meetings.pop((body_key(body), now), None)
    if found is None:
        return  # gone since (an --as-of view rewinding past later changes)
    found.date = was
    if "prefix" in values:
        found.prefix = values["prefix"].old
    meetings[found.key] = found
