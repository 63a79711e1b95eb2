"""Tamper evidence: every history entry is sealed onto the one before it; `verify` finds
an entry altered, removed or inserted, on either backend, even where nothing could stop it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import CLI, root
from tests.test_safety import V1_STORE


def _verdict(run, **kw):
    result = run("verify", "--exit-code", "--format", "json", **kw)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    return result.exit_code, json.loads(result.stdout)


def test_an_untouched_store_verifies_after_every_kind_of_change(demo):
    demo.ok("action", "reschedule", "SUFF-1.2", "January 2023", "--reason", "Awaiting the market position")
    demo.ok("action", "add", "SUFF.1", "A new action", "--owner", "Head of Commissioning", "--due", "31/03/2023")
    demo.ok("undo")  # the add goes to the archive, its history with it
    demo.ok("meeting", "add", "Corporate Parenting Board", "15/02/2023")
    code, verdict = _verdict(demo)
    assert code == 0 and verdict["whole"] and verdict["problems"] == []
    assert verdict["entries"] > 90 and verdict["unsealed"] == 0
    assert "the chain is whole" in demo.ok("verify")


def _json_tables(run):
    return json.loads(run.store.read_text(encoding="utf-8"))


def _edit_json_history(run, ref, edit):
    """Edit one item's history in a JSON store file by hand, as someone with the file could."""
    raw = _json_tables(run)
    record = next(r for r in raw["actions"].values() if r["ref"] == ref)
    history = json.loads(record["history"])
    edit(history)
    record["history"] = json.dumps(history)
    run.store.write_text(json.dumps(raw), encoding="utf-8")


@pytest.mark.json_store
def test_a_hand_edited_entry_is_named(json_run, tmp_path):
    assert json_run.runner.invoke(root, ["demo", "--store", str(json_run.store)]).exit_code == 0
    _edit_json_history(json_run, "SUFF-2.2", lambda h: h[-1].update(note="Nobody asked for anything"))
    code, verdict = _verdict(json_run)
    assert code == 1 and not verdict["whole"]
    assert verdict["problems"] == ["SUFF-2.2: the reschedule of 25 Nov 2022 by Democratic Services Officer "
                                   "was altered after it was recorded"]
    assert "SUFF-2.2: the reschedule" in json_run("verify").stdout  # a table too, exit 0 without --exit-code


@pytest.mark.json_store
def test_a_removed_entry_breaks_the_chain(json_run):
    assert json_run.runner.invoke(root, ["demo", "--store", str(json_run.store)]).exit_code == 0
    _edit_json_history(json_run, "SUFF-2.2", lambda h: h.pop(1))  # the first of its two moves
    code, verdict = _verdict(json_run)
    assert code == 1
    assert any("the chain breaks after" in p and "an entry was removed" in p for p in verdict["problems"])


@pytest.mark.json_store
def test_an_inserted_entry_is_found(json_run):
    assert json_run.runner.invoke(root, ["demo", "--store", str(json_run.store)]).exit_code == 0
    raw = _json_tables(json_run)
    donor = json.loads(next(r for r in raw["actions"].values() if r["ref"] == "SUFF-2.2")["history"])[1]
    # A move slipped in elsewhere, sealed to look right: it forks the chain where it claims to sit.
    _edit_json_history(json_run, "SUFF-1.2", lambda h: h.append(dict(donor, note="backdated excuse")))
    code, verdict = _verdict(json_run)
    assert code == 1
    assert any("SUFF-1.2: the reschedule of 26 Oct 2022" in p for p in verdict["problems"]), verdict


def test_an_entry_deleted_from_a_sqlite_row_is_found(tmp_path):
    run = CLI(tmp_path / "store.db")  # about the SQLite store's own rows
    assert run.runner.invoke(root, ["demo", "--store", run.where()]).exit_code == 0
    assert _verdict(run)[0] == 0
    conn = sqlite3.connect(run.store)
    with conn:
        doc = conn.execute("SELECT history FROM histories WHERE ref = 'SUFF-2.2'").fetchone()[0]
        history = json.loads(doc)
        del history[1]
        conn.execute("UPDATE histories SET history = ? WHERE ref = 'SUFF-2.2'", (json.dumps(history).encode(),))
    conn.close()
    code, verdict = _verdict(run)
    assert code == 1 and any("an entry was removed" in p for p in verdict["problems"]), verdict


@pytest.mark.json_store
def test_a_store_from_before_the_chain_is_sealed_on_its_first_change(json_run):
    json_run.store.write_text(json.dumps(V1_STORE), encoding="utf-8")
    code, verdict = _verdict(json_run)
    assert code == 0 and verdict["unsealed"] == verdict["entries"] > 0  # counted, not checkable
    assert "cannot be checked" in json_run.ok("verify")
    json_run.ok("action", "update", "SUFF-1.1", "--rag", "amber")
    code, verdict = _verdict(json_run)
    assert code == 0 and verdict["unsealed"] == 0 and verdict["whole"], verdict


