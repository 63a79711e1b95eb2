"""The SQLite store: what it guarantees beyond the tests every CLI test runs on both backends.

Damaged and foreign files, backups kept inside the file, permissions, converting
between backends, and that a change writes only the rows it changed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from actiontrack.commands import cli
from actiontrack.domain.models import SCHEMA_VERSION
from tests.conftest import CLI


@pytest.fixture
def db(tmp_path) -> CLI:
    """A SQLite store with the Sufficiency plan and one action."""
    run = CLI(tmp_path / "store.db")
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Commissioning", as_of="20/07/2022")
    run.ok("action", "add", "SUFF.1", "Full refresh of the Commissioning Action Plan", "--owner",
           "Specialist Commissioning Manager", "--due", "November 2022", as_of="20/07/2022")
    return run


def rows(path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def notes(run: CLI) -> list[str]:
    return [h["note"] for h in run.json("action", "show", "SUFF-1.1")["history"] if h["event"] == "update"]


def test_a_db_name_makes_a_sqlite_store(db):
    assert db.bytes().startswith(b"SQLite format 3\x00")
    assert rows(db.store, "PRAGMA application_id") == [(0x41435452,)]


# -- damaged and foreign files ------------------------------------------------------
def other_database(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage,says", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 200), "not an actiontrack store"),
    (lambda p: p.write_bytes(p.read_bytes()[:1500]), "damaged"),
    (lambda p: (p.unlink(), other_database(p)), "not an actiontrack store"),
])
def test_damaged_or_foreign_file_is_exit_3_and_left_alone(db, damage, says):
    damage(db.store)
    db.refused("action", "update", "SUFF-1.1", "--rag", "red", code=3, says=says)
    db.refused("overdue", code=3, says=says)
    db.refused("restore", "1", code=3, says=says)


def test_newer_layout_or_schema_is_exit_3(db):
    conn = sqlite3.connect(db.store)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    db.refused("overdue", code=3, says="newer actiontrack")
    conn = sqlite3.connect(db.store)
    conn.execute("PRAGMA user_version = 1")
    (doc,) = conn.execute("SELECT doc FROM store WHERE name = 'meta'").fetchone()
    conn.execute("UPDATE store SET doc = ? WHERE name = 'meta'",
                 (doc.replace(b'"schema_version":%d' % SCHEMA_VERSION, b'"schema_version":99'),))
    conn.commit()
    conn.close()
    db.refused("action", "update", "SUFF-1.1", "--rag", "red", code=3, says="newer actiontrack")


HALF_WRITE = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file before any commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE items SET status = 'dropped', doc = zeroblob(5000)")
conn.execute("UPDATE store SET doc = zeroblob(5000)")
os._exit(9)  # killed mid-save: no commit, no rollback
"""


def test_a_save_killed_half_way_is_rolled_back_by_the_next_command(db):
    """The state a SIGKILL leaves at the worst moment: pages of the file already
    overwritten, and the journal holding what they were.  The next command puts them back."""
    db.ok("action", "update", "SUFF-1.1", "--note", "acknowledged")
    before = db.json("action", "show", "SUFF-1.1")
    pristine = db.bytes()
    assert subprocess.run([sys.executable, "-c", HALF_WRITE, str(db.store)]).returncode == 9
    assert os.path.getsize(f"{db.store}-journal") > 0
    assert db.bytes() != pristine  # really half-written
    assert db.json("action", "show", "SUFF-1.1") == before
    db.ok("action", "update", "SUFF-1.1", "--note", "after the crash")
    assert notes(db) == ["acknowledged", "after the crash"]


# -- backups inside the file ----------------------------------------------------------
def test_keeps_five_generations_then_restores(db):
    for n in range(7):
        db.ok("action", "update", "SUFF-1.1", "--note", f"n{n}")
    listed = db.json("restore", "--list")
    assert [g["generation"] for g in listed] == [1, 2, 3, 4, 5]
    assert [g["last_txn"] for g in listed] == [9, 8, 7, 6, 5]  # the store before each of the last 5 saves
    assert not [f for f in os.listdir(db.store.parent) if f.startswith("store.db.") and f != "store.db.lock"]
    assert db.ok("restore", "2").startswith("Restored backup 2")
    assert notes(db) == [f"n{n}" for n in range(5)]
    db.ok("restore", "1")  # a restore is itself a save: taking it back brings all seven again
    assert notes(db) == [f"n{n}" for n in range(7)]
    db.refused("restore", "6", code=2, says="no backup 6")


