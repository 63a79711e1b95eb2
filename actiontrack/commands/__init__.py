"""The `actiontrack` command: global options, lazy subcommands, one-line errors.

Subcommand modules are imported only when used, so `--help` and a quick update do not
pay for rich, dateutil or every other command.
"""

from __future__ import annotations

import errno
import gc
import importlib
import math
import os
import sys
from datetime import date

import click

from actiontrack import __version__
from actiontrack.commands import interrupts
from actiontrack.errors import ActionTrackError, BadInput, StoreProblem

# Exit codes beyond ActionTrackError's own (2 bad input, 3 store problem; 1 is findings):
EXIT_UNEXPECTED = 70  # EX_SOFTWARE: a bug; the suite fails on any command that exits with it
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `cmd | head` gives any other tool

# name -> (module, attribute, one-line summary shown in `actiontrack --help`)
COMMANDS = {
    "init": ("actiontrack.commands.setup", "init", "Create a new, empty store (refuses to overwrite one)."),
    "config": ("actiontrack.commands.setup", "config", "Show the store's settings, or set one."),
    "plan": ("actiontrack.commands.plan", "plan", "Add, change and list action plans."),
    "theme": ("actiontrack.commands.theme", "theme", "Add, change and list a plan's themes and accountable officers."),
    "action": ("actiontrack.commands.action", "action", "Add, update, reschedule, complete and list actions."),
    "meeting": ("actiontrack.commands.meeting", "meeting", "Add, move, cancel and list committee meetings."),
    "resolution": ("actiontrack.commands.resolution", "resolution",
                   "Record committee resolutions and actions arising, and follow them up."),
    "log": ("actiontrack.commands.log", "log", "The clerk's action log for a meeting, in four parts."),
    "milestone": ("actiontrack.commands.milestone", "milestone",
                  "Add milestones to an action, mark them done, redraw or remove them."),
    "overdue": ("actiontrack.commands.reports", "overdue",
                "List open actions, resolutions and milestones past their due date, most overdue first."),
    "slippage": ("actiontrack.commands.reports", "slippage",
                 "The weekly slippage report: every action behind its baseline date, and why."),
    "report": ("actiontrack.commands.reports", "report",
               "Highlight report: per theme, RAG counts, rosy RAGs, stale actions, next deadlines."),
    "search": ("actiontrack.commands.find", "search",
               "Find actions and resolutions by the words on them: titles, commentary, minutes."),
    "changes": ("actiontrack.commands.find", "changes",
                "Every change across the store in time order: when, who, item, what, why."),
    "indicator": ("actiontrack.commands.indicator", "indicator",
                  "The Board's performance indicators: targets, polarity, values by period."),
    "scorecard": ("actiontrack.commands.indicator", "scorecard",
                  "The Board's scorecard: each indicator's latest value against target, RAG, direction, trend."),
    "import": ("actiontrack.commands.transfer", "import_",
               "Bring in an action plan from a .csv or .xlsx sheet, or a JSON export."),
    "export": ("actiontrack.commands.transfer", "export",
               "Export plans to Excel or CSV, deadlines to a calendar, or the whole store as JSON."),
    "undo": ("actiontrack.commands.recovery", "undo", "Reverse your last change; again to walk further back."),
    "redo": ("actiontrack.commands.recovery", "redo", "Re-apply the change your last undo took back."),
    "convert": ("actiontrack.commands.setup", "convert",
                "Copy the whole store, history and all, into a new store file or database."),
    "restore": ("actiontrack.commands.recovery", "restore",
                "Bring back one of the store's backup generations (1 is the newest)."),
    "verify": ("actiontrack.commands.recovery", "verify",
               "Check the history for tampering: every entry altered, removed or inserted out of order."),
    "person": ("actiontrack.commands.person", "person",
               "Record owners' e-mail addresses, so update returns can reach them."),
    "reassign": ("actiontrack.commands.person", "reassign",
                 "Hand everything open an officer holds to whoever replaces them, in one change."),
    "returns": ("actiontrack.commands.returns", "returns",
                "Chase every owner by e-mail with a spreadsheet, and apply what comes back."),
    "access": ("actiontrack.commands.access", "access",
               "Who may read and change a team (PostgreSQL) store: reader, officer or clerk."),
    "completion": ("actiontrack.commands.completion", "completion",
                   "Print the shell completion script for bash, zsh or fish."),
    "demo": ("actiontrack.commands.demo", "demo", "Write the bundled example store and show its weekly slippage report."),
}


