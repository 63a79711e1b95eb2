"""Spreadsheets as plain rows: CSV (as Excel saves it) and .xlsx (openpyxl).

Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CRLF; its plain
"CSV" on a UK Windows machine is cp1252.  Both read the same here.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from typing import Any

from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern


@dataclass
class Sheet:
    """One worksheet (or a CSV file) as rows of cell values, and its merged ranges."""

    name: str
    rows: list[list[Any]]  # rows[i] is spreadsheet row i + 1
    # Cells below a merged cell's first row, in its first column, as (row, column) indexes
    # into `rows`, each to the row of the merged cell: they read as blank, but mean "the
    # same as the merged cell" (a Target Date merged down three actions' rows is theirs).
    merged: dict[tuple[int, int], int] = field(default_factory=dict)
    # Text: a row longer than its header is a cell split at a comma nobody quoted
    # ("Budget £2,000 agreed"), not a note beside the table as in a workbook.
    delimited: bool = False
    # The title printed at the top of each page (the page header's centre): where
    # `export --format xlsx` puts the plan's title, so a new plan takes it back.
    heading: str | None = None


ZIP = b"PK\x03\x04"  # how every .xlsx (a zip of XML files) begins
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how an Excel 97-2003 .xls begins


def read_sheets(path: str) -> list[Sheet]:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".csv", ".tsv", ".txt"):  # .txt: what Excel names its "Unicode Text" save
        # A workbook renamed to .csv (or saved by a tool that names every export so) is
        # read by what it is: as text it is a page of binary that no column matches.
        raw = _read_bytes(path)
        if raw.startswith(ZIP):
            return read_xlsx(path, raw)
        if raw.startswith(OLE):
            raise BadInput(f"'{path}' is an Excel 97-2003 workbook (.xls), not CSV text: save it as .xlsx or CSV")
        return [read_csv(path, raw)]
    if ext in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    raise BadInput(f"'{path}' is not a .csv, .tsv, .txt, .xlsx or .json file (save other spreadsheets as .xlsx)")


def read_csv(path: str, raw: bytes | None = None) -> Sheet:
    """`raw`: the file's bytes, when the caller has read them already."""
    raw = _read_bytes(path) if raw is None else raw
    delimiter = ","
    utf16 = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else _bare_utf16(raw)
    if utf16:
        # Excel's "Unicode Text" (and some "CSV UTF-16" saves): UTF-16 with its byte-order
        # mark, its cells separated by tabs; read as it is, not as a page of control characters.
        try:
            text = raw.decode(utf16)
        except UnicodeDecodeError:
            raise BadInput(f"'{path}' starts as UTF-16 text but is not: save it again as CSV UTF-8") from None
        delimiter = _tabs_or_commas(text)
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1252 decodes almost anything
            raise BadInput(f"'{path}' is neither UTF-8 nor Windows-1252 text")
        delimiter = _semicolons(text) if path.lower().endswith(".csv") else _tabs_or_commas(text)
    rows = [[_unguarded(cell) for cell in row] for row in _csv_rows(text, path, delimiter)]
    return Sheet(os.path.splitext(os.path.basename(path))[0], rows, delimited=True)


# What `export --format csv` (and other careful tools) put before text that a spreadsheet
# would run as a formula: a quote, shown by no spreadsheet.  Read back, it is not the text's.
_GUARDED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _unguarded(cell: str) -> str:
    """A CSV cell without the formula guard (found by a new-user trial: exported and imported
    again, an owner of "@SUM(A1)" came back as "'@SUM(A1)", and a 2,000-character
    commentary was one character too long to import)."""
    return cell[1:] if cell.startswith(_GUARDED) else cell


