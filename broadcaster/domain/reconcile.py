"""Planned versus aired: reconcile the published plan of a period with the airing logs.

Pure: plan entries, log records, items and stations in; figures out. Time zones arrive as
values (``tzinfo`` per station) because the core never builds them from names itself.

Rules a reviewer can rely on:

- a log record counts once however often it was uploaded (same ``event_id``);
- several records for one planned entry (a retry after a failure, a manual confirmation on
  top of the agent's record) count once, with the best status among them;
- a planned entry with no record at all is missed ("no log received") once it is due, and
  *pending* before that; a log that arrives days late simply changes the figures next time;
- records that match no planned entry (operator additions, emergency bulletins) are
  *unplanned*: they add to a station's airtime but not to any item's attainment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum

from .airings import Airing, AiringSource, AiringStatus
from .errors import InputError
from .items import Item, Priority
from .messages import Msg, _
from .paper import is_filler_log
from .paper import joined as _joined
from .paper import newer_paper as _newer_paper
from .paper import overruled as _overruled
from .paper import received_order as _received_order
from .stations import BroadcastClock, Station

#: Vietnam's offset, used for a station whose zone the caller did not pass
DEFAULT_ZONE: tzinfo = timezone(timedelta(hours=7))

#: a log received later than this after its airing counts as late
LATE_AFTER = timedelta(hours=24)

#: best first: which record wins when several describe one planned entry
_STATUS_RANK = {
    AiringStatus.AIRED: 5,
    AiringStatus.MANUAL: 5,
    AiringStatus.PARTIAL: 4,
    AiringStatus.CANCELLED: 4,
    AiringStatus.INTERRUPTED: 3,
    AiringStatus.FAILED: 2,
    AiringStatus.MISSED: 1,
}


class Outcome(StrEnum):
    """What became of one planned entry (or one unplanned airing)."""

    AIRED = "aired"
    PARTIAL = "partial"
    INTERRUPTED = "interrupted"
    MISSED = "missed"  # missed, failed, or no log received once due
    PENDING = "pending"  # not due yet and no log so far

    @property
    def label(self) -> Msg:
        return {
            "aired": _("Aired"),
            "partial": _("Partly aired"),
            "interrupted": _("Interrupted (emergency)"),
            "missed": _("Not aired"),
            "pending": _("Not yet due"),
        }[self.value]

    @staticmethod
    def of(status: AiringStatus) -> Outcome:
        if status.counts_as_aired:
            return Outcome.AIRED
        if status in (AiringStatus.PARTIAL, AiringStatus.CANCELLED):
            # a bulletin the office cancelled while it played was on air, in part
            return Outcome.PARTIAL
        if status is AiringStatus.INTERRUPTED:
            return Outcome.INTERRUPTED
        return Outcome.MISSED


@dataclass(frozen=True)
class PlannedAiring:
    """One entry of a published plan, as reconciliation needs it."""

    station_code: str
    item_id: int
    start: datetime  # aware
    duration: timedelta
    priority: Priority = Priority.NORMAL
    entry_id: str | None = None
    session: str | None = None  # the session's name ("Sáng", "Chiều")
    title: str | None = None
    plan_version: int | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("PlannedAiring.start must be an aware datetime")


@dataclass(frozen=True)
class ReportPeriod:
    """Whole days, both ends included, in each station's own time zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(
                _(
                    "the period ends ({end}) before it starts ({start}); swap --from and --to",
                    end=self.end.strftime("%d/%m/%Y"),
                    start=self.start.strftime("%d/%m/%Y"),
                )
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches."""
        first = week_of(self.start)
        return [
            first + timedelta(weeks=n) for n in range((week_of(self.end) - first).days // 7 + 1)
        ]


def _minutes(seconds: int) -> float:
    """Seconds as minutes, to the tenth a report shows."""
    return round(seconds / 60, 1)


def week_of(day: date) -> date:
    """The Monday of a day's week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, kw_only=True)
