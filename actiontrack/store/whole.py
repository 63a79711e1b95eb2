"""What the two stores read and written whole share: one lock from load to save, and
create/replace refusing to overwrite a store they must not (JSON file, TinyDB in memory)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from actiontrack.domain.storedata import StoreData
from actiontrack.errors import StoreProblem
from actiontrack.store.base import Transaction
from actiontrack.store.files import FileIdentity, occupied


class WholeStore(FileIdentity):
    """A store loaded whole and saved whole by each command (see store/base.py)."""

    where = "the store"

    def exists(self) -> bool:
        raise NotImplementedError

    def load(self) -> StoreData:
        raise NotImplementedError

    def save(self, data: StoreData) -> None:
        raise NotImplementedError

    def generations(self) -> list[dict]:
        raise NotImplementedError

    def restore(self, generation: int) -> dict:
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the store (nothing is held open between load and save)."""

    @contextmanager
    def _locked(self):
        yield

    def create(self, data: StoreData) -> None:
        with self._locked():
            if self.exists():
                raise occupied(getattr(self, "path", ""), self.where)
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
