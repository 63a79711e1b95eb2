"""The actions (or resolutions) of a database store, fetched as a command asks for them.

SQLite and PostgreSQL keep each item as a row (its record, with copies of the fields a
report's prefilter tests beside it) and its history apart, so that a scan of the items
never reads the histories.  `StoredItems` is the mapping a command sees; the queries
are each backend's `ItemRows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import orjson

from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.models import Action, Resolution, with_history
from actiontrack.domain.prefilter import Prefilter, changed_after_day, late_milestone
from actiontrack.domain.vocabulary import CLOSED_STATUSES

KINDS: dict[str, tuple[str, type[Action] | type[Resolution]]] = {
    "action": ("actions", Action), "resolution": ("resolutions", Resolution)}


def late_clause(prefilter: Prefilter, cut: str, done: str) -> str:
    """The prefilter as SQL over the item columns; `cut` and `done` name the parameters."""
    late = f"due < {cut} OR late_milestone < {cut}"
    if prefilter.moved:
        late += " OR due > baseline_due"
    where = f"(status NOT IN ({', '.join(repr(s) for s in sorted(CLOSED_STATUSES))}) AND ({late}))"
    if prefilter.completed_after is not None:
        where += f" OR (status = 'complete' AND completed_on > {done} AND completed_on > baseline_due)"
    return where


# The fields a database store keeps copies of beside each record, for a report's WHERE.
COLUMN_NAMES = ("status", "due", "baseline_due", "completed_on", "late_milestone", "latest_effective")
def row(kind: str, record: dict) -> tuple[tuple, tuple]:
    """An item's record as its two rows: the prefilter columns and the record; its history."""
    summary = record.get("summary")
    latest = (summary.get("latest_effective") or "") if isinstance(summary, dict) else None
    history = record.get("history", "[]")
    doc = orjson.dumps({k: v for k, v in record.items() if k != "history"})
    return ((kind, record["ref"], record["status"], record["due"], record["baseline_due"], record.get("completed_on"),
             late_milestone(record), latest, doc),
            (kind, record["ref"], history.encode() if isinstance(history, str) else orjson.dumps(history)))


class ItemRows(Protocol):
    """A backend's queries over its item rows (kind is 'action' or 'resolution')."""

    where: str

    def refs(self, kind: str) -> Iterable[str]:
        """Every ref, in the order the items were added."""
        ...

    def doc(self, kind: str, ref: str) -> bytes | str | None:
        """The item's record without its history (a write transaction locks the row)."""
        ...

    def has(self, kind: str, ref: str) -> bool: ...

    def all_with_history(self, kind: str) -> Iterable[tuple[str, bytes | str, str]]:
        """(ref, record, history as a JSON array) for every item, in the order added."""
        ...

    def late(self, kind: str, prefilter: Prefilter) -> Iterable[tuple[str, bytes | str]]:
        """(ref, record) of the items the prefilter may let through, in the order added."""
        ...

    def refs_between(self, kind: str, low: str, high: str) -> Iterable[str]: ...

    def changed_after(self, kind: str, cut: str) -> Iterable[str]:
        """Refs whose latest change may be after `cut` (or is not known)."""
        ...

    def history(self, kind: str, ref: str) -> str:
        """The item's history as a JSON array."""
        ...

    def columns(self, kind: str) -> Iterable[tuple]:
        """(ref, status, due, baseline_due, completed_on, late_milestone, latest_effective,
        record) of every item, in the order added: its prefilter columns as stored."""
        ...


class HistoryLoader:
    """Fetches one item's history when the item's history is first used."""

    __slots__ = ("kind", "ref", "rows")

    def __init__(self, rows: ItemRows, kind: str, ref: str):
        self.rows, self.kind, self.ref = rows, kind, ref

    def __call__(self) -> str:
        return self.rows.history(self.kind, self.ref)