class AiringLine:
    """One reconciled airing: a planned entry with its best log record, or an unplanned airing.

    What the log says (``actual_start`` to ``received_at``) is "no log received" until
    :func:`_logged` reads the best record into it.
    """

    station_code: str
    day: date  # local date at the station
    planned: bool
    outcome: Outcome
    item_id: int | None
    title: str
    priority: Priority | None
    planned_start: datetime | None  # station-local
    planned_duration: timedelta | None
    actual_start: datetime | None = None  # station-local
    actual_end: datetime | None = None  # station-local
    status: AiringStatus | None = None  # of the best record; None: no log received
    seconds_aired: int = 0
    records: int = 0  # distinct log records behind this line
    duplicates_ignored: int = 0  # uploads of the same event, plus extra records for one entry
    event_ids: tuple[str, ...] = ()
    session: str | None
    source: AiringSource | None = None
    operator: str | None = None
    note: str | None = None
    reason: str  # why it fell short ("" when aired)
    received_at: datetime | None = None  # of the best record
    late: bool  # every record arrived more than a day after the airing
    emergency: bool
    entry_id: str | None = None

    @property
    def when(self) -> datetime | None:
        return self.actual_start or self.planned_start

    @property
    def minutes_aired(self) -> float:
        return _minutes(self.seconds_aired)

    @property
    def shortfall(self) -> bool:
        return self.planned and self.outcome in (
            Outcome.MISSED,
            Outcome.PARTIAL,
            Outcome.INTERRUPTED,
        )


@dataclass(frozen=True)
class Figures:
    """Counts for one group of planned entries."""

    planned: int = 0
    aired: int = 0
    partial: int = 0
    interrupted: int = 0
    missed: int = 0
    pending: int = 0
    seconds_aired: int = 0
    seconds_planned: int = 0

    @property
    def due(self) -> int:
        return self.planned - self.pending

    @property
    def minutes_aired(self) -> float:
        return _minutes(self.seconds_aired)

    @property
    def minutes_planned(self) -> float:
        return _minutes(self.seconds_planned)

    @property
    def attainment_pct(self) -> float | None:
        """Entries aired in full, as a percentage of the entries due; None when none are due."""
        if self.due <= 0:
            return None
        return round(100 * self.aired / self.due, 1)


def figures_of(lines: Iterable[AiringLine]) -> Figures:
    """The figures of the planned lines among ``lines``, counted as every report counts them."""
    counts = dict.fromkeys(Outcome, 0)
    planned = seconds_aired = seconds_planned = 0
    for line in lines:
        if not line.planned:
            continue
        planned += 1
        counts[line.outcome] += 1
        seconds_aired += line.seconds_aired
        if line.planned_duration is not None:
            seconds_planned += round(line.planned_duration.total_seconds())
    return Figures(
        planned=planned,
        aired=counts[Outcome.AIRED],
        partial=counts[Outcome.PARTIAL],
        interrupted=counts[Outcome.INTERRUPTED],
        missed=counts[Outcome.MISSED],
        pending=counts[Outcome.PENDING],
        seconds_aired=seconds_aired,
        seconds_planned=seconds_planned,
    )


@dataclass(frozen=True)
class ItemStationFigures:
    item_id: int
    station_code: str
    figures: Figures


@dataclass(frozen=True)
class ItemFigures:
    """One item over every station of the report."""

    item_id: int
    title: str
    priority: Priority
    figures: Figures
    stations: int  # stations it was planned at


@dataclass(frozen=True)
class StationFigures:
    station_code: str
    figures: Figures  # planned entries only
    sessions_planned: int
    sessions_held: int  # sessions in which anything aired, planned or not
    seconds_on_air: int  # everything aired: planned, unplanned, emergencies
    emergencies: int  # emergency bulletins aired
    unplanned: int  # airings that match no planned entry
    late_logs: int  # airings whose log arrived more than a day late

    @property
    def minutes_on_air(self) -> float:
        return _minutes(self.seconds_on_air)


@dataclass(frozen=True)
class PriorityFigures:
    priority: Priority
    figures: Figures


@dataclass(frozen=True)
class WeeklyAirtime:
    item_id: int
    week: date  # Monday
    seconds: int

    @property
    def minutes(self) -> float:
        return _minutes(self.seconds)


