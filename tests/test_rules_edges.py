"""Rules and prefilter behaviour that mutation testing (mutmut 3.8.1 on domain/rules.py
and domain/prefilter.py) found no test pinning.  Each test names the rule it holds."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from actiontrack.domain import rules
from actiontrack.domain.models import Action, HistoryEntry
from actiontrack.domain.prefilter import NO_SUMMARY, Prefilter, changed_after_day, late_milestone, latest_effective
from actiontrack.reports import listings
from actiontrack.reports.views import ItemFilter
from actiontrack.store.stored_items import late_clause
from tests.helpers import at, file_store, small_store

JUL, SEP, NOV, DEC = date(2022, 7, 20), date(2022, 9, 21), date(2022, 11, 16), date(2022, 12, 14)


def one_action(due: date | None, created: date = JUL):
    data = small_store()
    action = at(data, created).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=due)
    return data, action


def entry(day: date, event: str, note: str | None = None) -> HistoryEntry:
    return HistoryEntry(recorded_at="2026-01-01T00:00:00+00:00", effective=day, user="u", event=event, note=note)


# -- rules.slippage_days ------------------------------------------------------------------

def test_an_undated_action_has_no_slippage_and_derives_green():
    """No baseline (an "Ongoing"/"TBC" action) is no slippage, so not amber for it."""
    action = Action(ref="SUFF-1.1", plan="SUFF", theme=1, title="Market position statement", owner="Head",
                    baseline_due=None, due=None)
    assert rules.slippage_days(action, DEC) == 0
    assert rules.derived_rag(action, DEC, 30) == "green"


# -- rules.history_facts from a saved summary ------------------------------------------------

def test_last_move_from_a_stored_summary(tmp_path):
    """A loaded record's summary gives the day of its last move (as at a day on or after
    it), so the slippage report marks a move made since the last report as new."""
    data, _ = one_action(NOV)
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
    as_of, since = date(2022, 9, 28), date(2022, 9, 15)
    with file_store(tmp_path, "json") as repo:
        repo.save(data)
        loaded = repo.load().actions["SUFF-1.1"]
        assert loaded.stored_summary() is not None  # answered from the summary, history not decoded
        assert rules.history_facts(loaded, DEC) == (1, SEP, SEP, "capacity")
        (row,) = listings.slippage(repo.load(), ItemFilter(), as_of, since=since)
    assert (row["ref"], row["reasons"], row["new"]) == ("SUFF-1.1", ["rescheduled"], True)
    assert listings.slippage(data, ItemFilter(), as_of, since=since) == [row]  # the same as held in memory


# -- rules.revisions (a calendar's SEQUENCE) ---------------------------------------------------

def test_revisions_count_every_change_of_the_due_date_but_not_its_first():
    from actiontrack.changes.undo import undo_last

    data, action = one_action(NOV)
    assert rules.revisions(action) == 0  # the create entry sets the due date: not a revision
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
    at(data, SEP).update_action("SUFF-1.1", note="Scoping started")  # no due change: not a revision
    at(data, SEP).reschedule("SUFF-1.1", date(2023, 1, 31), "awaiting the inspection")
    assert rules.revisions(action) == 2
    undo_last(at(data, SEP))  # an undo moves the date back: a revision too, and the count never falls
    assert rules.revisions(action) == 3


# -- rules.latest_commentary --------------------------------------------------------------------

def test_latest_commentary_is_the_last_owners_note_on_an_update():
    """Not a reschedule's reason, not an import's own note, not an update with no note."""
    action = Action(ref="SUFF-1.1", plan="SUFF", theme=1, title="Refresh", owner="Manager",
                    baseline_due=NOV, due=DEC, history=[
                        entry(JUL, "create"),
                        entry(SEP, "update", "Scoping started"),
                        entry(SEP, "reschedule", "capacity"),
                        entry(NOV, "update", rules.IMPORT_NOTE),
                        entry(NOV, "update"),
                    ])
    assert rules.latest_commentary(action) == "Scoping started"


# -- rules.latest_change (a change may not count from before the newest one) ----

def test_latest_change_counts_undone_changes_and_undos_too():
    from actiontrack.changes.undo import undo_last
    from actiontrack.errors import BadInput

    data, action = one_action(DEC)
    at(data, NOV).update_action("SUFF-1.1", note="Scoping started")
    assert rules.latest_change(action) == NOV
    with pytest.raises(BadInput):
        at(data, SEP).update_action("SUFF-1.1", note="backdated before November's update")
    undo_last(at(data, NOV))
    assert rules.latest_change(action) == NOV  # the undone update and the undo count from November
    with pytest.raises(BadInput):  # --as-of could not show a September change after them
        at(data, SEP).update_action("SUFF-1.1", note="backdated, after November's is undone")
    at(data, NOV).update_action("SUFF-1.1", note="on the undo's day")
    assert action.history[-1].effective == NOV


# -- Prefilter.matches: exactly the SQL backends' late_clause -----------------------------------

CUT, SINCE = "2022-11-16", "2022-11-09"

# (status, due, baseline_due, completed_on, milestones): the edges of each comparison.
RECORDS = [
    ("in-progress", "2022-11-15", "2022-11-15", None, []),  # due the day before: late
    ("in-progress", "2022-11-16", "2022-11-16", None, []),  # due on the day: not late
    ("in-progress", "2022-12-01", "2022-12-01", None, [("2022-11-15", None)]),  # milestone late
    ("in-progress", "2022-12-01", "2022-12-01", None, [("2022-11-16", None)]),  # milestone due on the day
    ("in-progress", "2022-12-01", "2022-12-01", None, [("2022-11-01", "2022-11-02")]),  # milestone done
    ("in-progress", "2022-12-01", "2022-11-30", None, []),  # moved later than its baseline
    ("in-progress", "2022-12-01", "2022-12-02", None, []),  # brought forward
    ("in-progress", None, None, None, []),  # undated
    ("on-hold", "2022-11-01", "2022-11-01", None, []),
    ("dropped", "2022-11-01", "2022-11-01", None, [("2022-11-01", None)]),
    ("complete", "2022-11-01", "2022-11-01", "2022-11-10", []),  # late, after `since`
    ("complete", "2022-11-01", "2022-11-01", "2022-11-09", []),  # late, on `since` itself
    ("complete", "2022-11-01", "2022-11-01", "2022-10-31", []),  # late, before `since`
    ("complete", "2022-11-10", "2022-11-10", "2022-11-10", []),  # on its baseline day
    ("complete", "2022-11-30", "2022-11-30", "2022-11-12", []),  # early
]


def record(status, due, baseline, done, milestones) -> dict:
    return {"status": status, "due": due, "baseline_due": baseline, "completed_on": done,
            "milestones": [{"due": d, "done_on": on} for d, on in milestones]}


def sql_matches(prefilter: Prefilter) -> list[bool]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE items (n, status, due, baseline_due, completed_on, late_milestone)")
    for n, r in enumerate(RECORDS):
        rec = record(*r)
        db.execute("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                   (n, rec["status"], rec["due"], rec["baseline_due"], rec["completed_on"], late_milestone(rec)))
    where = late_clause(prefilter, ":cut", ":done")
    hits = {n for (n,) in db.execute(f"SELECT n FROM items WHERE {where}",
                                      {"cut": prefilter.late_before, "done": prefilter.completed_after})}
    return [n in hits for n in range(len(RECORDS))]


@pytest.mark.parametrize("prefilter", [
    Prefilter(late_before=CUT),  # the overdue report's
    Prefilter(late_before=CUT, moved=True, completed_after=SINCE),  # the slippage report's
], ids=["overdue", "slippage"])
def test_prefilter_lets_through_what_the_sql_backends_do(prefilter):
    """The JSON store's prefilter and SQLite/PostgreSQL's WHERE clause pick the same records,
    as held (ISO text) and as read from the file (dates)."""
    expected = sql_matches(prefilter)
    assert any(expected) and not all(expected)
    assert [prefilter.matches(record(*r)) for r in RECORDS] == expected
    dated = prefilter.dated()
    day = lambda v: v and date.fromisoformat(v)  # noqa: E731
    as_dates = [record(status, day(due), day(baseline), day(done), [(day(d), day(on)) for d, on in milestones])
                for status, due, baseline, done, milestones in RECORDS]
    assert [dated.matches(r) for r in as_dates] == expected


def test_prefilter_picks_for_each_report():
    """The same rules as plain facts, should the SQL ever change with them."""
    overdue = Prefilter(late_before=CUT)
    slippage = Prefilter(late_before=CUT, moved=True, completed_after=SINCE)
    assert [overdue.matches(record(*r)) for r in RECORDS] == [
        True, False, True, False, False, False, False, False, True, False, False, False, False, False, False]
    assert [slippage.matches(record(*r)) for r in RECORDS] == [
        True, False, True, False, False, True, False, False, True, False, True, False, False, False, False]


# -- records without their saved summary (a hand-edited store) ------------------------------

def test_a_record_without_its_summary_may_have_changed_after_any_day():
    assert changed_after_day({"status": "in-progress"}, "2022-11-16") is True
    assert latest_effective({"status": "in-progress"}) == NO_SUMMARY


def test_changed_after_a_day_by_the_saved_summary():
    record = {"status": "in-progress", "summary": {"latest_effective": "2022-11-16"}}
    assert changed_after_day(record, "2022-11-15") is True
    assert changed_after_day(record, "2022-11-16") is False  # a change on the day itself is not after it
    assert latest_effective(record) == "2022-11-16"
    assert changed_after_day({"summary": {"latest_effective": None}}, "0001-01-01") is False  # no history


def test_a_record_without_milestones_has_none_late():
    """Item.from_record reads a record with no milestones key; so does the prefilter."""
    assert late_milestone({"status": "in-progress", "due": "2022-12-01"}) is None
    assert Prefilter(late_before=CUT).matches({"status": "in-progress", "due": "2022-12-01",
                                                "baseline_due": "2022-12-01"}) is False


def test_an_item_with_no_history_has_no_latest_change():
    """A record that kept no history (the tracker allows for one with no create entry) can
    still be changed: nothing in it counts from any day."""
    action = Action(ref="SUFF-1.1", plan="SUFF", theme=1, title="Refresh", owner="Manager",
                    baseline_due=NOV, due=NOV, history=[])
    assert rules.latest_change(action) is None
