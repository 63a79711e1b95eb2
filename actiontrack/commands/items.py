"""The verbs actions and resolutions share: update, edit, reschedule, complete, reopen, show.

Registered on both groups by `register_verbs`, so `actiontrack action update SUFF-1.1`
and `actiontrack resolution update R-12` are one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from actiontrack.commands.columns import CSV_ITEM_KEYS, DUE, Column, display
from actiontrack.commands.common import UK_DATE, App, format_option, long_option, pass_app, taken_as_value
from actiontrack.commands.completion import complete_refs
from actiontrack.commands.examples import HELP_WIDTH, command_lines, shell_words
from actiontrack.commands.layout import rich_table
from actiontrack.commands.output import console, output_option, to_csv, to_json, to_markdown
from actiontrack.commands.wrapping import whole_dates
from actiontrack.dates import parse_iso
from actiontrack.domain import rules
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import RAGS, STATUSES
from actiontrack.errors import BadInput
from actiontrack.reports.views import detail_view, value_text


class _SpokenChoice(click.Choice):
    """A choice in any case, with spaces for hyphens: "In progress" is in-progress, as a
    return's drop-down list and an imported sheet say it (a trial had it refused here only)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and long_option(value):  # `--status --rag`: an option taken as its value
            self.fail(taken_as_value(value), param, ctx)
        if isinstance(value, str):
            try:
                return super().convert("-".join(value.replace("-", " ").split()), param, ctx)
            except click.BadParameter:
                pass  # refused as typed, not as respelt here
        return super().convert(value, param, ctx)


STATUS_CHOICE = _SpokenChoice(STATUSES, case_sensitive=False)
RAG_CHOICE = _SpokenChoice(RAGS + ("none",), case_sensitive=False)  # and `--rag --note` says so


@dataclass(frozen=True)
class Examples:
    """The example lines each noun's --help shows (actions and resolutions share the commands)."""

    update: str
    edit: str
    reschedule: str
    complete: str
    reopen: str
    show: str


def _help(summary: str, example: str) -> str:
    lines = "\n".join(command_lines(shell_words(example), HELP_WIDTH))
    return f"{summary}\n\n\b\nExample:\n{lines}"


def lookup(data: StoreData, noun: str, ref: str):
    """The item, checked to be of the kind the command is about."""
    return data.action(ref) if noun == "action" else data.resolution(ref)


def register_verbs(group: click.Group, noun: str, examples: Examples) -> None:
    @group.command("update", help=_help(f"Update {_a(noun)}'s status, RAG, owner or commentary.", examples.update))
    @click.argument("ref", shell_complete=complete_refs)
    @click.option("--status", type=STATUS_CHOICE, help="Where the work is.")
    @click.option("--rag", type=RAG_CHOICE, help="Your own RAG ('none' clears it).")
    @click.option("--note", help="Progress commentary; a note alone counts as an update.")
    @click.option("--owner", help="Hand it to someone else.")
    @click.option("--title", help="Reword it.")
    @click.option("--success", help="Reword the success criteria.")
    @click.option("--finance", help="Reword the financial implications.")
    @_link_option(noun)
    @pass_app
    def update(app: App, ref, status, rag, note, owner, title, success, finance, link=(), indicator=None):
        with app.change() as tracker:
            updated = lookup(tracker.data, noun, ref)
            if indicator is not None and not indicator.strip():  # a trial's "" said "Updated", and did nothing
                raise BadInput("--indicator names no indicator: give its code (see 'actiontrack indicator list')")
            if indicator:  # the scorecard measure this action is meant to move
                from actiontrack.changes.indicators import link_action

                link_action(tracker, indicator, ref)
            if indicator is None or any(v is not None for v in (status, rag, note, owner, title, success, finance)):
                updated = tracker.update_action(ref, status=status, rag=rag, note=note, owner=owner, title=title,
                                                success=success, finance=finance, link=list(link))
        click.echo(f"Updated {updated.ref}")

    @group.command("edit", help=_help(
        f"Reword {_a(noun)}: title, owner, success criteria, financial implications, source.", examples.edit))
    @click.argument("ref", shell_complete=complete_refs)
    @click.option("--title", help="New wording.")
    @click.option("--owner", help="Who now does the work (a role title).")
    @click.option("--success-criteria", "success", help="What done looks like.")
    @click.option("--financial", "finance", help="Financial implications or constraints.")
    @click.option("--source", help="Where it came from, e.g. 'minute 22/7, 20 July 2022'.")
    @click.option("--note", help="Why: kept in the history.")
    @pass_app
    def edit(app: App, ref, title, owner, success, finance, source, note):
        from actiontrack.changes.structure import edit_item

        with app.change() as tracker:
            lookup(tracker.data, noun, ref)
            edited = edit_item(tracker, ref, note, title=title, owner=owner, success=success, finance=finance,
                               source=source)
            fields = ", ".join(c.field for c in edited.history[-1].changes)
        click.echo(f"Edited {edited.ref}: {fields}")

    @group.command("reschedule", help=_help(
        f"Move {_a(noun)}'s due date; the baseline stays, so slippage still shows.", examples.reschedule))
    @click.argument("ref", shell_complete=complete_refs)
    @click.argument("due", type=UK_DATE)
    @click.option("--reason", required=True, help="Why the date moves; committees ask for every reason.")
    @pass_app
    def reschedule(app: App, ref, due, reason):
        with app.change() as tracker:
            first = lookup(tracker.data, noun, ref).due is None
            moved = tracker.reschedule(ref, due, reason)
            count = rules.reschedules(moved)  # the count `show` and every report give
        if first:
            click.echo(f"Scheduled {moved.ref} for {display(moved.due)} (its first date, and so its baseline)")
        else:
            click.echo(f"Rescheduled {moved.ref} to {display(moved.due)} (moved {count} time{'s' if count != 1 else ''})")
        if due < app.as_of:  # taken as typed (an extension recorded late is real), but a slipped year shows
            late = (app.as_of - due).days
            click.echo(f"Note: {display(due)} is before the as-of date {display(app.as_of)}: {moved.ref} is "
                       f"{late} day{'s' if late != 1 else ''} overdue already{' (a mistyped year?)' * (late > 180)}",
                       err=True)

    @group.command("complete", help=_help(f"Mark {_a(noun)} complete.", examples.complete))
    @click.argument("ref", shell_complete=complete_refs)
    @click.option("--on", "on", type=UK_DATE, help="The day it was completed [default: the as-of date].")
    @click.option("--note", help="What was delivered.")
    @pass_app
    def complete(app: App, ref, on, note):
        with app.change() as tracker:
            lookup(tracker.data, noun, ref)
            done = tracker.complete(ref, on=on, note=note)
        click.echo(f"Completed {done.ref} on {display(done.completed_on)}")

    @group.command("reopen", help=_help(f"Reopen a complete or dropped {noun}.", examples.reopen))
    @click.argument("ref", shell_complete=complete_refs)
    @click.option("--reason", required=True, help="Why it is open again.")
    @pass_app
    def reopen(app: App, ref, reason):
        with app.change() as tracker:
            lookup(tracker.data, noun, ref)
            reopened = tracker.reopen(ref, reason)
        click.echo(f"Reopened {reopened.ref}")

    @group.command("show", help=_help(f"Show one {noun} in full, with its history.", examples.show))
    @click.argument("ref", shell_complete=complete_refs)
    @format_option
    @output_option
    @pass_app
    def show(app: App, ref, fmt, output):
        data = app.read()
        view = detail_view(data, lookup(data, noun, ref), app.as_of)
        if fmt == "json":
            click.echo(to_json(view))
        elif fmt == "csv":
            click.echo(to_csv([view], CSV_ITEM_KEYS + ["success", "finance", "source"]), nl=False)
        elif fmt == "markdown":
            click.echo(_show_markdown(view))
        else:
            _show_table(view)


