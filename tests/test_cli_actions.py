"""Every command through click's CliRunner, with exact JSON."""

import csv
import io
import re

import pytest

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

REFRESH = {
    "ref": "SUFF-1.1", "plan": "SUFF", "theme": "SUFF.1",
    "theme_title": "Strengthening Commissioning for Children and Young People",
    "title": "Full refresh of the Commissioning Action Plan", "owner": "Specialist Commissioning Manager",
    "status": "not-started", "rag": None, "derived_rag": "green", "rag_mismatch": False,
    "baseline_due": "2022-11-30", "due": "2022-11-30", "completed_on": None, "days_overdue": 0,
    "slippage_days": 0, "reschedules": 0, "stale": False, "last_update": "2022-07-20", "milestones": [],
    "kind": "action", "body": "Corporate Parenting Board", "meeting": None, "minute": None, "links": [],
    "due_rule": None,
}


def test_init_creates_and_refuses_to_overwrite(run):
    assert run.ok("init").startswith("Created ")
    run.refused("init", code=3, says="already exists")


@pytest.mark.file_store
def test_commands_on_a_missing_store_exit_3(run):
    run.refused("overdue", code=3, says="no store at")
    assert not run.store.exists()
    # A change to a mistyped --store left a lock file beside nothing (a new-user trial).
    run.refused("action", "update", "SUFF-1.1", "--note", "x", code=3, says="no store at")
    assert list(run.store.parent.iterdir()) == []


def test_plan_add_and_list(sufficiency):
    assert sufficiency.ok("plan", "add", "perm", "Permanency Action Plan", "--cycle", "92") == "PERM\n"
    assert sufficiency.json("plan", "list") == [
        {"key": "PERM", "title": "Permanency Action Plan", "board": None, "owner": None, "start": None,
         "end": None, "cycle_days": 92, "themes": 0, "actions": 0, "open": 0},
        {"key": "SUFF", "title": "Sufficiency Action Plan", "board": "Corporate Parenting Board",
         "owner": "Specialist Commissioning & Procurement Senior Manager", "start": None, "end": None,
         "cycle_days": 31, "themes": 2, "actions": 1, "open": 1},
    ]


def test_theme_list(sufficiency):
    assert sufficiency.json("theme", "list", "suff") == [
        {"theme": "SUFF.1", "plan": "SUFF", "number": 1,
         "title": "Strengthening Commissioning for Children and Young People",
         "officer": "Specialist Commissioning & Procurement Senior Manager", "actions": 1, "open": 1},
        {"theme": "SUFF.2", "plan": "SUFF", "number": 2, "title": "Increasing Placements Close to Home",
         "officer": "Head of Resources and Placements", "actions": 0, "open": 0},
    ]


def test_action_add_prints_the_ref_alone(sufficiency):
    out = sufficiency.ok("action", "add", "suff.2", "Placement planning meetings", "--owner",
                         "Head of Resources and Placements", "--due", "30/09/2022")
    assert out == "SUFF-2.1\n"


def test_action_list_exact_json(sufficiency):
    assert sufficiency.json("action", "list", as_of="01/08/2022") == [REFRESH]


def test_as_of_changes_what_the_dates_say(sufficiency):
    (row,) = sufficiency.json("action", "list", as_of="15/01/2023")
    assert (row["days_overdue"], row["slippage_days"], row["derived_rag"], row["stale"]) == (46, 46, "red", True)


def test_officer_update_then_show_with_history(sufficiency):
    out = sufficiency.ok("action", "update", "suff-1.1", "--status", "in-progress", "--rag", "green",
                         "--note", "Scoping started", user="Specialist Commissioning Manager", as_of="02/11/2022")
    assert out == "Updated SUFF-1.1\n"
    shown = sufficiency.json("action", "show", "SUFF-1.1")
    history = shown.pop("history")
    assert shown == {**REFRESH, "status": "in-progress", "rag": "green", "derived_rag": "amber",
                     "rag_mismatch": True, "days_overdue": 1, "slippage_days": 1, "last_update": "2022-11-02",
                     "success": None, "finance": None, "source": "minute 22/7, 20 July 2022"}
    assert [h["event"] for h in history] == ["create", "update"]
    assert all(ISO_WITH_OFFSET.match(h["recorded_at"]) for h in history)
    update = {k: v for k, v in history[1].items() if k not in ("recorded_at", "prev", "hash")}
    # Each entry is sealed onto the one before it (tamper evidence): the update onto the create.
    assert history[1]["prev"] == history[0]["hash"] and len(history[1]["hash"]) == 64
    assert update == {
        "effective": "2022-11-02", "user": "Specialist Commissioning Manager", "event": "update",
        "changes": [{"field": "status", "old": "not-started", "new": "in-progress"},
                    {"field": "rag", "old": None, "new": "green"}],
        "note": "Scoping started", "txn": history[0]["txn"] + 1, "undoes": None,
    }


