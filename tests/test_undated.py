"""Undated actions ("Ongoing", "TBC" in a council's sheet): every read path works on them,
and they can be given a first date, which becomes their baseline (issue 11, item 1)."""

from __future__ import annotations

import pytest

UNDATED = ("Theme,Ref,Action,Lead Officer,Target Date\n"
           "Commissioning,1.1,Market position statement,Head of Commissioning,Ongoing\n"
           "Commissioning,1.2,Sufficiency duty refresh,Head of Commissioning,TBC\n")


@pytest.fixture
def undated(run, tmp_path):
    run.ok("init")
    sheet = tmp_path / "plan.csv"
    sheet.write_text(UNDATED)
    run.ok("import", str(sheet), "--plan", "SUFF")
    return run


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
def test_report_on_undated_actions(undated, fmt):
    undated.ok("report", "--format", fmt)


def test_undated_milestone_still_listed_as_next_deadline(undated):
    undated.ok("milestone", "add", "SUFF-1.2", "Draft to the Board", "--due", "20/12/2022")
    theme = undated.json("report")["themes"][0]
    assert [d["ref"] for d in theme["next_deadlines"]] == ["SUFF-1.2"]


@pytest.mark.parametrize("command", [("overdue",), ("slippage",), ("action", "list"), ("action", "show", "SUFF-1.1")])
def test_other_reads_of_undated_actions(undated, command):
    undated.ok(*command, "--format", "json")
    undated.ok(*command)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ics", "json"])
def test_export_of_undated_actions(undated, tmp_path, fmt):
    undated.ok("export", "--format", fmt, "--output", str(tmp_path / f"out.{fmt}"))


def test_first_date_becomes_the_baseline_and_is_no_move(undated):
    out = undated.ok("action", "reschedule", "SUFF-1.1", "30/11/2022", "--reason", "agreed at the Board")
    assert out == "Scheduled SUFF-1.1 for 30 Nov 2022 (its first date, and so its baseline)\n"
    shown = undated.json("action", "show", "SUFF-1.1")
    assert (shown["baseline_due"], shown["due"], shown["reschedules"], shown["slippage_days"]) == (
        "2022-11-30", "2022-11-30", 0, 1)
    assert shown["history"][-1]["event"] == "scheduled"
    out = undated.ok("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "capacity")
    assert out == "Rescheduled SUFF-1.1 to 31 Jan 2023 (moved 1 time)\n"
    assert undated.json("action", "show", "SUFF-1.1")["baseline_due"] == "2022-11-30"


def test_undo_of_the_first_date_leaves_it_undated(undated):
    undated.ok("action", "reschedule", "SUFF-1.1", "30/11/2022", "--reason", "agreed")
    undated.ok("undo")
    shown = undated.json("action", "show", "SUFF-1.1")
    assert (shown["baseline_due"], shown["due"]) == (None, None)


def test_reimport_gives_an_undated_action_its_date(undated, tmp_path):
    sheet = tmp_path / "dated.csv"
    sheet.write_text("Theme,Ref,Action,Lead Officer,Target Date\n"
                     "Commissioning,1.1,Market position statement,Head of Commissioning,31/01/2023\n")
    undated.ok("import", str(sheet), "--plan", "SUFF")
    shown = undated.json("action", "show", "SUFF-1.1")
    assert (shown["baseline_due"], shown["due"], shown["reschedules"]) == ("2023-01-31", "2023-01-31", 0)


@pytest.mark.parametrize("words", ["Ongoing", "TBC", "T.B.C.", " ongoing ", "n/a"])
def test_an_officer_adds_an_action_with_no_date_yet(sufficiency, words, monkeypatch):
    """The CLI takes a plan's own words for no date, as an import does: the ref alone on
    stdout (scripts read it), and a line aside saying it has no date and how to give it one."""
    result = sufficiency("action", "add", "SUFF.2", "Market position statement", "--owner", "Head of Commissioning",
                         "--due", words)
    assert result.exit_code == 0, result.output
    assert result.stdout == "SUFF-2.1\n"
    assert f"SUFF-2.1 has no due date yet ('{words.strip()}')" in result.stderr
    assert "action reschedule SUFF-2.1 DATE" in result.stderr
    (row,) = [r for r in sufficiency.json("action", "list") if r["ref"] == "SUFF-2.1"]
    assert (row["due"], row["baseline_due"], row["days_overdue"], row["derived_rag"]) == (None, None, 0, "green")
    assert "SUFF-2.1" not in sufficiency.ok("overdue", "--format", "csv")
    monkeypatch.setenv("COLUMNS", "200")
    (line,) = [x for x in sufficiency.ok("action", "list").splitlines() if "SUFF-2.1" in x]
    assert "none yet" in line  # said in a table, not left blank
    assert "Due                     none yet" in sufficiency.ok("action", "show", "SUFF-2.1")
    out = sufficiency.ok("action", "reschedule", "SUFF-2.1", "31/03/2023", "--reason", "Agreed at the Board")
    assert "its first date, and so its baseline" in out


@pytest.mark.parametrize("args", [
    ("action", "add", "SUFF.2", "X", "--owner", "o", "--due", ""),  # an unset variable in a script, not "none yet"
    ("action", "add", "SUFF.2", "X", "--owner", "o", "--due", "-"),
    ("action", "add", "SUFF.2", "X", "--owner", "o", "--due", "Ongoingish"),
    ("action", "reschedule", "SUFF-1.1", "Ongoing", "--reason", "x"),  # a deadline is never taken away
    ("milestone", "add", "SUFF-1.1", "Draft", "--due", "TBC"),
])
def test_no_date_yet_only_for_a_new_action(sufficiency, args):
    says = "only a new action may have none yet" if args[0] != "action" or args[1] != "add" else "--due"
    sufficiency.refused(*args, says=says)
