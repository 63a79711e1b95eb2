"""Nothing lost: locking, concurrent writers, SIGKILL mid-save, backups, permissions, migration."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actiontrack.commands import cli
from actiontrack.domain.models import SCHEMA_VERSION
from actiontrack.store import open_repository

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def history(store) -> list:
    repo = open_repository(str(store))
    try:
        return repo.load().action("SUFF-1.1").history
    finally:
        repo.close()


def notes(store) -> list[str]:
    return [h.note for h in history(store) if h.event == "update"]


# -- locking -------------------------------------------------------------------
HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1] + ".lock")
lock.acquire()
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def lock_held(sufficiency):
    """Another process holds the store's lock until the test ends (it is killed then, never times out)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, sufficiency.where(), "86400"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    sufficiency.holder = holder
    yield sufficiency
    holder.kill()
    holder.wait()


@pytest.mark.file_store
def test_locked_store_is_exit_3_and_unchanged(lock_held):
    lock_held.refused("--lock-timeout", "0.5", "action", "update", "SUFF-1.1", "--rag", "red",
                      code=3, says="store is locked by another process")
    # The writer gave up by itself: the lock was never released (the holder is still alive), so
    # the command ended because of --lock-timeout, whatever the machine's speed.
    assert lock_held.holder.poll() is None


@pytest.mark.file_store
def test_readers_do_not_wait_for_the_lock(lock_held):
    assert [r["ref"] for r in lock_held.json("overdue")] == ["SUFF-1.1"]


@pytest.mark.file_store
def test_lock_timeout_from_the_environment(lock_held, monkeypatch):
    monkeypatch.setenv("ACTIONTRACK_LOCK_TIMEOUT", "0.2")
    result = lock_held.runner.invoke(cli, ["--store", lock_held.where(), "action", "update", "SUFF-1.1",
                                           "--note", "x"])
    assert result.exit_code == 3 and "locked" in result.stderr
    assert lock_held.holder.poll() is None  # gave up by the environment's timeout, not by the lock coming free


@pytest.mark.file_store
@pytest.mark.parametrize("without", ["fcntl", "flock"])
def test_lock_without_flock_falls_back_to_filelock(lock_held, monkeypatch, without):
    """Windows has no fcntl, and some shared drives no flock: filelock locks there, and
    it still excludes (and is excluded by) another process's lock."""
    import errno

    from actiontrack.store import locking

    if without == "fcntl":
        monkeypatch.setattr(locking, "fcntl", None)
    else:
        class NoFlock:  # this module's view of fcntl only: filelock keeps the real one
            LOCK_EX, LOCK_NB, LOCK_UN = locking.fcntl.LOCK_EX, locking.fcntl.LOCK_NB, locking.fcntl.LOCK_UN

            @staticmethod
            def flock(fd, op):
                raise OSError(errno.ENOSYS, "Function not implemented")

        monkeypatch.setattr(locking, "fcntl", NoFlock)
    fallbacks = []
    real = locking._filelock

    def counted(*args):
        fallbacks.append(args[0])
        return real(*args)

    monkeypatch.setattr(locking, "_filelock", counted)
    lock_held.refused("--lock-timeout", "0.2", "action", "update", "SUFF-1.1", "--rag", "red",
                      code=3, says="store is locked by another process")
    assert fallbacks == [lock_held.where()]
    lock_held.holder.kill()
    lock_held.holder.wait()
    lock_held.ok("action", "update", "SUFF-1.1", "--rag", "red")
    assert lock_held.json("action", "show", "SUFF-1.1")["rag"] == "red"
    assert len(fallbacks) == 2


def test_lock_file_is_made_with_the_store_mode(tmp_path):
    from actiontrack.store.locking import file_lock

    old = os.umask(0)
    try:
        with file_lock(str(tmp_path / "s.json"), 1.0, 0o660):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / "s.json.lock").stat().st_mode & 0o777 == 0o660


# -- concurrency ---------------------------------------------------------------
WRITER = """
import sys
from actiontrack.commands import cli
store, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
# On PostgreSQL the login is the user: the URL names it, and --user may not.
who = [] if store.startswith("postgresql://") else ["--user", tag]
for j in range(count):
    code = cli.main(["--store", store, "--as-of", "01/12/2022", *who, "--lock-timeout", "300",
                     "action", "update", "SUFF-1.1", "--note", f"{tag}-{j}"], standalone_mode=False)
    if code != 0:
        sys.exit(code)
"""


def test_eight_processes_fifty_updates_each_lose_nothing(sufficiency):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, sufficiency.where(f"p{i}"), f"p{i}", "50"],
                                cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True) for i in range(8)]
    for w in writers:
        _, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
    got = notes(sufficiency.where())
    assert sorted(got) == sorted(f"p{i}-{j}" for i in range(8) for j in range(50))
    entries = history(sufficiency.where())
    assert entries[0].event == "create" and len(entries) == 401
    txns = [h.txn for h in entries]
    assert txns == sorted(txns) and len(set(txns)) == 401
    for i in range(8):  # each writer's own changes kept their order
        mine = [n for n in got if n.startswith(f"p{i}-")]
        assert mine == [f"p{i}-{j}" for j in range(50)]


READER = """
import sys
from click.testing import CliRunner
from actiontrack.commands import cli
store, stop = sys.argv[1], sys.argv[2]
import os, json
runs = 0
while not os.path.exists(stop) or runs < 3:
    result = CliRunner().invoke(cli, ["--store", store, "--as-of", "01/12/2022", "action", "show", "SUFF-1.1",
                                      "--format", "json"])
    if result.exit_code != 0:
        sys.exit(f"reader failed: {result.output}")
    json.loads(result.stdout)  # a whole, parseable answer every time
    runs += 1
print(runs)
"""


