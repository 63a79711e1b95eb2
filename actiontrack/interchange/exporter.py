"""The store out: a lossless JSON copy, and the items and rows every export is made of.

json: the whole store, versioned; `import` reads it back into an empty store unchanged.
The spreadsheet, calendar and CSV exports (commands/render, commands/transfer) are all
made of `export_items` and `rows_for_export`, so they list the same items in one order.
"""

from __future__ import annotations

from datetime import date

from actiontrack.domain import rules
from actiontrack.domain.models import SCHEMA_VERSION, Item
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import decode, encode
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.reports.views import item_view, order

EXPORT_FORMAT = "actiontrack-export"
EXPORT_VERSION = 1


def export_tables(data: StoreData) -> dict:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema_version": SCHEMA_VERSION,
            "tables": encode(data)}


def import_tables(payload: object, where: str) -> StoreData:
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise BadInput(f"{where} is not an actiontrack JSON export")
    if payload.get("version") != EXPORT_VERSION or not isinstance(payload.get("tables"), dict):
        raise BadInput(f"{where} is an export version this actiontrack cannot read")
    try:
        return decode(payload["tables"], where)
    except StoreProblem as e:
        raise BadInput(e.message) from None


def export_items(data: StoreData, plan: str | None = None) -> list[Item]:
    """A plan's actions, or every action and then every resolution, in ref order."""
    items: list[Item] = [a for a in data.actions.values() if not plan or a.plan == plan]
    if not plan:
        items += list(data.resolutions.values())
    return sorted(items, key=order)


def rows_for_export(data: StoreData, as_of: date, plan: str | None = None) -> list[dict]:
    rows = []
    for item in export_items(data, plan):
        view = item_view(data, item, as_of)
        view.update(success=item.success, finance=item.finance, source=item.source,
                    external_ref=item.external_ref, commentary=rules.latest_commentary(item))
        rows.append(view)
    return rows
