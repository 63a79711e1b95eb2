"""Fitting a listing to the terminal: never a cropped column or a word broken in two.

Narrower and narrower layouts are tried in turn (see rich_table); a long listing is
plain aligned text (plain_table), which greps and pipes better than a drawn table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from actiontrack.commands.columns import RAG_STYLES, Column, chosen_columns, display, printable
from actiontrack.commands.wrapping import (
    cells_wide,
    least_width,
    line_breaks,
    longest_line,
    longest_word,
    whole_dates,
    wide_lines,
    wide_ljust,
    wrapped,
)


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

    parts: list[Any] = [whole_dates(printable(title), style="bold")] if title else []
    for row in rows:
        parts.append(Text(""))
        for c in columns:
            value = c.value(row)
            text = c.rich(row).plain if c.rich else display(value)
            style = RAG_STYLES.get(value, "") if c.rag and isinstance(value, str) else ""
            # The field's name bold, its value not: a Text's own style covers all it holds,
            # so `Text(name, style="bold").append(value)` made every block wholly bold.
            line = whole_dates()
            line.append(f"{c.header}: ", style="bold")
            line.append(text, style=style)
            parts.append(line)
    return Group(*parts)


def _build_table(rows: list[dict], columns: list[Column], title: str | None, compact: bool = False):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Any renderable is drawn as the title (rich's hint says str or Text): a date in it kept whole.
    table = Table(title=cast(Any, whole_dates(printable(title))) if title else None, title_justify="left",
                  expand=False)
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
        widest = max([longest_word(c.header)] + [least_width(t) if c.wrap else longest_line(t) for t in cells])
        table.add_column(c.header, overflow="fold", ratio=1 if c.wrap else None, min_width=max(widest, 3))
    for row, row_values, row_texts in zip(rows, values, texts, strict=True):
        cells = []
        for c, value, text in zip(columns, row_values, row_texts, strict=True):
            if c.rich:
                cells.append(c.rich(row))
                continue
            style = RAG_STYLES.get(value, "") if c.rag and isinstance(value, str) else ""
            cells.append(whole_dates(text, style=style) if c.wrap else Text(text, style=style))
        table.add_row(*cells)
    return table


PLAIN_FROM = 500  # rows: past this a rich table costs seconds and reads no better
GAP = "  "  # between a plain table's columns, as in the compact drawn table


def plain_table(rows: list[dict], columns: list[Column], title: str | None = None, width: int = 80) -> str:
    """Aligned text, one row a line where the width allows: for long listings, greps and pipes."""
    return "\n".join(plain_lines([plain_cells(row, columns) for row in rows], columns, title, width)) + "\n"


CELLS = "\x1f"  # between a row's cells as kept: a control character, which display() never leaves in a cell


def plain_cells(row: dict, columns: list[Column]) -> str:
    """A row's cells for a plain table, as one string (a long listing keeps these, not its rows)."""
    # Column.value written out: this runs for every cell of tens of thousands of rows.
    return CELLS.join([display(c.show(row) if c.show else row.get(c.key)) for c in columns])


def plain_lines(kept: list[str], columns: list[Column], title: str | None = None, width: int = 80) -> Iterator[str]:
    """The plain table's lines, from each row's plain_cells, one at a time: fitted to
    `width` as the drawn table is (see rich_table), never a word clipped or broken.

    Each row is one line when every cell fits whole; else free text wraps between words
    in its column, optional columns go (named under the table), and past that each row is
    a block of `Field: value` lines."""
    chosen = list(range(len(columns)))
    natural = _widest(kept, len(columns), _longest)
    widths = _fitted([columns[i] for i in chosen], [natural[i] for i in chosen], None, width)
    least: list[int] | None = None
    while widths is None:
        if least is None:  # only now: a pass for each cell's longest word
            least = _widest(kept, len(columns), _longest_word_of, [i for i, c in enumerate(columns) if c.wrap])
            # As in the drawn table: free text no narrower than its longest word, other
            # cells whole; a header wraps between its words.
            least = [max(w if c.wrap else n, longest_word(c.header), 3)
                     for c, w, n in zip(columns, least, natural, strict=True)]
        widths = _fitted([columns[i] for i in chosen], [natural[i] for i in chosen], [least[i] for i in chosen],
                         width)
        if widths is None:
            optional = [i for i in chosen if columns[i].optional]
            if not optional:
                yield from _plain_blocks(kept, columns, title, width)
                return
            chosen.remove(optional[-1])
    if title:
        yield from wrapped(printable(title), width)
    shown = [columns[i] for i in chosen]
    yield from _row_lines([c.header for c in shown], widths, _wrapping(widths))  # a header may wrap in any column
    yield GAP.join("-" * w for w in widths)
    # Only a column narrower than its widest cell can wrap: each row tests those alone.
    wrapping = _wrapping(widths, [natural[i] for i in chosen])
    for cells in kept:
        texts = cells.split(CELLS)
        yield from _row_lines([texts[i] for i in chosen] if len(chosen) < len(columns) else texts, widths, wrapping,
                              wide=not cells.isascii())
    dropped = [c.header for i, c in enumerate(columns) if i not in chosen]
    if dropped:
        yield from wrapped(f"Not shown, for want of width: {', '.join(dropped)} "
                            "(choose with --columns, or widen the terminal).", width)


