"""The bundled example: a Corporate Parenting Board's Sufficiency and Permanency plans.

Built from the public minutes in shared/seeds (Middlesbrough's Board of 20 July 2022,
minute 22/7; Central Bedfordshire's Corporate Parenting Panel resolutions and work
programme of January 2018), entered the way a clerk would have entered them at the
time, so the history, reschedules and late completions are real history.
Role titles only: no person is named.
"""

from __future__ import annotations

from datetime import date

from actiontrack.changes.indicators import add_indicator, link_action, record_value
from actiontrack.changes.tracker import Tracker
from actiontrack.dates import parse_date
from actiontrack.domain.storedata import Settings, StoreData

DEMO_AS_OF = date(2022, 12, 1)
BOARD = "Corporate Parenting Board"

SUFFICIENCY_THEMES = [
    ("Strengthening Commissioning for Children and Young People", "Specialist Commissioning & Procurement Senior Manager"),
    ("Increasing Placements Close to where Children and Young People live and learn", "Head of Resources and Placements"),
    ("Growing Early Intervention & Prevention", "Head of Early Help"),
    ("Improving Placements & Support for Care Leavers", "Head of Care Leavers Service"),
    ("Enhancing Learning Outcomes for Children & Young People", "Virtual School Headteacher"),
    ("Building Our Fostering Capacity and Adoption Outcomes", "Head of Fostering and Adoption"),
]
PERMANENCY_THEMES = [
    ("Prevention and Edge of Care", "Head of Early Help"),
    ("Sufficient and Stable Placements", "Head of Resources and Placements"),
    ("Voice, Participation and Influence", "Voice and Influence Manager"),
    ("Education, Employment, Health and Wellbeing", "Virtual School Headteacher"),
    ("Permanency Planning", "Head of Corporate Parenting"),
    ("Managing Demand and Maximising Resources for Children in our Care", "Director of Children's Services"),
]

# (day it happened, what) -- replayed in date order through the Tracker.
Step = tuple


def _d(text: str) -> date:
    return parse_date(text, DEMO_AS_OF)


CPP = "Corporate Parenting Panel"  # Central Bedfordshire, seed 002 (meeting date of January 2018 assumed)
CPB = "Corporate Parenting Board"  # Middlesbrough, seed 000


def _panel_2018() -> list[Step]:
    """The Panel's January 2018 resolutions and work programme, followed up to the end."""
    nxt = "next-meeting"
    return [
        ("01/11/2017", "meeting", CPP, "13/11/2017", "CPP/17"),
        ("01/11/2017", "meeting", CPP, "15/01/2018", "CPP/17"),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "35",
         "That the framework for the Peer review and the findings be reported at a future meeting of the Panel.",
         "Director of Children's Services", nxt, []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "35",
         "That benchmarking be undertaken by looking at the work being undertaken by Corporate Parenting Panels "
         "in other local authorities.", "Head of Corporate Parenting", nxt, []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "35",
         "Arrange visits by Panel members to local children's homes.", "Head of Corporate Parenting",
         "28/02/2018", []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "37", "Work programme: update on CAMHS.",
         "Head of Children's Mental Health Commissioning", nxt, []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "37", "Work programme: update on the East of England Protocol.",
         "Head of Corporate Parenting", nxt, []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "37",
         "Work programme: update on the Health Passport for Looked After Children.",
         "Designated Nurse for Children in Care", nxt, []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "37",
         "Work programme: the average number of social worker changes and the top 10 children affected, "
         "taking into account planned changes.", "Head of Corporate Parenting", nxt, []),
        ("15/01/2018", "resolution", CPP, "15/01/2018", "37",
         "Work programme: the March meeting on children with three or more placement moves in 12 months "
         "to include data about outliers.", "Performance and Information Manager", "05/03/2018", []),
        ("16/01/2018", "meeting", CPP, "05/03/2018", "CPP/18"),
        ("16/01/2018", "meeting", CPP, "04/06/2018", "CPP/18"),
        ("20/02/2018", "reschedule", "R-1", "31/10/2018",
         "Peer review to take place after the summer, with colleagues from other local authorities"),
        ("20/02/2018", "reschedule", "R-5", "04/06/2018", "Regional protocol not yet signed off"),
        ("26/02/2018", "complete", "R-6", "26/02/2018", "Health Passport update circulated with the papers"),
        ("05/03/2018", "complete", "R-4", "05/03/2018", "CAMHS single point of contact reported to the Panel"),
        ("05/03/2018", "complete", "R-2", "05/03/2018", "Benchmarking report presented"),
        ("12/03/2018", "complete", "R-8", "12/03/2018", "Outlier data circulated after the meeting"),
        ("20/03/2018", "complete", "R-3", "20/03/2018", "Visits arranged for April"),
        ("04/06/2018", "complete", "R-5", "04/06/2018", "Protocol update received"),
        ("04/06/2018", "complete", "R-7", "04/06/2018", "Social worker changes reported"),
        ("29/10/2018", "complete", "R-1", "29/10/2018", "Peer review findings reported"),
    ]