@dataclass(frozen=True)
class Reconciliation:
    period: ReportPeriod
    station_codes: tuple[str, ...]
    lines: tuple[AiringLine, ...]  # planned entries then unplanned airings, by station and time
    by_item_station: tuple[ItemStationFigures, ...]
    by_item: tuple[ItemFigures, ...]
    by_station: tuple[StationFigures, ...]
    by_priority: tuple[PriorityFigures, ...]
    totals: Figures
    weekly_airtime: tuple[WeeklyAirtime, ...]
    records: int  # distinct log records in the period for these stations
    duplicates_ignored: int
    as_of: datetime | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def planned_lines(self) -> tuple[AiringLine, ...]:
        return tuple(line for line in self.lines if line.planned)

    @property
    def unplanned(self) -> tuple[AiringLine, ...]:
        return tuple(line for line in self.lines if not line.planned)

    @property
    def shortfalls(self) -> tuple[AiringLine, ...]:
        return tuple(line for line in self.lines if line.shortfall)

    @property
    def empty(self) -> bool:
        """Nothing planned and nothing logged in the period."""
        return not self.lines

    @property
    def seconds_on_air(self) -> int:
        return sum(s.seconds_on_air for s in self.by_station)

    @property
    def emergencies(self) -> int:
        return sum(s.emergencies for s in self.by_station)


# --- reconciliation ---------------------------------------------------------------------------


_EntryKey = tuple[str, int, datetime]  # (station, item, planned start)
_UnplannedKey = tuple[str, str, datetime]  # (station, item or title, start)


def reconcile(
    planned: Iterable[PlannedAiring],
    airings: Iterable[Airing],
    *,
    items: Mapping[int, Item],
    stations: Sequence[Station],
    period: ReportPeriod,
    zones: Mapping[str, tzinfo] | None = None,
    clocks: Mapping[str, BroadcastClock] | None = None,
    as_of: datetime | None = None,
) -> Reconciliation:
    """Reconcile plan entries with log records for some stations over a period.

    ``zones`` gives each station's time zone (default UTC+7) and so which local day an airing
    belongs to; ``clocks`` lets an airing with no session name (an unplanned one) be placed
    in the session it fell in. Entries that end after ``as_of`` and have no log are pending,
    not missed; without ``as_of`` every entry is due.
    """
    if as_of is not None and as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime")
    codes = tuple(s.code for s in stations)
    zones = zones or {}
    clocks = clocks or {}
    entries = _entries_in(planned, set(codes), period, zones)
    by_entry_id = {
        (p.station_code, p.entry_id): key for key, p in entries.items() if p.entry_id is not None
    }
    records, uploads = _distinct_records(airings, set(codes), period, zones, by_entry_id)
    matched, unplanned = _match(records, entries, by_entry_id)

    lines = [
        _planned_line(p, matched.get(key, []), items, _zone(zones, p.station_code), clocks, as_of)
        for key, p in entries.items()
    ]
    lines += [
        _unplanned_line(group, items, _zone(zones, group[0].station_code), clocks)
        for group in unplanned.values()
    ]
    order = {c: i for i, c in enumerate(codes)}
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    lines.sort(
        key=lambda x: (order[x.station_code], x.when or epoch, not x.planned, x.item_id or 0)
    )
    duplicates = (
        (uploads - len(records))
        + sum(max(len(g) - 1, 0) for g in matched.values())
        + sum(len(g) - 1 for g in unplanned.values())
    )
    return Reconciliation(
        period=period,
        station_codes=codes,
        lines=tuple(lines),
        by_item_station=_by_item_station(lines, items, codes),
        by_item=_by_item(lines, items),
        by_station=_by_station(lines, codes),
        by_priority=_by_priority(lines),
        totals=figures_of(lines),
        weekly_airtime=_weekly(lines),
        records=len(records),
        duplicates_ignored=duplicates,
        as_of=as_of,
        notes=_notes(lines, period),
    )


def _zone(zones: Mapping[str, tzinfo], code: str) -> tzinfo:
    return zones.get(code, DEFAULT_ZONE)


def _local_day(zones: Mapping[str, tzinfo], code: str, when: datetime) -> date:
    return when.astimezone(_zone(zones, code)).date()


def _entries_in(
    planned: Iterable[PlannedAiring],
    wanted: set[str],
    period: ReportPeriod,
    zones: Mapping[str, tzinfo],
) -> dict[_EntryKey, PlannedAiring]:
    """The plan's entries for these stations in the period, once per (station, item, start)."""
    entries: dict[_EntryKey, PlannedAiring] = {}
    for p in planned:
        if p.station_code in wanted and period.contains(_local_day(zones, p.station_code, p.start)):
            entries.setdefault((p.station_code, p.item_id, p.start), p)
    return entries


