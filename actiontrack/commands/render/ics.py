"""The calendar export: one all-day event per open deadline (actions, resolutions, milestones).

UIDs are built from the store's id and the ref, so importing the file again into
Outlook updates the events instead of duplicating them; SEQUENCE rises with every move
of a date (rules.revisions), so calendars take the newest.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from actiontrack.dates import uk
from actiontrack.domain import rules
from actiontrack.domain.models import Item
from actiontrack.domain.storedata import StoreData
from actiontrack.interchange.exporter import export_items


def to_ics(data: StoreData, as_of: date, plan: str | None = None, stamp: datetime | None = None) -> bytes:
    from icalendar import Calendar, Event  # loaded only for a calendar export

    store_id = data.meta.get("store_id") or "store"
    cal = Calendar()
    cal.add("prodid", "-//actiontrack//Action plan deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Action plan deadlines")
    stamp = stamp or datetime.now(UTC)
    for item in export_items(data, plan):
        if item.is_closed:
            continue
        if item.due:
            cal.add_component(_event(Event, f"{item.ref}@{store_id}.actiontrack", item.due,
                                     f"{item.ref} due: {item.title}", _description(data, item), stamp,
                                     rules.revisions(item)))
        for m in item.milestones:
            if m.done_on is None:
                cal.add_component(_event(Event, f"{item.ref}.m{m.number}@{store_id}.actiontrack", m.due,
                                         f"{item.ref} milestone {m.number}: {m.title}",
                                         f"Milestone of {item.ref} ({item.title}). Owner: {item.owner}.", stamp, 0))
    return cal.to_ical()


def _event(Event, uid: str, day: date, summary: str, description: str, stamp: datetime, sequence: int):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not time booked out
    event.add("sequence", sequence)  # each change of the date is a new version of the same event
    return event


def _description(data: StoreData, item: Item) -> str:
    where = (f"Committee: {item.body}, minute {item.minute}" if item.kind == "resolution"
             else f"Plan {item.plan}, theme {item.plan}.{item.theme}")
    baseline = uk(item.baseline_due) if item.baseline_due else "none"
    moves = rules.reschedules(item)
    moved = "never moved" if moves == 0 else "moved once" if moves == 1 else f"moved {moves} times"
    return (f"{where}. Owner: {item.owner}. Status: {item.status}. RAG: {item.rag or 'not set'}. "
            f"Baseline due: {baseline}; {moved}.")
