"""Council sheet rows read and checked: what each cell of an action row means.

`sheet_layout` finds the header and says what each row is; here each action row's cells
become a Row (title, owner, dates, status, RAG, commentary), and every problem is
collected with its sheet, row, column and value, so one bad row stops the import with
every bad row listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from actiontrack.dates import in_range, parse_date, says_no_date, uk
from actiontrack.domain.checks import clean_text
from actiontrack.domain.refs import action_ref
from actiontrack.errors import BadInput
from actiontrack.interchange.sheet_layout import (
    HEADER_LOOKUP,
    THEME_NUMBERED,
    CarryDown,
    Line,
    classify,
    find_header,
    plan_title,
    row_ranges,
    squash,
)
from actiontrack.interchange.sheets import Sheet

# A five-point scheme's in-between ratings ("Amber/Green", "A/G", "R/A") as the three the
# tool keeps: the word first named, but never greener than amber for one naming amber.
RAG_WORDS = {"red": "red", "r": "red", "amber": "amber", "a": "amber", "amberred": "amber", "redamber": "red",
             "green": "green", "g": "green", "ontrack": "green", "ambergreen": "amber", "greenamber": "amber",
             "ra": "red", "ar": "amber", "ag": "amber", "ga": "amber"}
STATUS_WORDS = {
    "complete": "complete", "completed": "complete", "done": "complete", "achieved": "complete",
    "blue": "complete", "closed": "complete",
    "notstarted": "not-started", "notyetstarted": "not-started", "planned": "not-started",
    "inprogress": "in-progress", "started": "in-progress", "ongoing": "in-progress", "underway": "in-progress",
    "onhold": "on-hold", "paused": "on-hold",
    "awaitingsignoff": "awaiting-sign-off", "forsignoff": "awaiting-sign-off",
    "dropped": "dropped", "superseded": "dropped", "deleted": "dropped", "withdrawn": "dropped",
}
QUOTED = 80  # at most this much of a cell is echoed back in a problem


class ImportProblems(BadInput):
    """Exit 2 with one line, and every bad row listed under it."""

    def __init__(self, message: str, details: list[str]):
        super().__init__(message)
        self.details = details


@dataclass
class Row:
    """One action row of a sheet, its cells read into the fields of an action."""

    sheet: str
    number: int
    title: str
    owner: str
    plan: str | None = None  # the plan it goes into, once decided
    ref: str | None = None  # ours (SUFF-1.3): the action to update
    external_ref: str | None = None  # the sheet's own
    theme: int | str | None = None
    officer: str | None = None
    due: date | None = None
    revised: date | None = None
    undated: str | None = None  # the text that stood for no date ("Ongoing"; "" for a blank cell)
    rag: str | None = None
    status: str | None = None
    commentary: str | None = None
    success: str | None = None
    finance: str | None = None
    completed_on: date | None = None


@dataclass
class Parsed:
    """A whole sheet read: its action rows, its title, and every problem found."""

    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    bad_rows: set[tuple[str, int]] = field(default_factory=set)  # (sheet, row): one row may have many problems
    skipped_sheets: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # "Theme: sheet 'Plan', rows 6-8"
    totals_rows: list[str] = field(default_factory=list)
    title: str | None = None  # the title row naming the plan, for a new plan
    headings: dict[str, str] = field(default_factory=dict)  # sheet -> the title its pages are printed under
    _where: list[tuple[str, int]] = field(default_factory=list)  # each problem's sheet and row
    headers: dict[str, str] = field(default_factory=dict)  # every column heading read, squashed -> as written
    sections: list[str] = field(default_factory=list)  # rows read as theme headings with no number, to say
    # A bad row's owner, still checked for a near miss, so its every problem is said at once.
    owners_of_bad_rows: list[tuple[str, int, str]] = field(default_factory=list)

    def problem(self, sheet: str, number: int, text: str) -> None:
        self.bad_rows.add((sheet, number))
        self.problems.append(f"sheet '{sheet}', row {number}{text}")
        self._where.append((sheet, number))

    def in_row_order(self) -> list[str]:
        """The problems sheet by sheet, row by row: those found reading the sheet and those
        found applying its rows (an owner's near-miss) are listed as the clerk mends them."""
        sheets = {sheet: n for n, sheet in enumerate(dict.fromkeys(sheet for sheet, _ in self._where))}
        return [text for _, text in sorted(zip(self._where, self.problems), key=lambda p: (sheets[p[0][0]], p[0][1]))]

    def summary(self, file: str) -> str:
        rows, problems = len(self.bad_rows), len(self.problems)
        also = f" ({problems} problems)" if problems != rows else ""
        return f"{rows} bad row{'' if rows == 1 else 's'}{also} in {file}; nothing was imported:"


def quote(value: Any) -> str:
    """A cell as a problem line shows it: on one line, and not a 100,000-character essay."""
    text = "" if value is None else str(value)
    shown = " ".join(text.splitlines())
    if len(shown) <= QUOTED:
        return f"'{shown}'"
    return f"'{shown[:QUOTED - 1]}…' ({len(text):,} characters)"


# Found by a new-user trial: 44895 said only "not a date I can read".
EXCEL_SERIAL = "; a number like that is a day as Excel counts them: format the column as dates and save again"
# Columns only actiontrack's own listings and exports have, which no council's plan sheet does.
OUR_EXPORT = frozenset({"derivedrag", "ragmismatch", "slippagedays", "kind"})


def _second_header(cells: list[Any], lookup: dict[str, str]) -> dict[int, str]:
    """The columns a second header row names (found by new-user trials: under a merged
    "Dates" cell, "Target" and "Revised" were read as an action with no title; under a
    merged "Timescale", itself a name for the target date, "Target Date" and "Revised
    Date" were read as a row of bad dates); empty unless every filled cell of the row is
    a header.  Where both rows name a column, the lower one says what it is."""
    filled = {i: c for i, c in enumerate(cells) if c is not None and str(c).strip()}
    named = {i: lookup[squash(c)] for i, c in filled.items() if squash(c) in lookup}
    return named if named and len(named) == len(filled) else {}


def parse_sheets(sheets: list[Sheet], as_of: date, mapping: dict[str, str] | None = None) -> Parsed:
    lookup = {**HEADER_LOOKUP, **(mapping or {})}
    parsed = Parsed()
    for sheet in sheets:
        header_at = find_header(sheet, lookup)
        if header_at is None:
            parsed.skipped_sheets.append(sheet.name)
            continue
        if parsed.title is None:
            parsed.title = plan_title(sheet, header_at)
        if sheet.heading:
            parsed.headings[sheet.name] = sheet.heading
        headers = [str(h).strip() if h is not None else "" for h in sheet.rows[header_at]]
        if {squash(h) for h in headers} >= OUR_EXPORT:
            # Found by a new-user trial: imported (to carry a store over, or to bring edits
            # back), every plan's rows went under --plan's, each theme key became a new
            # theme, and resolutions became actions.
            raise BadInput(f"sheet '{sheet.name}' is actiontrack's own export, not a plan's sheet: to carry a store "
                           "over, 'export --format json' and import that file; to take owners' updates, "
                           "'returns make' and 'returns apply'")
        columns = {i: lookup[squash(h)] for i, h in enumerate(headers) if squash(h) in lookup}
        first = header_at + 1  # the first row below the header
        if (under := _second_header(sheet.rows[first] if first < len(sheet.rows) else [], lookup)):
            columns.update(under)  # "Dates" merged over "Target" and "Revised": each column named below
            while len(headers) < len(sheet.rows[first]):
                headers.append("")
            headers = [str(sheet.rows[first][i]).strip() if i in under else h for i, h in enumerate(headers)]
            first += 1
        parsed.headers.update({squash(h): h for h in headers if h})
        columns = {i: f for i, f in columns.items() if f != "ignore"}
        parsed.ignored_columns += [f"{sheet.name}: {h}" for i, h in enumerate(headers) if h and i not in columns]
        section: str | None = None
        officer: str | None = None
        carry = CarryDown(sheet, columns, first)
        for index in range(first, len(sheet.rows)):
            line = classify(sheet.rows[index], columns)
            if line.kind == "blank":
                continue
            if line.kind == "totals":
                parsed.totals_rows.append(f"sheet '{sheet.name}', row {index + 1}")
                continue
            if line.kind == "officer":  # "Accountable officer: ..." on its own under the section row
                officer = line.officer
                continue
            if line.kind == "section" and carry.under_merged(index):
                line = Line("action")  # its text alone filled in, its dates and owner merged from above
            if line.kind == "section":  # "Theme 2: Placements close to home"
                section, officer = line.section, line.officer
                if not (numbered := THEME_NUMBERED.match(section or "")) or not numbered.group(1):
                    parsed.sections.append(f"sheet '{sheet.name}', row {index + 1}: {quote(section)}")
                carry.restart()
                continue
            cells = carry.fill(index, sheet.rows[index])
            beyond = [str(c).strip() for c in cells[len(headers):] if str(c or "").strip()]
            if sheet.delimited and beyond:
                parsed.problem(sheet.name, index + 1, f": more cells than the header has columns (beyond it: "
                               f"{quote(', '.join(beyond))}); a comma inside a cell that was not in quotes?")
                continue
            row = _parse_row(sheet.name, index + 1, cells, headers, columns, as_of, parsed)
            if row:
                if row.theme is None and section:
                    row.theme = section
                row.officer = row.officer or officer
                parsed.rows.append(row)
        for i, rows in carry.carried.items():
            parsed.carried.append(f"{headers[i]}: sheet '{sheet.name}', row{'s' if len(rows) > 1 else ''} "
                                  f"{row_ranges(rows)}")
    _check_duplicates(parsed)
    return parsed


def _cell(cells: list[Any], columns: dict[int, str], name: str) -> Any:
    for i, f in columns.items():
        if f == name and i < len(cells):
            value = cells[i]
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                return value
    return None


def _parse_row(sheet: str, number: int, cells: list[Any], headers: list[str], columns: dict[int, str],
               as_of: date, parsed: Parsed) -> Row | None:
    bad_before = len(parsed.problems)

    def problem(name: str, value: Any, why: str) -> None:
        header = next((headers[i] for i, f in columns.items() if f == name), None)
        if header is None:  # not a column the user wrote: say so, not our name for the field
            parsed.problem(sheet, number, f": {why} (the sheet has no column for it)")
            return
        if value is not None and len(str(value)) > QUOTED:
            why = why.replace(f"'{value}'", "the value")  # quoted once, shortened, before it
        parsed.problem(sheet, number, f", column '{header}', value {quote(value)}: {why}")

    def text(name: str, what: str, required: bool = False, multiline: bool = False) -> str | None:
        value = _cell(cells, columns, name)
        if value is None:
            if required:
                problem(name, None, f"{what} is missing")
            return None
        try:
            return clean_text(_as_text(value), what, required=required, multiline=multiline)
        except BadInput as e:
            problem(name, value, e.message)
            return None

    def day(name: str) -> tuple[date | None, str | None]:
        value = _cell(cells, columns, name)
        if isinstance(value, date):  # a cell Excel keeps as a date (datetime is a date too)
            try:
                return in_range(value.date() if isinstance(value, datetime) else value, uk(value)), None
            except BadInput as e:
                problem(name, value, e.message)
                return None, None
        if value is None:
            # A blank date cell is as undated as "TBC": said the same way, if the column is there.
            return None, "" if name in columns.values() else None
        if squash(value) == "" or says_no_date(str(value)):  # "-", "--" and the like too
            return None, str(value)
        try:
            return parse_date(str(value), as_of), None
        except BadInput as e:
            serial = isinstance(value, (int, float)) or str(value).strip().isdigit()
            problem(name, value, e.message + (EXCEL_SERIAL if serial else ""))
            return None, None

    def one_line(name: str, what: str, required: bool = True) -> str | None:
        """A title, owner, ref, theme or officer: one line, so a line break typed in its cell
        (Alt+Enter; a merged theme cell wraps its words so) or a tab is a space."""
        value = text(name, what, required=required, multiline=True)
        return " ".join(value.split()) if value else value

    title = one_line("title", "the action")
    owner = one_line("owner", "the owner")
    row = Row(sheet=sheet, number=number, title=title or "", owner=owner or "")
    ref = one_line("ref", "the ref", required=False)
    if ref:
        try:
            row.ref = action_ref(ref)
        except BadInput:
            row.external_ref = ref
    theme = _cell(cells, columns, "theme")
    whole = isinstance(theme, (int, float)) and float(theme).is_integer()
    row.theme = int(theme) if whole else one_line("theme", "the theme", required=False)
    row.officer = one_line("officer", "the accountable officer", required=False)
    row.due, row.undated = day("due")
    row.revised, _ = day("revised")
    if row.undated == "" and row.revised:
        row.undated = None  # a blank Target Date beside a Revised Date is dated
    row.completed_on, _ = day("completed_on")
    said_by_rag = None  # the RAG column's own word, when it gave a status ("Blue": complete)
    for name in ("rag", "status"):
        value = _cell(cells, columns, name)
        if value is None:
            continue
        word = squash(value)
        if word in RAG_WORDS:  # a Status column holding Red/Amber/Green is a RAG
            row.rag = RAG_WORDS[word]
        elif word in STATUS_WORDS:
            if row.status and STATUS_WORDS[word] != row.status:  # RAG "Blue" (done) beside Status "Not started"
                problem(name, value, f"says {STATUS_WORDS[word]}, but the RAG column says {quote(said_by_rag)} "
                                     f"({row.status})")
            row.status = STATUS_WORDS[word]
            said_by_rag = value
        else:
            problem(name, value, "not a RAG (Red, Amber, Green) or a status (Not started, In progress, "
                                 "On hold, Awaiting sign-off, Complete, Dropped)")
    row.commentary = text("commentary", "the commentary", multiline=True)
    row.success = text("success", "the success criteria", multiline=True)
    row.finance = text("finance", "the financial implications", multiline=True)
    if row.completed_on and row.completed_on > as_of:
        problem("completed_on", uk(row.completed_on), "a completion date in the future")
    elif row.completed_on and row.status is None:
        row.status = "complete"  # a day in Date Completed, and no Status to say otherwise
    elif row.completed_on and row.status != "complete":
        # "In progress" beside a Date Completed: one column is out of date, and which one
        # only the owner knows (the date was ignored without a word).
        problem("completed_on", uk(row.completed_on), f"a completion date, but the Status column says {row.status}: "
                                                      "give Complete, or clear the date")
    if len(parsed.problems) == bad_before:
        return row
    if row.owner:  # checked against the people with the rows that read well (importer.apply)
        parsed.owners_of_bad_rows.append((sheet, number, row.owner))
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    # Excel writes a line break inside a cell as CRLF (CSV) or LF (xlsx): keep one kind.
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _check_duplicates(parsed: Parsed) -> None:
    seen: dict[str, Row] = {}
    for row in parsed.rows:
        key = row.ref or (f"ext:{row.external_ref}" if row.external_ref else None)
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            parsed.problem(row.sheet, row.number, f", column 'Ref', value {quote(row.ref or row.external_ref)}: "
                                                  f"the same ref as sheet '{first.sheet}', row {first.number}")
        seen[key] = row
