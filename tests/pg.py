"""A real PostgreSQL server for the suite: pgserver's binaries, started by the tests.

One server per test process (each xdist worker its own, in its own folder, on a Unix
socket only), a new database per test, and a login per name a test acts as: on
PostgreSQL the history names the login, so a test's `user` is whom it connects as.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from urllib.parse import quote

import psycopg
from psycopg import sql

TABLES = ("layout", "tables", "chain", "items", "history")


class PgServer:
    """pgserver's PostgreSQL, with helpers to make databases and logins and read a store whole."""

    def __init__(self, folder: str, server):
        self.folder = folder
        self._server = server
        self._numbers = itertools.count(1)
        self._logins: set[str] = {"postgres"}
        self.admin = psycopg.connect(self.url("postgres", "postgres"), autocommit=True)
        # The suite tests actiontrack's durability, not the server's: a test server need not
        # wait for the disk (a client killed mid-command is still a real crash for it).
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            self.admin.execute(sql.SQL("ALTER SYSTEM SET {} = off").format(sql.Identifier(setting)))
        self.admin.execute("SELECT pg_reload_conf()")

    @classmethod
    def start(cls) -> PgServer:
        import pgserver

        # A short folder: a Unix socket's path must fit in about 100 characters.
        folder = tempfile.mkdtemp(prefix="atpg-", dir="/tmp")
        try:
            server = pgserver.get_server(folder, cleanup_mode="stop")
        except Exception as e:
            raise RuntimeError(f"the PostgreSQL server for the tests could not start in {folder}: {e}") from e
        return cls(folder, server)

    def stop(self) -> None:
        # A smart shutdown waits for every client: end any a test left open, then stop.
        self.admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")
        self.admin.close()
        self._server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str, user: str = "postgres") -> str:
        """The URL for `user` (a login made on first use; a superuser unless made otherwise)."""
        if user not in self._logins:
            self.login(user, superuser=True)
        return f"postgresql://{quote(user, safe='')}@/{database}?host={self.folder}"

    def login(self, name: str, *, superuser: bool = False) -> None:
        """A login role `name` (what `access grant` would be given)."""
        found = self.admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not found:
            self.admin.execute(sql.SQL("CREATE ROLE {} LOGIN" + (" SUPERUSER" if superuser else ""))
                               .format(sql.Identifier(name)))
        self._logins.add(name)

    def new_database(self) -> str:
        name = f"t{os.getpid()}_{next(self._numbers)}"
        self.admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        return name

    def snapshot(self, database: str) -> bytes:
        """Every row of the store's tables, in order: equal exactly when nothing changed."""
        with psycopg.connect(self.url(database)) as conn:
            if not conn.execute("SELECT to_regclass('actiontrack.layout')").fetchone()[0]:  # type: ignore[index]
                return b""
            parts = []
            for table in TABLES:
                rows = conn.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(sql.Identifier("actiontrack", table)))
                parts.append(repr((table, rows.fetchall())))
            return "\n".join(parts).encode()
