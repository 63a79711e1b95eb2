"""A SQLite backend, for stores too big to read and write whole on every command.

The JSON store reads every record on every command and rewrites the file on every
change; at a county's tens of thousands of actions that is most of each command's
time.  Here each action and resolution is a row: an update writes one row, and a
report asks SQLite for the rows its Prefilter lets through.  The records are the same
as the JSON store's (see codec), so the two convert into each other losslessly.

- An item's history (the same JSON string) lives in a table of its own, read only
  when a command uses it, and copies of the fields a prefilter tests sit beside each
  record (see sqlite_rows).
- Plans, themes, meetings, the journal, the archive and meta are small: each is one
  row of `store`, written only when it changed.
- Backups are kept inside the file: each save first copies the rows it is about to
  change or delete into `images`, as generation N.  `restore G` puts back what the
  last G saves changed, itself as a new save, so a restore can be taken back too.
- Durability and crash safety are SQLite's own (rollback journal, synchronous=FULL).
  Writers still take the same lock file as the JSON store for the whole command, so
  no change is lost between load and save; readers hold a read transaction, so they
  see one consistent store.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import orjson

from actiontrack.dates import now_iso
from actiontrack.domain.models import with_history
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import LATER_TABLES, ROW_STORES_FROM, TABLES, decode, encode, schema_version
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.store.base import Transaction
from actiontrack.store.files import FileIdentity, fsync_folder, is_read_only, missing_store, occupied
from actiontrack.store.sqlite_rows import (
    KINDS,
    SQLiteRows,
    delete_items,
    guarded,
    problem,
    write_items,
)
from actiontrack.store.stored_items import StoredItems

APPLICATION_ID = 0x41435452  # "ACTR": marks the file as an actiontrack store
LAYOUT = 1  # PRAGMA user_version: the tables below
MINIMUM_SQLITE = (3, 24, 0)
SMALL_TABLES = tuple(t for t in TABLES if t not in ("actions", "resolutions"))

SCHEMA = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {LAYOUT};
CREATE TABLE store (name TEXT PRIMARY KEY, doc BLOB NOT NULL);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    status TEXT NOT NULL,
    due TEXT,
    baseline_due TEXT,
    completed_on TEXT,
    late_milestone TEXT,
    latest_effective TEXT,
    doc BLOB NOT NULL,
    UNIQUE (kind, ref)
);
CREATE TABLE histories (kind TEXT NOT NULL, ref TEXT NOT NULL, history BLOB NOT NULL, PRIMARY KEY (kind, ref));
CREATE TABLE generations (
    generation INTEGER PRIMARY KEY, saved_at TEXT, actions INTEGER NOT NULL, last_txn INTEGER NOT NULL
);
CREATE TABLE images (generation INTEGER NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL, doc BLOB, history BLOB);
CREATE INDEX images_by_generation ON images (generation);
"""
UPSERT_STORE = "INSERT INTO store (name, doc) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc"


class Session:
    """One command's connection, the data it loaded and the small tables as they were."""

    def __init__(self, conn: sqlite3.Connection, data: StoreData, loaded: dict[str, bytes]):
        self.conn, self.data, self.loaded = conn, data, loaded


