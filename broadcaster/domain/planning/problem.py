"""The per-station problem the solver sees, its objective, and the checker of its hard constraints.

Public so that benchmarks and tests can build the exact model (a MILP, a brute force) of the
same problem the planner solves and check the planner's answer against it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime

from ..stations import Session
from .weeks import session_label


@dataclass(frozen=True)
class Slot:
    """One dated session at a station, with its free segments as (offset, length) in ms."""

    day: date
    session: Session
    start: datetime
    end: datetime
    segments: tuple[tuple[int, int], ...]
    frozen: bool
    time_ms: int  # start, epoch milliseconds (for gaps and spread)

    @property
    def label(self) -> str:
        return session_label(self.day, self.session.name, self.session.start)


@dataclass(frozen=True)
class Demand:
    """One item at one station, compiled for the solver."""

    item_index: int
    item_id: int
    duration: int  # ms
    size: int  # ms, duration + announcement gap
    target: int
    already: int  # airings in frozen slots
    weight: float
    rank: int
    gap: int  # ms between session starts; 0 when none
    options: tuple[int, ...]  # slot indices where it may air
    values: tuple[float, ...]  # value of one airing in each option
    anchors: tuple[int, ...] = ()  # epoch ms of its frozen airings
    preferred: frozenset[int] = frozenset()  # slots the previous plan gave it

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.already)


@dataclass(frozen=True)
class StationProblem:
    """What the solver sees for one station: slots' times and segment capacities, and demands.

    A segment's capacity is its length plus the announcement gap, so that ``Σ size ≤ capacity``
    means the announcements and the gaps between them fit.
    """

    times: tuple[int, ...]
    capacities: tuple[tuple[int, ...], ...]
    demands: tuple[Demand, ...]


#: per demand, the (slot, segment) pairs where it airs
Assignment = tuple[tuple[tuple[int, int], ...], ...]


def objective(problem: StationProblem, assignment: Assignment) -> float:
    """The priority-weighted attainment of an assignment (what the planner maximises)."""
    total = 0.0
    for demand, picks in zip(problem.demands, assignment, strict=True):
        value_of = dict(zip(demand.options, demand.values, strict=True))
        total += sum(value_of[slot] for slot, _ in picks)
    return total


def violations(problem: StationProblem, assignment: Assignment) -> list[str]:
    """Every hard constraint an assignment breaks (empty when feasible)."""
    out: list[str] = []
    used: dict[tuple[int, int], int] = {}
    for index, (demand, picks) in enumerate(zip(problem.demands, assignment, strict=True)):
        slots = [slot for slot, _ in picks]
        if len(set(slots)) != len(slots):
            out.append(f"demand {index} airs twice in one session")
        if len(slots) > demand.remaining:
            out.append(
                f"demand {index} airs {len(slots)} times, over its remaining target "
                f"{demand.remaining}"
            )
        for slot, segment in picks:
            if slot not in demand.options:
                out.append(f"demand {index} placed in slot {slot}, which it may not use")
                continue
            if not 0 <= segment < len(problem.capacities[slot]):
                out.append(f"demand {index} placed in missing segment {segment} of slot {slot}")
                continue
            used[(slot, segment)] = used.get((slot, segment), 0) + demand.size
        if demand.gap:
            times = sorted([problem.times[slot] for slot in slots] + list(demand.anchors))
            for earlier, later in itertools.pairwise(times):
                if later - earlier < demand.gap:
                    out.append(f"demand {index} breaks its minimum gap")
    for (slot, segment), total in used.items():
        capacity = problem.capacities[slot][segment]
        if total > capacity:
            out.append(f"segment {segment} of slot {slot} over capacity: {total} > {capacity}")
    return out
