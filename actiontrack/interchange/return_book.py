"""An update return as an .xlsx workbook: written for an owner, read back as they filled it.

The visible sheet is what the owner sees: a line of instructions, the header, a row per
item.  The first five columns are the store's and locked; the rest are theirs, with
drop-down lists and date checks so Excel refuses most mistakes before the clerk sees
them.  A very hidden sheet (not listed by Excel's Unhide) keeps who the return is for,
which store it came from, and each row's state and fingerprint when it was made.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import orjson

from actiontrack.dates import uk
from actiontrack.errors import BadInput
from actiontrack.interchange.returns import COLUMNS, FIRST_EDITABLE, STATUS_LABELS, Filled, ReturnRow
from actiontrack.interchange.sheets import read_xlsx

SHEET = "Return"
STATE_SHEET = "actiontrack"
HEADER_ROW = 2
WIDTHS = {"Item": 50, "Plan / committee": 28, "Progress update": 50, "Reason for change": 30}
EDITABLE_FILL = "FFF7D6"  # pale yellow: the cells to fill in
FORMAT_VERSION = 1


@dataclass
class ReturnHeader:
    """Who a return is for and where it came from."""

    owner: str
    store_id: str
    made_on: date
    reply_by: date | None
    source: str  # the store's plans, named in the instructions


def write_return(header: ReturnHeader, rows: list[ReturnRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    reply = f" and send it back by {uk(header.reply_by)}" if header.reply_by else ""
    ws.cell(1, 1, f"Update return for {header.owner}: {header.source}, as of {uk(header.made_on)}. "
                  f"Please fill in the yellow columns (Status to Completed on){reply}. A revised due date needs "
                  "a reason for the change; give 'Completed on' for work that is done. Leave rows you have "
                  "nothing to add to as they are.").data_type = "s"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 48
    for c, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, c, name)
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(name, 16)
    yellow = PatternFill("solid", start_color=EDITABLE_FILL, end_color=EDITABLE_FILL)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        state = row.state
        values = [row.ref, row.title, row.where, row.due, row.baseline,
                  STATUS_LABELS.get(state["status"] or ""), (state["rag"] or "").capitalize() or None,
                  state["progress"], None, None, None]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text starting "=" stays text, never a formula
            if isinstance(value, date) or COLUMNS[c - 1] in ("Revised due date", "Completed on"):
                cell.number_format = "DD/MM/YYYY"
            if COLUMNS[c - 1] in ("Item", "Progress update", "Reason for change"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            # A milestone has only a completion date to give.
            editable = c > FIRST_EDITABLE and (row.milestone is None or COLUMNS[c - 1] == "Completed on")
            if editable:
                cell.protection = Protection(locked=False)
                cell.fill = yellow
    last = HEADER_ROW + max(len(rows), 1)
    validations = [
        (DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=False),
         "F", "Status", "Choose a status from the list."),
        (DataValidation(type="list", formula1='"Red,Amber,Green"', allow_blank=True), "G", "RAG",
         "Choose Red, Amber or Green (or leave it blank)."),
        (DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)",
                        allow_blank=True), "I", "Revised due date", "Type a date, e.g. 31/03/2023."),
        (DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)",
                        allow_blank=True), "K", "Completed on", "Type a date, e.g. 14/10/2022."),
    ]
    for dv, column, title, message in validations:
        dv.errorTitle, dv.error, dv.showErrorMessage = title, message, True
        dv.add(f"{column}{HEADER_ROW + 1}:{column}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.protection.sheet = True  # no password: it guards against slips, not against the owner
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths may still be changed

    state_ws = book.create_sheet(STATE_SHEET)
    state_ws.sheet_state = "veryHidden"
    state_ws.append([orjson.dumps({"format": FORMAT_VERSION, "owner": header.owner, "store_id": header.store_id,
                                   "made_on": header.made_on.isoformat(),
                                   "reply_by": header.reply_by.isoformat() if header.reply_by else None}).decode()])
    for row in rows:
        state_ws.append([row.ref, row.fingerprint, orjson.dumps(row.state).decode()])
    for cell in state_ws["A"]:
        cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_return(path: str, name: str) -> Filled:
    """A filled return, its rows keyed by the store state they were made from.  `name` is
    how the file is named in messages and in the history."""
    sheets = {s.name: s for s in read_xlsx(path)}
    state = sheets.get(STATE_SHEET)
    not_a_return = BadInput(f"'{name}' is not an update return made by 'actiontrack returns make'")
    if state is None or not state.rows or not state.rows[0]:
        raise not_a_return
    try:
        header = orjson.loads(state.rows[0][0])
        made = {r[0]: (r[1], orjson.loads(r[2])) for r in state.rows[1:] if r and r[0]}
        owner, store_id = header["owner"], header["store_id"]
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
        raise not_a_return from None
    def headed(s) -> bool:
        return len(s.rows) >= HEADER_ROW and tuple(s.rows[HEADER_ROW - 1][:len(COLUMNS)]) == COLUMNS

    # Its own sheet, or (renamed, or with a sheet put before it) the one headed as it was made.
    others = [s for s in sheets.values() if s.name != STATE_SHEET]
    sheet = sheets.get(SHEET) or next((s for s in others if headed(s)), None) or (others[0] if others else None)
    if sheet is None or not headed(sheet):
        where = f", sheet '{sheet.name}'" if sheet is not None else ""
        raise BadInput(f"'{name}'{where}: the return's header row is not as it was made "
                       f"(row {HEADER_ROW} must read: {', '.join(COLUMNS)})")
    spelt = {_ref_key(ref): ref for ref in made}
    rows = []
    for number, cells in enumerate(sheet.rows[HEADER_ROW:], start=HEADER_ROW + 1):
        ref = cells[0] if cells else None
        if ref in (None, ""):
            if any(c not in (None, "") and str(c).strip() for c in cells):
                # An officer's words in a row of their own would otherwise go unread, and
                # the clerk be told "nothing to change".
                raise BadInput(f"'{name}', sheet '{sheet.name}', row {number}: a row with no Ref (rows cannot be "
                               "added to a return: put the words in an item's Progress update, or ask the clerk "
                               "to add the action)")
            continue
        # Any case and spacing, as on the command line: the Ref cell is locked, but a trial's
        # owner unprotected the sheet and retyped 'suff-1.2'.
        ref = spelt.get(_ref_key(str(ref)), ref)
        if ref not in made:
            raise BadInput(f"'{name}', sheet '{sheet.name}', row {number}: '{ref}' was not in this return when it "
                           "was made (rows cannot be added to a return)")
        print_, state_then = made[ref]
        padded = [ref, *cells[1:]] + [None] * (len(COLUMNS) - len(cells))
        rows.append((number, dict(zip(COLUMNS, padded)), state_then, print_))
    return Filled(file=name, owner=owner, store_id=store_id, rows=rows, sheet=sheet.name)


def _ref_key(ref: str) -> str:
    """A ref in any case and spacing, with a dash Word or Excel put for its hyphen ("suff–2.2")."""
    return " ".join(ref.translate(_DASHES).split()).casefold()


_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-"})
