"""CLI output and edges (issue 11, items 9-12 and 17): markdown, output files, empty values,
damaged stores, odd numbers and odd terminals."""

from __future__ import annotations

import re

import pytest

# -- 9: markdown shows HTML as text ------------------------------------------------

HOSTILE = "<script>alert(1)</script> & costs | <b>bold</b> &lt;i&gt;"


def test_markdown_escapes_raw_html_and_pipes(sufficiency):
    sufficiency.ok("action", "add", "SUFF.2", HOSTILE, "--owner", "Head of <i>Placements</i>",
                   "--due", "30/09/2022", as_of="20/07/2022")
    # A bare & stays as typed; one that would start an entity is escaped, so "&lt;" shows as typed.
    escaped = "&lt;script>alert(1)&lt;/script> & costs \\| &lt;b>bold&lt;/b> &amp;lt;i&amp;gt;"
    outputs = [sufficiency.ok("overdue", "--format", "markdown"),
               sufficiency.ok("action", "list", "--format", "markdown"),
               sufficiency.ok("action", "show", "SUFF-2.1", "--format", "markdown"),
               sufficiency.ok("report", "--format", "markdown")]
    for md in outputs[:3]:
        assert escaped in md, md
    for md in outputs:
        assert "<script" not in md and "<i>" not in md and "<b>" not in md
    assert "Head of &lt;i>Placements&lt;/i>" in outputs[0]


def test_log_markdown_escapes_the_committee_name(run):
    run.ok("init")
    run.ok("meeting", "add", "Panel <b>&</b> Board", "05/03/2018", as_of="01/01/2018")
    md = run.ok("log", "Panel <b>&</b> Board", "05/03/2018", "--format", "markdown", as_of="05/03/2018")
    assert md.startswith("# Panel &lt;b>&&lt;/b> Board: action log")
    assert "<b>" not in md


# -- 11: an empty value is refused, never a default ----------------------------------

@pytest.mark.parametrize("option", ["--as-of", "--store"])
@pytest.mark.parametrize("value", ["", "  "])
def test_empty_as_of_or_store_is_refused(sufficiency, option, value):
    for command in (["overdue"], ["action", "update", "SUFF-1.1", "--note", "x"]):
        sufficiency.refused(option, value, *command, code=2, says=f"'{option}': is empty")


@pytest.mark.parametrize("envvar, option", [("ACTIONTRACK_AS_OF", "--as-of"), ("ACTIONTRACK_STORE", "--store"),
                                            ("ACTIONTRACK_USER", "--user"),
                                            ("ACTIONTRACK_LOCK_TIMEOUT", "--lock-timeout")])
def test_empty_environment_variable_is_refused(sufficiency, monkeypatch, tmp_path, envvar, option):
    from click.testing import CliRunner

    from actiontrack.commands import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # were the default store used, it would be here
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv(envvar, "")
    given = [arg for option_, value in (("--store", sufficiency.where()), ("--as-of", "01/12/2022"))
             if option_ != option for arg in (option_, value)]
    before = sufficiency.bytes()
    result = CliRunner().invoke(cli, [*given, "action", "update", "SUFF-1.1", "--note", "cron"])
    assert result.exit_code == 2, result.output
    assert f"'{option}': {envvar} is set but empty" in result.stderr
    assert sufficiency.bytes() == before
    # A value on the command line wins over the empty variable, as any value does (a
    # PostgreSQL store's CLI gives no --user: the login is the user).
    if not (sufficiency.server and option == "--user"):
        sufficiency.ok(*(["--lock-timeout", "10"] if option == "--lock-timeout" else []), "overdue")


@pytest.mark.parametrize("seconds", ["nan", "NaN", "inf", "-inf", "-1"])
def test_lock_timeout_must_be_a_real_number_of_seconds(sufficiency, seconds):
    sufficiency.refused("--lock-timeout", seconds, "action", "update", "SUFF-1.1", "--note", "x",
                        code=2, says="'--lock-timeout'")


