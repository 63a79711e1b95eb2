"""`search`: where a word is, across what people write on items.

Refs, titles, success criteria, financial notes, sources, minutes, owners and every note in
the history (progress commentary, reasons for moves).  Every word searched for must
appear somewhere on an item; items rank by where the words were found, a title above a
passing mention in a note.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actiontrack.domain.models import Item, Resolution
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput

# Where a word counts for most: what the item is called, then what done looks like.
WEIGHTS = {"ref": 8, "title": 5, "success": 3, "minute": 3, "owner": 2, "commentary": 2, "finance": 1, "source": 1}
SNIPPET = 70  # characters of context shown around the first match
# "childrens" finds "children's" (and "Children’s", as Word types it), and the other way round.
APOSTROPHES = "'\u2019\u2018`"
_DROPPED = str.maketrans("", "", APOSTROPHES)


def _folded(text: str) -> str:
    return text.casefold().translate(_DROPPED)


def _texts(item: Item) -> list[tuple[str, str]]:
    texts = [(name, getattr(item, name)) for name in ("ref", "title", "success", "finance", "source", "owner")]
    if isinstance(item, Resolution):
        texts.append(("minute", item.minute))
    texts += [("commentary", h.note) for h in item.history if h.note]
    return [(name, text) for name, text in texts if text]


def search(data: StoreData, query: str, as_of: date) -> list[dict]:
    words = _folded(query).split()
    # One letter would match nearly everything; one emoji or Chinese character is as
    # telling as a word (a new-user trial's "search 😀" was refused).
    if not words or all(len(w) < 2 and w.isascii() for w in words):
        raise BadInput("search for at least one word of two letters or more")
    rows: list[dict[str, Any]] = []
    for item in data.items():
        texts = _texts(item)
        folded = [(name, text, _folded(text)) for name, text in texts]
        if not all(any(w in low for _, _, low in folded) for w in words):
            continue
        found = [(name, text, low) for name, text, low in folded if any(w in low for w in words)]
        score = sum(WEIGHTS[name] * sum(low.count(w) for w in words) for name, _, low in found)
        where = list(dict.fromkeys(name for name, _, _ in found))
        # The snippet from the best-weighted text other than the ref, which the row shows anyway.
        name, text, low = max(found, key=lambda f: (f[0] != "ref", WEIGHTS[f[0]]))
        rows.append({"ref": item.ref, "kind": item.kind, "title": item.title, "owner": item.owner,
                     "status": item.status, "score": score, "found_in": where,
                     "snippet": _snippet(text, low, words)})
    rows.sort(key=lambda r: (-r["score"], r["kind"], r["ref"]))
    return rows


def _snippet(text: str, low: str, words: list[str]) -> str:
    first = min((low.find(w), w) for w in words if w in low)
    at = _as_written(text, first[0])
    # The snippet runs at least to the end of the word found: with no space after it in the
    # window (a long web address), it stopped at the word's first letter (a mutation run).
    past = _as_written(text, first[0] + len(first[1]) - 1) + 1
    start = max(0, at - SNIPPET // 3)
    if start:  # begin and end on whole words
        start = text.rfind(" ", 0, start) + 1
    end = start + SNIPPET
    if end < len(text):
        end = max(text.rfind(" ", start, end), past)
    shown = " ".join(text[start:end].split())
    return ("…" if start else "") + shown + ("…" if end < len(text) else "")


def _as_written(text: str, at: int) -> int:
    """Where the character at `at` in the folded text (its apostrophes dropped) is in `text`."""
    kept = -1
    for i, ch in enumerate(text):
        if ch not in APOSTROPHES:
            kept += 1
            if kept == at:
                return i
    return len(text)
