"""Bad input: one line on stderr, exit 2 (or 3 for the store), and a byte-identical store."""

import os

import pytest


@pytest.mark.parametrize("args,says", [
    (("action", "add", "SUFF.1", "X", "--owner", "o", "--due", "31/02/2022"), "'31/02/2022' is not a real date"),
    (("action", "add", "SUFF.1", "X", "--owner", "o", "--due", "next Tuesday"), "'next Tuesday'"),
    (("action", "add", "SUFF.9", "X", "--owner", "o", "--due", "01/01/2023"), "no theme 9"),
    (("action", "add", "NOPE.1", "X", "--owner", "o", "--due", "01/01/2023"), "no plan 'NOPE'"),
    (("action", "add", "SUFF", "X", "--owner", "o", "--due", "01/01/2023"), "not a theme"),
    (("action", "add", "SUFF.1", "X", "--due", "01/01/2023"), "Missing option '--owner'"),
    (("action", "add", "SUFF.1", " ", "--owner", "o", "--due", "01/01/2023"), "cannot be empty"),
    # "-" is how a listing says none: a second trial's reason of "-" read as a move with no reason.
    (("action", "reschedule", "SUFF-1.1", "31/03/2023", "--reason", "-"), "the reason cannot be empty"),
    (("action", "reschedule", "SUFF-1.1", "31/03/2023", "--reason", "\u2014"), "the reason cannot be empty"),
    (("action", "reschedule", "SUFF-1.1", "31/03/2023", "--reason", "- \u2212 -"), "the reason cannot be empty"),
    (("action", "update", "SUFF-1.9", "--rag", "red"), "no action 'SUFF-1.9'"),
    (("action", "update", "SUFF 1.1", "--rag", "red"), "not an action reference"),
    (("action", "update", "SUFF-1.1", "--status", "done"), "'done' is not one of"),
    (("action", "update", "SUFF-1.1", "--status", "In progres"), "'In progres' is not one of"),  # as typed
    (("action", "update", "SUFF-1.1", "--rag", "purple"), "'purple' is not one of"),
    (("action", "update", "SUFF-1.1"), "nothing to update"),
    (("action", "update", "SUFF-1.1", "--status", "dropped"), "needs a --note"),
    (("action", "reschedule", "SUFF-1.1", "30/01/2023"), "Missing option '--reason'"),
    (("action", "reschedule", "SUFF-1.1", "30/01/2023", "--reason", ""), "reason cannot be empty"),
    (("action", "reschedule", "SUFF-1.1", "30/11/2022", "--reason", "x"), "already due"),
    (("action", "complete", "SUFF-1.1", "--on", "+1d"), "after the as-of date"),
    (("action", "reopen", "SUFF-1.1", "--reason", "x"), "not closed"),
    (("milestone", "done", "SUFF-1.1", "1"), "no milestone 1"),
    (("milestone", "done", "SUFF-1.1", "0"), "Invalid value for 'NUMBER'"),
    (("milestone", "add", "SUFF-1.1", "Draft", "--due", "32/01/2023"), "not a real date"),
    (("plan", "add", "SUFF", "Again"), "already exists"),
    (("plan", "add", "9X", "Bad key"), "not a plan key"),
    (("theme", "add", "SUFF", "1", "Again", "--officer", "o"), "already has a theme 1"),
    (("theme", "add", "SUFF", "x", "Again", "--officer", "o"), "'x' is not a theme number (a whole number from 1 to 999)"),
    (("theme", "list", "NOPE"), "no plan 'NOPE'"),
    (("overdue", "--format", "xml"), "'xml' is not one of"),
    (("overdue", "--theme", "SUFF.7"), "no theme 7"),
    (("config", "tolerance-days", "400"), "between 0 and 366"),
    (("action", "frobnicate"), "No such command 'frobnicate'"),
    # An option of another command: the message names the command that does it.
    (("action", "update", "SUFF-1.1", "--due", "31/03/2023"),
     "update has no --due: a deadline moves with its reason: 'actiontrack action reschedule REF DATE"),
    (("action", "update", "SUFF-1.1", "--baseline", "31/03/2023"),
     "update has no --baseline: the baseline stays as first agreed; 'actiontrack action reschedule'"),
    (("action", "update", "SUFF-1.1", "--bogus", "1"), "No such option '--bogus'. (see '"),
    (("milestone", "update", "SUFF-1.1", "1", "--baseline", "x"), "No such option '--baseline'"),
    # The right thing said where the wrong one was typed.
    (("action", "update", "R-1", "--rag", "red"), "'R-1' is a resolution's reference, not an action's"),
    (("resolution", "update", "SUFF-1.1", "--rag", "red"), "'SUFF-1.1' is an action's reference, not a resolution's"),
    (("resolution", "update", "X 1", "--rag", "red"), "'X 1' is not a resolution reference"),
    (("slippage", "--since", "02/12/2022"), "02 Dec 2022 is after the as-of date 01 Dec 2022"),
    (("action", "list", "--due-within", "8x"), "'8x' is not a period: a number of days, weeks, months or years"),
    (("changes", "--since", "7"), "'7' needs a unit"),
    (("action", "list", "--due-within", ""), "is empty: give a period such as 4w, or leave the option out"),
    (("action", "add", "SUFF.1", "X", "--owner", "o", "--due", "soonish"), "; or 'Ongoing' or 'TBC' for no date yet"),
    (("config", "tolerance-days", "-5"), "-5 is a negative number: config takes none"),
    (("milestone", "done", "SUFF-1.1", "-2"), "-2 is a negative number: milestone done takes none"),
    # Found by a new-user trial: "-2w" (a date two weeks back) was called a negative number.
    (("action", "reschedule", "SUFF-1.1", "-2w", "--reason", "x"),
     "-2... is read as an option: a date counted back from the as-of day goes last, after -- with every option "
     "before it, e.g. actiontrack action reschedule ... [OPTIONS] -- -2w"),
    # A second trial: a resolution's text "-5% agency spend" was told only of dates.
    (("resolution", "add", "Corporate Parenting Board", "19/10/2022", "22/9", "-5% agency spend", "--owner", "o",
      "--due", "next-meeting"),
     "-5... is read as an option: a date counted back from the as-of day, or text that starts with '-', goes last"),
    # Found by a new-user trial: a title starting with "-" was read as an option, and the
    # way past it (--) was said nowhere.
    # A second trial put --owner after the -- as the hint showed, and was told it was missing.
    (("action", "add", "SUFF.1", "-2+3 savings target", "--owner", "o", "--due", "31/03/2023"),
     "-2 is a negative number: action add takes none; text that starts with '-' goes last, after -- with every "
     "option before it, e.g. actiontrack action add ... [OPTIONS] -- \"-2 places\""),
    (("action", "add", "SUFF.1", "-Review placements", "--owner", "o", "--due", "31/03/2023"),
     "no option -R on action add; text that starts with '-' goes last, after --"),
    (("action", "add", "SUFF.1", "--urgent-- review", "--owner", "o", "--due", "31/03/2023"),
     "no option --urgent-- review on action add; text that starts with '-' goes last, after --"),
    # A figure below nought means something on the scorecard: not "takes none", as a trial was told.
    (("indicator", "record", "CP1", "2022-11", "-5"),
     "-5 is read as an option: a negative figure goes last, after -- with every option before it, e.g. "
     "actiontrack indicator record ... [OPTIONS] -- -5"),
    (("indicator", "target", "CP1", "-5", "--from", "2022-06"), "a negative figure goes last, after --"),
    (("overdeu",), "No such command 'overdeu'. Did you mean 'overdue'? (see '"),
    (("repor",), "No such command 'repor'. Did you mean 'report' or 'export'?"),
    (("xyzzy",), "No such command 'xyzzy'. (see '"),
    (("OVERDUE",), "No such command 'OVERDUE'. Did you mean 'overdue'?"),
    (("meeting", "move", "Corporate Parenting Board", "14/12/2022"),
     "No such command 'move': a meeting moves with 'actiontrack meeting update BODY DATE --date NEW'"),
    (("plan", "add", "ABCDEFGHIJKLMNOPQ", "Too long a key"), "up to 16 letters and digits"),
    (("meeting", "add", "Corporate Parenting Board", "TBC"), "'TBC' is not a date: a meeting is added once its date is set"),
    # A month, quarter or year is a deadline's, not a meeting's: "March 2023" was a meeting on 31 Mar 2023.
    (("meeting", "add", "Corporate Parenting Board", "March 2023"), "'March 2023' is not a day: a meeting is held on one"),
    (("meeting", "add", "Corporate Parenting Board", "by end of Mar-23"), "is not a day"),
    (("meeting", "add", "Corporate Parenting Board", "Q4 2022/23"), "'Q4 2022/23' is not a day"),
    (("meeting", "add", "Corporate Parenting Board", "2023/24"), "'2023/24' is not a day"),
    (("log", "Corporate Parenting Board", "December 2022"), "'December 2022' is not a day: a meeting is held on one"),
    (("resolution", "add", "Corporate Parenting Board", "October 2022", "22/50", "Test", "--owner", "o",
      "--due", "next-meeting"), "'October 2022' is not a day"),
    (("theme", "add", "SUFF", "1.5", "Permanence", "--officer", "o"),
     "'1.5' is not a theme number (a whole number from 1 to 999)"),
    (("milestone", "done", "SUFF-1.1", "0"), "'0' is not a milestone number (a whole number from 1)"),
    (("restore", "first"), "'first' is not a backup's number (a whole number from 1)"),
    # A command named as other tools name it, and an option reached for on edit (a new-user trial).
    (("find", "placement"), "No such command 'find'. Did you mean 'search'?"),
    (("action", "edit", "SUFF-1.1", "--due", "31/03/2023"),
     "edit has no --due: a deadline moves with its reason: 'actiontrack action reschedule REF DATE --reason TEXT'"),
    # actiontrack's own options typed after the command (only the scorecard has an --as-of of its own).
    (("overdue", "--as-of", "01/12/2022"), "--as-of is an option of actiontrack itself: it goes before the command, "
     "e.g. actiontrack --as-of ... overdue (see 'actiontrack --help')"),
    (("action", "update", "SUFF-1.1", "--note", "x", "--store=other.json"),
     "--store is an option of actiontrack itself: it goes before the command, e.g. actiontrack --store ... action "
     "update"),
    # Found by a second new-user trial: `convert " "` wrote a store named " " beside the user.
    (("convert", " "), "no store named: give a file name, or a postgresql:// URL"),
    (("convert", ""), "no store named: give a file name, or a postgresql:// URL"),
])
def test_bad_input_exits_2_and_changes_nothing(sufficiency, args, says):
    sufficiency.refused(*args, says=says)


