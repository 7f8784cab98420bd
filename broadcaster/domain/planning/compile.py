"""Compiling stations into solver problems: clocks laid over a week, eligible items, targets.

A :class:`WeekCompiler` holds what one week shares across stations (the eligible items, their
durations, each distinct clock laid over the week with the sessions each item may use) and
compiles one station at a time into a :class:`~.problem.StationProblem`, with the history of a
previous plan when re-planning. :func:`compile_station` is the same for one station alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from ..errors import InputError
from ..items import DEFAULT_TARGETS, Daypart, Item, ItemKind, Priority
from ..messages import Msg, _
from ..stations import BroadcastClock, Session, minutes_of
from .model import (
    FillPolicy,
    PlannedSession,
    PlannerSettings,
    SkippedItem,
    StationInput,
    StationPlan,
)
from .problem import Demand, Slot, StationProblem
from .weeks import nfc, resolve_week, to_epoch_ms, to_ms

# --------------------------------------------------------------------------------------------
# Clocks over a week
# --------------------------------------------------------------------------------------------


def free_segments(session: Session, clock: BroadcastClock) -> list[tuple[float, float]]:
    """Free stretches of a session in minutes of the day (fixed blocks, quiet hours and the
    per-session limit taken out)."""
    start = float(session.start_minute)
    end = session.end_minute
    if clock.max_minutes_per_session is not None:
        end = min(end, start + clock.max_minutes_per_session)
    busy: list[tuple[float, float]] = [
        (block.start_minute, block.end_minute) for block in session.fixed_blocks
    ]
    if not clock.allow_quiet_hours:
        quiet_start = minutes_of(clock.quiet_hours.start)
        quiet_end = minutes_of(clock.quiet_hours.end)
        if quiet_start != quiet_end:
            if quiet_start < quiet_end:
                spans = [(quiet_start, quiet_end)]
            else:  # over midnight
                spans = [(quiet_start, 24 * 60), (0, quiet_end)]
            for day_offset in (0, 24 * 60):
                busy += [(lo + day_offset, hi + day_offset) for lo, hi in spans]
    free: list[tuple[float, float]] = []
    cursor = start
    for lo, hi in sorted(busy):
        if hi <= cursor or lo >= end:
            continue
        if lo > cursor:
            free.append((cursor, min(lo, end)))
        cursor = max(cursor, hi)
        if cursor >= end:
            break
    if cursor < end:
        free.append((cursor, end))
    return [(lo, hi) for lo, hi in free if hi - lo > 0]


def lay_clock(
    clock: BroadcastClock, tz: tzinfo, monday: date, now: datetime | None, gap_ms: int
) -> tuple[list[Slot], tuple[tuple[int, ...], ...]]:
    """The dated sessions of a clock in one week, and each one's segment capacities.

    A session that starts before ``now`` is frozen and has no capacity: it is kept as planned.
    """
    slots: list[Slot] = []
    capacities: list[tuple[int, ...]] = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        sessions = clock.sessions_on(day.weekday())
        if clock.max_sessions_per_day is not None:
            sessions = sessions[: clock.max_sessions_per_day]
        for session in sessions:
            start = datetime.combine(day, session.start, tzinfo=tz)
            end = start + session.length
            frozen = now is not None and start < now
            segments = tuple(
                (round((lo - session.start_minute) * 60000), round((hi - lo) * 60000))
                for lo, hi in free_segments(session, clock)
            )
            slots.append(Slot(day, session, start, end, segments, frozen, to_epoch_ms(start)))
            capacities.append(() if frozen else tuple(length + gap_ms for _, length in segments))
    return slots, tuple(capacities)


@dataclass
class ClockWeek:
    """A clock laid over one week in one time zone (shared by the stations that keep it)."""

    slots: list[Slot]
    capacities: tuple[tuple[int, ...], ...]
    #: per item index: the open slots it may use and the value of an airing in each (weight ×
    #: observance boost, before dividing by a station's target); filled as items are asked for
    options: dict[int, tuple[tuple[int, ...], tuple[float, ...]]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------------


def observance_boost(item: Item, day: date, settings: PlannerSettings) -> float:
    """How much more an airing on ``day`` is worth for being near one of the item's days."""
    for observance in item.observances:
        for year in (day.year - 1, day.year, day.year + 1):
            when = observance.on(year)
            if when is not None and abs((when - day).days) <= settings.observance_window_days:
                return settings.observance_boost
    return 1.0


