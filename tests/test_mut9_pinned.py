"""Pinned by mutation testing of interchange/returns.py, interchange/return_book.py,
domain/people.py and domain/storedata.py: each test here fails with one or more surviving
mutants applied and passes on the code as it is.

returns: a cleared RAG, Progress update or Revised due date cell; a progress update over
more than one line, with Windows line endings, or typed as a percentage; dates typed as text
("today", "+4w") or as Excel day numbers in any date column; each problem line in full (the
column, the value as typed, the reason); a milestone row's other columns; the conflict lines
(who changed the item last, and when), what is already done, and the lines an apply prints;
a return's rows, their order and the fingerprint they carry.  return_book: how a return looks
and what Excel refuses in it; rows added, sheets renamed, copied or deleted.  storedata: the
actions counted under each theme and plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_returns import RESOURCES, RESOURCES_FILE, fill, made_returns

EARLY_HELP = "Head of Early Help"
EARLY_HELP_FILE = "head-of-early-help.xlsx"
MILESTONE = "SUFF-3.1 milestone 1"  # row 3 of Head of Early Help's return, SUFF-3.1 row 4


def typed(made: Path, out: Path, ref: str, column: str, value: object) -> Path:
    """Type into any cell of a return, as an owner who unprotected the sheet."""
    book = load_workbook(made)
    ws = book["Return"]
    ws.protection.sheet = False
    header = [c.value for c in ws[2]]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == ref)
    ws.cell(row, header.index(column) + 1).value = value
    book.save(out)
    return out


def problems(run, path: Path, **kw) -> list[str]:
    """The lines listed under a refused apply's error line."""
    result = run("returns", "apply", str(path), **kw)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    return [line.strip() for line in result.stderr.splitlines()[1:]]


def early_help(run, tmp_path) -> Path:
    return made_returns(run, tmp_path, "--owner", EARLY_HELP) / EARLY_HELP_FILE


def resources(run, tmp_path) -> Path:
    return made_returns(run, tmp_path, "--owner", RESOURCES) / RESOURCES_FILE


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # each printed line whole, unwrapped


# -- what a cleared cell asks for --------------------------------------------------------------


def test_a_cleared_rag_cell_clears_the_rag_and_says_so(demo, tmp_path, wide):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "RAG"): None})
    assert "Applied back.xlsx: SUFF-2.1: rag cleared" in demo.ok("returns", "apply", str(filled)).splitlines()
    assert demo.json("action", "show", "SUFF-2.1")["rag"] is None


def test_a_cleared_progress_update_takes_back_no_commentary(demo, tmp_path):
    """The history keeps the words: an emptied cell is no edit, and nothing is refused."""
    made = resources(demo, tmp_path)
    assert load_workbook(made)["Return"]["H3"].value  # SUFF-2.1 has commentary to clear
    filled = fill(made, tmp_path / "back.xlsx", {("SUFF-2.1", "Progress update"): None})
    assert "Nothing to change" in demo.ok("returns", "apply", str(filled))


def test_a_revised_due_date_that_is_the_due_date_already_needs_no_reason(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx",
                  {("SUFF-2.1", "Revised due date"): dt.datetime(2022, 9, 30)})  # SUFF-2.1's due date
    assert "Nothing to change" in demo.ok("returns", "apply", str(filled))


def test_a_revised_due_date_without_a_reason_names_the_reason_column(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx",
                  {("SUFF-2.1", "Revised due date"): dt.datetime(2023, 3, 31)})
    assert problems(demo, filled) == ["back.xlsx, sheet 'Return', row 3, column 'Reason for change', value '': "
                                      "a revised due date needs the reason for the change"]


def test_a_reason_without_a_revised_due_date_names_the_date_column(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "Reason for change"): "Because"})
    assert problems(demo, filled) == ["back.xlsx, sheet 'Return', row 3, column 'Revised due date', value '': "
                                      "a reason is given but no revised due date: give the date, or clear the reason"]


# -- text cells --------------------------------------------------------------------------------