def test_restore_takes_back_an_add_and_a_plan(db):
    db.ok("plan", "add", "PERM", "Permanency Action Plan")
    db.ok("theme", "add", "PERM", "1", "Early help", "--officer", "Head of Early Help")
    db.ok("action", "add", "PERM.1", "Edge of care offer", "--owner", "Head of Early Help", "--due", "31/03/2023")
    db.ok("restore", "3")
    assert [p["key"] for p in db.json("plan", "list")] == ["SUFF"]
    assert [a["ref"] for a in db.json("action", "list")] == ["SUFF-1.1"]


def test_backups_setting(db):
    db.ok("config", "backups", "2")
    for n in range(4):
        db.ok("action", "update", "SUFF-1.1", "--note", f"n{n}")
    assert [g["generation"] for g in db.json("restore", "--list")] == [1, 2]
    assert rows(db.store, "SELECT COUNT(DISTINCT generation) FROM images") == [(2,)]


def test_a_change_writes_only_its_own_rows(db):
    db.ok("action", "add", "SUFF.1", "Second action", "--owner", "Owner", "--due", "31/03/2023")
    before = dict(rows(db.store, "SELECT ref, doc FROM items"))
    db.ok("action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Behind")
    after = dict(rows(db.store, "SELECT ref, doc FROM items"))
    assert after["SUFF-1.2"] == before["SUFF-1.2"] and after["SUFF-1.1"] != before["SUFF-1.1"]
    (newest,) = rows(db.store, "SELECT MAX(generation) FROM generations")[0]
    kept = rows(db.store, "SELECT kind, ref FROM images WHERE generation = ? ORDER BY kind, ref", (newest,))
    assert kept == [("action", "SUFF-1.1"), ("store", "meta")]  # the action and the change counter


# -- permissions ------------------------------------------------------------------------
def test_private_by_default_shared_on_request(db, tmp_path):
    db.ok("action", "update", "SUFF-1.1", "--note", "x")
    assert os.stat(db.store).st_mode & 0o777 == 0o600
    shared = tmp_path / "team.db"
    assert db.runner.invoke(cli, ["--store", str(shared), "init", "--shared"]).exit_code == 0
    assert db.runner.invoke(cli, ["--store", str(shared), "plan", "add", "SUFF", "Plan"]).exit_code == 0
    assert os.stat(shared).st_mode & 0o777 == 0o660
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


# -- converting --------------------------------------------------------------------------
def test_convert_both_ways_loses_nothing(demo, tmp_path):
    exported = demo.ok("export", "--format", "json")
    source = demo.bytes()
    other = tmp_path / ("copy.json" if str(demo.store).endswith(".db") else "copy.db")
    out = demo.ok("convert", str(other))
    assert out.startswith("Copied 16 action(s), 11 resolution(s)")
    counts = (len(demo.json("plan", "list")), len(demo.json("meeting", "list")), len(demo.json("indicator", "list")),
              len([p for p in demo.json("person", "list") if p["recorded"]]))
    assert "{} plan(s), {} meeting(s), {} indicator(s) and {} person(s) into".format(*counts) in out
    assert demo.bytes() == source
    copy = CLI(other)
    assert copy.ok("export", "--format", "json") == exported
    for args in (("overdue",), ("slippage",), ("report",), ("action", "list")):
        assert copy.json(*args) == demo.json(*args)
        assert copy.json(*args, as_of="01/09/2022") == demo.json(*args, as_of="01/09/2022")


def test_convert_refuses_an_existing_file_or_the_store_itself(db, tmp_path):
    taken = tmp_path / "taken.json"
    taken.write_bytes(b"keep me")
    db.refused("convert", str(taken), code=3, says="already exists")
    assert taken.read_bytes() == b"keep me"
    db.refused("convert", str(db.store), code=2, says="the store itself")


def test_a_record_without_its_summary_still_reads_right(db):
    """A row whose saved summary went missing: the history answers, and --as-of rewinds."""
    db.ok("action", "reschedule", "SUFF-1.1", "31/12/2022", "--reason", "late", as_of="01/08/2022")
    conn = sqlite3.connect(db.store)
    (doc,) = conn.execute("SELECT doc FROM items").fetchone()
    import json

    record = json.loads(doc)
    del record["summary"]
    conn.execute("UPDATE items SET doc = ?, latest_effective = NULL", (json.dumps(record).encode(),))
    conn.commit()
    conn.close()
    (row,) = db.json("action", "list", as_of="01/12/2022")
    assert (row["reschedules"], row["last_update"]) == (1, "2022-08-01")
    (early,) = db.json("action", "list", as_of="25/07/2022")
    assert (early["due"], early["reschedules"]) == ("2022-11-30", 0)