def _board_2022() -> list[Step]:
    return [
        ("09/03/2022", "meeting", CPB, "27/04/2022", None),
        ("09/03/2022", "meeting", CPB, "20/07/2022", None),
        ("20/07/2022", "resolution", CPB, "20/07/2022", "22/6",
         "That the ratio of agency to permanent social workers be circulated to the Board after the meeting.",
         "Head of Corporate Parenting and Performance", "31/08/2022", ["PERM-6.2"]),
        ("20/07/2022", "resolution", CPB, "20/07/2022", "22/7",
         "That an update on the Sufficiency action plan, with the refreshed Commissioning Action Plan, "
         "be brought to the next meeting.",
         "Specialist Commissioning & Procurement Senior Manager", "next-meeting", ["SUFF-1.2"]),
        ("25/07/2022", "meeting", CPB, "19/10/2022", None),
        ("15/09/2022", "complete", "R-9", "15/09/2022", "Circulated by e-mail"),
        ("19/10/2022", "reschedule", "R-10", "14/12/2022",
         "The Commissioning Action Plan refresh completes in November; report to the December Board"),
        ("19/10/2022", "resolution", CPB, "19/10/2022", "22/34",
         "That the evaluation of the Staying Close offer be reported to the next meeting.",
         "Head of Care Leavers Service", "next-meeting", []),
        ("20/10/2022", "meeting", CPB, "14/12/2022", None),
    ]


def _script() -> list[Step]:
    steps = _panel_2018() + _plans_2022() + _board_2022() + _scorecard() + [("30/11/2022", "people")]
    # Replay in date order, keeping the written order within a day.
    return sorted(steps, key=lambda step: _d(step[0]))


