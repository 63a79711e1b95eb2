from datetime import date

import pytest

from actiontrack.errors import BadInput
from actiontrack.reports import listings
from actiontrack.reports.highlight import highlight
from actiontrack.reports.views import ItemFilter, item_view, select
from tests.helpers import at, small_store

AS_OF = date(2022, 12, 1)


@pytest.fixture
def data():
    """SUFF-1.1 overdue 1 day; SUFF-1.2 moved on 28/11; SUFF-1.3 milestone late;
    SUFF-2.1 overdue 62 days; SUFF-2.2 complete late on 28/11; SUFF-2.3 on track;
    PERM-1.1 complete on time; PERM-1.2 dropped."""
    d = small_store()
    t = at(d, date(2022, 7, 20))
    t.add_action("SUFF.1", "Full refresh", owner="Commissioning Manager", due=date(2022, 11, 30))
    t.add_action("SUFF.1", "Provider meetings", owner="Commissioning Manager", due=date(2022, 11, 15))
    t.add_action("SUFF.1", "Edge of care offer", owner="Head of Early Help", due=date(2023, 3, 31))
    t.add_milestone("SUFF-1.3", "Live in all localities", date(2022, 9, 30))
    t.add_action("SUFF.2", "Placement planning", owner="Head of Placements", due=date(2022, 9, 30))
    t.add_action("SUFF.2", "PEP audit", owner="Virtual School Head", due=date(2022, 10, 31))
    t.add_action("SUFF.2", "Second home appraisal", owner="Head of Placements", due=date(2023, 1, 31))
    # Entered before it was done: a change cannot count from before its item existed, nor an
    # action from before its plan (kept on paper since June, say).
    d.plans["PERM"].created = date(2022, 6, 1)
    at(d, date(2022, 6, 1)).add_action("PERM.1", "Panel reviews", owner="Head of Early Help", due=date(2022, 6, 30))
    t.add_action("PERM.1", "Old idea", owner="Head of Early Help", due=date(2022, 8, 30))
    t.update_action("SUFF-2.1", rag="green", note="on track")
    at(d, date(2022, 11, 28)).reschedule("SUFF-1.2", date(2023, 1, 31), "Third provider not registered")
    at(d, date(2022, 11, 28)).complete("SUFF-2.2")
    at(d, date(2022, 6, 30)).complete("PERM-1.1")
    at(d, date(2022, 8, 1)).update_action("PERM-1.2", status="dropped", note="Superseded")
    return d


def refs(rows):
    return [r["ref"] for r in rows]


def test_overdue_sorts_by_the_days_it_shows_then_the_worst_milestone(data):
    rows = listings.overdue(data, ItemFilter(), AS_OF)
    assert refs(rows) == ["SUFF-2.1", "SUFF-1.1", "SUFF-1.3"]
    assert [r["days_overdue"] for r in rows] == [62, 1, 0]
    assert [r["overdue_by"] for r in rows] == [62, 1, 62]
    assert rows[2]["milestones"][0]["overdue"] is True


def test_overdue_filters(data):
    assert refs(listings.overdue(data, ItemFilter(plan="suff", theme="SUFF.2"), AS_OF)) == ["SUFF-2.1"]
    assert refs(listings.overdue(data, ItemFilter(owner="early help"), AS_OF)) == ["SUFF-1.3"]
    assert listings.overdue(data, ItemFilter(plan="PERM"), AS_OF) == []


def test_unknown_filter_plan_is_bad_input_not_empty(data):
    with pytest.raises(BadInput, match="no plan 'NOPE'"):
        listings.overdue(data, ItemFilter(plan="NOPE"), AS_OF)
    with pytest.raises(BadInput, match="no theme 7"):
        listings.slippage(data, ItemFilter(theme="SUFF.7"), AS_OF)


def test_slippage_reasons_new_and_late_completions(data):
    rows = {r["ref"]: r for r in listings.slippage(data, ItemFilter(), AS_OF)}
    assert set(rows) == {"SUFF-1.1", "SUFF-1.2", "SUFF-1.3", "SUFF-2.1", "SUFF-2.2"}
    assert (rows["SUFF-1.1"]["reason"], rows["SUFF-1.1"]["new"]) == ("overdue", True)
    assert (rows["SUFF-1.2"]["reasons"], rows["SUFF-1.2"]["new"]) == (["rescheduled"], True)
    assert rows["SUFF-1.2"]["latest_reason"] == "Third provider not registered"
    assert (rows["SUFF-1.3"]["reason"], rows["SUFF-1.3"]["new"]) == ("milestone-overdue", False)
    assert (rows["SUFF-2.1"]["reason"], rows["SUFF-2.1"]["new"]) == ("overdue", False)
    assert (rows["SUFF-2.2"]["reason"], rows["SUFF-2.2"]["slippage_days"]) == ("completed-late", 28)


