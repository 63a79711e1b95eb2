"""Pinned by mutation testing of interchange/sheet_rows.py, interchange/sheet_layout.py and
domain/people.py: each test here fails with one or more surviving mutants applied and
passes on the code as it is.

sheet_layout: what a row below the header is (an owner alone, a blank owner of spaces, a
title that mentions an accountable officer, a row cut short), which title row names a new
plan, and --map's pairs.  sheet_rows: a second header row (in a CSV, or half-matched by an
action row), the refusal of our own export, a header with nothing under it, one-line
cells, an invisible title and a date cell kept as a date.  people: the role-title key."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from actiontrack.domain.people import person_key
from tests.test_import_layout import csv_file
from tests.test_sheet_rows_pinned import details, xlsx_file

HEAD = "Ref,Action,Lead Officer\n"


def imported(run, path, *args) -> dict:
    return run.json("import", str(path), "--plan", "SUFF", "--dry-run", *args)


# -- sheet_layout: what each row is ----------------------------------------------------


def test_a_row_of_only_an_owner_is_an_action_with_no_title_not_a_section(run, tmp_path):
    """One filled cell is a section row only when it is not the Lead Officer's."""
    run.ok("init")
    path = csv_file(tmp_path, HEAD + ",,Head of Service\n1.1,Refresh the plan,Head of Service\n")
    assert details(run, path) == ["sheet 'plan', row 2, column 'Action', value '': the action is missing"]


def test_a_section_row_beside_an_owner_cell_of_spaces_is_still_a_section(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEAD + ",Placements close to home, \n1.1,Refresh the plan,Head of Service\n")
    assert [(r["row"], r["ref"]) for r in imported(run, path)["rows"]] == [(3, "SUFF-1.1")]


def test_a_title_that_mentions_an_accountable_officer_beside_its_owner_is_an_action(run, tmp_path):
    """Only a row of one cell can be a section naming its officer inline."""
    run.ok("init")
    title = "Agree the accountable officer - Director of Children's Services"
    path = csv_file(tmp_path, f"Action,Lead Officer\n{title},Head of Service\n")
    run.ok("import", str(path), "--plan", "SUFF")
    assert [(a["title"], a["owner"]) for a in run.json("action", "list")] == [(title, "Head of Service")]


def test_a_row_that_ends_before_the_owners_column_says_the_owner_is_missing(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEAD + "1.1,Refresh the plan\n")
    assert details(run, path) == ["sheet 'plan', row 2, column 'Lead Officer', value '': the owner is missing"]


def test_a_new_plans_title_is_the_title_row_that_is_not_the_councils_name(run, tmp_path):
    """With no row naming a plan, strategy, programme or tracker, the first title row that
    does not end in "Council" names the plan (not "Example Borough Council" above it)."""
    run.ok("init")
    path = xlsx_file(tmp_path, ["Example Borough Council"], ["Placement Sufficiency 2022 to 2025"], [],
                     ["Ref", "Action", "Lead Officer"], ["1.1", "Refresh the plan", "Head of Service"])
    run.ok("import", str(path), "--plan", "NEW")
    assert [(p["key"], p["title"]) for p in run.json("plan", "list")] == [("NEW", "Placement Sufficiency 2022 to 2025")]


# -- sheet_layout: --map ---------------------------------------------------------------


def test_map_refuses_a_pair_without_a_header_and_lists_every_field(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEAD + "1.1,Refresh the plan,Head of Service\n")
    assert run.refused("import", str(path), "--plan", "SUFF", "--map", "=owner") == (
        "Error: --map '=owner' is not HEADER=FIELD")
    assert run.refused("import", str(path), "--plan", "SUFF", "--map", "Lead Officer") == (
        "Error: --map 'Lead Officer' is not HEADER=FIELD")
    assert run.refused("import", str(path), "--plan", "SUFF", "--map", "Lead Officer=boss") == (
        "Error: --map 'Lead Officer=boss': 'boss' is not a field (one of: ref, title, owner, theme, officer, due, "
        "revised, rag, status, commentary, success, finance, completed_on, ignore)")


def test_map_splits_at_the_last_equals_sign_and_reads_a_hyphen_as_an_underscore(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,RAG (G=on track),Closed On\n"
                              "1.1,Refresh the plan,Head of Service,Green,\n1.2,Audit,Head of Service,,01/11/2022\n")
    run.ok("import", str(path), "--plan", "SUFF", "--map", "RAG (G=on track)=rag", "--map", "Closed On=completed-on")
    assert run.json("action", "show", "SUFF-1.1")["rag"] == "green"
    shown = run.json("action", "show", "SUFF-1.2")
    assert (shown["status"], shown["completed_on"]) == ("complete", "2022-11-01")


