import copy
from datetime import date

import pytest

from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput
from tests.helpers import FIXED_CLOCK, at, small_store, tracker


@pytest.fixture
def data() -> StoreData:
    return small_store()


def add(data, theme="SUFF.1", due=date(2022, 11, 30), **kw):
    kw.setdefault("owner", "Specialist Commissioning Manager")
    return at(data, date(2022, 7, 20)).add_action(theme, "Full refresh of the Commissioning Action Plan", due=due, **kw)


def snapshot(data):
    return copy.deepcopy(data)


class TestRefs:
    def test_refs_are_plan_theme_sequence(self, data):
        assert [add(data).ref, add(data).ref, add(data, "SUFF.2").ref, add(data, "perm.1").ref] == [
            "SUFF-1.1", "SUFF-1.2", "SUFF-2.1", "PERM-1.1"]

    def test_lookup_is_case_insensitive(self, data):
        add(data)
        assert data.action("suff-1.1").ref == "SUFF-1.1"

    def test_unknown_theme_is_bad_input(self, data):
        with pytest.raises(BadInput, match="no theme 9"):
            add(data, "SUFF.9")

    def test_unknown_plan_is_bad_input(self, data):
        with pytest.raises(BadInput, match="no plan 'NOPE'"):
            add(data, "NOPE.1")


class TestAdd:
    def test_baseline_and_due_start_equal(self, data):
        a = add(data)
        assert a.baseline_due == a.due == date(2022, 11, 30)
        assert a.status == "not-started" and a.rag is None

    def test_creation_is_history(self, data):
        a = add(data, source="minute 22/7, 20 July 2022")
        (h,) = a.history
        assert (h.event, h.effective, h.user, h.recorded_at) == ("create", date(2022, 7, 20), "Clerk", FIXED_CLOCK)
        assert {c.field: c.new for c in h.changes}["source"] == "minute 22/7, 20 July 2022"

    @pytest.mark.parametrize("title", ["", "   ", "bad\x1b[31m"])
    def test_empty_or_control_text_refused(self, data, title):
        before = snapshot(data)
        with pytest.raises(BadInput):
            at(data, date(2022, 7, 20)).add_action("SUFF.1", title, owner="x", due=date(2022, 1, 1))
        assert data == before

    def test_duplicate_plan_and_theme_refused(self, data):
        t = at(data, date(2022, 7, 20))
        with pytest.raises(BadInput, match="already exists"):
            t.add_plan("suff", "Again")
        with pytest.raises(BadInput, match="already has a theme 1"):
            t.add_theme("SUFF", 1, "Again", "Officer")

    @pytest.mark.parametrize("key", ["1ABC", "SU-FF", "", "TOOLONGKEYTOOLONGKEY"])
    def test_plan_keys_are_letters_and_digits(self, key):
        with pytest.raises(BadInput, match="not a plan key"):
            tracker().add_plan(key, "Title")


class TestReschedule:
    def test_moves_due_keeps_baseline_and_records_reason(self, data):
        a = add(data)
        at(data, date(2022, 10, 26)).reschedule(a.ref, date(2023, 1, 31), "Capital bid deferred")
        assert (a.baseline_due, a.due) == (date(2022, 11, 30), date(2023, 1, 31))
        h = a.history[-1]
        assert (h.event, h.note, h.effective) == ("reschedule", "Capital bid deferred", date(2022, 10, 26))
        assert (h.changes[0].field, h.changes[0].old, h.changes[0].new) == ("due", "2022-11-30", "2023-01-31")

    @pytest.mark.parametrize("reason", ["", "  ", None])
    def test_needs_a_reason(self, data, reason):
        a = add(data)
        before = snapshot(data)
        with pytest.raises(BadInput, match="reason"):
            at(data, date(2022, 10, 1)).reschedule(a.ref, date(2023, 1, 31), reason)
        assert data == before

    def test_same_date_refused(self, data):
        a = add(data)
        with pytest.raises(BadInput, match="already due"):
            at(data, date(2022, 10, 1)).reschedule(a.ref, a.due, "no change")

    def test_closed_action_cannot_move(self, data):
        a = add(data)
        at(data, date(2022, 11, 1)).complete(a.ref)
        with pytest.raises(BadInput, match="reopen"):
            at(data, date(2022, 11, 2)).reschedule(a.ref, date(2023, 1, 1), "late")