class _ReaderGone(Exception):
    """The output's reader went away (a broken pipe), carried past click's own handling."""


class RootGroup(click.Group):
    """The `actiontrack` group: subcommands loaded when used, every failure one line and an exit code."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def resolve_command(self, ctx, args):
        name = args[0] if args and isinstance(args[0], str) else ""
        if name in COMMANDS or name.startswith("-") or ctx.resilient_parsing:
            return super().resolve_command(ctx, args)
        # click's "Did you mean" reads the commands already loaded, and these load when used:
        # `actiontrack overdeu` said only "No such command" (a new-user trial), where
        # `action lsit` asked "Did you mean 'list'?".
        import difflib

        close = _SAID_AS.get(name.lower()) or difflib.get_close_matches(name.lower(), list(COMMANDS), n=2)
        ctx.fail(f"No such command {name!r}." + (f" Did you mean {' or '.join(map(repr, close))}?" if close else ""))

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, _, summary) in COMMANDS.items()])

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Every failure ends as one line on stderr and an exit code: never a traceback."""
        # Loading a big store makes hundreds of thousands of objects with no reference
        # cycles; the cyclic collector would rescan them again and again (3x the run time
        # at 100k items).  One command is short: reference counting frees what it drops.
        collecting = gc.isenabled()
        gc.disable()
        try:
            code = self._run(args, prog_name, complete_var, **extra)
        finally:
            if collecting:
                gc.enable()
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # Past click, which turns a broken pipe into exit 1 before _run could see it.
            raise _ReaderGone from None

    def _run(self, args, prog_name, complete_var, **extra) -> int:
        interrupts.reset()
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
            if interrupts.interrupted_meanwhile():
                raise KeyboardInterrupt  # noted in a finalizer: said as any Ctrl-C is
        except click.exceptions.NoArgsIsHelpError as e:
            # `actiontrack action` alone is a request for help, not a mistake.
            click.echo(e.ctx.get_help())
            code = 0
        except ActionTrackError as e:
            click.echo(f"Error: {_one_line(e.message)}", err=True)
            for detail in getattr(e, "details", []):  # e.g. every bad row of an import
                click.echo(f"  {_one_line(detail)}", err=True)
            code = e.exit_code
        except click.UsageError as e:
            elsewhere = _swallowed(e) or _elsewhere(e)
            hint = f" (see '{e.ctx.command_path} --help')" if e.ctx else ""
            click.echo(f"Error: {elsewhere or _one_line(e.format_message()) + hint}", err=True)
            code = BadInput.exit_code
        except click.ClickException as e:
            click.echo(f"Error: {_one_line(e.format_message())}", err=True)
            code = e.exit_code
        except (click.exceptions.Abort, KeyboardInterrupt):  # click makes Ctrl-C an Abort
            click.echo(f"Error: {interrupts.interrupted_message()}", err=True)
            code = EXIT_INTERRUPTED
        except (BrokenPipeError, _ReaderGone):
            # The reader went away (`| head`): stop quietly, as a shell's own tools do.  A
            # change is saved before it is reported, so nothing is lost.
            return EXIT_BROKEN_PIPE
        except Exception as e:
            from actiontrack.store import store_problem

            if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
                click.echo(f"Error: cannot write: {e.strerror} (the disk or quota is full)", err=True)
                return StoreProblem.exit_code

            problem = store_problem(e)
            if problem is not None:
                click.echo(f"Error: {_one_line(problem.message)}", err=True)
                return problem.exit_code
            if os.environ.get("ACTIONTRACK_DEBUG"):
                raise
            click.echo(f"Error: unexpected {type(e).__name__}: {_one_line(str(e))} "
                       "(set ACTIONTRACK_DEBUG=1 for details)", err=True)
            code = EXIT_UNEXPECTED
        return code


def _swallowed(error: click.UsageError) -> str:
    """An option that took the next option as its value (commands.common.swallowed): said
    in place of what click makes of the words left over."""
    if error.ctx is None:
        return ""
    from actiontrack.commands.common import swallowed

    return swallowed(error.ctx)


