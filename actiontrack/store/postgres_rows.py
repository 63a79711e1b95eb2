"""A PostgreSQL store's tables, its three roles, and the queries over its item rows.

Everything lives in one schema, `actiontrack`, owned by the login that ran `init`:

- `items`: a row per action and resolution (the record without its history, with the
  prefilter's columns beside it, as in SQLite);
- `history`: a row per history entry, items' and the journal's alike.  Nobody but the
  schema's owner may UPDATE, DELETE or TRUNCATE it: it is append-only by GRANT;
- `chain`: one row, the newest transaction number and the hash chain's head, the only
  part of the store's meta an officer's change writes;
- `tables`: the small tables (plans, themes, meetings, archive, the rest of meta), one
  row each.

Access is by GRANT to three group roles per database, each the one below plus more:
reader (SELECT), officer (update items, append history, move the chain) and clerk
(add and remove items, change the small tables).  PostgreSQL enforces them, whatever
client connects.
"""

from __future__ import annotations

from collections.abc import Iterable

import psycopg
from psycopg import sql

from actiontrack.domain.prefilter import Prefilter
from actiontrack.errors import StoreProblem
from actiontrack.store.stored_items import COLUMN_NAMES, late_clause

SCHEMA = "actiontrack"
LAYOUT = 1  # actiontrack.layout.version: the tables below; migrated forward when it grows
ROLES = ("reader", "officer", "clerk")  # each may do what the one before may, and more

TABLES_SQL = """
CREATE SCHEMA actiontrack;
CREATE TABLE actiontrack.layout (version integer NOT NULL, application text NOT NULL);
CREATE TABLE actiontrack.tables (name text PRIMARY KEY, doc text NOT NULL);
CREATE TABLE actiontrack.chain (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_txn bigint NOT NULL,
    head text NOT NULL
);
-- ISO dates and refs compare as bytes (COLLATE "C"), as in SQLite, whatever the server's locale.
CREATE TABLE actiontrack.items (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    ref text COLLATE "C" NOT NULL,
    status text NOT NULL,
    due text COLLATE "C",
    baseline_due text COLLATE "C",
    completed_on text COLLATE "C",
    late_milestone text COLLATE "C",
    latest_effective text COLLATE "C",
    doc text NOT NULL,
    UNIQUE (kind, ref)
);
CREATE TABLE actiontrack.history (
    seq bigserial PRIMARY KEY,
    kind text NOT NULL,
    ref text NOT NULL,
    entry text NOT NULL
);
CREATE INDEX history_by_item ON actiontrack.history (kind, ref, seq);
"""

# What each role may do beyond the one before it.  Officers change items in place and
# append history; only clerks add or remove items or change the structure.
GRANTS = {
    "reader": ["GRANT USAGE ON SCHEMA actiontrack TO {role}",
               "GRANT SELECT ON ALL TABLES IN SCHEMA actiontrack TO {role}"],
    "officer": ["GRANT UPDATE ON actiontrack.items, actiontrack.chain TO {role}",
                "GRANT INSERT ON actiontrack.history TO {role}",
                "GRANT USAGE ON SEQUENCE actiontrack.history_seq_seq TO {role}"],
    "clerk": ["GRANT INSERT, DELETE ON actiontrack.items TO {role}",
              "GRANT INSERT, UPDATE ON actiontrack.tables TO {role}",
              "GRANT USAGE ON SEQUENCE actiontrack.items_id_seq TO {role}"],
}


def role_name(database: str, role: str) -> str:
    """The group role for `role` in this database (roles are server-wide, stores are not)."""
    return f"{database}_{role}"


def create_roles(conn: psycopg.Connection, database: str) -> None:
    """The three group roles, each a member of the one below, with their GRANTs."""
    below = None
    for role in ROLES:
        name = role_name(database, role)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        for statement in GRANTS[role]:
            conn.execute(sql.SQL(statement).format(role=sql.Identifier(name)))
        if below is not None:
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(below), sql.Identifier(name)))
        below = name


class Refused(Exception):
    """The server refused one step of a save: what it was, and the role it needs."""

    def __init__(self, what: str, role: str):
        super().__init__(what)
        self.what, self.role = what, role


def problem(where: str, e: psycopg.Error, needed: tuple[str, str] | None = None) -> StoreProblem:
    """A PostgreSQL error as the one-line store problem a user can act on.

    needed: (what the command was doing, the role that needs) for a refusal's message.
    """
    text = (str(e).strip().splitlines() or [type(e).__name__])[0]
    if isinstance(e, psycopg.errors.InsufficientPrivilege):
        what, role = needed or ("this", "store owner's")
        return StoreProblem(f"permission denied: {what} needs the {role} role (ask the store's owner: "
                            f"'actiontrack access grant LOGIN --role {role}'); nothing was changed"
                            if role in ROLES else f"permission denied: {text}; nothing was changed")
    if isinstance(e, psycopg.errors.LockNotAvailable):
        return StoreProblem("another user is changing the same item: try again, or give a longer --lock-timeout")
    if isinstance(e, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected):
        return StoreProblem("another user changed the same items at the same moment: nothing was changed; run it again")
    if isinstance(e, psycopg.errors.UniqueViolation):
        return StoreProblem("another user added an item with the same ref at the same moment: nothing was changed; "
                            "run it again")
    if isinstance(e, psycopg.errors.UndefinedTable | psycopg.errors.UndefinedColumn):
        return StoreProblem(f"{where} is damaged or not an actiontrack store ({text})")
    if isinstance(e, psycopg.OperationalError):
        return StoreProblem(f"cannot use {where}: {text}")
    return StoreProblem(f"cannot use {where}: {text}")


