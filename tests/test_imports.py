"""What a command loads: every module a command imports, every run of it pays for.

A clerk's report or an officer's update at 10,000 items spends a third of its time
starting Python and importing (issue 17), so a module a command never uses must not be
imported by it.  These run each command in a fresh interpreter on the default (JSON)
store and look at what it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Heavy, and needed only elsewhere: filelock only where there is no flock (Windows);
# tempfile/shutil for rarer saves, hashlib (OpenSSL) for update returns (a seal uses
# CPython's own SHA-256), difflib for a "did you mean"; the tracker and undo only for changes and
# rewinds; the scorecard only for its own commands; rich only for tables.
NEVER_FOR_A_LISTING = {"filelock", "tempfile", "shutil", "hashlib", "difflib", "actiontrack.changes.tracker",
                       "actiontrack.reports.rewind", "actiontrack.store.atomic", "actiontrack.domain.indicators",
                       "actiontrack.reports.scorecard", "rich", "tinydb"}
NEVER_FOR_A_CHANGE = {"filelock", "tempfile", "shutil", "hashlib", "difflib", "actiontrack.reports.rewind",
                      "actiontrack.domain.indicators", "actiontrack.reports.scorecard", "rich", "tinydb"}

LOADED = """
import json, sys
from actiontrack.commands import cli
code = cli.main(sys.argv[1:], standalone_mode=False)
print(json.dumps([code, sorted(sys.modules)]))
"""


def loaded(store, *args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", LOADED, "--store", str(store), "--user", "Clerk", *args],
                         capture_output=True, text=True, check=True).stdout
    code, modules = json.loads(out.splitlines()[-1])
    assert code in (0, 1), out
    return set(modules)


@pytest.fixture
def store(json_run):
    """A plan, a theme, an action overdue and a resolution: no scorecard."""
    json_run.ok("init")
    json_run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", "Corporate Parenting Board")
    json_run.ok("theme", "add", "SUFF", "1", "Strengthening Commissioning", "--officer", "Head of Service")
    json_run.ok("action", "add", "SUFF.1", "Refresh the Commissioning Action Plan", "--owner", "Head of Service",
                "--due", "30/11/2022")
    json_run.ok("meeting", "add", "CPB", "14/12/2022")
    json_run.ok("resolution", "add", "CPB", "14/12/2022", "22/7", "Report back on placements",
                "--owner", "Head of Service", "--due", "31/01/2023")
    return json_run.store


@pytest.mark.parametrize("args", [("overdue", "--format", "json"), ("slippage", "--format", "csv"),
                                  ("action", "list", "--format", "json")])
def test_a_listing_loads_only_what_it_uses(store, args):
    assert NEVER_FOR_A_LISTING & loaded(store, *args) == set()


def test_an_update_loads_only_what_it_uses(store):
    modules = loaded(store, "action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Checked")
    assert NEVER_FOR_A_CHANGE & modules == set()
    assert {"actiontrack.changes.tracker", "actiontrack.store.atomic"} <= modules  # it did change the store


def test_a_store_with_a_scorecard_loads_it(tmp_path):
    path = tmp_path / "demo.json"
    subprocess.run([sys.executable, "-m", "actiontrack", "demo", "--store", str(path)], capture_output=True,
                   check=True)
    assert "actiontrack.domain.indicators" in loaded(path, "indicator", "list", "--format", "json")


COMPILED = """
import json, sys
from actiontrack.commands import cli
from actiontrack.patterns import Pattern
code = cli.main(sys.argv[1:], standalone_mode=False)
patterns = {f"{name}.{key}": "match" in vars(value) for name, module in list(sys.modules.items())
            if name.startswith("actiontrack") for key, value in vars(module).items() if isinstance(value, Pattern)}
print(json.dumps([code, patterns]))
"""


def compiled(store, *args: str) -> dict[str, bool]:
    out = subprocess.run([sys.executable, "-c", COMPILED, "--store", str(store), "--user", "Clerk", *args],
                         capture_output=True, text=True, check=True).stdout
    code, patterns = json.loads(out.splitlines()[-1])
    assert code in (0, 1), out
    return patterns


def test_a_command_compiles_only_the_patterns_it_uses(store):
    """Imported patterns are compiled when first used: a listing uses none, an update the
    ref patterns it reads its argument with (all of them compiled at import cost 4 ms)."""
    listing = compiled(store, "overdue", "--format", "json")
    assert len(listing) >= 15 and not any(listing.values()), listing
    update = compiled(store, "action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Checked")
    assert {k for k, used in update.items() if used} <= {"actiontrack.domain.refs._REF",
                                                         "actiontrack.domain.refs._RESOLUTION_REF"}
    dated = compiled(store, "action", "reschedule", "SUFF-1.1", "Q4 2023/24", "--reason", "Capacity")
    assert dated["actiontrack.dates._QUARTER"] is True


def test_a_pattern_answers_as_the_compiled_expression_does():
    import re

    from actiontrack.patterns import Pattern

    lazy = Pattern(r"(\d+) (apples?)", re.I)
    assert "match" not in vars(lazy)
    assert lazy.search("Buy 3 APPLES").groups() == ("3", "APPLES")
    assert "match" in vars(lazy)  # compiled once, then its methods are the compiled one's
    assert lazy.sub(r"\2", "1 apple, 2 apples") == "apple, apples"
    assert lazy.fullmatch("1 apple x") is None and lazy.pattern == r"(\d+) (apples?)" and lazy.flags & re.I
