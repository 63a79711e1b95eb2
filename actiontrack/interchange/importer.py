"""Bring an action plan in from a council spreadsheet.

`sheet_layout` finds the header and says what each row is; here each action row is
checked and applied.  Every row is checked before anything is written: one bad row and
nothing is imported, with every bad row listed.  Re-importing the same sheet updates the
same actions, matched on their Ref.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from actiontrack.changes.tracker import Tracker, clean_text
from actiontrack.dates import in_range, parse_date, uk
from actiontrack.domain import rules
from actiontrack.domain.models import Action
from actiontrack.domain.refs import action_ref, plan_key
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput
from actiontrack.interchange.sheet_layout import HEADER_LOOKUP, CarryDown, classify, find_header, plan_title, row_ranges, squash
from actiontrack.interchange.sheets import Sheet

IMPORTED = rules.IMPORT_NOTE
NO_DATE_WORDS = {"", "ongoing", "tbc", "tba", "n/a", "na", "-", "--", "none", "various", "continuous", "rolling"}
RAG_WORDS = {"red": "red", "r": "red", "amber": "amber", "a": "amber", "amberred": "amber", "redamber": "red",
             "green": "green", "g": "green", "ontrack": "green", "ambergreen": "amber"}
STATUS_WORDS = {
    "complete": "complete", "completed": "complete", "done": "complete", "achieved": "complete",
    "blue": "complete", "closed": "complete",
    "notstarted": "not-started", "notyetstarted": "not-started", "planned": "not-started",
    "inprogress": "in-progress", "started": "in-progress", "ongoing": "in-progress", "underway": "in-progress",
    "onhold": "on-hold", "paused": "on-hold",
    "awaitingsignoff": "awaiting-sign-off", "forsignoff": "awaiting-sign-off",
    "dropped": "dropped", "superseded": "dropped", "deleted": "dropped", "withdrawn": "dropped",
}
_THEME_NUMBERED = re.compile(r"^(?:theme|priority|objective)?\s*(\d{1,3})\s*(?:[.:)\-–]\s*|\s+)?(.*)$", re.I)
_SHEET_NUMBER = re.compile(r"(\d{1,3})\.(\d{1,4})")  # the sheet's own "2.3": theme 2, action 3
PROGRESS_EVERY = 50
QUOTED = 80  # at most this much of a cell is echoed back in a problem


class ImportProblems(BadInput):
    def __init__(self, message: str, details: list[str]):
        super().__init__(message)
        self.details = details


@dataclass
class Row:
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
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    bad_rows: set[tuple[str, int]] = field(default_factory=set)  # (sheet, row): one row may have many problems
    skipped_sheets: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # "Theme: sheet 'Plan', rows 6-8"
    totals_rows: list[str] = field(default_factory=list)
    title: str | None = None  # the title row naming the plan, for a new plan

    def problem(self, sheet: str, number: int, text: str) -> None:
        self.bad_rows.add((sheet, number))
        self.problems.append(f"sheet '{sheet}', row {number}{text}")

    def summary(self, file: str) -> str:
        rows, problems = len(self.bad_rows), len(self.problems)
        also = f" ({problems} problems)" if problems != rows else ""
        return f"{rows} bad row{'' if rows == 1 else 's'}{also} in {file}; nothing was imported:"


@dataclass
class Outcome:
    sheet: str
    row: int
    ref: str
    op: str  # create, update, unchanged
    changes: list[str] = field(default_factory=list)


def quote(value: Any) -> str:
    """A cell as a problem line shows it: on one line, and not a 100,000-character essay."""
    text = "" if value is None else str(value)
    shown = " ".join(text.splitlines())
    if len(shown) <= QUOTED:
        return f"'{shown}'"
    return f"'{shown[:QUOTED - 1]}…' ({len(text):,} characters)"


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
        headers = [str(h).strip() if h is not None else "" for h in sheet.rows[header_at]]
        columns = {i: lookup[squash(h)] for i, h in enumerate(headers) if squash(h) in lookup}
        columns = {i: f for i, f in columns.items() if f != "ignore"}
        parsed.ignored_columns += [f"{sheet.name}: {h}" for i, h in enumerate(headers) if h and i not in columns]
        section: str | None = None
        officer: str | None = None
        carry = CarryDown(sheet, columns)
        for index in range(header_at + 1, len(sheet.rows)):
            line = classify(sheet.rows[index], columns)
            if line.kind == "blank":
                continue
            if line.kind == "totals":
                parsed.totals_rows.append(f"sheet '{sheet.name}', row {index + 1}")
                continue
            if line.kind == "officer":  # "Accountable officer: ..." on its own under the section row
                officer = line.officer
                continue
            if line.kind == "section":  # "Theme 2: Placements close to home"
                section, officer = line.section, line.officer
                carry.restart()
                continue
            cells = carry.fill(index, sheet.rows[index])
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
        header = next((headers[i] for i, f in columns.items() if f == name), name)
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
        if squash(value) in {squash(w) for w in NO_DATE_WORDS}:
            return None, str(value)
        try:
            return parse_date(str(value), as_of), None
        except BadInput as e:
            problem(name, value, e.message)
            return None, None

    title = text("title", "the action", required=True, multiline=True)
    owner = text("owner", "the owner", required=True)
    row = Row(sheet=sheet, number=number, title=title or "", owner=owner or "")
    ref = text("ref", "the ref")
    if ref:
        try:
            row.ref = action_ref(ref)
        except BadInput:
            row.external_ref = ref
    theme = _cell(cells, columns, "theme")
    row.theme = int(theme) if isinstance(theme, (int, float)) and float(theme).is_integer() else text("theme", "the theme")
    row.officer = text("officer", "the accountable officer")
    row.due, row.undated = day("due")
    row.revised, _ = day("revised")
    if row.undated == "" and row.revised:
        row.undated = None  # a blank Target Date beside a Revised Date is dated
    row.completed_on, _ = day("completed_on")
    for name in ("rag", "status"):
        value = _cell(cells, columns, name)
        if value is None:
            continue
        word = squash(value)
        if word in RAG_WORDS:  # a Status column holding Red/Amber/Green is a RAG
            row.rag = RAG_WORDS[word]
        elif word in STATUS_WORDS:
            row.status = STATUS_WORDS[word]
        else:
            problem(name, value, "not a RAG (Red, Amber, Green) or a status (Not started, In progress, "
                                 "On hold, Awaiting sign-off, Complete, Dropped)")
    row.commentary = text("commentary", "the commentary", multiline=True)
    row.success = text("success", "the success criteria", multiline=True)
    row.finance = text("finance", "the financial implications", multiline=True)
    if row.completed_on and row.completed_on > as_of:
        problem("completed_on", row.completed_on.strftime("%d/%m/%Y"), "a completion date in the future")
    return row if len(parsed.problems) == bad_before else None


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


# -- applying -------------------------------------------------------------------------
def assign_plans(data: StoreData, parsed: Parsed, plan: str | None) -> None:
    """Which plan each row goes into: --plan, else the plan in its ref (SUFF-1.3), else a
    sheet named after a plan (as `export --format xlsx` names them)."""
    key = plan_key(plan) if plan else None
    for row in parsed.rows:
        if key:
            row.plan = key
        elif row.ref:
            row.plan = row.ref.split("-", 1)[0]
        elif squash(row.sheet).upper() in data.plans:
            row.plan = squash(row.sheet).upper()
        else:
            parsed.problem(row.sheet, row.number, ": no plan for this row; give --plan KEY")


def apply(tracker: Tracker, parsed: Parsed, *, plan_title: str | None = None,
          progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Create or update actions from the parsed rows (already free of problems)."""
    data = tracker.data
    plans = [row.plan for row in parsed.rows]
    assert None not in plans, "parse() decides every row's plan before apply()"
    for key in dict.fromkeys(p for p in plans if p):
        if key not in data.plans:
            tracker.add_plan(key, plan_title or parsed.title or f"Imported plan {key}")
    outcomes = []
    created: set[str] = set()
    for done, row in enumerate(parsed.rows, start=1):
        outcomes.append(_apply_row(tracker, row.plan or "", row, created))
        if outcomes[-1].op == "create":
            created.add(outcomes[-1].ref)
        if progress and (done % PROGRESS_EVERY == 0 or done == len(parsed.rows)):
            progress(done, len(parsed.rows))
    return outcomes