def test_a_progress_update_over_several_lines_is_applied_as_written(demo, tmp_path):
    """Alt+Enter in a cell is a new line, not a control character to refuse."""
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx",
                  {("SUFF-2.1", "Progress update"): "Two meetings missed.\r\nBack on track in January."})
    demo.ok("returns", "apply", str(filled))
    assert demo.json("action", "show", "SUFF-2.1")["history"][-1]["note"] == (
        "Two meetings missed.\nBack on track in January.")


@pytest.mark.parametrize(("column", "what"), [("Progress update", "the progress update"),
                                              ("Reason for change", "the reason")])
def test_a_text_cell_with_a_control_character_is_named_with_what_it_is(demo, tmp_path, column, what):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", column): "Head\u202eevil"})
    assert problems(demo, filled) == [f"back.xlsx, sheet 'Return', row 3, column '{column}', value 'Head\\u202eevil': "
                                      f"{what} contains a control character ('\\u202e'); type plain text"]


def test_a_progress_update_typed_as_a_percentage_is_its_whole_number(demo, tmp_path):
    """Excel turns "75%" typed in a cell into 0.75 shown as 75%: read as the sheet shows it, "75"."""
    book = load_workbook(resources(demo, tmp_path))
    cell = book["Return"]["H3"]
    cell.value, cell.number_format = 0.75, "0%"
    book.save(tmp_path / "back.xlsx")
    demo.ok("returns", "apply", str(tmp_path / "back.xlsx"))
    assert demo.json("action", "show", "SUFF-2.1")["history"][-1]["note"] == "75"


@pytest.mark.parametrize("ending", ["&#13;\n", "&#13;"])  # a pasted CRLF, and a lone CR
def test_a_progress_update_with_windows_or_old_mac_line_endings_has_plain_new_lines(demo, tmp_path, ending):
    import zipfile

    filled = fill(resources(demo, tmp_path), tmp_path / "lf.xlsx",
                  {("SUFF-2.1", "Progress update"): "Two meetings missed.ENDBack on track in January."})
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(tmp_path / "back.xlsx", "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item).replace(b"END", ending.encode()))
    demo.ok("returns", "apply", str(tmp_path / "back.xlsx"))
    assert demo.json("action", "show", "SUFF-2.1")["history"][-1]["note"] == (
        "Two meetings missed.\nBack on track in January.")


# -- Status ------------------------------------------------------------------------------------


def test_a_status_of_only_spaces_is_empty_and_shown_as_typed(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "Status"): "  "})
    assert problems(demo, filled) == ["back.xlsx, sheet 'Return', row 3, column 'Status', value ' ': "
                                      "the status is empty (choose one from the list)"]


def test_a_status_not_on_the_list_is_told_the_list(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "Status"): "Nearly"})
    assert problems(demo, filled) == ["back.xlsx, sheet 'Return', row 3, column 'Status', value 'Nearly': not a "
                                      "status (Not started, In progress, On hold, Awaiting sign-off, Complete, Dropped)"]


@pytest.mark.parametrize("typed_as", ["Awaiting sign-off", "awaiting-sign-off"])
def test_a_status_with_a_hyphen_is_read_as_the_list_says_it(demo, tmp_path, wide, typed_as):
    """"Awaiting sign-off", as the drop-down offers it, is a status (hyphens read as spaces)."""
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "Status"): typed_as})
    assert "Applied back.xlsx: SUFF-2.1: status awaiting-sign-off" in demo.ok(
        "returns", "apply", str(filled)).splitlines()


def test_dropping_without_a_new_progress_update_shows_the_update_left_there(demo, tmp_path):
    made = resources(demo, tmp_path)
    left = load_workbook(made)["Return"]["H3"].value  # SUFF-2.1's commentary, as the return was made
    filled = fill(made, tmp_path / "back.xlsx", {("SUFF-2.1", "Status"): "Dropped"})
    assert problems(demo, filled) == [f"back.xlsx, sheet 'Return', row 3, column 'Progress update', value '{left}': "
                                      "dropping it needs a progress update saying who decided and why"]


# -- dates -------------------------------------------------------------------------------------


def test_a_due_cell_typed_as_words_is_named_once_as_not_a_date(demo, tmp_path):
    """Not also "the Due column is not read": the one problem is that it is no date."""
    filled = typed(resources(demo, tmp_path), tmp_path / "typed.xlsx", "SUFF-2.1", "Due", "soon")
    found = problems(demo, filled)
    assert len(found) == 1 and found[0].startswith(
        "typed.xlsx, sheet 'Return', row 3, column 'Due', value 'soon': 'soon' is not a date"), found


