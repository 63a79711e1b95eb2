"""Property tests: no input makes actiontrack crash, and a store round-trips exactly."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actiontrack.changes.tracker import Tracker
from actiontrack.commands import cli
from actiontrack.dates import parse_date
from actiontrack.domain.models import Action, HistoryEntry, Milestone
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import STATUSES
from actiontrack.errors import BadInput
from actiontrack.store import JSONRepository, MemoryRepository
from tests.helpers import BACKENDS, file_store

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
AS_OF = date(2022, 12, 1)
date_like = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A(\d{1,2}/\d{1,2}/\d{2,4}|Q\d \d{4}/\d{2}|[+-]\d{1,4}[dwmy]|\d{4}-\d{1,2}-\d{1,2})\Z"),
    st.dates().map(lambda d: d.strftime("%d %B %Y")),
)


@SETTINGS
@given(date_like)
def test_date_parser_returns_a_date_or_a_clean_error(text):
    try:
        assert isinstance(parse_date(text, AS_OF), date)
    except BadInput as e:
        assert "\n" not in e.message or "\n" in text


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "store.json"
    runner = CliRunner()
    for args in (["init"], ["plan", "add", "SUFF", "Sufficiency"], ["theme", "add", "SUFF", "1", "T", "--officer", "O"],
                 ["action", "add", "SUFF.1", "Refresh", "--owner", "M", "--due", "30/11/2022"]):
        assert runner.invoke(cli, ["--store", str(path), "--as-of", "01/08/2022", *args]).exit_code == 0
    return path


def command_cases(text: str) -> list[list[str]]:
    return [
        ["action", "add", "SUFF.1", text, "--owner", "M", "--due", "30/11/2022"],
        ["action", "add", "SUFF.1", "T", "--owner", text, "--due", "30/11/2022", "--success", text,
         "--finance", text, "--source", text],
        ["action", "add", "SUFF.1", "T", "--owner", "M", "--due", text],
        ["action", "add", text, "T", "--owner", "M", "--due", "30/11/2022"],
        ["action", "update", "SUFF-1.1", "--note", text, "--owner", text],
        ["action", "update", text, "--note", "x"],
        ["action", "reschedule", "SUFF-1.1", text, "--reason", "r"],
        ["action", "reschedule", "SUFF-1.1", "+1m", "--reason", text],
        ["action", "complete", "SUFF-1.1", "--on", text, "--note", text],
        ["milestone", "add", "SUFF-1.1", text, "--due", text],
        ["plan", "add", text, text, "--board", text],
        ["theme", "add", "SUFF", "2", text, "--officer", text],
        ["overdue", "--owner", text, "--plan", text],
        ["action", "list", "--owner", text],
    ]


@SETTINGS
@given(st.text(max_size=40))
def test_every_text_option_gives_success_or_a_clean_exit_2(template, text):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.json"
        shutil.copy(template, store)
        for args in command_cases(text):
            before = store.read_bytes()
            result = runner.invoke(cli, ["--store", str(store), "--as-of", "01/12/2022", "--user", "U", *args])
            assert result.exit_code in (0, 2), (args, result.exit_code, result.output, result.exception)
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            if result.exit_code == 2:
                lines = result.stderr.splitlines()
                assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.stderr)
                assert store.read_bytes() == before
            JSONRepository(str(store)).load()  # still a good store either way


def text_values(min_size=0):
    return st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=min_size, max_size=20)


@st.composite
def actions(draw, ref: str) -> Action:
    d = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
    milestones = [Milestone(i + 1, draw(text_values(1)), draw(d), draw(st.none() | d)) for i in range(draw(st.integers(0, 3)))]
    history = [HistoryEntry(recorded_at="2026-01-01T00:00:00+00:00", effective=draw(d), user=draw(text_values(1)),
                            event=draw(st.sampled_from(["create", "update", "reschedule"])), note=draw(st.none() | text_values()),
                            txn=i + 1) for i in range(draw(st.integers(0, 3)))]
    return Action(ref=ref, plan="SUFF", theme=1, title=draw(text_values(1)), owner=draw(text_values(1)),
                  baseline_due=draw(d), due=draw(d), status=draw(st.sampled_from(STATUSES)),
                  rag=draw(st.sampled_from([None, "red", "amber", "green"])), success=draw(st.none() | text_values()),
                  finance=draw(st.none() | text_values()), source=draw(st.none() | text_values()),
                  completed_on=draw(st.none() | d), milestones=milestones, history=history)


@SETTINGS
@given(st.lists(st.integers(1, 500), unique=True, max_size=5).flatmap(
    lambda seqs: st.tuples(*[actions(f"SUFF-1.{s}") for s in seqs])))
def test_store_round_trip_keeps_every_field(generated):
    data = StoreData()
    t = Tracker(data, user="u", as_of=AS_OF)
    t.add_plan("SUFF", "Plan")
    t.add_theme("SUFF", 1, "Theme", "Officer")
    for a in generated:
        data.actions[a.ref] = a
    memory = MemoryRepository()
    memory.create(data)
    assert memory.load() == data
    for backend in BACKENDS:
        with tempfile.TemporaryDirectory() as folder, file_store(folder, backend) as repo:
            repo.create(data)
            assert repo.load() == data
    with tempfile.TemporaryDirectory() as folder:
        JSONRepository(str(Path(folder) / "s.json")).create(data)
        json.loads((Path(folder) / "s.json").read_text(encoding="utf-8"))
