"""Build airing reports and log books from the published plans and the stored airing logs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.clusters import cluster_planned, with_clusters
from broadcaster.domain.errors import InputError, os_reason
from broadcaster.domain.items import Directive, Item
from broadcaster.domain.messages import N_, Msg, _
from broadcaster.domain.playlists import entry_id
from broadcaster.domain.reconcile import PlannedAiring, Reconciliation, ReportPeriod, reconcile
from broadcaster.domain.stations import Station, StationTree
from broadcaster.reports import FORMATS, LOGBOOK_FORMATS
from broadcaster.reports.logbook import Logbook, build_logbook
from broadcaster.reports.model import AiringReport, governing_body

from .plans import zone as zone  # also imported from here (demo.reports)

#: (unit of work, office code, period, station codes) → planned entries of the published plans
PlanLoader = Callable[[UnitOfWork, str, ReportPeriod, Sequence[str]], list[PlannedAiring]]


def parse_day(text: str, option: str, today: date | None = None) -> date:
    """A day as ``2025-07-14``, ``14/07/2025`` or ``14/07`` (the year nearest ``today``)."""
    value = text.strip()
    try:
        if "/" in value:
            parts = [int(p) for p in value.split("/")]
            if len(parts) == 2 and today is not None:
                d, m = parts
                return min(
                    (date(y, m, d) for y in (today.year - 1, today.year, today.year + 1)),
                    key=lambda day: abs((day - today).days),
                )
            d, m, y = parts
            return date(y, m, d)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            _(
                "{option} {value!r} is not a date; write it as YYYY-MM-DD (2025-07-14), "
                "DD/MM/YYYY (14/07/2025) or DD/MM (14/07)",
                option=option,
                value=text,
            )
        ) from None


# --- plans ------------------------------------------------------------------------------------


def planned_from_weekly_plan(plan: Any) -> list[PlannedAiring]:
    """Announcements of a :class:`~broadcaster.domain.planning.WeeklyPlan` as planned airings.

    Only entries that air an item count (chimes, station IDs and relays are not reported on).
    """
    out: list[PlannedAiring] = []
    for station in plan.stations:
        for session in station.sessions:
            for entry in session.entries:
                if entry.item_id is None:
                    continue
                kwargs: dict[str, Any] = {}
                if entry.priority is not None:
                    kwargs["priority"] = entry.priority
                out.append(
                    PlannedAiring(
                        station_code=station.code,
                        item_id=entry.item_id,
                        start=entry.start,
                        duration=entry.duration,
                        session=session.name,
                        title=entry.title,
                        entry_id=entry_id(station.code, entry.start, entry.kind, entry.item_id),
                        **kwargs,
                    )
                )
    return out


def load_published_plans(
    uow: UnitOfWork, office: str, period: ReportPeriod, codes: Sequence[str]
) -> list[PlannedAiring]:
    """Planned airings of the plans published for the office's stations over the period.

    Reads issue 5's plan repository through ``uow.plans.published(office, monday)`` (the
    published :class:`~broadcaster.domain.planning.WeeklyPlan` of that week, or None). Until
    that repository is installed there is nothing published to compare with, and every
    logged airing shows as unplanned.
    """
    repo = getattr(uow, "plans", None)
    if repo is None:
        return []
    wanted = set(codes)
    out: list[PlannedAiring] = []
    monday = period.start - timedelta(days=period.start.weekday())
    while monday <= period.end:
        plan = repo.published(office, monday)
        if plan is not None:
            out += [p for p in planned_from_weekly_plan(plan) if p.station_code in wanted]
        monday += timedelta(weeks=1)
    return out


# --- reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    tree: StationTree
    stations: list[Station]
    reconciliation: Reconciliation
    items: dict[int, Item]
    directives: dict[int, Directive]


def _load(
    db: Database,
    *,
    office: str,
    stations: Callable[[StationTree], list[Station]],
    period: ReportPeriod,
    now: datetime,
    planned: Iterable[PlannedAiring] | None,
    plan_loader: PlanLoader | None,
    clusters: bool = False,
) -> _Loaded:
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
        tree.get(office)  # unknown code: one clear error naming the known ones
        chosen = stations(tree)
        if clusters:  # the clusters with an agent, each under its commune
            chosen = with_clusters(tree, chosen, uow.tokens.stations_with_usable_tokens(now))
        codes = [s.code for s in chosen]
        zones = {c: zone(tree.clock(c).timezone, _("station {code}", code=c)) for c in codes}
        clocks = {c: tree.clock(c) for c in codes}
        if planned is None:
            planned = (plan_loader or load_published_plans)(uow, office, period, codes)
        planned = cluster_planned(planned, tree, codes) if clusters else list(planned)
        # a day either side: each station's own zone decides which local day a record is on
        start = datetime.combine(period.start - timedelta(days=1), time(), tzinfo=UTC)
        end = datetime.combine(period.end + timedelta(days=2), time(), tzinfo=UTC)
        named = {p.entry_id for p in planned if p.entry_id is not None}
        airings = (
            uow.airings.list(stations=codes, start=start, end=end, entry_ids=named) if codes else []
        )
        ids = {p.item_id for p in planned} | {a.item_id for a in airings if a.item_id is not None}
        items = {i.id: i for i in uow.items.list(ids=ids) if i.id is not None} if ids else {}
        directives = {d.id: d for d in uow.directives.list() if d.id is not None}
    result = reconcile(
        planned,
        airings,
        items=items,
        stations=chosen,
        period=period,
        zones=zones,
        clocks=clocks,
        as_of=now,
    )
    return _Loaded(tree, chosen, result, items, directives)


def build_airing_report(
    db: Database,
    *,
    office: str,
    start: date,
    end: date,
    now: datetime,
    place: str | None = None,
    planned: Iterable[PlannedAiring] | None = None,
    plan_loader: PlanLoader | None = None,
) -> AiringReport:
    """Planned versus aired for every station that airs under ``office``, over whole days.

    ``planned`` replaces the published plans (tests, imports from elsewhere).
    """
    period = ReportPeriod(start, end)
    loaded = _load(
        db,
        office=office,
        stations=lambda tree: tree.broadcasting_under(office),
        period=period,
        now=now,
        planned=planned,
        plan_loader=plan_loader,
        clusters=True,
    )
    tree = loaded.tree
    office_station = tree.get(office)
    tz_name = tree.clock(office).timezone
    ancestors = tree.ancestors(office)
    return AiringReport(
        office=office_station,
        reconciliation=loaded.reconciliation,
        stations={s.code: s for s in tree} | _under_commune(tree, loaded.stations),
        items=loaded.items,
        directives=loaded.directives,
        generated_at=now.astimezone(zone(tz_name, _("station {code}", code=office))),
        timezone=tz_name,
        parent_name=governing_body(ancestors[-1]) if ancestors else None,
        place=place,
    )


def _under_commune(tree: StationTree, stations: Iterable[Station]) -> dict[str, Station]:
    """The report's clusters named under their commune ("Xã Đắk Mil › Cụm loa thôn …")."""
    out = {}
    for s in stations:
        programme = None if s.broadcasts else tree.programme_of(s.code)
        if programme is not None:
            name = _("{commune} › {cluster}", commune=programme.name, cluster=s.name)
            out[s.code] = replace(s, name=str(name))
    return out


