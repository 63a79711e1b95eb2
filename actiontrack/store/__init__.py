"""Persistence behind a small repository interface.

Commands open a repository, load once, change the StoreData, save once.  TinyDB
over an atomically written JSON file is the backend for use; a TinyDB in memory is
the backend for tests.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import MemoryStorage

from actiontrack.errors import StoreProblem
from actiontrack.models import StoreData
from actiontrack.store.atomic import AtomicJSONStorage
from actiontrack.store.codec import TABLES, decode, encode


class Repository:
    """Load and save a whole StoreData through TinyDB, one read and one write."""

    where = "the store"

    def _db(self) -> TinyDB:
        raise NotImplementedError

    def exists(self) -> bool:
        raise NotImplementedError

    def load(self) -> StoreData:
        if not self.exists():
            raise StoreProblem(f"no store at {self.where}: run 'actiontrack init' or set ACTIONTRACK_STORE")
        db = self._db()
        tables = {name: [dict(doc) for doc in db.table(name).all()] for name in TABLES}
        return decode(tables, self.where)

    def save(self, data: StoreData) -> None:
        db = self._db()
        for name, docs in encode(data).items():
            table = db.table(name)
            table.truncate()
            table.insert_multiple(docs)
        db.storage.flush()

    def create(self, data: StoreData) -> None:
        if self.exists():
            raise StoreProblem(f"a store already exists at {self.where}: it was left as it is")
        self.save(data)

    @contextmanager
    def transaction(self):
        """Load, let the caller change the data, and save only if it asks to."""
        tx = Transaction(self, self.load())
        yield tx


class Transaction:
    def __init__(self, repo: Repository, data: StoreData):
        self.repo = repo
        self.data = data

    def save(self) -> None:
        self.repo.save(self.data)


class JSONRepository(Repository):
    def __init__(self, path: str, mode: int = 0o600):
        self.path = path
        self.where = path
        self.mode = mode
        self._handle: TinyDB | None = None

    def _db(self) -> TinyDB:
        if self._handle is None:
            # Caching: TinyDB otherwise re-reads the file for every table it touches.
            self._handle = TinyDB(self.path, storage=CachingMiddleware(AtomicJSONStorage), mode=self.mode)
        return self._handle

    def exists(self) -> bool:
        return os.path.lexists(self.path)


class MemoryRepository(Repository):
    where = "memory"

    def __init__(self):
        self._handle = TinyDB(storage=CachingMiddleware(MemoryStorage))
        self._created = False

    def _db(self) -> TinyDB:
        return self._handle

    def exists(self) -> bool:
        return self._created

    def save(self, data: StoreData) -> None:
        super().save(data)
        self._created = True


def open_repository(path: str) -> Repository:
    return JSONRepository(path)
