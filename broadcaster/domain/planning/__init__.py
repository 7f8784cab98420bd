"""Weekly airtime planning: which approved items air in which sessions of every station.

The problem (see docs/architecture.md, "The planning problem") decomposes by station: a
station's sessions are its own, so each station is planned alone, and stations whose clock, time
zone, targeted items, targets and history are identical share one solution (a national week has
thousands of stations but only a few hundred distinct problems).

Per station the model is:

* a *slot* is one dated session; its free time for announcements is split into *segments* by
  fixed blocks (relays, station IDs), quiet hours (unless allowed) and the per-session limit;
* a *demand* is one item at one station: a target, a size (duration plus the configured gap
  between announcements), the slots it may use (window, dayparts, length), a minimum gap
  between the starts of the sessions it airs in, and a value per airing
  ``weight(priority) × boost(observance) / target``;
* hard: the announcements in a segment, each followed by a gap except the last, fit in it
  (``Σ (duration + gap) ≤ length + gap``); an item at most once per slot; never more airings
  than the target; minimum gaps kept; nothing in a slot that has started before ``now``
  (those are kept exactly from the previous plan);
* best: the total value (priority-weighted attainment) first; then, among equal values, the
  sessions the previous plan used, airings spread evenly over the week, priority items first.

The solver is a value-density greedy that picks each item's sessions with a small dynamic
programme (spread and minimum gap), then a local search (insert, relocate one airing to make
room, swap out cheaper airings), and an exact branch and bound on small stations. Everything is
deterministic: same values in, same plan out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from ..errors import InputError
from ..items import DEFAULT_TARGETS, Daypart, Item, ItemKind, Priority
from ..stations import WEEKDAY_LABELS_VI, BroadcastClock, Session, minutes_of
from .model import (
    ClassAttainment,
    EntryKind,
    PlanEntry,
    PlannedSession,
    PlannerSettings,
    PlanSummary,
    Shortfall,
    ShortfallReason,
    SkippedItem,
    StationInput,
    StationPlan,
    WeeklyPlan,
)
from .weeks import (
    format_duration_vi,
    nfc,
    parse_week,
    resolve_week,
    session_label,
    to_epoch_ms,
    to_ms,
    week_monday,
)

DAY_MS = 24 * 3600 * 1000
_EPS = 1e-9

# --------------------------------------------------------------------------------------------
# The per-station problem (public so that benchmarks and tests can build the exact model)
# --------------------------------------------------------------------------------------------


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
    for d, picks in zip(problem.demands, assignment, strict=True):
        value_of = dict(zip(d.options, d.values, strict=True))
        total += sum(value_of[j] for j, _ in picks)
    return total


def violations(problem: StationProblem, assignment: Assignment) -> list[str]:
    """Every hard constraint an assignment breaks (empty when feasible)."""
    out: list[str] = []
    used: dict[tuple[int, int], int] = {}
    for di, (d, picks) in enumerate(zip(problem.demands, assignment, strict=True)):
        slots = [j for j, _ in picks]
        if len(set(slots)) != len(slots):
            out.append(f"demand {di} airs twice in one session")
        if len(slots) > d.remaining:
            out.append(
                f"demand {di} airs {len(slots)} times, over its remaining target {d.remaining}"
            )
        for j, b in picks:
            if j not in d.options:
                out.append(f"demand {di} placed in slot {j}, which it may not use")
                continue
            if not 0 <= b < len(problem.capacities[j]):
                out.append(f"demand {di} placed in missing segment {b} of slot {j}")
                continue
            used[(j, b)] = used.get((j, b), 0) + d.size
        if d.gap:
            times = sorted([problem.times[j] for j in slots] + list(d.anchors))
            for a, b2 in itertools.pairwise(times):
                if b2 - a < d.gap:
                    out.append(f"demand {di} breaks its minimum gap")
    for (j, b), total in used.items():
        if total > problem.capacities[j][b]:
            out.append(
                f"segment {b} of slot {j} over capacity: {total} > {problem.capacities[j][b]}"
            )
    return out


# --------------------------------------------------------------------------------------------
# Solver
# --------------------------------------------------------------------------------------------


class _Search:
    """Greedy + local search (+ exact search when small) for one station."""

    def __init__(self, problem: StationProblem, settings: PlannerSettings) -> None:
        self.p = problem
        self.settings = settings
        self.times = problem.times
        self.free = [list(c) for c in problem.capacities]
        self.airings_in = [0] * len(problem.capacities)
        n = len(problem.demands)
        self.picks: list[dict[int, int]] = [{} for _ in range(n)]
        self.value: list[dict[int, float]] = [
            dict(zip(d.options, d.values, strict=True)) for d in problem.demands
        ]
        self.rem = [d.remaining for d in problem.demands]
        self.ideal: list[float] = []
        for d in problem.demands:
            ts = [self.times[j] for j in d.options] + list(d.anchors)
            span = (max(ts) - min(ts)) if ts else 0
            # a little under the widest possible spacing, so that items can interleave
            self.ideal.append(span / d.target if d.target > 1 and span > 0 else 0.0)
        # value per millisecond, the greedy's order
        self.order = sorted(
            range(n),
            key=lambda i: (
                -(max(problem.demands[i].values, default=0.0) / problem.demands[i].size),
                problem.demands[i].rank,
                problem.demands[i].item_id,
            ),
        )

    def reset(self) -> None:
        for di in range(len(self.picks)):
            for j in list(self.picks[di]):
                self.unplace(di, j)

    def load(self, picks: Sequence[Mapping[int, int]]) -> None:
        self.reset()
        for di, p in enumerate(picks):
            for j, b in sorted(p.items()):
                self.place(di, j, b)

    # -- primitives ---------------------------------------------------------------------------

    def conflicts(self, di: int, j: int, ignore: int = -1) -> bool:
        gap = self.p.demands[di].gap
        if gap <= 0:
            return False
        t = self.times[j]
        return any(abs(self.times[k] - t) < gap for k in self.picks[di] if k != ignore)

    def best_segment(self, j: int, size: int) -> int:
        best, best_free = -1, 0
        for b, f in enumerate(self.free[j]):
            if f >= size and (best < 0 or f < best_free):
                best, best_free = b, f
        return best

    def place(self, di: int, j: int, b: int) -> None:
        self.picks[di][j] = b
        self.free[j][b] -= self.p.demands[di].size
        self.airings_in[j] += 1

    def unplace(self, di: int, j: int) -> int:
        b = self.picks[di].pop(j)
        self.free[j][b] += self.p.demands[di].size
        self.airings_in[j] -= 1
        return b

    def total(self) -> float:
        return sum(self.value[i][j] for i in range(len(self.picks)) for j in self.picks[i])

    def assignment(self) -> Assignment:
        return tuple(tuple(sorted(p.items())) for p in self.picks)

    def penalty(self, di: int, a: int, b: int) -> float:
        """Crowding of two airings (epoch ms) of one demand: 0 when at least the ideal spacing."""
        ideal = self.ideal[di]
        if ideal <= 0:
            return 0.0
        delta = abs(b - a)
        return ((ideal - delta) / ideal) ** 2 if delta < ideal else 0.0

    def spread_cost(self, di: int, slots: Iterable[int]) -> float:
        ts = sorted([self.times[j] for j in slots] + list(self.p.demands[di].anchors))
        return sum(self.penalty(di, a, b) for a, b in itertools.pairwise(ts))

    # -- greedy --------------------------------------------------------------------------------

    def greedy(self, order: Sequence[int] | None = None) -> None:
        demands = self.p.demands
        order = self.order if order is None else order
        load = [0.0] * len(self.times)
        for i, d in enumerate(demands):
            if self.rem[i] and d.options:
                share = d.size * self.rem[i] / len(d.options)
                for j in d.options:
                    load[j] += share
        for i in order:
            d = demands[i]
            if self.rem[i] and d.options:
                share = d.size * self.rem[i] / len(d.options)
                for j in d.options:
                    load[j] -= share
                self.choose(i, load)

    def choose(self, di: int, load: Sequence[float]) -> None:
        """Pick the sessions of one demand: most airings, then value, history, room, spread."""
        d = self.p.demands[di]
        want = self.rem[di] - len(self.picks[di])
        if want <= 0:
            return
        cands: list[tuple[int, int, float]] = []  # (time, slot, score)
        for j in d.options:
            if j in self.picks[di] or self.conflicts(di, j) or self.best_segment(j, d.size) < 0:
                continue
            free = sum(self.free[j])
            pressure = max(0.0, load[j] - free) / max(free, 1)
            score = (
                self.value[di][j] * 1e6
                - min(pressure, 10.0) * 1e3
                + (100.0 if j in d.preferred else 0.0)
                # balance the sessions: each announcement already there costs a little
                - 0.3 * self.airings_in[j]
            )
            cands.append((self.times[j], j, score))
        if not cands:
            return
        cands.sort()
        chosen = self._dp(di, cands, want)
        for j in chosen:
            self.place(di, j, self.best_segment(j, d.size))

    def _dp(self, di: int, cands: list[tuple[int, int, float]], want: int) -> list[int]:
        d = self.p.demands[di]
        gap = d.gap
        existing = sorted([self.times[j] for j in self.picks[di]] + list(d.anchors))
        n = len(cands)
        neg = float("-inf")
        # base[j]: score of a first pick at j, crowding with earlier fixed airings counted
        base = []
        for t, _, s in cands:
            base.append(s - sum(self.penalty(di, e, t) for e in existing))
        # dp[c][j]: best score with c+1 picks, the last at j
        dp = [base[:]]
        back: list[list[int]] = [[-1] * n]
        best_c, best_j = 0, max(range(n), key=lambda j: (base[j], -j))
        for c in range(1, want):
            row = [neg] * n
            brow = [-1] * n
            prev = dp[-1]
            any_ok = False
            for j in range(n):
                tj = cands[j][0]
                bj, bi = neg, -1
                for i in range(j):
                    if prev[i] == neg or tj - cands[i][0] < gap or cands[i][0] == tj:
                        continue
                    v = prev[i] - self.penalty(di, cands[i][0], tj)
                    if v > bj:
                        bj, bi = v, i
                if bi >= 0:
                    # only the crowding with later fixed airings is not yet counted
                    row[j] = bj + cands[j][2] - sum(self.penalty(di, e, tj) for e in existing)
                    brow[j] = bi
                    any_ok = True
            if not any_ok:
                break
            dp.append(row)
            back.append(brow)
            best_c = c
            best_j = max(range(n), key=lambda j: (row[j], -j))
        out: list[int] = []
        c, j = best_c, best_j
        while j >= 0 and c >= 0:
            out.append(cands[j][1])
            j = back[c][j]
            c -= 1
        return out

    # -- local search --------------------------------------------------------------------------

    def improve(self, passes: int | None = None) -> None:
        for _ in range(self.settings.improve_passes if passes is None else passes):
            changed = False
            for di in self.order:
                while len(self.picks[di]) < self.rem[di] and self.try_add(di):
                    changed = True
            for di in self.order:
                if self.p.demands[di].gap and 0 < len(self.picks[di]) < self.rem[di]:
                    changed = self.reseat(di) or changed
            if not changed:
                break

    def destroy_repair(self, rounds: int) -> None:
        """Large-neighbourhood search: empty a day's sessions (or two days'), refill big-first.

        Greedy packing by value density strands room next to long items; refilling a small
        neighbourhood largest-first within each priority class often packs it tighter.
        """
        days: dict[int, list[int]] = {}
        for j, t in enumerate(self.times):
            if self.p.capacities[j]:
                days.setdefault(t // DAY_MS, []).append(j)
        groups = [sorted(v) for _, v in sorted(days.items())]
        hoods = list(groups) + [a + b for a, b in itertools.combinations(groups, 2)]
        demands = self.p.demands
        big_first = sorted(
            self.order,
            key=lambda i: (demands[i].rank, -demands[i].size, demands[i].item_id),
        )
        done = 0
        for hood in hoods:
            if done >= rounds:
                break
            if all(len(self.picks[di]) >= self.rem[di] for di in range(len(self.picks))):
                break
            done += 1
            before = self.total()
            saved = [dict(p) for p in self.picks]
            members = set(hood)
            for di in range(len(self.picks)):
                for j in [j for j in self.picks[di] if j in members]:
                    self.unplace(di, j)
            for di in big_first:
                for j in sorted(
                    (j for j in hood if j in self.value[di]),
                    key=lambda j: (-self.value[di][j], -sum(self.free[j]), j),
                ):
                    if len(self.picks[di]) >= self.rem[di]:
                        break
                    if j in self.picks[di] or self.conflicts(di, j):
                        continue
                    b = self.best_segment(j, demands[di].size)
                    if b >= 0:
                        self.place(di, j, b)
            self.improve(passes=1)
            if self.total() <= before + _EPS:
                self.load(saved)

    def reseat(self, di: int) -> bool:
        """Re-choose every airing of a gap-limited item: its first picks may block the rest."""
        before = self.total()
        saved = [dict(p) for p in self.picks]
        for j in list(self.picks[di]):
            self.unplace(di, j)
        self.choose(di, [0.0] * len(self.times))
        while len(self.picks[di]) < self.rem[di] and self.try_add(di):
            pass
        if self.total() > before + _EPS:
            return True
        self.load(saved)
        return False

    def _open_slots(self, di: int) -> list[int]:
        d = self.p.demands[di]
        slots = [j for j in d.options if j not in self.picks[di] and not self.conflicts(di, j)]
        slots.sort(
            key=lambda j: (
                -self.value[di][j],
                j not in d.preferred,
                self.spread_cost(di, [*self.picks[di], j]),
                j,
            )
        )
        return slots

    def try_add(self, di: int) -> bool:
        d = self.p.demands[di]
        slots = self._open_slots(di)
        for j in slots:  # a session with room
            b = self.best_segment(j, d.size)
            if b >= 0:
                self.place(di, j, b)
                return True
        for j in slots:  # make room by moving one airing elsewhere
            if self._relocate_for(di, j):
                return True
        return any(self._swap_in(di, j) for j in slots)  # swap out cheaper airings

    def _occupants(self, j: int, b: int) -> list[int]:
        return [ei for ei in range(len(self.picks)) if self.picks[ei].get(j) == b]

    def _relocate_for(self, di: int, j: int) -> bool:
        d = self.p.demands[di]
        v_new = self.value[di][j]
        for b in range(len(self.free[j])):
            if self.p.capacities[j][b] < d.size:
                continue
            need = d.size - self.free[j][b]
            for ei in self._occupants(j, b):
                e = self.p.demands[ei]
                if e.size < need:
                    continue
                for k in e.options:
                    if k == j or k in self.picks[ei] or self.conflicts(ei, k, ignore=j):
                        continue
                    gain = v_new + self.value[ei][k] - self.value[ei][j]
                    if gain <= _EPS:
                        continue
                    kb = self.best_segment(k, e.size)
                    if kb < 0:
                        continue
                    self.unplace(ei, j)
                    self.place(ei, k, kb)
                    self.place(di, j, b)
                    return True
        return False

    def _swap_in(self, di: int, j: int) -> bool:
        """Eject airings from a segment of ``j`` so ``di`` fits, re-placing them elsewhere.

        Tries the cheapest-first set and every single occupant big enough; applies the first
        move whose net value is positive (the objective strictly rises, so this terminates).
        """
        d = self.p.demands[di]
        v_new = self.value[di][j]
        for b in range(len(self.free[j])):
            if self.p.capacities[j][b] < d.size:
                continue
            need = d.size - self.free[j][b]
            occ = self._occupants(j, b)
            occ.sort(
                key=lambda ei: (
                    self.value[ei][j] / self.p.demands[ei].size,
                    self.p.demands[ei].item_id,
                )
            )
            candidates: list[list[int]] = []
            freed = 0
            greedy_set: list[int] = []
            for ei in occ:
                if freed >= need:
                    break
                freed += self.p.demands[ei].size
                greedy_set.append(ei)
            if freed >= need:
                candidates.append(greedy_set)
            candidates += [
                [ei] for ei in occ if self.p.demands[ei].size >= need and [ei] != greedy_set
            ]
            for out in candidates:
                log: list[tuple[bool, int, int, int]] = []  # (placed?, demand, slot, segment)
                gain = v_new
                for ei in out:
                    gain -= self.value[ei][j]
                    log.append((False, ei, j, self.unplace(ei, j)))
                self.place(di, j, b)
                log.append((True, di, j, b))
                for ei in sorted(out, key=lambda e: -self.value[e][j] / self.p.demands[e].size):
                    k = self._reinsert_slot(ei, exclude=j)
                    if k >= 0:
                        kb = self.best_segment(k, self.p.demands[ei].size)
                        self.place(ei, k, kb)
                        log.append((True, ei, k, kb))
                        gain += self.value[ei][k]
                # the room left over may take other unmet items
                for fi in self.order:
                    if fi in out or fi == di or len(self.picks[fi]) >= self.rem[fi]:
                        continue
                    if j not in self.value[fi] or j in self.picks[fi] or self.conflicts(fi, j):
                        continue
                    fb = self.best_segment(j, self.p.demands[fi].size)
                    if fb >= 0:
                        self.place(fi, j, fb)
                        log.append((True, fi, j, fb))
                        gain += self.value[fi][j]
                if gain > _EPS:
                    return True
                for placed, ei, k, kb in reversed(log):
                    if placed:
                        self.unplace(ei, k)
                    else:
                        self.place(ei, k, kb)
        return False

    def _reinsert_slot(self, ei: int, exclude: int) -> int:
        if len(self.picks[ei]) >= self.rem[ei]:
            return -1
        e = self.p.demands[ei]
        best, best_key = -1, (0.0, 0.0)
        for k in e.options:
            if k == exclude or k in self.picks[ei] or self.conflicts(ei, k):
                continue
            if self.best_segment(k, e.size) < 0:
                continue
            key = (self.value[ei][k], -self.spread_cost(ei, [*self.picks[ei], k]))
            if best < 0 or key > best_key:
                best, best_key = k, key
        return best

    # -- spread polish -------------------------------------------------------------------------

    def polish(self) -> None:
        """Move single airings to equal-value sessions when that spreads them more evenly.

        Spread counts crowding between an item's own airings and, a little, how many other
        announcements share the session, so that no session is left empty while another is full.
        """
        for di in self.order:
            d = self.p.demands[di]
            if len(self.picks[di]) + len(d.anchors) < 2 and not d.preferred:
                continue
            for j in sorted(self.picks[di]):
                if j not in self.picks[di]:
                    continue
                cur_key = (
                    j in d.preferred,
                    -self.spread_cost(di, self.picks[di]) - 0.3 * (self.airings_in[j] - 1),
                )
                best: tuple[tuple[bool, float], int] | None = None
                others = [k for k in self.picks[di] if k != j]
                for k in d.options:
                    if k in self.picks[di] or self.value[di][k] < self.value[di][j] - _EPS:
                        continue
                    if self.conflicts(di, k, ignore=j):
                        continue
                    if self.best_segment(k, d.size) < 0:
                        continue
                    key = (
                        k in d.preferred,
                        -self.spread_cost(di, [*others, k]) - 0.3 * self.airings_in[k],
                    )
                    better = key > cur_key and (key[1] - cur_key[1] > 1e-6 or key[0] != cur_key[0])
                    if better and (best is None or key > best[0]):
                        best = (key, k)
                if best is not None:
                    k = best[1]
                    self.unplace(di, j)
                    self.place(di, k, self.best_segment(k, d.size))

    # -- exact search --------------------------------------------------------------------------

    def exact(self) -> bool:
        """Branch and bound from the current solution; True when it proved optimality."""
        demands = self.p.demands
        order = [di for di in self.order if self.rem[di] and demands[di].options]
        pairs: list[tuple[int, int, float]] = []
        for di in order:
            for j in sorted(demands[di].options, key=lambda j: (-self.value[di][j], j)):
                pairs.append((di, j, self.value[di][j]))
        n_pairs = len(pairs)
        # for the bound: remaining options of each demand from each position, max value
        first_of: dict[int, int] = {}
        for idx, (di, _, _) in enumerate(pairs):
            first_of.setdefault(di, idx)
        end_of = {di: first_of[di] + len(demands[di].options) for di in first_of}
        dens_order = sorted(
            first_of, key=lambda di: -max(self.value[di].values()) / demands[di].size
        )
        saved = [dict(p) for p in self.picks]
        best_val = self.total()
        best_sol = [dict(p) for p in self.picks]
        # start the search from empty
        for di in range(len(self.picks)):
            for j in list(self.picks[di]):
                self.unplace(di, j)
        nodes = 0
        budget = self.settings.exact_node_budget
        aborted = False

        def bound(idx: int, val: float) -> float:
            room = float(sum(sum(f) for f in self.free))
            extra = 0.0
            for di in dens_order:
                end = end_of[di]
                if end <= idx:
                    continue
                start = max(idx, first_of[di])
                left = min(self.rem[di] - len(self.picks[di]), end - start)
                if left <= 0:
                    continue
                v = max(pairs[k][2] for k in range(start, end))
                size = demands[di].size
                if room >= left * size:
                    extra += left * v
                    room -= left * size
                else:
                    extra += v * room / size
                    break
            return val + extra

        def dfs(idx: int, val: float) -> None:
            nonlocal nodes, best_val, best_sol, aborted
            nodes += 1
            if nodes > budget:
                aborted = True
                return
            if val > best_val + _EPS:
                best_val = val
                best_sol = [dict(p) for p in self.picks]
            if idx >= n_pairs or bound(idx, val) <= best_val + _EPS:
                return
            di, j, v = pairs[idx]
            d = demands[di]
            if len(self.picks[di]) < self.rem[di] and not self.conflicts(di, j):
                tried: set[int] = set()
                for b, f in enumerate(self.free[j]):
                    if f >= d.size and f not in tried:
                        tried.add(f)
                        self.place(di, j, b)
                        dfs(idx + 1, val + v)
                        self.unplace(di, j)
                        if aborted:
                            return
            dfs(idx + 1, val)

        dfs(0, 0.0)
        chosen = best_sol if best_val > self.total() else saved
        for di in range(len(self.picks)):
            for j in list(self.picks[di]):
                self.unplace(di, j)
        for di, p in enumerate(chosen):
            for j, b in sorted(p.items()):
                self.place(di, j, b)
        return not aborted


def solve_station(problem: StationProblem, settings: PlannerSettings | None = None) -> Assignment:
    """The planner's assignment for one station problem."""
    settings = settings or PlannerSettings()
    search = _Search(problem, settings)
    # a few greedy orders, each improved by local search; the best wins (ties: the first)
    demands = problem.demands
    orders = [
        search.order,
        sorted(
            search.order,
            key=lambda i: (demands[i].rank, -max(demands[i].values, default=0.0), -demands[i].size),
        ),
        sorted(
            search.order,
            key=lambda i: (
                -max(demands[i].values, default=0.0)
                / demands[i].size
                * (len(demands[i].options) or 1) ** -0.5,
            ),
        ),
    ]
    best: tuple[float, list[dict[int, int]]] | None = None
    for order in orders:
        search.reset()
        search.greedy(order)
        search.improve()
        total = search.total()
        if best is None or total > best[0] + _EPS:
            best = (total, [dict(p) for p in search.picks])
    assert best is not None
    search.load(best[1])
    search.destroy_repair(settings.repair_rounds)
    n_options = sum(len(d.options) for d in problem.demands if d.remaining)
    if n_options <= settings.exact_options_limit:
        before = search.total()
        search.exact()
        if search.total() > before + _EPS:
            search.improve()
    search.polish()
    return search.assignment()


