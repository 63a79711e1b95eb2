"""A store in memory, for tests of the core: TinyDB over its MemoryStorage, read and
written whole, in the JSON file's layout (each table maps document ids to documents)."""

from __future__ import annotations

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import MemoryStorage

from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import TABLES, decode, encode
from actiontrack.errors import BadInput
from actiontrack.store.files import missing_store
from actiontrack.store.whole import WholeStore


class MemoryRepository(WholeStore):
    """A store in memory, for tests of the core: no file, no lock, no backups."""

    where = "memory"

    def __init__(self):
        self._handle = TinyDB(storage=CachingMiddleware(MemoryStorage))
        self._created = False

    def exists(self) -> bool:
        return self._created

    def generations(self) -> list[dict]:
        return []

    def restore(self, generation: int) -> dict:
        raise BadInput("a store in memory keeps no backups")

    def load(self) -> StoreData:
        if not self.exists():
            raise missing_store(self.where)
        raw = self._handle.storage.read() or {}
        return decode({name: list((raw.get(name) or {}).values()) for name in TABLES}, self.where)

    def save(self, data: StoreData) -> None:
        storage = self._handle.storage
        # TinyDB's layout: each table maps document ids to documents; written in one go.
        storage.write({name: {str(i): doc for i, doc in enumerate(docs, start=1)}
                       for name, docs in encode(data).items()})
        storage.flush()  # type: ignore[attr-defined]
        self._created = True