class TestUpdate:
    def test_status_rag_owner_note(self, data):
        a = add(data)
        at(data, date(2022, 8, 1)).update_action(a.ref, status="in-progress", rag="amber", owner="Head of Service",
                                                 note="Drafting")
        assert (a.status, a.rag, a.owner) == ("in-progress", "amber", "Head of Service")
        h = a.history[-1]
        assert {c.field for c in h.changes} == {"status", "rag", "owner"} and h.note == "Drafting"

    def test_note_alone_is_an_update(self, data):
        a = add(data)
        at(data, date(2022, 9, 1)).update_action(a.ref, note="Still on track")
        assert a.history[-1].changes == [] and a.history[-1].note == "Still on track"

    def test_rag_none_clears(self, data):
        a = add(data)
        at(data, date(2022, 8, 1)).update_action(a.ref, rag="green")
        at(data, date(2022, 8, 2)).update_action(a.ref, rag="none")
        assert a.rag is None

    def test_nothing_to_update_refused(self, data):
        a = add(data)
        with pytest.raises(BadInput, match="nothing to update"):
            at(data, date(2022, 8, 1)).update_action(a.ref)

    @pytest.mark.parametrize("kw,match", [
        ({"status": "finished"}, "not a status"),
        ({"rag": "purple"}, "not a RAG"),
        ({"status": "complete"}, "action complete"),
        ({"status": "dropped"}, "needs a --note"),
    ])
    def test_invalid_updates_refused_and_nothing_changes(self, data, kw, match):
        a = add(data)
        before = snapshot(data)
        with pytest.raises(BadInput, match=match):
            at(data, date(2022, 8, 1)).update_action(a.ref, **kw)
        assert data == before

    def test_drop_with_note(self, data):
        a = add(data)
        at(data, date(2022, 8, 1)).update_action(a.ref, status="dropped", note="Superseded by the new strategy")
        assert a.is_closed

    def test_closed_status_needs_reopen(self, data):
        a = add(data)
        at(data, date(2022, 8, 1)).complete(a.ref)
        with pytest.raises(BadInput, match="reopen"):
            at(data, date(2022, 8, 2)).update_action(a.ref, status="in-progress")


class TestCompleteAndReopen:
    def test_complete_defaults_to_as_of(self, data):
        a = add(data)
        at(data, date(2022, 12, 14)).complete(a.ref, note="Approved")
        assert (a.status, a.completed_on) == ("complete", date(2022, 12, 14))

    def test_complete_on_a_past_date(self, data):
        a = add(data)
        at(data, date(2022, 12, 14)).complete(a.ref, on=date(2022, 12, 1))
        assert a.completed_on == date(2022, 12, 1)

    def test_cannot_complete_in_the_future(self, data):
        a = add(data)
        with pytest.raises(BadInput, match="after the as-of date"):
            at(data, date(2022, 12, 1)).complete(a.ref, on=date(2022, 12, 2))

    def test_twice_refused(self, data):
        a = add(data)
        at(data, date(2022, 12, 1)).complete(a.ref)
        with pytest.raises(BadInput, match="already complete"):
            at(data, date(2022, 12, 2)).complete(a.ref)

    def test_reopen_clears_completion_and_needs_reason(self, data):
        a = add(data)
        at(data, date(2022, 12, 1)).complete(a.ref)
        with pytest.raises(BadInput, match="reason"):
            at(data, date(2022, 12, 2)).reopen(a.ref, "")
        at(data, date(2022, 12, 2)).reopen(a.ref, "Board did not sign off")
        assert (a.status, a.completed_on) == ("in-progress", None)
        assert a.history[-1].event == "reopen"

    def test_reopen_open_action_refused(self, data):
        a = add(data)
        with pytest.raises(BadInput, match="not closed"):
            at(data, date(2022, 12, 2)).reopen(a.ref, "why")


class TestMilestones:
    def test_numbered_and_done(self, data):
        a = add(data)
        t = at(data, date(2022, 8, 1))
        assert [t.add_milestone(a.ref, "Draft", date(2022, 9, 30)).number,
                t.add_milestone(a.ref, "Consult", date(2022, 10, 31)).number] == [1, 2]
        at(data, date(2022, 10, 3)).milestone_done(a.ref, 1)
        assert a.milestones[0].done_on == date(2022, 10, 3)
        assert [h.event for h in a.history] == ["create", "milestone-add", "milestone-add", "milestone-done"]

    def test_unknown_milestone(self, data):
        a = add(data)
        with pytest.raises(BadInput, match="no milestone 3"):
            at(data, date(2022, 8, 1)).milestone_done(a.ref, 3)

    def test_done_twice_refused(self, data):
        a = add(data)
        at(data, date(2022, 8, 1)).add_milestone(a.ref, "Draft", date(2022, 9, 30))
        at(data, date(2022, 9, 1)).milestone_done(a.ref, 1)
        with pytest.raises(BadInput, match="already done"):
            at(data, date(2022, 9, 2)).milestone_done(a.ref, 1)


def test_history_is_append_only(data):
    a = add(data)
    t = at(data, date(2022, 8, 1))
    t.update_action(a.ref, rag="green")
    first_two = copy.deepcopy(a.history)
    t.reschedule(a.ref, date(2023, 1, 31), "x")
    t.update_action(a.ref, rag="amber")
    assert a.history[:2] == first_two and len(a.history) == 4


def test_settings_validated(data):
    t = at(data, date(2022, 8, 1))
    t.set_setting("tolerance_days", 45)
    assert data.settings.tolerance_days == 45
    with pytest.raises(BadInput):
        t.set_setting("tolerance_days", -1)
    with pytest.raises(BadInput):
        t.set_setting("colour", 1)
