"""Performance indicators: the Board's scorecard beside the plans that are meant to move it.

An indicator has a unit, a polarity (is higher better?), a target that may change from
a given period, a tolerance for amber, and a value per period.  Values are kept by
period key (2022-06, Q1 2022/23, 2022/23); a corrected value is recorded as a change in
the journal, so the earlier figure stays in the history and --as-of shows what the Board
saw on the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from actiontrack.domain.indicator_rules import BETTER, Tolerance, parse_tolerance
from actiontrack.domain.periods import FREQUENCIES, Period, parse_period
from actiontrack.errors import BadInput
from actiontrack.patterns import Pattern

UNITS = ("number", "percent", "weeks", "days", "ratio")
_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")


def indicator_code(text: str) -> str:
    code = text.strip().upper()
    if not code or len(code) > 20 or not set(code) <= _CODE_CHARS or not code[0].isalnum():
        raise BadInput(f"'{text}' is not an indicator code (letters, digits, - . _; e.g. CP1)")
    return code


def parse_value(text: Any, what: str = "the value") -> float:
    typed = str(text).strip().rstrip("%")
    if "," in typed and not _GROUPED.fullmatch(typed):
        # "21,3" (a decimal comma, as in much of Europe) was read as 213, and "1,5" as 15, on
        # the Board's scorecard without a word (a new-user trial): a comma groups thousands only.
        # The figure itself with a point only where that is plainly it ("21,3"): "1,23,456" or
        # "1.234,5" is the sheet's to check (a trial typed back a suggestion as its own figure).
        point = typed.replace(",", ".") if _DECIMAL_COMMA.fullmatch(typed) else "as in 21.3"
        raise BadInput(f"'{text}' is not a number ({what}): a comma may only group thousands (1,234); "
                       f"write a decimal with a point ({point})")
    try:
        value = float(typed.replace(",", ""))
    except ValueError:
        raise BadInput(f"'{text}' is not a number ({what})") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadInput(f"'{text}' is not a number ({what})")
    if abs(value) > LARGEST:
        raise BadInput(f"'{text}' is too large for an indicator ({what}): at most a million million either way")
    # A whole number as one (534, not 534.0 in JSON and CSV), however it was typed ("1,234", "72%").
    return int(value) if value.is_integer() else value


_DECIMAL_COMMA = Pattern(r"[+-]?\d+,\d+")
_GROUPED = Pattern(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")  # 1,234 and 12,345.6: thousands, grouped


# Past any council's figure (a budget in pounds, a count of children) and still exact in
# a float: 1e308 was taken, and its span with -1e308 overflowed every chart's scale.
LARGEST = 1e12


@dataclass
class Indicator:
    """One measure on the scorecard, its targets and its values by period."""

    code: str
    title: str
    unit: str
    better: str
    target: float
    frequency: str = "monthly"
    tolerance: str | None = None  # "2" (in the unit) or "5%" (of the target)
    owner: str | None = None
    plan: str | None = None
    theme: str | None = None
    # Later targets: (the period they apply from, the target), oldest first.
    targets: list[list] = field(default_factory=list)
    # period key -> {"value", "england", "neighbours", "note"}
    values: dict[str, dict] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)  # the actions meant to move it

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise BadInput(f"'{self.unit}' is not a unit (one of: {', '.join(UNITS)})")
        if self.better not in BETTER:
            raise BadInput(f"'{self.better}' is not a polarity (higher or lower)")
        if self.frequency not in FREQUENCIES:
            raise BadInput(f"'{self.frequency}' is not a frequency (one of: {', '.join(FREQUENCIES)})")

    @property
    def kind(self) -> str:
        return FREQUENCIES[self.frequency]

    def period(self, text: str) -> Period:
        return parse_period(text, self.kind)

    def tolerance_rule(self) -> Tolerance | None:
        return parse_tolerance(self.tolerance) if self.tolerance else None

    def target_for(self, period: Period) -> float:
        """The target in force for `period`: the latest change from it or before, else the first."""
        target = self.target
        for start, value in self.targets:
            if self.period(start) <= period:
                target = value
        return target

    def target_on(self, day: date) -> float:
        """The target in force on `day`: the latest change from a period begun by then."""
        target = self.target
        for start, value in self.targets:
            if self.period(start).start <= day:
                target = value
        return target

    def periods(self) -> list[Period]:
        return sorted(self.period(key) for key in self.values)

    def to_record(self) -> dict:
        return {"code": self.code, "title": self.title, "unit": self.unit, "better": self.better,
                "target": self.target, "frequency": self.frequency, "tolerance": self.tolerance,
                "owner": self.owner, "plan": self.plan, "theme": self.theme,
                "targets": [list(t) for t in self.targets], "values": dict(self.values),
                "actions": list(self.actions)}

    @classmethod
    def from_record(cls, r: dict) -> Indicator:
        return cls(code=r["code"], title=r["title"], unit=r["unit"], better=r["better"], target=r["target"],
                   frequency=r.get("frequency", "monthly"), tolerance=r.get("tolerance"), owner=r.get("owner"),
                   plan=r.get("plan"), theme=r.get("theme"), targets=[list(t) for t in r.get("targets", [])],
                   values={k: dict(v) for k, v in r.get("values", {}).items()}, actions=list(r.get("actions", [])))
