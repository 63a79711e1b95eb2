"""The scorecard's rules (issue 16), by hand-worked examples: periods, RAG against target
for both polarities with absolute and percentage tolerances, direction of travel."""

from __future__ import annotations

from datetime import date

import pytest

from actiontrack.domain.indicator_rules import Tolerance, direction, parse_tolerance, rag
from actiontrack.domain.periods import Period, parse_period
from actiontrack.errors import BadInput
from actiontrack.reports.scorecard import sparkline


@pytest.mark.parametrize("text, start, kind, key, label", [
    ("2022-06", date(2022, 6, 1), "month", "2022-06", "Jun 2022"),
    ("06/2022", date(2022, 6, 1), "month", "2022-06", "Jun 2022"),
    ("June 2022", date(2022, 6, 1), "month", "2022-06", "Jun 2022"),
    ("Q1 2022/23", date(2022, 4, 1), "quarter", "Q1 2022/23", "Q1 2022/23"),
    ("q3 2022/23", date(2022, 10, 1), "quarter", "Q3 2022/23", "Q3 2022/23"),
    ("Q4 2022/23", date(2023, 1, 1), "quarter", "Q4 2022/23", "Q4 2022/23"),  # January to March 2023
    ("2022/23", date(2022, 4, 1), "year", "2022/23", "2022/23"),
    ("2022-23", date(2022, 4, 1), "year", "2022/23", "2022/23"),
    ("2099/00", date(2099, 4, 1), "year", "2099/00", "2099/00"),
])
def test_periods_parse_to_their_start_and_kind(text, start, kind, key, label):
    period = parse_period(text)
    assert (period.start, period.kind, period.key, period.label) == (start, kind, key, label)
    assert parse_period(period.key) == period  # the stored key reads back as the same period


def test_period_arithmetic():
    q4 = parse_period("Q4 2022/23")
    assert q4.end == date(2023, 3, 31) and q4.previous == parse_period("Q3 2022/23")
    assert q4.year_ago == parse_period("Q4 2021/22")
    assert parse_period("2022-01").previous == parse_period("2021-12")
    assert parse_period("2022-02").end == date(2022, 2, 28)
    assert parse_period("2022/23").previous == parse_period("2021/22") == parse_period("2022/23").year_ago
    assert sorted([parse_period("2022-03"), parse_period("2021-12"), parse_period("2022-01")]) == [
        Period(date(2021, 12, 1), "month"), Period(date(2022, 1, 1), "month"), Period(date(2022, 3, 1), "month")]


@pytest.mark.parametrize("text, says", [
    ("2022-13", "no month 13"), ("Q5 2022/23", "not a period"), ("2022/24", "not a financial year"),
    ("Q1 2022/24", "not a financial year"), ("June", "not a period"), ("", "not a period"),
    ("Smarch 2022", "not a period"), ("1989-12", "1990 to 2100"), ("2022", "not a period"),
])
def test_bad_periods_are_refused(text, says):
    with pytest.raises(BadInput, match=says):
        parse_period(text)


def test_a_period_of_the_wrong_kind_for_the_indicator_is_refused():
    with pytest.raises(BadInput, match="this indicator is recorded by quarter"):
        parse_period("2022-06", "quarter")
    assert parse_period("Q2 2022/23", "quarter").start == date(2022, 7, 1)


# RAG: green on target or better; amber worse by no more than the tolerance; red beyond.
@pytest.mark.parametrize("value, target, better, tolerance, expected", [
    # higher is better (foster placements, %): target 75, tolerance 2 points
    (76, 75, "higher", "2", "green"), (75, 75, "higher", "2", "green"),
    (73, 75, "higher", "2", "amber"), (72.9, 75, "higher", "2", "red"),
    # lower is better (children in care): target 520, tolerance 5% of target = 26
    (500, 520, "lower", "5%", "green"), (520, 520, "lower", "5%", "green"),
    (546, 520, "lower", "5%", "amber"), (547, 520, "lower", "5%", "red"),
    # lower is better, absolute (caseload): target 18, tolerance 2
    (20, 18, "lower", "2", "amber"), (20.1, 18, "lower", "2", "red"),
    # higher is better, percentage: target 80, 10% = 8
    (72, 80, "higher", "10%", "amber"), (71.9, 80, "higher", "10%", "red"),
    # no tolerance: any shortfall is red
    (74.9, 75, "higher", None, "red"), (75.1, 75, "lower", None, "red"), (75, 75, "lower", None, "green"),
])
def test_rag_against_target_by_polarity_and_tolerance(value, target, better, tolerance, expected):
    assert rag(value, target, better, parse_tolerance(tolerance) if tolerance else None) == expected


