"""Pinned by mutation testing of domain/damage.py, interchange/indicator_sheets.py and
reports/search.py: each test here fails with one or more surviving mutants applied and
passes on the code as it is.

damage: a milestone's done_on and a history's old value are checked as days, a record's
history is searched after its own fields, a good record (or no history) is not damage,
and a decoder's complaint is split at its last " - at `$." only.  indicator_sheets: a
sheet with no Code column, the Code column anywhere, a Period column without a Value
column, a period beginning on the as-of day, totals and blank rows, the comparators and
note of a long sheet, the headings of a wide one, and the exact words of each problem.
search: two letters are a word, a row in full (its score counts each mention), and where
a snippet is cut."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from actiontrack.changes.indicators import add_indicator
from actiontrack.domain.damage import impossible_day, in_history, in_words
from actiontrack.interchange.indicator_sheets import Readings, read_values
from actiontrack.interchange.sheets import Sheet
from actiontrack.reports.search import _as_written, _folded, _snippet
from tests.helpers import small_store, tracker

# -- damage: which day is impossible -----------------------------------------------------


def test_a_milestones_done_on_is_checked_as_a_day_as_its_due_is():
    record = {"ref": "SUFF-1.1", "milestones": [{"number": 1, "due": "2022-10-31", "done_on": "2022-02-31"}]}
    assert impossible_day(record) == "its milestone 1 done_on '2022-02-31' is not a day"


def test_a_record_whose_days_are_all_days_and_that_has_no_history_has_none_impossible():
    record = {"ref": "SUFF-1.1", "due": "2022-11-30", "milestones": [{"number": 1, "due": "2022-10-31", "done_on": None}]}
    assert impossible_day(record) is None


def test_a_records_history_is_searched_once_its_own_fields_are_days():
    history = '[{"event": "create", "effective": "2022-02-31", "changes": []}]'
    assert impossible_day({"ref": "SUFF-1.1", "due": "2022-11-30", "history": history}) == (
        "its history has a create counting from '2022-02-31', not a day")


def test_a_history_that_is_not_a_list_has_no_impossible_day():
    assert in_history(None) is None
    assert in_history(5) is None


def test_an_entry_that_is_not_a_record_is_passed_over_and_the_next_read():
    assert in_history(["create", {"event": "create", "effective": "2022-02-31"}]) == (
        "its history has a create counting from '2022-02-31', not a day")


def test_a_change_that_is_not_a_record_is_passed_over():
    assert in_history([{"event": "reschedule", "effective": "2022-12-01", "changes": ["due"]}]) is None


def test_a_changes_old_day_is_checked_as_its_new_one_is():
    entry = {"event": "reschedule", "effective": "2022-12-01",
             "changes": [{"field": "due", "old": "2022-02-31", "new": "2023-01-31"}]}
    assert in_history([entry]) == "its history's reschedule of 01 Dec 2022 holds due '2022-02-31', not a day"


# -- damage: a decoder's complaint in words ----------------------------------------------


def test_a_complaint_is_split_at_its_last_path_so_a_value_typed_by_hand_stays_whole():
    """An enum's complaint quotes the value, which may itself hold " - at `$."."""
    assert in_words(ValueError("Invalid enum value 'done - at `$.rag' - at `$.status`")) == (
        "its status 'done - at `$.rag' is not one actiontrack knows")


def test_a_complaint_with_no_path_is_said_as_it_is():
    assert in_words(ValueError("Expected `int`, got `str`")) == "Expected `int`, got `str`"


# -- indicator_sheets --------------------------------------------------------------------


def _read(*sheets: Sheet, as_of: date = date(2022, 12, 1)) -> Readings:
    """CP1 by month, CP5 by quarter."""
    t = tracker(small_store())
    add_indicator(t, "CP1", "Number of children in care", unit="number", better="lower", target=520)
    add_indicator(t, "CP5", "Care leavers in suitable accommodation", unit="percent", better="higher", target=90,
                  frequency="quarterly")
    return read_values(list(sheets), t.data, as_of)


def _sheet(name: str, *rows: list) -> Sheet:
    return Sheet(name, [list(row) for row in rows])


def _values(found: Readings) -> list[tuple]:
    return [(r.code, r.period.key, r.value, r.england, r.neighbours, r.note, r.where) for r in found.values]


def test_a_sheet_with_no_code_column_is_set_aside_and_the_next_sheet_read():
    found = _read(_sheet("Notes", ["Prepared by the Performance Team"]),
                  _sheet("Data", ["Code", "Period", "Value"], ["CP1", "2022-07", 540]))
    assert found.ignored == ["sheet 'Notes': no Code column"]
    assert found.problems == []
    assert _values(found) == [("CP1", "2022-07", 540, None, None, None, "sheet 'Data', row 2, column 'Period'")]