# --------------------------------------------------------------------------------------------
# Compiling stations into problems
# --------------------------------------------------------------------------------------------


def _free_segments(session: Session, clock: BroadcastClock) -> list[tuple[float, float]]:
    """Free stretches of a session in minutes of the day."""
    s0 = float(session.start_minute)
    e0 = session.end_minute
    if clock.max_minutes_per_session is not None:
        e0 = min(e0, s0 + clock.max_minutes_per_session)
    busy: list[tuple[float, float]] = [(b.start_minute, b.end_minute) for b in session.fixed_blocks]
    if not clock.allow_quiet_hours:
        qs, qe = minutes_of(clock.quiet_hours.start), minutes_of(clock.quiet_hours.end)
        if qs != qe:
            spans = [(qs, qe)] if qs < qe else [(qs, 24 * 60), (0, qe)]
            for off in (0, 24 * 60):
                busy += [(a + off, b + off) for a, b in spans]
    free: list[tuple[float, float]] = []
    cursor = s0
    for a, b in sorted(busy):
        if b <= cursor or a >= e0:
            continue
        if a > cursor:
            free.append((cursor, min(a, e0)))
        cursor = max(cursor, b)
        if cursor >= e0:
            break
    if cursor < e0:
        free.append((cursor, e0))
    return [(a, b) for a, b in free if b - a > 0]


