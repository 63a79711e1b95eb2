"""Items by ref, decoded from their stored records only when a command first uses them.

An officer's update touches one action of thousands; a clerk's overdue list touches the
ones past due.  Everything else stays as the record it was loaded as, and is saved as
it was, without being decoded and encoded again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from actiontrack.errors import StoreProblem

CLOSED = ("complete", "dropped")


@dataclass(frozen=True)
class Prefilter:
    """Which stored records a report could want, in fields every backend can index.

    Dates are ISO text (they compare as text).  A prefilter may let through more than a
    report keeps, never less: the rules run on the decoded items afterwards.
    """

    late_before: str  # open, and due or with an undone milestone due before this day
    moved: bool = False  # or open and due later than its baseline
    completed_after: str | None = None  # or completed late (after its baseline) after this day

    def matches(self, record: dict) -> bool:
        status = record["status"]
        if status == "complete" and self.completed_after is not None:
            done, baseline = record.get("completed_on"), record["baseline_due"]
            return bool(done and done > self.completed_after and baseline and done > baseline)
        if status in CLOSED:
            return False
        due, cut = record["due"], self.late_before
        if due and (due < cut or (self.moved and record["baseline_due"] and due > record["baseline_due"])):
            return True
        late = late_milestone(record)
        return late is not None and late < cut


def late_milestone(record: dict) -> str | None:
    """The earliest due date among the record's milestones not yet done."""
    return min((m["due"] for m in record.get("milestones", ()) if m["done_on"] is None), default=None)


def changed_after_day(record: dict, cut: str) -> bool:
    """Whether the record's history has a change counting from after `cut` (ISO)."""
    summary = record.get("summary")
    if not isinstance(summary, dict):
        return True  # no summary saved (a hand-edited record?): assume so, to be safe
    return (summary.get("latest_effective") or "") > cut


class LazyItems(MutableMapping):
    # decode(record) -> item; a backend that keeps histories apart also passes their loader.
    def __init__(self, decode: Callable[..., Any], records: Iterable[tuple[str, dict]], where: str):
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

    def select(self, prefilter: Prefilter) -> Iterator[Any]:
        """The items whose records pass `prefilter`, decoded only then."""
        for ref in list(self._entries):
            if prefilter.matches(self.peek(ref)):
                yield self[ref]

    def changed_after(self, cut: str) -> bool:
        return any(changed_after_day(record, cut) for record in self.records())

    def refs_starting(self, prefix: str) -> list[str]:
        return [ref for ref in self._entries if ref.startswith(prefix)]


def peek(items: Mapping, ref: str) -> dict:
    """A record from a LazyItems or a plain dict of items alike."""
    return items.peek(ref) if isinstance(items, LazyItems) else items[ref].to_record()


def records(items: Mapping) -> Iterator[dict]:
    return items.records() if isinstance(items, LazyItems) else (i.to_record() for i in items.values())


def select(items: Mapping, prefilter: Prefilter) -> Iterator[Any]:
    if isinstance(items, LazyItems):
        return items.select(prefilter)
    return (i for i in items.values() if prefilter.matches(i.to_record()))


def refs_starting(items: Mapping, prefix: str) -> list[str]:
    """The refs that begin with `prefix` (a theme's actions: "SUFF-1.")."""
    if isinstance(items, LazyItems):
        return items.refs_starting(prefix)
    return [ref for ref in items if ref.startswith(prefix)]


def changed_after(items: Mapping, cut: str) -> bool:
    if isinstance(items, LazyItems):
        return items.changed_after(cut)
    return any(changed_after_day(record, cut) for record in records(items))
