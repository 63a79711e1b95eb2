"""Moves of a due date: one count everywhere, and a calendar SEQUENCE that never falls
(issue 11, items 6 and 7)."""

from __future__ import annotations

from icalendar import Calendar


def sequence(run, uid: str = "SUFF-1.1") -> int:
    cal = Calendar.from_ical(run.ok("export", "--format", "ics").encode())
    (event,) = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(f"{uid}@")]
    return int(event["SEQUENCE"])


def test_moved_count_agrees_with_show_after_undo(sufficiency):
    sufficiency.ok("action", "reschedule", "SUFF-1.1", "31/12/2022", "--reason", "capacity")
    sufficiency.ok("undo")
    out = sufficiency.ok("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "capacity")
    assert out == "Rescheduled SUFF-1.1 to 31 Jan 2023 (moved 1 time)\n"
    assert sufficiency.json("action", "show", "SUFF-1.1")["reschedules"] == 1
    assert sufficiency.json("action", "list")[0]["reschedules"] == 1


def test_ics_sequence_never_falls_through_undo(sufficiency):
    seen = [sequence(sufficiency)]
    for step in (("action", "reschedule", "SUFF-1.1", "31/12/2022", "--reason", "capacity"),
                 ("undo",),
                 ("action", "reschedule", "SUFF-1.1", "31/01/2023", "--reason", "capacity"),
                 ("undo",)):
        sufficiency.ok(*step)
        seen.append(sequence(sufficiency))
    assert seen == [0, 1, 2, 3, 4]


def test_ics_sequence_of_a_resolution_dated_at_the_next_meeting(run):
    run.ok("init")
    run.ok("meeting", "add", "Corporate Parenting Panel", "20/07/2022")
    run.ok("resolution", "add", "Corporate Parenting Panel", "20/07/2022", "22/7", "Report the peer review",
           "--owner", "Head of Corporate Parenting", "--due", "next-meeting")
    run.ok("meeting", "add", "Corporate Parenting Panel", "21/09/2022")
    assert sequence(run, "R-1") == 1  # its date was set once after it was created
    run.ok("resolution", "reschedule", "R-1", "30/11/2022", "--reason", "report not ready")
    assert sequence(run, "R-1") == 2


def test_a_reschedule_into_the_past_is_taken_but_said(sufficiency):
    """An extension recorded late is real, so it is taken; a year mistyped (2022 for 2023)
    would otherwise go unnoticed until the item turned up overdue (found by a new-user trial)."""
    result = sufficiency("action", "reschedule", "SUFF-1.1", "01/01/2022", "--reason", "Typed in a hurry")
    assert result.exit_code == 0 and result.stdout.startswith("Rescheduled SUFF-1.1 to 01 Jan 2022")
    assert result.stderr == ("Note: 01 Jan 2022 is before the as-of date 01 Dec 2022: SUFF-1.1 is 334 days "
                             "overdue already (a mistyped year?)\n")
    result = sufficiency("action", "reschedule", "SUFF-1.1", "30/11/2023", "--reason", "The year put right")
    assert result.exit_code == 0 and result.stderr == ""
    result = sufficiency("action", "reschedule", "SUFF-1.1", "30/11/2022", "--reason", "Back to the day before")
    assert result.stderr.endswith("SUFF-1.1 is 1 day overdue already\n")