def test_the_code_column_need_not_be_the_first():
    found = _read(_sheet("Data", ["Period", "Code", "Value"], ["2022-07", "CP1", 540]))
    assert found.problems == []
    assert _values(found) == [("CP1", "2022-07", 540, None, None, None, "sheet 'Data', row 2, column 'Period'")]


def test_a_period_column_without_a_value_column_is_no_long_sheet():
    """Read as wide: neither heading is a period, so the sheet is refused, not a crash."""
    found = _read(_sheet("Data", ["Code", "Period", "Figure"], ["CP1", "2022-07", 540]))
    assert found.ignored == ["sheet 'Data': column 'Period'", "sheet 'Data': column 'Figure'"]
    assert found.problems == ["sheet 'Data': no column heading is a period (a month, quarter or year, e.g. 2022-04, "
                              "Apr 2022, Apr-22, Q1 2022/23, 2022/23)"]


def test_a_period_that_begins_on_the_as_of_day_has_begun():
    found = _read(_sheet("Data", ["Code", "Period", "Value"], ["CP1", "2022-12", 530]), as_of=date(2022, 12, 1))
    assert found.problems == []
    assert _values(found) == [("CP1", "2022-12", 530, None, None, None, "sheet 'Data', row 2, column 'Period'")]


def test_an_unknown_code_is_named_by_its_row_column_and_value_and_the_rows_below_still_read():
    long = _read(_sheet("Data", ["Code", "Period", "Value"], ["CP9", "2022-07", 5]))
    assert long.problems == [
        "sheet 'Data', row 2, column 'Code', value 'CP9': no indicator 'CP9' (see 'actiontrack indicator list')"]
    wide = _read(_sheet("Wide", ["Indicator", "Jul 2022"], ["CP9", 5], ["CP1", "lots"]))
    assert wide.problems == [
        "sheet 'Wide', row 2, column 'Indicator', value 'CP9': no indicator 'CP9' (see 'actiontrack indicator list')",
        "sheet 'Wide', row 3, column 'Jul 2022', value 'lots': 'lots' is not a number (the Jul 2022 figure)"]


def test_a_long_period_of_another_kind_is_named_with_its_value():
    found = _read(_sheet("Data", ["Code", "Period", "Value"], ["CP1", "Q2 2022/23", 5]))
    assert found.problems == [
        "sheet 'Data', row 2, column 'Period', value 'Q2 2022/23': 'Q2 2022/23' is a quarter; this indicator is "
        "recorded by month: give a month, e.g. 2022-06"]


def test_a_long_period_excel_keeps_as_a_date_is_a_month_and_must_suit_the_indicator():
    found = _read(_sheet("Data", ["Code", "Period", "Value"], ["CP5", datetime(2022, 7, 1), 85]))
    assert found.values == []
    (problem,) = found.problems
    assert problem.startswith("sheet 'Data', row 2, column 'Period', value ")
    assert problem.endswith(": '2022-07' is a month; this indicator is recorded by quarter: give a financial quarter, "
                            "e.g. Q1 2022/23")


def test_a_whole_number_period_is_said_without_its_point():
    (problem,) = _read(_sheet("Data", ["Code", "Period", "Value"], ["CP1", 2022.0, 5])).problems
    assert problem.endswith(": '2022' is not a period (a month 2022-06, a financial quarter 'Q1 2022/23' or a "
                            "financial year 2022/23)")


def test_only_the_words_for_not_reported_pass_a_figure_over():
    """"XX" is no such word (nor a figure): it is a problem, not a period left out."""
    found = _read(_sheet("Wide", ["Code", "Jul 2022"], ["CP1", "XX"]))
    assert found.problems == [
        "sheet 'Wide', row 2, column 'Jul 2022', value 'XX': 'XX' is not a number (the Jul 2022 figure)"]


def test_a_long_sheets_totals_blank_and_unreported_rows_are_passed_over_and_reading_goes_on():
    found = _read(_sheet("Long", ["Code", "Period", "Value"], ["CP1", "2022-07", "n/a"], ["Totals", "2022-07", 540],
                         [None, "  ", None], ["Grand Total", "2022-07", 540], ["CP1", "2022-08", 544]))
    assert found.problems == []
    assert found.ignored == ["sheet 'Long', row 2: 'n/a' (not reported)", "sheet 'Long', row 3: a totals row",
                             "sheet 'Long', row 5: a totals row"]
    assert _values(found) == [("CP1", "2022-08", 544, None, None, None, "sheet 'Long', row 6, column 'Period'")]


