"""The index beside a JSON store (`store.json.index`): where each table and each item
lies in the file, so that a change reads only the items it uses and copies the rest.

An officer's update at 10,000 items used to read, parse and rewrite a 15 MB file to
change one record.  With the index, it reads the small tables and its one item, and
the new file is the old one's bytes copied in the kernel (`copy_file_range`) around the
records that changed: the same bytes a full rewrite gives (tested), in a fraction of
the time.

The index is a cache and never the store:
- it is written after the store, by the same save, under the same lock, and names the
  file it describes (inode, size and modification time): a store written by anything
  else (a restore, a hand edit, an older version) no longer matches it, and is read
  whole as before;
- a missing, unreadable or malformed index is ignored in the same way;
- each record read through it is checked to be the record it should be (its ref); one
  that is not stops the command (exit 3) before anything is written, and the index is
  set aside, so the next run reads the file whole.

Reports read the file whole (they read every item anyway) and never use it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from operator import add, sub
from typing import NamedTuple

import msgspec

from actiontrack.errors import StoreProblem
from actiontrack.store.files import temp_prefix

VERSION = 2  # 2: the change time too
SUFFIX = ".index"


class Span(NamedTuple):
    """Bytes of the old file to copy as they are: [start, start + length)."""

    start: int
    length: int


class Placed(msgspec.Struct, array_like=True):
    """Where a table's items are in the file, in its order: item i (document id i + 1)
    is `refs[i]`, its bytes [starts[i], starts[i] + lengths[i])."""

    refs: list[str]
    starts: list[int]
    lengths: list[int]


class Index(msgspec.Struct):
    """The file beside the store: which file it describes, and where its tables and items are."""

    version: int
    inode: int
    size: int
    mtime_ns: int
    # The inode's change time, which no one can set back (utime sets the modification
    # time only): a hand edit that keeps the size and restores the time still shows.
    ctime_ns: int
    tables: dict[str, tuple[int, int]]  # each table's value, {...}: [start, end)
    items: dict[str, Placed]  # "actions", "resolutions"


_INDEX = msgspec.json.Decoder(Index)


def index_path(path: str) -> str:
    return path + SUFFIX


def usable() -> bool:
    """Only where a file can be read at an offset and replaced while open (not Windows)."""
    return os.name == "posix" and hasattr(os, "pread")


def read_index(path: str, fd: int) -> Index | None:
    """The index of the file open as `fd`, if there is one and it describes this file."""
    try:
        with open(index_path(path), "rb") as f:
            index = _INDEX.decode(f.read())
        st = os.fstat(fd)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if (index.version, index.inode, index.size, index.mtime_ns, index.ctime_ns) != \
            (VERSION, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns):
        return None
    return index


def holds(index: Index, order: tuple[str, ...], items: tuple[str, ...], read: Callable[[int, int], bytes]) -> bool:
    """Whether the file (read by `read(start, length)`) is laid out as the index says:
    '{"meta":{...},"plans":{...},...}', each table's value right after its key, one table
    after another to the file's last byte, and each item table's documents from its first
    ("1":) to its closing brace.  An index that names the file (inode, size, time) but
    misplaces a table is caught here, before it is believed; an item it misplaces is caught
    as the item is read (IndexedItems, FileItems), and the bytes copied between items are
    the file's own, so nothing it says about them can corrupt a save."""
    at = 0
    for n, name in enumerate(order):
        key = (b'{"' if n == 0 else b',"') + name.encode() + b'":'
        start, end = index.tables.get(name, (-1, -1))
        if start != at + len(key) or end < start + 2 or read(at, len(key) + 1) != key + b"{" \
                or read(end - 1, 1) != b"}":
            return False
        at = end
    if at + 1 != index.size or read(at, 1) != b"}" or set(index.tables) != set(order):
        return False
    for name in items:
        placed, (start, end) = index.items.get(name), index.tables[name]
        if placed is None or not len(placed.refs) == len(placed.starts) == len(placed.lengths):
            return False
        if placed.refs and (placed.starts[0] != start + 5 or placed.starts[-1] + placed.lengths[-1] != end - 1
                            or read(start + 1, 4) != b'"1":' or not _tiled(placed)):
            return False
        if not placed.refs and end != start + 2:
            return False
    return set(index.items) == set(items)


