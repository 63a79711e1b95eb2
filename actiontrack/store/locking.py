"""The lock file beside a store, held by every command that changes it, from load to save."""

from __future__ import annotations

from contextlib import contextmanager

from actiontrack.errors import StoreProblem


@contextmanager
def file_lock(path: str, timeout: float, mode: int):
    from filelock import FileLock, Timeout

    lock = FileLock(f"{path}.lock", timeout=timeout, mode=mode)
    try:
        lock.acquire()
    except Timeout:
        raise StoreProblem(
            f"store is locked by another process (waited {timeout:g}s): "
            "try again, or give a longer --lock-timeout") from None
    except OSError as e:
        raise StoreProblem(f"cannot lock {path}: {e.strerror}") from None
    try:
        yield
    finally:
        lock.release()