@pytest.mark.parametrize("doc", [b'{"ref": "SUFF-1.1", "status": "in-progress"}', b"not json", b"[]"])
def test_a_malformed_row_is_exit_3_naming_it(db, doc):
    conn = sqlite3.connect(db.store)
    conn.execute("UPDATE items SET doc = ?", (doc,))
    conn.commit()
    conn.close()
    for args in (("overdue",), ("slippage",), ("action", "list"), ("action", "update", "SUFF-1.1", "--note", "x")):
        db.refused(*args, code=3, says="record SUFF-1.1 is malformed")


def test_an_add_numbers_from_its_own_theme_only(db):
    """Refs of theme 10 share the text 'SUFF-1' with theme 1's; numbering must not mix them."""
    db.ok("theme", "add", "SUFF", "10", "Tenth theme", "--officer", "Officer")
    for title in ("a", "b", "c"):
        db.ok("action", "add", "SUFF.10", title, "--owner", "Owner", "--due", "31/03/2023")
    db.ok("action", "add", "SUFF.1", "d", "--owner", "Owner", "--due", "31/03/2023")
    db.ok("undo")  # an undone add's ref is never given out again
    db.ok("action", "add", "SUFF.1", "e", "--owner", "Owner", "--due", "31/03/2023")
    assert [a["ref"] for a in db.json("action", "list")] == ["SUFF-1.1", "SUFF-1.3", "SUFF-10.1", "SUFF-10.2",
                                                            "SUFF-10.3"]


def test_demo_into_a_sqlite_store_replaces_only_an_earlier_demo(tmp_path):
    path = tmp_path / "demo.db"
    run = CLI(path)
    assert run.runner.invoke(cli, ["demo", "--store", str(path)]).exit_code == 0
    run.ok("action", "update", "SUFF-1.2", "--note", "tried it", as_of="02/12/2022")
    assert run.runner.invoke(cli, ["demo", "--store", str(path)]).exit_code == 2  # not over that, unasked
    assert run.runner.invoke(cli, ["demo", "--store", str(path), "--replace"]).exit_code == 0  # a fresh demo again
    assert "tried it" not in str(run.json("action", "show", "SUFF-1.2", as_of="02/12/2022")["history"])
    run.ok("restore", "1")  # and the one that was replaced comes back
    assert "tried it" in str(run.json("action", "show", "SUFF-1.2", as_of="02/12/2022")["history"])
    own = CLI(tmp_path / "own.db")
    own.ok("init")
    before = own.bytes()
    result = own.runner.invoke(cli, ["demo", "--store", str(own.store)])
    assert result.exit_code == 3 and "holds a real store, not a demo" in result.stderr
    assert own.bytes() == before


def test_too_old_a_sqlite_is_a_clear_store_problem(db, monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 22, 0))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.22.0")
    db.refused("overdue", code=3, says="needs SQLite 3.24.0 or later")


def test_a_report_in_a_change_sees_the_changes_not_yet_saved(db):
    """Rows changed, added or deleted in memory count as they now are, not as stored."""
    from datetime import date

    from actiontrack.changes.tracker import Tracker
    from actiontrack.reports import listings
    from actiontrack.reports.views import ItemFilter
    from actiontrack.store import open_repository

    db.ok("action", "add", "SUFF.1", "Later action", "--owner", "Owner", "--due", "31/03/2023", as_of="20/07/2022")
    repo = open_repository(str(db.store))
    try:
        with repo.transaction() as tx:
            t = Tracker(tx.data, user="Clerk", as_of=date(2022, 12, 1))
            t.reschedule("SUFF-1.2", date(2022, 11, 1), "brought forward")  # now overdue
            t.add_action("SUFF.1", "New and late", owner="Owner", due=date(2022, 10, 31))
            del tx.data.actions["SUFF-1.1"]
            listed = [r["ref"] for r in listings.overdue(tx.data, ItemFilter(), date(2022, 12, 1))]
            assert listed == ["SUFF-1.3", "SUFF-1.2"]
            assert not tx.data.actions.changed_after("2022-12-01")
            assert tx.data.actions.changed_after("2022-11-30")
    finally:
        repo.close()
    assert [r["ref"] for r in db.json("overdue")] == ["SUFF-1.1"]  # nothing was saved
