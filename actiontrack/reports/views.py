"""An item as every report shows it: stored fields plus what the dates imply.

The keys of `item_view` are the public JSON/CSV contract; extend it, never rename.
Actions and resolutions share one shape: `kind` says which, and the fields that do
not apply to one kind are null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from actiontrack.dates import parse_iso, uk
from actiontrack.domain import rules
from actiontrack.domain.models import Action, Item, Resolution
from actiontrack.domain.people import spoken_key
from actiontrack.domain.refs import body_key
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import RAGS
from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

ACTION_KEYS = (
    "ref", "plan", "theme", "theme_title", "title", "owner", "status", "rag", "derived_rag",
    "rag_mismatch", "baseline_due", "due", "completed_on", "days_overdue", "slippage_days",
    "reschedules", "stale", "last_update", "milestones",
)
# Added with resolutions: which kind, the committee, the meeting and minute it came
# from, linked items (an action's resolutions, a resolution's actions), and the rule
# for its due date ("next-meeting").
ITEM_KEYS = ACTION_KEYS + ("kind", "body", "meeting", "minute", "links", "due_rule")
KINDS = ("action", "resolution")


def item_view(data: StoreData, item: Item, as_of: date, facts: rules.Facts | None = None) -> dict:
    """`facts`: the item's history facts, when the caller has worked them out already."""
    # Each fact worked out once: a report builds thousands of these.
    closed = item.is_closed
    milestones = [
        {"number": m.number, "title": m.title, "due": m.due, "done_on": m.done_on,
         "overdue": not closed and rules.milestone_overdue(m, as_of)}
        for m in item.milestones
    ]
    overdue = rules.days_overdue(item, as_of)
    slippage = rules.slippage_days(item, as_of)
    late = bool(milestones) and any(m["overdue"] for m in milestones)  # most items have none
    derived = rules.rag_from(item.status, overdue, slippage, late, data.settings.tolerance_days)
    if facts is None:
        facts = rules.history_facts(item, as_of)
    # One dict literal in ITEM_KEYS order (merging partial dicts costs more, thousands of times over).
    plan_key: str | None
    where: str | None
    title_of_theme: str | None
    # By kind, not class: a store may hand a report its own read-only view of an item
    # (store/file_items), with the same fields.
    if item.kind == "action":
        action = cast(Action, item)
        plan_key = action.plan
        where, title_of_theme, body, cycle = data.place(plan_key, action.theme)
        kind, meeting, minute = "action", None, None
        links, due_rule = data.linking_resolutions(item.ref), None
    else:
        plan_key = where = title_of_theme = None
        resolution = cast(Resolution, item)
        kind, body, meeting, minute = "resolution", resolution.body, resolution.meeting, resolution.minute
        links, due_rule = list(resolution.actions), "next-meeting" if resolution.due_next_meeting else None
        cycle = data.settings.cycle_days
    return {
        "ref": item.ref, "plan": plan_key, "theme": where, "theme_title": title_of_theme,
        "title": item.title, "owner": item.owner, "status": item.status, "rag": item.rag,
        "derived_rag": derived, "rag_mismatch": rules.rag_mismatch(item.rag, derived),
        "baseline_due": item.baseline_due, "due": item.due, "completed_on": item.completed_on,
        "days_overdue": overdue, "slippage_days": slippage, "reschedules": facts.reschedules,
        "stale": rules.is_stale(item, as_of, cycle, facts.last_update), "last_update": facts.last_update,
        "milestones": milestones,
        "kind": kind, "body": body, "meeting": meeting, "minute": minute, "links": links, "due_rule": due_rule,
    }


def detail_view(data: StoreData, item: Item, as_of: date) -> dict:
    """`show`: the row plus the full record and its history."""
    view = item_view(data, item, as_of)
    view.update(
        success=item.success, finance=item.finance, source=item.source,
        history=[h.to_record() for h in item.history],
    )
    return view