class SQLiteRepository(FileIdentity):
    """The Repository interface (store/base.py) over one SQLite file."""

    def __init__(self, path: str, *, lock_timeout: float, mode: int, locked):
        self.path = path
        self.where = path
        self.lock_timeout = lock_timeout
        self.mode = mode
        self._locked = locked  # the lock-file context the JSON store uses too
        self._session: Session | None = None
        self._connections: list[sqlite3.Connection] = []

    def close(self) -> None:
        """End every read transaction and connection this repository opened."""
        for conn in self._connections:
            conn.close()  # an open transaction is rolled back: nothing unsaved is written
        self._connections.clear()
        self._session = None

    def exists(self) -> bool:
        return os.path.lexists(self.path)

    # -- opening ------------------------------------------------------------------
    def _connect(self, path: str, writable: bool = True) -> sqlite3.Connection:
        if sqlite3.sqlite_version_info < MINIMUM_SQLITE:  # upserts came in 3.24 (2018)
            raise StoreProblem(f"{path} needs SQLite {'.'.join(map(str, MINIMUM_SQLITE))} or later; this Python "
                               f"has {sqlite3.sqlite_version}: use a JSON store, or a newer Python")
        # A file: URI (for mode=); these three are all SQLite needs escaped in the path.
        where = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        uri = f"file:{where}?mode={'rw' if writable else 'ro'}"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=self.lock_timeout, isolation_level=None)
            conn.execute("PRAGMA synchronous = FULL")  # a commit is on disk before the command says so
        except sqlite3.Error as e:
            raise problem(path, e) from None
        self._connections.append(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        if not self.exists():
            raise missing_store(self.path)
        if os.path.isdir(self.path):
            raise StoreProblem(f"{self.path} is a folder, not a store")
        if os.path.getsize(self.path) == 0:
            raise StoreProblem(f"{self.path} is empty: not an actiontrack store")
        conn = self._connect(self.path, writable=os.access(self.path, os.W_OK))
        application, layout = (guarded(self.path, conn.execute, f"PRAGMA {p}").fetchone()[0]
                               for p in ("application_id", "user_version"))
        if application != APPLICATION_ID:
            raise StoreProblem(f"{self.path} is not an actiontrack store")
        if layout > LAYOUT:
            raise StoreProblem(f"{self.path} was written by a newer actiontrack: upgrade actiontrack")
        return conn

    def _read(self, conn: sqlite3.Connection) -> StoreData:
        loaded = dict(guarded(self.path, conn.execute, "SELECT name, doc FROM store").fetchall())
        try:
            tables = {name: orjson.loads(loaded[name]) for name in SMALL_TABLES if name in loaded or name not in LATER_TABLES}
        except (KeyError, ValueError) as e:
            raise StoreProblem(f"{self.path} is damaged: its {e} table is missing or unreadable") from None
        if schema_version(tables, self.path) < ROW_STORES_FROM:
            # SQLite stores began at schema 5; an older number can only be damage.
            raise StoreProblem(f"{self.path} is damaged: it has no valid schema version")
        data = decode({**tables, "actions": [], "resolutions": []}, self.path)
        rows = SQLiteRows(conn, self.path)
        data.actions = StoredItems(rows, "action")
        data.resolutions = StoredItems(rows, "resolution")
        self._session = Session(conn, data, {name: loaded[name] for name in SMALL_TABLES if name in loaded})
        return data

    def load(self) -> StoreData:
        conn = self._open()
        # One read transaction for the command: every row it fetches, however late,
        # comes from the same store (a writer's commit waits for it).
        guarded(self.path, conn.execute, "BEGIN")
        return self._read(conn)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if not self.exists():
            raise missing_store(self.path)  # before the lock file is made beside nothing
        with self._locked():
            conn = self._open()
            guarded(self.path, conn.execute, "BEGIN IMMEDIATE")
            try:
                yield Transaction(self, self._read(conn))
            finally:
                if conn.in_transaction:
                    conn.rollback()  # not saved: nothing of it is written
                self._session = None

    def _open_session(self) -> Session:
        """The session of the transaction under way (inside `with self.transaction()`)."""
        if self._session is None:
            raise StoreProblem("internal: no transaction is open on the SQLite store")
        return self._session

    # -- writing ------------------------------------------------------------------
    def save(self, data: StoreData) -> None:
        session = self._session
        if session is None or session.data is not data:
            raise StoreProblem("internal: a SQLite store saves only the data its transaction loaded")
        conn = session.conn
        docs = {name: orjson.dumps(docs) for name, docs in encode(data, SMALL_TABLES).items()}
        tables = {name: doc for name, doc in docs.items() if session.loaded.get(name) != doc}
        pending = {kind: getattr(data, KINDS[kind][0]).pending() for kind in KINDS}
        with self._writing(conn):
            if not tables and not any(records or gone for records, gone in pending.values()):
                return  # nothing to write (the empty transaction commits)
            generation = self._new_generation(conn, session.loaded)
            self._keep_images(conn, generation, [("store", name) for name in tables]
                              + [(kind, ref) for kind, (records, gone) in pending.items() for ref in [*records, *gone]])
            conn.executemany(UPSERT_STORE, list(tables.items()))
            for kind, (records, gone) in pending.items():
                write_items(conn, kind, records.values())
                delete_items(conn, kind, gone)
            self._prune(conn, generation, data.settings.backups)
        session.loaded.update(tables)
        for kind, (records, _gone) in pending.items():
            getattr(data, KINDS[kind][0]).saved(records)

    @contextmanager
    def _writing(self, conn: sqlite3.Connection):
        """One save: refused on a read-only store, committed whole, or nothing written."""
        if is_read_only(self.path):
            raise StoreProblem(f"{self.path} is read-only: nothing was changed")
        try:
            if not conn.in_transaction:  # saved once already: this save is a transaction of its own
                conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            raise problem(self.path, e) from None

    @staticmethod
    def _stamp(conn: sqlite3.Connection) -> None:
        """When the store as it now is was saved (a generation's "saved at" once replaced)."""
        conn.execute(UPSERT_STORE, ("saved_at", orjson.dumps(now_iso())))

    def _new_generation(self, conn: sqlite3.Connection, loaded: dict[str, bytes]) -> int:
        """Number this save; describe the store as it was, which its images bring back."""
        (generation,) = conn.execute("SELECT COALESCE(MAX(generation), 0) + 1 FROM generations").fetchone()
        (actions,) = conn.execute("SELECT COUNT(*) FROM items WHERE kind = 'action'").fetchone()
        saved = conn.execute("SELECT doc FROM store WHERE name = 'saved_at'").fetchone()
        meta = orjson.loads(loaded["meta"])[0] if "meta" in loaded else {}
        conn.execute("INSERT INTO generations VALUES (?, ?, ?, ?)",
                     (generation, orjson.loads(saved[0]) if saved else None, actions, meta.get("last_txn", 0)))
        self._stamp(conn)
        return generation

    @staticmethod
    def _keep_images(conn: sqlite3.Connection, generation: int, keys: list[tuple[str, str]]) -> None:
        """Copy the rows about to change; an item not there yet is kept as a null doc."""
        conn.executemany(
            "INSERT INTO images VALUES (?1, ?2, ?3,"
            " CASE ?2 WHEN 'store' THEN (SELECT doc FROM store WHERE name = ?3)"
            " ELSE (SELECT doc FROM items WHERE kind = ?2 AND ref = ?3) END,"
            " (SELECT history FROM histories WHERE kind = ?2 AND ref = ?3))",
            [(generation, kind, ref) for kind, ref in keys])

    @staticmethod
    def _prune(conn: sqlite3.Connection, generation: int, keep: int) -> None:
        conn.execute("DELETE FROM images WHERE generation <= ?", (generation - keep,))
        conn.execute("DELETE FROM generations WHERE generation <= ?", (generation - keep,))

    def _write_whole(self, conn: sqlite3.Connection, data: StoreData) -> None:
        """Every table of `data`, into a store with no items yet."""
        tables = {name: orjson.dumps(docs) for name, docs in encode(data, SMALL_TABLES).items()}
        conn.executemany(UPSERT_STORE, list(tables.items()))
        for kind, (attr, _cls) in KINDS.items():
            write_items(conn, kind, encode(data, (attr,))[attr])

    def create(self, data: StoreData) -> None:
        """Build the whole store beside its place, then link it in: it appears complete or not at all."""
        import tempfile

        with self._locked():
            if self.exists():
                raise occupied(self.path, self.where)
            folder = os.path.dirname(os.path.abspath(self.path))
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(self.path)}.", suffix=".tmp", dir=folder)
                os.close(fd)
                os.chmod(tmp, self.mode)
            except OSError as e:
                raise StoreProblem(f"cannot write beside {self.path}: {e.strerror}") from None
            try:
                conn = self._connect(tmp)
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    self._write_whole(conn, data)
                    self._stamp(conn)
                    conn.execute("COMMIT")
                finally:
                    conn.close()
                os.link(tmp, self.path)  # fails, changing nothing, if a store appeared meanwhile
                fsync_folder(folder)
            except FileExistsError:
                raise occupied(self.path, self.where) from None
            except OSError as e:
                raise StoreProblem(f"cannot write {self.path}: {e.strerror}") from None
            except sqlite3.Error as e:
                raise problem(self.path, e) from None
            finally:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def replace(self, data: StoreData, may_replace: Callable[[StoreData], bool]) -> None:
        """Write `data` as the whole store; an existing store only if may_replace(it) agrees."""
        if not self.exists():
            return self.create(data)
        with self.transaction() as tx:
            if not may_replace(tx.data):
                raise StoreProblem(f"{self.where} holds a store that must not be replaced: it was left as it is")
            session = self._open_session()
            conn = session.conn
            with self._writing(conn):
                generation = self._new_generation(conn, session.loaded)
                conn.execute("INSERT INTO images SELECT ?, i.kind, i.ref, i.doc, h.history FROM items i"
                             " JOIN histories h ON h.kind = i.kind AND h.ref = i.ref", (generation,))
                conn.execute("INSERT INTO images SELECT ?, 'store', name, doc, NULL FROM store WHERE name != 'saved_at'",
                             (generation,))
                conn.execute("DELETE FROM items")
                conn.execute("DELETE FROM histories")
                self._write_whole(conn, data)
                self._prune(conn, generation, data.settings.backups)

    # -- backups ------------------------------------------------------------------
    def generations(self) -> list[dict]:
        """The earlier states kept inside the store, newest first."""
        conn = self._open()
        rows = guarded(self.path, conn.execute,
                        "SELECT saved_at, actions, last_txn FROM generations ORDER BY generation DESC").fetchall()
        return [{"generation": n, "path": self.path, "saved_at": saved_at, "readable": True, "actions": actions,
                 "last_txn": last_txn} for n, (saved_at, actions, last_txn) in enumerate(rows, start=1)]

    def restore(self, generation: int) -> dict:
        """Put back what the last `generation` saves changed, as one more save."""
        with self.transaction():
            session = self._open_session()
            conn = session.conn
            # SQLite integers stop at 2**63 - 1; no store has that many backups anyway.
            numbers = [n for (n,) in conn.execute(
                "SELECT generation FROM generations ORDER BY generation DESC LIMIT ?", (min(generation, 2**63 - 1),))]
            if len(numbers) < generation:
                raise BadInput(f"there is no backup {generation} of {self.path} (see 'actiontrack restore --list')")
            # Newest first, so the oldest image of each row is the one that stays.
            target: dict[tuple[str, str], tuple] = {}
            for kind, ref, doc, history in conn.execute(
                    "SELECT kind, ref, doc, history FROM images WHERE generation >= ? ORDER BY generation DESC",
                    (numbers[-1],)):
                target[(kind, ref)] = (doc, history)
            with self._writing(conn):
                new = self._new_generation(conn, session.loaded)
                self._keep_images(conn, new, list(target))
                for (kind, ref), (doc, history) in target.items():
                    if kind == "store":
                        conn.execute("UPDATE store SET doc = ? WHERE name = ?", (doc, ref))
                    elif doc is None:
                        delete_items(conn, kind, [ref])
                    else:
                        write_items(conn, kind, [with_history(orjson.loads(doc), history.decode())])
                restored = self._read(conn)  # refuse to bring back anything this version cannot read
                self._prune(conn, new, restored.settings.backups)
                (actions,) = conn.execute("SELECT COUNT(*) FROM items WHERE kind = 'action'").fetchone()
            return {"generation": generation, "actions": actions}
