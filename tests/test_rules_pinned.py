"""Rules that mutation testing found no test pinning (issue 11, item 18).

Each test names the rule it holds; each kills a mutant that changed real output."""

from __future__ import annotations

from datetime import date

import pytest

from actiontrack.domain import rules
from actiontrack.domain.summaries import summarise
from actiontrack.reports import listings
from actiontrack.reports.actionlog import action_log
from actiontrack.reports.views import ItemFilter, item_view
from tests.helpers import at, small_store

BOARD, PANEL, SCRUTINY = "Corporate Parenting Board", "Corporate Parenting Panel", "Children's Scrutiny Panel"
JUL, SEP, NOV, DEC = date(2022, 7, 20), date(2022, 9, 21), date(2022, 11, 16), date(2022, 12, 14)


def parts(log: dict) -> dict[str, list[str]]:
    return {part: [v["ref"] for v in rows] for part, rows in log["parts"].items()}


@pytest.fixture
def committees():
    """The Board (SUFF reports to it) meets in Jul, Sep and Dec; the Panel and a scrutiny
    panel (PERM reports to that) meet too.  Each has an overdue open resolution."""
    data = small_store()
    t = at(data, JUL)
    data.plans["PERM"].board = SCRUTINY
    for body in (BOARD, PANEL, SCRUTINY):
        t.add_meeting(body, JUL)
    for day in (SEP, DEC):
        t.add_meeting(BOARD, day)
    t.add_meeting(PANEL, DEC)
    t.add_resolution(BOARD, JUL, "22/1", "Board: refresh the plan", owner="Head of Service", due=SEP)
    t.add_resolution(PANEL, JUL, "22/2", "Panel: peer review", owner="Head of Service", due=SEP)
    t.add_action("SUFF.1", "Board's plan action", owner="Commissioning Manager", due=NOV)  # SUFF-1.1
    t.add_action("PERM.1", "Scrutiny's plan action", owner="Head of Early Help", due=NOV)  # PERM-1.1
    return data


class TestClerksLog:
    def test_only_this_committees_items(self, committees):
        log = action_log(committees, BOARD, DEC, DEC)
        assert parts(log)["overdue"] == ["R-1", "SUFF-1.1"]  # not R-2 (Panel) nor PERM-1.1 (scrutiny)
        assert parts(action_log(committees, PANEL, DEC, DEC))["overdue"] == ["R-2"]

    def test_a_plan_with_no_board_is_on_no_committees_log(self, committees):
        committees.plans["PERM"].board = None
        log = action_log(committees, SCRUTINY, JUL, DEC)
        assert (sum(parts(log).values(), []), log["not_yet_due"]) == ([], 0)

    def test_a_committees_first_meeting(self, committees):
        committees.plans["SUFF"].created = date(2022, 7, 1)  # no action counts from before its plan
        at(committees, date(2022, 7, 1)).add_action("SUFF.2", "Done before the first meeting",
                                                    owner="Head of Placements", due=date(2022, 7, 10))
        at(committees, date(2022, 7, 2)).complete("SUFF-2.1")
        log = action_log(committees, BOARD, JUL, JUL)
        assert log["previous_meeting"] is None
        assert parts(log) == {"due": [], "completed": ["SUFF-2.1"], "extensions": [], "overdue": []}
        assert log["not_yet_due"] == 1  # SUFF-1.1; R-1 is from this meeting, not before it

    def test_completed_on_the_previous_meetings_own_day_is_for_sign_off(self, committees):
        at(committees, SEP).complete("R-1")
        assert parts(action_log(committees, BOARD, DEC, DEC))["completed"] == ["R-1"]

    def test_completed_before_the_previous_meeting_is_not(self, committees):
        at(committees, date(2022, 9, 20)).complete("R-1")
        assert parts(action_log(committees, BOARD, DEC, DEC))["completed"] == []

    def test_closed_items_do_not_end_the_log(self, committees):
        at(committees, SEP).update_action("R-1", status="dropped", note="Superseded by the new plan")
        at(committees, SEP).add_resolution(BOARD, JUL, "22/3", "Board: benchmarking", owner="Head of Service",
                                           due=SEP)  # R-3, after the dropped R-1 in the log's order
        log = action_log(committees, BOARD, DEC, DEC)
        assert parts(log)["overdue"] == ["R-3", "SUFF-1.1"]
        at(committees, SEP).complete("R-3")
        assert parts(action_log(committees, BOARD, DEC, DEC))["overdue"] == ["SUFF-1.1"]
        assert parts(action_log(committees, BOARD, DEC, DEC))["completed"] == ["R-3"]

    def test_a_move_on_the_previous_meetings_day_is_an_extension(self, committees):
        at(committees, SEP).reschedule("R-1", DEC, "awaiting the inspection report")
        log = action_log(committees, BOARD, DEC, DEC)
        assert parts(log)["extensions"] == ["R-1"]
        assert log["parts"]["extensions"][0]["moves"][0]["from"] == SEP