class StoredItems(ItemMap):
    """The actions (or resolutions) of a database store, fetched as a command asks for them.

    What a command fetched, added or deleted is held here until the save; everything
    else stays in the database.
    """

    def __init__(self, rows: ItemRows, kind: str):
        cls = KINDS[kind][1]
        super().__init__(cls.from_record, (), rows.where)
        self._rows = rows
        self._kind = kind
        self._gone: set[str] = set()  # deleted here, still in the database until saved
        self._new: set[str] = set()  # added here, not in the database yet
        self._refs: dict[str, None] | None = None  # every ref, in the order added, read on first need
        self._all_fetched = False

    # -- what the database holds ------------------------------------------------
    def _all_refs(self) -> dict[str, None]:
        if self._refs is None:
            refs = dict.fromkeys(self._rows.refs(self._kind))
            for ref in self._gone:
                refs.pop(ref, None)
            refs.update(dict.fromkeys(self._new))
            self._refs = refs
        return self._refs

    def _light(self, ref: str, doc: bytes | str):
        """An item from its record alone; its history is fetched if a command uses it."""
        try:
            return self._decode(orjson.loads(doc), HistoryLoader(self._rows, self._kind, ref))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise self._malformed(ref, e, doc) from None

    def derived_problems(self) -> list[str]:
        """Items whose prefilter columns are not what their record gives: a column edited in
        the database by hand drops the item from (or adds it to) the reports that query it,
        while every other command reads the record."""
        from actiontrack.dates import shown_value

        problems = []
        for ref, *stored, doc in self._rows.columns(self._kind):
            try:
                (_, _, *expected, _), _ = row(self._kind, orjson.loads(doc))
            except (KeyError, TypeError, ValueError, AttributeError) as e:  # a record edited past reading
                problems.append(str(self._malformed(ref, e, doc)))
                continue
            problems += [f"{ref}: its {name} as the database indexes it ({shown_value(have or None)}) is not what its record "
                         f"holds ({shown_value(want or None)}): changed outside actiontrack"
                         for name, have, want in zip(COLUMN_NAMES, stored, expected, strict=True) if have != want]
        return problems

    def __getitem__(self, ref: str):
        value = self._entries.get(ref)
        if value is None:
            if ref in self._gone or (self._refs is not None and ref not in self._refs):
                raise KeyError(ref)
            found = self._rows.doc(self._kind, ref)
            if found is None:
                raise KeyError(ref)
            value = self._entries[ref] = self._light(ref, found)
        if isinstance(value, dict):
            return super().__getitem__(ref)
        return value

    def __setitem__(self, ref: str, item) -> None:
        if ref not in self:
            self._new.add(ref)
            if self._refs is not None:
                self._refs[ref] = None
        self._gone.discard(ref)
        self._entries[ref] = item

    def __delitem__(self, ref: str) -> None:
        if ref not in self:
            raise KeyError(ref)
        self._entries.pop(ref, None)
        self._all_refs().pop(ref, None)
        if ref in self._new:
            self._new.discard(ref)
        else:
            self._gone.add(ref)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._all_refs()))

    def __len__(self) -> int:
        return len(self._all_refs())

    def __contains__(self, ref: object) -> bool:
        if self._refs is not None:
            return ref in self._refs
        if ref in self._entries:
            return True
        if ref in self._gone or not isinstance(ref, str):
            return False
        return self._rows.has(self._kind, ref)

    def __repr__(self) -> str:
        return f"StoredItems({self._kind})"

    # -- reading many -------------------------------------------------------------
    def _fetch_all(self) -> None:
        """Every record with its history, in one query: for commands that use them all."""
        if self._all_fetched:
            return
        for ref, doc, history in self._rows.all_with_history(self._kind):
            if ref not in self._entries and ref not in self._gone:
                try:
                    record = orjson.loads(doc)
                    if not isinstance(record, dict):
                        raise TypeError("not a JSON object")
                    self._entries[ref] = with_history(record, history)
                except (TypeError, ValueError) as e:
                    raise self._malformed(ref, e) from None
        self._all_fetched = True

    def values(self):
        self._fetch_all()
        return [self[ref] for ref in self]

    def items(self):
        self._fetch_all()
        return [(ref, self[ref]) for ref in self]

    def peek(self, ref: str) -> dict:
        if ref not in self._entries:
            self._fetch_all()
        return super().peek(ref)

    def records(self) -> Iterator[dict]:
        self._fetch_all()
        for ref in self:
            yield super().peek(ref)

    def _held_record(self, ref: str) -> dict:
        # What a prefilter tests never needs the history: spare an untouched item's fetch.
        value = self._entries[ref]
        if isinstance(value, dict):
            return value
        return value.raw if value.raw is not None else value.to_record()

    def select(self, prefilter: Prefilter) -> Iterator:
        """Items for reading (a report): the database picks the rows; nothing is kept after."""
        held = set(self._entries) | self._gone
        for ref, doc in self._rows.late(self._kind, prefilter):
            if ref not in held:
                yield self._light(ref, doc)
        for ref in list(self._entries):
            if prefilter.matches(self._held_record(ref)):
                yield self[ref]

    def heads(self) -> Iterator:
        """Every item for reading, its record without its history; nothing kept after."""
        held = set(self._entries) | self._gone
        for ref, *_, doc in self._rows.columns(self._kind):
            if ref not in held:
                yield self._light(ref, doc)
        for ref in list(self._entries):
            yield self[ref]

    def refs_starting(self, prefix: str) -> list[str]:
        """By the (kind, ref) index: an add numbers its action without reading every ref."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        stored = [ref for ref in self._rows.refs_between(self._kind, prefix, upper) if ref not in self._gone]
        return stored + [ref for ref in self._new if ref.startswith(prefix)]

    def changed_after(self, cut: str) -> bool:
        held = set(self._entries) | self._gone
        return (any(ref not in held for ref in self._rows.changed_after(self._kind, cut))
                or any(changed_after_day(self._held_record(ref), cut) for ref in self._entries))

    # -- what the save writes -----------------------------------------------------
    def pending(self) -> tuple[dict[str, dict], list[str]]:
        """Records to write (items added or changed), and the refs to delete."""
        records = {}
        for ref, value in self._entries.items():
            if isinstance(value, dict):
                if ref in self._new:
                    records[ref] = value
            elif value.raw is None or ref in self._new:
                records[ref] = value.to_record()
        return records, sorted(self._gone)

    def saved(self, written: dict[str, dict]) -> None:
        """After the commit: what was written is now what the database holds."""
        for ref, record in written.items():
            value = self._entries.get(ref)
            if value is not None and not isinstance(value, dict):
                value.raw = record
        self._new.clear()
        self._gone.clear()
