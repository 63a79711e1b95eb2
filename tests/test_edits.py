"""Editing a plan's structure as it lives (issue 15): every edit in the history, undoable,
and the store as it was before it at --as-of."""

from __future__ import annotations

import os
from datetime import date

import pytest

from actiontrack.errors import BadInput

BEFORE, ON, AFTER = "30/11/2022", "01/12/2022", "02/12/2022"


def _plan(run, as_of=AFTER) -> dict:
    return {p["key"]: p for p in run.json("plan", "list", as_of=as_of)}["SUFF"]


def test_plan_update_is_recorded_undoable_and_rewound(sufficiency):
    run = sufficiency
    out = run.ok("plan", "update", "suff", "--board", "Children's Partnership Board", "--cycle", "14",
                 "--note", "Board renamed", as_of=ON)
    assert "board Corporate Parenting Board -> Children's Partnership Board" in out
    assert _plan(run)["board"] == "Children's Partnership Board" and _plan(run)["cycle_days"] == 14
    assert _plan(run, BEFORE)["board"] == "Corporate Parenting Board"  # what the Board saw the day before
    run.refused("plan", "update", "SUFF", "--board", "Children's Partnership Board", says="nothing to change")
    run.refused("plan", "update", "SUFF", "--cycle", "0", says="between 1 and 366")
    run.refused("plan", "update", "NOPE", "--title", "x", says="no plan 'NOPE'")
    run.refused("plan", "update", "SUFF", "--title", "  ", says="the plan's title")
    run.ok("undo", as_of=AFTER)
    assert _plan(run)["board"] == "Corporate Parenting Board" and _plan(run)["cycle_days"] == 31


def test_theme_update_changes_the_officer_and_undo_puts_it_back(sufficiency):
    run = sufficiency
    run.ok("theme", "update", "SUFF.2", "--officer", "Head of Placements", "--title", "Placements close to home",
           as_of=ON)
    themes = {t["theme"]: t for t in run.json("theme", "list", as_of=AFTER)}
    assert (themes["SUFF.2"]["officer"], themes["SUFF.2"]["title"]) == ("Head of Placements", "Placements close to home")
    then = {t["theme"]: t for t in run.json("theme", "list", as_of=BEFORE)}
    assert then["SUFF.2"]["officer"] == "Head of Resources and Placements"
    run.refused("theme", "update", "SUFF.9", "--officer", "x", says="has no theme 9")
    run.ok("undo", as_of=AFTER)
    assert {t["theme"]: t for t in run.json("theme", "list", as_of=AFTER)}["SUFF.2"]["officer"] == (
        "Head of Resources and Placements")


def test_action_edit_rewords_and_keeps_the_why(sufficiency):
    run = sufficiency
    run.ok("action", "edit", "SUFF-1.1", "--title", "Refresh the Commissioning Action Plan",
           "--success-criteria", "Approved by the Board", "--financial", "Within budget", "--source", "minute 22/8",
           "--owner", "Head of Commissioning", "--note", "Wording agreed at the Board", as_of=ON)
    shown = run.json("action", "show", "SUFF-1.1", as_of=AFTER)
    assert (shown["title"], shown["owner"], shown["success"], shown["finance"], shown["source"]) == (
        "Refresh the Commissioning Action Plan", "Head of Commissioning", "Approved by the Board", "Within budget",
        "minute 22/8")
    last = shown["history"][-1]
    assert last["event"] == "edit" and last["note"] == "Wording agreed at the Board"
    assert {c["field"] for c in last["changes"]} == {"title", "owner", "success", "finance", "source"}
    assert run.json("action", "show", "SUFF-1.1", as_of=BEFORE)["title"] == "Full refresh of the Commissioning Action Plan"
    run.refused("action", "edit", "SUFF-1.1", "--title", "Refresh the Commissioning Action Plan", says="nothing to change")
    run.refused("action", "edit", "SUFF-1.1", "--owner", "", says="the owner")
    run.refused("action", "edit", "SUFF-1.1", "--title", "x", as_of="01/01/2022", says="was created on")
    run.ok("undo", as_of=AFTER)
    assert run.json("action", "show", "SUFF-1.1", as_of=AFTER)["title"] == "Full refresh of the Commissioning Action Plan"


