import json
from datetime import date

import pytest

from actiontrack.changes.undo import undo_last
from actiontrack.domain import rules
from actiontrack.errors import BadInput
from tests.helpers import at, small_store


@pytest.fixture
def data():
    d = small_store()
    at(d, date(2022, 7, 20)).add_action("SUFF.1", "Refresh", owner="Manager", due=date(2022, 11, 30))
    return d


def undo(d, day=date(2022, 12, 1)):
    return undo_last(at(d, day))


def test_undo_update_restores_and_records(data):
    at(data, date(2022, 8, 1)).update_action("SUFF-1.1", status="in-progress", rag="green", note="Going well")
    lines = undo(data)
    a = data.action("SUFF-1.1")
    assert (a.status, a.rag) == ("not-started", None)
    assert "update SUFF-1.1" in lines[0]
    last = a.history[-1]
    assert last.event == "undo" and last.undoes == a.history[-2].txn
    assert {(c.field, c.old, c.new) for c in last.changes} == {("status", "in-progress", "not-started"),
                                                              ("rag", "green", None)}
    assert len(a.history) == 3  # nothing deleted


def test_undo_reschedule_no_longer_counts_as_a_move(data):
    at(data, date(2022, 11, 1)).reschedule("SUFF-1.1", date(2023, 1, 31), "Capacity")
    undo(data)
    a = data.action("SUFF-1.1")
    assert a.due == date(2022, 11, 30) and rules.reschedules(a) == 0


def test_undo_complete_reopens(data):
    at(data, date(2022, 12, 1)).complete("SUFF-1.1")
    undo(data)
    a = data.action("SUFF-1.1")
    assert (a.status, a.completed_on) == ("not-started", None)


def test_undo_milestones(data):
    at(data, date(2022, 8, 1)).add_milestone("SUFF-1.1", "Draft", date(2022, 9, 30))
    at(data, date(2022, 9, 1)).milestone_done("SUFF-1.1", 1)
    undo(data)
    assert data.action("SUFF-1.1").milestones[0].done_on is None
    undo(data)
    assert data.action("SUFF-1.1").milestones == []


def test_repeated_undo_walks_back_and_then_stops(data):
    at(data, date(2022, 8, 1)).update_action("SUFF-1.1", rag="green")
    at(data, date(2022, 8, 2)).update_action("SUFF-1.1", rag="amber")
    undo(data)
    assert data.action("SUFF-1.1").rag == "green"
    undo(data)
    assert data.action("SUFF-1.1").rag is None
    undo(data)  # the add itself
    assert "SUFF-1.1" not in data.actions
    assert data.archive[-1]["kind"] == "action" and data.archive[-1]["record"]["ref"] == "SUFF-1.1"
    archived = json.loads(data.archive[-1]["record"]["history"])  # stored as one JSON string
    assert archived[-1]["event"] == "undo"
    undo(data)  # the command that added both plans and their three themes
    assert data.themes == {} and data.plans == {}
    assert [r["kind"] for r in data.archive[-5:]] == ["theme", "theme", "theme", "plan", "plan"]
    with pytest.raises(BadInput, match="nothing to undo"):
        undo(data)


def test_new_change_after_undo_is_undone_first(data):
    t = at(data, date(2022, 8, 1))
    t.update_action("SUFF-1.1", rag="green")
    undo(data)  # as of 01 Dec: the next change counts from then on (rules.latest_change)
    at(data, date(2022, 12, 1)).update_action("SUFF-1.1", owner="Head of Service")
    undo(data)
    a = data.action("SUFF-1.1")
    assert (a.owner, a.rag) == ("Manager", None)


def test_undone_add_never_gives_its_ref_away(data):
    undo(data)
    assert at(data, date(2022, 8, 1)).add_action("SUFF.1", "Again", owner="x", due=date(2023, 1, 1)).ref == "SUFF-1.2"


def test_undo_setting(data):
    at(data, date(2022, 8, 1)).set_setting("tolerance_days", 7)
    undo(data)
    assert data.settings.tolerance_days == 30
    assert data.journal[-1].event == "undo" and data.journal[-1].target == "settings"


