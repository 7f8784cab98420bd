"""Plan an office's week from what is stored, publish it, and read its playlists back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadcaster.db import Database, UnitOfWork
from broadcaster.db.plans_repo import PlanVersion
from broadcaster.domain.clusters import aimed_clusters
from broadcaster.domain.errors import ConfigError, InputError, NotFoundError
from broadcaster.domain.items import DocumentRef, Item, Priority
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.planning import (
    EntryKind,
    PlannerSettings,
    StationInput,
    WeeklyPlan,
    plan_week,
    resolve_week,
)
from broadcaster.domain.playlists import (
    PlanDiff,
    Playlist,
    PlaylistEntry,
    derive_playlist,
    derive_playlists,
    diff_plans,
    with_audio,
)
from broadcaster.domain.segments import Segment
from broadcaster.domain.stations import StationTree
from broadcaster.speech.settings import SHIPPED_CHIME

from .fill_library import chime_hash, ensure_chime, with_library


def zone(name: str, where: str | Msg) -> tzinfo:
    """The time zone ``name`` of ``where`` (a station clock), or an error saying it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            _(
                "time zone {name!r} of {where} is unknown; use an IANA name such as "
                "Asia/Ho_Chi_Minh",
                name=name,
                where=where,
            )
        ) from None


def station_inputs(
    uow: UnitOfWork, office: str, tree: StationTree | None = None
) -> list[StationInput]:
    """The broadcasting stations below an office, with their effective clocks and zones."""
    tree = tree if tree is not None else uow.stations.tree()
    tree.get(office)  # a clear error for an unknown code
    out = []
    for st in tree.broadcasting_under(office):
        clock = tree.clock(st.code)
        groups = frozenset(a.code for a in tree.ancestors(st.code))
        clusters = frozenset(c.code for c in tree.followers(st.code))
        tz = zone(clock.timezone, _("station {code}", code=st.code))
        out.append(StationInput(st, clock, tz, groups, clusters))
    if not out:
        raise NotFoundError(
            _(
                "office {office} has no station that airs its own programme; check "
                "'broadcaster stations list' (communes air, clusters follow their commune)",
                office=office,
            )
        )
    return out


def with_station_targets(
    settings: PlannerSettings | None, tree: StationTree, stations: list[StationInput]
) -> PlannerSettings:
    """Settings with each station's ``targets`` from the station tree (inherited down it).

    Targets already in ``settings.station_targets`` win, priority by priority.
    """
    settings = settings or PlannerSettings()
    merged: dict[str, dict[Priority, int]] = {}
    for st in stations:
        code = st.station.code
        targets = {**tree.targets(code).by_priority(), **settings.station_targets.get(code, {})}
        if targets:
            merged[code] = targets
    for code, given in settings.station_targets.items():
        merged.setdefault(code, dict(given))
    return replace(settings, station_targets=merged)


def items_with_audio(uow: UnitOfWork) -> tuple[list[Item], dict[int, Segment]]:
    """Approved items, their duration taken from their current segment when there is one.

    An item that cites no basis of its own carries the guidance document it came from, so
    playlists and reports always name what an airing implements.
    """
    items = uow.items.approved()
    segments = uow.segments.current_for_items([i.id for i in items if i.id is not None])
    directives: dict[int, DocumentRef] = {}
    out = []
    for item in items:
        seg = segments.get(item.id) if item.id is not None else None
        if seg is not None:
            item = replace(item, duration=seg.duration)
        if not item.basis and item.directive_id is not None:
            if item.directive_id not in directives:
                directives[item.directive_id] = uow.directives.get(item.directive_id).as_reference()
            item = replace(item, basis=(directives[item.directive_id],))
        out.append(item)
    return out, segments


def plan_office_week(
    db: Database,
    office: str,
    week: date | str,
    now: datetime,
    settings: PlannerSettings | None = None,
    *,
    audio_dir: Path | None = None,
) -> tuple[WeeklyPlan, PlanVersion]:
    """Plan the week for every station of an office and store it as the office's draft.

    The newest published version of the week is the base: what started before ``now`` is
    kept exactly, and the rest moves as little as it can. Free time is filled from the
    office's library (recordings with no item); with ``audio_dir``, the shipped chime is
    stored there so the chimes between announcements sound.
    """
    monday = resolve_week(week)
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
        refuse_unless_office(tree, office)
        stations = station_inputs(uow, office, tree)
        _refuse_a_week_that_is_over(monday, now, stations)
        settings = with_library(with_station_targets(settings, tree, stations), uow)
        if audio_dir is not None:
            ensure_chime(uow, audio_dir, now)
        items, _segments = items_with_audio(uow)
        previous = uow.plans.published(office, monday)
        plan = plan_week(
            stations, items, monday, settings, previous=previous, now=now, office=office
        )
        meta = uow.plans.save_draft(office, plan, now)
    return plan, meta