def test_lock_timeout_nan_from_the_environment_is_refused(sufficiency, monkeypatch):
    monkeypatch.setenv("ACTIONTRACK_LOCK_TIMEOUT", "nan")
    sufficiency.refused("action", "update", "SUFF-1.1", "--note", "x", code=2, says="not a number of seconds")


# -- 10: one writer for every --output -------------------------------------------------

WITH_OUTPUT = [
    ["log", "Corporate Parenting Panel", "05/03/2018", "--format", "markdown"],
    ["log", "Corporate Parenting Panel", "05/03/2018"],
    ["report", "--format", "html"],
    ["report"],
    ["export", "--format", "csv"],
    ["export", "--format", "xlsx"],
    ["action", "show", "SUFF-1.1"],
    ["config"],
    ["import", "plan.csv", "--plan", "NEW", "--dry-run"],
]


@pytest.mark.parametrize("command", WITH_OUTPUT, ids=lambda c: " ".join(c[:3]))
def test_an_unwritable_output_is_one_line_and_exit_2(demo, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.csv").write_text("Ref,Action,Lead Officer,Target Date\n1.1,Do it,Clerk,30/11/2022\n")
    demo.refused(*command, "--output", str(tmp_path / "no" / "such" / "dir" / "x.out"), code=2,
                 says="cannot write")
    demo.refused(*command, "--output", str(tmp_path), code=2)  # a folder


@pytest.mark.parametrize("command", WITH_OUTPUT, ids=lambda c: " ".join(c[:3]))
def test_every_format_goes_to_the_output_file_and_nothing_else_to_stdout(demo, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.csv").write_text("Ref,Action,Lead Officer,Target Date\n1.1,Do it,Clerk,30/11/2022\n")
    target = tmp_path / "out.file"
    assert demo.ok(*command, "--output", str(target)) == f"Wrote {target}\n"
    assert target.stat().st_size > 0
    if command[0] != "export":  # text: the same as the command prints without --output
        printed = demo.ok(*command)
        assert target.read_text(encoding="utf-8") == printed


def test_log_in_table_format_writes_its_output_file(demo, tmp_path):
    target = tmp_path / "log.txt"
    demo.ok("log", "Corporate Parenting Panel", "05/03/2018", "--output", str(target), as_of="05/03/2018")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("Corporate Parenting Panel: action log for the meeting on 05 Mar 2018")
    assert "\x1b[" not in text


def test_import_with_an_unwritable_output_imports_nothing(sufficiency, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Action,Lead Officer,Target Date\n1.1,Do it,Clerk,30/11/2022\n")
    sufficiency.refused("import", str(sheet), "--plan", "NEW", "--output", str(tmp_path / "no" / "x.txt"),
                        says="no folder")


# -- 17: an xlsx export of an empty store ------------------------------------------------

def test_xlsx_export_of_a_store_with_nothing_in_it_is_refused_cleanly(run, tmp_path):
    run.ok("init")
    run.refused("export", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"), says="nothing to export")
    assert not (tmp_path / "x.xlsx").exists()
    run.ok("meeting", "add", "Corporate Parenting Panel", "05/03/2018", as_of="01/01/2018")
    run.ok("resolution", "add", "Corporate Parenting Panel", "05/03/2018", "18/3", "Report back",
           "--owner", "Clerk", "--due", "30/04/2018", as_of="05/03/2018")
    run.ok("export", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))


# -- 17: odd numbers and odd terminals ---------------------------------------------------

@pytest.mark.file_store
def test_restore_of_a_backup_number_past_any_integer_is_exit_2(sufficiency):
    sufficiency.refused("restore", "9223372036854775808", says="there is no backup 9223372036854775808")
    sufficiency.refused("restore", "9223372036854775807", says="there is no backup")


@pytest.mark.parametrize("suffix", [".json", ".db"])
def test_a_terminal_that_cannot_show_a_character_gets_a_replacement_not_a_crash(tmp_path, suffix):
    import os
    import subprocess
    import sys

    store = str(tmp_path / f"s{suffix}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACTIONTRACK_", "PYTHONIOENCODING"))}

    def at(*args, ascii_only=True):
        extra = {"PYTHONIOENCODING": "ascii", "COLUMNS": "200"} if ascii_only else {}
        return subprocess.run([sys.executable, "-m", "actiontrack", "--store", store, "--as-of", "01/12/2022", *args],
                              env={**env, **extra}, capture_output=True, timeout=60)

    for setup in (["init"], ["plan", "add", "P", "Plan \U0001f680 launch"],
                  ["theme", "add", "P", "1", "Theme \u2603", "--officer", "Clerk"],
                  ["action", "add", "P.1", "Fix \U0001f680 things", "--owner", "Officer \u00e9", "--due", "01/11/2022"]):
        assert at(*setup, ascii_only=False).returncode == 0
    for command in (["plan", "list"], ["action", "list"], ["action", "show", "P-1.1"], ["overdue"], ["report"],
                    ["slippage"], ["action", "list", "--format", "markdown"]):
        result = at(*command)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert b"Traceback" not in result.stderr and b"Error" not in result.stderr
        shown = (b"Fix ? things", b"Plan ? launch", "Fix \U0001f680 things".encode(), "Plan \U0001f680 launch".encode())
        assert any(text in result.stdout for text in shown), (command, result.stdout)


# -- 12: a damaged SQLite store names what does work ---------------------------------------

def _truncate(path):
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size // 2)


def _garble(path):
    with open(path, "r+b") as f:
        f.seek(100)  # past the 100-byte header: the schema page
        f.write(b"\xff" * 400)


@pytest.mark.parametrize("damage", [_truncate, _garble])
def test_a_damaged_sqlite_store_never_advises_a_restore_that_fails_the_same_way(tmp_path, damage):
    from tests.conftest import CLI

    run = CLI(tmp_path / "store.db")
    run.ok("init")
    for n in range(40):  # enough pages that damage lands inside the tables
        run.ok("plan", "add", f"P{n}", "Sufficiency Action Plan " * 20, as_of="20/07/2022")
    damage(run.store)
    messages = {run.refused(*command, code=3, says="is damaged")
                for command in (["overdue"], ["plan", "list"], ["restore", "--list"], ["restore"], ["restore", "2"])}
    for message in messages:
        assert "restore --list" not in message
        assert "backups are inside it" in message and "import EXPORT.json" in message


def test_a_damaged_json_store_still_advises_restore_which_works(json_run):
    json_run.ok("init")
    json_run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", as_of="20/07/2022")
    json_run.ok("plan", "add", "PERM", "Permanency Action Plan", as_of="20/07/2022")
    _truncate(json_run.store)
    json_run.refused("plan", "list", code=3, says="see 'actiontrack restore --list'")
    assert "Backup" in json_run.ok("restore", "--list")
    json_run.ok("restore")
    assert [p["key"] for p in json_run.json("plan", "list")] == ["SUFF"]


# -- 16: a listing never loses a column or a word ---------------------------------------------

LISTINGS = [["action", "list"], ["action", "list", "--theme", "SUFF.2", "--open"], ["overdue"], ["slippage"],
            ["resolution", "list"], ["plan", "list"], ["theme", "list", "SUFF"], ["meeting", "list"],
            ["action", "show", "SUFF-2.2"], ["log", "Corporate Parenting Panel", "05/03/2018"], ["report"]]


def _words(text: str) -> set[str]:
    # "Field:" labels of the row-as-block form and the note's list of columns end in : or ,
    return {w.rstrip(",:") for w in text.replace("│", " ").replace("┃", " ").split() if any(c.isalnum() for c in w)}


@pytest.mark.parametrize("long", [False, True], ids=["drawn", "long"])
@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: " ".join(c[:2]))
def test_no_word_split_no_line_too_long_no_column_lost_silently(demo, monkeypatch, width, command, long):
    """`long`: as a listing past PLAIN_FROM rows is shown (plain text, not drawn by rich),
    which clipped cells at 60 characters and ran lines past the width until this test."""
    if long:
        from actiontrack.commands import output

        monkeypatch.setattr(output, "PLAIN_FROM", 0)
    monkeypatch.setenv("COLUMNS", "1000")
    wide = demo.ok(*command)
    monkeypatch.setenv("COLUMNS", str(width))
    narrow = demo.ok(*command)
    assert all(len(line.rstrip()) <= width for line in narrow.splitlines()), narrow
    fragments = _words(narrow) - _words(wide) - _words("Not shown, for want of width: (choose with --columns, "
                                                       "or widen the terminal).")
    # A word in the narrow output that the wide one never had is a word broken in two.
    assert not fragments, (fragments, narrow)
    missing = _words(wide) - _words(narrow)
    if missing and "Not shown" not in narrow:
        pytest.fail(f"words lost with no note of a dropped column: {sorted(missing)[:10]}\n{narrow}")


