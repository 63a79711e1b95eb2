"""overdue, slippage, report and demo through the CLI; the formats scripts and papers use."""

import csv
import io
import json
import shlex

import pytest

from actiontrack.reports.views import ACTION_KEYS, ITEM_KEYS


@pytest.fixture
def board(sufficiency):
    s = sufficiency
    s.ok("action", "add", "SUFF.2", "Placement planning meetings", "--owner", "Head of Resources and Placements",
         "--due", "30/09/2022", as_of="20/07/2022")
    s.ok("action", "update", "SUFF-2.1", "--rag", "green", "--note", "Meetings monthly", as_of="20/07/2022")
    s.ok("action", "add", "SUFF.2", "Options appraisal for a second home", "--owner",
         "Head of Resources and Placements", "--due", "31/10/2022", as_of="20/07/2022")
    s.ok("action", "reschedule", "SUFF-2.2", "Q4 2022/23", "--reason", "Executive asked for a business case",
         as_of="25/11/2022")
    return s


def test_overdue_json_most_overdue_first(board):
    rows = board.json("overdue")
    assert [(r["ref"], r["days_overdue"], r["overdue_by"]) for r in rows] == [("SUFF-2.1", 62, 62), ("SUFF-1.1", 1, 1)]
    assert set(rows[0]) == set(ITEM_KEYS) | {"overdue_by"}
    assert rows[0]["rag_mismatch"] is True and rows[0]["derived_rag"] == "red"


def test_overdue_filters_and_unknown_plan(board):
    assert [r["ref"] for r in board.json("overdue", "--owner", "commissioning")] == ["SUFF-1.1"]
    board.refused("overdue", "--plan", "NOPE", says="no plan 'NOPE'")


def test_exit_code_only_when_asked(board):
    assert board("overdue").exit_code == 0
    assert board("overdue", "--exit-code").exit_code == 1
    assert board("overdue", "--exit-code", as_of="01/09/2022").exit_code == 0
    assert board("slippage", "--exit-code").exit_code == 1


def test_slippage_exit_code_zero_when_nothing_slipped(sufficiency):
    assert sufficiency("slippage", "--exit-code", as_of="01/09/2022").exit_code == 0
    assert sufficiency.json("slippage", as_of="01/09/2022") == []


def test_slippage_json(board):
    rows = board.json("slippage")
    assert [(r["ref"], r["reason"], r["new"], r["slippage_days"]) for r in rows] == [
        ("SUFF-2.2", "rescheduled", True, 151), ("SUFF-2.1", "overdue", False, 62), ("SUFF-1.1", "overdue", True, 1)]
    assert rows[0]["latest_reason"] == "Executive asked for a business case"
    assert rows[0]["reschedules"] == 1


def test_slippage_since(board):
    rows = board.json("slippage", "--since", "26/11/2022")
    assert {r["ref"]: r["new"] for r in rows} == {"SUFF-2.2": False, "SUFF-2.1": False, "SUFF-1.1": True}
    board.refused("slippage", "--since", "02/12/2022", says="after the as-of date")


def test_report_json(board):
    result = board.json("report", "--plan", "suff")
    assert result["as_of"] == "2022-12-01"
    assert result["plans"] == [{"key": "SUFF", "title": "Sufficiency Action Plan",
                                "board": "Corporate Parenting Board",
                                "owner": "Specialist Commissioning & Procurement Senior Manager"}]
    assert result["totals"] == {"blue": 0, "green": 0, "amber": 2, "red": 1, "dropped": 0}
    theme2 = result["themes"][1]
    items = theme2.pop("items")
    assert [(i["ref"], i["derived_rag"], i["commentary"]) for i in items] == [
        ("SUFF-2.1", "red", "Meetings monthly"), ("SUFF-2.2", "amber", None)]
    assert [(e["ref"], e["derived_rag"]) for e in result["exceptions"]] == [
        ("SUFF-2.1", "red"), ("SUFF-1.1", "amber"), ("SUFF-2.2", "amber")]  # red first, then most overdue
    assert theme2 == {
        "plan": "SUFF", "theme": "SUFF.2", "title": "Increasing Placements Close to Home",
        "officer": "Head of Resources and Placements", "actions": 2,
        "counts": {"blue": 0, "green": 0, "amber": 1, "red": 1, "dropped": 0},
        "mismatches": ["SUFF-2.1"], "stale": ["SUFF-2.1"],
        "next_deadlines": [{"ref": "SUFF-2.2", "what": "Options appraisal for a second home", "due": "2023-03-31"}],
        "indicators": [],  # none on this store's scorecard yet
    }


