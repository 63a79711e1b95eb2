"""`person add | update | list`: owners' e-mail addresses, for update returns."""

from __future__ import annotations

import click

from actiontrack.changes.people import add_person, update_person
from actiontrack.commands.columns import Column
from actiontrack.commands.common import App, format_option, pass_app
from actiontrack.commands.output import emit_rows, say
from actiontrack.reports.chasing import people_rows

PERSON_KEYS = ["name", "email", "recorded", "open_items", "overdue", "stale"]
PERSON_COLUMNS = [
    Column("name", "Name (role title)", wrap=True),
    Column("email", "E-mail", show=lambda r: r["email"] or "no address"),
    Column("open_items", "Open items"), Column("overdue", "Overdue", optional=True),
    Column("stale", "Stale", optional=True),
]


@click.group()
def person():
    """Record owners' e-mail addresses, so update returns can reach them.

    NAME is the owner or officer title as typed on actions and resolutions; any case
    and spacing match.

    \b
    Example:
      actiontrack person add "Head of Resources and Placements" \\
          --email resources.placements@example.gov.uk
    """


@person.command("add")
@click.argument("name")
@click.option("--email", required=True, metavar="ADDRESS", help="Where their update returns go.")
@click.option("--new", is_flag=True, help="NAME really is someone new, though it is close to a name recorded.")
@pass_app
def person_add(app: App, name, email, new):
    """Record NAME (an owner's role title) and their e-mail address.

    \b
    Example:
      actiontrack person add "Head of Early Help" \\
          --email early.help@example.gov.uk
    """
    with app.change() as tracker:
        added = add_person(tracker, name, email, new=new)
    click.echo(f"Added {added.name} <{added.email}>")


@person.command("update")
@click.argument("name")
@click.option("--email", required=True, metavar="ADDRESS", help="Their new address.")
@pass_app
def person_update(app: App, name, email):
    """Change NAME's e-mail address.

    \b
    Example:
      actiontrack person update "Head of Early Help" \\
          --email early.help.service@example.gov.uk
    """
    with app.change() as tracker:
        changed = update_person(tracker, name, email)
    click.echo(f"{changed.name} is now <{changed.email}>")


@person.command("list")
@format_option
@pass_app
def person_list(app: App, fmt):
    """List everyone recorded, and every owner of open work, with what they hold.

    An owner with no address is listed with "no address": their returns cannot be sent.

    \b
    Example:
      actiontrack person list --format csv
    """
    rows = people_rows(app.read(), app.as_of)
    emit_rows(rows, PERSON_COLUMNS, fmt, title="People", csv_keys=PERSON_KEYS,
              empty="Nobody yet: add owners with 'actiontrack person add NAME --email ADDRESS'.")


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--plan", help="Only this plan's actions, themes and the plan itself.")
@click.option("--dry-run", is_flag=True, help="List what would move; change nothing.")
@pass_app
def reassign(app: App, old, new, plan, dry_run):
    """Hand everything open an officer holds to whoever replaces them, in one change.

    Everything OLD holds goes to NEW, as one change (one undo): open actions and
    resolutions, themes OLD is accountable officer for, and plans OLD owns.  Closed
    items keep their historical owner.

    \b
    Example:
      actiontrack reassign "Head of Resources and Placements" \\
          "Head of Placements and Sufficiency" --dry-run
    """
    from actiontrack.changes.structure import reassign as move

    with app.change() as tracker:
        moved = move(tracker, old, new, plan=plan)
        if dry_run:
            tracker.discard()
    verb = "Would move" if dry_run else "Moved"
    # At the terminal's width: a theme's or action's full title ran to 92 columns at 80.
    say([f"{verb} {len(moved)} to {new.strip()}:", *(f"  {line}" for line in moved.plans + moved.themes + moved.items)],
        hanging="      ")
