"""Benchmark the weekly planner against an exact MILP optimum, and time a national week.

    .venv/bin/python scripts/bench_planner.py [--quick] [--instances N] [--seed S]

For each generated station-week (realistic clocks with relays; items with mixed priorities,
windows, targets, durations, dayparts, minimum gaps and observance days; both over- and
under-subscribed weeks) the planner's priority-weighted attainment is compared with the optimum
of the same model solved as a MILP by HiGHS (highspy). Then a national week (3,321 stations,
40 items) is planned and timed. The last printed line is a one-line summary.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock_time
from datetime import date, datetime, time, timedelta, timezone

from broadcaster.domain.items import Approval, ApprovalState, Daypart, Item, Observance, Priority
from broadcaster.domain.planning import (
    PlannerSettings,
    StationInput,
    StationProblem,
    compile_station,
    objective,
    plan_week,
    solve_station,
    violations,
)
from broadcaster.domain.stations import (
    BlockKind,
    BroadcastClock,
    FixedBlock,
    Session,
    Station,
    StationKind,
)

TZ = timezone(timedelta(hours=7), "ICT")
WEEK = (2026, 48)
MONDAY = date.fromisocalendar(*WEEK, 1)
APPROVED = Approval(ApprovalState.APPROVED, "bench", datetime(2026, 11, 1, tzinfo=TZ))
ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(6))


def _relay(start: time, minutes: int, title: str = "Tiếp âm Đài TNVN") -> FixedBlock:
    return FixedBlock(BlockKind.RELAY, title, start, timedelta(minutes=minutes))


def random_clock(rng: random.Random) -> BroadcastClock:
    """A commune clock like the ones provinces prescribe: 2–3 sessions, relays at fixed times."""
    sessions: list[Session] = []
    m_len = rng.choice([20, 30, 30, 45, 60])
    m_start = rng.choice([time(5, 30), time(5, 30), time(6, 0)])
    m_blocks: tuple[FixedBlock, ...] = ()
    if rng.random() < 0.6 and m_start == time(5, 30) and m_len >= 45:
        m_blocks = (_relay(time(6, 0), rng.choice([15, 15, 20])),)  # VOV 06:00 news relay
    elif rng.random() < 0.3:
        m_blocks = (FixedBlock(BlockKind.STATION_ID, "Nhạc hiệu", m_start, timedelta(minutes=1)),)
    sessions.append(Session("Sáng", ALL_DAYS, m_start, timedelta(minutes=m_len), m_blocks))
    if rng.random() < 0.3:
        sessions.append(
            Session("Trưa", WEEKDAYS, time(11, 30), timedelta(minutes=rng.choice([15, 20])))
        )
    e_len = rng.choice([15, 20, 30, 30, 45])
    e_start = rng.choice([time(17, 0), time(17, 0), time(17, 30)])
    e_blocks: tuple[FixedBlock, ...] = ()
    if rng.random() < 0.4 and e_start == time(17, 30) and e_len >= 45:
        e_blocks = (_relay(time(18, 0), 15),)
    days = ALL_DAYS if rng.random() < 0.8 else WEEKDAYS
    sessions.append(Session("Chiều", days, e_start, timedelta(minutes=e_len), e_blocks))
    return BroadcastClock(sessions=tuple(sessions))


def random_items(rng: random.Random, n: int, load: float, first_id: int = 1) -> list[Item]:
    """Items for one week; ``load`` scales durations (over 1: more than the sessions hold)."""
    items: list[Item] = []
    for k in range(n):
        prio = Priority.PRIORITY if rng.random() < 0.25 else Priority.NORMAL
        seconds = rng.choice([45, 60, 90, 120, 150, 180, 240, 300, 360]) * load
        start = end = None
        if rng.random() < 0.35:
            a = rng.randrange(0, 6)
            b = rng.randrange(a, 7)
            start, end = MONDAY + timedelta(days=a), MONDAY + timedelta(days=b)
        target = None if rng.random() < 0.5 else rng.choice([1, 2, 3, 4, 5, 6, 7, 10])
        dayparts: frozenset[Daypart] = frozenset()
        if rng.random() < 0.15:
            dayparts = frozenset({rng.choice([Daypart.MORNING, Daypart.EVENING])})
        gap = None
        if rng.random() < 0.25:
            gap = timedelta(hours=rng.choice([12, 20, 24, 48]))
        observances: tuple[Observance, ...] = ()
        if rng.random() < 0.1:
            d = MONDAY + timedelta(days=rng.randrange(7))
            observances = (Observance("Ngày kỷ niệm", d.month, d.day),)
        items.append(
            Item(
                title=f"Tin bài {first_id + k}",
                id=first_id + k,
                priority=prio,
                duration=timedelta(seconds=round(seconds)),
                valid_from=start,
                valid_until=end,
                target_per_week=target,
                dayparts=dayparts,
                min_gap=gap,
                observances=observances,
                approval=APPROVED,
            )
        )
    return items


def milp_optimum(
    problem: StationProblem, time_limit: float
) -> tuple[float, bool, float, list[int]]:
    """(optimum, proven, seconds, airings per demand) of the same model as a MILP (HiGHS)."""
    import highspy

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", time_limit)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    col = 0
    by_pair: dict[tuple[int, int], list[int]] = {}
    seg_rows: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for di, d in enumerate(problem.demands):
        if d.remaining <= 0:
            continue
        for j, v in zip(d.options, d.values, strict=True):
            for b, cap in enumerate(problem.capacities[j]):
                if cap < d.size:
                    continue
                h.addCol(-v, 0.0, 1.0, 0, [], [])  # HiGHS minimises: negate
                by_pair.setdefault((di, j), []).append(col)
                seg_rows.setdefault((j, b), []).append((col, float(d.size)))
                col += 1
    if col == 0:
        return 0.0, True, 0.0, [0] * len(problem.demands)
    h.changeColsIntegrality(col, list(range(col)), [highspy.HighsVarType.kInteger] * col)  # type: ignore[arg-type]
    for (_di, _j), cols in by_pair.items():  # an item at most once per session
        if len(cols) > 1:
            h.addRow(-inf, 1.0, len(cols), cols, [1.0] * len(cols))
    for di, d in enumerate(problem.demands):
        cols = [c for j in d.options for c in by_pair.get((di, j), [])]
        if cols:  # never more than the target
            h.addRow(-inf, float(d.remaining), len(cols), cols, [1.0] * len(cols))
        if d.gap and cols:  # minimum gap: sessions within one gap form a clique
            opts = sorted(j for j in d.options if (di, j) in by_pair)
            for a in opts:
                clique = [
                    c
                    for k in opts
                    if 0 <= problem.times[k] - problem.times[a] < d.gap
                    for c in by_pair[(di, k)]
                ]
                if len({c for c in clique}) > 1:
                    h.addRow(-inf, 1.0, len(clique), clique, [1.0] * len(clique))
    for (j, b), entries in seg_rows.items():
        cols = [c for c, _ in entries]
        sizes = [s for _, s in entries]
        h.addRow(-inf, float(problem.capacities[j][b]), len(cols), cols, sizes)
    started = clock_time.perf_counter()
    h.run()
    spent = clock_time.perf_counter() - started
    status = h.getModelStatus()
    proven = status == highspy.HighsModelStatus.kOptimal
    value = -h.getInfo().objective_function_value
    x = h.getSolution().col_value
    counts = [
        round(sum(x[c] for j in d.options for c in by_pair.get((di, j), [])))
        for di, d in enumerate(problem.demands)
    ]
    return value, proven, spent, counts


def station_weeks(count: int, seed: int) -> list[tuple[str, StationInput, list[Item]]]:
    rng = random.Random(seed)
    out = []
    for k in range(count):
        clock = random_clock(rng)
        if k % 2:  # over-subscribed: more and longer items than the sessions hold
            load = rng.choice([1.2, 1.5, 2.0, 2.5])
            n_items = rng.randint(14, 24)
        else:
            load = rng.choice([0.4, 0.6, 0.8, 1.0])
            n_items = rng.randint(6, 16)
        items = random_items(rng, n_items, load)
        station = Station(f"S{k:03d}", f"Xã thử {k}", StationKind.COMMUNE)
        out.append((f"load×{load}", StationInput(station, clock, TZ), items))
    return out


def national(seed: int, own_clocks: bool = False) -> tuple[list[StationInput], list[Item]]:
    """34 provinces, 3,321 communes; provincial clocks with some communes keeping their own.

    ``own_clocks``: every commune gets a clock of its own (a stress case: no two stations share
    a problem, so nothing can be solved once for many).
    """
    rng = random.Random(seed)
    stations: list[StationInput] = []
    n = 0
    for p in range(34):
        pcode = f"P{p:02d}"
        templates = [random_clock(rng) for _ in range(3)]
        count = 3321 // 34 + (1 if p < 3321 % 34 else 0)
        for c in range(count):
            clock = templates[0] if rng.random() < 0.8 else rng.choice(templates[1:])
            if own_clocks:
                base = random_clock(rng)
                # a per-commune evening length makes every clock distinct
                evening = base.sessions[-1]
                own = Session(
                    evening.name,
                    evening.days,
                    evening.start,
                    evening.length + timedelta(seconds=n % 600),
                    evening.fixed_blocks,
                )
                clock = BroadcastClock(sessions=(*base.sessions[:-1], own))
            st = Station(f"{pcode}C{c:03d}", f"Xã {c} tỉnh {p}", StationKind.COMMUNE, parent=pcode)
            stations.append(StationInput(st, clock, TZ, frozenset({pcode})))
            n += 1
    items = random_items(rng, 40, 0.9)
    # a quarter of the items are provincial: aimed at a few provinces only
    retargeted = []
    for item in items:
        if rng.random() < 0.25:
            provinces = frozenset(f"P{rng.randrange(34):02d}" for _ in range(rng.randint(1, 4)))
            item = Item(**{**item.__dict__, "stations": provinces})
        retargeted.append(item)
    assert n == 3321
    return stations, retargeted


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--quick", action="store_true", help="fewer instances, short MILP limits (< 60 s)"
    )
    ap.add_argument("--instances", type=int, default=None, help="station-weeks compared (>= 50)")
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args(argv)
    count = args.instances or (50 if args.quick else 120)
    limit = 4.0 if args.quick else 30.0
    settings = PlannerSettings()

    ratios: list[float] = []
    t_plan = t_milp = 0.0
    unproven = 0
    worst = ("", 1.0)
    over = under = 0
    for k, (label, station, items) in enumerate(station_weeks(count, args.seed)):
        _, problem = compile_station(station, items, WEEK, settings)
        started = clock_time.perf_counter()
        assignment = solve_station(problem, settings)
        t_plan += clock_time.perf_counter() - started
        broken = violations(problem, assignment)
        if broken:
            print(f"instance {k}: planner broke hard constraints: {broken[:3]}", file=sys.stderr)
            return 1
        mine = objective(problem, assignment)
        best, proven, spent, _ = milp_optimum(problem, limit)
        t_milp += spent
        unproven += not proven
        # over-subscribed: the airings the windows allow need more time than the sessions have
        demand = sum(d.size * min(d.remaining, len(d.options)) for d in problem.demands)
        if demand > sum(sum(c) for c in problem.capacities):
            over += 1
        else:
            under += 1
        ratio = mine / best if best > 1e-9 else 1.0
        ratio = min(ratio, 1.0) if not proven else ratio
        ratios.append(ratio)
        if ratio < worst[1]:
            worst = (f"#{k} {label}", ratio)
        if ratio < 0.995:
            print(
                f"  instance {k:3d} ({label}, {len(problem.demands)} items): planner {mine:.4f} "
                f"optimum {best:.4f} ratio {ratio:.4f}{'' if proven else ' (MILP not proven)'}"
            )

    mean = statistics.fmean(ratios)
    worst_ratio = min(ratios)
    time_ratio = t_plan / t_milp if t_milp > 0 else 0.0
    print(
        f"station-weeks: {len(ratios)} ({over} over-subscribed, {under} under-subscribed); "
        f"MILP not proven optimal within {limit:g} s: {unproven}"
    )
    print(
        f"attainment ratio planner/optimum: mean {mean:.4f}, worst {worst_ratio:.4f} ({worst[0]})"
    )
    print(f"time: planner {t_plan:.2f} s, MILP {t_milp:.2f} s, ratio {time_ratio:.3f}")

    stations, items = national(args.seed)
    started = clock_time.perf_counter()
    plan = plan_week(stations, items, WEEK, settings)
    t_nat = clock_time.perf_counter() - started
    entries = sum(len(s.entries) for st in plan.stations for s in st.sessions)
    att = ", ".join(f"{a.priority.value} {a.ratio:.3f}" for a in plan.summary.attainment)
    print(
        f"national week: {len(stations)} stations, {len(items)} items, "
        f"{plan.summary.distinct_problems} distinct station problems, {entries} entries, "
        f"{len(plan.shortfalls)} shortfalls, attainment {att}: {t_nat:.1f} s"
    )
    if not args.quick:
        stations, items = national(args.seed, own_clocks=True)
        started = clock_time.perf_counter()
        plan = plan_week(stations, items, WEEK, settings)
        t_own = clock_time.perf_counter() - started
        print(
            f"national week, every commune with its own clock (stress): "
            f"{plan.summary.distinct_problems} distinct station problems: {t_own:.1f} s"
        )
    print(
        f"SUMMARY bench_planner: mean ratio {mean:.4f} worst {worst_ratio:.4f} over {len(ratios)} "
        f"station-weeks; time ratio planner/MILP {time_ratio:.3f}; national week "
        f"({len(stations)} stations, {len(items)} items) {t_nat:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