def _plans_2022() -> list[Step]:
    return [
        ("09/03/2022", "plans"),
        ("09/03/2022", "add", "SUFF.1", "Weekly reporting on residential placement activity",
         "Specialist Commissioning Manager", "30/06/2022",
         {"success": "Weekly report on placement changes and needs reaches the Board's scorecard"}),
        ("09/03/2022", "add", "SUFF.2", "Placement planning meetings to review local capacity against need",
         "Head of Resources and Placements", "30/09/2022", {}),
        ("09/03/2022", "add", "SUFF.3", "Futures for Families edge-of-care support for fragile placements",
         "Head of Early Help", "Q4 2022/23",
         {"success": "Fewer placement breakdowns for children on the edge of care"}),
        ("09/03/2022", "add", "SUFF.4", "Staying Close offer for care leavers leaving residential care",
         "Head of Care Leavers Service", "30/09/2022", {}),
        ("09/03/2022", "add", "SUFF.4", "Review supported accommodation for 16 and 17 year olds",
         "Commissioning Officer (Care Leavers)", "Q3 2022/23", {}),
        ("09/03/2022", "add", "SUFF.5", "Personal Education Plan quality audit for children in care",
         "Virtual School Headteacher", "31/10/2022", {}),
        ("09/03/2022", "add", "SUFF.6", "Foster carer recruitment campaign",
         "Fostering Recruitment Manager", "31/10/2022",
         {"finance": "Campaign budget £40k from the sufficiency reserve"}),
        ("09/03/2022", "add", "PERM.1", "Edge of care panel reviews every child at risk of entering care",
         "Head of Early Help", "30/06/2022", {}),
        ("09/03/2022", "add", "PERM.3", "Children in Care Council presents to the Board twice a year",
         "Voice and Influence Manager", "31/12/2022", {}),
        ("09/03/2022", "add", "PERM.4", "Health Passport for Looked After Children",
         "Designated Nurse for Children in Care", "30/09/2022", {}),
        ("09/03/2022", "add", "PERM.5", "Permanence plan agreed for every child by their second review",
         "Head of Corporate Parenting", "31/03/2023", {}),
        ("09/03/2022", "add", "PERM.6", "Workforce development strategy to reduce reliance on agency social workers",
         "Principal Social Worker", "31/12/2022", {"finance": "Recruitment and retention package, £250k a year"}),
        ("09/03/2022", "milestone", "SUFF-3.1", "Edge-of-care offer live in all localities", "30/09/2022"),
        ("09/03/2022", "milestone", "SUFF-6.1", "Campaign launched", "31/05/2022"),
        ("09/03/2022", "rag", "SUFF-2.1", "green", "Meetings running monthly"),
        ("25/05/2022", "milestone-done", "SUFF-6.1", 1, "24/05/2022"),
        ("30/06/2022", "complete", "SUFF-1.1", "30/06/2022", "Weekly report now in the Board scorecard"),
        ("27/06/2022", "complete", "PERM-1.1", "24/06/2022", "Panel meets fortnightly"),
        ("27/06/2022", "update", "SUFF-4.2", {"status": "on-hold", "note": "Paused pending the national regulations for supported accommodation"}),
        ("20/07/2022", "add", "SUFF.1", "Full refresh of the Commissioning Action Plan",
         "Specialist Commissioning & Procurement Senior Manager", "November 2022",
         {"source": "minute 22/7, 20 July 2022",
          "success": "Refreshed plan approved by the Board"}),
        ("20/07/2022", "add", "SUFF.1", "Meet each new potential provider with Futures for Families to agree a business case",
         "Specialist Commissioning Manager", "30/09/2022", {"source": "minute 22/7, 20 July 2022"}),
        ("20/07/2022", "add", "SUFF.2", "Options appraisal for a second home offering the same facilities as Daniel Court",
         "Head of Resources and Placements", "31/10/2022", {"source": "minute 22/7, 20 July 2022"}),
        ("20/07/2022", "add", "PERM.6", "Circulate the ratio of agency to permanent social workers to the Board",
         "Head of Corporate Parenting and Performance", "31/08/2022", {"source": "minute 22/6, 20 July 2022"}),
        ("20/07/2022", "milestone", "SUFF-1.3", "Conversations held with all three new providers", "31/10/2022"),
        ("20/07/2022", "rag", "SUFF-1.2", "green", "Scoping started"),
        ("20/07/2022", "rag", "SUFF-1.3", "green", "Two of three providers already in discussion"),
        ("20/07/2022", "rag", "SUFF-6.1", "amber", "Recruitment is a national issue; enquiries below target"),
        ("15/09/2022", "complete", "PERM-6.2", "15/09/2022", "Ratio circulated by e-mail after the meeting"),
        ("28/09/2022", "reschedule", "SUFF-1.3", "31/01/2023", "Third provider not yet registered with Ofsted"),
        ("28/09/2022", "update", "PERM-4.1", {"status": "in-progress", "rag": "green", "note": "Pilot with two GP practices"}),
        ("14/10/2022", "complete", "SUFF-4.1", "14/10/2022", "Staying Close launched"),
        ("26/10/2022", "reschedule", "SUFF-2.2", "30/11/2022", "Capital bid deferred to the November Executive"),
        ("02/11/2022", "update", "SUFF-1.2", {"status": "in-progress", "rag": "green", "note": "Drafting underway with the Commissioning team"}),
        ("02/11/2022", "update", "SUFF-3.1", {"status": "in-progress", "rag": "green", "note": "Live since September"}),
        ("02/11/2022", "update", "PERM-6.1", {"status": "in-progress", "rag": "amber", "note": "Caseloads highest since August 2021"}),
        ("02/11/2022", "update", "PERM-3.1", {"status": "in-progress", "rag": "green", "note": "First session held in July"}),
        ("02/11/2022", "update", "PERM-5.1", {"status": "in-progress", "rag": "green", "note": "Tracking through permanency planning meetings"}),
        ("25/11/2022", "reschedule", "SUFF-2.2", "Q4 2022/23", "Executive asked for a fuller business case"),
        ("28/11/2022", "complete", "SUFF-5.1", "28/11/2022", "Audit complete; findings to the Virtual School governing body"),
    ]


