"""The items of a SQLite store: a record as its rows, and the mapping that fetches them.

Each action and resolution is a row of `items` (its record as JSON, with copies of the
fields a report's prefilter tests beside it) and a row of `histories` (its history's
JSON string), kept apart so that a scan of the items never reads the histories.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import orjson

from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.models import Action, Resolution, with_history
from actiontrack.domain.prefilter import Prefilter, changed_after_day, late_milestone
from actiontrack.domain.vocabulary import CLOSED_STATUSES
from actiontrack.errors import StoreProblem

KINDS: dict[str, tuple[str, type[Action] | type[Resolution]]] = {
    "action": ("actions", Action), "resolution": ("resolutions", Resolution)}
COLUMNS = "kind, ref, status, due, baseline_due, completed_on, late_milestone, latest_effective, doc"
UPSERT = (f"INSERT INTO items ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref) DO UPDATE SET "
          + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS.split(", ")[2:]))
UPSERT_HISTORY = ("INSERT INTO histories (kind, ref, history) VALUES (?, ?, ?) "
                  "ON CONFLICT (kind, ref) DO UPDATE SET history = excluded.history")
WITH_HISTORY = ("SELECT i.ref, i.doc, h.history FROM items AS i NOT INDEXED"
                " JOIN histories AS h ON h.kind = i.kind AND h.ref = i.ref")


# A SQLite store keeps its backups inside the file, so when the file is damaged they
# are too, and `restore` fails with the same error: name what does work.
DAMAGED_ADVICE = ("its backups are inside it, so 'restore' cannot help: put back a copy of the file, or "
                  "import a JSON export into a new store ('actiontrack --store NEW.db init', then "
                  "'actiontrack --store NEW.db import EXPORT.json')")


def problem(where: str, e: sqlite3.Error) -> StoreProblem:
    """A SQLite error as the one-line store problem a user can act on."""
    text = str(e)
    if "locked" in text or "busy" in text:
        return StoreProblem("store is locked by another process: try again, or give a longer --lock-timeout")
    if "readonly" in text:
        return StoreProblem(f"{where} is read-only: nothing was changed")
    if "not a database" in text or "malformed" in text or "no such table" in text or "no such column" in text:
        return StoreProblem(f"{where} is damaged or not an actiontrack store ({text}); {DAMAGED_ADVICE}")
    return StoreProblem(f"cannot use {where}: {text}")


def guarded(where: str, call, *args):
    """call(*args), its SQLite errors turned into the store problem they are."""
    try:
        return call(*args)
    except sqlite3.Error as e:
        raise problem(where, e) from None


def row(kind: str, record: dict) -> tuple[tuple, tuple]:
    """An item's record as its two rows: the prefilter columns and the record; its history."""
    summary = record.get("summary")
    latest = (summary.get("latest_effective") or "") if isinstance(summary, dict) else None
    history = record.get("history", "[]")
    doc = orjson.dumps({k: v for k, v in record.items() if k != "history"})
    return ((kind, record["ref"], record["status"], record["due"], record["baseline_due"], record.get("completed_on"),
             late_milestone(record), latest, doc),
            (kind, record["ref"], history.encode() if isinstance(history, str) else orjson.dumps(history)))


def write_items(conn: sqlite3.Connection, kind: str, records) -> None:
    rows = [row(kind, record) for record in records]
    conn.executemany(UPSERT, [item for item, _ in rows])
    conn.executemany(UPSERT_HISTORY, [history for _, history in rows])


def delete_items(conn: sqlite3.Connection, kind: str, refs) -> None:
    keys = [(kind, ref) for ref in refs]
    conn.executemany("DELETE FROM items WHERE kind = ? AND ref = ?", keys)
    conn.executemany("DELETE FROM histories WHERE kind = ? AND ref = ?", keys)


class HistoryLoader:
    """Fetches one item's history string when the item's history is first used."""

    __slots__ = ("conn", "kind", "ref")

    def __init__(self, conn: sqlite3.Connection, kind: str, ref: str):
        self.conn, self.kind, self.ref = conn, kind, ref

    def __call__(self) -> str:
        found = self.conn.execute("SELECT history FROM histories WHERE kind = ? AND ref = ?", (self.kind, self.ref)).fetchone()
        return found[0].decode() if found else "[]"


