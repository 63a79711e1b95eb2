"""Changes to the scorecard: indicators added and changed, targets moved, values recorded.

Each goes through the journal (target "indicator CODE"), field by field, so undo and
--as-of put them back like any other change (changes/journal.py); a corrected value's
earlier figure stays in the history.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from actiontrack.changes.tracker import Tracker
from actiontrack.dates import uk
from actiontrack.domain.checks import clean_text
from actiontrack.domain.indicator_rules import parse_tolerance
from actiontrack.domain.indicators import Indicator, indicator_code
from actiontrack.domain.models import Change
from actiontrack.errors import BadInput


def add_indicator(tracker: Tracker, code: str, title: str, *, unit: str, better: str, target: float,
                  tolerance: str | None = None, frequency: str = "monthly", owner: str | None = None,
                  plan: str | None = None, theme: str | None = None) -> Indicator:
    data = tracker.data
    key = indicator_code(code)
    if key in data.indicators:
        raise BadInput(f"indicator {key} already exists (change it with 'actiontrack indicator update {key}')")
    placed = _placed(tracker, plan, theme, None, None)
    _in_unit(unit.lower(), target, " for a target")
    indicator = Indicator(
        code=key, title=clean_text(title, "the indicator's title", required=True), unit=unit.lower(),
        better=better.lower(), target=target, frequency=frequency.lower(),
        tolerance=_tolerance(tolerance, unit.lower(), better.lower(), [target]) if tolerance else None,
        owner=data.person_name(clean_text(owner, "the owner")), plan=placed["plan"], theme=placed["theme"])
    data.indicators[key] = indicator
    tracker.record_journal(f"indicator {key}", "indicator-add", [Change("indicator", None, indicator.to_record())])
    return indicator


def update_indicator(tracker: Tracker, code: str, **values: Any) -> list[Change]:
    indicator = _changing(tracker, code)
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name == "title":
            value = clean_text(value, "the indicator's title", required=True)
        elif name == "owner":
            value = tracker.data.person_name(clean_text(value, "the owner", required=True), (indicator.owner or "",))
        elif name == "tolerance":
            value = _tolerance(value, indicator.unit, indicator.better, _targets(indicator))
        elif name in ("plan", "theme"):
            continue  # together, below
        checked[name] = value
    if values.get("plan") is not None or values.get("theme") is not None:
        placed = _placed(tracker, values.get("plan"), values.get("theme"), indicator.plan, indicator.theme)
        checked.update(placed)  # a change of theme moves the plan with it
    changes = [Change(n, getattr(indicator, n), v) for n, v in checked.items() if getattr(indicator, n) != v]
    if not changes:
        raise BadInput(f"nothing to change on indicator {indicator.code}: give a new value")
    for change in changes:
        setattr(indicator, change.field, change.new)
    tracker.record_journal(f"indicator {indicator.code}", "indicator-update", changes)
    return changes


def _changing(tracker: Tracker, code: str) -> Indicator:
    """The indicator to change, refused when the change would count from before one of its
    changes, as an action is (Tracker.changing): a trial's correction as
    of 01 Dec 2022, after a figure recorded today, was taken and then never shown as of any day."""
    indicator = tracker.data.indicator(code)
    later = _latest(tracker).get(f"indicator {indicator.code}")
    if later is not None and tracker.as_of < later:
        raise BadInput(f"{indicator.code} has a change counting from {uk(later)}; a change to it cannot count "
                       f"from {uk(tracker.as_of)}, before it (check --as-of)")
    return indicator


_LATEST: WeakKeyDictionary[Tracker, dict[str, date]] = WeakKeyDictionary()


def _latest(tracker: Tracker) -> dict[str, date]:
    """Each journal target's newest change's day, worked out once a command (an import
    records a figure a row; this command's own changes count from its as-of day).  Undos
    and what they undid count too: --as-of rewinds the journal entry by entry, newest first,
    so a figure recorded as of a day before an undo was lost from every view of that day."""
    if tracker not in _LATEST:
        latest: dict[str, date] = {}
        for h in tracker.data.journal:
            if h.target:
                latest[h.target] = max(latest.get(h.target, h.effective), h.effective)
        _LATEST[tracker] = latest
    return _LATEST[tracker]


def _in_unit(unit: str, value: float, what: str = "") -> None:
    """A percentage from 0 to 100, as a figure and as a target: a new-user trial set a
    target of 190% (and of -5%) that no figure recorded could ever be."""
    if unit == "percent" and not 0 <= value <= 100:
        raise BadInput(f"{value:g} is not a percentage (0 to 100){what}")


def _tolerance(text: str, unit: str, better: str, targets: list[float]) -> str:
    """A tolerance that leaves room for red under every target: no figure of any unit here
    is below 0, nor a percentage above 100, so amber must stop short of those (a trial's
    100% on a target of 200 made even 0 foster households amber)."""
    tolerance = parse_tolerance(text)
    for target in targets:
        worst = 0.0 if better == "higher" else 100.0 if unit == "percent" else None
        # At the worst figure the target itself (0 where higher is better) is green: not amber.
        if worst is not None and 0 < abs(target - worst) <= tolerance.allowed(target):
            raise BadInput(f"'{text}' is too wide a tolerance: with a target of {target:g} ({better} is better) "
                           f"even {worst:g} would be amber, and nothing could be red")
    return tolerance.text


def _targets(indicator: Indicator) -> list[float]:
    return [indicator.target, *(value for _, value in indicator.targets)]


def _placed(tracker: Tracker, plan: str | None, theme: str | None, had_plan: str | None,
            had_theme: str | None) -> dict[str, str | None]:
    """An indicator's plan and theme, which agree: a theme is in its own plan (a new-user
    trial put CP1 in plan PERM and theme SUFF.1, and SUFF's highlight report showed it)."""
    data = tracker.data
    plan_key = data.plan(plan).key if plan else None
    if theme:
        place = data.theme(theme)
        if plan_key and plan_key != place.plan:
            raise BadInput(f"theme {place.key} is in plan {place.plan}, not {plan_key}: give one or the other")
        return {"plan": place.plan, "theme": place.key}
    if plan_key and had_theme and not had_theme.startswith(f"{plan_key}."):
        raise BadInput(f"its theme {had_theme} is not in plan {plan_key}: give a theme of {plan_key} with --theme too")
    return {"plan": plan_key or had_plan, "theme": had_theme}


def set_target(tracker: Tracker, code: str, value: float, start: str, note: str | None = None) -> Indicator:
    """A new target from period `start` on; earlier periods keep the target they had."""
    indicator = _changing(tracker, code)
    period = indicator.period(start)
    _in_unit(indicator.unit, value, " for a target")
    if indicator.tolerance:  # the tolerance kept must leave room for red under the new target too
        _tolerance(indicator.tolerance, indicator.unit, indicator.better, [value])
    kept = [t for t in indicator.targets if indicator.period(t[0]) != period]
    new = sorted([*kept, [period.key, value]], key=lambda t: indicator.period(t[0]))
    if new == indicator.targets:
        raise BadInput(f"{indicator.code}'s target from {period.label} is already {value:g}")
    tracker.record_journal(f"indicator {indicator.code}", "indicator-target",
                           [Change("targets", [list(t) for t in indicator.targets], new)],
                           clean_text(note, "the note", multiline=True))
    indicator.targets = new
    return indicator


def reading(old: dict | None, value: float, england: float | None, neighbours: float | None,
            note: str | None) -> dict[str, Any]:
    """A period's figures as recorded.  A comparator or note not given (None) keeps the one
    recorded before: correcting a value by hand, or from a sheet with no England column,
    must not wipe England's figure and the neighbours' (a new-user trial lost both so)."""
    kept = old or {}
    return {"value": value, "england": kept.get("england") if england is None else england,
            "neighbours": kept.get("neighbours") if neighbours is None else neighbours,
            "note": kept.get("note") if note is None else note}


def record_value(tracker: Tracker, code: str, period_text: str, value: float, *, england: float | None = None,
                 neighbours: float | None = None, note: str | None = None) -> tuple[Indicator, dict | None]:
    """Record (or correct) a period's value; returns the indicator and the value it replaced.
    England's, the neighbours' figure and the note: as recorded before unless given."""
    indicator = _changing(tracker, code)
    period = indicator.period(period_text)
    if period.start > tracker.as_of:  # a typo in the year, most likely: no figure exists for it yet
        raise BadInput(f"{period.label} has not begun by {uk(tracker.as_of)}: no value can be recorded for it yet "
                       "(check the period, or --as-of)")
    _in_unit(indicator.unit, value)
    for figure, whose in ((england, " for England's figure"), (neighbours, " for the neighbours' figure")):
        if figure is not None:
            _in_unit(indicator.unit, figure, whose)
    said = clean_text(note, "the note", multiline=True)
    old = indicator.values.get(period.key)
    reading_now = reading(old, value, england, neighbours, said)
    if old == reading_now:
        raise BadInput(f"{indicator.code} for {period.label} is already {value:g}")
    indicator.values[period.key] = reading_now
    tracker.record_journal(f"indicator {indicator.code}", "indicator-record",
                           [Change(f"value {period.key}", old, reading_now)], said)
    return indicator, old


def link_action(tracker: Tracker, code: str, ref: str) -> Indicator:
    indicator = _changing(tracker, code)
    action = tracker.data.action(ref)
    if action.ref in indicator.actions:
        raise BadInput(f"{action.ref} is already linked to {indicator.code}")
    tracker.record_journal(f"indicator {indicator.code}", "indicator-update",
                           [Change("actions", list(indicator.actions), [*indicator.actions, action.ref])])
    indicator.actions.append(action.ref)
    return indicator
