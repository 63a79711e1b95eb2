"""Tamper evidence: every history entry sealed with a hash of itself and of the entry
before it, one chain through the whole store.

Nothing can stop someone with the file (or the database) from rewriting it; this makes
sure it shows.  `verify` recomputes every seal and walks the chain from its first entry
to the head the store records: an altered entry no longer matches its seal, a removed
one breaks the chain, and one inserted out of order forks it or hangs off it.

Entries written before the chain began (a store from an older actiontrack) are sealed
the first time anything is changed after the upgrade, oldest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import orjson

from actiontrack.dates import shown_value
from actiontrack.domain.models import HistoryEntry, Item
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.summaries import not_undone, summarise

# CPython's own SHA-256, the same digest as hashlib's: importing hashlib loads OpenSSL,
# about 4 ms that every change (each seals an entry) paid on top of its own work.
try:
    from _sha256 import sha256  # Python 3.11
except ImportError:  # pragma: no cover - the module's name on 3.12+, or another Python
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

GENESIS = ""  # the `prev` of the first entry
HEAD = "chain_head"  # where the store's meta keeps the newest entry's seal


def seal_of(record: dict) -> str:
    """The seal of an entry's record: its own fields (its `prev` among them), never its seal."""
    unsealed = {k: v for k, v in record.items() if k != "hash"}
    return sha256(orjson.dumps(unsealed, option=orjson.OPT_SORT_KEYS)).hexdigest()


def seal(entry: HistoryEntry, data: StoreData) -> None:
    """Link `entry` after the store's newest entry and make it the head."""
    entry.prev = data.meta.get(HEAD, GENESIS)
    entry.hash = seal_of(entry.to_record())
    data.meta[HEAD] = entry.hash


def start(data: StoreData) -> None:
    """Seal, oldest first, the entries a store had before it had a chain (once only)."""
    if HEAD in data.meta:
        return
    data.meta[HEAD] = GENESIS
    unsealed: list[tuple[int, str, int, str, int, HistoryEntry, Item | None]] = []
    for item in data.items():
        for position, entry in enumerate(item.history):
            if entry.hash is None:
                unsealed.append((entry.txn or 0, entry.recorded_at, 0, item.ref, position, entry, item))
    for position, entry in enumerate(data.journal):
        if entry.hash is None:
            unsealed.append((entry.txn or 0, entry.recorded_at, 1, "", position, entry, None))
    for *_, entry, owner in sorted(unsealed, key=lambda u: u[:5]):
        if owner is not None:
            owner.touch()  # its record is written again, with the seals
        seal(entry, data)


@dataclass
class Verdict:
    """What `verify` found: how many entries it checked, and each problem in words."""

    entries: int = 0
    unsealed: int = 0  # from before the chain began: nothing to check them against
    problems: list[str] = field(default_factory=list)


def _entries(data: StoreData) -> Iterator[tuple[str, HistoryEntry]]:
    for item in data.items():
        for entry in item.history:
            yield item.ref, entry
    for entry in data.journal:
        yield entry.target or "the store", entry
    for archived in data.archive:  # an undone add keeps its history here
        history = archived.get("record", {}).get("history")
        if isinstance(history, str):
            for record in orjson.loads(history):
                yield f"{archived['record'].get('ref', '?')} (undone)", HistoryEntry.from_record(record)