def _bare_utf16(raw: bytes) -> str | None:
    """UTF-16 saved without its byte-order mark (some exports do): text whose every other
    byte is nought, as Latin-script text is in UTF-16; which byte says the byte order."""
    head = raw[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 3:
        return None
    if head[1::2].count(0) > len(head) // 3:
        return "utf-16-le"
    if head[0::2].count(0) > len(head) // 3:
        return "utf-16-be"
    return None


def _semicolons(text: str) -> str:
    """A CSV's separator: a comma, or the semicolon Excel writes where a comma is the decimal
    point (found by a new-user trial: such a file had "no header with an Action column").
    Asked of the sniffer only when the file has semicolons at all."""
    if ";" not in text[:8192]:
        return ","
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;").delimiter
    except csv.Error:
        return ","


def _tabs_or_commas(text: str) -> str:
    """Tabs if the file has more of them than commas: counted over the whole text, as a
    title row above the header may have neither."""
    return "\t" if text.count("\t") > text.count(",") else ","


def _csv_rows(text: str, path: str, delimiter: str = ",") -> list[list[str]]:
    # Strict first, for the one mistake that matters: a quote never closed swallows every
    # later row into one cell, which would surface as a baffling "owner is missing".
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    rows: list[list[str]] = []
    start = 1  # the line the record being read starts on
    try:
        for row in reader:
            rows.append(row)
            start = reader.line_num + 1
        return rows
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise BadInput(f"'{path}': the CSV is malformed at line {start}: a quoted cell starts there "
                           "and its closing quote (\") is missing") from None
    try:  # stray quotes inside a cell (Excel writes none, people type them): read as Excel would
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as e:
        raise BadInput(f"'{path}' is not a readable CSV file: {e}") from None


def read_xlsx(path: str, raw: bytes | None = None) -> list[Sheet]:
    """`raw`: the file's bytes, when the caller has read them already."""
    from openpyxl import load_workbook

    raw = _read_bytes(path) if raw is None else raw  # a clear error for a missing or unreadable file
    try:
        # data_only: the values Excel last calculated, not the formulas behind them.  Not
        # read_only: only a full load knows the merged ranges (a merged Theme or Lead
        # Officer cell covers the rows below it).  The bytes, not the path: openpyxl
        # refuses a workbook by its name alone when that name is not .xlsx.
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise BadInput(f"'{path}' is not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        sheets = [Sheet(ws.title, [[_shown_value(c) for c in r] for r in ws.iter_rows()], _covered(ws),
                        heading=_heading(ws)) for ws in book.worksheets]
    finally:
        book.close()
    if _has_formulas(raw):
        _refuse_uncalculated(path, raw, sheets)
    return sheets


def _shown_value(cell: Any) -> Any:
    """A cell's value as the sheet shows it: a number formatted as a percentage is kept as
    0.865 and shown as 86.5% (a new-user trial's care leavers' figure was recorded as
    0.865, red against a target of 90)."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 10)  # 0.865 * 100 is 86.49999999999999
    return value


def _has_formulas(raw: bytes) -> bool:
    """Whether any sheet of the workbook holds a formula (its XML an <f> element): only then
    is the workbook read a second time, for the formulas themselves."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return any(b"<f>" in (xml := book.read(name)) or b"<f " in xml
                       for name in book.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


_TOTALS = Pattern(r"(grand\s+)?(sub-?\s*)?totals?(\s+(actions?|rows?|number|count))?\s*:?\s*[\d,]*", re.I)


def is_totals(cell: Any) -> bool:
    """A totals row's first cell ("Total", "Grand total", "Total actions: 12"), in an action
    plan or an indicator sheet."""
    return isinstance(cell, str) and bool(_TOTALS.fullmatch(cell.strip()))


def _refuse_uncalculated(path: str, raw: bytes, sheets: list[Sheet]) -> None:
    """A workbook written by a program that never calculates (openpyxl, a script) keeps its
    formulas with no value beside them: read as blanks, a due date or an update went missing
    without a word (found by a new-user trial).  Refused, naming the first formula, with the
    way to mend it.  Only when no formula in the workbook has a value: one that Excel or
    LibreOffice saved has its values, and a formula whose value is "" (=IF(..., "", ...))
    reads as blank there too, rightly."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), data_only=False)
    first = None
    try:
        for ws, sheet in zip(book.worksheets, sheets, strict=True):
            for r, row in enumerate(ws.iter_rows()):
                for c, cell in enumerate(row):
                    if cell.data_type != "f" or not str(cell.value).startswith("="):
                        continue
                    if r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] is not None:
                        return  # a value saved: the workbook was calculated
                    if r < len(sheet.rows) and is_totals(next((v for v in sheet.rows[r] if v not in (None, "")), None)):
                        continue  # a Totals row's =SUM: no reader takes it (a trial's sheet was refused for one)
                    first = first or f"sheet '{ws.title}', cell {cell.coordinate}: a formula ({cell.value})"
    finally:
        book.close()
    if first:
        raise BadInput(f"'{path}', {first} with no value saved: the program that wrote the file never worked it "
                       "out; open the file in Excel or LibreOffice, save it, and try again")


def _covered(ws) -> dict[tuple[int, int], int]:
    """Only down the merged cell's own column: a cell beside it (Action merged across the
    Lead Officer's column, say) would read as another field's text."""
    covered = {}
    for merged in ws.merged_cells.ranges:
        # Clipped to the used area: a title merged down the whole sheet spans a million rows.
        if merged.min_col <= ws.max_column:
            for row in range(merged.min_row + 1, min(merged.max_row, ws.max_row) + 1):
                covered[(row - 1, merged.min_col - 1)] = merged.min_row - 1
    return covered


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


def _heading(ws: Any) -> str | None:
    """The page header's centre text, as a person wrote it ("&&" is Excel's "&")."""
    try:
        text = ws.oddHeader.center.text
    except AttributeError:
        return None
    return " ".join(text.replace("&&", "&").split()) or None if isinstance(text, str) else None