def test_map_naming_a_heading_no_sheet_has_is_refused_naming_the_headings_there(run, tmp_path):
    """From a new-user trial: --map "Progres Update=ignore" (a typo) was passed over without
    a word, and the commentary it was meant to leave out imported."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,Progress Update\n1.1,Refresh the plan,Head of Service,Done\n")
    assert run.refused("import", str(path), "--plan", "SUFF", "--map", "Progres Update=ignore") == (
        "Error: --map 'Progres Update=ignore': no sheet has a column headed 'Progres Update' "
        "(the headings read: Ref, Action, Lead Officer, Progress Update)")
    run.ok("import", str(path), "--plan", "SUFF", "--map", "progress  update=ignore")  # any case and spacing
    assert run.json("action", "show", "SUFF-1.1")["history"][-1]["note"] is None


# -- sheet_rows: the header --------------------------------------------------------------


def test_a_second_header_row_in_a_csv_names_its_columns(run, tmp_path):
    """A CSV saved from a sheet with "Dates" merged over Target and Revised: the row below
    has empty strings, not blanks, in its other cells."""
    run.ok("init")
    path = csv_file(tmp_path, HEAD.strip() + ",Dates,\n,,,Target,Revised\n"
                              "1.1,Refresh the plan,Head of Service,30/11/2022,31/01/2023\n")
    run.ok("import", str(path), "--plan", "SUFF")
    shown = run.json("action", "show", "SUFF-1.1")
    assert (shown["baseline_due"], shown["due"]) == ("2022-11-30", "2023-01-31")


def test_a_first_row_only_partly_read_as_headers_is_an_action(run, tmp_path):
    """A note of "Budget" under an unknown Notes column does not make row 2 a header."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,Notes\n1.1,Refresh the plan,Head of Service,Budget\n"
                              "1.2,Audit,Head of Service,\n")
    out = imported(run, path)
    assert [(r["row"], r["ref"]) for r in out["rows"]] == [(2, "SUFF-1.1"), (3, "SUFF-1.2")]
    assert out["ignored_columns"] == ["plan: Notes"]


def test_a_column_under_a_merged_heading_is_named_by_the_row_below(run, tmp_path):
    """Problems name "Revised", not the blank under the merge; a blank column beside it
    is not an ignored column."""
    run.ok("init")
    rows = [["Ref", "Action", "Lead Officer", None, "Dates", None], [None, None, None, None, "Target", "Revised"]]
    good = xlsx_file(tmp_path, *rows, ["1.1", "Refresh the plan", "Head of Service", None, "30/11/2022", "31/01/2023"])
    assert imported(run, good)["ignored_columns"] == []
    bad = xlsx_file(tmp_path, *rows, ["1.1", "Refresh the plan", "Head of Service", None, "30/11/2022", "soon"],
                    name="bad.xlsx")
    assert details(run, bad) == [
        "sheet 'Sheet', row 3, column 'Revised', value 'soon': 'soon' is not a date I can read (dates are day-first: "
        "30/11/2022, 30 Nov 2022, 2022-11-30, November 2022, Q3 2022/23, 2022/23, today, +2w, +10d, +3m)"]


def test_our_own_export_is_refused_naming_both_ways_to_carry_it(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Title,Owner,Kind,Derived RAG,RAG Mismatch,Slippage Days\n", name="export.csv")
    assert run.refused("import", str(path), "--plan", "SUFF") == (
        "Error: sheet 'export' is actiontrack's own export, not a plan's sheet: to carry a store over, "
        "'export --format json' and import that file; to take owners' updates, 'returns make' and 'returns apply'")


def test_a_header_with_no_row_under_it_has_no_action_rows(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,Target Date\n", name="empty.csv")
    assert run.refused("import", str(path), "--plan", "SUFF") == (
        f"Error: found no action rows in {path}: the header is there (sheet empty) but no row under it has an action")


# -- sheet_rows: cells -----------------------------------------------------------------


def test_a_line_break_or_tab_in_a_theme_officer_or_ref_cell_is_a_space(run, tmp_path):
    """Found by a mutation run: a line break (Alt+Enter, or a merged theme cell's wrapped
    words) in a Theme, Accountable Officer or Ref cell refused the whole import, where the
    same break in an Action or Lead Officer cell was read as a space."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Theme,Action,Lead Officer,Accountable Officer\n"
                              '"1.1\n","1. Placements\nclose to home",Refresh the plan,Head of Service,'
                              '"Director of\tChildren\'s\r\nServices"\n')
    run.ok("import", str(path), "--plan", "SUFF")
    (theme,) = run.json("theme", "list")
    assert theme["title"] == "Placements close to home"
    assert theme["officer"] == "Director of Children's Services"
    assert run.json("action", "show", "SUFF-1.1")["title"] == "Refresh the plan"


def test_a_title_of_only_a_zero_width_space_is_empty(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, HEAD + "1.1,\u200b,Head of Service\n")
    assert details(run, path) == ["sheet 'plan', row 2, column 'Action', value '\\u200b': the action cannot be empty"]


def test_a_date_cell_the_workbook_keeps_as_a_date_not_a_datetime(run, tmp_path):
    """A workbook that stores dates as ISO text (t="d") reads back as a date, no time."""
    run.ok("init")
    book = Workbook()
    book.iso_dates = True
    book.active.append(["Ref", "Action", "Lead Officer", "Target Date"])
    book.active.append(["1.1", "Refresh the plan", "Head of Service", date(2022, 11, 30)])
    book.save(tmp_path / "iso.xlsx")
    run.ok("import", str(tmp_path / "iso.xlsx"), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["due"] == "2022-11-30"


# -- people ----------------------------------------------------------------------------


def test_a_role_titles_key_is_its_words_casefolded_one_space_apart(run):
    """People are listed in the order of that key: "Head of Service" before "Head, Early Help"."""
    assert person_key("Head of  resources and\tPlacements") == "head of resources and placements"
    run.ok("init")
    run.ok("person", "add", "Head, Early Help", "--email", "early.help@example.gov.uk")
    run.ok("person", "add", "Head of Service", "--email", "head.of.service@example.gov.uk")
    assert [p["name"] for p in run.json("person", "list")] == ["Head of Service", "Head, Early Help"]
