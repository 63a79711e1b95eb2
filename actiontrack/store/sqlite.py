"""A SQLite backend, for stores too big to read and write whole on every command.

The JSON store reads every record on every command and rewrites the file on every
change; at a county's tens of thousands of actions that is most of each command's
time.  Here each action and resolution is a row: an update writes one row, and a
report asks SQLite for the rows its Prefilter lets through.  The records are the same
as the JSON store's (see codec), so the two convert into each other losslessly.

- An item's history (the same JSON string) lives in a table of its own, read only
  when a command uses it: a report scanning the items never reads past them.  The columns beside them are
  copies of the record's fields that prefilters test, written with the record.
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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import orjson

from actiontrack.errors import BadInput, StoreProblem
from actiontrack.lazy import (
    CLOSED,
    LazyItems,
    Prefilter,
    changed_after_day,
    late_milestone,
)
from actiontrack.models import (
    SCHEMA_VERSION,
    Action,
    Resolution,
    StoreData,
    with_history,
)
from actiontrack.store import Transaction
from actiontrack.store.codec import TABLES, decode, encode, schema_version
from actiontrack.store.files import fsync_folder, is_read_only

APPLICATION_ID = 0x41435452  # "ACTR": marks the file as an actiontrack store
LAYOUT = 1  # PRAGMA user_version: the tables below
SMALL_TABLES = tuple(t for t in TABLES if t not in ("actions", "resolutions"))
KINDS = {"action": ("actions", Action), "resolution": ("resolutions", Resolution)}

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
COLUMNS = "kind, ref, status, due, baseline_due, completed_on, late_milestone, latest_effective, doc"
UPSERT = (f"INSERT INTO items ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref) DO UPDATE SET "
          + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS.split(", ")[2:]))
UPSERT_HISTORY = ("INSERT INTO histories (kind, ref, history) VALUES (?, ?, ?) "
                  "ON CONFLICT (kind, ref) DO UPDATE SET history = excluded.history")
WITH_HISTORY = ("SELECT i.ref, i.doc, h.history FROM items AS i NOT INDEXED"
                " JOIN histories AS h ON h.kind = i.kind AND h.ref = i.ref")


def row(kind: str, record: dict) -> tuple[tuple, tuple]:
    """An item's record as its two rows: the prefilter columns and the record; its history."""
    summary = record.get("summary")
    latest = (summary.get("latest_effective") or "") if isinstance(summary, dict) else None
    history = record.get("history", "[]")
    doc = orjson.dumps({k: v for k, v in record.items() if k != "history"})
    return ((kind, record["ref"], record["status"], record["due"], record["baseline_due"], record.get("completed_on"),
             late_milestone(record), latest, doc),
            (kind, record["ref"], history.encode() if isinstance(history, str) else orjson.dumps(history)))


def write_items(conn: sqlite3.Connection, kind: str, records) -> None:
    rows = [row(kind, record) for record in records]
    conn.executemany(UPSERT, [item for item, _ in rows])
    conn.executemany(UPSERT_HISTORY, [history for _, history in rows])


def delete_items(conn: sqlite3.Connection, kind: str, refs) -> None:
    keys = [(kind, ref) for ref in refs]
    conn.executemany("DELETE FROM items WHERE kind = ? AND ref = ?", keys)
    conn.executemany("DELETE FROM histories WHERE kind = ? AND ref = ?", keys)


class HistoryLoader:
    """Fetches one item's history string when the item's history is first used."""

    __slots__ = ("conn", "kind", "ref")

    def __init__(self, conn: sqlite3.Connection, kind: str, ref: str):
        self.conn, self.kind, self.ref = conn, kind, ref

    def __call__(self) -> str:
        found = self.conn.execute("SELECT history FROM histories WHERE kind = ? AND ref = ?", (self.kind, self.ref)).fetchone()
        return found[0].decode() if found else "[]"

    def __deepcopy__(self, memo):
        return self  # it holds a connection, and the history it fetches never changes under it


