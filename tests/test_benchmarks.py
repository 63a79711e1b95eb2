"""The benchmark's floor report does the report's work: a floor that listed fewer items,
or judged "overdue" otherwise, would make every target look further off than it is.

The benchmark itself is timed by hand (benchmarks/run.py); nothing here is timed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import orjson

from tests.conftest import CLI

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402  (benchmarks/ is not a package)


def test_the_floor_lists_what_overdue_lists_in_its_order(tmp_path):
    as_of = date.today()  # the floor, as Taskwarrior, judges by the real clock
    tables, _ = generate.generate(300, as_of, seed=11)
    store = tmp_path / "store.json"
    generate.write(str(store), tables)
    ours = CLI(store).json("overdue", as_of=as_of.strftime("%d/%m/%Y"))
    floor = orjson.loads(subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "floor_report.py"), str(store)],
        capture_output=True, check=True).stdout)
    assert len(ours) > 50  # the generator makes about half overdue
    # Row for row: the same items, most days overdue first, each with the same days.
    assert [(r["ref"], r["days_overdue"], r["overdue_by"]) for r in floor] == \
        [(r["ref"], r["days_overdue"], r["overdue_by"]) for r in ours]