def test_readers_during_writes_always_get_a_whole_store(sufficiency, tmp_path):
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, sufficiency.where(), str(stop)],
                                cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, sufficiency.where(f"w{i}"), f"w{i}", "40"],
                                cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True) for i in range(2)]
    for w in writers:
        _, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
    stop.touch()
    for r in readers:
        out, err = r.communicate(timeout=600)
        assert r.returncode == 0, err
        assert int(out) >= 3
    assert len(notes(sufficiency.where())) == 80


# -- crash ---------------------------------------------------------------------
def _crashing_writer(store: str, run: int, conn) -> None:
    j = 0
    while True:
        code = cli.main(["--store", store, "--as-of", "01/12/2022", "--lock-timeout", "60",
                         "action", "update", "SUFF-1.1", "--note", f"r{run}-{j}"], standalone_mode=False)
        if code == 0:
            conn.send(f"r{run}-{j}")  # acknowledged only once the command has exited 0
        elif code == 70:  # a forked child's exit 70 is invisible to conftest's watch: report it
            conn.send(f"EXIT70 r{run}-{j}")
        j += 1


KILL_RUNS = 100
ACK_CAP_SECONDS = 120  # a generous cap on waiting for one acknowledgement; never a measure of speed


def test_sigkill_during_saves_never_loses_an_acknowledged_change(sufficiency):
    """100 writers, each killed with SIGKILL at a random point after it has acknowledged 1-3 changes.

    Each run waits for its acknowledgements (counted, not timed), so the runs always write however
    slow the machine; the random delay after them only varies where in a save the kill lands.
    """
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20221201)
    acknowledged: list[str] = []
    for run in range(KILL_RUNS):
        parent, child = ctx.Pipe(duplex=False)
        writer = ctx.Process(target=_crashing_writer, args=(sufficiency.where(), run, child))
        writer.start()
        child.close()
        for _ in range(rng.randint(1, 3)):
            assert parent.poll(ACK_CAP_SECONDS), f"run {run}: no change acknowledged in {ACK_CAP_SECONDS} s"
            acknowledged.append(parent.recv())
            assert not acknowledged[-1].startswith("EXIT70"), acknowledged[-1]
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        while parent.poll():
            try:
                acknowledged.append(parent.recv())
            except EOFError:
                break
        parent.close()
        assert not [n for n in acknowledged if n.startswith("EXIT70")], "a writer exited 70"
        present = set(notes(sufficiency.where()))  # loads, or this raises
        missing = [n for n in acknowledged if n not in present]
        assert not missing, f"run {run}: acknowledged but lost: {missing[:5]}"
    assert len(acknowledged) >= KILL_RUNS  # every run really wrote: counted above, whatever the speed
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "after the crashes")
    if sufficiency.server is None:
        leftovers = [f for f in os.listdir(sufficiency.store.parent) if f.endswith(".tmp")]
        assert leftovers == []


@pytest.mark.json_store
# -- corrupt and foreign files --------------------------------------------------
def test_truncated_store_is_exit_3_and_never_overwritten(sufficiency):
    whole = sufficiency.bytes()
    sufficiency.store.write_bytes(whole[: len(whole) // 2])
    sufficiency.refused("action", "update", "SUFF-1.1", "--rag", "red", code=3, says="not valid JSON")
    sufficiency.refused("undo", code=3, says="not valid JSON")


@pytest.mark.json_store
# -- backups -------------------------------------------------------------------
def test_keeps_five_generations_then_restores(sufficiency):
    for n in range(7):
        sufficiency.ok("action", "update", "SUFF-1.1", "--note", f"n{n}")
    store = sufficiency.store
    assert [os.path.exists(f"{store}.{g}") for g in range(1, 7)] == [True] * 5 + [False]
    assert notes(f"{store}.1") == [f"n{n}" for n in range(6)]
    out = sufficiency.ok("restore", "2")
    assert out.startswith("Restored backup 2")
    assert notes(store) == [f"n{n}" for n in range(5)]
    assert notes(f"{store}.1") == [f"n{n}" for n in range(7)]  # the store as it was is kept


@pytest.mark.json_store
def test_backups_setting(sufficiency):
    sufficiency.ok("config", "backups", "2")
    for n in range(4):
        sufficiency.ok("action", "update", "SUFF-1.1", "--note", f"n{n}")
    assert os.path.exists(f"{sufficiency.store}.2") and not os.path.exists(f"{sufficiency.store}.3")


def _generations(store) -> list[bytes | None]:
    return [Path(f"{store}.{g}").read_bytes() if os.path.exists(f"{store}.{g}") else None for g in range(1, 7)]


@pytest.mark.json_store
def test_the_oldest_generation_goes_while_the_new_file_is_written(sufficiency, monkeypatch):
    """Freeing the oldest backup's blocks is done beside the save's writing, not after it
    (at 10,000 items it cost 15 ms of every change): the fsync here waits to see it go."""
    import threading

    from actiontrack.store import atomic

    for n in range(6):
        sufficiency.ok("action", "update", "SUFF-1.1", "--note", f"n{n}")
    oldest = f"{sufficiency.store}.5"
    assert os.path.exists(oldest)
    dropped, seen = threading.Event(), []
    real_remove, real_fsync = atomic._remove_quietly, os.fsync

    def remove(path):
        real_remove(path)
        if path == oldest:
            dropped.set()

    def fsync(fd):
        seen.append(dropped.wait(timeout=60))  # a guard against a hang, never reached when it works
        real_fsync(fd)

    monkeypatch.setattr(atomic, "_remove_quietly", remove)
    monkeypatch.setattr(atomic.os, "fsync", fsync)
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "n6")
    assert seen and seen[0] is True
    assert notes(oldest) == ["n0", "n1"]  # and the generations moved up after it


@pytest.mark.json_store
def test_a_save_that_fails_at_its_fsync_loses_nothing_a_later_save_would_keep(sufficiency, tmp_path, monkeypatch):
    """The oldest generation may have gone when the save fails; the store and every
    generation the next save keeps are as they were, and after that save the backups are
    exactly those of a store whose save never failed."""
    import shutil

    from actiontrack.store import atomic

    for n in range(6):
        sufficiency.ok("action", "update", "SUFF-1.1", "--note", f"n{n}")
    twin = tmp_path / "twin"
    twin.mkdir()
    for name in os.listdir(sufficiency.store.parent):
        if name.startswith(sufficiency.store.name) and not name.endswith(".lock"):
            shutil.copy2(sufficiency.store.parent / name, twin / name)
    store_before, kept_before = sufficiency.bytes(), _generations(sufficiency.store)[:4]

    def failing(fd):
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as m:
        m.setattr(atomic.os, "fsync", failing)
        sufficiency.refused("action", "update", "SUFF-1.1", "--note", "lost", code=3, says="Input/output error")
    assert sufficiency.bytes() == store_before and _generations(sufficiency.store)[:4] == kept_before
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "n6")
    from tests.conftest import CLI

    other = CLI(twin / sufficiency.store.name)
    other.ok("action", "update", "SUFF-1.1", "--note", "n6")
    assert [notes(f"{sufficiency.store}.{g}") for g in range(1, 6)] == [notes(f"{other.store}.{g}") for g in range(1, 6)]
    assert not os.path.exists(f"{sufficiency.store}.6")