def test_resolution_edit(sufficiency):
    run = sufficiency
    run.ok("meeting", "add", "Corporate Parenting Board", "20/07/2022", as_of="20/07/2022")
    ref = run.ok("resolution", "add", "Corporate Parenting Board", "20/07/2022", "22/7", "That the plan be refreshed",
                 "--owner", "Head of Service", "--due", "30/11/2022", as_of="20/07/2022").strip()
    run.ok("resolution", "edit", ref, "--owner", "Director of Children's Services", as_of=ON)
    assert run.json("resolution", "show", ref, as_of=AFTER)["owner"] == "Director of Children's Services"
    run.refused("resolution", "edit", "SUFF-1.1", "--owner", "x", says="'SUFF-1.1' is an action")


def test_milestones_are_redrawn_and_removed_with_history(sufficiency):
    run = sufficiency
    run.ok("milestone", "add", "SUFF-1.1", "Providers consulted", "--due", "31/10/2022", as_of="20/07/2022")
    run.ok("milestone", "update", "SUFF-1.1", "1", "--due", "30/11/2022", "--title", "All providers consulted",
           "--note", "Third provider late", as_of=ON)
    (m,) = run.json("action", "show", "SUFF-1.1", as_of=AFTER)["milestones"]
    assert (m["title"], m["due"]) == ("All providers consulted", "2022-11-30")
    (then,) = run.json("action", "show", "SUFF-1.1", as_of=BEFORE)["milestones"]
    assert (then["title"], then["due"]) == ("Providers consulted", "2022-10-31")
    run.refused("milestone", "remove", "SUFF-1.1", "1", says="--note")
    run.refused("milestone", "update", "SUFF-1.1", "2", "--due", "30/11/2022", says="milestone 2")
    run.ok("milestone", "remove", "SUFF-1.1", "1", "--note", "Superseded", as_of=AFTER)
    assert run.json("action", "show", "SUFF-1.1", as_of=AFTER)["milestones"] == []
    assert len(run.json("action", "show", "SUFF-1.1", as_of=ON)["milestones"]) == 1
    run.ok("undo", as_of=AFTER)
    run.ok("undo", as_of=AFTER)
    (back,) = run.json("action", "show", "SUFF-1.1", as_of=AFTER)["milestones"]
    assert (back["title"], back["due"]) == ("Providers consulted", "2022-10-31")


def test_reassign_moves_everything_open_in_one_change_on_the_demo(demo):
    old, new = "Head of Resources and Placements", "Head of Placements and Sufficiency"
    held = [r for r in demo.json("action", "list") + demo.json("resolution", "list") if r["owner"] == old]
    open_held = [r["ref"] for r in held if r["status"] not in ("complete", "dropped")]
    dry = demo.ok("reassign", old.upper(), new, "--dry-run")
    assert dry.startswith(f"Would move {len(open_held) + 2} to {new}:")  # and two themes
    before = demo.snapshot()
    assert demo.snapshot() == before
    out = demo.ok("reassign", old, new)
    assert all(ref in out for ref in open_held) and "theme SUFF.2" in out and "theme PERM.2" in out
    now = {r["ref"]: r["owner"] for r in demo.json("action", "list") + demo.json("resolution", "list")}
    assert all(now[ref] == new for ref in open_held)
    assert all(now[r["ref"]] == old for r in held if r["ref"] not in open_held)  # closed keep their owner
    themes = {t["theme"]: t["officer"] for t in demo.json("theme", "list")}
    assert themes["SUFF.2"] == themes["PERM.2"] == new
    demo.ok("undo")  # one change, one undo
    assert {t["theme"]: t["officer"] for t in demo.json("theme", "list")}["SUFF.2"] == old
    assert all(r["owner"] == old for r in demo.json("action", "list") if r["ref"] in open_held)
    line = demo.refused("reassign", "Nobody At All", new, says="holds nothing open")
    assert "did you mean" not in line
    demo.refused("reassign", old, old.lower(), says="the same")
    # A letter out: says whom (a new-user trial was told only "holds nothing open").
    demo.refused("reassign", old[:-1], new, says=f"holds nothing open: no action, resolution, theme or plan to "
                                                 f"move; did you mean '{old}'?")


def test_reassign_within_one_plan(demo):
    out = demo.ok("reassign", "Head of Resources and Placements", "Head of Placements", "--plan", "PERM")
    assert "theme PERM.2" in out and "SUFF" not in out


@pytest.mark.parametrize("args", [
    ("plan", "update", "SUFF"), ("theme", "update", "SUFF.1"), ("action", "edit", "SUFF-1.1"),
    ("milestone", "update", "SUFF-1.1", "1"),
])
def test_an_edit_with_nothing_to_change_is_refused(sufficiency, args):
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Providers consulted", "--due", "31/10/2022", as_of="20/07/2022")
    sufficiency.refused(*args, says="nothing to change")


