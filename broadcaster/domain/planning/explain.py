"""Why an item missed its target at a station, in Vietnamese a planning officer can act on.

The reasons are tried from the most fundamental: no sessions at all; too few sessions in the
item's window (or too many already past); the item longer than any free stretch; its minimum
gap; and last the capacity taken by other items, naming the cheapest of them to trim.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..items import Daypart, Item
from ..messages import weekday_short
from .model import Shortfall, ShortfallReason, StationInput
from .problem import Assignment, Demand, Slot, StationProblem
from .weeks import format_duration_vi, nfc


def _day_list(days: Iterable[date]) -> str:
    ordered = sorted(set(days))
    labels = [weekday_short(day.weekday()) for day in ordered]
    if len(ordered) >= 3 and all(
        (later - earlier).days == 1 for earlier, later in itertools.pairwise(ordered)
    ):
        return f"{labels[0]}–{labels[-1]}"
    return ", ".join(labels)


def _fmt_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


def _gap_text(ms: int) -> str:
    hours = ms / 3_600_000
    if hours >= 24 and hours % 24 == 0:
        return f"{int(hours // 24)} ngày"
    if hours >= 1:
        return f"{hours:g} giờ"
    return format_duration_vi(ms)


def _max_by_gap(times: Sequence[int], gap: int, anchors: Sequence[int]) -> int:
    """The most airings the minimum gap allows at ``times``, around the frozen ``anchors``."""
    count = 0
    last: int | None = None
    for when in sorted(times):
        if any(abs(when - anchor) < gap for anchor in anchors):
            continue
        if last is None or when - last >= gap:
            count += 1
            last = when
    return count


@dataclass(frozen=True)
class Why:
    reason: ShortfallReason
    detail: str  # Vietnamese, without the leading "Mục …: a/b lần tại …"
    sessions: tuple[str, ...]
    competitors: tuple[int, ...]


@dataclass(frozen=True)
class _Outcome:
    """A solved station as the explanations read it."""

    slots: Sequence[Slot]
    problem: StationProblem
    free: Sequence[Sequence[int]]  # room left in each (slot, segment), ms
    picks: Sequence[Mapping[int, int]]  # per demand: slot → segment
    items_by_index: Mapping[int, Item]


def explain_shortfalls(
    slots: Sequence[Slot],
    problem: StationProblem,
    assignment: Assignment,
    items_by_index: Mapping[int, Item],
) -> dict[int, tuple[int, Why]]:
    """Per demand below its target: (airings planned including frozen ones, why)."""
    free = [list(caps) for caps in problem.capacities]
    picks: list[dict[int, int]] = []
    for demand, chosen in zip(problem.demands, assignment, strict=True):
        picks.append(dict(chosen))
        for slot, segment in chosen:
            free[slot][segment] -= demand.size
    outcome = _Outcome(slots, problem, free, picks, items_by_index)
    whys: dict[int, tuple[int, Why]] = {}
    for dem, (demand, chosen) in enumerate(zip(problem.demands, assignment, strict=True)):
        got = len(chosen) + demand.already
        if got < demand.target:
            item = items_by_index[demand.item_index]
            whys[dem] = (got, _explain(item, dem, demand, got, outcome))
    return whys


def shortfall(station: StationInput, item: Item, demand: Demand, got: int, why: Why) -> Shortfall:
    """The shortfall of an item at a station, its message headed by the item and the count."""
    assert item.id is not None
    name = nfc(station.station.name)
    head = (
        f"Mục {item.id} «{nfc(item.title)}» ({item.priority.label}): "
        f"{got}/{demand.target} lần tại {name}"
    )
    return Shortfall(
        station_code=station.station.code,
        station_name=name,
        item_id=item.id,
        item_title=nfc(item.title),
        priority=item.priority,
        target=demand.target,
        planned=got,
        reason=why.reason,
        message=f"{head} — {why.detail}.",
        sessions=why.sessions,
        competitors=why.competitors,
    )


def _window_text(item: Item) -> str:
    """`` trong thời hạn 01/11–30/11 ở khung sáng`` (empty when the item has no limits)."""
    text = ""
    if item.valid_from or item.valid_until:
        start = _fmt_date(item.valid_from) if item.valid_from else "…"
        end = _fmt_date(item.valid_until) if item.valid_until else "…"
        text = f" trong thời hạn {start}–{end}"
    if item.dayparts:
        names = {"morning": "sáng", "noon": "trưa", "evening": "chiều/tối"}
        text += " ở khung " + ", ".join(names[part.value] for part in sorted(item.dayparts))
    return text


def _window_why(
    item: Item, demand: Demand, slots: Sequence[Slot], in_window: Sequence[int]
) -> Why | None:
    """Too few sessions left in the item's window and dayparts, or None when there are enough."""
    live = [slot for slot in in_window if not slots[slot].frozen]
    elapsed = [slot for slot in in_window if slots[slot].frozen]
    target = demand.target
    if len(live) + demand.already >= target:
        return None
    window_text = _window_text(item)
    if elapsed and len(in_window) >= target:
        return Why(
            ShortfallReason.ELAPSED,
            f"{len(elapsed)} buổi{window_text} đã qua khi lập lại kế hoạch, chỉ còn {len(live)} buổi; "
            f"giảm chỉ tiêu xuống {len(live) + demand.already} hoặc bổ sung buổi phát",
            tuple(slots[slot].label for slot in elapsed),
            (),
        )
    fix = "kéo dài thời hạn hiệu lực" if item.valid_from or item.valid_until else "thêm buổi phát"
    if item.dayparts:
        fix += " hoặc mở rộng khung giờ"
    return Why(
        ShortfallReason.WINDOW,
        f"chỉ có {len(live)} buổi phát{window_text}; {fix}, hoặc giảm chỉ tiêu xuống "
        f"{len(live) + demand.already}",
        tuple(slots[slot].label for slot in live),
        (),
    )