def test_a_wide_sheets_blank_codes_and_totals_are_passed_over_and_reading_goes_on():
    found = _read(_sheet("Wide", ["Code", "Jul 2022", "Aug 2022"], ["", 540, 544], [None], ["Totals", 540, 544],
                         ["CP1", "n/a", 544]))
    assert found.problems == []
    assert found.ignored == ["sheet 'Wide', row 4: a totals row", "sheet 'Wide', row 5: 'n/a' in 'Jul 2022' (not reported)"]
    assert _values(found) == [("CP1", "2022-08", 544, None, None, None, "sheet 'Wide', row 5, column 'Aug 2022'")]


def test_a_wide_sheets_unreported_cells_are_named_by_row_and_month_and_blank_months_are_not():
    """Left alone on 3 Dec: a wide sheet passed "n/a" cells over without a word, where a
    long sheet names them.  A blank month is simply not out yet, and says nothing."""
    found = _read(_sheet("Wide", ["Code", "Jul 2022", "Aug 2022", "Sep 2022", "Oct 2022"],
                         ["CP1", "TBC", 544, "-", None]))
    assert found.problems == []
    assert found.ignored == ["sheet 'Wide', row 2: 'TBC' in 'Jul 2022', '-' in 'Sep 2022' (not reported)"]
    assert [r.period.key for r in found.values] == ["2022-08"]


@pytest.mark.parametrize("marker", ["c", "[c]", "<5", "< 5", "*", "Suppressed", "low", "x", "[x]", "[z]", ":", "..",
                                    "[:]", "[low]", "[w]", "[u]"])
def test_a_suppressed_figure_is_not_reported_not_refused(marker):
    """From a new-user trial: published figures too small to give are written "c" or "<5",
    and DfE and ONS tables write "x" (not available), "z" (not applicable), ":" or "..";
    each was "not a number" and the sheet refused.  A figure of 5 is still 5."""
    found = _read(_sheet("Data", ["Code", "Period", "Value", "England"], ["CP1", "2022-07", marker, 70],
                         ["CP1", "2022-08", "5", marker]))
    assert found.problems == []
    assert found.ignored == [f"sheet 'Data', row 2: '{marker}' (not reported)",
                             f"sheet 'Data', row 3, column 'England': '{marker}' (not reported)"]
    assert [(r.period.key, r.value, r.england) for r in found.values] == [("2022-08", 5, None)]


@pytest.mark.parametrize("typed", ["531 [p]", "531[r]", " 531 [E] ", "531 [u]"])
def test_a_figure_marked_provisional_or_revised_is_the_figure(typed):
    """GSS tables mark a figure "[p]" provisional, "[r]" revised, "[e]" estimated, "[u]" low
    reliability: the figure is the number before the mark (a second trial's was refused)."""
    found = _read(_sheet("Data", ["Code", "Period", "Value", "England"], ["CP1", "2022-07", typed, "70 [p]"]))
    assert found.problems == []
    assert [(r.value, r.england) for r in found.values] == [(531, 70)]


def test_a_long_sheets_england_figure_not_yet_published_is_left_out_not_refused():
    """Left alone on 3 Dec: "n/a" in the England column was "not a number", and the whole
    sheet refused with it; the England average is published months after a council's own."""
    found = _read(_sheet("Data", ["Code", "Period", "Value", "England", "Statistical neighbours"],
                         ["CP1", "2022-07", 540, "n/a", 97.5], ["CP1", "2022-08", 544, 70, "TBC"],
                         ["CP1", "2022-09", 548, "XX", None]))
    assert found.ignored == ["sheet 'Data', row 2, column 'England': 'n/a' (not reported)",
                             "sheet 'Data', row 3, column 'Statistical neighbours': 'TBC' (not reported)"]
    assert found.problems == ["sheet 'Data', row 4, column 'England', value 'XX': 'XX' is not a number (the England figure)"]
    assert [(r.period.key, r.england, r.neighbours) for r in found.values[:2]] == [
        ("2022-07", None, 97.5), ("2022-08", 70, None)]


def test_a_long_sheets_comparators_and_note_go_with_its_value():
    found = _read(_sheet("Data", ["Code", "Period", "Value", "England", "Statistical neighbours", "Note"],
                         ["CP1", "2022-07", 540, 70, 97.5, "  Provisional return  "],
                         ["CP1", "2022-08", 544, None, None, None]))
    assert found.problems == []
    assert _values(found) == [
        ("CP1", "2022-07", 540, 70, 97.5, "Provisional return", "sheet 'Data', row 2, column 'Period'"),
        ("CP1", "2022-08", 544, None, None, None, "sheet 'Data', row 3, column 'Period'")]