BOARD = "Corporate Parenting Board"


def _due(run, ref, as_of=AFTER):
    return run.json("resolution", "show", ref, as_of=as_of)["due"]


def test_moving_a_meeting_moves_what_was_due_at_it_and_undo_moves_it_back(demo):
    out = demo.ok("meeting", "update", BOARD, "14/12/2022", "--date", "11/01/2023", "--note", "Election", as_of=ON)
    assert "R-10 is now due 11 Jan 2023 (next meeting)" in out and "R-11 is now due 11 Jan 2023" in out
    assert _due(demo, "R-11") == "2023-01-11"
    shown = demo.json("resolution", "show", "R-11", as_of=AFTER)
    assert shown["baseline_due"] == "2023-01-11" and shown["slippage_days"] == 0  # the committee moved, not the work
    assert shown["history"][-1]["event"] == "meeting-moved" and shown["history"][-1]["note"] == "Election"
    dates = [m["date"] for m in demo.json("meeting", "list", BOARD, as_of=AFTER)]
    assert "2023-01-11" in dates and "2022-12-14" not in dates
    assert "2022-12-14" in [m["date"] for m in demo.json("meeting", "list", BOARD, as_of=BEFORE)]
    demo.refused("meeting", "update", BOARD, "11/01/2023", "--date", "19/10/2022", as_of=AFTER,
                 says="already has a meeting on 19 Oct 2022")
    undone = demo.ok("undo", as_of=AFTER)
    # The meeting named as people read it (a second new-user trial found it said as 2022-12-14).
    assert f"meeting-update meeting {BOARD} 14 Dec 2022 by" in undone and "2022-12-14" not in undone
    assert _due(demo, "R-11") == "2022-12-14"
    assert "2022-12-14" in [m["date"] for m in demo.json("meeting", "list", BOARD, as_of=AFTER)]


def test_moving_a_meeting_that_met_takes_its_resolutions_along(demo):
    demo.ok("meeting", "update", BOARD, "19/10/2022", "--date", "20/10/2022", "--prefix", "CPB/22", as_of=ON)
    assert demo.json("resolution", "show", "R-11", as_of=AFTER)["meeting"] == "2022-10-20"
    (m,) = [m for m in demo.json("meeting", "list", BOARD, as_of=AFTER) if m["date"] == "2022-10-20"]
    assert m["prefix"] == "CPB/22" and m["resolutions"] == 1
    demo.ok("undo", as_of=AFTER)
    assert demo.json("resolution", "show", "R-11", as_of=AFTER)["meeting"] == "2022-10-19"


def test_cancelling_a_meeting_moves_its_business_to_the_next(demo):
    demo.ok("meeting", "add", BOARD, "15/02/2023", as_of=ON)
    out = demo.ok("meeting", "cancel", BOARD, "14/12/2022", "--note", "Not quorate", as_of=ON)
    assert "R-11 is now due 15 Feb 2023 (the meeting after)" in out
    assert _due(demo, "R-11") == "2023-02-15"
    demo.refused("meeting", "cancel", BOARD, "19/10/2022", "--note", "x", says="it met")
    demo.refused("meeting", "cancel", BOARD, "15/02/2023", says="--note")
    demo.ok("undo", as_of=AFTER)
    assert _due(demo, "R-11") == "2022-12-14"


def test_cancelling_the_last_meeting_leaves_its_business_due_and_visible(demo):
    out = demo.ok("meeting", "cancel", BOARD, "14/12/2022", "--note", "Not quorate", as_of=ON)
    assert "R-11 stays due 14 Dec 2022: no later meeting is set" in out
    assert _due(demo, "R-11") == "2022-12-14"
    slipped = {r["ref"] for r in demo.json("slippage", as_of=AFTER)}
    assert "R-10" in slipped  # its slippage still shows: nothing was quietly undated