def _apply_row(tracker: Tracker, plan: str, row: Row, created: set[str]) -> Outcome:
    data = tracker.data
    existing = _match(data, plan, row, created)
    if existing is None:
        theme = _theme_for(tracker, plan, row)
        # The minutes say "action 2.3": where the sheet numbers it within its theme, so do we.
        own = _SHEET_NUMBER.fullmatch(row.external_ref or "")
        number = int(own.group(2)) if own and int(own.group(1)) == theme else None
        # A row dated only in Revised Date: that is its first real date, so its baseline.
        action = tracker.add_action(f"{plan}.{theme}", row.title, owner=row.owner, due=row.due or row.revised,
                                    success=row.success, finance=row.finance, source=f"imported from {row.sheet}",
                                    number=number)
        action.external_ref = row.external_ref
        action.touch()
        outcome = Outcome(row.sheet, row.number, action.ref, "create")
        _follow_up(tracker, action, row, outcome)
        return outcome
    outcome = Outcome(row.sheet, row.number, existing.ref, "update")
    changed = {}
    for name in ("title", "owner", "success", "finance"):
        value = getattr(row, name)
        if value is not None and value != getattr(existing, name):
            changed[name] = value
    if changed:
        tracker.update_action(existing.ref, **changed, note=IMPORTED)
        outcome.changes += sorted(changed)
    _follow_up(tracker, existing, row, outcome)
    if not outcome.changes:
        outcome.op = "unchanged"
    return outcome