def test_a_comparator_that_is_no_number_is_named_by_its_row_and_column():
    (problem,) = _read(_sheet("Data", ["Code", "Period", "Value", "England"], ["CP1", "2022-07", 540, "lots"])).problems
    assert problem.startswith("sheet 'Data', row 2, column 'England', value 'lots': 'lots' is not a number")


def test_a_wide_sheets_headings_as_the_clerk_sees_them():
    """The code column and a blank heading are no periods to set aside; a quarter under a
    monthly indicator is a problem and the months after it are still read; a month Excel
    keeps as a date (or a plain date) is named Jun 2022, not June 2022."""
    found = _read(_sheet("Wide", ["Code", None, "Q2 2022/23", datetime(2022, 6, 1), date(2022, 7, 1), "Notes"],
                         ["CP1", "x", 5, 531, 540, "Provisional"]))
    assert found.ignored == ["sheet 'Wide': column 'Notes'"]
    assert found.problems == ["sheet 'Wide', row 2, column 'Q2 2022/23': CP1 is recorded by month, not by quarter"]
    assert _values(found) == [("CP1", "2022-06", 531, None, None, None, "sheet 'Wide', row 2, column 'Jun 2022'"),
                              ("CP1", "2022-07", 540, None, None, None, "sheet 'Wide', row 2, column 'Jul 2022'")]


# -- search ------------------------------------------------------------------------------


def test_two_letters_are_a_word_to_search_for(sufficiency):
    assert [r["ref"] for r in sufficiency.json("search", "22")] == ["SUFF-1.1"]  # its source, minute 22/7


def test_one_letter_is_refused_in_so_many_words(sufficiency):
    assert sufficiency.refused("search", "a") == "Error: search for at least one word of two letters or more"


def test_a_search_row_in_full_its_score_counting_every_mention(sufficiency):
    """July: once in the source (weight 1), twice in a note (weight 2 each), so 5; the
    snippet is from the note, which weighs more than the source."""
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "July figures in; the July return is due next",
                   as_of="01/08/2022")
    assert sufficiency.json("search", "july") == [{
        "ref": "SUFF-1.1", "kind": "action", "title": "Full refresh of the Commissioning Action Plan",
        "owner": "Specialist Commissioning Manager", "status": "not-started", "score": 5,
        "found_in": ["source", "commentary"], "snippet": "July figures in; the July return is due next"}]


def _cut(text: str, *words: str) -> str:
    return _snippet(text, _folded(text), list(words))


def test_a_snippet_is_cut_on_whole_words_around_the_first_match():
    text = ("The sufficiency statement was agreed by the Corporate Parenting Board in July, and the market position "
            "statement follows in the autumn once the commissioning review is done.")
    assert _cut(text, "market") == "…Board in July, and the market position statement follows in the…"
    text = "The market position statement is late: the Corporate Parenting Board asked for it by July, and the market " \
           "is waiting."
    assert _cut(text, "waiting", "market") == "The market position statement is late: the Corporate Parenting Board…"


def test_a_short_text_is_its_own_snippet_and_one_of_exactly_the_snippets_length_is_not_cut():
    assert _cut("Refresh the plan", "plan") == "Refresh the plan"
    text = "Market position statement agreed by the Corporate Parenting Board: yes"
    assert len(text) == 70
    assert _cut(text, "market") == text


def test_a_place_in_the_folded_text_is_found_again_in_the_text_as_written():
    text = "the children\u2019s \u2018homes\u2019"
    at = _folded(text).find("homes")
    assert (at, _as_written(text, at)) == (14, 16)


def test_a_snippet_holds_the_whole_word_found_in_a_long_address(demo):
    """Found by the mutation run: with no space after the match inside the window, the
    snippet stopped after the match's first letter ("…childrens-homes-s…")."""
    demo.ok("action", "update", "SUFF-2.1", "--note", "Evidence for the panel: https://example.gov.uk/reports/"
            "childrens-homes-sufficiency-review-2022-final-version.pdf")
    (row,) = [r for r in demo.json("search", "sufficiency") if r["ref"] == "SUFF-2.1"]
    assert "sufficiency" in row["snippet"].casefold() and row["snippet"].endswith("…")


def test_a_note_of_spaces_in_an_indicator_sheet_imports_again_as_unchanged(demo, tmp_path):
    """Found by the mutation run: a Note cell of spaces was recorded as no note, then the
    same sheet again was refused ("already 531") instead of counted unchanged."""
    sheet = tmp_path / "r.csv"
    sheet.write_text("Code,Period,Value,Note\nCP1,2022-05,515,Provisional\nCP1,2022-06,531, \n", encoding="utf-8")
    demo.ok("indicator", "import", str(sheet))
    assert "0 value(s) for 1 indicator(s); 2 unchanged" in demo.ok("indicator", "import", str(sheet))
