"""The names people type for plans, themes and items: SUFF, SUFF.1, SUFF-1.3, R-12.

Each parser returns the canonical form (upper case, no leading zeros) or refuses with
the form it expected, so a ref typed any way finds the same item.
"""

from __future__ import annotations

from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

_PLAN_KEY = Pattern(r"^[A-Z][A-Z0-9]{0,15}$")
_THEME_KEY = Pattern(r"^([A-Za-z][A-Za-z0-9]{0,15})\.(\d{1,3})$")
_REF = Pattern(r"^([A-Za-z][A-Za-z0-9]{0,15})-(\d{1,3})\.(\d{1,5})$")
_RESOLUTION_REF = Pattern(r"^[Rr]-(\d{1,6})$")
# Word and Outlook turn "SUFF-1.3" into "SUFF–1.3" as it is typed (an en dash), and a ref
# pasted from committee papers brings that dash with it: every dash reads as a hyphen.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d", "-"))


def plan_key(text: str) -> str:
    key = text.strip().upper()
    if not _PLAN_KEY.match(key):
        raise BadInput(f"'{text}' is not a plan key (up to 16 letters and digits, starting with a letter, e.g. SUFF)")
    return key


def theme_key(text: str) -> tuple[str, int]:
    m = _THEME_KEY.match(text.strip())
    if not m or int(m.group(2)) < 1:
        raise BadInput(f"'{text}' is not a theme (write PLAN.NUMBER, e.g. SUFF.1)")
    return m.group(1).upper(), int(m.group(2))


def action_ref(text: str) -> str:
    m = _REF.match(text.strip().translate(_DASHES))
    if not m:
        if resolution_ref(text):  # the right ref given to the wrong noun
            raise BadInput(f"'{text.strip()}' is a resolution's reference, not an action's: "
                           "use 'actiontrack resolution ...' for it")
        raise BadInput(f"'{text}' is not an action reference (e.g. SUFF-1.3)")
    return f"{m.group(1).upper()}-{int(m.group(2))}.{int(m.group(3))}"


def resolution_ref(text: str) -> str | None:
    m = _RESOLUTION_REF.match(text.strip().translate(_DASHES))
    return f"R-{int(m.group(1))}" if m else None


def body_key(body: str) -> str:
    """Committee names match whatever the case and spacing: 'corporate  parenting panel'."""
    return " ".join(body.split()).casefold()
