"""Which stored records a report could want, said in fields every backend can index.

A report hands its Prefilter to the store: the JSON store tests each record with
`matches`, the SQLite store turns the same fields into a WHERE clause (store/sqlite_rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from actiontrack.domain.vocabulary import CLOSED_STATUSES


@dataclass(frozen=True)
class Prefilter:
    """Which stored records a report could want, in fields every backend can index.

    Dates are ISO text (they compare as text).  A prefilter may let through more than a
    report keeps, never less: the rules run on the decoded items afterwards.
    """

    late_before: str  # open, and due or with an undone milestone due before this day
    moved: bool = False  # or open and due later than its baseline
    completed_after: str | None = None  # or completed late (after its baseline) after this day

    def matches(self, record: dict) -> bool:
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


def late_milestone(record: dict) -> str | None:
    """The earliest due date among the record's milestones not yet done."""
    return min((m["due"] for m in record.get("milestones", ()) if m["done_on"] is None), default=None)


def changed_after_day(record: dict, cut: str) -> bool:
    """Whether the record's history has a change counting from after `cut` (ISO)."""
    summary = record.get("summary")
    if not isinstance(summary, dict):
        return True  # no summary saved (a hand-edited record?): assume so, to be safe
    return (summary.get("latest_effective") or "") > cut
