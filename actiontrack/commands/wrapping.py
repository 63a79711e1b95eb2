"""Text in a column's width: broken between words, never inside a word, a wide character
or a date, and measured as a terminal shows it (a Japanese character or an emoji is two
columns).  Both tables use it: the drawn one (layout.rich_table) and the plain one."""

from __future__ import annotations

import re
from functools import lru_cache

from actiontrack.dates import MONTHS
from actiontrack.patterns import Pattern


def longest_word(text: str) -> int:
    return max(map(len if text.isascii() else cells_wide, text.split()), default=0)


# A date in free text wrapped as three words: "(due 30 Sep" then "2022)" read as two things.  A
# date with what touches it ("(30 Sep 2022)") is one word to every wrap here, and no column is
# narrower than it; so is a date as clerks type it ("1 Dec 2022", "20 July 2022", "Jan 2023").
# The plain table's line breaks step round one (line_breaks, wide_lines); for rich, its spaces are a
# character no wrap breaks at, one rich counts as a column, shown as spaces.
_NAMES = sorted({name.title() for name in MONTHS}, key=len, reverse=True)  # "September" before "Sep"
_MONTH = "(?:" + "|".join(_NAMES) + ")"
_AFTER_MONTH = "(?:" + "|".join(f"(?<=\\b(?:{'|'.join(n for n in _NAMES if len(n) == size)}))"
                                for size in sorted({len(n) for n in _NAMES})) + ")"
# A space inside a date: after a day, before its month; or after a month, before its year.
_INSIDE = rf"(?:(?<=\b\d)|(?<=\b\d\d)) (?={_MONTH}\b)|{_AFTER_MONTH} (?=\d{{4}}\b)"
_DATE_SPACES = Pattern(_INSIDE)
_JOIN = "\ue000"
_MONTHS = [f" {name} " for name in _NAMES]  # " September " before " Sep "


def least_width(text: str) -> int:
    """The narrowest `text` wraps to: its longest word, a date and what touches it one word
    (each month's spaces joined by str.replace, fast on a block of a thousand cells: so "in
    Jan 2023" is one word too, and its column a little wider)."""
    mark = "\x1a" if text.isascii() else _JOIN  # as wide as a letter to len and to rich
    for month in _MONTHS:
        if month in text:
            text = text.replace(month, f"{mark}{month[1:-1]}{mark}")
    return longest_word(text)


def whole_dates(text: str = "", style: str = "") -> WholeDates:
    """A rich renderable of `text` that wraps with each date whole (see above)."""
    from rich.text import Text

    # Folded, never cut: a date wider than the room left (beside emoji, say) goes over two
    # lines rather than lose characters to "…" (a third trial, in action show's grid).
    return WholeDates(Text(_joined(text), style=style, overflow="fold"))


def _joined(text: str) -> str:
    return _DATE_SPACES.sub(_JOIN, text)


class WholeDates:
    """A rich Text wrapped with each date one word (its spaces joined), shown with its spaces.
    Not a Text itself: console.print joins Texts into a new one, which showed the joining
    character ("01Dec2022") where a table's cell did not."""

    def __init__(self, text):
        self.text = text

    def append(self, text, style=None) -> WholeDates:
        self.text.append(_joined(text) if isinstance(text, str) else text, style)
        return self

    @property
    def plain(self) -> str:
        return self.text.plain.replace(_JOIN, " ")

    def __rich_measure__(self, console, options):
        return self.text.__rich_measure__(console, options)

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for segment in self.text.__rich_console__(console, options):
            yield Segment(segment.text.replace(_JOIN, " "), segment.style, segment.control) \
                if _JOIN in segment.text else segment


def cells_wide(text: str) -> int:
    """The columns `text` takes on a terminal, as rich counts them for a drawn table: two
    for a wide (Chinese, Japanese, Korean) character or an emoji, none for a combining
    mark.  A plain table counted characters, so a title in Japanese ran past the width."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len  # only for text that is not ASCII: its import costs a long listing

    return cell_len(text)


def wide_ljust(text: str, width: int) -> str:
    return text + " " * (width - cells_wide(text))


def longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns, broken between words (a word
    wider than `width` folded, as line_breaks says)."""
    if not text.isascii():
        return [text] if cells_wide(text) <= width else wide_lines(text, width)
    return [text] if len(text) <= width else line_breaks(width).findall(text)


_WORD = Pattern(r"\S+")  # compiled when first used: only text that is not ASCII wraps by it


def wide_lines(text: str, width: int) -> list[str]:
    """line_breaks' greedy wrap for text that is not all ASCII, in terminal columns: each
    line from a word's start to the end of the last word that still fits; a word wider
    than `width` folded over lines of its own.  A date is one word (its spaces joined, then
    given back): "14 Dec 2022—15 Jan 2023" is one."""
    return [line.replace(_JOIN, " ") for line in _wide_lines(_joined(text), width)]


def _wide_lines(text: str, width: int) -> list[str]:
    lines: list[str] = []
    start = end = -1
    for word in _WORD.finditer(text):
        if start >= 0 and cells_wide(text[start:word.end()]) <= width:
            end = word.end()
            continue
        if start >= 0:
            lines.append(text[start:end])
        start, end = word.span()
        if cells_wide(text[start:end]) > width:
            *whole, last = _folded(text[start:end], width)
            lines.extend(whole)
            start = end - len(last)
    if start >= 0:
        lines.append(text[start:end])
    return lines


def _folded(word: str, width: int) -> list[str]:
    """`word` in pieces of at most `width` terminal columns (a wide character never split)."""
    pieces, piece, used = [], "", 0
    for ch in word:
        size = cells_wide(ch)
        if used + size > width and piece:
            pieces.append(piece)
            piece, used = "", 0
        piece += ch
        used += size
    return [*pieces, piece]


@lru_cache(maxsize=256)
def line_breaks(width: int) -> re.Pattern[str]:
    """Lines of at most `width` characters, each ending before a space (any space: a
    no-break one pasted from Word too, as str.split() counts them) or at the end: the
    greedy word wrap, done by the regular expression engine (a long table wraps thousands
    of cells).  A word longer than `width` (a URL; Japanese, written without spaces) is
    folded over lines of `width`, as the drawn table folds it: whole, it ran past the
    terminal.  A table's columns are never narrower than their longest word (plain_lines),
    so only a block's line or a title ever folds.  Never inside a date (see _DATE)."""
    return re.compile(rf"\S.{{0,{width - 1}}}(?=\s|$)(?!{_INSIDE})|\S{{1,{width}}}")
