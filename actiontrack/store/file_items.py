"""A JSON store file's actions (or resolutions), each kept as its bytes in the file until
a command uses it.

A report never needs to know every item's ref: it reads the items in file order, a
batch at a time, decoding only the fields a row shows (`ActionHead`, `ResolutionHead`:
the history stays bytes) and keeping nothing it does not list, so its memory is the
file and the page, not every item decoded.  A change needs items by ref: the first such
question makes the index of refs, and an item it uses is decoded whole.  At the save,
an item nothing changed is written back as the bytes it was read as.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, ClassVar, Literal

import msgspec
import orjson

from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.models import Action, HistoryEntry, Resolution
from actiontrack.domain.prefilter import Prefilter, changed_after_day, latest_effective
from actiontrack.domain.tables import ACTION_KEYS, RESOLUTION_KEYS
from actiontrack.domain.vocabulary import CLOSED_STATUSES
from actiontrack.errors import StoreProblem

# The vocabulary's words (domain/vocabulary), as types the decoder checks (tested equal).
Status = Literal["not-started", "in-progress", "on-hold", "awaiting-sign-off", "complete", "dropped"]
Rag = Literal["red", "amber", "green"]


class MilestoneHead(msgspec.Struct, gc=False):
    """A milestone as a report reads it (Milestone's fields), read by attribute or by key."""

    number: int
    title: str
    due: date
    done_on: date | None = None

    __getitem__ = object.__getattribute__


class _Head(msgspec.Struct, gc=False):
    """A stored item as a report reads it: Item's fields, dates decoded by the decoder,
    the history left as bytes (decoded only if a rule needs more than the summary).

    Read-only and never saved: the rules and `item_view` read it as they read an Item,
    and a prefilter by key as a record (with its dates as dates: Prefilter.dated)."""

    kind: ClassVar[str] = "item"
    ref: str
    title: str
    owner: str
    baseline_due: date | None
    due: date | None
    # The words actiontrack writes, checked by the decoder (a RAG of "purple" typed in by
    # hand is the record's damage, named as such, not a KeyError in a report).
    status: Status
    rag: Rag | None = None
    success: str | None = None
    finance: str | None = None
    source: str | None = None
    completed_on: date | None = None
    milestones: list[MilestoneHead] = []
    history_bytes: msgspec.Raw = msgspec.field(default=msgspec.Raw(b'"[]"'), name="history")
    summary: dict | None = None
    external_ref: str | None = None

    # By key at C speed: a prefilter reads a few fields of every item in the store.
    __getitem__ = object.__getattribute__

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def stored_summary(self) -> dict | None:
        return self.summary

    @property
    def history(self) -> list[HistoryEntry]:
        return [HistoryEntry.from_record(h) for h in orjson.loads(history_text(self.history_bytes))]


class ActionHead(_Head, gc=False):
    """An action as a report reads it."""

    kind: ClassVar[str] = "action"
    plan: str = ""
    theme: int = 0

    seq = Action.seq  # the same property: a listing sorts heads as it sorts actions


class ResolutionHead(_Head, gc=False):
    """A resolution as a report reads it."""

    kind: ClassVar[str] = "resolution"
    body: str = ""
    meeting: date | None = None
    minute: str = ""
    due_next_meeting: bool = False
    actions: list[str] = []

    number = Resolution.number


class _Ref(msgspec.Struct):
    """Only the ref of a record (the rest skipped), to index a record not written as actiontrack writes."""

    ref: str


_REF = msgspec.json.Decoder(_Ref)
_OUR_PREFIX = b'{"ref":"'  # how actiontrack writes every item: its ref first


def history_text(raw: msgspec.Raw) -> str:
    """An item's history as the JSON text Item decodes when first asked for it."""
    value = msgspec.json.decode(raw)
    return value if isinstance(value, str) else orjson.dumps(value).decode()


class FileItems(ItemMap):
    """Items as the file holds them: its bytes until used (see the module's docstring)."""

    def __init__(self, decode: Callable[..., Any], head: type[_Head], required: frozenset, raws: list[msgspec.Raw],
                 where: str, latest: str | None | bool = False):
        """`latest`: the latest day any stored item's change counts from, as the save that
        wrote the file worked it out (None: no change at all); False when the file does
        not say (an older file): then it is worked out from the items when asked."""
        super().__init__(decode, (), where)
        self._latest = latest
        self._heads = msgspec.json.Decoder(head)
        self._required = required
        self._raws = raws  # the file's records in its order, until indexed by ref
        self._indexed = False
        self._disk: dict[str, msgspec.Raw] = {}  # ref -> the bytes it was read as
        self._fresh: set[str] = set()  # refs given a new item or record since the read

    # -- by ref: what a change asks --------------------------------------------------
    def _index(self) -> None:
        if self._indexed:
            return
        disk = self._disk
        for raw in self._raws:
            ref = self._ref_of(raw)
            if ref in disk:
                # Two records with one ref (one copied, or its ref typed over, by hand): by ref
                # the second hid the first, and the next save wrote the first out of the store.
                raise self._two_with(ref)
            disk[ref] = raw
        self._entries = {**self._disk, **self._entries}
        self._raws = []
        self._indexed = True

    def _two_with(self, ref: str) -> StoreProblem:
        return StoreProblem(f"{self._where} is damaged: two records have the ref {ref}; 'actiontrack restore --list' "
                            "shows the backups to go back to")

    def _ref_of(self, raw: msgspec.Raw) -> str:
        view = memoryview(raw)
        if view[:8] == _OUR_PREFIX:
            head = view[8:200].tobytes()
            end = head.find(b'"')
            if end > 0 and b"\\" not in head[:end]:
                return head[:end].decode()
        try:
            return _REF.decode(raw).ref
        except msgspec.DecodeError as e:
            raise StoreProblem(f"{self._where} is damaged: a record is malformed ({e})") from None

    def _record(self, ref: str, raw: msgspec.Raw) -> dict:
        view = memoryview(raw)  # made before the try: a Ctrl-C between the two made the finally exit 70
        try:
            record = orjson.loads(view)
        except ValueError as e:
            raise self._malformed(ref, e) from None
        finally:
            view.release()
        if not isinstance(record, dict) or not self._required <= record.keys():
            missing = sorted(self._required - record.keys()) if isinstance(record, dict) else ["every field"]
            raise self._malformed(ref, KeyError(f"no {', '.join(missing)}"))
        return record

    def _as_read(self, ref: str, value: Any) -> Any:
        """An entry as the file has it (its bytes), or as held since."""
        return value

    def __getitem__(self, ref: str) -> Any:
        self._index()
        value = self._as_read(ref, self._entries[ref])
        if isinstance(value, msgspec.Raw):
            self._entries[ref] = self._record(ref, value)
        return super().__getitem__(ref)

    def __setitem__(self, ref: str, item: Any) -> None:
        self._index()
        self._fresh.add(ref)
        super().__setitem__(ref, item)

    def __delitem__(self, ref: str) -> None:
        self._index()
        super().__delitem__(ref)

    def __iter__(self) -> Iterator[str]:
        self._index()
        return super().__iter__()

    def __len__(self) -> int:
        return len(self._entries) if self._indexed else len(self._raws)

    def __contains__(self, ref: object) -> bool:
        self._index()
        return super().__contains__(ref)

    def peek(self, ref: str) -> dict:
        self._index()
        value = self._as_read(ref, self._entries[ref])
        return self._record(ref, value) if isinstance(value, msgspec.Raw) else super().peek(ref)

    def records(self) -> Iterator[dict]:
        self._index()
        return super().records()

    def refs_starting(self, prefix: str) -> list[str]:
        self._index()
        return super().refs_starting(prefix)

    # -- many at once: what a report asks -------------------------------------------
    def _heads_of(self, raws: list[msgspec.Raw]) -> Iterator[_Head]:
        """Each record as a report reads it, one at a time (none kept here but its ref).
        A file the index does not describe (a hand edit) may hold two records with one ref:
        said here as the change path says it (_index), not listed twice on a Board paper."""
        decode = self._heads.decode
        seen: set[str] = set()
        for raw in raws:
            try:
                head = decode(raw)
            except msgspec.DecodeError as e:
                raise self._malformed(self._ref_of(raw), e, raw) from None
            if head.ref in seen:
                raise self._two_with(head.ref)
            seen.add(head.ref)
            yield head

    def _held(self) -> list[str]:
        """The refs of the items held decoded (or new): any others are as the file has them."""
        if not self._indexed:
            return []
        return [ref for ref, v in self._entries.items() if not isinstance(v, msgspec.Raw)]

    def _unread(self) -> list[msgspec.Raw]:
        """The records not held decoded, as their bytes."""
        if not self._indexed:
            return self._raws
        return [v for v in self._entries.values() if isinstance(v, msgspec.Raw)]

    def _file_heads(self, held: list[str]) -> Iterator[_Head]:
        """The heads of the items as the file has them (`held`: those decoded since, whose
        bytes are out of date).  IndexedItems reads them through the index instead."""
        return self._heads_of(self._unread())

    def select(self, prefilter: Prefilter) -> Iterator[Any]:
        """Those as the file has them tested as heads, then those held decoded or new."""
        held = self._held()
        dated = prefilter.dated()
        for head in self._file_heads(held):
            if dated.matches(head):
                yield head
        for ref in held:
            if prefilter.matches(self.peek(ref)):
                yield self[ref]

    def heads(self) -> Iterator[Any]:
        held = self._held()
        yield from self._file_heads(held)
        for ref in held:
            yield self[ref]

    def changed_after(self, cut: str) -> bool:
        if any(changed_after_day(self.peek(ref), cut) for ref in self._held()):
            return True
        if self._latest is not False:  # the file says: no pass over every item
            return (self._latest or "") > cut  # type: ignore[operator]
        return any(changed_after_day(head, cut) for head in self._heads_of(self._unread()))

    def latest_effective(self) -> str | None:
        """The latest day any item's change counts from, for the save to write beside them."""
        days = [latest_effective(self.peek(ref)) for ref in self._held()]
        if self._latest is False:
            days.extend(latest_effective(head) for head in self._heads_of(self._unread()))
        else:
            days.append(self._latest)  # type: ignore[arg-type]  # every record as read, changed since or not
        return max((d for d in days if d), default=None)

    # -- what the save writes -----------------------------------------------------
    def saved_pieces(self) -> Iterator[tuple[str, Any]]:
        """Each record as the file will hold it, with its ref: the bytes it was read as
        unless changed."""
        if not self._indexed:
            yield from ((self._ref_of(raw), raw) for raw in self._raws)
            return
        for ref, value in self._entries.items():
            yield ref, self._disk[ref] if self._unchanged(ref, value) else self._encoded(value)

    def _unchanged(self, ref: str, value: Any) -> bool:
        """As read, or decoded to be read and never changed."""
        return isinstance(value, msgspec.Raw) or \
            ref not in self._fresh and (isinstance(value, dict) or value.raw is not None)

    @staticmethod
    def _encoded(value: Any) -> bytes:
        return orjson.dumps(value if isinstance(value, dict) else value.to_record())


KINDS: dict[str, tuple[Callable[..., Any], type[_Head], frozenset]] = {
    "action": (Action.from_record, ActionHead, ACTION_KEYS),
    "resolution": (Resolution.from_record, ResolutionHead, RESOLUTION_KEYS),
}


def file_items(kind: str, raws: Iterable[msgspec.Raw], where: str, latest: str | None | bool = False) -> FileItems:
    return FileItems(*KINDS[kind], list(raws), where, latest)
