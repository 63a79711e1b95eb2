"""Update returns (issue 14): people, returns made as xlsx, filled the way a person would, applied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from actiontrack.interchange.returns import COLUMNS

RESOURCES = "Head of Resources and Placements"
RESOURCES_FILE = "head-of-resources-and-placements.xlsx"


def fill(made: Path, out: Path, edits: dict[tuple[str, str], object]) -> Path:
    """Type into a return as its owner would in Excel: only into cells left unlocked."""
    book = load_workbook(made)
    ws = book["Return"]
    header = [c.value for c in ws[2]]
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    for (ref, column), value in edits.items():
        cell = ws.cell(rows[ref], header.index(column) + 1)
        assert cell.protection.locked is False, f"{ref} {column} is locked: an owner could not type there"
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    book.save(out)
    return out


def made_returns(run, tmp_path, *args: str) -> Path:
    folder = tmp_path / "returns"
    run.ok("returns", "make", "--output", str(folder), *args)
    return folder


def history(run, ref: str, as_of: str = "01/12/2022") -> list[dict]:
    return run.json("action" if not ref.startswith("R-") else "resolution", "show", ref, as_of=as_of)["history"]


# -- people ---------------------------------------------------------------------------

def test_people_are_added_listed_updated_and_undone(sufficiency):
    run = sufficiency
    run.ok("person", "add", "Specialist Commissioning Manager", "--email", "commissioning@example.gov.uk")
    run.refused("person", "add", "specialist  commissioning MANAGER", "--email", "x@example.gov.uk",
                says="already recorded")
    run.refused("person", "add", "Head of Early Help", "--email", "early help at council", says="not an e-mail address")
    run.refused("person", "add", "Head of Early Help", "--email", "", says="not an e-mail address")
    run.refused("person", "update", "Nobody Here", "--email", "a@example.gov.uk", says="no person 'Nobody Here'")
    run.refused("person", "update", "Specialist Commissioning Manager", "--email", "commissioning@example.gov.uk",
                says="already")
    rows = {r["name"]: r for r in run.json("person", "list")}
    assert rows["Specialist Commissioning Manager"] == {
        "name": "Specialist Commissioning Manager", "email": "commissioning@example.gov.uk", "recorded": True,
        "open_items": 1, "overdue": 1, "stale": 1}
    run.ok("person", "update", "specialist commissioning manager", "--email", "scm@example.gov.uk")
    assert {r["name"]: r["email"] for r in run.json("person", "list")} == {
        "Specialist Commissioning Manager": "scm@example.gov.uk"}
    run.ok("undo")
    assert run.json("person", "list")[0]["email"] == "commissioning@example.gov.uk"
    run.ok("undo")
    # The owner is still listed, now with no address: reported, not dropped.
    assert run.json("person", "list") == [{"name": "Specialist Commissioning Manager", "email": None,
                                           "recorded": False, "open_items": 1, "overdue": 1, "stale": 1}]
    assert "no address" in run.ok("person", "list")
    assert run.ok("person", "list", "--format", "csv").splitlines()[0] == "name,email,recorded,open_items,overdue,stale"
    assert "| Specialist Commissioning Manager |" in run.ok("person", "list", "--format", "markdown")


def test_demo_people_have_example_addresses_and_one_has_none(demo):
    rows = demo.json("person", "list")
    addresses = [r["email"] for r in rows if r["email"]]
    assert addresses and all(a.endswith("@example.gov.uk") for a in addresses)
    assert [r["name"] for r in rows if not r["email"]] == ["Designated Nurse for Children in Care"]


# -- make -----------------------------------------------------------------------------

@pytest.mark.parametrize("command", [("returns", "make", "--replace"), ("returns", "send", "--dry-run")])
def test_returns_that_cannot_all_be_written_leave_no_file_and_no_record(demo, tmp_path, command):
    """From a new-user trial: a return that could not be written (here: a folder holds its
    name) failed the command and left the store as it was, but the returns written before
    it stayed in the folder, made as far as the folder showed and never as far as the store
    did.  They are taken back."""
    if "send" in command:
        demo.ok("config", "smtp-from", "democratic.services@example.gov.uk")
    first = tmp_path / "first"
    out = demo.ok(*command, "--reply-by", "07/12/2022", "--output", str(first))
    written = [line.split()[1] for line in out.splitlines() if line.startswith("Wrote ")]
    assert len(written) > 2
    folder = tmp_path / "returns"
    folder.mkdir()
    last = folder / Path(written[-1]).name
    last.mkdir()  # the last return's name is taken by a folder: that one cannot be written
    demo.refused(*command, "--reply-by", "07/12/2022", "--output", str(folder), says=f"cannot write {last}")
    assert [p.name for p in folder.iterdir()] == [last.name]


@pytest.mark.parametrize("command", [("returns", "make"), ("returns", "send", "--dry-run", "--reply-by", "07/12/2022")])
def test_a_failed_command_leaves_no_folder_it_made(demo, tmp_path, command, monkeypatch):
    """From a new-user trial: with no store, `returns make --output ret2/` made ret2/ and
    exited 3.  A folder is made only to write into, and goes with the files if they go."""
    if "send" in command:
        demo.ok("config", "smtp-from", "democratic.services@example.gov.uk")
    nested = tmp_path / "made" / "for" / "returns"
    missing = type(demo)(tmp_path / "no-store.json")
    if demo.server is None:
        missing.refused(*command, "--output", str(nested), code=3, says="no store at")
        assert not (tmp_path / "made").exists()
    from actiontrack.commands import returns

    calls = []

    def full_disk(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        Path(path).write_bytes(data)

    monkeypatch.setattr(returns, "write_file", full_disk)
    demo.refused(*command, "--output", str(nested), code=3, says="disk or quota is full")
    assert len(calls) == 2 and not (tmp_path / "made").exists()
    monkeypatch.undo()
    demo.ok(*command, "--output", str(nested))  # made, three deep, when it is written into
    assert any(nested.iterdir())


def test_make_never_writes_over_a_return_already_there_unless_told(demo, tmp_path):
    """From a new-user trial: an officer's filled return, saved back into the returns folder,
    was written over by the next `returns make` (exit 0) and their answers were lost."""
    folder = made_returns(demo, tmp_path, "--owner", RESOURCES)
    fill(folder / RESOURCES_FILE, folder / RESOURCES_FILE, {("SUFF-2.1", "RAG"): "Amber"})
    answered = (folder / RESOURCES_FILE).read_bytes()
    demo.refused("returns", "make", "--owner", RESOURCES, "--output", str(folder),
                 says=f"{folder / RESOURCES_FILE} already there")
    demo.refused("returns", "make", "--output", str(folder), says=RESOURCES_FILE)  # every owner's: none written
    assert (folder / RESOURCES_FILE).read_bytes() == answered and len(list(folder.iterdir())) == 1
    everyone = made_returns(demo, tmp_path / "all")
    count = len(list(everyone.iterdir()))
    demo.refused("returns", "make", "--output", str(everyone), says=f"and {count - 1} more already there")
    demo.ok("returns", "apply", str(folder / RESOURCES_FILE))
    out = demo.ok("returns", "make", "--owner", RESOURCES, "--output", str(folder), "--replace")
    assert out.startswith(f"Wrote {folder / RESOURCES_FILE}") and (folder / RESOURCES_FILE).read_bytes() != answered
    # A file's name given as the folder is not made a folder of that name.
    demo.refused("returns", "make", "--output", str(tmp_path / "return.xlsx"), says="give a folder")
    assert not (tmp_path / "return.xlsx").exists()


def test_an_export_over_a_file_replaces_it_whole_and_keeps_its_mode(demo, tmp_path):
    """Written beside its name and renamed over it (commands/output.write_file): never a file
    cut short under the name, and the file it replaces keeps its permissions."""
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "plans.csv"
    out.write_text("an older export, longer than the new one will be\n" * 500)
    out.chmod(0o640)
    demo.ok("export", "--format", "csv", "--output", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("ref,") and "older export" not in text and (out.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in out.parent.iterdir()] == ["plans.csv"]  # no part-written file left beside it


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_an_export_to_a_pipe_or_through_a_link_writes_where_they_lead(demo, tmp_path):
    """`--output /dev/stdout` (a link to a pipe) is written as it is, never renamed over; a link
    to a file keeps being a link, and the file it names gets the export."""
    import os
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    demo.ok("export", "--format", "csv", "--output", str(pipe))
    reader.join(timeout=30)
    assert got and got[0].decode("utf-8-sig").startswith("ref,") and pipe.is_fifo()
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    link.symlink_to(real)
    demo.ok("export", "--format", "csv", "--output", str(link))
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("ref,")


def test_make_writes_one_protected_return_per_owner_with_exactly_their_open_items(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--reply-by", "07/12/2022", "--due-by", "31/12/2022")
    owners: dict[str, set[str]] = {}
    for row in demo.json("action", "list", "--open") + demo.json("resolution", "list", "--open"):
        owners.setdefault(row["owner"], set()).add(row["ref"])
    assert len(list(folder.glob("*.xlsx"))) == len(owners)
    book = load_workbook(folder / RESOURCES_FILE)
    ws = book["Return"]
    assert tuple(c.value for c in ws[2]) == COLUMNS
    assert RESOURCES in ws["A1"].value and "07 Dec 2022" in ws["A1"].value
    refs = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert set(refs) == owners[RESOURCES]
    assert ws.protection.sheet
    for r in range(3, ws.max_row + 1):
        assert [ws.cell(r, c).protection.locked for c in range(1, 12)] == [True] * 5 + [False] * 6
        assert isinstance(ws.cell(r, 4).value, dt.datetime)  # real Excel dates
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("In progress" in f for f in lists.values()) and any(f == '"Red,Amber,Green"' for f in lists.values())
    assert book["actiontrack"].sheet_state == "veryHidden"
    # due by the date first: SUFF-2.1 (30 Sep 2022) before SUFF-2.2 (Q4 2022/23)
    assert refs == ["SUFF-2.1", "SUFF-2.2"]
    status = {r["owner"]: r for r in demo.json("returns", "status")}
    assert status[RESOURCES]["made_on"] == "2022-12-01" and status[RESOURCES]["state"] == "not sent"


def test_make_for_one_owner_and_an_unknown_owner(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--owner", "head of resources and placements")
    assert [p.name for p in folder.iterdir()] == [RESOURCES_FILE]
    demo.refused("returns", "make", "--owner", "Head of Nothing", "--output", str(tmp_path / "x"),
                 says="owns no open actions or resolutions (see 'actiontrack person list')")
    # A letter out, and "&" for "and": whom they meant (a second trial was told only "owns no open actions").
    demo.refused("returns", "make", "--owner", "Head of Resources & Placement", "--output", str(tmp_path / "x"),
                 says="owns no open actions or resolutions; did you mean 'Head of Resources and Placements'?")
    (tmp_path / "afile").write_text("")
    demo.refused("returns", "make", "--output", str(tmp_path / "afile"), says="is a file")


def test_text_starting_with_equals_stays_text_in_a_return(sufficiency, tmp_path):
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "=SUM(A1:A9) is not a formula")
    folder = made_returns(sufficiency, tmp_path)
    ws = load_workbook(folder / "specialist-commissioning-manager.xlsx")["Return"]
    assert ws["H3"].value == "=SUM(A1:A9) is not a formula" and ws["H3"].data_type == "s"


# -- apply ----------------------------------------------------------------------------

def test_filled_return_is_applied_as_the_owner_and_a_second_apply_changes_nothing(demo, tmp_path, monkeypatch):
    folder = made_returns(demo, tmp_path)
    filled = fill(folder / RESOURCES_FILE, tmp_path / "back.xlsx", {
        ("SUFF-2.1", "RAG"): "Amber", ("SUFF-2.1", "Progress update"): "Two meetings missed over the summer",
        ("SUFF-2.2", "Revised due date"): dt.datetime(2023, 6, 30),
        ("SUFF-2.2", "Reason for change"): "Business case back to the Executive in May",
        ("SUFF-2.2", "Status"): "In progress",
    })
    before = demo.snapshot()
    dry = demo.ok("returns", "apply", str(filled), "--dry-run")
    assert "Would apply back.xlsx: SUFF-2.1: rag amber, progress update" in dry
    assert demo.snapshot() == before
    out = demo.ok("returns", "apply", str(filled), as_of="05/12/2022")
    assert "Applied back.xlsx: SUFF-2.2: status in-progress, due 30 Jun 2023" in out
    one = history(demo, "SUFF-2.1", "05/12/2022")[-1]
    assert (one["on_behalf_of"], one["via"], one["note"]) == (
        RESOURCES, "update return back.xlsx", "Two meetings missed over the summer")
    assert one["changes"] == [{"field": "rag", "old": "green", "new": "amber"}]
    moved = [h for h in history(demo, "SUFF-2.2", "05/12/2022") if h["txn"] == one["txn"]]
    assert [h["event"] for h in moved] == ["update", "reschedule"]
    assert all(h.get("on_behalf_of") == RESOURCES for h in moved), moved
    assert moved[1]["note"] == "Business case back to the Executive in May"
    monkeypatch.setenv("COLUMNS", "250")  # Who on one line (it wraps between words when narrower)
    shown = demo.ok("action", "show", "SUFF-2.2", as_of="05/12/2022")
    assert "via update return" in shown
    monkeypatch.delenv("COLUMNS")
    status = {r["owner"]: r for r in demo.json("returns", "status", as_of="05/12/2022")}
    assert status[RESOURCES]["returned_on"] == "2022-12-05"
    assert status[RESOURCES]["state"] == "returned"  # back, though it went by hand rather than by send
    after = demo.snapshot()
    again = demo.ok("returns", "apply", str(filled), as_of="06/12/2022")
    assert "Nothing to change" in again
    assert demo.snapshot() == after
    demo.ok("undo", as_of="06/12/2022")  # one command, one undo: the owner's words go back out
    assert demo.json("action", "show", "SUFF-2.2", as_of="06/12/2022")["due"] != "2023-06-30"


def test_completion_and_a_milestone_done_come_back_through_a_return(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    ws = load_workbook(folder / "head-of-early-help.xlsx")["Return"]
    refs = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert refs == ["SUFF-3.1 milestone 1", "SUFF-3.1"]
    for column in ("Status", "RAG", "Progress update", "Revised due date", "Reason for change"):
        assert ws.cell(3, COLUMNS.index(column) + 1).protection.locked  # a milestone takes only its date
    filled = fill(folder / "head-of-early-help.xlsx", tmp_path / "early.xlsx", {
        ("SUFF-3.1 milestone 1", "Completed on"): "28/09/2022",
        ("SUFF-3.1", "Completed on"): dt.datetime(2022, 11, 30), ("SUFF-3.1", "Progress update"): "Evaluated and embedded",
    })
    demo.ok("returns", "apply", str(filled))
    shown = demo.json("action", "show", "SUFF-3.1")
    assert shown["status"] == "complete" and shown["completed_on"] == "2022-11-30"
    assert shown["milestones"][0]["done_on"] == "2022-09-28"
    assert {h["event"] for h in shown["history"] if h.get("on_behalf_of") == "Head of Early Help"} == {
        "milestone-done", "update", "complete"}


@pytest.mark.parametrize("edits, says", [
    ({("SUFF-2.1", "RAG"): "Purple"}, "column 'RAG', value 'Purple': not a RAG"),
    ({("SUFF-2.1", "Status"): "Nearly"}, "column 'Status', value 'Nearly': not a status"),
    ({("SUFF-2.1", "Status"): None}, "the status is empty"),
    ({("SUFF-2.1", "Revised due date"): "31/02/2023", ("SUFF-2.1", "Reason for change"): "x"},
     "column 'Revised due date'"),
    ({("SUFF-2.1", "Revised due date"): "31/03/2023"}, "needs the reason"),
    ({("SUFF-2.1", "Reason for change"): "Because"}, "no revised due date"),
    ({("SUFF-2.1", "Completed on"): "25/12/2022"}, "a completion date in the future"),
    ({("SUFF-2.1", "Status"): "Dropped"}, "needs a progress update saying who decided and why"),
    ({("SUFF-2.1", "RAG"): "Amber/Red"}, "not a RAG"),  # a question for the owner, not a RAG to guess
    ({("SUFF-2.1", "RAG"): "Green?"}, "not a RAG"),
    ({("SUFF-2.1", "Status"): "On hold", ("SUFF-2.1", "Completed on"): "30/11/2022"},
     "but the status says 'On hold'"),
])
def test_a_bad_cell_refuses_the_whole_file_and_names_where(demo, tmp_path, edits, says):
    folder = made_returns(demo, tmp_path)
    good = {("SUFF-2.2", "Progress update"): "Still on track"}  # a good row in the same file is not applied
    filled = fill(folder / RESOURCES_FILE, tmp_path / "bad.xlsx", {**good, **edits})
    line = demo.refused("returns", "apply", str(filled), says="nothing was applied", details=True)
    result = demo("returns", "apply", str(filled))
    assert "bad.xlsx, sheet 'Return', row 3" in result.stderr and says in result.stderr, result.stderr
    assert line.startswith("Error: 1 problem")


def test_a_ref_retyped_in_another_case_is_the_row_it_was(demo, tmp_path):
    """From a new-user trial: 'suff-3.1' typed over the locked Ref was "not in this return
    when it was made", though the command line takes any case."""
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    book = load_workbook(folder / "head-of-early-help.xlsx")
    ws = book["Return"]
    ws.protection.sheet = False
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "SUFF-3.1")
    ws.cell(row, 1).value, ws.cell(row, 7).value = "suff-3.1 ", "Amber"
    ws.cell(row - 1, 1).value = "SUFF\u20133.1  Milestone 1"  # and an en dash, as Word puts for a hyphen
    book.save(tmp_path / "typed.xlsx")
    assert "typed.xlsx: SUFF-3.1: rag amber" in demo.ok("returns", "apply", str(tmp_path / "typed.xlsx"))
    ws.cell(row, 1).value = "suff-3.2"
    book.save(tmp_path / "other.xlsx")
    demo.refused("returns", "apply", str(tmp_path / "other.xlsx"), says="'suff-3.2' was not in this return",
                 details=True)


