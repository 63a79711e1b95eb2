"""Changes to people and to the update returns' log, each with its journal entry.

Kept beside the Tracker rather than in it: they are the clerk's bookkeeping, not the
plans.  Both go through `record_journal`, so who, when and why are recorded as for
every other change, and undo puts them back (changes/journal.py).
"""

from __future__ import annotations

from typing import Any

from actiontrack.changes.tracker import Tracker
from actiontrack.dates import plain
from actiontrack.domain.checks import clean_text
from actiontrack.domain.models import Change
from actiontrack.domain.nearby import close_name
from actiontrack.domain.people import Person, ReturnLog, check_email, check_name, person_key, spoken_key
from actiontrack.errors import BadInput


def add_person(tracker: Tracker, name: str, email: str | None, *, new: bool = False) -> Person:
    """new: the person really is new, though their name is a letter or two from one known."""
    data = tracker.data
    name = check_name(" ".join(clean_text(name, "the name", required=True).split()))
    already = data.person(name)
    if already is not None:
        raise BadInput(f"'{already.name}' is already recorded: "
                       f"change the address with 'actiontrack person update \"{name}\" --email ...'")
    # An owner the items already name ("Head of Fostering & Adoption" typed for "... and
    # Adoption") is recorded as they are spelt there: a new-user trial's second spelling
    # was a second person, the address on one and the work on the other.
    names = data.known_names(name)
    key = spoken_key(name)
    name = next((n for n in names if spoken_key(n) == key), name)
    near = None if new else close_name(name, [n for n in names if spoken_key(n) != key], spoken_key)
    if near:
        held = "who is already recorded" if data.person(near) else "who is already an owner here"
        raise BadInput(f"did you mean '{near}', {held}? (add --new if '{name}' is someone else)")
    key = person_key(name)
    person = Person(name=name, email=check_email(email or ""))
    tracker.data.people[key] = person
    tracker.record_journal(f"person {name}", "person-add", [Change("person", None, person.to_record())])
    return person


def update_person(tracker: Tracker, name: str, email: str) -> Person:
    person = known_person(tracker, name)
    address = check_email(email)
    if address == person.email:
        raise BadInput(f"{person.name}'s address is already {address}")
    tracker.record_journal(f"person {person.name}", "person-update", [Change("email", person.email, address)])
    person.email = address
    return person


def known_person(tracker: Tracker, name: str) -> Person:
    person = tracker.data.person(name)
    if person is None:  # the nearest name, as meetings and refs say (found by a new-user trial)
        near = close_name(name, [p.name for p in tracker.data.people.values()], spoken_key)
        hint = f"; did you mean '{near}'?" if near else " (see 'actiontrack person list'; add one with 'person add')"
        raise BadInput(f"no person '{name}'{hint}")
    return person


def log_return(tracker: Tracker, owner: str, event: str, note: str | None = None, **values: Any) -> ReturnLog:
    """Record a step of `owner`'s return (made, sent, chased, applied) in its log."""
    key = person_key(owner)
    log = tracker.data.returns.get(key)
    if log is None:
        log = tracker.data.returns[key] = ReturnLog(owner=" ".join(owner.split()))
    changes = []
    for name, value in values.items():
        old = getattr(log, name)
        if old != value:
            changes.append(Change(name, plain(old), plain(value)))
            setattr(log, name, value)
    if changes:
        tracker.record_journal(f"return {log.owner}", f"return-{event}", changes, note)
    return log

