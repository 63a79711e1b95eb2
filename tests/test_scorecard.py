"""The Board's scorecard through the CLI (issue 16), on every backend."""

from __future__ import annotations

import pytest

KEYS = ["code", "title", "unit", "better", "period", "value", "target", "rag", "previous", "direction",
        "year_ago", "trend", "england", "neighbours", "actions"]


@pytest.fixture
def card(sufficiency):
    run = sufficiency
    run.ok("indicator", "add", "cp1", "Number of children in care", "--unit", "number", "--better", "lower",
           "--target", "520", "--tolerance", "5%", "--plan", "SUFF", as_of="20/07/2022")
    for month, value in (("2021-10", 509), ("2022-04", 512), ("2022-05", 515), ("2022-06", 531)):
        run.ok("indicator", "record", "CP1", month, str(value), as_of="20/07/2022")
    return run


def by_code(run, **kw) -> dict:
    return {r["code"]: r for r in run.json("scorecard", **kw)}


def test_scorecard_row_by_hand(card, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    (row,) = card.json("scorecard")
    assert list(row) == KEYS
    assert (row["period"], row["value"], row["target"], row["rag"]) == ("2022-06", 531, 520, "amber")  # 11 over; 5% = 26
    assert (row["previous"], row["direction"], row["year_ago"]) == (515, "worsening", None)
    assert [t["period"] for t in row["trend"]] == ["2021-10", "2022-04", "2022-05", "2022-06"]
    card.ok("indicator", "record", "CP1", "2022-07", "547", "--england", "70", "--neighbours", "97.5", as_of="10/08/2022")
    (row,) = card.json("scorecard", as_of="10/08/2022")
    assert (row["value"], row["rag"], row["england"], row["neighbours"]) == (547, "red", 70, 97.5)  # 27 over: beyond 26
    out = card.ok("scorecard", as_of="10/08/2022")
    assert "Jul 2022" in out, out
    assert "│ red " in out and "▁▂▂▅█" in out, out  # 509 512 515 531 547 over 509..547 in 8 steps


def test_a_correction_keeps_the_earlier_value_in_the_history_and_as_of(card):
    assert "(was 531)" in card.ok("indicator", "record", "CP1", "2022-06", "529", "--note", "Corrected return",
                                  as_of="01/08/2022")
    assert by_code(card, as_of="01/08/2022")["CP1"]["value"] == 529
    assert by_code(card, as_of="25/07/2022")["CP1"]["value"] == 531  # what the Board saw before the correction
    (change,) = [c for c in card.json("changes", "--since", "1w", as_of="01/08/2022") if c["event"] == "indicator-record"]
    assert change["note"] == "Corrected return" and "531" in change["what"] and "529" in change["what"]
    card.ok("undo", as_of="01/08/2022")
    assert by_code(card, as_of="01/08/2022")["CP1"]["value"] == 531


def test_values_recorded_later_are_left_out_as_of_an_earlier_day(card):
    card.ok("indicator", "record", "CP1", "2022-07", "540", as_of="10/08/2022")
    assert by_code(card, as_of="09/08/2022")["CP1"]["period"] == "2022-06"
    assert by_code(card, as_of="10/08/2022")["CP1"]["period"] == "2022-07"
    assert card.json("scorecard", as_of="19/07/2022") == []  # not yet on the scorecard


def test_a_target_changes_from_a_period_keeping_the_old_one_for_old_periods(card):
    card.ok("indicator", "target", "CP1", "500", "--from", "2022-06", as_of="20/07/2022")
    assert by_code(card)["CP1"]["target"] == 500  # June onwards
    card.ok("indicator", "record", "CP1", "2022-06", "512", as_of="21/07/2022")
    row = by_code(card, as_of="21/07/2022")["CP1"]
    assert (row["target"], row["rag"]) == (500, "amber")  # 12 over 500; 5% of 500 = 25
    card.refused("indicator", "target", "CP1", "500", "--from", "2022-06", says="already 500")
    card.refused("indicator", "target", "CP1", "x", "--from", "2022-06", says="not a number")


@pytest.mark.parametrize("args, says", [
    (("indicator", "record", "CP1", "Q1 2022/23", "500"), "recorded by month"),
    (("indicator", "record", "CP1", "2022-13", "500"), "no month 13"),
    (("indicator", "record", "CP1", "2022-06", "lots"), "not a number"),
    (("indicator", "record", "CP9", "2022-06", "5"), "no indicator 'CP9'"),
    (("indicator", "add", "CP1", "Again", "--unit", "number", "--better", "lower", "--target", "1"), "already exists"),
    (("indicator", "add", "CP2", "x", "--unit", "parsecs", "--better", "lower", "--target", "1"), "--unit"),
    (("indicator", "add", "CP2", "x", "--unit", "number", "--better", "bigger", "--target", "1"), "--better"),
    (("indicator", "add", "CP2", "x", "--unit", "number", "--better", "lower", "--target", "1", "--tolerance", "-2"),
     "zero or more"),
    (("indicator", "add", "C P", "x", "--unit", "number", "--better", "lower", "--target", "1"), "not an indicator code"),
    (("indicator", "add", "CP2", "x", "--unit", "percent", "--better", "higher", "--target", "1", "--plan", "NOPE"),
     "no plan 'NOPE'"),
    (("indicator", "update", "CP1"), "nothing to change"),
    (("action", "update", "SUFF-1.1", "--indicator", "CP9"), "no indicator 'CP9'"),
])
def test_bad_indicator_input_exits_2_and_changes_nothing(card, args, says):
    card.refused(*args, says=says)


def test_a_percentage_must_be_one(card):
    card.ok("indicator", "add", "CP3", "Foster placements", "--unit", "percent", "--better", "higher", "--target", "75",
            "--frequency", "quarterly")
    card.refused("indicator", "record", "CP3", "Q1 2022/23", "175", says="not a percentage")
    card.ok("indicator", "record", "CP3", "Q1 2022/23", "71.5")
    assert by_code(card)["CP3"]["rag"] == "red"


def test_linked_open_actions_show_against_their_indicator(card):
    card.ok("action", "update", "SUFF-1.1", "--indicator", "CP1")
    card.refused("action", "update", "SUFF-1.1", "--indicator", "CP1", says="already linked")
    assert by_code(card)["CP1"]["actions"] == ["SUFF-1.1"]
    card.ok("action", "complete", "SUFF-1.1", "--on", "01/12/2022")
    assert by_code(card)["CP1"]["actions"] == []  # only open actions are listed


def test_indicator_list_and_every_format(card):
    (row,) = card.json("indicator", "list")
    assert (row["code"], row["tolerance"], row["values"], row["plan"]) == ("CP1", "5%", 4, "SUFF")
    assert card.ok("scorecard", "--format", "csv").splitlines()[0] == ",".join(KEYS)
    assert "2021-10 509;2022-04 512;2022-05 515;2022-06 531" in card.ok("scorecard", "--format", "csv")
    assert "| CP1 | Number of children in care | Jun 2022 |" in card.ok("scorecard", "--format", "markdown")
    card.ok("indicator", "update", "CP1", "--tolerance", "1%", "--title", "Children in care")
    assert by_code(card)["CP1"]["rag"] == "red"  # 11 over; 1% of 520 = 5.2
    card.ok("undo")
    assert by_code(card)["CP1"]["rag"] == "amber"


def test_the_demo_scorecard(demo):
    rows = {r["code"]: r for r in demo.json("scorecard")}
    assert set(rows) == {"CP1", "CP2", "CP3"}
    assert {r["period"] for r in rows.values()} == {"2022-10"}  # November's figures came on 10 December
    assert rows["CP2"]["better"] == "lower" and rows["CP2"]["rag"] == "red" and rows["CP2"]["direction"] == "worsening"
    assert rows["CP1"]["rag"] == "amber" and rows["CP1"]["year_ago"] == 509
    assert rows["CP3"]["actions"] == ["SUFF-6.1"] and len(rows["CP3"]["trend"]) == 12
    assert rows["CP1"]["england"] == 70
    assert demo.json("scorecard", "--plan", "SUFF")[0]["code"] == "CP3"
