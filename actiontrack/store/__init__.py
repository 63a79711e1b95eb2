"""Persistence behind the repository interface (store/base.py).  Three backends:

- JSON (store/json_store): a JSON file in TinyDB's layout, written atomically; items
  stay bytes until used and unchanged ones are written back as read (store/json_file,
  store/file_items); a TinyDB in memory (store/tinydb_store) is the backend for tests.
- SQLite (store/sqlite): a row per item, read and written one item at a time; for a
  county-wide store of thousands of actions.
- PostgreSQL (store/postgres): team mode, a postgresql:// URL; many officers at once,
  access and identity from the database.

`open_repository` picks one by the URL, the file's first bytes, or for a new store by its name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actiontrack.errors import BadInput, StoreProblem
from actiontrack.store.locking import file_lock

if TYPE_CHECKING:  # the backends load only when opened: a SQLite command never needs TinyDB
    from actiontrack.store.base import Repository

DEFAULT_LOCK_TIMEOUT = 10.0
PRIVATE, SHARED = 0o600, 0o660


SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
# What a clerk may point --store at by mistake, meaning the sheet an officer sent back.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv")
IMPORTED = (".xlsx", ".xlsm", ".csv", ".tsv")  # what `import` reads (interchange/sheets)


def is_sqlite_store(path: str) -> bool:
    """A file that is a SQLite database, or a new store whose name asks for one."""
    if path.lower().endswith(SQLITE_SUFFIXES):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def is_server_store(path: str) -> bool:
    """A postgresql:// (or postgres://) URL: a database, not a file."""
    return path.split("://", 1)[0].lower() in ("postgresql", "postgres") and "://" in path


def open_repository(path: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, shared: bool = False) -> Repository:
    """The store at `path`: a PostgreSQL database (a postgresql:// URL), a SQLite file (by
    its first bytes, or for a new store by a .db/.sqlite name) or else the JSON file TinyDB keeps."""
    if not path.strip():  # found by a new-user trial: `convert " "` wrote a store named " "
        raise BadInput("no store named: give a file name, or a postgresql:// URL")
    if is_server_store(path):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreProblem("a PostgreSQL store needs psycopg: pip install 'actiontrack[postgres]'") from None
        from actiontrack.store.postgres import PostgresRepository

        return PostgresRepository(path, lock_timeout=lock_timeout)
    if path.lower().endswith(SHEET_SUFFIXES):
        how = (f"'actiontrack import {path}' reads one into the store" if path.lower().endswith(IMPORTED)
               else "save it as .xlsx and 'actiontrack import' that into the store")
        raise BadInput(f"{path} is a spreadsheet, not a store: {how} (--store names the store itself)")
    mode = SHARED if shared else PRIVATE
    if is_sqlite_store(path):
        from actiontrack.store.sqlite import SQLiteRepository

        return SQLiteRepository(path, lock_timeout=lock_timeout, mode=mode,
                                locked=lambda: file_lock(path, lock_timeout, mode))
    from actiontrack.store.json_store import JSONRepository

    return JSONRepository(path, lock_timeout=lock_timeout, mode=mode)


def store_problem(error: Exception) -> StoreProblem | None:
    """A backend's own error escaping a lazy read, as the store problem it is."""
    import sqlite3
    import sys

    if "psycopg" in sys.modules:  # loaded only by a PostgreSQL store
        import psycopg

        if isinstance(error, psycopg.Error):
            from actiontrack.store.postgres_rows import problem as pg_problem

            return pg_problem("the store", error)
    if isinstance(error, sqlite3.Error):
        from actiontrack.store.sqlite_rows import problem

        return problem("the store", error)
    return None


def __getattr__(name: str):
    # Each backend loads only when used: a SQLite store's command never needs msgspec or TinyDB.
    if name == "JSONRepository":
        from actiontrack.store import json_store

        return json_store.JSONRepository
    if name == "MemoryRepository":
        from actiontrack.store import tinydb_store

        return tinydb_store.MemoryRepository
    raise AttributeError(name)
