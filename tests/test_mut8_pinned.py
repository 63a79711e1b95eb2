"""Pinned by mutation testing of interchange/importer.py, changes/redo.py, domain/damage.py
and commands/examples.py (sheet_layout.py's survivors were all equivalent): each test here
fails with one or more surviving mutants applied and passes on the code as it is.

importer: a dropped action the sheet says is complete (reopened first), the note a
completion or a drop from a sheet carries, a closed action the sheet is silent on or
reopens, what a row's outcome says it changed, the source of an imported action, the
wording index after a row rewords an action, and the theme a row with no Theme column
goes into.  redo: another user's change in between (elsewhere, or on the same item), the
notes and words of a redo, another user's undone add, a meeting change that is not an
add, and every kind of journal add.  damage: a record's bytes that are JSON but no
object.  examples: an option's value and a quoted word, split as the shell splits them."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from actiontrack.changes.redo import redo_last
from actiontrack.changes.undo import undo_last
from actiontrack.commands.examples import command_lines, shell_words
from actiontrack.domain.damage import impossible_day, wrong_kind
from actiontrack.domain.models import Change
from actiontrack.errors import BadInput
from actiontrack.interchange import importer, sheet_rows
from actiontrack.interchange.sheets import Sheet
from tests.helpers import at, small_store, tracker
from tests.test_import_layout import csv_file

TITLE = "Full refresh of the Commissioning Action Plan"  # SUFF-1.1 in the sufficiency fixture
OWNER = "Specialist Commissioning Manager"
OTHER = "Head of Commissioning"


def imported(run, path, *args) -> list[tuple]:
    """Each row's (ref, op, changes) as the import's JSON says them."""
    return [(r["ref"], r["op"], r["changes"]) for r in run.json("import", str(path), "--plan", "SUFF", *args)["rows"]]


def history(run, ref: str = "SUFF-1.1") -> list[tuple]:
    return [(h["event"], h["note"]) for h in run.json("action", "show", ref)["history"]]


# -- importer: closed actions and what the sheet says of them -----------------------------


def test_a_dropped_action_the_sheet_says_is_complete_is_reopened_then_completed(sufficiency, tmp_path):
    """complete() refuses a dropped action, so the import reopens it first, noting "imported"."""
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--status", "dropped", "--note", "No longer needed")
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,Status\nSUFF-1.1,{TITLE},{OWNER},Complete\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "completed")]
    assert run.json("action", "show", "SUFF-1.1")["status"] == "complete"
    assert history(run)[-2:] == [("reopen", "imported"), ("complete", "imported")]


def test_a_completion_from_a_sheet_carries_its_commentary_as_the_note(sufficiency, tmp_path):
    """The sheet's Progress Update is the completion's note; "imported" only without one."""
    run = sufficiency
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,Status,Progress Update\n"
                              f"SUFF-1.1,{TITLE},{OWNER},Complete,Signed off by the Board\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "completed")]
    assert history(run)[-1] == ("complete", "Signed off by the Board")


def test_a_closed_action_the_sheet_gives_no_status_stays_closed(sufficiency, tmp_path):
    """No Status column: nothing says to reopen it, so its new date is not applied either."""
    run = sufficiency
    run.ok("action", "complete", "SUFF-1.1", "--on", "28/11/2022")
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,Target Date\nSUFF-1.1,{TITLE},{OWNER},31/03/2023\n")
    assert imported(run, path) == [("SUFF-1.1", "unchanged", "")]
    shown = run.json("action", "show", "SUFF-1.1")
    assert (shown["status"], shown["due"]) == ("complete", "2022-11-30")


def test_a_dropped_action_the_sheet_still_says_is_dropped_stays_dropped(sufficiency, tmp_path):
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--status", "dropped", "--note", "No longer needed")
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,Status\nSUFF-1.1,{TITLE},{OWNER},Dropped\n")
    assert imported(run, path) == [("SUFF-1.1", "unchanged", "")]
    assert history(run)[-1] == ("update", "No longer needed")


def test_a_closed_action_the_sheet_says_is_in_progress_is_reopened(sufficiency, tmp_path):
    """Reopened with the note "imported", and the row says "reopened"."""
    run = sufficiency
    run.ok("action", "complete", "SUFF-1.1", "--on", "28/11/2022")
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,Status\nSUFF-1.1,{TITLE},{OWNER},In progress\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "reopened")]
    assert run.json("action", "show", "SUFF-1.1")["status"] == "in-progress"
    assert history(run)[-1] == ("reopen", "imported")


def test_an_action_the_sheet_drops_without_a_word_is_noted_as_dropped_there(sufficiency, tmp_path):
    """A drop needs a note: with no commentary the import gives one; with one, that one."""
    run = sufficiency
    run.ok("action", "add", "SUFF.1", "Second action", "--owner", OWNER, "--due", "31/03/2023", as_of="20/07/2022")
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,Status,Progress Update\n"
                              f"SUFF-1.1,{TITLE},{OWNER},Dropped,\n"
                              f"SUFF-1.2,Second action,{OWNER},Dropped,Merged into SUFF-1.1\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "status, commentary"),
                                   ("SUFF-1.2", "update", "status, commentary")]
    assert history(run, "SUFF-1.1")[-1] == ("update", "dropped in the imported sheet")
    assert history(run, "SUFF-1.2")[-1] == ("update", "Merged into SUFF-1.1")


def test_a_row_that_changes_only_the_rag_says_only_rag(sufficiency, tmp_path):
    """"commentary" is listed only when the row carried a note."""
    run = sufficiency
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer,RAG\nSUFF-1.1,{TITLE},{OWNER},Amber\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "rag")]


# -- sheet_layout: what a blank cell is read as --------------------------------------------


def test_a_blank_theme_is_the_one_above_though_a_cell_before_it_is_filled(run, tmp_path):
    """Every shared column of a row is looked at: a filled Lead Officer before it does not
    stop the blank Theme after it being read as the theme above."""
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Theme\nFirst,Head of Service,Theme 2\nSecond,Head of Service,\n")
    out = run.json("import", str(path), "--plan", "SUFF", "--dry-run")
    assert [r["ref"] for r in out["rows"]] == ["SUFF-2.1", "SUFF-2.2"]
    assert out["carried_down"] == ["Theme: sheet 'plan', row 3"]


def test_a_theme_merged_down_from_its_section_row_is_said_as_carried_down(run, tmp_path):
    """The merged cell's own value is read (and said), not the theme of the block above,
    which the section row has just ended."""
    run.ok("init")
    book = Workbook()
    sheet = book.active
    for row in (["Theme", "Action", "Lead Officer"], ["Placements close to home", None, None],
                [None, "First", "Head of Service"], [None, "Second", "Head of Service"]):
        sheet.append(row)
    sheet.merge_cells("A2:A4")
    book.save(path := tmp_path / "plan.xlsx")
    out = run.json("import", str(path), "--plan", "SUFF", "--dry-run")
    assert [r["ref"] for r in out["rows"]] == ["SUFF-1.1", "SUFF-1.2"]
    assert out["carried_down"] == ["Theme: sheet 'Sheet', rows 3-4"]


# -- importer: which plan a row goes into, and how far along the import is -----------------


def test_a_sheet_named_after_a_plan_goes_into_that_plan(run, tmp_path):
    """With no --plan and no refs, a sheet named "suff" (any case) is plan SUFF's."""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan")
    path = csv_file(tmp_path, "Action,Lead Officer\nRefresh the plan,Head of Service\n", name="suff.csv")
    assert [(r["ref"], r["op"]) for r in run.json("import", str(path))["rows"]] == [("SUFF-1.1", "create")]
    assert [p["key"] for p in run.json("plan", "list")] == ["SUFF"]