class PostgresRows:
    """The item queries (stored_items.ItemRows) over one PostgreSQL connection.

    In a write transaction every item read for use is locked (FOR UPDATE) until the
    commit: a second command changing the same item waits for the first and then sees
    its change, so neither is lost; commands on different items never wait.
    """

    def __init__(self, conn: psycopg.Connection, where: str, *, lock: bool):
        self.conn, self.where = conn, where
        self.lock = " FOR UPDATE" if lock else ""
        self.history_counts: dict[tuple[str, str], int] = {}  # entries stored, per item read

    def _query(self, query: str, params: tuple | dict = ()) -> list[tuple]:
        try:
            return self.conn.execute(query.encode(), params).fetchall()
        except psycopg.Error as e:
            # Locking a row to change it (FOR UPDATE) is itself refused to a reader.
            raise problem(self.where, e, ("changing actions and resolutions", "officer") if self.lock else None) from None

    def refs(self, kind: str) -> Iterable[str]:
        return [r for (r,) in self._query("SELECT ref FROM actiontrack.items WHERE kind = %s ORDER BY id", (kind,))]

    def doc(self, kind: str, ref: str) -> str | None:
        found = self._query(f"SELECT doc FROM actiontrack.items WHERE kind = %s AND ref = %s{self.lock}", (kind, ref))
        return found[0][0] if found else None

    def has(self, kind: str, ref: str) -> bool:
        return bool(self._query("SELECT 1 FROM actiontrack.items WHERE kind = %s AND ref = %s", (kind, ref)))

    def all_with_history(self, kind: str) -> Iterable[tuple[str, str, str]]:
        if self.lock:  # an aggregate cannot lock its rows: lock them first
            self._query("SELECT id FROM actiontrack.items WHERE kind = %s ORDER BY id FOR UPDATE", (kind,))
        rows = self._query(
            "SELECT i.ref, i.doc, h.entries, COALESCE(h.n, 0) FROM actiontrack.items i LEFT JOIN ("
            " SELECT ref, '[' || string_agg(entry, ',' ORDER BY seq) || ']' AS entries, count(*) AS n"
            " FROM actiontrack.history WHERE kind = %s GROUP BY ref) h ON h.ref = i.ref"
            " WHERE i.kind = %s ORDER BY i.id", (kind, kind))
        for ref, doc, entries, count in rows:
            self.history_counts[(kind, ref)] = count
            yield ref, doc, entries or "[]"

    def late(self, kind: str, prefilter: Prefilter) -> Iterable[tuple[str, str]]:
        where = late_clause(prefilter, "%(cut)s", "%(done)s")
        return [(ref, doc) for ref, doc in self._query(
            f"SELECT ref, doc FROM actiontrack.items WHERE kind = %(kind)s AND ({where}) ORDER BY id{self.lock}",
            {"kind": kind, "cut": prefilter.late_before, "done": prefilter.completed_after})]

    def refs_between(self, kind: str, low: str, high: str) -> Iterable[str]:
        return [r for (r,) in self._query(
            "SELECT ref FROM actiontrack.items WHERE kind = %s AND ref >= %s AND ref < %s", (kind, low, high))]

    def changed_after(self, kind: str, cut: str) -> Iterable[str]:
        return [r for (r,) in self._query(
            "SELECT ref FROM actiontrack.items WHERE kind = %s AND (latest_effective IS NULL OR latest_effective > %s)",
            (kind, cut))]

    def columns(self, kind: str) -> Iterable[tuple]:
        return self._query(f"SELECT ref, {', '.join(COLUMN_NAMES)}, doc FROM actiontrack.items WHERE kind = %s "
                           "ORDER BY id", (kind,))

    def history(self, kind: str, ref: str) -> str:
        entries = [e for (e,) in self._query(
            "SELECT entry FROM actiontrack.history WHERE kind = %s AND ref = %s ORDER BY seq", (kind, ref))]
        self.history_counts[(kind, ref)] = len(entries)
        return "[" + ",".join(entries) + "]"


def access_of(conn: psycopg.Connection, database: str) -> list[dict]:
    """Each login with a role in this store, and the store's owner."""
    groups = {role_name(database, r): r for r in ROLES}
    owner = conn.execute("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = %s", (SCHEMA,)).fetchone()
    rows = [{"login": owner[0].strip('"'), "role": "owner"}] if owner else []
    found = conn.execute(
        "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid"
        " JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = ANY(%s) ORDER BY m.rolname", (list(groups),)).fetchall()
    best: dict[str, str] = {}
    for login, group in found:
        if login not in groups:  # the group roles are members of each other
            role = groups[group]
            if ROLES.index(role) >= ROLES.index(best.get(login, "reader")):
                best[login] = role
    return rows + [{"login": login, "role": role} for login, role in sorted(best.items())]


def grant(conn: psycopg.Connection, database: str, login: str, role: str) -> None:
    """`login` (made if it is not a role yet) holds `role` in this store, and no other."""
    if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
    revoke(conn, database, login)
    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role_name(database, role)), sql.Identifier(login)))


def revoke(conn: psycopg.Connection, database: str, login: str) -> None:
    for role in ROLES:
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(role_name(database, role)),
                                                         sql.Identifier(login)))
