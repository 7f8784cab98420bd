"""What a reviewer reads in the console: planned versus aired for a node of the station tree
over a week or a month, drilled down from the province to a station to one day's log.

The figures are the airing report's (:func:`broadcaster.usecases.reports.build_airing_report`),
with the plans of every office the node's stations belong to, so a province, a district office
and a commune read the same numbers the office's printed report shows.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from broadcaster.audio.store import find_audio
from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.accounts import Permission, Role, User
from broadcaster.domain.airings import Airing
from broadcaster.domain.distribution import Emergency, EmergencyDelivery
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.messages import _
from broadcaster.domain.reconcile import (
    AiringLine,
    Figures,
    PlannedAiring,
    ReportPeriod,
    figures_of,
)
from broadcaster.domain.stations import Station, StationTree
from broadcaster.reports.logbook import Logbook
from broadcaster.reports.model import AiringReport

from .accounts import Reach
from .operator_day import Signature, day_signatures
from .plans import zone
from .reports import build_airing_report, build_station_logbook, load_published_plans

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str  # "week" or "month"

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def previous(self) -> Period:
        return _shifted(self, -1)

    def following(self) -> Period:
        return _shifted(self, 1)

    @property
    def query(self) -> str:
        """How the period is asked for in the page's address."""
        if self.kind == "month":
            return f"month={self.start:%Y-%m}"
        return f"week={self.start.isoformat()}"


def _shifted(p: Period, step: int) -> Period:
    if p.kind == "week":
        return week_period(p.start + timedelta(weeks=step))
    month = p.start.month - 1 + step
    return month_period(p.start.year + month // 12, month % 12 + 1)


def week_period(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6), "week")


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), "month")