def test_bad_as_of(sufficiency):
    sufficiency.refused("overdue", as_of="30/02/2022", says="--as-of")


def test_refused_reschedule_then_history_unchanged(sufficiency):
    before = sufficiency.json("action", "show", "SUFF-1.1")["history"]
    sufficiency.refused("action", "reschedule", "SUFF-1.1", "30/01/2023", "--reason", " ")
    assert sufficiency.json("action", "show", "SUFF-1.1")["history"] == before


@pytest.mark.json_store
@pytest.mark.parametrize("content,says", [
    (b"", "empty"),
    (b'{"meta": {"1": ', "not valid JSON"),
    (b"[]", "not an actiontrack store"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not valid JSON"),
    (b'{"meta": {"1": {"app": "actiontrack", "schema_version": 99}}}', "newer actiontrack"),
])
def test_corrupt_store_exits_3_and_is_left_alone(run, content, says):
    run.store.write_bytes(content)
    run.refused("action", "update", "SUFF-1.1", "--rag", "red", code=3, says=says)
    run.refused("overdue", code=3, says=says)


@pytest.mark.file_store
def test_store_path_is_a_folder(run, tmp_path):
    run.store.mkdir()
    run.refused("overdue", code=3, says="is a folder")
    run.refused("init", code=3, says="is a folder, not a store")  # not "a store already exists"


@pytest.mark.parametrize("name,how", [("plan.xlsx", "'actiontrack import {path}' reads one"),
                                      ("Returns.CSV", "'actiontrack import {path}' reads one"),
                                      ("sheet.ods", "save it as .xlsx and 'actiontrack import' that")])
def test_a_spreadsheet_named_as_the_store_says_so(tmp_path, name, how):
    """A clerk who points --store at the sheet an officer sent back is told to import it
    (or, where import cannot read it, to save it as .xlsx first), not that the store is
    damaged; the sheet is left alone."""
    from tests.conftest import CLI

    sheet = CLI(tmp_path / name)
    sheet.store.write_bytes(b"PK\x03\x04 a workbook")
    for args in (("overdue",), ("init",), ("action", "update", "SUFF-1.1", "--rag", "red")):
        sheet.refused(*args, code=2, says=f"{name} is a spreadsheet, not a store: {how.format(path=tmp_path / name)}")


@pytest.mark.json_store
def test_a_workbook_by_another_name_is_not_called_damaged(run):
    run.store.write_bytes(b"PK\x03\x04\x14\x00\x06\x00")
    run.refused("overdue", code=3, says="is a workbook (a zip file), not a store: 'actiontrack import'")


def test_no_arguments_shows_help(run):
    result = run.runner.invoke(__import__("actiontrack.commands", fromlist=["cli"]).cli, [])
    assert result.exit_code == 0 and "Commands" in result.stdout


def test_a_period_may_be_written_in_words(sufficiency):
    assert sufficiency.ok("changes", "--since", "2 weeks ago", "--format", "json") == \
        sufficiency.ok("changes", "--since", "2w", "--format", "json")
    for words, short in (("4 weeks", "4w"), ("10 days", "10d"), ("3 months", "3m"), ("1 year", "1y")):
        assert sufficiency.ok("action", "list", "--due-within", words, "--format", "json") == \
            sufficiency.ok("action", "list", "--due-within", short, "--format", "json"), words


def test_nothing_to_list_is_said_in_markdown_not_an_empty_table(sufficiency):
    out = sufficiency.ok("overdue", "--format", "markdown", as_of="20/07/2022")
    assert out == ("**Overdue as of 20 Jul 2022, most days overdue first, then late milestones**\n\n"
                   "Nothing overdue as of 20 Jul 2022.\n\n")


def test_a_store_in_a_folder_that_is_not_there(sufficiency, tmp_path):
    """Said as such, not as 'cannot lock ...: No such file or directory'."""
    target = tmp_path / "nor" / "here.db"
    sufficiency.refused("convert", str(target), code=3, says=f"there is no folder {target.parent} for {target}")


@pytest.mark.json_store
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="a folder no one may make files in: Linux's /proc")
def test_a_folder_no_file_can_be_made_in_is_not_said_to_be_missing(run):
    """From a new-user trial: init --store /proc/x.json said "there is no folder /proc"."""
    line = run.refused("--store", "/proc/actiontrack-test.json", "init", code=3)
    assert line == "Error: cannot make files in the folder /proc for /proc/actiontrack-test.json"


