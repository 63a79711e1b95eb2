"""Ctrl-C and what the officer is told: a change is saved whole or not at all, and the
message says which (commands/interrupts).  The interrupt is sent at a chosen point with
signal.raise_signal, so no test waits on a timer."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from actiontrack.changes.tracker import Tracker
from actiontrack.commands.interrupts import saved, saving
from actiontrack.store.base import Transaction

UPDATE = ("action", "update", "SUFF-1.1", "--rag", "amber", "--note", "Refresh slipped to January")


def _rag(cli) -> str:
    return next(r["rag"] for r in cli.json("action", "list") if r["ref"] == "SUFF-1.1")


def test_an_interrupt_while_saving_waits_for_the_save_and_says_it_was_saved(sufficiency, monkeypatch):
    """A new-user trial: Ctrl-C during `undo` at 10k items printed the undo's lines and
    "aborted" with the change saved; told "aborted", an officer undoes a second change."""
    original = Transaction.save

    def interrupted_midway(self):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C as the write begins
        original(self)

    monkeypatch.setattr(Transaction, "save", interrupted_midway)
    result = sufficiency(*UPDATE)
    monkeypatch.undo()
    assert result.exit_code == 130, (result.stdout, result.stderr)
    assert result.stderr.strip() == "Error: interrupted after the change was saved ('actiontrack changes' shows it)"
    assert _rag(sufficiency) == "amber"  # the save finished, whole
    notes = [c["note"] for c in sufficiency.json("changes", "--since", "01/07/2022")]
    assert "Refresh slipped to January" in notes


def test_an_interrupt_just_after_the_save_says_it_was_saved(sufficiency, monkeypatch):
    original = Transaction.save

    def interrupted_after(self):
        original(self)
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(Transaction, "save", interrupted_after)
    result = sufficiency(*UPDATE)
    monkeypatch.undo()
    assert result.exit_code == 130
    assert "interrupted after the change was saved" in result.stderr
    assert _rag(sufficiency) == "amber"


def test_an_interrupt_before_the_save_saves_nothing_and_says_so(sufficiency, monkeypatch):
    before = sufficiency.snapshot()
    original = Tracker.update_action

    def interrupted_while_working(self, *args, **kwargs):
        signal.raise_signal(signal.SIGINT)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Tracker, "update_action", interrupted_while_working)
    result = sufficiency(*UPDATE)
    monkeypatch.undo()
    assert result.exit_code == 130
    assert result.stderr.strip() == "Error: interrupted; nothing was saved"
    assert sufficiency.snapshot() == before


def test_the_next_command_in_the_same_process_starts_unsaved(sufficiency, monkeypatch):
    """The saved mark is the command's: a report interrupted after an earlier update in the
    same process (a test runner, a script importing us) must not claim a save."""
    sufficiency.ok(*UPDATE)
    from actiontrack.reports import listings

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(listings, "overdue", interrupted)
    result = sufficiency("overdue")
    assert result.exit_code == 130
    assert result.stderr.strip() == "Error: interrupted; nothing was saved"


def test_saving_holds_the_interrupt_then_raises_it_after_marking_the_save():
    reached = []
    with pytest.raises(KeyboardInterrupt), saving():
        signal.raise_signal(signal.SIGINT)
        reached.append("after the signal")  # the block goes on: the write completes
    assert reached == ["after the signal"] and saved()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_saving_leaves_an_ignored_interrupt_ignored():
    """Run under nohup (SIGINT ignored), a save must not raise an interrupt nobody sent."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with saving():
            signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_interrupt_while_the_command_loads_is_one_line_not_a_traceback(tmp_path):
    """Ctrl-C in the first tenth of a second, while click and the store load: a traceback
    in 4 of 60 runs of a new-user trial.  The interrupt is raised by the first module the
    command imports, through a sitecustomize on the path."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import builtins, signal\n"
        "real = builtins.__import__\n"
        "def imp(name, *a, **k):\n"
        "    if name == 'actiontrack.commands':\n"
        "        builtins.__import__ = real\n"
        "        signal.raise_signal(signal.SIGINT)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = imp\n")
    import os

    env = {**os.environ, "PYTHONPATH": f"{hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run([sys.executable, "-m", "actiontrack", "--help"], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "Error: interrupted; nothing was saved"


def test_an_interrupt_inside_a_finalizer_is_said_when_the_command_ends(sufficiency, capsys, monkeypatch):
    """A new-user trial: Ctrl-C while the store file's __del__ ran printed "Exception ignored
    in: <function Source.__del__>" with a traceback, and the command went on to exit 0."""
    import sys

    from actiontrack.commands import interrupts

    class Closing:
        def __del__(self):
            raise KeyboardInterrupt  # as the signal handler raises it there

    original = Transaction.save

    def freed_while_saving(self):
        original(self)
        Closing()  # freed at once, its __del__ interrupted

    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)  # put back after the test
    interrupts.pass_on_from_finalizers()
    monkeypatch.setattr(Transaction, "save", freed_while_saving)
    result = sufficiency(*UPDATE)
    assert result.exit_code == 130
    assert result.stderr.strip() == "Error: interrupted after the change was saved ('actiontrack changes' shows it)"
    assert "Exception ignored" not in capsys.readouterr().err + result.stderr
    monkeypatch.setattr(Transaction, "save", original)
    assert _rag(sufficiency) == "amber"
    sufficiency.ok("action", "update", "SUFF-1.1", "--note", "Next")  # the next command starts afresh


@pytest.mark.json_store
def test_an_interrupt_as_a_record_is_read_is_not_exit_70(sufficiency, monkeypatch):
    """A second new-user trial: Ctrl-C while reassign read the records gave "unexpected
    UnboundLocalError" (exit 70) once in 600 runs: the record's buffer was made inside the
    try whose finally released it."""
    import sys

    from actiontrack.store import file_items

    before = sufficiency.snapshot()
    met = []

    def interrupted(raw):
        if sys._getframe(1).f_code.co_name != "_record":  # as the record itself is decoded
            return memoryview(raw)
        met.append(raw)
        raise KeyboardInterrupt

    monkeypatch.setattr(file_items, "memoryview", interrupted, raising=False)
    result = sufficiency("action", "update", "SUFF-1.1", "--note", "Progress")  # reads its record whole
    monkeypatch.undo()
    assert met and result.exit_code == 130, (result.exit_code, result.stderr)
    assert result.stderr.strip() == "Error: interrupted; nothing was saved"
    assert sufficiency.snapshot() == before


@pytest.mark.json_store
def test_restore_of_a_missing_store_without_backups_leaves_no_lock_file(tmp_path):
    from tests.conftest import CLI

    missing = CLI(tmp_path / "missing.json")
    missing.refused("restore", "1", says="there is no backup 1 of")
    assert list(tmp_path.iterdir()) == []
