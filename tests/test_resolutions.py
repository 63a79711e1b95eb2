"""Meetings, resolutions, next-meeting deadlines, links, and resolutions in the reports."""

import pytest

PANEL = "Corporate Parenting Panel"
BOARD = "Corporate Parenting Board"


@pytest.fixture
def panel(sufficiency):
    s = sufficiency
    s.ok("meeting", "add", PANEL, "13/11/2017", "--prefix", "CPP/17", as_of="01/11/2017")
    s.ok("meeting", "add", PANEL, "15/01/2018", "--prefix", "CPP/17", as_of="01/11/2017")
    return s


def add_resolution(s, minute, text, due, *extra, meeting="15/01/2018", body=PANEL, as_of="15/01/2018"):
    return s.ok("resolution", "add", body, meeting, minute, text, "--owner", "Head of Corporate Parenting",
                "--due", due, *extra, as_of=as_of).strip()


def test_meeting_add_and_list(panel):
    assert panel.ok("meeting", "add", "corporate  parenting PANEL", "05/03/2018", as_of="16/01/2018") == (
        "Corporate Parenting Panel, 05 Mar 2018\n")
    assert panel.json("meeting", "list", "Corporate Parenting Panel") == [
        {"body": PANEL, "date": "2017-11-13", "prefix": "CPP/17", "resolutions": 0, "open": 0},
        {"body": PANEL, "date": "2018-01-15", "prefix": "CPP/17", "resolutions": 0, "open": 0},
        {"body": PANEL, "date": "2018-03-05", "prefix": None, "resolutions": 0, "open": 0},
    ]


def test_resolution_exact_json(panel):
    ref = add_resolution(panel, "35", "That benchmarking be undertaken.", "05/03/2018", "--action", "suff-1.1")
    assert ref == "R-1"
    (row,) = panel.json("resolution", "list", as_of="01/02/2018")
    assert row == {
        "ref": "R-1", "plan": None, "theme": None, "theme_title": None,
        "title": "That benchmarking be undertaken.", "owner": "Head of Corporate Parenting",
        "status": "not-started", "rag": None, "derived_rag": "green", "rag_mismatch": False,
        "baseline_due": "2018-03-05", "due": "2018-03-05", "completed_on": None, "days_overdue": 0,
        "slippage_days": 0, "reschedules": 0, "stale": False, "last_update": "2018-01-15", "milestones": [],
        "kind": "resolution", "body": PANEL, "meeting": "2018-01-15", "minute": "CPP/17/35",
        "links": ["SUFF-1.1"], "due_rule": None,
    }
    # shown both ways
    (action,) = panel.json("action", "list")
    assert action["links"] == ["R-1"]


class TestNextMeeting:
    def test_no_next_meeting_yet_is_unscheduled(self, panel):
        ref = add_resolution(panel, "35", "Peer review findings to a future meeting.", "next-meeting")
        (row,) = panel.json("resolution", "list", as_of="16/01/2018")
        assert (row["ref"], row["due"], row["baseline_due"], row["due_rule"]) == (ref, None, None, "next-meeting")
        assert (row["days_overdue"], row["derived_rag"]) == (0, "green")
        assert "| next meeting (unscheduled) |" in panel.ok("resolution", "list", "--format", "markdown",
                                                         as_of="16/01/2018")
        assert panel.json("overdue", as_of="01/01/2019") == [r for r in panel.json("overdue", as_of="01/01/2019")
                                                          if r["kind"] == "action"]

    def test_becomes_dated_when_the_meeting_is_added(self, panel):
        add_resolution(panel, "35", "Peer review findings to a future meeting.", "next-meeting")
        out = panel.ok("meeting", "add", PANEL, "05/03/2018", as_of="16/01/2018")
        assert "R-1 is now due 05 Mar 2018 (next meeting)" in out
        shown = panel.json("resolution", "show", "R-1", as_of="16/01/2018")
        assert (shown["due"], shown["baseline_due"], shown["reschedules"]) == ("2018-03-05", "2018-03-05", 0)
        assert shown["history"][-1]["event"] == "scheduled"
        assert panel.json("overdue", as_of="06/03/2018")[0]["ref"] == "R-1"

    def test_next_meeting_already_scheduled_dates_it_at_once(self, panel):
        panel.ok("meeting", "add", PANEL, "05/03/2018", as_of="01/12/2017")
        add_resolution(panel, "35", "Report back.", "next-meeting")
        assert panel.json("resolution", "show", "R-1")["due"] == "2018-03-05"

    def test_the_next_meeting_follows_the_resolutions_own_meeting(self, panel):
        add_resolution(panel, "22", "From November.", "next-meeting", meeting="13/11/2017", as_of="13/11/2017")
        assert panel.json("resolution", "show", "R-1")["due"] == "2018-01-15"

    def test_another_bodys_meeting_does_not_date_it(self, panel):
        add_resolution(panel, "35", "Report back.", "next-meeting")
        panel.ok("meeting", "add", BOARD, "01/02/2018", as_of="16/01/2018")
        assert panel.json("resolution", "show", "R-1")["due"] is None
        panel.ok("meeting", "add", PANEL, "05/03/2018", as_of="16/01/2018")
        assert panel.json("resolution", "show", "R-1")["due"] == "2018-03-05"

    def test_closed_resolutions_are_not_dated(self, panel):
        add_resolution(panel, "35", "Report back.", "next-meeting")
        panel.ok("resolution", "complete", "R-1", as_of="20/01/2018")
        panel.ok("meeting", "add", PANEL, "05/03/2018", as_of="21/01/2018")
        assert panel.json("resolution", "show", "R-1")["due"] is None

    def test_explicit_date_for_an_unscheduled_item_sets_its_baseline(self, panel):
        add_resolution(panel, "35", "Report back.", "next-meeting")
        panel.ok("resolution", "reschedule", "R-1", "30/04/2018", "--reason", "Special meeting in April",
                 as_of="20/01/2018")
        shown = panel.json("resolution", "show", "R-1")
        assert (shown["due"], shown["baseline_due"], shown["due_rule"]) == ("2018-04-30", "2018-04-30", None)

    def test_undo_a_meeting_undates_its_resolutions(self, panel):
        add_resolution(panel, "35", "Report back.", "next-meeting")
        panel.ok("meeting", "add", PANEL, "05/03/2018", as_of="16/01/2018")
        panel.ok("undo")
        assert panel.json("resolution", "show", "R-1")["due"] is None
        assert [m["date"] for m in panel.json("meeting", "list")] == ["2017-11-13", "2018-01-15"]