# Options people reach for on the wrong command: the command that does it instead.
_DONE_ELSEWHERE = {
    (verb, option): text for verb in ("update", "edit") for option, text in (
        ("--due", "a deadline moves with its reason: '{group} reschedule REF DATE --reason TEXT'"),
        ("--baseline", "the baseline stays as first agreed; '{group} reschedule' moves the due date"))
}
# Commands named as other tools name them (a new-user trial typed `find`): the command here.
_SAID_AS = {"find": ["search"], "grep": ["search"], "history": ["changes"]}


def _elsewhere(error: click.UsageError) -> str:
    """The message for an option given to the wrong command: which command does it."""
    if not isinstance(error, click.NoSuchOption) or error.ctx is None or error.ctx.parent is None:
        return ""
    command = " ".join(error.ctx.command_path.split()[1:])
    root = _root_option(error.ctx, error.option_name)
    if root:  # `overdue --as-of 01/12/2022`: only the scorecard has an --as-of of its own (a new-user trial)
        return (f"{root} is an option of actiontrack itself: it goes before the command, e.g. "
                f"actiontrack {root} ... {command} (see 'actiontrack --help')")
    # Text typed after the options that starts with "-" ("-2+3 savings target", "-Review
    # placements") is read by click as an option: found by a new-user trial, the way past it
    # was said nowhere.
    takes_text = any(isinstance(p, click.Argument) for p in error.ctx.command.params)
    # After --, click reads every word as an argument: the options go before it (a trial
    # followed the hint with --owner after the text, and was told --owner was missing).
    dashed = (f"; text that starts with '-' goes last, after -- with every option before it, e.g. "
              f"actiontrack {command} ... [OPTIONS] -- \"-2 places\"") if takes_text else ""
    if error.option_name[1:].replace(".", "", 1).isdigit() and _takes_a_date(error.ctx.command):
        # "-2w" (two weeks before the as-of day) read by click as the options -2 and -w: a
        # new-user trial was told "-2 is a negative number".  A resolution's text may be
        # what starts with "-" ("-5% agency spend"): a second trial was told only of dates.
        text = any(isinstance(p, click.Argument) and p.name in ("title", "text") for p in error.ctx.command.params)
        return (f"{error.option_name}... is read as an option: a date counted back from the as-of day"
                f"{', or text that starts with ' + repr('-') + ',' if text else ''} goes last, after -- with every "
                f"option before it, e.g. actiontrack {command} ... [OPTIONS] -- -2w "
                f"(see 'actiontrack {command} --help')")
    if error.option_name[1:].replace(".", "", 1).isdigit() and command in _NEGATIVE_FIGURES:
        return (f"{error.option_name} is read as an option: a negative figure goes last, after -- with every "
                f"option before it, e.g. actiontrack {command} ... [OPTIONS] -- {error.option_name} "
                f"(see 'actiontrack {command} --help')")
    if error.option_name[1:].replace(".", "", 1).isdigit():  # "-5": click reads it as an option
        return (f"{error.option_name} is a negative number: {command} takes none{dashed} "
                f"(see 'actiontrack {command} --help')")
    if dashed and (not error.option_name.startswith("--") or " " in error.option_name) and not error.possibilities:
        return f"no option {error.option_name} on {command}{dashed} (see 'actiontrack {command} --help')"
    hint = _DONE_ELSEWHERE.get((error.ctx.info_name or "", error.option_name))
    group = ["actiontrack", *error.ctx.parent.command_path.split()[1:]]  # as typed, whatever ran it
    if not hint or group[-1] not in ("action", "resolution"):
        return ""
    return f"{error.ctx.info_name} has no {error.option_name}: {hint.format(group=' '.join(group))}"


# Where a figure below nought means something (a fall in a measure, a target for one): "-5"
# there was "a negative number: indicator record takes none", and after -- it was taken.
_NEGATIVE_FIGURES = frozenset({"indicator record", "indicator target"})


def _root_option(ctx: click.Context, typed: str) -> str:
    """The root command's option `typed` names (as "--as-of" or "--as-of=..."), if any."""
    while ctx.parent is not None:
        ctx = ctx.parent
    name = typed.split("=", 1)[0]
    return next((name for p in ctx.command.params if isinstance(p, click.Option) and name in p.opts), "")