def test_a_due_cell_typed_as_today_is_read_as_the_as_of_date(demo, tmp_path):
    filled = typed(resources(demo, tmp_path), tmp_path / "typed.xlsx", "SUFF-2.1", "Due", "today")
    assert problems(demo, filled) == [
        "typed.xlsx, sheet 'Return', row 3, column 'Due', value 'today': the Due column is not read: give a new "
        "date in 'Revised due date', with the reason in 'Reason for change'"]


def test_a_revised_due_date_typed_as_text_counts_from_the_as_of_date(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {
        ("SUFF-2.1", "Revised due date"): "+4w", ("SUFF-2.1", "Reason for change"): "Recruitment paused"})
    demo.ok("returns", "apply", str(filled))
    assert demo.json("action", "show", "SUFF-2.1")["due"] == "2022-12-29"


def test_a_date_cell_in_a_year_not_kept_is_shown_as_a_day(demo, tmp_path):
    """A real Excel date out of range: said as the owner sees it, not a crash."""
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {
        ("SUFF-2.1", "Revised due date"): dt.datetime(2150, 1, 1), ("SUFF-2.1", "Reason for change"): "Later"})
    assert problems(demo, filled) == [
        "back.xlsx, sheet 'Return', row 3, column 'Revised due date', value '01 Jan 2150': '01 Jan 2150' is in the "
        "year 2150; actiontrack keeps dates from 1990 to 2100"]


def test_a_completion_date_is_said_as_the_day_it_gives(demo, tmp_path, wide):
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx",
                  {("SUFF-3.1", "Completed on"): dt.datetime(2022, 11, 30)})
    assert "Applied done.xlsx: SUFF-3.1: status complete, completed on 30 Nov 2022" in demo.ok(
        "returns", "apply", str(filled)).splitlines()


def unformatted(made: Path, out: Path, number: int) -> Path:
    """SUFF-2.1's Revised due date as a day number whose cell lost its date format, with a reason."""
    book = load_workbook(made)
    ws = book["Return"]
    ws["I3"].value, ws["I3"].number_format, ws["J3"].value = number, "General", "Later"
    book.save(out)
    return out


def test_a_date_cell_that_lost_its_format_names_the_number_as_typed(demo, tmp_path):
    """An Excel day number: 1 is 1 Jan 1900, a year not kept; 3,000,000 is no day at all."""
    made = resources(demo, tmp_path)
    for number, why in ((1, "'1' is in the year 1900; actiontrack keeps dates from 1990 to 2100"),
                        (3000000, "not a date")):
        filled = unformatted(made, tmp_path / f"{number}.xlsx", number)
        assert problems(demo, filled) == [
            f"{number}.xlsx, sheet 'Return', row 3, column 'Revised due date', value '{number}': {why}"]


def test_a_date_cell_holding_an_excel_day_number_is_that_day(demo, tmp_path, wide):
    filled = unformatted(resources(demo, tmp_path), tmp_path / "back.xlsx", 45016)
    assert "Applied back.xlsx: SUFF-2.1: due 31 Mar 2023" in demo.ok("returns", "apply", str(filled)).splitlines()


def test_work_completed_today_in_words_is_completed_on_the_as_of_date(demo, tmp_path):
    """"today" is no completion date in the future."""
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx", {("SUFF-3.1", "Completed on"): "today"})
    demo.ok("returns", "apply", str(filled), as_of="05/12/2022")
    assert demo.json("action", "show", "SUFF-3.1", as_of="05/12/2022")["completed_on"] == "2022-12-05"


def test_a_completion_date_that_is_not_a_date_names_its_column(demo, tmp_path):
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx", {("SUFF-3.1", "Completed on"): "soon"})
    found = problems(demo, filled)
    assert len(found) == 1 and found[0].startswith(
        "done.xlsx, sheet 'Return', row 4, column 'Completed on', value 'soon': 'soon' is not a date"), found