def verify(data: StoreData) -> Verdict:
    verdict = Verdict()
    verdict.problems.extend(_state_problems(data))
    verdict.problems.extend(_placement_problems(data))
    verdict.problems.extend(data.actions.derived_problems() + data.resolutions.derived_problems())
    by_prev: dict[str, list[tuple[str, HistoryEntry]]] = {}
    by_seal: dict[str, str] = {}  # seal -> the entry's name, to say where the chain broke
    for where, entry in _entries(data):
        verdict.entries += 1
        if entry.hash is None:
            verdict.unsealed += 1
            continue
        if seal_of(entry.to_record()) != entry.hash:
            verdict.problems.append(f"{_name(where, entry)} was altered after it was recorded")
        by_seal[entry.hash] = _name(where, entry)
        by_prev.setdefault(entry.prev or GENESIS, []).append((where, entry))
    head = data.meta.get(HEAD)
    if head is None:
        if by_seal:
            verdict.problems.append("the store has sealed entries but no chain head: its meta was altered")
        return verdict
    # Walk from the first entry to the head the store records.
    reached: set[str] = set()
    link = GENESIS
    while link != head:
        following = by_prev.get(link, [])
        after = "its start" if link == GENESIS else by_seal.get(link, "an entry no longer there")
        if not following:
            later = sum(len(pairs) for pairs in by_prev.values()) - len(reached)
            verdict.problems.append(f"the chain breaks after {after}: an entry was removed"
                                    + (f" ({later} later entries cannot be checked)" if later else ""))
            return verdict
        if len(following) > 1:
            names = "; ".join(_name(w, e) for w, e in following)
            verdict.problems.append(f"the chain forks after {after} ({names}): an entry was inserted")
        entry = following[-1][1]  # the one sealed last carries the chain on
        assert entry.hash is not None
        reached.add(entry.hash)
        link = entry.hash
    for where, entry in (pair for pairs in by_prev.values() for pair in pairs):
        if entry.hash not in reached and len(by_prev.get(entry.prev or GENESIS, [])) == 1:
            verdict.problems.append(f"{_name(where, entry)} is not on the chain: it was inserted or re-sealed")
    return verdict


def _state_problems(data: StoreData) -> list[str]:
    """Items whose fields are not what their history last set: the sealed history is
    whole, but the item itself was edited outside actiontrack (a due date moved by hand
    would otherwise drop out of every overdue list with nothing to show for it)."""
    problems = []
    for item in data.items():
        last: dict[str, object] = {}
        for entry in item.history:
            for change in entry.changes:
                last[change.field] = change.new
        if not last:
            continue
        record = orjson.loads(orjson.dumps(item.to_record()))  # as the history holds values: dates as ISO text
        for name, value in last.items():
            if name in record and record[name] != value:
                problems.append(f"{item.ref}: its {name} ({shown_value(record[name])}) is not what its history last "
                                f"set ({shown_value(value)}): changed outside actiontrack")
        saved = record.get("summary")
        # What reports read instead of the history; an entry altered itself is named as that.
        if saved is not None and not _summarised(saved, item) and not any(
                h.hash is not None and seal_of(h.to_record()) != h.hash for h in item.history):
            problems.append(f"{item.ref}: its saved summary is not what its history says (a report's last update, "
                            "moves or staleness would be wrong): changed outside actiontrack")
        for name in NEVER_SET_UNTIL_CHANGED if _created_whole(item) else ():
            if name not in last and record.get(name) is not None:
                problems.append(f"{item.ref}: its {name} ({shown_value(record[name])}) was never set by any change "
                                "in its history: changed outside actiontrack")
        if _created_whole(item):
            problems.extend(_milestone_problems(item.ref, item.history, record.get("milestones") or []))
    return problems


def _summarised(saved: object, item: Item) -> bool:
    """Whether `saved` is a summary actiontrack wrote for the item's history: as it writes
    them now, or as it did before last_progress was kept or before a redone change stood
    as itself (summaries.not_undone), worked out only when the first does not match."""
    def as_saved(summary: dict) -> dict:
        if isinstance(saved, dict) and "last_progress" not in saved:
            summary.pop("last_progress")
        return summary

    return saved == as_saved(summarise(item)) or saved == as_saved(summarise(item, not_undone(item)))