def parse_period(week: str | None, month: str | None, today: date) -> Period:
    """``week=2026-12-07`` (any day of it) or ``month=2026-12``; neither: this week."""
    if month:
        m = _MONTH.match(month.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise InputError(_("{value!r} is not a month; write it like 2026-12", value=month))
        return month_period(int(m.group(1)), int(m.group(2)))
    if week:
        try:
            return week_period(date.fromisoformat(week.strip()))
        except ValueError:
            raise InputError(
                _("{value!r} is not a day; write it like 2026-12-07", value=week)
            ) from None
    return week_period(today)


def reviewable(db: Database, user: User, node: str | None) -> Station:
    """The node the person may read reports of: a reviewer, approver, office or administrator
    their subtree; an operator their own station only."""
    wanted = node or user.station_code
    permission = Permission.OPERATE if user.role is Role.OPERATOR else Permission.READ_REPORTS
    Reach(user).check(db, permission, wanted)
    with db.unit_of_work() as uow:
        return uow.stations.tree().get(wanted)


def subtree_plans(
    uow: UnitOfWork, _office: str, period: ReportPeriod, codes: Sequence[str]
) -> list[PlannedAiring]:
    """The published plans of every office the stations belong to (a province has several)."""
    tree = uow.stations.tree()
    by_office: dict[str, list[str]] = {}
    for code in codes:
        office = tree.office_of(code)
        if office is not None:
            by_office.setdefault(office.code, []).append(code)
    out: list[PlannedAiring] = []
    for office_code, group in by_office.items():
        out += load_published_plans(uow, office_code, period, group)
    return out


@dataclass(frozen=True)
class Branch:
    """A node one level down, with the figures of the stations under it."""

    station: Station
    figures: Figures
    unplanned: int
    broadcasts: bool


@dataclass(frozen=True)
class DayFigures:
    day: date
    figures: Figures
    unplanned: int
    signature: Signature | None = None


@dataclass(frozen=True)
class BulletinDelivery:
    emergency: Emergency
    targets: int  # stations of the node it was sent to
    acknowledged: int
    started: int


@dataclass(frozen=True)
class Review:
    node: Station
    ancestors: tuple[Station, ...]
    period: Period
    report: AiringReport
    branches: tuple[Branch, ...]
    days: tuple[DayFigures, ...]
    bulletins: tuple[BulletinDelivery, ...]

    @property
    def station(self) -> bool:
        """The node is one station (its days link to their log)."""
        return self.node.broadcasts


def review(db: Database, user: User, node: str | None, period: Period, now: datetime) -> Review:
    """Planned versus aired under the node over the period, with its branches and its days."""
    station = reviewable(db, user, node)
    report = _report(db, station, period, now)
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    lines = report.reconciliation.lines
    signatures = day_signatures(db, station.code) if station.broadcasts else {}
    days = tuple(
        DayFigures(
            d,
            figures_of(x for x in lines if x.day == d),
            sum(1 for x in lines if x.day == d and not x.planned and not x.emergency),
            signatures.get(d),
        )
        for d in period.days
    )
    return Review(
        station,
        tuple(tree.ancestors(station.code)),
        period,
        report,
        _branches(tree, station, lines),
        days,
        tuple(_bulletins(db, tree, station, period)),
    )


def _branches(tree: StationTree, node: Station, lines: Sequence[AiringLine]) -> tuple[Branch, ...]:
    out = []
    for child in tree.children(node.code):
        codes = {s.code for s in tree.broadcasting_under(child.code)}
        if not codes:
            continue
        mine = [x for x in lines if x.station_code in codes]
        out.append(
            Branch(
                child,
                figures_of(mine),
                sum(1 for x in mine if not x.planned and not x.emergency),
                child.broadcasts,
            )
        )
    return tuple(out)


def _bulletins(
    db: Database, tree: StationTree, node: Station, period: Period
) -> list[BulletinDelivery]:
    codes = {s.code for s in tree.subtree(node.code)}
    tz = zone(tree.clock(node.code).timezone, node.code)
    out = []
    with db.unit_of_work() as uow:
        for e in uow.emergencies.recent(limit=1000):
            day = e.created_at.astimezone(tz).date()
            mine = codes & set(e.stations)
            if not mine or not period.start <= day <= period.end:
                continue
            deliveries: list[EmergencyDelivery] = [
                d for d in uow.emergencies.deliveries(e.id) if d.station_code in mine
            ]
            out.append(
                BulletinDelivery(
                    e,
                    len(mine),
                    sum(1 for d in deliveries if d.acked_at is not None),
                    sum(1 for d in deliveries if d.started_at is not None),
                )
            )
    return sorted(out, key=lambda b: b.emergency.created_at)


def report_for(
    db: Database, user: User, node: str | None, period: Period, now: datetime
) -> AiringReport:
    """The airing report of the node's stations over the period (for the files to download)."""
    return _report(db, reviewable(db, user, node), period, now)


def _report(db: Database, station: Station, period: Period, now: datetime) -> AiringReport:
    """Planned versus aired at the stations under ``station``, with the plans of its subtree."""
    return build_airing_report(
        db,
        office=station.code,
        start=period.start,
        end=period.end,
        now=now,
        plan_loader=subtree_plans,
    )


@dataclass(frozen=True)
class Recording:
    """The recording an operator gave with a local notice."""

    title: str
    at: datetime | None
    audio_hash: str


@dataclass(frozen=True)
class DayLog:
    station: Station
    day: date
    book: Logbook
    signature: Signature | None
    recordings: tuple[Recording, ...] = ()


def day_log(db: Database, user: User, code: str, day: date, now: datetime) -> DayLog:
    """One station's log for one day, as its log book prints it, with the notices' recordings."""
    station = reviewable(db, user, code)
    book = logbook_for(db, user, station.code, day, day, now)
    ids = {i for d in book.days for x in d.lines if not x.planned for i in x.event_ids}
    with db.unit_of_work() as uow:
        found = [a for a in _notices(uow, station.code) if a.event_id in ids]
    recordings = tuple(
        Recording(a.title or "", a.actual_start, a.segment_hash)
        for a in found
        if a.segment_hash is not None
    )
    return DayLog(station, day, book, day_signatures(db, station.code).get(day), recordings)


def _notices(uow: UnitOfWork, code: str) -> list[Airing]:
    return [
        a
        for a in uow.airings.list(stations=[code])
        if a.planned_start is None and a.segment_hash is not None
    ]


def notice_recording(db: Database, user: User, code: str, audio_hash: str, cache_dir: Path) -> Path:
    """The file of a recording given with one of the station's local notices, for a person who
    may read the station's reports (nothing else is served here)."""
    station = reviewable(db, user, code)
    with db.unit_of_work() as uow:
        known = any(a.segment_hash == audio_hash for a in _notices(uow, station.code))
    path = find_audio(cache_dir, audio_hash) if known else None
    if path is None:
        raise NotFoundError(
            _("{station} has no notice recording {audio}…", station=station.name,
              audio=audio_hash[:12])
        )  # fmt: skip
    return path


def logbook_for(
    db: Database, user: User, code: str, start: date, end: date, now: datetime
) -> Logbook:
    station = reviewable(db, user, code)
    return build_station_logbook(db, station=station.code, start=start, end=end, now=now)
