"""Dates outside 1990-2100 are refused as they are read, and no change may count from
before its item existed (issue 11, items 8 and 17)."""

from __future__ import annotations

from datetime import date

import pytest

from actiontrack.dates import parse_date
from actiontrack.errors import BadInput
from tests.helpers import at, small_store

AS_OF = date(2022, 12, 1)


@pytest.mark.parametrize("text", [
    "31/12/9999", "01/01/0001", "9999-12-31", "31 Dec 2101", "December 2101", "2100/01", "Q4 2100/01",
    "31/12/1989", "+79y", "-33y", "+1000m", "+9999w", "-1999w",
])
def test_years_outside_1990_to_2100_are_refused(text):
    with pytest.raises(BadInput, match="actiontrack keeps dates from 1990 to 2100") as e:
        parse_date(text, AS_OF)
    assert f"'{text}'" in e.value.message


@pytest.mark.parametrize("text,expected", [
    ("01/01/1990", date(1990, 1, 1)), ("31/12/2100", date(2100, 12, 31)), ("+78y", date(2100, 12, 1)),
])
def test_the_ends_of_the_range_are_kept(text, expected):
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text,as_of", [
    ("tomorrow", date.max), ("yesterday", date.min), ("today", date.min), ("+1d", date.max),
    ("tomorrow", date(2100, 12, 31)), ("yesterday", date(1990, 1, 1)),
])
def test_relative_words_at_the_ends_of_the_calendar(text, as_of):
    with pytest.raises(BadInput):
        parse_date(text, as_of)


@pytest.mark.parametrize("as_of,args", [
    ("01/01/0001", ("slippage",)),
    ("31/12/9999", ("report", "--format", "html")),
    ("31/12/9999", ("export", "--format", "ics")),
])
def test_far_as_of_dates_are_bad_input(sufficiency, as_of, args):
    sufficiency.refused(*args, as_of=as_of, says="1990 to 2100")


@pytest.mark.parametrize("due", ["31/12/9999", "01/01/0001", "tomorrow"])
def test_far_due_dates_are_refused_before_any_change(sufficiency, due):
    sufficiency.refused("action", "reschedule", "SUFF-1.1", due, "--reason", "x", as_of="31/12/2100",
                        says="1990 to 2100")


def test_update_counting_from_before_the_action_existed_is_refused(sufficiency):
    sufficiency.refused("action", "update", "SUFF-1.1", "--note", "Scoping", as_of="01/01/2022",
                        says="SUFF-1.1 was created on 20 Jul 2022")


@pytest.mark.parametrize("args", [
    ("action", "reschedule", "SUFF-1.1", "31/12/2022", "--reason", "x"),
    ("action", "complete", "SUFF-1.1"),
    ("milestone", "add", "SUFF-1.1", "Draft", "--due", "30/09/2022"),
])
def test_other_changes_from_before_the_action_existed_are_refused(sufficiency, args):
    sufficiency.refused(*args, as_of="19/07/2022", says="was created on 20 Jul 2022")


def test_completion_before_the_action_existed_is_refused(sufficiency):
    sufficiency.refused("action", "complete", "SUFF-1.1", "--on", "01/01/2000",
                        says="cannot be completed on 01 Jan 2000, before it was created (20 Jul 2022)")
    sufficiency.ok("action", "complete", "SUFF-1.1", "--on", "20/07/2022")  # its first day is fine


def test_milestone_done_before_the_action_existed_is_refused(sufficiency):
    sufficiency.ok("milestone", "add", "SUFF-1.1", "Draft", "--due", "30/09/2022")
    sufficiency.refused("milestone", "done", "SUFF-1.1", "1", "--on", "01/07/2022", says="before SUFF-1.1 was created")


def test_resolution_changes_before_it_existed_are_refused(run):
    run.ok("init")
    run.ok("meeting", "add", "Corporate Parenting Panel", "20/07/2022")
    run.ok("resolution", "add", "Corporate Parenting Panel", "20/07/2022", "22/7", "Report the peer review",
           "--owner", "Head of Corporate Parenting", "--due", "30/09/2022", as_of="21/07/2022")
    run.refused("resolution", "update", "R-1", "--note", "x", as_of="20/07/2022", says="R-1 was created on 21 Jul 2022")


def test_a_sheet_may_record_a_completion_from_before_the_import():
    data = small_store()
    t = at(data, date(2022, 12, 1))
    t.add_action("SUFF.1", "Weekly reporting", owner="Commissioning Manager", due=date(2022, 6, 30))
    with pytest.raises(BadInput):
        t.complete("SUFF-1.1", on=date(2022, 6, 30))
    assert t.complete("SUFF-1.1", on=date(2022, 6, 30), from_sheet=True).completed_on == date(2022, 6, 30)


@pytest.mark.parametrize("args", [("action", "update", "SUFF-1.1", "--note", "Typo in the year"),
                                  ("action", "reschedule", "SUFF-1.1", "31/03/2031", "--reason", "x"),
                                  ("undo",)])
def test_a_change_cannot_count_from_after_today(sufficiency, args):
    """From a new-user trial: `--as-of 31/12/2099 action update` was taken (exit 0); no report as
    of today showed it, and every later change to the item was refused as counting from before
    it, until an undo.  A report may look ahead; a change may not be dated ahead."""
    from datetime import date, timedelta

    from actiontrack.dates import uk

    tomorrow = date.today() + timedelta(days=1)
    sufficiency.refused(*args, as_of=tomorrow.strftime("%d/%m/%Y"), says=f"cannot count from {uk(tomorrow)}, after today")
    assert sufficiency.json("overdue", as_of=tomorrow.strftime("%d/%m/%Y")) is not None  # reading ahead is fine
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Scoping", as_of=date.today().strftime("%d/%m/%Y"))