class StoredItems(LazyItems):
    """The actions (or resolutions) of a SQLite store, fetched as a command asks for them.

    What a command fetched, added or deleted is held here until the save; everything
    else stays in the database.
    """

    def __init__(self, conn: sqlite3.Connection, kind: str, where: str):
        cls = KINDS[kind][1]
        super().__init__(cls.from_record, (), where)
        self._conn = conn
        self._kind = kind
        self._gone: set[str] = set()  # deleted here, still in the database until saved
        self._new: set[str] = set()  # added here, not in the database yet
        self._refs: dict[str, None] | None = None  # every ref, in the order added, read on first need
        self._all_fetched = False

    # -- what the database holds ------------------------------------------------
    def _query(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return _guarded(self._where, self._conn.execute, sql, (self._kind, *params))

    def _all_refs(self) -> dict[str, None]:
        if self._refs is None:
            refs = dict.fromkeys(r for (r,) in self._query("SELECT ref FROM items WHERE kind = ? ORDER BY id"))
            for ref in self._gone:
                refs.pop(ref, None)
            refs.update(dict.fromkeys(self._new))
            self._refs = refs
        return self._refs

    def _light(self, ref: str, doc: bytes):
        """An item from its record alone; its history is fetched if a command uses it."""
        try:
            return self._decode(orjson.loads(doc), HistoryLoader(self._conn, self._kind, ref))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise self._malformed(ref, e) from None

    def _malformed(self, ref: str, e: Exception) -> StoreProblem:
        return StoreProblem(f"{self._where} is damaged: record {ref} is malformed ({type(e).__name__}: {e})")

    def __getitem__(self, ref: str):
        value = self._entries.get(ref)
        if value is None:
            if ref in self._gone or (self._refs is not None and ref not in self._refs):
                raise KeyError(ref)
            found = self._query("SELECT doc FROM items WHERE kind = ? AND ref = ?", (ref,)).fetchone()
            if found is None:
                raise KeyError(ref)
            value = self._entries[ref] = self._light(ref, found[0])
        if isinstance(value, dict):
            return super().__getitem__(ref)
        return value

    def __setitem__(self, ref: str, item) -> None:
        if ref not in self:
            self._new.add(ref)
            if self._refs is not None:
                self._refs[ref] = None
        self._gone.discard(ref)
        self._entries[ref] = item

    def __delitem__(self, ref: str) -> None:
        if ref not in self:
            raise KeyError(ref)
        self._entries.pop(ref, None)
        self._all_refs().pop(ref, None)
        if ref in self._new:
            self._new.discard(ref)
        else:
            self._gone.add(ref)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._all_refs()))

    def __len__(self) -> int:
        return len(self._all_refs())

    def __contains__(self, ref: object) -> bool:
        if self._refs is not None:
            return ref in self._refs
        if ref in self._entries:
            return True
        if ref in self._gone or not isinstance(ref, str):
            return False
        return self._query("SELECT 1 FROM items WHERE kind = ? AND ref = ?", (ref,)).fetchone() is not None

    def __repr__(self) -> str:
        return f"StoredItems({self._kind})"

    def __deepcopy__(self, memo):
        # A point-in-time copy (timeline.as_at) rewinds items in memory: hand it every
        # record, history and all, detached from the database.
        import copy

        return LazyItems(self._decode, [(r["ref"], copy.deepcopy(r, memo)) for r in self.records()], self._where)

    # -- reading many -------------------------------------------------------------
    def _fetch_all(self) -> None:
        """Every record with its history, in one query: for commands that use them all."""
        if self._all_fetched:
            return
        for ref, doc, history in self._query(f"{WITH_HISTORY} WHERE i.kind = ? ORDER BY i.id"):
            if ref not in self._entries and ref not in self._gone:
                try:
                    record = orjson.loads(doc)
                    if not isinstance(record, dict):
                        raise TypeError("not a JSON object")
                    self._entries[ref] = with_history(record, history.decode())
                except (TypeError, ValueError) as e:
                    raise self._malformed(ref, e) from None
        self._all_fetched = True

    def values(self):
        self._fetch_all()
        return [self[ref] for ref in self]

    def items(self):
        self._fetch_all()
        return [(ref, self[ref]) for ref in self]

    def peek(self, ref: str) -> dict:
        if ref not in self._entries:
            self._fetch_all()
        return super().peek(ref)

    def records(self) -> Iterator[dict]:
        self._fetch_all()
        for ref in self:
            yield super().peek(ref)

    def _held_record(self, ref: str) -> dict:
        # What a prefilter tests never needs the history: spare an untouched item's fetch.
        value = self._entries[ref]
        if isinstance(value, dict):
            return value
        return value.raw if value.raw is not None else value.to_record()

    def select(self, prefilter: Prefilter) -> Iterator:
        """Items for reading (a report): the database picks the rows; nothing is kept after."""
        held = set(self._entries) | self._gone
        late = "due < :cut OR late_milestone < :cut"
        if prefilter.moved:
            late += " OR due > baseline_due"
        where = f"(status NOT IN ({', '.join(repr(s) for s in CLOSED)}) AND ({late}))"
        if prefilter.completed_after is not None:
            where += " OR (status = 'complete' AND completed_on > :done AND completed_on > baseline_due)"
        # A report wants most rows: one pass over the table in order beats going through
        # the (kind, ref) index and sorting, which the planner would otherwise choose.
        sql = f"SELECT ref, doc FROM items NOT INDEXED WHERE kind = :kind AND ({where}) ORDER BY id"
        params = {"kind": self._kind, "cut": prefilter.late_before, "done": prefilter.completed_after}
        conn, kind, decode, loads = self._conn, self._kind, self._decode, orjson.loads
        for ref, doc in _guarded(self._where, conn.execute, sql, params):
            if ref not in held:
                try:  # _light, inlined: this runs for every row of a report
                    yield decode(loads(doc), HistoryLoader(conn, kind, ref))
                except (KeyError, TypeError, ValueError, AttributeError) as e:
                    raise self._malformed(ref, e) from None
        for ref in list(self._entries):
            if prefilter.matches(self._held_record(ref)):
                yield self[ref]

    def refs_starting(self, prefix: str) -> list[str]:
        """By the (kind, ref) index: an add numbers its action without reading every ref."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        stored = [ref for (ref,) in self._query("SELECT ref FROM items WHERE kind = ? AND ref >= ? AND ref < ?",
                                                (prefix, upper)) if ref not in self._gone]
        return stored + [ref for ref in self._new if ref.startswith(prefix)]

    def changed_after(self, cut: str) -> bool:
        held = set(self._entries) | self._gone
        rows = self._query("SELECT ref FROM items NOT INDEXED WHERE kind = ? "
                           "AND (latest_effective IS NULL OR latest_effective > ?)",
                           (cut,))
        return (any(ref not in held for (ref,) in rows)
                or any(changed_after_day(self._held_record(ref), cut) for ref in self._entries))

    # -- what the save writes -----------------------------------------------------
    def pending(self) -> tuple[dict[str, dict], list[str]]:
        """Records to write (items added or changed), and the refs to delete."""
        records = {}
        for ref, value in self._entries.items():
            if isinstance(value, dict):
                if ref in self._new:
                    records[ref] = value
            elif value.raw is None or ref in self._new:
                records[ref] = value.to_record()
        return records, sorted(self._gone)

    def saved(self, written: dict[str, dict]) -> None:
        """After the commit: what was written is now what the database holds."""
        for ref, record in written.items():
            value = self._entries.get(ref)
            if value is not None and not isinstance(value, dict):
                value.raw = record
        self._new.clear()
        self._gone.clear()


def problem(where: str, e: sqlite3.Error) -> StoreProblem:
    """A SQLite error as the one-line store problem a user can act on."""
    text = str(e)
    if "locked" in text or "busy" in text:
        return StoreProblem("store is locked by another process: try again, or give a longer --lock-timeout")
    if "readonly" in text:
        return StoreProblem(f"{where} is read-only: nothing was changed")
    if "not a database" in text or "malformed" in text or "no such table" in text or "no such column" in text:
        return StoreProblem(f"{where} is damaged or not an actiontrack store ({text}; see 'actiontrack restore --list')")
    return StoreProblem(f"cannot use {where}: {text}")


def _guarded(where: str, call, *args):
    try:
        return call(*args)
    except sqlite3.Error as e:
        raise problem(where, e) from None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Session:
    """One command's connection, the data it loaded and the small tables as they were."""

    def __init__(self, conn: sqlite3.Connection, data: StoreData, loaded: dict[str, bytes]):
        self.conn, self.data, self.loaded = conn, data, loaded