def test_a_completion_date_in_the_future_is_said_in_full(demo, tmp_path):
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx", {("SUFF-3.1", "Completed on"): "25/12/2022"})
    assert problems(demo, filled) == ["done.xlsx, sheet 'Return', row 4, column 'Completed on', value '25 Dec 2022': "
                                      "a completion date in the future"]


def test_a_completion_date_with_a_status_that_goes_on_is_said_in_full(demo, tmp_path):
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx",
                  {("SUFF-3.1", "Status"): "On hold", ("SUFF-3.1", "Completed on"): "30/11/2022"})
    assert problems(demo, filled) == [
        "done.xlsx, sheet 'Return', row 4, column 'Completed on', value '30 Nov 2022': a completion date, but the "
        "status says 'On hold': make it Complete, or clear the date"]


def test_a_row_the_tracker_refuses_is_a_problem_naming_its_row(demo, tmp_path):
    """Every check an officer's own update meets applies to a return: here, a completion
    before the action was created."""
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx", {("SUFF-3.1", "Completed on"): "01/01/2000"})
    found = problems(demo, filled)
    assert len(found) == 1 and found[0].startswith(
        "done.xlsx, sheet 'Return', row 4: SUFF-3.1 cannot be completed on 01 Jan 2000"), found


# -- milestones --------------------------------------------------------------------------------


def test_a_milestone_done_today_in_words_is_done_on_the_as_of_date(demo, tmp_path):
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx", {(MILESTONE, "Completed on"): "today"})
    demo.ok("returns", "apply", str(filled), as_of="05/12/2022")
    assert demo.json("action", "show", "SUFF-3.1", as_of="05/12/2022")["milestones"][0]["done_on"] == "2022-12-05"


def test_a_milestones_completion_that_is_not_a_date_names_its_column(demo, tmp_path):
    filled = fill(early_help(demo, tmp_path), tmp_path / "done.xlsx", {(MILESTONE, "Completed on"): "soon"})
    found = problems(demo, filled)
    assert len(found) == 1 and found[0].startswith(
        "done.xlsx, sheet 'Return', row 3, column 'Completed on', value 'soon': 'soon' is not a date"), found


@pytest.mark.parametrize(("column", "value"), [("Status", "Complete"), ("RAG", "Amber"),
                                               ("Revised due date", "31/03/2023"), ("Reason for change", "Late")])
def test_a_milestone_row_refuses_every_column_but_its_completion_date(demo, tmp_path, column, value):
    filled = typed(early_help(demo, tmp_path), tmp_path / "typed.xlsx", MILESTONE, column, value)
    assert problems(demo, filled) == [f"typed.xlsx, sheet 'Return', row 3, column '{column}', value '{value}': "
                                      "a milestone's row takes only its 'Completed on' date"]


# -- what an apply says ------------------------------------------------------------------------


def test_a_conflict_says_who_changed_the_item_last_and_on_what_day(demo, tmp_path):
    made = resources(demo, tmp_path)
    demo.ok("action", "update", "SUFF-2.1", "--rag", "red", "--note", "Clerk's own update", as_of="02/12/2022")
    filled = fill(made, tmp_path / "late.xlsx", {("SUFF-2.1", "RAG"): "Amber"})
    assert problems(demo, filled, as_of="03/12/2022") == [
        "late.xlsx, sheet 'Return', row 3: SUFF-2.1 has changed in the store since the return was made "
        "(last by Democratic Services Officer, 02 Dec 2022)"]


def test_a_conflict_over_a_reassigned_item_says_it_in_full(demo, tmp_path):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "RAG"): "Amber"})
    demo.ok("reassign", RESOURCES, "Head of Placements and Sufficiency")
    assert problems(demo, filled) == [
        f"back.xlsx, sheet 'Return', row 3: SUFF-2.1 has passed from {RESOURCES} to Head of Placements and "
        "Sufficiency since the return was made"]


def test_a_row_the_store_already_holds_is_said_unchanged(demo, tmp_path, wide):
    filled = fill(resources(demo, tmp_path), tmp_path / "back.xlsx", {("SUFF-2.1", "RAG"): "Amber"})
    demo.ok("returns", "apply", str(filled))
    assert demo.ok("returns", "apply", str(filled)).splitlines() == [
        "Unchanged back.xlsx: SUFF-2.1: already as the return says",
        "Nothing to change: every row is as the store has it."]


