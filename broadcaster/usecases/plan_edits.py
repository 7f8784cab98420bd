"""The week board's use cases: an office's week as its people may see it, changes by hand
(pin, move, remove, add) checked by the planner's rules, re-planning around them, publishing.

A plan is named by its stored id (a draft or a published version). What the office works on
is the *head* of a week: its draft, else its newest published version. A change or a
publication names the head it was made on; when another window has changed the week since,
it is refused as stale (nothing is lost: the page shows the week as it now is). Pins and
removals are kept per office and week (:mod:`broadcaster.db.plan_edits_repo`), so a re-plan
and a new version keep them.

Who: office people (and administrators) above or at the office change and publish its weeks;
approvers and reviewers read the stations of their own subtree; operators do not open it.
Another office's plan answers "not found".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from broadcaster.db import Database, UnitOfWork
from broadcaster.db.plans_json import plan_to_dict
from broadcaster.db.plans_repo import PlanVersion
from broadcaster.domain.accounts import Permission, Role, User
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import Item
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.planning import PlannedSession, PlannerSettings, WeeklyPlan, resolve_week
from broadcaster.domain.planning.edits import (
    AiringRef,
    EditableWeek,
    EditKind,
    EditRefused,
    PlanEdit,
    PlanEdits,
)
from broadcaster.domain.planning.pinned import DroppedPin, plan_week_around
from broadcaster.domain.playlists import PlanDiff, diff_plans
from broadcaster.domain.stations import Station, StationTree

from .plans import (
    _refuse_a_week_that_is_over,
    items_with_audio,
    station_inputs,
    with_station_targets,
)


class StalePlan(InputError):
    """A change or publication made on a version of the week that is no longer its head."""

    code = "stale_plan"


def revision(version: PlanVersion, plan: WeeklyPlan) -> str:
    """What a page names the plan it shows by, besides its id: a stored row's id can come
    back after a draft is replaced (SQLite reuses the highest id), its content cannot."""
    data = json.dumps(plan_to_dict(plan), sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(f"{version.status}:{version.version}:{data}".encode()).hexdigest()
    return digest[:16]


def _readable(user: User) -> bool:
    return any(user.can(p) for p in (Permission.PLAN, Permission.APPROVE, Permission.READ_REPORTS))


def _refuse_reading(user: User) -> ForbiddenError:
    return ForbiddenError(
        _("{who} ({role}) may not open this page", who=user.shown, role=user.role.label)
    )


def _path(tree: StationTree, code: str) -> list[str]:
    return [code, *(s.code for s in tree.ancestors(code))]


def may_change(user: User, tree: StationTree, office: str) -> bool:
    """Office people at or above the office (and administrators) plan and publish its weeks."""
    if not user.can(Permission.PLAN):
        return False
    return user.role is Role.ADMIN or user.station_code in _path(tree, office)


def offices_for(db: Database, user: User) -> list[Station]:
    """The planning offices whose weeks the person may open: those at or below their node,
    and the one planning for their node's stations."""
    if not _readable(user):
        raise _refuse_reading(user)
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    return _offices(tree, user)


def _offices(tree: StationTree, user: User) -> list[Station]:
    offices = [s for s in tree.ordered() if s.is_office]
    if user.role is Role.ADMIN:
        return offices
    if user.station_code not in tree:
        return []
    above = _path(tree, user.station_code)
    return [
        o
        for o in offices
        if user.station_code in _path(tree, o.code)
        or (o.code in above and _visible(tree, user, o.code))
    ]


def _visible(tree: StationTree, user: User, office: str) -> set[str]:
    """The stations of an office's plan the person may see."""
    airing = {s.code for s in tree.broadcasting_under(office)}
    if user.role is Role.ADMIN or user.station_code in _path(tree, office):
        return airing
    if user.station_code not in tree:
        return set()
    return airing & {s.code for s in tree.subtree(user.station_code)}


@dataclass(frozen=True)
class Board:
    """One office's week as the person may see it."""

    office: Station
    offices: list[Station]
    monday: date
    #: the plan shown (None: nothing planned yet) and what is stored about it
    version: PlanVersion | None
    plan: WeeklyPlan | None
    #: the week's head (what a change or publication is made on) and its newest version
    head: PlanVersion | None
    published: PlanVersion | None
    #: what the shown plan changes against the newest published version
    diff: PlanDiff | None
    edits: list[PlanEdit]
    #: approved items the planner may place this week (for adding by hand)
    items: list[Item]
    #: per station, per item it targets: the weekly target
    targets: dict[str, dict[int, int]]
    can_change: bool
    #: the shown plan's revision (see :func:`revision`); whether it is the week's head
    revision: str = ""
    is_head: bool = False

    @property
    def pins(self) -> frozenset[AiringRef]:
        return PlanEdits.of(self.edits).pins