def test_business_left_on_a_cancelled_meeting_falls_due_at_the_next_once_added(demo):
    """From a new-user trial: after the last meeting was cancelled and the next one added,
    R-10 and R-11 stayed due on the cancelled day, overdue for a meeting that never met."""
    out = demo.ok("meeting", "cancel", BOARD, "14/12/2022", "--note", "Inquorate", as_of=ON)
    assert "R-11 stays due 14 Dec 2022: no later meeting is set; it falls due at the next meeting once that is " \
           "added (or reschedule it)" in " ".join(out.split())
    out = demo.ok("meeting", "add", BOARD, "18/01/2023", as_of=ON)
    assert "R-10 is now due 18 Jan 2023 (next meeting)" in out and "R-11 is now due 18 Jan 2023" in out
    assert (_due(demo, "R-10"), _due(demo, "R-11")) == ("2023-01-18", "2023-01-18")
    history = demo.json("resolution", "show", "R-11", as_of=AFTER)["history"]
    assert history[-1]["note"] == "the meeting of 14 Dec 2022 was cancelled"
    assert "R-11" not in {r["ref"] for r in demo.json("overdue", as_of=AFTER)}
    demo.ok("meeting", "add", BOARD, "15/03/2023", as_of=ON)  # a later meeting moves nothing further
    assert _due(demo, "R-11") == "2023-01-18"
    demo.ok("undo", as_of=AFTER)
    demo.ok("undo", as_of=AFTER)  # the meeting add and what it moved, together
    assert _due(demo, "R-11") == "2022-12-14"


def test_a_meeting_add_undone_is_not_redone_with_what_it_moved(demo):
    """From a second trial: redo passed over the undone meeting add but redid the moves it
    made, and R-10 and R-11 fell due at a meeting that did not exist."""
    demo.ok("meeting", "cancel", BOARD, "14/12/2022", "--note", "Not quorate", as_of=ON)
    demo.ok("meeting", "add", BOARD, "08/02/2023", as_of=ON)
    demo.ok("undo", as_of=ON)
    demo.refused("redo", as_of=ON, says="the add of meeting Corporate Parenting Board 08 Feb 2023 is not redone, nor "
                                        "what it moved: add the meeting again; nothing was redone")
    assert (_due(demo, "R-10"), _due(demo, "R-11")) == ("2022-12-14", "2022-12-14")
    assert "R-11 is now due 08 Feb 2023" in demo.ok("meeting", "add", BOARD, "08/02/2023", as_of=ON)


def test_a_meeting_add_undone_later_is_there_as_of_the_day_before_the_undo(demo):
    """From a third trial: undone a day later, the meeting was missing from the view as of
    the day it was added, while the resolutions it moved were due at it."""
    demo.ok("meeting", "cancel", BOARD, "14/12/2022", "--note", "Inquorate", as_of="07/12/2022")
    demo.ok("meeting", "add", BOARD, "25/01/2023", as_of="07/12/2022")
    demo.ok("undo", as_of="08/12/2022")
    then = [m["date"] for m in demo.json("meeting", "list", BOARD, as_of="07/12/2022")]
    assert "2023-01-25" in then and _due(demo, "R-10", as_of="07/12/2022") == "2023-01-25"
    assert "25 Jan 2023" in demo.ok("log", BOARD, "25/01/2023", as_of="07/12/2022")
    now = [m["date"] for m in demo.json("meeting", "list", BOARD, as_of="08/12/2022")]
    assert "2023-01-25" not in now and _due(demo, "R-10", as_of="08/12/2022") == "2022-12-14"


def test_a_resolution_rescheduled_by_hand_off_a_meeting_day_stays_put(demo):
    """Only business left on a cancelled meeting's day follows the next: a date an officer
    was given by hand is theirs."""
    demo.ok("resolution", "reschedule", "R-11", "05/01/2023", "--reason", "Report needs the Q3 figures", as_of=ON)
    demo.ok("meeting", "add", BOARD, "18/01/2023", as_of=ON)
    assert _due(demo, "R-11") == "2023-01-05"


@pytest.mark.parametrize("old, new, says", [
    ("14/12/2022", "18/10/2022", "past the meeting of 19 Oct 2022"),  # would reorder the meetings
    ("14/12/2022", "01/10/2022", "past the meeting of 19 Oct 2022"),
    ("20/07/2022", "20/04/2022", "past the meeting of 27 Apr 2022"),
    ("19/10/2022", "19/07/2022", "past the meeting of 20 Jul 2022"),
])
def test_a_meeting_move_may_not_reorder_the_committees_meetings(demo, old, new, says):
    demo.refused("meeting", "update", BOARD, old, "--date", new, says=says)


