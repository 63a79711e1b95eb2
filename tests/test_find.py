"""Finding things (issue 15): search, the change feed, and narrower, sorted action lists."""

from __future__ import annotations

import pytest


def test_search_ranks_a_title_above_a_note_and_needs_every_word(demo):
    demo.ok("action", "update", "SUFF-1.2", "--note", "Linked to the second home appraisal", as_of="02/12/2022")
    rows = demo.json("search", "SECOND home", as_of="02/12/2022")
    assert [r["ref"] for r in rows] == ["SUFF-2.2", "SUFF-1.2"]  # title (5 a word) before a note (2 a word)
    assert rows[0]["found_in"] == ["title"] and rows[1]["found_in"] == ["commentary"]
    assert rows[0]["score"] > rows[1]["score"]
    assert "second home" in rows[1]["snippet"]
    assert demo.json("search", "second cinema", as_of="02/12/2022") == []
    assert "Nothing mentions 'second cinema'" in demo.ok("search", "second cinema")
    # Found by a new-user trial: the words typed were read as rich markup, and lost.
    assert "Nothing mentions '[bold]second[/bold] cinema :smile:'" in demo.ok("search", "[bold]second[/bold] cinema :smile:")


def test_search_finds_minutes_reasons_owners_and_success_criteria(demo):
    assert "R-" in demo.json("search", "22/7")[0]["ref"]  # a minute number
    reasons = demo.json("search", "fuller business case")
    assert reasons[0]["ref"] == "SUFF-2.2" and reasons[0]["found_in"] == ["commentary"]  # a reason for a move
    assert {r["found_in"][0] for r in demo.json("search", "scorecard")} >= {"success"}
    assert all(r["owner"] == "Virtual School Headteacher" for r in demo.json("search", "virtual school headteacher")
               if r["found_in"] == ["owner"])
    demo.refused("search", "a", says="two letters")
    assert demo.ok("search", "home", "--format", "csv").splitlines()[0] == (
        "ref,kind,title,owner,status,score,found_in,snippet")


def test_changes_lists_the_week_in_time_order_with_who_and_why(demo):
    rows = demo.json("changes", "--since", "7d")
    assert [r["subject"] for r in rows if not r["subject"].startswith(("person ", "settings"))] == [
        "SUFF-2.2", "SUFF-5.1"]
    assert [r["effective"] for r in rows] == sorted(r["effective"] for r in rows)
    moved = rows[0]
    assert (moved["event"], moved["note"], moved["user"]) == (
        "reschedule", "Executive asked for a fuller business case", "Democratic Services Officer")
    assert "due: 2022-11-30 -> 2023-03-31" in moved["what"]  # ISO in JSON and CSV ...
    # ... British where people read them
    assert "due: 30 Nov 2022 -> 31 Mar 2023" in demo.ok("changes", "--since", "7d", "--format", "markdown")
    csv_what = [line for line in demo.ok("changes", "--since", "7d", "--format", "csv").splitlines() if "SUFF-2.2" in line]
    assert csv_what and "due: 2022-11-30 -> 2023-03-31" in csv_what[0] and " Nov 2022" not in csv_what[0]
    assert all("2022-11-24" <= r["effective"] <= "2022-12-01" for r in rows)
    since = demo.json("changes", "--since", "01/11/2022")
    assert len(since) > len(rows)
    assert {r["subject"] for r in demo.json("changes", "--since", "3m", "--plan", "PERM")} <= {
        "PERM-3.1", "PERM-4.1", "PERM-5.1", "PERM-6.1", "PERM-6.2"}
    assert {r["subject"] for r in demo.json("changes", "--since", "3m", "--owner", "early help")} == {"SUFF-3.1"}
    assert demo.json("changes", "--since", "7d", "--user", "nobody") == []
    demo.refused("changes", "--since", "banana", says="--since")
    demo.refused("changes", "--since", "+2w", says="+2w is after the as-of date 01 Dec 2022")
    assert "No changes from" in demo.ok("changes", "--since", "1d", as_of="01/06/2022")


