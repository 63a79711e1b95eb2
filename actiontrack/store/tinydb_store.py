"""The JSON store: TinyDB over an atomically written JSON file (and TinyDB in memory
for tests).  Each command reads the whole file once and writes it once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import cast

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import MemoryStorage

from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import TABLES, decode, decode_file_layout, encode
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.store import DEFAULT_LOCK_TIMEOUT, PRIVATE
from actiontrack.store.atomic import (
    AtomicJSONStorage,
    backup_path,
    read_tables,
    sweep_temporary_files,
    write_atomically,
)
from actiontrack.store.base import Transaction
from actiontrack.store.files import FileIdentity, missing_store
from actiontrack.store.locking import file_lock


class TinyDBRepository(FileIdentity):
    """The Repository interface (store/base.py) over TinyDB: the whole StoreData in one
    read and one write."""

    where = "the store"

    def _db(self) -> TinyDB:
        raise NotImplementedError

    def exists(self) -> bool:
        raise NotImplementedError

    def generations(self) -> list[dict]:
        raise NotImplementedError

    def restore(self, generation: int) -> dict:
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the store (a JSON store holds nothing open between load and save)."""

    @contextmanager
    def _locked(self):
        yield

    def load(self) -> StoreData:
        if not self.exists():
            raise missing_store(self.where)
        # The whole database in TinyDB's layout, read once through its storage; going
        # table by table would copy every document into a Document first.
        raw = self._db().storage.read() or {}
        return decode({name: list((raw.get(name) or {}).values()) for name in TABLES}, self.where)

    def _cache(self) -> CachingMiddleware:
        # Every TinyDB here is opened over CachingMiddleware (see _db): one write, one flush.
        return cast(CachingMiddleware, self._db().storage)

    def save(self, data: StoreData) -> None:
        storage = self._cache()
        # TinyDB's layout: each table maps document ids to documents; written in one go.
        storage.write({name: {str(i): doc for i, doc in enumerate(docs, start=1)}
                       for name, docs in encode(data).items()})
        storage.flush()

    def create(self, data: StoreData) -> None:
        with self._locked():
            if self.exists():
                raise StoreProblem(f"a store already exists at {self.where}: it was left as it is")
            self.save(data)

    def replace(self, data: StoreData, may_replace: Callable[[StoreData], bool]) -> None:
        """Write `data` as the whole store; an existing store only if may_replace(it) agrees."""
        with self._locked():
            if self.exists() and not may_replace(self.load()):
                raise StoreProblem(f"{self.where} holds a store that must not be replaced: it was left as it is")
            self.save(data)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Hold the lock from load to save, so no other writer's change is lost."""
        with self._locked():
            yield Transaction(self, self.load())


class JSONRepository(TinyDBRepository):
    """The JSON store: one file, written atomically under a lock file, with numbered
    backups beside it (store.json.1 is the newest)."""

    def __init__(self, path: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, mode: int = PRIVATE):
        self.path = path
        self.where = path
        self.lock_timeout = lock_timeout
        self.mode = mode
        self._handle: TinyDB | None = None

    def _db(self) -> TinyDB:
        if self._handle is None:
            # Caching: TinyDB otherwise re-reads the file for every table it touches.
            self._handle = TinyDB(self.path, storage=CachingMiddleware(AtomicJSONStorage), mode=self.mode)
        return self._handle

    def exists(self) -> bool:
        return os.path.lexists(self.path)

    @contextmanager
    def _locked(self):
        with file_lock(self.path, self.lock_timeout, self.mode):
            sweep_temporary_files(self.path)
            self._handle = None  # read afresh under the lock, never a copy from before it
            yield

    def save(self, data: StoreData) -> None:
        if data.migrated_from and self.exists():
            self._keep_pre_migration_copy(data.migrated_from)
        cast(AtomicJSONStorage, self._cache().storage).backups = data.settings.backups
        super().save(data)
        data.migrated_from = None

    def _keep_pre_migration_copy(self, version: int) -> None:
        copy = f"{self.path}.schema{version}"
        if not os.path.exists(copy):
            try:
                shutil.copy2(self.path, copy)
            except OSError as e:
                raise StoreProblem(f"cannot keep a copy of {self.path} before upgrading it: {e.strerror}") from None

    # -- backups ------------------------------------------------------------
    def generations(self) -> list[dict]:
        """The backups beside the store, newest first, each with what it holds."""
        found = []
        generation = 1
        while os.path.exists(backup_path(self.path, generation)):
            path = backup_path(self.path, generation)
            entry = {"generation": generation, "path": path,
                     "saved_at": datetime.fromtimestamp(os.stat(path).st_mtime).astimezone().isoformat(timespec="seconds")}
            try:
                data = decode_file_layout(read_tables(path), path)
                entry.update(readable=True, actions=len(data.actions), last_txn=data.meta.get("last_txn", 0))
            except StoreProblem as e:
                entry.update(readable=False, problem=e.message)
            found.append(entry)
            generation += 1
        return found

    def restore(self, generation: int) -> dict:
        """Make backup `generation` the store; the store as it was becomes generation 1."""
        with self._locked():
            source = backup_path(self.path, generation)
            if not os.path.exists(source):
                raise BadInput(f"there is no backup {generation} of {self.path} (see 'actiontrack restore --list')")
            data = decode_file_layout(read_tables(source), source)  # refuse to bring back a damaged file
            with open(source, "rb") as f:
                payload = f.read()
            mode = os.stat(self.path).st_mode & 0o777 if self.exists() else self.mode
            write_atomically(self.path, payload, mode, data.settings.backups)
            return {"generation": generation, "actions": len(data.actions)}


class MemoryRepository(TinyDBRepository):
    """A store in memory, for tests of the core: no file, no lock, no backups."""

    where = "memory"

    def generations(self) -> list[dict]:
        return []

    def restore(self, generation: int) -> dict:
        raise BadInput("a store in memory keeps no backups")

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
