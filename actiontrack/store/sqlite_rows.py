"""The items of a SQLite store: a record as its rows, and the queries that fetch them.

Each action and resolution is a row of `items` (its record as JSON, with copies of the
fields a report's prefilter tests beside it) and a row of `histories` (its history's
JSON string), kept apart so that a scan of the items never reads the histories.
"""

from __future__ import annotations

import sqlite3

from actiontrack.domain.prefilter import Prefilter
from actiontrack.errors import StoreProblem
from actiontrack.store.stored_items import COLUMN_NAMES, KINDS, late_clause, row

__all__ = ["KINDS", "SQLiteRows", "delete_items", "guarded", "problem", "row", "write_items"]
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




def write_items(conn: sqlite3.Connection, kind: str, records) -> None:
    rows = [row(kind, record) for record in records]
    conn.executemany(UPSERT, [item for item, _ in rows])
    conn.executemany(UPSERT_HISTORY, [history for _, history in rows])


def delete_items(conn: sqlite3.Connection, kind: str, refs) -> None:
    keys = [(kind, ref) for ref in refs]
    conn.executemany("DELETE FROM items WHERE kind = ? AND ref = ?", keys)
    conn.executemany("DELETE FROM histories WHERE kind = ? AND ref = ?", keys)




class SQLiteRows:
    """The item queries (stored_items.ItemRows) over one SQLite connection."""

    def __init__(self, conn: sqlite3.Connection, where: str):
        self.conn, self.where = conn, where

    def _query(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return guarded(self.where, self.conn.execute, sql, params)

    def refs(self, kind: str):
        return (r for (r,) in self._query("SELECT ref FROM items WHERE kind = ? ORDER BY id", (kind,)))

    def doc(self, kind: str, ref: str) -> bytes | None:
        found = self._query("SELECT doc FROM items WHERE kind = ? AND ref = ?", (kind, ref)).fetchone()
        return found[0] if found else None

    def has(self, kind: str, ref: str) -> bool:
        return self._query("SELECT 1 FROM items WHERE kind = ? AND ref = ?", (kind, ref)).fetchone() is not None

    def all_with_history(self, kind: str):
        for ref, doc, history in self._query(f"{WITH_HISTORY} WHERE i.kind = ? ORDER BY i.id", (kind,)):
            yield ref, doc, history.decode()

    def late(self, kind: str, prefilter: Prefilter):
        # A report wants most rows: one pass over the table in order beats going through
        # the (kind, ref) index and sorting, which the planner would otherwise choose.
        sql = (f"SELECT ref, doc FROM items NOT INDEXED WHERE kind = :kind AND ({late_clause(prefilter, ':cut', ':done')})"
               " ORDER BY id")
        return self._query(sql, {"kind": kind, "cut": prefilter.late_before, "done": prefilter.completed_after})

    def refs_between(self, kind: str, low: str, high: str):
        return (r for (r,) in self._query("SELECT ref FROM items WHERE kind = ? AND ref >= ? AND ref < ?", (kind, low, high)))

    def changed_after(self, kind: str, cut: str):
        return (r for (r,) in self._query("SELECT ref FROM items NOT INDEXED WHERE kind = ? "
                                          "AND (latest_effective IS NULL OR latest_effective > ?)", (kind, cut)))

    def columns(self, kind: str):
        return self._query(f"SELECT ref, {', '.join(COLUMN_NAMES)}, doc FROM items WHERE kind = ? ORDER BY id", (kind,))

    def history(self, kind: str, ref: str) -> str:
        found = self._query("SELECT history FROM histories WHERE kind = ? AND ref = ?", (kind, ref)).fetchone()
        return found[0].decode() if found else "[]"
