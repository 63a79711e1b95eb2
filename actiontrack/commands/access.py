"""`access grant`, `access revoke`, `access list`: who may do what in a team store.

The roles are the database's (see store/postgres_rows): these commands only ask it to
GRANT or REVOKE, so they work for the store's owner alone, and what a role may do is
enforced by the server whatever client an officer uses.
"""

from __future__ import annotations

import click

from actiontrack.commands.columns import Column
from actiontrack.commands.common import App, format_option, pass_app
from actiontrack.commands.output import emit_rows

ROLES = ("reader", "officer", "clerk")
MAY = {
    "owner": "everything, and grants the roles",
    "reader": "every report, listing and export; no change",
    "officer": "a reader's, and update status, RAG, commentary and milestones, reschedule, complete, undo",
    "clerk": "an officer's, and add and change plans, themes, actions, meetings and resolutions; import",
}
ACCESS_COLUMNS = [Column("login", "Login"), Column("role", "Role"), Column("may", "May", wrap=True)]


@click.group()
def access():
    """Who may read and change a team (PostgreSQL) store: reader, officer or clerk.

    \b
    Example:
      actiontrack access grant hrp_officer --role officer
    """


@access.command("grant")
@click.argument("login")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the login may do (see 'access list').")
@pass_app
def access_grant(app: App, login, role):
    """Give a database LOGIN one role in this store (made a login if it is not one yet).

    \b
    Example:
      actiontrack --store postgresql://admin@db.example.gov.uk/cpb access grant \\
          clerk1 --role clerk
    """
    app.repository().set_access(login, role)
    click.echo(f"{login} now has the {role} role: {MAY[role]}")


@access.command("revoke")
@click.argument("login")
@pass_app
def access_revoke(app: App, login):
    """Take every role in this store away from LOGIN (the login itself stays).

    \b
    Example:
      actiontrack access revoke clerk1
    """
    app.repository().set_access(login, None)
    click.echo(f"{login} has no role in this store now")


@access.command("list")
@format_option
@pass_app
def access_list(app: App, fmt):
    """List each login with a role in this store, and what the role may do.

    \b
    Example:
      actiontrack access list --format markdown
    """
    rows = [{**row, "may": MAY[row["role"]]} for row in app.repository().access()]
    emit_rows(rows, ACCESS_COLUMNS, fmt, title="Access", csv_keys=["login", "role", "may"],
              empty="No logins have a role yet: 'actiontrack access grant LOGIN --role reader|officer|clerk'.")
