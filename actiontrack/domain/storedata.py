"""Everything in one store, loaded once and saved once per command."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, overload

from actiontrack.dates import uk
from actiontrack.domain.item_map import ItemMap
from actiontrack.domain.models import Action, HistoryEntry, Item, Meeting, Plan, Resolution, Theme
from actiontrack.domain.nearby import close_name, close_refs, did_you_mean
from actiontrack.domain.people import Person, ReturnLog, check_name, person_key, spoken_key
from actiontrack.domain.refs import action_ref, body_key, plan_key, resolution_ref, theme_key
from actiontrack.errors import BadInput

if TYPE_CHECKING:
    from actiontrack.domain.indicators import Indicator

DEFAULT_TOLERANCE_DAYS = 30
DEFAULT_CYCLE_DAYS = 31
DEFAULT_BACKUPS = 5
OWNER_NAMES = "owner_names"  # meta: every name given as an item's owner (see StoreData._owner_names)
DEFAULT_SMTP_PORT = 25  # a council's internal relay; submission (587) is set with 'config smtp-port'


@dataclass
class Settings:
    """Per-store thresholds (a council sets its own tolerance for 'red'), and the mail
    server update returns go out through.  The server's user and password are never
    stored here: they come from the environment of the command that sends."""

    tolerance_days: int = DEFAULT_TOLERANCE_DAYS
    cycle_days: int = DEFAULT_CYCLE_DAYS
    backups: int = DEFAULT_BACKUPS
    smtp_host: str | None = None
    smtp_port: int = DEFAULT_SMTP_PORT
    smtp_from: str | None = None

    def to_record(self) -> dict:
        record: dict = {"tolerance_days": self.tolerance_days, "cycle_days": self.cycle_days, "backups": self.backups}
        if self.smtp_host or self.smtp_from or self.smtp_port != DEFAULT_SMTP_PORT:
            # Only once set: a store that never sends mail keeps the bytes it had.
            record.update(smtp_host=self.smtp_host, smtp_port=self.smtp_port, smtp_from=self.smtp_from)
        return record

    @classmethod
    def from_record(cls, r: dict) -> Settings:
        return cls(
            tolerance_days=r.get("tolerance_days", DEFAULT_TOLERANCE_DAYS),
            cycle_days=r.get("cycle_days", DEFAULT_CYCLE_DAYS),
            backups=r.get("backups", DEFAULT_BACKUPS),
            smtp_host=r.get("smtp_host"),
            smtp_port=r.get("smtp_port", DEFAULT_SMTP_PORT),
            smtp_from=r.get("smtp_from"),
        )


@dataclass
class StoreData:
    """Everything in one store, loaded once and saved once per command."""

    settings: Settings = field(default_factory=Settings)
    plans: dict[str, Plan] = field(default_factory=dict)
    themes: dict[tuple[str, int], Theme] = field(default_factory=dict)
    # Decoded from their stored records as a command uses them; a backend may hand over
    # its own ItemMap that fetches them from a database.
    actions: ItemMap[Action] = field(default_factory=lambda: ItemMap(Action.from_record))
    resolutions: ItemMap[Resolution] = field(default_factory=lambda: ItemMap(Resolution.from_record))
    meetings: dict[tuple[str, date], Meeting] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    # Owners by person_key, with their e-mail addresses; each owner's update return, likewise keyed.
    people: dict[str, Person] = field(default_factory=dict)
    returns: dict[str, ReturnLog] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)  # the scorecard, by code
    # Changes to plans, themes and settings, with the same shape as an action's history.
    journal: list[HistoryEntry] = field(default_factory=list)
    # Records taken out by `undo` (an undone add): kept, never deleted.
    archive: list[dict] = field(default_factory=list)
    # The schema version the store had on disk, when older than this one (a migration ran).
    migrated_from: int | None = field(default=None, compare=False)
    # Worked out on first use by a report, once per command rather than per row; any
    # change forgets them (forget_derived).  Action ref -> the resolutions linking to it;
    # (plan, theme) -> what an action's row shows of its plan and theme.
    _links: dict[str, list[str]] | None = field(default=None, init=False, repr=False, compare=False)
    _places: dict[tuple[str, int], tuple] | None = field(default=None, init=False, repr=False, compare=False)
    # Owners and officers named by this command so far: an import's later rows are checked
    # against its earlier ones ("Head of Comissioning" in row 3, "Head of Commissioning" in row 9).
    _named: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def linking_resolutions(self, ref: str) -> list[str]:
        """The resolutions that name action `ref`; one pass over them per command, not per action."""
        if self._links is None:
            links: dict[str, list[str]] = {}
            for r in self.resolutions.values():
                for linked in r.actions:
                    links.setdefault(linked, []).append(r.ref)
            self._links = links
        return list(self._links.get(ref, ()))

    def refuse_same_resolution(self, body: str, day: date, minute: str, title: str) -> None:
        """Bad input if this meeting's minute already has a resolution in these words (spacing
        and capitals aside): found by new-user trials, one typed twice was two, each chased."""
        words = " ".join(title.casefold().split())
        for r in self.resolutions.values():
            if r.body == body and r.meeting == day and r.minute == minute and " ".join(r.title.casefold().split()) == words:
                raise BadInput(f"minute {minute} of {uk(day)} is already {r.ref}, in the same words: nothing was added")

    def counts_by_theme(self) -> dict[tuple[str, int], list[int]]:
        """[actions, open] under each (plan, theme number), from one pass over the actions'
        fields (never their histories), none of them kept: what plan and theme lists show."""
        counts: dict[tuple[str, int], list[int]] = {}
        for action in self.actions.heads():
            tally = counts.setdefault((action.plan, action.theme), [0, 0])
            tally[0] += 1
            tally[1] += not action.is_closed
        return counts

    def actions_by_theme(self) -> dict[tuple[str, int], list[Action]]:
        """Every action under its (plan, theme number), in the store's order, from one pass
        over the actions: listings that asked every action again for each plan or theme
        took minutes at 100,000 items (themes x actions)."""
        grouped: dict[tuple[str, int], list[Action]] = {}
        for action in self.actions.values():
            grouped.setdefault((action.plan, action.theme), []).append(action)
        return grouped

    def place(self, plan_key: str, number: int) -> tuple[str, str | None, str | None, int]:
        """An action's theme key, theme title, board and update cycle."""
        if self._places is None:
            self._places = {}
        found = self._places.get((plan_key, number))
        if found is None:
            theme = self.themes.get((plan_key, number))
            plan = self.plans.get(plan_key)
            found = self._places[(plan_key, number)] = (
                f"{plan_key}.{number}", theme.title if theme else None, plan.board if plan else None,
                self.cycle_days_for_plan(plan_key))
        return found

    def detached(self) -> StoreData:
        """A copy to change freely (a point-in-time rewind, see point_in_time): nothing
        done to it reaches this data, nor the store behind it."""
        copied = copy.copy(self)
        for name in ("settings", "plans", "themes", "meetings", "people", "returns", "indicators", "meta", "journal",
                     "archive"):
            setattr(copied, name, copy.deepcopy(getattr(self, name)))
        copied.actions = self.actions.detached()
        copied.resolutions = self.resolutions.detached()
        copied.forget_derived()
        return copied

    def forget_derived(self) -> None:
        self._links = self._places = None

    def plan(self, key: str) -> Plan:
        k = plan_key(key)
        if k not in self.plans:
            raise BadInput(f"no plan '{k}' (see 'actiontrack plan list')")
        return self.plans[k]

    def theme(self, key: str) -> Theme:
        plan, number = theme_key(key)
        self.plan(plan)
        if (plan, number) not in self.themes:
            raise BadInput(f"plan {plan} has no theme {number} (see 'actiontrack theme list {plan}')")
        return self.themes[(plan, number)]

    def action(self, ref: str) -> Action:
        r = action_ref(ref)
        if r not in self.actions:
            plan, number = r.split("-", 1)
            near = close_refs(r, self.actions.refs_starting(plan + "-"))
            meant = close_name(plan, self.plans) if not near and plan not in self.plans else None
            if meant and f"{meant}-{number}" in self.actions:  # the plan's key mistyped: SUF-1.2
                near = [f"{meant}-{number}"]
            raise BadInput(f"no action '{r}'{did_you_mean(near)} (see 'actiontrack action list')")
        return self.actions[r]

    def resolution(self, ref: str) -> Resolution:
        r = resolution_ref(ref)
        if r is None:
            try:
                action_ref(ref)
            except BadInput:
                raise BadInput(f"'{ref}' is not a resolution reference (e.g. R-12)") from None
            raise BadInput(f"'{ref.strip()}' is an action's reference, not a resolution's: "
                           "use 'actiontrack action ...' for it")
        if r not in self.resolutions:
            near = close_refs(r, self.resolutions.refs_starting("R-"))
            raise BadInput(f"no resolution '{r}'{did_you_mean(near)} (see 'actiontrack resolution list')")
        return self.resolutions[r]

    def item(self, ref: str) -> Item:
        """An action (SUFF-1.3) or a resolution (R-12), by its ref."""
        return self.resolution(ref) if resolution_ref(ref) else self.action(ref)

    def items(self) -> list[Item]:
        return [*self.actions.values(), *self.resolutions.values()]

    def check_copied(self) -> None:
        """Every item a copy of the store would carry without reading, decoded whole first
        (ItemMap.check_copied): a save, a conversion or an export never passes on damage."""
        self.actions.check_copied()
        self.resolutions.check_copied()

    @overload
    def person_name(self, name: str, also: tuple[str, ...] = ()) -> str: ...
    @overload
    def person_name(self, name: None, also: tuple[str, ...] = ()) -> None: ...
    @overload
    def person_name(self, name: str | None, also: tuple[str, ...] = ()) -> str | None: ...

    def person_name(self, name: str | None, also: tuple[str, ...] = ()) -> str | None:
        """An owner or officer as typed, in the spelling the store already has for them; a
        name a letter or two from one it knows is refused (a typo would start a second
        person, with no address for their returns).  Known without reading every item:
        the people, the themes' accountable officers and the plans' owners (and `also`:
        the item's own owner, say)."""
        if name is None:
            return None
        spelt = _as_spelt(check_name(name), spoken_key, self.known_names(name, also), "anyone",
                          f"if not, add them first: actiontrack person add \"{' '.join(name.split())}\" "
                          "--email ADDRESS --new")
        self._named.setdefault(spoken_key(spelt), spelt)
        owners = self.meta.get(OWNER_NAMES)
        if isinstance(owners, list) and spelt not in owners:
            self.meta[OWNER_NAMES] = [*owners, spelt]  # saved with the change that names them
        return spelt

    def known_names(self, name: str, also: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The people, officers and owners the store knows, for `name` to be matched against:
        the owners its items have had only when `name` is none of the others (that list may
        have to be read from the items)."""
        names: tuple[str, ...] = (*(p.name for p in self.people.values()), *(t.officer for t in self.themes.values()),
                                  *(p.owner for p in self.plans.values() if p.owner), *also, *self._named.values())
        if spoken_key(name) not in {spoken_key(n) for n in names}:
            names = (*names, *self._owner_names())
        return names

    def _owner_names(self) -> list[str]:
        """Every name the items have been given as their owner, kept in the store's meta by
        each change that names one.  A new-user trial's "Head of Children's Servics" went in
        beside "Head of Children's Services", known only from actions (an imported plan
        records no one else), and split that officer's returns in two.  A store saved before
        the list was kept reads its items' owners once; the change saves the list."""
        names = self.meta.get(OWNER_NAMES)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            names = self.meta[OWNER_NAMES] = sorted({i.owner for items in (self.actions, self.resolutions)
                                                     for i in items.heads() if i.owner})
        return names

    def board_name(self, board: str | None) -> str | None:
        """A plan's board as typed, in the spelling its committee has; one a letter or two
        from a committee the store knows is refused (its actions would leave that
        committee's action log)."""
        if board is None:
            return None
        return _as_spelt(check_name(board), body_key, (*(m.body for m in self.meetings.values()),
                                           *(p.board for p in self.plans.values() if p.board)),
                         "a committee", "if it is a new one, add its first meeting with 'actiontrack meeting add ... --new'")

    def body_name(self, body: str) -> str:
        """The committee as first entered; unknown bodies are bad input."""
        key = body_key(body)
        for meeting in self.meetings.values():
            if body_key(meeting.body) == key:
                return meeting.body
        near = close_name(body, {m.body for m in self.meetings.values()})
        if near:
            raise BadInput(f"no meetings of '{body}'; did you mean '{near}'? (see 'actiontrack meeting list')")
        raise BadInput(f"no meetings of '{body}' (see 'actiontrack meeting list'; add one with 'meeting add')")

    def meeting(self, body: str, day: date) -> Meeting:
        name = self.body_name(body)
        found = self.meetings.get((body_key(name), day))
        if found is None:
            raise BadInput(f"{name} has no meeting on {uk(day)} (see 'actiontrack meeting list')")
        return found

    def body_meetings(self, body: str) -> list[Meeting]:
        key = body_key(body)
        return sorted((m for m in self.meetings.values() if body_key(m.body) == key), key=lambda m: m.date)

    def next_meeting(self, body: str, after: date) -> Meeting | None:
        return next((m for m in self.body_meetings(body) if m.date > after), None)

    def previous_meeting(self, body: str, before: date) -> Meeting | None:
        earlier = [m for m in self.body_meetings(body) if m.date < before]
        return earlier[-1] if earlier else None

    def indicator(self, code: str) -> Indicator:
        from actiontrack.domain.indicators import indicator_code  # only the scorecard's commands ask

        key = indicator_code(code)
        if key not in self.indicators:
            raise BadInput(f"no indicator '{key}' (see 'actiontrack indicator list')")
        return self.indicators[key]

    def person(self, name: str) -> Person | None:
        """The person recorded for an owner's title (any case and spacing, "&" or "and", a
        curly apostrophe or a straight one), if any."""
        found = self.people.get(person_key(name))
        if found is None:
            key = spoken_key(name)
            found = next((p for p in self.people.values() if spoken_key(p.name) == key), None)
        return found

    def cycle_days_for_plan(self, key: str) -> int:
        plan = self.plans.get(key)
        return plan.cycle_days if plan and plan.cycle_days else self.settings.cycle_days


def _as_spelt(text: str, key: Callable[[str], str], names: Iterable[str], what: str, otherwise: str) -> str:
    """`text` in the spelling of the known name it matches (by `key`: case and spacing aside);
    refused, naming it, if it is a letter or two from one; else as typed, spaces tidied."""
    text = " ".join(text.split())
    known = {key(n): n for n in names}
    if key(text) in known:
        return known[key(text)]
    near = close_name(text, known.values(), key)
    if near:
        raise BadInput(f"'{text}' is not {what} here yet; did you mean '{near}'? ({otherwise})")
    return text