def test_a_completion_date_other_than_the_stores_is_a_conflict_not_already_done(demo, tmp_path):
    """Completed in the store since, on another day: the owner's date is not "already" held."""
    made = early_help(demo, tmp_path)
    demo.ok("action", "complete", "SUFF-3.1", "--on", "30/11/2022", as_of="02/12/2022")
    filled = fill(made, tmp_path / "done.xlsx", {("SUFF-3.1", "Completed on"): "28/11/2022"})
    found = problems(demo, filled, as_of="03/12/2022")
    assert len(found) == 1 and found[0].startswith(
        "done.xlsx, sheet 'Return', row 4: SUFF-3.1 has changed in the store since the return was made"), found


# -- returns: what a return is made of ----------------------------------------------------------


def test_a_returns_rows_show_each_item_and_milestone_as_the_store_has_them(demo, tmp_path):
    """Ref, title, where it comes from, due and baseline: a milestone's baseline is its due date."""
    ws = load_workbook(early_help(demo, tmp_path))["Return"]
    day = dt.datetime
    assert list(ws.iter_rows(min_row=3, max_col=5, values_only=True)) == [
        (MILESTONE, "Edge-of-care offer live in all localities", "Milestone of SUFF-3.1", day(2022, 9, 30),
         day(2022, 9, 30)),
        ("SUFF-3.1", "Futures for Families edge-of-care support for fragile placements", "Sufficiency Action Plan",
         day(2023, 3, 31), day(2023, 3, 31))]


def test_a_resolutions_row_names_its_committee_meeting_and_minute(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--owner", "Head of Care Leavers Service")
    ws = load_workbook(folder / "head-of-care-leavers-service.xlsx")["Return"]
    assert (ws["A3"].value, ws["C3"].value) == ("R-11", "Corporate Parenting Board, 19 Oct 2022 (minute 22/34)")


@pytest.mark.parametrize("due_by", [(), ("--due-by", "31/12/2022")])
def test_an_undated_action_comes_last_in_a_return(run, tmp_path, due_by):
    run.ok("init")
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Theme,Ref,Action,Lead Officer,Target Date\n"
                     "Commissioning,1.1,Market position statement,Head of Commissioning,Ongoing\n"
                     "Commissioning,1.2,Sufficiency duty refresh,Head of Commissioning,31/03/2023\n"
                     "Commissioning,1.3,Commissioning plan,Head of Commissioning,30/12/2022\n")
    run.ok("import", str(sheet), "--plan", "SUFF")
    folder = made_returns(run, tmp_path, *due_by)
    ws = load_workbook(folder / "head-of-commissioning.xlsx")["Return"]
    assert [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)] == ["SUFF-1.3", "SUFF-1.2", "SUFF-1.1"]


def test_a_completion_the_store_has_since_on_the_day_the_return_gives_is_already_done(demo, tmp_path, wide):
    made = early_help(demo, tmp_path)
    demo.ok("action", "complete", "SUFF-3.1", "--on", "30/11/2022")
    filled = fill(made, tmp_path / "done.xlsx", {("SUFF-3.1", "Completed on"): "30/11/2022"})
    assert "Unchanged done.xlsx: SUFF-3.1: already as the return says" in demo.ok(
        "returns", "apply", str(filled)).splitlines()


# -- return_book: reading the file ----------------------------------------------------------------


def unprotected(made: Path):
    book = load_workbook(made)
    book["Return"].protection.sheet = False
    return book


def test_a_row_added_with_a_ref_not_in_the_return_is_refused_in_full(demo, tmp_path):
    book = unprotected(resources(demo, tmp_path))
    ws = book["Return"]
    ws.cell(ws.max_row + 1, 1, "SUFF-1.2")
    book.save(tmp_path / "added.xlsx")
    assert problems(demo, tmp_path / "added.xlsx") == [
        "'added.xlsx', sheet 'Return', row 5: 'SUFF-1.2' was not in this return when it was made (rows cannot be "
        "added to a return)"]


