"""Writing a store file so that a crash never leaves a half-written store, with backups.

Rewriting the file in place (as TinyDB's JSONStorage does) would leave it truncated by a
crash mid-write.  This writes a temporary file in the same folder, fsyncs it, renames it
over the store and fsyncs the folder: a reader sees the old store or the new one, never a mix.
Before the rename the old store is kept as generation 1 (`store.json.1`), older
generations shifting up to `backups`.
"""

from __future__ import annotations

import errno
import glob
import os
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from actiontrack.errors import StoreProblem
from actiontrack.store.files import fsync_folder, is_read_only, temp_prefix

if TYPE_CHECKING:
    from actiontrack.store.file_index import Source, Span


def backup_path(path: str, generation: int) -> str:
    return f"{path}.{generation}"


def write_atomically(path: str, pieces: Iterable[bytes | Span], mode: int, backups: int,
                     source: Source | None = None) -> os.stat_result:
    """Write the file as `pieces`, one after another (a big store is never joined into
    one more copy of itself in memory), then put it in place of the store.  A Span is
    bytes of `source` (the store as it was) to copy.  Returns what the new file is (its
    inode, size, time), for the index beside it."""
    folder = os.path.dirname(os.path.abspath(path))
    if is_read_only(path):
        raise StoreProblem(f"{path} is read-only: nothing was changed")
    try:
        fd, tmp = _new_temporary(path, folder)
    except OSError as e:
        raise StoreProblem(f"cannot write beside {path}: {e.strerror}") from None
    # The generations past `backups` go while the new file is written and reaches the
    # disk: freeing a big file's blocks took 15 ms at 10,000 items, now done beside the
    # save instead of after it.  Safe whenever it happens: the store and the generations
    # kept are untouched until the rename, and a save that fails before it has lost only
    # what the next save drops anyway (its .N is the current .N-1).
    dropping = _started(_drop_generations_from, path, max(backups, 1)) if os.path.exists(path) else None
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                if isinstance(piece, bytes):
                    f.write(piece)
                else:
                    assert source is not None, "a span to copy needs the file to copy it from"
                    f.flush()
                    source.copy_to(f.fileno(), piece)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _existing_mode(path, mode))
        _joined(dropping)  # before any generation is renamed onto a name it may still remove
        _rotate_backups(path, backups)
        os.replace(tmp, path)
        # After the rename (under the lock): the chmod and the rename change the file's
        # change time, which the index beside it records (store/file_index).
        written = os.stat(path)
    except OSError as e:
        _joined(dropping)
        _remove_quietly(tmp)
        raise StoreProblem(f"cannot write {path}: {e.strerror}") from None
    except BaseException:
        _joined(dropping)
        _remove_quietly(tmp)
        raise
    fsync_folder(folder)
    return written


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # bytes as written, on Windows too


def _new_temporary(path: str, folder: str) -> tuple[int, str]:
    """A new file only this process has opened, as tempfile.mkstemp makes one (whose
    import, with random and shutil, cost more than the save's own work)."""
    for _ in range(100):
        tmp = os.path.join(folder, f"{temp_prefix(path)}{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _NEW_FILE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name")


def _rotate_backups(path: str, keep: int) -> None:
    """store.json.1 becomes .2 and so on; the current store becomes .1 (a hard link,
    so it costs nothing and the store itself is never absent).  Generations past `keep`
    are gone by now (write_atomically drops them during its fsync)."""
    if not os.path.exists(path):
        return
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
        import shutil

        shutil.copy2(path, backup_path(path, 1))


def _started(work: Callable[..., None], *args: Any) -> threading.Thread | None:
    """`work` begun in a thread of its own; None if it had to be done here (no thread to be had)."""
    thread = threading.Thread(target=work, args=args)
    try:
        thread.start()
    except RuntimeError:  # a process limit on threads: do it now instead
        work(*args)
        return None
    return thread


def _joined(thread: threading.Thread | None) -> None:
    if thread is not None:
        thread.join()


def _drop_generations_from(path: str, first: int) -> None:
    """Generation `first` and any after it (left from a larger setting) go."""
    while os.path.exists(backup_path(path, first)):
        _remove_quietly(backup_path(path, first))
        first += 1


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
