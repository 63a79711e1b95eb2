from datetime import date, timedelta

import pytest

from actiontrack.dates import month_end, parse_date, uk
from actiontrack.errors import BadInput

AS_OF = date(2022, 12, 1)


@pytest.mark.parametrize("text", [
    "2022-11-30", "30/11/2022", "30/11/22", "30 Nov 2022", "30 November 2022", "30.11.2022",
    "30th November 2022", "  30 nov 2022 ", "30-11-2022", "November 2022", "Nov 2022", "nov. 2022",
])
def test_every_written_form_of_30_november_2022(text):
    assert parse_date(text, AS_OF) == date(2022, 11, 30)


def test_numeric_dates_are_day_first():
    assert parse_date("05/03/2018", AS_OF) == date(2018, 3, 5)


@pytest.mark.parametrize("text,expected", [
    ("Q1 2022/23", date(2022, 6, 30)),
    ("Q2 2022/23", date(2022, 9, 30)),
    ("Q3 2022/23", date(2022, 12, 31)),
    ("Q4 2022/23", date(2023, 3, 31)),
    ("q4 2023/2024", date(2024, 3, 31)),
    ("2022/23", date(2023, 3, 31)),
    ("2022-23", date(2023, 3, 31)),
    ("FY2021/22", date(2022, 3, 31)),
    ("1999/00", date(2000, 3, 31)),
])
def test_financial_years_run_april_to_march(text, expected):
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text,expected", [
    ("February 2024", date(2024, 2, 29)),
    ("February 2023", date(2023, 2, 28)),
    ("Sept 2022", date(2022, 9, 30)),
    ("December 2022", date(2022, 12, 31)),
])
def test_month_only_deadline_is_last_day_of_month(text, expected):
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text,expected", [
    ("today", date(2022, 12, 1)),
    ("TODAY", date(2022, 12, 1)),
    ("tomorrow", date(2022, 12, 2)),
    ("yesterday", date(2022, 11, 30)),
    ("+2w", date(2022, 12, 15)),
    ("+10d", date(2022, 12, 11)),
    ("+3m", date(2023, 3, 1)),
    ("-7d", date(2022, 11, 24)),
    ("+1y", date(2023, 12, 1)),
])
def test_relative_dates_count_from_as_of(text, expected):
    assert parse_date(text, AS_OF) == expected


def test_month_arithmetic_clamps_to_month_end():
    assert parse_date("+1m", date(2023, 1, 31)) == date(2023, 2, 28)


@pytest.mark.parametrize("text,fragment", [
    ("31/02/2022", "not a real date"),
    ("11/30/2022", "not a real date"),
    ("29 Feb 2023", "not a real date"),
    ("Smarch 2022", "no month name"),
    ("next week", "not a date I can read"),
    ("2022", "not a date I can read"),
    ("", "empty date"),
    ("2022/24", "not a financial year"),
    ("Q5 2022/23", "not a date I can read"),
    ("+9999y", "out of range"),
    ("0000-01-01", "not a real date"),
    # Each way in names the text as typed (mutmut: these paths once lost it, all but the message
    # left unchecked): a month name in a day-month-year date, a month's end in year 0, a quarter of
    # a financial year that is not one, and year-0 / year-10000 quarters and financial years.
    ("30 Smarch 2022", "no month name"),
    ("January 0000", "not a real date"),
    ("Q1 2022/25", "not a financial year"),
    ("Q1 0000/01", "not a real date"),
    ("9999/00", "not a real date"),
])
def test_bad_dates_name_the_text(text, fragment):
    with pytest.raises(BadInput) as e:
        parse_date(text, AS_OF)
    assert fragment in e.value.message
    if text:
        assert f"'{text}'" in e.value.message


def test_month_end():
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2023, 2) == date(2023, 2, 28)
    assert month_end(2022, 12) == date(2022, 12, 31)  # the year turns
    assert month_end(2022, 11) == date(2022, 11, 30)
    assert month_end(2100, 2) == date(2100, 2, 28)  # not a leap year


@pytest.mark.parametrize("value", [45000, None])
def test_a_value_that_is_not_text_is_named_in_the_error(value):
    """A spreadsheet cell holding a number, or nothing, is refused by what it holds (mutmut)."""
    with pytest.raises(BadInput) as e:
        parse_date(value, AS_OF)
    assert f"'{value}' is not a date" in e.value.message


