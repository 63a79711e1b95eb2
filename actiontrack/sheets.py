"""Spreadsheets as plain rows: CSV (as Excel saves it) and .xlsx (openpyxl).

Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CRLF; its plain
"CSV" on a UK Windows machine is cp1252.  Both read the same here.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Any

from actiontrack.errors import BadInput


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # rows[i] is spreadsheet row i + 1


def read_sheets(path: str) -> list[Sheet]:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        return [read_csv(path)]
    if ext in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    raise BadInput(f"'{path}' is not a .csv, .xlsx or .json file")


def read_csv(path: str) -> Sheet:
    raw = _read_bytes(path)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise BadInput(f"'{path}' is neither UTF-8 nor Windows-1252 text")
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as e:
        raise BadInput(f"'{path}' is not a readable CSV file: {e}") from None
    return Sheet(os.path.splitext(os.path.basename(path))[0], rows)


def read_xlsx(path: str) -> list[Sheet]:
    from openpyxl import load_workbook

    _read_bytes(path)  # a clear error for a missing or unreadable file
    try:
        # data_only: the values Excel last calculated, not the formulas behind them.
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise BadInput(f"'{path}' is not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        return [Sheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    finally:
        book.close()


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise BadInput(f"no file '{path}'") from None
    except IsADirectoryError:
        raise BadInput(f"'{path}' is a folder, not a file") from None
    except OSError as e:
        raise BadInput(f"cannot read '{path}': {e.strerror}") from None