@dataclass(frozen=True)
class ItemFilter:
    """What a clerk narrows a listing by.  Owner matches any part of the name, any case.

    `body` matches a resolution's committee, or the board an action's plan reports to.
    """

    plan: str | None = None
    theme: str | None = None
    owner: str | None = None
    status: str | None = None
    rag: str | None = None
    derived_rag: str | None = None
    open_only: bool = False
    kind: str | None = None
    body: str | None = None
    meeting: date | None = None

    def validated(self, data: StoreData) -> ItemFilter:
        """Unknown plans, themes and bodies are bad input, not an empty report."""
        plan = data.plan(self.plan).key if self.plan else None
        theme = data.theme(self.theme).key if self.theme else None
        from actiontrack.domain.checks import check_status  # only when a listing is narrowed by status

        status = check_status(self.status) if self.status else None
        rag = self.rag.lower() if self.rag else None
        if rag and rag not in RAGS:
            raise BadInput(f"'{self.rag}' is not a RAG (one of: red, amber, green)")
        derived = self.derived_rag.lower() if self.derived_rag else None
        if derived and derived not in RAGS + ("blue",):
            raise BadInput(f"'{self.derived_rag}' is not a derived RAG (one of: blue, green, amber, red)")
        kind = self.kind.lower() if self.kind else None
        if kind and kind not in KINDS:
            raise BadInput(f"'{self.kind}' is not a kind (one of: action, resolution)")
        body = data.body_name(self.body) if self.body else None
        if self.meeting:
            data.meeting(body or "", self.meeting)
        return ItemFilter(plan, theme, self.owner, status, rag, derived, self.open_only, kind, body, self.meeting)

    @property
    def narrows(self) -> bool:
        """Whether this filter leaves anything out (a report skips asking, row by row, if not)."""
        return self != NO_FILTER

    def matches(self, item: Item, data: StoreData) -> bool:
        if self.kind and item.kind != self.kind:
            return False
        if item.kind == "action":  # by kind: see item_view
            action = cast(Action, item)
            if self.meeting:
                return False
            if self.plan and action.plan != self.plan:
                return False
            if self.theme and f"{action.plan}.{action.theme}" != self.theme:
                return False
            if self.body:
                plan = data.plans.get(action.plan)
                if not plan or not plan.board or body_key(plan.board) != body_key(self.body):
                    return False
        elif item.kind == "resolution":
            resolution = cast(Resolution, item)
            if self.plan or self.theme:
                return False
            if self.body and body_key(resolution.body) != body_key(self.body):
                return False
            if self.meeting and resolution.meeting != self.meeting:
                return False
        if self.owner and spoken_key(self.owner) not in spoken_key(item.owner):  # any case; "&" as "and"
            return False
        if self.status and item.status != self.status:
            return False
        if self.rag and item.rag != self.rag:
            return False
        return not (self.open_only and item.is_closed)



NO_FILTER = ItemFilter()


def select(data: StoreData, flt: ItemFilter, as_of: date, kind: str = "action") -> list[dict]:
    """Views of the matching items of one kind, in plan, theme and sequence order."""
    flt = flt.validated(data)
    # Their fields, not their histories: a listing of 100,000 actions narrowed to one theme
    # decoded every one whole (10 s at 100k).
    pool = data.actions.heads() if kind == "action" else data.resolutions.heads()
    chosen = [i for i in pool if flt.matches(i, data)]
    views = [item_view(data, i, as_of) for i in sorted(chosen, key=order)]
    if flt.derived_rag:
        views = [v for v in views if v["derived_rag"] == flt.derived_rag]
    return views


def order(item: Item, resolutions_first: bool = False) -> tuple:
    """Actions by plan, theme and number; then resolutions by number (or those first:
    a committee's action log leads with its own resolutions)."""
    if item.kind == "action":  # by kind: a listing may sort a store's heads (store/file_items)
        action = cast(Action, item)
        return (int(resolutions_first), action.plan, action.theme, action.seq)
    return (int(not resolutions_first), "", 0, cast(Resolution, item).number)


def value_text(value: Any, for_people: bool = True) -> str:
    """A value from a history entry as a person reads it: a record by its title, a list
    joined, an ISO date as 30 Sep 2022 (kept ISO for JSON and CSV: `for_people` false),
    nothing as "-", a yes-or-no as yes or no (a trial read "due_next_meeting: - -> True";
    true or false in CSV, as every CSV cell writes one)."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if for_people else ("true" if value else "false")
    if isinstance(value, dict):
        if isinstance(value.get("value"), (int, float)):  # an indicator's figure for a period
            return f"{value['value']:g}"
        if value.get("body") and isinstance(value.get("date"), str):  # a meeting: its committee and day
            return f"{value['body']} {value_text(value['date'], for_people)}"
        # A record by its title, a person by name: a trial read "person: - -> record".
        return str(value.get("title") or value.get("name") or value.get("key") or "record")
    if isinstance(value, list):
        return ", ".join(_target_text(v, for_people) if _is_target(v) else str(v) for v in value) or "-"
    if isinstance(value, str) and for_people and _ISO_DAY.match(value):
        try:
            return uk(parse_iso(value))
        except ValueError:  # no day (a title of "2023-02-31"): shown as typed
            return value
    return "-" if value is None else str(value)


_ISO_DAY = Pattern(r"^\d{4}-\d{2}-\d{2}$")




def _is_target(value: Any) -> bool:
    """An indicator's target from a period on, as stored: [period key, figure]."""
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) \
        and isinstance(value[1], (int, float)) and not isinstance(value[1], bool)


def _target_text(target: list, for_people: bool) -> str:
    """"480 from Apr 2023" (a new-user trial saw "['2023-04', 480]"); the key as stored for scripts."""
    period = target[0]
    if for_people:
        from actiontrack.domain.periods import parse_period  # only a change to a target gets here

        try:
            period = parse_period(period).label
        except BadInput:
            pass  # a period typed in by hand: as stored
    return f"{target[1]:g} from {period}"


