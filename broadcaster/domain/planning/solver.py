"""The search for one station: which sessions each demand airs in, and in which segment.

What the solver maximises, in lexicographic order:

1. **Priority-weighted attainment**: the sum over airings of ``weight(priority) ×
   boost(observance) / target`` (:func:`~.problem.objective`). This is the planner's value:
   every move of the local search, the large-neighbourhood repair and the exact search is kept
   only when it raises it (by more than ``EPS``), and of the greedy starts the highest wins.
2. **Stability**: when re-planning, the sessions the previous plan gave each item
   (``Demand.preferred``), so that a published week changes as little as possible.
3. **Spread**: the airings of one item evenly spaced over the week. Each pair of them closer
   than the item's ideal spacing (its options' time span / its target) costs
   ``spread_weight × ((ideal - distance) / ideal)²``, at most ``spread_weight``.
4. **Balance**: each announcement already in a session costs ``balance_weight``, so that no
   session is left empty while another is full. Spread and balance are traded off as a sum.

Where the orders meet in one score (the greedy's choice of an item's sessions) the weights of
:class:`~.model.PlannerSettings` keep them apart: one unit of value is worth
``attainment_weight`` (10⁶), far above the session pressure (at most ``pressure_cap ×
pressure_weight`` = 10⁴), which is above the bonus of a previously used session
(``history_weight`` = 100), which is above spread (≤ 1 a pair) and balance (0.3 an
announcement). Pressure is the greedy's packing heuristic, not an objective: a session the
items still to place are expected to over-fill costs ``pressure_weight`` per unit of its
expected overload relative to its free time, capped at ``pressure_cap``. The local search
and the polish rank the same way through tuples: value, then history, then spread and balance.

Priority items leading their session is not the solver's concern: the layout orders each
session (:mod:`.layout`).

The search is a value-density greedy that picks each item's sessions with a small dynamic
programme (spread and minimum gap), then a local search (insert, relocate one airing to make
room, swap out cheaper airings), a large-neighbourhood repair (a day or two emptied and
refilled), an exact branch and bound on small stations and a spread polish. Ties are broken by
fixed orders (rank, item id, slot index): same problem in, same assignment out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

from .model import PlannerSettings
from .problem import Assignment, Demand, StationProblem
from .weeks import DAY_MS

#: the smallest change in value the search counts as a gain (values are sums of floats)
EPS = 1e-9
#: the smallest change in spread and balance the polish counts as an improvement
SPREAD_EPS = 1e-6

#: (time, slot, score) of a session an item could air in
Candidate = tuple[int, int, float]
#: one step of a tentative move: (placed?, demand, slot, segment)
Move = tuple[bool, int, int, int]


def _ideal_spacing(demand: Demand, times: Sequence[int]) -> float:
    """A little under the widest possible spacing of an item's airings, so items can interleave."""
    stamps = [times[slot] for slot in demand.options] + list(demand.anchors)
    span = (max(stamps) - min(stamps)) if stamps else 0
    return span / demand.target if demand.target > 1 and span > 0 else 0.0