@pytest.mark.json_store
def test_restore_refuses_a_damaged_backup(sufficiency):
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "x")
    backup = f"{sufficiency.store}.1"
    os.unlink(backup)
    with open(backup, "wb") as f:
        f.write(b"{ not json")
    sufficiency.refused("restore", "1", code=3, says="not valid JSON")
    sufficiency.refused("restore", "7", code=2, says="no backup 7")


@pytest.mark.file_store
def test_restore_list_says_when_and_what_not_a_change_number(sufficiency, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "x", user="Head of Commissioning")
    sufficiency.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board")
    out = sufficiency.ok("restore", "--list")
    assert "Backups of" in out and "│ 1 " in out
    assert re.search(r"│ 1\s+│ \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d │", out), out  # 02 Dec 2026 14:05
    assert "update SUFF-1.1 by Head of Commissioning" in out
    (newest, *_) = sufficiency.json("restore", "--list")
    assert newest["last_change"].startswith("update SUFF-1.1 by Head of Commissioning")
    assert re.match(r"\d{4}-\d\d-\d\d", newest["saved_at"])  # ISO in JSON
    # A meeting's change is named by the meeting's day as people read it (a new-user trial
    # saw "meeting Corporate Parenting Board 2023-03-08" in this table).
    sufficiency.ok("meeting", "add", "Children's Partnership Board", "08/03/2023")
    sufficiency.ok("meeting", "update", "Children's Partnership Board", "08/03/2023", "--prefix", "CPB/23")
    assert "meeting Children's Partnership Board 08 Mar 2023 by" in sufficiency.ok("restore", "--list")


def test_restore_list_names_each_backups_last_change_when_the_store_cannot(json_run):
    """The store damaged (what restore is for), or a change undone away with its item: each
    backup is named by its last change from its own history, not left blank."""
    json_run.ok("init")
    json_run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", as_of="20/07/2022")
    json_run.ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Service", as_of="20/07/2022")
    json_run.ok("action", "add", "SUFF.1", "Refresh the plan", "--owner", "Head of Service", "--due", "30/11/2022",
                user="Head of Commissioning")
    json_run.ok("undo", user="Head of Commissioning")  # the action goes, and its history with it
    (newest, second, *_) = json_run.json("restore", "--list")
    assert newest["last_change"].startswith("create SUFF-1.1 by Head of Commissioning"), newest
    assert second["last_change"].startswith("theme-add theme SUFF.1 by"), second

    json_run.store.write_bytes(json_run.store.read_bytes()[:40])  # damaged
    listed = json_run.json("restore", "--list")
    assert [g["last_change"].split(" by ")[0] for g in listed[:3]] == ["create SUFF-1.1", "theme-add theme SUFF.1",
                                                                         "plan-add plan SUFF"]


@pytest.mark.file_store
def test_a_backup_whose_last_change_undid_an_add_is_named_by_that_undo(sufficiency):
    """From a new-user trial: the undo of an add goes to the archive with the item, and the
    backup saved after it was listed with nothing in "Its last change"."""
    sufficiency.ok("action", "add", "SUFF.1", "Y", "--owner", "Head of Early Help", "--due", "31/03/2023",
                   user="Head of Commissioning")
    sufficiency.ok("undo", user="Head of Commissioning")
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "red")  # the undone store becomes backup 1
    (newest, second, *_) = sufficiency.json("restore", "--list")
    assert newest["last_change"].startswith("undo SUFF-1.2 by Head of Commissioning, "), newest
    assert newest["last_change"].endswith(": undo of change " + str(second["last_txn"]))
    assert second["last_change"].startswith("create SUFF-1.2 by Head of Commissioning, "), second


