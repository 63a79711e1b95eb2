"""The JSON store: one file in TinyDB's layout (store/json_file), written atomically under
a lock file, with numbered backups beside it (store.json.1 is the newest)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.store import DEFAULT_LOCK_TIMEOUT, PRIVATE
from actiontrack.store.base import Transaction
from actiontrack.store.files import missing_store
from actiontrack.store.json_file import payload, read_for_change, read_store
from actiontrack.store.locking import file_lock
from actiontrack.store.whole import WholeStore

if TYPE_CHECKING:
    from actiontrack.store.file_index import Source


class JSONRepository(WholeStore):
    """The JSON store: one file, written atomically under a lock file, with numbered
    backups beside it (store.json.1 is the newest)."""

    def __init__(self, path: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, mode: int = PRIVATE):
        self.path = path
        self.where = path
        self.lock_timeout = lock_timeout
        self.mode = mode
        self._source: Source | None = None  # the file a transaction read, to copy from at its save

    def exists(self) -> bool:
        return os.path.lexists(self.path)

    @contextmanager
    def _locked(self):
        from actiontrack.store.atomic import sweep_temporary_files  # writers only: a report never loads it

        with file_lock(self.path, self.lock_timeout, self.mode):
            sweep_temporary_files(self.path)
            yield

    def load(self) -> StoreData:
        # Read afresh each time: under the lock, never a copy from before it.
        return read_store(self.path)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Hold the lock from load to save; read through the index beside the file where
        it describes it (store/file_index), so a change reads only what it uses."""
        if not self.exists():
            # Said before the lock is taken: locking makes the lock file, and a mistyped
            # --store left one behind beside nothing (a new-user trial).
            raise missing_store(self.path)
        with self._locked():
            data, self._source = read_for_change(self.path)
            try:
                yield Transaction(self, data)
            finally:
                if self._source is not None:
                    self._source.close()
                    self._source = None

    def save(self, data: StoreData) -> None:
        from actiontrack.store import file_index
        from actiontrack.store.atomic import write_atomically

        if data.migrated_from and self.exists():
            self._keep_pre_migration_copy(data.migrated_from)
        try:
            data.check_copied()  # before a byte is written: a refused save changes nothing
        except StoreProblem as e:
            raise StoreProblem(f"{e.message}; nothing was changed") from None
        written = file_index.Written()
        stat = write_atomically(self.path, payload(data, written, self._source), self.mode, data.settings.backups,
                                self._source)
        data.migrated_from = None
        if file_index.usable():
            written.write(self.path, stat, stat.st_mode & 0o777)

    def _keep_pre_migration_copy(self, version: int) -> None:
        copy = f"{self.path}.schema{version}"
        if not os.path.exists(copy):
            import shutil  # only on an upgrade: not every command's import

            try:
                shutil.copy2(self.path, copy)
            except OSError as e:
                raise StoreProblem(f"cannot keep a copy of {self.path} before upgrading it: {e.strerror}") from None

    # -- backups ------------------------------------------------------------
    def generations(self) -> list[dict]:
        """The backups beside the store, newest first, each with what it holds."""
        from actiontrack.domain.chain import HEAD  # restore --list only
        from actiontrack.store.atomic import backup_path

        found = []
        generation = 1
        while os.path.exists(backup_path(self.path, generation)):
            path = backup_path(self.path, generation)
            entry = {"generation": generation, "path": path,
                     "saved_at": datetime.fromtimestamp(os.stat(path).st_mtime).astimezone().isoformat(timespec="seconds")}
            try:
                data = _checked_backup(path)
                # The seal of its newest history entry, which names that change wherever it
                # is found: its number alone does not (after a restore, numbers are given again).
                entry.update(readable=True, actions=len(data.actions), last_txn=data.meta.get("last_txn", 0),
                             last_seal=data.meta.get(HEAD))
            except StoreProblem as e:
                entry.update(readable=False, problem=e.message)
            found.append(entry)
            generation += 1
        return found

    def restore(self, generation: int) -> dict:
        """Make backup `generation` the store; the store as it was becomes generation 1."""
        from actiontrack.store import file_index
        from actiontrack.store.atomic import backup_path, write_atomically

        source = backup_path(self.path, generation)
        if not os.path.exists(source):  # said before the lock file is made (beside a missing store, say)
            raise BadInput(f"there is no backup {generation} of {self.path} (see 'actiontrack restore --list')")
        with self._locked():
            if not os.path.exists(source):
                raise BadInput(f"there is no backup {generation} of {self.path} (see 'actiontrack restore --list')")
            data = _checked_backup(source)  # refuse to bring back a damaged file
            with open(source, "rb") as f:
                copied = f.read()
            mode = os.stat(self.path).st_mode & 0o777 if self.exists() else self.mode
            write_atomically(self.path, [copied], mode, data.settings.backups)
            file_index.set_aside(self.path)  # it describes the store that was
            return {"generation": generation, "actions": len(data.actions)}


def _checked_backup(path: str) -> StoreData:
    """A backup read, and every item's fields in it decoded once: a record damaged by hand
    (a due date of 31 Feb) is copied forward by every save that does not touch it, so a
    backup that merely parses may hold it too, and restoring it would bring the damage back."""
    data = read_store(path)
    data.check_copied()  # every record whole, its history too
    return data
