"""`resolution add | update | reschedule | complete | reopen | show | list`."""

from __future__ import annotations

from datetime import date

import click

from actiontrack.commands.columns import CSV_ITEM_KEYS, RESOLUTION_COLUMNS, display
from actiontrack.commands.common import MEETING_DAY, UK_DATE, App, UKDate, format_option, pass_app
from actiontrack.commands.items import STATUS_CHOICE, Examples, register_verbs
from actiontrack.commands.output import emit_rows
from actiontrack.dates import says_no_date
from actiontrack.reports.views import ItemFilter, select

NEXT_MEETING = "next-meeting"


class DueOrNextMeeting(UKDate):
    """A UK date, or `next-meeting`: due at the committee's next meeting."""

    name = "DATE|next-meeting"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.strip().lower().replace(" ", "-") == NEXT_MEETING:
            return NEXT_MEETING
        if isinstance(value, str) and says_no_date(value):  # "TBC": what minutes mean by "a future meeting"
            self.fail(f"'{value}' is not a date: a resolution is due on a date, or at the committee's next meeting "
                      "(--due next-meeting, dated once that meeting is scheduled)", param, ctx)
        return super().convert(value, param, ctx)


@click.group()
def resolution():
    """Record committee resolutions and actions arising, and follow them up.

    \b
    Example:
      actiontrack resolution add "Corporate Parenting Panel" 15/01/2018 35 \\
        "That the framework for the Peer review and the findings be reported" \\
        --owner "Head of Corporate Parenting" --due next-meeting
    """


@resolution.command("add")
@click.argument("body")
@click.argument("meeting", type=MEETING_DAY)
@click.argument("minute")
@click.argument("text")
@click.option("--owner", required=True, help="Who must act on it (a role title).")
@click.option("--due", required=True, type=DueOrNextMeeting(),
              help="A date, or next-meeting: due at the committee's next meeting, dated once it is scheduled.")
@click.option("--action", "actions", multiple=True, metavar="REF", help="A plan action it spawned (repeatable).")
@click.option("--success", help="What doing it looks like.")
@click.option("--source", help="Where it is written, e.g. the minutes' page.")
@pass_app
def resolution_add(app: App, body, meeting, minute, text, owner, due, actions, success, source):
    """Record a resolution of BODY's meeting on MEETING, minute MINUTE; prints its ref.

    \b
    Example:
      actiontrack resolution add "Corporate Parenting Board" 20/07/2022 22/6 \\
        "Ratio of agency social workers to be circulated after the meeting" \\
        --owner "Head of Corporate Parenting and Performance" --due 31/08/2022
    """
    with app.change() as tracker:
        new = tracker.add_resolution(
            body, meeting, minute, text, owner=owner, due=None if due == NEXT_MEETING else due,
            next_meeting=due == NEXT_MEETING, actions=list(actions), success=success, source=source)
    click.echo(new.ref)
    if new.due_next_meeting and new.due is None:
        click.echo(f"{new.ref} is due at the next meeting of {new.body}, not yet scheduled", err=True)


@resolution.command("list")
@click.option("--body", help="Only this committee.")
@click.option("--meeting", type=UK_DATE, help="Only resolutions of the meeting on this date (with --body).")
@click.option("--owner", help="Owner contains this text (any case).")
@click.option("--status", type=STATUS_CHOICE, help="Only this status.")
@click.option("--open", "open_only", is_flag=True, help="Only open resolutions.")
@format_option
@pass_app
def resolution_list(app: App, body, meeting: date | None, owner, status, open_only, fmt):
    """List resolutions, by committee, meeting, owner or status.

    \b
    Example:
      actiontrack resolution list --body "Corporate Parenting Panel" --open \\
          --format markdown
    """
    if meeting and not body:
        raise click.UsageError("--meeting needs --body (which committee met that day?)")
    flt = ItemFilter(body=body, meeting=meeting, owner=owner, status=status, open_only=open_only)
    rows = select(app.read(), flt, app.as_of, kind="resolution")
    emit_rows(rows, RESOLUTION_COLUMNS, fmt, title=f"Resolutions as of {display(app.as_of)}",
              csv_keys=CSV_ITEM_KEYS, empty="No resolutions match.")


register_verbs(resolution, "resolution", Examples(
    update='actiontrack resolution update R-1 --status in-progress --action SUFF-1.2 --note "Peer review booked"',
    edit='actiontrack resolution edit R-1 --owner "Head of Quality Assurance" --note "Peer review moved to QA"',
    reschedule='actiontrack resolution reschedule R-1 05/03/2018 --reason "Findings not back in time"',
    complete='actiontrack resolution complete R-1 --note "Reported to the Panel on 5 March"',
    reopen='actiontrack resolution reopen R-1 --reason "Panel asked for the benchmarking too"',
    show="actiontrack resolution show R-1",
))