class StoredItems(ItemMap):
    """The actions (or resolutions) of a SQLite store, fetched as a command asks for them.

    What a command fetched, added or deleted is held here until the save; everything
    else stays in the database.
    """

    def __init__(self, conn: sqlite3.Connection, kind: str, where: str):
        cls = KINDS[kind][1]
        super().__init__(cls.from_record, (), where)
        self._conn = conn
        self._kind = kind
        self._gone: set[str] = set()  # deleted here, still in the database until saved
        self._new: set[str] = set()  # added here, not in the database yet
        self._refs: dict[str, None] | None = None  # every ref, in the order added, read on first need
        self._all_fetched = False

    # -- what the database holds ------------------------------------------------
    def _query(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return guarded(self._where, self._conn.execute, sql, (self._kind, *params))

    def _all_refs(self) -> dict[str, None]:
        if self._refs is None:
            refs = dict.fromkeys(r for (r,) in self._query("SELECT ref FROM items WHERE kind = ? ORDER BY id"))
            for ref in self._gone:
                refs.pop(ref, None)
            refs.update(dict.fromkeys(self._new))
            self._refs = refs
        return self._refs

    def _light(self, ref: str, doc: bytes):
        """An item from its record alone; its history is fetched if a command uses it."""
        try:
            return self._decode(orjson.loads(doc), HistoryLoader(self._conn, self._kind, ref))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise self._malformed(ref, e) from None

    def _malformed(self, ref: str, e: Exception) -> StoreProblem:
        return StoreProblem(f"{self._where} is damaged: record {ref} is malformed ({type(e).__name__}: {e})")

    def __getitem__(self, ref: str):
        value = self._entries.get(ref)
        if value is None:
            if ref in self._gone or (self._refs is not None and ref not in self._refs):
                raise KeyError(ref)
            found = self._query("SELECT doc FROM items WHERE kind = ? AND ref = ?", (ref,)).fetchone()
            if found is None:
                raise KeyError(ref)
            value = self._entries[ref] = self._light(ref, found[0])
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
        return self._query("SELECT 1 FROM items WHERE kind = ? AND ref = ?", (ref,)).fetchone() is not None

    def __repr__(self) -> str:
        return f"StoredItems({self._kind})"

    # -- reading many -------------------------------------------------------------
    def _fetch_all(self) -> None:
        """Every record with its history, in one query: for commands that use them all."""
        if self._all_fetched:
            return
        for ref, doc, history in self._query(f"{WITH_HISTORY} WHERE i.kind = ? ORDER BY i.id"):
            if ref not in self._entries and ref not in self._gone:
                try:
                    record = orjson.loads(doc)
                    if not isinstance(record, dict):
                        raise TypeError("not a JSON object")
                    self._entries[ref] = with_history(record, history.decode())
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
        late = "due < :cut OR late_milestone < :cut"
        if prefilter.moved:
            late += " OR due > baseline_due"
        where = f"(status NOT IN ({', '.join(repr(s) for s in sorted(CLOSED_STATUSES))}) AND ({late}))"
        if prefilter.completed_after is not None:
            where += " OR (status = 'complete' AND completed_on > :done AND completed_on > baseline_due)"
        # A report wants most rows: one pass over the table in order beats going through
        # the (kind, ref) index and sorting, which the planner would otherwise choose.
        sql = f"SELECT ref, doc FROM items NOT INDEXED WHERE kind = :kind AND ({where}) ORDER BY id"
        params = {"kind": self._kind, "cut": prefilter.late_before, "done": prefilter.completed_after}
        for ref, doc in guarded(self._where, self._conn.execute, sql, params):
            if ref not in held:
                yield self._light(ref, doc)
        for ref in list(self._entries):
            if prefilter.matches(self._held_record(ref)):
                yield self[ref]

    def refs_starting(self, prefix: str) -> list[str]:
        """By the (kind, ref) index: an add numbers its action without reading every ref."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        stored = [ref for (ref,) in self._query("SELECT ref FROM items WHERE kind = ? AND ref >= ? AND ref < ?",
                                                (prefix, upper)) if ref not in self._gone]
        return stored + [ref for ref in self._new if ref.startswith(prefix)]

    def changed_after(self, cut: str) -> bool:
        held = set(self._entries) | self._gone
        rows = self._query("SELECT ref FROM items NOT INDEXED WHERE kind = ? "
                           "AND (latest_effective IS NULL OR latest_effective > ?)",
                           (cut,))
        return (any(ref not in held for (ref,) in rows)
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