@dataclass
class _ClockWeek:
    """A clock laid over one week in one time zone (shared by stations that keep it)."""

    slots: list[Slot]
    capacities: tuple[tuple[int, ...], ...]
    # per item index: (options, values) before per-station adjustments
    options: dict[int, tuple[tuple[int, ...], tuple[float, ...]]]
    usable: dict[int, tuple[int, ...]]  # per item: non-frozen slots in its window and dayparts


def _lay_clock(
    clock: BroadcastClock, tz: tzinfo, monday: date, now: datetime | None, gap_ms: int
) -> tuple[list[Slot], tuple[tuple[int, ...], ...]]:
    slots: list[Slot] = []
    caps: list[tuple[int, ...]] = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        sessions = clock.sessions_on(day.weekday())
        if clock.max_sessions_per_day is not None:
            sessions = sessions[: clock.max_sessions_per_day]
        for session in sessions:
            start = datetime.combine(day, session.start, tzinfo=tz)
            end = start + session.length
            frozen = now is not None and start < now
            segs = tuple(
                (round((a - session.start_minute) * 60000), round((b - a) * 60000))
                for a, b in _free_segments(session, clock)
            )
            slots.append(Slot(day, session, start, end, segs, frozen, to_epoch_ms(start)))
            caps.append(() if frozen else tuple(length + gap_ms for _, length in segs))
    return slots, tuple(caps)