@pytest.mark.parametrize("width", [40, 42, 43, 50, 57, 76])
def test_action_show_never_cuts_text_beside_a_date(sufficiency, monkeypatch, width):
    """From a third trial: a date kept whole beside emoji or Japanese text was wider than
    the room left in action show's grid, and rich cut it with "…" (losing "は", "🎉", "2023")."""
    titles = ["Mayor said the 3 May meeting was fine 🎉1 Dec 2022🎉 会議は 14 Dec 2022 に",
              "Report back on the range 14 Dec 2022–15 Jan 2023"]
    for title in titles:
        sufficiency.ok("action", "add", "SUFF.1", title, "--owner", "Head of Early Help", "--due", "31/01/2023")
    monkeypatch.setenv("COLUMNS", str(width))
    for ref, title in zip(("SUFF-1.2", "SUFF-1.3"), titles, strict=True):
        out = sufficiency.ok("action", "show", ref)
        assert "…" not in out and "".join(title.split()) in "".join(out.split()), out


@pytest.mark.parametrize("width", [50, 60, 80])
@pytest.mark.parametrize("command", [["report"], ["log", "Corporate Parenting Board", "14/12/2022"], ["overdue"],
                                     ["slippage"], ["action", "show", "SUFF-1.2"], ["changes", "--since", "60d"]],
                         ids=" ".join)
