"""`python -m actiontrack`, and the `actiontrack` command itself (pyproject's scripts).

The command's modules are imported here, inside main, not by the script: a Ctrl-C in the
tenth of a second that importing click and the store takes was a Python traceback (a
new-user trial saw it in 4 runs of 60). Nothing is saved by then.
"""

import sys


def main() -> None:
    try:
        from actiontrack.commands import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted; nothing was saved\n")
        sys.stderr.flush()
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
