"""Import: what a council sheet's layout means, and how its problems are reported."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from tests.test_corpus import DATA


def csv_file(tmp_path, text: str, name: str = "plan.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sheet_numbers_become_refs_and_adding_continues_after_the_highest(run):
    run.ok("init")
    run.ok("import", str(DATA / "merged.xlsx"), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-2.3")["title"] == "Local residential home"  # not SUFF-2.2
    assert "SUFF-2.4" in run.ok("action", "add", "SUFF.2", "Another home", "--owner", "Head of Placements",
                                "--due", "31/03/2023")


def test_a_sheet_number_already_taken_falls_back_to_the_next_ref(run, tmp_path):
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan")
    run.ok("theme", "add", "SUFF", "2", "Placements", "--officer", "Head of Placements")
    for title in ("First", "Second", "Third"):
        run.ok("action", "add", "SUFF.2", title, "--owner", "Head of Placements", "--due", "31/03/2023")
    path = csv_file(tmp_path, "Ref,Theme,Action,Lead Officer\n2.3,2,Something else,Head of Placements\n")
    assert run.json("import", str(path), "--plan", "SUFF")["rows"][0]["ref"] == "SUFF-2.4"


def test_a_taken_sheet_number_is_numbered_past_the_sheet_not_into_its_next_rows(run, tmp_path):
    """Left alone on 3 Dec: the sheet's 2.3, taken, became SUFF-2.4, so its 2.4 became
    SUFF-2.5 and so on down the theme: every later ref unlike the minutes'.  Now only the
    clashing row moves, past the highest number the sheet gives; a row with no number of
    its own is numbered past them too."""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan")
    run.ok("theme", "add", "SUFF", "2", "Placements", "--officer", "Head of Placements")
    for title in ("First", "Second", "Third"):
        run.ok("action", "add", "SUFF.2", title, "--owner", "Head of Placements", "--due", "31/03/2023")
    path = csv_file(tmp_path, "Ref,Theme,Action,Lead Officer\n"
                              "2.3,2,Something else,Head of Placements\n"
                              ",2,No number of its own,Head of Placements\n"
                              "2.4,2,Fourth,Head of Placements\n"
                              "2.5,2,Fifth,Head of Placements\n")
    out = run.json("import", str(path), "--plan", "SUFF")
    assert [r["ref"] for r in out["rows"]] == ["SUFF-2.6", "SUFF-2.7", "SUFF-2.4", "SUFF-2.5"]
    assert out["numbers_taken"] == ["plan row 2: SUFF-2.3 is SUFF-2.6"]


def test_plan_title_is_the_row_naming_the_plan_not_the_council(run):
    run.ok("init")
    run.ok("import", str(DATA / "merged.xlsx"), "--plan", "SUFF")
    assert run.json("plan", "list")[0]["title"] == "Sufficiency Action Plan 2022-2025"


def test_carried_down_cells_are_said_on_a_dry_run_too(run):
    run.ok("init")
    out = run.json("import", str(DATA / "merged.xlsx"), "--plan", "SUFF", "--dry-run")
    assert out["carried_down"] == ["Theme: sheet 'Plan', rows 6-7, 9", "Lead Officer: sheet 'Plan', rows 6, 9"]
    assert out["totals_rows"] == ["sheet 'Plan', row 10"]
    assert [r["ref"] for r in out["rows"]] == ["SUFF-1.1", "SUFF-1.2", "SUFF-1.3", "SUFF-2.1", "SUFF-2.3"]


def test_a_blank_owner_outside_a_merged_range_is_still_missing(run, tmp_path):
    """Only a merged Lead Officer cell means "as above": a CSV has none, so a blank is a gap."""
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Target Date\nA,Head of Service,30/11/2022\nB,,30/11/2022\n")
    run.refused("import", str(path), "--plan", "SUFF", says="the owner is missing", details=True)


def test_accountable_officer_row_names_the_themes_officer(run):
    run.ok("init")
    run.ok("import", str(DATA / "officer-rows.xlsx"), "--plan", "PERM")
    assert [(t["theme"], t["officer"]) for t in run.json("theme", "list")] == [
        ("PERM.1", "Head of Early Help"), ("PERM.2", "Head of Corporate Parenting")]


def test_bad_rows_are_counted_once_however_many_problems(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Target Date,RAG\nA,,31/02/2022,Purple\nB,,30/11/2022,Green\n")
    line = run.refused("import", str(path), "--plan", "SUFF", says="", details=True)
    assert line == f"Error: 2 bad rows (4 problems) in {path}; nothing was imported:"
    path = csv_file(tmp_path, "Action,Lead Officer,RAG\nA,,Purple\n")
    assert run.refused("import", str(path), "--plan", "SUFF", details=True) == (
        f"Error: 1 bad row (2 problems) in {path}; nothing was imported:")


def test_a_huge_cell_is_quoted_to_80_characters(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Target Date\nA,Head of Service,\"" + "x" * 100_000 + "\"\n")
    result = run("import", str(path), "--plan", "SUFF")
    assert result.exit_code == 2
    detail = result.stderr.splitlines()[1]
    assert f"value '{'x' * 79}…' (100,000 characters): " in detail and len(detail) < 400


def test_a_multiline_cell_is_quoted_on_one_line(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,RAG\nA,Head of Service,\"Purple\nish\"\n")
    run.refused("import", str(path), "--plan", "SUFF", says="value 'Purple ish'", details=True)


def test_an_unterminated_quote_names_the_line(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Target Date\r\nA,Head of Service,30/11/2022\r\n"
                              "\"B,Head of Service,30/11/2022\r\nC,Head of Service,30/11/2022\r\n")
    run.refused("import", str(path), "--plan", "SUFF", says="the CSV is malformed at line 3")


def test_stray_quotes_inside_a_cell_still_read(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer\nThe \"Mockingbird\" model,Fostering Manager\n")
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["title"] == "The \"Mockingbird\" model"


def test_a_blank_target_date_is_reported_like_tbc(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Target Date,Revised Date\nA,Head of Service,TBC,\n"
                              "B,Head of Service,,\nC,Head of Service,,31/03/2023\n")
    out = run.ok("import", str(path), "--plan", "SUFF")
    assert "row 2 says 'TBC'; kept with no due date." in out
    assert "row 3 has a blank date; kept with no due date." in out
    assert "row 4" not in out  # dated by its Revised Date
    assert run.json("action", "show", "SUFF-1.3")["baseline_due"] == "2023-03-31"


def test_no_target_date_column_is_not_a_blank_date(run, tmp_path):
    run.ok("init")
    out = run.ok("import", str(csv_file(tmp_path, "Action,Lead Officer\nA,Head of Service\n")), "--plan", "SUFF")
    assert "No date" not in out


def test_merged_title_across_the_whole_row_is_cheap(run, tmp_path):
    """A title merged to the last column (16,384 of them) is clipped to the sheet's used area."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Sufficiency Action Plan"])
    ws.merge_cells("A1:XFD1")
    ws.append(["Action", "Lead Officer"])
    ws.append(["A", "Head of Service"])
    wb.save(tmp_path / "wide.xlsx")
    run.ok("init")
    run.ok("import", str(tmp_path / "wide.xlsx"), "--plan", "SUFF")
    assert run.json("plan", "list")[0]["title"] == "Sufficiency Action Plan"


