"""The suite's own rule: exit 70 (an unexpected error) fails whatever test it happens in."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click
import pytest

from actiontrack.commands import COMMANDS

CONFTEST = Path(__file__).with_name("conftest.py")


@click.command("boom")
def boom():
    raise RuntimeError("a bug nobody handled")


@pytest.mark.exit_70_expected
def test_an_unhandled_exception_is_exit_70_in_one_line(run, monkeypatch):
    monkeypatch.setitem(COMMANDS, "boom", ("tests.test_exit70_guard", "boom", "Raise an unhandled error."))
    result = run("boom")
    assert result.exit_code == 70
    assert result.stderr == ("Error: unexpected RuntimeError: a bug nobody handled "
                             "(set ACTIONTRACK_DEBUG=1 for details)\n")


INNER = '''
import subprocess, sys
import click
import pytest
from actiontrack.commands import COMMANDS, cli

@click.command("boom")
def boom():
    raise RuntimeError("kaboom")

@pytest.fixture(autouse=True)
def with_boom(monkeypatch):
    monkeypatch.setitem(COMMANDS, "boom", ("test_inner", "boom", "Raise."))

def test_in_process(monkeypatch, tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s.json"), "boom"])
    assert result.exit_code == 70  # the test itself "passes": the guard must still fail it

def test_subprocess(tmp_path):
    script = "import sys; sys.argv[0] = 'actiontrack'; sys.exit(70)"
    done = subprocess.run([sys.executable, "-c", script, "actiontrack", "overdue"])
    assert done.returncode == 70

@pytest.mark.exit_70_expected
def test_opted_out(monkeypatch, tmp_path):
    assert CliRunner().invoke(cli, ["--store", str(tmp_path / "s.json"), "boom"]).exit_code == 70

def test_clean(tmp_path):
    assert CliRunner().invoke(cli, ["--store", str(tmp_path / "s.json"), "init"]).exit_code == 0
'''


def test_any_exit_70_fails_the_test_naming_the_command(pytester):
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makeini(textwrap.dedent("""
        [pytest]
        markers =
            json_store: x
            exit_70_expected: x
    """))
    pytester.makepyfile(test_inner="from click.testing import CliRunner\n" + INNER)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(passed=2, failed=2)  # the opted-out and the clean test pass
    result.stdout.fnmatch_lines([
        "*exit 70 (unexpected error: always a bug) during the test of test_inner.py::test_in_process*",
        "*actiontrack --store */s.json boom*",
    ])
    result.stdout.fnmatch_lines(["*subprocess * actiontrack overdue*"])
