"""People the clerk chases, and the log of each owner's update return.

An item's owner is the role title typed on it ("Head of Resources and Placements"); a
Person gives that title an e-mail address.  Titles match whatever their case and
spacing, because the same role is typed a dozen ways across a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from actiontrack.dates import parse_iso, plain
from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

# Deliberately plain: one @, a dot in the domain, nothing a mail header would split on.
# Whether the mailbox exists is the mail server's question, not ours.
_EMAIL = Pattern(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[^@\s<>,;:\"()\[\].]+")


def person_key(name: str) -> str:
    """'Head of  resources and Placements' and 'head of Resources and Placements' are one role."""
    return " ".join(name.split()).casefold()


def spoken_key(name: str) -> str:
    """person_key with "&" read as "and", and a curly apostrophe as a straight one: council
    sheets write "Head of Resources & Placements" and "Head of Resources and Placements"
    for one role, and Word makes "Children's" "Children’s"; a second spelling started a
    second person with no address for their returns (new-user trials).  Used to find the
    store's spelling of a name typed; the people stay keyed by person_key."""
    return person_key(name.replace("&", " and ").translate(_APOSTROPHES))


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def check_name(name: str) -> str:
    """A name as given, unless it cannot be one: `--owner -x` (a value left out, or an
    option mistyped) was taken as the owner "-x", and started a person of that name.  No
    role title starts with "-"; a sheet's "-" for nobody is no owner either."""
    if name.startswith("-"):
        raise BadInput(f"'{name}' is not a name: a name does not start with '-' "
                       "(was the name left out after an option?)")
    return name


def check_email(address: str) -> str:
    address = address.strip()
    if not _EMAIL.fullmatch(address):
        raise BadInput(f"'{address}' is not an e-mail address (e.g. head.of.service@example.gov.uk)")
    return address


@dataclass
class Person:
    """An owner or officer by role title, and where their update returns go."""

    name: str
    email: str | None = None

    def to_record(self) -> dict:
        return {"name": self.name, "email": self.email}

    @classmethod
    def from_record(cls, r: dict) -> Person:
        return cls(name=r["name"], email=r.get("email"))


@dataclass
class ReturnLog:
    """Where one owner's update return stands: made, sent, chased, came back.

    Dates are the as-of dates of the commands that did each; `file` is the name the
    return was made under, `returned_file` the name it came back as.
    """

    owner: str
    made_on: date | None = None
    file: str | None = None
    reply_by: date | None = None
    sent_on: date | None = None
    sent_to: str | None = None
    chased_on: date | None = None
    returned_on: date | None = None
    returned_file: str | None = None

    def to_record(self) -> dict:
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_record(cls, r: dict) -> ReturnLog:
        values: dict[str, Any] = {f.name: parse_iso(r.get(f.name)) if f.name in RETURN_DATES else r.get(f.name)
                                  for f in fields(cls)}
        return cls(**values)

    @property
    def outstanding(self) -> bool:
        """Sent and not back since it was sent: the chase list."""
        return self.sent_on is not None and (self.returned_on is None or self.returned_on < self.sent_on)


RETURN_DATES = frozenset({"made_on", "reply_by", "sent_on", "chased_on", "returned_on"})