def _distinct_records(
    airings: Iterable[Airing],
    wanted: set[str],
    period: ReportPeriod,
    zones: Mapping[str, tzinfo],
    by_entry_id: Mapping[tuple[str, str], _EntryKey],
) -> tuple[list[Airing], int]:
    """The log records that report on the period, once per event id (the first received wins),
    and how many uploads there were of them."""
    seen: dict[str, Airing] = {}
    uploads = 0
    for a in sorted(airings, key=_received_order):
        when = a.planned_start or a.actual_start
        if a.station_code not in wanted or when is None or is_filler_log(a):
            continue
        # an airing that names a planned entry reports on it, even when it aired another day
        names_entry = a.entry_id is not None and (a.station_code, a.entry_id) in by_entry_id
        if not names_entry and not period.contains(_local_day(zones, a.station_code, when)):
            continue
        uploads += 1
        seen.setdefault(a.event_id, a)
    return list(seen.values()), uploads


def _match(
    records: Iterable[Airing],
    entries: Mapping[_EntryKey, PlannedAiring],
    by_entry_id: Mapping[tuple[str, str], _EntryKey],
) -> tuple[dict[_EntryKey, list[Airing]], dict[_UnplannedKey, list[Airing]]]:
    """Each record to its planned entry (by entry id, else by item and planned start), or to
    a group of records of one unplanned airing."""
    matched: dict[_EntryKey, list[Airing]] = {}
    unplanned: dict[_UnplannedKey, list[Airing]] = {}
    for a in records:
        key: _EntryKey | None = None
        if a.entry_id is not None:
            key = by_entry_id.get((a.station_code, a.entry_id))
        if key is None and a.item_id is not None and a.planned_start is not None:
            candidate = (a.station_code, a.item_id, a.planned_start)
            if candidate in entries:
                key = candidate
        if key is not None:
            matched.setdefault(key, []).append(a)
            continue
        when = a.actual_start or a.planned_start
        assert when is not None
        label = str(a.item_id) if a.item_id is not None else (a.title or a.event_id)
        unplanned.setdefault((a.station_code, label, when), []).append(a)
    return matched, unplanned


def _by_priority(lines: Sequence[AiringLine]) -> tuple[PriorityFigures, ...]:
    return tuple(
        PriorityFigures(p, figures_of(x for x in lines if x.planned and x.priority is p))
        for p in (Priority.EMERGENCY, Priority.PRIORITY, Priority.NORMAL)
        if any(x.planned and x.priority is p for x in lines)
    )


def _seconds(a: Airing, planned: timedelta | None) -> int:
    if a.actual_start and a.actual_end:
        return round(a.aired_duration.total_seconds())
    if a.status.counts_as_aired and planned is not None:
        return round(planned.total_seconds())
    return 0


def _best(records: Sequence[Airing], planned: timedelta | None) -> Airing:
    # a newer paper correction first; then highest status, most airtime, earliest received
    candidates = _newer_paper(records) or list(records)
    ranked = sorted(
        enumerate(candidates),
        key=lambda ia: (-_STATUS_RANK[ia[1].status], -_seconds(ia[1], planned), ia[0]),
    )
    return ranked[0][1]


def _session_of(clock: BroadcastClock | None, local: datetime) -> str | None:
    if clock is None:
        return None
    minute = local.hour * 60 + local.minute + local.second / 60
    for s in clock.sessions_on(local.weekday()):
        if s.start_minute <= minute < s.end_minute:
            return s.name
    return None


# The texts of a reconciliation (reasons, notes, fallback titles) are rendered as it is made:
# it is made for the reader who asked for the report, and report writers take plain text.


def _reason(status: AiringStatus | None, note: str | None, seconds: int, planned: int) -> str:
    if status is None:
        return str(_("No airing log received"))
    if status.counts_as_aired:
        return ""
    default = {
        AiringStatus.MISSED: _(
            "Not aired (the player was not working or it was past the allowed time)"
        ),
        AiringStatus.FAILED: _("Playback equipment failure"),
        AiringStatus.PARTIAL: _(
            "Stopped part way, aired {aired}/{planned}",
            aired=_mmss(seconds),
            planned=_mmss(planned),
        ),
        AiringStatus.INTERRUPTED: _("Interrupted to air an emergency bulletin"),
        AiringStatus.CANCELLED: _("Bulletin cancelled by the sending office while it played"),
    }[status]
    return str(_("{reason}: {note}", reason=default, note=note) if note else default)


