"""A TinyDB storage that never leaves a half-written store behind.

TinyDB's JSONStorage rewrites the file in place, so a crash mid-write truncates it.
This one writes a temporary file in the same folder, fsyncs it, renames it over the
store and fsyncs the folder: a reader sees the old store or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import tempfile

from tinydb.storages import Storage

from actiontrack.errors import StoreProblem


class AtomicJSONStorage(Storage):
    def __init__(self, path: str, mode: int = 0o600):
        super().__init__()
        self.path = path
        self.mode = mode

    def read(self):
        try:
            with open(self.path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return None  # a store being created; Repository.load checks existence first
        except IsADirectoryError:
            raise StoreProblem(f"{self.path} is a folder, not a store") from None
        except OSError as e:
            raise StoreProblem(f"cannot read {self.path}: {e.strerror}") from None
        if not raw.strip():
            raise StoreProblem(f"{self.path} is empty: not an actiontrack store")
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise StoreProblem(f"{self.path} is not valid JSON: the store is damaged (see its backups)") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreProblem(f"{self.path} is not an actiontrack store")
        return data

    def write(self, data) -> None:
        folder = os.path.dirname(os.path.abspath(self.path))
        if os.path.exists(self.path) and not os.access(self.path, os.W_OK):
            raise StoreProblem(f"{self.path} is read-only: nothing was changed")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            fd, tmp = tempfile.mkstemp(prefix=".actiontrack-", suffix=".tmp", dir=folder)
        except OSError as e:
            raise StoreProblem(f"cannot write beside {self.path}: {e.strerror}") from None
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, self._mode_for_replace())
            os.replace(tmp, self.path)
        except OSError as e:
            _remove_quietly(tmp)
            raise StoreProblem(f"cannot write {self.path}: {e.strerror}") from None
        except BaseException:
            _remove_quietly(tmp)
            raise
        _fsync_folder(folder)

    def _mode_for_replace(self) -> int:
        # Keep whatever permissions the store already has (a shared store stays shared).
        try:
            return os.stat(self.path).st_mode & 0o777
        except FileNotFoundError:
            return self.mode


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)