def test_reschedule_counts_moves_and_keeps_baseline(sufficiency):
    out = sufficiency.ok("action", "reschedule", "SUFF-1.1", "Q4 2022/23", "--reason", "Awaiting market review",
                         as_of="25/11/2022")
    assert out == "Rescheduled SUFF-1.1 to 31 Mar 2023 (moved 1 time)\n"
    sufficiency.ok("action", "reschedule", "SUFF-1.1", "30/04/2023", "--reason", "Executive deferred",
                   as_of="26/11/2022")
    (row,) = sufficiency.json("action", "list")
    assert (row["baseline_due"], row["due"], row["reschedules"], row["slippage_days"]) == (
        "2022-11-30", "2023-04-30", 2, 151)


def test_complete_and_reopen(sufficiency):
    assert sufficiency.ok("action", "complete", "SUFF-1.1", "--on", "14/12/2022", "--note", "Approved",
                          as_of="15/12/2022") == "Completed SUFF-1.1 on 14 Dec 2022\n"
    (row,) = sufficiency.json("action", "list", as_of="15/12/2022")
    assert (row["status"], row["completed_on"], row["derived_rag"], row["slippage_days"]) == (
        "complete", "2022-12-14", "blue", 14)
    assert sufficiency.ok("action", "reopen", "SUFF-1.1", "--reason", "Not signed off",
                          as_of="16/12/2022") == "Reopened SUFF-1.1\n"
    (row,) = sufficiency.json("action", "list", as_of="16/12/2022")
    assert (row["status"], row["completed_on"]) == ("in-progress", None)


def test_milestones(sufficiency):
    assert sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft to providers", "--due", "30/09/2022",
                          as_of="20/07/2022") == "1\n"
    (row,) = sufficiency.json("action", "list", as_of="01/10/2022")
    assert row["milestones"] == [
        {"number": 1, "title": "Draft to providers", "due": "2022-09-30", "done_on": None, "overdue": True}]
    assert row["derived_rag"] == "amber"
    assert sufficiency.ok("milestone", "done", "SUFF-1.1", "1", "--on", "03/10/2022",
                          as_of="04/10/2022") == "Milestone 1 done on 03 Oct 2022\n"
    (row,) = sufficiency.json("action", "list", as_of="04/10/2022")
    assert row["milestones"][0]["done_on"] == "2022-10-03" and row["milestones"][0]["overdue"] is False


def test_action_list_filters(sufficiency):
    sufficiency.ok("action", "add", "SUFF.2", "Placement planning", "--owner", "Head of Resources and Placements",
                   "--due", "30/09/2022", as_of="20/07/2022")
    sufficiency.ok("action", "update", "SUFF-2.1", "--rag", "green", as_of="21/07/2022")
    refs = lambda *a: [r["ref"] for r in sufficiency.json("action", "list", *a)]  # noqa: E731
    assert refs("--theme", "SUFF.2") == ["SUFF-2.1"]
    assert refs("--owner", "RESOURCES") == ["SUFF-2.1"]
    assert refs("--rag", "green") == ["SUFF-2.1"]
    assert refs("--derived", "red") == ["SUFF-2.1"]
    assert refs("--status", "not-started", "--open") == ["SUFF-1.1", "SUFF-2.1"]


def test_action_show_other_formats(sufficiency):
    text = sufficiency.ok("action", "show", "SUFF-1.1")
    assert "Full refresh of the Commissioning Action Plan" in text and "History" in text
    md = sufficiency.ok("action", "show", "SUFF-1.1", "--format", "markdown")
    assert "| Baseline due | 30 Nov 2022 |" in md
    rows = list(csv.DictReader(io.StringIO(sufficiency.ok("action", "show", "SUFF-1.1", "--format", "csv"))))
    assert rows[0]["source"] == "minute 22/7, 20 July 2022"


def test_config(sufficiency):
    assert sufficiency.ok("config") == ("tolerance-days: 30\ncycle-days: 31\nbackups: 5\n"
                                        "smtp-host: not set\nsmtp-port: 25\nsmtp-from: not set\n")
    sufficiency.ok("config", "tolerance-days", "7")
    assert sufficiency.json("config") == {"tolerance-days": 7, "cycle-days": 31, "backups": 5,
                                          "smtp-host": None, "smtp-port": 25, "smtp-from": None}
    (row,) = sufficiency.json("action", "list", as_of="08/12/2022")
    assert row["derived_rag"] == "red"


