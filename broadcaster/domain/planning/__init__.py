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
from .problem import Assignment, Demand, Slot, StationProblem, objective, violations
from .solver import solve_station
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