def test_a_row_with_no_plan_to_go_into_says_to_give_one(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer\nRefresh the plan,Head of Service\n")
    result = run("import", str(path))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert [line.strip() for line in result.stderr.splitlines()[1:]] == [
        "sheet 'plan', row 2: no plan for this row; give --plan KEY"]


def test_progress_is_said_every_fifty_rows_and_at_the_last():
    """apply() calls progress(done, total) after each 50th row and after the last."""
    t = at(small_store(), date(2022, 12, 1))
    sheet = Sheet("plan", [["Action", "Lead Officer"]] + [[f"Action {n}", "Head of Service"] for n in range(120)])
    parsed = sheet_rows.parse_sheets([sheet], t.as_of)
    importer.assign_plans(t.data, parsed, "SUFF")
    calls: list[tuple] = []  # (done, total, actions made by then): said once the row is applied
    importer.apply(t, parsed, progress=lambda done, total: calls.append((done, total, len(t.data.actions))))
    assert calls == [(50, 120, 50), (100, 120, 100), (120, 120, 120)]


# -- importer: what a row's outcome and a new action say ------------------------------------


def test_an_imported_action_says_which_sheet_it_came_from_and_an_update_names_its_row(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,RAG\n1.1,Refresh the plan,Head of Service,Green\n")
    run.ok("import", str(path), "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.1")["source"] == "imported from plan"
    path = csv_file(tmp_path, "Ref,Action,Lead Officer,RAG\n1.1,Refresh the plan,Head of Service,Amber\n")
    rows = run.json("import", str(path), "--plan", "SUFF")["rows"]
    assert [(r["sheet"], r["row"], r["ref"], r["op"]) for r in rows] == [("plan", 2, "SUFF-1.1", "update")]


def test_a_sheet_that_rewords_an_action_notes_the_edit_as_imported(sufficiency, tmp_path):
    run = sufficiency
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer\nSUFF-1.1,Refresh the plan,{OWNER}\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "title")]
    entry = run.json("action", "show", "SUFF-1.1")["history"][-1]
    assert ([c["field"] for c in entry["changes"]], entry["note"]) == (["title"], "imported")