# The Board's scorecard (seed 000's "Performance against the Corporate Parenting
# Strategy"): three of its CP1 measures, with 18 months of ILLUSTRATIVE values (not the
# council's figures): the trends the minutes describe, not its numbers.  Caseloads are
# "the highest since August 2021"; fewer children in care is better.
INDICATORS = [
    ("CP1", "Number of children in care", "number", "lower", 520, "5%", "PERM.6", "Head of Corporate Parenting"),
    ("CP2", "Average social worker caseload", "number", "lower", 18, "2", "PERM.6", "Principal Social Worker"),
    ("CP3", "Children in care in foster placements (%)", "percent", "higher", 75, "5%", "SUFF.6",
     "Head of Fostering and Adoption"),
]
# May 2021 .. Oct 2022: October's figures are the latest the Board has by 1 December (the
# demo's as-of date); nothing in the demo is dated after it.
_MONTHS = [f"{2021 + (4 + i) // 12}-{(4 + i) % 12 + 1:02d}" for i in range(18)]
_VALUES: dict[str, list[float]] = {
    "CP1": [498, 501, 503, 506, 509, 510, 514, 515, 517, 519, 521, 522, 525, 527, 530, 531, 533, 534],
    "CP2": [16.5, 17.0, 17.2, 17.1, 17.8, 18.1, 18.6, 19.0, 19.4, 19.2, 19.8, 20.1, 20.4, 20.6, 21.0, 21.3, 21.5, 21.8],
    "CP3": [73.0, 72.8, 72.5, 72.9, 72.4, 72.1, 71.8, 71.9, 71.5, 71.2, 71.0, 70.8, 71.1, 70.9, 70.6, 70.4, 70.5, 70.2],
}
_COMPARATORS: dict[str, tuple[float | None, float | None]] = {  # illustrative too
    "CP1": (70.0, 97.5), "CP2": (16.3, 17.1), "CP3": (71.0, 72.5)}


def _scorecard() -> list[Step]:
    # Set up with the plans in March 2022, the months before loaded then; each later
    # month recorded on the 10th of the month after.
    steps: list[Step] = [("09/03/2022", "indicator", *row) for row in INDICATORS]
    for i, month in enumerate(_MONTHS):
        year, number = (int(p) for p in month.split("-"))
        recorded = f"10/{number % 12 + 1:02d}/{year + (number == 12)}"
        if _d(recorded) < _d("09/03/2022"):
            recorded = "09/03/2022"
        for code, values in _VALUES.items():
            # Comparators for October 2022: the latest month the Board had seen by 1 December.
            england, neighbours = _COMPARATORS[code] if month == "2022-10" else (None, None)
            steps.append((recorded, "record", code, month, values[i], england, neighbours))
    steps += [("09/03/2022", "indicator-link", "CP3", "SUFF-6.1"), ("09/03/2022", "indicator-link", "CP2", "PERM-6.1"),
              ("20/07/2022", "indicator-link", "CP1", "SUFF-3.1")]
    return steps


