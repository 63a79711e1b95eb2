"""Bring an action plan in from a council spreadsheet: parsed rows applied to the store.

Every row is checked before anything is written (sheet_rows): one bad row and nothing
is imported.  Re-importing the same sheet updates the same actions, matched on their
Ref (or, with none, on the same wording in the same plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from actiontrack.changes.tracker import Tracker
from actiontrack.dates import uk
from actiontrack.domain import rules
from actiontrack.domain.models import Action
from actiontrack.domain.people import spoken_key
from actiontrack.domain.refs import plan_key
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import BadInput
from actiontrack.interchange.sheet_layout import THEME_NUMBERED, squash
from actiontrack.interchange.sheet_rows import Parsed, Row
from actiontrack.patterns import Pattern

IMPORTED = rules.IMPORT_NOTE
# The sheet's own "2.3" (or a ref in our form this store has not given out, "SUFF-2.3"): theme 2, action 3.
_SHEET_NUMBER = Pattern(r"(?:[A-Za-z][A-Za-z0-9]{0,15}-)?(\d{1,3})\.(\d{1,4})")
PROGRESS_EVERY = 50


@dataclass
class Outcome:
    """What importing one row did: created, updated (which fields) or left unchanged."""

    sheet: str
    row: int
    ref: str
    op: str  # create, update, unchanged
    changes: list[str] = field(default_factory=list)
    # The completion day taken when the sheet said complete but gave no date: said, never
    # silently (a date made up hides, or invents, a late completion).
    completed_on_taken: str | None = None
    # The sheet's own number, when its ref was given before (refs are never given twice,
    # even after an undo): found by a new-user trial, the sheet's 2.1 became SUFF-2.3 unsaid.
    number_taken: str | None = None
    # The sheet's ref, when the action's is not made from it ("2.3a", "A1", a number in
    # another theme or plan): said, as a number taken is (a new-user trial found neither).
    ref_not_kept: str | None = None
    officer_differs: str | None = None  # the sheet names another accountable officer for its theme
    title_differs: str | None = None  # the sheet's heading gives its theme another title
    # The sheet's Target Date, beside a Revised Date, is not the baseline: never moved (a
    # baseline stays as first agreed), but said (a trial's edited export read "unchanged").
    baseline_differs: str | None = None


# -- applying -------------------------------------------------------------------------
def assign_plans(data: StoreData, parsed: Parsed, plan: str | None) -> None:
    """Which plan each row goes into: --plan, else the plan in its ref (SUFF-1.3), else a
    sheet named after a plan (as `export --format xlsx` names them)."""
    key = plan_key(plan) if plan else None
    for row in parsed.rows:
        if key:
            row.plan = key
        elif row.ref:
            row.plan = row.ref.split("-", 1)[0]
        elif squash(row.sheet).upper() in data.plans:
            row.plan = squash(row.sheet).upper()
        else:
            parsed.problem(row.sheet, row.number, ": no plan for this row; give --plan KEY")


def apply(tracker: Tracker, parsed: Parsed, *, plan_title: str | None = None,
          progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Create or update actions from the parsed rows that have no problem.  A row the
    change itself refuses (an owner a letter from one named before, say) is one more of
    `parsed`'s problems, and the rows after it are still tried: the clerk is told every
    bad row at once, not one a run (a new-user trial mended a sheet three times).  The
    caller saves nothing while `parsed` has problems."""
    data = tracker.data
    rows = [row for row in parsed.rows if (row.sheet, row.number) not in parsed.bad_rows]
    assert None not in [row.plan for row in rows], "assign_plans() decides every good row's plan"
    # A new plan's title: given, else the title row naming it, else the title its sheet is
    # printed under (an exported workbook's), else a placeholder to change with 'plan update'.
    first_sheet = {row.plan: row.sheet for row in reversed(rows)}
    for key in dict.fromkeys(row.plan for row in rows if row.plan):
        if key not in data.plans:
            heading = parsed.headings.get(first_sheet.get(key, ""))
            tracker.add_plan(key, plan_title or parsed.title or heading or f"Imported plan {key}")
    outcomes = []
    known = _Known(data)
    for row in rows:  # the numbers the sheet gives its rows, theme by theme (2.3 -> plan, 2: {3})
        if own := _sheet_number(row):
            known.claimed.setdefault((row.plan or "", own[0]), set()).add(own[1])
    for done, row in enumerate(rows, start=1):
        try:
            outcome = _apply_row(tracker, row.plan or "", row, known)
        except BadInput as e:
            parsed.problem(row.sheet, row.number, f": {e.message}")
        else:
            outcomes.append(outcome)
            if outcome.op == "create":
                known.made(data.actions[outcome.ref])
            outcome.title_differs = _title_differs(data, data.actions[outcome.ref], row.theme)
            if row.officer:
                try:
                    outcome.officer_differs = _officer_differs(data, data.actions[outcome.ref], row.officer)
                except BadInput as e:  # a letter from the theme's officer, or anyone's
                    parsed.problem(row.sheet, row.number, f": the accountable officer {e.message}")
        if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    for sheet, number, owner in parsed.owners_of_bad_rows:  # a bad date, say, and an owner a letter out
        try:
            data.person_name(owner)
        except BadInput as e:
            parsed.problem(sheet, number, f": {e.message}")
    return outcomes