def test_changes_show_an_owners_return_as_theirs(demo, tmp_path):
    from tests.test_returns import RESOURCES, RESOURCES_FILE, fill, made_returns

    folder = made_returns(demo, tmp_path)
    filled = fill(folder / RESOURCES_FILE, tmp_path / "back.xlsx", {("SUFF-2.1", "RAG"): "Amber"})
    demo.ok("returns", "apply", str(filled))
    (row,) = demo.json("changes", "--since", "1d", "--user", RESOURCES)
    assert row["subject"] == "SUFF-2.1" and row["via"] == "update return back.xlsx"
    assert f"{RESOURCES} (via update return back.xlsx" in demo.ok("changes", "--since", "1d", "--user", RESOURCES)


@pytest.mark.parametrize("args, refs", [
    (("--due-within", "4w"), []),  # to 29 Dec 2022: the next are due on the 31st
    (("--due-within", "5w"), ["PERM-3.1", "PERM-6.1", "SUFF-4.2"]),
    (("--due-within", "6m"), ["PERM-3.1", "PERM-5.1", "PERM-6.1", "SUFF-1.3", "SUFF-2.2", "SUFF-3.1", "SUFF-4.2"]),
    (("--due-before", "01/12/2022"), ["PERM-4.1", "SUFF-1.2", "SUFF-2.1", "SUFF-6.1"]),
])
def test_action_list_by_due_date(demo, args, refs):
    got = [r["ref"] for r in demo.json("action", "list", *args, "--sort", "due")]
    assert sorted(got) == sorted(refs)
    dues = [r["due"] for r in demo.json("action", "list", *args, "--sort", "due")]
    assert dues == sorted(dues)


def test_action_list_stale_and_sorted(demo):
    stale = demo.json("action", "list", "--stale")
    assert stale and all(r["stale"] for r in stale)
    overdue = demo.json("action", "list", "--sort", "overdue")
    assert [r["days_overdue"] for r in overdue] == sorted((r["days_overdue"] for r in overdue), reverse=True)
    slipped = demo.json("action", "list", "--sort", "slippage")
    assert [r["slippage_days"] for r in slipped] == sorted((r["slippage_days"] for r in slipped), reverse=True)
    assert "most days overdue first" in demo.ok("action", "list", "--sort", "overdue", "--format", "markdown")
    demo.refused("action", "list", "--due-within", "soon", says="--due-within")
    demo.refused("action", "list", "--due-within", "4", says="'4' needs a unit: d, w, m or y (e.g. 4w)")
    demo.refused("action", "list", "--due-within", "-1w", says="before the as-of date")
    demo.refused("action", "list", "--sort", "colour", says="--sort")


def test_a_clerks_housekeeping_is_not_an_update_from_the_owner(demo):
    """From a new-user trial: rewording a title, a finance line, or reassigning the owner
    made five stale actions three ("Last update 01 Dec 2022" though no owner said a word).
    Staleness and the last update count updates on the work; housekeeping stays in the
    history and in `changes`, and a real update still counts."""
    before = {r["ref"]: r for r in demo.json("action", "list", "--stale")}
    assert {"SUFF-1.3", "SUFF-2.1"} <= set(before)
    demo.ok("action", "edit", "SUFF-1.3", "--title", "Agree a business case with each new provider")
    demo.ok("action", "edit", "SUFF-2.1", "--financial", "None")
    owner = before["SUFF-2.1"]["owner"]
    demo.ok("reassign", owner, "Head of Placements and Sufficiency")
    after = {r["ref"]: r for r in demo.json("action", "list", "--stale")}
    assert set(after) == set(before)
    assert all(after[ref]["last_update"] == before[ref]["last_update"] for ref in before)
    assert demo.ok("verify").startswith("Verified")  # summaries saved as the history says
    demo.ok("action", "update", "SUFF-2.1", "--note", "Placement panel met")
    assert "SUFF-2.1" not in {r["ref"] for r in demo.json("action", "list", "--stale")}
    shown = demo.json("action", "show", "SUFF-2.1")
    assert shown["last_update"] == "2022-12-01" and not shown["stale"]
    # As of a day before the edits were made, from the history rather than the saved summary.
    earlier = {r["ref"] for r in demo.json("action", "list", "--stale", as_of="30/11/2022")}
    assert {"SUFF-1.3", "SUFF-2.1"} <= earlier


def test_overdue_says_how_it_is_sorted(demo):
    out = demo.ok("overdue", "--format", "markdown")
    assert out.splitlines()[0] == "**Overdue as of 01 Dec 2022, most days overdue first, then late milestones**"
    days = [r["days_overdue"] for r in demo.json("overdue")]
    assert days == sorted(days, reverse=True)


