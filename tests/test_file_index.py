"""The index beside a JSON store (store/file_index): a change reads only what it uses and
copies the rest, writing exactly the bytes a whole rewrite would; a missing, stale or
wrong index never changes an answer or loses a change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from actiontrack.store import file_index
from actiontrack.store.indexed_items import IndexedItems
from actiontrack.store.json_store import JSONRepository
from tests.conftest import CLI

pytestmark = pytest.mark.skipif(not file_index.usable(), reason="the index is used only where files can be read at an offset")

AS_OF = "01/12/2022"
CHANGES = [  # a change in the middle, at the end, to many items, and items taken out
    ("action", "update", "SUFF-1.2", "--rag", "red", "--note", "Stuck – waiting on the provider ✓"),
    ("action", "add", "SUFF.1", "=SUM(A1:A3) a new action", "--owner", "Head of Service", "--due", "31/03/2023"),
    ("milestone", "add", "SUFF-1.2", "Draft to the Board", "--due", "15/01/2023"),
    ("action", "reschedule", "PERM-3.1", "31/05/2023", "--reason", "Capacity"),
    ("resolution", "update", "R-10", "--note", "Reported back"),
    ("reassign", "Head of Resources and Placements", "Service Manager, Placements"),
    ("theme", "update", "SUFF.1", "--title", "Commissioning, renamed"),
    ("undo",),  # the theme's title back
    ("action", "complete", "SUFF-1.3", "--on", "30/11/2022"),
    ("undo",),
    ("undo",),
    ("undo",),
    ("undo",),
    ("undo",),
    ("undo",),  # ... and the new action taken out again
]


@pytest.fixture
def two_stores(tmp_path, monkeypatch):
    """The demo store twice: one changed through its index, one always read whole."""
    from actiontrack.changes.tracker import Tracker

    # Both record the same moment, so their histories (and hash chains) are byte for byte alike.
    monkeypatch.setitem(Tracker.__init__.__kwdefaults__, "clock", lambda: "2022-12-01T09:00:00+00:00")
    indexed = CLI(tmp_path / "indexed.json")
    subprocess.run([sys.executable, "-m", "actiontrack", "demo", "--store", str(indexed.store)], check=True,
                   capture_output=True)
    whole = CLI(tmp_path / "whole.json")
    shutil.copy(indexed.store, whole.store)
    return indexed, whole


def index_of(cli: CLI) -> dict:
    return json.loads((cli.store.parent / (cli.store.name + file_index.SUFFIX)).read_bytes())


def test_a_change_through_the_index_writes_what_a_whole_rewrite_writes(two_stores, monkeypatch):
    indexed, whole = two_stores
    through = []
    real = JSONRepository.transaction

    def noted(self):
        transaction = real(self)
        return _Noting(transaction, self, through)

    monkeypatch.setattr(JSONRepository, "transaction", noted)
    for change in CHANGES:
        file_index.set_aside(str(whole.store))
        assert indexed.ok(*change, as_of=AS_OF) == whole.ok(*change, as_of=AS_OF)
        assert indexed.bytes() == whole.bytes(), change
        assert through[-2:] == [True, False], change  # the first through its index, the second whole
        # The index written with it names this file and where each item is.
        index = index_of(indexed)
        data = indexed.bytes()
        for table in ("actions", "resolutions"):
            refs, starts, lengths = index["items"][table]
            assert [json.loads(data[s:s + n])["ref"] for s, n in zip(starts, lengths)] == refs
            start, end = index["tables"][table]
            assert [d["ref"] for d in json.loads(data[start:end]).values()] == refs


class _Noting:
    """Notes whether each transaction read its store through the index."""

    def __init__(self, transaction, repo, through: list):
        self._transaction, self._repo, self._through = transaction, repo, through

    def __enter__(self):
        tx = self._transaction.__enter__()
        self._through.append(self._repo._source is not None)
        return tx

    def __exit__(self, *exc):
        return self._transaction.__exit__(*exc)


def test_an_update_reads_only_the_item_it_changes(two_stores, monkeypatch):
    indexed, _ = two_stores
    indexed.ok("action", "update", "SUFF-1.2", "--note", "writes the index", as_of=AS_OF)
    read = []
    real = IndexedItems._read
    monkeypatch.setattr(IndexedItems, "_read", lambda self, ref: read.append(ref) or real(self, ref))

    def item_by_item(self):
        raise AssertionError("an update's save goes record by record, not item by item")

    monkeypatch.setattr(IndexedItems, "saved_pieces", item_by_item)
    indexed.ok("action", "update", "SUFF-2.1", "--rag", "amber", "--note", "Checked", as_of=AS_OF)
    assert read == ["SUFF-2.1"]
    assert indexed.json("action", "show", "SUFF-2.1", as_of=AS_OF)["rag"] == "amber"


def test_items_taken_out_of_the_middle_renumber_as_a_whole_rewrite_does(two_stores):
    indexed, whole = two_stores
    first, second = list(json.loads(indexed.bytes())["actions"].values())[:2]
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-1.2", "--note", "writes the index", as_of=AS_OF)
        file_index.set_aside(str(whole.store))
        with JSONRepository(str(cli.store)).transaction() as tx:
            del tx.data.actions[first["ref"]]  # the first document: every later id moves down one
            del tx.data.resolutions[next(iter(tx.data.resolutions))]
            tx.save()
    assert indexed.bytes() == whole.bytes()
    assert json.loads(indexed.bytes())["actions"]["1"]["ref"] == second["ref"]


def test_a_store_written_by_something_else_is_read_whole(two_stores):
    """TinyDB (or a hand edit) rewrote the file: the index no longer names it."""
    indexed, _ = two_stores
    from tinydb import TinyDB

    db = TinyDB(str(indexed.store))
    db.table("meta").update({"note": "touched by TinyDB"})
    db.close()
    before = index_of(indexed)
    indexed.ok("action", "update", "SUFF-1.2", "--rag", "red", "--note", "After TinyDB", as_of=AS_OF)
    assert indexed.json("action", "show", "SUFF-1.2", as_of=AS_OF)["rag"] == "red"
    assert index_of(indexed)["inode"] != before["inode"]  # and the index describes the new file


@pytest.mark.parametrize("index", [b"", b"not json", b'{"version": 1}', b"\x00" * 64])
def test_a_missing_or_broken_index_changes_nothing(two_stores, index):
    indexed, whole = two_stores
    (indexed.store.parent / (indexed.store.name + file_index.SUFFIX)).write_bytes(index)
    file_index.set_aside(str(whole.store))
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-1.2", "--rag", "red", "--note", "Either way", as_of=AS_OF)
    assert indexed.bytes() == whole.bytes()


def test_restoring_a_backup_sets_the_index_aside(two_stores):
    indexed, _ = two_stores
    indexed.ok("action", "update", "SUFF-1.2", "--rag", "red", "--note", "Will be restored away", as_of=AS_OF)
    indexed.ok("restore", "1", as_of=AS_OF)
    assert not (indexed.store.parent / (indexed.store.name + file_index.SUFFIX)).exists()
    indexed.ok("action", "update", "SUFF-1.2", "--note", "After the restore", as_of=AS_OF)
    assert index_of(indexed)["size"] == len(indexed.bytes())


REPORTS = [("overdue", "--format", "json"), ("slippage", "--format", "csv"), ("action", "list", "--format", "json"),
           ("resolution", "list", "--format", "json"), ("action", "show", "SUFF-1.2", "--format", "json"),
           ("report", "--format", "json"), ("overdue",)]


def test_a_report_reads_through_the_index_and_answers_the_same(two_stores, monkeypatch):
    """Reports read every item anyway; the index spares them a pass over the whole file first."""
    indexed, whole = two_stores
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-1.2", "--rag", "red", "--note", "Stuck", as_of=AS_OF)
    file_index.set_aside(str(whole.store))
    from actiontrack.store import json_file

    skimmed = []
    real = json_file.skim
    monkeypatch.setattr(json_file, "skim", lambda *a: skimmed.append(a[1]) or real(*a))
    for report in REPORTS:
        assert indexed.ok(*report, as_of=AS_OF) == whole.ok(*report, as_of=AS_OF), report
    assert set(skimmed) == {str(whole.store)}  # the indexed store never was


def test_a_report_reads_the_items_a_block_at_a_time_and_lets_the_file_go(two_stores, monkeypatch):
    """No read of the whole file, nor of the whole items table: a report at 100k items held
    the file's 151 MB beside everything else (counted as reads, never timed)."""
    import gc
    import os

    from actiontrack.reports import listings
    from actiontrack.reports.views import ItemFilter
    from actiontrack.store import indexed_items

    indexed, whole = two_stores
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-1.2", "--rag", "red", "--note", "Stuck " * 300, as_of=AS_OF)
    file_index.set_aside(str(whole.store))
    monkeypatch.setattr(indexed_items, "BLOCK", 2048)
    reads: list[tuple[int, int]] = []
    real = file_index.Source.read
    monkeypatch.setattr(file_index.Source, "read",
                        lambda self, start, n: reads.append((start, n)) or real(self, start, n))
    for report in (("overdue", "--format", "json"), ("slippage", "--format", "csv")):
        reads.clear()
        assert indexed.ok(*report, as_of=AS_OF) == whole.ok(*report, as_of=AS_OF), report
        index = index_of(indexed)
        first, end = index["tables"]["actions"]
        longest = max(index["items"]["actions"][2])
        of_actions = [n for start, n in reads if first <= start < end]
        assert len(of_actions) > 3 and max(of_actions) <= max(2048, longest), (report, of_actions, longest)
        assert sum(of_actions) < end - first  # each item read once, the separators between them not

    opened = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    data = JSONRepository(str(indexed.store)).load()
    assert listings.overdue(data, ItemFilter(), __import__("datetime").date(2022, 12, 1))
    del data
    gc.collect()
    if opened is not None:
        assert len(os.listdir("/proc/self/fd")) == opened  # the store's file closed with its items