@pytest.mark.json_store
# -- permissions ---------------------------------------------------------------
def test_private_by_default_shared_on_request(tmp_path, run):
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Plan")
    assert os.stat(run.store).st_mode & 0o777 == 0o600
    assert os.stat(f"{run.store}.1").st_mode & 0o777 == 0o600
    shared = tmp_path / "team.json"
    result = run.runner.invoke(cli, ["--store", str(shared), "init", "--shared"])
    assert result.exit_code == 0
    run.runner.invoke(cli, ["--store", str(shared), "plan", "add", "SUFF", "Plan"])
    assert os.stat(shared).st_mode & 0o777 == 0o660
    assert os.stat(f"{shared}.1").st_mode & 0o777 == 0o660


@pytest.mark.file_store
def test_read_only_store_is_exit_3_and_unchanged(sufficiency):
    os.chmod(sufficiency.store, 0o444)
    sufficiency.refused("action", "update", "SUFF-1.1", "--rag", "red", code=3, says="read-only")
    assert sufficiency.json("overdue")  # reading still works


# -- migration -----------------------------------------------------------------
V1_STORE = {
    "meta": {"1": {"app": "actiontrack", "schema_version": 1, "created": "2022-07-20",
                   "settings": {"tolerance_days": 30, "cycle_days": 31}}},
    "plans": {"1": {"key": "SUFF", "title": "Sufficiency Action Plan", "board": None, "owner": None,
                    "start": None, "end": None, "cycle_days": None, "created": "2022-07-20"}},
    "themes": {"1": {"plan": "SUFF", "number": 1, "title": "Commissioning", "officer": "Head of Commissioning"}},
    "actions": {"1": {
        "ref": "SUFF-1.1", "plan": "SUFF", "theme": 1, "title": "Full refresh", "owner": "Manager",
        "baseline_due": "2022-11-30", "due": "2023-01-31", "status": "in-progress", "rag": "green",
        "success": None, "finance": None, "source": None, "completed_on": None, "milestones": [],
        "history": [
            {"recorded_at": "2022-07-20T10:00:00+01:00", "effective": "2022-07-20", "user": "Clerk",
             "event": "create", "changes": [{"field": "due", "old": None, "new": "2022-11-30"}], "note": None},
            {"recorded_at": "2022-10-26T10:00:00+01:00", "effective": "2022-10-26", "user": "Clerk",
             "event": "reschedule", "changes": [{"field": "due", "old": "2022-11-30", "new": "2023-01-31"}],
             "note": "Capital bid deferred"},
        ]}},
}


@pytest.mark.json_store
def test_v1_store_migrates_forward_keeping_a_copy(run):
    original = json.dumps(V1_STORE).encode()
    run.store.write_bytes(original)
    (row,) = run.json("action", "list")
    assert (row["reschedules"], row["slippage_days"]) == (1, 62)
    assert run.bytes() == original  # reading never rewrites
    run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    assert Path(f"{run.store}.schema1").read_bytes() == original
    raw = json.loads(run.bytes())
    assert raw["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    run.ok("undo")
    run.refused("undo", says="nothing of Democratic Services Officer's to undo")  # the v1 reschedule is the Clerk's
    run.ok("undo", user="Clerk")  # back past the migration: the v1 reschedule
    (row,) = run.json("action", "list")
    assert (row["due"], row["rag"], row["reschedules"]) == ("2022-11-30", "green", 0)


@pytest.mark.json_store
# -- hostile text ----------------------------------------------------------------
def test_escape_sequences_in_stored_text_never_reach_the_terminal(sufficiency, monkeypatch):
    raw = json.loads(sufficiency.bytes())
    (action,) = raw["actions"].values()
    action["title"] = "Refresh \x1b[2J\x1b]0;owned\x07[red]plan[/red]"
    sufficiency.store.write_bytes(json.dumps(raw).encode())
    monkeypatch.setenv("COLUMNS", "300")
    for fmt in ("table", "markdown"):
        out = sufficiency.ok("action", "list", "--format", fmt)
        assert "\x1b" not in out and "\x07" not in out and "[red]plan[/red]" in out
    assert sufficiency.json("action", "list")[0]["title"] == action["title"]


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(lead):
    import csv
    import io

    from actiontrack.commands.output import to_csv

    rows = list(csv.reader(io.StringIO(to_csv([{"owner": f"{lead}SUM(A1)"}], ["owner"]), newline="")))
    assert rows[1] == [f"'{lead}SUM(A1)"]


def test_a_save_never_writes_into_a_temporary_file_already_there(tmp_path, monkeypatch):
    """The temporary file is made new (O_EXCL): a name already taken (another writer's,
    or one a killed writer left) is passed over, never written into."""
    from actiontrack.store import atomic

    store = tmp_path / "s.json"
    taken = tmp_path / f"{atomic.temp_prefix(str(store))}{'00' * 6}.tmp"
    taken.write_bytes(b"another writer's")
    draws = iter([b"\0" * 6, b"\1" * 6])
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(draws))
    atomic.write_atomically(str(store), [b'{"a":', b"1}"], 0o600, backups=1)
    assert store.read_bytes() == b'{"a":1}'
    assert taken.read_bytes() == b"another writer's"
    assert next(draws, None) is None  # the second name was the one used