class TestReportFilters:
    @pytest.mark.parametrize("report", [listings.overdue, listings.slippage])
    def test_plan_and_theme_filters_let_no_resolution_through(self, committees, report):
        assert [v["ref"] for v in report(committees, ItemFilter(plan="SUFF"), DEC)] == ["SUFF-1.1"]
        assert [v["ref"] for v in report(committees, ItemFilter(theme="SUFF.1"), DEC)] == ["SUFF-1.1"]

    @pytest.mark.parametrize("report", [listings.overdue, listings.slippage])
    def test_body_filter(self, committees, report):
        assert sorted(v["ref"] for v in report(committees, ItemFilter(), DEC)) == [
            "PERM-1.1", "R-1", "R-2", "SUFF-1.1"]
        assert sorted(v["ref"] for v in report(committees, ItemFilter(body=BOARD), DEC)) == ["R-1", "SUFF-1.1"]
        assert sorted(v["ref"] for v in report(committees, ItemFilter(body=PANEL), DEC)) == ["R-2"]
        assert sorted(v["ref"] for v in report(committees, ItemFilter(body=SCRUTINY), DEC)) == ["PERM-1.1"]


def one_action(due: date, created: date = JUL):
    data = small_store()
    action = at(data, created).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=due)
    return data, action


def derived(data, action, as_of: date) -> str:
    return item_view(data, action, as_of)["derived_rag"]


class TestDerivedRag:
    def test_due_today_is_green(self):
        data, action = one_action(NOV)
        assert (rules.days_overdue(action, NOV), derived(data, action, NOV)) == (0, "green")

    def test_one_day_overdue_is_amber(self):
        data, action = one_action(NOV)
        assert (rules.days_overdue(action, date(2022, 11, 17)), derived(data, action, date(2022, 11, 17))) == (
            1, "amber")

    def test_one_day_overdue_is_amber_even_with_no_slippage(self):
        # Brought forward from its baseline: overdue, but not behind the baseline.
        data, action = one_action(DEC)
        at(data, JUL).reschedule("SUFF-1.1", NOV, "brought forward for the Board")
        as_of = date(2022, 11, 17)
        assert (rules.days_overdue(action, as_of), rules.slippage_days(action, as_of)) == (1, 0)
        assert derived(data, action, as_of) == "amber"
        assert rules.rag_from("in-progress", 1, 0, False, 30) == "amber"

    def test_red_only_past_the_tolerance(self):
        data, action = one_action(NOV)
        tolerance = data.settings.tolerance_days
        assert derived(data, action, date(2022, 12, 16)) == "amber"  # exactly 30 days overdue
        assert tolerance == 30 and derived(data, action, date(2022, 12, 17)) == "red"

    def test_one_day_past_the_baseline_is_amber_though_not_overdue(self):
        data, action = one_action(NOV)
        at(data, NOV).reschedule("SUFF-1.1", date(2022, 11, 17), "one more day")
        assert (rules.days_overdue(action, NOV), rules.slippage_days(action, NOV)) == (0, 1)
        assert derived(data, action, NOV) == "amber"

    def test_milestones_none_late_is_green(self):
        data, action = one_action(DEC)
        at(data, JUL).add_milestone("SUFF-1.1", "Draft", NOV)
        at(data, JUL).add_milestone("SUFF-1.1", "Consultation", date(2022, 11, 30))
        assert derived(data, action, NOV) == "green"  # the first is due that very day, not late
        assert derived(data, action, date(2022, 11, 17)) == "amber"

    def test_a_done_milestone_is_never_late(self):
        data, action = one_action(DEC)
        at(data, JUL).add_milestone("SUFF-1.1", "Draft", SEP)
        at(data, SEP).milestone_done("SUFF-1.1", 1)
        assert derived(data, action, NOV) == "green"


