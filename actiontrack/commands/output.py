"""Rendering rows for people (rich tables, markdown) and for scripts (JSON, CSV).

User-typed text is shown literally: tables get rich Text objects (never markup) with
control characters stripped, CSV cells that a spreadsheet would run as a formula are
neutralised, markdown escapes pipes and HTML.  JSON keeps the exact text.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import click
import orjson  # loaded by every command already (the store's models)

from actiontrack.commands.columns import Column, chosen_columns, display
from actiontrack.commands.layout import PLAIN_FROM, plain_cells, plain_lines, rich_table, wrapped
from actiontrack.patterns import Pattern

FORMATS = ("table", "json", "csv", "markdown")
_ENTITY_START = Pattern(r"&(?=#?[0-9A-Za-z]+;)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(payload: Any) -> str:
    return json_bytes(payload).decode("utf-8")


def json_bytes(payload: Any) -> bytes:
    # orjson writes dates as ISO 8601 itself, and is many times faster on big reports;
    # as bytes, a big report goes to stdout without a round trip through str.
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2)


def write_json_rows(rows: list[dict]) -> None:
    """The same bytes as json_bytes(rows), written a batch of rows at a time: a 100k
    report never holds its whole JSON text in memory."""
    write_json_elements(map(json_element, rows))


def write_json_elements(elements: Iterable[bytes], batch: int = 1000) -> None:
    """A JSON array of rows already rendered by json_element, as json_bytes writes one."""
    pending: list[bytes] = []
    started = False
    for element in elements:
        pending.append(element)
        if len(pending) == batch:
            click.echo((b",\n" if started else b"[\n") + b",\n".join(pending), nl=False)  # bytes go out as bytes
            pending.clear()
            started = True
    if pending:
        click.echo((b",\n" if started else b"[\n") + b",\n".join(pending), nl=False)
        started = True
    click.echo(b"\n]" if started else b"[]")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    text = str(value)
    # OWASP CSV injection: a leading quote makes Excel show the text, not run it.
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: list[dict], keys: list[str]) -> str:
    buffer = io.StringIO()
    # RFC 4180 line ends, so a stray carriage return inside a cell gets quoted too.
    import csv  # only for CSV output

    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([csv_cell(row.get(k)) for k in keys])
    return buffer.getvalue()


def md_text(value: Any) -> str:
    """Text for markdown, shown as typed: committee papers and e-mail render markdown, and
    markdown passes raw HTML through, so a title `<script>` would run.  An entity, not a
    backslash, for `<`: every renderer shows it literally, and with no `<` there is no tag
    or autolink, so `>` stays as typed ("05 Mar 2018 -> 31 Oct 2018").  `&` only where it
    would start an entity ("&lt;" typed as text): "Commissioning & Procurement" stays as
    typed, for the paper that is pasted as plain text."""
    text = _ENTITY_START.sub("&amp;", display(value)).replace("<", "&lt;")
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(rows: list[dict], columns: list[Column], title: str | None = None) -> str:
    columns = chosen_columns(columns)
    return "\n".join([*_markdown_head(columns, title), *(md_row(row, columns) for row in rows)]) + "\n"


def _markdown_head(columns: list[Column], title: str | None) -> list[str]:
    lines = [f"**{md_text(title)}**", ""] if title else []
    lines.append("| " + " | ".join(md_text(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    return lines


def md_row(row: dict, columns: list[Column]) -> str:
    return "| " + " | ".join(md_text(c.value(row)) for c in columns) + " |"


PIPE_WIDTH = 200


def output_width() -> int:
    """The width console() gives rich, worked out without loading rich (a long plain table
    never draws with it): COLUMNS, else the terminal's, else PIPE_WIDTH when piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            return 80
    return 80 if columns else PIPE_WIDTH


def console(stderr: bool = False):
    """A rich console that is plain when piped and honours NO_COLOR (rich does both).

    Piped output is for files and e-mails, not an 80-column terminal, so it gets room
    for a committee-paper table unless COLUMNS says otherwise.
    """
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and not os.environ.get("COLUMNS"):
        width = PIPE_WIDTH
    return _console_class()(file=stream, highlight=False, width=width)