def test_one_command_is_undone_whole(data):
    t = at(data, date(2022, 8, 1))
    t.add_plan("NEW", "New plan")
    t.add_theme("NEW", 1, "Theme", "Officer")
    t.add_action("NEW.1", "Act", owner="x", due=date(2023, 1, 1))
    undo(data)  # one command: the action, the theme and the plan go together
    assert "NEW" not in data.plans and "NEW-1.1" not in data.actions and ("NEW", 1) not in data.themes


def test_plan_with_live_actions_is_not_undone_from_under_them(data):
    # Only reachable when history was entered out of order (e.g. migrated v1 stores).
    t = at(data, date(2022, 8, 1))
    t.add_plan("NEW", "New plan")
    plan_txn = t.txn
    at(data, date(2022, 8, 2)).add_theme("NEW", 1, "Theme", "Officer")
    entry = next(h for h in data.journal if h.event == "theme-add" and h.target == "theme NEW.1")
    entry.txn = plan_txn - 1  # pretend the theme came first
    with pytest.raises(BadInput, match="plan NEW now has themes"):
        undo(data)


def test_undo_through_the_cli(sufficiency):
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber", as_of="02/11/2022")
    out = sufficiency.ok("undo")
    assert out.startswith("Undid: update SUFF-1.1 by Democratic Services Officer (effective 02 Nov 2022): rag")
    assert sufficiency.json("action", "list")[0]["rag"] is None
    events = [h["event"] for h in sufficiency.json("action", "show", "SUFF-1.1")["history"]]
    assert events == ["create", "update", "undo"]


def test_nothing_to_undo_leaves_store_alone(run):
    run.ok("init")
    run.refused("undo", says="nothing to undo")


def test_undo_is_your_own_and_never_walks_past_someone_elses_later_change(sufficiency):
    """On every backend: who made a change decides whose undo takes it back."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber", user="Head of Commissioning")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Chased for the Board", user="Clerk")
    sufficiency.refused("undo", user="Head of Commissioning", says="SUFF-1.1 was changed by Clerk since")
    sufficiency.refused("undo", user="Nobody Yet", says="nothing of Nobody Yet's to undo")
    assert "update SUFF-1.1 by Clerk" in sufficiency.ok("undo", user="Clerk")
    assert "rag" in sufficiency.ok("undo", user="Head of Commissioning")
    assert sufficiency.json("action", "show", "SUFF-1.1")["rag"] is None


def test_undo_dry_run_shows_and_changes_nothing(sufficiency):
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    before = sufficiency.snapshot()
    out = sufficiency.ok("undo", "--dry-run")
    assert out.startswith("Would undo: update SUFF-1.1") and "rag - -> amber" in out
    assert sufficiency.snapshot() == before


def test_redo_dry_run_shows_and_changes_nothing(sufficiency):
    """Left alone on 3 Dec: undo had --dry-run and redo none, though a redo after an
    import's undo re-applies dozens of changes."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    sufficiency.ok("undo")
    before = sufficiency.snapshot()
    out = sufficiency.ok("redo", "--dry-run")
    assert out.startswith("Would redo: update SUFF-1.1") and "rag - -> amber" in out
    assert sufficiency.snapshot() == before
    assert sufficiency.ok("redo").startswith("Redid: update SUFF-1.1")  # still there to redo
    assert sufficiency.json("action", "show", "SUFF-1.1")["rag"] == "amber"


def test_redo_dry_run_names_the_add_it_would_pass_over(sufficiency):
    run = sufficiency
    ref = run.ok("action", "add", "SUFF.1", "Recruit foster carers", "--owner", "Head of Commissioning",
                 "--due", "31/03/2023").strip()
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    run.ok("undo")
    run.ok("undo")
    before = run.snapshot()
    lines = run.ok("redo", "--dry-run").splitlines()
    assert lines[0] == f"Would pass over: the add of {ref} is not redone: add it again (under a new ref)"
    assert lines[1].startswith("Would redo: update SUFF-1.1")
    assert run.snapshot() == before


