"""Messy council sheets (tests/data, written by make_corpus.py) import as expected/<name>.json says.

Each expectation was checked by hand against the sheet: refs follow the sheet's own numbers,
merged cells carry down, totals rows are skipped, officer rows name the theme's officer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CASES = sorted(p.stem for p in (DATA / "expected").glob("*.json"))
ACTION_KEYS = ("ref", "title", "owner", "theme_title", "baseline_due", "due", "status", "rag")


def load(name: str) -> dict:
    return json.loads((DATA / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def imported(run, name: str) -> dict:
    """What the store holds after importing the case's sheet, in the expectation's terms."""
    themes = [{k: t[k] for k in ("theme", "title", "officer")} for t in run.json("theme", "list")]
    actions = [{k: a[k] for k in ACTION_KEYS} for a in run.json("action", "list")]
    return {"plan_title": run.json("plan", "list")[0]["title"], "themes": themes, "actions": actions}


@pytest.mark.parametrize("name", CASES)
def test_corpus_sheet_imports_as_expected(run, name):
    case = load(name)
    run.ok("init")
    sheet = str(DATA / case["file"])
    before = run.bytes()
    dry = run.ok("import", sheet, *case["args"], "--dry-run")
    assert run.bytes() == before
    for line in case["says"]:  # the dry run says all of it too: carried cells, totals, no dates
        assert line.replace("Imported", "Would import") in dry, (line, dry)
    out = run.ok("import", sheet, *case["args"])
    for line in case["says"]:
        assert line in out, (line, out)
    got = imported(run, name)
    assert got == {k: case[k] for k in ("plan_title", "themes", "actions")}
    for ref, fields in case.get("details", {}).items():
        shown = run.json("action", "show", ref)
        shown["note"] = shown["history"][-1]["note"]  # the latest commentary
        assert {k: shown[k] for k in fields} == fields
    again = run.json("import", sheet, *case["args"])
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": len(case["actions"])}
    assert imported(run, name) == got


def test_corpus_covers_what_councils_send():
    files = {load(name)["file"] for name in CASES}
    assert {"merged.xlsx", "libreoffice-merged.xlsx", "officer-rows.xlsx", "awkward-text.xlsx",
            "windows-1252.csv", "unicode-text.csv"} <= files
    assert all((DATA / f).is_file() for f in files)


def test_libreoffice_fixture_is_libreoffice_saved():
    """Not openpyxl's XML: LibreOffice writes its own application name and shared strings."""
    import zipfile

    with zipfile.ZipFile(DATA / "libreoffice-merged.xlsx") as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")
        assert b"<mergeCell " in z.read("xl/worksheets/sheet1.xml")


def test_corpus_sheet_goes_out_and_back_with_its_text_exact(run, tmp_path):
    """Formula-like text, emoji and a 2,000-character commentary survive an xlsx round trip."""
    case = load("awkward-text")
    run.ok("init")
    run.ok("import", str(DATA / case["file"]), *case["args"])
    out = tmp_path / "out.xlsx"
    run.ok("export", "--format", "xlsx", "--output", str(out))
    before = run.json("action", "list")
    assert run.json("import", str(out))["counts"]["unchanged"] == len(case["actions"])
    assert run.json("action", "list") == before


@pytest.mark.parametrize("row", [
    "Theme 1: Commissioning (Accountable officer: Head of Commissioning)",
    "Theme 1: Commissioning - Accountable Officer: Head of Commissioning",
    "Theme 1: Commissioning – accountable officer – Head of Commissioning",
    "Theme 1: Commissioning; Accountable officer: Head of Commissioning",
])
def test_a_theme_row_naming_its_officer_in_the_same_cell(run, tmp_path, row):
    """Found by a new-user trial: the officer was kept as part of the theme's title, and
    the theme said 'Not recorded', without a word."""
    sheet = tmp_path / "plan.csv"
    sheet.write_text(f"Ref,Action,Lead Officer,Target Date\n\"{row}\",,,\n"
                     "1.1,Refresh the commissioning plan,Specialist Commissioning Manager,30/11/2022\n",
                     encoding="cp1252")
    run.ok("init")
    run.ok("import", str(sheet), "--plan", "SUFF")
    (theme,) = run.json("theme", "list")
    assert (theme["title"], theme["officer"]) == ("Commissioning", "Head of Commissioning")
    assert [a["owner"] for a in run.json("action", "list")] == ["Specialist Commissioning Manager"]


