"""Items by ref, decoded from their stored records only when a command first uses them.

An officer's update touches one action of thousands; a clerk's overdue list touches the
ones past due.  Everything else stays as the record it was loaded as, and is saved as
it was, without being decoded and encoded again.  A backend that keeps its items in a
database (store/sqlite_rows) subclasses ItemMap and answers the same questions there.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Generic, TypeVar, cast

from actiontrack.domain.prefilter import Prefilter, changed_after_day
from actiontrack.errors import StoreProblem

T = TypeVar("T")


class ItemMap(MutableMapping[str, T], Generic[T]):
    """A store's actions (or resolutions): ref -> item, each held as its stored record
    (a dict) until first used, then as the decoded item."""

    # decode(record) -> item; a backend that keeps histories apart also passes their loader.
    def __init__(self, decode: Callable[..., T], records: Iterable[tuple[str, Any]] = (), where: str = "the store"):
        self._decode = decode
        self._where = where
        self._entries: dict[str, Any] = dict(records)

    def __getitem__(self, ref: str) -> T:
        value = self._entries[ref]
        if isinstance(value, dict):
            try:
                value = self._decode(value)
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                raise self._malformed(ref, e, value) from None
            self._entries[ref] = value
        return value

    def _malformed(self, ref: str, error: Exception, record: Any = None) -> StoreProblem:
        """`record`: the record that failed (a dict, or its bytes), to name an impossible
        day in it with its value, in one wording whichever decoder met it (domain/damage)."""
        # Said with the way back: a command that does not read this record still works,
        # so the store can go on being changed around it until someone restores or mends it.
        why = None
        if record is not None:
            from actiontrack.domain.damage import impossible_day, wrong_kind  # only once a record has failed

            why = impossible_day(record) or (wrong_kind(record) if isinstance(error, (TypeError, AttributeError)) else None)
        if why is None:
            from actiontrack.domain.damage import in_words

            why = in_words(error)
        return StoreProblem(f"{self._where} is damaged: record {ref} is malformed ({why}); "
                            "'actiontrack restore --list' shows the backups to go back to")

    def __setitem__(self, ref: str, item: T) -> None:
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
        return f"{type(self).__name__}({len(self)} items)"

    # -- what reports and the tracker ask of a store's items ----------------------
    def peek(self, ref: str) -> dict:
        """The stored record, without decoding an item not yet used."""
        value = self._entries[ref]
        return value if isinstance(value, dict) else value.to_record()

    def records(self) -> Iterator[dict]:
        """Every record, as it would be saved."""
        for ref in list(self._entries):
            yield self.peek(ref)

    def select(self, prefilter: Prefilter) -> Iterator[T]:
        """The items whose records pass `prefilter`, decoded only then."""
        for ref in list(self._entries):
            if prefilter.matches(self.peek(ref)):
                yield self[ref]

    def heads(self) -> Iterator[T]:
        """Every item as a listing reads its fields (not its history), one at a time: a
        store's own kind of item where it has one, let go after use, so a count over
        100,000 items never holds them all decoded."""
        for ref in list(self._entries):
            yield self[ref]

    def changed_after(self, cut: str) -> bool:
        """Whether any item has a change counting from after `cut` (ISO), by the saved summaries."""
        return any(changed_after_day(record, cut) for record in self.records())

    def refs_starting(self, prefix: str) -> list[str]:
        """The refs that begin with `prefix` (a theme's actions: "SUFF-1.")."""
        return [ref for ref in self._entries if ref.startswith(prefix)]

    def check_copied(self) -> None:
        """Every record this map would save without having checked it, decoded whole
        (history too) and let go: a StoreProblem naming the first that is damaged.

        A save writes back the records a command never read as they were, so a record
        damaged outside actiontrack (a due date of 31 Feb typed into the file) would be
        copied into every later generation and backup, until none was left to go back to.
        The JSON store calls this before a save from a file its own last save did not write."""
        for record in self.records():
            ref = record.get("ref", "?") if isinstance(record, dict) else "?"
            try:
                cast(Any, self._decode(record)).history  # noqa: B018  # the history is decoded when first read
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                raise self._malformed(ref, e, record) from None

    def put_record(self, record: dict) -> None:
        """Hold a stored record as an item (a JSON export restored), decoded when first used."""
        cast(Any, self)[record["ref"]] = record

    def derived_problems(self) -> list[str]:
        """Copies a store keeps of its items' fields for its own queries (a database's
        prefilter columns) that disagree with the items: none here, a store without them."""
        return []

    def detached(self) -> ItemMap[T]:
        """A copy of every item, to change freely (a point-in-time rewind): nothing done to
        it reaches this map, nor the store behind it."""
        return ItemMap(self._decode, [(r["ref"], copy.deepcopy(r)) for r in self.records()], self._where)