def test_a_date_is_never_split_over_two_lines(demo, monkeypatch, width, command):
    """From new-user trials: "as of 01 Dec / 2022" in the report's title at 80 columns, and a
    milestone's "(due 30 Sep / 2022)" in a table cell.  Every date read across the lines is
    also on one line, and the character that holds a date together for the wrap never shows."""
    import re

    monkeypatch.setenv("COLUMNS", str(width))
    out = demo.ok(*command, as_of="01/12/2022")
    day = re.compile(r"\b\d\d [A-Z][a-z]{2} \d{4}\b")
    across = day.findall(" ".join(out.split()))
    within = [d for line in out.splitlines() for d in day.findall(" ".join(line.split()))]
    assert across and sorted(across) == sorted(within), (set(across) - set(within), out)
    assert "\ue000" not in out and "\x1a" not in out


@pytest.mark.parametrize("long", [False, True], ids=["drawn", "long"])
@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("command", [["overdue"], ["slippage"], ["action", "list"]], ids=" ".join)
def test_wide_characters_take_two_columns_in_every_listing(demo, monkeypatch, width, command, long):
    """Japanese and emoji take two columns of a terminal each: a long listing counted
    characters and ran past the width (the drawn table, measured by rich, did not)."""
    from rich.cells import cell_len

    if long:
        from actiontrack.commands import output

        monkeypatch.setattr(output, "PLAIN_FROM", 0)
    title, owner = "児童養護施設の改善計画 🚸🏠 and 里親支援の強化と評価 🧒 with the Board", "児童福祉課長 👩‍💼"
    demo.ok("action", "add", "SUFF.1", title, "--owner", owner, "--due", "30/11/2022", as_of="20/07/2022")
    demo.ok("action", "add", "SUFF.1", "Réunion " + "🎉" * 8 + " placement review", "--owner",
            "Head of Service " + "😀" * 5, "--due", "31/10/2022", as_of="20/07/2022")
    monkeypatch.setenv("COLUMNS", str(width))
    out = demo.ok(*command, as_of="01/12/2022")
    assert all(cell_len(line) <= width for line in out.splitlines()), out
    assert _words(title + " " + owner + " " + "🎉" * 8) <= _words(out), out


