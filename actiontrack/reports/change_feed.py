"""`changes`: every change across the store in time order: when, who, what, why.

The weekly "what moved this week" in one listing.  Items' histories and the journal
(plans, themes, meetings, people, settings, returns) are read together and put in the
order of the day each counts from, then as recorded; a window is chosen by that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actiontrack.dates import british_days
from actiontrack.domain.models import HistoryEntry, Item
from actiontrack.domain.storedata import StoreData
from actiontrack.reports.views import value_text


@dataclass(frozen=True)
class FeedFilter:
    """Which changes: a window of days, a plan, an owner (part of the name), a user."""

    since: date
    until: date
    plan: str | None = None
    owner: str | None = None
    user: str | None = None


def changes(data: StoreData, flt: FeedFilter, for_people: bool = True) -> list[dict]:
    """`for_people` false (JSON, CSV): the days inside the subject and what changed stay ISO."""
    plan = data.plan(flt.plan).key if flt.plan else None
    found: list[tuple[HistoryEntry, str, Item | None]] = []
    for item in data.items():
        if plan and getattr(item, "plan", None) != plan:
            continue
        if flt.owner and flt.owner.casefold() not in item.owner.casefold():
            continue
        found += [(h, item.ref, item) for h in item.history if flt.since <= h.effective <= flt.until]
    if not flt.owner:
        for h in data.journal:
            target = h.target or "the store"
            if plan and not (target == f"plan {plan}" or target.startswith(f"theme {plan}.")):
                continue
            if flt.since <= h.effective <= flt.until:
                found.append((h, target, None))
    rows = []
    for h, subject, _item in found:
        who = h.on_behalf_of or h.user
        if flt.user and flt.user.casefold() not in who.casefold() and flt.user.casefold() not in h.user.casefold():
            continue
        rows.append({
            "effective": h.effective, "recorded_at": h.recorded_at, "user": h.user,
            "on_behalf_of": h.on_behalf_of, "via": h.via, "subject": british_days(subject) if for_people else subject,
            "event": h.event,
            "what": "; ".join(f"{c.field}: {value_text(c.old, for_people)} -> {value_text(c.new, for_people)}"
                              for c in h.changes),
            "note": h.note, "txn": h.txn,
        })
    # By the day each counts from (what a Board reads as "when"), then as recorded.
    rows.sort(key=lambda r: (r["effective"], r["recorded_at"], r["txn"] or 0))
    return rows
