"""Pinned by mutation testing of reports/chasing.py and domain/storedata.py: each test here
fails with one or more surviving mutants applied and passes on the code as it is.

chasing: who `returns status` lists (an owner of open work or of a return, no one else), its
columns by name, a return awaited on its reply-by day and overdue the day after, and what
`person list` counts as overdue.  storedata: see the tests below that section's header."""

from __future__ import annotations

from actiontrack.domain.models import Plan
from actiontrack.domain.storedata import Settings, StoreData
from tests.test_returns_mail import mailing, smtp  # noqa: F401  (fixtures: a real SMTP server on loopback)

SCM = "Specialist Commissioning Manager"  # owner of SUFF-1.1, the sufficiency store's one action
SCM_FILE = "specialist-commissioning-manager.xlsx"
RESOURCES = "Head of Resources and Placements"

# -- chasing ------------------------------------------------------------------------------------


def test_returns_status_lists_owners_of_open_work_and_of_a_return_and_no_one_else(sufficiency, tmp_path):
    """Rule: a row per owner of open work, or of a return (made, sent, back) even once their work
    is all closed; a person recorded who holds nothing and has no return is not listed."""
    run = sufficiency
    run.ok("person", "add", SCM, "--email", "commissioning@example.gov.uk")
    run.ok("person", "add", "Head of Early Help", "--email", "early.help@example.gov.uk")  # holds nothing
    assert [r["owner"] for r in run.json("returns", "status")] == [SCM]
    run.ok("returns", "make", "--owner", SCM, "--output", str(tmp_path / "r"))
    run.ok("action", "complete", "SUFF-1.1", "--note", "Refreshed")
    assert run.json("returns", "status") == [{
        "owner": SCM, "email": "commissioning@example.gov.uk", "state": "not sent", "made_on": "2022-12-01", "sent_on": None,
        "reply_by": None, "chased_on": None, "returned_on": None, "open_items": 0, "overdue": 0, "stale": 0}]


def test_returns_status_gives_each_owners_open_overdue_and_stale_counts_by_name(sufficiency):
    """Rule: a status row carries the owner's open items, how many are overdue and how many stale,
    under the keys open_items, overdue and stale (the CSV and JSON a clerk scripts against)."""
    run = sufficiency
    run.ok("action", "add", "SUFF.2", "Recruit foster carers", "--owner", SCM, "--due", "31/03/2023",
           as_of="20/11/2022")
    # SUFF-1.1: due Nov 2022, last touched in July (overdue and stale); SUFF-2.1: neither.
    assert run.json("returns", "status") == [{
        "owner": SCM, "email": None, "state": "not sent", "made_on": None, "sent_on": None,
        "reply_by": None, "chased_on": None, "returned_on": None, "open_items": 2, "overdue": 1, "stale": 1}]


def test_person_list_counts_as_overdue_only_items_past_their_due_date(sufficiency):
    """Rule: an open item is overdue once its due date has passed; one not yet due (days
    overdue 0) is open but not overdue."""
    run = sufficiency
    row = {"name": SCM, "email": None, "recorded": False, "open_items": 1, "stale": 1}
    assert run.json("person", "list", as_of="30/11/2022") == [{**row, "overdue": 0}]  # due 30 Nov 2022
    assert run.json("person", "list", as_of="01/12/2022") == [{**row, "overdue": 1}]


def test_a_return_is_awaited_on_its_reply_by_day_and_overdue_the_day_after(mailing, smtp):  # noqa: F811
    """Rule: a sent return not yet back is overdue only once its reply-by day has passed."""
    mailing.ok("returns", "send", "--reply-by", "07/12/2022")
    assert smtp.messages
    on_the_day = {r["owner"]: r["state"] for r in mailing.json("returns", "status", as_of="07/12/2022")}
    day_after = {r["owner"]: r["state"] for r in mailing.json("returns", "status", as_of="08/12/2022")}
    assert on_the_day[RESOURCES] == "awaited" and day_after[RESOURCES] == "overdue"


# -- storedata ----------------------------------------------------------------------------------


def test_a_detached_copy_changed_in_place_leaves_the_data_it_came_from_alone():
    """Rule (StoreData.detached, what a point-in-time rewind works on): nothing done to the copy,
    even to a plan or setting changed in place, reaches the data it was copied from."""
    board = "Corporate Parenting Board"
    data = StoreData(plans={"SUFF": Plan("SUFF", "Sufficiency Action Plan", board=board)})
    past = data.detached()
    past.plans["SUFF"].board = "Cabinet"
    past.settings.tolerance_days = 10
    assert data.plans == {"SUFF": Plan("SUFF", "Sufficiency Action Plan", board=board)}
    assert data.settings == Settings()