def _takes_a_date(command: click.Command) -> bool:
    from actiontrack.commands.common import UKDate

    return any(isinstance(p, click.Argument) and isinstance(p.type, UKDate) for p in command.params)


def _one_line(text: str) -> str:
    """Messages quote what people typed: keep them to one line and free of escapes."""
    visible = "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
    return " ".join(visible.split())


@click.group(cls=RootGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="ACTIONTRACK_STORE", metavar="PATH",
              help="The store file [env ACTIONTRACK_STORE; default: your app folder's store.json].")
@click.option("--as-of", "as_of", envvar="ACTIONTRACK_AS_OF", metavar="DATE",
              help="Work as of this date (reports, and the date changes count from) [default: today].")
@click.option("--user", envvar="ACTIONTRACK_USER", metavar="NAME",
              help="Who is making changes, for the history [default: your login].")
@click.option("--lock-timeout", envvar="ACTIONTRACK_LOCK_TIMEOUT", type=click.FloatRange(0, 3600), default=10.0,
              metavar="SECONDS", help="How long to wait for another process's change to finish [default: 10].")
@click.version_option(__version__, prog_name="actiontrack")
@click.pass_context
def cli(ctx, store, as_of, user, lock_timeout):
    """Keep action plans and committee resolutions honest: owners, deadlines, RAG, slippage.

    \b
    Example:
      actiontrack demo
      actiontrack --store actiontrack-demo.json --as-of 01/12/2022 overdue
    """
    from actiontrack.commands.common import App, default_store, default_user
    from actiontrack.dates import parse_date

    # An empty value is a mistake, not a default: a cron line with an unset variable
    # would otherwise run on the wrong day, against the wrong store, or as the wrong user.  (click treats an
    # empty environment variable as unset, so look at the environment too.)
    given = None if ctx.get_parameter_source("lock_timeout") == click.core.ParameterSource.DEFAULT else lock_timeout
    for value, option, envvar in ((store, "--store", "ACTIONTRACK_STORE"), (as_of, "--as-of", "ACTIONTRACK_AS_OF"),
                                  (user, "--user", "ACTIONTRACK_USER"), (given, "--lock-timeout", "ACTIONTRACK_LOCK_TIMEOUT")):
        if value is None and os.environ.get(envvar) == "":
            raise click.BadParameter(f"{envvar} is set but empty: unset it or give a value", param_hint=f"'{option}'")
        if isinstance(value, str) and not value.strip():
            raise click.BadParameter("is empty: give a value or leave the option out", param_hint=f"'{option}'")
    if user is not None and user.strip().startswith("-"):  # `--user -x` went into the history as who
        raise click.BadParameter(f"'{user}' is not a name: a name does not start with '-'", param_hint="'--user'")
    if math.isnan(lock_timeout):  # FloatRange lets NaN through: every comparison with it is false
        raise click.BadParameter("is not a number of seconds", param_hint="'--lock-timeout'")
    today = date.today()
    try:
        as_of_date = parse_date(as_of, today) if as_of else today
    except ActionTrackError as e:
        raise click.BadParameter(e.message, param_hint="'--as-of'") from None
    ctx.obj = App(store=store or default_store(), as_of=as_of_date, user=user or default_user(),
                  lock_timeout=lock_timeout, user_given=user is not None)


def main() -> None:
    # A terminal or pipe that cannot show a character (PYTHONIOENCODING=ascii, an old
    # code page) gets a replacement character, not a crash part-way through a report.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and stream.errors == "strict":
            stream.reconfigure(errors="replace")
    interrupts.pass_on_from_finalizers()
    code = cli.main(prog_name="actiontrack", standalone_mode=False)
    # Skip the interpreter's teardown: freeing a big store object by object took up to a
    # second after the work was done.  Everything is saved and fsynced by now; flush the
    # output and leave (the lock file's descriptor is closed, and so released, by the OS).
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `| head` took what it wanted before the last of it: as above
        code = code or EXIT_BROKEN_PIPE
    except ValueError:
        code = code or 1
    os._exit(code if isinstance(code, int) else 0)
