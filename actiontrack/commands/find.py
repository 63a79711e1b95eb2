"""`search` and `changes`: finding an item by what was written on it, and what moved lately."""

from __future__ import annotations

import click

from actiontrack.commands.columns import Column, display
from actiontrack.commands.common import App, format_option, pass_app
from actiontrack.commands.output import emit_rows
from actiontrack.errors import ActionTrackError

SEARCH_KEYS = ["ref", "kind", "title", "owner", "status", "score", "found_in", "snippet"]
SEARCH_COLUMNS = [
    Column("ref", "Ref"), Column("title", "Title", wrap=True), Column("owner", "Owner", wrap=True, optional=True),
    Column("found_in", "Found in", wrap=True), Column("snippet", "Where", wrap=True, optional=True),
]
CHANGE_KEYS = ["effective", "recorded_at", "user", "on_behalf_of", "via", "subject", "event", "what", "note", "txn"]
CHANGE_COLUMNS = [
    Column("effective", "When"), Column("user", "Who", wrap=True, show=lambda r: _who(r)),
    Column("subject", "Item", wrap=True), Column("event", "Change"),
    Column("what", "What", wrap=True), Column("note", "Why", wrap=True),
]


def _who(row: dict) -> str:
    if row["on_behalf_of"]:
        return f"{row['on_behalf_of']} (via {row['via']}; entered by {row['user']})"
    return row["user"]


@click.command()
@click.argument("text")
@format_option
@pass_app
def search(app: App, text, fmt):
    """Find actions and resolutions by the words on them: titles, commentary, minutes.

    Searched: titles, progress commentary, reasons for moves, minutes, owners, success
    criteria and financial notes, in any case; every word must be there somewhere.
    Best match first: a word in a title counts for more than one in a note.

    \b
    Example:
      actiontrack search "second home"
    """
    from actiontrack.reports.search import search as find

    rows = find(app.read(), text, app.as_of)
    emit_rows(rows, SEARCH_COLUMNS, fmt, title=f"'{text}': best match first", csv_keys=SEARCH_KEYS,
              empty=f"Nothing mentions '{text}'.")


@click.command()
@click.option("--since", default="7d", show_default=True, metavar="7d|DATE",
              help="From this many days (d), weeks (w) or months (m) before the as-of date, or from a date.")
@click.option("--plan", help="Only this plan's actions, themes and the plan itself.")
@click.option("--owner", help="Only items whose owner contains this text (any case).")
@click.option("--user", help="Only changes made (or entered, or returned) by this person.")
@format_option
@pass_app
def changes(app: App, since, plan, owner, user, fmt):
    """Every change across the store in time order: when, who, item, what, why.

    \b
    Example:
      actiontrack changes --since 7d --format markdown
    """
    from actiontrack.dates import span_from
    from actiontrack.reports.change_feed import FeedFilter
    from actiontrack.reports.change_feed import changes as feed

    try:
        start = span_from(since, app.as_of, back=True)
    except ActionTrackError as e:
        raise click.BadParameter(e.message, param_hint="'--since'") from None
    if start > app.as_of:
        raise click.BadParameter(f"{since} is after the as-of date {display(app.as_of)}", param_hint="'--since'")
    rows = feed(app.read(), FeedFilter(start, app.as_of, plan, owner, user), for_people=fmt not in ("json", "csv"))
    emit_rows(rows, CHANGE_COLUMNS, fmt, title=f"Changes from {display(start)} to {display(app.as_of)}",
              csv_keys=CHANGE_KEYS, empty=f"No changes from {display(start)} to {display(app.as_of)}.")