def item_fits_slot(item: Item, slot: Slot, duration_ms: int) -> bool:
    """Whether a session is in the item's window and dayparts and has a long enough segment."""
    if not item.is_valid_on(slot.day):
        return False
    if item.dayparts and Daypart.of_minute(slot.session.start_minute) not in item.dayparts:
        return False
    return any(length >= duration_ms for _, length in slot.segments)


def resolve_target(item: Item, code: str, settings: PlannerSettings) -> int:
    """An item's airings per week at a station (see :class:`~.model.PlannerSettings`)."""
    assert item.id is not None
    override = settings.target_overrides.get((code, item.id))
    if override is not None:
        return override
    if item.target_per_week is not None:
        return item.target_per_week
    station = settings.station_targets.get(code)
    if station is not None and item.priority in station:
        return station[item.priority]
    return settings.default_targets.get(item.priority, DEFAULT_TARGETS[item.priority])


def _skip_reason(item: Item, days: Sequence[date]) -> Msg | None:
    """Why an item is not planned this week, or None when it is."""
    if item.priority is Priority.EMERGENCY:
        return _("emergency: aired at once as an emergency bulletin, not scheduled")
    if item.kind is not ItemKind.PROPAGANDA:
        return _("administrative content, not aired")
    if not item.approval.approved:
        return _("not approved yet")
    if item.effective_duration is None or item.effective_duration <= timedelta():
        return _("no duration yet (no script or audio yet)")
    if not any(item.is_valid_on(day) for day in days):
        return _("outside its validity period this week")
    return None


def eligible_items(
    items: Sequence[Item], monday: date
) -> tuple[list[tuple[int, Item]], list[SkippedItem]]:
    """The items to plan this week, with their index in ``items``, and those skipped, with why."""
    ok: list[tuple[int, Item]] = []
    skipped: list[SkippedItem] = []
    seen: set[int] = set()
    days = [monday + timedelta(days=offset) for offset in range(7)]
    for index, item in enumerate(items):
        title = nfc(item.title)
        if item.id is None:
            raise InputError(_("item {title!r} has no id; save it before planning", title=title))
        if item.id in seen:
            raise InputError(
                _("item id {id} is given twice; each item must be given once", id=item.id)
            )
        seen.add(item.id)
        reason = _skip_reason(item, days)
        if reason is not None:
            skipped.append(SkippedItem(item.id, title, reason))
        else:
            ok.append((index, item))
    return ok, skipped


# --------------------------------------------------------------------------------------------
# Stations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledStation:
    """One station compiled for one week: its dated sessions, its problem, its history."""

    slots: list[Slot]
    problem: StationProblem
    #: stations with the same clock and time zone have the same id (and the same slots)
    clock_id: int
    #: the previous plan's sessions of this station by (day, session name)
    previous: dict[tuple[date, str], PlannedSession]
    #: what fills the station's free time
    fill: FillPolicy = field(default_factory=FillPolicy)

    @property
    def key(self) -> tuple[int, tuple[Demand, ...]]:
        """Stations with equal keys have the same solution."""
        return (self.clock_id, self.problem.demands)


@dataclass
class _History:
    """What a previous plan says about one station's items."""

    sessions: dict[tuple[date, str], PlannedSession]
    already: dict[int, list[int]]  # item id → epoch ms of its airings in frozen sessions
    preferred: dict[int, set[int]]  # item id → open slots the previous plan gave it