def test_undo_and_redo_say_each_change_within_80_columns(sufficiency, monkeypatch):
    """Left alone on 3 Dec: an edit's undo said old and new titles on one line of 241
    columns.  Each change is broken between words, its later lines indented under it."""
    monkeypatch.setenv("COLUMNS", "80")
    title = "A much longer title for this action so that the line runs well past eighty columns"
    sufficiency.ok("action", "edit", "SUFF-1.1", "--title", title)
    for out in (sufficiency.ok("undo", "--dry-run"), sufficiency.ok("undo"), sufficiency.ok("redo")):
        lines = out.splitlines()
        assert len(lines) > 1 and max(len(line) for line in lines) <= 80
        assert all(line.startswith("    ") for line in lines[1:])
        assert f"-> {title}" in " ".join(line.strip() for line in lines)  # every word said


def test_undo_walks_past_someone_elses_newer_change_only_with_force(sufficiency):
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber", user="Head of Commissioning")
    sufficiency.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board", user="Clerk")
    sufficiency.refused("undo", user="Head of Commissioning", says="the newest change is Clerk's")
    assert "update SUFF-1.1" in sufficiency.ok("undo", "--force", user="Head of Commissioning")
    assert sufficiency.json("action", "show", "SUFF-1.1")["rag"] is None
    assert {p["key"]: p for p in sufficiency.json("plan", "list")}["SUFF"]["board"] == "Children's Partnership Board"


def test_redo_reapplies_the_undone_changes_in_turn(sufficiency):
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Slipping")
    run.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board")
    run.ok("config", "cycle-days", "14")
    run.refused("redo", says="nothing of Democratic Services Officer's to redo")
    for _ in range(3):
        run.ok("undo")
    assert run.json("config")["cycle-days"] == 31
    # Like an editor's: the change undone last is redone first.
    assert "rag - -> amber" in run.ok("redo")
    assert run.json("action", "show", "SUFF-1.1")["rag"] == "amber"
    assert {p["key"]: p for p in run.json("plan", "list")}["SUFF"]["board"] == "Corporate Parenting Board"
    # Said as the undo said it: the change's own event, not "redo plan SUFF" (a second trial).
    said = " ".join(run.ok("redo").split())
    assert said.startswith("Redid: plan-update plan SUFF by ")
    assert said.endswith("board Corporate Parenting Board -> Children's Partnership Board")
    said = " ".join(run.ok("redo").split())
    assert said.startswith("Redid: setting settings by ") and said.endswith("cycle_days 31 -> 14")
    assert run.json("config")["cycle-days"] == 14
    run.refused("redo", says="nothing")
    run.ok("undo")  # a redo is undone like any change, and redone again
    assert run.json("config")["cycle-days"] == 31
    run.ok("redo")
    assert run.json("config")["cycle-days"] == 14
    run.ok("undo")
    run.ok("action", "update", "SUFF-1.1", "--note", "A new change of mine")
    run.refused("redo", says="before any other change of yours")


@pytest.mark.parametrize("add", [
    ("action", "add", "SUFF.1", "Extra", "--owner", "Head of Service", "--due", "31/03/2023"),
    ("theme", "add", "SUFF", "9", "Workforce", "--officer", "Head of Service"),
])
def test_an_add_after_an_undo_ends_the_redo_even_once_it_is_undone(sufficiency, add):
    """From a new-user trial: a setting changed and undone, then an action added and undone,
    and redo brought the setting back: the add is a change of the user's own since."""
    run = sufficiency
    run.ok("config", "cycle-days", "40")
    run.ok("undo")
    run.ok(*add)
    run.ok("undo")
    run.refused("redo", says="nothing was redone")
    assert run.json("config")["cycle-days"] == 31


def test_an_undone_add_is_not_redone(sufficiency):
    ref = sufficiency.ok("action", "add", "SUFF.1", "Extra", "--owner", "Head of Service", "--due", "31/03/2023").strip()
    sufficiency.ok("undo")
    sufficiency.refused("redo", says="add it again")
    assert ref not in [r["ref"] for r in sufficiency.json("action", "list")]