def refuse_unless_office(tree: StationTree, code: str, doing: Msg | None = None) -> None:
    """Only a planning office plans and publishes; anyone else is told which office does."""
    station = tree.get(code)
    if station.is_office:
        return
    doing = doing or _("plan a week")
    above = tree.office_of(code)
    if above is None:
        raise InputError(
            _(
                "{code} ({name}) is not a planning office, so it cannot {doing}, and no "
                "office above it plans for it; mark its planning office with 'office = true' "
                "in the station file",
                code=code,
                name=station.name,
                doing=doing,
            )
        )
    raise InputError(
        _(
            "{code} ({name}) is not a planning office, so it cannot {doing}: its "
            "plan comes from {office} ({office_name}); run the command with --office {office}",
            code=code,
            name=station.name,
            doing=doing,
            office=above.code,
            office_name=above.name,
        )
    )


def _refuse_a_week_that_is_over(monday: date, now: datetime, stations: list[StationInput]) -> None:
    """Nothing can be placed in a week that has ended at every station: say so plainly."""
    ends = [datetime.combine(monday + timedelta(days=7), time(0), st.tz) for st in stations]
    if now < max(ends):
        return
    sunday = monday + timedelta(days=6)
    today = now.astimezone(stations[0].tz).date()
    raise InputError(
        _(
            "week {week} ({monday}–{sunday}) is over, so nothing in it can be planned; "
            "plan this week ({this_week}) or a later one",
            week=_week(monday),
            monday=monday.strftime("%d/%m/%Y"),
            sunday=sunday.strftime("%d/%m/%Y"),
            this_week=_week(today),
        )
    )


@dataclass(frozen=True)
class Published:
    version: PlanVersion
    plan: WeeklyPlan
    diff: PlanDiff | None  # against the version before, when there is one


def publish_office_week(
    db: Database, office: str, week: date | str, now: datetime, by: str
) -> Published:
    monday = resolve_week(week)
    with db.unit_of_work() as uow:
        refuse_unless_office(uow.stations.tree(), office, _("publish a week"))
        before = uow.plans.published(office, monday)
        meta = uow.plans.publish(office, monday, now, by)
        plan = uow.plans.published(office, monday)
        assert plan is not None
    return Published(meta, plan, diff_plans(before, plan) if before is not None else None)


#: how a draft is named to people (the label of :func:`load_plan`)
DRAFT_LABEL = _("draft")


def load_plan(
    db: Database, office: str, week: date | str, *, draft: bool = True
) -> tuple[WeeklyPlan, Msg]:
    """The office's draft of a week (or, without one, its newest published version)."""
    monday = resolve_week(week)
    with db.unit_of_work() as uow:
        plan = uow.plans.draft(office, monday) if draft else None
        label = DRAFT_LABEL
        if plan is None:
            plan = uow.plans.published(office, monday)
            version = uow.plans.latest_version(office, monday)
            label = _("version {version}", version=version)
    if plan is None:
        raise _no_plan_for_office(office, monday)
    return plan, label