class WeekCompiler:
    """Compiles stations into solver problems for one week and one list of items.

    Everything that does not depend on the station is done once: eligibility, durations, and
    each distinct (clock, time zone) laid over the week with the options of each item.
    """

    def __init__(
        self,
        items: Sequence[Item],
        week: date | tuple[int, int] | str,
        settings: PlannerSettings | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise InputError(_("'now' must be an aware datetime (with a time zone)"))
        self.settings = settings or PlannerSettings()
        self.monday = resolve_week(week)
        self.now = now
        self.gap_ms = to_ms(self.settings.announcement_gap)
        self.eligible, self.skipped = eligible_items(items, self.monday)
        self.items_by_index = dict(self.eligible)
        self.duration_ms = {
            index: to_ms(item.effective_duration or timedelta()) for index, item in self.eligible
        }
        self._clocks: dict[tuple[BroadcastClock, tzinfo], tuple[int, ClockWeek]] = {}

    def clock_week(self, clock: BroadcastClock, tz: tzinfo) -> tuple[int, ClockWeek]:
        """The clock laid over the week (once per distinct clock and zone), and its id."""
        known = self._clocks.get((clock, tz))
        if known is None:
            slots, capacities = lay_clock(clock, tz, self.monday, self.now, self.gap_ms)
            known = (len(self._clocks), ClockWeek(slots, capacities))
            self._clocks[(clock, tz)] = known
        return known

    def options(
        self, week: ClockWeek, item_index: int
    ) -> tuple[tuple[int, ...], tuple[float, ...]]:
        """The open slots an item may use in a clock week, and an airing's value in each."""
        known = week.options.get(item_index)
        if known is None:
            item = self.items_by_index[item_index]
            duration = self.duration_ms[item_index]
            slots = week.slots
            opts = tuple(
                slot_index
                for slot_index, slot in enumerate(slots)
                if not slot.frozen and item_fits_slot(item, slot, duration)
            )
            weight = self.settings.weight(item.priority)
            boosts: dict[date, float] = {}
            values: list[float] = []
            for slot_index in opts:
                day = slots[slot_index].day
                if day not in boosts:
                    boosts[day] = observance_boost(item, day, self.settings)
                values.append(boosts[day] * weight)
            known = (opts, tuple(values))
            week.options[item_index] = known
        return known

    def compile_station(
        self, station: StationInput, previous: StationPlan | None = None
    ) -> CompiledStation:
        """One station's problem; with ``previous``, its frozen airings and preferred sessions."""
        clock_id, week = self.clock_week(station.clock, station.tz)
        history = _history(week.slots, previous)
        demands = [
            demand
            for item_index, item in self.eligible
            if (demand := self._demand(station, week, item_index, item, history)) is not None
        ]
        problem = StationProblem(
            tuple(slot.time_ms for slot in week.slots), week.capacities, tuple(demands)
        )
        fill = self.settings.fill_for(station.station.code)
        return CompiledStation(week.slots, problem, clock_id, history.sessions, fill)

    def _demand(
        self, station: StationInput, week: ClockWeek, item_index: int, item: Item, history: _History
    ) -> Demand | None:
        """Item ``item_index`` at a station, or None when it does not target it (or has no target)."""
        assert item.id is not None
        code = station.station.code
        if (
            item.stations
            and code not in item.stations
            and not (item.stations & station.groups)
            and not (item.stations & station.clusters)
        ):
            return None
        target = resolve_target(item, code, self.settings)
        if target <= 0:
            return None
        opts, values = self.options(week, item_index)
        per_airing = 1.0 / target
        anchors = tuple(sorted(history.already.get(item.id, ())))
        gap = to_ms(item.min_gap) if item.min_gap else 0
        if anchors and gap:
            keep = [
                (slot, value)
                for slot, value in zip(opts, values, strict=True)
                if all(abs(week.slots[slot].time_ms - anchor) >= gap for anchor in anchors)
            ]
            opts = tuple(slot for slot, _ in keep)
            values = tuple(value for _, value in keep)
        duration = self.duration_ms[item_index]
        return Demand(
            item_index=item_index,
            item_id=item.id,
            duration=duration,
            size=duration + self.gap_ms,
            target=target,
            already=len(anchors),
            weight=self.settings.weight(item.priority),
            rank=item.priority.rank,
            gap=gap,
            options=opts,
            values=tuple(value * per_airing for value in values),
            anchors=anchors,
            preferred=frozenset(history.preferred.get(item.id, ())),
        )


def _history(slots: Sequence[Slot], previous: StationPlan | None) -> _History:
    sessions = (
        {(planned.day, planned.name): planned for planned in previous.sessions}
        if previous is not None
        else {}
    )
    already: dict[int, list[int]] = {}
    preferred: dict[int, set[int]] = {}
    for slot_index, slot in enumerate(slots):
        planned = sessions.get((slot.day, slot.session.name))
        if planned is None:
            continue
        for item_id in planned.item_ids():
            if slot.frozen:
                already.setdefault(item_id, []).append(slot.time_ms)
            else:
                preferred.setdefault(item_id, set()).add(slot_index)
    return _History(sessions, already, preferred)


def compile_station(
    station: StationInput,
    items: Sequence[Item],
    week: date | tuple[int, int] | str,
    settings: PlannerSettings | None = None,
    *,
    now: datetime | None = None,
    previous: StationPlan | None = None,
) -> tuple[list[Slot], StationProblem]:
    """The solver's problem for one station, for benchmarks and exact references.

    The same compilation :func:`~.week.plan_week` does for each station (it keeps one
    :class:`WeekCompiler` for the whole week so that shared clocks are laid out once).
    """
    compiled = WeekCompiler(items, week, settings, now=now).compile_station(station, previous)
    return compiled.slots, compiled.problem
