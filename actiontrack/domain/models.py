"""The records actiontrack keeps: plans, themes, actions, milestones and their history.

Records convert to and from plain dicts with ISO dates (`to_record`/`from_record`);
that is the shape every store backend persists and that `--format json` builds on.
A whole store's records together are a StoreData (storedata.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

import orjson

from actiontrack.dates import iso, parse_iso
from actiontrack.domain.refs import body_key
from actiontrack.domain.summaries import summarise, summary_problem
from actiontrack.domain.vocabulary import CLOSED_STATUSES, DATED_CHANGES, MILESTONE_DAYS, RAG_WORDS, STATUS_WORDS
from actiontrack.errors import BadInput, StoreProblem

SCHEMA_VERSION = 6

class Change(NamedTuple):
    """One field's move from old to new.  A tuple: a big store holds hundreds of thousands."""

    field: str
    old: Any
    new: Any

    def to_record(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(slots=True)
class HistoryEntry:
    """One change, never rewritten.  `effective` is the as-of date it counts from.

    `txn` numbers the command that made it, store-wide, so `undo` can find the last
    command; `undoes` names the txn an undo reversed.  `target` is set only in the
    store's journal (changes to plans, themes and settings), e.g. "plan SUFF".
    """

    recorded_at: str
    effective: date
    user: str
    event: str
    changes: list[Change] = field(default_factory=list)
    note: str | None = None
    txn: int | None = None
    undoes: int | None = None
    target: str | None = None
    prev: str | None = None  # the seal of the entry before it in the store's chain (domain/chain)
    hash: str | None = None  # its own seal
    on_behalf_of: str | None = None
    via: str | None = None

    def to_record(self) -> dict:
        record = {
            "recorded_at": self.recorded_at,
            "effective": iso(self.effective),
            "user": self.user,
            "event": self.event,
            "changes": [c.to_record() for c in self.changes],
            "note": self.note,
            "txn": self.txn,
            "undoes": self.undoes,
        }
        if self.target is not None:
            record["target"] = self.target
        if self.on_behalf_of is not None:  # absent otherwise: older entries keep their bytes, and seals
            record["on_behalf_of"] = self.on_behalf_of
            record["via"] = self.via
        if self.prev is not None:  # entries from before the chain began have no seal
            record["prev"] = self.prev
            record["hash"] = self.hash
        return record

    @classmethod
    def from_record(cls, r: dict) -> HistoryEntry:
        # The hot loop of loading a big store: positional, and no helper calls per field.
        get = r.get
        changes = [_new_change(Change, (c["field"], c["old"], c["new"])) for c in get("changes", ())]
        for name, old, new in changes:
            if name in DATED_CHANGES or name.endswith(MILESTONE_DAYS):
                # Undo, show and the clerk's log read these as days: one made impossible by
                # hand is the record's damage, found here, not a crash later.
                for value in (old, new):
                    if isinstance(value, str):
                        _fromiso(value)
        return cls(
            r["recorded_at"], _fromiso(r["effective"]), r["user"], r["event"], changes,
            get("note"), get("txn"), get("undoes"), get("target"), get("prev"), get("hash"),
            get("on_behalf_of"), get("via"),
        )

    def changed(self, name: str) -> Change | None:
        for change in self.changes:
            if change.field == name:
                return change
        return None


Date = date  # for classes with a field named `date`
_I = TypeVar("_I", bound="Item")
_new_change = tuple.__new__  # Change((f, o, n)) without NamedTuple's Python-level __new__
_fromiso = date.fromisoformat


@dataclass(slots=True)
class Milestone:
    """A step on the way to an action, with its own due date; late ones show in overdue."""

    number: int
    title: str
    due: date
    done_on: date | None = None

    def to_record(self) -> dict:
        return {"number": self.number, "title": self.title, "due": iso(self.due), "done_on": iso(self.done_on)}

    @classmethod
    def from_record(cls, r: dict) -> Milestone:
        return cls(r["number"], r["title"], _fromiso(r["due"]), parse_iso(r.get("done_on")))


@dataclass
class Plan:
    """An action plan (Sufficiency, Permanency): the board it reports to and its update cycle."""

    key: str
    title: str
    board: str | None = None
    owner: str | None = None
    start: date | None = None
    end: date | None = None
    cycle_days: int | None = None  # None: the store's default update cycle
    created: date | None = None

    def to_record(self) -> dict:
        return {
            "key": self.key, "title": self.title, "board": self.board, "owner": self.owner,
            "start": iso(self.start), "end": iso(self.end), "cycle_days": self.cycle_days,
            "created": iso(self.created),
        }

    @classmethod
    def from_record(cls, r: dict) -> Plan:
        return cls(
            key=r["key"], title=r["title"], board=r.get("board"), owner=r.get("owner"),
            start=parse_iso(r.get("start")), end=parse_iso(r.get("end")),
            cycle_days=r.get("cycle_days"), created=parse_iso(r.get("created")),
        )


@dataclass
class Theme:
    """A plan's themed area and the accountable officer answerable for it."""

    plan: str
    number: int
    title: str
    officer: str

    @property
    def key(self) -> str:
        return f"{self.plan}.{self.number}"

    def to_record(self) -> dict:
        return {"plan": self.plan, "number": self.number, "title": self.title, "officer": self.officer}

    @classmethod
    def from_record(cls, r: dict) -> Theme:
        return cls(r["plan"], r["number"], r["title"], r["officer"])


def with_history(record: dict, history: str) -> dict:
    """`record` with its history string back in its usual place (before the summary), so
    a record read in two parts is written out exactly as one read whole."""
    out = {}
    for key, value in record.items():
        if key == "summary":
            out["history"] = history
        out[key] = value
    out.setdefault("history", history)
    return out


def _text(source) -> str:
    return source() if callable(source) else source


@dataclass(kw_only=True)
class Item:
    """What actions and resolutions share: an owner, dates, status, RAG and history.

    `due` is None for a resolution due at a body's next meeting that is not yet
    scheduled, and for an action imported undated ("Ongoing", "TBC"); `baseline_due` is
    the first real date and never changes after that.
    """

    kind = "item"
    ref: str
    title: str
    owner: str
    baseline_due: date | None
    due: date | None
    status: str = "not-started"
    rag: str | None = None
    success: str | None = None
    finance: str | None = None
    source: str | None = None
    completed_on: date | None = None
    milestones: list[Milestone] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    external_ref: str | None = None  # the row's own ref in an imported spreadsheet ("1.3", "A12")
    # The record as loaded, reused when saving an item nothing has changed: most of a
    # big store is untouched by any one command.  Anything that changes an item clears it.
    raw: dict | None = field(default=None, compare=False, repr=False)

    def touch(self) -> None:
        self.raw = None

    # History is stored as one JSON string per item and decoded on first use: most
    # commands never look at the history of most items, and parsing a string is far
    # cheaper than building its objects.  Until then a stored summary answers the rules.
    # A store may also hand over a loader (a callable) for the string, when it keeps
    # histories apart from the records so that reports never read them.
    def __getattr__(self, name: str):
        if name == "history":
            state = self.__dict__
            source = state.get("_history_source")
            if source is not None:
                try:
                    history = [HistoryEntry.from_record(h) for h in orjson.loads(_text(source))]
                except (KeyError, TypeError, ValueError, AttributeError) as e:
                    # Damaged by hand (a day of 31 Feb in an entry): said as the store's damage,
                    # naming the item, wherever it is first read (show, undo, verify, a save's check).
                    from actiontrack.domain.damage import in_history, in_words

                    why = in_history(_text(source)) or f"its history: {in_words(e)}"
                    raise StoreProblem(f"the store is damaged: record {state.get('ref', '?')} is malformed ({why}); "
                                       "'actiontrack restore --list' shows the backups to go back to") from None
                state["history"] = history
                del state["_history_source"]
                return history
        raise AttributeError(name)

    def stored_summary(self) -> dict | None:
        """The summary saved with the record, while the history itself is not decoded."""
        state = self.__dict__
        return state.get("_summary") if "history" not in state else None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def milestone(self, number: int) -> Milestone:
        for m in self.milestones:
            if m.number == number:
                return m
        raise BadInput(f"{self.ref} has no milestone {number}")

    def to_record(self) -> dict:
        saved = self._saved()
        if saved is not None:
            return saved
        return {**self._common_record(), **self._own_record()}

    def _own_record(self) -> dict:
        """The fields only this kind of item has, after the common ones."""
        raise NotImplementedError

    def _common_record(self) -> dict:
        return {
            "ref": self.ref, "title": self.title, "owner": self.owner,
            "baseline_due": iso(self.baseline_due), "due": iso(self.due),
            "status": self.status, "rag": self.rag, "success": self.success,
            "finance": self.finance, "source": self.source,
            "completed_on": iso(self.completed_on),
            "milestones": [m.to_record() for m in self.milestones],
            "history": orjson.dumps([h.to_record() for h in self.history]).decode("utf-8"),
            "summary": summarise(self),
            "external_ref": self.external_ref,
        }

    @classmethod
    def _decoded(cls: type[_I], r: dict, own: dict, history=None) -> _I:
        """An item from its record, its fields set directly: a report decodes thousands,
        and the dataclass __init__ (which only assigns them) costs more than the rest.

        `history`: a loader for the history, when the store keeps it apart from `r`."""
        baseline, due, done = r["baseline_due"], r["due"], r.get("completed_on")
        if r["status"] not in STATUS_WORDS or r.get("rag") not in RAG_WORDS:  # a word typed in by hand
            wrong = ("status", r["status"]) if r["status"] not in STATUS_WORDS else ("RAG", r.get("rag"))
            raise ValueError(f"its {wrong[0]} {wrong[1]!r} is not one actiontrack knows")
        if type(r["title"]) is not str or type(r["owner"]) is not str:
            raise ValueError("its title and owner must be text")
        if problem := summary_problem(r.get("summary")):
            raise ValueError(problem)
        state = {
            "ref": r["ref"], "title": r["title"], "owner": r["owner"],
            "baseline_due": _fromiso(baseline) if baseline else None, "due": _fromiso(due) if due else None,
            "status": r["status"], "rag": r.get("rag"), "success": r.get("success"),
            "finance": r.get("finance"), "source": r.get("source"),
            "completed_on": _fromiso(done) if done else None,
            "milestones": [Milestone.from_record(m) for m in r.get("milestones", ())],
            "external_ref": r.get("external_ref"), "raw": r, **own,
        }
        source = r.get("history") if history is None else history
        if isinstance(source, str) or callable(source):  # decoded when first used
            state["_history_source"] = source
            state["_summary"] = r.get("summary")
        else:
            state["history"] = [HistoryEntry.from_record(h) for h in source or ()]
        item = cls.__new__(cls)
        item.__dict__ = state
        return item

    def _saved(self) -> dict | None:
        """The record as loaded, completed with its history if the store kept that apart."""
        raw = self.raw
        if raw is None or "history" in raw:
            return raw
        source = self.__dict__.get("_history_source")
        text = _text(source) if source is not None else orjson.dumps([h.to_record() for h in self.history]).decode()
        return with_history(raw, text)


@dataclass(kw_only=True)
class Action(Item):
    """A plan action, numbered within its theme: SUFF-1.3 is theme 1's third."""

    kind = "action"
    plan: str
    theme: int

    @property
    def seq(self) -> int:
        return int(self.ref.rsplit(".", 1)[1])

    def _own_record(self) -> dict:
        return {"plan": self.plan, "theme": self.theme}

    @classmethod
    def from_record(cls, r: dict, history=None) -> Action:
        return cls._decoded(r, {"plan": r["plan"], "theme": r["theme"]}, history)


@dataclass(kw_only=True)
class Resolution(Item):
    """A committee's resolution or action arising, from one meeting's minutes."""

    kind = "resolution"
    body: str
    meeting: date
    minute: str
    due_next_meeting: bool = False  # due at the body's next meeting after `meeting`
    actions: list[str] = field(default_factory=list)  # plan actions it spawned

    @property
    def number(self) -> int:
        return int(self.ref.split("-", 1)[1])

    def _own_record(self) -> dict:
        return {"body": self.body, "meeting": iso(self.meeting), "minute": self.minute,
                "due_next_meeting": self.due_next_meeting, "actions": list(self.actions)}

    @classmethod
    def from_record(cls, r: dict, history=None) -> Resolution:
        return cls._decoded(r, {"body": r["body"], "meeting": parse_iso(r["meeting"]), "minute": r["minute"],
                                "due_next_meeting": r.get("due_next_meeting", False),
                                "actions": list(r.get("actions", []))}, history)


@dataclass
class Meeting:
    """One meeting of a committee; resolutions come from it and fall due at the next."""

    body: str
    date: Date  # the field's name hides the type inside the class: hence the alias
    prefix: str | None = None  # minute prefix, e.g. CPP/17, so minute 35 reads CPP/17/35
    created: Date | None = None

    @property
    def key(self) -> tuple[str, Date]:
        return (body_key(self.body), self.date)

    def full_minute(self, minute: str) -> str:
        if self.prefix and not minute.startswith(self.prefix):
            return f"{self.prefix}/{minute}"
        return minute

    def to_record(self) -> dict:
        return {"body": self.body, "date": iso(self.date), "prefix": self.prefix, "created": iso(self.created)}

    @classmethod
    def from_record(cls, r: dict) -> Meeting:
        return cls(r["body"], _fromiso(r["date"]), r.get("prefix"), parse_iso(r.get("created")))