def _boost(item: Item, day: date, settings: PlannerSettings) -> float:
    for obs in item.observances:
        for year in (day.year - 1, day.year, day.year + 1):
            when = obs.on(year)
            if when is not None and abs((when - day).days) <= settings.observance_window_days:
                return settings.observance_boost
    return 1.0


def _item_fits_slot(item: Item, slot: Slot, duration_ms: int) -> bool:
    if not item.is_valid_on(slot.day):
        return False
    if item.dayparts and Daypart.of_minute(slot.session.start_minute) not in item.dayparts:
        return False
    return any(length >= duration_ms for _, length in slot.segments)


def _target(item: Item, code: str, settings: PlannerSettings) -> int:
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


def _eligible(
    items: Sequence[Item], monday: date
) -> tuple[list[tuple[int, Item]], list[SkippedItem]]:
    ok: list[tuple[int, Item]] = []
    skipped: list[SkippedItem] = []
    seen: set[int] = set()
    days = [monday + timedelta(days=i) for i in range(7)]
    for idx, item in enumerate(items):
        title = nfc(item.title)
        reason = None
        if item.id is None:
            raise InputError(f"item {title!r} has no id; save it before planning")
        if item.id in seen:
            raise InputError(f"item id {item.id} is given twice; each item must be given once")
        seen.add(item.id)
        if item.priority is Priority.EMERGENCY:
            reason = "khẩn cấp: phát ngay qua lệnh phát khẩn, không xếp lịch"
        elif item.kind is not ItemKind.PROPAGANDA:
            reason = "nội dung hành chính, không phát sóng"
        elif not item.approval.approved:
            reason = "chưa được duyệt"
        elif item.effective_duration is None or item.effective_duration <= timedelta():
            reason = "chưa có thời lượng (chưa có kịch bản hoặc âm thanh)"
        elif not any(item.is_valid_on(d) for d in days):
            reason = "ngoài thời hạn hiệu lực trong tuần này"
        if reason:
            skipped.append(SkippedItem(item.id, title, reason))
        else:
            ok.append((idx, item))
    return ok, skipped