def test_resolution_verbs(panel):
    add_resolution(panel, "35", "Benchmarking.", "05/03/2018")
    panel.ok("resolution", "update", "r-1", "--status", "in-progress", "--rag", "green", "--action", "SUFF-1.1",
             as_of="01/02/2018")
    panel.ok("resolution", "reschedule", "R-1", "04/06/2018", "--reason", "Data late", as_of="01/03/2018")
    panel.ok("resolution", "complete", "R-1", "--on", "01/06/2018", as_of="02/06/2018")
    row = panel.json("resolution", "show", "R-1", as_of="02/06/2018")
    assert (row["status"], row["links"], row["reschedules"], row["slippage_days"]) == (
        "complete", ["SUFF-1.1"], 1, 88)
    panel.ok("resolution", "reopen", "R-1", "--reason", "Panel not satisfied", as_of="03/06/2018")
    assert panel.json("resolution", "list", "--open", as_of="03/06/2018")[0]["ref"] == "R-1"


def test_overdue_and_slippage_include_resolutions_with_kind_and_body_filters(panel):
    panel.ok("plan", "add", "OFSTED18", "Post-Ofsted inspection action plan", "--board", PANEL, as_of="05/12/2017")
    panel.ok("theme", "add", "OFSTED18", "1", "Training and learning", "--officer", "Principal Social Worker",
             as_of="05/12/2017")
    panel.ok("action", "add", "OFSTED18.1", "Audit connected carers' assessments", "--owner",
             "Principal Social Worker", "--due", "31/01/2018", as_of="05/12/2017")
    add_resolution(panel, "35", "Visits to children's homes.", "28/02/2018")
    rows = panel.json("overdue", as_of="05/03/2018")
    assert [(r["ref"], r["kind"], r["days_overdue"]) for r in rows] == [
        ("OFSTED18-1.1", "action", 33), ("R-1", "resolution", 5)]
    assert [r["ref"] for r in panel.json("overdue", "--kind", "resolution", as_of="05/03/2018")] == ["R-1"]
    assert sorted(r["ref"] for r in panel.json("overdue", "--body", "corporate parenting panel",
                                                as_of="05/03/2018")) == ["OFSTED18-1.1", "R-1"]
    slipped = panel.json("slippage", "--kind", "resolution", as_of="05/03/2018")
    assert [(r["ref"], r["reason"], r["days_overdue"]) for r in slipped] == [("R-1", "overdue", 5)]
    panel.refused("overdue", "--body", "Health Scrutiny", says="no meetings of 'Health Scrutiny'")


