"""Import rows and refs: pinned by the mutation run of refs.py and sheet_rows.py.

Each test pins a rule (or the exact wording of a problem line) that a surviving
mutant changed without any other test noticing."""

from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook

from tests.test_import_layout import csv_file

HEADER = "Ref,Action,Lead Officer,Target Date\n"


def xlsx_file(tmp_path, *rows, name="plan.xlsx"):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def details(run, path, *args, **kw) -> list[str]:
    result = run("import", str(path), "--plan", "SUFF", *args, **kw)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    return [line.strip() for line in result.stderr.splitlines()[1:]]


def test_a_control_character_in_any_text_cell_names_the_column_the_value_and_the_field(run, tmp_path):
    run.ok("init")
    bel = "\a"
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,Theme,Accountable Officer,Progress Update,Success Criteria,"
                              "Financial Implications\n" + ",".join(f"x{bel}" for _ in range(8)) + "\n")
    said = "contains a control character ('\\x07'); type plain text"
    assert details(run, path) == [f"sheet 'plan', row 2, column '{column}', value 'x\\x07': {what} {said}" for column, what in [
        ("Action", "the action"), ("Lead Officer", "the owner"), ("Ref", "the ref"), ("Theme", "the theme"),
        ("Accountable Officer", "the accountable officer"), ("Progress Update", "the commentary"),
        ("Success Criteria", "the success criteria"), ("Financial Implications", "the financial implications")]]


def test_line_breaks_are_kept_in_long_text_and_a_space_in_a_name(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,Success Criteria,Financial Implications\n"
                              '1.1,Refresh the plan,Head of Service,"Signed off\nby the Board","Within\rbudget"\n')
    run.ok("import", str(path), "--plan", "SUFF")
    shown = run.json("action", "show", "SUFF-1.1")
    assert (shown["success"], shown["finance"]) == ("Signed off\nby the Board", "Within\nbudget")  # a lone CR too
    # A title is one line: a line break typed in its cell (Alt+Enter) reads as a space.
    # (It passed the sheet's check and then the tracker refused the whole import, naming no row.)
    path = csv_file(tmp_path, 'Ref,Action,Lead Officer\n1.2,"Refresh\nthe  plan",Head of Service\n', name="title.csv")
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.2")["title"] == "Refresh the plan"
    # So is an owner's (found by a third trial: it refused the sheet, quoting the break as a space).
    path = csv_file(tmp_path, 'Ref,Action,Lead Officer\n1.3,Audit,"Head of\nService"\n', name="owner.csv")
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.3")["owner"] == "Head of Service"


def test_a_number_the_workbook_keeps_as_a_float_reads_as_the_whole_number(run, tmp_path):
    run.ok("init")
    path = xlsx_file(tmp_path, ["Ref", "Action", "Lead Officer"], ["1.1", 1e20, "Head of Service"])
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["title"] == "100000000000000000000"


def test_a_long_value_is_quoted_once_and_called_the_value_after(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEADER + f"1.1,A,Head of Service,{'x' * 80}\n1.2,B,Head of Service,{'y' * 81}\n")
    lines = details(run, path)
    assert lines[0].startswith(f"sheet 'plan', row 2, column 'Target Date', value '{'x' * 80}': '{'x' * 80}' is not")
    assert lines[1].startswith(f"sheet 'plan', row 3, column 'Target Date', value '{'y' * 79}…' (81 characters): "
                               "the value is not")


def test_a_dash_or_a_relative_date_in_a_date_cell(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEADER + "1.1,A,Head of Service,-\n1.2,B,Head of Service,+2w\n")
    out = run.json("import", str(path), "--plan", "SUFF")
    assert out["undated"] == ["plan row 2: -"]
    assert run.json("action", "show", "SUFF-1.2")["due"] == "2022-12-15"


def test_a_date_cell_outside_the_years_kept_is_a_bad_row(run, tmp_path):
    run.ok("init")
    path = xlsx_file(tmp_path, ["Ref", "Action", "Lead Officer", "Target Date"],
                     ["1.1", "A", "Head of Service", datetime(2150, 1, 1)])
    assert details(run, path) == ["sheet 'Sheet', row 2, column 'Target Date', value '2150-01-01 00:00:00': "
                                  "'01 Jan 2150' is in the year 2150; actiontrack keeps dates from 1990 to 2100"]


def test_completion_dates_today_in_the_future_and_beside_an_open_status(run, tmp_path):
    run.ok("init")
    head = "Ref,Action,Lead Officer,Status,Date Completed\n"
    path = csv_file(tmp_path, head + "1.1,A,Head of Service,,01/12/2022\n")
    run.ok("import", str(path), "--plan", "SUFF")  # done today: not in the future
    assert run.json("action", "show", "SUFF-1.1")["completed_on"] == "2022-12-01"
    path = csv_file(tmp_path, head + "1.2,B,Head of Service,,02/12/2022\n1.3,C,Head of Service,In progress,01/11/2022\n",
                    name="late.csv")
    assert details(run, path) == [
        "sheet 'late', row 2, column 'Date Completed', value '02 Dec 2022': a completion date in the future",
        "sheet 'late', row 3, column 'Date Completed', value '01 Nov 2022': a completion date, but the Status "
        "column says in-progress: give Complete, or clear the date"]


