"""Deadlines out: a spreadsheet per plan, a calendar of due dates, a lossless JSON copy.

xlsx: one sheet per plan (and one for resolutions), dates as real Excel dates, RAG
cells coloured and labelled, frozen header and autofilter; the headers are ones the
importer recognises, so a sheet can go out, be edited, and come back.
ics: one all-day event per open deadline (actions, resolutions, milestones); UIDs are
built from the store's id and the ref, so importing the file again into Outlook
updates the events instead of duplicating them.
json: the whole store, versioned; `import` reads it back into an empty store unchanged.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from actiontrack.domain import rules
from actiontrack.domain.models import SCHEMA_VERSION, Item
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import decode, encode
from actiontrack.errors import BadInput
from actiontrack.reports.views import item_view, order

EXPORT_FORMAT = "actiontrack-export"
EXPORT_VERSION = 1
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


def export_tables(data: StoreData) -> dict:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema_version": SCHEMA_VERSION,
            "tables": encode(data)}


def import_tables(payload: object, where: str) -> StoreData:
    from actiontrack.errors import StoreProblem

    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise BadInput(f"{where} is not an actiontrack JSON export")
    if payload.get("version") != EXPORT_VERSION or not isinstance(payload.get("tables"), dict):
        raise BadInput(f"{where} is an export version this actiontrack cannot read")
    try:
        return decode(payload["tables"], where)
    except StoreProblem as e:
        raise BadInput(e.message) from None


def rows_for_export(data: StoreData, as_of: date, plan: str | None = None) -> list[dict]:
    items: list[Item] = [a for a in data.actions.values() if not plan or a.plan == plan]
    if not plan:
        items += list(data.resolutions.values())
    rows = []
    for item in sorted(items, key=order):
        view = item_view(data, item, as_of)
        view.update(success=item.success, finance=item.finance, source=item.source,
                    external_ref=item.external_ref, commentary=rules.latest_commentary(item))
        rows.append(view)
    return rows


def to_xlsx(data: StoreData, as_of: date, plan: str | None = None) -> bytes:
    from openpyxl import Workbook
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
            ws.column_dimensions[get_column_letter(c_index)].width = 45 if wide else max(12, len(header) + 2)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        ws.oddHeader.center.text = title.replace("&", "&&")  # printed at the top of each page
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    bad = '[]:*?/\\'
    return "".join("-" if c in bad else c for c in name)[:31]


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


def to_ics(data: StoreData, as_of: date, plan: str | None = None, stamp: datetime | None = None) -> bytes:
    from icalendar import Calendar, Event

    store_id = data.meta.get("store_id") or "store"
    cal = Calendar()
    cal.add("prodid", "-//actiontrack//Action plan deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Action plan deadlines")
    stamp = stamp or datetime.now(UTC)
    items: list[Item] = [a for a in data.actions.values() if not plan or a.plan == plan]
    if not plan:
        items += list(data.resolutions.values())
    for item in sorted(items, key=order):
        if item.is_closed:
            continue
        if item.due:
            cal.add_component(_event(Event, f"{item.ref}@{store_id}.actiontrack", item.due,
                                     f"{item.ref} due: {item.title}", _description(data, item), stamp,
                                     rules.revisions(item)))
        for m in item.milestones:
            if m.done_on is None:
                cal.add_component(_event(Event, f"{item.ref}.m{m.number}@{store_id}.actiontrack", m.due,
                                         f"{item.ref} milestone {m.number}: {m.title}",
                                         f"Milestone of {item.ref} ({item.title}). Owner: {item.owner}.", stamp, 0))
    return cal.to_ical()


def _event(Event, uid: str, day: date, summary: str, description: str, stamp: datetime, sequence: int):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not time booked out
    event.add("sequence", sequence)  # each change of the date is a new version of the same event
    return event


def _description(data: StoreData, item: Item) -> str:
    where = (f"Committee: {item.body}, minute {item.minute}" if item.kind == "resolution"
             else f"Plan {item.plan}, theme {item.plan}.{item.theme}")
    baseline = item.baseline_due.strftime("%d/%m/%Y") if item.baseline_due else "none"
    return (f"{where}. Owner: {item.owner}. Status: {item.status}. RAG: {item.rag or 'not set'}. "
            f"Baseline due: {baseline}; moved {rules.reschedules(item)} time(s).")