def test_a_meeting_cannot_move_before_what_is_due_at_it_was_made(demo):
    demo.refused("meeting", "update", BOARD, "20/07/2022", "--date", "26/04/2022", says="past the meeting")
    demo.refused("meeting", "update", BOARD, "14/12/2022", "--date", "19/10/2022", says="already has a meeting")
    # The day after the meeting R-11 came from: a short gap, but in order.
    assert "R-11 is now due 20 Oct 2022" in demo.ok("meeting", "update", BOARD, "14/12/2022", "--date", "20/10/2022")


def test_a_change_may_not_count_from_before_the_items_newest_change(sufficiency):
    run = sufficiency
    run.ok("action", "edit", "SUFF-1.1", "--title", "December wording", as_of="10/12/2022")
    run.refused("action", "edit", "SUFF-1.1", "--title", "Earlier", as_of=ON, says="has a change counting from 10 Dec 2022")
    # An undo counts from no earlier than the change it reverses (a trial's back-dated undo
    # was listed before it); once undone, an earlier change is fine again.
    run.refused("undo", as_of=ON, says="the change the undo reverses counts from 10 Dec 2022; the undo cannot count from")
    run.ok("undo", as_of="10/12/2022")
    # ... and the undo counts from then too: a change counting from before it was lost from
    # the --as-of view of its own day (a trial), so it is refused; from that day on, it is taken.
    run.refused("action", "edit", "SUFF-1.1", "--title", "Earlier", as_of=ON, says="counting from 10 Dec 2022")
    run.ok("action", "edit", "SUFF-1.1", "--title", "Later", as_of="10/12/2022")
    assert run.json("action", "show", "SUFF-1.1", as_of="09/12/2022")["title"] == "Full refresh of the Commissioning Action Plan"
    assert run.json("action", "show", "SUFF-1.1", as_of="11/12/2022")["title"] == "Later"


def test_plans_and_themes_are_not_edited_before_they_existed(sufficiency):
    sufficiency.refused("plan", "update", "SUFF", "--title", "x", as_of="01/01/2020", says="created on 20 Jul 2022")
    sufficiency.refused("theme", "update", "SUFF.1", "--title", "x", as_of="01/01/2020", says="created on 20 Jul 2022")


@pytest.mark.parametrize("args", [
    ("action", "update", "SUFF-1.3", "--owner", "Specialist Comissioning Manager"),
    ("action", "edit", "SUFF-1.3", "--owner", "Specialist Comissioning Manager"),
    ("action", "add", "SUFF.1", "Recruit two residential staff", "--owner", "Head of Early Hlep", "--due", "31/03/2023"),
    ("theme", "update", "SUFF.3", "--officer", "Head of Early Hlep"),
    ("reassign", "Head of Early Help", "Head of Erly Help"),
    ("plan", "update", "PERM", "--board", "Corporate Parenting Borad"),
])
def test_an_owner_or_board_a_letter_or_two_from_one_known_is_a_typo(demo, args):
    """From a new-user trial: only `person add` asked "did you mean"; these six took the typo
    (exit 0): a second person with no address for their returns, or a plan gone from its
    Board's action log.  Refused with the name meant; a real newcomer is added first."""
    demo.refused(*args, says="did you mean '")


def test_a_status_reads_as_a_return_or_a_sheet_says_it(demo):
    """From a new-user trial: "In progress" came in through returns and imports, and was
    refused on the command line."""
    demo.ok("action", "update", "SUFF-2.1", "--status", "On hold", "--note", "Paused for the budget")
    assert demo.json("action", "show", "SUFF-2.1")["status"] == "on-hold"
    assert "SUFF-2.1" in [r["ref"] for r in demo.json("action", "list", "--status", "on  HOLD")]
    demo.ok("action", "update", "SUFF-2.1", "--status", "In Progress")
    assert demo.json("action", "show", "SUFF-2.1")["status"] == "in-progress"


def test_a_known_owner_typed_another_way_is_kept_as_the_store_spells_them(demo):
    demo.ok("action", "add", "SUFF.1", "Recruit two residential staff", "--owner", "head of  early help",
            "--due", "31/03/2023")
    (added,) = [r for r in demo.json("action", "list", "--theme", "SUFF.1") if r["title"].startswith("Recruit")]
    assert added["owner"] == "Head of Early Help"
    # Someone really new, one letter from a known title, is added as a person first.
    demo.refused("action", "update", added["ref"], "--owner", "Head of Early Helps", says="person add")
    demo.ok("person", "add", "Head of Early Helps", "--email", "early.helps@example.gov.uk", "--new")
    demo.ok("action", "update", added["ref"], "--owner", "Head of Early Helps")
    assert demo.json("action", "show", added["ref"])["owner"] == "Head of Early Helps"
    demo.ok("action", "update", added["ref"], "--owner", "Virtual School Head")  # far from anyone: as typed