def test_report_other_formats(board):
    rows = list(csv.DictReader(io.StringIO(board.ok("report", "--format", "csv"))))
    assert [(r["theme"], r["red"], r["amber"]) for r in rows] == [("SUFF.1", "0", "1"), ("SUFF.2", "1", "1")]
    md = board.ok("report", "--format", "markdown")
    assert md.startswith("**Highlight report: Sufficiency Action Plan, as of 01 Dec 2022**")
    assert "Totals, RAG by the dates: 0 complete, 0 green, 2 amber, 1 red" in md
    table = board.ok("report")
    assert "Increasing Placements Close to Home" in table and "Totals, RAG by the dates:" in table


def test_the_next_deadline_names_every_item_due_that_day(board, monkeypatch):
    """Found by a new-user trial: two actions due the same day, and the CSV's next_deadline
    (and the dashboard's) gave only the first.  An action's milestone on that day too is one ref."""
    board.ok("action", "add", "SUFF.2", "Second options appraisal", "--owner", "Head of Service",
             "--due", "31/03/2023", as_of="01/12/2022")
    board.ok("milestone", "add", "SUFF-2.3", "Draft appraisal", "--due", "31/03/2023", as_of="01/12/2022")
    rows = {r["theme"]: r for r in csv.DictReader(io.StringIO(board.ok("report", "--format", "csv")))}
    assert rows["SUFF.2"]["next_deadline"] == "2023-03-31 SUFF-2.2, SUFF-2.3"
    assert rows["SUFF.1"]["next_deadline"] == ""  # its one action is past due: nothing ahead
    monkeypatch.setenv("COLUMNS", "200")
    table = board.ok("report")
    assert "31 Mar 2023 SUFF-2.2, SUFF-2.3" in table
    json_deadlines = board.json("report")["themes"][1]["next_deadlines"]
    assert [d["ref"] for d in json_deadlines] == ["SUFF-2.2", "SUFF-2.3", "SUFF-2.3"]  # the JSON keeps each


def test_csv_has_the_json_keys_without_milestones(board):
    text = board.ok("overdue", "--format", "csv")
    reader = csv.DictReader(io.StringIO(text))
    # The columns of the first release keep their places; later ones are appended.
    assert reader.fieldnames == [k for k in ACTION_KEYS if k != "milestones"] + ["overdue_by"] + [
        "kind", "body", "meeting", "minute", "links", "due_rule"]
    rows = list(reader)
    assert rows[0]["ref"] == "SUFF-2.1" and rows[0]["rag_mismatch"] == "true" and rows[0]["due"] == "2022-09-30"


def test_markdown_is_a_pipe_table(board):
    md = board.ok("overdue", "--format", "markdown")
    lines = md.strip().splitlines()
    assert lines[0] == "**Overdue as of 01 Dec 2022, most days overdue first, then late milestones**"
    assert lines[2].startswith("| Ref | Action | Owner | Due | Days overdue |")
    assert lines[3].startswith("|---|")
    assert lines[4].startswith("| SUFF-2.1 | Placement planning meetings | Head of Resources and Placements | 30 Sep 2022 | 62 |")


def test_table_when_piped_has_no_colour_codes(board):
    out = board.ok("overdue")
    assert "\x1b[" not in out and "SUFF-2.1" in out and "Placement planning meetings" in out


