"""Rules that a mutation run of domain/rules.py, domain/prefilter.py and domain/summaries.py
(mutmut 3.8.1) found no test pinning.  Each test names the rule it holds and the mutant it kills."""

from __future__ import annotations

from datetime import date

import pytest

from actiontrack.domain import rules
from actiontrack.domain.models import Action
from actiontrack.domain.summaries import SUMMARY_DAYS, summarise, summary_problem
from tests.helpers import at, small_store

JUL, SEP, NOV, DEC = date(2022, 7, 20), date(2022, 9, 21), date(2022, 11, 16), date(2022, 12, 14)
NOT_OURS = "its summary is not one actiontrack wrote"


def one_action(due: date, created: date = JUL):
    data = small_store()
    action = at(data, created).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=due)
    return data, action


# -- summaries.summary_problem: a summary typed into the store by hand -------------------------

def test_a_summary_actiontrack_wrote_has_no_problem():
    """The check passes what summarise() writes, before and after a move."""
    data, action = one_action(NOV)
    assert summary_problem(summarise(action)) is None
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
    assert summary_problem(summarise(action)) is None
    assert summary_problem(None) is None  # no summary saved: the history answers


@pytest.mark.parametrize("summary", [
    {"latest_effective": "2022-07-20", "last_update": "2022-07-20", "reschedules": "1", "last_move": None,
     "latest_reason": None},  # the count typed as text
    {"latest_effective": "2022-07-20", "last_update": "2022-07-20", "last_move": None},  # the count left out
    ["2022-07-20", "2022-07-20", 0, None, None],  # not a mapping at all
], ids=["count-as-text", "no-count", "a-list"])
def test_a_summary_without_a_whole_count_of_moves_is_not_ours(summary):
    """Either half of `not a dict or reschedules not an int` is enough, and the words are exact
    (they end the store-damage message): kills `or` -> `and` and the message's XX/UPPER mutants."""
    assert summary_problem(summary) == NOT_OURS


@pytest.mark.parametrize("name", SUMMARY_DAYS)
def test_each_day_in_a_summary_must_be_an_iso_day(name):
    """A day typed the British way into a summary is named, field and value: kills the
    mutants that stop reading the day (`day = None`, `summary.get(None)`)."""
    data, action = one_action(NOV)
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")  # so last_move is a day too
    summary = {**summarise(action), name: "21/09/2022"}
    assert summary_problem(summary) == f"its summary's {name} '21/09/2022' is not a day"


def test_a_record_with_a_hand_typed_summary_is_refused_by_name():
    """Loading the record says what is wrong with its summary (the store then calls it damaged)."""
    _, action = one_action(NOV)
    record = {**action.to_record(), "summary": {**summarise(action), "reschedules": "0"}}
    with pytest.raises(ValueError, match=f"^{NOT_OURS}$"):
        Action.from_record(record)
    record["summary"] = {**summarise(action), "last_update": "20 July 2022"}
    with pytest.raises(ValueError, match="^its summary's last_update '20 July 2022' is not a day$"):
        Action.from_record(record)


# -- rules.slippage_days: a completed record with no date at all --------------------------------

def test_completed_with_no_completion_or_due_date_has_no_slippage():
    """A record typed by hand as complete with neither completed_on nor due has nothing to
    measure slippage to: 0, not a day (kills `return 1`), and it derives blue."""
    action = Action(ref="SUFF-1.1", plan="SUFF", theme=1, title="Refresh", owner="Commissioning Manager",
                    baseline_due=NOV, due=None, status="complete", completed_on=None)
    assert rules.slippage_days(action, DEC) == 0
    assert rules.derived_rag(action, DEC, 30) == "blue"


# -- rules.history_facts: the saved summary answers, so a report need not decode the history ----

def test_history_facts_of_a_moved_record_come_from_its_summary_undecoded():
    """A loaded record that was moved: its facts come from the saved summary and its history
    stays undecoded (kills `_fromiso(None) if move`, which threw and fell back on the history)."""
    data, action = one_action(NOV)
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
    loaded = Action.from_record(action.to_record())
    assert loaded.stored_summary() is not None
    assert rules.history_facts(loaded, DEC) == (1, SEP, SEP, "capacity")
    assert loaded.stored_summary() is not None  # still not decoded: the summary answered


def test_history_facts_of_a_record_with_no_history_come_from_its_summary_undecoded():
    """A record that kept no history (no create entry): no last update, and the summary says
    so without the history being decoded (kills `_fromiso(update) if update or True`)."""
    action = Action(ref="SUFF-1.1", plan="SUFF", theme=1, title="Refresh", owner="Commissioning Manager",
                    baseline_due=NOV, due=NOV, history=[])
    loaded = Action.from_record(action.to_record())
    assert rules.history_facts(loaded, DEC) == (0, None, None, None)
    assert loaded.stored_summary() is not None  # still not decoded: the summary answered


# -- the last update on the work: housekeeping is not one (summaries.HOUSEKEEPING) -------------

def test_the_last_update_skips_housekeeping_in_the_summary_and_in_the_history():
    """An edit and a reassignment after an update: the saved summary's last_progress and the
    history's own answer (a summary saved before last_progress was) are both the update's
    day, while last_update (any change, for an earlier actiontrack) is the edit's."""
    from actiontrack.changes.structure import edit_item, reassign

    data, action = one_action(DEC)
    at(data, SEP).update_action("SUFF-1.1", note="Scoping started")
    edit_item(at(data, NOV), "SUFF-1.1", title="Refresh the commissioning plan")
    reassign(at(data, NOV), "Commissioning Manager", "Head of Commissioning")
    summary = summarise(action)
    assert (summary["last_progress"], summary["last_update"]) == ("2022-09-21", "2022-11-16")
    assert rules.history_facts(Action.from_record(action.to_record()), DEC).last_update == SEP
    record = action.to_record()
    del record["summary"]["last_progress"]  # as saved before it was kept
    old = Action.from_record(record)
    assert rules.history_facts(old, DEC).last_update == NOV  # its last change answers, undecoded
    assert old.stored_summary() is not None
    assert rules.last_update(action, DEC) == SEP and rules.last_update(action, date(2022, 9, 1)) == JUL


def test_a_summary_saved_before_last_progress_is_not_damage():
    """verify compares a saved summary with what the history gives; one saved by an earlier
    actiontrack has no last_progress, and is not a hand edit.  Any other difference still is."""
    from actiontrack.domain.chain import _state_problems as record_problems

    data, action = one_action(NOV)
    record = action.to_record()
    del record["summary"]["last_progress"]
    data.actions["SUFF-1.1"] = Action.from_record(record)
    assert not [p for p in record_problems(data) if "summary" in p]
    record["summary"]["reschedules"] = 3
    data.actions["SUFF-1.1"] = Action.from_record(record)
    assert [p for p in record_problems(data) if "saved summary is not what its history says" in p]