# -- importer: matching on wording after a row rewords an action ----------------------------


def test_a_row_that_rewords_an_action_moves_it_to_its_new_wording(sufficiency, tmp_path):
    """An action entered by hand (no sheet ref) is matched on its wording: once a row
    rewords it, a later row of the new wording is that action, and one of the old is new."""
    run = sufficiency
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer\n"
                              f"SUFF-1.1,Refresh the plan,{OWNER}\n"
                              f",Refresh the plan,{OWNER}\n"
                              f",{TITLE},{OWNER}\n")
    assert imported(run, path) == [("SUFF-1.1", "update", "title"), ("SUFF-1.1", "unchanged", ""),
                                   ("SUFF-1.2", "create", "")]


def test_an_action_this_import_made_is_never_matched_on_its_new_wording(run, tmp_path):
    """Two rows worded alike are two actions, even after a row rewords the first."""
    run.ok("init")
    path = csv_file(tmp_path, "Ref,Action,Lead Officer\n"
                              ",First,Head of Service\n"
                              "SUFF-1.1,Second,Head of Service\n"
                              ",Second,Head of Service\n")
    assert imported(run, path) == [("SUFF-1.1", "create", ""), ("SUFF-1.1", "update", "title"),
                                   ("SUFF-1.2", "create", "")]


# -- importer: the theme of a new row ------------------------------------------------------


def test_a_theme_cell_of_only_a_number_names_the_new_theme_by_its_number(run, tmp_path):
    run.ok("init")
    path = csv_file(tmp_path, "Action,Lead Officer,Theme\nFirst,Head of Service,Theme 3\n")
    run.ok("import", str(path), "--plan", "SUFF")
    assert [(t["theme"], t["title"]) for t in run.json("theme", "list")] == [("SUFF.3", "Theme 3")]


