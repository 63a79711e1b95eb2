"""Rendering rows for people (rich tables, markdown) and for scripts (JSON, CSV).

User-typed text is shown literally: tables get rich Text objects (never markup) with
control characters stripped, CSV cells that a spreadsheet would run as a formula are
neutralised, markdown escapes pipes and HTML.  JSON keeps the exact text.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import click

from actiontrack.dates import uk

FORMATS = ("table", "json", "csv", "markdown")
RAG_STYLES = {"red": "bold red", "amber": "bold yellow", "green": "green", "blue": "bold blue"}
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    show: Callable[[dict], Any] | None = None  # derive the cell from the row
    rag: bool = False  # style the cell by its RAG value
    wrap: bool = False  # only free text wraps; refs, dates and numbers stay whole
    optional: bool = False  # dropped first when the terminal is too narrow for every column
    rich: Callable[[dict], Any] | None = None  # a rich renderable for terminal tables only

    def value(self, row: dict) -> Any:
        return self.show(row) if self.show else row.get(self.key)


def printable(text: str) -> str:
    """Drop terminal escape sequences and control characters (newlines become spaces)."""
    if text.isprintable():  # nearly always: skip the regular expression
        return text
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, date):
        return uk(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v) for v in value)
    return printable(str(value))


def to_json(payload: Any) -> str:
    return json_bytes(payload).decode("utf-8")


def json_bytes(payload: Any) -> bytes:
    # orjson writes dates as ISO 8601 itself, and is many times faster on big reports;
    # as bytes, a big report goes to stdout without a round trip through str.
    import orjson

    return orjson.dumps(payload, option=orjson.OPT_INDENT_2)


def write_json_rows(rows: list[dict], batch: int = 1000) -> None:
    """The same bytes as json_bytes(rows), written a batch of rows at a time: a 100k
    report never holds its whole JSON text in memory."""
    if not rows:
        click.echo(json_bytes(rows))
        return
    for start in range(0, len(rows), batch):
        # A batch dumped as a list is "[\n" + its rows, each indented as in the whole + "\n]".
        text = json_bytes(rows[start:start + batch])
        click.echo(text[:-2] if start == 0 else b",\n" + text[2:-2], nl=False)  # bytes go out as bytes
    click.echo(b"\n]")


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
    lines = [f"**{md_text(title)}**", ""] if title else []
    lines.append("| " + " | ".join(md_text(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(md_text(c.value(row)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


PIPE_WIDTH = 200


def console(stderr: bool = False):
    """A rich console that is plain when piped and honours NO_COLOR (rich does both).

    Piped output is for files and e-mails, not an 80-column terminal, so it gets room
    for a committee-paper table unless COLUMNS says otherwise.
    """
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and not os.environ.get("COLUMNS"):
        width = PIPE_WIDTH
    return Console(file=stream, highlight=False, width=width)


def chosen_columns(columns: list[Column]) -> list[Column]:
    """The columns `--columns` named (by key or header, any case), in the listing's order."""
    ctx = click.get_current_context(silent=True)
    wanted = ctx.meta.get("actiontrack.columns") if ctx else None
    if not wanted:
        return columns
    names = [w.strip().lower() for w in wanted.split(",") if w.strip()]
    known = {n for c in columns for n in (c.key.lower(), c.header.lower())}
    unknown = [n for n in names if n not in known]
    if unknown:
        from actiontrack.errors import BadInput

        raise BadInput(f"no column {unknown[0]!r} here: choose from {', '.join(c.key for c in columns)}")
    return [c for c in columns if c.key.lower() in names or c.header.lower() in names]


def columns_option(func):
    """--columns: choose a listing's columns (kept in the context, read by chosen_columns)."""
    def remember(ctx, param, value):
        if value is not None:
            ctx.meta["actiontrack.columns"] = value

    return click.option("--columns", metavar="COL,COL", expose_value=False, callback=remember,
                        help="Only these columns in a table or markdown (keys or headers, comma-separated).")(func)


def rich_table(rows: list[dict], columns: list[Column], title: str | None = None, out=None):
    """A rich table that never crops a column or breaks a word to fit the console.

    Narrower and narrower, each tried in turn until one fits: the boxed table; the same
    columns with no box between them (the lines cost three characters a column); then
    optional columns go (last first), and a note under the table says which; if the
    required ones still cannot fit, each row is printed as `Field: value` lines.
    """
    columns = every = chosen_columns(columns)
    table = _build_table(rows, columns, title)
    if out is None:
        return table
    from rich.console import Group
    from rich.text import Text

    if _fits(out, table):
        return table
    dropped: list[Column] = []
    while not _fits(out, table := _build_table(rows, columns, title, compact=True)):
        optional = [c for c in columns if c.optional]
        if not optional:
            return _blocks(rows, every, title)  # a block has room for every column
        dropped.insert(0, optional[-1])
        columns = [c for c in columns if c is not optional[-1]]
    if not dropped:
        return table
    note = Text(f"Not shown, for want of width: {', '.join(c.header for c in dropped)} "
                "(choose with --columns, or widen the terminal).", style="dim")
    return Group(table, note)