def _explain(item: Item, dem: int, demand: Demand, planned: int, outcome: _Outcome) -> Why:
    slots = outcome.slots
    if not slots:
        return Why(
            ShortfallReason.NO_SESSIONS,
            "trạm không có buổi phát nào trong tuần; thêm buổi phát vào lịch phát sóng của trạm",
            (),
            (),
        )
    in_window = [
        index
        for index, slot in enumerate(slots)
        if item.is_valid_on(slot.day)
        and (not item.dayparts or Daypart.of_minute(slot.session.start_minute) in item.dayparts)
    ]
    window = _window_why(item, demand, slots, in_window)
    if window is not None:
        return window
    duration = demand.duration
    live = [slot for slot in in_window if not slots[slot].frozen]
    longest = max((length for slot in live for _, length in slots[slot].segments), default=0)
    if duration > longest:
        return Why(
            ShortfallReason.TOO_LONG,
            f"bài dài {format_duration_vi(duration)}, dài hơn khoảng trống dài nhất của buổi phát "
            f"({format_duration_vi(longest)}); rút ngắn bài hoặc kéo dài buổi phát",
            (),
            (),
        )
    fits = [slot for slot in live if any(length >= duration for _, length in slots[slot].segments)]
    if demand.gap:
        times = [outcome.problem.times[slot] for slot in fits]
        most = _max_by_gap(times, demand.gap, demand.anchors) + demand.already
        if most < demand.target and planned >= most:
            return Why(
                ShortfallReason.MIN_GAP,
                f"khoảng cách tối thiểu {_gap_text(demand.gap)} giữa hai lần phát chỉ cho phép "
                f"{most} lần trong tuần; giảm khoảng cách hoặc giảm chỉ tiêu",
                (),
                (),
            )
    return _capacity_why(dem, demand, fits, outcome)


def _competitors(dem: int, full: Sequence[int], outcome: _Outcome) -> list[int]:
    """The other demands filling the full sessions, the one to trim first (cheapest) first."""
    demands = outcome.problem.demands
    occupancy: dict[int, int] = {}
    for other, chosen in enumerate(outcome.picks):
        if other == dem:
            continue
        for slot in full:
            if slot in chosen:
                occupancy[other] = occupancy.get(other, 0) + demands[other].size
    return sorted(
        occupancy,
        key=lambda other: (
            -demands[other].rank,
            demands[other].weight,
            -occupancy[other],
            demands[other].item_id,
        ),
    )


def _capacity_why(dem: int, demand: Demand, fits: Sequence[int], outcome: _Outcome) -> Why:
    slots = outcome.slots
    mine = outcome.picks[dem]
    full = [
        slot
        for slot in fits
        if slot not in mine and max(outcome.free[slot], default=0) < demand.size
    ]
    blocked = [slot for slot in fits if slot not in mine and slot not in full]
    competitors = _competitors(dem, full, outcome)
    demands = outcome.problem.demands
    parts: list[str] = []
    fixes: list[str] = []
    if full:
        names = ", ".join(sorted({slots[slot].session.name for slot in full}))
        parts.append(
            f"các buổi phát đã kín vào {_day_list(slots[slot].day for slot in full)} ({names})"
        )
        fixes.append(f"kéo dài buổi {names}")
    if blocked and demand.gap:
        parts.append(
            f"{len(blocked)} buổi còn chỗ nhưng quá gần lần phát khác "
            f"(khoảng cách tối thiểu {_gap_text(demand.gap)})"
        )
    if competitors:
        first = outcome.items_by_index[demands[competitors[0]].item_index]
        fixes.append(f"giảm chỉ tiêu của mục {first.id} «{nfc(first.title)}»")
    else:
        fixes.append("giảm chỉ tiêu")
    if blocked and demand.gap:
        fixes.append("giảm khoảng cách tối thiểu")
    detail = "; ".join(parts) if parts else "không đủ thời lượng trống trong các buổi phát"
    return Why(
        ShortfallReason.CAPACITY if full or not demand.gap else ShortfallReason.MIN_GAP,
        f"{detail}; {' hoặc '.join(fixes)}",
        tuple(slots[slot].label for slot in full),
        tuple(demands[other].item_id for other in competitors[:3]),
    )