@pytest.mark.parametrize(("ref", "themes"), [
    ("1.1", [("SUFF.1", "Theme 1")]),  # its own number says theme 1: not "General"
    ("2.0", [("SUFF.2", "Theme 2")]),  # the theme's number counts, not the action's
    ("0.3", [("SUFF.1", "General")]),  # no theme 0: the first
])
def test_with_no_theme_column_a_rows_own_number_names_its_theme(run, tmp_path, ref, themes):
    run.ok("init")
    path = csv_file(tmp_path, f"Ref,Action,Lead Officer\n{ref},First,Head of Service\n")
    run.ok("import", str(path), "--plan", "SUFF")
    assert [(t["theme"], t["title"]) for t in run.json("theme", "list")] == themes


# -- redo ------------------------------------------------------------------------------------


def test_redo_follows_its_users_own_changes_past_another_users_change(sufficiency):
    """Another user's change (to something else) since the undo does not stop a redo."""
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    run.ok("undo")
    run.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board", user=OTHER)
    assert run.ok("redo").startswith("Redid: update SUFF-1.1")
    assert run.json("action", "show", "SUFF-1.1")["rag"] == "amber"


def test_redo_with_nothing_to_redo_says_so_in_full(sufficiency):
    assert sufficiency.refused("redo") == ("Error: there is nothing of Democratic Services Officer's to redo "
                                           "(redo follows your own undo, before any other change of yours)")


def test_a_redo_is_noted_as_the_redo_of_the_undo_it_takes_back(sufficiency):
    """On an item's history and in the journal alike: "redo of change N", N the undo."""
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    run.ok("undo")
    run.ok("redo")
    entries = run.json("action", "show", "SUFF-1.1")["history"]
    assert (entries[-1]["event"], entries[-1]["note"]) == ("redo", f"redo of change {entries[-2]['txn']}")
    run.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board")
    run.ok("undo")
    run.ok("redo")
    journal = [c for c in run.json("changes", "--since", "30d") if c["subject"] == "plan SUFF"]
    assert [(c["event"], c["note"]) for c in journal[-2:]] == [
        ("undo", f"undo of change {journal[-3]['txn']}"), ("redo", f"redo of change {journal[-2]['txn']}")]


def test_redo_names_the_redone_change_once_and_keeps_a_value_that_says_redo(sufficiency):
    """Only the line's first word "redo" is the event's name."""
    run = sufficiency
    run.ok("action", "edit", "SUFF-1.1", "--title", "We redo the survey")
    run.ok("undo")
    out = run.ok("redo")
    assert out.startswith("Redid: edit SUFF-1.1 by")
    assert out.rstrip().endswith(f"title {TITLE} -> We redo the survey")


def test_redo_refuses_when_someone_else_has_changed_the_item_since_and_says_who_and_when():
    """Even a change to another field: redo never builds on someone else's later work."""
    data = small_store()
    at(data, date(2022, 7, 20)).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=date(2022, 11, 30))
    at(data, date(2022, 9, 1)).update_action("SUFF-1.1", rag="amber")
    undo_last(at(data, date(2022, 9, 2)))
    tracker(data, as_of=date(2022, 9, 3), user="Head of Service").update_action("SUFF-1.1", note="Chased")
    with pytest.raises(BadInput) as refused:
        redo_last(at(data, date(2022, 9, 4)))
    assert refused.value.message == ("SUFF-1.1 was changed by Head of Service since (recorded 01 Jan 2026 09:00): "
                                     "nothing was redone")
    assert data.actions["SUFF-1.1"].rag is None


def test_redo_refuses_an_item_whose_own_history_holds_the_undone_add():
    """A record put back by hand from the archive still holds the undo that took its add
    back: redo says so, rather than that its ref "cannot be reversed"."""
    data = small_store()
    at(data, date(2022, 7, 20)).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=date(2022, 11, 30))
    created = data.actions["SUFF-1.1"].history[-1].txn
    t = at(data, date(2022, 9, 2))
    t.record(data.actions["SUFF-1.1"], "undo", [Change("ref", "SUFF-1.1", None)], f"undo of change {created}",
             undoes=created)
    with pytest.raises(BadInput) as refused:
        redo_last(at(data, date(2022, 9, 3)))
    assert refused.value.message == "SUFF-1.1: an undone add is not redone (its ref is retired); add it again"