class TestUpdates:
    def test_an_update_on_the_as_of_day_counts(self):
        data, action = one_action(DEC)
        at(data, NOV).update_action("SUFF-1.1", note="Scoping started")
        assert rules.last_update(action, NOV) == NOV
        assert rules.last_update(action, date(2022, 11, 15)) == JUL
        assert rules.history_facts(action, NOV).last_update == NOV

    def test_stale_after_the_cycle_not_on_its_last_day(self):
        data, action = one_action(DEC)
        cycle = data.settings.cycle_days
        assert not rules.is_stale(action, date(2022, 8, 20), cycle)  # 31 days on
        assert rules.is_stale(action, date(2022, 8, 21), cycle)

    def test_a_move_on_the_as_of_day_counts(self):
        data, action = one_action(NOV)
        at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
        assert rules.last_move(action, SEP) == SEP
        assert rules.latest_move_reason(action, SEP) == "capacity"
        assert rules.last_move(action, date(2022, 9, 20)) is None
        assert rules.reschedules(action, SEP) == 1 and rules.reschedules(action, date(2022, 9, 20)) == 0


def test_facts_from_a_stored_record_as_at_a_day_before_its_last_move(tmp_path):
    """A loaded record's saved summary speaks for today; as at an earlier day the
    facts come from the history, and must leave out the later move (found by mutmut)."""
    from tests.helpers import file_store

    data, action = one_action(NOV)
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
    with file_store(tmp_path, "json") as repo:  # the rule is the same whatever the backend
        repo.save(data)
        loaded = repo.load().actions["SUFF-1.1"]
        assert loaded.stored_summary() is not None  # the history is not decoded yet
        facts = rules.history_facts(loaded, date(2022, 9, 20))
    assert (facts.last_move, facts.latest_reason) == (None, None)


def test_move_facts_from_a_stored_record_answer_for_the_day_asked(tmp_path):
    """reschedules() and latest_move_reason() of a loaded record: the saved summary answers
    only as at a day on or after its last change; before it, a later move neither counts
    nor gives the reason (mutmut: the summary was once asked as at no day at all)."""
    from tests.helpers import file_store

    data, _ = one_action(NOV)
    at(data, SEP).reschedule("SUFF-1.1", DEC, "capacity")
    with file_store(tmp_path, "json") as repo:
        repo.save(data)
        loaded = repo.load().actions["SUFF-1.1"]
        after = (rules.reschedules(loaded, DEC), rules.latest_move_reason(loaded, DEC))
        assert loaded.stored_summary() is not None  # answered from the summary, history not decoded
        # Each asked of a fresh load: asking as at an earlier day decodes the history.
        before = (rules.reschedules(repo.load().actions["SUFF-1.1"], date(2022, 9, 20)),
                  rules.latest_move_reason(repo.load().actions["SUFF-1.1"], date(2022, 9, 20)))
    assert before == (0, None)
    assert after == (1, "capacity")


def test_an_undo_is_not_an_update():
    """Undoing the owner's update leaves the last update where it was before it: the undo
    itself is not progress, so it does not make a stale item fresh (mutmut)."""
    from actiontrack.changes.undo import undo_last

    data, action = one_action(DEC)
    at(data, NOV).update_action("SUFF-1.1", note="Scoping started")
    undo_last(at(data, date(2022, 12, 1)))
    assert action.history[-1].event == "undo"
    assert rules.last_update(action, DEC) == JUL
    assert summarise(action)["last_update"] == JUL.isoformat()
    assert rules.is_stale(action, DEC, data.settings.cycle_days)