def test_columns_option_chooses_the_columns(demo):
    out = demo.ok("action", "list", "--columns", "ref,Dates say,slippage_days", "--format", "markdown")
    assert out.splitlines()[2] == "| Ref | Dates say | Slippage (days) |"
    demo.refused("action", "list", "--columns", "ref,nonsense", says="no column 'nonsense'")


@pytest.mark.parametrize("blank", ["", " ", ",", ",,"])
@pytest.mark.parametrize("command", [["overdue"], ["action", "list"], ["plan", "list"]], ids=" ".join)
def test_a_blank_columns_option_is_refused_not_an_empty_listing(demo, command, blank):
    """Found by a new-user trial: `--columns " "` printed a blank line and exit 0, read by a
    clerk as nothing overdue."""
    for fmt in ("table", "markdown"):
        demo.refused(*command, "--columns", blank, "--format", fmt, says="--columns names no column: choose from ")


def test_columns_are_shown_in_the_order_named(demo):
    """Found by a new-user trial: `--columns ref,due,owner` gave Ref | Owner | Due."""
    out = demo.ok("overdue", "--columns", "ref,due,owner", "--format", "markdown")
    assert out.splitlines()[2] == "| Ref | Due | Owner |"
    out = demo.ok("overdue", "--columns", "due,Ref,DUE,owner", "--format", "markdown")  # named twice: once
    assert out.splitlines()[2] == "| Due | Ref | Owner |"
    table = demo.ok("action", "list", "--columns", "owner,ref")
    header = next(line for line in table.splitlines() if "Owner" in line)
    assert header.index("Owner") < header.index("Ref")


def test_columns_given_twice_are_all_shown(demo):
    """Found by a new-user trial: `--columns ref --columns owner` kept only the last."""
    out = demo.ok("overdue", "--columns", "ref", "--columns", "owner,due", "--format", "markdown")
    assert out.splitlines()[2] == "| Ref | Owner | Due |"


@pytest.mark.parametrize("first_format", [True, False])
@pytest.mark.parametrize("command, fmt", [(("scorecard",), "csv"), (("overdue",), "json"), (("action", "list"), "csv")])
def test_columns_with_json_or_csv_is_refused_not_ignored(demo, command, fmt, first_format):
    """From a new-user trial: `scorecard --format csv --columns code,value` printed every column
    (exit 0); a script got columns it had not asked for.  Refused whichever option comes first."""
    options = ["--format", fmt, "--columns", "ref"] if first_format else ["--columns", "ref", "--format", fmt]
    demo.refused(*command, *options, says=f"{fmt.upper()} gives every key")


@pytest.mark.parametrize("width", [80, 100])
def test_dates_counts_and_rag_words_stay_whole_on_a_narrow_terminal(demo, monkeypatch, width):
    """A date over three lines reads as three cells, and "1" parted from "complete" as a
    stray number: refs, dates, numbers and each RAG count stay on one line."""
    monkeypatch.setenv("COLUMNS", str(width))
    themes = demo.json("report")["themes"]
    shown = sum(1 for t in themes for key in ("blue", "green", "amber", "red") if t["counts"][key])
    report = demo.ok("report")
    # Every theme's count stands beside its word (plus the Totals line's four).
    counts = re.findall(r"\b\d+ (?:complete|green|amber|red)\b", report)
    assert len(counts) == shown + 4, report
    listing = demo.ok("action", "list", "--theme", "SUFF.2", "--open")
    assert "30 Sep 2022" in listing and "31 Mar 2023" in listing, listing


