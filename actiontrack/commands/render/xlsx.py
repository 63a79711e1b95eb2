"""The spreadsheet export: one sheet per plan (and one for resolutions).

Dates are real Excel dates, RAG cells coloured and labelled, the header frozen with an
autofilter; the headers are ones the importer recognises, so a sheet can go out, be
edited, and come back.
"""

from __future__ import annotations

import io
from copy import copy
from datetime import date
from typing import Any

from actiontrack.domain.storedata import StoreData
from actiontrack.interchange.exporter import rows_for_export

XLSX_COLUMNS = [
    ("Ref", "ref"), ("Theme", "theme"), ("Action", "title"), ("Lead Officer", "owner"), ("Status", "status"),
    ("RAG", "rag"), ("Dates say", "derived_rag"), ("Target Date", "baseline_due"), ("Revised Date", "due"),
    ("Date Completed", "completed_on"), ("Days overdue", "days_overdue"), ("Slippage (days)", "slippage_days"),
    ("Times moved", "reschedules"), ("Success Criteria", "success"), ("Financial Implications", "finance"),
    ("Progress Update", "commentary"),
]
RESOLUTION_COLUMNS = [
    ("Ref", "ref"), ("Committee", "body"), ("Meeting", "meeting"), ("Minute", "minute"), ("Resolution", "title"),
    ("Owner", "owner"), ("Status", "status"), ("RAG", "rag"), ("Dates say", "derived_rag"),
    ("Target Date", "baseline_due"), ("Revised Date", "due"), ("Date Completed", "completed_on"),
    ("Days overdue", "days_overdue"), ("Times moved", "reschedules"), ("Linked actions", "links"),
]
FILLS = {"red": ("B00020", "FFFFFF"), "amber": ("FFBF47", "000000"), "green": ("00703C", "FFFFFF"),
         "blue": ("1D70B8", "FFFFFF")}
DATE_KEYS = {"baseline_due", "due", "completed_on", "meeting"}
FREE_TEXT_KEYS = {"title", "success", "finance", "commentary"}  # always WIDE_COLUMN wide
# Names as long as a sentence ("1. Strengthen placement sufficiency close to home", "Specialist
# Commissioning & Procurement Senior Manager"): sized to the longest, up to WIDE_COLUMN,
# and wrapped beyond it, so a filled cell beside one never hides its end.
NAME_KEYS = {"theme", "owner", "body", "links"}
WRAPPED_KEYS = FREE_TEXT_KEYS | NAME_KEYS
WIDE_COLUMN = 45  # characters: free text wraps inside this width
NARROW_COLUMN = 12  # at the least: a date (DD/MM/YYYY) and its filter button
SHEET_NAME_LIMIT = 31  # Excel's own


def to_xlsx(data: StoreData, as_of: date, plan: str | None = None) -> bytes:
    from openpyxl import Workbook  # loaded only for an xlsx export
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    plans = [data.plan(plan)] if plan else sorted(data.plans.values(), key=lambda p: p.key)
    rows = rows_for_export(data, as_of, plan)
    sheets = [(p.key, p.title, XLSX_COLUMNS, [r for r in rows if r["plan"] == p.key]) for p in plans]
    resolutions = [r for r in rows if r["kind"] == "resolution"]
    if resolutions:
        sheets.append(("Resolutions", "Committee resolutions", RESOLUTION_COLUMNS, resolutions))
    styles = _Styles()
    for name, title, columns, sheet_rows in sheets:
        ws = book.create_sheet(_sheet_name(name))
        ws.append([h for h, _ in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r_index, row in enumerate(sheet_rows, start=2):
            for c_index, (_, key) in enumerate(columns, start=1):
                cell = ws.cell(row=r_index, column=c_index, value=_cell_value(row, key))
                if isinstance(cell.value, str):
                    # openpyxl writes text starting "=" as a live formula; typed as text it is
                    # shown as typed and never run.  (+, - and @ are only formulas when typed
                    # in, so a text cell holding them is already safe.)
                    cell.data_type = "s"
                styles.apply(cell, key, row.get(key))
        for c_index, (header, key) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(c_index)].width = _width(header, key, sheet_rows)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        ws.oddHeader.center.text = title.replace("&", "&&")  # printed at the top of each page
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Styles:
    """Each kind of cell's look, worked out once and copied to every such cell.

    Setting a font, fill or number format through openpyxl looks the style up in the
    workbook's list by value (hashing it field by field): a third of a 10,000-item
    export's time.  A styled cell's `_style` is the indices that lookup gives, and
    copying it is openpyxl's own way to give another cell the same look."""

    def __init__(self) -> None:
        self._made: dict[tuple, Any] = {}

    def apply(self, cell: Any, key: str, value: Any) -> None:
        dated = key in DATE_KEYS and cell.value is not None
        fill = value if key in ("rag", "derived_rag") and value in FILLS else None
        wraps = key in WRAPPED_KEYS
        if not (dated or fill or wraps):
            return
        look = (dated, fill, wraps)
        made = self._made.get(look)
        if made is not None:
            cell._style = copy(made)
            return
        from openpyxl.styles import Alignment, Font, PatternFill

        if dated:
            cell.number_format = "DD/MM/YYYY"
        if fill:
            colour, font = FILLS[fill]
            cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
            cell.font = Font(bold=True, color=font)
        if wraps:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self._made[look] = copy(cell._style)


def _width(header: str, key: str, rows: list[dict]) -> int:
    """A column's width in characters: free text WIDE_COLUMN; any other its longest value's
    (a name past WIDE_COLUMN wraps), at least its header's and NARROW_COLUMN (a date and
    its filter button)."""
    if key in FREE_TEXT_KEYS:
        return WIDE_COLUMN
    least = max(NARROW_COLUMN, len(header) + 2)
    longest = max((len(str(value)) for row in rows if (value := _cell_value(row, key)) is not None), default=0)
    return min(WIDE_COLUMN, max(least, longest + 2))


def _sheet_name(name: str) -> str:
    bad = '[]:*?/\\'
    return "".join("-" if c in bad else c for c in name)[:SHEET_NAME_LIMIT]


def _cell_value(row: dict, key: str):
    value = row.get(key)
    if key == "theme" and row.get("theme_title"):
        return f"{row['theme'].split('.')[1]}. {row['theme_title']}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ("rag", "derived_rag") and value:
        return value.capitalize()
    return value
