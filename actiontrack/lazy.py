"""Items by ref, decoded from their stored records only when a command first uses them.

An officer's update touches one action of thousands; a clerk's overdue list touches the
ones past due.  Everything else stays as the record it was loaded as, and is saved as
it was, without being decoded and encoded again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from actiontrack.errors import StoreProblem


class LazyItems(MutableMapping):
    def __init__(self, decode: Callable[[dict], Any], records: Iterable[tuple[str, dict]], where: str):
        self._decode = decode
        self._where = where
        self._entries: dict[str, Any] = dict(records)

    def __getitem__(self, ref: str):
        value = self._entries[ref]
        if isinstance(value, dict):
            try:
                value = self._decode(value)
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                raise StoreProblem(f"{self._where} is damaged: record {ref} is malformed "
                                   f"({type(e).__name__}: {e})") from None
            self._entries[ref] = value
        return value

    def __setitem__(self, ref: str, item) -> None:
        self._entries[ref] = item

    def __delitem__(self, ref: str) -> None:
        del self._entries[ref]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, ref: object) -> bool:
        return ref in self._entries

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"LazyItems({len(self._entries)} items)"

    def peek(self, ref: str) -> dict:
        """The stored record, without decoding an item not yet used."""
        value = self._entries[ref]
        return value if isinstance(value, dict) else value.to_record()

    def records(self) -> Iterator[dict]:
        for value in self._entries.values():
            yield value if isinstance(value, dict) else value.to_record()


def peek(items: Mapping, ref: str) -> dict:
    """A record from a LazyItems or a plain dict of items alike."""
    return items.peek(ref) if isinstance(items, LazyItems) else items[ref].to_record()


def records(items: Mapping) -> Iterator[dict]:
    return items.records() if isinstance(items, LazyItems) else (i.to_record() for i in items.values())
