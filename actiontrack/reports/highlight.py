"""The highlight report a Board reads: per theme, counts by RAG, what is stale, what
is due next, and the measures its actions move; then the exceptions, worst first."""

from __future__ import annotations

from datetime import date
from typing import Any

from actiontrack.domain import rules
from actiontrack.domain.storedata import StoreData
from actiontrack.domain.vocabulary import CLOSED_STATUSES
from actiontrack.reports import scorecard
from actiontrack.reports.views import item_view

NEXT_DEADLINES = 3


def highlight(data: StoreData, as_of: date, plan: str | None = None) -> dict:
    """Per theme: counts by derived RAG, mismatches, stale actions, next deadlines, and
    the actions themselves; then the exceptions (red, then amber) with their latest commentary."""
    plans = [data.plan(plan)] if plan else sorted(data.plans.values(), key=lambda p: p.key)
    themes_out: list[dict[str, Any]] = []
    totals = _empty_counts()
    by_theme = data.actions_by_theme()
    for p in plans:
        for theme in sorted((t for t in data.themes.values() if t.plan == p.key), key=lambda t: t.number):
            actions = sorted(by_theme.get((p.key, theme.number), []), key=lambda a: a.seq)
            views = [item_view(data, a, as_of) for a in actions]
            for view, action in zip(views, actions):
                view["commentary"] = rules.latest_commentary(action)
            counts = _empty_counts()
            for v in views:
                counts[v["derived_rag"] or "dropped"] += 1
            for k, n in counts.items():
                totals[k] += n
            theme_out: dict[str, Any] = {
                "plan": p.key,
                "theme": theme.key,
                "title": theme.title,
                "officer": theme.officer,
                "actions": len(views),
                "counts": counts,
                "mismatches": [v["ref"] for v in views if v["rag_mismatch"]],
                "stale": [v["ref"] for v in views if v["stale"]],
                "next_deadlines": _next_deadlines(views, as_of),
                "items": views,
                # The measures this theme's actions are meant to move (the scorecard's rows).
                "indicators": [scorecard.row(data, i, as_of) for i in sorted(data.indicators.values(),
                                                                             key=lambda i: i.code)
                               if i.theme == theme.key],
            }
            themes_out.append(theme_out)
    # An exception is red or amber by its dates or by its owner's own report: an officer's
    # Red is the first thing a Board asks about, whatever the dates say.  Worst first.
    exceptions = [v for t in themes_out for v in t["items"]
                  if _worst(v) in ("red", "amber") and v["status"] not in CLOSED_STATUSES]
    exceptions.sort(key=lambda v: (_worst(v) != "red", -v["days_overdue"], -v["slippage_days"], v["ref"]))
    return {
        "as_of": as_of,
        "plans": [{"key": p.key, "title": p.title, "board": p.board, "owner": p.owner} for p in plans],
        "totals": totals,
        "mismatches": sum(len(t["mismatches"]) for t in themes_out),
        "stale": sum(len(t["stale"]) for t in themes_out),
        "themes": themes_out,
        "exceptions": exceptions,
    }


def _worst(view: dict) -> str | None:
    """The worse of the RAG the dates imply and the RAG the owner reports."""
    rags = [r for r in (view["derived_rag"], view["rag"]) if r in rules.RAG_RANK]
    return max(rags, key=rules.RAG_RANK.__getitem__, default=None)


def _empty_counts() -> dict[str, int]:
    return {"blue": 0, "green": 0, "amber": 0, "red": 0, "dropped": 0}


def _next_deadlines(views: list[dict], as_of: date) -> list[dict]:
    """The soonest dates still ahead: action due dates and open milestones."""
    upcoming = []
    for v in views:
        if v["status"] in CLOSED_STATUSES:
            continue
        # An undated ("Ongoing", "TBC") action has no deadline to list; its milestones may.
        if v["due"] is not None and v["due"] >= as_of:
            upcoming.append({"ref": v["ref"], "what": v["title"], "due": v["due"]})
        for m in v["milestones"]:
            if m["done_on"] is None and m["due"] >= as_of:
                upcoming.append({"ref": v["ref"], "what": f"Milestone {m['number']}: {m['title']}", "due": m["due"]})
    upcoming.sort(key=lambda d: (d["due"], d["ref"]))
    return upcoming[:NEXT_DEADLINES]
