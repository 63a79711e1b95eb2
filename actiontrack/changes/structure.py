"""Editing what a plan is made of as it lives: plans, themes, an item's wording, milestones,
and handing everything an officer held to whoever replaces them.

Each edit is recorded like every other change (who, when, why), undoable, and visible
at --as-of: plan and theme edits in the journal field by field (changes/journal.py puts
them back), item edits in the item's own history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from actiontrack.changes.tracker import Tracker
from actiontrack.dates import uk
from actiontrack.domain.checks import clean_text
from actiontrack.domain.models import Change, Item, Milestone
from actiontrack.domain.nearby import close_name
from actiontrack.domain.people import spoken_key
from actiontrack.errors import BadInput


def _edit(tracker: Tracker, record: Any, target: str, event: str, values: dict[str, Any], note: str | None) -> list[Change]:
    plan = tracker.data.plans.get(str(getattr(record, "plan", None) or getattr(record, "key", "")))
    if plan is not None and plan.created is not None and tracker.as_of < plan.created:
        raise BadInput(f"plan {plan.key} was created on {uk(plan.created)}; a change to it cannot count from "
                       f"{uk(tracker.as_of)} (check --as-of)")
    changes = []
    for name, value in values.items():
        old = getattr(record, name)
        if value is not None and value != old:
            changes.append(Change(name, old, value))
            setattr(record, name, value)
    if not changes:
        raise BadInput(f"nothing to change on {target}: give a new value")
    tracker.record_journal(target, event, changes, clean_text(note, "the note", multiline=True))
    return changes


def update_plan(tracker: Tracker, key: str, *, title: str | None = None, board: str | None = None,
                owner: str | None = None, cycle_days: int | None = None, note: str | None = None) -> list[Change]:
    plan = tracker.data.plan(key)
    if cycle_days is not None and not 1 <= cycle_days <= 366:
        raise BadInput("the update cycle must be between 1 and 366 days")
    values = {"title": clean_text(title, "the plan's title", required=title is not None),
              "board": tracker.data.board_name(clean_text(board, "the board")),
              "owner": tracker.data.person_name(clean_text(owner, "the owner"), (plan.owner or "",)),
              "cycle_days": cycle_days}
    changes = _edit(tracker, plan, f"plan {plan.key}", "plan-update", values, note)
    tracker.data.forget_derived()
    return changes


def update_theme(tracker: Tracker, key: str, *, title: str | None = None, officer: str | None = None,
                 note: str | None = None) -> list[Change]:
    theme = tracker.data.theme(key)
    values = {"title": clean_text(title, "the theme's title", required=title is not None),
              "officer": tracker.data.person_name(clean_text(officer, "the accountable officer",
                                                             required=officer is not None), (theme.officer,))}
    changes = _edit(tracker, theme, f"theme {theme.key}", "theme-update", values, note)
    tracker.data.forget_derived()
    return changes


def edit_item(tracker: Tracker, ref: str, note: str | None = None, **values: str | None) -> Item:
    """Reword an action or resolution: title, owner, success criteria, finance, source."""
    item = tracker.changing(ref)
    required = {"title": "the title", "owner": "the owner"}
    checked = {}
    for name, value in values.items():
        if value is None:
            continue
        what = required.get(name, name.replace("_", " "))
        checked[name] = clean_text(value, what, required=name in required, multiline=name in ("title", "success", "finance"))
        if name == "owner":
            checked[name] = tracker.data.person_name(checked[name], (item.owner,))
    changes = [Change(name, getattr(item, name), value) for name, value in checked.items() if getattr(item, name) != value]
    if not changes:
        raise BadInput(f"nothing to change on {item.ref}: give a new --title, --owner, --success-criteria, "
                       "--financial or --source")
    for change in changes:
        setattr(item, change.field, change.new)
    tracker.record(item, "edit", changes, clean_text(note, "the note", multiline=True))
    return item


def update_milestone(tracker: Tracker, ref: str, number: int, *, title: str | None = None, due: date | None = None,
                     note: str | None = None) -> Milestone:
    item = tracker.changing(ref)
    milestone = item.milestone(number)
    changes = []
    if title is not None:
        new_title = clean_text(title, "the milestone's title", required=True)
        if new_title != milestone.title:
            changes.append(Change(f"milestone {number} title", milestone.title, new_title))
            milestone.title = new_title
    if due is not None and due != milestone.due:
        changes.append(Change(f"milestone {number} due", milestone.due.isoformat(), due.isoformat()))
        milestone.due = due
    if not changes:
        raise BadInput(f"nothing to change on milestone {number} of {item.ref}: give a new --title or --due")
    tracker.record(item, "milestone-update", changes, clean_text(note, "the note", multiline=True))
    return milestone


def remove_milestone(tracker: Tracker, ref: str, number: int, note: str) -> Milestone:
    item = tracker.changing(ref)
    milestone = item.milestone(number)
    why = clean_text(note, "the reason", required=True, multiline=True)
    item.milestones = [m for m in item.milestones if m.number != number]
    tracker.record(item, "milestone-remove", [Change(f"milestone {number}", milestone.to_record(), None)], why)
    return milestone


@dataclass
class Moved:
    """What a reassignment moved (or would move), as lines to print."""

    items: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items) + len(self.themes) + len(self.plans)


def reassign(tracker: Tracker, old: str, new: str, *, plan: str | None = None) -> Moved:
    """Everything open that OLD holds (actions, resolutions, themes as accountable officer,
    plans as owner) to NEW, in one change.  Closed items keep their historical owner."""
    data = tracker.data
    new_name = tracker.data.person_name(clean_text(new, "the new owner", required=True)) or ""
    key = spoken_key(old)
    if key == spoken_key(new_name):
        raise BadInput("the old and new owner are the same")
    only = data.plan(plan).key if plan else None
    note = f"reassigned from {old.strip()} to {new_name}"
    moved = Moved()
    for item in data.items():
        if item.is_closed or spoken_key(item.owner) != key:
            continue
        if only and getattr(item, "plan", None) != only:
            continue
        moved.items.append(f"{item.ref} {item.title}")
        tracker.record(item, "reassign", [Change("owner", item.owner, new_name)], note)
        item.owner = new_name
    for theme in sorted(data.themes.values(), key=lambda t: (t.plan, t.number)):
        if spoken_key(theme.officer) == key and (only is None or theme.plan == only):
            moved.themes.append(f"theme {theme.key} {theme.title}")
            tracker.record_journal(f"theme {theme.key}", "theme-update", [Change("officer", theme.officer, new_name)], note)
            theme.officer = new_name
    for p in sorted(data.plans.values(), key=lambda p: p.key):
        if p.owner and spoken_key(p.owner) == key and (only is None or p.key == only):
            moved.plans.append(f"plan {p.key} {p.title}")
            tracker.record_journal(f"plan {p.key}", "plan-update", [Change("owner", p.owner, new_name)], note)
            p.owner = new_name
    if not moved:
        where = f" in plan {only}" if only else ""
        # A letter out ("Head of Resources and Placement"): say whom they meant (a new-user trial).
        holders = {*(i.owner for i in data.items() if not i.is_closed), *(t.officer for t in data.themes.values()),
                   *(p.owner for p in data.plans.values() if p.owner)}
        meant = close_name(old, holders)
        hint = f"; did you mean '{meant}'?" if meant else ""
        raise BadInput(f"'{old}' holds nothing open{where}: no action, resolution, theme or plan to move{hint}")
    data.forget_derived()
    return moved
