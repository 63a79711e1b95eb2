"""`action add | update | edit | reschedule | complete | reopen | show | list`."""

from __future__ import annotations

from datetime import date

import click

from actiontrack.commands.columns import CSV_ITEM_KEYS, LIST_COLUMNS, display
from actiontrack.commands.common import UK_DATE, UK_DATE_OR_NONE_YET, App, NoDateYet, format_option, pass_app
from actiontrack.commands.completion import complete_themes
from actiontrack.commands.items import STATUS_CHOICE, Examples, register_verbs
from actiontrack.commands.output import emit_rows
from actiontrack.domain.vocabulary import RAGS
from actiontrack.reports.views import ItemFilter, select

# Stable sorts over rows already in plan, theme and number order: ties keep that order.
SORTS = {
    "ref": lambda r: 0,
    "due": lambda r: (r["due"] is None, r["due"] or date.max),
    "overdue": lambda r: -r["days_overdue"],
    "slippage": lambda r: -r["slippage_days"],
}
SORT_SAYS = {"ref": "", "due": ", soonest due first", "overdue": ", most days overdue first",
             "slippage": ", most days' slippage first"}




@click.group()
def action():
    """Add, update, reschedule, complete and list actions.

    \b
    Example:
      actiontrack action update SUFF-1.1 --status in-progress --rag amber \\
          --note "Draft out for comment"
    """


@action.command("add")
@click.argument("theme", shell_complete=complete_themes)
@click.argument("title")
@click.option("--owner", required=True, help="Who does the work (a role title).")
@click.option("--due", required=True, type=UK_DATE_OR_NONE_YET,
              help="The baseline due date, e.g. 30/11/2022 or 'November 2022'; 'Ongoing' or 'TBC' for none yet.")
@click.option("--success", help="Success criteria: what done looks like.")
@click.option("--finance", help="Financial implications or constraints.")
@click.option("--source", help="Where it came from, e.g. 'minute 22/7, 20 July 2022'.")
@pass_app
def action_add(app: App, theme, title, owner, due, success, finance, source):
    """Add an action to THEME (PLAN.N); prints its new ref alone.

    \b
    Example:
      actiontrack action add SUFF.1 \\
          "Full refresh of the Commissioning Action Plan" \\
          --owner "Specialist Commissioning Manager" --due "November 2022"
    """
    none_yet = due if isinstance(due, NoDateYet) else None
    with app.change() as tracker:
        new = tracker.add_action(theme, title, owner=owner, due=None if none_yet else due, success=success,
                                 finance=finance, source=source)
    click.echo(new.ref)
    if none_yet:  # said aside: scripts read the ref alone from stdout
        click.echo(f"{new.ref} has no due date yet ('{none_yet}'), so it is never overdue; give it one with "
                   f"'actiontrack action reschedule {new.ref} DATE --reason TEXT'", err=True)


@action.command("list")
@click.option("--plan", help="Only this plan (KEY).")
@click.option("--theme", help="Only this theme (PLAN.N).")
@click.option("--owner", help="Owner contains this text (any case).")
@click.option("--status", type=STATUS_CHOICE, help="Only this status.")
@click.option("--rag", type=click.Choice(RAGS, case_sensitive=False), help="Only this reported RAG.")
@click.option("--derived", type=click.Choice(RAGS + ("blue",), case_sensitive=False),
              help="Only this RAG as the dates imply it.")
@click.option("--open", "open_only", is_flag=True, help="Only open actions (not complete or dropped).")
@click.option("--due-within", metavar="4w", help="Only open actions due from now to this many days (d), weeks (w) "
              "or months (m) ahead.")
@click.option("--due-before", type=UK_DATE, help="Only open actions due before this date.")
@click.option("--stale", is_flag=True, help="Only actions with no update inside their update cycle.")
@click.option("--sort", type=click.Choice(SORTS), default="ref", show_default=True,
              help="ref: plan, theme and number; due: soonest first; overdue and slippage: most days first.")
@format_option
@pass_app
def action_list(app: App, plan, theme, owner, status, rag, derived, open_only, due_within, due_before, stale, sort,
                fmt):
    """List actions, filtered by plan, theme, owner, status, RAG, due date or staleness.

    \b
    Example:
      actiontrack action list --plan SUFF --open --owner "commissioning"
      actiontrack action list --due-within 4w --sort due
    """
    from actiontrack.dates import span_from
    from actiontrack.errors import ActionTrackError

    if due_within is not None and not due_within.strip():  # an unset variable in a script: not "no limit"
        raise click.BadParameter("is empty: give a period such as 4w, or leave the option out",
                                 param_hint="'--due-within'")
    data = app.read()
    flt = ItemFilter(plan=plan, theme=theme, owner=owner, status=status, rag=rag,
                     derived_rag=derived, open_only=open_only or bool(due_within or due_before))
    rows = select(data, flt, app.as_of)
    if due_within:
        try:
            until = span_from(due_within, app.as_of, back=False)
        except ActionTrackError as e:
            raise click.BadParameter(e.message, param_hint="'--due-within'") from None
        if until < app.as_of:
            raise click.BadParameter(f"{due_within} is before the as-of date: give a span ahead, e.g. 4w",
                                     param_hint="'--due-within'")
        rows = [r for r in rows if r["due"] is not None and app.as_of <= r["due"] <= until]
    if due_before:
        rows = [r for r in rows if r["due"] is not None and r["due"] < due_before]
    if stale:
        rows = [r for r in rows if r["stale"]]
    rows.sort(key=SORTS[sort])
    emit_rows(rows, LIST_COLUMNS, fmt, title=f"Actions as of {display(app.as_of)}{SORT_SAYS[sort]}",
              csv_keys=CSV_ITEM_KEYS, empty="No actions match.")


register_verbs(action, "action", Examples(
    update='actiontrack action update SUFF-1.1 --rag amber --note "Provider market review running late"',
    edit='actiontrack action edit SUFF-1.3 --title "Agree a business case with each new provider" --note "Board wording"',
    reschedule='actiontrack action reschedule SUFF-1.1 "Q4 2022/23" --reason "Awaiting market position statement"',
    complete='actiontrack action complete SUFF-4.2 --on 14/10/2022 --note "Staying Close launched"',
    reopen='actiontrack action reopen SUFF-4.2 --reason "Board did not sign off: evidence missing"',
    show="actiontrack action show SUFF-1.1 --format json",
))