def _apply_row(tracker: Tracker, plan: str, row: Row, known: _Known) -> Outcome:
    data = tracker.data
    existing = _match(data, plan, row, known)
    if existing is None:
        theme = _theme_for(tracker, plan, row)
        # The minutes say "action 2.3": where the sheet numbers it within its theme, so do we.
        own = _sheet_number(row)
        number = own[1] if own and own[0] == theme else None
        # A row dated only in Revised Date: that is its first real date, so its baseline.
        action = tracker.add_action(f"{plan}.{theme}", row.title, owner=row.owner, due=row.due or row.revised,
                                    success=row.success, finance=row.finance, source=f"imported from {row.sheet}",
                                    number=number, reserved=known.claimed.get((plan, theme), ()))
        action.external_ref = row.external_ref
        action.touch()
        outcome = Outcome(row.sheet, row.number, action.ref, "create")
        if number is not None and action.seq != number:
            outcome.number_taken = f"{plan}-{theme}.{number}"
        elif row.external_ref and (number is None or _names_another_plan(row.external_ref, plan)):
            outcome.ref_not_kept = row.external_ref  # "2.3a", "A1", another theme's or plan's number: said
        _follow_up(tracker, action, row, outcome)
        return outcome
    outcome = Outcome(row.sheet, row.number, existing.ref, "update")
    changed = {}
    for name in ("title", "owner", "success", "finance"):
        value = getattr(row, name)
        if name == "owner" and value is not None:
            # As the store spells them: "specialist commissioning  manager" or "&" for "and"
            # is the same owner, not an update (each import wrote an empty entry and took
            # the action off the stale list: a new-user trial).
            value = data.person_name(value, (existing.owner,))
        if value is not None and value != getattr(existing, name):
            changed[name] = value
    if changed:
        if "title" in changed:
            known.reworded(existing, changed["title"])
        tracker.update_action(existing.ref, **changed, note=IMPORTED)
        outcome.changes += sorted(changed)
    _follow_up(tracker, existing, row, outcome)
    if not outcome.changes:
        outcome.op = "unchanged"
    return outcome


def _follow_up(tracker: Tracker, action: Action, row: Row, outcome: Outcome) -> None:
    """Dates, status, RAG and commentary: the same for a new row and a changed one."""
    wanted_due = row.revised or row.due
    if row.revised is not None and row.due is not None and action.baseline_due and row.due != action.baseline_due:
        outcome.baseline_differs = f"{action.ref} {uk(row.due)} (its baseline is {uk(action.baseline_due)})"
    if row.revised is None and row.due is not None and row.due == action.baseline_due:
        # The sheet's one date is the baseline the action already has (the plan as adopted,
        # or a sheet older than the last move): not a request to move it back (found by a
        # new-user trial: a rescheduled action went back to its baseline, "imported").
        wanted_due = action.due
    if row.status == "complete":
        if action.status != "complete":
            if action.status == "dropped":
                tracker.reopen(action.ref, IMPORTED)
            on = row.completed_on or (wanted_due if wanted_due and wanted_due <= tracker.as_of else tracker.as_of)
            if row.completed_on is None:
                outcome.completed_on_taken = f"{uk(on)}, {'its due date' if on == wanted_due else 'the as-of date'}"
            tracker.complete(action.ref, on=on, note=row.commentary or IMPORTED, from_sheet=True)
            outcome.changes.append("completed")
        return
    if action.is_closed:
        if not row.status or row.status == action.status:
            return  # the sheet says nothing to reopen it
        tracker.reopen(action.ref, IMPORTED)
        outcome.changes.append("reopened")
    if wanted_due and wanted_due != action.due:
        tracker.reschedule(action.ref, wanted_due, IMPORTED)
        outcome.changes.append("due")
    fields: dict[str, str] = {}
    if row.status and row.status != action.status:
        fields["status"] = row.status
    if row.rag and row.rag != action.rag:
        fields["rag"] = row.rag
    latest = rules.latest_commentary(action)
    note = row.commentary if row.commentary and row.commentary != latest else None
    if fields.get("status") == "dropped" and not note:
        note = "dropped in the imported sheet"
    if fields or note:
        tracker.update_action(action.ref, status=fields.get("status"), rag=fields.get("rag"), note=note)
        outcome.changes += sorted(fields) + (["commentary"] if note else [])


