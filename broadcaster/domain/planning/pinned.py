"""Re-planning a week around what the office fixed by hand: pinned airings stay, removed ones
stay out of their session, and the planner fills the rest.

Each station is compiled as :func:`~.week.plan_week` compiles it; then every pin that still
keeps the hard rules (checked one after the other by :class:`~.edits.EditableWeek`, so pins
cannot together over-fill a session) is taken out of the problem the way an airing of a
started session is: the item counts it as already planned, its minimum gap runs from it, and
its session has that much less room. A removed airing takes its session out of the item's
options. The solver then plans what is left, and the layout puts pins and planned airings in
order together. A pin that no longer keeps the rules (its item was retired, its session is
gone or full) is dropped and said why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from ..items import Item
from ..messages import Msg, _
from .compile import CompiledStation
from .edits import AiringRef, EditableWeek, PlanEdits, offset_segment, session_of
from .explain import explain_shortfalls
from .layout import frozen_session, layout_session
from .model import PlannedSession, PlannerSettings, StationInput, StationPlan, WeeklyPlan
from .problem import Assignment, Demand
from .solver import solve_station
from .week import _Solved, _WeekPlans
from .weeks import nfc


@dataclass(frozen=True)
class DroppedPin:
    """A pin the re-planning could not keep, and why."""

    pin: AiringRef
    reason: Msg


@dataclass(frozen=True)
class Replanned:
    plan: WeeklyPlan
    dropped: tuple[DroppedPin, ...]


def _pins_only(week: EditableWeek, compiled: CompiledStation, station: StationInput) -> StationPlan:
    """A station's week with nothing planned in its open sessions (what pins are laid into)."""
    sessions = []
    for slot in compiled.slots:
        if slot.frozen:
            sessions.append(
                frozen_session(slot, compiled.previous.get((slot.day, slot.session.name)))
            )
        else:
            gap = week.compiler.gap_ms
            sessions.append(layout_session(slot, [], week.settings, gap, week.basis))
    code = station.station.code
    return StationPlan(code, nfc(station.station.name), station.clock.timezone, tuple(sessions))


def _keep_pins(
    week: EditableWeek, empty: StationPlan, pins: Sequence[AiringRef]
) -> tuple[StationPlan, list[DroppedPin]]:
    """The pins that keep the hard rules, laid into the station's week one after the other."""
    plan = empty
    dropped = []
    for pin in sorted(pins):
        session = session_of(plan, pin.day, pin.session)
        if session is not None and session.frozen:
            if pin.item_id not in session.item_ids():
                dropped.append(
                    DroppedPin(pin, _("{session} has already started", session=session.label))
                )
            continue
        why = week.refusal(plan, pin)
        if why is not None:
            dropped.append(DroppedPin(pin, why))
            continue
        relaid = week.relaid(plan, pin)
        plan = replace(
            plan,
            sessions=tuple(
                relaid if (s.day, s.name) == (pin.day, pin.session) else s for s in plan.sessions
            ),
        )
    return plan, dropped


def _around(
    compiled: CompiledStation, pinned: StationPlan, edits: PlanEdits
) -> tuple[CompiledStation, dict[int, list[tuple[int, int]]]]:
    """The station's problem with its pins taken out, and the pins by demand: (slot, segment)."""
    problem = compiled.problem
    slot_of = {(slot.day, slot.session.name): n for n, slot in enumerate(compiled.slots)}
    capacities = [list(caps) for caps in problem.capacities]
    pins: dict[int, list[tuple[int, int]]] = {}
    demand_of = {d.item_id: n for n, d in enumerate(problem.demands)}
    for session in pinned.sessions:
        if session.frozen:
            continue
        n = slot_of[(session.day, session.name)]
        for entry in session.entries:
            if entry.item_id is None or entry.item_id not in demand_of:
                continue
            dem = demand_of[entry.item_id]
            segment = offset_segment(compiled.slots[n], entry.start)
            capacities[n][segment] -= problem.demands[dem].size
            pins.setdefault(dem, []).append((n, segment))
    excluded: dict[int, set[int]] = {}
    for ref in edits.excluded:
        n = slot_of.get((ref.day, ref.session), -1)
        if n >= 0:
            excluded.setdefault(ref.item_id, set()).add(n)
    demands = [
        _without(d, pins.get(dem, []), excluded.get(d.item_id, set()), problem.times)
        for dem, d in enumerate(problem.demands)
    ]
    changed = replace(
        problem, capacities=tuple(tuple(c) for c in capacities), demands=tuple(demands)
    )
    return replace(compiled, problem=changed), pins


