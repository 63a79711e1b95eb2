"""Update returns: what each owner is asked about, and what their filled return changes.

A return is one owner's open actions, resolutions and milestones as rows.  Each row
carries, out of sight, the state it was made from and a fingerprint of that state.
Coming back, a row the owner did not edit is left alone; an edited row whose item has
changed in the store since is a conflict (someone else's change would be overwritten);
a row whose edits the store already holds is done (applying a file twice changes
nothing the second time).  Everything else is applied through the Tracker, so every
check an officer's own update meets applies to a return too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson

from actiontrack.changes.tracker import Tracker
from actiontrack.dates import in_range, iso, parse_date, parse_iso, uk
from actiontrack.domain import rules
from actiontrack.domain.checks import clean_text
from actiontrack.domain.models import Item, Milestone, Resolution
from actiontrack.domain.nearby import close_name
from actiontrack.domain.people import person_key, spoken_key
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import RAGS
from actiontrack.errors import BadInput
from actiontrack.interchange.sheet_rows import quote
from actiontrack.patterns import Pattern

COLUMNS = ("Ref", "Item", "Plan / committee", "Due", "Baseline", "Status", "RAG", "Progress update",
           "Revised due date", "Reason for change", "Completed on")
FIRST_EDITABLE = COLUMNS.index("Status")  # the five before it are the store's, read-only
STATUS_LABELS = {"not-started": "Not started", "in-progress": "In progress", "on-hold": "On hold",
                 "awaiting-sign-off": "Awaiting sign-off", "complete": "Complete", "dropped": "Dropped"}
FIELDS = ("status", "rag", "progress", "due", "completed_on")  # what a row can change
_MILESTONE = Pattern(r"(?P<ref>\S+) milestone (?P<number>\d+)")


@dataclass
class ReturnRow:
    """One row of a return as made: an item (or one of its milestones) and its state."""

    ref: str
    title: str
    where: str
    due: date | None
    baseline: date | None
    state: dict  # FIELDS as the store holds them, dates as ISO text
    milestone: int | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.state)


def fingerprint(state: dict) -> str:
    return hashlib.sha256(orjson.dumps(state, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def item_state(item: Item) -> dict:
    return {"status": item.status, "rag": item.rag, "progress": rules.latest_commentary(item),
            "due": iso(item.due), "completed_on": iso(item.completed_on)}


def milestone_state(milestone: Milestone) -> dict:
    return {"status": None, "rag": None, "progress": None, "due": iso(milestone.due),
            "completed_on": iso(milestone.done_on)}


def owners(data: StoreData, only: str | None = None) -> dict[str, tuple[str, list[Item]]]:
    """Open items by owner (person_key -> (the owner's name, their items)); `only`: one owner."""
    found: dict[str, tuple[str, list[Item]]] = {}
    for item in data.items():
        if item.is_closed:
            continue
        key = person_key(item.owner)
        if only is not None and spoken_key(item.owner) != spoken_key(only):  # "&" or "and": one owner
            continue
        person = data.person(item.owner)
        found.setdefault(key, (person.name if person else " ".join(item.owner.split()), []))[1].append(item)
    if only is not None and not found:
        # A letter out ("Childrens Services Education Lead"): whom they meant (a second trial).
        near = close_name(only, {i.owner for i in data.items() if not i.is_closed}, spoken_key)
        hint = f"; did you mean '{near}'?" if near else " (see 'actiontrack person list')"
        raise BadInput(f"'{only}' owns no open actions or resolutions{hint}")
    return dict(sorted(found.items()))


def return_rows(data: StoreData, items: list[Item], due_by: date | None = None) -> list[ReturnRow]:
    """The rows of one owner's return: those due by `due_by` first, then by due date."""
    rows = []
    for item in items:
        rows.append(ReturnRow(item.ref, item.title, _where(data, item), item.due, item.baseline_due, item_state(item)))
        for m in item.milestones:
            if m.done_on is None:
                rows.append(ReturnRow(f"{item.ref} milestone {m.number}", m.title, f"Milestone of {item.ref}",
                                      m.due, m.due, milestone_state(m), milestone=m.number))

    def order(row: ReturnRow) -> tuple:
        late = due_by is not None and row.due is not None and row.due <= due_by
        return (not late, row.due is None, row.due or date.max, row.ref)

    return sorted(rows, key=order)


def _where(data: StoreData, item: Item) -> str:
    if isinstance(item, Resolution):
        return f"{item.body}, {uk(item.meeting)} (minute {item.minute})"
    plan = data.plans.get(item.plan)
    return plan.title if plan else item.plan


@dataclass
class Filled:
    """A return as it came back: who it is for, and each row's cells beside its made state."""

    file: str
    owner: str
    store_id: str
    rows: list[tuple[int, dict, dict, str]]  # (sheet row, cells by column name, made state, fingerprint)
    sheet: str = "Return"


@dataclass
class Outcome:
    """What applying returns did, or would do: lines to print, and why a file is refused."""

    applied: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def apply_return(tracker: Tracker, filled: Filled, *, force: bool, outcome: Outcome) -> None:
    """Apply one filled return's edited rows, as its owner via the return; problems and
    conflicts are collected in `outcome` (the caller saves nothing if there are any)."""
    data = tracker.data
    if filled.store_id != data.meta.get("store_id"):
        outcome.problems.append(f"{filled.file}: this return was made from another store")
        return
    tracker.on_behalf = (filled.owner, f"update return {filled.file}")
    try:
        for number, cells, made, print_ in filled.rows:
            where = f"{filled.file}, sheet '{filled.sheet}', row {number}"
            try:
                _apply_row(tracker, cells, made, print_, (filled.file, where, filled.owner), force, outcome)
            except BadInput as e:
                outcome.problems.append(f"{where}: {e.message}")
    finally:
        tracker.on_behalf = None


def _apply_row(tracker: Tracker, cells: dict, made: dict, print_: str, place: tuple[str, str, str], force: bool,
               outcome: Outcome) -> None:
    file, where, owner = place
    ref_text = str(cells.get("Ref") or "")
    m = _MILESTONE.fullmatch(ref_text)
    ref = m["ref"] if m else ref_text
    item = tracker.data.item(ref)
    milestone = item.milestone(int(m["number"])) if m else None
    wanted, problems = read_cells(cells, made, tracker.as_of, milestone=milestone is not None)
    if problems:
        outcome.problems += [f"{where}, {p}" for p in problems]
        return
    edited = {f: wanted[f] for f in FIELDS if not _same(f, wanted[f], made[f])}
    if not edited:
        return
    current = milestone_state(milestone) if milestone else item_state(item)
    if all(_same(f, v, current[f]) for f, v in edited.items()):
        outcome.already.append(f"{file}: {ref_text}: already as the return says")
        return
    if spoken_key(item.owner) != spoken_key(owner) and not force:
        # Reassigned since: the new owner holds it now, and may see it otherwise.
        outcome.conflicts.append(f"{where}: {ref_text} has passed from {owner} to {item.owner} since the return "
                                 "was made")
        return
    if fingerprint(current) != print_ and not force:
        last = item.history[-1] if item.history else None
        by = f" (last by {last.on_behalf_of or last.user}, {uk(last.effective)})" if last else ""
        outcome.conflicts.append(f"{where}: {ref_text} has changed in the store since the return was made{by}")
        return
    if milestone is not None:
        tracker.milestone_done(ref, milestone.number, parse_iso(edited["completed_on"]))
    else:
        _apply_item(tracker, item, edited, wanted.get("reason"))
    said = [_says(f, v) for f, v in edited.items()]
    if edited.get("due") and (late := (tracker.as_of - date.fromisoformat(edited["due"])).days) > 0:
        # As `reschedule` says it: taken as given (an extension reported late is real), but a
        # slipped year shows (a second trial's past date went by without a word).
        said[list(edited).index("due")] += f" ({late} day{'s' if late != 1 else ''} overdue already" \
                                           f"{', a mistyped year?' * (late > 180)})"
    if milestone is None and edited.get("status") == "complete" and not edited.get("completed_on"):
        # As `action complete` with no date: today.  Said, dry run too: a return applied a
        # week late made the work a week late (a new-user trial saw "status complete" only).
        said.append(f"completed on {uk(tracker.as_of)}, the day applied (its 'Completed on' was blank)")
    outcome.applied.append(f"{file}: {ref_text}: " + ", ".join(said))


def _apply_item(tracker: Tracker, item: Item, edited: dict, reason: str | None) -> None:
    completing = edited.get("status") == "complete" or "completed_on" in edited
    update: dict[str, str] = {}
    if "status" in edited and not completing:
        update["status"] = edited["status"]
    if "rag" in edited:
        update["rag"] = edited["rag"] or "none"  # a cleared RAG cell clears the RAG
    if update or "progress" in edited:
        tracker.update_action(item.ref, note=edited.get("progress"), status=update.get("status"),
                              rag=update.get("rag"))
    if "due" in edited:
        if not reason:
            raise BadInput("column 'Reason for change' is empty: a revised due date needs the reason for it")
        tracker.reschedule(item.ref, date.fromisoformat(edited["due"]), reason)
    if completing:
        tracker.complete(item.ref, on=parse_iso(edited.get("completed_on")))


def read_cells(cells: dict, made: dict, as_of: date, *, milestone: bool) -> tuple[dict, list[str]]:
    """A row's editable cells as the FIELDS they set (and the reason); problems as
    "column 'RAG', value 'purple': why" lines."""
    problems: list[str] = []

    def problem(column: str, value: Any, why: str) -> None:
        if isinstance(value, date):  # a date cell as the owner sees it, not '2023-01-31 00:00:00'
            value = uk(value.date() if isinstance(value, datetime) else value)
        problems.append(f"column '{column}', value {quote(value)}: {why}")

    wanted: dict[str, Any] = dict(made)
    # Due is locked, but an owner who unprotects the sheet and types a new date there has
    # asked for one: a new-user trial's was dropped with "Nothing to change".
    due = _day(cells.get("Due"), as_of, "Due", problem)
    if iso(due) != made["due"] and not (due is None and cells.get("Due") not in (None, "")):
        problem("Due", cells.get("Due"), "the Due column is not read: " + (
            "a milestone's new date is the clerk's to set" if milestone
            else "give a new date in 'Revised due date', with the reason in 'Reason for change'"))
    if milestone:
        for column in ("Status", "RAG", "Progress update", "Revised due date", "Reason for change"):
            if cells.get(column) not in (None, ""):
                problem(column, cells.get(column), "a milestone's row takes only its 'Completed on' date")
        done = _day(cells.get("Completed on"), as_of, "Completed on", problem)
        wanted["completed_on"] = iso(done)
        return wanted, problems
    # Only the words the drop-down lists offer: a return is answered from a list, so
    # "Amber/Red" or "Green?" is a question for the owner, not a RAG to guess at.
    status = _word(cells.get("Status"))
    if not status:
        problem("Status", cells.get("Status"), "the status is empty (choose one from the list)")
    elif status in _STATUSES:
        wanted["status"] = _STATUSES[status]
    else:
        problem("Status", cells.get("Status"), f"not a status ({', '.join(STATUS_LABELS.values())})")
    rag = _word(cells.get("RAG"))
    if not rag:
        wanted["rag"] = None
    elif rag in RAGS:
        wanted["rag"] = rag
    else:
        problem("RAG", cells.get("RAG"), "not a RAG (Red, Amber or Green; blank for none)")
    for column, key, what in (("Progress update", "progress", "the progress update"),
                              ("Reason for change", "reason", "the reason")):
        try:
            wanted[key] = clean_text(_text(cells.get(column)), what, multiline=True)
        except BadInput as e:
            problem(column, cells.get(column), e.message)
    if wanted["progress"] is None:
        wanted["progress"] = made["progress"]  # a cleared cell takes back no commentary: the history keeps it
    revised = _day(cells.get("Revised due date"), as_of, "Revised due date", problem)
    if revised is not None:
        wanted["due"] = revised.isoformat()
        if not wanted.get("reason") and not _same("due", wanted["due"], made["due"]):
            problem("Reason for change", None, "a revised due date needs the reason for the change")
    elif wanted.get("reason") and cells.get("Revised due date") in (None, ""):
        problem("Revised due date", None, "a reason is given but no revised due date: give the date, or clear the reason")
    done = _day(cells.get("Completed on"), as_of, "Completed on", problem)
    if done is not None:
        if done > as_of:
            problem("Completed on", uk(done), "a completion date in the future")
        if wanted["status"] not in ("complete", made["status"]):
            # The owner chose a status that says the work goes on, and a date it finished.
            problem("Completed on", uk(done), f"a completion date, but the status says "
                                              f"'{STATUS_LABELS[wanted['status']]}': make it Complete, or clear the date")
        wanted["completed_on"] = done.isoformat()
        wanted["status"] = "complete"
    if wanted["status"] == "dropped" and made["status"] != "dropped" and wanted["progress"] == made["progress"]:
        problem("Progress update", cells.get("Progress update"),
                "dropping it needs a progress update saying who decided and why")
    return wanted, problems


_STATUSES = {" ".join(label.replace("-", " ").split()).casefold(): code for code, label in STATUS_LABELS.items()}
# Not on the list, but no question what they mean (a second trial's owners typed them).
_STATUSES.update({"completed": "complete", "done": "complete"})


def _word(value: Any) -> str:
    """A list cell as typed: any case, hyphens or spaces ("In progress", "in-progress")."""
    return " ".join(str(value).replace("-", " ").split()).casefold() if value is not None else ""


def _day(value: Any, as_of: date, column: str, problem) -> date | None:
    try:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return in_range(value, uk(value))
        if isinstance(value, (int, float)):  # a date whose cell lost its format: Excel's day number
            from openpyxl.utils.datetime import from_excel

            return in_range(from_excel(value).date(), str(value))
        return parse_date(str(value), as_of)
    except (BadInput, ValueError, OverflowError) as e:
        problem(column, value, e.message if isinstance(e, BadInput) else "not a date")
        return None


def _same(name: str, wanted: Any, have: Any) -> bool:
    if name == "completed_on" and wanted is None and have is not None:
        return True  # "Complete" with no date: any completion date will do
    return wanted == have


def _says(name: str, value: Any) -> str:
    if name in ("due", "completed_on") and value:
        return f"{name.replace('_', ' ')} {uk(date.fromisoformat(value))}"
    if name == "progress":
        return "progress update"
    return f"{name} {value if value is not None else 'cleared'}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")