def say(notes: Iterable[str], hanging: str = "") -> None:
    """Notes, each broken between words at the console's width (import's ran to 163 columns
    at 80), worked out once for them all.  `hanging`: each note's later lines' start."""
    width = console().width
    for note in notes:
        text = note.lstrip(" ")
        indent = note[:len(note) - len(text)]  # a note's own indent starts each of its lines
        lines = wrapped(text, max(width - len(indent), 1))
        later = indent
        if hanging and len(lines) > 1 and text.startswith(lines[0]):
            lines = [lines[0], *wrapped(text[len(lines[0]):].strip(), max(width - len(hanging), 1))]
            later = hanging
        for n, line in enumerate(lines):
            click.echo((later if n else indent) + line)


@lru_cache(maxsize=1)
def _console_class():
    from rich.console import Console

    class PipedConsole(Console):
        """rich's console, with a broken pipe said as every other command says it."""

        def on_broken_pipe(self) -> None:
            # rich exits 1 when the reader goes (`| head`); every other command is 141,
            # as any shell tool is (commands/__init__).  Later writes go nowhere, as in rich.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise BrokenPipeError(errno.EPIPE, "the reader went away")

        def _render_buffer(self, buffer: Iterable[Any]) -> str:
            # rich pads every cell of a table to its column's width, so plain output (a
            # pipe, a file for committee papers, an e-mail) ended lines with runs of
            # spaces that pasting carries along.  Styled output ends its lines with a
            # style's reset code, which this leaves alone.
            text = super()._render_buffer(buffer)
            if " \n" not in text:
                return text
            return "\n".join(line.rstrip(" ") for line in text.split("\n"))

    return PipedConsole


def json_element(row: dict) -> bytes:
    """A row's text as it stands inside the listing's JSON array (indented as in it)."""
    return _dumps([row], option=_INDENTED)[2:-2]  # as json_bytes, without its call: once per row


_dumps, _INDENTED = orjson.dumps, orjson.OPT_INDENT_2


