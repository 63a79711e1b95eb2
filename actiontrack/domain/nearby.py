"""Typos: the name or ref someone probably meant.

"Corporate Parenting Borad" is one letter from a committee the store knows; adding it
as new would quietly start a second committee.  Names count as close when, ignoring
case and spacing, one or two letters differ (added, dropped, changed or swapped);
refs, when difflib finds them similar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MAX_EDITS = 2


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def edits(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Letters added, dropped, changed or swapped to turn `a` into `b` (stops counting past `limit`)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)  # two letters swapped
        before, row = row, current
        if min(row) > limit:
            return limit + 1
    return row[-1]


def close_name(name: str, known: Iterable[str], fold: Callable[[str], str] = _folded) -> str | None:
    """The known name `name` is probably a typo of: one or two letters away, not the same,
    and at least three letters for each one that differs ("M" is not a typo of "O").
    `fold`: what is the same name either way (people.spoken_key: "&" and "and" too, or a
    typo beside "&" where the store has "and" counts three letters more, and gets in)."""
    want = fold(name)
    best = None
    for candidate in known:
        d = edits(want, fold(candidate))
        if 0 < d <= MAX_EDITS and 3 * d <= len(want) and (best is None or d < best[0]):
            best = (d, candidate)
    return best[1] if best else None


def close_refs(ref: str, known: Iterable[str]) -> list[str]:
    import difflib  # only once a ref is not found: every command imports this module

    return difflib.get_close_matches(ref.strip().upper(), list(known), n=3, cutoff=0.75)


def did_you_mean(refs: list[str]) -> str:
    if not refs:
        return ""
    return "; did you mean " + " or ".join(f"'{r}'" for r in refs) + "?"