def test_a_store_read_through_its_index_and_written_elsewhere_is_whole(two_stores, tmp_path):
    """Read through its index (a report's load, or a conversion's source), then saved to
    another file: every item written as bytes, none as a span of a file that is not there."""
    indexed, _ = two_stores
    indexed.ok("action", "update", "SUFF-1.2", "--note", "writes the index", as_of=AS_OF)
    loaded = JSONRepository(str(indexed.store)).load()
    assert isinstance(loaded.actions, IndexedItems)
    copy = tmp_path / "copy.json"
    JSONRepository(str(copy)).create(loaded)
    assert copy.read_bytes() == indexed.bytes()
    assert CLI(copy).json("overdue", as_of=AS_OF) == indexed.json("overdue", as_of=AS_OF)


def test_a_change_that_lists_sees_its_own_changes_not_the_files(two_stores):
    """A pass over every item inside a change takes an item changed or taken out by it as
    it now stands, not as the file still has it."""
    from datetime import date

    from actiontrack.changes.tracker import Tracker
    from actiontrack.reports import listings
    from actiontrack.reports.views import ItemFilter

    indexed, _ = two_stores
    indexed.ok("action", "update", "SUFF-1.2", "--note", "writes the index", as_of=AS_OF)
    day = date(2022, 12, 1)
    before = {r["ref"]: r for r in listings.overdue(JSONRepository(str(indexed.store)).load(), ItemFilter(), day)}
    late = sorted(before)[:2]
    with JSONRepository(str(indexed.store)).transaction() as tx:
        assert isinstance(tx.data.actions, IndexedItems)
        tracker = Tracker(tx.data, user="Clerk", as_of=day)
        tracker.reschedule(late[0], date(2023, 6, 30), "Agreed at the Board")
        del tx.data.actions[late[1]]
        during = {r["ref"]: r for r in listings.overdue(tx.data, ItemFilter(), day)}
    assert late[0] not in during and late[1] not in during
    assert set(during) == set(before) - set(late)


