"""The JSON store's file: TinyDB's layout, read with msgspec and written record by record.

The file is what TinyDB itself writes (each table maps document ids to documents), so
TinyDB can still open it.  TinyDB is not used to read or write it here: parsing every
item's history to show a listing that never looks at one is what made the JSON store
slow and large (58% of a 100k store's bytes).

Reading skims the file: the small tables are decoded whole, but each action and
resolution is kept as its span of the file's bytes (a `msgspec.Raw`, which refers to the
bytes read rather than copying them) and decoded only when a command uses it
(store/file_items).  Writing puts every record nothing changed back as the bytes it was
read as, and encodes only the ones a command changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import msgspec
import orjson

from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.models import SCHEMA_VERSION
from actiontrack.domain.prefilter import latest_effective
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import TABLES, decode, encode, schema_version
from actiontrack.errors import StoreProblem
from actiontrack.store.files import missing_store

if TYPE_CHECKING:
    from actiontrack.store.file_index import Index, Placed, Source, Span, Written

ITEM_TABLES = ("actions", "resolutions")
# Written in the meta record by every save: the latest day any item's change counts from,
# so a report for today learns that nothing needs rewinding without reading every item.
# Rewritten by each save from what it writes, so never out of step with the items beside it.
LATEST = "items_latest_effective"


class Layout(msgspec.Struct):
    """The tables of a store file, each mapping TinyDB's document ids to documents; the
    items as their bytes in the file.  Tables this version does not know are ignored."""

    meta: dict[str, Any] = {}
    plans: dict[str, Any] = {}
    themes: dict[str, Any] = {}
    actions: dict[str, msgspec.Raw] = {}
    meetings: dict[str, Any] = {}
    resolutions: dict[str, msgspec.Raw] = {}
    people: dict[str, Any] = {}
    returns: dict[str, Any] = {}
    indicators: dict[str, Any] = {}
    journal: dict[str, Any] = {}
    archive: dict[str, Any] = {}


_LAYOUT = msgspec.json.Decoder(Layout)


def _read(path: str) -> bytes:
    """The file's bytes, or a StoreProblem saying in one line why they cannot be had."""
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
    return raw


def skim(payload: bytes, where: str) -> Layout:
    """The file's tables, its items left as bytes; a StoreProblem if it is not a store file."""
    try:
        return _LAYOUT.decode(payload)
    except msgspec.ValidationError:
        raise StoreProblem(f"{where} is not an actiontrack store") from None
    except (msgspec.DecodeError, RecursionError):
        if payload.startswith(b"PK\x03\x04"):  # a zip file: what .xlsx and .ods workbooks are
            raise StoreProblem(f"{where} is a workbook (a zip file), not a store: 'actiontrack import' reads a "
                               "spreadsheet into the store") from None
        raise StoreProblem(f"{where} is not valid JSON: the store is damaged (see 'actiontrack restore --list')") \
            from None


def read_store(path: str, where: str | None = None) -> StoreData:
    """The store in the file at `path`: through its index where one describes the file
    (each item read as used, a report's pass over them a block at a time), else read
    whole; items decoded as used; an older schema migrated."""
    data, _ = _through_index(path)
    return data if data is not None else _read_whole(path, where or path)


def _read_whole(path: str, where: str) -> StoreData:
    payload = _read(path)
    if payload.startswith(b"\xef\xbb\xbf"):  # saved by Windows Notepad after a hand edit: the text is the same
        payload = payload[3:]
    layout = skim(payload, where)
    tables: dict[str, list] = {name: list(getattr(layout, name).values()) for name in TABLES
                               if name not in ITEM_TABLES}
    latest = _latest_of(tables)
    if schema_version(tables, where) < SCHEMA_VERSION:
        # Migrations rewrite records as dicts: an older store is decoded whole, once.
        for name in ITEM_TABLES:
            tables[name] = [_whole(raw, where) for raw in getattr(layout, name).values()]
        return decode(tables, where)
    from actiontrack.store.file_items import file_items

    return decode(tables, where, items=(file_items("action", layout.actions.values(), where, latest),
                                        file_items("resolution", layout.resolutions.values(), where, latest)))


def read_for_change(path: str) -> tuple[StoreData, Source | None]:
    """The store for a change: through its index when one describes the file (store/
    file_index: the small tables and then only the items the change uses are read),
    else read whole.  The Source, when there is one, is the file to copy from at the save."""
    data, source = _through_index(path)
    return (data, source) if data is not None else (_read_whole(path, path), None)


def _through_index(path: str) -> tuple[StoreData | None, Source | None]:
    """The store read through its index, with the file it is read from (left open: its
    items are read as used); (None, None) when no index describes the file."""
    from actiontrack.store import file_index

    if not file_index.usable():
        return None, None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None, None  # reading it whole says why in one line
    source = file_index.Source(path, fd)
    try:
        index = file_index.read_index(path, fd)
        data = _through(index, source) if index is not None else None
    except BaseException:
        source.close()
        raise
    if data is None:
        source.close()
        return None, None
    return data, source


