from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from actiontrack.commands import RootGroup
from actiontrack.commands import cli as root

if TYPE_CHECKING:  # the server helper loads only where a test needs PostgreSQL
    from tests.pg import PgServer

pytest_plugins = ["pytester"]


# -- exit 70 is always a bug ------------------------------------------------------
# Exit 70 means "unexpected error": an exception no handler knew. Every way the suite runs
# actiontrack is watched: the click root in this process (CliRunner, cli.main) and every
# subprocess whose command line names actiontrack. A test during which any of them exits 70
# fails, naming the command, unless it is marked `exit_70_expected` (it tests that path itself).
EXIT_70: list[str] = []


def _record_70(what: str) -> None:
    EXIT_70.append(what)


_original_run = RootGroup._run


def _watched_run(self, args, *rest, **kw):
    code = _original_run(self, args, *rest, **kw)
    if code == 70:
        _record_70(f"actiontrack {' '.join(map(str, args or ()))}")
    return code


RootGroup._run = _watched_run


def _is_actiontrack(popen: subprocess.Popen) -> bool:
    args = popen.args
    text = args if isinstance(args, (str, bytes)) else " ".join(map(str, args))
    return "actiontrack" in str(text)


def _watch_exit(method):
    def watched(self, *a, **kw):
        code = method(self, *a, **kw)
        if self.returncode == 70 and not getattr(self, "_exit_70_seen", False) and _is_actiontrack(self):
            self._exit_70_seen = True
            args = self.args if isinstance(self.args, (str, bytes)) else " ".join(map(str, self.args))
            _record_70(f"subprocess {args}")
        return code
    watched.__wrapped__ = method
    return watched


subprocess.Popen.wait = _watch_exit(subprocess.Popen.wait)
subprocess.Popen.poll = _watch_exit(subprocess.Popen.poll)


def _exit_70_failure(item, phase: str) -> None:
    found, EXIT_70[:] = list(EXIT_70), []
    if found and not item.get_closest_marker("exit_70_expected"):
        listed = "\n  ".join(found)
        pytest.fail(f"exit 70 (unexpected error: always a bug) during {phase} of {item.nodeid}:\n  {listed}",
                    pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    EXIT_70.clear()
    result = yield
    _exit_70_failure(item, "setup")
    return result


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    try:
        return (yield)
    finally:
        if EXIT_70 and not item.get_closest_marker("exit_70_expected"):
            _exit_70_failure(item, "the test")  # replaces any other failure: 70 is the first thing to fix
        EXIT_70.clear()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    _exit_70_failure(item, "teardown")
    return result

ENV_VARS = ("ACTIONTRACK_STORE", "ACTIONTRACK_AS_OF", "ACTIONTRACK_USER", "NO_COLOR", "COLUMNS")


class CLI:
    """Runs actiontrack in-process against one store: a file, or a PostgreSQL database.

    On PostgreSQL the history names the database login, so `user` is the login the
    command connects as (each made on first use), not --user.
    """

    def __init__(self, store: Path | str, server: PgServer | None = None):
        self.store = store
        self.server = server
        self.runner = CliRunner()

    def where(self, user: str = "Democratic Services Officer") -> str:
        """What --store names: the file, or the database as `user`'s login."""
        return self.url(user) if self.server is not None else str(self.store)

    def url(self, user: str) -> str:
        assert self.server is not None and isinstance(self.store, str)
        return self.server.url(self.store, user)

    def __call__(self, *args: str, as_of: str = "01/12/2022", user: str = "Democratic Services Officer"):
        if self.server is not None:
            return self.runner.invoke(root, ["--store", self.url(user), "--as-of", as_of, *args])
        return self.runner.invoke(root, ["--store", str(self.store), "--as-of", as_of, "--user", user, *args])

    def snapshot(self) -> bytes:
        """The store's whole state: the file's bytes, or every row of the database."""
        if self.server is not None:
            return self.server.snapshot(str(self.store))
        assert isinstance(self.store, Path)
        return self.store.read_bytes() if self.store.is_file() else b""

    def ok(self, *args: str, **kw) -> str:
        result = self(*args, **kw)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr, result.exception)
        return result.stdout

    def json(self, *args: str, **kw):
        return json.loads(self.ok(*args, "--format", "json", **kw))

    def bytes(self) -> bytes:
        return self.snapshot()

    def refused(self, *args: str, code: int = 2, says: str = "", details: bool = False, **kw):
        """The command fails with one line on stderr and leaves the store byte-identical.

        details: an import may list its bad rows, indented, under the one error line.
        """
        before = self.snapshot()
        result = self(*args, **kw)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert lines and lines[0].startswith("Error: "), result.stderr
        assert len(lines) == 1 or details and all(line.startswith("  ") for line in lines[1:]), result.stderr
        assert says in result.stderr, result.stderr
        assert "Traceback" not in result.output
        assert self.snapshot() == before
        return lines[0]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


STORE_NAMES = {"json": "store.json", "sqlite": "store.db", "postgres": None}


def _kept(item) -> bool:
    backend = getattr(item, "callspec", None) and item.callspec.params.get("run")
    if item.get_closest_marker("json_store"):
        return backend in (None, "json")
    if item.get_closest_marker("file_store"):
        return backend != "postgres"
    return True


def pytest_collection_modifyitems(config, items):
    """A test marked json_store is about the JSON file itself: it runs for that backend
    only; one marked file_store is about a store's file, which a database has not."""
    kept = [item for item in items if _kept(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not _kept(item)])
        items[:] = kept


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A real PostgreSQL server (the pgserver wheel's binaries) for this test process.
    Never skipped: if it cannot start, every PostgreSQL test fails and says why."""
    from tests.pg import PgServer

    server = PgServer.start()
    yield server
    server.stop()


@pytest.fixture(params=list(STORE_NAMES))
def run(request, tmp_path) -> CLI:
    """Every CLI test runs against every backend: JSON, SQLite and PostgreSQL."""
    if request.param == "postgres":
        server = request.getfixturevalue("pg_server")
        return CLI(server.new_database(), server)
    return CLI(tmp_path / STORE_NAMES[request.param])


@pytest.fixture
def json_run(tmp_path) -> CLI:
    """For tests of the JSON file itself (its bytes, its backups beside it)."""
    return CLI(tmp_path / "store.json")


@pytest.fixture
def sufficiency(run) -> CLI:
    """A store with the Sufficiency plan, two themes and one action, entered in July 2022."""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", "Corporate Parenting Board",
           "--owner", "Specialist Commissioning & Procurement Senior Manager", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Strengthening Commissioning for Children and Young People",
           "--officer", "Specialist Commissioning & Procurement Senior Manager", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "2", "Increasing Placements Close to Home",
           "--officer", "Head of Resources and Placements", as_of="20/07/2022")
    run.ok("action", "add", "SUFF.1", "Full refresh of the Commissioning Action Plan",
           "--owner", "Specialist Commissioning Manager", "--due", "November 2022",
           "--source", "minute 22/7, 20 July 2022", as_of="20/07/2022")
    return run


@pytest.fixture
def demo(tmp_path, run) -> CLI:
    """The bundled example store, written by `actiontrack demo`."""
    if run.server is not None:
        run.store = run.server.new_database()
        where = run.url("Democratic Services Officer")
    else:
        assert isinstance(run.store, Path)
        run.store = tmp_path / ("demo.db" if run.store.suffix == ".db" else "demo.json")
        where = str(run.store)
    result = run.runner.invoke(root, ["demo", "--store", where])
    assert result.exit_code == 0, result.output
    return run
