"""File checks both backends share, with nothing heavier than os to import."""

from __future__ import annotations

import os
import stat

from actiontrack.errors import BadInput, StoreProblem

# Access to a file store is the file's own permissions (init --shared); roles need a database.
NO_ACCESS = ("access roles need a PostgreSQL store (team mode, see the README): a file store's access is "
             "its file permissions ('actiontrack init --shared' lets the file's group read and write it)")


class FileIdentity:
    """Who and access for a store file: whom --user (or the OS) names; no roles to grant."""

    def access(self) -> list[dict]:
        raise BadInput(NO_ACCESS)

    def set_access(self, login: str, role: str | None) -> None:
        raise BadInput(NO_ACCESS)

    def who(self, user: str, given: bool) -> str:
        return user  # a file has no logins of its own


def missing_store(where: str) -> StoreProblem:
    """The one message for a store that is not there, whichever backend looked."""
    return StoreProblem(f"no store at {where}: run 'actiontrack init' or set ACTIONTRACK_STORE")


def occupied(path: str, where: str) -> StoreProblem:
    """Why a new store cannot be made at `path`: something is there already."""
    if os.path.isdir(path):
        return StoreProblem(f"{where} is a folder, not a store: name a file in it")
    return StoreProblem(f"a store already exists at {where}: it was left as it is")


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


def temp_prefix(path: str) -> str:
    """How a save's temporary files beside the store begin (swept once their writer is gone)."""
    return f".{os.path.basename(path)}."