def _tiled(placed: Placed) -> bool:
    """Each document starts where the one before ends plus its separator (,"id":), so the
    items cover their table exactly: none left out, none overlapping.  (In C-speed steps:
    at 100k items this runs on every command.)"""
    n = len(placed.starts)
    gaps: list[int] = []  # the separators' lengths, ,"2": onwards: 4 + the id's digits
    digits, first = 1, 2
    while first <= n:
        last = min(n, 10 ** digits - 1)
        if last >= first:
            gaps.extend([4 + digits] * (last - first + 1))
        digits, first = digits + 1, max(first, 10 ** digits)
    ends = list(map(add, placed.starts, placed.lengths))
    return list(map(sub, placed.starts[1:], ends)) == gaps


def separator(position: int) -> bytes:
    """What comes before a table's document at `position` (from 0): its id, position + 1."""
    return b'"1":' if position == 0 else b',"%d":' % (position + 1)


def set_aside(path: str) -> None:
    try:
        os.unlink(index_path(path))
    except OSError:
        pass


def stale(path: str) -> StoreProblem:
    """The store is not where its index says: set the index aside, and say so."""
    set_aside(path)
    return StoreProblem(f"{path} does not match its index (restored or edited by another program?): "
                        "nothing was changed; the index was set aside, so run the command again")


class Source:
    """The store file as it was read: open until the save has copied from it, or (read
    for a report) until the items read from it are let go."""

    def __init__(self, path: str, fd: int):
        self.path = path
        self.fd = fd

    def read(self, start: int, length: int) -> bytes:
        data = os.pread(self.fd, length, start)
        if len(data) != length:
            raise self.stale()
        return data

    def read_or_nothing(self, start: int, length: int) -> bytes:
        """The bytes there, or b"" (a check reading past the end fails, it does not raise)."""
        return os.pread(self.fd, length, start) if start >= 0 else b""

    def stale(self) -> StoreProblem:
        return stale(self.path)

    def copy_to(self, fd: int, span: Span) -> None:
        """Append the span's bytes to `fd`, in the kernel where it can."""
        offset, left = span.start, span.length
        while left > 0:
            try:
                n = os.copy_file_range(self.fd, fd, left, offset)
            except (AttributeError, OSError):  # no such call here, or not across these files
                n = os.write(fd, os.pread(self.fd, min(left, 1 << 22), offset))
            if n <= 0:
                raise self.stale()
            offset += n
            left -= n

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        # A report's store is read as used and never saved: its file closes when let go.
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter shutdown `os` may be gone; the OS closes it then
            pass


class Written:
    """Where a save put each table and item, to write beside the store as its index."""

    def __init__(self) -> None:
        self.offset = 0
        self.tables: dict[str, tuple[int, int]] = {}
        self.items: dict[str, Placed] = {}

    def passed(self, piece: bytes | Span) -> None:
        self.offset += len(piece) if isinstance(piece, bytes) else piece.length

    def write(self, path: str, written: os.stat_result, mode: int) -> None:
        """The index for the file just written; never fails the save (it is only a cache)."""
        index = Index(VERSION, written.st_ino, written.st_size, written.st_mtime_ns, written.st_ctime_ns, self.tables,
                      self.items)
        # Named as the save's own temporary files, so one a killed writer left is swept like them.
        tmp = os.path.join(os.path.dirname(os.path.abspath(path)), f"{temp_prefix(path)}index.{os.getpid()}.tmp")
        try:
            with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as f:
                f.write(msgspec.json.encode(index))
            os.replace(tmp, index_path(path))
        except OSError:
            set_aside(path)
            try:
                os.unlink(tmp)
            except OSError:
                pass
