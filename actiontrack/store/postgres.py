"""A PostgreSQL backend: team mode, many officers at once on the server a council has.

Same records as the JSON and SQLite stores (see store/postgres_rows for the tables);
what changes is who guarantees what:

- Every command is one transaction on one connection.  A report reads one snapshot
  (REPEATABLE READ, READ ONLY).  A change runs at READ COMMITTED and locks each item it
  reads (FOR UPDATE), so two commands on different items never wait for each other and
  two on the same item queue: the second sees the first's change, neither is lost.
  Waiting longer than --lock-timeout is exit 3.  No file lock is used.
- The numbering of changes and the hash chain run through the whole store, so the
  `chain` row is locked only for the moment of the save: if another command committed
  since this one loaded, this one's entries are renumbered and re-sealed after it.
  A change to the small tables (plans, themes, meetings) made meanwhile by someone else
  is a conflict: exit 3, nothing written, run it again.
- Who made a change is the database login (session_user), not what --user claims.
- Access is the database's: three roles by GRANT; the history is append-only.
- Backups are the database's own (pg_dump); `restore` says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import orjson
import psycopg
from psycopg import sql

from actiontrack.domain import chain
from actiontrack.domain.models import HistoryEntry
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import LATER_TABLES, ROW_STORES_FROM, TABLES, decode, encode, schema_version
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.store.base import Transaction
from actiontrack.store.files import missing_store
from actiontrack.store.postgres_rows import (
    LAYOUT,
    SCHEMA,
    TABLES_SQL,
    PostgresRows,
    Refused,
    access_of,
    create_roles,
    grant,
    problem,
    revoke,
)
from actiontrack.store.stored_items import KINDS, StoredItems, row

SMALL_TABLES = tuple(t for t in TABLES if t not in ("actions", "resolutions", "journal"))
CHAIN_KEYS = ("last_txn", chain.HEAD)  # kept in the chain row, not in meta's document


def safe_url(url: str) -> str:
    """The URL as messages show it: never with its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = (parts.username or "") + "@" + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class Session:
    """One command's connection, what it loaded, and what it needs to save only its change."""

    def __init__(self, conn: psycopg.Connection, data: StoreData, rows: PostgresRows, loaded: dict[str, str],
                 journal: int, chain_at: tuple[int, str]):
        self.conn, self.data, self.rows, self.loaded = conn, data, rows, loaded
        self.journal = journal  # journal entries stored when loaded
        self.chain_at = chain_at  # (last_txn, head) when loaded


