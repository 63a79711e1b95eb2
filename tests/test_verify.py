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
