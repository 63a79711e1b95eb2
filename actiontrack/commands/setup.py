"""`init` and `config`: create a store and set its thresholds."""

from __future__ import annotations

import os

import click

from actiontrack.changes.tracker import Tracker
from actiontrack.commands.common import App, formats, pass_app
from actiontrack.commands.interrupts import saving
from actiontrack.commands.output import output_option, to_json
from actiontrack.domain.migrations import new_store_id
from actiontrack.domain.storedata import Settings, StoreData
from actiontrack.errors import BadInput, StoreProblem
from actiontrack.store import is_server_store

SETTING_NAMES = {"tolerance-days": "tolerance_days", "cycle-days": "cycle_days", "backups": "backups",
                 "smtp-host": "smtp_host", "smtp-port": "smtp_port", "smtp-from": "smtp_from"}


@click.command()
@click.option("--tolerance", type=int, default=None, metavar="DAYS",
              help="Days overdue before the derived RAG turns red [default: 30].")
@click.option("--cycle", type=int, default=None, metavar="DAYS",
              help="Update cycle: an open action with no update for longer is stale [default: 31].")
@click.option("--shared", is_flag=True,
              help="Let the file's group read and write it (a team's store); otherwise only you can.")
@pass_app
def init(app: App, tolerance, cycle, shared):
    """Create a new, empty store (refuses to overwrite one).

    \b
    Example:
      actiontrack --store ~/cpb.json init --tolerance 30
    """
    if shared and is_server_store(app.store):
        raise BadInput("--shared is for a store file; a PostgreSQL store's access is its roles: "
                       "'actiontrack access grant LOGIN --role reader|officer|clerk'")
    repo = app.repository(shared=shared)
    data = StoreData(settings=Settings(),
                     meta={"created": app.as_of.isoformat(), "shared": shared, "store_id": new_store_id()})
    tracker = Tracker(data, user=repo.who(app.user, app.user_given), as_of=app.as_of)
    if tolerance is not None:
        tracker.set_setting("tolerance_days", tolerance)
    if cycle is not None:
        tracker.set_setting("cycle_days", cycle)
    made = ""
    if not is_server_store(app.store):
        folder = os.path.dirname(os.path.abspath(app.store))
        if not os.path.isdir(folder):  # said: a mistyped path made folders without a word (a new-user trial)
            made = f" (and the folder {folder} for it)"
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise StoreProblem(f"cannot create the folder {folder}: {e.strerror}") from None
    with saving():
        repo.create(data)
    click.echo(f"Created {app.store}{made}")


@click.command()
@click.argument("destination", type=click.Path(dir_okay=False))
@pass_app
def convert(app: App, destination):
    """Copy the whole store, history and all, into a new store file or database.

    A DESTINATION named .db, .sqlite or .sqlite3 is a SQLite store, which reads and
    updates one action at a time: the one for a county-wide store of thousands of
    actions.  A postgresql:// URL is a team store in that (existing, empty) database;
    any other name is a JSON store.  The store itself is left as it is, and an existing
    DESTINATION is never overwritten.

    \b
    Example:
      actiontrack convert ~/cpb.db && export ACTIONTRACK_STORE=~/cpb.db
    """
    from actiontrack.store import open_repository

    if os.path.abspath(destination) == os.path.abspath(app.store):
        raise BadInput("the destination is the store itself: give a new file")
    data = app.repository().load()
    data.check_copied()  # a record damaged by hand is named, not carried into the new store
    target = open_repository(destination, lock_timeout=app.lock_timeout, shared=bool(data.meta.get("shared")))
    with saving():
        target.create(data)
    # Everything counted that went (a trial missed the scorecard and the people).
    click.echo(f"Copied {len(data.actions)} action(s), {len(data.resolutions)} resolution(s), "
               f"{len(data.plans)} plan(s), {len(data.meetings)} meeting(s), {len(data.indicators)} indicator(s) "
               f"and {len(data.people)} person(s) into {destination}")


@click.command()
# NAME, not the choices, in the usage line: click broke "smtp-host" there at its hyphen.
@click.argument("name", required=False, type=click.Choice(sorted(SETTING_NAMES)), metavar="[NAME]")
@click.argument("value", required=False)
@formats(("table", "json"), "table for people; json for scripts.")
@output_option
@pass_app
def config(app: App, name, value, fmt, output):
    """Show the store's settings, or set one.

    NAME is one of: backups, cycle-days, smtp-from, smtp-host, smtp-port,
    tolerance-days.

    The smtp- settings are the mail server update returns are sent through; its user
    and password come from ACTIONTRACK_SMTP_USER and ACTIONTRACK_SMTP_PASSWORD when
    sending, never from the store.

    \b
    Example:
      actiontrack config tolerance-days 45
      actiontrack config smtp-from democratic.services@example.gov.uk
    """
    if name and value is not None:
        with app.change() as tracker:
            tracker.set_setting(SETTING_NAMES[name], value)
            settings = tracker.data.settings
    else:
        settings = app.read().settings
    shown = {**settings.to_record(), "smtp_host": settings.smtp_host, "smtp_port": settings.smtp_port,
             "smtp_from": settings.smtp_from}
    record = {k.replace("_", "-"): v for k, v in shown.items()}
    if name:
        record = {name: record[name]}
    if fmt == "json":
        click.echo(to_json(record))
    else:
        for k, v in record.items():
            click.echo(f"{k}: {'not set' if v is None else v}")
