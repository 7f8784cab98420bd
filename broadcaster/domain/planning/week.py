"""Planning a week: every station compiled, solved (once per distinct problem), laid out, explained."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..errors import InputError
from ..items import Item, Priority
from ..messages import _
from .compile import CompiledStation, WeekCompiler
from .explain import Why, explain_shortfalls, shortfall
from .fill import fill_station
from .layout import basis_texts, frozen_session, layout_session, refreeze
from .model import (
    ClassAttainment,
    FillPolicy,
    PlannedSession,
    PlannerSettings,
    PlanSummary,
    Shortfall,
    SkippedItem,
    StationInput,
    StationPlan,
    WeeklyPlan,
)
from .problem import Assignment, Demand, Slot
from .solver import solve_station
from .weeks import nfc, to_ms


@dataclass
class _Solved:
    """The solution of one distinct station problem, shared by the stations that have it."""

    assignment: Assignment
    sessions: dict[int, PlannedSession]  # open slot index → laid-out session
    whys: dict[int, tuple[int, Why]]  # demand index → (planned incl. already, why)
    #: the open sessions filled, by fill policy: stations that share the problem and the policy
    #: get the same filled sessions, so filling is done once for them (as solving is)
    filled: dict[FillPolicy, list[PlannedSession]] = field(default_factory=dict)


@dataclass
class _Totals:
    """The week's summary, summed station by station."""

    class_target: dict[Priority, int] = field(default_factory=dict)
    class_planned: dict[Priority, int] = field(default_factory=dict)
    placed_items: set[int] = field(default_factory=set)
    targeted_items: set[int] = field(default_factory=set)
    value: float = 0.0
    capacity_ms: int = 0
    used: timedelta = timedelta()
    sessions: int = 0

    def add(
        self,
        station: StationInput,
        compiled: CompiledStation,
        solved: _Solved,
        sessions: Sequence[PlannedSession],
        items_by_index: Mapping[int, Item],
    ) -> list[Shortfall]:
        """Count one station in; its shortfalls."""
        shortfalls: list[Shortfall] = []
        demands = compiled.problem.demands
        for dem, (demand, picks) in enumerate(zip(demands, solved.assignment, strict=True)):
            item = items_by_index[demand.item_index]
            assert item.id is not None
            got = len(picks) + demand.already
            self.class_target[item.priority] = (
                self.class_target.get(item.priority, 0) + demand.target
            )
            self.class_planned[item.priority] = self.class_planned.get(item.priority, 0) + min(
                got, demand.target
            )
            self.targeted_items.add(item.id)
            if got:
                self.placed_items.add(item.id)
            value_of = dict(zip(demand.options, demand.values, strict=True))
            self.value += sum(value_of[slot] for slot, _ in picks)
            if dem in solved.whys:
                _planned, why = solved.whys[dem]
                shortfalls.append(shortfall(station, item, demand, got, why))
        for session in sessions:
            self.sessions += 1
            self.capacity_ms += to_ms(session.capacity)
            self.used += session.used
        return shortfalls

    def summary(
        self, skipped: Sequence[SkippedItem], stations: int, distinct_problems: int
    ) -> PlanSummary:
        attainment = tuple(
            ClassAttainment(
                priority, self.class_target.get(priority, 0), self.class_planned.get(priority, 0)
            )
            for priority in (Priority.PRIORITY, Priority.NORMAL)
            if priority in self.class_target
        )
        return PlanSummary(
            attainment=attainment,
            sessions=self.sessions,
            capacity=timedelta(milliseconds=self.capacity_ms),
            used=self.used,
            unplaced=tuple(sorted(self.targeted_items - self.placed_items)),
            skipped=tuple(skipped),
            objective=self.value,
            stations=stations,
            distinct_problems=distinct_problems,
        )


def _solve(compiled: CompiledStation, compiler: WeekCompiler, basis: Mapping[int, str]) -> _Solved:
    """Solve a station's problem, lay out its open sessions and explain its shortfalls."""
    settings = compiler.settings
    problem = compiled.problem
    assignment = solve_station(problem, settings)
    per_slot: dict[int, list[tuple[Item, int]]] = {}
    for demand, picks in zip(problem.demands, assignment, strict=True):
        for slot, segment in picks:
            item = compiler.items_by_index[demand.item_index]
            per_slot.setdefault(slot, []).append((item, segment))
    laid = {
        index: layout_session(slot, per_slot.get(index, []), settings, compiler.gap_ms, basis)
        for index, slot in enumerate(compiled.slots)
        if not slot.frozen
    }
    whys = explain_shortfalls(compiled.slots, problem, assignment, compiler.items_by_index)
    return _Solved(assignment, laid, whys)


