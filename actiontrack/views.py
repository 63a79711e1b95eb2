"""An action as every report shows it: stored fields plus what the dates imply.

The keys of `action_view` are the public JSON/CSV contract; extend it, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actiontrack import rules
from actiontrack.errors import BadInput
from actiontrack.models import RAGS, Action, StoreData
from actiontrack.tracker import check_status

ACTION_KEYS = (
    "ref", "plan", "theme", "theme_title", "title", "owner", "status", "rag", "derived_rag",
    "rag_mismatch", "baseline_due", "due", "completed_on", "days_overdue", "slippage_days",
    "reschedules", "stale", "last_update", "milestones",
)
MILESTONE_KEYS = ("number", "title", "due", "done_on", "overdue")


def action_view(data: StoreData, action: Action, as_of: date) -> dict:
    theme = data.themes.get((action.plan, action.theme))
    derived = rules.derived_rag(action, as_of, data.settings.tolerance_days)
    return {
        "ref": action.ref,
        "plan": action.plan,
        "theme": f"{action.plan}.{action.theme}",
        "theme_title": theme.title if theme else None,
        "title": action.title,
        "owner": action.owner,
        "status": action.status,
        "rag": action.rag,
        "derived_rag": derived,
        "rag_mismatch": rules.rag_mismatch(action.rag, derived),
        "baseline_due": action.baseline_due,
        "due": action.due,
        "completed_on": action.completed_on,
        "days_overdue": rules.days_overdue(action, as_of),
        "slippage_days": rules.slippage_days(action, as_of),
        "reschedules": rules.reschedules(action),
        "stale": rules.is_stale(action, as_of, data.cycle_days_for_plan(action.plan)),
        "last_update": rules.last_update(action, as_of),
        "milestones": [
            {
                "number": m.number, "title": m.title, "due": m.due, "done_on": m.done_on,
                "overdue": not action.is_closed and rules.milestone_overdue(m, as_of),
            }
            for m in action.milestones
        ],
    }


def detail_view(data: StoreData, action: Action, as_of: date) -> dict:
    """`action show`: the row plus the full record and its history."""
    view = action_view(data, action, as_of)
    view.update(
        success=action.success, finance=action.finance, source=action.source,
        history=[h.to_record() for h in action.history],
    )
    return view


@dataclass(frozen=True)
class ActionFilter:
    """What a clerk narrows a listing by.  Owner matches any part of the name, any case."""

    plan: str | None = None
    theme: str | None = None
    owner: str | None = None
    status: str | None = None
    rag: str | None = None
    derived_rag: str | None = None
    open_only: bool = False

    def validated(self, data: StoreData) -> ActionFilter:
        """Unknown plans and themes are bad input, not an empty report."""
        plan = data.plan(self.plan).key if self.plan else None
        theme = data.theme(self.theme).key if self.theme else None
        status = check_status(self.status) if self.status else None
        rag = self.rag.lower() if self.rag else None
        if rag and rag not in RAGS:
            raise BadInput(f"'{self.rag}' is not a RAG (one of: red, amber, green)")
        derived = self.derived_rag.lower() if self.derived_rag else None
        if derived and derived not in RAGS + ("blue",):
            raise BadInput(f"'{self.derived_rag}' is not a derived RAG (one of: blue, green, amber, red)")
        return ActionFilter(plan, theme, self.owner, status, rag, derived, self.open_only)

    def matches(self, action: Action) -> bool:
        if self.plan and action.plan != self.plan:
            return False
        if self.theme and f"{action.plan}.{action.theme}" != self.theme:
            return False
        if self.owner and self.owner.casefold() not in action.owner.casefold():
            return False
        if self.status and action.status != self.status:
            return False
        if self.rag and action.rag != self.rag:
            return False
        return not (self.open_only and action.is_closed)


def select(data: StoreData, flt: ActionFilter, as_of: date) -> list[dict]:
    """Views of the matching actions, in plan, theme and sequence order."""
    flt = flt.validated(data)
    chosen = [a for a in data.actions.values() if flt.matches(a)]
    views = [action_view(data, a, as_of) for a in sorted(chosen, key=_order)]
    if flt.derived_rag:
        views = [v for v in views if v["derived_rag"] == flt.derived_rag]
    return views


def _order(action: Action) -> tuple:
    return (action.plan, action.theme, action.seq)

