"""`undo`, `restore` and `verify`: take back a change, bring back a whole earlier store,
or check that nobody has quietly rewritten the history."""

from __future__ import annotations

import click

from actiontrack.changes.undo import last_changes, undo_last, when
from actiontrack.commands.columns import Column
from actiontrack.commands.common import App, Counting, exit_code_option, finish, format_option, pass_app
from actiontrack.commands.interrupts import saving
from actiontrack.commands.output import emit_rows, say, to_json
from actiontrack.errors import StoreProblem


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would be reversed; change nothing.")
@click.option("--force", is_flag=True, help="Undo your last change even though someone else has changed the store since.")
@pass_app
def undo(app: App, dry_run, force):
    """Reverse your last change; again to walk further back.

    The undo is itself recorded in the history; nothing is deleted.  It reverses only
    your own changes, refuses to reverse a change someone else has built on, and refuses
    to walk back past anyone else's newer change unless --force.

    \b
    Example:
      actiontrack undo --dry-run && actiontrack undo
    """
    with app.change() as tracker:
        lines = undo_last(tracker, force=force)
        # An undone add's ref is never given again: a sheet imported again after its import is
        # undone numbers its rows after them (a new-user trial found out only then).
        retired = [r["record"]["ref"] for r in tracker.data.archive
                   if r.get("undone_by") == tracker.txn and r.get("kind") in ("action", "resolution")]
        if dry_run:
            tracker.discard()
    # Broken at the terminal's width: an import's undo said each row in a line of 250 columns.
    said = [f"{'Would undo' if dry_run else 'Undid'}: {line}" for line in lines]
    if retired:
        were = ("would be" if dry_run else "is now" if len(retired) == 1 else "are now")
        said.append(f"{', '.join(retired)} {were} retired: a ref is never given again, so a sheet imported "
                    "again numbers its rows after them.")
    say(said, hanging="    ")


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would be re-applied; change nothing.")
@pass_app
def redo(app: App, dry_run):
    """Re-apply the change your last undo took back.

    \b
    Example:
      actiontrack undo && actiontrack redo --dry-run && actiontrack redo
    """
    from actiontrack.changes.redo import redo_last

    with app.change() as tracker:
        lines, passed = redo_last(tracker)
        if dry_run:  # as undo --dry-run: worked out in full, then nothing saved
            tracker.discard()
    # An undo of an add, newer than the one redone, is passed over: said, not silently.
    would = "Would pass over" if dry_run else "Not redone"
    say([*(f"{would}: {line}" for line in passed), *(f"{'Would redo' if dry_run else 'Redid'}: {line}" for line in lines)],
        hanging="    ")


GENERATION_COLUMNS = [
    Column("generation", "Backup"), Column("saved_at", "Saved at", show=lambda r: when(r["saved_at"])),
    Column("actions", "Actions"), Column("last_change", "Its last change", wrap=True),
    Column("problem", "Problem", wrap=True, optional=True),
]


@click.command()
@click.argument("generation", required=False, default=1, type=Counting("a backup's number"))
@click.option("--list", "list_only", is_flag=True, help="List the backups instead of restoring one.")
@format_option
@pass_app
def restore(app: App, generation, list_only, fmt):
    """Bring back one of the store's backup generations (1 is the newest).

    The store as it was becomes backup 1, so a restore can itself be taken back.

    \b
    Example:
      actiontrack restore --list && actiontrack restore 2
    """
    repo = app.repository()
    if list_only:
        rows = repo.generations()
        if rows:
            try:
                said = last_changes(repo.load())
            except StoreProblem:
                said = {}  # a damaged store is what restore is for: list the backups all the same
            for row in rows:
                change = row.pop("last_seal", None) or row.get("last_txn") or 0
                if change not in said:  # the store is damaged, or the change was undone or restored away
                    said.update(_said_in_backup(row, app.store))
                row["last_change"] = said.get(change, "")
        emit_rows(rows, GENERATION_COLUMNS, fmt, title=f"Backups of {app.store}",
                  csv_keys=["generation", "saved_at", "actions", "last_txn", "last_change", "readable", "problem",
                            "path"],
                  empty=f"No backups of {app.store} yet.")
        return
    with saving():
        result = repo.restore(generation)
    click.echo(f"Restored backup {result['generation']} ({result['actions']} actions); "
               "the store as it was is now backup 1")


def _said_in_backup(row: dict, store: str) -> dict[int | str, str]:
    """What a backup file's own history says of its changes (a backup beside a JSON
    store is itself a store file); nothing where the backups live inside the store."""
    import os

    from actiontrack.store import open_repository

    path = row.get("path")
    if not row.get("readable") or not path or os.path.abspath(path) == os.path.abspath(store):
        return {}
    try:
        return last_changes(open_repository(path).load())
    except StoreProblem:
        return {}


PROBLEM_COLUMNS = [Column("problem", "What verify found", wrap=True)]


@click.command()
@format_option
@exit_code_option
@pass_app
def verify(app: App, fmt, exit_code):
    """Check the history for tampering: every entry altered, removed or inserted out of order.

    Each change is sealed with a hash of itself and of the change before it; this walks
    the whole chain.  Entries recorded before the chain began are counted, not checked.

    \b
    Example:
      actiontrack verify --exit-code
    """
    from actiontrack.domain.chain import verify as check

    verdict = check(app.repository().load())
    if fmt == "json":
        click.echo(to_json({"entries": verdict.entries, "unsealed": verdict.unsealed, "problems": verdict.problems,
                            "whole": not verdict.problems}))
    else:
        rows = [{"problem": p} for p in verdict.problems]
        sealed = verdict.entries - verdict.unsealed
        whole = (f"Verified {sealed} history entr{'y' if sealed == 1 else 'ies'}: the chain is whole."
                 + (f" {verdict.unsealed} from before the chain began cannot be checked." if verdict.unsealed else ""))
        emit_rows(rows, PROBLEM_COLUMNS, fmt, title=f"Tampering found in {app.store}", csv_keys=["problem"],
                  empty=whole)
    finish(bool(verdict.problems), exit_code)