@pytest.mark.json_store
def test_init_says_the_folders_it_made(run, tmp_path):
    """From a new-user trial: a mistyped path made folders without a word."""
    target = tmp_path / "new" / "folder" / "store.json"
    assert run.ok("--store", str(target), "init") == f"Created {target} (and the folder {target.parent} for it)\n"
    assert run.ok("--store", str(tmp_path / "second.json"), "init") == f"Created {tmp_path / 'second.json'}\n"


def test_a_ref_given_to_the_wrong_noun_names_the_right_command(sufficiency):
    assert sufficiency.refused("action", "show", "R-3") == \
        "Error: 'R-3' is a resolution's reference, not an action's: use 'actiontrack resolution ...' for it"
    assert sufficiency.refused("resolution", "show", "SUFF-1.1") == \
        "Error: 'SUFF-1.1' is an action's reference, not a resolution's: use 'actiontrack action ...' for it"


def test_an_update_that_changes_nothing_says_what_is_already_so(sufficiency):
    """Found by a new-user trial: '--rag amber' on an amber action was told to 'give --status,
    --rag, --owner or --note', when --rag had been given."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Slipping")
    sufficiency.refused("action", "update", "SUFF-1.1", "--rag", "AMBER",
                        says="nothing to update on SUFF-1.1: its RAG is already amber (add a --note to record a check)")
    sufficiency.refused("action", "update", "SUFF-1.1", "--status", "not-started", "--owner",
                        "Specialist Commissioning Manager", says="its status is already not-started; its owner is "
                                                                 "already Specialist Commissioning Manager")
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Checked: still amber")


def test_a_mistyped_person_is_offered_the_nearest(demo):
    """Found by a second new-user trial: `person update` said only "no person", where
    meetings and refs offer the nearest name."""
    names = [p["name"] for p in demo.json("person", "list")]
    assert "Head of Resources and Placements" in names
    demo.refused("person", "update", "Head of Resources and Placemnts", "--email", "hrp@example.gov.uk",
                 says="no person 'Head of Resources and Placemnts'; did you mean 'Head of Resources and Placements'?")


def test_a_date_counted_back_goes_after_the_double_dash(sufficiency):
    """What the -2w message says to do works: two weeks before the as-of day."""
    out = sufficiency.ok("action", "reschedule", "SUFF-1.1", "--reason", "Brought forward", "--", "-2w",
                         as_of="01/12/2022")
    assert "to 17 Nov 2022" in out


@pytest.mark.parametrize("args,says", [
    # The name left out: click gave --owner the next option, then said "--due" was missing.
    (("action", "add", "SUFF.1", "X", "--owner", "--due", "31/03/2023"),
     "--owner was given no value: it took '--due', an option, as its value (see 'actiontrack action add --help')"),
    # ... or that "red" was an extra argument.
    (("action", "update", "SUFF-1.1", "--owner", "--rag", "red"),
     "--owner was given no value: it took '--rag', an option, as its value"),
    # Nothing left over to complain of: the command itself refuses it.
    (("action", "update", "SUFF-1.1", "--rag", "red", "--note", "--owner"),
     "--note was given no value: it took '--owner', an option, as its value"),
    (("action", "update", "SUFF-1.1", "--note", "--rag=red"), "it took '--rag=red', an option, as its value"),
    (("overdue", "--owner", "--format", "json"), "--owner was given no value: it took '--format', an option"),
    # The root's own options count: typed after the command, one was taken as a name.
    (("action", "update", "SUFF-1.1", "--owner", "--as-of"), "it took '--as-of', an option, as its value"),
    # And any word shaped as one (a second trial's `--reason --note` was recorded as the reason).
    (("action", "reschedule", "SUFF-1.1", "31/03/2023", "--reason", "--note"),
     "--reason was given no value: it took '--note', an option, as its value"),
    (("action", "reschedule", "SUFF-1.1", "31/03/2023", "--reason", "--x"), "it took '--x', an option"),
    # A date's or a choice's option too: "'--note' is not a date I can read" (a second trial).
    (("action", "complete", "SUFF-1.1", "--on", "--note", "x"),
     "Invalid value for '--on': was given no value: it took '--note', an option, as its value"),
    (("action", "update", "SUFF-1.1", "--status", "--rag", "red"),
     "Invalid value for '--status': was given no value: it took '--rag', an option"),
    (("action", "update", "SUFF-1.1", "--rag", "--note", "hi"), "Invalid value for '--rag': was given no value"),
    (("action", "add", "SUFF.1", "X", "--owner", "o", "--due", "--note", "x"),
     "Invalid value for '--due': was given no value: it took '--note', an option, as its value (see"),
])
def test_an_option_that_took_the_next_option_as_its_value_is_named(sufficiency, args, says):
    sufficiency.refused(*args, says=says)


def test_an_action_cannot_count_from_before_its_plan_was_created(sufficiency):
    """Found by a mutation run: as of a day before its plan, an action was listed with no
    plan's title or board (the plan is not there as of then)."""
    sufficiency.refused("action", "add", "SUFF.1", "X", "--owner", "Head of Service", "--due", "31/03/2023",
                        as_of="19/07/2022",
                        says="plan SUFF was created on 20 Jul 2022; an action in it cannot count from 19 Jul 2022")
    sufficiency.ok("action", "add", "SUFF.1", "X", "--owner", "Head of Service", "--due", "31/03/2023",
                   as_of="20/07/2022")