def _mmss(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _is_late(records: Sequence[Airing], aired_at: datetime) -> bool:
    received = [a.received_at for a in records if a.received_at is not None]
    return bool(received) and min(received) - aired_at > LATE_AFTER


def _local(when: datetime | None, zone: tzinfo) -> datetime | None:
    return when.astimezone(zone) if when else None


def _planned_line(
    p: PlannedAiring,
    records: Sequence[Airing],
    items: Mapping[int, Item],
    zone: tzinfo,
    clocks: Mapping[str, BroadcastClock],
    as_of: datetime | None,
) -> AiringLine:
    item = items.get(p.item_id)
    local_start = p.start.astimezone(zone)
    planned_seconds = round(p.duration.total_seconds())
    due = as_of is None or p.start + p.duration <= as_of
    unlogged = AiringLine(
        station_code=p.station_code,
        day=local_start.date(),
        planned=True,
        outcome=Outcome.MISSED if due else Outcome.PENDING,
        item_id=p.item_id,
        title=(item.title if item else None) or p.title or str(_("Item {id}", id=p.item_id)),
        priority=p.priority,
        planned_start=local_start,
        planned_duration=p.duration,
        session=p.session or _session_of(clocks.get(p.station_code), local_start),
        reason=_reason(None, None, 0, planned_seconds) if due else "",
        late=False,
        emergency=p.priority is Priority.EMERGENCY,
        entry_id=p.entry_id,
    )
    if not records:
        return unlogged
    best = _best(records, p.duration)
    seconds = _seconds(best, p.duration)
    return replace(
        _logged(unlogged, best, records, zone, seconds),
        operator=best.operator or next((a.operator for a in records if a.operator), None),
        reason=_joined(
            _reason(best.status, best.note, seconds, planned_seconds), _overruled(records, best)
        ),
        note=_joined(best.note or "", _overruled(records, best)) or None,
        late=_is_late(records, best.actual_start or p.start),
    )


def _logged(
    line: AiringLine, best: Airing, records: Sequence[Airing], zone: tzinfo, seconds: int
) -> AiringLine:
    """``line`` with what its best record says happened, and how many records tell it."""
    return replace(
        line,
        outcome=Outcome.of(best.status),
        actual_start=_local(best.actual_start, zone),
        actual_end=_local(best.actual_end, zone),
        status=best.status,
        seconds_aired=seconds,
        records=len(records),
        duplicates_ignored=len(records) - 1,
        event_ids=tuple(a.event_id for a in records),
        source=best.source,
        operator=best.operator,
        note=best.note,
        received_at=best.received_at,
    )


def _unplanned_line(
    records: Sequence[Airing],
    items: Mapping[int, Item],
    zone: tzinfo,
    clocks: Mapping[str, BroadcastClock],
) -> AiringLine:
    item = items.get(records[0].item_id) if records[0].item_id is not None else None
    duration = item.effective_duration if item else None
    best = _best(records, duration)
    when = best.actual_start or best.planned_start
    assert when is not None
    local = when.astimezone(zone)
    priority = item.priority if item else None
    line = AiringLine(
        station_code=best.station_code,
        day=local.date(),
        planned=False,
        outcome=Outcome.of(best.status),
        item_id=best.item_id,
        title=(item.title if item else None) or best.title or str(_("(content unknown)")),
        priority=priority,
        planned_start=_local(best.planned_start, zone),
        planned_duration=None,
        session=_session_of(clocks.get(best.station_code), local),
        reason="",
        late=_is_late(records, when),
        emergency=priority is Priority.EMERGENCY or _is_emergency_entry(best.entry_id),
        entry_id=best.entry_id,
    )
    return _logged(line, best, records, zone, _seconds(best, duration))


def _is_emergency_entry(entry_id: str | None) -> bool:
    # the agent logs a bulletin it plays with entry id "emergency-<bulletin id>", and its
    # lead-in (attention signal) as "emergency-<bulletin id>:lead-in"
    return bool(entry_id) and str(entry_id).lower().startswith("emergency")


def _bulletin_key(line: AiringLine) -> str:
    """One bulletin's parts (lead-in, body) count as one bulletin."""
    return (line.entry_id or "").split(":", 1)[0] or str(line.event_ids)


def _item_order(items: Mapping[int, Item], item_id: int) -> tuple[int, int, str, int]:
    item = items.get(item_id)
    if item is None:
        return (1 << 30, 1 << 30, "", item_id)
    return (item.directive_id or 0, item.position, item.number, item_id)


def _by_item_station(
    lines: Sequence[AiringLine], items: Mapping[int, Item], codes: Sequence[str]
) -> tuple[ItemStationFigures, ...]:
    groups: dict[tuple[int, str], list[AiringLine]] = {}
    for line in lines:
        if line.planned and line.item_id is not None:
            groups.setdefault((line.item_id, line.station_code), []).append(line)
    order = {c: i for i, c in enumerate(codes)}
    keys = sorted(groups, key=lambda k: (_item_order(items, k[0]), order[k[1]]))
    return tuple(ItemStationFigures(k[0], k[1], figures_of(groups[k])) for k in keys)


def _by_item(lines: Sequence[AiringLine], items: Mapping[int, Item]) -> tuple[ItemFigures, ...]:
    groups: dict[int, list[AiringLine]] = {}
    for line in lines:
        if line.planned and line.item_id is not None:
            groups.setdefault(line.item_id, []).append(line)
    out = []
    for item_id in sorted(groups, key=lambda i: _item_order(items, i)):
        group = groups[item_id]
        out.append(
            ItemFigures(
                item_id=item_id,
                title=group[0].title,
                priority=group[0].priority or Priority.NORMAL,
                figures=figures_of(group),
                stations=len({x.station_code for x in group}),
            )
        )
    return tuple(out)


_ON_AIR = (Outcome.AIRED, Outcome.PARTIAL, Outcome.INTERRUPTED)


def _by_station(lines: Sequence[AiringLine], codes: Sequence[str]) -> tuple[StationFigures, ...]:
    by_code: dict[str, list[AiringLine]] = {c: [] for c in codes}
    for line in lines:
        by_code[line.station_code].append(line)
    out = []
    for code in codes:
        mine = by_code[code]
        planned_sessions = {(x.day, x.session or _hour(x.planned_start)) for x in mine if x.planned}
        held = {(x.day, x.session or _hour(x.when)) for x in mine if x.outcome in _ON_AIR}
        out.append(
            StationFigures(
                station_code=code,
                figures=figures_of(mine),
                sessions_planned=len(planned_sessions),
                sessions_held=len(held),
                seconds_on_air=sum(x.seconds_aired for x in mine),
                emergencies=len(
                    {_bulletin_key(x) for x in mine if x.emergency and x.outcome in _ON_AIR}
                ),
                unplanned=sum(1 for x in mine if not x.planned),
                late_logs=sum(1 for x in mine if x.late),
            )
        )
    return tuple(out)


def _hour(when: datetime | None) -> str:
    return f"{when.hour:02d}h" if when else "?"


def _weekly(lines: Sequence[AiringLine]) -> tuple[WeeklyAirtime, ...]:
    sums: dict[tuple[int, date], int] = {}
    for line in lines:
        if line.item_id is not None and line.seconds_aired:
            key = (line.item_id, week_of(line.day))
            sums[key] = sums.get(key, 0) + line.seconds_aired
    return tuple(WeeklyAirtime(i, w, s) for (i, w), s in sorted(sums.items()))


def _notes(lines: Sequence[AiringLine], period: ReportPeriod) -> tuple[str, ...]:
    span = {"start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"}
    if not lines:
        return (str(_("No broadcast plan and no airing log from {start} to {end}.", **span)),)
    notes = []
    if not any(x.planned for x in lines):
        notes.append(
            _(
                "No published broadcast plan from {start} to {end}; "
                "there are only unplanned airings.",
                **span,
            )
        )
    if not any(x.records for x in lines):
        notes.append(_("No airing log received yet from {start} to {end}.", **span))
    return tuple(str(note) for note in notes)