def _limited(plan: WeeklyPlan, codes: set[str]) -> WeeklyPlan:
    """A plan with only the stations ``codes`` (and their shortfalls)."""
    return replace(
        plan,
        stations=tuple(s for s in plan.stations if s.code in codes),
        shortfalls=tuple(f for f in plan.shortfalls if f.station_code in codes),
    )


def _week_of(
    uow: UnitOfWork, settings: PlannerSettings, office: str, monday: date, now: datetime
) -> EditableWeek:
    tree = uow.stations.tree()
    stations = station_inputs(uow, office, tree)
    settings = with_station_targets(settings, tree, stations)
    items, _segments = items_with_audio(uow)
    return EditableWeek(stations, items, monday, settings, now=now)


def _board(
    uow: UnitOfWork,
    user: User,
    office: Station,
    monday: date,
    shown: tuple[PlanVersion, WeeklyPlan] | None,
    settings: PlannerSettings,
    now: datetime,
) -> Board:
    tree = uow.stations.tree()
    codes = _visible(tree, user, office.code)
    head = uow.plans.head(office.code, monday)
    latest = uow.plans.latest_version(office.code, monday)
    published_plan = uow.plans.published(office.code, monday)
    published = None
    if latest is not None:
        published = next(v for v in uow.plans.versions(office.code, monday) if v.version == latest)
    if shown is None and head is not None:
        found = uow.plans.by_id(head.id)
        assert found is not None
        shown = found
    version, plan = shown if shown is not None else (None, None)
    rev = revision(version, plan) if version is not None and plan is not None else ""
    is_head = version is not None and head is not None and version.id == head.id
    diff = None
    draft = version is not None and version.status == "draft"
    if plan is not None and published_plan is not None and draft:
        diff = diff_plans(_limited(published_plan, codes), _limited(plan, codes))
    week = _week_of(uow, settings, office.code, monday, now)
    targets: dict[str, dict[int, int]] = {}
    for code in sorted(codes):
        if code in week.stations:
            demands = week.compiled(code).compiled.problem.demands
            targets[code] = {d.item_id: d.target for d in demands}
    return Board(
        office=office,
        offices=_offices(tree, user),
        monday=monday,
        version=version,
        plan=_limited(plan, codes) if plan is not None else None,
        head=head,
        published=published,
        diff=diff,
        edits=[
            e for e in uow.plan_edits.listed(office.code, monday) if e.ref.station_code in codes
        ],
        items=sorted(week.eligible.values(), key=lambda i: (i.priority.rank, i.id or 0)),
        targets=targets,
        can_change=may_change(user, tree, office.code),
        revision=rev,
        is_head=is_head,
    )


def _office(tree: StationTree, user: User, code: str) -> Station:
    """An office the person may open (another's, or no office at all, is not found)."""
    if code in tree:
        station = tree.get(code)
        if station.is_office and any(o.code == code for o in _offices(tree, user)):
            return station
    raise NotFoundError(_("no planning office {code} that you may open", code=code))


def open_week(
    db: Database,
    user: User,
    office: str,
    week: date | str,
    settings: PlannerSettings,
    now: datetime,
) -> Board:
    """An office's week on the board: its head (draft, else newest version), or nothing yet."""
    if not _readable(user):
        raise _refuse_reading(user)
    monday = resolve_week(week)
    with db.unit_of_work() as uow:
        station = _office(uow.stations.tree(), user, office)
        return _board(uow, user, station, monday, None, settings, now)


def open_plan(
    db: Database, user: User, plan_id: int, settings: PlannerSettings, now: datetime
) -> Board:
    """One stored plan (a draft or a version) on the board; another office's is not found."""
    if not _readable(user):
        raise _refuse_reading(user)
    with db.unit_of_work() as uow:
        found, station = _plan(uow, user, plan_id)
        return _board(uow, user, station, found[0].monday, found, settings, now)


def _plan(
    uow: UnitOfWork, user: User, plan_id: int
) -> tuple[tuple[PlanVersion, WeeklyPlan], Station]:
    found = uow.plans.by_id(plan_id)
    tree = uow.stations.tree()
    if found is not None:
        try:
            return found, _office(tree, user, found[0].office_code)
        except NotFoundError:
            pass
    raise NotFoundError(_("no plan {id}; open the week board again", id=plan_id))


