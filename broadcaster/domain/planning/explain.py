"""Why an item missed its target at a station, in words a planning officer can act on.

The reasons are tried from the most fundamental: no sessions at all; too few sessions in the
item's window (or too many already past); the item longer than any free stretch; its minimum
gap; and last the capacity taken by other items, naming the cheapest of them to trim.

Each explanation is a message kept with its values (the plan stores it so), shown in the
reader's language; durations read in Vietnamese words for now (``2 phút 5 giây``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..items import Daypart, Item
from ..messages import Msg, _, _n
from ..wording import joined, weekday
from .model import Shortfall, ShortfallReason, StationInput
from .problem import Assignment, Demand, Slot, StationProblem
from .weeks import format_duration_vi, nfc

#: the dayparts as an explanation names them
_DAYPARTS = {"morning": _("morning"), "noon": _("noon"), "evening": _("afternoon/evening")}


def _either(options: Sequence[Msg]) -> Msg:
    """``a or b or c``."""
    shown = options[0]
    for option in options[1:]:
        shown = _("{first} or {second}", first=shown, second=option)
    return shown


def _then(first: Msg, second: Msg) -> Msg:
    """Two clauses of one explanation: ``what is wrong; what to do``."""
    return _("{first}; {second}", first=first, second=second)


def _day_list(days: Iterable[date]) -> Msg:
    ordered = sorted(set(days))
    labels = [weekday(day.weekday()) for day in ordered]
    if len(ordered) >= 3 and all(
        (later - earlier).days == 1 for earlier, later in itertools.pairwise(ordered)
    ):
        return joined([labels[0], labels[-1]], "–")
    return joined(labels, ", ")


def _fmt_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


def _gap_text(ms: int) -> Msg | str:
    hours = ms / 3_600_000
    if hours >= 24 and hours % 24 == 0:
        return _n("{n} day", "{n} days", int(hours // 24))
    if hours >= 1 and hours.is_integer():
        return _n("{n} hour", "{n} hours", int(hours))
    if hours >= 1:
        return _("{hours:g} hours", hours=hours)
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
    detail: Msg  # without the leading "Mục …: a/b lần tại …"
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
    message = _(
        "Item {id} «{title}» ({priority}): {planned}/{target} times at {station} — {why}.",
        id=item.id,
        title=nfc(item.title),
        priority=item.priority.label,
        planned=got,
        target=demand.target,
        station=name,
        why=why.detail,
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
        message=message,
        sessions=why.sessions,
        competitors=why.competitors,
    )


def _window_text(item: Item) -> Msg | None:
    """``trong thời hạn 01/11–30/11 ở khung sáng`` (None when the item has no limits)."""
    dayparts = (
        joined([_DAYPARTS[part.value] for part in sorted(item.dayparts)], ", ")
        if item.dayparts
        else None
    )
    if item.valid_from or item.valid_until:
        start = _fmt_date(item.valid_from) if item.valid_from else "…"
        end = _fmt_date(item.valid_until) if item.valid_until else "…"
        if dayparts is not None:
            return _(
                "within its validity period {start}–{end} in daypart {dayparts}",
                start=start,
                end=end,
                dayparts=dayparts,
            )
        return _("within its validity period {start}–{end}", start=start, end=end)
    if dayparts is not None:
        return _("in daypart {dayparts}", dayparts=dayparts)
    return None


def _window_why(
    item: Item, demand: Demand, slots: Sequence[Slot], in_window: Sequence[int]
) -> Why | None:
    """Too few sessions left in the item's window and dayparts, or None when there are enough."""
    live = [slot for slot in in_window if not slots[slot].frozen]
    elapsed = [slot for slot in in_window if slots[slot].frozen]
    target = demand.target
    if len(live) + demand.already >= target:
        return None
    window = _window_text(item)
    lower_to = len(live) + demand.already
    if elapsed and len(in_window) >= target:
        values = {"left": len(live), "target": lower_to}
        detail = (
            _n(
                "{n} session {window} had passed when the plan was made again, only {left} "
                "left; lower the target to {target} or add sessions",
                "{n} sessions {window} had passed when the plan was made again, only {left} "
                "left; lower the target to {target} or add sessions",
                len(elapsed),
                window=window,
                **values,
            )
            if window is not None
            else _n(
                "{n} session had passed when the plan was made again, only {left} left; "
                "lower the target to {target} or add sessions",
                "{n} sessions had passed when the plan was made again, only {left} left; "
                "lower the target to {target} or add sessions",
                len(elapsed),
                **values,
            )
        )
        return Why(
            ShortfallReason.ELAPSED, detail, tuple(slots[slot].label for slot in elapsed), ()
        )
    fix = (
        _("extend its validity period")
        if item.valid_from or item.valid_until
        else _("add sessions")
    )
    if item.dayparts:
        fix = _("{fix} or widen its dayparts", fix=fix)
    detail = (
        _n(
            "only {n} session {window}; {fix}, or lower the target to {target}",
            "only {n} sessions {window}; {fix}, or lower the target to {target}",
            len(live),
            window=window,
            fix=fix,
            target=lower_to,
        )
        if window is not None
        else _n(
            "only {n} session; {fix}, or lower the target to {target}",
            "only {n} sessions; {fix}, or lower the target to {target}",
            len(live),
            fix=fix,
            target=lower_to,
        )
    )
    return Why(ShortfallReason.WINDOW, detail, tuple(slots[slot].label for slot in live), ())


def _explain(item: Item, dem: int, demand: Demand, planned: int, outcome: _Outcome) -> Why:
    slots = outcome.slots
    if not slots:
        return Why(
            ShortfallReason.NO_SESSIONS,
            _(
                "the station has no session in the week; "
                "add sessions to the station's broadcast clock"
            ),
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
            _(
                "the announcement lasts {length}, longer than the longest free stretch of a "
                "session ({longest}); shorten the announcement or lengthen the session",
                length=format_duration_vi(duration),
                longest=format_duration_vi(longest),
            ),
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
                _n(
                    "the minimum gap of {gap} between two airings allows only {n} airing in the "
                    "week; reduce the gap or lower the target",
                    "the minimum gap of {gap} between two airings allows only {n} airings in the "
                    "week; reduce the gap or lower the target",
                    most,
                    gap=_gap_text(demand.gap),
                ),
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
    parts: list[Msg] = []
    fixes: list[Msg] = []
    if full:
        names = ", ".join(sorted({slots[slot].session.name for slot in full}))
        parts.append(
            _(
                "the sessions are full on {days} ({sessions})",
                days=_day_list(slots[slot].day for slot in full),
                sessions=names,
            )
        )
        fixes.append(_("lengthen session {sessions}", sessions=names))
    if blocked and demand.gap:
        parts.append(
            _n(
                "{n} session has room but is too close to another airing (minimum gap {gap})",
                "{n} sessions have room but are too close to another airing (minimum gap {gap})",
                len(blocked),
                gap=_gap_text(demand.gap),
            )
        )
    if competitors:
        first = outcome.items_by_index[demands[competitors[0]].item_index]
        fixes.append(
            _("lower the target of item {id} «{title}»", id=first.id, title=nfc(first.title))
        )
    else:
        fixes.append(_("lower the target"))
    if blocked and demand.gap:
        fixes.append(_("reduce the minimum gap"))
    detail = joined(parts, "; ") if parts else _("not enough free time left in the sessions")
    return Why(
        ShortfallReason.CAPACITY if full or not demand.gap else ShortfallReason.MIN_GAP,
        _then(detail, _either(fixes)),
        tuple(slots[slot].label for slot in full),
        tuple(demands[other].item_id for other in competitors[:3]),
    )
