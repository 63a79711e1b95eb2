"""`action add | update | reschedule | complete | reopen | show | list`."""

from __future__ import annotations

import click

from actiontrack.commands.columns import CSV_ACTION_KEYS, LIST_COLUMNS
from actiontrack.commands.common import UK_DATE, App, format_option, pass_app
from actiontrack.commands.output import (
    Column, console, display, emit_rows, rich_table, to_csv, to_json, to_markdown,
)
from actiontrack.dates import parse_iso
from actiontrack.models import RAGS, STATUSES
from actiontrack.views import ActionFilter, detail_view, select

STATUS_CHOICE = click.Choice(STATUSES, case_sensitive=False)
RAG_CHOICE = click.Choice(RAGS + ("none",), case_sensitive=False)


@click.group()
def action():
    """Add, update, reschedule, complete and list actions.

    \b
    Example:
      actiontrack action update SUFF-1.1 --status in-progress --rag amber --note "Draft out for comment"
    """


@action.command("add")
@click.argument("theme")
@click.argument("title")
@click.option("--owner", required=True, help="Who does the work (a role title).")
@click.option("--due", required=True, type=UK_DATE, help="The baseline due date, e.g. 30/11/2022 or 'November 2022'.")
@click.option("--success", help="Success criteria: what done looks like.")
@click.option("--finance", help="Financial implications or constraints.")
@click.option("--source", help="Where it came from, e.g. 'minute 22/7, 20 July 2022'.")
@pass_app
def action_add(app: App, theme, title, owner, due, success, finance, source):
    """Add an action to THEME (PLAN.N); prints its new ref alone.

    \b
    Example:
      actiontrack action add SUFF.1 "Full refresh of the Commissioning Action Plan" \\
        --owner "Specialist Commissioning Manager" --due "November 2022"
    """
    with app.change() as tracker:
        new = tracker.add_action(theme, title, owner=owner, due=due, success=success, finance=finance, source=source)
    click.echo(new.ref)


@action.command("update")
@click.argument("ref")
@click.option("--status", type=STATUS_CHOICE, help="Where the work is.")
@click.option("--rag", type=RAG_CHOICE, help="Your own RAG for the action ('none' clears it).")
@click.option("--note", help="Progress commentary; a note alone counts as an update.")
@click.option("--owner", help="Hand the action to someone else.")
@click.option("--title", help="Reword the action.")
@click.option("--success", help="Reword the success criteria.")
@click.option("--finance", help="Reword the financial implications.")
@pass_app
def action_update(app: App, ref, status, rag, note, owner, title, success, finance):
    """Update an action's status, RAG, owner or commentary.

    \b
    Example:
      actiontrack action update SUFF-1.1 --rag amber --note "Provider market review running late"
    """
    with app.change() as tracker:
        updated = tracker.update_action(ref, status=status, rag=rag, note=note, owner=owner, title=title,
                                        success=success, finance=finance)
    click.echo(f"Updated {updated.ref}")


@action.command("reschedule")
@click.argument("ref")
@click.argument("due", type=UK_DATE)
@click.option("--reason", required=True, help="Why the date moves; committees ask for every reason.")
@pass_app
def action_reschedule(app: App, ref, due, reason):
    """Move an action's due date; the baseline stays, so slippage still shows.

    \b
    Example:
      actiontrack action reschedule SUFF-1.1 "Q4 2022/23" --reason "Awaiting market position statement"
    """
    with app.change() as tracker:
        moved = tracker.reschedule(ref, due, reason)
        count = sum(1 for h in moved.history if h.event == "reschedule")
    click.echo(f"Rescheduled {moved.ref} to {display(moved.due)} (moved {count} time{'s' if count != 1 else ''})")


@action.command("complete")
@click.argument("ref")
@click.option("--on", "on", type=UK_DATE, help="The day it was completed [default: the as-of date].")
@click.option("--note", help="What was delivered.")
@pass_app
def action_complete(app: App, ref, on, note):
    """Mark an action complete.

    \b
    Example:
      actiontrack action complete SUFF-4.2 --on 14/10/2022 --note "Staying Close launched"
    """
    with app.change() as tracker:
        done = tracker.complete(ref, on=on, note=note)
    click.echo(f"Completed {done.ref} on {display(done.completed_on)}")


@action.command("reopen")
@click.argument("ref")
@click.option("--reason", required=True, help="Why the action is open again.")
@pass_app
def action_reopen(app: App, ref, reason):
    """Reopen a complete or dropped action.

    \b
    Example:
      actiontrack action reopen SUFF-4.2 --reason "Board did not sign off: evidence missing"
    """
    with app.change() as tracker:
        reopened = tracker.reopen(ref, reason)
    click.echo(f"Reopened {reopened.ref}")


