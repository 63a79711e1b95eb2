"""How a council lays out an action plan sheet: which row is the header, which column is
which field, and what each row below it is.

Real sheets have a title row or two above the header ("Middlesbrough Council", then the
plan's name), blank rows, notes columns, section rows ("Theme 2: Placements close to
home", sometimes with "Accountable officer: ..." beside it), merged cells (read as blanks
below the first: see CarryDown) and a totals row at the foot.  Headers are matched by
synonyms, ignoring case and punctuation; `--map "Lead Officer=owner"` overrides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actiontrack.errors import BadInput
from actiontrack.interchange.sheets import Sheet, is_totals
from actiontrack.patterns import Pattern

FIELDS = ("ref", "title", "owner", "theme", "officer", "due", "revised", "rag", "status", "commentary",
          "success", "finance", "completed_on", "ignore")
SYNONYMS = {
    "ref": ["ref", "reference", "refno", "no", "number", "actionno", "actionref", "actionnumber", "id"],
    "title": ["action", "actions", "actiondescription", "description", "task", "whatwewilldo", "recommendation",
              "actionrequired", "keyaction", "title"],  # "title": as actiontrack's own CSV export names it
    "owner": ["leadofficer", "responsibleofficer", "owner", "lead", "responsible", "actionowner", "leadperson",
              "responsibility", "bywhom"],
    "theme": ["theme", "priority", "workstream", "objective", "area", "themearea", "strategicpriority"],
    "officer": ["accountableofficer", "themelead", "themeowner"],
    "due": ["targetdate", "timescale", "timescales", "due", "duedate", "deadline", "target", "originaldate",
            "originaltargetdate", "bywhen", "when"],
    "revised": ["reviseddate", "revisedtargetdate", "revisedtimescale", "newdate", "reviseddeadline",
                "revisedduedate", "revisedtarget", "revised"],
    "rag": ["rag", "ragstatus", "ragrating", "progressrag", "rating"],
    "status": ["status", "progressstatus", "actionstatus"],
    "commentary": ["progressupdate", "commentary", "update", "progress", "comments", "latestupdate",
                   "progresscommentary", "latestcommentary"],
    "success": ["successcriteria", "outcome", "outcomes", "measureofsuccess", "successmeasures", "impact",
                "successmeasure"],
    "finance": ["financialimplications", "resources", "resourceimplications", "cost", "finance", "budget"],
    "completed_on": ["datecompleted", "completiondate", "completedon", "actualcompletiondate", "completed"],
}
HEADER_LOOKUP = {syn: name for name, syns in SYNONYMS.items() for syn in syns}
# A blank Theme cell is the theme of the row above (a merged Theme column reads so, and
# councils leave it blank down a theme's rows).  Any other blank cell under a merged one is
# that cell's value: a Target Date, RAG or Lead Officer merged down several actions' rows
# is theirs (a merged Target Date read blank made them undated).  An action's own ref and
# text are never shared.
NOT_SHARED = ("ref", "title")
_OFFICER = Pattern(r"accountable\s+officer\s*[:\-–]\s*(.+)", re.I | re.S)
# ... or in the section's own cell: "Theme 1: Commissioning (Accountable officer: Head of
# Commissioning)", "Commissioning - Accountable Officer: ...", "Commissioning; Accountable officer ...".
_INLINE_OFFICER = Pattern(r"(.+?)[\s(\[,;.–\-]*\baccountable\s+officer\s*[:\-–]\s*(.*?)[\s)\].]*", re.I | re.S)
# A theme heading that gives its number: "Theme 2: Placements", "2. Placements", "Priority 3".
THEME_NUMBERED = Pattern(r"^(?:theme|priority|objective)?\s*(\d{1,3})\s*(?:[.:)\-–]\s*|\s+)?(.*)$", re.I)
_PLAN_NAME = Pattern(r"\b(plan|strategy|programme|tracker)\b", re.I)


# How far down a sheet the header may be: council sheets open with a title, a date and
# a key of RAG colours, never thirty rows of it.
HEADER_SEARCH_ROWS = 30

def squash(text: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """--map "Lead Officer=owner" -> {"leadofficer": "owner"}."""
    mapping = {}
    for pair in pairs:
        header, sep, name = pair.rpartition("=")
        name = name.strip().lower().replace("-", "_")
        if not sep or not header.strip():
            raise BadInput(f"--map '{pair}' is not HEADER=FIELD")
        if name not in FIELDS:
            raise BadInput(f"--map '{pair}': '{name}' is not a field (one of: {', '.join(FIELDS)})")
        mapping[squash(header)] = name
    return mapping


def unmapped(pairs: list[str], headers: dict[str, str]) -> None:
    """Refuse a --map whose heading no sheet has (a typo: "Progres Update=ignore" left the
    commentary imported, without a word)."""
    for pair in pairs:
        header = pair.rpartition("=")[0]
        if squash(header) not in headers:
            raise BadInput(f"--map '{pair}': no sheet has a column headed '{header.strip()}' "
                           f"(the headings read: {', '.join(headers.values())})")


def find_header(sheet: Sheet, lookup: dict[str, str]) -> int | None:
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found = {lookup[squash(c)] for c in cells if c is not None and squash(c) in lookup}
        if "title" in found and len(found) >= 2:
            return index
    return None


def plan_title(sheet: Sheet, header_at: int) -> str | None:
    """The title row that names the plan, not the council's name above it."""
    firsts = (next((c.strip() for c in cells if isinstance(c, str) and c.strip()), None)
              for cells in sheet.rows[:header_at])
    titles = [t for t in firsts if t]
    named = [t for t in titles if _PLAN_NAME.search(t)]
    if named:
        return named[0]
    others = [t for t in titles if not re.search(r"\bcouncil$", t, re.I)]
    return (others or titles)[0] if titles else None


