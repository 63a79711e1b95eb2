"""How an indicator stands: RAG against its target, and its direction of travel.

Polarity decides what "worse" means: for children in care per 10,000 "higher" may be
worse; for foster placements, better.  Green is on target or better; amber is worse by
no more than the tolerance (a number in the indicator's unit, or a percentage of the
target); red is beyond it.  With no tolerance, anything worse than target is red.
Direction compares two values: improving, worsening or no change, by polarity.
"""

from __future__ import annotations

from dataclasses import dataclass

from actiontrack.errors import BadInput

BETTER = ("higher", "lower")


@dataclass(frozen=True)
class Tolerance:
    """How far worse than target is still amber: `amount` in the unit, or a percentage."""

    amount: float
    percent: bool = False

    def allowed(self, target: float) -> float:
        return abs(target) * self.amount / 100 if self.percent else self.amount

    @property
    def text(self) -> str:
        return f"{self.amount:g}%" if self.percent else f"{self.amount:g}"


def parse_tolerance(text: str) -> Tolerance:
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        amount = float(raw.rstrip("%").strip())
    except ValueError:
        raise BadInput(f"'{text}' is not a tolerance (a number, e.g. 2, or a percentage, e.g. 5%)") from None
    if not amount >= 0 or amount == float("inf"):  # also refuses NaN
        raise BadInput(f"'{text}' is not a tolerance: it must be zero or more")
    return Tolerance(amount, percent)


def shortfall(value: float, target: float, better: str) -> float:
    """How much worse than target `value` is (zero or less: on target or better)."""
    return target - value if better == "higher" else value - target


def rag(value: float, target: float, better: str, tolerance: Tolerance | None = None) -> str:
    gap = shortfall(value, target, better)
    if gap <= 0:
        return "green"
    if tolerance is not None and gap <= tolerance.allowed(target):
        return "amber"
    return "red"


def direction(current: float | None, earlier: float | None, better: str) -> str | None:
    """improving, worsening or no change from `earlier` to `current`; None without both."""
    if current is None or earlier is None:
        return None
    if current == earlier:
        return "no change"
    rose = current > earlier
    return "improving" if rose == (better == "higher") else "worsening"