def test_tolerances_parse():
    assert parse_tolerance("5%") == Tolerance(5, True) and parse_tolerance(" 2 ") == Tolerance(2, False)
    assert parse_tolerance("5%").allowed(520) == 26 and parse_tolerance("2").allowed(520) == 2
    assert parse_tolerance("2.5").text == "2.5" and parse_tolerance("10%").text == "10%"
    for bad in ("five", "-1", "nan", "inf%", ""):
        with pytest.raises(BadInput):
            parse_tolerance(bad)


@pytest.mark.parametrize("current, earlier, better, expected", [
    (534, 531, "lower", "worsening"), (528, 531, "lower", "improving"),
    (72, 70, "higher", "improving"), (68, 70, "higher", "worsening"),
    (70, 70, "higher", "no change"), (70, 70, "lower", "no change"),
    (70, None, "higher", None), (None, 70, "lower", None),
])
def test_direction_of_travel_by_polarity(current, earlier, better, expected):
    assert direction(current, earlier, better) == expected


def test_sparkline_scales_lowest_to_highest():
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([10, 10, 10]) == "▅▅▅" and sparkline([]) == ""  # flat: mid-height
    assert sparkline([5, 1, 9]) == "▅▁█"  # 5 is half way: block 4 of 0..7 (3.5 rounds to even)


# Pinned by mutation testing: each case below failed to notice a change to the rules.

@pytest.mark.parametrize("text, key", [
    ("2011-12", "2011-12"),  # December, not the financial year 2011/12
    ("2012-13", "2012/13"),  # no month 13: the financial year
    ("2022/2023", "2022/23"), ("2010/11", "2010/11"), ("Q1 2015/16", "Q1 2015/16"), ("2000/01", "2000/01"),
    ("2019/20", "2019/20"), ("1999/00", "1999/00"),
    ("1990-01", "1990-01"), ("2100-12", "2100-12"), ("2100/01", "2100/01"),  # the edges of the years kept
])
def test_period_edges(text, key):
    assert parse_period(text).key == key


@pytest.mark.parametrize("text, message", [
    ("2022-13", "'2022-13' has no month 13"),
    ("13/2022", "'13/2022' has no month 13"),
    ("Q1 2022/24", "'Q1 2022/24' is not a financial year"),
    ("2022/24", "'2022/24' is not a financial year"),
    ("2101-01", "'2101-01' is in the year 2101; actiontrack keeps periods from 1990 to 2100"),
])
def test_bad_period_messages_quote_what_was_typed(text, message):
    with pytest.raises(BadInput) as e:
        parse_period(text)
    assert e.value.message.startswith(message)


@pytest.mark.parametrize("text, kind, message", [
    ("2022/23", "month", "'2022/23' is a year; this indicator is recorded by month: give a month, e.g. 2022-06"),
    ("2022-06", "quarter", "'2022-06' is a month; this indicator is recorded by quarter: give a financial quarter, "
                           "e.g. Q1 2022/23"),
    ("2022-06", "year", "'2022-06' is a month; this indicator is recorded by year: give a financial year, "
                        "e.g. 2022/23"),
])
def test_a_wrong_kind_of_period_says_what_to_give(text, kind, message):
    with pytest.raises(BadInput) as e:
        parse_period(text, kind)
    assert e.value.message == message


def test_tolerance_edges():
    assert parse_tolerance("0") == Tolerance(0) and parse_tolerance("0.5") == Tolerance(0.5)
    with pytest.raises(BadInput, match="'2X' is not a tolerance"):
        parse_tolerance("2X")
    with pytest.raises(BadInput) as e:
        parse_tolerance("abc")
    assert e.value.message == "'abc' is not a tolerance (a number, e.g. 2, or a percentage, e.g. 5%)"