def test_and_or_ampersand_is_one_owner_kept_as_the_store_spells_them(demo):
    """From a new-user trial: "Head of Resources & Placements" against a known "... and
    Placements" started a second person, with no address and a return of their own."""
    demo.ok("action", "add", "SUFF.1", "Recruit two residential staff", "--owner", "Head of Resources & Placements",
            "--due", "31/03/2023")
    (added,) = [r for r in demo.json("action", "list", "--theme", "SUFF.1") if r["title"].startswith("Recruit")]
    assert added["owner"] == "Head of Resources and Placements"
    demo.ok("action", "update", added["ref"], "--owner",
            "Specialist Commissioning and Procurement Senior Manager")  # the store says "&"
    assert demo.json("action", "show", added["ref"])["owner"] == "Specialist Commissioning & Procurement Senior Manager"
    names = [p["name"] for p in demo.json("person", "list")]
    assert "Head of Resources & Placements" not in names
    # A second new-user trial: the other commands that name an owner read "&" as "and" too.
    refs = [r["ref"] for r in demo.json("action", "list", "--owner", "Resources & Placements")]
    assert "SUFF-2.1" in refs and refs == [r["ref"] for r in demo.json("action", "list", "--owner",
                                                                         "resources  AND placements")]
    demo.refused("reassign", "Head of Resources and Placements", "Head of Resources & Placements",
                 says="the old and new owner are the same")
    moved = demo.ok("reassign", "Head of Resources & Placements", "Virtual School Headteacher", "--dry-run")
    assert "SUFF-2.1" in moved
    assert "Specialist Commissioning and Procurement Senior Manager" not in names


def test_an_owner_known_only_from_actions_is_a_typo_a_letter_away(sufficiency, tmp_path):
    """From a new-user trial: the check knew people, officers and plan owners only, so
    "Specialist Comissioning Manager" went in beside the action owner it was meant for (an
    imported plan, which records no one else, had no check at all), and that owner's
    returns and chase lists split in two."""
    run = sufficiency
    typo = ("--owner", "Specialist Comissioning Manager")
    run.refused("action", "add", "SUFF.1", "Extra", *typo, "--due", "31/03/2023",
                says="did you mean 'Specialist Commissioning Manager'?")
    run.refused("action", "update", "SUFF-1.1", *typo, says="did you mean 'Specialist Commissioning Manager'?")
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Action,Lead Officer,Target Date\n1.2,Audit placements,Specialist Comissioning Manager,"
                     "31/03/2023\n", encoding="utf-8")
    run.refused("import", str(sheet), "--plan", "SUFF", details=True,
                says="did you mean 'Specialist Commissioning Manager'?")
    # A name new to the store is remembered from its first use: its own typo is caught next time.
    run.ok("action", "add", "SUFF.1", "Extra", "--owner", "Head of Children's Services", "--due", "31/03/2023")
    run.refused("action", "add", "SUFF.1", "Extra", "--owner", "Head of Children's Servics", "--due", "31/03/2023",
                says="did you mean 'Head of Children's Services'?")


def test_a_curly_apostrophe_is_the_owner_spelt_with_a_straight_one(sufficiency):
    """From a new-user trial: text from Word writes "Children’s"; it started a second person
    beside "Children's", and where the check ran it asked "did you mean" a name that looks
    the same."""
    run = sufficiency
    run.ok("action", "add", "SUFF.1", "Extra", "--owner", "Head of Children's Services", "--due", "31/03/2023")
    ref = run.ok("action", "add", "SUFF.1", "More", "--owner", "Head of Children\u2019s Services",
                 "--due", "31/03/2023").strip()
    assert run.json("action", "show", ref)["owner"] == "Head of Children's Services"
    assert [p["name"] for p in run.json("person", "list")].count("Head of Children's Services") == 1


@pytest.mark.parametrize("args", [
    ("action", "add", "SUFF.1", "Extra", "--owner", "Specialist Commissioning and Procurement Senior Manger",
     "--due", "31/03/2023"),
    ("action", "add", "SUFF.1", "Extra", "--owner", "Head of Resources & Placement", "--due", "31/03/2023"),
    ("theme", "update", "SUFF.2", "--officer", "Head of Resources & Placement"),
    ("plan", "add", "EDU", "Education", "--owner", "Specialist Commissioning and Procurement Senior Manger"),
])
def test_a_typo_beside_an_ampersand_where_the_store_says_and_is_still_a_typo(sufficiency, args):
    """From a second trial: "&" for "and" counted three letters, so a typo beside it (two
    more) was past the check, and went in as a new person."""
    sufficiency.refused(*args, says="did you mean '")


