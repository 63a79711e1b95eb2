"""`milestone add` and `milestone done`."""

from __future__ import annotations

import click

from actiontrack.commands.columns import display
from actiontrack.commands.common import UK_DATE, App, pass_app


@click.group()
def milestone():
    """Add milestones to an action and mark them done.

    \b
    Example:
      actiontrack milestone add SUFF-1.1 "Market position statement drafted" --due 30/09/2022
    """


@milestone.command("add")
@click.argument("ref")
@click.argument("title")
@click.option("--due", required=True, type=UK_DATE, help="When the milestone is due.")
@pass_app
def milestone_add(app: App, ref, title, due):
    """Add a milestone to action REF; prints its number.

    \b
    Example:
      actiontrack milestone add SUFF-1.1 "Consultation with providers" --due "October 2022"
    """
    with app.change() as tracker:
        new = tracker.add_milestone(ref, title, due)
    click.echo(str(new.number))


@milestone.command("done")
@click.argument("ref")
@click.argument("number", type=click.IntRange(1))
@click.option("--on", "on", type=UK_DATE, help="The day it was done [default: the as-of date].")
@pass_app
def milestone_done(app: App, ref, number, on):
    """Mark milestone NUMBER of action REF done.

    \b
    Example:
      actiontrack milestone done SUFF-1.1 1 --on 28/09/2022
    """
    with app.change() as tracker:
        done = tracker.milestone_done(ref, number, on)
    click.echo(f"Milestone {done.number} done on {display(done.done_on)}")