def _through(index: Index, source: Source) -> StoreData | None:
    """The store as its index finds it; None if the index does not fit the file."""
    from actiontrack.store.indexed_items import indexed_items

    if not _fits(index, source.read_or_nothing):
        return None
    tables: dict[str, list] = {}
    try:
        for name in TABLES:
            if name not in ITEM_TABLES:
                start, end = index.tables[name]
                tables[name] = list(_TABLE.decode(source.read(start, end - start)).values())
    except (msgspec.DecodeError, msgspec.ValidationError, StoreProblem):
        return None
    latest = _latest_of(tables)
    if schema_version(tables, source.path) < SCHEMA_VERSION:
        return None
    actions, resolutions = (indexed_items(kind, index.items[table], source, latest, content=index.tables[table][0] + 1)
                            for kind, table in (("action", "actions"), ("resolution", "resolutions")))
    return decode(tables, source.path, items=(actions, resolutions))


def _fits(index: Index, read: Callable[[int, int], bytes]) -> bool:
    from actiontrack.store.file_index import holds

    return holds(index, TABLES, ITEM_TABLES, read)


_TABLE = msgspec.json.Decoder(dict[str, Any])


def _latest_of(tables: dict[str, list]) -> str | None | bool:
    """The meta record's latest day of any item's change (taken out of meta); False when
    the file does not say (an older file)."""
    meta = tables["meta"][0] if len(tables["meta"]) == 1 and isinstance(tables["meta"][0], dict) else {}
    latest = meta.pop(LATEST, False)
    return latest if latest is None or latest is False or isinstance(latest, str) else False


def _latest(items: ItemMap) -> str | None:
    from actiontrack.store.file_items import FileItems

    if isinstance(items, FileItems):
        return items.latest_effective()
    return max((d for d in map(latest_effective, items.records()) if d), default=None)


def _whole(raw: msgspec.Raw, where: str) -> dict:
    try:
        record = orjson.loads(memoryview(raw))
    except ValueError:
        raise StoreProblem(f"{where} is not valid JSON: the store is damaged (see 'actiontrack restore --list')") \
            from None
    return record


def payload(data: StoreData, layout: Written | None = None, source: Source | None = None) -> Iterator[bytes | Span]:
    """The whole file, in pieces to write one after another: TinyDB's layout, documents
    numbered from 1, every item nothing changed as the bytes it was read as (or, read
    through the index of `source`, the file being replaced, as a span of it to copy).
    `layout`: where each table and item lands, noted as the pieces go by, for the index
    beside the file."""
    from actiontrack.store.file_index import Placed, Written
    from actiontrack.store.file_items import FileItems
    from actiontrack.store.indexed_items import IndexedItems

    at = layout if layout is not None else Written()
    small = encode(data, tuple(name for name in TABLES if name not in ITEM_TABLES))
    small["meta"][0][LATEST] = max((d for d in (_latest(data.actions), _latest(data.resolutions)) if d), default=None)
    for n, name in enumerate(TABLES):
        head = (b'{"' if n == 0 else b',"') + name.encode() + b'":{'
        yield head
        at.passed(head)
        start = at.offset - 1
        items = getattr(data, name) if name in ITEM_TABLES else None
        spliced = None
        if isinstance(items, IndexedItems):
            if items.read_from(source):
                spliced = items.spliced(at.offset)
            else:
                items.read_all()  # read from another file (a copy, a conversion): written as bytes, not spans
        if spliced is not None:
            pieces, at.items[name] = spliced
            for piece in pieces:
                yield piece
                at.passed(piece)
        else:
            if isinstance(items, FileItems):
                documents: Iterator[tuple[str, Any]] = items.saved_pieces()
            else:
                records = items.records() if items is not None else small[name]
                documents = ((r.get("ref", ""), orjson.dumps(r)) for r in records)
            placed = Placed([], [], [])
            yield from _documents(documents, at, placed)
            if items is not None:
                at.items[name] = placed
        yield b"}"
        at.passed(b"}")
        at.tables[name] = (start, at.offset)
    yield b"}"
    at.passed(b"}")


def _documents(pieces: Iterator[tuple[str, Any]], at: Written, placed: Placed) -> Iterator[bytes | Span]:
    """A table's documents, "1":{...},"2":{...}, item by item: bytes gathered a few
    thousand at a time (few writes, little held), and runs of unchanged items read through
    the index as one span of the old file, separators and all, where their document ids
    are unchanged (an item before them was taken out: they are not)."""
    from actiontrack.store.file_index import Span, separator
    from actiontrack.store.indexed_items import ItemAt

    batch: list[bytes] = []
    run: Span | None = None  # old bytes to copy, still growing
    for i, (ref, piece) in enumerate(pieces):
        sep = separator(i)
        length = piece.length if isinstance(piece, ItemAt) else len(piece)
        placed.refs.append(ref)
        placed.starts.append(at.offset + len(sep))
        placed.lengths.append(length)
        at.offset += len(sep) + length
        if isinstance(piece, ItemAt) and piece.position == i and run is not None \
                and run.start + run.length + len(sep) == piece.start:
            run = Span(run.start, run.length + len(sep) + length)  # the old separator is this one
            continue
        if run is not None:
            if batch:
                yield b"".join(batch)
                batch.clear()
            yield run
            run = None
        batch.append(sep)
        if isinstance(piece, ItemAt):
            yield b"".join(batch)
            batch.clear()
            run = Span(piece.start, length)
        else:
            batch.append(piece)
            if len(batch) >= 2048:
                yield b"".join(batch)
                batch.clear()
    if run is not None:
        if batch:
            yield b"".join(batch)
        yield run
    elif batch:
        yield b"".join(batch)