# --- changes ---------------------------------------------------------------------------------


class Change(StrEnum):
    PIN = "pin"
    UNPIN = "unpin"
    REMOVE = "remove"
    MOVE = "move"
    ADD = "add"
    RESTORE = "restore"  # forget a removal: the planner may use the session again


@dataclass(frozen=True)
class Changed:
    version: PlanVersion  # the week's head after the change
    said: Msg  # what was done, for the page and the audit trail
    office: str


def _head_for_change(
    uow: UnitOfWork, user: User, plan_id: int, seen: str
) -> tuple[PlanVersion, WeeklyPlan, Station]:
    """The head a change is made on: refused when it is not ``plan_id`` at revision ``seen``
    any more."""
    (version, plan), office = _plan(uow, user, plan_id)
    if not may_change(user, uow.stations.tree(), office.code):
        raise ForbiddenError(
            _(
                "{who} ({role}) may read this plan but not change it",
                who=user.shown,
                role=user.role.label,
            )
        )
    head = uow.plans.head(office.code, version.monday)
    if head is None or head.id != version.id or revision(version, plan) != seen:
        raise _stale(head)
    return version, plan, office


def _stale(head: PlanVersion | None) -> StalePlan:
    if head is not None and head.status == "published":
        return StalePlan(
            _(
                "this week has been published since you opened it (version {version}, by "
                "{by}); look at it again before changing it",
                version=head.version,
                by=head.published_by or "?",
            )
        )
    return StalePlan(
        _(
            "this week's plan was changed in another window since you opened it; nothing was "
            "done: look at it as it is now and try again"
        )
    )


def change_airing(
    db: Database,
    user: User,
    plan_id: int,
    seen: str,
    change: Change,
    ref: AiringRef,
    settings: PlannerSettings,
    now: datetime,
    to: AiringRef | None = None,
) -> Changed:
    """Pin, unpin, remove, move (to ``to``), add or restore one airing of a week's head.

    A change that would break one of the planner's hard rules is refused with the reason
    (:class:`~broadcaster.domain.planning.edits.EditRefused`) and nothing is stored.
    """
    with db.unit_of_work() as uow:
        version, plan, office = _head_for_change(uow, user, plan_id, seen)
        if ref.station_code not in _visible(uow.stations.tree(), user, office.code):
            raise NotFoundError(_("no station {code} in this plan", code=ref.station_code))
        week = _week_of(uow, settings, office.code, version.monday, now)
        edits = uow.plan_edits
        code, monday, by = office.code, version.monday, user.shown
        new_plan: WeeklyPlan | None = None
        if change is Change.PIN:
            _must_air(plan, ref)
            _must_be_open(week, ref)
            edits.put(code, monday, ref, EditKind.PIN, by, now)
        elif change is Change.UNPIN or change is Change.RESTORE:
            edits.clear(code, monday, ref)
        elif change is Change.REMOVE:
            new_plan = week.change(plan, remove=ref)
            edits.put(code, monday, ref, EditKind.EXCLUDE, by, now)
        elif change is Change.ADD:
            new_plan = week.change(plan, add=ref)
            edits.put(code, monday, ref, EditKind.PIN, by, now)
        else:
            if to is None:
                raise EditRefused(_("choose the session to move it to"))
            new_plan = week.change(plan, remove=ref, add=to)
            edits.put(code, monday, ref, EditKind.EXCLUDE, by, now)
            edits.put(code, monday, to, EditKind.PIN, by, now)
        head = version
        if new_plan is not None:
            head = uow.plans.save_draft(code, new_plan, now)
        return Changed(head, _said(change, ref, to, plan), code)


def move_choices(
    db: Database,
    user: User,
    plan_id: int,
    ref: AiringRef,
    settings: PlannerSettings,
    now: datetime,
) -> list[tuple[PlannedSession, Msg | None]]:
    """The sessions an airing could move to, each with why it may not (None: it may)."""
    with db.unit_of_work() as uow:
        (version, plan), office = _plan(uow, user, plan_id)
        if ref.station_code not in _visible(uow.stations.tree(), user, office.code):
            raise NotFoundError(_("no station {code} in this plan", code=ref.station_code))
        week = _week_of(uow, settings, office.code, version.monday, now)
    sp = plan.station(ref.station_code)
    return [
        (s, week.refusal(sp, ref.at(sp.code, s.day, s.name), leaving=ref))
        for s in sp.sessions
        if not s.frozen and (s.day, s.name) != (ref.day, ref.session)
    ]