def test_person_add_and_update_know_an_owner_however_it_is_spelt(sufficiency):
    """From a second trial: `person add "Head of Resources & Placements"` added a second
    person beside the officer "... and Placements", the address on one and the work on the
    other; a curly apostrophe did the same, and `person update` with one found no one."""
    run = sufficiency
    run.ok("action", "add", "SUFF.1", "Extra", "--owner", "Children's Services Education Lead", "--due", "31/03/2023")
    said = run.ok("person", "add", "Head of Resources & Placements", "--email", "hrp@example.gov.uk")
    assert said.startswith("Added Head of Resources and Placements <")
    run.ok("person", "add", "Children\u2019s Services Education Lead", "--email", "csel@example.gov.uk")
    names = [p["name"] for p in run.json("person", "list")]
    assert "Children's Services Education Lead" in names and "Children\u2019s Services Education Lead" not in names
    run.refused("person", "add", "Head of Resources and Placements", "--email", "x@example.gov.uk",
                says="'Head of Resources and Placements' is already recorded")
    run.ok("person", "update", "Children\u2019s services education lead", "--email", "lead@example.gov.uk")
    assert {p["name"]: p["email"] for p in run.json("person", "list")}[
        "Children's Services Education Lead"] == "lead@example.gov.uk"
    # A typo of an owner known only from actions is asked about; --new says it is someone else.
    run.refused("person", "add", "Specialist Comissioning Manager", "--email", "s@example.gov.uk",
                says="did you mean 'Specialist Commissioning Manager', who is already an owner here?")
    run.ok("person", "add", "Specialist Comissioning Manager", "--email", "s@example.gov.uk", "--new")


def test_a_store_saved_before_owner_names_were_kept_reads_them_from_its_items_once():
    from actiontrack.domain.storedata import OWNER_NAMES
    from tests.helpers import small_store, tracker

    t = tracker(small_store())
    t.add_action("SUFF.1", "Refresh the plan", owner="Specialist Commissioning Manager", due=date(2022, 11, 30))
    del t.data.meta[OWNER_NAMES]  # as a store saved by an earlier version has it
    with pytest.raises(BadInput, match="did you mean 'Specialist Commissioning Manager'"):
        t.data.person_name("Specialist Comissioning Manager")
    assert t.data.meta[OWNER_NAMES] == ["Specialist Commissioning Manager"]  # kept by the change's save
    assert t.data.person_name("Virtual School Headteacher") == "Virtual School Headteacher"
    assert t.data.meta[OWNER_NAMES] == ["Specialist Commissioning Manager", "Virtual School Headteacher"]


def test_an_import_checks_each_owner_against_those_in_the_rows_before(demo, tmp_path):
    """From a new-user trial: two spellings of one new officer in one sheet were both taken
    (exit 0), two people where there is one.  Refused naming the row; nothing imported."""
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Theme,Action,Responsible Officer,Target Date\n"
                     "1.1,1. Placements,Open a second home,Head of Comissioning,31/03/2023\n"
                     "1.2,1. Placements,Review the framework,Head of Commissioning,31/03/2023\n", encoding="utf-8")
    line = demo.refused("import", str(sheet), "--plan", "NEWP", details=True,
                        says="  sheet 'plan', row 3: 'Head of Commissioning'")
    assert line == f"Error: 1 bad row in {sheet}; nothing was imported:"
    assert "did you mean 'Head of Comissioning'" in demo("import", str(sheet), "--plan", "NEWP").stderr
    sheet.write_text("Ref,Theme,Action,Responsible Officer,Target Date\n"
                     "1.1,1. Placements,Open a second home,Head of Early Halp,31/03/2023\n", encoding="utf-8")
    demo.refused("import", str(sheet), "--plan", "NEWP", details=True,
                 says="row 2: 'Head of Early Halp' is not anyone here yet; did you mean 'Head of Early Help'?")


