"""File checks both backends share, with nothing heavier than os to import."""

from __future__ import annotations

import os
import stat

from actiontrack.errors import StoreProblem


def missing_store(where: str) -> StoreProblem:
    """The one message for a store that is not there, whichever backend looked."""
    return StoreProblem(f"no store at {where}: run 'actiontrack init' or set ACTIONTRACK_STORE")


def is_read_only(path: str) -> bool:
    """Honour a store marked read-only even for root, whom the OS would let write."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    return not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def fsync_folder(folder: str) -> None:
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