# --------------------------------------------------------------------------------------------
# Layout inside a session
# --------------------------------------------------------------------------------------------


def _layout(
    slot: Slot,
    placed: Sequence[tuple[Item, int]],  # (item, segment chosen by the solver)
    settings: PlannerSettings,
    gap_ms: int,
    basis: Mapping[int, str],
) -> PlannedSession:
    def dur(item: Item) -> int:
        d = item.effective_duration
        assert d is not None
        return to_ms(d)

    def key(entry: tuple[Item, int]) -> tuple[int, int]:
        item = entry[0]
        assert item.id is not None
        return (item.priority.rank, item.id)

    ordered = sorted(placed, key=key)
    # priority items lead: first-fit in priority order over the segments in time order;
    # if that packing fails, keep the solver's segments and order each one by priority
    caps = [length + gap_ms for _, length in slot.segments]
    by_segment: list[list[Item]] = [[] for _ in slot.segments]
    ok = True
    for item, _ in ordered:
        size = dur(item) + gap_ms
        for b in range(len(caps)):
            if caps[b] >= size:
                caps[b] -= size
                by_segment[b].append(item)
                break
        else:
            ok = False
            break
    if not ok:
        by_segment = [[] for _ in slot.segments]
        for item, b in ordered:
            by_segment[b].append(item)

    timed: list[tuple[int, int, EntryKind, str, int | None, Priority | None, str]] = []
    for (offset, _), seg_items in zip(slot.segments, by_segment, strict=True):
        cursor = offset
        for n, item in enumerate(seg_items):
            if n and gap_ms:
                timed.append(
                    (cursor, gap_ms, settings.gap_kind, settings.gap_title, None, None, "")
                )
                cursor += gap_ms
            assert item.id is not None
            d = dur(item)
            timed.append(
                (
                    cursor,
                    d,
                    EntryKind.ANNOUNCEMENT,
                    nfc(item.title),
                    item.id,
                    item.priority,
                    basis.get(item.id, ""),
                )
            )
            cursor += d
    s0 = slot.session.start_minute
    for block in slot.session.fixed_blocks:
        off = round((block.start_minute - s0) * 60000)
        timed.append(
            (
                off,
                to_ms(block.length),
                EntryKind.FIXED_BLOCK,
                nfc(block.title),
                None,
                None,
                block.source,
            )
        )
    timed.sort(key=lambda t: (t[0], t[2] is not EntryKind.FIXED_BLOCK))
    entries = tuple(
        PlanEntry(
            position=n + 1,
            start=slot.start + timedelta(milliseconds=off),
            duration=timedelta(milliseconds=length),
            kind=kind,
            title=title,
            item_id=item_id,
            priority=prio,
            basis=basis_text,
        )
        for n, (off, length, kind, title, item_id, prio, basis_text) in enumerate(timed)
    )
    capacity = timedelta(milliseconds=sum(length for _, length in slot.segments))
    return PlannedSession(
        day=slot.day,
        name=slot.session.name,
        start=slot.start,
        end=slot.end,
        capacity=capacity,
        entries=entries,
        frozen=False,
    )