def csv_line(keys: list[str]):
    """A function giving a row's CSV line, for a listing that keeps lines, not rows."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(row: dict) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(row.get(k)) for k in keys])
        return buffer.getvalue()

    return line


def rendered_as(fmt: str, csv_keys: list[str], columns: list[Column]):
    """What a long listing keeps of each row until sorted (see listings.overdue's `keep`):
    its JSON element, CSV line or markdown line; for a table its plain cells, and the row
    itself while there are few enough for a drawn table.  100,000 rows' dicts were most
    of a big report's memory."""
    if fmt == "json":
        return json_element
    if fmt == "csv":
        return csv_line(csv_keys)
    chosen = chosen_columns(columns)
    if fmt == "markdown":
        return lambda row: Kept(md_row(row, chosen))
    kept = 0

    def for_table(row: dict) -> Kept:
        nonlocal kept
        kept += 1
        return Kept(plain_cells(row, chosen), row if kept <= PLAIN_FROM else None)

    return for_table


class Kept(NamedTuple):
    """A row of a long listing as kept for a table or markdown: its text, and (for a
    table of at most PLAIN_FROM rows, drawn by rich) the row itself."""

    text: str
    row: dict | None = None


def emit_rows(rows: list[Any], columns: list[Column], fmt: str, *, title: str, csv_keys: list[str],
              empty: str) -> None:
    """One listing in the format asked for; `empty` is said (in a table or markdown) when there is nothing.
    `rows`: dicts, or what rendered_as(fmt) made of them."""
    if rows and isinstance(rows[0], Kept):
        if fmt == "markdown":
            _echo_lines([*_markdown_head(chosen_columns(columns), title), *(k.text for k in rows), ""])
            return
        if len(rows) <= PLAIN_FROM:
            rows = [k.row for k in rows]
        else:
            _echo_lines(plain_lines([k.text for k in rows], chosen_columns(columns), title, output_width()))
            return
    if rows and not isinstance(rows[0], dict):
        _emit_rendered(rows, fmt, csv_keys)
    elif fmt == "json":
        write_json_rows(rows)
    elif fmt == "csv":
        click.echo(to_csv(rows, csv_keys), nl=False)
    elif fmt == "markdown":
        # Nothing to list is said in words: an empty table pasted into committee papers reads as a mistake.
        click.echo(to_markdown(rows, columns, title) if rows else f"**{md_text(title)}**\n\n{md_text(empty)}\n")
    elif not rows:
        console().print(empty, markup=False, emoji=False, highlight=False)  # it may quote what was typed
    elif len(rows) > PLAIN_FROM:
        _echo_lines(plain_lines([plain_cells(row, chosen_columns(columns)) for row in rows],
                                chosen_columns(columns), title, output_width()))
    else:
        out = console()
        out.print(rich_table(rows, columns, title, out))


def _echo_lines(lines: Iterable[str], batch: int = 1000) -> None:
    """Lines of text, a batch at a time: a long listing never joined whole."""
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if len(pending) == batch:
            click.echo("\n".join(pending))
            pending.clear()
    if pending:
        click.echo("\n".join(pending))


def _emit_rendered(rows: list, fmt: str, csv_keys: list[str], batch: int = 1000) -> None:
    if fmt == "csv":
        click.echo(to_csv([], csv_keys), nl=False)  # the header line
        for start in range(0, len(rows), batch):
            click.echo("".join(rows[start:start + batch]), nl=False)
        return
    write_json_elements(rows)


def output_option(func):
    """`--output FILE` for a command: everything it would print goes to FILE instead.

    The one writer for every command that takes --output, so all of them refuse an
    unwritable file the same way (one line, exit 2) and none ignores the option in some
    format: the command prints as usual and its standard output is captured.  The
    command still receives `output` (an .xlsx export needs one).
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args, output=None, **kwargs):
        if output is None:
            return func(*args, output=None, **kwargs)
        check_writable(output)  # before the work: a change must not be made and its report lost
        ctx = click.get_current_context(silent=True)
        _not_the_store(output, getattr(ctx.find_root().obj, "store", None) if ctx else None)
        with _captured_stdout() as captured:
            result = func(*args, output=output, **kwargs)
        write_file(output, captured.getvalue())
        click.echo(f"Wrote {output}")
        return result

    return click.option("--output", type=click.Path(dir_okay=False), metavar="FILE",
                        help="Write to this file instead of standard output.")(wrapper)


def check_writable(path: str) -> None:
    from actiontrack.errors import BadInput

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BadInput(f"cannot write {path}: no folder {folder}")
    if os.path.isdir(path):
        raise BadInput(f"cannot write {path}: it is a folder")
    if not os.access(path if os.path.exists(path) else folder, os.W_OK):
        raise BadInput(f"cannot write {path}: permission denied")


def _not_the_store(path: str, store: str | None) -> None:
    """An export, report or log written over the store, its backups or its index destroyed
    it, with exit 0 (a new-user trial: every command after it exited 3, and the change made
    since the newest backup was lost; on SQLite, all of it)."""
    if not store or "://" in store:
        return
    from actiontrack.errors import BadInput

    target, kept = os.path.realpath(path), os.path.realpath(store)
    if target == kept or target.startswith(kept + "."):
        what = "the store itself" if target == kept else "a file the store keeps beside it (a backup, its index)"
        raise BadInput(f"--output {path} is {what}: write to another file")


def write_file(path: str, payload: bytes) -> None:
    """Written beside its name and then renamed over it: a file cut short (a full disk, a
    crash) never stands under the name, nor in place of the one it was to replace."""
    import tempfile

    from actiontrack.errors import BadInput

    temp = None
    try:
        if os.path.exists(path) and not os.path.isfile(path):  # /dev/stdout, a pipe: written as it is
            with open(path, "wb") as f:
                f.write(payload)
            return
        target = os.path.realpath(path)  # a link's file is replaced, not the link
        fd, temp = tempfile.mkstemp(prefix=".actiontrack-", suffix=".part", dir=os.path.dirname(target))
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        # The mode of the file it replaces, or as open() would have made it (not mkstemp's 0600).
        os.chmod(temp, os.stat(target).st_mode & 0o7777 if os.path.exists(target) else 0o666 & ~_umask())
        os.replace(temp, target)
    except OSError as e:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        raise BadInput(f"cannot write {path}: {e.strerror or e}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _captured_stdout:
    """sys.stdout as UTF-8 text over a byte buffer: click.echo, rich and raw bytes all land in it."""

    def __enter__(self):
        self.saved = sys.stdout
        self.buffer = io.BytesIO()
        # Held here: a TextIOWrapper that is dropped closes its buffer.
        self.text = io.TextIOWrapper(self.buffer, encoding="utf-8", newline="\n", write_through=True)
        sys.stdout = self.text
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stdout = self.saved
        return False

    def getvalue(self) -> bytes:
        return self.buffer.getvalue()
