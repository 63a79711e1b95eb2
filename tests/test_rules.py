from datetime import date, timedelta

import pytest

from actiontrack.domain import rules
from actiontrack.domain.models import Action, HistoryEntry, Milestone

BASE = date(2022, 11, 30)


def make(status="in-progress", due=BASE, baseline=BASE, completed_on=None, milestones=(), history=()):
    return Action(ref="SUFF-1.1", plan="SUFF", theme=1, title="Refresh", owner="Manager",
                  baseline_due=baseline, due=due, status=status, completed_on=completed_on,
                  milestones=list(milestones), history=list(history))


def entry(day: date, event="update") -> HistoryEntry:
    return HistoryEntry(recorded_at="2026-01-01T00:00:00+00:00", effective=day, user="u", event=event)


class TestDaysOverdue:
    def test_not_yet_due_is_zero(self):
        assert rules.days_overdue(make(), BASE) == 0

    def test_counts_days_past_due(self):
        assert rules.days_overdue(make(), BASE + timedelta(days=12)) == 12

    @pytest.mark.parametrize("status", ["complete", "dropped"])
    def test_closed_actions_are_never_overdue(self, status):
        assert rules.days_overdue(make(status=status, completed_on=BASE), date(2023, 6, 1)) == 0

    def test_on_hold_still_counts(self):
        assert rules.days_overdue(make(status="on-hold"), BASE + timedelta(days=3)) == 3


class TestSlippage:
    def test_open_on_time_has_none(self):
        assert rules.slippage_days(make(), date(2022, 11, 1)) == 0

    def test_open_and_overdue_slips_every_day(self):
        assert rules.slippage_days(make(), date(2022, 12, 10)) == 10

    def test_rescheduled_is_still_slippage_against_baseline(self):
        action = make(due=date(2023, 1, 31))
        assert rules.slippage_days(action, date(2022, 10, 1)) == 62

    def test_rescheduled_and_overdue_again_uses_as_of(self):
        action = make(due=date(2022, 12, 31))
        assert rules.slippage_days(action, date(2023, 1, 10)) == 41

    def test_brought_forward_never_negative(self):
        assert rules.slippage_days(make(due=date(2022, 10, 1)), date(2022, 9, 1)) == 0

    def test_complete_late_measures_completion(self):
        action = make(status="complete", completed_on=date(2022, 12, 14), due=date(2023, 1, 31))
        assert rules.slippage_days(action, date(2023, 6, 1)) == 14

    def test_complete_early_is_zero(self):
        action = make(status="complete", completed_on=date(2022, 11, 1))
        assert rules.slippage_days(action, date(2023, 6, 1)) == 0

    def test_dropped_has_none(self):
        assert rules.slippage_days(make(status="dropped"), date(2023, 6, 1)) == 0


class TestDerivedRag:
    def test_complete_is_blue(self):
        assert rules.derived_rag(make(status="complete", completed_on=BASE), BASE, 30) == "blue"

    def test_dropped_has_none(self):
        assert rules.derived_rag(make(status="dropped"), date(2023, 6, 1), 30) is None

    def test_on_time_is_green(self):
        assert rules.derived_rag(make(), BASE, 30) == "green"

    def test_overdue_within_tolerance_is_amber(self):
        assert rules.derived_rag(make(), BASE + timedelta(days=30), 30) == "amber"

    def test_overdue_beyond_tolerance_is_red(self):
        assert rules.derived_rag(make(), BASE + timedelta(days=31), 30) == "red"

    def test_tolerance_is_configurable(self):
        assert rules.derived_rag(make(), BASE + timedelta(days=8), 7) == "red"
        assert rules.derived_rag(make(), BASE + timedelta(days=8), 60) == "amber"

    def test_rescheduled_but_on_time_is_amber(self):
        assert rules.derived_rag(make(due=date(2023, 1, 31)), date(2022, 10, 1), 30) == "amber"

    def test_milestone_past_due_is_amber(self):
        action = make(milestones=[Milestone(1, "Draft", date(2022, 9, 30))])
        assert rules.derived_rag(action, date(2022, 10, 1), 30) == "amber"

    def test_milestone_done_late_does_not_count(self):
        action = make(milestones=[Milestone(1, "Draft", date(2022, 9, 30), done_on=date(2022, 10, 5))])
        assert rules.derived_rag(action, date(2022, 10, 6), 30) == "green"

    def test_milestone_due_today_is_not_overdue(self):
        action = make(milestones=[Milestone(1, "Draft", date(2022, 9, 30))])
        assert rules.derived_rag(action, date(2022, 9, 30), 30) == "green"


@pytest.mark.parametrize("reported,derived,expected", [
    ("green", "amber", True),
    ("green", "red", True),
    ("amber", "red", True),
    ("amber", "amber", False),
    ("red", "green", False),
    ("amber", "green", False),
    ("green", "blue", False),
    (None, "red", False),
    ("green", None, False),
])
def test_rag_mismatch_only_when_owner_is_rosier(reported, derived, expected):
    assert rules.rag_mismatch(reported, derived) is expected


class TestStale:
    def test_update_inside_cycle_is_fresh(self):
        action = make(history=[entry(date(2022, 10, 31))])
        assert rules.is_stale(action, date(2022, 12, 1), 31) is False

    def test_no_update_beyond_cycle_is_stale(self):
        action = make(history=[entry(date(2022, 10, 30))])
        assert rules.is_stale(action, date(2022, 12, 1), 31) is True

    def test_cycle_is_per_plan_configurable(self):
        action = make(history=[entry(date(2022, 10, 1))])
        assert rules.is_stale(action, date(2022, 12, 1), 92) is False

    def test_updates_after_as_of_do_not_count(self):
        action = make(history=[entry(date(2022, 1, 1)), entry(date(2022, 12, 5))])
        assert rules.is_stale(action, date(2022, 12, 1), 31) is True
        assert rules.last_update(action, date(2022, 12, 1)) == date(2022, 1, 1)

    def test_no_history_is_stale(self):
        assert rules.is_stale(make(), date(2022, 12, 1), 31) is True

    def test_closed_actions_are_not_stale(self):
        action = make(status="complete", completed_on=BASE, history=[entry(date(2021, 1, 1))])
        assert rules.is_stale(action, date(2022, 12, 1), 31) is False


def test_reschedules_count_due_date_moves_only():
    action = make(history=[entry(BASE, "create"), entry(BASE, "reschedule"), entry(BASE, "update"),
                           entry(BASE, "reschedule")])
    assert rules.reschedules(action) == 2
