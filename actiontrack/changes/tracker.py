"""Changes to the store.  Each one is validated first, then applied with a history entry.

A Tracker works on a StoreData already loaded; the caller saves it once at the end.
Nothing is applied until every check has passed, so a refused change leaves the data
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any, NamedTuple

from actiontrack.dates import now_iso, plain, uk
from actiontrack.domain import chain, rules
from actiontrack.domain.checks import MINUTE, check_rag, check_status, clean_text, setting_value
from actiontrack.domain.models import Action, Change, HistoryEntry, Item, Meeting, Milestone, Plan, Resolution, Theme
from actiontrack.domain.nearby import close_name
from actiontrack.domain.people import check_name
from actiontrack.domain.refs import body_key, plan_key
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput


class MeetingAdded(NamedTuple):
    """What adding a meeting did: the meeting, and the resolutions it gave a date."""

    meeting: Meeting
    dated: list[Resolution]  # resolutions due "at the next meeting" that now have its date


class Tracker:
    """Every change to a store: checked first, then applied with its history entry.

    One Tracker per command, over the StoreData that command loaded; `changed` says
    whether there is anything to save."""

    def __init__(self, data: StoreData, *, user: str, as_of: date, clock: Callable[[], str] = now_iso):
        self.data = data
        self.user = clean_text(user, "user", required=True)
        self.as_of = as_of
        self.clock = clock
        self.changed = False  # read it; only the tracker's own methods set it
        self._txn: int | None = None
        # (owner, how): changes entered for someone else, e.g. an owner's update return
        # applied by the clerk.  Recorded on every entry while set.
        self.on_behalf: tuple[str, str] | None = None

    # -- history ------------------------------------------------------------
    @property
    def txn(self) -> int:
        """This command's number, store-wide; every entry it writes shares it."""
        if self._txn is None:
            self._txn = self.data.meta.get("last_txn", 0) + 1
            self.data.meta["last_txn"] = self._txn
        return self._txn

    def _entry(self, event: str, changes: list[Change], note: str | None, **extra: Any) -> HistoryEntry:
        self.changed = True
        self.data.forget_derived()  # a change may link an action, or rename a theme
        if self.on_behalf is not None:
            extra.update(on_behalf_of=self.on_behalf[0], via=self.on_behalf[1])
        entry = HistoryEntry(recorded_at=self.clock(), effective=self.as_of, user=self.user, event=event,
                             changes=changes, note=note, txn=self.txn, **extra)
        chain.start(self.data)  # a store from before the chain: its history sealed first
        chain.seal(entry, self.data)
        return entry

    def record(self, action: Item, event: str, changes: list[Change], note: str | None = None,
               **extra: Any) -> HistoryEntry:
        """Append one entry to an item's history (undo records its reversals here too)."""
        action.touch()  # every change to an item comes through here with its history entry
        entry = self._entry(event, changes, note, **extra)
        action.history.append(entry)
        return entry

    def record_journal(self, target: str, event: str, changes: list[Change], note: str | None = None,
                       **extra: Any) -> HistoryEntry:
        """Append one entry to the store's journal: a change to a plan, theme, meeting or setting."""
        entry = self._entry(event, changes, note, target=target, **extra)
        self.data.journal.append(entry)
        return entry

    def changing(self, ref: str) -> Item:
        """The item to change, refused when the change would count from before the item
        existed: its history, and every view of it as at a past day, would run backwards."""
        item = self.data.item(ref)
        created = _created(item)
        if created is not None and self.as_of < created:
            raise BadInput(f"{item.ref} was created on {uk(created)}; a change to it cannot count from "
                           f"{uk(self.as_of)} (check --as-of)")
        later = rules.latest_change(item)
        if later is not None and self.as_of < later:
            # Its history would run backwards: the day before that change could then never
            # be shown as it was (--as-of rewinds newest first).
            raise BadInput(f"{item.ref} has a change counting from {uk(later)}; a change to it cannot count "
                           f"from {uk(self.as_of)}, before it (check --as-of)")
        return item

    def _change(self, action: Item, event: str, note: str | None, **fields: Any) -> None:
        changes: list[Change] = []
        for name, value in fields.items():
            self._set(action, changes, name, value)
        self.record(action, event, changes, note)

    def _set(self, action: Item, changes: list[Change], name: str, value: Any) -> None:
        old = getattr(action, name)
        if old != value:
            changes.append(Change(name, plain(old), plain(value)))
            setattr(action, name, value)

    # -- plans and themes ---------------------------------------------------
    def add_plan(self, key: str, title: str, *, board: str | None = None, owner: str | None = None,
                 start: date | None = None, end: date | None = None, cycle_days: int | None = None) -> Plan:
        k = plan_key(key)
        if k in self.data.plans:
            raise BadInput(f"plan {k} already exists")
        if start and end and end < start:
            raise BadInput("the plan's end is before its start")
        if cycle_days is not None and not 1 <= cycle_days <= 366:
            raise BadInput("the update cycle must be between 1 and 366 days")
        plan = Plan(key=k, title=clean_text(title, "the plan's title", required=True),
                    board=self.data.board_name(clean_text(board, "the board")),
                    owner=self.data.person_name(clean_text(owner, "the owner")), start=start, end=end,
                    cycle_days=cycle_days, created=self.as_of)
        self.data.plans[k] = plan
        self.record_journal(f"plan {k}", "plan-add", [Change("plan", None, plan.to_record())])
        return plan

    def add_theme(self, plan: str, number: int, title: str, officer: str) -> Theme:
        p = self.data.plan(plan)
        if not 1 <= number <= 999:
            raise BadInput("a theme number runs from 1 to 999")
        if (p.key, number) in self.data.themes:
            raise BadInput(f"plan {p.key} already has a theme {number}")
        theme = Theme(
            plan=p.key, number=number,
            title=clean_text(title, "the theme's title", required=True),
            officer=self.data.person_name(clean_text(officer, "the accountable officer", required=True)),
        )
        self.data.themes[(p.key, number)] = theme
        self.record_journal(f"theme {theme.key}", "theme-add", [Change("theme", None, theme.to_record())])
        return theme

    # -- actions ------------------------------------------------------------
    def add_action(self, theme: str, title: str, *, owner: str, due: date | None, success: str | None = None,
                   finance: str | None = None, source: str | None = None, number: int | None = None,
                   reserved: Collection[int] = ()) -> Action:
        """number: the sheet's own (2.3: SUFF-2.3) if never given, else past `reserved` (its other rows')."""
        t = self.data.theme(theme)
        created = self.data.plans[t.plan].created  # as of before it, the action has no plan (mutation run)
        if created is not None and self.as_of < created:
            raise BadInput(f"plan {t.plan} was created on {uk(created)}; an action in it cannot count from "
                           f"{uk(self.as_of)} (check --as-of)")
        prefix = f"{t.plan}-{t.number}."
        # Refs are never reused (not even an undone add's): a minute's SUFF-1.3 means one thing.
        used = [int(ref.rsplit(".", 1)[1]) for ref in self.data.actions.refs_starting(prefix)]
        used += [int(r["record"]["ref"].rsplit(".", 1)[1]) for r in self.data.archive
                 if r["kind"] == "action" and r["record"]["ref"].startswith(prefix)]
        seq = number if number and number > 0 and number not in used else 1 + max([*used, *reserved], default=0)
        action = Action(
            ref=f"{prefix}{seq}", plan=t.plan, theme=t.number,
            title=clean_text(title, "the action's title", required=True),
            owner=self.data.person_name(clean_text(owner, "the owner", required=True)),
            baseline_due=due, due=due,
            success=clean_text(success, "the success criteria", multiline=True),
            finance=clean_text(finance, "the financial implications", multiline=True),
            source=clean_text(source, "the source"),
        )
        self.data.actions[action.ref] = action
        self.record(action, "create", [
            Change(name, None, value) for name, value in action.to_record().items()
            if name not in ("ref", "plan", "theme", "milestones", "history", "summary") and value is not None
        ])
        return action

    def update_action(self, ref: str, *, status: str | None = None, rag: str | None = None,
                      note: str | None = None, owner: str | None = None, title: str | None = None,
                      success: str | None = None, finance: str | None = None,
                      link: list[str] | None = None) -> Item:
        """Change status, RAG, owner or wording; a note alone is a progress update.
        `rag="none"` clears the reported RAG; `rag=None` leaves it alone."""
        action = self.changing(ref)
        note = clean_text(note, "the note", multiline=True)
        new_status = check_status(status) if status is not None else None
        new_rag = check_rag(rag) if rag is not None else action.rag
        if new_status == "complete":
            raise BadInput(f"use 'actiontrack {action.kind} complete {action.ref}' to complete it")
        if action.is_closed and new_status not in (None, action.status):
            raise BadInput(f"{action.ref} is {action.status}; use 'actiontrack {action.kind} reopen {action.ref} --reason ...'")
        if new_status == "dropped" and action.status != "dropped" and not note:
            raise BadInput("dropping an action needs a --note saying who decided and why")
        changes: list[Change] = []
        if new_status:
            self._set(action, changes, "status", new_status)
        self._set(action, changes, "rag", new_rag)
        for name, value, what in (("owner", owner, "the owner"), ("title", title, "the title")):
            if value is not None:
                cleaned = clean_text(value, what, required=True)  # an owner: as the store spells them
                self._set(action, changes, name, self.data.person_name(cleaned, (action.owner,)) if name == "owner" else cleaned)
        for name, value, what in (("success", success, "the success criteria"),
                                  ("finance", finance, "the financial implications")):
            if value is not None:
                self._set(action, changes, name, clean_text(value, what, multiline=True))
        if link:
            if not isinstance(action, Resolution):
                raise BadInput("link actions from the resolution: 'actiontrack resolution update R-N --action REF'")
            self._set(action, changes, "actions", self._linked(action.actions, link))
        if not changes and not note:
            given = [f"{what} is already {value}" for what, value, asked in (
                ("its status", action.status, new_status), ("its RAG", action.rag, rag), ("its owner", action.owner, owner),
                ("its title", action.title, title)) if asked is not None]
            if given:  # "--rag amber" on an amber action: say so, not "give --rag"
                raise BadInput(f"nothing to update on {action.ref}: {'; '.join(given)} (add a --note to record a check)")
            raise BadInput(f"nothing to update on {action.ref}: give --status, --rag, --owner or --note")
        self.record(action, "update", changes, note)
        return action

    def reschedule(self, ref: str, due: date, reason: str) -> Item:
        action = self.changing(ref)
        reason = clean_text(reason, "the reason", required=True, multiline=True)
        if action.is_closed:
            raise BadInput(f"{action.ref} is {action.status}; reopen it before moving its date")
        if due == action.due:
            raise BadInput(f"{action.ref} is already due on {uk(due)}")
        if action.due is None:
            # An undated item (an unscheduled "next meeting" resolution, or an action imported
            # as "Ongoing"/"TBC") gets its first real date: that is its baseline.
            # Not a move (there was no date to move from): "scheduled", so it counts neither
            # as slippage nor among the times moved, and is no extension in the clerk's log.
            first = {"due_next_meeting": False} if isinstance(action, Resolution) else {}
            self._change(action, "scheduled", reason, due=due, baseline_due=due, **first)
        else:
            self._change(action, "reschedule", reason, due=due)
        return action

    def complete(self, ref: str, *, on: date | None = None, note: str | None = None,
                 from_sheet: bool = False) -> Item:
        """`from_sheet`: `on` is the completion date a council's own sheet gives, which may
        be before the record was created here (the plan was kept there first)."""
        action = self.changing(ref)
        note = clean_text(note, "the note", multiline=True)
        on = on or self.as_of
        if action.status == "complete":
            raise BadInput(f"{action.ref} is already complete (on {uk(action.completed_on)})")
        if action.status == "dropped":
            raise BadInput(f"{action.ref} was dropped; reopen it first")
        if on > self.as_of:
            raise BadInput(f"{action.ref} cannot be completed on {uk(on)}, after the as-of date {uk(self.as_of)}")
        created = _created(action)
        if created is not None and on < created and not from_sheet:
            raise BadInput(f"{action.ref} cannot be completed on {uk(on)}, before it was created ({uk(created)})")
        self._change(action, "complete", note, status="complete", completed_on=on)
        return action

    def reopen(self, ref: str, reason: str) -> Item:
        action = self.changing(ref)
        reason = clean_text(reason, "the reason", required=True, multiline=True)
        if not action.is_closed:
            raise BadInput(f"{action.ref} is not closed (it is {action.status})")
        self._change(action, "reopen", reason, status="in-progress", completed_on=None)
        return action

    # -- meetings and resolutions -------------------------------------------
    def add_meeting(self, body: str, day: date, prefix: str | None = None, *, new: bool = False) -> MeetingAdded:
        """The meeting, and the resolutions due "at the next meeting" that it gave a date.
        new: the committee really is new, though its name is a letter or two from one known."""
        name = check_name(" ".join(clean_text(body, "the committee's name", required=True).split()))
        try:
            name = self.data.body_name(name)  # keep the spelling it was first entered with
        except BadInput:
            near = None if new else close_name(name, {m.body for m in self.data.meetings.values()})
            if near:
                raise BadInput(f"'{name}' is not a committee here yet; did you mean '{near}'? "
                               "(add --new if it really is a new committee)") from None
        prefix = clean_text(prefix, "the minute prefix")
        if prefix is not None and not MINUTE.match(prefix):
            raise BadInput(f"'{prefix}' is not a minute prefix (letters and digits with / . or -, e.g. CPP/17)")
        meeting = Meeting(body=name, date=day, prefix=prefix, created=self.as_of)
        if meeting.key in self.data.meetings:
            raise BadInput(f"{name} already has a meeting on {uk(day)}")
        self.data.meetings[meeting.key] = meeting
        self.record_journal(f"meeting {name} {day.isoformat()}", "meeting-add", [Change("meeting", None, meeting.to_record())])
        return MeetingAdded(meeting, self._date_next_meeting_items(meeting))

    def _date_next_meeting_items(self, meeting: Meeting) -> list[Resolution]:
        """Resolutions due at 'the next meeting' get this meeting's date once it is set."""
        dated = []
        for r in self.data.resolutions.values():
            if (r.due_next_meeting and r.due is None and body_key(r.body) == body_key(meeting.body)
                    and r.meeting < meeting.date and not r.is_closed):
                self._change(r, "scheduled", f"next meeting scheduled for {uk(meeting.date)}",
                             due=meeting.date, baseline_due=meeting.date)
                dated.append(r)
        return dated

    def add_resolution(self, body: str, day: date, minute: str, text: str, *, owner: str,
                       due: date | None, next_meeting: bool = False, actions: list[str] | None = None,
                       success: str | None = None, source: str | None = None) -> Resolution:
        """`due` None with `next_meeting` means: due at the body's next meeting."""
        meeting = self.data.meeting(body, day)
        minute = clean_text(minute, "the minute number", required=True)
        if not MINUTE.match(minute):
            raise BadInput(f"'{minute}' is not a minute number (e.g. 35, 22/7 or CPP/17/35)")
        if next_meeting:
            following = self.data.next_meeting(meeting.body, meeting.date)
            due = following.date if following else None
        elif due is None:
            raise BadInput("a resolution needs --due DATE or --due next-meeting")
        elif due < meeting.date:
            raise BadInput(f"the due date {uk(due)} is before the meeting it came from ({uk(meeting.date)})")
        number = 1 + max([int(ref.split("-", 1)[1]) for ref in self.data.resolutions]
                         + [int(a["record"]["ref"].split("-")[1]) for a in self.data.archive if a["kind"] == "resolution"],
                         default=0)
        title = clean_text(text, "the resolution's text", required=True, multiline=True)
        self.data.refuse_same_resolution(meeting.body, meeting.date, meeting.full_minute(minute), title)
        resolution = Resolution(
            ref=f"R-{number}", body=meeting.body, meeting=meeting.date, minute=meeting.full_minute(minute),
            title=title,
            owner=self.data.person_name(clean_text(owner, "the owner", required=True)), baseline_due=due, due=due,
            due_next_meeting=next_meeting, actions=self._linked([], actions or []),
            success=clean_text(success, "the success criteria", multiline=True),
            source=clean_text(source, "the source"),
        )
        self.data.resolutions[resolution.ref] = resolution
        self.record(resolution, "create", [
            Change(name, None, value) for name, value in resolution.to_record().items()
            if name not in ("ref", "milestones", "history", "summary") and value not in (None, [], False)
        ])
        return resolution

    def _linked(self, current: list[str], refs: list[str]) -> list[str]:
        linked = list(current)
        for ref in refs:
            action = self.data.action(ref)
            if action.ref not in linked:
                linked.append(action.ref)
        return linked

    # -- milestones ---------------------------------------------------------
    def add_milestone(self, ref: str, title: str, due: date) -> Milestone:
        action = self.changing(ref)
        if action.is_closed:
            raise BadInput(f"{action.ref} is {action.status}; reopen it before adding milestones")
        title = clean_text(title, "the milestone's title", required=True)
        number = 1 + max((m.number for m in action.milestones), default=0)
        milestone = Milestone(number=number, title=title, due=due)
        action.milestones.append(milestone)
        self.record(action, "milestone-add", [Change(f"milestone {number}", None, milestone.to_record())])
        return milestone

    def milestone_done(self, ref: str, number: int, on: date | None = None) -> Milestone:
        action = self.changing(ref)
        milestone = action.milestone(number)
        on = on or self.as_of
        if milestone.done_on:
            raise BadInput(f"milestone {number} of {action.ref} is already done (on {uk(milestone.done_on)})")
        if on > self.as_of:
            raise BadInput(f"milestone {number} cannot be done on {uk(on)}, after the as-of date {uk(self.as_of)}")
        created = _created(action)
        if created is not None and on < created:
            raise BadInput(f"milestone {number} cannot be done on {uk(on)}, before {action.ref} was created ({uk(created)})")
        milestone.done_on = on
        self.record(action, "milestone-done", [Change(f"milestone {number} done_on", None, on.isoformat())])
        return milestone

    def discard(self) -> None:
        """Nothing this command did is to be saved (a dry run: look, don't touch)."""
        self.changed = False

    def load_export(self, incoming: StoreData) -> None:
        """Fill an empty store with a JSON export's data, history and all, unchanged."""
        data = self.data
        if data.plans or data.actions or data.resolutions or data.meetings:
            raise BadInput("a JSON export is imported into an empty store: run 'actiontrack init' "
                           "with a new --store first")
        for name in ("settings", "plans", "themes", "meetings", "people", "returns", "indicators", "journal",
                     "archive"):
            setattr(data, name, getattr(incoming, name))
        for mine, theirs in ((data.actions, incoming.actions), (data.resolutions, incoming.resolutions)):
            # Filled, not replaced: a SQLite store's mapping is what knows which rows to write.
            for record in theirs.records():
                mine.put_record(record)
        data.meta = dict(incoming.meta)  # lossless: the export's own identity and counters
        data.forget_derived()
        self.changed = True

    def set_setting(self, name: str, value: int | str) -> None:
        new = setting_value(name, value)
        old = getattr(self.data.settings, name)
        if old != new:
            setattr(self.data.settings, name, new)
            self.record_journal("settings", "setting", [Change(name, old, new)])


def _created(item: Item) -> date | None:
    """The day the item's history starts (None for a record that kept no create entry)."""
    return next((h.effective for h in item.history if h.event == "create"), None)


