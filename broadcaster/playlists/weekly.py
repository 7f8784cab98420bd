"""The week's plan as a printable page: one A4 landscape sheet per station, sessions by day,
for the planning office to check, sign and post (``broadcaster plan show --format html``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from broadcaster.domain.items import Priority
from broadcaster.domain.messages import Msg, _, weekday_short
from broadcaster.domain.planning import (
    EntryKind,
    PlanEntry,
    PlannedSession,
    SessionFill,
    StationPlan,
    WeeklyPlan,
)
from broadcaster.domain.planning.weeks import duration_words

from .paper import Letterhead, signed_date
from .render import _env


@dataclass
class _Cell:
    entries: list[PlanEntry] = field(default_factory=list)
    frozen: bool = False
    fill: SessionFill | None = None
    ends_at: datetime | None = None  # when it ends early
    filler: str = ""  # what fills free time, in words


@dataclass
class _Row:
    name: str
    hhmm: str
    cells: list[_Cell | None]  # None: no such session that day


@dataclass
class _Topic:
    item_id: int
    title: str
    basis: str
    priority: Priority | None
    airings: int = 0
    seconds: float = 0.0


def _station_page(plan: WeeklyPlan, sp: StationPlan) -> dict[str, object]:
    rows: dict[tuple[str, str], _Row] = {}
    topics: dict[int, _Topic] = {}
    for s in sp.sessions:
        hhmm = f"{s.start.hour:02d}:{s.start.minute:02d}"
        row = rows.setdefault((hhmm, s.name), _Row(s.name, hhmm, [None] * 7))
        cell = _Cell(frozen=s.frozen, fill=s.fill, ends_at=s.ends_at)
        cell.filler = _filler_words(s)
        for e in s.entries:
            if e.kind in (EntryKind.ANNOUNCEMENT, EntryKind.FIXED_BLOCK):
                cell.entries.append(e)
            if e.item_id is not None:
                topic = topics.setdefault(
                    e.item_id, _Topic(e.item_id, e.title, e.basis, e.priority)
                )
                topic.airings += 1
                topic.seconds += e.duration.total_seconds()
        row.cells[(s.day - plan.monday).days] = cell
    total = sum((t.seconds for t in topics.values()), 0.0)
    fills = [s.fill for s in sp.sessions]
    return {
        "vietnam": sp.timezone == "Asia/Ho_Chi_Minh",
        "zone": sp.timezone,
        "fill": {
            part: str(duration_words(sum((getattr(f, part) for f in fills), timedelta())))
            for part in ("content", "filler", "fixed", "silence")
        },
        "worst_silence": max((f.silence_ratio for f in fills), default=0.0),
        "code": sp.code,
        "name": sp.name,
        "rows": [rows[k] for k in sorted(rows)],
        "topics": sorted(topics.values(), key=lambda t: t.item_id),
        "airings": sum(t.airings for t in topics.values()),
        "minutes": total / 60,
        "length": str(duration_words(timedelta(seconds=total))),
        "shortfalls": [f for f in plan.shortfalls if f.station_code == sp.code],
    }


def _filler_words(session: PlannedSession) -> str:
    """``Chương trình, âm nhạc 12 phút 5 giây; Tiếp âm 24 phút`` for a cell of the grid."""
    parts = []
    for kind in (EntryKind.FILLER, EntryKind.RELAY):
        seconds = sum((e.duration for e in session.entries if e.kind is kind), timedelta())
        if seconds:
            parts.append(f"{kind.label} {duration_words(seconds)}")
    return "; ".join(parts)


def week_range(monday: date) -> Msg:
    """``từ 07/12 đến 13/12/2026`` (the year once, unless the week spans two)."""
    sunday = monday + timedelta(days=6)
    start = f"{monday.day:02d}/{monday.month:02d}"
    if monday.year != sunday.year:
        start += f"/{monday.year}"
    end = f"{sunday.day:02d}/{sunday.month:02d}/{sunday.year}"
    return _("the week from {start} to {end}", start=start, end=end)


def render_weekly_html(
    plan: WeeklyPlan,
    label: str | Msg,
    office_name: str | None = None,
    station: str | None = None,
    *,
    draft: bool = False,
    parent_name: str | None = None,
    place: str | None = None,
) -> str:
    """The plan (or one station of it) as printable HTML in the reader's language, laid out
    as an official plan (Decree 30/2020/NĐ-CP: national title and motto, the issuing body and
    the one above it, number, place and date, recipients, signature), each session with what
    fills its free time; a draft says so."""
    stations = [plan.station(station)] if station else list(plan.stations)
    days = [(weekday_short(d.weekday()), f"{d.day:02d}/{d.month:02d}") for d in plan.days]
    sunday: date = plan.monday + timedelta(days=6)
    return (
        _env()
        .get_template("weekly.html.j2")
        .render(
            plan=plan,
            label=label,
            draft=draft,
            office_name=office_name or plan.office or "",
            head=Letterhead(
                body=office_name or plan.office or "",
                above=parent_name or "",
                symbol=f"KH-{plan.office}" if plan.office else "",
                place=place,
            ),
            period=week_range(plan.monday),
            signed=signed_date(_signed_on(plan), place),
            days=days,
            sunday=sunday,
            pages=[_station_page(plan, sp) for sp in stations],
            FIXED=EntryKind.FIXED_BLOCK,
            PRIORITY=Priority.PRIORITY,
        )
    )


def _signed_on(plan: WeeklyPlan) -> date:
    """The day the plan was made (in its first station's zone), else the Friday before."""
    if plan.created_at is not None and plan.stations and plan.stations[0].sessions:
        return plan.created_at.astimezone(plan.stations[0].sessions[0].start.tzinfo).date()
    if plan.created_at is not None:
        return plan.created_at.date()
    return plan.monday - timedelta(days=3)