@dataclass
class Line:
    """What one row below the header is."""

    kind: str  # blank, totals, section, officer (an "Accountable officer: ..." row alone), action
    section: str | None = None
    officer: str | None = None


def classify(cells: list[Any], columns: dict[int, str]) -> Line:
    filled = [c for c in cells if _filled(c)]
    if not filled:
        return Line("blank")
    if is_totals(filled[0]):
        return Line("totals")
    officer = next((m.group(1).strip() for c in filled if isinstance(c, str)
                    for m in [_OFFICER.fullmatch(c.strip())] if m), None)
    rest = [c for c in filled if not (isinstance(c, str) and _OFFICER.fullmatch(c.strip()))]
    if officer and not rest:
        return Line("officer", officer=officer)
    inline = _INLINE_OFFICER.fullmatch(rest[0].strip()) if len(filled) == 1 and isinstance(rest[0], str) else None
    if inline:  # one cell naming the section and its officer (if the officer is filled in)
        return Line("section", section=inline.group(1).strip(), officer=inline.group(2).strip() or None)
    owner = next((cells[i] for i, f in columns.items() if f == "owner" and i < len(cells)), None)
    if len(rest) == 1 and isinstance(rest[0], str) and (officer or not (owner and str(owner).strip())):
        return Line("section", section=rest[0].strip(), officer=officer)
    return Line("action")


class CarryDown:
    """Fills a blank Theme cell from the row above, and a blank cell under a merged cell
    with its value; remembers where, to say so."""

    def __init__(self, sheet: Sheet, columns: dict[int, str], first: int):
        """`first`: the first row under the header; a cell merged down from the header
        itself is the header's, not a value."""
        self.sheet = sheet
        self.first = first
        self.columns = {i: f for i, f in columns.items() if f not in NOT_SHARED}
        self.text_columns = {i for i, f in columns.items() if f == "title"}
        self.above: dict[int, Any] = {}  # the Theme column's last value in this block
        self.carried: dict[int, list[int]] = {}  # column -> spreadsheet rows filled

    def restart(self) -> None:
        """A section row starts a new block: nothing above it carries over."""
        self.above.clear()

    def under_merged(self, index: int) -> bool:
        """Whether this row, read as a section heading (one cell filled), is an action's
        text alone, its other cells under merged ones: its one cell is in the Action
        column, and a field's cell is under a merged cell.  A heading in the Theme or Ref
        column beside a merged date stays a heading."""
        cells = self.sheet.rows[index]
        text = [i for i, c in enumerate(cells) if _filled(c)]
        return len(text) == 1 and text[0] in self.text_columns \
            and any(self.sheet.merged.get((index, i), -1) >= self.first for i in self.columns)

    def fill(self, index: int, cells: list[Any]) -> list[Any]:
        cells = list(cells)
        for i, name in self.columns.items():
            while len(cells) <= i:
                cells.append(None)
            if _filled(cells[i]):
                if name == "theme":
                    self.above[i] = cells[i]
                continue
            origin = self.sheet.merged.get((index, i))
            value = _cell(self.sheet.rows[origin], i) if origin is not None and origin >= self.first else None
            if not _filled(value) and name == "theme":
                value = self.above.get(i)
            if _filled(value):
                cells[i] = value
                self.carried.setdefault(i, []).append(index + 1)
        return cells


def _filled(value: Any) -> bool:
    return value is not None and bool(str(value).strip())


def _cell(row: list[Any], i: int) -> Any:
    return row[i] if i < len(row) else None


def row_ranges(rows: list[int]) -> str:
    """[5, 6, 7, 9] -> "5-7, 9"."""
    parts: list[str] = []
    start = prev = rows[0]
    for n in rows[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
