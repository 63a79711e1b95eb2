"""The one UK date parser used everywhere: day-first, month-end, financial years.

Councils write deadlines as "30/11/2022", "November 2022" (meaning the last day of
that month), "Q3 2022/23" (a financial quarter) or "2022/23" (a financial year,
ending 31 March), often with a deadline's words before them ("By 31/03/2023", "End of
March 2023"), which say the same day.  US-style month-first dates are never guessed at.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

# Financial quarter -> (month offset from April, month the quarter ends in).
_QUARTER_END_MONTH = {1: 6, 2: 9, 3: 12, 4: 3}

_ISO = Pattern(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = Pattern(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
# Hyphens too: Excel's own text for a date cell formatted d-mmm-yy or mmm-yy ("30-Nov-22",
# "Nov-22"), pasted into a CSV.  A month and a two-digit number with a space ("Nov 22") stays
# refused: it may be a day.
_DAY_MONTH_YEAR = Pattern(r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)([a-z]+)\.?,?(?:\s+|-)(\d{2}|\d{4})$")
_MONTH_YEAR = Pattern(r"^([a-z]+)\.?,?(?:\s+(\d{4})|-(\d{2}|\d{4}))$")
_FIN_YEAR = Pattern(r"^(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_QUARTER = Pattern(r"^q([1-4])\s+(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_RELATIVE = Pattern(r"^([+-])\s*(\d{1,4})\s*([dwmy])$")
_MONTH_NUMBER = Pattern(r"^([a-z]+)\s+(\d{2})$")  # "Dec 22": refused, as a day or a year it may be
_SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter"})
# "by", "the end of", "by end": a deadline is its last day already (a month, a quarter).
_DEADLINE_WORDS = Pattern(r"^(?:by\s+)?(?:the\s+)?(?:end\s+(?:of\s+)?)?")

# Action plans and minutes are of this century's councils.  A year outside this range is
# a typing slip ("31/12/9999", "01/01/0001"), and near date.max or date.min the reports'
# arithmetic (a calendar's end date, tomorrow) overflows: refuse it when it is read.
FIRST_YEAR, LAST_YEAR = 1990, 2100

# What councils write where a plan has no date yet ("Ongoing", "TBC"): the action is kept
# with no due date, which is never overdue, and the reader is told.  Compared without
# case or punctuation, so "T.B.C." and "n/a" count.
NO_DATE_WORDS = frozenset({"ongoing", "tbc", "tba", "tbd", "tobeconfirmed", "tobeagreed", "tobedecided", "na", "none",
                           "various", "continuous", "rolling"})


def says_no_date(text: str) -> bool:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum()) in NO_DATE_WORDS


def names_a_period(text: str) -> bool:
    """Whether `text` names a month, quarter or financial year (its last day, as a deadline),
    not a day: a meeting is held on a day ("March 2023" was a meeting on 31 Mar 2023)."""
    text = " ".join(text.strip().lower().split())
    if (words := _DEADLINE_WORDS.match(text)) and 0 < words.end() < len(text):
        text = text[words.end():]
    month = _MONTH_YEAR.match(text)
    return bool(month and month.group(1) in MONTHS or _QUARTER.match(text) or _FIN_YEAR.match(text))


FORMATS_HELP = (
    "dates are day-first: 30/11/2022, 30 Nov 2022, 2022-11-30, November 2022, "
    "Q3 2022/23, 2022/23, today, +2w, +10d, +3m"
)


def month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _year(text: str) -> int:
    # Two-digit years are this century: minutes from the 1990s are not tracked here.
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadInput(f"'{original}' is not a real date ({FORMATS_HELP})") from None


def _month_end(year: int, month: int, original: str) -> date:
    _make(year, month, 1, original)
    return month_end(year, month)


def _financial_year_start(first: str, second: str, original: str) -> int:
    start = int(first)
    if len(second) == 2:
        end = (start // 100) * 100 + int(second)
        if end < start:  # 1999/00
            end += 100
    else:
        end = int(second)
    if end != start + 1:
        raise BadInput(f"'{original}' is not a financial year (write it as 2022/23)")
    return start


def parse_date(text: str, as_of: date) -> date:
    """Parse a UK date; `as_of` anchors `today` and relative forms like `+2w`."""
    if not isinstance(text, str):
        raise BadInput(f"'{text}' is not a date ({FORMATS_HELP})")
    original = text
    text = " ".join(text.strip().lower().split())
    if not text:
        raise BadInput(f"an empty date is not a date ({FORMATS_HELP})")
    if (words := _DEADLINE_WORDS.match(text)) and 0 < words.end() < len(text):
        text = text[words.end():]
    try:
        if text == "today":
            day = as_of
        elif text == "tomorrow":
            day = as_of + timedelta(days=1)
        elif text == "yesterday":
            day = as_of - timedelta(days=1)
        else:
            day = _parse(text, original, as_of)
    except (OverflowError, ValueError):
        raise BadInput(f"'{original}' is out of range ({FORMATS_HELP})") from None
    return in_range(day, original)


def in_range(day: date, original: str) -> date:
    """`day` if its year is one actiontrack keeps; a date a spreadsheet cell holds as a date
    (never parsed from text) is checked here too."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadInput(f"'{original}' is in the year {day.year}; actiontrack keeps dates from "
                       f"{FIRST_YEAR} to {LAST_YEAR}")
    return day