class TestLogAsAtAMeeting:
    def test_a_move_after_the_meeting_is_not_on_its_log(self, committees):
        """Part C is the moves agreed up to the meeting: a paper for September's meeting,
        printed in December, does not list November's move as September's extension."""
        at(committees, NOV).reschedule("R-1", DEC, "awaiting the inspection report")
        log = action_log(committees, BOARD, SEP, DEC)
        assert parts(log)["extensions"] == []
        assert parts(action_log(committees, BOARD, DEC, DEC))["extensions"] == ["R-1"]

    def test_the_log_says_when_it_was_prepared_and_judged(self, committees):
        """A past meeting's log is judged on the meeting day, and says the day it was prepared."""
        log = action_log(committees, BOARD, SEP, DEC)
        assert (log["meeting"], log["as_of"], log["judged_on"], log["previous_meeting"]) == (SEP, DEC, SEP, JUL)


class TestViews:
    def test_a_closed_items_milestones_are_never_overdue(self):
        data, action = one_action(DEC)
        at(data, JUL).add_milestone("SUFF-1.1", "Draft", SEP)
        assert item_view(data, action, NOV)["milestones"][0]["overdue"] is True
        at(data, NOV).complete("SUFF-1.1")
        assert item_view(data, action, DEC)["milestones"][0]["overdue"] is False

    def test_show_gives_the_full_record(self):
        from actiontrack.reports.views import detail_view

        data = small_store()
        action = at(data, JUL).add_action("SUFF.1", "Refresh", owner="Commissioning Manager", due=NOV,
                                          success="A refreshed plan", finance="Within budget",
                                          source="Ofsted 2022")
        view = detail_view(data, action, NOV)
        assert (view["success"], view["finance"], view["source"]) == (
            "A refreshed plan", "Within budget", "Ofsted 2022")

    @pytest.mark.parametrize("field,value,fragment", [
        ("rag", "purple", "'purple' is not a RAG"),
        ("derived_rag", "pink", "'pink' is not a derived RAG"),
        ("kind", "motion", "'motion' is not a kind"),
    ])
    def test_a_bad_filter_names_what_was_typed(self, committees, field, value, fragment):
        from actiontrack.errors import BadInput

        with pytest.raises(BadInput) as e:
            ItemFilter(**{field: value}).validated(committees)
        assert fragment in e.value.message

    def test_blue_is_a_derived_rag_to_filter_by(self, committees):
        """Completed work derives blue, so 'derived RAG blue' lists it (any case)."""
        from actiontrack.reports.views import select

        at(committees, NOV).complete("SUFF-1.1")
        assert [v["ref"] for v in select(committees, ItemFilter(derived_rag="Blue"), DEC)] == ["SUFF-1.1"]

    def test_a_kind_filter_leaves_out_the_other_kind(self, committees):
        flt = ItemFilter(kind="resolution")
        assert not flt.matches(committees.actions["SUFF-1.1"], committees)
        assert flt.matches(committees.resolutions["R-1"], committees)

    def test_an_action_is_of_no_meeting(self, committees):
        """A meeting filter is for resolutions: no action matches it, whoever owns it."""
        flt = ItemFilter(body=BOARD, meeting=JUL)
        assert not flt.matches(committees.actions["SUFF-1.1"], committees)
        assert flt.matches(committees.resolutions["R-1"], committees)

    def test_a_body_filter_leaves_out_plans_with_no_board(self, committees):
        from actiontrack.reports.views import select

        committees.plans["PERM"].board = None
        assert [v["ref"] for v in select(committees, ItemFilter(body=BOARD), DEC)] == ["SUFF-1.1"]
        assert [v["ref"] for v in select(committees, ItemFilter(body=SCRUTINY), DEC)] == []

    def test_exports_list_actions_before_resolutions(self, committees):
        """views.order: actions by plan, theme and number, then resolutions (the export's order)."""
        from actiontrack.reports.views import order

        items = [committees.resolutions["R-1"], committees.actions["SUFF-1.1"], committees.actions["PERM-1.1"]]
        assert [i.ref for i in sorted(items, key=order)] == ["PERM-1.1", "SUFF-1.1", "R-1"]
