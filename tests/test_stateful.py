"""A stateful property test: random sequences of changes, on both backends, never break a read.

After every step, every read path (overdue, slippage, report in every format, log, action show,
export in every format) exits 0 or 1, never anything else. Across steps: an ICS event's
SEQUENCE never falls; the "moved N times" a reschedule prints is the count `action show` gives;
a JSON export imports into a fresh store of either backend and exports the same.  People
and update returns (made, filled in as an owner would, applied) join the sequences.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from icalendar import Calendar
from openpyxl import load_workbook

from actiontrack.commands import cli
from tests.conftest import STORE_NAMES
from tests.pg import PgServer

AS_OF = "01/12/2022"
BODY = "Corporate Parenting Board"
FIRST_MEETING = "20/07/2022"
READ_FORMATS = ("table", "json", "csv", "markdown")
REPORT_FORMATS = (*READ_FORMATS, "html")
EXPORT_FORMATS = ("json", "csv", "xlsx", "ics")
WRITE_CODES = (0, 2)  # a change is made, or refused as bad input (e.g. completing twice)

has_refs = precondition(lambda self: bool(self.refs))
titles = st.sampled_from([
    "Full refresh of the Commissioning Action Plan",
    "<script>alert(1)</script> review",
    "Placements | sufficiency",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+SUM(A1)",
    "Foster carers 🏠 recruitment",
    "[bold red]Not markup[/bold red]",
    "Café — £40k from reserves",
])
valid_dates = ["30/11/2022", "November 2022", "Q3 2022/23", "+2w", "31/12/2099", "01/01/1990", "2023-03-31"]
far_dates = ["31/12/9999", "01/01/0001"]
# Far ones are refused, exit 2; "Ongoing"/"TBC" are taken by `action add` only (no date yet).
due_dates = st.sampled_from(valid_dates + far_dates + ["Ongoing", "TBC"])
past_days = st.sampled_from(["20/07/2022", "31/10/2022", "30/11/2022", AS_OF])
notes = st.sampled_from(["Provider engagement took longer", "=cmd|' /C calc'!A0", "<b>bold</b> | pipe", "🙂"])
statuses = st.sampled_from(["not-started", "in-progress", "on-hold", "awaiting-sign-off"])
rags = st.sampled_from(["red", "amber", "green"])


class ActionTrackMachine(RuleBasedStateMachine):
    backend = "json"
    server: PgServer  # set by the test: a PostgreSQL store's server, and where exports round-trip to

    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="stateful-"))
        self.store = self.new_store(self.backend, "store")
        self.runner = CliRunner()
        self.refs: list[str] = []
        self.themes = 1
        self.meetings = [FIRST_MEETING]
        self.resolutions = 0
        self.sheets = 0
        self.sequences: dict[str, int] = {}
        self.cli_ok("init")
        self.cli_ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", BODY, as_of="20/07/2022")
        self.cli_ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Commissioning",
                    as_of="20/07/2022")
        self.cli_ok("meeting", "add", BODY, FIRST_MEETING, as_of="20/07/2022")
        self.refs.append(self.cli_ok("action", "add", "SUFF.1", "Refresh", "--owner", "Manager", "--due",
                                     "30/11/2022", as_of="20/07/2022").strip())

    def new_store(self, backend: str, name: str) -> str:
        """A place for a new store: a file in the folder, or a new database (as the login Clerk)."""
        if backend == "postgres":
            return self.server.url(self.server.new_database(), "Clerk")
        return str(self.folder / f"{name}-{STORE_NAMES[backend]}")

    def teardown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- running commands ----------------------------------------------------------------
    def cli(self, *args: str, store: str | None = None, as_of: str = AS_OF):
        store = store or self.store
        who = [] if store.startswith("postgresql://") else ["--user", "Clerk"]  # a database names its login
        return self.runner.invoke(cli, ["--store", store, "--as-of", as_of, *who, *args])

    def cli_ok(self, *args: str, **kw) -> str:
        result = self.cli(*args, **kw)
        assert result.exit_code == 0, (args, result.exit_code, result.stderr)
        return result.stdout

    def write(self, *args: str, **kw):
        result = self.cli(*args, **kw)
        assert result.exit_code in WRITE_CODES, (args, result.exit_code, result.stderr)
        if result.exit_code == 2:
            assert result.stderr.startswith("Error: "), result.stderr
        return result

    def read(self, *args: str):
        result = self.cli(*args)
        assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr)
        return result

    def ref(self, data) -> str:
        return data.draw(st.sampled_from(self.refs), label="ref")

    # -- rules -----------------------------------------------------------------------------
    @rule(title=titles)
    def add_plan(self, title):
        key = f"P{len(self.refs)}{self.themes}"
        self.write("plan", "add", key, title, "--board", BODY)

    @rule(title=titles)
    def add_theme(self, title):
        if self.write("theme", "add", "SUFF", str(self.themes + 1), title, "--officer", "Head of Service").exit_code == 0:
            self.themes += 1

    @rule(data=st.data(), title=titles, due=due_dates, owner=titles)
    def add_action(self, data, title, due, owner):
        theme = data.draw(st.integers(1, self.themes), label="theme")
        result = self.write("action", "add", f"SUFF.{theme}", title, "--owner", owner, "--due", due)
        if result.exit_code == 0:
            self.refs.append(result.stdout.strip())

    @rule(when=st.sampled_from(["Ongoing", "TBC", ""]), title=titles)
    def import_undated_action(self, when, title):
        self.import_sheet([title, "Head of Service", when])

    @rule(title=titles, due=due_dates)
    def import_small_sheet(self, title, due):
        self.import_sheet([title, "Head of Service", due], ["Second row", "Manager", "31/03/2023"])

    def import_sheet(self, *rows):
        self.sheets += 1
        path = self.folder / f"sheet{self.sheets}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Action", "Lead Officer", "Target Date"])
            writer.writerows(rows)
        self.write("import", str(path), "--plan", "SUFF")
        self.sync_refs()

    @has_refs
    @rule(data=st.data(), status=statuses, rag=rags, note=notes)
    def update(self, data, status, rag, note):
        self.write("action", "update", self.ref(data), "--status", status, "--rag", rag, "--note", note)

    @has_refs
    @rule(data=st.data(), due=due_dates, reason=notes)
    def reschedule(self, data, due, reason):
        ref = self.ref(data)
        result = self.write("action", "reschedule", ref, due, "--reason", reason)
        if result.exit_code != 0:
            return
        shown = json.loads(self.cli_ok("action", "show", ref, "--format", "json"))
        if result.stdout.startswith("Scheduled "):  # an undated item's first date: no move
            assert shown["baseline_due"] == shown["due"], shown
            return
        printed = re.search(r"\(moved (\d+) times?\)", result.stdout)
        assert printed, result.stdout
        assert int(printed.group(1)) == shown["reschedules"], (result.stdout, shown["reschedules"])

    @has_refs
    @rule(data=st.data(), on=past_days, note=notes)
    def complete(self, data, on, note):
        self.write("action", "complete", self.ref(data), "--on", on, "--note", note)

    @has_refs
    @rule(data=st.data())
    def drop(self, data):
        self.write("action", "update", self.ref(data), "--status", "dropped", "--note", "Board agreed to drop it")

    @has_refs
    @rule(data=st.data(), title=titles, due=due_dates)
    def add_milestone(self, data, title, due):
        self.write("milestone", "add", self.ref(data), title, "--due", due)

    @has_refs
    @rule(data=st.data(), number=st.integers(1, 3), on=past_days)
    def milestone_done(self, data, number, on):
        self.write("milestone", "done", self.ref(data), str(number), "--on", on)

    @rule(day=st.sampled_from(["19/10/2022", "14/12/2022", "15/02/2023", "26/04/2023"]))
    def add_meeting(self, day):
        if self.write("meeting", "add", BODY, day).exit_code == 0:
            self.meetings.append(day)

    @precondition(lambda self: bool(self.meetings))
    @rule(data=st.data(), text=titles, due=st.one_of(st.just("next-meeting"), due_dates))
    def add_resolution(self, data, text, due):
        meeting = data.draw(st.sampled_from(self.meetings), label="meeting")
        self.resolutions += 1
        result = self.write("resolution", "add", BODY, meeting, str(self.resolutions), text,
                            "--owner", "Head of Corporate Parenting", "--due", due)
        if result.exit_code == 0:
            self.refs.append(result.stdout.split()[0])

    def sync_refs(self):
        """The refs the store holds now (an undone add is gone from it)."""
        self.refs = [r["ref"] for kind in ("action", "resolution")
                     for r in json.loads(self.cli_ok(kind, "list", "--format", "json"))]
        # Undo walks back past the set-up too: a meeting it took out has no log to read.
        self.meetings = [date.fromisoformat(m["date"]).strftime("%d/%m/%Y")
                         for m in json.loads(self.cli_ok("meeting", "list", "--format", "json"))]

    @rule(name=st.sampled_from(["Manager", "Head of Commissioning", "Specialist Commissioning Manager"]),
          email=st.sampled_from(["manager@example.gov.uk", "head.commissioning@example.gov.uk", "not an address"]),
          again=st.booleans())
    def person(self, name, email, again):
        self.write("person", "update" if again else "add", name, "--email", email)

    @rule(data=st.data(), rag=st.sampled_from(["Red", "Amber", "Green", "Purple", None]), note=notes)
    def update_return(self, data, rag, note):
        """An owner's return made, filled in (RAG and progress of a row) and applied."""
        folder = self.folder / "returns"
        shutil.rmtree(folder, ignore_errors=True)
        self.write("returns", "make", "--output", str(folder))
        files = sorted(folder.glob("*.xlsx"))
        if not files:
            return  # nobody owns open work
        made = data.draw(st.sampled_from(files), label="return")
        book = load_workbook(made)
        ws = book["Return"]
        rows = [r for r in range(3, ws.max_row + 1) if not ws.cell(r, 6).protection.locked]
        if rows:
            row = data.draw(st.sampled_from(rows), label="row")
            ws.cell(row, 7).value, ws.cell(row, 8).value = rag, note
            ws.cell(row, 8).data_type = "s"
        book.save(made)
        self.write("returns", "apply", str(made))

    @rule(title=titles, officer=titles, which=st.sampled_from(["plan", "theme"]))
    def edit_structure(self, title, officer, which):
        if which == "plan":
            self.write("plan", "update", "SUFF", "--title", title, "--board", officer, "--note", "renamed")
        else:
            self.write("theme", "update", "SUFF.1", "--title", title, "--officer", officer)

    @has_refs
    @rule(data=st.data(), title=titles, owner=titles, source=notes)
    def edit_item(self, data, title, owner, source):
        ref = self.ref(data)
        self.write("action" if not ref.startswith("R-") else "resolution", "edit", ref, "--title", title,
                   "--owner", owner, "--source", source)

    @has_refs
    @rule(data=st.data(), number=st.integers(1, 3), title=titles, due=due_dates, remove=st.booleans())
    def redraw_milestone(self, data, number, title, due, remove):
        ref = self.ref(data)
        if remove:
            self.write("milestone", "remove", ref, str(number), "--note", "superseded")
        else:
            self.write("milestone", "update", ref, str(number), "--title", title, "--due", due)

    @rule(old=st.sampled_from(["Manager", "Head of Commissioning"]), new=titles, plan=st.booleans())
    def reassign(self, old, new, plan):
        self.write("reassign", old, new, *(["--plan", "SUFF"] if plan else []))

    @rule(data=st.data(), day=st.sampled_from(["19/10/2022", "14/12/2022", "15/02/2023", "26/04/2023"]),
          cancel=st.booleans())
    def move_or_cancel_meeting(self, data, day, cancel):
        if not self.meetings:
            return
        meeting = data.draw(st.sampled_from(self.meetings), label="meeting")
        if cancel:
            result = self.write("meeting", "cancel", BODY, meeting, "--note", "not quorate")
        else:
            result = self.write("meeting", "update", BODY, meeting, "--date", day, "--prefix", "CPB/22")
        if result.exit_code == 0:
            self.sync_refs()

    @rule(code=st.sampled_from(["CP1", "CP2"]), better=st.sampled_from(["higher", "lower"]),
          tolerance=st.sampled_from(["5%", "2", "-1"]))
    def add_indicator(self, code, better, tolerance):
        self.write("indicator", "add", code, "Children in care", "--unit", "number", "--better", better,
                   "--target", "520", "--tolerance", tolerance)

    @rule(code=st.sampled_from(["CP1", "CP2"]), period=st.sampled_from(["2022-06", "2022-10", "Q1 2022/23", "2022-13"]),
          value=st.sampled_from(["531", "498.5", "lots", "-3"]), new_target=st.booleans())
    def record_indicator(self, code, period, value, new_target):
        if new_target:
            self.write("indicator", "target", code, value, "--from", period)
        else:
            self.write("indicator", "record", code, period, value, "--england", "70")

    @has_refs
    @rule(data=st.data(), code=st.sampled_from(["CP1", "CP2"]))
    def link_indicator(self, data, code):
        ref = self.ref(data)
        if not ref.startswith("R-"):
            self.write("action", "update", ref, "--indicator", code)

    def exported(self) -> str:
        """The whole store as `export --format json` writes it (or why it could not)."""
        path = self.folder / "before-after.json"
        result = self.cli("export", "--format", "json", "--output", str(path))
        return path.read_text(encoding="utf-8") if result.exit_code == 0 else result.stderr

    def dry_run(self, *args: str) -> None:
        before = self.exported()
        self.write(*args, "--dry-run")
        assert self.exported() == before, args

    @rule(force=st.booleans(), dry_run=st.booleans())
    def undo(self, force, dry_run):
        if dry_run:
            self.dry_run("undo", *(["--force"] if force else []))
        elif self.write("undo", *(["--force"] if force else [])).exit_code == 0:
            self.sync_refs()

    @rule(dry_run=st.booleans())
    def redo(self, dry_run):
        if dry_run:
            self.dry_run("redo")
        elif self.write("redo").exit_code == 0:
            self.sync_refs()

    @rule()
    def json_export_round_trips(self):
        exported = self.folder / "export.json"
        self.cli_ok("export", "--format", "json", "--output", str(exported))
        original = json.loads(exported.read_text(encoding="utf-8"))
        for backend, name in STORE_NAMES.items():
            for path in self.folder.glob(f"fresh-{name}*"):
                path.unlink()
            fresh = self.new_store(backend, "fresh")
            again = self.folder / f"again-{backend}.json"
            self.cli_ok("init", store=fresh)
            self.cli_ok("import", str(exported), store=fresh)
            self.cli_ok("export", "--format", "json", "--output", str(again), store=fresh)
            assert json.loads(again.read_text(encoding="utf-8")) == original, backend

    # -- after every step ------------------------------------------------------------------
    @invariant()
    def every_read_path_exits_0_or_1(self):
        # Whatever was done, undone or imported, the history's seals still chain whole.
        sealed = self.cli("verify", "--exit-code")
        assert sealed.exit_code == 0, sealed.stdout
        for fmt in READ_FORMATS:
            for command in ("overdue", "slippage"):
                out = self.read(command, "--format", fmt, "--exit-code").stdout
                if fmt == "markdown":
                    assert "<script>" not in out
        for fmt in REPORT_FORMATS:
            out = self.read("report", "--format", fmt).stdout
            if fmt == "markdown":
                assert "<script>" not in out
        for meeting in self.meetings:
            self.read("log", BODY, meeting, "--format", "markdown")
        if self.meetings:
            self.read("log", BODY, self.meetings[-1], "--format", "html", "--output", str(self.folder / "log.html"))
        for ref in self.refs[-2:]:
            self.read("action" if not ref.startswith("R-") else "resolution", "show", ref)
            self.read("action" if not ref.startswith("R-") else "resolution", "show", ref, "--format", "json")
        for fmt in EXPORT_FORMATS:
            result = self.cli("export", "--format", fmt, "--output", str(self.folder / f"out.{fmt}"))
            # Undo may walk back past the set-up: an empty store has nothing to put in a sheet.
            assert result.exit_code in (0, 1) or "nothing to export" in result.stderr, (fmt, result.stderr)
        self.read("scorecard", "--format", "csv")
        for fmt in ("table", "json"):
            self.read("person", "list", "--format", fmt)
            self.read("returns", "status", "--format", fmt)
            self.read("search", "refresh", "--format", fmt)
            self.read("scorecard", "--format", fmt)
            self.read("indicator", "list", "--format", fmt)
            self.read("changes", "--since", "1y", "--format", fmt)
            self.read("action", "list", "--due-within", "8w", "--stale", "--sort", "due", "--format", fmt)

    @invariant()
    def ics_sequence_never_falls(self):
        path = self.folder / "seq.ics"
        self.cli_ok("export", "--format", "ics", "--output", str(path))
        calendar = Calendar.from_ical(path.read_bytes())
        for event in calendar.walk("VEVENT"):
            uid, sequence = str(event["UID"]), int(event.get("SEQUENCE", 0))
            assert sequence >= self.sequences.get(uid, 0), (uid, sequence, self.sequences[uid])
            self.sequences[uid] = sequence


SETTINGS = settings(max_examples=8, stateful_step_count=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("backend", list(STORE_NAMES))
def test_random_sequences_of_changes_never_break_a_read(backend, pg_server):
    machine = type(f"ActionTrackMachine_{backend}", (ActionTrackMachine,), {"backend": backend, "server": pg_server})
    run_state_machine_as_test(machine, settings=SETTINGS)