def _frozen_session(slot: Slot, previous: PlannedSession | None) -> PlannedSession:
    if previous is not None:
        return previous if previous.frozen else _refreeze(previous)
    fixed = tuple(
        PlanEntry(
            position=n + 1,
            start=slot.start + timedelta(minutes=b.start_minute - slot.session.start_minute),
            duration=b.length,
            kind=EntryKind.FIXED_BLOCK,
            title=nfc(b.title),
            basis=b.source,
        )
        for n, b in enumerate(sorted(slot.session.fixed_blocks, key=lambda b: b.start_minute))
    )
    return PlannedSession(
        day=slot.day,
        name=slot.session.name,
        start=slot.start,
        end=slot.end,
        capacity=timedelta(milliseconds=sum(length for _, length in slot.segments)),
        entries=fixed,
        frozen=True,
    )


def _refreeze(s: PlannedSession) -> PlannedSession:
    return PlannedSession(s.day, s.name, s.start, s.end, s.capacity, s.entries, True)


# --------------------------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------------------------


def _day_list(days: Iterable[date]) -> str:
    ordered = sorted(set(days))
    labels = [WEEKDAY_LABELS_VI[d.weekday()] for d in ordered]
    if len(ordered) >= 3 and all((b - a).days == 1 for a, b in itertools.pairwise(ordered)):
        return f"{labels[0]}–{labels[-1]}"
    return ", ".join(labels)


def _fmt_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}"


def _gap_text(ms: int) -> str:
    hours = ms / 3_600_000
    if hours >= 24 and hours % 24 == 0:
        return f"{int(hours // 24)} ngày"
    if hours >= 1:
        return f"{hours:g} giờ"
    return format_duration_vi(ms)


def _max_by_gap(times: Sequence[int], gap: int, anchors: Sequence[int]) -> int:
    count = 0
    last: int | None = None
    for t in sorted(times):
        if any(abs(t - a) < gap for a in anchors):
            continue
        if last is None or t - last >= gap:
            count += 1
            last = t
    return count


@dataclass(frozen=True)
class _Why:
    reason: ShortfallReason
    detail: str  # Vietnamese, without the leading "Mục …: a/b lần tại …"
    sessions: tuple[str, ...]
    competitors: tuple[int, ...]


def _explain(
    item: Item,
    di: int,
    demand: Demand,
    planned: int,
    slots: Sequence[Slot],
    problem: StationProblem,
    search_free: Sequence[Sequence[int]],
    picks: Sequence[Mapping[int, int]],
    items_by_index: Mapping[int, Item],
) -> _Why:
    target = demand.target
    duration = demand.duration
    in_window = [
        j
        for j, s in enumerate(slots)
        if item.is_valid_on(s.day)
        and (not item.dayparts or Daypart.of_minute(s.session.start_minute) in item.dayparts)
    ]
    live = [j for j in in_window if not slots[j].frozen]
    elapsed = [j for j in in_window if slots[j].frozen]
    if not slots:
        return _Why(
            ShortfallReason.NO_SESSIONS,
            "trạm không có buổi phát nào trong tuần; thêm buổi phát vào lịch phát sóng của trạm",
            (),
            (),
        )
    window_text = ""
    if item.valid_from or item.valid_until:
        a = _fmt_date(item.valid_from) if item.valid_from else "…"
        b = _fmt_date(item.valid_until) if item.valid_until else "…"
        window_text = f" trong thời hạn {a}–{b}"
    if item.dayparts:
        names = {"morning": "sáng", "noon": "trưa", "evening": "chiều/tối"}
        window_text += " ở khung " + ", ".join(names[p.value] for p in sorted(item.dayparts))
    if len(live) + demand.already < target:
        if elapsed and len(in_window) + 0 >= target:
            return _Why(
                ShortfallReason.ELAPSED,
                f"{len(elapsed)} buổi{window_text} đã qua khi lập lại kế hoạch, chỉ còn {len(live)} buổi; "
                f"giảm chỉ tiêu xuống {len(live) + demand.already} hoặc bổ sung buổi phát",
                tuple(slots[j].label for j in elapsed),
                (),
            )
        fix = (
            "kéo dài thời hạn hiệu lực" if item.valid_from or item.valid_until else "thêm buổi phát"
        )
        if item.dayparts:
            fix += " hoặc mở rộng khung giờ"
        return _Why(
            ShortfallReason.WINDOW,
            f"chỉ có {len(live)} buổi phát{window_text}; {fix}, hoặc giảm chỉ tiêu xuống "
            f"{len(live) + demand.already}",
            tuple(slots[j].label for j in live),
            (),
        )
    longest = max((length for j in live for _, length in slots[j].segments), default=0)
    if duration > longest:
        return _Why(
            ShortfallReason.TOO_LONG,
            f"bài dài {format_duration_vi(duration)}, dài hơn khoảng trống dài nhất của buổi phát "
            f"({format_duration_vi(longest)}); rút ngắn bài hoặc kéo dài buổi phát",
            (),
            (),
        )
    fits = [j for j in live if any(length >= duration for _, length in slots[j].segments)]
    if demand.gap:
        most = _max_by_gap([problem.times[j] for j in fits], demand.gap, demand.anchors)
        if most + demand.already < target and planned >= most + demand.already:
            return _Why(
                ShortfallReason.MIN_GAP,
                f"khoảng cách tối thiểu {_gap_text(demand.gap)} giữa hai lần phát chỉ cho phép "
                f"{most + demand.already} lần trong tuần; giảm khoảng cách hoặc giảm chỉ tiêu",
                (),
                (),
            )
    return _capacity_why(di, demand, fits, slots, search_free, picks, items_by_index, problem)