@pytest.mark.parametrize("args", [
    ("action", "add", "SUFF.1", "X", "--owner", "-x", "--due", "31/03/2023"),
    ("action", "update", "SUFF-1.1", "--owner", "-Head of Service"),
    ("person", "add", "--email", "x@example.gov.uk", "--", "-x"),
    ("theme", "update", "SUFF.1", "--officer", "-Head of Service"),  # "-" alone is no text at all: "cannot be empty"
    # A second trial's: a board, a committee and the history's "who" called "-x".
    ("plan", "update", "SUFF", "--board", "-x"),
    ("meeting", "add", "--", "-Board", "08/02/2023"),
    ("--user", "-x", "action", "update", "SUFF-1.1", "--note", "a"),
])
def test_a_name_that_starts_with_a_dash_is_refused(sufficiency, args):
    """`--owner -x` started a person called "-x": no role title starts with "-"."""
    sufficiency.refused(*args, says="is not a name: a name does not start with '-'")


def test_text_that_starts_with_a_dash_is_still_text(sufficiency):
    """Only names and options: a note or title may start with "-" (and "-5%" is no option)."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "-5% agency spend since the review")
    assert sufficiency.json("action", "show", "SUFF-1.1")["history"][-1]["note"] == "-5% agency spend since the review"
