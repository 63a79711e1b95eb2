"""`plan add`, `plan update` and `plan list`."""

from __future__ import annotations

import click

from actiontrack.commands.columns import Column
from actiontrack.commands.common import UK_DATE, App, format_option, pass_app
from actiontrack.commands.completion import complete_plans
from actiontrack.commands.output import emit_rows

PLAN_KEYS = ["key", "title", "board", "owner", "start", "end", "cycle_days", "themes", "actions", "open"]
PLAN_COLUMNS = [
    Column("key", "Plan"), Column("title", "Title", wrap=True), Column("board", "Board", wrap=True),
    Column("owner", "Owner", wrap=True),
    Column("themes", "Themes"), Column("actions", "Actions"), Column("open", "Open"),
    Column("cycle_days", "Update cycle (days)"),
]


@click.group()
def plan():
    """Add, change and list action plans.

    \b
    Example:
      actiontrack plan add SUFF "Sufficiency Action Plan" \\
          --board "Corporate Parenting Board"
    """


@plan.command("add")
@click.argument("key")
@click.argument("title")
@click.option("--board", help="The board or panel the plan reports to.")
@click.option("--owner", help="Who owns the plan as a whole (a role title).")
@click.option("--start", type=UK_DATE, help="When the plan starts.")
@click.option("--end", type=UK_DATE, help="When the plan ends.")
@click.option("--cycle", type=int, metavar="DAYS", help="Update cycle for this plan's actions [default: the store's].")
@pass_app
def plan_add(app: App, key, title, board, owner, start, end, cycle):
    """Add a plan with a short KEY (letters and digits) and a TITLE.

    \b
    Example:
      actiontrack plan add PERM "Permanency Action Plan" \\
          --board "Corporate Parenting Board" \\
          --owner "Head of Corporate Parenting"
    """
    with app.change() as tracker:
        new = tracker.add_plan(key, title, board=board, owner=owner, start=start, end=end, cycle_days=cycle)
    click.echo(new.key)


@plan.command("update")
@click.argument("key", shell_complete=complete_plans)
@click.option("--title", help="Its new title.")
@click.option("--board", help="The board or panel it now reports to.")
@click.option("--owner", help="Who now owns the plan as a whole.")
@click.option("--cycle", type=int, metavar="DAYS", help="A new update cycle for its actions.")
@click.option("--note", help="Why: kept in the history.")
@pass_app
def plan_update(app: App, key, title, board, owner, cycle, note):
    """Change plan KEY's title, board, owner or update cycle.

    \b
    Example:
      actiontrack plan update SUFF \\
          --board "Children and Young People's Partnership Board" \\
          --note "Board renamed"
    """
    from actiontrack.changes.structure import update_plan

    with app.change() as tracker:
        changes = update_plan(tracker, key, title=title, board=board, owner=owner, cycle_days=cycle, note=note)
    click.echo(f"Updated plan {key.strip().upper()}: " + "; ".join(f"{c.field} {c.old or '(none)'} -> {c.new}" for c in changes))


@plan.command("list")
@format_option
@pass_app
def plan_list(app: App, fmt):
    """List the plans with counts of themes and actions.

    \b
    Example:
      actiontrack plan list --format markdown
    """
    data = app.read()
    rows = []
    by_plan: dict[str, list[int]] = {}
    for (plan_key, _), (actions, still_open) in data.counts_by_theme().items():
        tally = by_plan.setdefault(plan_key, [0, 0])
        tally[0] += actions
        tally[1] += still_open
    for p in sorted(data.plans.values(), key=lambda p: p.key):
        actions, still_open = by_plan.get(p.key, (0, 0))
        row = p.to_record()
        row.pop("created")
        row.update(
            cycle_days=data.cycle_days_for_plan(p.key),
            themes=sum(1 for t in data.themes.values() if t.plan == p.key),
            actions=actions, open=still_open,
        )
        rows.append(row)
    emit_rows(rows, PLAN_COLUMNS, fmt, title="Plans", csv_keys=PLAN_KEYS,
              empty="No plans yet: add one with 'actiontrack plan add KEY TITLE'.")
