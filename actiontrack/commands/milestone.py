"""`milestone add | done | update | remove`."""

from __future__ import annotations

import click

from actiontrack.commands.columns import display
from actiontrack.commands.common import UK_DATE, App, Counting, pass_app
from actiontrack.commands.completion import complete_refs


@click.group()
def milestone():
    """Add milestones to an action, mark them done, redraw or remove them.

    \b
    Example:
      actiontrack milestone add SUFF-1.1 "Market position statement drafted" \\
          --due 30/09/2022
    """


@milestone.command("add")
@click.argument("ref", shell_complete=complete_refs)
@click.argument("title")
@click.option("--due", required=True, type=UK_DATE, help="When the milestone is due.")
@pass_app
def milestone_add(app: App, ref, title, due):
    """Add a milestone to action REF; prints its number.

    \b
    Example:
      actiontrack milestone add SUFF-1.1 "Consultation with providers" \\
          --due "October 2022"
    """
    with app.change() as tracker:
        new = tracker.add_milestone(ref, title, due)
        action = tracker.data.action(ref)
    click.echo(str(new.number))
    _after_its_action(action.ref, action.due, new.number, new.due)


@milestone.command("done")
@click.argument("ref", shell_complete=complete_refs)
@click.argument("number", type=Counting("a milestone number"))
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


@milestone.command("update")
@click.argument("ref", shell_complete=complete_refs)
@click.argument("number", type=Counting("a milestone number"))
@click.option("--title", help="Its new wording.")
@click.option("--due", type=UK_DATE, help="Its new due date.")
@click.option("--note", help="Why: kept in the history.")
@pass_app
def milestone_update(app: App, ref, number, title, due, note):
    """Redraw milestone NUMBER of REF: its wording or due date.

    \b
    Example:
      actiontrack milestone update SUFF-1.3 1 --due 30/11/2022 \\
          --note "Third provider's registration delayed"
    """
    from actiontrack.changes.structure import update_milestone

    with app.change() as tracker:
        changed = update_milestone(tracker, ref, number, title=title, due=due, note=note)
        action = tracker.data.action(ref)
    click.echo(f"Milestone {changed.number}: {changed.title}, due {display(changed.due)}")
    if due is not None:
        _after_its_action(action.ref, action.due, changed.number, changed.due)


def _after_its_action(ref: str, action_due, number: int, due) -> None:
    """Said aside (scripts read stdout), not refused: a plan redrawn milestone first may
    pass through it, but a step due after the whole is most often a slip of the pen."""
    if action_due is not None and due > action_due:
        click.echo(f"Note: milestone {number} is due {display(due)}, after {ref} itself ({display(action_due)}); "
                   f"move one of them if that is not meant", err=True)


@milestone.command("remove")
@click.argument("ref", shell_complete=complete_refs)
@click.argument("number", type=Counting("a milestone number"))
@click.option("--note", required=True, help="Why it is no longer wanted: kept in the history.")
@pass_app
def milestone_remove(app: App, ref, number, note):
    """Take milestone NUMBER off REF (the history keeps it; undo puts it back).

    \b
    Example:
      actiontrack milestone remove SUFF-1.3 1 \\
          --note "Superseded by the new commissioning timetable"
    """
    from actiontrack.changes.structure import remove_milestone

    with app.change() as tracker:
        gone = remove_milestone(tracker, ref, number, note)
    click.echo(f"Removed milestone {gone.number} ({gone.title})")
