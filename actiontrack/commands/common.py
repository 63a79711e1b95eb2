"""What every command shares: the app context, date parameters, opening the store."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import click

from actiontrack.commands.columns import columns_option, refuse_columns_for
from actiontrack.commands.interrupts import saving
from actiontrack.commands.output import FORMATS
from actiontrack.dates import names_a_period, parse_date, says_no_date
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import ActionTrackError, BadInput
from actiontrack.store import DEFAULT_LOCK_TIMEOUT, open_repository
from actiontrack.store.base import Repository

if TYPE_CHECKING:  # loaded by commands that change the store; a report never needs it
    from actiontrack.changes.tracker import Tracker


def default_store() -> str:
    return os.path.join(click.get_app_dir("actiontrack"), "store.json")


def default_user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class App:
    """What every command is given: the store's path, the as-of date, who is changing it."""

    store: str
    as_of: date
    user: str
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    user_given: bool = False  # named by --user or ACTIONTRACK_USER, not the OS login

    def repository(self, shared: bool = False) -> Repository:
        repo = open_repository(self.store, lock_timeout=self.lock_timeout, shared=shared)
        # A store may hold a connection (and a read transaction) until the command ends.
        click.get_current_context().call_on_close(repo.close)
        return repo

    def read(self, day: date | None = None) -> StoreData:
        """The store as it stood on the as-of date, or on `day` (today: as it is)."""
        from actiontrack.reports.point_in_time import as_at

        return as_at(self.repository().load(), day or self.as_of)

    @contextmanager
    def change(self) -> Iterator[Tracker]:
        """A Tracker over the loaded store; saved once, and only if the block succeeds."""
        from actiontrack.changes.tracker import Tracker

        today = date.today()
        if self.as_of > today:
            # Every later change to the item would count from before it and be refused, and
            # no report as of today would show it: a typo in the year, not a plan.
            from actiontrack.dates import uk

            raise BadInput(f"a change cannot count from {uk(self.as_of)}, after today ({uk(today)}): check --as-of")
        repo = self.repository()
        user = repo.who(self.user, self.user_given)
        with repo.transaction() as tx:
            tracker = Tracker(tx.data, user=user, as_of=self.as_of)
            yield tracker
            if tracker.changed:
                with saving():  # a Ctrl-C now waits for the save, and is then said as after it
                    tx.save()


_pass_app = click.make_pass_decorator(App)


def pass_app(f):
    """click's pass decorator for the App, after refusing an option that took the next
    option as its value (see swallowed)."""
    passed = _pass_app(f)

    @functools.wraps(passed)
    def checked(*args, **kwargs):
        said = swallowed(click.get_current_context())
        if said:
            raise BadInput(said)
        return passed(*args, **kwargs)

    return checked


def swallowed(ctx: click.Context) -> str:
    """What to say when an option was given another option as its value.  click gives an
    option the next word whatever it is, so `--owner --due 31/03/2023` (the name left out)
    made the owner "--due" and then said "Missing option '--due'", and `--owner --rag red`
    said "unexpected extra argument (red)": neither names the option that lacks its value."""
    names: set[str] | None = None  # every option's name here: gathered only once a value starts with "-"
    for p in ctx.command.params:
        if not isinstance(p, click.Option) or p.is_flag or p.name is None:
            continue
        value = ctx.params.get(p.name)
        for v in value if isinstance(value, (tuple, list)) else (value,):
            if not (isinstance(v, str) and v.startswith("-")):
                continue
            if names is None:
                names = {name for c in (ctx, *_parents(ctx)) for o in c.command.get_params(c)
                         if isinstance(o, click.Option) for name in (*o.opts, *o.secondary_opts)}
            # Any word shaped as a long option too: `--reason --note` took "--note" (an option of
            # other commands) as the reason.  Text may start with one "-" ("-5% agency spend").
            if v.split("=", 1)[0] in names or long_option(v):
                command = " ".join(["actiontrack", *ctx.command_path.split()[1:]])  # as typed, whatever ran it
                return f"{max(p.opts, key=len)} {taken_as_value(v)} (see '{command} --help')"
    return ""


def taken_as_value(word: str) -> str:
    """What an option given another option as its value is told (every kind of option)."""
    return f"was given no value: it took {word!r}, an option, as its value"