def test_a_report_stops_at_an_index_that_misplaces_an_item(two_stores):
    indexed, _ = two_stores
    indexed.ok("action", "update", "SUFF-1.2", "--note", "writes the index", as_of=AS_OF)
    path = indexed.store.parent / (indexed.store.name + file_index.SUFFIX)
    index = json.loads(path.read_bytes())
    refs = index["items"]["actions"][0]
    refs[0], refs[1] = refs[1], refs[0]
    path.write_bytes(json.dumps(index).encode())
    indexed.refused("overdue", "--format", "json", as_of=AS_OF, code=3, says="does not match its index")
    assert not path.exists()
    assert indexed.json("overdue", as_of=AS_OF)


@pytest.mark.parametrize("missing", ["raises", "absent"])
def test_a_save_copies_by_read_and_write_where_the_kernel_cannot(two_stores, monkeypatch, missing):
    """copy_file_range is Linux's, and not every file system takes it: the same bytes either way."""
    import errno
    import os

    indexed, whole = two_stores
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-1.2", "--note", "writes the index", as_of=AS_OF)
    if missing == "absent":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:
        def refuses(*args):
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", refuses)
    file_index.set_aside(str(whole.store))
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-2.1", "--rag", "amber", "--note", "Copied by hand", as_of=AS_OF)
    assert indexed.bytes() == whole.bytes()