def _must_air(plan: WeeklyPlan, ref: AiringRef) -> None:
    sp = plan.station(ref.station_code)
    if not any(
        s.day == ref.day and s.name == ref.session and ref.item_id in s.item_ids()
        for s in sp.sessions
    ):
        raise EditRefused(
            _(
                "item {id} does not air in that session any more; open the plan again",
                id=ref.item_id,
            )
        )


def _must_be_open(week: EditableWeek, ref: AiringRef) -> None:
    slot = week.slot(ref.station_code, ref.day, ref.session)
    if slot.frozen:
        raise EditRefused(
            _("{session} has already started; it stays as it was", session=slot.label)
        )


def _title(plan: WeeklyPlan, ref: AiringRef) -> str:
    for sp in plan.stations:
        for s in sp.sessions:
            for e in s.entries:
                if e.item_id == ref.item_id:
                    return e.title
    return ""


def _said(change: Change, ref: AiringRef, to: AiringRef | None, plan: WeeklyPlan) -> Msg:
    values = {
        "id": ref.item_id,
        "title": _title(plan, ref),
        "station": ref.station_code,
        "day": ref.day.strftime("%d/%m"),
        "session": ref.session,
    }
    if change is Change.MOVE and to is not None:
        return _(
            "Moved item {id} at {station} from {session} {day} to {to_session} {to_day}; "
            "it is pinned there",
            to_session=to.session,
            to_day=to.day.strftime("%d/%m"),
            **values,
        )
    return {
        Change.PIN: _("Pinned item {id} in {session} {day} at {station}", **values),
        Change.UNPIN: _("Unpinned item {id} in {session} {day} at {station}", **values),
        Change.REMOVE: _(
            "Removed item {id} from {session} {day} at {station}; re-planning leaves it out of "
            "that session",
            **values,
        ),
        Change.ADD: _("Added item {id} to {session} {day} at {station}; it is pinned", **values),
        Change.RESTORE: _(
            "Re-planning may use {session} {day} at {station} for item {id} again", **values
        ),
        Change.MOVE: _("Moved item {id}", **values),
    }[change]


# --- re-planning and publishing ----------------------------------------------------------------


@dataclass(frozen=True)
class Replanned:
    version: PlanVersion
    plan: WeeklyPlan
    dropped: tuple[DroppedPin, ...]


def replan_week(
    db: Database,
    user: User,
    office: str,
    week: date | str,
    settings: PlannerSettings,
    now: datetime,
) -> Replanned:
    """Plan the week anew around the office's pins and removals; store it as the draft.

    Like ``broadcaster plan week``: the newest published version is the base (what started
    before ``now`` is kept exactly, the rest moves as little as it can).
    """
    monday = resolve_week(week)
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
        station = _office(tree, user, office)
        if not may_change(user, tree, station.code):
            raise ForbiddenError(
                _("{who} ({role}) may not plan this office's weeks", who=user.shown,
                  role=user.role.label)
            )  # fmt: skip
        stations = station_inputs(uow, station.code, tree)
        _refuse_a_week_that_is_over(monday, now, stations)
        settings = with_station_targets(settings, tree, stations)
        items, _segments = items_with_audio(uow)
        edits = PlanEdits.of(uow.plan_edits.listed(station.code, monday))
        done = plan_week_around(
            stations,
            items,
            monday,
            settings,
            edits=edits,
            previous=uow.plans.published(station.code, monday),
            now=now,
            office=station.code,
        )
        meta = uow.plans.save_draft(station.code, done.plan, now)
    return Replanned(meta, done.plan, done.dropped)


@dataclass(frozen=True)
class Publication:
    version: PlanVersion
    diff: PlanDiff | None  # against the version before, when there is one


def publish_plan(db: Database, user: User, plan_id: int, seen: str, now: datetime) -> Publication:
    """Publish a week's draft as its next version (who and when kept); refused when the draft
    shown is not the week's draft any more."""
    with db.unit_of_work() as uow:
        version, plan, office = _head_for_change(uow, user, plan_id, seen)
        if version.status != "draft":
            raise StalePlan(
                _(
                    "version {version} is published already (by {by}); re-plan or change the "
                    "week to make a new draft",
                    version=version.version,
                    by=version.published_by or "?",
                )
            )
        before = uow.plans.published(office.code, version.monday)
        meta = uow.plans.publish(office.code, version.monday, now, user.shown)
    return Publication(meta, diff_plans(before, plan) if before is not None else None)