def _link_option(noun: str):
    if noun != "resolution":
        return click.option("--indicator", metavar="CODE", help="The scorecard indicator this action is meant to move.")
    return click.option("--action", "link", multiple=True, metavar="REF",
                        help="A plan action this resolution spawned (repeatable).")


def _fields(view: dict) -> list[tuple[str, object]]:
    if view["kind"] == "resolution":
        where = [("Committee", view["body"]), ("Meeting", view["meeting"]), ("Minute", view["minute"]),
                 ("Resolution", view["title"]), ("Actions spawned", ", ".join(view["links"]))]
    else:
        where = [("Action", view["title"]), ("Theme", f"{view['theme']} {view['theme_title'] or ''}"),
                 ("From resolutions", ", ".join(view["links"]))]
    return [
        ("Ref", view["ref"]), *where, ("Owner", view["owner"]),
        ("Status", view["status"]), ("Reported RAG", view["rag"] or "not set"),
        ("Dates say", view["derived_rag"] or "n/a"),
        ("Baseline due", view["baseline_due"]), ("Due", DUE.value(view)),
        ("Completed", view["completed_on"]), ("Days overdue", view["days_overdue"]),
        ("Slippage (days)", view["slippage_days"]), ("Times moved", view["reschedules"]),
        ("Last update", view["last_update"]), ("Stale", "yes" if view["stale"] else "no"),
        ("Success criteria", view["success"]), ("Financial implications", view["finance"]),
        ("Source", view["source"]),
    ]


def _history_rows(view: dict) -> list[dict]:
    rows = []
    for h in view["history"]:
        what = "; ".join(f"{c['field']}: {value_text(c['old'])} -> {value_text(c['new'])}" for c in h["changes"])
        who = h["user"]
        if h.get("on_behalf_of"):  # an owner's words, entered by someone else
            who = f"{h['on_behalf_of']} (via {h['via']}; entered by {h['user']})"
        rows.append({"effective": parse_iso(h["effective"]), "user": who, "event": h["event"],
                     "what": what, "note": h["note"]})
    return rows


HISTORY_COLUMNS = [Column("effective", "When"), Column("user", "Who", wrap=True), Column("event", "What"),
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

    out = console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in _fields(view):
        grid.add_row(label, whole_dates(display(value)))
    out.print(grid)
    if view["milestones"]:
        out.print(rich_table(view["milestones"], MILESTONE_COLUMNS, "Milestones", out))
    out.print(rich_table(_history_rows(view), HISTORY_COLUMNS, "History", out))


def _a(noun: str) -> str:
    """'an action', 'a resolution': help text reads as English."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
