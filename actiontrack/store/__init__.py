"""Persistence behind the repository interface (store/base.py).  Two backends:

- JSON (store/tinydb_store): TinyDB over an atomically written JSON file, read and
  written whole by each command; a TinyDB in memory is the backend for tests.
- SQLite (store/sqlite): a row per item, read and written one item at a time; for a
  county-wide store of thousands of actions.

`open_repository` picks one by the file's first bytes, or for a new store by its name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actiontrack.errors import StoreProblem
from actiontrack.store.locking import file_lock

if TYPE_CHECKING:  # the backends load only when opened: a SQLite command never needs TinyDB
    from actiontrack.store.base import Repository

DEFAULT_LOCK_TIMEOUT = 10.0
PRIVATE, SHARED = 0o600, 0o660


SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def is_sqlite_store(path: str) -> bool:
    """A file that is a SQLite database, or a new store whose name asks for one."""
    if path.lower().endswith(SQLITE_SUFFIXES):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def open_repository(path: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, shared: bool = False) -> Repository:
    """The store at `path`: a SQLite file (by its first bytes, or for a new store by a
    .db/.sqlite name) or else the JSON file TinyDB keeps."""
    mode = SHARED if shared else PRIVATE
    if is_sqlite_store(path):
        from actiontrack.store.sqlite import SQLiteRepository

        return SQLiteRepository(path, lock_timeout=lock_timeout, mode=mode,
                                locked=lambda: file_lock(path, lock_timeout, mode))
    from actiontrack.store.tinydb_store import JSONRepository

    return JSONRepository(path, lock_timeout=lock_timeout, mode=mode)


def store_problem(error: Exception) -> StoreProblem | None:
    """A backend's own error escaping a lazy read, as the store problem it is."""
    import sqlite3

    if isinstance(error, sqlite3.Error):
        from actiontrack.store.sqlite_rows import problem

        return problem("the store", error)
    return None


def __getattr__(name: str):
    # The TinyDB classes load only when used: a SQLite store's command never needs them.
    if name in ("JSONRepository", "MemoryRepository"):
        from actiontrack.store import tinydb_store

        return getattr(tinydb_store, name)
    raise AttributeError(name)
