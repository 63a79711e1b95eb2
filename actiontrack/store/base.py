"""The repository interface every backend implements, and the one-command Transaction.

Commands open a repository and either `load()` it (readers never need the lock) or run
a `transaction()`: lock, load, change, save once, unlock.  Nothing above store/ knows
which backend it holds: the JSON file (tinydb_store), SQLite (sqlite), PostgreSQL
(postgres), or in memory for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from actiontrack.domain.storedata import StoreData


class Transaction:
    """One command's data, loaded under the lock and saved once (see Repository.transaction)."""

    def __init__(self, repo: Repository, data: StoreData):
        self.repo = repo
        self.data = data

    def save(self) -> None:
        self.repo.save(self.data)


class Repository(Protocol):
    """A store of plans, themes, actions, resolutions and meetings, with its history and backups."""

    where: str  # how errors name the store: its path, or "the store"

    def exists(self) -> bool:
        """Whether there is a store here (init creates one)."""
        ...

    def who(self, user: str, given: bool) -> str:
        """Whom the history names for a change: `user` for a file store; a server store's
        own login (and `given` says whether --user or ACTIONTRACK_USER named someone)."""
        ...

    def load(self) -> StoreData:
        """The whole store for reading; no lock.  Exit 3 (StoreProblem) if missing or damaged."""
        ...

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Lock, load, and on `Transaction.save()` write once; unlock on leaving."""
        ...

    def save(self, data: StoreData) -> None:
        """Write the data a transaction loaded (called through Transaction.save)."""
        ...

    def create(self, data: StoreData) -> None:
        """Write a new store; refuses (exit 2) where one exists."""
        ...

    def replace(self, data: StoreData, may_replace: Callable[[StoreData], bool]) -> None:
        """Write `data` as the whole store; an existing one only if may_replace(it) agrees."""
        ...

    def generations(self) -> list[dict]:
        """The backups kept, newest first: generation, saved_at, readable, actions, last_txn."""
        ...

    def restore(self, generation: int) -> dict:
        """Bring back backup `generation` (1 is the newest), itself as a new save."""
        ...

    def access(self) -> list[dict]:
        """Who may do what (login, role), where the store's server keeps roles; else BadInput."""
        ...

    def set_access(self, login: str, role: str | None) -> None:
        """Give a login one role (reader, officer, clerk), or none; a file store refuses (BadInput)."""
        ...

    def close(self) -> None:
        """Let go of anything held open (connections, read transactions)."""
        ...