def test_an_export_restored_into_either_backend_still_verifies(demo, tmp_path):
    exported = tmp_path / "export.json"
    demo.ok("export", "--format", "json", "--output", str(exported))
    for name in ("fresh.json", "fresh.db"):
        fresh = CLI(tmp_path / name)
        fresh.ok("init")
        fresh.ok("import", str(exported))
        assert _verdict(fresh) == (0, {"entries": _verdict(demo)[1]["entries"], "unsealed": 0, "problems": [],
                                       "whole": True})


def test_a_seal_is_the_sha_256_of_the_entry_without_its_seal():
    """Pinned to hashlib's digest, whichever module chain.py takes SHA-256 from: a store
    sealed on one Python must verify on another."""
    import hashlib

    import orjson

    from actiontrack.domain.chain import seal_of

    record = {"event": "update", "note": "Checked 🙂", "prev": "ab" * 32, "hash": "not part of it", "at": "2022-12-14"}
    expected = hashlib.sha256(orjson.dumps({k: v for k, v in record.items() if k != "hash"},
                                           option=orjson.OPT_SORT_KEYS)).hexdigest()
    assert seal_of(record) == expected
    assert seal_of({**record, "hash": "anything else"}) == expected
    assert seal_of({**record, "note": "Checked"}) != expected


@pytest.mark.json_store
def test_an_item_edited_by_hand_outside_its_history_is_named(json_run):
    """Found by a new-user trial: a due date moved in the file by hand (same size, valid
    JSON, no history entry) dropped the action out of every overdue list, and verify said
    the chain was whole.  The history is whole; the item no longer matches it."""
    assert json_run.runner.invoke(root, ["demo", "--store", str(json_run.store)]).exit_code == 0
    assert _verdict(json_run)[0] == 0
    raw = _json_tables(json_run)
    record = next(r for r in raw["actions"].values() if r["ref"] == "SUFF-6.1")
    assert record["due"] == "2022-10-31"
    record["due"] = "2023-10-31"
    json_run.store.write_text(json.dumps(raw), encoding="utf-8")
    code, verdict = _verdict(json_run)
    assert code == 1 and verdict["problems"] == [
        "SUFF-6.1: its due (31 Oct 2023) is not what its history last set (31 Oct 2022): changed outside actiontrack"]


@pytest.mark.json_store
@pytest.mark.parametrize("name, value, shown", [("rag", "red", "red"), ("completed_on", "2022-11-01", "01 Nov 2022")])
def test_a_field_no_change_ever_set_edited_by_hand_is_named(sufficiency, name, value, shown):
    """Found by a new-user trial: a RAG (or completion day) typed into the file where no
    change had ever set one was not named: only fields the history had set were compared."""
    assert _verdict(sufficiency)[0] == 0
    raw = _json_tables(sufficiency)
    record = next(r for r in raw["actions"].values() if r["ref"] == "SUFF-1.1")
    assert record[name] is None
    record[name] = value
    sufficiency.store.write_text(json.dumps(raw), encoding="utf-8")
    code, verdict = _verdict(sufficiency)
    assert code == 1 and verdict["problems"] == [
        f"SUFF-1.1: its {name} ({shown}) was never set by any change in its history: changed outside actiontrack"]


def _in_the_database(run, sql: str) -> None:
    """A statement run on a database store by hand, as someone with the database could."""
    if run.server is None:
        conn = sqlite3.connect(run.store)
        with conn:
            conn.execute(sql)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(run.url("Democratic Services Officer"), autocommit=True) as conn:
            conn.execute(sql.replace("FROM items", "FROM actiontrack.items").replace("UPDATE items",
                                                                                  "UPDATE actiontrack.items"))


@pytest.mark.parametrize("column, value, shown", [("due", "'2023-06-30'", "30 Jun 2023"),
                                                  ("status", "'complete'", "complete"),
                                                  ("late_milestone", "NULL", "none")])
def test_a_database_column_edited_by_hand_is_named(demo, column, value, shown):
    """Found by a new-user trial: on a SQLite store, SUFF-2.1's due column moved by hand
    dropped it from `overdue` (which queries the columns), while `action list` (which reads
    the record) still had it 62 days overdue, and verify said the chain was whole."""
    if demo.server is None and demo.store.suffix != ".db":
        pytest.skip("a JSON store has no columns beside its records")
    assert _verdict(demo)[0] == 0
    if column == "late_milestone":  # an item listed only for its late milestone
        ref = demo.ok("action", "add", "SUFF.1", "Market position statement", "--owner", "Head of Commissioning",
                      "--due", "31/03/2024", as_of="01/11/2022").strip()
        demo.ok("milestone", "add", ref, "Draft to the Board", "--due", "15/11/2022", as_of="01/11/2022")
    else:
        ref = "SUFF-2.1"
    before = demo.json("overdue")
    _in_the_database(demo, f"UPDATE items SET {column} = {value} WHERE ref = '{ref}'")
    assert [r["ref"] for r in demo.json("overdue")] != [r["ref"] for r in before]  # what the edit does to a report
    code, verdict = _verdict(demo)
    assert code == 1 and len(verdict["problems"]) == 1, verdict
    problem = verdict["problems"][0]
    assert problem.startswith(f"{ref}: its {column} as the database indexes it ({shown}) is not what its record holds")
    assert problem.endswith("changed outside actiontrack")