class _Search:
    """Greedy + local search (+ exact search when small) for one station.

    ``picks[dem]`` maps each slot demand ``dem`` airs in to the segment it takes there;
    ``free[slot][segment]`` is the room left in a segment (ms); ``airings_in[slot]`` counts the
    announcements in a session; ``wanted[dem]`` is how many airings the demand may still get.
    """

    def __init__(self, problem: StationProblem, settings: PlannerSettings) -> None:
        self.problem = problem
        self.demands = problem.demands
        self.settings = settings
        self.times = problem.times
        self.free = [list(caps) for caps in problem.capacities]
        self.airings_in = [0] * len(problem.capacities)
        self.picks: list[dict[int, int]] = [{} for _ in problem.demands]
        self.value: list[dict[int, float]] = [
            dict(zip(demand.options, demand.values, strict=True)) for demand in problem.demands
        ]
        self.wanted = [demand.remaining for demand in problem.demands]
        self.ideal = [_ideal_spacing(demand, self.times) for demand in problem.demands]
        self.spread_weight = settings.spread_weight
        # value per millisecond, the greedy's order
        self.order = sorted(
            range(len(problem.demands)),
            key=lambda dem: (
                -(max(self.demands[dem].values, default=0.0) / self.demands[dem].size),
                self.demands[dem].rank,
                self.demands[dem].item_id,
            ),
        )

    # -- state ---------------------------------------------------------------------------------

    def reset(self) -> None:
        for dem in range(len(self.picks)):
            for slot in list(self.picks[dem]):
                self.unplace(dem, slot)

    def load(self, picks: Sequence[Mapping[int, int]]) -> None:
        self.reset()
        for dem, chosen in enumerate(picks):
            for slot, segment in sorted(chosen.items()):
                self.place(dem, slot, segment)

    def snapshot(self) -> list[dict[int, int]]:
        return [dict(chosen) for chosen in self.picks]

    def place(self, dem: int, slot: int, segment: int) -> None:
        self.picks[dem][slot] = segment
        self.free[slot][segment] -= self.demands[dem].size
        self.airings_in[slot] += 1

    def unplace(self, dem: int, slot: int) -> int:
        segment = self.picks[dem].pop(slot)
        self.free[slot][segment] += self.demands[dem].size
        self.airings_in[slot] -= 1
        return segment

    def total(self) -> float:
        return sum(
            self.value[dem][slot] for dem in range(len(self.picks)) for slot in self.picks[dem]
        )

    def all_met(self) -> bool:
        return all(len(self.picks[dem]) >= self.wanted[dem] for dem in range(len(self.picks)))

    def assignment(self) -> Assignment:
        return tuple(tuple(sorted(chosen.items())) for chosen in self.picks)

    # -- primitives ---------------------------------------------------------------------------

    def conflicts(self, dem: int, slot: int, ignore: int = -1) -> bool:
        """Whether airing ``dem`` in ``slot`` breaks its minimum gap (``ignore``: a slot moved)."""
        gap = self.demands[dem].gap
        if gap <= 0:
            return False
        when = self.times[slot]
        return any(
            abs(self.times[other] - when) < gap for other in self.picks[dem] if other != ignore
        )

    def best_segment(self, slot: int, size: int) -> int:
        """The tightest segment of ``slot`` with room for ``size`` (best fit), or -1."""
        best, best_free = -1, 0
        for segment, room in enumerate(self.free[slot]):
            if room >= size and (best < 0 or room < best_free):
                best, best_free = segment, room
        return best

    def penalty(self, dem: int, first: int, second: int) -> float:
        """Crowding of two airings (epoch ms) of one demand: 0 when at least the ideal spacing."""
        ideal = self.ideal[dem]
        if ideal <= 0:
            return 0.0
        distance = abs(second - first)
        if distance >= ideal:
            return 0.0
        return self.spread_weight * ((ideal - distance) / ideal) ** 2

    def spread_cost(self, dem: int, slots: Iterable[int]) -> float:
        stamps = sorted([self.times[slot] for slot in slots] + list(self.demands[dem].anchors))
        return sum(
            self.penalty(dem, earlier, later) for earlier, later in itertools.pairwise(stamps)
        )

    # -- greedy --------------------------------------------------------------------------------

    def greedy(self, order: Sequence[int] | None = None) -> None:
        """Place the demands one by one in ``order``, each in its best sessions.

        ``load`` is the room the demands not yet placed are expected to want in each session
        (their remaining airings spread evenly over their options): the session pressure.
        """
        order = self.order if order is None else order
        load = [0.0] * len(self.times)
        for dem, demand in enumerate(self.demands):
            if self.wanted[dem] and demand.options:
                share = demand.size * self.wanted[dem] / len(demand.options)
                for slot in demand.options:
                    load[slot] += share
        for dem in order:
            demand = self.demands[dem]
            if self.wanted[dem] and demand.options:
                share = demand.size * self.wanted[dem] / len(demand.options)
                for slot in demand.options:
                    load[slot] -= share
                self.choose(dem, load)

    def choose(self, dem: int, load: Sequence[float]) -> None:
        """Pick the sessions of one demand: most airings, then value, history, room, spread."""
        demand = self.demands[dem]
        want = self.wanted[dem] - len(self.picks[dem])
        if want <= 0:
            return
        candidates = self._scored_candidates(dem, load)
        if not candidates:
            return
        candidates.sort()
        for slot in self._spaced_picks(dem, candidates, want):
            self.place(dem, slot, self.best_segment(slot, demand.size))

    def _scored_candidates(self, dem: int, load: Sequence[float]) -> list[Candidate]:
        """Every session ``dem`` could air in now, scored by the lexicographic weights."""
        demand = self.demands[dem]
        settings = self.settings
        attainment_weight = settings.attainment_weight
        pressure_weight = settings.pressure_weight
        pressure_cap = settings.pressure_cap
        history_weight = settings.history_weight
        balance_weight = settings.balance_weight
        candidates: list[Candidate] = []
        for slot in demand.options:
            if (
                slot in self.picks[dem]
                or self.conflicts(dem, slot)
                or self.best_segment(slot, demand.size) < 0
            ):
                continue
            free = sum(self.free[slot])
            pressure = max(0.0, load[slot] - free) / max(free, 1)
            score = (
                self.value[dem][slot] * attainment_weight
                - min(pressure, pressure_cap) * pressure_weight
                + (history_weight if slot in demand.preferred else 0.0)
                - balance_weight * self.airings_in[slot]
            )
            candidates.append((self.times[slot], slot, score))
        return candidates

    def _spaced_picks(self, dem: int, candidates: list[Candidate], want: int) -> list[int]:
        """Up to ``want`` candidate sessions (sorted by time) with the best total score.

        A dynamic programme over (number of picks, last pick): each pick's score, less the
        crowding between consecutive picks and with the item's airings already placed; two
        picks are never closer than the minimum gap. The most picks win, then the best score.
        """
        demand = self.demands[dem]
        placed = sorted([self.times[slot] for slot in self.picks[dem]] + list(demand.anchors))
        n_cands = len(candidates)
        # score of each candidate as the first pick, its crowding with placed airings counted
        first = [
            score - sum(self.penalty(dem, stamp, when) for stamp in placed)
            for when, _, score in candidates
        ]
        # best[count][cand]: best score with count+1 picks, the last at candidate cand;
        # back[count][cand]: the candidate picked before it
        best = [first[:]]
        back: list[list[int]] = [[-1] * n_cands]
        last_count = 0
        last_cand = max(range(n_cands), key=lambda cand: (first[cand], -cand))
        for count in range(1, want):
            row, back_row = self._extend_picks(dem, candidates, best[-1], placed)
            if all(link < 0 for link in back_row):
                break
            best.append(row)
            back.append(back_row)
            last_count = count
            last_cand = max(range(n_cands), key=lambda cand: (row[cand], -cand))
        out: list[int] = []
        count, cand = last_count, last_cand
        while cand >= 0 and count >= 0:
            out.append(candidates[cand][1])
            cand = back[count][cand]
            count -= 1
        return out

    def _extend_picks(
        self, dem: int, candidates: list[Candidate], prev: list[float], placed: list[int]
    ) -> tuple[list[float], list[int]]:
        """One more row of :meth:`_spaced_picks`: per candidate, the best way to pick it next."""
        gap = self.demands[dem].gap
        unreachable = float("-inf")
        n_cands = len(candidates)
        row = [unreachable] * n_cands
        back_row = [-1] * n_cands
        for cand in range(n_cands):
            when = candidates[cand][0]
            top, top_from = unreachable, -1
            for earlier in range(cand):
                before = candidates[earlier][0]
                if prev[earlier] == unreachable or when - before < gap or before == when:
                    continue
                score = prev[earlier] - self.penalty(dem, before, when)
                if score > top:
                    top, top_from = score, earlier
            if top_from >= 0:
                # only the crowding with later placed airings is not yet counted
                row[cand] = (
                    top
                    + candidates[cand][2]
                    - sum(self.penalty(dem, stamp, when) for stamp in placed)
                )
                back_row[cand] = top_from
        return row, back_row

    # -- local search --------------------------------------------------------------------------

    def improve(self, passes: int | None = None) -> None:
        for _ in range(self.settings.improve_passes if passes is None else passes):
            changed = False
            for dem in self.order:
                while len(self.picks[dem]) < self.wanted[dem] and self.try_add(dem):
                    changed = True
            for dem in self.order:
                if self.demands[dem].gap and 0 < len(self.picks[dem]) < self.wanted[dem]:
                    changed = self.reseat(dem) or changed
            if not changed:
                break

    def reseat(self, dem: int) -> bool:
        """Re-choose every airing of a gap-limited item: its first picks may block the rest."""
        before = self.total()
        saved = self.snapshot()
        for slot in list(self.picks[dem]):
            self.unplace(dem, slot)
        self.choose(dem, [0.0] * len(self.times))
        while len(self.picks[dem]) < self.wanted[dem] and self.try_add(dem):
            pass
        if self.total() > before + EPS:
            return True
        self.load(saved)
        return False

    def _open_slots(self, dem: int) -> list[int]:
        """Sessions ``dem`` may still use, best first: value, history, spread, slot order."""
        demand = self.demands[dem]
        slots = [
            slot
            for slot in demand.options
            if slot not in self.picks[dem] and not self.conflicts(dem, slot)
        ]
        slots.sort(
            key=lambda slot: (
                -self.value[dem][slot],
                slot not in demand.preferred,
                self.spread_cost(dem, [*self.picks[dem], slot]),
                slot,
            )
        )
        return slots

    def try_add(self, dem: int) -> bool:
        """One more airing of ``dem``: where there is room, else by moving or swapping others."""
        size = self.demands[dem].size
        slots = self._open_slots(dem)
        for slot in slots:  # a session with room
            segment = self.best_segment(slot, size)
            if segment >= 0:
                self.place(dem, slot, segment)
                return True
        for slot in slots:  # make room by moving one airing elsewhere
            if self._relocate_for(dem, slot):
                return True
        return any(self._swap_in(dem, slot) for slot in slots)  # swap out cheaper airings

    def _occupants(self, slot: int, segment: int) -> list[int]:
        return [other for other in range(len(self.picks)) if self.picks[other].get(slot) == segment]

    def _relocate_for(self, dem: int, slot: int) -> bool:
        """Move one airing out of a segment of ``slot`` to another session so ``dem`` fits."""
        demand = self.demands[dem]
        value_in = self.value[dem][slot]
        for segment in range(len(self.free[slot])):
            if self.problem.capacities[slot][segment] < demand.size:
                continue
            need = demand.size - self.free[slot][segment]
            for other in self._occupants(slot, segment):
                moved = self.demands[other]
                if moved.size < need:
                    continue
                for dest in moved.options:
                    if (
                        dest == slot
                        or dest in self.picks[other]
                        or self.conflicts(other, dest, ignore=slot)
                    ):
                        continue
                    gain = value_in + self.value[other][dest] - self.value[other][slot]
                    if gain <= EPS:
                        continue
                    dest_segment = self.best_segment(dest, moved.size)
                    if dest_segment < 0:
                        continue
                    self.unplace(other, slot)
                    self.place(other, dest, dest_segment)
                    self.place(dem, slot, segment)
                    return True
        return False

    def _swap_in(self, dem: int, slot: int) -> bool:
        """Eject airings from a segment of ``slot`` so ``dem`` fits, re-placing them elsewhere.

        Tries the cheapest-first set and every single occupant big enough; applies the first
        move whose net value is positive (the objective strictly rises, so this terminates).
        """
        size = self.demands[dem].size
        for segment in range(len(self.free[slot])):
            if self.problem.capacities[slot][segment] < size:
                continue
            need = size - self.free[slot][segment]
            for ejected in self._ejection_sets(slot, segment, need):
                if self._try_swap(dem, slot, segment, ejected):
                    return True
        return False

    def _ejection_sets(self, slot: int, segment: int, need: int) -> list[list[int]]:
        """Sets of occupants of a segment whose removal frees ``need`` ms, cheapest first."""
        occupants = self._occupants(slot, segment)
        occupants.sort(
            key=lambda other: (
                self.value[other][slot] / self.demands[other].size,
                self.demands[other].item_id,
            )
        )
        sets: list[list[int]] = []
        freed = 0
        cheapest: list[int] = []
        for other in occupants:
            if freed >= need:
                break
            freed += self.demands[other].size
            cheapest.append(other)
        if freed >= need:
            sets.append(cheapest)
        sets += [
            [other]
            for other in occupants
            if self.demands[other].size >= need and [other] != cheapest
        ]
        return sets

    def _try_swap(self, dem: int, slot: int, segment: int, ejected: list[int]) -> bool:
        """Eject, place ``dem``, re-place the ejected and fill the room left; undo unless gain."""
        log: list[Move] = []
        gain = self.value[dem][slot]
        for other in ejected:
            gain -= self.value[other][slot]
            log.append((False, other, slot, self.unplace(other, slot)))
        self.place(dem, slot, segment)
        log.append((True, dem, slot, segment))
        for other in sorted(
            ejected, key=lambda out: -self.value[out][slot] / self.demands[out].size
        ):
            dest = self._reinsert_slot(other, exclude=slot)
            if dest >= 0:
                dest_segment = self.best_segment(dest, self.demands[other].size)
                self.place(other, dest, dest_segment)
                log.append((True, other, dest, dest_segment))
                gain += self.value[other][dest]
        gain = self._fill_leftover(dem, slot, ejected, log, gain)
        if gain > EPS:
            return True
        for placed, other, where, where_segment in reversed(log):
            if placed:
                self.unplace(other, where)
            else:
                self.place(other, where, where_segment)
        return False

    def _fill_leftover(
        self, dem: int, slot: int, ejected: list[int], log: list[Move], gain: float
    ) -> float:
        """Let other unmet items take the room a swap left in ``slot``; the gain so far plus theirs."""
        for other in self.order:
            if other in ejected or other == dem or len(self.picks[other]) >= self.wanted[other]:
                continue
            if slot not in self.value[other] or slot in self.picks[other]:
                continue
            if self.conflicts(other, slot):
                continue
            other_segment = self.best_segment(slot, self.demands[other].size)
            if other_segment >= 0:
                self.place(other, slot, other_segment)
                log.append((True, other, slot, other_segment))
                gain += self.value[other][slot]
        return gain

    def _reinsert_slot(self, dem: int, exclude: int) -> int:
        """The best other session with room for an ejected airing of ``dem``, or -1."""
        if len(self.picks[dem]) >= self.wanted[dem]:
            return -1
        demand = self.demands[dem]
        best, best_key = -1, (0.0, 0.0)
        for slot in demand.options:
            if slot == exclude or slot in self.picks[dem] or self.conflicts(dem, slot):
                continue
            if self.best_segment(slot, demand.size) < 0:
                continue
            key = (self.value[dem][slot], -self.spread_cost(dem, [*self.picks[dem], slot]))
            if best < 0 or key > best_key:
                best, best_key = slot, key
        return best

    # -- large neighbourhoods ------------------------------------------------------------------

    def destroy_repair(self, rounds: int) -> None:
        """Large-neighbourhood search: empty a day's sessions (or two days'), refill big-first.

        Greedy packing by value density strands room next to long items; refilling a small
        neighbourhood largest-first within each priority class often packs it tighter.
        """
        big_first = sorted(
            self.order,
            key=lambda dem: (
                self.demands[dem].rank,
                -self.demands[dem].size,
                self.demands[dem].item_id,
            ),
        )
        for done, hood in enumerate(self._neighbourhoods()):
            if done >= rounds or self.all_met():
                break
            before = self.total()
            saved = self.snapshot()
            self._refill(hood, big_first)
            self.improve(passes=1)
            if self.total() <= before + EPS:
                self.load(saved)

    def _neighbourhoods(self) -> list[list[int]]:
        """The open slots of each day, then of each pair of days, in time order."""
        days: dict[int, list[int]] = {}
        for slot, when in enumerate(self.times):
            if self.problem.capacities[slot]:
                days.setdefault(when // DAY_MS, []).append(slot)
        single = [sorted(slots) for _, slots in sorted(days.items())]
        return single + [first + second for first, second in itertools.combinations(single, 2)]

    def _refill(self, hood: list[int], big_first: list[int]) -> None:
        """Empty the slots of ``hood`` and fill them again, demands in ``big_first`` order."""
        members = set(hood)
        for dem in range(len(self.picks)):
            for slot in [slot for slot in self.picks[dem] if slot in members]:
                self.unplace(dem, slot)
        for dem in big_first:
            value = self.value[dem]
            size = self.demands[dem].size
            for slot in sorted(
                (slot for slot in hood if slot in value),
                key=lambda slot: (-value[slot], -sum(self.free[slot]), slot),
            ):
                if len(self.picks[dem]) >= self.wanted[dem]:
                    break
                if slot in self.picks[dem] or self.conflicts(dem, slot):
                    continue
                segment = self.best_segment(slot, size)
                if segment >= 0:
                    self.place(dem, slot, segment)

    # -- spread polish -------------------------------------------------------------------------

    def polish(self) -> None:
        """Move single airings to equal-value sessions when that spreads them more evenly.

        Spread counts crowding between an item's own airings and, a little, how many other
        announcements share the session, so that no session is left empty while another is full.
        """
        for dem in self.order:
            demand = self.demands[dem]
            if len(self.picks[dem]) + len(demand.anchors) < 2 and not demand.preferred:
                continue
            for slot in sorted(self.picks[dem]):
                if slot not in self.picks[dem]:
                    continue
                dest = self._better_slot(dem, slot)
                if dest is not None:
                    self.unplace(dem, slot)
                    self.place(dem, dest, self.best_segment(dest, demand.size))

    def _better_slot(self, dem: int, slot: int) -> int | None:
        """An equal-value session that is better for history, then spread and balance."""
        demand = self.demands[dem]
        balance_weight = self.settings.balance_weight
        current = (
            slot in demand.preferred,
            -self.spread_cost(dem, self.picks[dem]) - balance_weight * (self.airings_in[slot] - 1),
        )
        best: tuple[tuple[bool, float], int] | None = None
        others = [other for other in self.picks[dem] if other != slot]
        for dest in demand.options:
            if dest in self.picks[dem] or self.value[dem][dest] < self.value[dem][slot] - EPS:
                continue
            if self.conflicts(dem, dest, ignore=slot):
                continue
            if self.best_segment(dest, demand.size) < 0:
                continue
            key = (
                dest in demand.preferred,
                -self.spread_cost(dem, [*others, dest]) - balance_weight * self.airings_in[dest],
            )
            better = key > current and (key[1] - current[1] > SPREAD_EPS or key[0] != current[0])
            if better and (best is None or key > best[0]):
                best = (key, dest)
        return None if best is None else best[1]

    # -- exact search --------------------------------------------------------------------------

    def exact(self) -> bool:
        """Branch and bound from the current solution; True when it proved optimality."""
        search = _BranchAndBound(self)
        search.run()
        self.load(search.best_picks)
        return not search.aborted


class _BranchAndBound:
    """Depth-first branch and bound over (demand, session) pairs of a :class:`_Search`.

    Starts from an empty station with the search's current solution as the incumbent; the
    bound fills the free time with the remaining pairs by value density (a fractional
    knapsack), so the incumbent is replaced only by a strictly better solution.
    """

    def __init__(self, search: _Search) -> None:
        self.search = search
        demands = search.demands
        order = [dem for dem in search.order if search.wanted[dem] and demands[dem].options]
        self.pairs: list[tuple[int, int, float]] = []
        for dem in order:
            value = search.value[dem]
            for slot in sorted(demands[dem].options, key=lambda slot: (-value[slot], slot)):
                self.pairs.append((dem, slot, value[slot]))
        self.pair_values = [value for _, _, value in self.pairs]
        # for the bound: each demand's first pair and the end of its pairs, by value density
        self.first_of: dict[int, int] = {}
        for index, (dem, _, _) in enumerate(self.pairs):
            self.first_of.setdefault(dem, index)
        self.end_of = {dem: self.first_of[dem] + len(demands[dem].options) for dem in self.first_of}
        self.density_order = sorted(
            self.first_of, key=lambda dem: -max(search.value[dem].values()) / demands[dem].size
        )
        self.best_value = search.total()
        self.best_picks = search.snapshot()
        self.nodes = 0
        self.budget = search.settings.exact_node_budget
        self.aborted = False

    def run(self) -> None:
        self.search.reset()
        self.dfs(0, 0.0)

    def bound(self, index: int, value: float) -> float:
        """An upper bound on the value reachable from pair ``index`` with ``value`` so far."""
        search = self.search
        wanted, picks, demands = search.wanted, search.picks, search.demands
        first_of, end_of, pair_values = self.first_of, self.end_of, self.pair_values
        room = float(sum(map(sum, search.free)))  # integers: exact in any order
        extra = 0.0
        for dem in self.density_order:
            end = end_of[dem]
            if end <= index:
                continue
            start = max(index, first_of[dem])
            left = min(wanted[dem] - len(picks[dem]), end - start)
            if left <= 0:
                continue
            # a demand's pairs run from its most valuable session down: the first is the best
            best = pair_values[start]
            size = demands[dem].size
            if room >= left * size:
                extra += left * best
                room -= left * size
            else:
                extra += best * room / size
                break
        return value + extra

    def dfs(self, index: int, value: float) -> None:
        search = self.search
        self.nodes += 1
        if self.nodes > self.budget:
            self.aborted = True
            return
        if value > self.best_value + EPS:
            self.best_value = value
            self.best_picks = search.snapshot()
        if index >= len(self.pairs) or self.bound(index, value) <= self.best_value + EPS:
            return
        dem, slot, pair_value = self.pairs[index]
        size = search.demands[dem].size
        if len(search.picks[dem]) < search.wanted[dem] and not search.conflicts(dem, slot):
            tried: set[int] = set()  # segments with equal room are interchangeable
            for segment, room in enumerate(search.free[slot]):
                if room >= size and room not in tried:
                    tried.add(room)
                    search.place(dem, slot, segment)
                    self.dfs(index + 1, value + pair_value)
                    search.unplace(dem, slot)
                    if self.aborted:
                        return
        self.dfs(index + 1, value)


def _greedy_orders(search: _Search) -> list[list[int]]:
    """The greedy starts: by value density; by rank then value; density over √options."""
    demands = search.demands
    return [
        search.order,
        sorted(
            search.order,
            key=lambda dem: (
                demands[dem].rank,
                -max(demands[dem].values, default=0.0),
                -demands[dem].size,
            ),
        ),
        sorted(
            search.order,
            key=lambda dem: (
                -max(demands[dem].values, default=0.0)
                / demands[dem].size
                * (len(demands[dem].options) or 1) ** -0.5,
            ),
        ),
    ]


def solve_station(problem: StationProblem, settings: PlannerSettings | None = None) -> Assignment:
    """The planner's assignment for one station problem (see the module docstring)."""
    settings = settings or PlannerSettings()
    search = _Search(problem, settings)
    # a few greedy orders, each improved by local search; the best wins (ties: the first)
    best: tuple[float, list[dict[int, int]]] | None = None
    for order in _greedy_orders(search):
        search.reset()
        search.greedy(order)
        search.improve()
        total = search.total()
        if best is None or total > best[0] + EPS:
            best = (total, search.snapshot())
    assert best is not None
    search.load(best[1])
    search.destroy_repair(settings.repair_rounds)
    n_options = sum(len(demand.options) for demand in problem.demands if demand.remaining)
    if n_options <= settings.exact_options_limit:
        before = search.total()
        search.exact()
        if search.total() > before + EPS:
            search.improve()
    search.polish()
    return search.assignment()