def test_another_users_undone_add_is_not_named_by_my_redo(sufficiency):
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    run.ok("undo")
    run.ok("action", "add", "SUFF.1", "Extra", "--owner", OWNER, "--due", "31/03/2023", user=OTHER)
    run.ok("undo", user=OTHER)
    out = run.ok("redo")
    assert out.startswith("Redid: update SUFF-1.1") and "Not redone" not in out


def test_an_add_someone_else_undid_is_not_mine_to_be_told_of(sufficiency):
    """My update and its undo went to the archive with the other user's undone add: I have
    nothing to redo, and redo says that, not that their add is not redone."""
    run = sufficiency
    ref = run.ok("action", "add", "SUFF.1", "Extra", "--owner", OWNER, "--due", "31/03/2023", user=OTHER).strip()
    run.ok("action", "update", ref, "--rag", "amber")
    run.ok("undo")
    run.ok("undo", user=OTHER)
    assert ref not in [a["ref"] for a in run.json("action", "list")]
    run.refused("redo", says="there is nothing of Democratic Services Officer's to redo")


def test_a_meetings_new_prefix_undone_is_a_change_not_an_add(demo):
    """The undo's first change puts the prefix back to none: still "the change to", not "the add of"."""
    demo.ok("meeting", "add", "Corporate Parenting Board", "08/03/2023")
    demo.ok("meeting", "update", "Corporate Parenting Board", "08/03/2023", "--prefix", "CPP/23")
    demo.ok("undo")
    assert demo.refused("redo") == (
        "Error: the change to meeting Corporate Parenting Board 08 Mar 2023 is not redone: make it again; "
        "nothing was redone")


@pytest.mark.parametrize(("add", "what"), [
    (["plan", "add", "NEW", "New plan"], "plan NEW"),
    (["person", "add", "Head of Early Help", "--email", "early.help@example.gov.uk"], "person Head of Early Help"),
    (["indicator", "add", "CP9", "Children seen", "--unit", "number", "--better", "higher", "--target", "5"],
     "indicator CP9"),
])
def test_an_undone_add_of_a_plan_person_or_indicator_is_not_redone(sufficiency, add, what):
    sufficiency.ok(*add)
    sufficiency.ok("undo")
    assert sufficiency.refused("redo") == f"Error: the add of {what} is not redone: add it again; nothing was redone"


# -- damage ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"[]", b'["ref"]', b"5", b'"text"'])
def test_a_records_bytes_that_are_json_but_not_an_object_have_no_day_or_field_to_name(raw):
    """The decoder's own complaint is said instead (not an AttributeError of our own)."""
    assert impossible_day(raw) is None
    assert wrong_kind(raw) is None


# -- examples --------------------------------------------------------------------------------


def test_an_option_takes_only_its_value_and_the_word_after_is_its_own():
    """An option keeps one value with it: the positional argument after it is a word of its own."""
    assert shell_words("actiontrack --store d.json import plan.xlsx --plan SUFF") == [
        "actiontrack", "--store d.json", "import", "plan.xlsx", "--plan SUFF"]
    assert shell_words("--store d.json import") == ["--store d.json", "import"]


def test_a_word_goes_on_the_line_when_it_and_the_backslash_after_it_fit_exactly():
    """The line and " \\" after it, 23 characters: at width 23 the word fits, at 22 it does not."""
    assert command_lines(["actiontrack", "overdue"], 23) == ["  actiontrack overdue"]
    assert command_lines(["actiontrack", "overdue"], 22) == ["  actiontrack \\", "      overdue"]


def test_only_quotes_open_a_quoted_word():
    assert shell_words("actiontrack X Y --note 'a b'") == ["actiontrack", "X", "Y", "--note 'a b'"]
