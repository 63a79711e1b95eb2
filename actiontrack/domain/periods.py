"""Reporting periods as councils write them: months, financial quarters, financial years.

A financial year runs from 1 April: 2022/23 is 1 Apr 2022 to 31 Mar 2023, and its Q1
is April to June 2022, Q4 January to March 2023.  An indicator is recorded monthly,
quarterly or annually, and a period of the wrong kind for it is bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

FREQUENCIES = {"monthly": "month", "quarterly": "quarter", "annual": "year"}
STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_ISO_MONTH = Pattern(r"^(\d{4})-(\d{1,2})$")
_UK_MONTH = Pattern(r"^(\d{1,2})/(\d{4})$")
# "Apr 2022", and "Apr-22" / "April-2022", as Excel shows a month column formatted mmm-yy
# (found by a new-user trial: such headings were ignored, and nothing was recorded).
_NAMED_MONTH = Pattern(r"^([a-z]{3,9})(?:\s+|\s*-\s*)(\d{4}|\d{2})$")
_QUARTER = Pattern(r"^q([1-4])\s+(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_YEAR = Pattern(r"^(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
HELP = "a month 2022-06, a financial quarter 'Q1 2022/23' or a financial year 2022/23"


@dataclass(frozen=True, order=True)
class Period:
    """A month, financial quarter or financial year, ordered by when it starts."""

    start: date
    kind: str  # month | quarter | year

    @property
    def end(self) -> date:
        return _add_months(self.start, STEP_MONTHS[self.kind]) - timedelta(days=1)

    @property
    def key(self) -> str:
        """How it is stored and typed: 2022-06, Q1 2022/23, 2022/23."""
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        year = self.start.year if self.start.month >= 4 else self.start.year - 1
        fy = f"{year}/{(year + 1) % 100:02d}"
        if self.kind == "year":
            return fy
        return f"Q{(self.start.month - 4) % 12 // 3 + 1} {fy}"

    @property
    def label(self) -> str:
        """As a person reads it: Jun 2022, Q1 2022/23, 2022/23."""
        return self.start.strftime("%b %Y") if self.kind == "month" else self.key

    def shifted(self, steps: int) -> Period:
        return Period(_add_months(self.start, steps * STEP_MONTHS[self.kind]), self.kind)

    @property
    def previous(self) -> Period:
        return self.shifted(-1)

    @property
    def year_ago(self) -> Period:
        return Period(_add_months(self.start, -12), self.kind)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def parse_period(text: str, kind: str | None = None) -> Period:
    """`text` as a period; `kind` (month, quarter, year): the one the indicator needs."""
    t = " ".join(str(text).strip().lower().split())
    found: Period | None = None
    iso = _ISO_MONTH.match(t)
    if iso and (int(iso.group(2)) <= 12 or int(iso.group(2)) != (int(iso.group(1)) + 1) % 100):
        found = _month(int(iso.group(1)), int(iso.group(2)), text)  # 2022-06 is June; 2022-23 a financial year
    elif m := _UK_MONTH.match(t):
        found = _month(int(m.group(2)), int(m.group(1)), text)
    elif m := _NAMED_MONTH.match(t):
        name = m.group(1)[:3]
        if name not in _MONTHS:
            raise BadInput(f"'{text}' is not a period ({HELP})")
        year = int(m.group(2))
        if len(m.group(2)) == 2:  # Excel's mmm-yy: 90-99 the 1990s, the rest this century
            year += 1900 if year >= 90 else 2000
        found = _month(year, _MONTHS.index(name) + 1, text)
    elif m := _QUARTER.match(t):
        year = _financial_year(int(m.group(2)), m.group(3), text)
        found = Period(_add_months(date(year, 4, 1), 3 * (int(m.group(1)) - 1)), "quarter")
    elif m := _YEAR.match(t):
        found = Period(date(_financial_year(int(m.group(1)), m.group(2), text), 4, 1), "year")
    if found is None:
        raise BadInput(f"'{text}' is not a period ({HELP})")
    if not 1990 <= found.start.year <= 2100:
        raise BadInput(f"'{text}' is in the year {found.start.year}; actiontrack keeps periods from 1990 to 2100")
    if kind is not None and found.kind != kind:
        wanted = {"month": "a month, e.g. 2022-06", "quarter": "a financial quarter, e.g. Q1 2022/23",
                  "year": "a financial year, e.g. 2022/23"}[kind]
        raise BadInput(f"'{text}' is a {found.kind}; this indicator is recorded by {kind}: give {wanted}")
    return found


def _month(year: int, month: int, text: str) -> Period:
    if not 1 <= month <= 12:
        raise BadInput(f"'{text}' has no month {month} ({HELP})")
    return Period(date(year, month, 1), "month")


def _financial_year(first: int, second: str, text: str) -> int:
    end = int(second)
    if (end if len(second) == 4 else first // 100 * 100 + end + (100 if end < first % 100 else 0)) != first + 1:
        raise BadInput(f"'{text}' is not a financial year: it runs from one year into the next, e.g. 2022/23")
    return first
