"""The columns people see for actions; JSON and CSV always carry every key."""

from __future__ import annotations

from actiontrack.commands.output import Column
from actiontrack.reports.views import ACTION_KEYS, ITEM_KEYS

CSV_ACTION_KEYS = [k for k in ACTION_KEYS if k != "milestones"]
# Columns that came with resolutions go last, so scripts reading by position keep working.
CSV_NEW_KEYS = [k for k in ITEM_KEYS if k not in ACTION_KEYS]
CSV_ITEM_KEYS = CSV_ACTION_KEYS + CSV_NEW_KEYS


def _due(row: dict):
    if row["due"] is None and row.get("due_rule") == "next-meeting":
        return "next meeting (unscheduled)"
    return row["due"]


def _rag_check(row: dict) -> str:
    return "rosier than dates" if row["rag_mismatch"] else ""


def _late_milestones(row: dict) -> str:
    return ", ".join(f"M{m['number']} {m['title']}" for m in row["milestones"] if m["overdue"])


REF = Column("ref", "Ref")
TITLE = Column("title", "Action", wrap=True)
OWNER = Column("owner", "Owner", wrap=True)
STATUS = Column("status", "Status")
RAG = Column("rag", "Reported RAG", rag=True, optional=True)
DERIVED = Column("derived_rag", "Dates say", rag=True)
CHECK = Column("rag_mismatch", "Check", show=_rag_check, wrap=True, optional=True)
BASELINE = Column("baseline_due", "Baseline", optional=True)
DUE = Column("due", "Due", show=_due)
OVERDUE = Column("days_overdue", "Days overdue")
SLIP = Column("slippage_days", "Slippage (days)", optional=True)
MOVES = Column("reschedules", "Times moved", optional=True)
STALE = Column("stale", "Stale", optional=True)
LATE_MILESTONES = Column("milestones", "Milestones overdue", show=_late_milestones, wrap=True)

# Optional columns drop from the right first on a narrow terminal.
LIST_COLUMNS = [REF, TITLE, OWNER, STATUS, DUE, DERIVED, OVERDUE, RAG, CHECK, SLIP, MOVES, STALE]
OVERDUE_COLUMNS = [REF, TITLE, OWNER, DUE, OVERDUE, LATE_MILESTONES, DERIVED, RAG, CHECK]
SLIPPAGE_COLUMNS = [
    REF, TITLE, OWNER, Column("reasons", "Why", wrap=True), Column("new", "New"), DUE, DERIVED, BASELINE,
    SLIP, MOVES, Column("latest_reason", "Reason for latest move", wrap=True, optional=True),
]

COMMITTEE = Column("body", "Committee", wrap=True, optional=True)
MEETING_DATE = Column("meeting", "Meeting")
MINUTE = Column("minute", "Minute")
RESOLUTION_TEXT = Column("title", "Resolution", wrap=True)
LINKS = Column("links", "Actions", optional=True)
RESOLUTION_COLUMNS = [REF, MINUTE, MEETING_DATE, RESOLUTION_TEXT, OWNER, STATUS, DUE, DERIVED, OVERDUE, RAG,
                      CHECK, COMMITTEE, LINKS, MOVES]