def test_an_action_counting_from_before_its_theme_lists_without_the_themes_title(run):
    """Rule (StoreData.place): an action entered as counting from before its theme was added
    is listed as of that day with no theme title (the theme did not exist yet), not refused
    or failed; once it exists, the title shows.  (Before its plan it is refused: a later rule,
    so this mutation run's test of a missing plan became this one.)"""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", "Corporate Parenting Board", as_of="20/07/2022")
    run.ok("theme", "add", "SUFF", "1", "Strengthening Commissioning", "--officer", SCM, as_of="01/08/2022")
    run.ok("action", "add", "SUFF.1", "Early action", "--owner", SCM, "--due", "30/09/2022", as_of="25/07/2022")
    (then,) = run.json("action", "list", as_of="26/07/2022")
    assert (then["ref"], then["theme"], then["theme_title"], then["body"]) == (
        "SUFF-1.1", "SUFF.1", None, "Corporate Parenting Board")
    (now,) = run.json("action", "list", as_of="01/08/2022")
    assert (now["ref"], now["theme"], now["theme_title"], now["body"]) == (
        "SUFF-1.1", "SUFF.1", "Strengthening Commissioning", "Corporate Parenting Board")


def test_an_actions_staleness_counts_its_own_plans_update_cycle(run):
    """Rule: an action is stale once its plan's update cycle (plan add --cycle) has passed
    without an update; a plan with no cycle of its own uses the store's (31 days)."""
    run.ok("init")
    for plan, cycle in (("SUFF", ["--cycle", "90"]), ("PERM", [])):
        run.ok("plan", "add", plan, f"{plan} Action Plan", *cycle, as_of="20/07/2022")
        run.ok("theme", "add", plan, "1", "First theme", "--officer", SCM, as_of="20/07/2022")
        run.ok("action", "add", f"{plan}.1", "An action", "--owner", SCM, "--due", "31/03/2023", as_of="20/07/2022")
    # 1 Sep 2022: 43 days on, past the store's 31 but within SUFF's 90.
    listed = {r["ref"]: (r["last_update"], r["stale"]) for r in run.json("action", "list", as_of="01/09/2022")}
    assert listed == {"SUFF-1.1": ("2022-07-20", False), "PERM-1.1": ("2022-07-20", True)}


def test_a_missing_action_of_a_real_plan_is_not_offered_as_another_plans(run):
    """Rule (StoreData.action): another plan's action of the same number is suggested only when
    the plan key typed is no plan's (a mistyped key) and that action exists; a ref in a plan that exists is not
    "corrected" to a plan a letter away."""
    run.ok("init")
    for plan in ("SUFF", "SUFX"):
        run.ok("plan", "add", plan, f"{plan} Action Plan", as_of="20/07/2022")
    run.ok("theme", "add", "SUFX", "1", "First theme", "--officer", SCM, as_of="20/07/2022")
    run.ok("action", "add", "SUFX.1", "An action", "--owner", SCM, "--due", "31/03/2023", as_of="20/07/2022")
    assert run.refused("action", "show", "SUFF-1.1") == "Error: no action 'SUFF-1.1' (see 'actiontrack action list')"
    assert run.refused("action", "show", "SXFX-1.1") == (
        "Error: no action 'SXFX-1.1'; did you mean 'SUFX-1.1'? (see 'actiontrack action list')")
    # A mistyped key, but the other plan has no action of that number either: nothing to offer.
    assert run.refused("action", "show", "SXFX-1.2") == "Error: no action 'SXFX-1.2' (see 'actiontrack action list')"


def test_a_plans_board_a_letter_from_a_known_committee_is_refused_naming_it(run):
    """Rule (StoreData.board_name): a board typed a letter or two from a committee the store
    knows is refused, saying it is not a committee here yet and which one was meant."""
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", "Corporate Parenting Board")
    assert run.refused("plan", "add", "PERM", "Permanence Plan", "--board", "Corporate Parenting Bord") == (
        "Error: 'Corporate Parenting Bord' is not a committee here yet; did you mean 'Corporate Parenting Board'? "
        "(if it is a new one, add its first meeting with 'actiontrack meeting add ... --new')")