def _widest(kept: list[str], count: int, measure, only: list[int] | None = None) -> list[int]:
    """Each column's widest by `measure` of a block of its cells (_longest, _longest_word_of); `only`: the
    columns to measure (the rest 0).  A block of rows at a time, a column at a time: the
    measuring in C, and never every row's cells split at once."""
    widths = [0] * count
    wanted = range(count) if only is None else only
    for start in range(0, len(kept), 1024):
        columns = list(zip(*[cells.split(CELLS) for cells in kept[start:start + 1024]]))
        for i in wanted:
            widths[i] = max(widths[i], measure(columns[i]))
    return widths


def _longest(cells: tuple[str, ...]) -> int:
    return max(map(len if all(map(str.isascii, cells)) else cells_wide, cells))


def _longest_word_of(cells: tuple[str, ...]) -> int:
    """The longest word in any of the cells: one split of them all, in C."""
    return least_width("\n".join(cells))  # a line apart: no date read across two cells


def _fitted(columns: list[Column], natural: list[int], least: list[int] | None, width: int) -> list[int] | None:
    """Each column's width in `width`: every cell whole on one line if that fits; else
    (with `least`, each column's narrowest) free text shares what is left in proportion to
    what each still wants, as _fits shares a drawn table's room; None if it cannot fit."""
    room = width - len(GAP) * (len(columns) - 1)
    whole = [max(n, len(c.header)) for c, n in zip(columns, natural, strict=True)]
    if sum(whole) <= room:
        return whole
    if least is None or sum(least) > room:
        return None
    spare = room - sum(least)
    wants = [w - m for w, m in zip(whole, least, strict=True)]
    total = sum(wants)
    extra = [spare * w // total for w in wants]
    extra[wants.index(max(wants))] += spare - sum(extra)
    return [m + e for m, e in zip(least, extra, strict=True)]


def _wrapping(widths: list[int], natural: list[int] | None = None) -> list[tuple[int, int, Callable]]:
    """The columns that may wrap (those narrower than their widest cell; all, without
    `natural`), each with its width and line breaker, made once for the table."""
    return [(n, w, line_breaks(w).findall) for n, w in enumerate(widths) if natural is None or natural[n] > w]


def _row_lines(texts: list[str], widths: list[int], wrapping: list[tuple[int, int, Callable]],
               wide: bool = False) -> list[str]:
    """One row's lines: its cells side by side, each in its width, those too long for it
    wrapped.  Every column is at least as wide as its longest word (see plain_lines), so
    the wrap never meets a word it cannot place.  `wide`: some cell is not ASCII, so each
    is measured in terminal columns (cells_wide), not in characters."""
    if wide:
        folded = [(n, wide_lines(texts[n], w)) for n, w, _ in wrapping if cells_wide(texts[n]) > w]
        pad: Callable[[str, int], str] = wide_ljust
    else:
        folded = [(n, wrap(texts[n])) for n, w, wrap in wrapping if len(texts[n]) > w]
        pad = str.ljust
    if not folded:  # map(), not a generator: a call less per cell of tens of thousands of rows
        return [GAP.join(map(pad, texts, widths)).rstrip()]
    first = list(texts)
    for n, lines in folded:
        first[n] = lines[0]
    out = [GAP.join(map(pad, first, widths)).rstrip()]
    for line in range(1, max(len(lines) for _, lines in folded)):
        parts = [""] * len(widths)
        for n, lines in folded:
            if line < len(lines):
                parts[n] = lines[line]
        out.append(GAP.join(map(pad, parts, widths)).rstrip())
    return out


def _plain_blocks(kept: list[str], columns: list[Column], title: str | None, width: int) -> Iterator[str]:
    """Too narrow for a table: each row as `Field: value` lines (as _blocks draws them)."""
    if title:
        yield from wrapped(printable(title), width)
    for cells in kept:
        yield ""
        for c, text in zip(columns, cells.split(CELLS), strict=True):
            yield from wrapped(f"{c.header}: {text}", width)