def _capacity_why(
    my_index: int,
    demand: Demand,
    fits: Sequence[int],
    slots: Sequence[Slot],
    search_free: Sequence[Sequence[int]],
    picks: Sequence[Mapping[int, int]],
    items_by_index: Mapping[int, Item],
    problem: StationProblem,
) -> _Why:
    mine = picks[my_index]
    full = [j for j in fits if j not in mine and max(search_free[j], default=0) < demand.size]
    blocked = [j for j in fits if j not in mine and j not in full]
    # who fills those sessions: the cheapest item there is the one to trim
    occupancy: dict[int, int] = {}
    for ei, p in enumerate(picks):
        if ei == my_index:
            continue
        for j in full:
            if j in p:
                occupancy[ei] = occupancy.get(ei, 0) + problem.demands[ei].size
    competitors = sorted(
        occupancy,
        key=lambda ei: (
            -problem.demands[ei].rank,
            problem.demands[ei].weight,
            -occupancy[ei],
            problem.demands[ei].item_id,
        ),
    )
    comp_ids = tuple(problem.demands[ei].item_id for ei in competitors[:3])
    labels = tuple(slots[j].label for j in full)
    parts: list[str] = []
    if full:
        names = sorted({slots[j].session.name for j in full})
        parts.append(
            f"các buổi phát đã kín vào {_day_list(slots[j].day for j in full)} ({', '.join(names)})"
        )
    if blocked and demand.gap:
        parts.append(
            f"{len(blocked)} buổi còn chỗ nhưng quá gần lần phát khác "
            f"(khoảng cách tối thiểu {_gap_text(demand.gap)})"
        )
    fixes = []
    if full:
        names = sorted({slots[j].session.name for j in full})
        fixes.append(f"kéo dài buổi {', '.join(names)}")
    if competitors:
        first = items_by_index[problem.demands[competitors[0]].item_index]
        fixes.append(f"giảm chỉ tiêu của mục {first.id} «{nfc(first.title)}»")
    else:
        fixes.append("giảm chỉ tiêu")
    if blocked and demand.gap:
        fixes.append("giảm khoảng cách tối thiểu")
    detail = "; ".join(parts) if parts else "không đủ thời lượng trống trong các buổi phát"
    return _Why(
        ShortfallReason.CAPACITY if full or not demand.gap else ShortfallReason.MIN_GAP,
        f"{detail}; {' hoặc '.join(fixes)}",
        labels,
        comp_ids,
    )


# --------------------------------------------------------------------------------------------
# The planner
# --------------------------------------------------------------------------------------------


@dataclass
class _Solved:
    assignment: Assignment
    sessions: dict[int, PlannedSession]  # non-frozen slot index → laid-out session
    whys: dict[int, tuple[int, _Why]]  # demand index → (planned incl. already, why)


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
    settings = settings or PlannerSettings()
    if now is not None and now.tzinfo is None:
        raise InputError("'now' must be an aware datetime (with a time zone)")
    monday = resolve_week(week)
    iso = monday.isocalendar()
    gap_ms = to_ms(settings.announcement_gap)
    eligible, skipped = _eligible(items, monday)
    basis = {
        item.id: "; ".join(ref.describe() for ref in item.basis)
        for _, item in eligible
        if item.id is not None
    }
    items_by_index = dict(eligible)
    duration_ms = {idx: to_ms(item.effective_duration or timedelta()) for idx, item in eligible}
    prev_by_station = {s.code: s for s in previous.stations} if previous is not None else {}

    clock_cache: dict[tuple[BroadcastClock, tzinfo], _ClockWeek] = {}
    solve_cache: dict[tuple[int, tuple[Demand, ...]], _Solved] = {}
    clock_ids: dict[tuple[BroadcastClock, tzinfo], int] = {}

    station_plans: list[StationPlan] = []
    shortfalls: list[Shortfall] = []
    class_target: dict[Priority, int] = {}
    class_planned: dict[Priority, int] = {}
    placed_items: set[int] = set()
    targeted_items: set[int] = set()
    total_value = 0.0
    total_cap = 0
    total_used = timedelta()
    n_sessions = 0

    seen_codes: set[str] = set()
    for st in stations:
        code = st.station.code
        if code in seen_codes:
            raise InputError(f"station {code!r} is given twice")
        seen_codes.add(code)
        ckey = (st.clock, st.tz)
        cw = clock_cache.get(ckey)
        if cw is None:
            slots, caps = _lay_clock(st.clock, st.tz, monday, now, gap_ms)
            options: dict[int, tuple[tuple[int, ...], tuple[float, ...]]] = {}
            usable: dict[int, tuple[int, ...]] = {}
            boosts: dict[tuple[int, date], float] = {}
            for idx, item in eligible:
                opts = tuple(
                    j
                    for j, s in enumerate(slots)
                    if not s.frozen and _item_fits_slot(item, s, duration_ms[idx])
                )
                vals: list[float] = []
                for j in opts:
                    day = slots[j].day
                    if (idx, day) not in boosts:
                        boosts[(idx, day)] = _boost(item, day, settings)
                    vals.append(boosts[(idx, day)] * settings.weight(item.priority))
                options[idx] = (opts, tuple(vals))
                usable[idx] = opts
            cw = _ClockWeek(slots, caps, options, usable)
            clock_cache[ckey] = cw
            clock_ids[ckey] = len(clock_ids)
        slots = cw.slots

        # history from the previous plan
        prev = prev_by_station.get(code)
        prev_sessions: dict[tuple[date, str], PlannedSession] = (
            {(s.day, s.name): s for s in prev.sessions} if prev is not None else {}
        )
        already: dict[int, list[int]] = {}  # item id → frozen airing times
        preferred: dict[int, set[int]] = {}
        for j, s in enumerate(slots):
            ps = prev_sessions.get((s.day, s.session.name))
            if ps is None:
                continue
            for iid in ps.item_ids():
                if s.frozen:
                    already.setdefault(iid, []).append(s.time_ms)
                else:
                    preferred.setdefault(iid, set()).add(j)

        demands: list[Demand] = []
        for idx, item in eligible:
            assert item.id is not None
            if item.stations and code not in item.stations and not (item.stations & st.groups):
                continue
            target = _target(item, code, settings)
            if target <= 0:
                continue
            opts, opt_vals = cw.options[idx]
            per = 1.0 / target
            anchors = tuple(sorted(already.get(item.id, ())))
            gap = to_ms(item.min_gap) if item.min_gap else 0
            if anchors and gap:
                keep = [
                    (j, v)
                    for j, v in zip(opts, opt_vals, strict=True)
                    if all(abs(slots[j].time_ms - a) >= gap for a in anchors)
                ]
                opts = tuple(j for j, _ in keep)
                opt_vals = tuple(v for _, v in keep)
            demands.append(
                Demand(
                    item_index=idx,
                    item_id=item.id,
                    duration=duration_ms[idx],
                    size=duration_ms[idx] + gap_ms,
                    target=target,
                    already=len(anchors),
                    weight=settings.weight(item.priority),
                    rank=item.priority.rank,
                    gap=gap,
                    options=opts,
                    values=tuple(v * per for v in opt_vals),
                    anchors=anchors,
                    preferred=frozenset(preferred.get(item.id, ())),
                )
            )
        dkey = (clock_ids[ckey], tuple(demands))
        solved = solve_cache.get(dkey)
        problem = StationProblem(tuple(s.time_ms for s in slots), cw.capacities, tuple(demands))
        if solved is None:
            assignment = solve_station(problem, settings)
            per_slot: dict[int, list[tuple[Item, int]]] = {}
            for d, picks in zip(demands, assignment, strict=True):
                for j, b in picks:
                    per_slot.setdefault(j, []).append((items_by_index[d.item_index], b))
            laid = {
                j: _layout(s, per_slot.get(j, []), settings, gap_ms, basis)
                for j, s in enumerate(slots)
                if not s.frozen
            }
            free = [list(c) for c in cw.capacities]
            pick_maps: list[dict[int, int]] = []
            for d, picks in zip(demands, assignment, strict=True):
                pick_maps.append(dict(picks))
                for j, b in picks:
                    free[j][b] -= d.size
            whys: dict[int, tuple[int, _Why]] = {}
            for di, (d, picks) in enumerate(zip(demands, assignment, strict=True)):
                got = len(picks) + d.already
                if got < d.target:
                    whys[di] = (
                        got,
                        _explain(
                            items_by_index[d.item_index],
                            di,
                            d,
                            got,
                            slots,
                            problem,
                            free,
                            pick_maps,
                            items_by_index,
                        ),
                    )
            solved = _Solved(assignment, laid, whys)
            solve_cache[dkey] = solved

        sessions: list[PlannedSession] = []
        for j, s in enumerate(slots):
            if s.frozen:
                sessions.append(_frozen_session(s, prev_sessions.get((s.day, s.session.name))))
            else:
                sessions.append(solved.sessions[j])
        # past sessions of the previous plan that the clock no longer has are kept too
        known = {(s.day, s.session.name) for s in slots}
        for key, ps in prev_sessions.items():
            if key not in known and now is not None and ps.start < now:
                sessions.append(_refreeze(ps))
        sessions.sort(key=lambda s: (s.start, s.name))
        station_plans.append(
            StationPlan(code, nfc(st.station.name), st.clock.timezone, tuple(sessions))
        )

        for di, (d, picks) in enumerate(zip(demands, solved.assignment, strict=True)):
            item = items_by_index[d.item_index]
            assert item.id is not None
            got = len(picks) + d.already
            class_target[item.priority] = class_target.get(item.priority, 0) + d.target
            class_planned[item.priority] = class_planned.get(item.priority, 0) + min(got, d.target)
            targeted_items.add(item.id)
            if got:
                placed_items.add(item.id)
            total_value += sum(dict(zip(d.options, d.values, strict=True))[j] for j, _ in picks)
            if di in solved.whys:
                _, why = solved.whys[di]
                head = (
                    f"Mục {item.id} «{nfc(item.title)}» ({item.priority.label_vi}): "
                    f"{got}/{d.target} lần tại {nfc(st.station.name)}"
                )
                shortfalls.append(
                    Shortfall(
                        station_code=code,
                        station_name=nfc(st.station.name),
                        item_id=item.id,
                        item_title=nfc(item.title),
                        priority=item.priority,
                        target=d.target,
                        planned=got,
                        reason=why.reason,
                        message=f"{head} — {why.detail}.",
                        sessions=why.sessions,
                        competitors=why.competitors,
                    )
                )
        for ps in sessions:
            n_sessions += 1
            total_cap += to_ms(ps.capacity)
            total_used += ps.used

    attainment = tuple(
        ClassAttainment(p, class_target.get(p, 0), class_planned.get(p, 0))
        for p in (Priority.PRIORITY, Priority.NORMAL)
        if p in class_target
    )
    summary = PlanSummary(
        attainment=attainment,
        sessions=n_sessions,
        capacity=timedelta(milliseconds=total_cap),
        used=total_used,
        unplaced=tuple(sorted(targeted_items - placed_items)),
        skipped=tuple(skipped),
        objective=total_value,
        stations=len(station_plans),
        distinct_problems=len(solve_cache),
    )
    shortfalls.sort(key=lambda s: (s.priority.rank, s.item_id, s.station_code))
    return WeeklyPlan(
        year=iso[0],
        week=iso[1],
        monday=monday,
        stations=tuple(station_plans),
        shortfalls=tuple(shortfalls),
        summary=summary,
        office=office,
        created_at=now,
    )