@pytest.mark.file_store
def test_backups_saved_in_the_same_minute_read_apart(sufficiency):
    """Found by a new-user trial: five updates in one minute listed five identical rows
    ('update SUFF-1.1 by ..., 02 Dec 2026 11:33'), so nobody could tell which to restore.
    Each now ends with its note, or the fields it set."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Draft sent")
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Comments back")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "And one more")  # backup 1: as it was before this
    listed = [g["last_change"] for g in sufficiency.json("restore", "--list")[:3]]
    assert [line.rsplit(": ", 1)[1] for line in listed] == ["Comments back", "rag amber", "Draft sent"], listed
    long = "Awaiting the provider market position statement, then the Board's decision in March"
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", long)
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Later")
    newest = sufficiency.json("restore", "--list")[0]["last_change"]
    assert newest.endswith(": " + long[:59] + "…")


def _damaged(text: bytes, ref: bytes = b"SUFF-1.1", field: bytes = b'"due":"', value: bytes = b"2022-02-31") -> bytes:
    """The store's bytes with `ref`'s `field` (a date) set by hand to an impossible day."""
    at = text.index(field, text.index(b'"ref":"' + ref + b'"')) + len(field)
    return text[:at] + value + text[at + 10:]


@pytest.mark.json_store
def test_a_change_is_refused_while_a_record_it_would_copy_is_damaged(sufficiency):
    """Found by a second new-user trial: a due date made impossible by hand was copied
    forward by every save that did not read that record, into every backup, until none
    was left to restore.  Now the first save from a file actiontrack did not write itself
    decodes every record first, and refuses (exit 3, nothing written) while one is damaged."""
    sufficiency.ok("action", "add", "SUFF.2", "Increase in-house foster carers", "--owner", "Head of Fostering",
                   "--due", "31/03/2023", as_of="20/07/2022")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Before the damage")
    generations = [g["last_change"] for g in sufficiency.json("restore", "--list")]
    sufficiency.store.write_bytes(_damaged(sufficiency.bytes()))
    for change in (("plan", "update", "SUFF", "--board", "Children's Partnership Board"),  # reads no action
                   ("action", "update", "SUFF-2.1", "--rag", "amber"),  # reads another action
                   ("action", "add", "SUFF.2", "Sufficiency statement", "--owner", "Head of Service", "--due", "May 2023")):
        line = sufficiency.refused(*change, code=3, says="record SUFF-1.1 is malformed")
        assert line.endswith("nothing was changed"), line
    assert [g["last_change"] for g in sufficiency.json("restore", "--list")] == generations  # no backup made
    # Mended by hand, the store takes changes again, and the next save after that one
    # (through the index the last save wrote) is the quick one.
    sufficiency.store.write_bytes(_damaged(sufficiency.bytes(), value=b"2022-11-30"))
    sufficiency.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board")
    sufficiency.ok("action", "update", "SUFF-2.1", "--rag", "amber")
    assert [r["ref"] for r in sufficiency.json("overdue")] == ["SUFF-1.1"]


@pytest.mark.json_store
@pytest.mark.parametrize("where", ["resolution due", "history", "milestone"])
def test_damage_anywhere_in_a_record_refuses_the_save(sufficiency, where):
    """Not only an item's own dates: a resolution's, a milestone's, and a history entry's
    (decoded only when the history is shown) are all checked before the save copies them."""
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft to the Board", "--due", "30/09/2022")
    sufficiency.ok("meeting", "add", "Corporate Parenting Board", "20/07/2022")
    sufficiency.ok("resolution", "add", "Corporate Parenting Board", "20/07/2022", "22/7",
                   "Refresh the commissioning plan", "--owner", "Head of Service", "--due", "30/11/2022")
    text = sufficiency.bytes()
    damaged = {
        "resolution due": lambda: _damaged(text, ref=b"R-1"),
        "history": lambda: _damaged(text, field=b'\\"effective\\":\\"'),
        "milestone": lambda: _damaged(text, field=b'"milestones":[{"number":1,"title":"Draft to the Board","due":"'),
    }[where]()
    assert damaged != text
    sufficiency.store.write_bytes(damaged)
    sufficiency.refused("plan", "update", "SUFF", "--board", "Children's Partnership Board", code=3,
                        says="is malformed")


@pytest.mark.json_store
def test_backups_holding_a_damaged_record_are_named_and_not_restored(sufficiency):
    """A backup that merely parses may hold a damaged record (copied forward by an older
    version, or damaged where it lies): restore --list names it, restore refuses it, and
    the last clean backup restores."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Before the damage")
    sufficiency.ok("plan", "update", "SUFF", "--board", "Children's Partnership Board")
    sufficiency.ok("plan", "update", "SUFF", "--board", "Corporate Parenting Board")
    for generation in (1, 2):
        backup = Path(f"{sufficiency.store}.{generation}")
        backup.write_bytes(_damaged(backup.read_bytes()))
    listed = sufficiency.json("restore", "--list")
    assert [g["readable"] for g in listed[:3]] == [False, False, True], listed
    assert all("record SUFF-1.1 is malformed" in g["problem"] for g in listed[:2])
    sufficiency.refused("restore", "1", code=3, says="record SUFF-1.1 is malformed")
    sufficiency.ok("restore", "3")
    assert [r["ref"] for r in sufficiency.json("overdue")] == ["SUFF-1.1"]


def _history_damaged(text: bytes, ref: bytes = b"SUFF-1.1") -> bytes:
    """`ref`'s first history entry with its effective day made impossible (the history is a
    JSON string inside the record, so its quotes are escaped in the file)."""
    return _damaged(text, ref=ref, field=b'\\"effective\\":\\"')