def test_work_programme_additions_listed_per_meeting(panel):
    """Seed 002, minute 37: the work programme approved subject to the addition of updates."""
    additions = ["CAMHS.", "the East of England Protocol.", "the Health Passport for Looked After Children.",
                 "the average number of social worker changes and the top 10 children affected.",
                 "the March meeting to include data about outliers."]
    for text in additions:
        add_resolution(panel, "37", f"Work programme: update on {text}", "next-meeting")
    add_resolution(panel, "22", "Chairman's announcement follow-up.", "15/01/2018", meeting="13/11/2017",
                   as_of="13/11/2017")
    rows = panel.json("resolution", "list", "--body", PANEL, "--meeting", "15/01/2018")
    assert [(r["ref"], r["minute"]) for r in rows] == [(f"R-{i}", "CPP/17/37") for i in range(1, 6)]
    assert [r["title"] for r in rows] == [f"Work programme: update on {t}" for t in additions]
    assert [r["ref"] for r in panel.json("resolution", "list", "--body", PANEL, "--meeting", "13/11/2017")] == ["R-6"]
    assert panel.json("meeting", "list")[1]["resolutions"] == 5


@pytest.mark.parametrize("args,says", [
    (("resolution", "add", "Health Scrutiny", "15/01/2018", "1", "x", "--owner", "o", "--due", "01/03/2018"),
     "no meetings of 'Health Scrutiny'"),
    (("resolution", "add", PANEL, "16/01/2018", "1", "x", "--owner", "o", "--due", "01/03/2018"),
     "has no meeting on 16 Jan 2018"),
    (("resolution", "add", PANEL, "15/01/2018", "35 (a)", "x", "--owner", "o", "--due", "01/03/2018"),
     "'35 (a)' is not a minute number"),
    (("resolution", "add", PANEL, "15/01/2018", "35", "x", "--owner", "o", "--due", "01/01/2018"),
     "before the meeting it came from"),
    (("resolution", "add", PANEL, "15/01/2018", "35", "x", "--owner", "o", "--due", "soon"),
     "'soon' is not a date"),
    (("resolution", "add", PANEL, "15/01/2018", "35", "x", "--owner", "o", "--due", "01/03/2018",
      "--action", "SUFF-9.9"), "no action 'SUFF-9.9'"),
    (("resolution", "update", "R-99", "--note", "x"), "no resolution 'R-99'"),
    (("resolution", "update", "SUFF-1.1", "--note", "x"), "'SUFF-1.1' is an action's reference, not a resolution's"),
    (("action", "update", "R-1", "--note", "x"), "'R-1' is a resolution's reference, not an action's"),
    (("meeting", "add", PANEL, "15/01/2018"), "already has a meeting on 15 Jan 2018"),
    (("meeting", "add", PANEL, "15/13/2018"), "not a real date"),
    (("meeting", "add", PANEL, "01/05/2018", "--prefix", "CPP 18"), "not a minute prefix"),
    (("resolution", "list", "--meeting", "15/01/2018"), "--meeting needs --body"),
    (("log", "Health Scrutiny", "15/01/2018"), "no meetings of 'Health Scrutiny'"),
    (("log", PANEL, "16/01/2018"), "has no meeting on 16 Jan 2018"),
])
def test_bad_input_exit_2_store_unchanged(panel, args, says):
    panel.refused(*args, says=says)


def test_a_resolution_due_tbc_is_pointed_to_next_meeting(run):
    """Found by a new-user trial: 'action add --due TBC' is taken, 'resolution add --due TBC'
    was refused as a date it could not read.  A resolution has no 'none yet': minutes that
    say 'to a future meeting' mean the committee's next one, and the error says so."""
    run.ok("init")
    run.ok("meeting", "add", "CPB", "14/12/2022")
    for words in ("TBC", "to be confirmed", "Ongoing"):
        run.refused("resolution", "add", "CPB", "14/12/2022", "22/9", "Report back", "--owner", "Head of Service",
                    "--due", words, says="a resolution is due on a date, or at the committee's next meeting "
                                         "(--due next-meeting")
    run.ok("resolution", "add", "CPB", "14/12/2022", "22/9", "Report back", "--owner", "Head of Service",
           "--due", "next meeting")


def test_a_resolution_typed_twice_is_refused_a_second_in_other_words_is_not(panel):
    """Found by a new-user trial: the same minute and words entered twice made two
    resolutions, each then chased for its own update.  A minute may hold several
    resolutions, so only the same words are refused."""
    first = add_resolution(panel, "35", "That a report be brought to the next meeting", "01/03/2018")
    panel.refused("resolution", "add", PANEL, "15/01/2018", "35", "that a report  be brought to the Next Meeting",
                  "--owner", "Head of Service", "--due", "01/03/2018", as_of="15/01/2018",
                  says=f"minute CPP/17/35 of 15 Jan 2018 is already {first}, in the same words: nothing was added")
    second = add_resolution(panel, "35", "That the Panel visit the new home", "01/03/2018")
    assert second != first
    assert add_resolution(panel, "36", "That a report be brought to the next meeting", "01/03/2018")