def test_a_date_cell_outside_the_years_kept_is_a_bad_row_not_a_stored_date(run, tmp_path):
    """Excel hands a date cell over as a date, never as text to parse: its range is checked too."""
    from datetime import datetime

    run.ok("init")
    book = Workbook()
    sheet = book.active
    sheet.append(["Theme", "Action", "Lead Officer", "Target Date"])
    sheet.append([1, "Far-off action", "Head of Service", datetime(9999, 12, 31)])
    path = tmp_path / "far.xlsx"
    book.save(path)
    run.refused("import", str(path), "--plan", "SUFF", says="in the year 9999", details=True)


def test_a_csv_row_split_at_an_unquoted_comma_is_a_bad_row_not_lost_text(run, tmp_path):
    """Found by a new-user trial: 'Budget £2,000 agreed', unquoted in a Windows-1252 CSV,
    imported as 'Budget £2' and the rest dropped without a word.  Now the row is named and
    nothing is imported; the same text quoted imports whole."""
    run.ok("init")
    before = run.snapshot()
    run.refused("import", str(DATA / "unquoted-comma.csv"), "--plan", "SUFF", code=2, details=True,
                says="more cells than the header has columns (beyond it: '000 agreed at “Cabinet”')")
    assert run.snapshot() == before
    text = (DATA / "unquoted-comma.csv").read_bytes().decode("cp1252").replace("Budget £2,000 agreed at “Cabinet”",
                                                                               '"Budget £2,000 agreed at “Cabinet”"')
    fixed = tmp_path / "quoted.csv"
    fixed.write_bytes(text.encode("cp1252"))
    run.ok("import", str(fixed), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["history"][-1]["note"] == "Budget £2,000 agreed at “Cabinet”"


def test_a_workbook_note_beside_the_table_is_not_a_bad_row(run, tmp_path):
    """Only text files split cells at commas: in a workbook, a cell right of the header's
    last column is a note beside the table, and the row still imports."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Action", "Owner", "Due"])
    ws.append(["1.1", "Refresh the commissioning plan", "Head of Service", "30/11/2022", "see the Board paper"])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    run.ok("init")
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["title"] == "Refresh the commissioning plan"


def test_a_completion_with_no_date_says_which_day_it_took(run, tmp_path):
    """Found by a new-user trial: 'Done' with no Date Completed column was recorded as
    completed on the due date (or the as-of date) without a word, which can hide a late
    completion.  The day is still taken, and the summary names it for each row."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Owner,Due,Status\n1.1,Refresh the plan,Head of Service,31/03/2023,Done\n"
                              "1.2,Audit,Head of Service,30/06/2024,Complete\n1.3,Review,Head of Service,30/06/2023,"
                              "In progress\n")
    out = run.ok("import", str(path), "--plan", "SUFF", as_of="01/12/2023")
    assert ("No completion date: sheet 'plan', row 2 says complete; SUFF-1.1 recorded as completed on "
            "31 Mar 2023, its due date (give the day in a Date Completed column).") in out
    assert "SUFF-1.2 recorded as completed on 01 Dec 2023, the as-of date" in out and "SUFF-1.3 recorded" not in out
    assert run.json("action", "show", "SUFF-1.1", as_of="01/12/2023")["completed_on"] == "2023-03-31"
    assert len(run.json("import", str(path), "--plan", "SUFF", "--dry-run", as_of="01/12/2023")[
        "completed_on_taken"]) == 0  # already complete: nothing taken again