class SQLiteRepository:
    """The Repository interface (see store/__init__) over one SQLite file."""

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
            raise StoreProblem(f"no store at {self.path}: run 'actiontrack init' or set ACTIONTRACK_STORE")
        if os.path.isdir(self.path):
            raise StoreProblem(f"{self.path} is a folder, not a store")
        if os.path.getsize(self.path) == 0:
            raise StoreProblem(f"{self.path} is empty: not an actiontrack store")
        conn = self._connect(self.path, writable=os.access(self.path, os.W_OK))
        application, layout = (_guarded(self.path, conn.execute, f"PRAGMA {p}").fetchone()[0]
                               for p in ("application_id", "user_version"))
        if application != APPLICATION_ID:
            raise StoreProblem(f"{self.path} is not an actiontrack store")
        if layout > LAYOUT:
            raise StoreProblem(f"{self.path} was written by a newer actiontrack: upgrade actiontrack")
        return conn

    def _read(self, conn: sqlite3.Connection) -> StoreData:
        loaded = dict(_guarded(self.path, conn.execute, "SELECT name, doc FROM store").fetchall())
        try:
            tables = {name: orjson.loads(loaded[name]) for name in SMALL_TABLES}
        except (KeyError, ValueError) as e:
            raise StoreProblem(f"{self.path} is damaged: its {e} table is missing or unreadable") from None
        if schema_version(tables, self.path) != SCHEMA_VERSION:
            # SQLite stores began at schema 5; an older number can only be damage.
            raise StoreProblem(f"{self.path} is damaged: it has no valid schema version")
        data = decode({**tables, "actions": [], "resolutions": []}, self.path)
        data.actions = StoredItems(conn, "action", self.path)
        data.resolutions = StoredItems(conn, "resolution", self.path)
        self._session = Session(conn, data, {name: loaded[name] for name in SMALL_TABLES})
        return data

    def load(self) -> StoreData:
        conn = self._open()
        # One read transaction for the command: every row it fetches, however late,
        # comes from the same store (a writer's commit waits for it).
        _guarded(self.path, conn.execute, "BEGIN")
        return self._read(conn)

    @contextmanager
    def transaction(self):
        with self._locked():
            conn = self._open()
            _guarded(self.path, conn.execute, "BEGIN IMMEDIATE")
            try:
                yield Transaction(self, self._read(conn))
            finally:
                if conn.in_transaction:
                    conn.rollback()  # not saved: nothing of it is written
                self._session = None

    # -- writing ------------------------------------------------------------------
    def save(self, data: StoreData) -> None:
        session = self._session
        if session is None or session.data is not data:
            raise StoreProblem("internal: a SQLite store saves only the data its transaction loaded")
        if is_read_only(self.path):
            raise StoreProblem(f"{self.path} is read-only: nothing was changed")
        conn = session.conn
        if not conn.in_transaction:  # saved once already: this save is a transaction of its own
            _guarded(self.path, conn.execute, "BEGIN IMMEDIATE")
        docs = {name: orjson.dumps(docs) for name, docs in encode(data, SMALL_TABLES).items()}
        tables = {name: doc for name, doc in docs.items() if session.loaded.get(name) != doc}
        pending = {kind: getattr(data, KINDS[kind][0]).pending() for kind in KINDS}
        if not tables and not any(records or gone for records, gone in pending.values()):
            return
        try:
            generation = self._new_generation(conn, session.loaded)
            self._keep_images(conn, generation, [("store", name) for name in tables]
                              + [(kind, ref) for kind, (records, gone) in pending.items() for ref in [*records, *gone]])
            conn.executemany("INSERT INTO store (name, doc) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc",
                             list(tables.items()))
            for kind, (records, gone) in pending.items():
                write_items(conn, kind, records.values())
                delete_items(conn, kind, gone)
            self._prune(conn, generation, data.settings.backups)
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            raise problem(self.path, e) from None
        session.loaded.update(tables)
        for kind, (records, _gone) in pending.items():
            getattr(data, KINDS[kind][0]).saved(records)

    def _new_generation(self, conn: sqlite3.Connection, loaded: dict[str, bytes]) -> int:
        """Number this save; describe the store as it was, which its images bring back."""
        (generation,) = conn.execute("SELECT COALESCE(MAX(generation), 0) + 1 FROM generations").fetchone()
        (actions,) = conn.execute("SELECT COUNT(*) FROM items WHERE kind = 'action'").fetchone()
        saved = conn.execute("SELECT doc FROM store WHERE name = 'saved_at'").fetchone()
        meta = orjson.loads(loaded["meta"])[0] if "meta" in loaded else {}
        conn.execute("INSERT INTO generations VALUES (?, ?, ?, ?)",
                     (generation, orjson.loads(saved[0]) if saved else None, actions, meta.get("last_txn", 0)))
        conn.execute("INSERT INTO store (name, doc) VALUES ('saved_at', ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc",
                     (orjson.dumps(_now()),))
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
        conn.executemany("INSERT INTO store (name, doc) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc",
                         list(tables.items()))
        for kind, (attr, _cls) in KINDS.items():
            write_items(conn, kind, encode(data, (attr,))[attr])

    def create(self, data: StoreData) -> None:
        """Build the whole store beside its place, then link it in: it appears complete or not at all."""
        import tempfile

        with self._locked():
            if self.exists():
                raise StoreProblem(f"a store already exists at {self.where}: it was left as it is")
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
                    conn.execute("INSERT INTO store (name, doc) VALUES ('saved_at', ?)", (orjson.dumps(_now()),))
                    conn.execute("COMMIT")
                finally:
                    conn.close()
                os.link(tmp, self.path)  # fails, changing nothing, if a store appeared meanwhile
                fsync_folder(folder)
            except FileExistsError:
                raise StoreProblem(f"a store already exists at {self.where}: it was left as it is") from None
            except OSError as e:
                raise StoreProblem(f"cannot write {self.path}: {e.strerror}") from None
            except sqlite3.Error as e:
                raise problem(self.path, e) from None
            finally:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def replace(self, data: StoreData, may_replace) -> None:
        """Write `data` as the whole store; an existing store only if may_replace(it) agrees."""
        if not self.exists():
            return self.create(data)
        with self.transaction() as tx:
            if not may_replace(tx.data):
                raise StoreProblem(f"{self.where} holds a store that must not be replaced: it was left as it is")
            if is_read_only(self.path):
                raise StoreProblem(f"{self.path} is read-only: nothing was changed")
            conn = self._session.conn
            try:
                generation = self._new_generation(conn, self._session.loaded)
                conn.execute("INSERT INTO images SELECT ?, i.kind, i.ref, i.doc, h.history FROM items i"
                             " JOIN histories h ON h.kind = i.kind AND h.ref = i.ref", (generation,))
                conn.execute("INSERT INTO images SELECT ?, 'store', name, doc, NULL FROM store WHERE name != 'saved_at'",
                             (generation,))
                conn.execute("DELETE FROM items")
                conn.execute("DELETE FROM histories")
                self._write_whole(conn, data)
                self._prune(conn, generation, data.settings.backups)
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                raise problem(self.path, e) from None

    # -- backups ------------------------------------------------------------------
    def generations(self) -> list[dict]:
        """The earlier states kept inside the store, newest first."""
        conn = self._open()
        rows = _guarded(self.path, conn.execute,
                        "SELECT saved_at, actions, last_txn FROM generations ORDER BY generation DESC").fetchall()
        return [{"generation": n, "path": self.path, "saved_at": saved_at, "readable": True, "actions": actions,
                 "last_txn": last_txn} for n, (saved_at, actions, last_txn) in enumerate(rows, start=1)]

    def restore(self, generation: int) -> dict:
        """Put back what the last `generation` saves changed, as one more save."""
        with self.transaction():
            conn = self._session.conn
            numbers = [n for (n,) in conn.execute(
                "SELECT generation FROM generations ORDER BY generation DESC LIMIT ?", (generation,))]
            if len(numbers) < generation:
                raise BadInput(f"there is no backup {generation} of {self.path} (see 'actiontrack restore --list')")
            # Newest first, so the oldest image of each row is the one that stays.
            target: dict[tuple[str, str], tuple] = {}
            for kind, ref, doc, history in conn.execute(
                    "SELECT kind, ref, doc, history FROM images WHERE generation >= ? ORDER BY generation DESC",
                    (numbers[-1],)):
                target[(kind, ref)] = (doc, history)
            if is_read_only(self.path):
                raise StoreProblem(f"{self.path} is read-only: nothing was changed")
            try:
                new = self._new_generation(conn, self._session.loaded)
                self._keep_images(conn, new, list(target))
                for (kind, ref), (doc, history) in target.items():
                    if kind == "store":
                        conn.execute("UPDATE store SET doc = ? WHERE name = ?", (doc, ref))
                    elif doc is None:
                        delete_items(conn, kind, [ref])
                    else:
                        write_items(conn, kind, [with_history(orjson.loads(doc), history.decode())])
                self._read(conn)  # refuse to bring back anything this version cannot read
                settings = orjson.loads(conn.execute("SELECT doc FROM store WHERE name = 'meta'").fetchone()[0])[0]
                self._prune(conn, new, (settings.get("settings") or {}).get("backups", 5))
                (actions,) = conn.execute("SELECT COUNT(*) FROM items WHERE kind = 'action'").fetchone()
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                raise problem(self.path, e) from None
            return {"generation": generation, "actions": actions}
