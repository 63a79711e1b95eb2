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

from collections.abc import Iterator
from typing import Any

import msgspec
import orjson

from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.models import SCHEMA_VERSION
from actiontrack.domain.prefilter import latest_effective
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.tables import TABLES, decode, encode, schema_version
from actiontrack.errors import StoreProblem
from actiontrack.store.files import missing_store

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


def read_bytes(path: str) -> bytes:
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
        raise StoreProblem(f"{where} is not valid JSON: the store is damaged (see 'actiontrack restore --list')") \
            from None


def read_store(path: str, where: str | None = None) -> StoreData:
    """The store in the file at `path`: items decoded as used; an older schema migrated."""
    where = where or path
    layout = skim(read_bytes(path), where)
    tables: dict[str, list] = {name: list(getattr(layout, name).values()) for name in TABLES
                               if name not in ITEM_TABLES}
    meta = tables["meta"][0] if len(tables["meta"]) == 1 and isinstance(tables["meta"][0], dict) else {}
    latest = meta.pop(LATEST, False)  # False: an older file, which does not say
    if not (latest is None or latest is False or isinstance(latest, str)):
        latest = False
    if schema_version(tables, where) < SCHEMA_VERSION:
        # Migrations rewrite records as dicts: an older store is decoded whole, once.
        for name in ITEM_TABLES:
            tables[name] = [_whole(raw, where) for raw in getattr(layout, name).values()]
        return decode(tables, where)
    from actiontrack.store.file_items import file_items

    return decode(tables, where, items=(file_items("action", layout.actions.values(), where, latest),
                                        file_items("resolution", layout.resolutions.values(), where, latest)))


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


def payload(data: StoreData) -> Iterator[bytes]:
    """The whole file, in pieces to write one after another: TinyDB's layout, documents
    numbered from 1, every item nothing changed as the bytes it was read as."""
    from actiontrack.store.file_items import FileItems

    small = encode(data, tuple(name for name in TABLES if name not in ITEM_TABLES))
    small["meta"][0][LATEST] = max((d for d in (_latest(data.actions), _latest(data.resolutions)) if d), default=None)
    for n, name in enumerate(TABLES):
        yield b'{"' if n == 0 else b',"'
        yield name.encode() + b'":{'
        items = getattr(data, name) if name in ITEM_TABLES else None
        pieces = items.saved_pieces() if isinstance(items, FileItems) else \
            (orjson.dumps(r) for r in (items.records() if items is not None else small[name]))
        batch: list[bytes] = []
        for i, piece in enumerate(pieces, start=1):
            batch.append(b'"%d":' % i if i == 1 else b',"%d":' % i)
            batch.append(piece)
            if len(batch) >= 2048:  # a few thousand records a write: few calls, little held
                yield b"".join(batch)
                batch.clear()
        yield b"".join(batch) + b"}"
    yield b"}"