def test_a_blue_rag_beside_a_status_that_disagrees_is_a_bad_row(run, tmp_path):
    """Found by a new-user trial: RAG 'Blue' (done) beside Status 'Not started' was quietly
    not started: the two columns disagree, so the row is named, not guessed."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Owner,Due,RAG,Status\n1.1,Refresh the plan,Head of Service,31/03/2023,"
                              "Blue,Not started\n")
    run.refused("import", str(path), "--plan", "SUFF", details=True,
                says="value 'Not started': says not-started, but the RAG column says 'Blue' (complete)")
    agreeing = csv_file(tmp_path, "Ref,Action,Owner,Due,RAG,Status\n1.1,Refresh the plan,Head of Service,"
                                  "31/03/2023,Blue,Complete\n", name="agreeing.csv")
    run.ok("import", str(agreeing), "--plan", "SUFF", as_of="01/12/2023")
    assert run.json("action", "show", "SUFF-1.1", as_of="01/12/2023")["status"] == "complete"


def test_a_completion_date_beside_an_open_status_is_a_bad_row(run, tmp_path):
    """Found by a new-user trial: 'In progress' with a Date Completed kept the action in
    progress and dropped the date without a word.  The columns disagree, so the row is
    named; a Date Completed with no Status at all is a completion on that day."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Owner,Due,Status,Date Completed\n"
                              "1.1,Refresh the plan,Head of Service,31/03/2023,In progress,14/12/2022\n")
    run.refused("import", str(path), "--plan", "SUFF", details=True, as_of="01/12/2023",
                says="value '14 Dec 2022': a completion date, but the Status column says in-progress: give Complete, "
                     "or clear the date")
    for status in ("", "Complete"):  # blank first: it alone makes the action complete
        path = csv_file(tmp_path, "Ref,Action,Owner,Due,Status,Date Completed\n"
                                  f"1.1,Refresh the plan,Head of Service,31/03/2023,{status},14/12/2022\n",
                        name=f"status-{status or 'blank'}.csv")
        run.ok("import", str(path), "--plan", "SUFF", as_of="01/12/2023")
        shown = run.json("action", "show", "SUFF-1.1", as_of="01/12/2023")
        assert (shown["status"], shown["completed_on"]) == ("complete", "2022-12-14"), (status, shown)


