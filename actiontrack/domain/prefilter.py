"""Which stored records a report could want, said in fields every backend can index.

A report hands its Prefilter to the store: the JSON store tests each record with
`matches`, the SQLite store turns the same fields into a WHERE clause (store/sqlite_rows).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from actiontrack.domain.vocabulary import CLOSED_STATUSES


class Record(Protocol):
    """A stored record as the rules here read it, by key: a dict, or a store's own view
    of one (store/file_items reads only the fields a report needs)."""

    def __getitem__(self, key: str, /) -> Any: ...

    def get(self, key: str, default: Any = None, /) -> Any: ...


@dataclass(frozen=True)
class Prefilter:
    """Which stored records a report could want, in fields every backend can index.

    Dates are ISO text (they compare as text).  A prefilter may let through more than a
    report keeps, never less: the rules run on the decoded items afterwards.
    """

    late_before: str | date  # open, and due or with an undone milestone due before this day
    moved: bool = False  # or open and due later than its baseline
    completed_after: str | date | None = None  # or completed late (after its baseline) after this day

    def dated(self) -> Prefilter:
        """The same test for records whose dates are decoded as dates (store/file_items):
        the cut-off days as dates too, so each comparison is of like with like."""
        after = self.completed_after
        return replace(self, late_before=date.fromisoformat(str(self.late_before)),
                       completed_after=date.fromisoformat(str(after)) if after is not None else None)

    def matches(self, record: Record) -> bool:
        status = record["status"]
        if status == "complete" and self.completed_after is not None:
            done, baseline = record.get("completed_on"), record["baseline_due"]
            return bool(done and done > self.completed_after and baseline and done > baseline)
        if status in CLOSED_STATUSES:
            return False
        due, cut = record["due"], self.late_before
        if due and (due < cut or (self.moved and record["baseline_due"] and due > record["baseline_due"])):
            return True
        late = late_milestone(record)
        return late is not None and late < cut


def late_milestone(record: Record) -> Any:  # a str or a date, as the record holds its dates
    """The earliest due date among the record's milestones not yet done."""
    return min((m["due"] for m in record.get("milestones", ()) if m["done_on"] is None), default=None)


def changed_after_day(record: Record, cut: str) -> bool:
    """Whether the record's history has a change counting from after `cut` (ISO)."""
    summary = record.get("summary")
    if not isinstance(summary, dict):
        return True  # no summary saved (a hand-edited record?): assume so, to be safe
    return (summary.get("latest_effective") or "") > cut


NO_SUMMARY = "9999-12-31"  # a record without its summary could hold a change from any day


def latest_effective(record: Record) -> str | None:
    """The latest day (ISO) any change in the record counts from, by its saved summary."""
    summary = record.get("summary")
    if not isinstance(summary, dict):
        return NO_SUMMARY
    return summary.get("latest_effective")
