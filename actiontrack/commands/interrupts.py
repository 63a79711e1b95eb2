"""Ctrl-C while a change is being written: the write finishes, and the message says so.

A new-user trial pressed Ctrl-C during `undo` on a 10,000-item store: in 3 runs of 25 the
undo was saved and its lines printed, yet the command said "aborted" (exit 130). An
officer told "aborted" runs undo again and takes back a second change. So an interrupt
that arrives while a change is written is held until the write (its commit
included) is over, and is then raised where it is known that the change was saved; the
message names which (see `interrupted_message`).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# Whether this command has saved a change; set back by each command run (commands._run).
_saved = [False]
_freed_on_interrupt = [False]


def reset() -> None:
    _saved[0] = _freed_on_interrupt[0] = False


def saved() -> bool:
    return _saved[0]


@contextmanager
def saving() -> Iterator[None]:
    """Hold SIGINT while the block writes; mark the change saved if the block ends well, and
    only then raise an interrupt that came meanwhile."""
    pending: list[object] = []

    def later(signum, frame) -> None:
        pending.append(signum)

    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:  # ignored (nohup), or someone else's to run
        previous = None
    else:
        try:
            signal.signal(signal.SIGINT, later)
        except ValueError:  # not the main thread (a test's writer thread): no signals come here
            previous = None
    try:
        yield
        _saved[0] = True
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt


def pass_on_from_finalizers() -> None:
    """A Ctrl-C that lands while an object is being freed (the store file's __del__ closing
    it) is not lost behind an "Exception ignored in ..." traceback, the command going on to
    exit 0, as a new-user trial saw: it is noted, and the command, once done, says it was
    interrupted (commands._run).  Noted, not raised again here: any Python code after the
    raise (this hook's own) would be interrupted in its turn."""
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            _freed_on_interrupt[0] = True
            return
        previous(unraisable)

    sys.unraisablehook = hook


def interrupted_meanwhile() -> bool:
    """A Ctrl-C came while an object was being freed (pass_on_from_finalizers)."""
    return _freed_on_interrupt[0]


def interrupted_message() -> str:
    if saved():
        return "interrupted after the change was saved ('actiontrack changes' shows it)"
    return "interrupted; nothing was saved"