@action.command("show")
@click.argument("ref")
@format_option
@pass_app
def action_show(app: App, ref, fmt):
    """Show one action in full, with milestones and history.

    \b
    Example:
      actiontrack action show SUFF-1.1 --format json
    """
    data = app.read()
    view = detail_view(data, data.action(ref), app.as_of)
    if fmt == "json":
        click.echo(to_json(view))
    elif fmt == "csv":
        keys = CSV_ACTION_KEYS + ["success", "finance", "source"]
        click.echo(to_csv([view], keys), nl=False)
    elif fmt == "markdown":
        click.echo(_show_markdown(view))
    else:
        _show_table(view)


def _fields(view: dict) -> list[tuple[str, object]]:
    return [
        ("Ref", view["ref"]), ("Action", view["title"]),
        ("Theme", f"{view['theme']} {view['theme_title'] or ''}"), ("Owner", view["owner"]),
        ("Status", view["status"]), ("Reported RAG", view["rag"] or "not set"),
        ("Dates say", view["derived_rag"] or "n/a"),
        ("Baseline due", view["baseline_due"]), ("Due", view["due"]),
        ("Completed", view["completed_on"]), ("Days overdue", view["days_overdue"]),
        ("Slippage (days)", view["slippage_days"]), ("Times moved", view["reschedules"]),
        ("Last update", view["last_update"]), ("Stale", "yes" if view["stale"] else "no"),
        ("Success criteria", view["success"]), ("Financial implications", view["finance"]),
        ("Source", view["source"]),
    ]


def _history_rows(view: dict) -> list[dict]:
    rows = []
    for h in view["history"]:
        what = "; ".join(f"{c['field']}: {_short(c['old'])} -> {_short(c['new'])}" for c in h["changes"])
        rows.append({"effective": parse_iso(h["effective"]), "user": h["user"], "event": h["event"],
                     "what": what, "note": h["note"]})
    return rows


def _short(value) -> str:
    if isinstance(value, dict):
        return value.get("title", "")
    return "-" if value is None else str(value)


HISTORY_COLUMNS = [Column("effective", "When"), Column("user", "Who"), Column("event", "What"),
                   Column("what", "Changes", wrap=True), Column("note", "Note / reason", wrap=True)]
MILESTONE_COLUMNS = [Column("number", "#"), Column("title", "Milestone", wrap=True), Column("due", "Due"),
                     Column("done_on", "Done"), Column("overdue", "Overdue")]


def _show_markdown(view: dict) -> str:
    parts = [to_markdown([{"field": k, "value": v} for k, v in _fields(view)],
                         [Column("field", "Field"), Column("value", "Value")], title=view["ref"])]
    if view["milestones"]:
        parts.append(to_markdown(view["milestones"], MILESTONE_COLUMNS, title="Milestones"))
    parts.append(to_markdown(_history_rows(view), HISTORY_COLUMNS, title="History"))
    return "\n".join(parts)


def _show_table(view: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in _fields(view):
        grid.add_row(label, Text(display(value)))
    out.print(grid)
    if view["milestones"]:
        out.print(rich_table(view["milestones"], MILESTONE_COLUMNS, "Milestones"))
    out.print(rich_table(_history_rows(view), HISTORY_COLUMNS, "History"))


@action.command("list")
@click.option("--plan", help="Only this plan (KEY).")
@click.option("--theme", help="Only this theme (PLAN.N).")
@click.option("--owner", help="Owner contains this text (any case).")
@click.option("--status", type=STATUS_CHOICE, help="Only this status.")
@click.option("--rag", type=click.Choice(RAGS, case_sensitive=False), help="Only this reported RAG.")
@click.option("--derived", type=click.Choice(RAGS + ("blue",), case_sensitive=False),
              help="Only this RAG as the dates imply it.")
@click.option("--open", "open_only", is_flag=True, help="Only open actions (not complete or dropped).")
@format_option
@pass_app
def action_list(app: App, plan, theme, owner, status, rag, derived, open_only, fmt):
    """List actions, filtered by plan, theme, owner, status or RAG.

    \b
    Example:
      actiontrack action list --plan SUFF --open --owner "commissioning"
    """
    data = app.read()
    flt = ActionFilter(plan=plan, theme=theme, owner=owner, status=status, rag=rag,
                       derived_rag=derived, open_only=open_only)
    rows = select(data, flt, app.as_of)
    emit_rows(rows, LIST_COLUMNS, fmt, title=f"Actions as of {display(app.as_of)}",
              csv_keys=CSV_ACTION_KEYS, empty="No actions match.")