def _lie(index: dict, how: str) -> None:
    """An index that still names the file (inode, size, time) but misplaces something."""
    actions = index["items"]["actions"]
    if how == "a table moved":
        index["tables"]["actions"][0] += 5
    elif how == "two tables swapped":
        index["tables"]["meetings"], index["tables"]["people"] = index["tables"]["people"], index["tables"]["meetings"]
    elif how == "every item moved":
        actions[1] = [start + 3 for start in actions[1]]
    elif how == "an item longer":
        actions[2][1] += 7
    elif how == "two items swapped":
        actions[1][1], actions[1][2] = actions[1][2], actions[1][1]
        actions[2][1], actions[2][2] = actions[2][2], actions[2][1]
    elif how == "an item dropped":
        for column in actions:
            del column[1]


@pytest.mark.parametrize("how", ["a table moved", "two tables swapped", "every item moved", "an item longer",
                                 "two items swapped", "an item dropped"])
@pytest.mark.parametrize("command", [("action", "update", "SUFF-1.2", "--rag", "red", "--note", "Through a lie"),
                                     ("config", "backups", "4"), ("overdue", "--format", "json")])
def test_an_index_that_lies_never_corrupts_the_store_or_changes_an_answer(two_stores, how, command):
    """Found by trying it: an index naming the file but with a table moved made an update
    write a broken file.  Now whatever an index says, a command either gives the answer
    the file read whole gives, or stops (exit 3) having changed nothing."""
    indexed, whole = two_stores
    for cli in (indexed, whole):
        cli.ok("action", "update", "SUFF-1.3", "--note", "writes the index", as_of=AS_OF)
    path = indexed.store.parent / (indexed.store.name + file_index.SUFFIX)
    index = json.loads(path.read_bytes())
    _lie(index, how)
    path.write_bytes(json.dumps(index).encode())
    before = indexed.bytes()
    result = indexed(*command, as_of=AS_OF)
    file_index.set_aside(str(whole.store))
    expected = whole(*command, as_of=AS_OF)
    if result.exit_code == 3:
        assert "does not match its index" in result.stderr
        assert indexed.bytes() == before
        assert not path.exists()
        result = indexed(*command, as_of=AS_OF)
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert indexed.bytes() == whole.bytes()
    json.loads(indexed.bytes())  # still a JSON file


def test_a_record_with_an_impossible_date_is_named_not_blamed_on_the_index(two_stores):
    """Found by a new-user trial: a due date of 31 Feb typed into the file by hand, then an
    update elsewhere (which copied that record as it was and wrote a new index); the next
    report said the store 'does not match its index' and set aside the index the save had
    just written.  The record is where the index says: it is the record that is damaged.
    (That update is now refused: test_safety.  Here the index describes the damaged file
    as it would on a drive that keeps times coarsely: the edit kept the file's size and
    time, and the index is set to its change time.)"""
    indexed, _ = two_stores
    text = indexed.bytes()
    at = text.index(b'"ref":"SUFF-2.1"')
    due = text.index(b'"due":"', at) + len(b'"due":"')
    was = os.stat(indexed.store)
    indexed.store.write_bytes(text[:due] + b"2023-02-31" + text[due + 10:])
    os.utime(indexed.store, ns=(was.st_atime_ns, was.st_mtime_ns))
    says = "record SUFF-2.1 is malformed"
    index = indexed.store.parent / (indexed.store.name + file_index.SUFFIX)
    described = json.loads(index.read_bytes())
    described["ctime_ns"] = os.stat(indexed.store).st_ctime_ns
    index.write_text(json.dumps(described))
    for report in (("overdue", "--format", "json"), ("report", "--format", "json"), ("action", "list")):
        result = indexed(*report, as_of=AS_OF)
        assert result.exit_code == 3 and says in result.stderr and "restore --list" in result.stderr, result.stderr
        assert "does not match its index" not in result.stderr
    assert index.exists()  # the index was right, and is kept
