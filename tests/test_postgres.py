"""Team mode: what a PostgreSQL store guarantees beyond the suite every backend passes.

Access enforced by the server (roles by GRANT, an append-only history), identity from
the login, row locks instead of a file lock, changes that race each other renumbered
and re-sealed, and the database's own backups.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from actiontrack.commands import cli as root
from actiontrack.store import open_repository
from tests.conftest import CLI


@pytest.fixture
def team(pg_server, sufficiency_on_pg) -> CLI:
    """The Sufficiency store on PostgreSQL, made by its owner (a superuser login), with a
    reader, an officer and a clerk granted their roles."""
    run = sufficiency_on_pg
    for login, role in (("reader1", "reader"), ("officer1", "officer"), ("clerk1", "clerk")):
        pg_server.login(login)
        assert run.ok("access", "grant", login, "--role", role).startswith(f"{login} now has the {role} role: ")
    return run


@pytest.fixture
def sufficiency_on_pg(pg_server) -> CLI:
    run = CLI(pg_server.new_database(), pg_server)
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", "Corporate Parenting Board",
           as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Commissioning", "--officer", "Head of Commissioning", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "2", "Placements", "--officer", "Head of Placements", as_of="20/07/2022")
    run.ok("action", "add", "SUFF.1", "Refresh the Commissioning Action Plan", "--owner", "Commissioning Manager",
           "--due", "30/11/2022", as_of="20/07/2022")
    run.ok("action", "add", "SUFF.2", "Second children's home", "--owner", "Head of Placements",
           "--due", "31/03/2023", as_of="20/07/2022")
    return run


def connect(run: CLI, login: str) -> psycopg.Connection:
    return psycopg.connect(run.url(login), autocommit=True)


# -- roles ---------------------------------------------------------------------------
def test_access_list_names_the_owner_and_each_role(team):
    rows = team.json("access", "list")
    assert {(r["login"], r["role"]) for r in rows} == {
        ("Democratic Services Officer", "owner"), ("reader1", "reader"), ("officer1", "officer"), ("clerk1", "clerk")}
    team.ok("access", "revoke", "clerk1")
    assert "clerk1" not in {r["login"] for r in team.json("access", "list")}


def test_a_reader_reads_everything_and_changes_nothing(team):
    assert [r["ref"] for r in team.json("overdue", user="reader1")] == ["SUFF-1.1"]
    team.refused("action", "update", "SUFF-1.1", "--rag", "red", user="reader1", code=3,
                 says="permission denied: changing actions and resolutions needs the officer role")


def test_an_officer_updates_but_may_not_add_or_restructure(team):
    team.ok("action", "update", "SUFF-1.1", "--status", "in-progress", "--note", "Drafting", user="officer1")
    team.ok("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "Provider engagement", user="officer1")
    team.refused("action", "add", "SUFF.1", "Another", "--owner", "X", "--due", "31/03/2023", user="officer1",
                 code=3, says="needs the clerk role")
    team.refused("plan", "add", "PERM", "Permanency", user="officer1", code=3, says="needs the clerk role")
    team.ok("action", "add", "SUFF.1", "Another", "--owner", "X", "--due", "31/03/2023", user="clerk1")
    team.ok("meeting", "add", "Corporate Parenting Board", "14/12/2022", user="clerk1")


def test_granting_needs_the_owner(team, pg_server):
    pg_server.login("someone")
    team.refused("access", "grant", "someone", "--role", "clerk", user="clerk1", code=3, says="needs the store's owner")


def test_init_shared_on_a_database_points_to_access_grant(pg_server):
    run = CLI(pg_server.new_database(), pg_server)
    run.refused("init", "--shared", says="access grant LOGIN")
    assert run.snapshot() == b""  # no store was made


def test_access_on_a_file_store_is_bad_input(tmp_path):
    run = CLI(tmp_path / "store.json")
    run.ok("init")
    run.refused("access", "list", code=2, says="need a PostgreSQL store")


def test_the_history_is_append_only_even_in_psql(team):
    with connect(team, "officer1") as conn:
        for statement in ("UPDATE actiontrack.history SET entry = entry", "DELETE FROM actiontrack.history",
                          "TRUNCATE actiontrack.history", "UPDATE actiontrack.tables SET doc = doc"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with connect(team, "clerk1") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM actiontrack.history")


# -- identity ------------------------------------------------------------------------
def test_the_history_names_the_login_and_user_cannot_sign_for_another(team, monkeypatch):
    team.refused("--user", "Director of Children's Services", "action", "update", "SUFF-1.1", "--note", "x",
                 user="officer1", says="records your database login, 'officer1'")
    monkeypatch.setenv("ACTIONTRACK_USER", "Someone Else")
    team.refused("action", "update", "SUFF-1.1", "--note", "x", user="officer1", says="'officer1'")
    monkeypatch.delenv("ACTIONTRACK_USER")
    team.ok("action", "update", "SUFF-1.1", "--note", "Drafting", user="officer1")
    last = team.json("action", "show", "SUFF-1.1")["history"][-1]
    assert (last["user"], last["note"]) == ("officer1", "Drafting")


def test_undo_reverses_your_change_and_refuses_past_someone_elses(team):
    team.ok("action", "update", "SUFF-1.1", "--rag", "amber", user="officer1")
    team.ok("action", "update", "SUFF-1.1", "--note", "Chased", user="clerk1")
    line = team.refused("undo", user="officer1", says="SUFF-1.1 was changed by clerk1 since")
    assert "nothing was undone" in line
    team.ok("action", "update", "SUFF-2.1", "--rag", "green", user="officer1")
    assert "SUFF-2.1" in team.ok("undo", user="officer1")  # the officer's own last change
    assert team.json("action", "show", "SUFF-2.1")["rag"] is None
    assert team.json("action", "show", "SUFF-1.1")["history"][-1]["note"] == "Chased"  # the clerk's stands
    team.ok("undo", user="clerk1")  # the clerk takes theirs back: the officer's change is theirs to undo again
    assert "SUFF-1.1" in team.ok("undo", user="officer1")
    assert team.json("action", "show", "SUFF-1.1")["rag"] is None


# -- concurrency ---------------------------------------------------------------------
def test_different_actions_never_wait_the_same_action_queues(sufficiency_on_pg):
    """Another session holds SUFF-1.1's row (as a change in progress would): a change to
    SUFF-2.1 goes straight through; one to SUFF-1.1 waits, and past --lock-timeout is exit 3."""
    run = sufficiency_on_pg
    holder = psycopg.connect(run.url("postgres"))
    try:
        holder.execute("SELECT 1 FROM actiontrack.items WHERE ref = 'SUFF-1.1' FOR UPDATE")
        run.ok("--lock-timeout", "0.3", "action", "update", "SUFF-2.1", "--note", "not held")
        run.refused("--lock-timeout", "0.3", "action", "update", "SUFF-1.1", "--note", "held", code=3,
                    says="another user is changing the same item")
        assert run.json("overdue")[0]["ref"] == "SUFF-1.1"  # reports never wait for a writer
    finally:
        holder.close()
    run.ok("action", "update", "SUFF-1.1", "--note", "free again")


def test_changes_that_race_are_numbered_and_chained_in_commit_order(sufficiency_on_pg):
    """Two commands load the same store; the second to save follows the first."""
    from actiontrack.changes.tracker import Tracker

    run = sufficiency_on_pg
    first, second = (open_repository(run.url(login)) for login in ("officer-a", "officer-b"))
    try:
        with first.transaction() as a, second.transaction() as b:
            from datetime import date

            for tx, ref, note in ((a, "SUFF-1.1", "from a"), (b, "SUFF-2.1", "from b")):
                Tracker(tx.data, user="x", as_of=date(2022, 12, 1)).update_action(ref, note=note)
            a.save()
            b.save()  # loaded before a's change was committed: renumbered and re-sealed after it
    finally:
        first.close()
        second.close()
    txns = [run.json("action", "show", ref)["history"][-1]["txn"] for ref in ("SUFF-1.1", "SUFF-2.1")]
    assert txns[1] == txns[0] + 1
    assert "the chain is whole" in run.ok("verify", "--exit-code")


def test_two_clerks_changing_the_structure_at_once_lose_nothing(sufficiency_on_pg):
    from datetime import date

    from actiontrack.changes.tracker import Tracker

    run = sufficiency_on_pg
    first, second = (open_repository(run.url("postgres")) for _ in range(2))
    try:
        with first.transaction() as a, second.transaction() as b:
            Tracker(a.data, user="x", as_of=date(2022, 12, 1)).add_plan("PERM", "Permanency Action Plan")
            Tracker(b.data, user="x", as_of=date(2022, 12, 1)).add_plan("LEAV", "Care Leavers Plan")
            a.save()
            with pytest.raises(Exception, match="run it again"):
                b.save()
    finally:
        first.close()
        second.close()
    assert sorted(p["key"] for p in run.json("plan", "list")) == ["PERM", "SUFF"]
    run.ok("plan", "add", "LEAV", "Care Leavers Plan")  # run again: now it lands
    assert "the chain is whole" in run.ok("verify")


# -- moving in and out, backups ---------------------------------------------------------
def test_convert_a_json_store_in_and_back_out_history_and_all(pg_server, tmp_path):
    demo = CLI(tmp_path / "demo.json")
    assert demo.runner.invoke(root, ["demo", "--store", demo.where()]).exit_code == 0
    database = pg_server.new_database()
    url = pg_server.url(database, "postgres")
    exported = demo.ok("export", "--format", "json")
    assert "Copied 16 action(s)" in demo.ok("convert", url)
    team = CLI(database, pg_server)
    assert json.loads(team.ok("export", "--format", "json", user="postgres")) == json.loads(exported)
    assert "the chain is whole" in team.ok("verify", user="postgres")
    back = tmp_path / "back.json"
    team.ok("convert", str(back), user="postgres")
    assert json.loads(CLI(back).ok("export", "--format", "json")) == json.loads(exported)


def test_restore_points_to_the_databases_own_backups(sufficiency_on_pg):
    for args in (("restore", "--list"), ("restore", "1")):
        sufficiency_on_pg.refused(*args, says="pg_dump")


def test_a_rewritten_history_row_is_named_by_verify(sufficiency_on_pg):
    run = sufficiency_on_pg
    with connect(run, "postgres") as conn:  # the schema's owner can; verify still shows it
        conn.execute("UPDATE actiontrack.history SET entry = replace(entry, 'Commissioning Manager', 'Someone')"
                     " WHERE ref = 'SUFF-1.1'")
    result = run("verify", "--exit-code")
    assert result.exit_code == 1 and "SUFF-1.1: the create of 20 Jul 2022" in result.stdout


def test_demo_into_a_database_makes_no_folder(pg_server, tmp_path, monkeypatch):
    """demo makes its store's folder, as init does; a postgresql:// URL has none (it once
    made a folder named 'postgresql:' wherever it ran)."""
    monkeypatch.chdir(tmp_path)
    url = pg_server.url(pg_server.new_database(), "postgres")
    assert CLI(tmp_path / "unused.json").runner.invoke(root, ["demo", "--store", url]).exit_code == 0
    assert list(tmp_path.iterdir()) == []