def build_station_logbook(
    db: Database,
    *,
    station: str,
    start: date,
    end: date,
    now: datetime,
    place: str | None = None,
    planned: Iterable[PlannedAiring] | None = None,
    plan_loader: PlanLoader | None = None,
) -> Logbook:
    """The station's log book: what it aired (and missed), day by day, for signing."""
    period = ReportPeriod(start, end)
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    node = tree.get(station)
    if not node.broadcasts:
        below = [s.code for s in tree.broadcasting_under(station)]
        airing = next((a for a in reversed(tree.ancestors(station)) if a.broadcasts), None)
        values = {"name": node.name, "code": station}
        if airing is not None:
            raise InputError(
                _(
                    "{name} ({code}) does not air a programme of its own, so it keeps no log "
                    "book; its commune station {commune} keeps it",
                    commune=airing.code,
                    **values,
                )
            )
        if below:
            raise InputError(
                _(
                    "{name} ({code}) does not air a programme of its own, so it keeps no log "
                    "book; the stations below it do: {below}",
                    below=", ".join(below[:6]) + ("…" if len(below) > 6 else ""),
                    **values,
                )
            )
        raise InputError(
            _(
                "{name} ({code}) does not air a programme of its own, so it keeps no log "
                "book; no station below it airs either",
                **values,
            )
        )
    office = tree.office_of(station)
    loaded = _load(
        db,
        office=office.code if office else station,
        stations=lambda t: [t.get(station)],
        period=period,
        now=now,
        planned=planned,
        plan_loader=plan_loader,
    )
    tz_name = tree.clock(station).timezone
    parent = tree.get(node.parent) if node.parent and node.parent in tree else None
    return build_logbook(
        node,
        loaded.reconciliation,
        parent_name=governing_body(parent) if parent else None,
        generated_at=now.astimezone(zone(tz_name, _("station {code}", code=station))),
        timezone=tz_name,
        place=place,
    )


# --- output -----------------------------------------------------------------------------------


def _check_format(fmt: str, formats: Sequence[str], unknown: str) -> None:
    """Refuse a format not among ``formats``; ``unknown`` is the refusal's message id (marked
    with ``N_``), given ``{format}`` and ``{formats}``."""
    if fmt not in formats:
        raise InputError(Msg(unknown, {"format": fmt, "formats": ", ".join(formats)}))


def render_airing_report(report: AiringReport, fmt: str) -> bytes:
    _check_format(fmt, FORMATS, N_("unknown report format {format!r}; choose one of {formats}"))
    if fmt == "xlsx":
        from broadcaster.reports.xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "docx":
        from broadcaster.reports.word import render_docx

        return render_docx(report)
    if fmt == "html":
        from broadcaster.reports.html import render_html

        return render_html(report).encode("utf-8")
    from broadcaster.reports.tabular import render_csv, render_json

    return (render_csv(report) if fmt == "csv" else render_json(report)).encode("utf-8")


def render_station_logbook(book: Logbook, fmt: str) -> bytes:
    _check_format(
        fmt, LOGBOOK_FORMATS, N_("unknown log book format {format!r}; choose one of {formats}")
    )
    from broadcaster.reports.logbook import render_logbook_docx, render_logbook_html

    if fmt == "docx":
        return render_logbook_docx(book)
    return render_logbook_html(book).encode("utf-8")


def report_filename(kind: str, code: str, start: date, end: date, fmt: str) -> str:
    """``bao-cao-KV-DAKMIL-2025-07-07-2025-07-13.xlsx``, ``so-nhat-ky-XA-DAKMIL-….html``."""
    prefix = {"airings": "bao-cao", "logbook": "so-nhat-ky"}[kind]
    return f"{prefix}-{code}-{start.isoformat()}-{end.isoformat()}.{fmt}"


def write_output(data: bytes, path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise InputError(
            _("cannot write {path}: {error}", path=path, error=os_reason(exc))
        ) from exc
    return path