def _fits(out, table) -> bool:
    """Lay the table out in the console's width with no column below its minimum (its
    longest word); False if it cannot be.

    rich's own layout squeezes columns below min_width when room is short, cropping or
    splitting words; so the widths are set here: every column its minimum, and the
    room left shared out in proportion to what each still wants.
    """
    room = out.width - table._extra_width
    options = out.options.update_width(room)
    spans = [table._measure_column(out, options, c) for c in table.columns]
    widths = [s.minimum for s in spans]
    spare = room - sum(widths)
    if spare < 0:
        return False
    wants = [s.maximum - s.minimum for s in spans]
    if sum(wants) > spare:
        # Short columns (dates, numbers, headers) whole first, narrowest first; free text shares the rest.
        for i in sorted(range(len(spans)), key=lambda i: (table.columns[i].ratio is not None, wants[i])):
            if table.columns[i].ratio is None and wants[i] <= spare:
                widths[i] += wants[i]
                spare -= wants[i]
                wants[i] = 0
        total = sum(wants)
        extra = [spare * w // total for w in wants]
        extra[wants.index(max(wants))] += spare - sum(extra)
        widths = [w + e for w, e in zip(widths, extra)]
    else:
        widths = [s.maximum for s in spans]  # room for every cell on one line
    for column, width in zip(table.columns, widths):
        column.width = width - table._get_padding_width(column._index)
        column.ratio = None  # a ratio column ignores its width
    return True


def _blocks(rows: list[dict], columns: list[Column], title: str | None):
    """Each row as `Field: value` lines: too narrow for a table, but nothing is lost."""
    from rich.console import Group
    from rich.text import Text

    parts = [Text(printable(title), style="bold")] if title else []
    for row in rows:
        parts.append(Text(""))
        for c in columns:
            text = c.rich(row).plain if c.rich else display(c.value(row))
            value = c.value(row)
            style = RAG_STYLES.get(value, "") if c.rag and isinstance(value, str) else ""
            line = Text(f"{c.header}: ", style="bold")
            line.append(text, style=style)
            parts.append(line)
    return Group(*parts)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _build_table(rows: list[dict], columns: list[Column], title: str | None, compact: bool = False):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(printable(title)) if title else None, title_justify="left", expand=False)
    if compact:
        # A rule under the headers and two spaces between columns: no edge, no inner lines.
        table.box, table.show_edge, table.pad_edge, table.padding = box.SIMPLE_HEAD, False, False, (0, 1, 0, 0)
    values = [[c.value(row) for c in columns] for row in rows]
    texts = [[c.rich(row).plain if c.rich else display(v) for c, v in zip(columns, vals, strict=True)]
             for row, vals in zip(rows, values, strict=True)]
    for i, c in enumerate(columns):
        # No column narrower than its longest word, so free text (and a header) wraps
        # between words, never inside one.  Refs, dates ("30 Sep 2022"), numbers and RAG
        # words never wrap at all: a date over three lines reads as three cells.
        cells = [row[i] for row in texts]
        widest = max([_longest_word(c.header)] + [_longest_word(t) if c.wrap else _longest_line(t) for t in cells])
        table.add_column(c.header, overflow="fold", ratio=1 if c.wrap else None, min_width=max(widest, 3))
    for row, row_values, row_texts in zip(rows, values, texts, strict=True):
        cells = []
        for c, value, text in zip(columns, row_values, row_texts, strict=True):
            if c.rich:
                cells.append(c.rich(row))
                continue
            style = RAG_STYLES.get(value, "") if c.rag and isinstance(value, str) else ""
            cells.append(Text(text, style=style))
        table.add_row(*cells)
    return table


PLAIN_FROM = 500  # rows: past this a rich table costs seconds and reads no better
PLAIN_CELL = 60


def plain_table(rows: list[dict], columns: list[Column], title: str | None = None) -> str:
    """Aligned text, one line per row: for long listings, greps and pipes."""
    cells = [[_clip(display(c.value(row))) for c in columns] for row in rows]
    headers = [c.header for c in columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [title] if title else []
    lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def _clip(text: str) -> str:
    return text if len(text) <= PLAIN_CELL else text[:PLAIN_CELL - 1] + "…"


def emit_rows(rows: list[dict], columns: list[Column], fmt: str, *, title: str, csv_keys: list[str],
              empty: str) -> None:
    """One listing in the format asked for; `empty` is said (in a table) when there is nothing."""
    if fmt == "json":
        write_json_rows(rows)
    elif fmt == "csv":
        click.echo(to_csv(rows, csv_keys), nl=False)
    elif fmt == "markdown":
        click.echo(to_markdown(rows, columns, title))
    elif not rows:
        click.echo(empty)
    elif len(rows) > PLAIN_FROM:
        click.echo(plain_table(rows, columns, title), nl=False)
    else:
        out = console()
        out.print(rich_table(rows, columns, title, out))


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


def write_file(path: str, payload: bytes) -> None:
    from actiontrack.errors import BadInput

    try:
        with open(path, "wb") as f:
            f.write(payload)
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e.strerror or e}") from None


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