def _week(day: date) -> str:
    """The ISO week of a day as the commands take it: 2026-W48."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _no_plan_for_office(office: str, monday: date) -> NotFoundError:
    return NotFoundError(
        _(
            "no plan for office {office} in week {week}; "
            "run 'broadcaster plan week --office {office} --week {week}'",
            office=office,
            week=_week(monday),
        )
    )


def _attach_audio(
    uow: UnitOfWork, playlists: list[Playlist]
) -> tuple[list[Playlist], dict[str, Segment]]:
    ids = {e.item_id for pl in playlists for e in pl.entries if e.item_id is not None}
    segments = uow.segments.current_for_items(ids)
    by_hash = {s.content_hash: s for s in segments.values()}
    own = {e.audio for pl in playlists for e in pl.entries if e.audio is not None}
    chime = chime_hash() if SHIPPED_CHIME.is_file() else None
    if chime is not None and any(e.kind is EntryKind.CHIME for pl in playlists for e in pl.entries):
        own.add(chime)
    by_hash.update(uow.segments.unattached(own))  # the chime and the library's pieces

    def lookup(entry: PlaylistEntry) -> str | None:
        if entry.item_id is not None:
            seg = segments.get(entry.item_id)
            return seg.content_hash if seg is not None else None
        if entry.kind is EntryKind.CHIME and chime in by_hash:
            return chime
        return entry.audio if entry.audio in by_hash else None

    return [with_audio(pl, lookup) for pl in playlists], by_hash


def _aimed(uow: UnitOfWork, tree: StationTree, playlists: list[Playlist]) -> list[Playlist]:
    """The playlists with each entry of an item aimed at some of the station's loudspeaker
    clusters alone marked with those clusters (only their agents play it)."""
    ids = {e.item_id for pl in playlists for e in pl.entries if e.item_id is not None}
    targets = {i.id: i.stations for i in uow.items.list(ids=ids) if i.stations} if ids else {}
    out = []
    for pl in playlists:
        code = pl.station_code
        if code not in tree or not any(e.item_id in targets for e in pl.entries):
            out.append(pl)
            continue
        groups = {a.code for a in tree.ancestors(code)}
        followers = {c.code for c in tree.followers(code)}
        entries = []
        for e in pl.entries:
            only = (
                aimed_clusters(targets[e.item_id], code, groups, followers)
                if e.item_id in targets
                else ()
            )
            entries.append(replace(e, clusters=only) if only else e)
        out.append(replace(pl, entries=tuple(entries)))
    return out


@dataclass(frozen=True)
class StationDay:
    playlist: Playlist
    version: int | None  # None: from a draft
    segments: dict[str, Segment]  # by content hash


def station_playlist(
    db: Database, station: str, day: date, *, allow_draft: bool = True
) -> StationDay:
    """A station's playlist for a date: the newest published plan covering it, else a draft."""
    monday = resolve_week(day)
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
        tree.get(station)
        office = tree.office_of(station)
        version: int | None = None
        plan: WeeklyPlan | None = None
        # only the station's own office's plan reaches it, never one a neighbour published
        found = uow.plans.published_for_station(station, monday)
        if found is not None and office is not None and found[0].office_code != office.code:
            plan = uow.plans.published(office.code, monday)
            version = uow.plans.latest_version(office.code, monday) if plan else None
        elif found is not None:
            version, plan = found[0].version, found[1]
        if plan is None and allow_draft and office is not None:
            plan = uow.plans.draft(office.code, monday)
        if plan is None:
            raise NotFoundError(
                _(
                    "no plan covers station {station} in week {week}; plan and publish its "
                    "office's week first ('broadcaster plan week', 'broadcaster plan publish')",
                    station=station,
                    week=_week(monday),
                )
            )
        derived = _aimed(uow, tree, [derive_playlist(plan, station, day)])
        (pl,), segments = _attach_audio(uow, derived)
    return StationDay(pl, version, segments)


def office_playlists(
    db: Database, office: str, week: date | str
) -> tuple[list[Playlist], int | None, dict[str, Segment]]:
    """Every playlist of an office's week: the newest published version, else the draft."""
    monday = resolve_week(week)
    with db.unit_of_work() as uow:
        plan = uow.plans.published(office, monday)
        version = uow.plans.latest_version(office, monday) if plan is not None else None
        if plan is None:
            plan = uow.plans.draft(office, monday)
        if plan is None:
            raise _no_plan_for_office(office, monday)
        derived = _aimed(uow, uow.stations.outline(), derive_playlists(plan))
        playlists, segments = _attach_audio(uow, derived)
    return playlists, version, segments


def unpublished_next_week(db: Database, office: str, today: date) -> date | None:
    """From Friday on: next week's Monday if the office has not published it yet (its
    stations would play their fallback programme), else None."""
    if today.weekday() < 4:
        return None
    monday = today + timedelta(days=7 - today.weekday())
    with db.unit_of_work() as uow:
        if uow.plans.latest_version(office, monday) is not None:
            return None
    return monday