def test_a_theme_row_with_its_officer_left_blank_or_after_a_full_stop(run, tmp_path):
    """Found by the second new-user trial: a blank officer came out as ")", and the full
    stop before "Accountable officer" stayed in the title."""
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Action,Lead Officer,Target Date\n"
                     "\"Theme 1: Health (Accountable officer: )\",,,\n"
                     "1.1,Health assessments on time,Designated Nurse,30/11/2022\n"
                     "\"Theme 2 – Placements. Accountable officer: Head of Placements\",,,\n"
                     "2.1,Local placements,Placements Manager,31/12/2022\n", encoding="utf-8")
    run.ok("init")
    run.ok("import", str(sheet), "--plan", "SUFF")
    assert [(t["title"], t["officer"]) for t in run.json("theme", "list")] == [
        ("Health", "Not recorded"), ("Placements", "Head of Placements")]


@pytest.mark.parametrize("name,encoding", [("unicode.txt", "utf-16"), ("plan.tsv", "utf-8")])
def test_a_tab_separated_sheet_under_its_own_name(run, tmp_path, name, encoding):
    """Excel names its "Unicode Text" save .txt; a title row of one cell has no tabs, so
    the separator is judged by the whole file (found by the second new-user trial)."""
    rows = ["Sufficiency Action Plan", "Theme 1: Commissioning",
            "Ref\tAction\tLead Officer\tTarget Date", "1.1\tRefresh, in full\tCommissioning Manager\t30/11/2022",
            "1.2\tMarket position statement\tCommissioning Manager\tTo be confirmed"]
    (tmp_path / name).write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    run.ok("init")
    run.ok("import", str(tmp_path / name), "--plan", "SUFF")
    assert [(a["ref"], a["title"], a["due"]) for a in run.json("action", "list")] == [
        ("SUFF-1.1", "Refresh, in full", "2022-11-30"), ("SUFF-1.2", "Market position statement", None)]


def test_a_workbook_renamed_to_csv_is_read_as_the_workbook(run, tmp_path):
    """From a new-user trial: a workbook saved with a .csv name (renamed, or a system that
    names every export so) was read as text, a page of binary no column matched.  It is
    read by what it is; an old .xls under that name is named as one."""
    case = load("libreoffice-merged")
    renamed = tmp_path / "returns.csv"
    renamed.write_bytes((DATA / case["file"]).read_bytes())
    run.ok("init")
    run.ok("import", str(renamed), *case["args"])
    assert imported(run, "libreoffice-merged") == {k: case[k] for k in ("plan_title", "themes", "actions")}
    old = tmp_path / "old.csv"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    run.refused("import", str(old), *case["args"], says="is an Excel 97-2003 workbook (.xls), not CSV text")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_no_byte_order_mark_is_read_as_utf16(run, tmp_path, encoding):
    """From a new-user trial: UTF-16 saved without its byte-order mark gave a wall of
    '\\x00' problems; it is read as the UTF-16 it is (accents and all)."""
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes("Ref,Action,Owner,Due\n1.1,Révision du plan,Head of Service,30/11/2022\n".encode(encoding))
    run.ok("init")
    run.ok("import", str(sheet), "--plan", "SUFF")
    assert [(a["ref"], a["title"]) for a in run.json("action", "list")] == [("SUFF-1.1", "Révision du plan")]