def _without(
    demand: Demand, pins: Sequence[tuple[int, int]], excluded: set[int], times: Sequence[int]
) -> Demand:
    """A demand with its pinned airings counted as planned and its removed sessions closed."""
    if not pins and not excluded:
        return demand
    pinned_at = [times[slot] for slot, _ in pins]
    closed = excluded | {slot for slot, _ in pins}
    keep = [
        (slot, value)
        for slot, value in zip(demand.options, demand.values, strict=True)
        if slot not in closed
        and all(abs(times[slot] - at) >= demand.gap for at in pinned_at if demand.gap)
    ]
    return replace(
        demand,
        already=demand.already + len(pins),
        anchors=tuple(sorted((*demand.anchors, *pinned_at))),
        options=tuple(slot for slot, _ in keep),
        values=tuple(value for _, value in keep),
        preferred=demand.preferred - closed,
    )


def _solve_around(
    week: EditableWeek, compiled: CompiledStation, pins: dict[int, list[tuple[int, int]]]
) -> _Solved:
    """Solve what the pins leave, and lay out each open session with pins and picks together."""
    problem = compiled.problem
    assignment: Assignment = solve_station(problem, week.settings)
    items = week.compiler.items_by_index
    per_slot: dict[int, list[tuple[Item, int]]] = {}
    for dem, (demand, picks) in enumerate(zip(problem.demands, assignment, strict=True)):
        for slot, segment in (*picks, *pins.get(dem, [])):
            per_slot.setdefault(slot, []).append((items[demand.item_index], segment))
    laid: dict[int, PlannedSession] = {
        n: layout_session(
            slot, per_slot.get(n, []), week.settings, week.compiler.gap_ms, week.basis
        )
        for n, slot in enumerate(compiled.slots)
        if not slot.frozen
    }
    whys = explain_shortfalls(compiled.slots, problem, assignment, items)
    return _Solved(assignment, laid, whys)


def plan_week_around(
    stations: Sequence[StationInput],
    items: Sequence[Item],
    week: date | tuple[int, int] | str,
    settings: PlannerSettings | None = None,
    *,
    edits: PlanEdits | None = None,
    previous: WeeklyPlan | None = None,
    now: datetime | None = None,
    office: str | None = None,
) -> Replanned:
    """:func:`~.week.plan_week` keeping the office's pins and removals (see the module)."""
    edits = edits or PlanEdits()
    editable = EditableWeek(stations, items, week, settings, now=now)
    compiler = editable.compiler
    previous_of = {sp.code: sp for sp in previous.stations} if previous is not None else {}
    week_plans = _WeekPlans(compiler, now)
    dropped: list[DroppedPin] = []
    shared: dict[object, _Solved] = {}
    for station in stations:
        code = week_plans.code_of(station)
        compiled = compiler.compile_station(station, previous_of.get(code))
        mine = edits.at(code)
        pins: dict[int, list[tuple[int, int]]] = {}
        if mine:
            empty = _pins_only(editable, compiled, station)
            kept, lost = _keep_pins(editable, empty, list(mine.pins))
            dropped += lost
            compiled, pins = _around(compiled, kept, mine)
            key: object = (code, compiled.key)
        else:
            key = compiled.key
        solved = shared.get(key)
        if solved is None:
            solved = _solve_around(editable, compiled, pins)
            shared[key] = solved
        week_plans.add(station, compiled, solved)
    return Replanned(week_plans.plan(len(shared), office), tuple(dropped))
