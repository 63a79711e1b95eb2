"""Indicator values from a performance team's sheet: all of it, or none.

Two shapes are read.  Long: a row per value, with Code, Period and Value columns (and
England, Neighbours and Note if there).  Wide: a row per indicator, its code in a Code
column and a column per period ("Jun 2022", "2022-06", or a date Excel keeps as a date).
Title rows above the header are skipped.  Every problem is collected with its sheet,
row, column and value; one bad cell and nothing is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from actiontrack.dates import uk
from actiontrack.domain.indicators import parse_value
from actiontrack.domain.periods import Period, parse_period
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput
from actiontrack.interchange.sheet_layout import is_totals, squash
from actiontrack.interchange.sheet_rows import quote
from actiontrack.interchange.sheets import Sheet
from actiontrack.patterns import Pattern

HEADER_SEARCH = 10  # rows under which a header is looked for
# What performance teams type for a figure not yet published or not applicable: the
# period is not reported, as a blank cell is (a new-user trial had "n/a" refused).  With
# the symbols DfE and ONS tables use and councils copy from them: "x" / "[x]" not
# available, "z" / "[z]" not applicable, "c" / "[c]" suppressed (a trial's sheet had "x").
NOT_REPORTED = frozenset({"na", "nk", "tbc", "notavailable", "notknown", "notyetavailable", "notreported",
                          "c", "x", "z", "w", "u", "suppressed"})
# Published figures too small to give (a council's own or England's): "<5", "*", "low";
# and the older tables' ":" and ".." for not available.  As written, not squashed: "<5"
# is no 5, and ":" squashes to nothing.
SUPPRESSED = frozenset({"<5", "< 5", "*", "low", ":", ".."})
CODE_HEADERS = {"code", "indicator", "indicatorcode", "ref", "pi", "measure"}
LONG = {"period": "period", "month": "period", "quarter": "period", "year": "period", "value": "value",
        "actual": "value", "result": "value", "england": "england", "englandaverage": "england",
        "neighbours": "neighbours", "statisticalneighbours": "neighbours", "neighboursaverage": "neighbours",
        "snaverage": "neighbours", "note": "note", "notes": "note", "comment": "note", "source": "note"}


@dataclass
class Reading:
    """One value to record: which indicator and period, and where in the sheet it was."""

    code: str
    period: Period
    value: float
    england: float | None = None
    neighbours: float | None = None
    note: str | None = None
    where: str = ""  # sheet, row and column, for a problem found once all are read


@dataclass
class Readings:
    """A sheet read: the values, what was left aside, and every problem."""

    values: list[Reading] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def read_values(sheets: list[Sheet], data: StoreData, as_of: date) -> Readings:
    """`as_of`: a period that begins after it is a problem of its row, said with the rest
    (a new-user trial was told only of the first, after the others, with no row)."""
    out = Readings()
    for sheet in sheets:
        header_at = next((i for i, row in enumerate(sheet.rows[:HEADER_SEARCH])
                          if any(squash(c) in CODE_HEADERS for c in row if c is not None)), None)
        if header_at is None:
            out.ignored.append(f"sheet '{sheet.name}': no Code column")
            continue
        header = sheet.rows[header_at]
        names = {i: LONG.get(squash(c)) for i, c in enumerate(header) if c is not None}
        code_col = next(i for i, c in enumerate(header) if c is not None and squash(c) in CODE_HEADERS)
        if "period" in names.values() and "value" in names.values():
            _long(sheet, header_at, header, names, code_col, data, out)
        else:
            _wide(sheet, header_at, header, code_col, data, out)
    for reading in out.values:
        if reading.period.start > as_of:
            out.problems.append(f"{reading.where}: {reading.period.label} has not begun by {uk(as_of)}: no value "
                                "can be recorded for it yet (check the period, or --as-of)")
    seen: dict[tuple[str, str], int] = {}
    for reading in out.values:
        seen[(reading.code, reading.period.key)] = seen.get((reading.code, reading.period.key), 0) + 1
    for (code, key), count in seen.items():
        if count > 1:
            out.problems.append(f"{code} {key} is given {count} times: give each period once")
    return out


def _indicator(data: StoreData, code: Any, where: str, column: Any, out: Readings):
    try:
        return data.indicator(str(code))
    except BadInput as e:
        out.problems.append(f"{where}, column '{column}', value {quote(code)}: {e.message}")
        return None


def _unreported(value: Any) -> bool:
    """Blank, or a word saying the figure is not out ("n/a", "TBC", "-")."""
    if value is None:
        return True
    # In brackets or not, as GSS tables write their symbols: "[x]", "[low]", "[:]" (a second
    # trial's "[:]" and "[low]" were refused where ":" and "low" were not).
    return isinstance(value, str) and ("".join(c for c in value.lower() if c.isalnum()) in NOT_REPORTED
                                       or not value.strip(" -–—")
                                       or value.strip().removeprefix("[").removesuffix("]").strip().lower() in SUPPRESSED)


# A figure marked as GSS tables mark one: provisional, revised, estimated, low reliability,
# a break in the series, a forecast ("531 [p]"): the figure is the number before it.
_MARKED = Pattern(r"\s*(.*?\S)\s*\[(?:p|r|e|u|b|f)\]\s*", re.I)


def _number(value: Any, where: str, column: str, out: Readings, required: bool = True) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            out.problems.append(f"{where}, column '{column}': the value is missing")
        return None
    if isinstance(value, str) and (marked := _MARKED.fullmatch(value)):
        value = marked.group(1)
    try:
        return parse_value(value, "the value" if column.casefold() == "value" else f"the {column} figure")
    except BadInput as e:
        out.problems.append(f"{where}, column '{column}', value {quote(value)}: {e.message}")
        return None


def _comparator(value: Any, where: str, column: str, out: Readings) -> float | None:
    """An England or statistical neighbours' figure: optional, and "n/a" until it is
    published (it was refused as not a number, and the whole sheet with it)."""
    if isinstance(value, str) and value.strip() and _unreported(value):
        out.ignored.append(f"{where}, column '{column}': {quote(value)} (not reported)")
        return None
    return _number(value, where, column, out, required=False)


def _percent(indicator: Any, figure: float | None, where: str, column: str, out: Readings) -> float | None:
    """A percentage's figure from 0 to 100, else its cell's problem, said with the rest (the
    record refused it alone, with no row, once the sheet's other problems were fixed: a trial)."""
    if figure is not None and indicator is not None and indicator.unit == "percent" and not 0 <= figure <= 100:
        out.problems.append(f"{where}, column '{column}', value {figure:g}: not a percentage (0 to 100)")
        return None
    return figure


def _long(sheet: Sheet, header_at: int, header: list, names: dict, code_col: int, data: StoreData,
          out: Readings) -> None:
    cols = {name: i for i, name in names.items() if name}
    for number, row in enumerate(sheet.rows[header_at + 1:], start=header_at + 2):
        cells = list(row) + [None] * (len(header) - len(row))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        where = f"sheet '{sheet.name}', row {number}"
        if is_totals(cells[code_col]):  # at the foot of the sheet: not an indicator
            out.ignored.append(f"{where}: a totals row")
            continue
        said = cells[cols["value"]]
        if isinstance(said, str) and said.strip() and _unreported(said):  # a blank one is missing, below
            out.ignored.append(f"{where}: {quote(said)} (not reported)")
            continue
        indicator = _indicator(data, cells[code_col], where, header[code_col], out)
        raw_period = cells[cols["period"]]
        period = None
        if indicator is not None:
            try:
                period = _period(raw_period, indicator.kind)
            except BadInput as e:
                out.problems.append(f"{where}, column '{header[cols['period']]}', value {quote(raw_period)}: {e.message}")
        value = _percent(indicator, _number(cells[cols["value"]], where, str(header[cols["value"]]), out),
                         where, str(header[cols["value"]]), out)
        extra = {name: _percent(indicator, _comparator(cells[cols[name]], where, str(header[cols[name]]), out),
                                where, str(header[cols[name]]), out)
                 for name in ("england", "neighbours") if name in cols}
        note = cells[cols["note"]] if "note" in cols else None
        if indicator is not None and period is not None and value is not None:
            out.values.append(Reading(indicator.code, period, value, note=str(note).strip() or None if note else None,
                                      where=f"{where}, column '{header[cols['period']]}'", **extra))


def _wide(sheet: Sheet, header_at: int, header: list, code_col: int, data: StoreData, out: Readings) -> None:
    periods: dict[int, Period] = {}
    for i, cell in enumerate(header):
        if i == code_col or cell is None:
            continue
        try:
            periods[i] = _period(cell, None)
        except BadInput:
            out.ignored.append(f"sheet '{sheet.name}': column {quote(_shown(cell))}")
    if not periods:  # found by a new-user trial: "Recorded 0 value(s)", exit 0, the sheet's figures dropped
        out.problems.append(f"sheet '{sheet.name}': no column heading is a period (a month, quarter or year, "
                            "e.g. 2022-04, Apr 2022, Apr-22, Q1 2022/23, 2022/23)")
        return
    for number, row in enumerate(sheet.rows[header_at + 1:], start=header_at + 2):
        cells = list(row) + [None] * (len(header) - len(row))
        if cells[code_col] in (None, ""):
            continue
        where = f"sheet '{sheet.name}', row {number}"
        if is_totals(cells[code_col]):  # at the foot of the sheet: not an indicator
            out.ignored.append(f"{where}: a totals row")
            continue
        indicator = _indicator(data, cells[code_col], where, header[code_col], out)
        if indicator is None:
            continue
        unreported = []
        for i, period in periods.items():
            if _unreported(cells[i]):
                if cells[i] is not None and str(cells[i]).strip():  # "n/a", "TBC": said; a blank month is not out yet
                    unreported.append(f"{quote(cells[i])} in {quote(_shown(header[i]))}")
                continue
            if period.kind != indicator.kind:
                out.problems.append(f"{where}, column {quote(_shown(header[i]))}: {indicator.code} is recorded by "
                                    f"{indicator.kind}, not by {period.kind}")
                continue
            value = _percent(indicator, _number(cells[i], where, _shown(header[i]), out), where, _shown(header[i]), out)
            if value is not None:
                out.values.append(Reading(indicator.code, period, value, where=f"{where}, column {quote(_shown(header[i]))}"))
        if unreported:  # a wide sheet passed over its "n/a" cells unsaid (a new-user trial)
            out.ignored.append(f"{where}: {', '.join(unreported)} (not reported)")


def _shown(heading: Any) -> str:
    """A column heading as the clerk sees it: a month Excel keeps as a date shown as May 2022,
    not as 2022-05-01 00:00:00."""
    return heading.strftime("%b %Y") if isinstance(heading, (datetime, date)) else str(heading)


def _period(cell: Any, kind: str | None) -> Period:
    if isinstance(cell, (datetime, date)):  # a month heading Excel keeps as a date
        day = cell.date() if isinstance(cell, datetime) else cell
        return parse_period(f"{day.year}-{day.month:02d}", kind)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return parse_period(str(cell), kind)