@pytest.mark.json_store
def test_a_damaged_history_is_exit_3_naming_the_record_never_unexpected(sufficiency):
    """Found by a new-user trial: a day of 31 Feb inside a history entry made undo, redo,
    verify, show, changes and restore --list (the command the message names) exit 70."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Before the damage")
    sufficiency.store.write_bytes(_history_damaged(sufficiency.bytes()))
    for command in (("action", "show", "SUFF-1.1"), ("undo",), ("redo",), ("verify",), ("changes",),
                    ("action", "update", "SUFF-1.1", "--rag", "red"), ("plan", "update", "SUFF", "--board", "X")):
        line = sufficiency.refused(*command, code=3, says="record SUFF-1.1 is malformed (its history has a create "
                                                          "counting from '2022-02-31', not a day)")
        assert "restore --list" in line, line
    listed = sufficiency.json("restore", "--list")  # the way back still lists the backups
    # Backup 1 is the store before the last change: its own last change is the create.
    assert listed[0]["readable"] is True and listed[0]["last_change"].startswith("create SUFF-1.1"), listed


@pytest.mark.json_store
def test_a_backup_with_a_damaged_history_is_named_and_not_restored(sufficiency):
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "One")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Two")
    backup = Path(f"{sufficiency.store}.1")
    backup.write_bytes(_history_damaged(backup.read_bytes()))
    listed = sufficiency.json("restore", "--list")
    assert (listed[0]["readable"], listed[1]["readable"]) == (False, True), listed
    assert "record SUFF-1.1 is malformed (its history" in listed[0]["problem"]
    sufficiency.refused("restore", "1", code=3, says="record SUFF-1.1 is malformed")
    sufficiency.ok("restore", "2")


@pytest.mark.json_store
@pytest.mark.parametrize("field, value", [(b'"rag":"', b"purple"), (b'"status":"', b"finished")])
def test_a_status_or_rag_no_one_could_set_is_the_record_s_damage(sufficiency, field, value):
    """Found by a new-user trial: a RAG of "purple" typed into the file was taken by every
    save and then made action list, report and export exit 70 (KeyError: 'purple')."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "green")
    text = sufficiency.bytes()
    at = text.index(field, text.index(b'"ref":"SUFF-1.1"')) + len(field)
    end = text.index(b'"', at)
    sufficiency.store.write_bytes(text[:at] + value + text[end:])
    name = field.decode().strip('":').replace("rag", "RAG")
    for command in (("action", "list"), ("overdue",), ("report",), ("slippage",), ("action", "show", "SUFF-1.1"),
                    ("plan", "update", "SUFF", "--board", "Children's Partnership Board")):
        # One wording whichever decoder met it, with no Python names in it (a new-user trial
        # was shown "ValidationError: Invalid enum value 'finished' - at `$.status`").
        sufficiency.refused(*command, code=3, says=f"record SUFF-1.1 is malformed (its {name} '{value.decode()}' "
                                                   "is not one actiontrack knows)")


@pytest.mark.json_store
def test_a_field_of_the_wrong_kind_is_said_by_its_name_without_python_words(sufficiency):
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft to DMT", "--due", "31/10/2022")
    raw = json.loads(sufficiency.bytes())
    (record,) = [r for r in raw["actions"].values() if r["ref"] == "SUFF-1.1"]
    record["milestones"] = None
    sufficiency.store.write_text(json.dumps(raw), encoding="utf-8")
    # Said alike by the report path's decoder and by every command that reads the record
    # whole (left alone on 3 Dec: report, verify, show and changes said "a field holds the
    # wrong kind of value ('NoneType' object is not iterable)", naming no field).
    for command in (("overdue",), ("action", "list"), ("report",), ("verify",), ("action", "show", "SUFF-1.1"),
                    ("changes",), ("action", "update", "SUFF-1.1", "--rag", "amber")):
        sufficiency.refused(*command, code=3, says="malformed (its milestones: expected `array`, got `null`)")


def test_wrong_kind_names_the_field_and_both_kinds():
    from actiontrack.domain.damage import wrong_kind

    assert wrong_kind({"ref": "SUFF-1.1", "milestones": None}) == "its milestones: expected `array`, got `null`"
    assert wrong_kind(b'{"ref": "SUFF-1.1", "title": 7}') == "its title: expected `str`, got `int`"
    assert wrong_kind({"rag": None, "summary": None, "milestones": []}) is None  # null where null is allowed
    assert wrong_kind({"rag": ["red"]}) == "its RAG: expected `str`, got `array`"
    assert wrong_kind({"milestones": [{"number": 1}, "x"]}) == "its milestones: expected `object` in the list, got `str`"
    assert wrong_kind({"history": "[]"}) is None  # a history may be kept as its JSON text
    assert wrong_kind(b"not json") is None and wrong_kind([1]) is None


def test_a_decoders_complaint_in_words():
    from actiontrack.domain.damage import in_words

    class ValidationError(ValueError):
        pass

    assert in_words(ValidationError("Expected `int`, got `str` - at `$.milestones[0].number`")) == \
        "its milestones[0] number: expected `int`, got `str`"
    assert in_words(KeyError("ref")) == "the field 'ref' is missing"
    assert in_words(ValueError("theme SUFF.1's plan 'SUFF' is not in the store")) == \
        "theme SUFF.1's plan 'SUFF' is not in the store"
    import orjson

    with pytest.raises(orjson.JSONDecodeError) as e:
        orjson.loads("not json")
    assert in_words(e.value).startswith("it is not JSON (")


