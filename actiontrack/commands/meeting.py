"""`meeting add | update | cancel | list`."""

from __future__ import annotations

import click

from actiontrack.commands.columns import Column, display
from actiontrack.commands.common import UK_DATE, App, format_option, pass_app
from actiontrack.commands.output import emit_rows
from actiontrack.domain.refs import body_key

MEETING_KEYS = ["body", "date", "prefix", "resolutions", "open"]
MEETING_COLUMNS = [
    Column("body", "Committee", wrap=True), Column("date", "Date"), Column("prefix", "Minute prefix"),
    Column("resolutions", "Resolutions"), Column("open", "Open"),
]


class _MeetingGroup(click.Group):
    """`meeting`: its summary says "move", and the command that moves one is `update`."""

    def resolve_command(self, ctx, args):
        # A second new-user trial typed `meeting move`, and was told only "No such command".
        if args and args[0] == "move":
            ctx.fail("No such command 'move': a meeting moves with 'actiontrack meeting update BODY DATE --date NEW'")
        return super().resolve_command(ctx, args)


@click.group(cls=_MeetingGroup)
def meeting():
    """Add, move, cancel and list committee meetings.

    \b
    Example:
      actiontrack meeting add "Corporate Parenting Panel" 05/03/2018 \\
          --prefix CPP/18
    """


@meeting.command("add")
@click.argument("body")
@click.argument("date", type=UK_DATE)
@click.option("--prefix", help="Minute prefix, e.g. CPP/17, so minute 35 reads CPP/17/35.")
@click.option("--new", is_flag=True, help="BODY really is a new committee, though its name is close to one known.")
@pass_app
def meeting_add(app: App, body, date, prefix, new):
    """Add a meeting of committee BODY on DATE.

    Resolutions due at this committee's "next meeting" get this date.

    \b
    Example:
      actiontrack meeting add "Corporate Parenting Board" 14/12/2022
    """
    with app.change() as tracker:
        from actiontrack.changes.meetings import after_a_cancelled

        added, dated = tracker.add_meeting(body, date, prefix, new=new)
        dated += after_a_cancelled(tracker, added)  # what was left due on a cancelled meeting's day
    click.echo(f"{added.body}, {display(added.date)}")
    for r in dated:
        click.echo(f"{r.ref} is now due {display(r.due)} (next meeting)")


@meeting.command("update")
@click.argument("body")
@click.argument("date", type=UK_DATE)
@click.option("--date", "new_date", type=UK_DATE, help="The meeting's new date.")
@click.option("--prefix", help="A new minute prefix.")
@click.option("--note", help="Why: kept in the history.")
@pass_app
def meeting_update(app: App, body, date, new_date, prefix, note):
    """Move BODY's meeting of DATE, or change its minute prefix.

    Resolutions due at it ("next meeting") move with it, and so do those made at it.

    \b
    Example:
      actiontrack meeting update "Corporate Parenting Board" 14/12/2022 \\
          --date 11/01/2023 --note "Moved for the election"
    """
    from actiontrack.changes.meetings import update_meeting

    with app.change() as tracker:
        changed, moved = update_meeting(tracker, body, date, new_date=new_date, prefix=prefix, note=note)
    click.echo(f"{changed.body}, {display(changed.date)}" + (f" (minute prefix {changed.prefix})" if changed.prefix else ""))
    for line in moved:
        click.echo(line)


@meeting.command("cancel")
@click.argument("body")
@click.argument("date", type=UK_DATE)
@click.option("--note", required=True, help="Why it was cancelled: kept in the history.")
@pass_app
def meeting_cancel(app: App, body, date, note):
    """Cancel BODY's meeting of DATE; what was due at it falls due at the meeting after.

    \b
    Example:
      actiontrack meeting cancel "Corporate Parenting Board" 14/12/2022 \\
          --note "Not quorate"
    """
    from actiontrack.changes.meetings import cancel_meeting

    with app.change() as tracker:
        moved = cancel_meeting(tracker, body, date, note)
    click.echo(f"Cancelled the meeting of {display(date)}")
    for line in moved:
        click.echo(line)


@meeting.command("list")
@click.argument("body", required=False)
@format_option
@pass_app
def meeting_list(app: App, body, fmt):
    """List meetings, of every committee or of BODY.

    \b
    Example:
      actiontrack meeting list "Corporate Parenting Panel"
    """
    data = app.read()
    name = data.body_name(body) if body else None
    rows = []
    by_meeting: dict[tuple, list] = {}  # one pass over the resolutions, not one per meeting
    for r in data.resolutions.values():
        by_meeting.setdefault((body_key(r.body), r.meeting), []).append(r)
    for m in sorted(data.meetings.values(), key=lambda m: (body_key(m.body), m.date)):
        if name and body_key(m.body) != body_key(name):
            continue
        arising = by_meeting.get((body_key(m.body), m.date), [])
        rows.append({"body": m.body, "date": m.date, "prefix": m.prefix, "resolutions": len(arising),
                     "open": sum(1 for r in arising if not r.is_closed)})
    emit_rows(rows, MEETING_COLUMNS, fmt, title="Meetings", csv_keys=MEETING_KEYS,
              empty="No meetings yet: add one with 'actiontrack meeting add BODY DATE'.")