def test_empty_table_says_so(board):
    assert board.ok("overdue", as_of="01/09/2022") == "Nothing overdue as of 01 Sep 2022.\n"


@pytest.mark.parametrize("owner, says", [
    ("\u200b", "cannot be empty"), ("\ufeff \u2060", "cannot be empty"),
    ("Head\u202eevil", "contains a control character ('\\u202e')"),
    ("Head of \u2067Service", "contains a control character ('\\u2067')"),
    ("Head\x85of Service", "contains a control character ('\\x85')"),
])
def test_an_invisible_or_reordering_owner_is_refused(sufficiency, owner, says):
    """Found by a new-user trial: an owner of one zero-width space was taken (it showed as
    nobody in every listing, and `returns make` wrote a return "for" it), and so was one
    with a right-to-left override, which shows as another name."""
    before = sufficiency.bytes()
    for command in (("action", "add", "SUFF.1", "Review", "--owner", owner, "--due", "31/03/2023"),
                    ("theme", "add", "SUFF", "3", "Permanence", "--officer", owner)):
        sufficiency.refused(*command, says=says)
    assert sufficiency.bytes() == before


def test_invisible_characters_at_the_ends_of_text_go_and_emoji_stay_whole(sufficiency):
    """A zero-width space or byte-order mark pasted at the ends goes, as spaces do; the
    joiner inside an emoji (a woman office worker) stays."""
    ref = sufficiency.ok("action", "add", "SUFF.1", "\ufeffReview \U0001F469\u200d\U0001F4BC", "--owner",
                         "\u200bHead of Service\u200b", "--due", "31/03/2023").strip()
    shown = sufficiency.json("action", "show", ref)
    assert (shown["title"], shown["owner"]) == ("Review \U0001F469\u200d\U0001F4BC", "Head of Service")


