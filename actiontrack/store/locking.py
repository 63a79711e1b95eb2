"""The lock file beside a store, held by every command that changes it, from load to save."""

from __future__ import annotations

import errno
import os
import time
from contextlib import contextmanager

from actiontrack.errors import StoreProblem

try:
    import fcntl
except ImportError:  # Windows: filelock's msvcrt lock instead
    fcntl = None  # type: ignore[assignment]

POLL = 0.05  # seconds between tries while another command holds the lock (as filelock polls)


def _timed_out(timeout: float) -> StoreProblem:
    return StoreProblem(f"store is locked by another process (waited {timeout:g}s): "
                        "try again, or give a longer --lock-timeout")


@contextmanager
def file_lock(path: str, timeout: float, mode: int):
    """`flock` on the lock file where the OS has it, as filelock itself does there (so
    the two exclude each other): importing filelock, and the logging, pathlib and
    threading it brings, cost every command more than the save it guards.  On Windows,
    or a file system without flock, filelock (with its own fallbacks)."""
    if fcntl is None:
        with _filelock(path, timeout, mode):
            yield
        return
    try:
        fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, mode)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(folder):  # /proc, say: there, but no file can be made in it (a new-user trial)
            raise StoreProblem(f"cannot make files in the folder {folder} for {path}") from None
        raise StoreProblem(f"there is no folder {folder} for {path}") from None
    except OSError as e:
        raise StoreProblem(f"cannot lock {path}: {e.strerror}") from None
    try:
        locked = _acquire(fd, path, timeout)
        if locked:
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    if not locked:
        with _filelock(path, timeout, mode):
            yield


def _acquire(fd: int, path: str, timeout: float) -> bool:
    """True once locked; False if this file system has no flock."""
    assert fcntl is not None
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _timed_out(timeout) from None
            time.sleep(POLL)
        except OSError as e:
            if e.errno in (errno.ENOSYS, errno.EOPNOTSUPP):
                return False
            raise StoreProblem(f"cannot lock {path}: {e.strerror}") from None


@contextmanager
def _filelock(path: str, timeout: float, mode: int):
    from filelock import FileLock, Timeout

    lock = FileLock(f"{path}.lock", timeout=timeout, mode=mode)
    try:
        lock.acquire()
    except Timeout:
        raise _timed_out(timeout) from None
    except OSError as e:
        raise StoreProblem(f"cannot lock {path}: {e.strerror}") from None
    try:
        yield
    finally:
        lock.release()
