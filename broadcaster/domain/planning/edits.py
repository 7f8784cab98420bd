"""Changes an office makes to a week's plan by hand, checked by the planner's own hard rules.

An office looks at the planner's week and puts some of it right: it *pins* an airing (the
planner must keep it), *moves* one to another session, *removes* one (the planner must not put
it back in that session) or *adds* one. Each change is checked against what the planner itself
never breaks — the session's free time (fixed blocks, quiet hours and the per-session limit
taken out), the item's validity window and dayparts, its minimum gap, once per session, a
session that has started stays as it is — and refused with a reason a person can act on.

:class:`EditableWeek` holds one week compiled for an office's stations (the same compilation
:func:`~.week.plan_week` does); it checks and applies one change to a plan and restates the
plan's shortfalls and summary from its airings. Re-planning around pins and removals is in
:mod:`.pinned`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from ..errors import InputError
from ..items import Daypart, Item
from ..messages import Msg, _
from ..wording import joined
from .compile import CompiledStation, WeekCompiler, free_segments
from .explain import _gap_text, explain_shortfalls
from .layout import basis_texts, layout_session
from .model import PlannedSession, PlannerSettings, StationInput, StationPlan, WeeklyPlan
from .problem import Demand, Slot
from .week import _Solved, _Totals
from .weeks import format_duration_vi, nfc, to_ms

#: the dayparts as a refusal names them
_DAYPARTS = {"morning": _("morning"), "noon": _("noon"), "evening": _("afternoon/evening")}
#: packing a session exactly gives up after this many steps (a session holds a dozen items)
PACK_STEPS = 20_000


class EditRefused(InputError):
    """A change by hand that would break one of the planner's hard rules."""

    code = "edit_refused"

    def __init__(self, reason: Msg) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, order=True)
class AiringRef:
    """One airing of a week's plan: an item in a dated session of a station."""

    station_code: str
    day: date
    session: str
    item_id: int

    @property
    def key(self) -> tuple[str, date, str]:
        """The session: station, day, session name."""
        return (self.station_code, self.day, self.session)

    def at(self, station_code: str, day: date, session: str) -> AiringRef:
        """The same item in another session."""
        return AiringRef(station_code, day, session, self.item_id)

    def at_item(self, item_id: int) -> AiringRef:
        """Another item in the same session."""
        return AiringRef(self.station_code, self.day, self.session, item_id)


class EditKind(StrEnum):
    PIN = "pin"  # the planner keeps this airing
    EXCLUDE = "exclude"  # the planner leaves this item out of this session


@dataclass(frozen=True)
class PlanEdit:
    """One thing the office fixed by hand, who and when."""

    ref: AiringRef
    kind: EditKind
    by: str
    at: datetime


@dataclass(frozen=True)
class PlanEdits:
    """What an office fixed by hand in a week: airings pinned, airings removed."""

    pins: frozenset[AiringRef] = frozenset()
    excluded: frozenset[AiringRef] = frozenset()

    def at(self, code: str) -> PlanEdits:
        return PlanEdits(
            frozenset(p for p in self.pins if p.station_code == code),
            frozenset(x for x in self.excluded if x.station_code == code),
        )

    def __bool__(self) -> bool:
        return bool(self.pins or self.excluded)

    @staticmethod
    def of(edits: Iterable[PlanEdit]) -> PlanEdits:
        listed = list(edits)
        return PlanEdits(
            frozenset(e.ref for e in listed if e.kind is EditKind.PIN),
            frozenset(e.ref for e in listed if e.kind is EditKind.EXCLUDE),
        )


def pack(sizes: Sequence[int], capacities: Sequence[int]) -> list[int] | None:
    """A segment for each size so that no segment's sizes exceed its capacity, or None.

    Exact for the few items of one session (largest first, depth first, bounded); the same
    sizes as the solver's (duration plus the gap after it, a capacity being length plus gap).
    """
    order = sorted(range(len(sizes)), key=lambda n: (-sizes[n], n))
    room = list(capacities)
    chosen = [-1] * len(sizes)
    steps = 0

    def place(k: int) -> bool:
        nonlocal steps
        if k == len(order):
            return True
        n = order[k]
        tried: set[int] = set()
        for segment, left in enumerate(room):
            steps += 1
            if steps > PACK_STEPS:
                return False
            if left < sizes[n] or left in tried:
                continue
            tried.add(left)
            room[segment] -= sizes[n]
            chosen[n] = segment
            if place(k + 1):
                return True
            room[segment] += sizes[n]
        return False

    return chosen if place(0) else None