def compile_station(
    station: StationInput,
    items: Sequence[Item],
    week: date | tuple[int, int] | str,
    settings: PlannerSettings | None = None,
    *,
    now: datetime | None = None,
) -> tuple[list[Slot], StationProblem]:
    """The solver's problem for one station (no history), for benchmarks and exact references."""
    settings = settings or PlannerSettings()
    monday = resolve_week(week)
    gap_ms = to_ms(settings.announcement_gap)
    eligible, _ = _eligible(items, monday)
    slots, caps = _lay_clock(station.clock, station.tz, monday, now, gap_ms)
    code = station.station.code
    demands: list[Demand] = []
    for idx, item in eligible:
        assert item.id is not None and item.effective_duration is not None
        if item.stations and code not in item.stations and not (item.stations & station.groups):
            continue
        target = _target(item, code, settings)
        if target <= 0:
            continue
        dur = to_ms(item.effective_duration)
        opts = tuple(
            j for j, s in enumerate(slots) if not s.frozen and _item_fits_slot(item, s, dur)
        )
        w = settings.weight(item.priority)
        demands.append(
            Demand(
                item_index=idx,
                item_id=item.id,
                duration=dur,
                size=dur + gap_ms,
                target=target,
                already=0,
                weight=w,
                rank=item.priority.rank,
                gap=to_ms(item.min_gap) if item.min_gap else 0,
                options=opts,
                values=tuple(_boost(item, slots[j].day, settings) * w / target for j in opts),
            )
        )
    return slots, StationProblem(tuple(s.time_ms for s in slots), caps, tuple(demands))


__all__ = [
    "Assignment",
    "ClassAttainment",
    "Demand",
    "EntryKind",
    "PlanEntry",
    "PlanSummary",
    "PlannedSession",
    "PlannerSettings",
    "Shortfall",
    "ShortfallReason",
    "SkippedItem",
    "Slot",
    "StationInput",
    "StationPlan",
    "StationProblem",
    "WeeklyPlan",
    "compile_station",
    "format_duration_vi",
    "objective",
    "parse_week",
    "plan_week",
    "resolve_week",
    "session_label",
    "solve_station",
    "violations",
    "week_monday",
]
