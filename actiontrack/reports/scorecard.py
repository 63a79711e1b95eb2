"""The Board's scorecard: per indicator, the latest value against its target, how it is
moving, the last twelve values, the comparators, and the open actions meant to move it.

Read from a store already rewound to the as-of date (reports/point_in_time), so a
value recorded after that day is not there and a corrected one shows as it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actiontrack.domain import indicator_rules as rules
from actiontrack.domain.indicators import Indicator
from actiontrack.domain.periods import Period
from actiontrack.domain.storedata import StoreData

TREND_LENGTH = 12
SPARKS = "▁▂▃▄▅▆▇█"


def scorecard(data: StoreData, as_of: date, plan: str | None = None) -> list[dict[str, Any]]:
    only = data.plan(plan).key if plan else None
    rows = []
    for indicator in sorted(data.indicators.values(), key=lambda i: i.code):
        if only and indicator.plan != only:
            continue
        rows.append(row(data, indicator, as_of))
    return rows


def row(data: StoreData, indicator: Indicator, as_of: date) -> dict[str, Any]:
    periods = [p for p in indicator.periods() if p.start <= as_of]
    latest = periods[-1] if periods else None
    value = _value(indicator, latest)
    target = indicator.target_for(latest) if latest else indicator.target
    previous = _value(indicator, latest.previous) if latest else None
    year_ago = _value(indicator, latest.year_ago) if latest else None
    reading = indicator.values.get(latest.key, {}) if latest else {}
    trend = [{"period": p.key, "value": indicator.values[p.key]["value"]} for p in periods[-TREND_LENGTH:]]
    actions = [ref for ref in indicator.actions if ref in data.actions and not data.actions[ref].is_closed]
    return {
        "code": indicator.code, "title": indicator.title, "unit": indicator.unit, "better": indicator.better,
        "period": latest.key if latest else None, "value": value, "target": target,
        "rag": rules.rag(value, target, indicator.better, indicator.tolerance_rule()) if value is not None else None,
        "previous": previous, "direction": rules.direction(value, previous, indicator.better),
        "year_ago": year_ago, "trend": trend, "england": reading.get("england"),
        "neighbours": reading.get("neighbours"), "actions": actions,
    }


def _value(indicator: Indicator, period: Period | None) -> float | None:
    if period is None:
        return None
    reading = indicator.values.get(period.key)
    return reading["value"] if reading else None


def figure(value: float | None) -> str:
    """A value as people read it: 534, 21.5, 70.2 (no trailing .0); nothing as blank."""
    return "" if value is None else f"{value:g}"


def sparkline(values: list[float]) -> str:
    """The values as unicode blocks, lowest to highest: ▁▃▅█."""
    if not values:
        return ""
    # A quarter of each (exactly: a power of two), as the chart does: the span between
    # 1e308 and -1e308 overflows a float, and a NaN position was exit 70.
    quarters = [v / 4 for v in values]
    low, high = min(quarters), max(quarters)
    if high == low:
        return SPARKS[len(SPARKS) // 2] * len(values)
    return "".join(SPARKS[round((v - low) / (high - low) * (len(SPARKS) - 1))] for v in quarters)
