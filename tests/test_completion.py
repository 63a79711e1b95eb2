"""Shell completion (issue 15): scripts for three shells; plans, themes and refs from the store."""

from __future__ import annotations

import pytest
from click.shell_completion import ShellComplete

from actiontrack.commands import cli


def complete(args: list[str], incomplete: str) -> list[str]:
    return [item.value for item in ShellComplete(cli, {}, "actiontrack", "_ACTIONTRACK_COMPLETE")
            .get_completions(args, incomplete)]


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o nosort -F"), ("zsh", "#compdef actiontrack"),
                                           ("fish", "complete --no-files --command actiontrack")])
def test_completion_prints_each_shells_script(run, shell, marker):
    out = run.ok("completion", shell)
    assert marker in out and "_ACTIONTRACK_COMPLETE" in out


def test_completion_refuses_an_unknown_shell(run):
    run.refused("completion", "powershell", says="'powershell' is not one of")


def test_commands_and_options_complete(run):
    assert complete([], "re") == ["resolution", "report", "redo", "restore", "reassign", "returns"]
    assert "--due-within" in complete(["action", "list"], "--due")


def test_refs_themes_and_plans_complete_from_the_store(demo):
    store = ["--store", demo.where()]
    assert complete([*store, "action", "update"], "suff-1") == ["SUFF-1.1", "SUFF-1.2", "SUFF-1.3"]
    assert complete([*store, "resolution", "show"], "R-1") == ["R-1", "R-10", "R-11"]
    assert complete([*store, "milestone", "done"], "SUFF-6") == ["SUFF-6.1"]
    assert complete([*store, "theme", "update"], "SUFF.") == [f"SUFF.{n}" for n in range(1, 7)]
    assert complete([*store, "action", "add"], "PERM.6") == ["PERM.6"]
    assert complete([*store, "plan", "update"], "") == ["PERM", "SUFF"]


def test_no_store_means_no_suggestions_not_an_error(tmp_path):
    assert complete(["--store", str(tmp_path / "missing.json"), "action", "show"], "S") == []
    (tmp_path / "bad.json").write_text("{not json")
    assert complete(["--store", str(tmp_path / "bad.json"), "action", "show"], "S") == []