# The Board's health partner has no council mailbox: the demo shows an owner whose
# return cannot be sent, as `person list` and `returns send` report it.
NO_ADDRESS = "Designated Nurse for Children in Care"


def _people(t: Tracker) -> None:
    """Every owner and accountable officer with an illustrative address, and the clerk's
    mailbox as the sender of update returns."""
    from actiontrack.changes.people import add_person

    titles = {i.owner for i in t.data.items()} | {th.officer for th in t.data.themes.values()}
    for title in sorted(titles - {NO_ADDRESS}):
        mailbox = ".".join(w for w in "".join(c if c.isalnum() else " " for c in title.lower().replace("'", "")).split()
                           if w not in ("of", "and", "for", "the", "in"))
        add_person(t, title, f"{mailbox}@example.gov.uk")
    t.set_setting("smtp_from", "democratic.services@example.gov.uk")


def build_demo(clock=None) -> StoreData:
    data = StoreData(settings=Settings(), meta={"created": "2022-03-09", "demo": True, "store_id": "demo"})
    for step in _script():
        day, kind, *args = step
        kwargs = {"clock": clock} if clock else {}
        tracker = Tracker(data, user="Democratic Services Officer", as_of=_d(day), **kwargs)
        _apply(tracker, kind, args)
    return data


def _apply(t: Tracker, kind: str, args: list) -> None:
    if kind == "plans":
        t.add_plan("SUFF", "Sufficiency Action Plan", board=BOARD,
                   owner="Specialist Commissioning & Procurement Senior Manager", start=_d("01/04/2021"),
                   end=_d("31/03/2024"))
        t.add_plan("PERM", "Permanency Action Plan", board=BOARD, owner="Head of Corporate Parenting",
                   start=_d("01/04/2021"), end=_d("31/03/2024"))
        for key, themes in (("SUFF", SUFFICIENCY_THEMES), ("PERM", PERMANENCY_THEMES)):
            for number, (title, officer) in enumerate(themes, start=1):
                t.add_theme(key, number, title, officer)
    elif kind == "people":
        _people(t)
    elif kind == "indicator":
        code, title, unit, better, target, tolerance, theme, owner = args
        add_indicator(t, code, title, unit=unit, better=better, target=target, tolerance=tolerance,
                      owner=owner, plan=theme.split(".")[0], theme=theme)
    elif kind == "record":
        code, period, value, england, neighbours = args
        record_value(t, code, period, value, england=england, neighbours=neighbours)
    elif kind == "indicator-link":
        code, ref = args
        link_action(t, code, ref)
    elif kind == "add":
        theme, title, owner, due, extra = args
        t.add_action(theme, title, owner=owner, due=_d(due), **extra)
    elif kind == "milestone":
        ref, title, due = args
        t.add_milestone(ref, title, _d(due))
    elif kind == "milestone-done":
        ref, number, on = args
        t.milestone_done(ref, number, _d(on))
    elif kind == "rag":
        ref, rag, note = args
        t.update_action(ref, rag=rag, note=note)
    elif kind == "update":
        ref, fields = args
        t.update_action(ref, **fields)
    elif kind == "complete":
        ref, on, note = args
        t.complete(ref, on=_d(on), note=note)
    elif kind == "reschedule":
        ref, due, reason = args
        t.reschedule(ref, _d(due), reason)
    elif kind == "meeting":
        body, day, prefix = args
        t.add_meeting(body, _d(day), prefix)
    elif kind == "resolution":
        body, meeting, minute, text, owner, due, actions = args
        nxt = due == "next-meeting"
        t.add_resolution(body, _d(meeting), minute, text, owner=owner, due=None if nxt else _d(due),
                         next_meeting=nxt, actions=actions)
    else:  # pragma: no cover - the script above is the only caller
        raise ValueError(kind)
