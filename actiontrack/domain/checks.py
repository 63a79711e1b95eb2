"""What typed text and choices must be before anything is changed: trimmed, no control
characters, within length; a status or RAG from the vocabulary; a minute number; a setting's value."""

from __future__ import annotations

from typing import Literal, overload

from actiontrack.domain.people import check_email
from actiontrack.domain.vocabulary import RAGS, STATUSES
from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

MAX_TEXT = 2000
MINUTE = Pattern(r"^[A-Za-z0-9]{1,12}([/.\-][A-Za-z0-9]{1,12}){0,4}$")


@overload
def clean_text(value: str | None, what: str, *, required: Literal[True], multiline: bool = False) -> str: ...
@overload
def clean_text(value: str | None, what: str, *, required: bool = False, multiline: bool = False) -> str | None: ...
def clean_text(value: str | None, what: str, *, required: bool = False, multiline: bool = False) -> str | None:
    """Trim user text; refuse empty required text and control characters."""
    if value is None:
        if required:
            raise BadInput(f"{what} is required")
        return None
    if not isinstance(value, str):
        raise BadInput(f"{what} must be text")
    value = _trimmed(value)
    if not value.strip(_DASHES):  # "-" is how a listing says none: a reason of "-" read as no reason (a trial)
        value = ""
    if not value:
        if required:
            raise BadInput(f"{what} cannot be empty")
        return None
    allowed = "\n\t" if multiline else ""
    bad = [c for c in value if (ord(c) < 32 and c not in allowed) or 127 <= ord(c) <= 159 or 0xD800 <= ord(c) <= 0xDFFF
           or c in _REORDERING]
    if bad:
        raise BadInput(f"{what} contains a control character ({bad[0]!r}); type plain text")
    if len(value) > MAX_TEXT:
        raise BadInput(f"{what} is longer than {MAX_TEXT} characters")
    return value


_DASHES = " -\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, dashes and the minus sign, with spaces


# Characters that reorder how the text around them is shown (right-to-left overrides and
# isolates): an owner typed as "Head\u202eevil" reads as someone else's name.  The marks
# right-to-left writing needs (U+200E, U+200F) are not among them.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _trimmed(value: str) -> str:
    """`value` without the spaces, and the invisible format characters (a zero-width space,
    a byte-order mark), at its ends: found by a new-user trial, an owner of one zero-width
    space was taken, and showed as nobody in every listing."""
    value = value.strip()
    if value and not (value[0].isascii() and value[-1].isascii()):
        import unicodedata

        def invisible(c: str) -> bool:
            return c.isspace() or unicodedata.category(c) == "Cf"

        start, end = 0, len(value)
        while start < end and invisible(value[start]):
            start += 1
        while end > start and invisible(value[end - 1]):
            end -= 1
        value = value[start:end]
    return value


def check_status(status: str) -> str:
    s = status.strip().lower()
    if s not in STATUSES:
        raise BadInput(f"'{status}' is not a status (one of: {', '.join(STATUSES)})")
    return s


def check_rag(rag: str) -> str | None:
    r = rag.strip().lower()
    if r == "none":
        return None
    if r not in RAGS:
        raise BadInput(f"'{rag}' is not a RAG (one of: red, amber, green, none)")
    return r


_LIMITS = {"tolerance_days": (0, 366), "cycle_days": (1, 366), "backups": (0, 100), "smtp_port": (1, 65535)}
_TEXT_SETTINGS = ("smtp_host", "smtp_from")


def setting_value(name: str, value: int | str) -> int | str:
    """The setting's value checked: a number in its range, a host name, or an address."""
    if name in _TEXT_SETTINGS:
        text = str(value).strip()
        if name == "smtp_from":  # "Democratic Services <ds@example.gov.uk>" or the address alone
            from email.utils import formataddr, parseaddr

            shown, address = parseaddr(text)
            if not address or ("<" in text) != ("<" in text and ">" in text):
                raise BadInput(f"'{text}' is not an e-mail address (e.g. democratic.services@example.gov.uk)")
            address = check_email(address)
            return formataddr((shown, address)) if shown else address
        if not text or any(c.isspace() or c in "/@:" for c in text):
            raise BadInput(f"'{text}' is not a mail server's host name (e.g. smtp.example.gov.uk)")
        return text
    if name not in _LIMITS:
        raise BadInput(f"'{name}' is not a setting (one of: {', '.join([*_LIMITS, *_TEXT_SETTINGS])})")
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"{name.replace('_', '-')} must be a whole number, not '{value}'") from None
    low, high = _LIMITS[name]
    if not low <= number <= high:
        raise BadInput(f"{name.replace('_', '-')} must be between {low} and {high}")
    return number
