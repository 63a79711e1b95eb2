"""The clerk's action log for one meeting: the paper tabled at every meeting.

Four parts, as audit committees use them:
  A. live items due by this meeting;
  B. completed since the previous meeting (for the committee to sign off);
  C. extensions: items rescheduled since the previous meeting, each move with its reason;
  D. overdue with no extension.
Items are the committee's resolutions from earlier meetings and the actions of plans
that report to it.  "Overdue" is judged on the day the paper is prepared (the as-of
date), or on the meeting day for a meeting already past.  "Since the previous meeting"
includes that meeting's own day: what it agreed was not on its paper, prepared before.
"""

from __future__ import annotations

from datetime import date

from actiontrack.dates import parse_iso
from actiontrack.domain import rules
from actiontrack.domain.models import Item
from actiontrack.domain.refs import body_key
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.summaries import standing_entries
from actiontrack.reports.views import item_view, order

PARTS = ("due", "completed", "extensions", "overdue")
PART_TITLES = {
    "due": "A. Live items due by this meeting",
    "completed": "B. Completed since the previous meeting (for sign-off)",
    "extensions": "C. Extensions agreed since the previous meeting",
    "overdue": "D. Overdue with no extension",
}


def committee_items(data: StoreData, body: str, before: date) -> list[Item]:
    key = body_key(body)
    items: list[Item] = [r for r in data.resolutions.values() if body_key(r.body) == key and r.meeting < before]
    boards = {p.key for p in data.plans.values() if p.board and body_key(p.board) == key}
    items += [a for a in data.actions.values() if a.plan in boards]
    return items


def action_log(data: StoreData, body: str, meeting_date: date, as_of: date) -> dict:
    meeting = data.meeting(body, meeting_date)
    previous = data.previous_meeting(meeting.body, meeting.date)
    since = previous.date if previous else date.min
    judged = min(as_of, meeting.date)
    parts: dict[str, list[dict]] = {p: [] for p in PARTS}
    not_yet_due = 0
    for item in sorted(committee_items(data, meeting.body, meeting.date), key=lambda item: order(item, resolutions_first=True)):
        if item.status == "complete":
            if item.completed_on and since <= item.completed_on <= meeting.date:
                parts["completed"].append(item_view(data, item, judged))
            continue
        if item.is_closed:
            continue
        moves = [h for h in rules.reschedule_entries(item, meeting.date) if h.effective >= since]
        if moves:
            view = item_view(data, item, judged)
            # With its moves, the due date its resolution followed when a meeting moved: the
            # row's Due would otherwise stand unexplained beside its last extension.
            shown = [h for h in standing_entries(item)
                     if h.event in ("reschedule", "meeting-moved") and since <= h.effective <= meeting.date]
            view["moves"] = [{"on": h.effective, "from": parse_iso(due.old), "to": parse_iso(due.new),
                              "reason": h.note if h.event == "reschedule" else f"Meeting moved: {h.note}",
                              "event": h.event}
                             for h in shown if (due := h.changed("due"))]
            parts["extensions"].append(view)
        elif item.due is not None and item.due < judged:
            parts["overdue"].append(item_view(data, item, judged))
        elif item.due is not None and item.due <= meeting.date:
            parts["due"].append(item_view(data, item, judged))
        else:
            not_yet_due += 1
    parts["overdue"].sort(key=lambda v: -v["days_overdue"])
    return {
        "body": meeting.body,
        "meeting": meeting.date,
        "previous_meeting": previous.date if previous else None,
        "as_of": as_of,
        "judged_on": judged,
        "parts": parts,
        "not_yet_due": not_yet_due,
    }

