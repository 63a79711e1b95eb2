"""`returns make | send | status | apply`: chase every owner with a spreadsheet, apply what comes back."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial

import click

from actiontrack.changes.people import log_return
from actiontrack.changes.tracker import Tracker
from actiontrack.commands.columns import Column, display
from actiontrack.commands.common import UK_DATE, App, format_option, pass_app
from actiontrack.commands.output import emit_rows, say, write_file
from actiontrack.domain.models import Action, Item, Resolution
from actiontrack.domain.people import person_key
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput
from actiontrack.interchange.sheet_rows import ImportProblems
from actiontrack.reports.chasing import status_rows

STATUS_KEYS = ["owner", "email", "state", "made_on", "sent_on", "reply_by", "chased_on", "returned_on",
               "open_items", "overdue", "stale"]
STATUS_COLUMNS = [
    Column("owner", "Owner", wrap=True), Column("email", "E-mail", show=lambda r: r["email"] or "no address",
                                                optional=True),
    Column("state", "Return"), Column("sent_on", "Sent"), Column("reply_by", "Reply by"),
    Column("chased_on", "Chased", optional=True), Column("returned_on", "Returned"),
    Column("open_items", "Open"), Column("overdue", "Overdue"), Column("stale", "Stale", optional=True),
]


@click.group()
def returns():
    """Chase every owner by e-mail with a spreadsheet, and apply what comes back.

    \b
    Example:
      actiontrack returns make --output returns/
      actiontrack returns send --reply-by "+1w"
      actiontrack returns status
      actiontrack returns apply returns/*.xlsx --dry-run
    """


def _make(data: StoreData, as_of: date, owner: str | None, due_by: date | None, reply_by: date | None):
    """(owner, file name, items, a maker of the workbook) for each owner of open work (or
    just `owner`): a workbook is built only for the owners a command goes on with."""
    from actiontrack.interchange.return_book import ReturnHeader, write_return
    from actiontrack.interchange.returns import owners, return_rows

    names: set[str] = set()
    for name, items in owners(data, owner).values():
        rows = return_rows(data, items, due_by)
        header = ReturnHeader(owner=name, store_id=data.meta.get("store_id", ""), made_on=as_of,
                              reply_by=reply_by, source=source_of(data, items))
        file_name = _file_name(name, names)
        yield name, file_name, items, partial(write_return, header, rows)


def source_of(data: StoreData, items: list[Item]) -> str:
    """What one owner's return covers: their plans by title, and committee resolutions."""
    plans = sorted({i.plan for i in items if isinstance(i, Action)})
    names = [data.plans[k].title if k in data.plans else k for k in plans]
    if any(isinstance(i, Resolution) for i in items):
        names.append("committee resolutions")
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else "your open items"


def _file_name(owner: str, taken: set[str]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-")[:60] or "owner"
    name, n = f"{stem}.xlsx", 2
    while name in taken:  # two titles that differ only in punctuation
        name, n = f"{stem}-{n}.xlsx", n + 1
    taken.add(name)
    return name


def _folder(path: str) -> None:
    """Checked before the store is opened; made only once there is something to write
    (_make_folder): a command that failed left an empty folder behind (a new-user trial)."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise BadInput(f"--output {path} is a file: give a folder for the returns")
    if not os.path.exists(path) and path.lower().endswith((".xlsx", ".xls", ".csv", ".eml")):
        raise BadInput(f"--output {path} names a file: give a folder for the returns (e.g. returns/)")


def _make_folder(path: str, written: list[str]) -> None:
    """The folder, made if need be; each folder made joins `written`, to go if the change does."""
    missing = []
    at = os.path.abspath(path)
    while not os.path.exists(at):
        missing.append(at)
        at = os.path.dirname(at)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise BadInput(f"cannot create the folder {path}: {e.strerror}") from None
    written.extend(reversed(missing))  # outermost first: taken back innermost first


@returns.command("make")
@click.option("--owner", metavar="NAME", help="Only this owner's return.")
@click.option("--due-by", type=UK_DATE, help="Put what is due by this date first.")
@click.option("--reply-by", type=UK_DATE, help="The date to reply by, written in the return's instructions.")
@click.option("--output", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="The folder to write the returns into (made if need be).")
@click.option("--replace", is_flag=True, help="Write over returns already in the folder (what was typed in them is lost).")
@pass_app
def returns_make(app: App, owner, due_by, reply_by, output, replace):
    """Write one .xlsx return per owner: their open actions, resolutions and milestones.

    \b
    Example:
      actiontrack returns make --due-by 14/12/2022 --reply-by 07/12/2022 \\
          --output returns/
    """
    _check_reply_by(reply_by, app.as_of)
    _folder(output)
    lines: list[str] = []  # said once the store has recorded them: output cut short loses no record
    with _all_or_none() as written, app.change() as tracker:
        no_address: list[str] = []
        made = list(_make(tracker.data, app.as_of, owner, due_by, reply_by))
        if not replace:
            _refuse_to_overwrite(output, [file_name for _, file_name, _, _ in made])
        if made:
            _make_folder(output, written)
        for name, file_name, items, book in made:
            path = os.path.join(output, file_name)
            write_file(path, book())
            written.append(path)
            log_return(tracker, name, "made", made_on=app.as_of, file=file_name, reply_by=reply_by)
            person = tracker.data.person(name)
            if person is None or not person.email:
                no_address.append(name)
            lines.append(f"Wrote {path} ({len(items)} item{'s' if len(items) != 1 else ''}) for {name}")
    say(lines or ["Nobody owns open work: no returns to make."], hanging="    ")  # each file's path ran to 170 columns
    _say_no_address(no_address)


def _refuse_to_overwrite(folder: str, names: list[str]) -> None:
    """A return already in the folder may be one an officer has filled in and sent back,
    saved over the one made: writing a blank return over it lost their answers (a new-user
    trial's report).  Nothing is written unless --replace says so."""
    there = [name for name in names if os.path.exists(os.path.join(folder, name))]
    if there:
        more = f" and {len(there) - 1} more" if len(there) > 1 else ""
        raise BadInput(f"{os.path.join(folder, there[0])}{more} already there (filled in by an officer?): apply it "
                       f"first ('actiontrack returns apply'), then move it away or give --replace to write over it")


@contextmanager
def _all_or_none() -> Iterator[list[str]]:
    """The files a command writes beside its change to the store: if the change is not
    saved (a file that cannot be written, a store problem), those written are taken back,
    so the folder never holds returns the store does not record as made."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for path in reversed(written):  # the files, then the folders made for them
            try:
                os.rmdir(path) if os.path.isdir(path) else os.unlink(path)
            except OSError:
                pass
        raise


def _check_reply_by(reply_by: date | None, as_of: date) -> None:
    if reply_by is not None and reply_by < as_of:
        raise BadInput(f"--reply-by {display(reply_by)} is before the as-of date {display(as_of)}")


def _say_no_address(names: list[str]) -> None:
    if names:
        click.echo(f"No e-mail address for {len(names)} owner{'s' if len(names) != 1 else ''}: {'; '.join(names)} "
                   "(add with 'actiontrack person add NAME --email ADDRESS')", err=True)


@returns.command("send")
@click.option("--reply-by", required=True, type=UK_DATE, help="The date returns are due back.")
@click.option("--owner", metavar="NAME", help="Only this owner.")
@click.option("--due-by", type=UK_DATE, help="Put what is due by this date first in each return.")
@click.option("--chase", is_flag=True, help="A reminder, only to owners whose return has not come back.")
@click.option("--dry-run", is_flag=True, help="Write the messages as .eml files into --output; send nothing.")
@click.option("--output", type=click.Path(file_okay=False), metavar="DIR", help="Where --dry-run writes the .eml files.")
@pass_app
def returns_send(app: App, reply_by, owner, due_by, chase, dry_run, output):
    """E-mail each owner their return, with what of theirs is overdue.

    Through the mail server set with 'config smtp-host', 'smtp-port' and 'smtp-from';
    STARTTLS when the server offers it; a login from ACTIONTRACK_SMTP_USER and
    ACTIONTRACK_SMTP_PASSWORD when set.

    \b
    Example:
      actiontrack returns send --reply-by 07/12/2022 --dry-run --output outbox/
    """
    from actiontrack.errors import MailProblem
    from actiontrack.interchange.mail import Letter, Mailer, compose

    if dry_run and not output:
        raise BadInput("--dry-run writes the messages into a folder: give --output DIR")
    _check_reply_by(reply_by, app.as_of)
    if dry_run:
        _folder(output)
    failed: list[str] = []
    said: list[str] = []  # printed after the save: a reader that goes away must not unrecord a sent message
    with _all_or_none() as written, app.change() as tracker:
        data = tracker.data
        settings = data.settings
        if not settings.smtp_from:
            raise BadInput("no sender is set: 'actiontrack config smtp-from ADDRESS' (the clerk's mailbox)")
        letters, no_address = [], []
        for name, file_name, items, book in _make(data, app.as_of, owner, due_by, reply_by):
            log = data.returns.get(person_key(name))
            if chase and (log is None or not log.outstanding):
                continue
            person = data.person(name)
            if person is None or not person.email:
                no_address.append(name)
                continue
            letters.append(Letter(name, person.email, file_name, book(), len(items), _overdue(data, items, app.as_of),
                                  reply_by, source_of(data, items), chase))
        if dry_run and letters:
            _make_folder(output, written)
        mailer = None if dry_run else Mailer(settings.smtp_host, settings.smtp_port,
                                             os.environ.get("ACTIONTRACK_SMTP_USER") or None,
                                             os.environ.get("ACTIONTRACK_SMTP_PASSWORD"))
        try:
            for letter in letters:
                msg = compose(letter, settings.smtp_from)
                if mailer is None:
                    path = os.path.join(output, letter.file_name.removesuffix(".xlsx") + ".eml")
                    write_file(path, bytes(msg))
                    written.append(path)
                    said.append(f"Wrote {path} to {letter.owner} <{letter.address}>")
                    continue
                why = mailer.send(msg)
                if why is not None:
                    failed.append(f"{letter.owner} <{letter.address}>: {why}")
                    continue
                _record_sent(tracker, letter, app.as_of)
                said.append(f"Sent {letter.file_name} to {letter.owner} <{letter.address}> "
                            f"({letter.items} item{'s' if letter.items != 1 else ''}, {len(letter.overdue)} overdue)")
        finally:
            if mailer is not None:
                mailer.close()
        if no_address and not letters:
            # Nothing could go: a script (or `--owner` someone with no address) must not read
            # exit 0 as sent (a new-user trial's did).  Nothing is recorded.
            verb = "update" if data.person(no_address[0]) else "add"
            raise BadInput(f"no e-mail address for {'; '.join(no_address)}: nothing was sent (give one with "
                           f"'actiontrack person {verb} \"{no_address[0]}\" --email ADDRESS')")
        if dry_run:
            tracker.discard()
        if not letters and not no_address:
            said.append("Nobody to chase: every return sent has come back." if chase else "Nobody owns open work.")
    say(said, hanging="    ")
    _say_no_address(no_address)
    if failed:  # what was sent is saved above; say what was not, and fail
        for line in failed:
            click.echo(f"Not sent: {line}", err=True)
        raise MailProblem(f"{len(failed)} message(s) were not sent (listed above); the rest were sent and recorded")


def _record_sent(tracker: Tracker, letter, today: date) -> None:
    if letter.chase:
        log_return(tracker, letter.owner, "chased", chased_on=today, reply_by=letter.reply_by)
    else:
        log_return(tracker, letter.owner, "sent", made_on=today, file=letter.file_name, reply_by=letter.reply_by,
                   sent_on=today, sent_to=letter.address)


def _overdue(data: StoreData, items: list[Item], as_of: date) -> list[tuple[str, str, date]]:
    from actiontrack.reports.views import item_view

    late = [(v["ref"], v["title"], v["due"]) for v in (item_view(data, i, as_of) for i in items)
            if v["days_overdue"] > 0]
    return sorted(late, key=lambda r: r[2])


@returns.command("status")
@format_option
@pass_app
def returns_status(app: App, fmt):
    """Per owner: when their return went out, whether it came back, what is overdue or stale.

    \b
    Example:
      actiontrack returns status --format markdown
    """
    rows = status_rows(app.read(), app.as_of)
    emit_rows(rows, STATUS_COLUMNS, fmt, title=f"Update returns as of {display(app.as_of)}", csv_keys=STATUS_KEYS,
              empty="Nobody owns open work.")


@returns.command("apply")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--force", is_flag=True, help="Apply rows whose items changed in the store since the return was made.")
@pass_app
def returns_apply(app: App, files, dry_run, force):
    """Apply filled returns: each edited row as an update, reschedule or completion by its owner.

    Every row of every file is checked first: a bad cell, or a row whose item changed
    in the store since the return was made (a conflict), and nothing is applied.
    Applying the same file twice changes nothing the second time.

    \b
    Example:
      actiontrack returns apply returns/head-of-early-help.xlsx --dry-run
    """
    from actiontrack.interchange.return_book import read_return
    from actiontrack.interchange.returns import Outcome, apply_return

    outcome = Outcome()
    filled = []
    for path in files:  # every file checked, so one bad file does not hide the others' problems
        try:
            filled.append(read_return(path, os.path.basename(path)))
        except BadInput as e:
            outcome.problems.append(e.message)
    with app.change() as tracker:
        for one in filled:
            applied_before = len(outcome.applied)
            apply_return(tracker, one, force=force, outcome=outcome)
            log = tracker.data.returns.get(person_key(one.owner))
            if len(outcome.applied) > applied_before or log is None or log.outstanding:
                log_return(tracker, one.owner, "applied", returned_on=app.as_of, returned_file=one.file)
        if outcome.problems:
            raise ImportProblems(f"{len(outcome.problems)} problem(s) in the return(s); nothing was applied:",
                                 outcome.problems)
        if outcome.conflicts:
            raise ImportProblems(f"{len(outcome.conflicts)} conflict(s): changed in the store since the return "
                                 "was made; nothing was applied (--force applies the return over them):",
                                 outcome.conflicts)
        if dry_run:
            tracker.discard()
    verb = "Would apply" if dry_run else "Applied"
    say([*(f"{verb} {line}" for line in outcome.applied), *(f"Unchanged {line}" for line in outcome.already)],
        hanging="    ")
    if not outcome.applied:
        click.echo("Nothing to change: every row is as the store has it.")
