"""A JSON store's items read through the index beside the file (store/file_index): each
read only when a change uses it, and at the save the rest copied as the file's bytes.

An officer's update touches one action of thousands.  Here it reads that action's bytes
at the offset the index gives, checks they are that action, and the save writes the new
file as spans of the old one around the records that changed: per changed record, not
per item, so the save's work does not grow with the store.  Anything less simple (an item
taken out, which renumbers the documents after it) is saved item by item instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, NamedTuple

import msgspec
import orjson

from actiontrack.errors import StoreProblem
from actiontrack.store.file_index import Placed, Source, Span, separator
from actiontrack.store.file_items import KINDS, FileItems

UNREAD = None  # an entry the index places but nothing has read yet
# A report's pass over every item reads the file this many bytes at a time: each block is
# let go with the heads decoded from it, so a report never holds (nor first copies) the
# whole file, and each record is decoded while its bytes are still in the CPU's cache.
BLOCK = 1 << 16


class ItemAt(NamedTuple):
    """An unchanged item for the save to copy: its bytes in the old file, and its
    position there (from 0), which gave it its document id (position + 1)."""

    start: int
    length: int
    position: int


class IndexedItems(FileItems):
    """Items placed by the index in `source`, each read when first used (see the module)."""

    def __init__(self, kind: str, placed: Placed, source: Source, latest: str | None | bool, content: int):
        """`content`: where the table's first document starts in the file."""
        super().__init__(*KINDS[kind], [], source.path, latest)
        self.content = content
        self._placed = placed
        self._source = source
        self._position = dict(zip(placed.refs, range(len(placed.refs))))
        self._entries = dict.fromkeys(placed.refs, UNREAD)
        self._indexed = True
        self._touched: set[str] = set()  # decoded or set since the read: the only ones that may have changed
        self._taken_out = False
        self._elsewhere = False  # to be written to another file than the one read: as bytes, never spans

    def read_from(self, source: Source | None) -> bool:
        """Whether these items were read from `source` (the file a save replaces)."""
        return source is not None and self._source is source

    def read_all(self) -> None:
        """Every item still in the file read now, to be written to another file as bytes."""
        self._read_all()
        self._elsewhere = True

    def _read(self, ref: str) -> msgspec.Raw:
        """An item's bytes, where the index says they are, checked to be that item."""
        at = self._position[ref]
        start, before = self._placed.starts[at], len(separator(at))
        return self._checked(ref, at, self._source.read(start - before, before + self._placed.lengths[at] + 1))

    def _checked(self, ref: str, at: int, window: bytes) -> msgspec.Raw:
        """`window`: the item's bytes with its separator before and one byte after.  It is
        the document at its position (its id before it), it ends where the next begins or
        the table closes, and it is the item named: else the index misplaced it."""
        sep = separator(at)
        data = window[len(sep):-1]
        raw = msgspec.Raw(data)
        if not window.startswith(sep) or window[-1:] not in (b",", b"}") or not data.endswith(b"}") \
                or self._ref_of(raw) != ref:
            raise self._source.stale()
        self._disk[ref] = self._entries[ref] = raw
        return raw

    def _names(self, record: Any, ref: str) -> bool:
        """Whether the bytes are a record of the item `ref` (if not, the index misplaced them)."""
        try:
            return self._ref_of(msgspec.Raw(record)) == ref
        except StoreProblem:
            return False

    def _malformed(self, ref: str, error: Exception, record: Any = None) -> StoreProblem:
        """A record found where the index says (its id and ref checked) that is not JSON is
        more likely misplaced by the index than broken; one that is JSON but holds a wrong
        value (a due date of 31 Feb) is the record's own damage, said as such: blaming the
        index set aside the index the last save had just written, and left the real fault unsaid."""
        if isinstance(error, orjson.JSONDecodeError) or (isinstance(error, msgspec.DecodeError)
                                                        and not isinstance(error, msgspec.ValidationError)):
            return self._source.stale()
        return super()._malformed(ref, error, record)

    def _as_read(self, ref: str, value: Any) -> Any:
        return self._read(ref) if value is UNREAD else value

    def _read_all(self) -> None:
        """Every item not yet read, in one read of the table."""
        unread = [(ref, self._position[ref]) for ref, value in self._entries.items() if value is UNREAD]
        if not unread:
            return
        starts, lengths = self._placed.starts, self._placed.lengths
        first = min(starts[at] - len(separator(at)) for _, at in unread)
        last = max(starts[at] + lengths[at] + 1 for _, at in unread)
        block = self._source.read(first, last - first)
        for ref, at in unread:
            begin = starts[at] - len(separator(at)) - first
            self._checked(ref, at, block[begin:starts[at] + lengths[at] + 1 - first])

    def __getitem__(self, ref: str) -> Any:
        item = super().__getitem__(ref)
        self._touched.add(ref)
        return item

    def __setitem__(self, ref: str, item: Any) -> None:
        super().__setitem__(ref, item)
        self._touched.add(ref)

    def __delitem__(self, ref: str) -> None:
        super().__delitem__(ref)
        self._taken_out = True

    def _held(self) -> list[str]:
        return [ref for ref, value in self._entries.items() if value is not UNREAD
                and not isinstance(value, msgspec.Raw)]

    # -- many at once: what a report asks -------------------------------------------
    def _file_heads(self, held: list[str]) -> Iterator[Any]:
        """For select and heads: the file read a block at a time (BLOCK), each record
        decoded as a head and checked to be the item the index names there."""
        return self._streamed(set(held))

    def _streamed(self, skip: set[str]) -> Iterator[Any]:
        """The heads of the items as the file has them, in its order; `skip`: refs held
        decoded since the read (their bytes in the file are out of date)."""
        if self._taken_out:
            skip |= set(self._placed.refs) - self._entries.keys()
        decode, refs, starts, lengths = self._heads.decode, self._placed.refs, self._placed.starts, self._placed.lengths
        at, count = 0, len(refs)
        while at < count:
            first, end = starts[at], at + 1
            while end < count and starts[end] + lengths[end] - first <= BLOCK:
                end += 1
            block = memoryview(self._source.read(first, starts[end - 1] + lengths[end - 1] - first))
            for n in range(at, end):
                if skip and refs[n] in skip:
                    continue
                begin = starts[n] - first
                try:
                    head = decode(record := block[begin:begin + lengths[n]])
                except msgspec.ValidationError as e:  # JSON, but is it the record the index names there?
                    raise (self._malformed(refs[n], e, record) if self._names(record, refs[n])
                           else self._source.stale()) from None
                except msgspec.DecodeError:
                    raise self._source.stale() from None  # not JSON there: the index misplaced it
                if head.ref != refs[n]:
                    raise self._source.stale()
                yield head
            at = end

    def check_copied(self) -> None:
        """Nothing to check: the file was written by actiontrack's own save (its index says
        so), which writes only records it encoded from items or checked (FileItems) first."""

    def values(self):
        self._read_all()  # a pass over every item: one read of the table, not a read per item
        return super().values()

    def items(self):
        self._read_all()
        return super().items()

    def records(self) -> Iterator[dict]:
        self._read_all()
        return super().records()

    def _unread(self) -> list[msgspec.Raw]:
        self._read_all()
        return super()._unread()

    # -- what the save writes -----------------------------------------------------
    def saved_pieces(self) -> Iterator[tuple[str, Any]]:
        """Item by item (see FileItems.saved_pieces): an unchanged one as where it is."""
        if self._elsewhere:
            yield from super().saved_pieces()
            return
        starts, lengths, position = self._placed.starts, self._placed.lengths, self._position
        for ref, value in self._entries.items():
            if ref in position and (value is UNREAD or self._unchanged(ref, value)):
                at = position[ref]
                yield ref, ItemAt(starts[at], lengths[at], at)
            else:
                yield ref, self._encoded(value)

    def spliced(self, new_content: int) -> tuple[list[bytes | Span], Placed] | None:
        """The table's documents as spans of the old file around the records that changed,
        then the new ones; with where each item will be.  `new_content`: where the table's
        first document starts in the new file.  None when an item was taken out (the
        documents after it are renumbered: saved item by item)."""
        if self._taken_out:
            return None
        content = self.content
        old = len(self._placed.refs)
        changed = sorted(self._position[ref] for ref in self._touched if ref in self._position
                         and not self._unchanged(ref, self._entries[ref]))
        refs = list(self._placed.refs)
        starts, lengths = list(self._placed.starts), list(self._placed.lengths)
        pieces: list[bytes | Span] = []
        copied_to = content  # the old file's bytes are copied up to here
        shift = new_content - content  # how far the items from `moved` on move in the new file
        moved = 0
        for at in changed:
            start, length = starts[at], lengths[at]
            if start > copied_to:
                pieces.append(Span(copied_to, start - copied_to))  # unchanged items, separators and all
            encoded = self._encoded(self._entries[refs[at]])
            pieces.append(encoded)
            copied_to = start + length
            starts[moved:at + 1] = [s + shift for s in starts[moved:at + 1]]
            lengths[at] = len(encoded)
            shift += len(encoded) - length
            moved = at + 1
        starts[moved:] = [s + shift for s in starts[moved:]]
        end = self._placed.starts[-1] + self._placed.lengths[-1] if old else content
        if end > copied_to:
            pieces.append(Span(copied_to, end - copied_to))
        offset = end + shift  # where the old items end in the new file
        for i, ref in enumerate(islice(self._entries, old, None), start=old):
            sep = separator(i)
            encoded = self._encoded(self._entries[ref])
            pieces.append(sep + encoded)
            refs.append(ref)
            starts.append(offset + len(sep))
            lengths.append(len(encoded))
            offset += len(sep) + len(encoded)
        return pieces, Placed(refs, starts, lengths)


def indexed_items(kind: str, placed: Placed, source: Source, latest: str | None | bool, *,
                  content: int) -> IndexedItems:
    return IndexedItems(kind, placed, source, latest, content)