@pytest.mark.json_store
def test_a_summary_edited_by_hand_is_named(sufficiency):
    """Found by a third new-user trial: a real but wrong day typed into an item's saved
    summary made reports call it stale, and verify said the chain was whole."""
    raw = _json_tables(sufficiency)
    record = next(r for r in raw["actions"].values() if r["ref"] == "SUFF-1.1")
    record["summary"]["last_update"] = "2021-11-02"
    sufficiency.store.write_text(json.dumps(raw), encoding="utf-8")
    code, verdict = _verdict(sufficiency)
    assert code == 1 and verdict["problems"] == [
        "SUFF-1.1: its saved summary is not what its history says (a report's last update, moves or staleness would "
        "be wrong): changed outside actiontrack"]


@pytest.mark.json_store
def test_an_action_moved_by_hand_to_a_theme_the_store_lacks_is_named(sufficiency):
    """Found by a new-user trial: an action's theme typed over by hand (an action's create
    records no plan or theme) took it out of its theme's listing, into a theme no listing
    names, and verify said the chain was whole."""
    assert _verdict(sufficiency)[0] == 0
    raw = _json_tables(sufficiency)
    record = next(r for r in raw["actions"].values() if r["ref"] == "SUFF-1.1")
    record["theme"] = 9
    sufficiency.store.write_text(json.dumps(raw), encoding="utf-8")
    assert "SUFF-1.1" not in [r["ref"] for r in sufficiency.json("action", "list", "--theme", "SUFF.1")]
    code, verdict = _verdict(sufficiency)
    assert code == 1 and verdict["problems"] == [
        "SUFF-1.1: its theme (SUFF.9) is not one of the store's themes: changed outside actiontrack"]


@pytest.mark.json_store
@pytest.mark.parametrize("edit, problem", [
    (lambda ms: ms[0].update(due="2023-01-31"),
     "SUFF-1.1: its milestone 1's due (31 Jan 2023) is not what its history last set (15 Nov 2022)"),
    (lambda ms: ms[1].update(done_on="2022-10-01"),
     "SUFF-1.1: its milestone 2's done_on (01 Oct 2022) is not what its history last set (none)"),
    (lambda ms: ms.pop(0),
     "SUFF-1.1: its milestone 1 (Draft to the Board) is not there, though no change in its history took it out"),
    (lambda ms: ms.append({**ms[0], "number": 5}),
     "SUFF-1.1: its milestone 5 was never added by any change in its history"),
], ids=["re-dated", "done", "taken-out", "added"])
def test_a_milestone_edited_by_hand_is_named(sufficiency, edit, problem):
    """Found by a third new-user trial: a milestone re-dated or taken out in the file by hand
    (a late milestone then dropped out of `overdue`) went unnamed, and verify said the chain
    was whole.  Milestones changed by every command, undo and redo too, still verify."""
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft to the Board", "--due", "31/10/2022")
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Sign-off", "--due", "30/11/2022")
    sufficiency.ok("milestone", "update", "SUFF-1.1", "1", "--due", "15/11/2022")
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Consultation", "--due", "30/09/2022")
    sufficiency.ok("milestone", "remove", "SUFF-1.1", "3", "--note", "superseded")
    sufficiency.ok("undo")
    sufficiency.ok("redo")
    sufficiency.ok("milestone", "done", "SUFF-1.1", "1", "--on", "01/12/2022")
    sufficiency.ok("undo")
    assert _verdict(sufficiency) == (0, {"entries": _verdict(sufficiency)[1]["entries"], "unsealed": 0,
                                         "problems": [], "whole": True})
    raw = _json_tables(sufficiency)
    record = next(r for r in raw["actions"].values() if r["ref"] == "SUFF-1.1")
    assert [m["number"] for m in record["milestones"]] == [1, 2]
    edit(record["milestones"])
    sufficiency.store.write_text(json.dumps(raw), encoding="utf-8")
    code, verdict = _verdict(sufficiency)
    assert code == 1 and verdict["problems"] == [f"{problem}: changed outside actiontrack"]


@pytest.mark.json_store
def test_a_plans_table_deleted_by_hand_is_the_stores_damage(sufficiency):
    """Found by new-user trials: the store's plans deleted in the file left `plan list`
    empty and `report` saying "No plans" (0 red) while `overdue` listed the late ones,
    every change carried the file forward, and verify said the chain was whole."""
    raw = _json_tables(sufficiency)
    del raw["plans"]
    sufficiency.store.write_text(json.dumps(raw), encoding="utf-8")
    for command in (("verify",), ("report",), ("plan", "list"), ("action", "update", "SUFF-1.1", "--rag", "red")):
        sufficiency.refused(*command, code=3, says="is damaged: the record 'SUFF 1' is malformed (theme "
                                                   "SUFF.1's plan 'SUFF' is not in the store)")
