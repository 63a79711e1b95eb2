"""`theme add`, `theme update` and `theme list`."""

from __future__ import annotations

import click

from actiontrack.commands.columns import Column
from actiontrack.commands.common import App, Counting, format_option, pass_app
from actiontrack.commands.completion import complete_plans, complete_themes
from actiontrack.commands.output import emit_rows

THEME_KEYS = ["theme", "plan", "number", "title", "officer", "actions", "open"]
THEME_COLUMNS = [
    Column("theme", "Theme"), Column("title", "Title", wrap=True), Column("officer", "Accountable officer", wrap=True),
    Column("actions", "Actions"), Column("open", "Open"),
]


@click.group()
def theme():
    """Add, change and list a plan's themes and accountable officers.

    \b
    Example:
      actiontrack theme add SUFF 1 "Strengthening Commissioning" \\
          --officer "Head of Commissioning"
    """


@theme.command("add")
@click.argument("key", shell_complete=complete_plans)
@click.argument("number", type=Counting("a theme number", 999))
@click.argument("title")
@click.option("--officer", required=True, help="The accountable officer for the theme (a role title).")
@pass_app
def theme_add(app: App, key, number, title, officer):
    """Add theme NUMBER to plan KEY with its accountable officer.

    \b
    Example:
      actiontrack theme add SUFF 2 "Increasing Placements Close to Home" \\
          --officer "Head of Placements"
    """
    with app.change() as tracker:
        new = tracker.add_theme(key, number, title, officer)
    click.echo(new.key)


@theme.command("update")
@click.argument("key", shell_complete=complete_themes)
@click.option("--title", help="Its new title.")
@click.option("--officer", help="The new accountable officer (a role title).")
@click.option("--note", help="Why: kept in the history.")
@pass_app
def theme_update(app: App, key, title, officer, note):
    """Change theme KEY's (PLAN.N) title or accountable officer.

    \b
    Example:
      actiontrack theme update SUFF.2 --officer "Head of Placements" \\
          --note "Service restructure"
    """
    from actiontrack.changes.structure import update_theme

    with app.change() as tracker:
        changes = update_theme(tracker, key, title=title, officer=officer, note=note)
        shown = tracker.data.theme(key).key
    click.echo(f"Updated theme {shown}: " + "; ".join(f"{c.field} {c.old} -> {c.new}" for c in changes))


@theme.command("list")
@click.argument("key", required=False, shell_complete=complete_plans)
@format_option
@pass_app
def theme_list(app: App, key, fmt):
    """List themes, of every plan or of plan KEY.

    \b
    Example:
      actiontrack theme list SUFF
    """
    data = app.read()
    plan = data.plan(key).key if key else None
    rows = []
    counts = data.counts_by_theme()
    for t in sorted(data.themes.values(), key=lambda t: (t.plan, t.number)):
        if plan and t.plan != plan:
            continue
        actions, still_open = counts.get((t.plan, t.number), (0, 0))
        rows.append({"theme": t.key, **t.to_record(), "actions": actions, "open": still_open})
    emit_rows(rows, THEME_COLUMNS, fmt, title="Themes", csv_keys=THEME_KEYS,
              empty="No themes yet: add one with 'actiontrack theme add KEY NUMBER TITLE --officer NAME'.")