def test_an_import_names_every_bad_row_at_once_the_owners_near_misses_too(demo, tmp_path):
    """From a new-user trial: an owner a letter from another was found only once the
    sheet's other problems were mended, and only the first of them: the clerk sent the
    sheet back three times.  Now every bad row is listed in one refusal, in row order."""
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Theme,Action,Responsible Officer,Target Date\n"
                     "1.1,1. Placements,Open a second home,Head of Early Halp,31/03/2023\n"
                     "1.2,1. Placements,Review the framework,Head of Service,31/02/2023\n"
                     "1.3,1. Placements,Recruit carers,Head of Comissioning,31/03/2023\n"
                     "1.4,1. Placements,Audit the plan,Head of Commissioning,31/03/2023\n", encoding="utf-8")
    result = demo("import", str(sheet), "--plan", "NEWP")
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: 3 bad rows in {sheet}; nothing was imported:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  sheet 'plan', row 2", "  sheet 'plan', row 3, column 'Target Date', value '31/02/2023'",
        "  sheet 'plan', row 5"]
    assert "did you mean 'Head of Early Help'" in lines[1] and "did you mean 'Head of Comissioning'" in lines[3]
    demo.refused("import", str(sheet), "--plan", "NEWP", details=True)  # and the store is as it was


def test_an_owner_spelt_another_way_in_a_sheet_is_no_update_and_leaves_the_action_stale(demo, tmp_path):
    """From a new-user trial: the owner in another case, with a double space or "&" for
    "and" was reported "update | owner" on every import, wrote an empty history entry each
    time, and took the action off the stale list.  The same owner is unchanged."""
    stale = [r["ref"] for r in demo.json("action", "list", "--stale")]
    assert "SUFF-1.3" in stale
    title = demo.json("action", "show", "SUFF-1.3")["title"]
    owner = demo.json("action", "show", "SUFF-1.3")["owner"]
    spelt = "  ".join(owner.lower().replace(" and ", " & ").split(" "))
    assert spelt != owner
    sheet = tmp_path / "plan.csv"
    sheet.write_text(f"Ref,Action,Lead Officer\nSUFF-1.3,\"{title}\",{spelt}\n", encoding="utf-8")
    before = demo.snapshot()
    out = demo.json("import", str(sheet), "--plan", "SUFF")
    assert out["counts"] == {"create": 0, "update": 0, "unchanged": 1}
    assert demo.snapshot() == before  # nothing written: no entry, no backup
    assert [r["ref"] for r in demo.json("action", "list", "--stale")] == stale


def test_reassign_and_returns_say_each_line_within_80_columns(demo, tmp_path, monkeypatch):
    """From a new-user trial: reassign --dry-run named a theme by its full title in a line
    of 92 columns, and returns make each file in one of up to 170.  Each is broken between
    words, its later lines indented under it."""
    monkeypatch.setenv("COLUMNS", "80")
    moved = demo.ok("reassign", "Head of Resources and Placements", "Head of Placements and Sufficiency", "--dry-run")
    monkeypatch.chdir(tmp_path)  # a folder named as a clerk would: a path longer than a line is folded
    made = demo.ok("returns", "make", "--due-by", "14/12/2022", "--reply-by", "07/12/2022",
                   "--output", "returns for the December Board")
    for out in (moved, made):
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80 and any(line.startswith("    ") for line in lines)
    assert "theme SUFF.2 Increasing Placements Close to where Children and Young People live and learn" in \
        " ".join(line.strip() for line in moved.splitlines())
    said = " ".join(line.strip() for line in made.splitlines()).split("Wrote ")[1:]  # each file, its lines joined
    assert said and all(os.path.exists(entry.split(" (")[0]) for entry in said)


def test_a_bad_rows_owner_a_letter_out_is_said_with_its_other_problems(demo, tmp_path):
    """From a new-user trial: a row with a bad date and an owner a letter from one known was
    refused for the date alone; mended, it was refused again for the owner."""
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Theme,Action,Lead Officer,Target Date\n"
                     "1.1,1. Placements,First,Head of Early Help,30/11/2022\n"
                     "1.2,1. Placements,Second,Head of Early Halp,31/02/2023\n", encoding="utf-8")
    result = demo("import", str(sheet), "--plan", "NEWP")
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: 1 bad row (2 problems) in {sheet}; nothing was imported:"
    assert lines[1].startswith("  sheet 'plan', row 3, column 'Target Date', value '31/02/2023'")
    assert lines[2].startswith("  sheet 'plan', row 3: 'Head of Early Halp' is not anyone here yet; "
                               "did you mean 'Head of Early Help'?")