def long_option(word: str) -> bool:
    """"--", or "--word" (letters, digits, - and _, then maybe "=..."): no regular expression,
    as every command runs this and a listing compiles none (test_imports)."""
    name = word.split("=", 1)[0][2:]
    return word.startswith("--") and (word == "--" or name[:1].isalpha()
                                      and all(c.isalnum() or c in "-_" for c in name))


def _parents(ctx: click.Context) -> Iterator[click.Context]:
    while ctx.parent is not None:
        ctx = ctx.parent
        yield ctx


class Counting(click.ParamType):
    """A whole number from 1 (a theme's, a milestone's, a backup's), said as that when it is
    not one: click's own words were "'1.5' is not a valid integer range" (a new-user trial)."""

    name = "NUMBER"

    def __init__(self, what: str, most: int | None = None):
        self.what, self.most = what, most

    def convert(self, value, param, ctx):
        try:
            number = value if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            number = 0
        if number < 1 or (self.most is not None and number > self.most):
            upto = f" to {self.most}" if self.most is not None else ""
            self.fail(f"'{value}' is not {self.what} (a whole number from 1{upto})", param, ctx)
        return number


class UKDate(click.ParamType):
    """A UK date, relative forms anchored on the command's as-of date."""

    name = "DATE"

    def __init__(self, meeting: bool = False):
        self.meeting = meeting  # a meeting's day: a month, quarter or year is none

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        if isinstance(value, str) and long_option(value):  # `--due --note x`: "'--note' is not a date" (a trial)
            self.fail(taken_as_value(value), param, ctx)
        if self.name == "DATE" and isinstance(value, str) and says_no_date(value):
            if ctx is not None and " meeting " in f" {ctx.command_path} ":  # found by a new-user trial
                self.fail(f"'{value}' is not a date: a meeting is added once its date is set", param, ctx)
            self.fail(f"'{value}' is not a date: only a new action may have none yet ('action add --due Ongoing')",
                      param, ctx)
        if (self.meeting or ctx is not None and " meeting " in f" {ctx.command_path} ") and isinstance(value, str) \
                and names_a_period(value):  # a new-user trial's "March 2023" was a meeting on 31 Mar 2023
            self.fail(f"'{value}' is not a day: a meeting is held on one (e.g. 14/03/2023)", param, ctx)
        app = ctx.find_object(App) if ctx else None
        try:
            return parse_date(value, app.as_of if app else date.today())
        except ActionTrackError as e:
            self.fail(e.message, param, ctx)


UK_DATE = UKDate()
MEETING_DAY = UKDate(meeting=True)


class NoDateYet(str):
    """A --due that says there is none yet, as the officer wrote it ("Ongoing", "TBC")."""


class UKDateOrNoneYet(UKDate):
    """A date, or the words a plan uses for none yet (dates.NO_DATE_WORDS)."""

    name = "DATE|Ongoing"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and says_no_date(value):
            return NoDateYet(value.strip())
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as e:  # say what else is taken here (not to an option taken as the date)
            self.fail(e.message if long_option(value) else f"{e.message}; or 'Ongoing' or 'TBC' for no date yet",
                      param, ctx)


UK_DATE_OR_NONE_YET = UKDateOrNoneYet()


def formats(choices: tuple[str, ...] | list[str], help: str, *, required: bool = False):
    """The one --format option (passed as `fmt`): its choices and help per command."""
    def read(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        ctx.params["fmt"] = value  # for --columns' check, whichever of the two is read first
        refuse_columns_for(ctx)
        return value

    return click.option("--format", "fmt", type=click.Choice(choices, case_sensitive=False), required=required,
                        default=None if required else "table", show_default=not required, help=help, callback=read)


def format_option(func):
    """--format for a listing (table, json, csv, markdown), with --columns to choose its columns."""
    return formats(FORMATS, "table for people; json, csv or markdown for scripts and papers.")(columns_option(func))


def exit_code_option(func):
    return click.option(
        "--exit-code", is_flag=True, help="Exit 1 when the report lists anything (for cron and CI).",
    )(func)


def finish(found: bool, exit_code: bool) -> None:
    if exit_code and found:
        raise click.exceptions.Exit(1)