def test_mail_settings_are_checked_and_undoable(sufficiency):
    sufficiency.ok("config", "smtp-host", "smtp.example.gov.uk")
    sufficiency.ok("config", "smtp-port", "587")
    sufficiency.ok("config", "smtp-from", "democratic.services@example.gov.uk")
    assert sufficiency.json("config", "smtp-port") == {"smtp-port": 587}
    for name, value, says in (("smtp-port", "0", "between 1 and 65535"), ("smtp-port", "twenty", "whole number"),
                              ("smtp-from", "clerk at council", "not an e-mail address"),
                              ("smtp-host", "smtp://x", "host name"), ("tolerance-days", "x", "whole number")):
        sufficiency.refused("config", name, value, code=2, says=says)
    sufficiency.ok("undo")
    assert sufficiency.json("config")["smtp-from"] is None
    sufficiency.ok("config", "smtp-from", "Democratic Services <democratic.services@example.gov.uk>")
    assert sufficiency.json("config")["smtp-from"] == "Democratic Services <democratic.services@example.gov.uk>"
    sufficiency.refused("config", "smtp-from", "Democratic Services <not an address>", says="not an e-mail address")
    assert sufficiency.json("config")["smtp-host"] == "smtp.example.gov.uk"


@pytest.mark.file_store
def test_user_comes_from_environment(sufficiency, monkeypatch):
    monkeypatch.setenv("ACTIONTRACK_USER", "Head of Corporate Parenting")
    result = sufficiency.runner.invoke(
        __import__("actiontrack.commands", fromlist=["cli"]).cli,
        ["--store", sufficiency.where(), "--as-of", "01/12/2022", "action", "update", "SUFF-1.1", "--note", "x"])
    assert result.exit_code == 0
    shown = sufficiency.json("action", "show", "SUFF-1.1")
    assert shown["history"][-1]["user"] == "Head of Corporate Parenting"


@pytest.mark.parametrize("args", [
    ("action", "list"), ("overdue",), ("slippage",), ("plan", "list"), ("theme", "list"),
])
def test_empty_listings_are_valid_json(run, args):
    run.ok("init")
    assert run.json(*args) == []


def test_action_list_csv_has_the_json_keys_without_milestones(sufficiency):
    import csv as csvmod
    import io as iomod

    json_keys = [k for k in sufficiency.json("action", "list")[0] if k != "milestones"]
    reader = csvmod.DictReader(iomod.StringIO(sufficiency.ok("action", "list", "--format", "csv")))
    assert reader.fieldnames == json_keys


def test_show_writes_the_dates_in_its_history_the_british_way(sufficiency):
    """The history keeps ISO dates; a person reading `show` sees 30 Nov 2022 (JSON keeps ISO)."""
    sufficiency.ok("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "Awaiting the market position")
    for fmt in ("table", "markdown"):
        out = sufficiency.ok("action", "show", "SUFF-1.1", "--format", fmt)
        assert "30 Nov 2022 -> 31 Jan 2023" in " ".join(out.split()), out
        assert "2023-01-31" not in out
    moves = [c for h in sufficiency.json("action", "show", "SUFF-1.1")["history"] for c in h["changes"]
             if c["field"] == "due"]
    assert moves[-1] == {"field": "due", "old": "2022-11-30", "new": "2023-01-31"}


def test_a_milestone_due_after_its_action_is_said_aside(demo):
    """From a new-user trial: a milestone due 28 Feb 2023 on an action due 31 Jan 2023 was
    taken without a word.  Taken still (a plan being redrawn may pass through it), with a
    note on stderr; stdout stays the number a script reads."""
    result = demo("milestone", "add", "SUFF-1.3", "Late step", "--due", "28/02/2023")
    assert result.exit_code == 0 and result.stdout.strip().isdigit()
    assert "is due 28 Feb 2023, after SUFF-1.3 itself (31 Jan 2023)" in result.stderr
    number = result.stdout.strip()
    quiet = demo("milestone", "update", "SUFF-1.3", number, "--due", "15/01/2023", "--note", "Brought forward")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    early = demo("milestone", "add", "SUFF-1.3", "Early step", "--due", "15/12/2022")
    assert early.exit_code == 0 and early.stderr == ""
