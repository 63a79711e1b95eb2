"""A TinyDB storage that never leaves a half-written store behind, and keeps backups.

TinyDB's JSONStorage rewrites the file in place, so a crash mid-write truncates it.
This one writes a temporary file in the same folder, fsyncs it, renames it over the
store and fsyncs the folder: a reader sees the old store or the new one, never a mix.
Before the rename the old store is kept as generation 1 (`store.json.1`), older
generations shifting up to `backups`.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile

import orjson
from tinydb.storages import Storage

from actiontrack.errors import StoreProblem
from actiontrack.store.files import fsync_folder, is_read_only, missing_store


def backup_path(path: str, generation: int) -> str:
    return f"{path}.{generation}"


def temp_prefix(path: str) -> str:
    return f".{os.path.basename(path)}."


def read_tables(path: str) -> dict:
    """The parsed file, or a StoreProblem saying in one line what is wrong with it."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise missing_store(path) from None
    except IsADirectoryError:
        raise StoreProblem(f"{path} is a folder, not a store") from None
    except OSError as e:
        raise StoreProblem(f"cannot read {path}: {e.strerror}") from None
    if not raw.strip():
        raise StoreProblem(f"{path} is empty: not an actiontrack store")
    try:
        data = orjson.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise StoreProblem(f"{path} is not valid JSON: the store is damaged (see 'actiontrack restore --list')") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreProblem(f"{path} is not an actiontrack store")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage over a JSON file that is replaced whole and atomically, keeping backups."""

    def __init__(self, path: str, mode: int = 0o600, backups: int = 5):
        super().__init__()
        self.path = path
        self.mode = mode
        self.backups = backups

    def read(self):
        if not os.path.lexists(self.path):
            return None  # a store being created; the repository checks existence first
        return read_tables(self.path)

    def write(self, data) -> None:
        payload = orjson.dumps(data)
        write_atomically(self.path, payload, self.mode, self.backups)


def write_atomically(path: str, payload: bytes, mode: int, backups: int) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if is_read_only(path):
        raise StoreProblem(f"{path} is read-only: nothing was changed")
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    except OSError as e:
        raise StoreProblem(f"cannot write beside {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _existing_mode(path, mode))
        _rotate_backups(path, backups)
        os.replace(tmp, path)
    except OSError as e:
        _remove_quietly(tmp)
        raise StoreProblem(f"cannot write {path}: {e.strerror}") from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    fsync_folder(folder)


def _rotate_backups(path: str, keep: int) -> None:
    """store.json.1 becomes .2 and so on; the current store becomes .1 (a hard link,
    so it costs nothing and the store itself is never absent)."""
    if not os.path.exists(path):
        return
    # Generations past `keep` go, including any left from a larger setting.
    extra = max(keep, 1)
    while os.path.exists(backup_path(path, extra)):
        _remove_quietly(backup_path(path, extra))
        extra += 1
    if keep <= 0:
        return
    for generation in range(keep - 1, 0, -1):
        older = backup_path(path, generation)
        if os.path.exists(older):
            os.replace(older, backup_path(path, generation + 1))
    try:
        os.link(path, backup_path(path, 1))
    except OSError:
        # Some shared drives have no hard links: copy instead.
        shutil.copy2(path, backup_path(path, 1))


def sweep_temporary_files(path: str) -> None:
    """Remove temporary files a killed writer left; call only while holding the lock."""
    folder = os.path.dirname(os.path.abspath(path))
    for leftover in glob.glob(os.path.join(glob.escape(folder), glob.escape(temp_prefix(path)) + "*.tmp")):
        _remove_quietly(leftover)


def _existing_mode(path: str, default: int) -> int:
    # Keep whatever permissions the store already has (a shared store stays shared).
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        return default


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
