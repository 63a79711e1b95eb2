"""Pinned by mutation testing of domain/checks.py and domain/chain.py: each test here
fails with one or more surviving mutants applied and passes on the code as it is.

chain: what `verify` names for each kind of tampering (its exact words, the entry it
names, how many later entries it cannot check), how a store from before the chain is
sealed (every entry, oldest first), and milestones or archived adds edited by hand.
checks: the limits of typed text (control characters, invisible ends, length) and of
settings, at their edges."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from actiontrack.domain.chain import seal_of
from actiontrack.domain.checks import MAX_TEXT, check_status, clean_text, setting_value
from actiontrack.errors import BadInput
from tests.conftest import root
from tests.test_returns import fill, made_returns
from tests.test_verify import _json_tables as _tables
from tests.test_verify import _verdict

# -- helpers ---------------------------------------------------------------------------


def _save(run, raw: dict) -> None:
    run.store.write_text(json.dumps(raw), encoding="utf-8")


def _item(raw: dict, ref: str) -> dict:
    return next(r for table in ("actions", "resolutions") for r in raw[table].values() if r["ref"] == ref)


def _history(record: dict) -> list[dict]:
    return json.loads(record["history"])


def _demo(json_run):
    assert json_run.runner.invoke(root, ["demo", "--store", str(json_run.store)]).exit_code == 0
    assert _verdict(json_run)[0] == 0
    return json_run


def _all_entries(raw: dict) -> list[dict]:
    entries = [h for table in ("actions", "resolutions") for r in raw[table].values() for h in _history(r)]
    return entries + list(raw["journal"].values())


# -- chain: a store from before the chain ----------------------------------------------


@pytest.mark.json_store
def test_a_store_from_before_the_chain_is_sealed_whole_and_oldest_first(json_run):
    """The demo with every seal and the chain head taken out is a store from before the
    chain (the journal's entries among them).  Every entry is counted, none checked; the
    first change seals them all, journal too, in the order they were made (by change
    number), and the chain is whole."""
    run = _demo(json_run)
    raw = _tables(run)
    for table in ("actions", "resolutions"):
        for record in raw[table].values():
            history = _history(record)
            for entry in history:
                del entry["prev"], entry["hash"]
            record["history"] = json.dumps(history)
    for entry in raw["journal"].values():
        del entry["prev"], entry["hash"]
    del raw["meta"]["1"]["chain_head"]
    _save(run, raw)
    count = len(_all_entries(raw))
    assert count > 150 and raw["journal"]
    assert _verdict(run) == (0, {"entries": count, "unsealed": count, "problems": [], "whole": True})

    run.ok("config", "tolerance-days", "45")
    assert _verdict(run) == (0, {"entries": count + 1, "unsealed": 0, "problems": [], "whole": True})
    entries = _all_entries(_tables(run))
    by_prev = {e["prev"]: e for e in entries}
    assert len(by_prev) == len(entries) == count + 1  # one chain, no forks
    walked, link = [], ""
    while link in by_prev:
        walked.append(by_prev[link]["txn"])
        link = by_prev[link]["hash"]
    assert len(walked) == count + 1
    assert walked == sorted(walked)  # oldest first: by change number, journal and items alike


# -- chain: what verify names ----------------------------------------------------------


@pytest.mark.json_store
def test_the_first_entry_removed_breaks_the_chain_at_its_start(json_run):
    run = _demo(json_run)
    raw = _tables(run)
    (first,) = [k for k, e in raw["journal"].items() if e["prev"] == ""]
    del raw["journal"][first]
    _save(run, raw)
    count = len(_all_entries(raw))
    assert _verdict(run) == (1, {"entries": count, "unsealed": 0, "whole": False, "problems": [
        f"the chain breaks after its start: an entry was removed ({count} later entries cannot be checked)"]})


@pytest.mark.json_store
def test_a_removed_entry_is_placed_after_the_entry_before_it_with_the_entries_left_unchecked(json_run):
    run = _demo(json_run)
    raw = _tables(run)
    record = _item(raw, "SUFF-2.2")
    history = _history(record)
    del history[1]  # the first of its two moves
    record["history"] = json.dumps(history)
    _save(run, raw)
    code, verdict = _verdict(run)
    assert code == 1
    assert "the chain breaks after R-11: the scheduled of 20 Oct 2022 by Democratic Services Officer: an entry "\
           "was removed (27 later entries cannot be checked)" in verdict["problems"]


@pytest.mark.json_store
def test_the_newest_entry_removed_names_no_later_entries(json_run):
    run = _demo(json_run)
    run.ok("config", "tolerance-days", "45")
    raw = _tables(run)
    newest = max(raw["journal"], key=int)
    assert raw["journal"][newest]["event"] == "setting"
    del raw["journal"][newest]
    _save(run, raw)
    code, verdict = _verdict(run)
    assert code == 1 and verdict["problems"] == [  # the demo's own last change, and nothing after it to count
        "the chain breaks after settings: the setting of 30 Nov 2022 by Democratic Services Officer: an entry was "
        "removed"]


@pytest.mark.json_store
def test_a_chain_head_taken_out_of_the_meta_is_named(json_run):
    run = _demo(json_run)
    raw = _tables(run)
    del raw["meta"]["1"]["chain_head"]
    _save(run, raw)
    code, verdict = _verdict(run)
    assert code == 1
    assert verdict["problems"] == ["the store has sealed entries but no chain head: its meta was altered"]


@pytest.mark.json_store
def test_an_entry_inserted_with_a_good_seal_forks_the_chain_and_names_both(json_run):
    """Sealed to look right, and claiming the place of SUFF-2.2's first move: the fork names
    both entries; the chain goes on through the real one, so nothing else is off it."""
    run = _demo(json_run)
    raw = _tables(run)
    donor = _history(_item(raw, "SUFF-2.2"))[1]
    forged = dict(donor, event="update", changes=[], note="slipped in")
    forged["hash"] = seal_of(forged)
    record = _item(raw, "SUFF-1.1")
    record["history"] = json.dumps([*_history(record), forged])
    _save(run, raw)
    code, verdict = _verdict(run)
    assert code == 1 and verdict["problems"] == [
        "SUFF-1.1: its saved summary is not what its history says (a report's last update, moves or staleness would "
        "be wrong): changed outside actiontrack",
        "the chain forks after R-11: the scheduled of 20 Oct 2022 by Democratic Services Officer (SUFF-1.1: the "
        "update of 26 Oct 2022 by Democratic Services Officer; SUFF-2.2: the reschedule of 26 Oct 2022 by "
        "Democratic Services Officer): an entry was inserted"]


@pytest.mark.json_store
def test_an_entry_sealed_onto_nothing_is_named_as_off_the_chain(json_run):
    run = _demo(json_run)
    raw = _tables(run)
    record = _item(raw, "SUFF-1.1")
    history = _history(record)
    forged = dict(history[-1], event="update", changes=[], note="slipped in", prev="f" * 64)
    forged["hash"] = seal_of(forged)
    record["history"] = json.dumps([*history, forged])
    _save(run, raw)
    code, verdict = _verdict(run)
    assert code == 1 and verdict["problems"] == [
        "SUFF-1.1: the update of 30 Jun 2022 by Democratic Services Officer is not on the chain: it was inserted or "
        "re-sealed"]


@pytest.mark.json_store
def test_a_journal_entry_whose_target_was_deleted_is_named_as_the_stores(sufficiency):
    raw = _tables(sufficiency)
    entry = next(e for e in raw["journal"].values() if e["event"] == "plan-add")
    del entry["target"]
    _save(sufficiency, raw)
    assert _verdict(sufficiency)[1]["problems"] == [
        "the store: the plan-add of 20 Jul 2022 by Democratic Services Officer was altered after it was recorded"]


def _undone_add(run) -> dict:
    """SUFF-1.2 added and undone: its record, history and all, is in the archive."""
    assert run.ok("action", "add", "SUFF.1", "Second", "--owner", "Manager", "--due", "30/11/2022").strip() == "SUFF-1.2"
    run.ok("undo")
    assert _verdict(run)[0] == 0
    raw = _tables(run)
    (archived,) = raw["archive"].values()
    assert archived["record"]["ref"] == "SUFF-1.2"
    return raw


def _alter_archived_create(archived: dict) -> None:
    history = json.loads(archived["record"]["history"])
    history[0]["note"] = "written in later"
    archived["record"]["history"] = json.dumps(history)


@pytest.mark.json_store
@pytest.mark.parametrize("without_ref, named", [(False, "SUFF-1.2 (undone)"), (True, "? (undone)")])
def test_an_altered_entry_of_an_undone_add_is_named_by_its_ref(sufficiency, without_ref, named):
    raw = _undone_add(sufficiency)
    (archived,) = raw["archive"].values()
    _alter_archived_create(archived)
    if without_ref:
        del archived["record"]["ref"]
    _save(sufficiency, raw)
    assert _verdict(sufficiency) == (1, {"entries": 6, "unsealed": 0, "whole": False, "problems": [
        f"{named}: the create of 01 Dec 2022 by Democratic Services Officer was altered after it was recorded"]})


@pytest.mark.json_store
def test_an_archived_add_with_its_record_taken_out_is_a_break_not_a_crash(sufficiency):
    raw = _undone_add(sufficiency)
    (archived,) = raw["archive"].values()
    del archived["record"]
    _save(sufficiency, raw)
    assert _verdict(sufficiency) == (1, {"entries": 4, "unsealed": 0, "whole": False, "problems": [
        "the chain breaks after SUFF-1.1: the create of 20 Jul 2022 by Democratic Services Officer: an entry was "
        "removed"]})


@pytest.mark.json_store
def test_an_item_whose_history_was_emptied_does_not_hide_the_next_items_edit(sufficiency):
    sufficiency.ok("action", "add", "SUFF.1", "Second", "--owner", "Manager", "--due", "30/11/2022")
    raw = _tables(sufficiency)
    first, second = (_item(raw, ref) for ref in ("SUFF-1.1", "SUFF-1.2"))
    assert list(raw["actions"].values()).index(first) < list(raw["actions"].values()).index(second)
    first["history"] = "[]"
    second["due"] = "2023-01-31"
    _save(sufficiency, raw)
    code, verdict = _verdict(sufficiency)
    assert code == 1
    assert ("SUFF-1.2: its due (31 Jan 2023) is not what its history last set (30 Nov 2022): changed outside "
            "actiontrack") in verdict["problems"]


# -- chain: milestones -----------------------------------------------------------------


def _two_milestones(run) -> dict:
    run.ok("milestone", "add", "SUFF-1.1", "Draft to the Board", "--due", "31/10/2022")
    run.ok("milestone", "add", "SUFF-1.1", "Sign-off", "--due", "30/11/2022")
    assert _verdict(run)[0] == 0
    return _tables(run)


@pytest.mark.json_store
def test_a_milestone_retitled_by_hand_is_named(sufficiency):
    raw = _two_milestones(sufficiency)
    _item(raw, "SUFF-1.1")["milestones"][0]["title"] = "Nothing to see"
    _save(sufficiency, raw)
    assert _verdict(sufficiency)[1]["problems"] == [
        "SUFF-1.1: its milestone 1's title (Nothing to see) is not what its history last set (Draft to the Board): "
        "changed outside actiontrack"]


NOT_THERE = "SUFF-1.1: its milestone {} ({}) is not there, though no change in its history took it out"
NEVER_ADDED = "SUFF-1.1: its milestone {} was never added by any change in its history"


@pytest.mark.json_store
@pytest.mark.parametrize("numbers, problems", [
    # text among whole numbers: named, not a crash
    ((1, "x"), [NOT_THERE.format(2, "Sign-off"), NEVER_ADDED.format("x")]),
    # whole numbers first, then the rest: 2 before 10.5
    ((1, 10.5), [NOT_THERE.format(2, "Sign-off"), NEVER_ADDED.format(10.5)]),
    # the rest in order among themselves
    ((2.5, 3.5), [NOT_THERE.format(1, "Draft to the Board"), NOT_THERE.format(2, "Sign-off"),
                  NEVER_ADDED.format(2.5), NEVER_ADDED.format(3.5)]),
], ids=["text", "fraction", "fractions"])
def test_milestones_renumbered_by_hand_are_named_whole_numbers_first(sufficiency, numbers, problems):
    raw = _two_milestones(sufficiency)
    for milestone, number in zip(_item(raw, "SUFF-1.1")["milestones"], numbers):
        milestone["number"] = number
    _save(sufficiency, raw)
    assert _verdict(sufficiency)[1]["problems"] == [f"{p}: changed outside actiontrack" for p in problems]


def test_a_return_with_a_milestone_undone_and_redone_still_verifies(demo, tmp_path):
    """One return completes a milestone and its action: the undo records the action's fields
    before the milestone's date, the redo the other way round.  Each change in an entry is
    replayed, whatever comes before it, so nothing is named."""
    folder = made_returns(demo, tmp_path, "--owner", "Head of Early Help")
    filled = fill(folder / "head-of-early-help.xlsx", tmp_path / "early.xlsx", {
        ("SUFF-3.1 milestone 1", "Completed on"): "28/09/2022",
        ("SUFF-3.1", "Completed on"): dt.datetime(2022, 11, 30), ("SUFF-3.1", "Progress update"): "Evaluated",
    })
    demo.ok("returns", "apply", str(filled))
    assert _verdict(demo) == (0, {"entries": _verdict(demo)[1]["entries"], "unsealed": 0, "problems": [],
                                  "whole": True})
    demo.ok("undo")
    assert demo.json("action", "show", "SUFF-3.1")["milestones"][0]["done_on"] is None
    assert _verdict(demo)[1]["problems"] == []
    demo.ok("redo")
    assert demo.json("action", "show", "SUFF-3.1")["milestones"][0]["done_on"] == "2022-09-28"
    assert _verdict(demo)[1]["problems"] == []


# -- checks: typed text ----------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x7f", "\x9f", "\ud800", "\udfff"])
def test_the_edges_of_the_control_and_surrogate_ranges_are_refused(char):
    with pytest.raises(BadInput, match=r"^the owner contains a control character \(.+\); type plain text$"):
        clean_text(f"Head{char}of Service", "the owner")


@pytest.mark.parametrize("char", ["\xa0", "\ud7ff", "\ue000"])
def test_the_characters_just_outside_those_ranges_are_kept(char):
    assert clean_text(f"Head{char}of Service", "the owner") == f"Head{char}of Service"


def test_a_line_break_or_tab_is_refused_in_one_line_text_and_kept_in_a_note():
    for text in ("Head\nof Service", "Head\tof Service"):
        with pytest.raises(BadInput, match="^the owner contains a control character"):
            clean_text(text, "the owner")
    assert clean_text("Met the provider.\n\tNext: sign-off", "the note", multiline=True) == \
        "Met the provider.\n\tNext: sign-off"


def test_text_may_be_exactly_as_long_as_the_limit_and_no_longer():
    assert MAX_TEXT == 2000
    assert clean_text("x" * 2000, "the title") == "x" * 2000
    with pytest.raises(BadInput, match="^the title is longer than 2000 characters$"):
        clean_text("x" * 2001, "the title")


def test_a_value_that_is_not_text_is_refused_by_name():
    with pytest.raises(BadInput, match="^the owner must be text$"):
        clean_text(5, "the owner")  # type: ignore[arg-type]  # a number from an imported file


@pytest.mark.parametrize("typed, kept", [
    ("\u200bHead of Service", "Head of Service"),  # invisible at one end only
    ("Head of Service\ufeff", "Head of Service"),
    ("\u00c9quipe Enfance\u200b", "\u00c9quipe Enfance"),  # a letter outside ASCII at the start stays
    ("\u00c9quipe Enfance", "\u00c9quipe Enfance"),
])
def test_invisible_characters_go_from_either_end_and_visible_ones_stay(typed, kept):
    assert clean_text(typed, "the owner") == kept


def test_an_unknown_status_lists_the_statuses():
    with pytest.raises(BadInput) as refused:
        check_status("Nearly")
    assert refused.value.message == ("'Nearly' is not a status (one of: not-started, in-progress, on-hold, "
                                     "awaiting-sign-off, complete, dropped)")


# -- checks: settings -------------------------------------------------------------------


def _refusal(name: str, value: int | str) -> str:
    with pytest.raises(BadInput) as refused:
        setting_value(name, value)
    return refused.value.message


@pytest.mark.parametrize("name, low, high", [("tolerance_days", 0, 366), ("cycle_days", 1, 366),
                                             ("backups", 0, 100), ("smtp_port", 1, 65535)])
def test_a_number_setting_takes_both_ends_of_its_range_and_nothing_past_them(name, low, high):
    assert setting_value(name, str(low)) == low and setting_value(name, high) == high
    shown = name.replace("_", "-")
    for value in (low - 1, high + 1):
        assert _refusal(name, value) == f"{shown} must be between {low} and {high}"


def test_a_number_setting_refuses_words_by_its_shown_name():
    assert _refusal("tolerance_days", "soon") == "tolerance-days must be a whole number, not 'soon'"


def test_an_unknown_setting_lists_the_settings():
    assert _refusal("colour", 1) == ("'colour' is not a setting (one of: tolerance_days, cycle_days, backups, "
                                     "smtp_port, smtp_host, smtp_from)")


def test_a_mail_server_name_may_have_any_letter_but_no_port_or_address():
    assert setting_value("smtp_host", " SMTP.EXAMPLE.GOV.UK ") == "SMTP.EXAMPLE.GOV.UK"
    assert _refusal("smtp_host", "smtp.example.gov.uk:25") == \
        "'smtp.example.gov.uk:25' is not a mail server's host name (e.g. smtp.example.gov.uk)"


def test_a_sender_with_an_unclosed_angle_bracket_is_refused():
    assert _refusal("smtp_from", "Democratic Services <ds@example.gov.uk") == \
        "'Democratic Services <ds@example.gov.uk' is not an e-mail address (e.g. democratic.services@example.gov.uk)"
    assert setting_value("smtp_from", "Democratic Services <ds@example.gov.uk>") == \
        "Democratic Services <ds@example.gov.uk>"
    # Only a '<' left open is refused: a stray '>' after a bare address is dropped as the
    # mail library reads it (as the code stands; pinned so a change to it is deliberate).
    assert setting_value("smtp_from", "ds@example.gov.uk>") == "ds@example.gov.uk"


def test_the_limits_are_the_config_commands(sufficiency):
    assert sufficiency.ok("config", "tolerance-days", "366") == "tolerance-days: 366\n"
    sufficiency.refused("config", "tolerance-days", "367", says="tolerance-days must be between 0 and 366")
    sufficiency.refused("config", "tolerance-days", "a month", says="tolerance-days must be a whole number, not 'a month'")
