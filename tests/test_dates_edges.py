"""Edges of the date rules pinned by mutation testing (dates.py, domain/periods.py): each
case below once failed to notice a change to the rules."""

from __future__ import annotations

from datetime import date

import pytest

from actiontrack.dates import plain, span_from
from actiontrack.errors import BadInput

AS_OF = date(2022, 12, 1)


@pytest.mark.parametrize("text,expected", [
    ("7d ago", date(2022, 11, 24)),
    ("1 year ago", date(2021, 12, 1)),
    ("2 weeks ago", date(2022, 11, 17)),
    ("  3M AGO ", date(2022, 9, 1)),
])
def test_a_span_written_with_ago_counts_back_from_the_as_of_date(text, expected):
    """--since "7d ago": the trailing " ago" (four characters) is dropped and the rest read as
    a span, short ("7d") or worded ("1 year"), back from the as-of date."""
    assert span_from(text, AS_OF, back=True) == expected


def test_a_mistyped_period_says_what_a_period_is():
    """--due-within 8x: a number with a unit that is not d, w, m or y is refused as a
    mistyped period, and the message says what to give instead, word for word."""
    with pytest.raises(BadInput) as e:
        span_from("8x", AS_OF, back=False)
    assert e.value.message == ("'8x' is not a period: a number of days, weeks, months or years (10d, 4w, 3m, 1y), "
                               "or give a date")


def test_plain_keeps_a_date_as_iso_text():
    """plain(): the store and its history keep a date as ISO text (undo compares against it);
    any other value is kept as it is."""
    assert plain(date(2022, 11, 30)) == "2022-11-30"
    assert (plain("Ongoing"), plain(None), plain(3)) == ("Ongoing", None, 3)