class PostgresRepository:
    """The Repository interface (store/base.py) over one PostgreSQL database."""

    def __init__(self, url: str, *, lock_timeout: float):
        self.url = url
        self.where = safe_url(url)
        self.lock_timeout = lock_timeout
        self._session: Session | None = None
        self._connections: list[psycopg.Connection] = []

    def close(self) -> None:
        for conn in self._connections:
            conn.close()  # an open transaction is rolled back: nothing unsaved is written
        self._connections.clear()
        self._session = None

    # -- opening ------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        try:
            # libpq reads the rest: PG* variables, ~/.pgpass, service files.
            conn = psycopg.connect(self.url, connect_timeout=max(1, round(self.lock_timeout)),
                                   application_name="actiontrack")
            conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(self.lock_timeout * 1000)}ms",))
            conn.commit()
        except psycopg.Error as e:
            raise problem(self.where, e) from None
        self._connections.append(conn)
        return conn

    def _has_schema(self, conn: psycopg.Connection) -> bool:
        found = conn.execute("SELECT to_regclass('actiontrack.layout') IS NOT NULL").fetchone()
        return bool(found and found[0])

    def exists(self) -> bool:
        conn = self._connect()
        try:
            return self._has_schema(conn)
        finally:
            conn.rollback()

    def who(self, user: str, given: bool) -> str:
        """The database login: in team mode it is the history's 'who', whatever --user says."""
        conn = self._connect()
        try:
            login = conn.execute("SELECT session_user").fetchone()[0]  # type: ignore[index]
        except psycopg.Error as e:
            raise problem(self.where, e) from None
        finally:
            conn.rollback()
        if given and user != login:
            raise BadInput(f"--user (or ACTIONTRACK_USER) cannot sign a PostgreSQL store's history: it records "
                           f"your database login, '{login}'; leave --user out, or connect as that user")
        return login

    def _open(self, *, write: bool) -> Session:
        conn = self._connect()
        try:
            if write:
                conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
            else:  # one snapshot for the whole report, however late it fetches a row
                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                conn.read_only = True
            if not self._has_schema(conn):
                raise missing_store(self.where)
            layout = conn.execute("SELECT version FROM actiontrack.layout").fetchone()
            if layout is None or layout[0] > LAYOUT:
                raise StoreProblem(f"{self.where} was written by a newer actiontrack: upgrade actiontrack")
            return self._read(conn, write)
        except psycopg.Error as e:
            raise problem(self.where, e) from None

    def _read(self, conn: psycopg.Connection, write: bool) -> Session:
        loaded: dict[str, str] = dict(conn.execute("SELECT name, doc FROM actiontrack.tables").fetchall())
        chain_row = conn.execute("SELECT last_txn, head FROM actiontrack.chain").fetchone()
        journal = [e for (e,) in conn.execute(
            "SELECT entry FROM actiontrack.history WHERE kind = 'journal' ORDER BY seq").fetchall()]
        try:
            tables = {name: orjson.loads(loaded[name]) for name in SMALL_TABLES if name in loaded or name not in LATER_TABLES}
        except (KeyError, ValueError) as e:
            raise StoreProblem(f"{self.where} is damaged: its {e} table is missing or unreadable") from None
        if chain_row is None:
            raise StoreProblem(f"{self.where} is damaged: its chain row is missing")
        tables["meta"][0].update(last_txn=chain_row[0], **{chain.HEAD: chain_row[1]})
        tables["journal"] = orjson.loads("[" + ",".join(journal) + "]")
        if schema_version(tables, self.where) < ROW_STORES_FROM:
            raise StoreProblem(f"{self.where} is damaged: it has no valid schema version")
        data = decode({**tables, "actions": [], "resolutions": []}, self.where)
        rows = PostgresRows(conn, self.where, lock=write)
        data.actions = StoredItems(rows, "action")
        data.resolutions = StoredItems(rows, "resolution")
        session = Session(conn, data, rows, loaded, len(journal), (chain_row[0], chain_row[1]))
        self._session = session
        return session

    def load(self) -> StoreData:
        return self._open(write=False).data

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        session = self._open(write=True)
        try:
            yield Transaction(self, session.data)
        finally:
            if not session.conn.closed:
                session.conn.rollback()  # not saved: nothing of it is written
            self._session = None

    # -- writing ------------------------------------------------------------------
    def save(self, data: StoreData) -> None:
        session = self._session
        if session is None or session.data is not data:
            raise StoreProblem("internal: a PostgreSQL store saves only the data its transaction loaded")
        conn = session.conn
        pending = {kind: getattr(data, KINDS[kind][0]).pending() for kind in KINDS}
        docs = self._small_docs(data)
        tables = {name: doc for name, doc in docs.items() if session.loaded.get(name) != doc}
        journal = data.journal[session.journal:]
        moved = data.meta.get("last_txn", 0) != session.chain_at[0]
        if not tables and not journal and not moved and not any(records or gone for records, gone in pending.values()):
            conn.rollback()
            return
        needed = self._needed(tables, pending)
        try:
            pending = self._write(session, data, pending, tables, journal)
            conn.commit()
        except Refused as e:
            conn.rollback()
            raise problem(self.where, psycopg.errors.InsufficientPrivilege(), (e.what, e.role)) from None
        except psycopg.Error as e:
            conn.rollback()
            raise problem(self.where, e, needed) from None
        session.journal = len(data.journal)
        session.chain_at = (data.meta.get("last_txn", 0), data.meta.get(chain.HEAD, chain.GENESIS))
        for kind, (records, _gone) in pending.items():
            getattr(data, KINDS[kind][0]).saved(records)

    @staticmethod
    def _needed(tables: dict[str, str], pending: dict[str, tuple[dict, list[str]]]) -> tuple[str, str]:
        """What the change does and the least role that may do it, for a refusal's message."""
        if tables:
            return f"changing the {', '.join(sorted(tables))}", "clerk"
        for _records, gone in pending.values():
            if gone:
                return f"removing {gone[0]}", "clerk"
        return "changing actions and resolutions", "officer"

    def _small_docs(self, data: StoreData) -> dict[str, str]:
        docs = encode(data, SMALL_TABLES)
        docs["meta"] = [{k: v for k, v in docs["meta"][0].items() if k not in CHAIN_KEYS}]
        return {name: orjson.dumps(records).decode() for name, records in docs.items()}

    def _write(self, session: Session, data: StoreData, pending, tables: dict[str, str],
               journal: list[HistoryEntry]) -> dict:
        """Write one command's change; returns what was written of each kind of item."""
        conn = session.conn
        # The moment of the save: hold the chain, and follow whoever committed since the load.
        last_txn, head = conn.execute("SELECT last_txn, head FROM actiontrack.chain FOR UPDATE").fetchone()  # type: ignore[misc]
        counts = self._stored_counts(session, pending)
        if (last_txn, head) != session.chain_at:
            changed = [(getattr(data, KINDS[kind][0])[ref], counts[(kind, ref)])
                       for kind, (records, _gone) in pending.items() for ref in records]
            new_entries = [e for item, stored in changed for e in item.history[stored:]] + journal
            chain.rebase(data, chain.in_sealed_order(new_entries, session.chain_at[1]), session.chain_at[0] + 1,
                         last_txn, head)
            for item, _stored in changed:
                item.touch()  # its record is written again, with the new seals
            pending = {kind: getattr(data, KINDS[kind][0]).pending() for kind in KINDS}
            tables = {n: d for n, d in self._small_docs(data).items() if session.loaded.get(n) != d}
        conn.execute("UPDATE actiontrack.chain SET last_txn = %s, head = %s",
                     (data.meta.get("last_txn", 0), data.meta.get(chain.HEAD, chain.GENESIS)))
        for kind, (records, gone) in pending.items():
            for ref, record in records.items():
                (_k, _r, *columns, doc), (*_key, history) = row(kind, record)
                self._upsert(conn, kind, ref, columns, doc.decode())
                self._append(conn, kind, ref, orjson.loads(history)[counts[(kind, ref)]:])
            if gone:  # the history stays: it is append-only, and an undone add's ref is never reused
                conn.execute("DELETE FROM actiontrack.items WHERE kind = %s AND ref = ANY(%s)", (kind, gone))
        self._append(conn, "journal", "", [e.to_record() for e in journal])
        if tables:
            # Someone else's change to the same small table since the load would be lost: refuse.
            current: dict[str, str] = dict(conn.execute(
                "SELECT name, doc FROM actiontrack.tables WHERE name = ANY(%s) FOR UPDATE", (list(tables),)).fetchall())
            if any(current.get(name) != session.loaded.get(name) for name in tables):
                raise psycopg.errors.SerializationFailure("the structure changed meanwhile")
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO actiontrack.tables (name, doc) VALUES (%s, %s) "
                                "ON CONFLICT (name) DO UPDATE SET doc = excluded.doc", list(tables.items()))
        session.loaded.update(tables)
        return pending

    @staticmethod
    def _stored_counts(session: Session, pending) -> dict[tuple[str, str], int]:
        """How many history entries each item to be written already has in the database."""
        counts: dict[tuple[str, str], int] = {}
        for kind, (records, _gone) in pending.items():
            if records:
                found: dict[str, int] = dict(session.conn.execute(
                    "SELECT ref, count(*) FROM actiontrack.history WHERE kind = %s AND ref = ANY(%s) GROUP BY ref",
                    (kind, list(records))).fetchall())
                counts.update({(kind, ref): found.get(ref, 0) for ref in records})
        return counts

    @staticmethod
    def _upsert(conn: psycopg.Connection, kind: str, ref: str, columns: list, doc: str) -> None:
        updated = conn.execute(
            "UPDATE actiontrack.items SET status = %s, due = %s, baseline_due = %s, completed_on = %s,"
            " late_milestone = %s, latest_effective = %s, doc = %s WHERE kind = %s AND ref = %s",
            (*columns, doc, kind, ref))
        if updated.rowcount == 0:  # a new item: only a clerk may INSERT
            try:
                conn.execute("INSERT INTO actiontrack.items (kind, ref, status, due, baseline_due, completed_on,"
                             " late_milestone, latest_effective, doc) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                             (kind, ref, *columns, doc))
            except psycopg.errors.InsufficientPrivilege as e:
                raise Refused(f"adding {ref}", "clerk") from e

    @staticmethod
    def _append(conn: psycopg.Connection, kind: str, ref: str, entries: list[dict]) -> None:
        if entries:
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO actiontrack.history (kind, ref, entry) VALUES (%s, %s, %s)",
                                [(kind, ref, orjson.dumps(e).decode()) for e in entries])

    def _write_whole(self, conn: psycopg.Connection, data: StoreData) -> None:
        chain.start(data)  # a store from before the chain is sealed as it comes in
        docs = self._small_docs(data)
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO actiontrack.tables (name, doc) VALUES (%s, %s)", list(docs.items()))
        conn.execute("INSERT INTO actiontrack.chain (last_txn, head) VALUES (%s, %s)",
                     (data.meta.get("last_txn", 0), data.meta.get(chain.HEAD, chain.GENESIS)))
        for kind, (attr, _cls) in KINDS.items():
            for record in encode(data, (attr,))[attr]:
                (_k, _r, *columns, doc), (*_key, history) = row(kind, record)
                self._upsert(conn, kind, record["ref"], columns, doc.decode())
                self._append(conn, kind, record["ref"], orjson.loads(history))
        self._append(conn, "journal", "", [e.to_record() for e in data.journal])

    def create(self, data: StoreData) -> None:
        """The schema, the roles and the whole store, in one transaction: all or nothing."""
        conn = self._connect()
        try:
            if self._has_schema(conn):
                raise StoreProblem(f"a store already exists at {self.where}: it was left as it is")
            for statement in TABLES_SQL.split(";"):
                if statement.strip():
                    conn.execute(statement.encode())
            conn.execute("INSERT INTO actiontrack.layout VALUES (%s, 'actiontrack')", (LAYOUT,))
            database = conn.info.dbname
            create_roles(conn, database)
            self._write_whole(conn, data)
            conn.commit()
        except psycopg.errors.InsufficientPrivilege as e:
            conn.rollback()
            raise StoreProblem(f"permission denied: creating a store needs a login that may create schemas and roles "
                               f"(CREATEROLE) in {conn.info.dbname} ({str(e).strip()}); nothing was changed") from None
        except psycopg.Error as e:
            conn.rollback()
            raise problem(self.where, e) from None

    def replace(self, data: StoreData, may_replace: Callable[[StoreData], bool]) -> None:
        """The whole store anew (a demo, a full import): the history goes too, so only its owner may."""
        if not self.exists():
            return self.create(data)
        with self.transaction():
            session = self._session
            assert session is not None
            if not may_replace(session.data):
                raise StoreProblem(f"{self.where} holds a store that must not be replaced: it was left as it is")
            conn = session.conn
            try:
                for table in ("items", "history", "tables", "chain"):
                    conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(SCHEMA, table)))
                self._write_whole(conn, data)
                conn.commit()
            except psycopg.Error as e:
                conn.rollback()
                raise problem(self.where, e, ("replacing the whole store", "owner")) from None

    # -- access -------------------------------------------------------------------
    def access(self) -> list[dict]:
        conn = self._connect()
        try:
            if not self._has_schema(conn):
                raise missing_store(self.where)
            return access_of(conn, conn.info.dbname)
        except psycopg.Error as e:
            raise problem(self.where, e) from None
        finally:
            conn.rollback()

    def set_access(self, login: str, role: str | None) -> None:
        """Give `login` the role (None: take every role away), by the database's own GRANTs."""
        conn = self._connect()
        try:
            if not self._has_schema(conn):
                raise missing_store(self.where)
            if role is None:
                revoke(conn, conn.info.dbname, login)
            else:
                grant(conn, conn.info.dbname, login, role)
            conn.commit()
        except psycopg.errors.InsufficientPrivilege:
            conn.rollback()
            raise StoreProblem("permission denied: granting and revoking access needs the store's owner "
                               "(a login that may create roles); nothing was changed") from None
        except psycopg.errors.UndefinedObject as e:
            conn.rollback()
            raise BadInput(f"no such login: {str(e).strip()}") from None
        except psycopg.Error as e:
            conn.rollback()
            raise problem(self.where, e) from None

    # -- backups ------------------------------------------------------------------
    def _no_backups(self) -> BadInput:
        return BadInput(f"{self.where} is a PostgreSQL store: its backups are the database's own "
                        "(pg_dump, or the server's point-in-time recovery), not 'actiontrack restore'")

    def generations(self) -> list[dict]:
        raise self._no_backups()

    def restore(self, generation: int) -> dict:
        raise self._no_backups()