def test_no_date_is_shown_as_blank():
    """uk(): a missing date is an empty cell, never an error or filler text (mutmut)."""
    assert (uk(None), uk(date(2022, 11, 30))) == ("", "30 Nov 2022")


@pytest.mark.parametrize("text, expected", [
    ("Nov-22", date(2022, 11, 30)), ("Mar-23", date(2023, 3, 31)), ("sept-2022", date(2022, 9, 30)),
    ("30-Nov-22", date(2022, 11, 30)), ("1-Mar-2023", date(2023, 3, 1)), ("30 Nov 2022", date(2022, 11, 30)),
])
def test_excel_month_year_and_day_month_year_with_hyphens(text, expected):
    """Found by a new-user trial: Excel shows a date cell formatted mmm-yy as "Nov-22" (and
    d-mmm-yy as "30-Nov-22"), which is what a CSV saved from it holds; both were refused."""
    assert parse_date(text, date(2022, 12, 1)) == expected


@pytest.mark.parametrize("text", ["Nov 22", "Nov-222", "30-Nov", "Novem-22"])
def test_a_month_and_two_digits_with_a_space_stays_refused(text):
    """"Nov 22" may mean the 22nd: only Excel's hyphenated form is read as a month and year."""
    with pytest.raises(BadInput):
        parse_date(text, date(2022, 12, 1))


@pytest.mark.parametrize("text,expected", [
    ("End of March 2023", date(2023, 3, 31)),
    ("end Sept 2023", date(2023, 9, 30)),
    ("By 31/03/2023", date(2023, 3, 31)),
    ("by the end of Q4 2022/23", date(2023, 3, 31)),
    ("BY END OF 2022/23", date(2023, 3, 31)),
    ("by end 30-Nov-22", date(2022, 11, 30)),
    ("by today", AS_OF),
    ("by +2w", AS_OF + timedelta(weeks=2)),
])
def test_a_deadlines_own_words_before_a_date_say_the_same_day(text, expected):
    """What council sheets write in a Target Date cell ("By 31/03/2023", "End of March
    2023"): refused as not a date until 3 Dec 2026, a bad row for each."""
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text", ["by", "end of", "the end", "by the end of", "End of march", "endmarch 2023",
                                  "before 31/03/2023", "w/c 14/11/2022"])
def test_the_deadline_words_alone_or_around_no_date_are_still_refused(text):
    with pytest.raises(BadInput):
        parse_date(text, AS_OF)


@pytest.mark.parametrize("text,says", [
    ("Spring 2023", "'Spring 2023' is a season, not a date: give the month the work is due by (e.g. May 2023)"),
    ("autumn 2023", "'autumn 2023' is a season, not a date"),
    ("Dec 22", "'Dec 22' could be 22 Dec or Dec 2022: write 22 Dec 2022, or Dec-22"),
    ("march 05", "'march 05' could be 5 Mar or Mar 2005: write 5 Mar 2022, or Mar-05"),
    ("Sept 45", "'Sept 45' is not a date I can read: for the month, write Sep-45 or Sep 2045"),
    ("w/c 14/11/2022", "'w/c 14/11/2022' is a week, not a day: give the day the work is due by"),
    ("Week commencing 14 Nov 2022", "'Week commencing 14 Nov 2022' is a week, not a day"),
    ("Foo 22", "'Foo 22' is not a date I can read (dates are day-first"),
])
def test_what_councils_write_that_is_no_day_is_refused_saying_what_to_write(text, says):
    """A sheet's "Spring 2023", "Dec 22" or "w/c 14/11/2022" was "not a date I can read"
    with the list of formats: true, but not what to change it to."""
    with pytest.raises(BadInput) as refused:
        parse_date(text, AS_OF)
    assert refused.value.message.startswith(says)


@pytest.mark.parametrize("text, period", [
    ("March 2023", True), ("mar-23", True), ("by the end of March 2023", True), ("Q3 2022/23", True),
    ("2022/23", True), ("FY 2022/23", True), ("14 March 2023", False), ("14/03/2023", False), ("2023-03-14", False),
    ("+2w", False), ("today", False), ("Spring 2023", False), ("", False),
])
def test_names_a_period_tells_a_month_quarter_or_year_from_a_day(text, period):
    """A meeting is held on a day: these name a deadline's period (its last day)."""
    from actiontrack.dates import names_a_period

    assert names_a_period(text) is period