def _parse(text: str, original: str, as_of: date) -> date:
    if m := _RELATIVE.match(text):
        sign = 1 if m.group(1) == "+" else -1
        amount, unit = int(m.group(2)) * sign, m.group(3)
        if unit == "d":
            return as_of + timedelta(days=amount)
        if unit == "w":
            return as_of + timedelta(weeks=amount)
        # relativedelta clamps to the month's end: 31 Jan +1m is 28 Feb, not 3 Mar.
        from dateutil.relativedelta import relativedelta

        return as_of + relativedelta(months=amount * (12 if unit == "y" else 1))
    if m := _ISO.match(text):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    if m := _NUMERIC.match(text):
        return _make(_year(m.group(3)), int(m.group(2)), int(m.group(1)), original)
    if m := _DAY_MONTH_YEAR.match(text):
        month = MONTHS.get(m.group(2))
        if month is None:
            raise BadInput(f"'{original}' has no month name I know ({FORMATS_HELP})")
        return _make(_year(m.group(3)), month, int(m.group(1)), original)
    if m := _MONTH_YEAR.match(text):
        month = MONTHS.get(m.group(1))
        if month is None and m.group(1) in _SEASONS:
            raise BadInput(f"'{original}' is a season, not a date: give the month the work is due by (e.g. May 2023)")
        if month is None:
            raise BadInput(f"'{original}' has no month name I know ({FORMATS_HELP})")
        return _month_end(_year(m.group(2) or m.group(3)), month, original)
    if m := _QUARTER.match(text):
        start = _financial_year_start(m.group(2), m.group(3), original)
        quarter = int(m.group(1))
        year = start + 1 if quarter == 4 else start
        return _month_end(year, _QUARTER_END_MONTH[quarter], original)
    if m := _FIN_YEAR.match(text):
        start = _financial_year_start(m.group(1), m.group(2), original)
        return _make(start + 1, 3, 31, original)
    if (m := _MONTH_NUMBER.match(text)) and m.group(1) in MONTHS:
        name, number = date(2000, MONTHS[m.group(1)], 1).strftime("%b"), int(m.group(2))
        if number <= 31:
            raise BadInput(f"'{original}' could be {number} {name} or {name} {2000 + number}: "
                           f"write {number} {name} {as_of.year}, or {name}-{m.group(2)}")
        raise BadInput(f"'{original}' is not a date I can read: for the month, write {name}-{m.group(2)} "
                       f"or {name} {2000 + number}")
    if text.startswith(("w/c", "wc ", "week commencing")):
        raise BadInput(f"'{original}' is a week, not a day: give the day the work is due by")
    raise BadInput(f"'{original}' is not a date I can read ({FORMATS_HELP})")


def parse_iso(text: str | None) -> date | None:
    """Dates as the store keeps them (ISO); None stays None."""
    return date.fromisoformat(text) if text else None


def is_iso_day(value: Any) -> bool:
    """Whether `value` is a day as the store keeps it: ISO text that is a real day (a
    summary's, a record's or a history's day typed in by hand may be neither)."""
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plain(value: Any) -> Any:
    """A value as the store and its history keep it: a date as ISO text, anything else as it is."""
    return value.isoformat() if isinstance(value, date) else value


def uk(value: date | None) -> str:
    """How a date is shown to people: 30 Nov 2022."""
    return value.strftime("%d %b %Y") if value else ""


_DAY_IN_TEXT = Pattern(r"\b\d{4}-\d{2}-\d{2}\b")


def british_days(text: str) -> str:
    """Each ISO day inside a text as people read it: a journal's target is kept as
    "meeting Corporate Parenting Board 2022-12-14", and shown as ... 14 Dec 2022."""
    return _DAY_IN_TEXT.sub(lambda m: shown_value(m[0]), text)


def shown_value(value: object) -> str:
    """A stored value as people read it: a day as 31 Oct 2022, nothing as "none"."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return uk(parse_iso(value))
        except ValueError:
            pass
    return "none" if value is None else str(value)


def now_iso() -> str:
    """The wall-clock moment, with its offset, for "recorded at" stamps (never as-of dates)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


_SPAN = Pattern(r"^\d{1,4}[dwmy]$")
_WORDED_SPAN = Pattern(r"^(\d{1,4})\s*(days?|weeks?|months?|years?)$")


def span_from(text: str, as_of: date, *, back: bool) -> date:
    """'4w', '10d', '3m' as a day that many before (back) or after the as-of date; any
    other text as a date (`--since 7d`, `--due-within 4w`, or `--since 01/11/2022`)."""
    cleaned = text.strip().lower()
    if back and cleaned.endswith(" ago"):  # --since "2 weeks ago"
        cleaned = cleaned[:-4].strip()
    worded = _WORDED_SPAN.match(cleaned)  # "4 weeks", "10 days", "3 months", "1 year"
    if worded:
        cleaned = worded.group(1) + worded.group(2)[0]
    if _SPAN.match(cleaned):
        return parse_date(("-" if back else "+") + cleaned, as_of)
    if cleaned.isdigit():
        raise BadInput(f"'{text}' needs a unit: d, w, m or y (e.g. 4w), or give a date")
    if cleaned[:1].isdigit() and cleaned.rstrip("abcdefghijklmnopqrstuvwxyz").isdigit():  # "8x": a period mistyped
        raise BadInput(f"'{text}' is not a period: a number of days, weeks, months or years (10d, 4w, 3m, 1y), "
                       "or give a date")
    return parse_date(text, as_of)