def test_a_committee_name_one_letter_out_is_refused_unless_new(demo):
    demo.refused("meeting", "add", "Corporate Parenting Borad", "15/02/2023",
                 says="did you mean 'Corporate Parenting Board'? (add --new")
    demo.refused("meeting", "add", "corporate parenting bored", "15/02/2023", says="did you mean")
    assert "Corporate Parenting Board, 15 Feb 2023" in demo.ok("meeting", "add", "corporate  PARENTING board",
                                                               "15/02/2023")  # the same body, any case or spacing
    demo.ok("meeting", "add", "Corporate Parenting Borad", "16/02/2023", "--new")
    demo.refused("resolution", "add", "Corporate Parenting Bard", "14/12/2022", "5", "x", "--owner", "y", "--due",
                 "31/01/2023", says="did you mean 'Corporate Parenting B")


def test_a_person_one_letter_out_is_refused_unless_new(demo):
    demo.refused("person", "add", "Head of Early Halp", "--email", "a@example.gov.uk",
                 says="did you mean 'Head of Early Help'")
    demo.ok("person", "add", "Head of Early Halp", "--email", "a@example.gov.uk", "--new")


@pytest.mark.parametrize("args, says", [
    (("action", "show", "SUFF-1.9"), "no action 'SUFF-1.9'; did you mean 'SUFF-1.3' or 'SUFF-1.2' or 'SUFF-1.1'?"),
    (("action", "update", "PERM-61", "--note", "x"), "not an action reference"),
    (("resolution", "show", "R-111"), "did you mean 'R-11' or 'R-1'?"),
    (("action", "show", "ZZZ-9.9"), "no action 'ZZZ-9.9' (see"),  # nothing near: no guess
])
def test_unknown_refs_suggest_the_nearest(demo, args, says):
    demo.refused(*args, says=says)


def test_edits_count_letters_added_dropped_changed_or_swapped():
    from actiontrack.domain.nearby import close_name, edits

    assert edits("board", "borad") == 1  # swapped
    assert edits("board", "boards") == 1 and edits("board", "bord") == 1 and edits("board", "beard") == 1
    assert edits("board", "panel") > 2
    assert close_name("Corporate Parenting Borad", ["Corporate Parenting Board", "Health Scrutiny"]) == (
        "Corporate Parenting Board")
    assert close_name("Corporate Parenting Board", ["Corporate Parenting Board"]) is None  # the same is no typo
    assert close_name("Schools Forum", ["Corporate Parenting Board"]) is None


def test_changes_name_a_meeting_by_its_date_as_people_read_it(demo):
    demo.ok("meeting", "update", "Corporate Parenting Board", "14/12/2022", "--date", "11/01/2023")
    assert "meeting Corporate Parenting Board 14 Dec 2022" in demo.ok("changes", "--since", "1d", "--format", "markdown")
    # A script reads the day as every JSON and CSV date is written: ISO.
    rows = demo.json("changes", "--since", "1d")
    assert "meeting Corporate Parenting Board 2022-12-14" in [r["subject"] for r in rows]
    assert "date: 2022-12-14 -> 2023-01-11" in [r["what"] for r in rows]


def test_a_person_or_meeting_added_is_named_in_the_changes_not_called_a_record(demo):
    """From a new-user trial: adding a person read "person: - -> record", a meeting "meeting: - -> record"."""
    demo.ok("person", "add", "Head of Virtual School", "--email", "vs@example.gov.uk")
    demo.ok("meeting", "add", "Corporate Parenting Board", "18/01/2023")
    said = " ".join(demo.ok("changes", "--since", "1d", "--format", "markdown").split())
    assert "person: - -> Head of Virtual School" in said
    assert "meeting: - -> Corporate Parenting Board 18 Jan 2023" in said
    whats = [r["what"] for r in demo.json("changes", "--since", "1d")]
    assert "meeting: - -> Corporate Parenting Board 2023-01-18" in whats  # ISO for scripts
    assert not any("record" in w for w in whats)