def test_a_row_added_without_a_ref_is_refused_in_full(demo, tmp_path):
    book = unprotected(resources(demo, tmp_path))
    ws = book["Return"]
    ws.cell(ws.max_row + 1, 2, "Also: recruit two more residential staff")
    book.save(tmp_path / "added.xlsx")
    assert problems(demo, tmp_path / "added.xlsx") == [
        "'added.xlsx', sheet 'Return', row 5: a row with no Ref (rows cannot be added to a return: put the words in "
        "an item's Progress update, or ask the clerk to add the action)"]


def test_a_return_with_only_its_hidden_sheet_left_is_refused_naming_no_sheet(demo, tmp_path):
    book = load_workbook(resources(demo, tmp_path))
    del book["Return"]
    book["actiontrack"].sheet_state = "visible"
    book.save(tmp_path / "bare.xlsx")
    assert problems(demo, tmp_path / "bare.xlsx") == [
        "'bare.xlsx': the return's header row is not as it was made (row 2 must read: Ref, Item, Plan / committee, "
        "Due, Baseline, Status, RAG, Progress update, Revised due date, Reason for change, Completed on)"]


def test_a_workbook_with_a_one_line_actiontrack_sheet_is_not_a_return(demo, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.create_sheet("actiontrack")["A1"] = "Minutes of the actiontrack working group"
    book.save(tmp_path / "notes.xlsx")
    assert problems(demo, tmp_path / "notes.xlsx") == [
        "'notes.xlsx' is not an update return made by 'actiontrack returns make'"]


def test_a_returns_own_sheet_is_read_before_a_copy_of_it_put_first(demo, tmp_path, wide):
    """An owner kept a copy of the return as it came, before the sheet they filled in."""
    made = resources(demo, tmp_path)
    book = load_workbook(fill(made, tmp_path / "filled.xlsx", {("SUFF-2.1", "RAG"): "Amber"}))
    copy = book.copy_worksheet(book["Return"])
    copy.title = "As sent"
    copy["G3"] = "Green"
    book.move_sheet(copy, offset=-book.index(copy))
    book.save(tmp_path / "copied.xlsx")
    assert load_workbook(tmp_path / "copied.xlsx").sheetnames[:2] == ["As sent", "Return"]
    assert "Would apply copied.xlsx: SUFF-2.1: rag amber" in demo.ok(
        "returns", "apply", str(tmp_path / "copied.xlsx"), "--dry-run").splitlines()


def test_a_return_with_every_item_row_deleted_has_nothing_to_change(demo, tmp_path):
    book = unprotected(resources(demo, tmp_path))
    book["Return"].delete_rows(3, 2)
    book.save(tmp_path / "emptied.xlsx")
    assert "Nothing to change" in demo.ok("returns", "apply", str(tmp_path / "emptied.xlsx"))


def test_a_problem_in_a_renamed_return_names_the_sheet_it_is_in(demo, tmp_path):
    book = load_workbook(fill(resources(demo, tmp_path), tmp_path / "filled.xlsx", {("SUFF-2.1", "RAG"): "Purple"}))
    book["Return"].title = "Sheet1"
    book.save(tmp_path / "renamed.xlsx")
    assert problems(demo, tmp_path / "renamed.xlsx") == [
        "renamed.xlsx, sheet 'Sheet1', row 3, column 'RAG', value 'Purple': not a RAG (Red, Amber or Green; "
        "blank for none)"]


def test_a_return_is_laid_out_for_its_owner_to_read_and_fill(demo, tmp_path):
    """What the owner sees in Excel: the instructions across the top, a bold header, dates
    as days, long text wrapped, and the columns to fill in yellow."""
    ws = load_workbook(resources(demo, tmp_path))["Return"]
    assert ws["A1"].value == (
        f"Update return for {RESOURCES}: Sufficiency Action Plan, as of 01 Dec 2022. Please fill in the yellow "
        "columns (Status to Completed on). A revised due date needs a reason for the change; give 'Completed on' "
        "for work that is done. Leave rows you have nothing to add to as they are.")  # no reply-by date: no "by"
    hidden = load_workbook(resources(demo, tmp_path / "again"))["actiontrack"]
    assert ws["A1"].data_type == "s" and {c.data_type for c in hidden["A"]} == {"s"}  # a type Excel knows
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:K1"]
    assert (ws["A1"].alignment.wrap_text, ws["A1"].alignment.vertical, ws.row_dimensions[1].height) == (True, "top", 48)
    assert all(c.font.bold for c in ws[2])
    assert [ws.column_dimensions[letter].width for letter in "ABCDEFGHIJK"] == [16, 50, 28, 16, 16, 16, 16, 50, 16, 30, 16]
    row = ws[3]
    assert [c.column_letter for c in row if c.number_format == "DD/MM/YYYY"] == ["D", "E", "I", "K"]
    assert [c.column_letter for c in row if c.alignment.wrap_text] == ["B", "H", "J"]
    assert all(row[i].alignment.vertical == "top" for i in (1, 7, 9))
    assert [(c.column_letter, c.fill.fill_type, c.fill.fgColor.rgb[-6:]) for c in row if c.fill.fill_type] == [
        (letter, "solid", "FFF7D6") for letter in "FGHIJK"]

def test_a_returns_lists_and_date_checks_refuse_mistakes_in_excel(demo, tmp_path):
    """Excel refuses a status or RAG not on the list, and a date outside the years kept,
    before the clerk sees them; each refusal says what to do."""
    ws = load_workbook(resources(demo, tmp_path))["Return"]
    assert [(dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank, str(dv.sqref), dv.errorTitle, dv.error,
             dv.showErrorMessage) for dv in ws.data_validations.dataValidation] == [
        ("list", None, '"Not started,In progress,On hold,Awaiting sign-off,Complete,Dropped"', None, False, "F3:F4",
         "Status", "Choose a status from the list.", True),
        ("list", None, '"Red,Amber,Green"', None, True, "G3:G4", "RAG", "Choose Red, Amber or Green (or leave it blank).",
         True),
        ("date", "between", "DATE(1990,1,1)", "DATE(2100,12,31)", True, "I3:I4", "Revised due date",
         "Type a date, e.g. 31/03/2023.", True),
        ("date", "between", "DATE(1990,1,1)", "DATE(2100,12,31)", True, "K3:K4", "Completed on",
         "Type a date, e.g. 14/10/2022.", True),
    ]
    assert (ws.freeze_panes, ws.protection.formatColumns, ws.protection.formatRows) == ("A3", False, False)


def test_a_returns_fingerprint_is_the_one_returns_already_sent_out_carry():
    """Each row of a return in an officer's hands carries the fingerprint of its state: worked
    out any other way, every edited row of a return made before would be a conflict."""
    import hashlib
    import json

    from actiontrack.interchange.returns import fingerprint

    state = {"status": "in-progress", "rag": "green", "progress": "Meetings running monthly",
             "due": "2022-09-30", "completed_on": None}
    # The format, said in full: the first 16 hex digits of SHA-256 over the state as compact
    # JSON with its keys sorted.
    spelt = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert fingerprint(state) == hashlib.sha256(spelt).hexdigest()[:16] == "291905a4aafe961d"


def test_a_milestone_done_since_on_the_day_the_return_gives_is_already_done(demo, tmp_path, wide):
    made = early_help(demo, tmp_path)
    demo.ok("milestone", "done", "SUFF-3.1", "1", "--on", "28/09/2022")
    filled = fill(made, tmp_path / "done.xlsx", {(MILESTONE, "Completed on"): "28/09/2022"})
    assert demo.ok("returns", "apply", str(filled)).splitlines() == [
        f"Unchanged done.xlsx: {MILESTONE}: already as the return says",
        "Nothing to change: every row is as the store has it."]


# -- storedata -----------------------------------------------------------------------------------


def test_theme_and_plan_lists_count_every_action_and_every_open_one(sufficiency):
    run = sufficiency
    for title in ("Second action", "Third action"):
        run.ok("action", "add", "SUFF.1", title, "--owner", "Specialist Commissioning Manager", "--due", "31/03/2023")
    run.ok("action", "complete", "SUFF-1.3")  # the last one counted is closed
    assert [(t["theme"], t["actions"], t["open"]) for t in run.json("theme", "list", "SUFF")] == [
        ("SUFF.1", 3, 2), ("SUFF.2", 0, 0)]
    assert [(p["key"], p["actions"], p["open"]) for p in run.json("plan", "list")] == [("SUFF", 3, 2)]
