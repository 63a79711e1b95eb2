"""`log BODY DATE`: the clerk's action log for a meeting, ready to table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import click

from actiontrack.commands.columns import (
    BASELINE,
    CSV_ITEM_KEYS,
    DERIVED,
    DUE,
    MOVES,
    OVERDUE,
    OWNER,
    RAG,
    REF,
    SLIP,
    Column,
    display,
)
from actiontrack.commands.common import MEETING_DAY, App, formats, pass_app
from actiontrack.commands.layout import rich_table
from actiontrack.commands.output import console, md_text, output_option, to_csv, to_json, to_markdown
from actiontrack.commands.wrapping import whole_dates
from actiontrack.reports.actionlog import PART_TITLES, PARTS, action_log

LOG_FORMATS = ("table", "json", "csv", "markdown", "html")


def _where(row: dict) -> str:
    if row["kind"] == "resolution":
        return f"Minute {row['minute']}, {display(row['meeting'])}"
    return f"{row['theme']} {row['theme_title'] or ''}".strip()


def _moves(row: dict, day: Callable[[Any], str] = display) -> str:
    return "; ".join(f"{day(m['on'])}: {day(m['from']) or 'unscheduled'} -> {day(m['to'])} ({m['reason']})"
                     for m in row.get("moves", []))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


ITEM = Column("title", "Item", wrap=True)
# Sections B and C are about lateness and moves: their baseline, slippage and count stay on
# a narrow terminal (a row becomes a block before they go), where other listings drop them first.
KEPT_BASELINE, KEPT_SLIP, KEPT_MOVES = (replace(c, optional=False) for c in (BASELINE, SLIP, MOVES))
FROM = Column("where", "From", show=_where, wrap=True)
COLUMNS = {
    "due": [REF, ITEM, FROM, OWNER, DUE, Column("status", "Status"), RAG, DERIVED],
    "completed": [REF, ITEM, FROM, OWNER, KEPT_BASELINE, Column("completed_on", "Completed"), KEPT_SLIP],
    "extensions": [REF, ITEM, FROM, OWNER, KEPT_BASELINE, DUE, KEPT_MOVES, Column("moves", "Moves since last meeting",
                                                                        show=_moves, wrap=True)],
    "overdue": [REF, ITEM, FROM, OWNER, DUE, OVERDUE, RAG, DERIVED],
}
EMPTY = {"due": "Nothing falls due at this meeting.", "completed": "Nothing completed since the previous meeting.",
         "extensions": "No dates moved since the previous meeting.", "overdue": "Nothing overdue without an extension."}


@click.command()
@click.argument("body")
@click.argument("date", type=MEETING_DAY)
@formats(LOG_FORMATS, "table for people; json or csv for scripts; markdown or html for the papers.")
@output_option
@pass_app
def log(app: App, body, date, fmt, output):
    """The clerk's action log for a meeting, in four parts.

    A: live items due by this meeting; B: completed since the previous meeting, for
    sign-off; C: extensions since the previous meeting, with reasons; D: overdue with
    no extension. Use --as-of to reproduce the paper as it stood on a past day.

    \b
    Example:
      actiontrack log "Corporate Parenting Panel" 05/03/2018 --format html \\
          --output log.html
    """
    result = action_log(app.read(), body, date, app.as_of)
    title = f"{result['body']}: action log for the meeting on {display(result['meeting'])}"
    previous = display(result["previous_meeting"]) or "none recorded"
    meta = (f"Previous meeting: {previous}. Position as at {display(result['judged_on'])}. "
            f"{result['not_yet_due']} further live item(s) not yet due.")
    if fmt == "table":
        out = console()
        out.print(whole_dates(title), highlight=False)  # a date never split over two lines
        out.print(whole_dates(meta), highlight=False)
        for part in PARTS:
            rows = result["parts"][part]
            if rows:
                out.print(rich_table(rows, COLUMNS[part], PART_TITLES[part], out))
            else:
                out.print(f"\n{PART_TITLES[part]}: {EMPTY[part]}", markup=False, highlight=False)
        return
    click.echo(_render(result, fmt, title, meta), nl=False)


def _render(result: dict, fmt: str, title: str, meta: str) -> str:
    parts = result["parts"]
    if fmt == "json":
        return to_json(result) + "\n"
    if fmt == "csv":
        rows = [{"part": part, **row, "moves": _moves(row, _iso)} for part in PARTS for row in parts[part]]
        return to_csv(rows, ["part"] + CSV_ITEM_KEYS + ["moves"])
    if fmt == "markdown":
        sections = [f"# {md_text(title)}", "", md_text(meta), ""]
        for part in PARTS:
            sections.append(f"## {md_text(PART_TITLES[part])}\n")
            sections.append(to_markdown(parts[part], COLUMNS[part]) if parts[part] else f"_{EMPTY[part]}_\n")
        return "\n".join(sections)
    from actiontrack.commands.render import html

    return html.page(title, meta, [
        (PART_TITLES[p], html.table(parts[p], COLUMNS[p]) if parts[p] else html.none_line(EMPTY[p])) for p in PARTS
    ])
