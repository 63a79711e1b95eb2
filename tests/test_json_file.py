"""The JSON store's file (store/json_file, store/file_items): still TinyDB's layout, items
read only as far as a command needs, and only what changed re-encoded at the save."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date

import msgspec
import orjson
import pytest
from tinydb import TinyDB

from actiontrack.domain.models import Action, Resolution
from actiontrack.reports import listings
from actiontrack.reports.point_in_time import as_at
from actiontrack.reports.views import ItemFilter, select
from actiontrack.store.file_items import ActionHead, MilestoneHead, ResolutionHead
from actiontrack.store.json_file import LATEST
from actiontrack.store.json_store import JSONRepository
from tests.helpers import at, small_store

AS_OF = date(2022, 12, 1)


def _store(tmp_path, actions: int = 4):
    data = small_store()
    t = at(data, date(2022, 7, 20))
    for i in range(actions):
        t.add_action("SUFF.1", f"Action {i} – café ✓", owner="Owner", due=date(2022, 9, 1 + i))
    t.add_milestone("SUFF-1.1", "Draft", date(2022, 8, 31))
    t.add_meeting("Corporate Parenting Panel", date(2022, 7, 20))
    t.add_resolution("Corporate Parenting Panel", date(2022, 7, 20), "5", "Report back", owner="Clerk",
                     due=date(2022, 10, 1))
    path = tmp_path / "s.json"
    JSONRepository(str(path)).create(data)
    return data, path


def _documents(path) -> dict:
    return json.loads(path.read_bytes())


def test_tinydb_itself_opens_the_file_and_reads_every_document(tmp_path):
    data, path = _store(tmp_path)
    at(JSONRepository(str(path)).load(), AS_OF)  # loads; and a save that changes one item:
    repo = JSONRepository(str(path))
    with repo.transaction() as tx:
        at(tx.data, AS_OF).update_action("SUFF-1.2", rag="red", note="Stuck")
        tx.save()
    db = TinyDB(str(path))
    try:
        refs = sorted(doc["ref"] for doc in db.table("actions").all())
        assert refs == ["SUFF-1.1", "SUFF-1.2", "SUFF-1.3", "SUFF-1.4"]
        assert [doc["ref"] for doc in db.table("resolutions").all()] == ["R-1"]
        assert db.table("meta").all()[0]["app"] == "actiontrack"
        (changed,) = db.table("actions").search(lambda doc: doc["ref"] == "SUFF-1.2")
        assert changed["rag"] == "red"
    finally:
        db.close()


def test_a_file_tinydb_wrote_reads_and_saves(tmp_path):
    """TinyDB's own writer puts spaces after separators and escapes non-ASCII: no record
    then starts the way actiontrack writes one, and every one must still be found."""
    data, path = _store(tmp_path)
    tables = _documents(path)
    path.write_text(json.dumps(tables))  # the stdlib's (and TinyDB's) spacing and escaping
    loaded = JSONRepository(str(path)).load()
    assert loaded.action("SUFF-1.3").title == "Action 2 – café ✓"
    assert [r["ref"] for r in listings.overdue(loaded, ItemFilter(), AS_OF)] == \
        [r["ref"] for r in listings.overdue(data, ItemFilter(), AS_OF)]
    repo = JSONRepository(str(path))
    with repo.transaction() as tx:
        at(tx.data, AS_OF).update_action("SUFF-1.3", rag="amber")
        tx.save()
    assert JSONRepository(str(path)).load().action("SUFF-1.3").rag == "amber"


def test_records_nothing_changed_are_written_back_as_the_bytes_they_were_read_as(tmp_path):
    data, path = _store(tmp_path)
    tables = _documents(path)
    # A record as another writer left it: spaces and escapes actiontrack would not write.
    odd = json.dumps(tables["actions"]["3"], ensure_ascii=True, indent=1).encode()
    text = path.read_bytes().replace(orjson.dumps(tables["actions"]["3"]), odd)
    path.write_bytes(text)
    repo = JSONRepository(str(path))
    with repo.transaction() as tx:
        t = at(tx.data, AS_OF)
        t.update_action("SUFF-1.2", rag="red")
        assert tx.data.action("SUFF-1.3").title  # read, not changed
        tx.save()
    after = path.read_bytes()
    assert odd in after  # kept to the byte, though it was decoded to be read
    assert orjson.dumps(tables["actions"]["1"]) in after and orjson.dumps(tables["actions"]["4"]) in after
    assert orjson.dumps(tables["actions"]["2"]) not in after  # the one changed is written anew
    assert _documents(path)["actions"]["2"]["rag"] == "red"


@pytest.mark.parametrize("indexed", [True, False])
def test_a_report_keeps_no_item_it_read(tmp_path, indexed):
    _, path = _store(tmp_path, actions=6)
    if not indexed:
        os.unlink(f"{path}.index")  # read whole, as a store from before the index is
    loaded = JSONRepository(str(path)).load()
    rows = listings.overdue(loaded, ItemFilter(), AS_OF)
    assert len(rows) == 7
    held = [v for v in loaded.actions._entries.values() if v is not None]  # None: placed by the index, unread
    assert held == [] and (indexed or not loaded.actions._indexed)  # nothing decoded and held


def test_the_file_says_when_its_items_last_changed_and_reports_trust_it_only_then(tmp_path):
    data, path = _store(tmp_path)
    assert _documents(path)["meta"]["1"][LATEST] == "2022-07-20"
    # A change recorded as counting from a later day than the report's.
    repo = JSONRepository(str(path))
    with repo.transaction() as tx:
        at(tx.data, date(2022, 11, 1)).reschedule("SUFF-1.1", date(2023, 3, 31), "capacity")
        tx.save()
    assert _documents(path)["meta"]["1"][LATEST] == "2022-11-01"
    before = date(2022, 10, 1)
    expected = [(v["ref"], v["due"]) for v in select(as_at(JSONRepository(str(path)).load(), before),
                                                     ItemFilter(), before)]
    assert ("SUFF-1.1", date(2022, 9, 1)) in expected  # rewound to the date it had then
    # A file that does not say (written before it did) is read item by item: same answer.
    tables = _documents(path)
    del tables["meta"]["1"][LATEST]
    path.write_bytes(orjson.dumps(tables))
    old = JSONRepository(str(path)).load()
    assert old.actions._latest is False
    assert [(v["ref"], v["due"]) for v in select(as_at(old, before), ItemFilter(), before)] == expected


@pytest.mark.parametrize("field, value", [("status", 3), ("due", "not a date"), ("milestones", "x")])
def test_a_malformed_item_is_a_store_problem_for_a_report_that_reads_it(tmp_path, field, value):
    from actiontrack.errors import StoreProblem

    _, path = _store(tmp_path)
    tables = _documents(path)
    tables["actions"]["2"][field] = value
    path.write_bytes(orjson.dumps(tables))
    with pytest.raises(StoreProblem, match="SUFF-1.2 is malformed"):
        listings.overdue(JSONRepository(str(path)).load(), ItemFilter(), AS_OF)


@pytest.mark.parametrize("head, item", [(ActionHead, Action), (ResolutionHead, Resolution)])
def test_a_report_reads_every_field_an_item_has(head, item):
    """The file's read-only view of an item must not fall behind the item itself."""
    fields = {f.name for f in dataclasses.fields(item)} - {"raw"}
    assert fields <= set(head.__struct_fields__) | {"history"}
    assert {f.name for f in dataclasses.fields(item) if f.name == "milestones"} and \
        set(MilestoneHead.__struct_fields__) == {"number", "title", "due", "done_on"}
    assert msgspec.structs.fields(head)[list(head.__struct_fields__).index("history_bytes")].encode_name == "history"