def test_a_rag_and_status_that_disagree_name_the_status_column(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Owner,RAG,Status\n1.1,A,Head of Service,Blue,Not started\n")
    assert details(run, path) == ["sheet 'plan', row 2, column 'Status', value 'Not started': says not-started, "
                                  "but the RAG column says 'Blue' (complete)"]


def test_missing_cells_name_the_field_when_the_sheet_has_no_column_for_it(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Target Date\nA,30/11/2022\n")
    assert details(run, path) == ["sheet 'plan', row 2: the owner is missing (the sheet has no column for it)"]
    path = csv_file(tmp_path, HEADER + "1.1,,Head of Service,30/11/2022\n", name="untitled.csv")
    assert details(run, path) == ["sheet 'untitled', row 2, column 'Action', value '': the action is missing"]


def test_a_row_shorter_than_the_header_has_blank_cells(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEADER + "1.1,A,Head of Service\n")
    assert run.json("import", str(path), "--plan", "SUFF")["undated"] == ["plan row 2: blank"]


def test_an_accountable_officer_column_names_the_new_themes_officer(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Theme,Action,Lead Officer,Accountable Officer\n"
                              "1.1,1,A,Head of Service,Director of Children's Services\n")
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("theme", "list")[0]["officer"] == "Director of Children's Services"


def test_a_theme_number_cell_beyond_999_is_refused_not_read_as_text(run, tmp_path):
    run.ok("init")
    path = xlsx_file(tmp_path, ["Theme", "Action", "Lead Officer"], [1000, "A", "Head of Service"])
    run.refused("import", str(path), "--plan", "SUFF", details=True,
                says="  sheet 'Sheet', row 2: a theme number runs from 1 to 999")


def test_a_theme_column_wins_over_the_section_row_above(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Theme,Action,Lead Officer\nPlacements close to home,,\n2,A,Head of Service\n")
    assert [r["ref"] for r in run.json("import", str(path), "--plan", "SUFF")["rows"]] == ["SUFF-2.1"]


def test_a_bad_row_is_not_also_a_duplicate_and_duplicates_after_a_refless_row_are_found(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,RAG\n1.1,A,Head of Service,Green\n1.1,B,Head of Service,Purple\n")
    assert run.refused("import", str(path), "--plan", "SUFF", details=True) == (
        f"Error: 1 bad row in {path}; nothing was imported:")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer\n,A,Head of Service\nX7,B,Head of Service\nX7,C,Head of Service\n",
                    name="dup.csv")
    assert details(run, path) == ["sheet 'dup', row 4, column 'Ref', value 'X7': the same ref as sheet 'dup', row 3"]


def test_a_split_row_is_named_exactly_and_the_rows_after_it_are_still_read(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEADER + "1.1,A,Head of Service,30/11/2022,extra,more\n1.2,B,,30/11/2022\n"
                                       "1.3,C,Head of Service,30/11/2022,,\n")
    assert details(run, path) == [
        "sheet 'plan', row 2: more cells than the header has columns (beyond it: 'extra, more'); "
        "a comma inside a cell that was not in quotes?",
        "sheet 'plan', row 3, column 'Lead Officer', value '': the owner is missing"]  # row 4's empty cells are no split


def test_the_sheets_around_the_plan_and_its_ignored_columns(run, tmp_path):
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Read me first"])
    for name in ("One", "Two"):
        ws = wb.create_sheet(name)
        ws.append(["Ref", "Action", "Lead Officer", None, "Notes", "Total"])
        ws.append([f"{name}-1.1", f"Action {name}", "Head of Service", None, "a note", "x"])
        ws.append(["Total: 1"])
        ws.append([f"{name}-1.2", f"Second {name}", "Head of Service"])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    run.ok("init")
    out = run.json("import", str(path), "--map", "Notes=ignore")
    assert len(out["rows"]) == 4 and out["skipped_sheets"] == ["Notes"]
    assert out["ignored_columns"] == ["One: Notes", "One: Total", "Two: Notes", "Two: Total"]


def test_committees_are_listed_in_order_of_their_names_word_by_word(run):
    run.ok("init")
    for body in ("Healthwatch Board", "Health Scrutiny Panel"):
        run.ok("meeting", "add", body, "05/03/2018", as_of="01/01/2018")
    assert [m["body"] for m in run.json("meeting", "list")] == ["Health Scrutiny Panel", "Healthwatch Board"]