def _station_sessions(
    compiled: CompiledStation, solved: _Solved, now: datetime | None
) -> list[PlannedSession]:
    """A station's sessions in time order: open ones as solved, started ones as they were."""
    sessions: list[PlannedSession] = []
    open_sessions: list[tuple[int, Slot]] = []
    for index, slot in enumerate(compiled.slots):
        if slot.frozen:
            previous = compiled.previous.get((slot.day, slot.session.name))
            sessions.append(frozen_session(slot, previous))
        else:
            open_sessions.append((len(sessions), slot))
            sessions.append(solved.sessions[index])
    filled = solved.filled.get(compiled.fill)
    if filled is None:
        filled = fill_station([(sessions[n], slot) for n, slot in open_sessions], compiled.fill)
        solved.filled[compiled.fill] = filled
    for (n, _slot), session in zip(open_sessions, filled, strict=True):
        sessions[n] = session
    # past sessions of the previous plan that the clock no longer has are kept too
    known = {(slot.day, slot.session.name) for slot in compiled.slots}
    for key, previous in compiled.previous.items():
        if key not in known and now is not None and previous.start < now:
            sessions.append(refreeze(previous))
    sessions.sort(key=lambda session: (session.start, session.name))
    return sessions


@dataclass
class _WeekPlans:
    """The week's station plans as each station is added, and the plan they make together."""

    compiler: WeekCompiler
    now: datetime | None
    totals: _Totals = field(default_factory=_Totals)
    station_plans: list[StationPlan] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

    def code_of(self, station: StationInput) -> str:
        """The station's code; a station given twice is an error."""
        code = station.station.code
        if code in self.codes:
            raise InputError(_("station {code!r} is given twice", code=code))
        self.codes.add(code)
        return code

    def add(self, station: StationInput, compiled: CompiledStation, solved: _Solved) -> None:
        """A station's sessions, plan and shortfalls, from its solved problem."""
        sessions = _station_sessions(compiled, solved, self.now)
        self.station_plans.append(
            StationPlan(
                station.station.code,
                nfc(station.station.name),
                station.clock.timezone,
                tuple(sessions),
            )
        )
        self.shortfalls += self.totals.add(
            station, compiled, solved, sessions, self.compiler.items_by_index
        )

    def plan(self, distinct_problems: int, office: str | None) -> WeeklyPlan:
        shortfalls = sorted(
            self.shortfalls,
            key=lambda short: (short.priority.rank, short.item_id, short.station_code),
        )
        compiler = self.compiler
        iso = compiler.monday.isocalendar()
        return WeeklyPlan(
            year=iso[0],
            week=iso[1],
            monday=compiler.monday,
            stations=tuple(self.station_plans),
            shortfalls=tuple(shortfalls),
            summary=self.totals.summary(
                compiler.skipped, len(self.station_plans), distinct_problems
            ),
            office=office,
            created_at=self.now,
        )


def plan_week(
    stations: Sequence[StationInput],
    items: Sequence[Item],
    week: date | tuple[int, int] | str,
    settings: PlannerSettings | None = None,
    *,
    previous: WeeklyPlan | None = None,
    now: datetime | None = None,
    office: str | None = None,
) -> WeeklyPlan:
    """Plan one week for the given broadcasting stations.

    Sessions that start before ``now`` are kept exactly as in ``previous`` (or left empty when
    there is no previous plan: the past cannot be planned); the rest is planned anew, preferring
    the sessions ``previous`` gave each item. Emergency, draft, administrative and undated items
    are not planned and are listed in ``summary.skipped``.
    """
    compiler = WeekCompiler(items, week, settings, now=now)
    basis = basis_texts(compiler.eligible)
    previous_of = {plan.code: plan for plan in previous.stations} if previous is not None else {}
    solved_by_key: dict[tuple[int, tuple[Demand, ...]], _Solved] = {}
    week_plans = _WeekPlans(compiler, now)
    for station in stations:
        code = week_plans.code_of(station)
        compiled = compiler.compile_station(station, previous_of.get(code))
        solved = solved_by_key.get(compiled.key)
        if solved is None:
            solved = _solve(compiled, compiler, basis)
            solved_by_key[compiled.key] = solved
        week_plans.add(station, compiled, solved)
    return week_plans.plan(len(solved_by_key), office)