@pytest.mark.json_store
def test_a_day_in_a_history_entry_damaged_by_hand_is_the_record_s_damage(sufficiency):
    """Found by a new-user trial: a reschedule's new day made 31 Feb by hand was taken by
    every save, then made show and the backups list exit 70.  A change's days are checked
    when its history is read, so it is named like any damage, and not copied forward."""
    sufficiency.ok("meeting", "add", "Corporate Parenting Board", "01/12/2022")
    sufficiency.ok("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "Awaiting the market statement")
    text = sufficiency.bytes()
    at = text.index(b'\\"new\\":\\"2023-01-31', text.index(b'"ref":"SUFF-1.1"')) + len(b'\\"new\\":\\"')
    sufficiency.store.write_bytes(text[:at] + b"2023-02-31" + text[at + 10:])
    for command in (("action", "show", "SUFF-1.1"), ("undo",), ("log", "Corporate Parenting Board", "01/12/2022"),
                    ("plan", "update", "SUFF", "--board", "Children's Partnership Board")):
        sufficiency.refused(*command, code=3, says="record SUFF-1.1 is malformed (its history's reschedule of "
                                                   "01 Dec 2022 holds due '2023-02-31', not a day)")


@pytest.mark.json_store
@pytest.mark.parametrize("field, say", [
    (b'"due":"', "its due '2022-02-31' is not a day"),
    (b'"baseline_due":"', "its baseline_due '2022-02-31' is not a day"),
    (b'"milestones":[{"number":1,"title":"Draft","due":"', "its milestone 1 due '2022-02-31' is not a day")])
def test_an_impossible_day_is_named_with_its_value_by_every_command(sufficiency, field, say):
    """Found looking at what was left: a report's decoder said "Invalid RFC3339 encoded date
    - at `$.due`" and a change's "day is out of range for month", neither with the value
    to mend and the second not even where.  Every command now says the same, field and value."""
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft", "--due", "31/10/2022")
    sufficiency.store.write_bytes(_damaged(sufficiency.bytes(), field=field))
    for command in (("overdue",), ("action", "list"), ("report",), ("action", "show", "SUFF-1.1"),
                    ("action", "update", "SUFF-1.1", "--rag", "red"), ("verify",), ("export", "--format", "json")):
        sufficiency.refused(*command, code=3, says=f"record SUFF-1.1 is malformed ({say}); ")


def test_a_title_that_looks_like_an_impossible_day_is_shown_as_typed(sufficiency):
    """The history shows a value that looks like an ISO day as a British one; a title of
    "2023-02-31" is no day, and is shown as typed (it was exit 70)."""
    sufficiency.ok("action", "edit", "SUFF-1.1", "--title", "2023-02-31")
    assert "title: Full refresh of the Commissioning Action Plan -> 2023-02-31" in \
        " ".join(sufficiency.ok("action", "show", "SUFF-1.1").split())


@pytest.mark.json_store
def test_restore_list_names_each_backup_by_its_own_last_change_after_a_restore(sufficiency):
    """Found by a new-user trial: after a restore the next change takes the number of the
    one restored away, and restore --list named the backup holding that one by the new
    change ("BETA") when it holds the old ("ALPHA").  Backups are named by seal."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "ALPHA typed in error")
    sufficiency.ok("restore", "1")
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "BETA the right one")
    listed = sufficiency.json("restore", "--list")
    with_alpha = [g for g in listed if "ALPHA" in g["last_change"]]
    assert len(with_alpha) == 1 and with_alpha[0]["generation"] == 2, listed
    assert not any("BETA" in g["last_change"] for g in listed), listed  # the store holds BETA, no backup does


def test_the_decoder_s_words_are_the_vocabulary():
    """The JSON store's report view checks status and RAG as types (store/file_items): the
    same words as domain/vocabulary, or a record with a new word would read as damaged."""
    from typing import get_args

    from actiontrack.domain.vocabulary import RAGS, STATUSES
    from actiontrack.store.file_items import Rag, Status

    assert (get_args(Status), get_args(Rag)) == (STATUSES, RAGS)


def _damage_in_place(run) -> None:
    """SUFF-1.1's due made 31 Feb where the store keeps it: the JSON file, or the record
    in a SQLite database (a BLOB of its JSON)."""
    if run.store.suffix == ".json":
        run.store.write_bytes(_damaged(run.bytes()))
        return
    import sqlite3

    conn = sqlite3.connect(run.store)
    with conn:
        (doc,) = conn.execute("SELECT doc FROM items WHERE ref = 'SUFF-1.1'").fetchone()
        conn.execute("UPDATE items SET doc = ? WHERE ref = 'SUFF-1.1'",
                     (bytes(doc).replace(b'"due":"2022-11-30"', b'"due":"2022-02-31"'),))
    conn.close()


@pytest.mark.file_store
def test_convert_and_the_json_export_never_carry_a_damaged_record(sufficiency, tmp_path):
    """Found by a new-user trial: with a due date of 31 Feb typed in, convert and
    export --format json exited 0, and the new store (or the export imported into one)
    was damaged from its first read."""
    _damage_in_place(sufficiency)
    for destination in (tmp_path / "converted.db", tmp_path / "converted.json"):
        sufficiency.refused("convert", str(destination), code=3, says="record SUFF-1.1 is malformed")
        assert not destination.exists()
    exported = tmp_path / "export.json"
    sufficiency.refused("export", "--format", "json", "--output", str(exported), code=3,
                        says="record SUFF-1.1 is malformed")
    assert not exported.exists()


DAMAGE = {  # SUFF-1.1's record as someone might leave it after editing the file by hand
    "summary day": lambda r: r["summary"].update(last_update="2022-02-31"),
    "summary count": lambda r: r["summary"].update(reschedules="x"),
    "title null": lambda r: r.update(title=None),
    "milestones text": lambda r: r.update(milestones="x"),
    "due a number": lambda r: r.update(due=5),
    "owner missing": lambda r: r.pop("owner"),
}


@pytest.mark.json_store
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_record_damaged_any_way_is_never_unexpected_and_never_copied(sufficiency, tmp_path, damage):
    """Found by a second new-user trial: a bad day in an item's saved summary made every
    listing exit 70 and was taken by every save; a null title crashed import; milestones
    that are not a list crashed convert.  Now reads either answer (the summary is only a
    cache: the history answers for it) or name the record, and no write carries it."""
    import json

    sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft to the Board", "--due", "30/09/2022")
    raw = json.loads(sufficiency.bytes())
    (record,) = [r for r in raw["actions"].values() if r["ref"] == "SUFF-1.1"]
    DAMAGE[damage](record)
    sufficiency.store.write_bytes(json.dumps(raw).encode())
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Ref,Action,Owner,Due\nSUFF-1.2,Another,Head of Service,30/11/2022\n", encoding="utf-8")
    for read in (("action", "list"), ("overdue",), ("slippage",), ("report",), ("action", "show", "SUFF-1.1"),
                 ("changes",), ("verify",)):
        result = sufficiency(*read)
        assert result.exit_code == 0 or (result.exit_code == 3 and "SUFF-1.1 is malformed" in result.stderr), (
            read, result.exit_code, result.stderr)
    if damage.startswith("summary"):  # a cache: the history's answer is the report's
        assert [r["reschedules"] for r in sufficiency.json("action", "list")] == [0]
    for write in (("plan", "update", "SUFF", "--board", "Children's Partnership Board"),
                  ("import", str(sheet)), ("convert", str(tmp_path / "copy.db")),
                  ("export", "--format", "json", "--output", str(tmp_path / "export.json"))):
        line = sufficiency.refused(*write, code=3, says="record SUFF-1.1 is malformed")
        if damage == "owner missing":  # which field: it said only "a required field"
            assert "no owner" in line, line


@pytest.mark.json_store
def test_a_hand_edit_that_keeps_the_size_and_puts_the_time_back_is_still_checked(sufficiency):
    """Found by a second new-user trial: an impossible day typed over a real one (the same
    length) with the file's modification time put back left the index believing the file
    was its last save's, so a change copied the damage forward.  The index also records
    the change time, which utime cannot put back."""
    import os

    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Before the damage")
    was = os.stat(sufficiency.store)
    sufficiency.store.write_bytes(_damaged(sufficiency.bytes()))
    os.utime(sufficiency.store, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert (os.stat(sufficiency.store).st_size, os.stat(sufficiency.store).st_mtime_ns) == (was.st_size, was.st_mtime_ns)
    sufficiency.refused("plan", "update", "SUFF", "--board", "Children's Partnership Board", code=3,
                        says="record SUFF-1.1 is malformed")


@pytest.mark.json_store
def test_a_store_saved_with_a_byte_order_mark_is_read(sufficiency):
    """Found by a third new-user trial: a store saved by Windows Notepad after a hand edit
    (which puts a UTF-8 byte-order mark first) was 'not valid JSON: the store is damaged'."""
    sufficiency.store.write_bytes(b"\xef\xbb\xbf" + sufficiency.bytes())
    assert [a["ref"] for a in sufficiency.json("action", "list")] == ["SUFF-1.1"]
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    assert sufficiency.json("action", "show", "SUFF-1.1")["rag"] == "amber"
    assert not sufficiency.bytes().startswith(b"\xef\xbb\xbf")  # saved as actiontrack writes it


@pytest.mark.json_store
def test_two_records_with_one_ref_are_damage_never_a_record_lost(sufficiency):
    """Found by a new-user trial: SUFF-1.2's ref typed over as SUFF-1.1 by hand, then one
    `action update SUFF-1.1` (exit 0) wrote the other record, history and all, out of the
    store; restore --list called the backup holding the pair readable."""
    sufficiency.ok("action", "add", "SUFF.1", "Market position statement", "--owner", "Head of Commissioning",
                   "--due", "31/03/2023")
    text = sufficiency.bytes()
    damaged = text.replace(b'"ref":"SUFF-1.2"', b'"ref":"SUFF-1.1"')
    assert damaged.count(b'"ref":"SUFF-1.1"') == 2
    sufficiency.store.write_bytes(damaged)
    says = "is damaged: two records have the ref SUFF-1.1"
    for command in (("action", "update", "SUFF-1.1", "--rag", "red"), ("action", "show", "SUFF-1.1"), ("verify",),
                    ("export", "--format", "json"), ("plan", "update", "SUFF", "--board", "X"),
                    ("overdue",), ("slippage",), ("action", "list")):  # a second trial: listed twice, exit 0
        sufficiency.refused(*command, code=3, says=says, as_of="01/12/2023")
    assert sufficiency.bytes() == damaged  # nothing was written: both records still there
    sufficiency.store.write_bytes(text)
    sufficiency.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    Path(f"{sufficiency.store}.1").write_bytes(damaged)
    listed = sufficiency.json("restore", "--list")
    assert listed[0]["readable"] is False and says in listed[0]["problem"], listed
    sufficiency.refused("restore", "1", code=3, says=says)