def test_a_sheet_with_a_header_and_no_rows_says_so(run, tmp_path):
    """From a new-user trial: an empty template sent back (its header and nothing else)
    was told it had no header with an Action column, which it plainly has."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Owner,Due,Status\n,,,,\n")
    run.refused("import", str(path), "--plan", "SUFF",
                says="the header is there (sheet plan) but no row under it has an action")
    none = csv_file(tmp_path, "Notes\nNothing here\n", name="notes.csv")
    run.refused("import", str(none), "--plan", "SUFF", says="no sheet has a header with an Action column")


def test_a_sheet_giving_only_the_baseline_does_not_move_a_rescheduled_action_back(run, tmp_path):
    """Found by a new-user trial: the plan as adopted, imported again after a reschedule,
    moved the action back to its baseline ("imported") without a word.  Its one date is
    the baseline the action has; a different date, or a Revised Date, still moves it."""
    run.ok("init")
    sheet = "Ref,Action,Owner,Target Date\n1.1,Refresh the plan,Head of Service,30/09/2022\n"
    run.ok("import", str(csv_file(tmp_path, sheet)), "--plan", "SUFF", as_of="20/07/2022")
    run.ok("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "Awaiting the market statement")
    out = run.json("import", str(csv_file(tmp_path, sheet, name="again.csv")), "--plan", "SUFF")
    assert out["counts"]["unchanged"] == 1, out
    shown = run.json("action", "show", "SUFF-1.1")
    assert (shown["baseline_due"], shown["due"], shown["reschedules"]) == ("2022-09-30", "2023-01-31", 1)
    moved = "Ref,Action,Owner,Target Date\n1.1,Refresh the plan,Head of Service,28/02/2023\n"
    run.ok("import", str(csv_file(tmp_path, moved, name="moved.csv")), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["due"] == "2023-02-28"
    back = "Ref,Action,Owner,Target Date,Revised Date\n1.1,Refresh the plan,Head of Service,30/09/2022,30/09/2022\n"
    run.ok("import", str(csv_file(tmp_path, back, name="back.csv")), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["due"] == "2022-09-30"


def test_a_sheet_s_own_ref_beside_an_action_entered_by_hand_matches_its_wording(run, tmp_path):
    """Found by a new-user trial: a sheet numbering its rows '1.3' imported beside the
    action SUFF-1.3 typed in by hand, worded the same, made a duplicate SUFF-1.4."""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Commissioning", as_of="20/07/2022")
    run.ok("action", "add", "SUFF.1", "Refresh the plan", "--owner", "Head of Service", "--due", "30/09/2022",
           as_of="20/07/2022")
    sheet = csv_file(tmp_path, "Theme,Ref,Action,Owner,Target Date\n1,1.3,Refresh the plan,Head of Service,30/09/2022\n"
                               "1,1.4,A new action,Head of Service,31/03/2023\n")
    out = run.json("import", str(sheet), "--plan", "SUFF")
    assert out["counts"] == {"create": 1, "update": 0, "unchanged": 1}, out
    assert [a["title"] for a in run.json("action", "list")] == ["Refresh the plan", "A new action"]


@pytest.mark.parametrize("ref", ["SUFF-2.3", "2.3"])
def test_a_new_row_s_own_number_names_its_theme_with_no_theme_column(run, tmp_path, ref):
    """Found by a third new-user trial: with no Theme column, a new row 'SUFF-2.3' (or
    '2.3') became SUFF-1.4 in theme 1, where the README says it becomes SUFF-2.3."""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Commissioning", as_of="20/07/2022")
    sheet = csv_file(tmp_path, f"Ref,Action,Owner,Target Date\n{ref},Placements close to home,Head of Service,"
                               "30/09/2023\n")
    run.ok("import", str(sheet), "--plan", "SUFF")
    assert [(a["ref"], a["theme"]) for a in run.json("action", "list")] == [("SUFF-2.3", "SUFF.2")]


def test_an_owner_with_a_line_break_typed_in_its_cell_reads_with_a_space(run, tmp_path):
    """Found by a third new-user trial: Alt+Enter in an owner's cell refused the whole
    sheet, quoting the value with the break already shown as a space."""
    run.ok("init")
    sheet = csv_file(tmp_path, 'Ref,Action,Owner\n1.1,Refresh the plan,"Specialist\nCommissioning Manager"\n')
    run.ok("import", str(sheet), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["owner"] == "Specialist Commissioning Manager"


def _with_saved_values(path, values: dict[str, str]) -> None:
    """The workbook at `path` as Excel saves it: each formula cell named in `values` with its
    worked-out value saved beside the formula (openpyxl itself never saves one)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in values.items():
        sheet, found = re.subn(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?', rf"\1<v>{value}</v>", sheet)
        assert found == 1, (cell, sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_formula_with_no_saved_value_is_refused_not_read_as_blank(run, tmp_path):
    """Found by a new-user trial: a workbook written by a program (openpyxl, a script) keeps
    its formulas with no value worked out; read as blanks, a due date of =DATE(2023,3,31)
    became 'no due date' (and a commentary so written went missing), exit 0.  Saved by Excel (its value
    beside the formula), the same sheet reads as the values."""
    run.ok("init")
    book = Workbook()
    sheet = book.active
    sheet.append(["Theme", "Action", "Lead Officer", "Target Date", "Commentary", "Flag"])
    # Flag: a formula whose value is "" once worked out, as =IF(..., "", ...) often is; Excel
    # saves that as an empty value, which reads as blank: a calculated workbook may hold one.
    sheet.append([1, "Refresh the plan", "Head of Service", "=DATE(2023,3,31)", "On track", '=IF(D2>0,"","late")'])
    sheet.append(["Totals", None, None, None, "=COUNTA(B2:B2)"])
    sheet["D2"].number_format = "dd/mm/yyyy"  # a date cell, as Excel shows it
    book.save(tmp_path / "formulas.xlsx")
    before = run.bytes()
    run.refused("import", str(tmp_path / "formulas.xlsx"), "--plan", "SUFF",
                says="sheet 'Sheet', cell D2: a formula (=DATE(2023,3,31)) with no value saved")
    assert run.bytes() == before
    _with_saved_values(tmp_path / "formulas.xlsx", {"D2": "45016", "E3": "1"})
    run.ok("import", str(tmp_path / "formulas.xlsx"), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["due"] == "2023-03-31"


def test_an_uncalculated_sum_in_a_totals_row_does_not_stop_the_import(run, tmp_path):
    """From a new-user trial: a =SUM with no value saved, in the Totals row the import skips,
    refused the whole sheet ("a formula ... with no value saved")."""
    run.ok("init")
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead Officer", "Target Date", "Budget"])
    sheet.append(["1.1", "Refresh the plan", "Head of Service", "31/03/2023", 1200])
    sheet.append(["Total", None, None, None, "=SUM(E2:E2)"])
    book.save(tmp_path / "totals.xlsx")
    out = run.ok("import", str(tmp_path / "totals.xlsx"), "--plan", "SUFF")
    assert "Skipped totals rows" in out
    assert run.json("action", "show", "SUFF-1.1")["due"] == "2023-03-31"


def test_a_csv_cell_guarded_against_formulas_reads_as_its_text(run, tmp_path):
    """Found by a new-user trial: the quote a CSV export puts before text a spreadsheet would
    run ("'-2+3 savings target", "'@SUM(A1)") came back as part of the text, and made a
    2,000-character commentary one character too long.  A "Title" column is the action."""
    run.ok("init")
    path = csv_file(tmp_path, "Title,Owner,Due,Commentary\n'-2+3 savings target,'@SUM(A1),31/03/2023,'=" + "x" * 1999
                    + "\nPlain 'quoted' title,Head of Service,31/03/2023,'not a guard\n")
    run.ok("import", str(path), "--plan", "SUFF")
    first, second = run.json("action", "list")
    assert (first["title"], first["owner"]) == ("-2+3 savings target", "@SUM(A1)")
    assert run.json("action", "show", first["ref"])["history"][-1]["note"] == "=" + "x" * 1999
    assert second["title"] == "Plain 'quoted' title"
    assert run.json("action", "show", second["ref"])["history"][-1]["note"] == "'not a guard"


def test_actiontracks_own_csv_export_is_not_taken_for_a_plan_sheet(demo, tmp_path):
    """Found by a new-user trial: the CSV export imported back put every plan's rows under
    --plan's, made each theme key a new theme and each resolution an action, exit 0."""
    demo.ok("export", "--format", "csv", "--output", str(tmp_path / "export.csv"))
    before = demo.json("action", "list")
    demo.refused("import", str(tmp_path / "export.csv"), "--plan", "SUFF",
                 says="sheet 'export' is actiontrack's own export, not a plan's sheet: to carry a store over, "
                      "'export --format json' and import that file")
    assert demo.json("action", "list") == before


def test_a_semicolon_csv_reads_by_semicolons_and_a_comma_csv_keeps_its_semicolons(run, tmp_path):
    """Found by a new-user trial: Excel where a comma is the decimal point writes CSV with
    semicolons, and such a file had "no header with an Action column"."""
    run.ok("init")
    semi = csv_file(tmp_path, 'Action;Lead Officer;Target Date\nRefresh the plan;Head of Service;31/03/2023\n'
                              '"Review; then report";Head of Placements;30/04/2023\n', "semi.csv")
    run.ok("import", str(semi), "--plan", "SEMI")
    assert [(a["title"], a["owner"]) for a in run.json("action", "list")] == [
        ("Refresh the plan", "Head of Service"), ("Review; then report", "Head of Placements")]
    commas = csv_file(tmp_path, "Action,Lead Officer,Target Date\nReview; then report; then decide,Head,31/05/2023\n",
                      "commas.csv")
    run.ok("import", str(commas), "--plan", "COMMA")
    assert run.json("action", "list", "--plan", "COMMA")[0]["title"] == "Review; then report; then decide"


def test_a_date_cell_holding_excels_count_of_days_says_so(run, tmp_path):
    """Found by a new-user trial: 44895 (30 Nov 2022 as Excel counts days) said only that it
    was not a date."""
    run.ok("init")
    run.refused("import", str(csv_file(tmp_path, "Action,Lead Officer,Target Date\nRefresh,Head,44895\n")), "--plan",
                "SUFF", says="a number like that is a day as Excel counts them: format the column as dates", details=True)


def test_a_second_header_row_under_a_merged_heading_names_its_columns(run, tmp_path):
    """Found by a new-user trial: "Dates" merged over "Target" and "Revised" on the row
    below was read as an action with no title and no owner."""
    run.ok("init")
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead Officer", "Dates", None, "RAG"])
    sheet.merge_cells("D1:E1")
    sheet.append([None, None, None, "Target", "Revised", None])
    sheet.append(["1.1", "Refresh the plan", "Head of Service", "30/11/2022", "31/01/2023", "Amber"])
    sheet.append(["1.2", "Market position statement", "Head of Commissioning", "31/12/2022", None, "Green"])
    book.save(tmp_path / "two-rows.xlsx")
    run.ok("import", str(tmp_path / "two-rows.xlsx"), "--plan", "SUFF")
    assert [(a["ref"], a["baseline_due"], a["due"], a["rag"]) for a in run.json("action", "list")] == [
        ("SUFF-1.1", "2022-11-30", "2023-01-31", "amber"), ("SUFF-1.2", "2022-12-31", "2022-12-31", "green")]


def test_a_sheet_number_whose_ref_was_given_before_is_said(run, tmp_path):
    """Found by a second new-user trial: an import undone and run again gave the sheet's 2.1
    and 2.2 the refs SUFF-2.3 and SUFF-2.4 without a word (a ref is never given twice, even
    after an undo), so Board papers quoting 2.1 named another action."""
    run.ok("init")
    sheet = csv_file(tmp_path, "Ref,Action,Owner,Target Date\n2.1,Placement planning meetings,Head of Resources,"
                               "30/11/2022\n2.2,Options appraisal,Head of Resources,31/03/2023\n")
    assert "Refs given before" not in run.ok("import", str(sheet), "--plan", "SUFF")
    run.ok("undo")
    out = run.ok("import", str(sheet), "--plan", "SUFF")
    assert "Refs given before (a ref is never given twice, even after an undo): sheet 'plan', row 2: SUFF-2.1 is " \
           "SUFF-2.3; sheet 'plan', row 3: SUFF-2.2 is SUFF-2.4." in " ".join(out.split())
    taken = run.json("import", str(sheet), "--plan", "SUFF", "--dry-run")
    assert taken["numbers_taken"] == [] and taken["counts"]["unchanged"] == 2  # matched by ref now: nothing new


@pytest.mark.parametrize("width", [80, 60])
def test_imports_notes_fit_the_terminal_between_words(run, monkeypatch, width):
    """From a new-user trial: import's notes under its table ran to 163 columns at COLUMNS=80."""
    from rich.cells import cell_len

    run.ok("init")
    monkeypatch.setenv("COLUMNS", str(width))
    out = run.ok("import", str(DATA / "officer-rows.xlsx"), "--plan", "PERM")
    assert max(cell_len(line) for line in out.splitlines()) <= width
    said = " ".join(out.split())
    assert "POFF" not in said and "PERM-1.1 recorded as completed on 30 Jun 2022, its due date (give the day in a " \
        "Date Completed column)." in said  # whole, broken only between words


def test_a_note_row_in_the_table_does_not_renumber_the_sheets_refs_and_is_said(run, tmp_path):
    """From a new-user trial: a one-cell note ("Carried forward from the 2021/22 plan")
    between 1.1 and 1.2 was read as a new theme, and the sheet's 1.2 became MN-2.1 without
    a word.  A heading with no number takes the theme the rows' own numbers name, and the
    rows read as headings are said."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,Target Date\n"
                              ",Note: actions below were agreed at the July Board,,\n"
                              "1.1,First,Head of Service,30/11/2022\n"
                              ",Carried forward from the 2021/22 plan,,\n"
                              "1.2,Second,Head of Service,30/11/2022\n"
                              "Placements close to home,,,\n"
                              "2.1,Third,Head of Service,30/11/2022\n")
    out = run.json("import", str(path), "--plan", "MN", "--dry-run")
    assert [r["ref"] for r in out["rows"]] == ["MN-1.1", "MN-1.2", "MN-2.1"]
    assert out["theme_headings"] == ["sheet 'plan', row 2: 'Note: actions below were agreed at the July Board'",
                                     "sheet 'plan', row 4: 'Carried forward from the 2021/22 plan'",
                                     "sheet 'plan', row 6: 'Placements close to home'"]
    said = " ".join(run.ok("import", str(path), "--plan", "MN").split())
    assert ("Read as theme headings (with no number of their own): sheet 'plan', row 2: 'Note: actions below were "
            "agreed at the July Board';") in said
    assert [t["title"] for t in run.json("theme", "list")] == [
        "Note: actions below were agreed at the July Board", "Placements close to home"]


def test_a_sheet_ref_that_is_no_number_in_the_plans_theme_is_said_with_the_ref_given(run, tmp_path):
    """From a new-user trial: "2.3a", "A1", "7" and another plan's "SUFF-2.9" became refs in
    theme 1 or in this plan without a word, where a number already given is said."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Theme,Action,Lead Officer\n"
                              "SUFF-2.9,2,Another plan's number,Head of Service\n"
                              "2.3a,2,A letter after it,Head of Service\n"
                              "A1,2,No number,Head of Service\n"
                              "2.4,2,As the sheet says,Head of Service\n")
    out = run.json("import", str(path), "--plan", "PERM", "--dry-run")
    assert [r["ref"] for r in out["rows"]] == ["PERM-2.9", "PERM-2.10", "PERM-2.11", "PERM-2.4"]
    assert out["refs_not_kept"] == ["plan row 2: SUFF-2.9 is PERM-2.9", "plan row 3: 2.3a is PERM-2.10",
                                    "plan row 4: A1 is PERM-2.11"]
    said = " ".join(run.ok("import", str(path), "--plan", "PERM").split())
    assert ("Sheet refs that are not a number in this plan's theme: sheet 'plan', row 2: 'SUFF-2.9' is PERM-2.9; "
            "sheet 'plan', row 3: '2.3a' is PERM-2.10; sheet 'plan', row 4: 'A1' is PERM-2.11.") in said


def test_a_second_header_row_under_a_merged_timescale_names_target_and_revised(run, tmp_path):
    """From a new-user trial: "Timescale" (itself a name for the target date) merged over
    "Target Date" and "Revised Date" on the row below, Ref, Action and RAG merged down
    both rows: the second row was read as an action of bad dates.  And a five-point RAG
    ("A/G", "Amber/Green", "R/A") is read as the three kept."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Sufficiency Action Plan"])
    ws.append(["Ref", "Action", "Lead Officer", "Timescale", None, "RAG"])
    ws.append([None, None, None, "Target Date", "Revised Date", None])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3"):
        ws.merge_cells(cells)
    ws.append(["1.1", "First", "Head of Service", "30/09/2022", "31/01/2023", "A/G"])
    ws.append(["1.2", "Second", "Head of Service", "31/03/2023", None, "Amber/Green"])
    ws.append(["1.3", "Third", "Head of Service", "31/03/2023", None, "R/A"])
    wb.save(tmp_path / "plan.xlsx")
    run.ok("init")
    run.ok("import", str(tmp_path / "plan.xlsx"), "--plan", "SUFF")
    shown = [run.json("action", "show", f"SUFF-1.{n}") for n in (1, 2, 3)]
    assert [(a["baseline_due"], a["due"], a["rag"]) for a in shown] == [
        ("2022-09-30", "2023-01-31", "amber"), ("2023-03-31", "2023-03-31", "amber"),
        ("2023-03-31", "2023-03-31", "red")]


def test_a_sheets_other_title_for_a_theme_is_said_not_changed(run, tmp_path):
    """From a new-user trial: a sheet headed "Theme 1: Early permanence" imported into a plan
    whose theme 1 is "Commissioning" went under it without a word."""
    sheet = "Ref,Action,Lead Officer,Target Date\n{heading},,,\n1.1,First,Head of Commissioning,30/11/2022\n"
    run.ok("init")
    run.ok("import", str(csv_file(tmp_path, sheet.format(heading="Theme 1: Commissioning and Sufficiency"))),
           "--plan", "OFF")
    again = run.ok("import", str(csv_file(tmp_path, sheet.format(heading="Theme 1:  commissioning & sufficiency"))),
                   "--plan", "OFF")
    assert "Theme titles" not in again  # the same title, spaced, cased and with "&" otherwise
    said = " ".join(run.ok("import", str(csv_file(tmp_path, sheet.format(heading="1. Early permanence"))),
                           "--plan", "OFF", "--dry-run").split())
    assert ("Theme titles the sheet gives, not changed ('actiontrack theme update KEY --title TEXT' changes one): "
            "OFF.1 'Early permanence' (the store has 'Commissioning and Sufficiency').") in said
    assert run.json("theme", "list")[0]["title"] == "Commissioning and Sufficiency"
    # A theme the sheet makes is said too (a second trial's "Theme 7: Workforce" was not).
    said = " ".join(run.ok("import", str(csv_file(tmp_path, sheet.format(heading="Theme 7: Workforce")
                                                  .replace("1.1,", "7.1,"))), "--plan", "OFF").split())
    assert "A new theme with its accountable officer: OFF.7 'Workforce' (Not recorded)." in said
    assert "Theme titles" not in said


def test_a_sheets_other_accountable_officer_for_a_theme_is_said_and_a_near_miss_refused(run, tmp_path):
    """From a new-user trial: importing the plan again with theme 2's officer changed to
    "Director of Placements", or typed "Head of Placement", was "2 unchanged" without a
    word.  Another officer is said (not changed); a letter from one known is a bad row."""
    sheet = "Ref,Action,Lead Officer,Target Date\nTheme 1: Commissioning,,,\n" \
            "Accountable officer: Head of Commissioning,,,\n1.1,First,Head of Commissioning,30/11/2022\n" \
            "Theme 2: Placements,,,\nAccountable officer: {officer},,,\n2.1,Second,Head of Placements,31/12/2022\n"
    run.ok("init")
    run.ok("import", str(csv_file(tmp_path, sheet.format(officer="Head of Placements"))), "--plan", "OFF")
    said = " ".join(run.ok("import", str(csv_file(tmp_path, sheet.format(officer="Director of Placements"))),
                           "--plan", "OFF").split())
    assert ("Accountable officers the sheet names, not changed ('actiontrack theme update KEY --officer NAME' "
            "changes one): OFF.2 'Director of Placements' (the store has 'Head of Placements').") in said
    assert run.json("theme", "list")[1]["officer"] == "Head of Placements"
    path = csv_file(tmp_path, sheet.format(officer="Head of Placement"))
    run.refused("import", str(path), "--plan", "OFF", details=True,
                says="row 7: the accountable officer 'Head of Placement' is not anyone here yet; "
                     "did you mean 'Head of Placements'?")
