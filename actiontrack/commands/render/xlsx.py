"""The spreadsheet export: one sheet per plan (and one for resolutions).

Dates are real Excel dates, RAG cells coloured and labelled, the header frozen with an
autofilter; the headers are ones the importer recognises, so a sheet can go out, be
edited, and come back.
"""

from __future__ import annotations

import io
from datetime import date

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
WIDE_COLUMN = 45  # characters: free text wraps inside this width
NARROW_COLUMN = 12  # at the least: a date (DD/MM/YYYY) and its filter button
SHEET_NAME_LIMIT = 31  # Excel's own


def to_xlsx(data: StoreData, as_of: date, plan: str | None = None) -> bytes:
    from openpyxl import Workbook  # loaded only for an xlsx export
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    plans = [data.plan(plan)] if plan else sorted(data.plans.values(), key=lambda p: p.key)
    rows = rows_for_export(data, as_of, plan)
    sheets = [(p.key, p.title, XLSX_COLUMNS, [r for r in rows if r["plan"] == p.key]) for p in plans]
    resolutions = [r for r in rows if r["kind"] == "resolution"]
    if resolutions:
        sheets.append(("Resolutions", "Committee resolutions", RESOLUTION_COLUMNS, resolutions))
    for name, title, columns, sheet_rows in sheets:
        ws = book.create_sheet(_sheet_name(name))
        ws.append([h for h, _ in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet_rows:
            ws.append([_cell_value(row, key) for _, key in columns])
        for r_index, row in enumerate(sheet_rows, start=2):
            for c_index, (_, key) in enumerate(columns, start=1):
                cell = ws.cell(row=r_index, column=c_index)
                if isinstance(cell.value, str):
                    # openpyxl writes text starting "=" as a live formula; typed as text it is
                    # shown as typed and never run.  (+, - and @ are only formulas when typed
                    # in, so a text cell holding them is already safe.)
                    cell.data_type = "s"
                if key in DATE_KEYS and cell.value is not None:
                    cell.number_format = "DD/MM/YYYY"
                if key in ("rag", "derived_rag") and row.get(key) in FILLS:
                    fill, font = FILLS[row[key]]
                    cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
                    cell.font = Font(bold=True, color=font)
                if key in ("title", "success", "finance", "commentary"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c_index, (header, key) in enumerate(columns, start=1):
            wide = key in ("title", "success", "finance", "commentary", "body")
            ws.column_dimensions[get_column_letter(c_index)].width = WIDE_COLUMN if wide else max(NARROW_COLUMN, len(header) + 2)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        ws.oddHeader.center.text = title.replace("&", "&&")  # printed at the top of each page
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