def test_a_milestone_row_takes_only_its_date(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    book = load_workbook(folder / "head-of-early-help.xlsx")
    ws = book["Return"]
    ws.protection.sheet = False  # an owner who unprotects the sheet and types anyway
    ws["H3"] = "Done early"
    book.save(tmp_path / "typed.xlsx")
    demo.refused("returns", "apply", str(tmp_path / "typed.xlsx"), says="takes only its 'Completed on' date",
                 details=True)


def test_completed_on_with_the_status_left_as_it_was_completes_it(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    filled = fill(folder / "head-of-early-help.xlsx", tmp_path / "done.xlsx",
                  {("SUFF-3.1", "Completed on"): "30/11/2022"})  # Status still says In progress
    demo.ok("returns", "apply", str(filled))
    assert demo.json("action", "show", "SUFF-3.1")["status"] == "complete"


def test_complete_with_no_date_says_the_day_it_is_completed_on_before_and_after(demo, tmp_path):
    """From a new-user trial: "Complete" with a blank 'Completed on' was completed on the day
    applied, and the dry run and the apply said only "status complete"."""
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    filled = fill(folder / "head-of-early-help.xlsx", tmp_path / "done.xlsx", {("SUFF-3.1", "Status"): "Complete"})
    said = "done.xlsx: SUFF-3.1: status complete, completed on 05 Dec 2022, the day applied (its 'Completed on' was blank)"
    assert said in demo.ok("returns", "apply", str(filled), "--dry-run", as_of="05/12/2022")
    assert said in demo.ok("returns", "apply", str(filled), as_of="05/12/2022")
    assert demo.json("action", "show", "SUFF-3.1", as_of="05/12/2022")["completed_on"] == "2022-12-05"
    dated = fill(folder / "head-of-early-help.xlsx", tmp_path / "dated.xlsx",
                 {("SUFF-3.1", "Status"): "Complete", ("SUFF-3.1", "Completed on"): "30/11/2022"})
    demo.ok("undo", as_of="05/12/2022")
    assert "the day applied" not in demo.ok("returns", "apply", str(dated), as_of="05/12/2022")


@pytest.mark.parametrize("typed", ["Completed", "done"])
def test_completed_or_done_typed_for_the_status_is_complete(demo, tmp_path, typed):
    """From a second trial: owners type "Completed" or "Done" over the drop-down's "Complete"."""
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    filled = fill(folder / "head-of-early-help.xlsx", tmp_path / "typed.xlsx",
                  {("SUFF-3.1", "Status"): typed, ("SUFF-3.1", "Completed on"): "30/11/2022"})
    assert "typed.xlsx: SUFF-3.1: status complete, completed on 30 Nov 2022" in demo.ok("returns", "apply", str(filled))


def test_a_revised_date_already_past_is_said_as_reschedule_says_it(demo, tmp_path):
    """From a second trial: `action reschedule` to a past day says how overdue that leaves
    the work; the same date in a return's 'Revised due date' went by without a word."""
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    filled = fill(folder / "head-of-early-help.xlsx", tmp_path / "past.xlsx",
                  {("SUFF-3.1", "Revised due date"): "01/10/2022", ("SUFF-3.1", "Reason for change"): "Agreed late"})
    said = "past.xlsx: SUFF-3.1: due 01 Oct 2022 (61 days overdue already)"
    assert said in demo.ok("returns", "apply", str(filled), "--dry-run")
    assert said in demo.ok("returns", "apply", str(filled))
    typo = fill(folder / "head-of-early-help.xlsx", tmp_path / "typo.xlsx",
                {("SUFF-3.1", "Revised due date"): "31/03/2021", ("SUFF-3.1", "Reason for change"): "Typo"})
    demo.ok("undo")
    assert "overdue already, a mistyped year?)" in demo.ok("returns", "apply", str(typo))


@pytest.mark.parametrize("ref, says", [
    ("SUFF-3.1", "give a new date in 'Revised due date', with the reason in 'Reason for change'"),
    ("SUFF-3.1 milestone 1", "a milestone's new date is the clerk's to set"),
])
def test_a_date_typed_over_the_locked_due_is_a_problem_not_dropped(demo, tmp_path, ref, says):
    """From a new-user trial: an owner who unprotected the sheet and typed a new Due was told
    "Nothing to change", and thought the extension asked for."""
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    book = load_workbook(folder / "head-of-early-help.xlsx")
    ws = book["Return"]
    ws.protection.sheet = False
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == ref)
    ws.cell(row, 4).value = dt.datetime(2023, 1, 31)
    book.save(tmp_path / "typed.xlsx")
    demo.refused("returns", "apply", str(tmp_path / "typed.xlsx"), details=True, says="nothing was applied")
    result = demo("returns", "apply", str(tmp_path / "typed.xlsx"))
    assert f"row {row}, column 'Due', value '31 Jan 2023': the Due column is not read: {says}" in result.stderr, \
        result.stderr


def test_every_file_is_checked_before_anything_is_refused(demo, tmp_path):
    folder = made_returns(demo, tmp_path)
    bad = fill(folder / RESOURCES_FILE, tmp_path / "bad.xlsx", {("SUFF-2.1", "RAG"): "Purple"})
    other = tmp_path / "notes.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(other))
    demo.refused("returns", "apply", str(other), str(bad), says="2 problem(s)", details=True)
    result = demo("returns", "apply", str(other), str(bad))
    assert "'notes.xlsx' is not an update return" in result.stderr and "value 'Purple'" in result.stderr


def test_a_return_names_only_the_owners_own_plans(demo, tmp_path):
    folder = made_returns(demo, tmp_path, "--reply-by", "07/12/2022")
    heading = load_workbook(folder / RESOURCES_FILE)["Return"]["A1"].value
    assert f"Update return for {RESOURCES}: Sufficiency Action Plan, as of" in heading
    both = load_workbook(folder / "head-of-care-leavers-service.xlsx")["Return"]["A1"].value
    assert "Head of Care Leavers Service: committee resolutions, as of" in both
    demo.refused("returns", "make", "--output", str(tmp_path / "x"), "--reply-by", "30/11/2022",
                 says="before the as-of date")


def test_a_row_changed_in_the_store_since_is_a_conflict_unless_forced(demo, tmp_path):
    folder = made_returns(demo, tmp_path)
    demo.ok("action", "update", "SUFF-2.1", "--rag", "red", "--note", "Clerk's own update", as_of="02/12/2022")
    filled = fill(folder / RESOURCES_FILE, tmp_path / "late.xlsx", {("SUFF-2.1", "RAG"): "Amber",
                                                                     ("SUFF-2.2", "Progress update"): "On track"})
    demo.refused("returns", "apply", str(filled), says="1 conflict(s)", details=True, as_of="03/12/2022")
    result = demo("returns", "apply", str(filled), as_of="03/12/2022")
    assert "late.xlsx, sheet 'Return', row 3: SUFF-2.1 has changed in the store since the return was made" in result.stderr
    # A row the owner left alone is no conflict, even though its item changed.
    untouched = fill(folder / RESOURCES_FILE, tmp_path / "other.xlsx", {("SUFF-2.2", "Progress update"): "On track"})
    assert "SUFF-2.2: progress update" in demo.ok("returns", "apply", str(untouched), "--dry-run", as_of="03/12/2022")
    demo.ok("returns", "apply", str(filled), "--force", as_of="03/12/2022")
    assert demo.json("action", "show", "SUFF-2.1", as_of="03/12/2022")["rag"] == "amber"


def test_a_return_for_an_item_reassigned_since_is_a_conflict(demo, tmp_path):
    """From a new-user trial: made for one owner, the item then reassigned, the old owner's
    filled return went through with no conflict.  The item's new owner holds it now."""
    folder = made_returns(demo, tmp_path, "--owner", RESOURCES)
    filled = fill(folder / RESOURCES_FILE, tmp_path / "back.xlsx", {("SUFF-2.1", "RAG"): "Amber"})
    demo.ok("reassign", RESOURCES, "Head of Placements and Sufficiency")
    demo.refused("returns", "apply", str(filled), details=True,
                 says=f"SUFF-2.1 has passed from {RESOURCES} to Head of Placements and Sufficiency")
    demo.ok("returns", "apply", str(filled), "--force")
    assert demo.json("action", "show", "SUFF-2.1")["rag"] == "amber"


def test_files_that_are_not_returns_are_refused(demo, tmp_path):
    folder = made_returns(demo, tmp_path)
    other = tmp_path / "plan.xlsx"
    demo.ok("export", "--format", "xlsx", "--output", str(other))
    demo.refused("returns", "apply", str(other), says="is not an update return", details=True)
    demo.refused("returns", "apply", str(tmp_path / "missing.xlsx"), says="no file", details=True)
    book = load_workbook(folder / RESOURCES_FILE)
    ws = book["Return"]
    ws.protection.sheet = False  # a determined owner: unprotects and adds a row
    ws.cell(ws.max_row + 1, 1, "SUFF-1.2")
    book.save(tmp_path / "added.xlsx")
    demo.refused("returns", "apply", str(tmp_path / "added.xlsx"), says="was not in this return", details=True)


def test_a_row_added_without_a_ref_is_named_not_passed_over(demo, tmp_path):
    """From a new-user trial: a row an officer added under their items, with no Ref but an
    item, a status and a progress update, was passed over: "Nothing to change" (exit 0), and
    their words were never read.  A row with only blanks (or spaces) is still passed over."""
    folder = made_returns(demo, tmp_path, "--owner", RESOURCES)
    book = load_workbook(folder / RESOURCES_FILE)
    ws = book["Return"]
    ws.protection.sheet = False
    last = ws.max_row
    ws.cell(last + 1, 2, "   ")  # a stray space: nothing said
    ws.cell(last + 2, 2, "Also: recruit two more residential staff")
    ws.cell(last + 2, 8, "Advert out in January")
    book.save(tmp_path / "added.xlsx")
    demo.refused("returns", "apply", str(tmp_path / "added.xlsx"),
                 says=f"sheet 'Return', row {last + 2}: a row with no Ref", details=True)
    ws.delete_rows(last + 2)
    book.save(tmp_path / "spaces.xlsx")
    assert "Nothing to change" in demo.ok("returns", "apply", str(tmp_path / "spaces.xlsx"))


def test_a_return_renamed_behind_another_sheet_is_still_found(demo, tmp_path):
    """From a new-user trial: with its sheet renamed and a Notes sheet put before it, the
    return was refused as "header row is not as it was made", naming no sheet."""
    folder = made_returns(demo, tmp_path, "--owner", RESOURCES)
    filled = fill(folder / RESOURCES_FILE, tmp_path / "filled.xlsx", {("SUFF-2.1", "RAG"): "Amber"})
    book = load_workbook(filled)
    book["Return"].title = "Sheet1"
    notes = book.create_sheet("Notes", 0)
    notes["A1"] = "Signed off by the Head of Service"
    book.save(tmp_path / "moved.xlsx")
    assert "SUFF-2.1: rag amber" in demo.ok("returns", "apply", str(tmp_path / "moved.xlsx"), "--dry-run")
    del book["Sheet1"]
    book.save(tmp_path / "gone.xlsx")
    demo.refused("returns", "apply", str(tmp_path / "gone.xlsx"), details=True,
                 says="sheet 'Notes': the return's header row is not as it was made")


def test_a_return_from_another_store_is_refused(demo, tmp_path, sufficiency_elsewhere):
    folder = made_returns(sufficiency_elsewhere, tmp_path, "--owner", "Specialist Commissioning Manager")
    filled = fill(folder / "specialist-commissioning-manager.xlsx", tmp_path / "x.xlsx",
                  {("SUFF-1.1", "RAG"): "Red"})
    demo.refused("returns", "apply", str(filled), says="made from another store", details=True)


@pytest.fixture
def sufficiency_elsewhere(tmp_path):
    from tests.conftest import CLI

    other = CLI(tmp_path / "other.json")
    other.ok("init")
    other.ok("plan", "add", "SUFF", "Sufficiency Action Plan", as_of="20/07/2022")
    other.ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Service", as_of="20/07/2022")
    other.ok("action", "add", "SUFF.1", "Refresh", "--owner", "Specialist Commissioning Manager",
             "--due", "30/11/2022", as_of="20/07/2022")
    return other


@pytest.mark.file_store
def test_a_store_from_before_people_is_migrated_forward(sufficiency):
    """Schema 5 had no people or returns: such a store reads as having none, and its next
    save writes them (and schema 6)."""
    import json
    import sqlite3

    path = Path(sufficiency.store)
    if path.suffix == ".db":
        with sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM store WHERE name IN ('people', 'returns')")
            (doc,) = conn.execute("SELECT doc FROM store WHERE name = 'meta'").fetchone()
            conn.execute("UPDATE store SET doc = ? WHERE name = 'meta'",
                         (doc.replace(b'"schema_version":6', b'"schema_version":5'),))
    else:
        raw = json.loads(path.read_text())
        del raw["people"], raw["returns"]
        raw["meta"]["1"]["schema_version"] = 5
        path.write_text(json.dumps(raw))
    assert sufficiency.json("person", "list")[0]["recorded"] is False
    sufficiency.ok("person", "add", "Specialist Commissioning Manager", "--email", "scm@example.gov.uk")
    assert sufficiency.json("person", "list")[0]["email"] == "scm@example.gov.uk"
    if path.suffix == ".db":
        with sqlite3.connect(path) as conn:
            names = {n for (n,) in conn.execute("SELECT name FROM store")}
            (doc,) = conn.execute("SELECT doc FROM store WHERE name = 'meta'").fetchone()
        assert {"people", "returns"} <= names and b'"schema_version":6' in doc
    else:
        raw = json.loads(path.read_text())
        assert raw["meta"]["1"]["schema_version"] == 6 and len(raw["people"]) == 1
