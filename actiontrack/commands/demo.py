"""`demo`: write the bundled example store and show what the weekly report finds."""

from __future__ import annotations

import os
import shlex

import click

from actiontrack.commands.columns import SLIPPAGE_COLUMNS, display
from actiontrack.commands.examples import command_lines
from actiontrack.commands.interrupts import saving
from actiontrack.commands.layout import rich_table
from actiontrack.commands.output import console
from actiontrack.demo import DEMO_AS_OF, build_demo
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.reports import listings
from actiontrack.reports.views import ItemFilter
from actiontrack.store import is_server_store, open_repository

DEFAULT_DEMO_STORE = "actiontrack-demo.json"
DEMO_TXN = "demo_txn"  # meta: the last change the demo was written with


@click.command()
@click.option("--store", "path", metavar="PATH",
              help="Where to write the example store (an earlier demo store there is replaced) "
                   f"[default: actiontrack's own --store if typed, else {DEFAULT_DEMO_STORE}].")
@click.option("--replace", is_flag=True,
              help="Write over a demo store that has changes of its own since it was written (a file store keeps them "
                   "as backup 1; a PostgreSQL store keeps no backups).")
@click.pass_context
def demo(ctx, path, replace):
    """Write the bundled example store and show its weekly slippage report.

    \b
    Example:
      actiontrack demo --store /tmp/demo.json
    """
    path = path or _typed_store(ctx) or DEFAULT_DEMO_STORE
    data = build_demo()
    if not is_server_store(path):  # a postgresql:// URL has no folder to make
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)  # as init does
        except FileExistsError:
            raise BadInput(f"cannot make the folder {folder}: a file of that name is in the way") from None
        except OSError as e:
            raise StoreProblem(f"cannot create the folder {folder}: {e.strerror}") from None
    replaced = os.path.exists(path)
    # The demo's own changes, counted so that a change made in it later is seen as someone's work.
    data.meta[DEMO_TXN] = data.meta.get("last_txn", 0)
    worked_in: list[int] = []

    def may_replace(existing) -> bool:
        if not existing.meta.get("demo"):
            return False
        last = existing.meta.get("last_txn", 0)
        if last > existing.meta.get(DEMO_TXN, last) and not replace:
            worked_in.append(last - existing.meta[DEMO_TXN])
            return False
        return True

    try:
        with saving():
            open_repository(path).replace(data, may_replace=may_replace)
    except StoreProblem as e:
        if "must not be replaced" not in e.message:
            raise
        if worked_in:  # found by a new-user trial: the README's tour is done in the demo store
            count = f"{worked_in[0]} change{'s' if worked_in[0] > 1 else ''}"
            raise BadInput(f"{path} is a demo store with {count} made in it since it was written: "
                           "add --replace to write a fresh demo over them, or choose another --store") from None
        raise StoreProblem(f"{path} holds a real store, not a demo: choose another --store") from None
    rows = listings.slippage(data, ItemFilter(), DEMO_AS_OF)
    out = console()
    # Wrapped to the terminal by words: an 80-column terminal would break them anywhere.
    click.echo(click.wrap_text(
        f"Wrote the example store to {path}: the Corporate Parenting Board's Sufficiency and "
        f"Permanency action plans ({len(data.actions)} actions, as entered through 2022) and "
        f"{len(data.resolutions)} committee resolutions with their meetings; and "
        f"{len(data.indicators)} scorecard indicators with 18 months of illustrative values "
        "(not the council's figures).", width=out.width) + "\n")
    if replaced:  # tried-out changes to an earlier demo are not lost without a word
        click.echo(f"The demo store that was there is now backup 1; to bring it back:\n"
                   f"  actiontrack --store {shlex.quote(path)} restore\n")
    out.print(rich_table(rows, SLIPPAGE_COLUMNS, f"Weekly slippage report as of {display(DEMO_AS_OF)}", out))
    # Each option with its value, so a line breaks between them, never inside one.
    store = [f"--store {shlex.quote(path)}"]
    shown = [*store, f"--as-of {DEMO_AS_OF.strftime('%d/%m/%Y')}"]
    click.echo("\nTry next:")
    for words in (
        [*shown, "overdue"],
        [*shown, "report"],
        [*shown, "log", '"Corporate Parenting Board"', "14/12/2022"],
        [*store, "--as-of 05/03/2018", "log", '"Corporate Parenting Panel"', "05/03/2018",
         "--format html", "--output panel-log.html"],
        [*shown, "action", "show", "SUFF-1.2"],
        [*shown, "scorecard"],
        [*shown, "action", "list", "--plan SUFF", "--open", "--format markdown"],
        [*shown, "slippage", "--format json", "--exit-code"],
        [*shown, "action", "update", "SUFF-1.2", "--rag amber", '--note "Refresh slipped to January"'],
    ):
        click.echo("\n".join(command_lines(["actiontrack", *words], out.width)))


def _typed_store(ctx: click.Context) -> str | None:
    """`actiontrack --store X demo` means X.  A store named only by ACTIONTRACK_STORE is
    the officer's real one: the demo goes beside them instead (and never replaces a real
    store wherever it is asked to go)."""
    parent = ctx.parent
    if parent is None or parent.get_parameter_source("store") != click.core.ParameterSource.COMMANDLINE:
        return None
    return parent.params.get("store")
