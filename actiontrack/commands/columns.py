"""The columns people see, and how a cell's value is shown: JSON and CSV always carry
every key; a table or markdown shows these columns, or those `--columns` chose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import click

from actiontrack.dates import uk
from actiontrack.patterns import Pattern
from actiontrack.reports.views import ACTION_KEYS, ITEM_KEYS

RAG_STYLES = {"red": "bold red", "amber": "bold yellow", "green": "green", "blue": "bold blue"}
_CONTROL = Pattern(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Column:
    """One column of a listing: the row key it shows, its header, and how it wraps or drops."""

    key: str
    header: str
    show: Callable[[dict], Any] | None = None  # derive the cell from the row
    rag: bool = False  # style the cell by its RAG value
    wrap: bool = False  # only free text wraps; refs, dates and numbers stay whole
    optional: bool = False  # dropped first when the terminal is too narrow for every column
    rich: Callable[[dict], Any] | None = None  # a rich renderable for terminal tables only

    def value(self, row: dict) -> Any:
        return self.show(row) if self.show else row.get(self.key)


def printable(text: str) -> str:
    """Drop terminal escape sequences and control characters (newlines become spaces)."""
    if text.isprintable():  # nearly always: skip the regular expression
        return text
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))


def display(value: Any) -> str:
    if type(value) is str:  # nearly every cell: a long plain table shows tens of thousands
        return printable(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, date):
        return _uk(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v) for v in value)
    return printable(str(value))


@lru_cache(maxsize=4096)
def _uk(day: date) -> str:
    # A listing shows the same few hundred dates again and again; strftime is the dear part.
    return uk(day)


def chosen_columns(columns: list[Column]) -> list[Column]:
    """The columns `--columns` named (by key or header, any case), in the order named: a clerk
    pasting `--columns ref,due,owner` into a paper wants them so (a new-user trial got Ref,
    Owner, Due).  A column named twice (by key and by header) is shown once."""
    ctx = click.get_current_context(silent=True)
    wanted = ctx.meta.get("actiontrack.columns") if ctx else None
    if wanted is None:
        return columns
    names = [w.strip().lower() for w in wanted.split(",") if w.strip()]
    if not names:  # a blank listing read as "nothing overdue"
        from actiontrack.errors import BadInput

        raise BadInput(f"--columns names no column: choose from {', '.join(c.key for c in columns)}")
    known = {n for c in columns for n in (c.key.lower(), c.header.lower())}
    unknown = [n for n in names if n not in known]
    if unknown:
        from actiontrack.errors import BadInput

        raise BadInput(f"no column {unknown[0]!r} here: choose from {', '.join(c.key for c in columns)}")
    chosen: list[Column] = []
    for name in names:
        column = next(c for c in columns if name in (c.key.lower(), c.header.lower()))
        if column not in chosen:
            chosen.append(column)
    return chosen


def refuse_columns_for(ctx: click.Context) -> None:
    """--columns with JSON or CSV: refused, not ignored (every key was printed, and a script
    reading the columns it asked for got others: a new-user trial's report).  Called as
    each of the two options is read, so whichever comes second sees the other, before
    the command runs (an import must not be saved, then refused)."""
    fmt = ctx.params.get("fmt")
    if isinstance(fmt, str) and fmt.lower() in ("json", "csv") and ctx.meta.get("actiontrack.columns") is not None:
        from actiontrack.errors import BadInput

        raise BadInput(f"--columns chooses a table's or markdown's columns; {fmt.upper()} gives every key "
                       "(take the ones wanted from it)")


def columns_option(func):
    """--columns: choose a listing's columns (kept in the context, read by chosen_columns)."""
    def remember(ctx, param, value):
        if value:  # given twice or more: all of them (the last alone left the others out without a word)
            ctx.meta["actiontrack.columns"] = ",".join(value)
            refuse_columns_for(ctx)

    return click.option("--columns", metavar="COL,COL", expose_value=False, callback=remember, multiple=True,
                        help="Only these columns, in this order, in a table or markdown (keys or headers).")(func)


CSV_ACTION_KEYS = [k for k in ACTION_KEYS if k != "milestones"]
# Columns that came with resolutions go last, so scripts reading by position keep working.
CSV_NEW_KEYS = [k for k in ITEM_KEYS if k not in ACTION_KEYS]
CSV_ITEM_KEYS = CSV_ACTION_KEYS + CSV_NEW_KEYS


def _due(row: dict):
    if row["due"] is None and row.get("due_rule") == "next-meeting":
        return "next meeting (unscheduled)"
    if row["due"] is None and row.get("kind", "action") == "action" and row.get("status") not in ("complete", "dropped"):
        return "none yet"  # added or imported as "Ongoing"/"TBC": said, not left blank
    return row["due"]


def _rag_check(row: dict) -> str:
    return "rosier than dates" if row["rag_mismatch"] else ""


def _late_milestones(row: dict) -> str:
    # With its date: an item not yet due may have a milestone months late, which the
    # "Days overdue" column (the item's own) does not show.
    return "; ".join(f"M{m['number']} {m['title']} (due {display(m['due'])})" for m in row["milestones"] if m["overdue"])


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
    # The report's own figure: kept while the baseline (which Due and it imply) goes.
    Column("slippage_days", "Slippage (days)"), MOVES,
    Column("latest_reason", "Reason for latest move", wrap=True, optional=True),
]

COMMITTEE = Column("body", "Committee", wrap=True, optional=True)
MEETING_DATE = Column("meeting", "Meeting")
MINUTE = Column("minute", "Minute")
RESOLUTION_TEXT = Column("title", "Resolution", wrap=True)
LINKS = Column("links", "Actions", optional=True)
RESOLUTION_COLUMNS = [REF, MINUTE, MEETING_DATE, RESOLUTION_TEXT, OWNER, STATUS, DUE, DERIVED, OVERDUE, RAG,
                      CHECK, COMMITTEE, LINKS, MOVES]