def _milestone_problems(ref: str, history: list[HistoryEntry], stored: list[dict]) -> list[str]:
    """Milestones not as their history left them (found by a new-user trial: one re-dated
    or taken out in the file by hand went unnamed).  The history records each milestone
    whole as `milestone N` when added or removed, and each change to it as `milestone N
    due` (or done_on, title); replaying them in order, undos too, gives what it should be."""
    replayed: dict[int, dict | None] = {}
    for entry in history:
        for change in entry.changes:
            if not change.field.startswith("milestone "):
                continue
            number, _, name = change.field[len("milestone "):].partition(" ")
            if not name:
                replayed[int(number)] = dict(change.new) if isinstance(change.new, dict) else None
            elif (whole := replayed.get(int(number))) is not None:
                whole[name] = change.new
    held: dict[object, dict] = {m.get("number"): m for m in stored if isinstance(m, dict)}
    problems = []
    for n in sorted({n for n, m in replayed.items() if m is not None} | held.keys(),
                    key=lambda n: (0, n, "") if isinstance(n, int) else (1, 0, str(n))):  # 2 before 10
        should, has = replayed.get(n) if isinstance(n, int) else None, held.get(n)
        if should is None:
            problems.append(f"{ref}: its milestone {n} was never added by any change in its history")
        elif has is None:
            problems.append(f"{ref}: its milestone {n} ({should.get('title')}) is not there, though no change "
                            "in its history took it out")
        else:
            problems.extend(f"{ref}: its milestone {n}'s {name} ({shown_value(has.get(name))}) is not what its "
                            f"history last set ({shown_value(should.get(name))})"
                            for name in ("title", "due", "done_on") if has.get(name) != should.get(name))
    return [f"{p}: changed outside actiontrack" for p in problems]


def _placement_problems(data: StoreData) -> list[str]:
    """Actions under a theme the store does not have.  No command leaves one there (a theme
    with actions cannot be undone), and an action's create does not record its plan and
    theme, so a hand edit of them went unnoticed: the action left its theme's listings and
    counts, under a theme no listing names (a new-user trial).  A theme under a plan the
    store lacks is refused as damage when the store is read (domain/tables)."""
    return [f"{a.ref}: its theme ({a.plan}.{a.theme}) is not one of the store's themes: changed outside actiontrack"
            for a in data.actions.heads() if (a.plan, a.theme) not in data.themes]


def _created_whole(item: Item) -> bool:
    """Whether the item's history starts with a create that recorded every field it set:
    the first versions recorded only some (their RAGs were set with no entry to say so)."""
    first = item.history[0] if item.history else None
    return first is not None and first.event == "create" and first.changed("status") is not None


# Fields an item is created without (found by a new-user trial: a RAG typed into the file
# where no change ever set one went unnoticed, as only fields the history set were compared).
NEVER_SET_UNTIL_CHANGED = ("rag", "completed_on")



def _name(where: str, entry: HistoryEntry) -> str:
    return f"{where}: the {entry.event} of {entry.effective.strftime('%d %b %Y')} by {entry.user}"


def rebase(data: StoreData, entries: list[HistoryEntry], txn: int, last_txn: int, head: str) -> None:
    """Renumber and re-seal one command's `entries` (in the order they were sealed) to
    follow a store whose newest change is `last_txn` with chain head `head`.

    A server store lets two commands run at once: each numbered its change and sealed
    its entries against the store as it loaded it, and whichever commits second must
    come after the other, in both the numbering and the chain.
    """
    new_txn = last_txn + 1
    data.meta[HEAD] = head
    for entry in entries:
        if entry.txn == txn:
            entry.txn = new_txn
        seal(entry, data)
    for archived in data.archive:
        if archived.get("undone_by") == txn:
            archived["undone_by"] = new_txn
    data.meta["last_txn"] = new_txn


def in_sealed_order(entries: list[HistoryEntry], head: str) -> list[HistoryEntry]:
    """`entries` sealed one after another from `head`, in that order (walking their links)."""
    by_prev = {entry.prev: entry for entry in entries}
    ordered = []
    link = head
    while link in by_prev:
        entry = by_prev.pop(link)
        ordered.append(entry)
        link = entry.hash or ""
    return ordered
