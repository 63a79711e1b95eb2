"""Ctrl-C while a change is being written: the write finishes, and the message says so.

A new-user trial pressed Ctrl-C during `undo` on a 10,000-item store: in 3 runs of 25 the
undo was saved and its lines printed, yet the command said "aborted" (exit 130). An
officer told "aborted" runs undo again and takes back a second change. So an interrupt
that arrives while a change is written is held until the write (commit and unlock
included) is over, and is then raised where it is known that the change was saved; the
message names which (see `interrupted_message`).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

# Whether this command has saved a change; set back by each command run (commands._run).
_saved = [False]


def reset() -> None:
    _saved[0] = False


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


def interrupted_message() -> str:
    if saved():
        return "interrupted after the change was saved ('actiontrack changes' shows it)"
    return "interrupted; nothing was saved"