@pytest.mark.parametrize("width", [60, 80])
def test_what_a_listing_is_for_is_never_dropped_for_width(demo, monkeypatch, width):
    """Found by a new-user trial: at 80 columns the report's exceptions dropped the latest
    commentary (what the Board reads first) and the action log's extensions dropped the
    baseline and the times moved (what the section is about).  They stay: the rows become
    blocks before these go."""
    monkeypatch.setenv("COLUMNS", str(width))
    report = demo.ok("report")
    exceptions = report.split("Exceptions", 1)[1] if "Exceptions" in report else report
    assert "Latest commentary" in exceptions and "Two of three providers" in " ".join(exceptions.split())
    log = demo.ok("log", "Corporate Parenting Panel", "05/03/2018", as_of="10/03/2018")
    extensions = log.split("C. Extensions", 1)[1].split("D. ", 1)[0]
    assert "Baseline" in extensions and "05 Mar 2018" in extensions and "Times moved" in " ".join(extensions.split())
    assert "Not shown" not in extensions
    # ... and section B (completed since the last meeting) keeps its baseline and slippage: how late it was.
    log = demo.ok("log", "Corporate Parenting Board", "14/12/2022", as_of="01/12/2022")
    completed = log.split("B. ", 1)[1].split("C. ", 1)[0]
    assert "Not shown" not in completed and "Slippage" in completed and "Baseline" in completed, completed
    # A second trial: `changes` at 80 columns dropped What, a change log not saying what changed.
    changes = " ".join(demo.ok("changes", "--since", "30d", as_of="01/12/2022").split())
    assert "Not shown" not in changes and "status: not-started -> in-progress" in changes


@pytest.mark.parametrize("width", [80, 90, 100, 120])
def test_the_slippage_report_keeps_each_rows_slippage_at_any_width(demo, monkeypatch, width):
    """From a new-user trial: at 100 columns the slippage table dropped "Slippage (days)", its
    own figure, and kept the baseline it is worked out from.  The baseline goes first now."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = demo.ok("slippage", as_of="01/12/2022")
    rows = demo.json("slippage", as_of="01/12/2022")
    note = " ".join(out.split("Not shown", 1)[1].split()) if "Not shown" in out else ""
    assert "Slippage (days)" not in note
    if "Ref: " in out:  # blocks: every field of every row
        assert out.count("Slippage (days): ") == len(rows)
        return
    header = [line.split() for line in out.splitlines()[1:3]]
    assert "Slippage" in header[0] + header[1], header
    refs = {r["ref"] for r in rows}
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line and line.split()[0] in refs}
    assert all(str(r["slippage_days"]) in lines[r["ref"]] for r in rows), lines


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2011", "\u2212"], ids=["en", "em", "non-breaking", "minus"])
def test_a_ref_pasted_from_word_with_its_dash_finds_the_item(sufficiency, dash):
    """From a new-user trial: Word turns SUFF-1.1 into SUFF–1.1 as it is typed, and the ref
    pasted from committee papers was 'not an action reference'."""
    sufficiency.ok("action", "update", f"SUFF{dash}1.1", "--rag", "amber", "--note", "Pasted from the minutes")
    assert sufficiency.json("action", "show", f"suff{dash}1.1")["rag"] == "amber"
    sufficiency.ok("meeting", "add", "Corporate Parenting Board", "20/07/2022")
    sufficiency.ok("resolution", "add", "Corporate Parenting Board", "20/07/2022", "22/7", "Refresh the plan",
                   "--owner", "Head of Service", "--due", "30/11/2022")
    sufficiency.ok("resolution", "update", f"R{dash}1", "--status", "in-progress")
    assert sufficiency.json("resolution", "show", "R-1")["status"] == "in-progress"
    sufficiency.refused("action", "update", f"SUFF{dash}{dash}1.1", "--rag", "red", says="not an action reference")


def test_a_ref_with_its_plan_key_mistyped_suggests_the_ref_meant(sufficiency):
    """From a new-user trial: 'SUF-1.1' said only that there is no such action."""
    sufficiency.refused("action", "update", "SUF-1.1", "--rag", "amber", says="no action 'SUF-1.1'; did you mean 'SUFF-1.1'?")
    sufficiency.refused("action", "update", "PERM-1.1", "--rag", "amber", says="no action 'PERM-1.1' (see")