def test_slippage_sorted_by_days_behind_baseline(data):
    rows = listings.slippage(data, ItemFilter(), AS_OF)
    days = [r["slippage_days"] for r in rows]
    assert days == sorted(days, reverse=True)


def test_slippage_since_boundary(data):
    # SUFF-1.1 was due 30/11 and became overdue on 1/12.  Since 29/11 it is new; since 30/11 too
    # (it became overdue after the 30th); the reschedule on 28/11 is new only when since < 28/11.
    rows = {r["ref"]: r for r in listings.slippage(data, ItemFilter(), AS_OF, since=date(2022, 11, 30))}
    assert rows["SUFF-1.1"]["new"] is True
    assert rows["SUFF-1.2"]["new"] is False
    assert "SUFF-2.2" not in rows  # completed on 28/11, before since
    rows = {r["ref"]: r for r in listings.slippage(data, ItemFilter(), AS_OF, since=date(2022, 12, 1))}
    assert rows["SUFF-1.1"]["new"] is False
    rows = {r["ref"]: r for r in listings.slippage(data, ItemFilter(), AS_OF, since=date(2022, 11, 27))}
    assert rows["SUFF-1.2"]["new"] is True and "SUFF-2.2" in rows


def test_overdue_and_rescheduled_both_named(data):
    at(data, date(2022, 12, 1)).reschedule("SUFF-2.1", date(2022, 10, 31), "Summer holidays")
    row = next(r for r in listings.slippage(data, ItemFilter(), date(2022, 12, 1)) if r["ref"] == "SUFF-2.1")
    assert row["reasons"] == ["overdue", "rescheduled"] and row["new"] is True


def test_brought_forward_overdue_is_overdue_but_not_slippage():
    d = small_store()
    t = at(d, date(2022, 7, 20))
    t.add_action("SUFF.1", "Early", owner="x", due=date(2022, 12, 31))
    t.reschedule("SUFF-1.1", date(2022, 11, 1), "Needed sooner for Ofsted")
    assert refs(listings.overdue(d, ItemFilter(), AS_OF)) == ["SUFF-1.1"]
    assert listings.slippage(d, ItemFilter(), AS_OF) == []


def test_action_view_has_the_contract_keys(data):
    view = item_view(data, data.action("SUFF-1.2"), AS_OF)
    assert view == {
        "ref": "SUFF-1.2", "plan": "SUFF", "theme": "SUFF.1", "theme_title": "Strengthening Commissioning",
        "title": "Provider meetings", "owner": "Commissioning Manager", "status": "not-started",
        "rag": None, "derived_rag": "amber", "rag_mismatch": False,
        "baseline_due": date(2022, 11, 15), "due": date(2023, 1, 31), "completed_on": None,
        "days_overdue": 0, "slippage_days": 77, "reschedules": 1, "stale": False,
        "last_update": date(2022, 11, 28), "milestones": [],
        "kind": "action", "body": "Corporate Parenting Board", "meeting": None, "minute": None, "links": [],
        "due_rule": None,
    }


def test_select_filters_by_status_rag_and_derived(data):
    assert refs(select(data, ItemFilter(status="complete"), AS_OF)) == ["PERM-1.1", "SUFF-2.2"]
    assert refs(select(data, ItemFilter(rag="green"), AS_OF)) == ["SUFF-2.1"]
    assert refs(select(data, ItemFilter(derived_rag="red"), AS_OF)) == ["SUFF-2.1"]
    assert refs(select(data, ItemFilter(open_only=True, plan="PERM"), AS_OF)) == []


def test_highlight_counts_per_theme(data):
    result = highlight(data, AS_OF)
    themes = {t["theme"]: t for t in result["themes"]}
    assert themes["SUFF.1"]["counts"] == {"blue": 0, "green": 0, "amber": 3, "red": 0, "dropped": 0}
    assert themes["SUFF.2"]["counts"] == {"blue": 1, "green": 1, "amber": 0, "red": 1, "dropped": 0}
    assert themes["PERM.1"]["counts"] == {"blue": 1, "green": 0, "amber": 0, "red": 0, "dropped": 1}
    assert themes["SUFF.2"]["mismatches"] == ["SUFF-2.1"]
    assert themes["SUFF.1"]["officer"] == "Head of Commissioning"
    assert result["totals"]["amber"] == 3 and result["mismatches"] == 1


def test_highlight_stale_and_next_deadlines(data):
    result = highlight(data, date(2023, 1, 10), plan="SUFF")
    themes = {t["theme"]: t for t in result["themes"]}
    assert set(themes) == {"SUFF.1", "SUFF.2"}
    assert themes["SUFF.2"]["stale"] == ["SUFF-2.1", "SUFF-2.3"]
    assert themes["SUFF.1"]["next_deadlines"] == [
        {"ref": "SUFF-1.2", "what": "Provider meetings", "due": date(2023, 1, 31)},
        {"ref": "SUFF-1.3", "what": "Edge of care offer", "due": date(2023, 3, 31)},
    ]