class _Known:
    """The store's actions by what a sheet's row is matched on, from one pass over them
    (a pass per row took rows x actions: minutes for a big sheet into a big store); kept
    up to date as the import makes actions."""

    def __init__(self, data: StoreData):
        self.by_external: dict[tuple[str, str], Action] = {}
        self.by_wording: dict[tuple[str, str], list[Action]] = {}
        self.made_here: set[str] = set()
        # The numbers the sheet's rows give themselves, by (plan, theme): a row whose own
        # number is taken, or that has none, is numbered past them all, not into the next row's.
        self.claimed: dict[tuple[str, int], set[int]] = {}
        for action in data.actions.values():
            if action.external_ref is not None:
                self.by_external.setdefault((action.plan, action.external_ref), action)
            else:
                self.by_wording.setdefault((action.plan, action.title.casefold()), []).append(action)

    def reworded(self, action: Action, title: str) -> None:
        """An action the import retitles: a later row is matched on its new wording."""
        if action.external_ref is None and action.ref not in self.made_here:
            was = self.by_wording.get((action.plan, action.title.casefold()), [])
            if action in was:
                was.remove(action)
            self.by_wording.setdefault((action.plan, title.casefold()), []).append(action)

    def made(self, action: Action) -> None:
        """An action this import made: found by its sheet ref, never by its wording (two
        rows worded alike are two actions)."""
        self.made_here.add(action.ref)
        if action.external_ref is not None:
            self.by_external.setdefault((action.plan, action.external_ref), action)


def _match(data: StoreData, plan: str, row: Row, known: _Known) -> Action | None:
    if row.ref:
        found = data.actions.get(row.ref)
        if found and found.plan == plan:
            return found
        if found is None:
            row.external_ref = row.external_ref or row.ref  # not one of ours: keep it as the sheet's ref
    if row.external_ref and (found := known.by_external.get((plan, row.external_ref))):
        return found
    # A sheet with no Ref column, or refs of its own this store has not seen (its "1.3"
    # beside an action entered by hand): the same wording in the same plan is the same
    # action, so importing it again updates instead of duplicating.  Not one this import
    # made: two rows worded alike are two actions.
    same = known.by_wording.get((plan, row.title.casefold()), [])
    return same[0] if len(same) == 1 else None


def _officer_differs(data: StoreData, action: Action, officer: str) -> str | None:
    """The sheet's accountable officer for the action's theme, where the store has another:
    said, not changed (a new-user trial's sheet named a new officer, and a typo of the old
    one, and both were passed over without a word).  `theme update` changes it."""
    theme = data.themes[(action.plan, action.theme)]
    spelt = data.person_name(officer, (theme.officer,))
    return None if spelt == theme.officer else f"{theme.key} '{spelt}' (the store has '{theme.officer}')"


def _title_differs(data: StoreData, action: Action, heading: Any) -> str | None:
    """The title a numbered heading ("2. Early permanence") gives the action's theme, where
    the store has another: said, not changed, as an officer is (a new-user trial's sheet
    went under "Prevention and Edge of Care" without a word).  `theme update` changes it."""
    found = THEME_NUMBERED.match(heading) if isinstance(heading, str) else None
    title = (found.group(2) or "").strip() if found and found.group(1) else ""
    theme = data.themes[(action.plan, action.theme)]
    if not title or spoken_key(title) == spoken_key(theme.title):  # "&" or "and", any case or spacing
        return None
    return f"{theme.key} '{title}' (the store has '{theme.title}')"


def _sheet_number(row: Row) -> tuple[int, int] | None:
    """The theme and number a row's own ref gives it (2.3, SUFF-2.3: (2, 3)), if it gives one."""
    own = _SHEET_NUMBER.fullmatch(row.external_ref or "")
    return (int(own.group(1)), int(own.group(2))) if own else None


def _names_another_plan(ref: str, plan: str) -> bool:
    """A sheet ref written with a plan's key (SUFF-2.9) that is not the plan it goes into."""
    return "-" in ref and ref.split("-", 1)[0].upper() != plan


def _theme_for(tracker: Tracker, plan: str, row: Row) -> int:
    data = tracker.data
    themes = {t.number: t for t in data.themes.values() if t.plan == plan}
    number, title = None, None
    if isinstance(row.theme, int):
        number = row.theme
    elif row.theme:
        m = THEME_NUMBERED.match(row.theme)
        if m and m.group(1):
            number, title = int(m.group(1)), (m.group(2) or "").strip() or None
        else:
            # A heading without a number: the theme of that title, else the one the row's own
            # number names (a one-cell note above the sheet's 1.2 made it SUFF-2.1 in a new
            # theme, every later ref unlike the Board's paper: a new-user trial), else a new one.
            title = row.theme
            own = _sheet_number(row)
            number = next((n for n, t in themes.items() if t.title.casefold() == title.casefold()), None)
            if number is None:
                number = own[0] if own and own[0] > 0 else max(themes, default=0) + 1
    else:  # no Theme column: the theme the row's own number says, else the first
        own = _sheet_number(row)
        number, title = (own[0], None) if own and own[0] > 0 else (1, "General")
    if number not in themes:
        tracker.add_theme(plan, number, title or f"Theme {number}", row.officer or "Not recorded")
    return number