def test_redo_passes_over_an_undone_add_with_a_word_and_redoes_the_undo_before_it(sufficiency):
    """Left alone on 3 Dec: after an add, an update, and both undone, redo redid the
    update without a word about the add (its undo had gone to the archive with it), and a
    theme's undone add stopped redo for good."""
    run = sufficiency
    ref = run.ok("action", "add", "SUFF.1", "Extra", "--owner", "Head of Service", "--due", "31/03/2023").strip()
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    run.ok("undo")  # the update
    run.ok("undo")  # the add
    out = run.ok("redo")
    assert out.splitlines()[0] == f"Not redone: the add of {ref} is not redone: add it again (under a new ref)"
    assert "Redid: update SUFF-1.1" in out and run.json("action", "show", "SUFF-1.1")["rag"] == "amber"
    assert ref not in [r["ref"] for r in run.json("action", "list")]
    run.refused("redo", says=f"the add of {ref} is not redone")  # still true, and nothing else is left


def test_redo_walks_undos_newest_first_and_names_a_themes_add_it_cannot_redo(sufficiency):
    run = sufficiency
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    run.ok("theme", "add", "SUFF", "9", "Extra theme", "--officer", "Head of Service")
    run.ok("undo")  # the theme's add
    run.refused("redo", says="the add of theme SUFF.9 is not redone: add it again; nothing was redone")
    run.ok("undo")  # the update: the newer undo, so redone first, with nothing passed over
    assert run.ok("redo").startswith("Redid: update SUFF-1.1")
    run.refused("redo", says="the add of theme SUFF.9 is not redone")
    run.ok("theme", "add", "SUFF", "9", "Extra theme", "--officer", "Head of Service")  # as it says
    run.refused("redo", says="before any other change of yours")


def test_redo_of_an_imports_undo_redoes_its_updates_and_names_its_adds(sufficiency, tmp_path):
    """From a new-user trial: an import that updated an action and added two was undone;
    redo refused it whole ("the add of ... is not redone"), its update and move with it."""
    run = sufficiency
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Theme,Action,Lead Officer,Target Date,RAG\n"
                     "SUFF-1.1,1,Full refresh of the Commissioning Action Plan,Specialist Commissioning Manager,"
                     "31/01/2023,Amber\n"
                     "1.7,1,A new action,Head of Service,31/03/2023,Green\n"
                     "1.8,1,Another new action,Head of Service,31/03/2023,Green\n", encoding="utf-8")
    before = run.json("action", "show", "SUFF-1.1")
    run.ok("import", str(sheet), "--plan", "SUFF")
    after = run.json("action", "show", "SUFF-1.1")
    assert (after["due"], after["rag"]) != (before["due"], before["rag"])
    run.ok("undo")
    assert run.json("action", "show", "SUFF-1.1")["due"] == before["due"]
    out = run.ok("redo")
    assert out.splitlines()[0] == "Not redone: the add of SUFF-1.7, SUFF-1.8 is not redone: add it again (under a new ref)"
    assert (run.json("action", "show", "SUFF-1.1")["due"], run.json("action", "show", "SUFF-1.1")["rag"]) == \
        (after["due"], after["rag"])
    assert [a["ref"] for a in run.json("action", "list")] == ["SUFF-1.1"]


def test_redo_walks_several_steps_on_one_item(sufficiency):
    run = sufficiency
    run.ok("action", "edit", "SUFF-1.1", "--title", "V1")
    run.ok("action", "edit", "SUFF-1.1", "--title", "V2")
    run.ok("undo")
    run.ok("undo")
    assert run.json("action", "show", "SUFF-1.1")["title"] == "Full refresh of the Commissioning Action Plan"
    assert run.ok("redo").startswith("Redid: edit SUFF-1.1 by")  # named by what was redone
    assert run.json("action", "show", "SUFF-1.1")["title"] == "V1"
    run.ok("redo")
    assert run.json("action", "show", "SUFF-1.1")["title"] == "V2"
    run.refused("redo", says="nothing")