def test_a_yes_or_no_in_a_history_reads_yes_or_no_not_python(demo, monkeypatch):
    """From a new-user trial: a resolution's history said "due_next_meeting: - -> True"."""
    monkeypatch.setenv("COLUMNS", "250")
    assert "due_next_meeting: - -> yes" in demo.ok("resolution", "show", "R-1")
    rows = demo.json("changes", "--since", "01/01/2018")
    assert any("due_next_meeting: - -> true" in r["what"] for r in rows)
    assert not any("True" in r["what"] for r in rows)


@pytest.mark.parametrize("a, b, n", [
    ("abc", "abcde", 2), ("a", "abcd", 3), ("", "ab", 2), ("ab", "ba", 1), ("abca", "abca", 0), ("ab", "cd", 2),
    ("xxx", "x", 2), ("board", "borad", 1),
    ("abcdef", "uvwxyz", 3),  # past the limit of 2 it stops counting: limit + 1
])
def test_edit_counts_pinned(a, b, n):
    from actiontrack.domain.nearby import edits

    assert edits(a, b) == n


def test_close_names_pinned():
    from actiontrack.domain.nearby import close_name

    board = "Corporate Parenting Board"
    assert close_name("Corporate ParentingBoard", [board]) == board  # a dropped space
    assert close_name("Corporate Parenting Boa", [board]) == board  # two letters short
    assert close_name("oCrporate Parenting Borad", [board]) == board  # two swaps, one at the start
    assert close_name("Bxyzd", ["Board"]) is None
    assert close_name("Abc", ["Bac"]) == "Bac"  # a swap at the start counts once
    assert close_name("Bob", ["Rob", "Bot"]) == "Rob"  # a tie: the first known name


@pytest.mark.parametrize("query", ["childrens homes", "children's homes", "children\u2019s homes", "CHILDRENS"])
def test_search_reads_past_apostrophes(demo, query):
    """From a new-user trial: `search childrens` missed every "children's"."""
    rows = demo.json("search", query)
    assert "R-3" in [r["ref"] for r in rows]
    r3 = next(r for r in rows if r["ref"] == "R-3")
    if "homes" in query:
        assert r3["snippet"].endswith("children's homes.") and "title" in r3["found_in"]


def test_search_finds_an_item_by_its_ref_first(demo):
    """From a new-user trial: `search SUFF-2.2` found nothing."""
    rows = demo.json("search", "suff-2.2")
    assert rows[0]["ref"] == "SUFF-2.2" and rows[0]["found_in"][0] == "ref"
    assert demo.json("search", "SUFF-2.2 Daniel")[0]["snippet"].endswith("as Daniel Court")


@pytest.mark.parametrize("name, known, near", [
    ("M", ["O"], None), ("AB", ["AC"], None), ("CPB", ["CPP"], "CPP"), ("Head of Early Hlep", ["Head of Early Help"],
                                                                        "Head of Early Help"),
    ("Head", ["Heat"], "Heat"), ("Hed", ["Head"], "Head"), ("Hd", ["Head"], None)])
def test_a_typo_needs_three_letters_for_each_that_differs(name, known, near):
    """A test store's one-letter owner "M" beside its officer "O" was refused as a typo of it."""
    from actiontrack.domain.nearby import close_name

    assert close_name(name, known) == near


def test_a_snippet_is_cut_around_the_word_however_many_apostrophes_come_before_it():
    """Apostrophes are dropped to match (straight, curly either way, backtick); the snippet is
    cut from the text as written, so each dropped one before the word is counted back."""
    from actiontrack.reports.search import _folded, _snippet

    text = "‘Quoted’ `words` ‘and’ ‘more’ " * 8 + "the children's homes review, in the spring"
    snippet = _snippet(text, _folded(text), ["review"])
    assert "children's homes review" in snippet and snippet.startswith("…")


def test_search_finds_one_emoji_or_chinese_character_but_not_one_letter(demo):
    """From a new-user trial: `search 😀` was refused though a note held it."""
    demo.ok("action", "update", "SUFF-2.1", "--note", "Panel pleased 😀 with the first placements")
    demo.ok("action", "update", "PERM-4.1", "--note", "Passport translated into 中文 for two families")
    assert [r["ref"] for r in demo.json("search", "😀")] == ["SUFF-2.1"]
    assert [r["ref"] for r in demo.json("search", "中")] == ["PERM-4.1"]
    demo.refused("search", "a", says="at least one word of two letters or more")