def offset_segment(slot: Slot, start: datetime) -> int:
    """The free segment of a session an entry starting at ``start`` sits in."""
    offset = to_ms(start - slot.start)
    for segment, (lo, length) in enumerate(slot.segments):
        if lo <= offset < lo + length:
            return segment
    return 0


@dataclass
class _Station:
    """One station of the week, compiled once."""

    station: StationInput
    compiled: CompiledStation
    slot_of: dict[tuple[date, str], int] = field(default_factory=dict)
    demand_of: dict[int, int] = field(default_factory=dict)  # item id → demand index


class EditableWeek:
    """An office's week compiled for checking and applying changes made by hand.

    ``items`` are what the planner is given (approved items with their durations); ``now``
    freezes the sessions that have started, as when planning.
    """

    def __init__(
        self,
        stations: Sequence[StationInput],
        items: Sequence[Item],
        week: date | tuple[int, int] | str,
        settings: PlannerSettings | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        self.compiler = WeekCompiler(items, week, settings, now=now)
        self.settings = self.compiler.settings
        self.monday = self.compiler.monday
        self.basis = basis_texts(self.compiler.eligible)
        self.eligible = {item.id: item for _, item in self.compiler.eligible}
        self.skipped = {s.item_id: s.reason for s in self.compiler.skipped}
        self.stations = {st.station.code: st for st in stations}
        self._compiled: dict[str, _Station] = {}

    # --- what the planner sees ---------------------------------------------------------------

    def compiled(self, code: str, previous: StationPlan | None = None) -> _Station:
        """A station compiled for the week (with ``previous`` as its history: a fresh copy)."""
        station = self.stations.get(code)
        if station is None:
            raise EditRefused(_("station {code} is not one of this office's stations", code=code))
        if previous is None and code in self._compiled:
            return self._compiled[code]
        compiled = self.compiler.compile_station(station, previous)
        found = _Station(
            station,
            compiled,
            {(slot.day, slot.session.name): n for n, slot in enumerate(compiled.slots)},
            {d.item_id: n for n, d in enumerate(compiled.problem.demands)},
        )
        if previous is None:
            self._compiled[code] = found
        return found

    def slot(self, code: str, day: date, session: str) -> Slot:
        st = self.compiled(code)
        index = st.slot_of.get((day, session))
        if index is None:
            raise EditRefused(
                _(
                    "{station} has no session {session} on {day}",
                    station=nfc(st.station.station.name),
                    session=session,
                    day=day.strftime("%d/%m/%Y"),
                )
            )
        return st.compiled.slots[index]

    def item(self, item_id: int) -> Item:
        item = self.eligible.get(item_id)
        if item is not None:
            return item
        reason = self.skipped.get(item_id)
        if reason is not None:
            raise EditRefused(
                _("item {id} is not planned this week: {why}", id=item_id, why=reason)
            )
        raise EditRefused(
            _("item {id} is not an approved item of this office; see its page first", id=item_id)
        )

    # --- the checks ----------------------------------------------------------------------------

    def refusal(
        self, plan: StationPlan, ref: AiringRef, *, leaving: AiringRef | None = None
    ) -> Msg | None:
        """Why ``ref`` may not be added to a station's plan (None: it may), ``leaving`` taken
        out first (a move)."""
        try:
            item = self.item(ref.item_id)
            slot = self.slot(ref.station_code, ref.day, ref.session)
        except EditRefused as refused:
            return refused.reason
        st = self.compiled(ref.station_code)
        name = nfc(st.station.station.name)
        values = {"id": item.id, "title": nfc(item.title), "session": slot.label, "station": name}
        if slot.frozen:
            return _("{session} has already started; it stays as it was", **values)
        if item.id not in st.demand_of:
            return _("item {id} «{title}» is not meant for {station}", **values)
        window = self._window_refusal(item, slot, values)
        if window is not None:
            return window
        demand = st.compiled.problem.demands[st.demand_of[ref.item_id]]
        room = self._room_refusal(st, slot, demand, values)
        if room is not None:
            return room
        others = [
            s
            for s in plan.sessions
            if ref.item_id in s.item_ids() and _ref(plan, s, ref) != leaving
        ]
        if any((s.day, s.name) == (ref.day, ref.session) for s in others):
            return _("item {id} «{title}» already airs in {session}", **values)
        gap = self._gap_refusal(item, slot, others, values)
        if gap is not None:
            return gap
        return self._capacity_refusal(plan, slot, ref, leaving, values)

    def _window_refusal(self, item: Item, slot: Slot, values: Mapping[str, object]) -> Msg | None:
        if not item.is_valid_on(slot.day):
            start = item.valid_from.strftime("%d/%m/%Y") if item.valid_from else "…"
            end = item.valid_until.strftime("%d/%m/%Y") if item.valid_until else "…"
            return _(
                "item {id} «{title}» may air from {start} to {end}; {session} is outside that",
                start=start,
                end=end,
                **values,
            )
        if item.dayparts and Daypart.of_minute(slot.session.start_minute) not in item.dayparts:
            parts = joined([_DAYPARTS[d.value] for d in sorted(item.dayparts)], ", ")
            return _("item {id} «{title}» airs only in the {parts}", parts=parts, **values)
        return None

    def _room_refusal(
        self, st: _Station, slot: Slot, demand: Demand, values: Mapping[str, object]
    ) -> Msg | None:
        longest = max((length for _, length in slot.segments), default=0)
        if longest >= demand.duration:
            return None
        clock = st.station.clock
        if not clock.allow_quiet_hours:
            loud = free_segments(slot.session, replace(clock, allow_quiet_hours=True))
            if any((hi - lo) * 60000 >= demand.duration for lo, hi in loud):
                quiet = clock.quiet_hours
                return _(
                    "{session} falls in the quiet hours {start}–{end} of {station}: nothing "
                    "may sound then",
                    start=quiet.start.strftime("%H:%M"),
                    end=quiet.end.strftime("%H:%M"),
                    **values,
                )
        return _(
            "item {id} «{title}» lasts {duration}; the longest free stretch of {session} "
            "between fixed programmes is {free}",
            duration=format_duration_vi(demand.duration),
            free=format_duration_vi(longest),
            **values,
        )

    def _gap_refusal(
        self, item: Item, slot: Slot, others: Iterable[PlannedSession], values: Mapping[str, object]
    ) -> Msg | None:
        if not item.min_gap:
            return None
        for other in others:
            if abs(other.start - slot.start) < item.min_gap:
                return _(
                    "item {id} «{title}» must air at least {gap} apart, and it airs in {other} "
                    "already",
                    gap=_gap_text(to_ms(item.min_gap)),
                    other=other.label,
                    **values,
                )
        return None

    def _capacity_refusal(
        self,
        plan: StationPlan,
        slot: Slot,
        ref: AiringRef,
        leaving: AiringRef | None,
        values: Mapping[str, object],
    ) -> Msg | None:
        session = session_of(plan, ref.day, ref.session)
        ids = [i for i in (session.item_ids() if session else ()) if ref.at_item(i) != leaving]
        placed = self._placed(slot, [*ids, ref.item_id])
        if placed is not None:
            return None
        gap = self.compiler.gap_ms
        used = sum(to_ms(self.eligible_or(i)) + gap for i in ids)
        # back to back with a gap between two: what is left after the last, and what the new
        # one needs with the gap before it
        free = max(0, sum(length for _, length in slot.segments) - (used - gap if ids else 0))
        need = to_ms(self.eligible_or(ref.item_id))
        return _(
            "{session} at {station} is full: {free} free, and item {id} «{title}» needs "
            "{need}; move or remove another airing first",
            free=format_duration_vi(free),
            need=format_duration_vi(need + (gap if ids else 0)),
            **values,
        )

    def eligible_or(self, item_id: int) -> timedelta:
        """An item's duration as the planner counts it."""
        return self.item(item_id).effective_duration or timedelta()

    def _placed(self, slot: Slot, ids: Sequence[int]) -> list[tuple[Item, int]] | None:
        """The items of a session, each with its free segment, or None when they do not fit."""
        gap = self.compiler.gap_ms
        items = [self.item(i) for i in ids]
        sizes = [to_ms(item.effective_duration or timedelta()) + gap for item in items]
        chosen = pack(sizes, [length + gap for _, length in slot.segments])
        if chosen is None:
            return None
        return list(zip(items, chosen, strict=True))

    # --- applying ------------------------------------------------------------------------------

    def change(
        self, plan: WeeklyPlan, *, add: AiringRef | None = None, remove: AiringRef | None = None
    ) -> WeeklyPlan:
        """The plan with one airing removed and/or one added (a move is both), re-timed,
        its shortfalls and summary restated; :class:`EditRefused` when a rule is broken."""
        touched: set[tuple[str, date, str]] = set()
        if remove is not None:
            station_plan = plan.station(remove.station_code)
            session = session_of(station_plan, remove.day, remove.session)
            if session is None or remove.item_id not in session.item_ids():
                raise EditRefused(
                    _(
                        "item {id} does not air in that session any more; open the plan again",
                        id=remove.item_id,
                    )
                )
            if session.frozen:
                raise EditRefused(
                    _("{session} has already started; it stays as it was", session=session.label)
                )
            touched.add((remove.station_code, remove.day, remove.session))
        if add is not None:
            why = self.refusal(plan.station(add.station_code), add, leaving=remove)
            if why is not None:
                raise EditRefused(why)
            touched.add((add.station_code, add.day, add.session))
        stations = []
        for sp in plan.stations:
            sessions = tuple(
                self._relaid(sp, s, add, remove) if (sp.code, s.day, s.name) in touched else s
                for s in sp.sessions
            )
            stations.append(replace(sp, sessions=sessions))
        return self.restate(replace(plan, stations=tuple(stations)))

    def relaid(self, sp: StationPlan, add: AiringRef) -> PlannedSession:
        """The session of ``add`` with it added and re-timed (checked before)."""
        session = session_of(sp, add.day, add.session)
        assert session is not None
        return self._relaid(sp, session, add, None)

    def _relaid(
        self,
        sp: StationPlan,
        session: PlannedSession,
        add: AiringRef | None,
        remove: AiringRef | None,
    ) -> PlannedSession:
        ids = list(session.item_ids())
        if remove is not None and (sp.code, session.day, session.name) == remove.key:
            ids.remove(remove.item_id)
        if add is not None and (sp.code, session.day, session.name) == add.key:
            ids.append(add.item_id)
        slot = self.slot(sp.code, session.day, session.name)
        placed = self._placed(slot, ids)
        if placed is None:  # checked before; a removal only makes room
            raise EditRefused(_("{session} is full", session=session.label))
        return layout_session(slot, placed, self.settings, self.compiler.gap_ms, self.basis)

    def restate(self, plan: WeeklyPlan) -> WeeklyPlan:
        """The plan's shortfalls (with the planner's reasons) and summary, from its airings."""
        totals = _Totals()
        shortfalls = []
        for sp in plan.stations:
            if sp.code not in self.stations:
                continue
            st = self.compiled(sp.code, previous=sp)
            problem = st.compiled.problem
            assignment = []
            for demand in problem.demands:
                picks = []
                for n, slot in enumerate(st.compiled.slots):
                    planned = session_of(sp, slot.day, slot.session.name)
                    if slot.frozen or planned is None or n not in demand.options:
                        continue
                    for entry in planned.entries:
                        if entry.item_id == demand.item_id:
                            picks.append((n, offset_segment(slot, entry.start)))
                assignment.append(tuple(picks))
            items = self.compiler.items_by_index
            whys = explain_shortfalls(st.compiled.slots, problem, tuple(assignment), items)
            solved = _Solved(tuple(assignment), {}, whys)
            shortfalls += totals.add(st.station, st.compiled, solved, sp.sessions, items)
        shortfalls.sort(key=lambda s: (s.priority.rank, s.item_id, s.station_code))
        summary = totals.summary(
            self.compiler.skipped, len(plan.stations), plan.summary.distinct_problems
        )
        return replace(plan, shortfalls=tuple(shortfalls), summary=summary)


def session_of(plan: StationPlan, day: date, name: str) -> PlannedSession | None:
    for session in plan.sessions:
        if session.day == day and session.name == name:
            return session
    return None


def _ref(plan: StationPlan, session: PlannedSession, ref: AiringRef) -> AiringRef:
    return AiringRef(plan.code, session.day, session.name, ref.item_id)


def airings_of(plan: WeeklyPlan) -> set[AiringRef]:
    """Every announcement of a plan as an airing."""
    return {
        AiringRef(sp.code, s.day, s.name, item_id)
        for sp in plan.stations
        for s in sp.sessions
        for item_id in s.item_ids()
    }
