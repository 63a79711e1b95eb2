"""Fitting a listing to the terminal: never a cropped column or a word broken in two.

Narrower and narrower layouts are tried in turn (see rich_table); a long listing is
plain aligned text (plain_table), which greps and pipes better than a drawn table.
"""

from __future__ import annotations

from collections.abc import Iterator

from actiontrack.commands.columns import RAG_STYLES, Column, chosen_columns, display, printable


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
    return "\n".join(plain_lines([plain_cells(row, columns) for row in rows], columns, title)) + "\n"


CELLS = "\x1f"  # between a row's cells as kept: a control character, which display() never leaves in a cell


def plain_cells(row: dict, columns: list[Column]) -> str:
    """A row's cells for a plain table, as one string (a long listing keeps these, not its rows)."""
    # Column.value and _clip written out: this runs for every cell of tens of thousands of rows.
    texts = [display(c.show(row) if c.show else row.get(c.key)) for c in columns]
    return CELLS.join([t if len(t) <= PLAIN_CELL else _clip(t) for t in texts])


def plain_lines(kept: list[str], columns: list[Column], title: str | None = None) -> Iterator[str]:
    """The plain table's lines, from each row's plain_cells: one at a time, never all at once."""
    headers = [c.header for c in columns]
    widths = [len(h) for h in headers]
    for cells in kept:
        for i, cell in enumerate(cells.split(CELLS)):
            if len(cell) > widths[i]:
                widths[i] = len(cell)
    if title:
        yield title
    yield "  ".join(map(str.ljust, headers, widths)).rstrip()
    yield "  ".join("-" * w for w in widths)
    for cells in kept:  # map(), not a generator: a call less per cell of tens of thousands of rows
        yield "  ".join(map(str.ljust, cells.split(CELLS), widths)).rstrip()


def _clip(text: str) -> str:
    return text if len(text) <= PLAIN_CELL else text[:PLAIN_CELL - 1] + "…"