def test_user_text_is_shown_literally(sufficiency, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # room enough that no cell wraps
    title = "[bold red]Urgent[/bold red] review \x1b]0;pwned\x07"
    sufficiency.refused("action", "add", "SUFF.1", title, "--owner", "x", "--due", "01/01/2023",
                        says="control character")
    sufficiency.ok("action", "add", "SUFF.1", "[bold red]Urgent[/bold red] review | costs", "--owner",
                   "=HYPERLINK(\"http://x\")", "--due", "01/01/2023", as_of="20/07/2022")
    table = sufficiency.ok("action", "list")
    assert "[bold red]Urgent[/bold red] review" in table
    md = sufficiency.ok("action", "list", "--format", "markdown")
    assert "[bold red]Urgent[/bold red] review \\| costs" in md
    rows = list(csv.DictReader(io.StringIO(sufficiency.ok("action", "list", "--format", "csv"))))
    assert rows[1]["owner"] == "'=HYPERLINK(\"http://x\")"
    assert sufficiency.json("action", "list")[1]["owner"] == "=HYPERLINK(\"http://x\")"


def test_the_demos_try_next_fits_80_columns_and_every_command_runs_as_pasted(run, tmp_path, monkeypatch):
    """At 80 columns the longest suggestion ran to 128 and the terminal broke it mid-word
    (a new-user trial): each is now broken between words, with the shell's " \\"."""
    from rich.cells import cell_len

    from actiontrack.commands import cli

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(tmp_path)  # the log's --output is written here
    result = run.runner.invoke(cli, ["demo", "--store", "demo.json"])  # as the README says it
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    block = result.stdout.split("Try next:\n")[1].replace(" \\\n", " ")
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert len(commands) == 9 and any(len(line) > 80 for line in block.splitlines())  # some were broken
    for words in commands:
        assert words[0] == "actiontrack"
        ran = run.runner.invoke(cli, words[1:])
        assert ran.exit_code in (0, 1), (words, ran.output)  # 1: slippage --exit-code finds slippage
    assert (tmp_path / "panel-log.html").exists()


def test_demo_writes_store_and_prints_weekly_report(run, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    path = tmp_path / "demo.json"
    result = run.runner.invoke(__import__("actiontrack.commands", fromlist=["cli"]).cli,
                               ["demo", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "Weekly slippage report as of 01 Dec 2022" in result.stdout
    assert "Full refresh of the Commissioning Action Plan" in result.stdout
    assert "Try next:" in result.stdout
    raw = json.loads(path.read_text())
    assert len(raw["actions"]) == 16
    assert "backup 1" not in result.stdout  # nothing was there
    again = run.runner.invoke(__import__("actiontrack.commands", fromlist=["cli"]).cli,
                              ["demo", "--store", str(path)])
    assert again.exit_code == 0
    # An earlier demo, perhaps tried out, is replaced with a word on where it went.
    assert f"The demo store that was there is now backup 1; to bring it back:\n  actiontrack --store {path} restore" \
        in again.stdout


def test_demo_goes_where_the_store_option_typed_before_it_says(run, tmp_path, monkeypatch):
    """`actiontrack --store X demo` writes X; a store named only by ACTIONTRACK_STORE (an
    officer's real one) is not where a demo goes, and demo's own --store wins over both."""
    cli = __import__("actiontrack.commands", fromlist=["cli"]).cli
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    typed = tmp_path / "new folder" / "typed.json"  # made, as init makes it
    result = run.runner.invoke(cli, ["--store", str(typed), "demo"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(typed.read_text())["actions"]) == 16
    assert not (tmp_path / "actiontrack-demo.json").exists()
    assert max(len(line) for line in result.stdout.split("\n\n")[0].splitlines()) <= 80  # the introduction

    monkeypatch.setenv("ACTIONTRACK_STORE", str(tmp_path / "real.json"))
    assert run.runner.invoke(cli, ["demo"]).exit_code == 0
    assert (tmp_path / "actiontrack-demo.json").is_file() and not (tmp_path / "real.json").exists()

    own = tmp_path / "own.json"
    assert run.runner.invoke(cli, ["--store", str(typed), "demo", "--store", str(own)]).exit_code == 0
    assert own.is_file()


def test_demo_never_overwrites_a_real_store(sufficiency):
    before = sufficiency.bytes()
    result = sufficiency.runner.invoke(__import__("actiontrack.commands", fromlist=["cli"]).cli,
                                       ["demo", "--store", sufficiency.where()])
    assert result.exit_code == 3 and "holds a real store" in result.stderr
    assert sufficiency.bytes() == before


def test_an_owners_own_red_is_an_exception_though_the_dates_are_fine(sufficiency):
    """A Board asks first about what its officers call Red, whatever the dates imply."""
    sufficiency.ok("action", "add", "SUFF.2", "Second home", "--owner", "Head of Resources and Placements",
                   "--due", "31/03/2023", as_of="20/07/2022")
    sufficiency.ok("action", "update", "SUFF-2.1", "--rag", "red", "--note", "Provider pulled out")
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "green")  # dates say amber: still an exception
    result = sufficiency.json("report")
    assert [(e["ref"], e["derived_rag"], e["rag"]) for e in result["exceptions"]] == [
        ("SUFF-2.1", "green", "red"), ("SUFF-1.1", "amber", "green")]  # the owner's red first
    assert "Provider pulled out" in sufficiency.ok("report", "--format", "html").split("Exceptions", 1)[1]


def test_an_undated_exception_says_none_yet_in_its_due_cell(sufficiency, monkeypatch):
    """From a new-user trial: the report's exceptions left an undated action's Due blank,
    where every other listing says "none yet"."""
    sufficiency.ok("action", "add", "SUFF.2", "Second home", "--owner", "Head of Resources and Placements",
                   "--due", "Ongoing", as_of="20/07/2022")
    sufficiency.ok("action", "update", "SUFF-2.1", "--rag", "amber", "--note", "Waiting on the provider")
    monkeypatch.setenv("COLUMNS", "250")  # a row to a line
    exceptions = sufficiency.ok("report").split("Exceptions", 1)[1]
    (line,) = [x for x in exceptions.splitlines() if "SUFF-2.1" in x]
    assert "none yet" in line


def test_a_late_milestone_shows_its_date_in_the_overdue_listing(sufficiency, monkeypatch):
    """An item not yet due with a milestone months late: its own "Days overdue" is 0, so
    the milestone's date says how late it is."""
    sufficiency.ok("action", "add", "SUFF.2", "Second home", "--owner", "Head of Resources and Placements",
                   "--due", "31/03/2023", as_of="20/07/2022")
    sufficiency.ok("milestone", "add", "SUFF-2.1", "Provider chosen", "--due", "30/09/2022", as_of="20/07/2022")
    (line,) = [x for x in sufficiency.ok("overdue", "--format", "markdown").splitlines() if "SUFF-2.1" in x]
    assert "| 0 | M1 Provider chosen (due 30 Sep 2022) |" in line
    monkeypatch.setenv("COLUMNS", "200")
    assert "M1 Provider chosen (due 30 Sep 2022)" in sufficiency.ok("overdue")


def test_the_dashboard_shows_a_few_refs_a_cell_and_counts_the_rest(sufficiency, monkeypatch):
    """Found by a new-user trial: at 20,000 actions the dashboard's Stale cells held 18,250
    refs (82,040 lines, 58 s for rich to lay out).  A cell names the first eight and counts
    the rest; JSON, CSV and markdown still name every one."""
    for n in range(11):
        sufficiency.ok("action", "add", "SUFF.2", f"Placement review {n}", "--owner", "Head of Placements",
                       "--due", "31/03/2023", as_of="20/07/2022")
    monkeypatch.setenv("COLUMNS", "200")
    table = sufficiency.ok("report")
    assert "SUFF-2.1, SUFF-2.2," in table
    assert "SUFF-2.8 and 3 more" in " ".join(table.replace("│", " ").split())  # the cell may wrap
    assert "SUFF-2.9," not in table  # the ninth is counted, not named
    stale = sufficiency.json("report")["themes"][1]["stale"]
    assert len(stale) == 11 and stale[-1] == "SUFF-2.11"
    assert "SUFF-2.11" in sufficiency.ok("report", "--format", "markdown")


def test_demo_never_writes_over_work_done_in_a_demo_store(run):
    """Found by a new-user trial: the README's tour is done in the demo store, and running
    `demo` again (to see its report) wrote a fresh demo over that work with exit 0, keeping
    it only as backup 1, which five more changes rotate away.  Now it asks for --replace."""
    cli = __import__("actiontrack.commands", fromlist=["cli"]).cli
    where = run.where()
    assert run.runner.invoke(cli, ["demo", "--store", where]).exit_code == 0
    assert run.runner.invoke(cli, ["demo", "--store", where]).exit_code == 0  # an untouched demo: replaced freely
    run.ok("action", "update", "SUFF-2.1", "--rag", "red", "--note", "Real update for the Board", as_of="01/12/2022")
    run.ok("action", "add", "SUFF.1", "My real action", "--owner", "Head of Commissioning", "--due", "31/03/2023",
           as_of="01/12/2022")
    refused = run.runner.invoke(cli, ["demo", "--store", where])
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1, refused.output
    assert "is a demo store with 2 changes made in it since it was written: add --replace" in refused.stderr
    assert run.json("action", "show", "SUFF-1.4")["title"] == "My real action"  # untouched
    replaced = run.runner.invoke(cli, ["demo", "--store", where, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    run.refused("action", "show", "SUFF-1.4")
    if run.server is None:  # a file store keeps what was there as backup 1 (a server store keeps no backups)
        assert "now backup 1" in replaced.stdout
        run.ok("restore")
        assert run.json("action", "show", "SUFF-1.4")["title"] == "My real action"