def test_a_redone_move_is_still_a_move_with_its_reason(demo):
    """From a new-user trial: reschedule, undo, redo left the due date moved but "Times moved
    0", no latest reason, and the item out of the action log's extensions: the redo stood as
    a "redo", not as the move it re-applied.  The move stands again as first recorded."""
    demo.ok("action", "reschedule", "SUFF-1.2", "January 2023", "--reason", "Awaiting the market statement")
    moved = demo.json("action", "show", "SUFF-1.2")
    demo.ok("undo")
    assert demo.json("action", "show", "SUFF-1.2")["reschedules"] == 0
    demo.ok("redo")
    again = demo.json("action", "show", "SUFF-1.2")
    assert (again["due"], again["reschedules"], again["last_update"]) == (moved["due"], 1, moved["last_update"])
    (row,) = [r for r in demo.json("slippage") if r["ref"] == "SUFF-1.2"]
    assert row["latest_reason"] == "Awaiting the market statement" and "rescheduled" in row["reasons"]
    log = demo.json("log", "Corporate Parenting Board", "14/12/2022", as_of="01/12/2022")
    assert "SUFF-1.2" in [r["ref"] for r in log["parts"]["extensions"]]
    # Undone again, and redone again: each cancels what the one before it did.
    demo.ok("undo")
    assert demo.json("action", "show", "SUFF-1.2")["reschedules"] == 0
    demo.ok("redo")
    assert demo.json("action", "show", "SUFF-1.2")["reschedules"] == 1
    assert demo.ok("verify").startswith("Verified")


def test_a_redone_reassignment_is_still_housekeeping(demo):
    """From a new-user trial: reassign, undo, redo made a stale action fresh (the redo
    counted as an update on the work)."""
    stale = {r["ref"] for r in demo.json("action", "list", "--stale")}
    demo.ok("reassign", "Head of Resources and Placements", "Head of Placements and Sufficiency")
    demo.ok("undo")
    demo.ok("redo")
    assert {r["ref"] for r in demo.json("action", "list", "--stale")} == stale
    assert demo.json("action", "show", "SUFF-2.1")["owner"] == "Head of Placements and Sufficiency"


def test_a_summary_saved_before_a_redo_stood_as_its_change_is_not_damage():
    """Summaries saved before then counted a redo as itself; verify takes them as actiontrack's."""
    from datetime import date

    from actiontrack.changes.redo import redo_last
    from actiontrack.changes.undo import undo_last
    from actiontrack.domain.chain import _state_problems
    from actiontrack.domain.models import Action
    from actiontrack.domain.summaries import not_undone, summarise
    from tests.helpers import at, small_store

    data = small_store()
    at(data, date(2022, 7, 20)).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=date(2022, 11, 30))
    at(data, date(2022, 9, 1)).reschedule("SUFF-1.1", date(2023, 1, 31), "capacity")
    undo_last(at(data, date(2022, 9, 2)))
    redo_last(at(data, date(2022, 9, 3)))
    action = data.actions["SUFF-1.1"]
    old = summarise(action, not_undone(action))
    assert old["reschedules"] == 0 and summarise(action)["reschedules"] == 1
    record = action.to_record()
    record["summary"] = old
    data.actions["SUFF-1.1"] = Action.from_record(record)
    assert not [p for p in _state_problems(data) if "summary" in p]
    record["summary"] = dict(old, reschedules=5)
    data.actions["SUFF-1.1"] = Action.from_record(record)
    assert [p for p in _state_problems(data) if "summary" in p]


def test_a_meeting_change_not_redone_is_named_by_its_day_as_people_read_it(demo):
    demo.ok("meeting", "update", "Corporate Parenting Board", "14/12/2022", "--date", "11/01/2023", "--note", "x")
    demo.ok("undo")
    demo.refused("redo", says="the change to meeting Corporate Parenting Board 14 Dec 2022 is not redone: make it again")


def test_undoing_an_add_says_its_ref_is_retired_before_and_after(sufficiency):
    """From a new-user trial: a clerk undid a mistaken import and imported the sheet
    again, and every ref moved on (refs are never given again); nothing had said so."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    ref = sufficiency.ok("action", "add", "SUFF.1", "Extra", "--owner", "Head of Service", "--due", "31/03/2023").strip()
    said = " ".join(sufficiency.ok("undo", "--dry-run").split())
    assert f"{ref} would be retired: a ref is never given again, so a sheet imported again numbers its rows " \
           "after them." in said
    assert f"{ref} is now retired" in " ".join(sufficiency.ok("undo").split())
    assert "retired" not in sufficiency.ok("undo")  # the update's undo retires nothing
