"""Every command explains itself: a one-line summary and an example."""

import click
import pytest
from click.testing import CliRunner

from actiontrack.commands import COMMANDS, cli


def all_commands():
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        yield (name,), command
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                yield (name, sub), command.get_command(ctx, sub)


CASES = list(all_commands())


@pytest.mark.parametrize("path,command", CASES, ids=[" ".join(p) for p, _ in CASES])
def test_help_has_summary_and_example(path, command):
    # --help never opens a store, so it runs once, not once per backend.
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    summary = command.get_short_help_str(limit=200)
    assert summary and not summary.endswith("...")
    assert summary in " ".join(result.stdout.split())
    assert "Example" in result.stdout and "actiontrack " in result.stdout.split("Example", 1)[1]


def test_root_help_lists_every_command_with_its_own_summary():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and "Example" in result.stdout
    ctx = click.Context(cli)
    for name, (_, _, summary) in COMMANDS.items():
        # The summary shown without importing the module must be the command's own first line.
        assert cli.get_command(ctx, name).get_short_help_str(limit=200).rstrip(".") == summary.rstrip(".")
        assert name in result.stdout


@pytest.mark.parametrize("path", [(), *(p for p, _ in CASES)], ids=["(root)", *(" ".join(p) for p, _ in CASES)])
def test_help_fits_an_80_column_terminal(path):
    """Its examples too: click leaves a \\b block unwrapped, and the root's example ran to 92
    columns (the terminal broke it mid-word)."""
    result = CliRunner().invoke(cli, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if len(line) > 80] == []
    # A usage line broken inside a word: config's "smtp-" / "host" (found by a new-user trial).
    usage = result.stdout.split("\n\n", 1)[0].splitlines()
    assert not any(a.endswith("-") and b.strip()[:1].isalpha() for a, b in zip(usage, usage[1:])), usage