def _follow_up(tracker: Tracker, action: Action, row: Row, outcome: Outcome) -> None:
    """Dates, status, RAG and commentary: the same for a new row and a changed one."""
    wanted_due = row.revised or row.due
    if row.status == "complete":
        if action.status != "complete":
            if action.status == "dropped":
                tracker.reopen(action.ref, IMPORTED)
            on = row.completed_on or (wanted_due if wanted_due and wanted_due <= tracker.as_of else tracker.as_of)
            tracker.complete(action.ref, on=on, note=row.commentary or IMPORTED, from_sheet=True)
            outcome.changes.append("completed")
        return
    if action.is_closed:
        if not row.status or row.status == action.status:
            return  # the sheet says nothing to reopen it
        tracker.reopen(action.ref, IMPORTED)
        outcome.changes.append("reopened")
    if wanted_due and wanted_due != action.due:
        tracker.reschedule(action.ref, wanted_due, IMPORTED)
        outcome.changes.append("due")
    fields: dict[str, str] = {}
    if row.status and row.status != action.status:
        fields["status"] = row.status
    if row.rag and row.rag != action.rag:
        fields["rag"] = row.rag
    latest = rules.latest_commentary(action)
    note = row.commentary if row.commentary and row.commentary != latest else None
    if fields.get("status") == "dropped" and not note:
        note = "dropped in the imported sheet"
    if fields or note:
        tracker.update_action(action.ref, status=fields.get("status"), rag=fields.get("rag"), note=note)
        outcome.changes += sorted(fields) + (["commentary"] if note else [])


def _match(data: StoreData, plan: str, row: Row, created: set[str]) -> Action | None:
    if row.ref:
        found = data.actions.get(row.ref)
        if found and found.plan == plan:
            return found
        if found is None:
            row.external_ref = row.external_ref or row.ref  # not one of ours: keep it as the sheet's ref
    if row.external_ref:
        return next((a for a in data.actions.values() if a.plan == plan and a.external_ref == row.external_ref), None)
    # A sheet with no Ref column: the same wording in the same plan is the same action, so
    # importing it again updates instead of duplicating.  Not one this import made: two
    # rows worded alike are two actions.
    same = [a for a in data.actions.values() if a.plan == plan and a.external_ref is None
            and a.ref not in created and a.title.casefold() == row.title.casefold()]
    return same[0] if len(same) == 1 else None


def _theme_for(tracker: Tracker, plan: str, row: Row) -> int:
    data = tracker.data
    themes = {t.number: t for t in data.themes.values() if t.plan == plan}
    number, title = None, None
    if isinstance(row.theme, int):
        number = row.theme
    elif row.theme:
        m = _THEME_NUMBERED.match(row.theme)
        if m and m.group(1):
            number, title = int(m.group(1)), (m.group(2) or "").strip() or None
        else:
            title = row.theme
            number = next((n for n, t in themes.items() if t.title.casefold() == title.casefold()), None)
            if number is None:
                number = max(themes, default=0) + 1
    else:
        number, title = 1, "General"
    if number not in themes:
        tracker.add_theme(plan, number, title or f"Theme {number}", row.officer or "Not recorded")
    return number
