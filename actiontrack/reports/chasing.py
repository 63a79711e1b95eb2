"""The clerk's chase list: who owns what, who has an address, whose return is back.

Owners come from the items themselves (the title typed on each), so an owner nobody
recorded an address for is listed rather than silently left out of the round.
"""

from __future__ import annotations

from datetime import date

from actiontrack.domain.people import person_key
from actiontrack.domain.storedata import StoreData
from actiontrack.interchange.returns import owners
from actiontrack.reports.views import item_view


def people_rows(data: StoreData, as_of: date) -> list[dict]:
    """Everyone recorded, and every owner of open work, with what they hold."""
    holding = owners(data)
    rows = []
    for key in sorted(set(data.people) | set(holding)):
        person = data.people.get(key)
        name, items = holding.get(key, (person.name if person else key, []))
        views = [item_view(data, item, as_of) for item in items]
        rows.append({"name": person.name if person else name, "email": person.email if person else None,
                     "recorded": person is not None, "open_items": len(items),
                     "overdue": sum(1 for v in views if v["days_overdue"] > 0),
                     "stale": sum(1 for v in views if v["stale"])})
    return rows


def status_rows(data: StoreData, as_of: date) -> list[dict]:
    """Per owner of open work (or of a return): their return's progress, and their items' state."""
    rows = []
    for person in people_rows(data, as_of):
        log = data.returns.get(person_key(person["name"]))
        if not person["open_items"] and log is None:
            continue
        if log is not None and log.returned_on and (log.sent_on is None or log.returned_on >= log.sent_on):
            state = "returned"
        elif log is None or log.sent_on is None:
            state = "not sent"
        else:  # sent, and not back since (log.outstanding): the two above leave nothing else
            state = "overdue" if log.reply_by and log.reply_by < as_of else "awaited"
        rows.append({
            "owner": person["name"], "email": person["email"], "state": state,
            "made_on": log.made_on if log else None, "sent_on": log.sent_on if log else None,
            "reply_by": log.reply_by if log else None, "chased_on": log.chased_on if log else None,
            "returned_on": log.returned_on if log else None,
            "open_items": person["open_items"], "overdue": person["overdue"], "stale": person["stale"],
        })
    return rows
