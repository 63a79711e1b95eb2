"""Lazy decoding changes speed, never results: reports on a store loaded from disk (items
decoded on demand, records prefiltered) equal reports on the same data held in memory."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actiontrack.changes.undo import undo_last
from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.storedata import StoreData
from actiontrack.reports import listings
from actiontrack.reports.point_in_time import as_at
from actiontrack.reports.views import ItemFilter, select
from actiontrack.store import JSONRepository
from tests.helpers import BACKENDS, at, file_store, small_store

DAYS = st.integers(min_value=-200, max_value=200)
BASE = date(2022, 9, 1)


@st.composite
def stores(draw) -> StoreData:
    data = small_store(as_of=date(2022, 1, 1))
    for i in range(draw(st.integers(1, 12))):
        t = at(data, date(2022, 1, 1))
        action = t.add_action(draw(st.sampled_from(["SUFF.1", "SUFF.2", "PERM.1"])), f"Action {i}", owner="Owner",
                              due=BASE + timedelta(days=draw(DAYS)))
        if draw(st.booleans()):
            t.add_milestone(action.ref, "Stage", BASE + timedelta(days=draw(DAYS)))
        step = draw(st.sampled_from(["none", "move", "complete", "drop", "milestone", "move-undone"]))
        later = at(data, date(2022, 6, 1))
        if step == "move":
            moved = BASE + timedelta(days=draw(DAYS))
            if moved != action.due:
                later.reschedule(action.ref, moved, "reason")
        elif step == "complete":
            at(data, date(2023, 6, 1)).complete(action.ref, on=BASE + timedelta(days=draw(DAYS)))
        elif step == "drop":
            later.update_action(action.ref, status="dropped", note="superseded")
        elif step == "milestone" and action.milestones:
            later.milestone_done(action.ref, 1)
        elif step == "move-undone":
            later.reschedule(action.ref, action.due + timedelta(days=30), "moved by mistake")
            undo_last(at(data, date(2022, 6, 2)))
    return data


@settings(max_examples=60, deadline=None)
@given(stores(), st.integers(-60, 300))
def test_reports_are_the_same_lazy_or_eager(data, offset):
    as_of = BASE + timedelta(days=offset)
    for backend in BACKENDS:  # records prefiltered in Python (JSON) or by SQL (SQLite)
        with tempfile.TemporaryDirectory() as folder, file_store(folder, backend) as repo:
            repo.create(data)
            loaded = repo.load()
            assert isinstance(loaded.actions, ItemMap)
            for report in (listings.overdue, listings.slippage):
                assert report(loaded, ItemFilter(), as_of) == report(data, ItemFilter(), as_of)
            assert listings.slippage(loaded, ItemFilter(), as_of, since=as_of - timedelta(days=40)) == \
                listings.slippage(data, ItemFilter(), as_of, since=as_of - timedelta(days=40))
            # Every view field that comes from the history (times moved, last update, stale)
            # is answered by the saved summary on one side and the history on the other.
            assert select(repo.load(), ItemFilter(), as_of) == select(data, ItemFilter(), as_of)
            # And the store as it stood on an earlier day, rewound from the history.
            earlier = date(2022, 3, 1) + timedelta(days=offset)
            assert select(as_at(repo.load(), earlier), ItemFilter(), earlier) == \
                select(as_at(data, earlier), ItemFilter(), earlier)


def test_untouched_items_are_saved_exactly_as_loaded(tmp_path):
    data = small_store()
    t = at(data, date(2022, 7, 20))
    for i in range(3):
        t.add_action("SUFF.1", f"Action {i}", owner="Owner", due=date(2022, 11, 30))
    repo = JSONRepository(str(tmp_path / "s.json"))
    repo.create(data)
    loaded = JSONRepository(str(tmp_path / "s.json")).load()
    at(loaded, date(2022, 8, 1)).update_action("SUFF-1.2", rag="amber")
    # Never decoded: still the file's bytes, or (placed by the index beside it) not even read.
    assert loaded.actions._entries["SUFF-1.1"] is None or isinstance(loaded.actions._entries["SUFF-1.1"], msgspec.Raw)
    JSONRepository(str(tmp_path / "s.json")).save(loaded)
    again = JSONRepository(str(tmp_path / "s.json")).load()
    assert again.action("SUFF-1.2").rag == "amber"
    assert again.action("SUFF-1.1") == data.action("SUFF-1.1")
    assert again.action("SUFF-1.2").history[-1].changes[0].new == "amber"


def test_reports_read_the_summary_not_the_history(tmp_path, monkeypatch):
    """Counted where every history entry is decoded: checking the item afterwards proved
    nothing, since the report reads its own light copy of each record (store/file_items)."""
    from actiontrack.domain.models import HistoryEntry

    data = small_store()
    t = at(data, date(2022, 7, 20))
    t.add_action("SUFF.1", "Late", owner="Owner", due=date(2022, 9, 30))
    at(data, date(2022, 8, 1)).reschedule("SUFF-1.1", date(2022, 10, 31), "capacity")
    repo = JSONRepository(str(tmp_path / "s.json"))
    repo.create(data)
    loaded = JSONRepository(str(tmp_path / "s.json")).load()
    decoded = []
    real = HistoryEntry.from_record.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(HistoryEntry, "from_record",
                        classmethod(lambda cls, r: decoded.append(r["event"]) or real(cls, r)))
    (row,) = listings.slippage(loaded, ItemFilter(), date(2022, 12, 1))
    assert (row["reschedules"], row["latest_reason"], row["last_update"]) == (1, "capacity", date(2022, 8, 1))
    assert decoded == []  # the saved summary answered
    assert [h.event for h in loaded.action("SUFF-1.1").history] == ["create", "reschedule"]  # decodes on use
    assert decoded == ["create", "reschedule"]


@pytest.mark.json_store
def test_a_record_without_its_summary_still_reads_right(tmp_path, run):
    """A hand-edited store that lost a summary: the history answers instead (a mutant of
    prefilter.changed_after_day that trusted the missing summary survived without the
    older-file half)."""
    import json as stdjson

    run.ok("init")
    run.ok("plan", "add", "SUFF", "Plan", as_of="01/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Theme", "--officer", "Officer", as_of="01/07/2022")
    run.ok("action", "add", "SUFF.1", "Action", "--owner", "Owner", "--due", "30/09/2022", as_of="01/07/2022")
    run.ok("action", "reschedule", "SUFF-1.1", "31/10/2022", "--reason", "late", as_of="01/08/2022")
    raw = stdjson.loads(run.bytes())
    (record,) = raw["actions"].values()
    del record["summary"]
    run.store.write_bytes(stdjson.dumps(raw).encode())
    (row,) = run.json("action", "list", as_of="01/12/2022")
    assert (row["reschedules"], row["last_update"]) == (1, "2022-08-01")
    (early,) = run.json("action", "list", as_of="15/07/2022")
    assert (early["due"], early["reschedules"]) == ("2022-09-30", 0)
    # An older file too (no latest day in its meta): the record without its summary may have
    # changed after any day, so a listing as at a day before its move still rewinds it.
    for meta in raw["meta"].values():
        meta.pop("items_latest_effective", None)
    run.store.write_bytes(stdjson.dumps(raw).encode())
    (early,) = run.json("action", "list", as_of="15/07/2022")
    assert (early["due"], early["reschedules"]) == ("2022-09-30", 0)
