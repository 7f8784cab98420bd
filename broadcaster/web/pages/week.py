"""The week board: an office's stations × days × sessions, each session's fill and airings,
targets met or not with the planner's reasons; pin, move, remove or add an airing by hand
(checked by the planner's rules), re-plan around the pins, see what changes against the
published version, publish, print.

Every action is a plain form POST with its CSRF token; a change refused by a rule shows the
same page again with the reason beside the field and the choice kept. A change or a
publication made on a version that another window has changed since is refused as stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Priority
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.planning import EntryKind, PlanEntry, PlannedSession, StationPlan
from broadcaster.domain.planning.edits import AiringRef, EditKind, EditRefused
from broadcaster.playlists.weekly import render_weekly_html
from broadcaster.usecases.plan_edits import (
    Board,
    Change,
    StalePlan,
    change_airing,
    move_choices,
    offices_for,
    open_plan,
    open_week,
    publish_plan,
    replan_week,
)
from broadcaster.usecases.planner_settings import planner_settings

from ..respond import audited, back_with_notice, render
from ..session import Posted, Session, Signed, Web, WebRoute, WebState

router = APIRouter(route_class=WebRoute, include_in_schema=False)


# --- what the board shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Airing:
    entry: PlanEntry
    pinned: bool
    href: str


@dataclass
class Cell:
    session: PlannedSession
    href: str
    airings: list[Airing] = field(default_factory=list)
    fixed: list[PlanEntry] = field(default_factory=list)
    hidden: int = 0  # airings the filter leaves out

    @property
    def percent(self) -> int:
        cap = self.session.capacity.total_seconds()
        return min(100, round(100 * self.session.used.total_seconds() / cap)) if cap else 100

    @property
    def free(self) -> str:
        """The free time left for announcements, ``m:ss``."""
        return clock_text(max(timedelta(), self.session.capacity - self.session.used))

    @property
    def capacity(self) -> str:
        return clock_text(self.session.capacity)


def clock_text(span: timedelta) -> str:
    """A duration as ``m:ss`` (the same in every language)."""
    minutes, seconds = divmod(round(span.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


@dataclass
class Row:
    name: str
    hhmm: str
    cells: list[Cell | None]


@dataclass(frozen=True)
class Target:
    item_id: int
    title: str
    priority: Priority
    target: int
    planned: int
    reason: str | Msg | None

    @property
    def met(self) -> bool:
        return self.planned >= self.target


@dataclass
class StationView:
    code: str
    name: str
    rows: list[Row]
    targets: list[Target]


@dataclass(frozen=True)
class Filters:
    station: str = ""
    item: int | None = None
    priority: str = ""

    def keeps(self, entry: PlanEntry) -> bool:
        if self.item is not None and entry.item_id != self.item:
            return False
        return not self.priority or (entry.priority is not None and entry.priority == self.priority)

    @property
    def active(self) -> bool:
        return bool(self.station or self.item is not None or self.priority)


def _filters(request: Request) -> Filters:
    q = request.query_params
    item = q.get("item", "").strip()
    priority = q.get("priority", "")
    return Filters(
        station=q.get("station", "").strip(),
        item=int(item) if item.isdigit() else None,
        priority=priority if priority in {p.value for p in Priority} else "",
    )


def _query(**values: object) -> str:
    return urlencode({k: str(v) for k, v in values.items()})


def airing_href(plan_id: int, code: str, session: PlannedSession, item_id: int) -> str:
    q = _query(station=code, day=session.day.isoformat(), session=session.name, item=item_id)
    return f"/week/plans/{plan_id}/airing?{q}"


def session_href(plan_id: int, code: str, session: PlannedSession) -> str:
    q = _query(station=code, day=session.day.isoformat(), session=session.name)
    return f"/week/plans/{plan_id}/session?{q}"


def _station_view(board: Board, sp: StationPlan, filters: Filters) -> StationView:
    assert board.version is not None and board.plan is not None
    pins = board.pins
    rows: dict[tuple[str, str], Row] = {}
    for s in sp.sessions:
        hhmm = f"{s.start.hour:02d}:{s.start.minute:02d}"
        row = rows.setdefault((hhmm, s.name), Row(s.name, hhmm, [None] * 7))
        cell = Cell(s, session_href(board.version.id, sp.code, s))
        for e in s.entries:
            if e.kind is EntryKind.FIXED_BLOCK:
                cell.fixed.append(e)
            elif e.kind is EntryKind.ANNOUNCEMENT and e.item_id is not None:
                if not filters.keeps(e):
                    cell.hidden += 1
                    continue
                ref = AiringRef(sp.code, s.day, s.name, e.item_id)
                href = airing_href(board.version.id, sp.code, s, e.item_id)
                cell.airings.append(Airing(e, ref in pins, href))
        row.cells[(s.day - board.monday).days] = cell
    return StationView(
        sp.code, sp.name, [rows[k] for k in sorted(rows)], _targets(board, sp, filters)
    )


def _targets(board: Board, sp: StationPlan, filters: Filters) -> list[Target]:
    assert board.plan is not None
    titles = {i.id: (i.title, i.priority) for i in board.items}
    short = {f.item_id: f for f in board.plan.shortfalls if f.station_code == sp.code}
    out = []
    for item_id, target in board.targets.get(sp.code, {}).items():
        title, priority = titles.get(item_id, ("", Priority.NORMAL))
        if filters.item is not None and item_id != filters.item:
            continue
        if filters.priority and priority != filters.priority:
            continue
        found = short.get(item_id)
        out.append(
            Target(
                item_id,
                title,
                priority,
                target,
                sp.airings(item_id),
                found.message if found is not None else None,
            )
        )
    out.sort(key=lambda t: (t.met, t.priority.rank, t.item_id))
    return out


# --- pages -------------------------------------------------------------------------------------


def _next_monday(state: WebState) -> date:
    today = state.clock.now().astimezone(ZoneInfo(state.settings.timezone)).date()
    return today + timedelta(days=7 - today.weekday())


def _week_label(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


async def _board_page(
    request: Request,
    state: WebState,
    s: Session,
    board: Board,
    *,
    error: str | Msg | None = None,
    status: int = 200,
) -> Response:
    filters = _filters(request)
    stations = []
    if board.plan is not None:
        stations = [
            _station_view(board, sp, filters)
            for sp in board.plan.stations
            if not filters.station or sp.code == filters.station
        ]
    monday = board.monday
    context = {
        "board": board,
        "stations": stations,
        "filters": filters,
        "days": [monday + timedelta(days=n) for n in range(7)],
        "week": _week_label(monday),
        "previous_week": _week_label(monday - timedelta(days=7)),
        "next_week": _week_label(monday + timedelta(days=7)),
        "all_stations": board.plan.stations if board.plan is not None else (),
        "priorities": [Priority.PRIORITY, Priority.NORMAL],
        "error": error,
        "PIN": EditKind.PIN,
    }
    return render(state, request, s, "week.html.j2", context, status)


def _settings(state: WebState) -> Any:
    return planner_settings(state.settings)


async def _open_plan(state: WebState, s: Session, plan_id: int) -> Board:
    """The board of a plan version as it stands now."""
    return await run_in_threadpool(
        open_plan, state.db, s.user, plan_id, _settings(state), state.clock.now()
    )


async def _stale_page(
    request: Request, state: WebState, s: Session, plan_id: int, stale: StalePlan
) -> Response:
    """The board again, saying that another window changed the plan first (status 409)."""
    board = await _open_plan(state, s, plan_id)
    return await _board_page(request, state, s, board, error=str(stale), status=409)


@router.get("/week")
async def week_page(request: Request, state: Web, s: Signed) -> Response:
    """The board of an office's week (the person's first office, the coming week)."""
    offices = await run_in_threadpool(offices_for, state.db, s.user)
    if not offices:
        raise InputError(_("no planning office is within your part of the station tree"))
    code = request.query_params.get("office") or offices[0].code
    week = request.query_params.get("week") or _week_label(_next_monday(state))
    board = await run_in_threadpool(
        open_week, state.db, s.user, code, week, _settings(state), state.clock.now()
    )
    return await _board_page(request, state, s, board)


@router.get("/week/plans/{plan_id}")
async def plan_page(request: Request, state: Web, s: Signed, plan_id: int) -> Response:
    board = await _open_plan(state, s, plan_id)
    return await _board_page(request, state, s, board)


@router.get("/week/plans/{plan_id}/print")
async def print_page(state: Web, s: Signed, plan_id: int) -> Response:
    """The printed weekly plan (one A4 landscape sheet a station, to sign and post)."""
    board = await _open_plan(state, s, plan_id)
    assert board.plan is not None and board.version is not None
    version = board.version
    label = (
        _("draft") if version.status == "draft" else _("version {version}", version=version.version)
    )
    html = render_weekly_html(board.plan, label, board.office.name, draft=version.status == "draft")
    return HTMLResponse(html)


# --- one airing, one session ---------------------------------------------------------------------


def _ref(request: Request, *, item: bool = True, prefix: str = "") -> AiringRef:
    """The airing (or session, item 0) named by a query or form's fields."""
    q = request.query_params
    try:
        day = date.fromisoformat(q.get(prefix + "day", ""))
        item_id = int(q.get("item", "0")) if item else 0
    except ValueError:
        raise InputError(
            _("this link names no session of the plan; open the week board again")
        ) from None
    return AiringRef(q.get("station", ""), day, q.get("session", ""), item_id)


def _find(board: Board, ref: AiringRef) -> tuple[StationPlan, PlannedSession]:
    if board.plan is not None:
        for sp in board.plan.stations:
            if sp.code != ref.station_code:
                continue
            for session in sp.sessions:
                if session.day == ref.day and session.name == ref.session:
                    return sp, session
    raise InputError(_("this plan has no such session; open the week board again"))


def _session_context(board: Board, ref: AiringRef) -> dict[str, Any]:
    sp, session = _find(board, ref)
    assert board.version is not None
    entries = [
        (e, airing_href(board.version.id, sp.code, session, e.item_id) if e.item_id else "")
        for e in session.entries
    ]
    present = set(session.item_ids())
    return {
        "board": board,
        "station": sp,
        "session": session,
        "cell": Cell(session, ""),
        "entries": entries,
        "addable": [i for i in board.items if i.id not in present],
        "ref": ref,
        "pins": board.pins,
        "excluded": {e.ref for e in board.edits if e.kind is not EditKind.PIN},
        "back": f"/week/plans/{board.version.id}#st-{sp.code}",
    }


@router.get("/week/plans/{plan_id}/airing")
async def airing_page(request: Request, state: Web, s: Signed, plan_id: int) -> Response:
    board = await _open_plan(state, s, plan_id)
    context = await _airing_context(state, s, board, _ref(request))
    return render(state, request, s, "week_airing.html.j2", {**context, "v": {}})


async def _airing_context(
    state: WebState, s: Session, board: Board, ref: AiringRef
) -> dict[str, Any]:
    """The airing page's values: its session, and where it could move (editors only)."""
    context = _session_context(board, ref)
    entry = next((e for e, _h in context["entries"] if e.item_id == ref.item_id), None)
    if entry is None:
        raise InputError(_("item {id} does not air in that session any more", id=ref.item_id))
    choices: list[Any] = []
    if board.can_change and board.is_head and board.version is not None:
        choices = await run_in_threadpool(
            move_choices, state.db, s.user, board.version.id, ref, _settings(state),
            state.clock.now(),
        )  # fmt: skip
    return {**context, "entry": entry, "choices": choices}


@router.get("/week/plans/{plan_id}/session")
async def session_page(request: Request, state: Web, s: Signed, plan_id: int) -> Response:
    board = await _open_plan(state, s, plan_id)
    context = _session_context(board, _ref(request, item=False))
    return render(state, request, s, "week_session.html.j2", {**context, "v": {}})


# --- changes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    """A change's form, read."""

    change: Change
    ref: AiringRef
    to: AiringRef | None
    seen: str
    values: dict[str, str]


async def _posting(request: Request) -> Posting:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    try:
        change = Change(values.get("change", ""))
        day = date.fromisoformat(values.get("day", ""))
        item = int(values.get("item", ""))
    except ValueError:
        raise InputError(
            _("this form names no airing of the plan; open the week board again")
        ) from None
    ref = AiringRef(values.get("station", ""), day, values.get("session", ""), item)
    to = None
    if change is Change.MOVE and values.get("to"):
        to_day, _sep, to_name = values["to"].partition("|")
        try:
            to = ref.at(ref.station_code, date.fromisoformat(to_day), to_name)
        except ValueError:
            to = None
    return Posting(change, ref, to, values.get("rev", ""), values)


@router.post("/week/plans/{plan_id}/change")
async def change_post(request: Request, state: Web, s: Posted, plan_id: int) -> Response:
    posted = await _posting(request)
    settings, now = _settings(state), state.clock.now()
    try:
        done = await run_in_threadpool(
            change_airing, state.db, s.user, plan_id, posted.seen, posted.change, posted.ref,
            settings, now, posted.to,
        )  # fmt: skip
    except StalePlan as stale:
        return await _stale_page(request, state, s, plan_id, stale)
    except EditRefused as refused:
        return await _refused_page(request, state, s, plan_id, posted, refused.reason)
    action, target = f"plan.{posted.change.value}", f"plan {done.version.id}"
    await audited(state, s.user.username, action, target, done.said, done.office)
    return back_with_notice(
        state, f"/week/plans/{done.version.id}", [str(done.said)], f"st-{posted.ref.station_code}"
    )


async def _refused_page(
    request: Request, state: WebState, s: Session, plan_id: int, posted: Posting, why: Msg
) -> Response:
    """The page the change came from, again, with the reason beside the field (status 400)."""
    board = await _open_plan(state, s, plan_id)
    ref = posted.ref
    if posted.change is Change.ADD:
        context = _session_context(board, ref.at_item(0))
        template = "week_session.html.j2"
    else:
        try:
            context = await _airing_context(state, s, board, ref)
        except InputError:
            return await _board_page(request, state, s, board, error=str(why), status=400)
        template = "week_airing.html.j2"
    context.update(v=posted.values, error=why, error_for=posted.change.value)
    return render(state, request, s, template, context, status=400)


@router.post("/week/plan")
async def replan_post(request: Request, state: Web, s: Posted) -> Response:
    """Plan the week anew around the pins and removals (the planner fills the rest)."""
    form = await request.form()
    office, week = str(form.get("office", "")), str(form.get("week", ""))
    done = await run_in_threadpool(
        replan_week, state.db, s.user, office, week, _settings(state), state.clock.now()
    )
    lines = [
        str(_("Planned week {week} around the pinned airings: {n} airings; draft saved",
              week=done.plan.label, n=sum(len(x.item_ids()) for sp in done.plan.stations
                                           for x in sp.sessions)))
    ]  # fmt: skip
    lines += [
        str(_("A pin could not be kept (item {id}, {session} {day}): {why}",
              id=d.pin.item_id, session=d.pin.session, day=d.pin.day.strftime("%d/%m"),
              why=d.reason))
        for d in done.dropped
    ]  # fmt: skip
    target = f"plan {done.version.id}"
    await audited(state, s.user.username, "plan.week", target, lines[0], office)
    return back_with_notice(state, f"/week/plans/{done.version.id}", lines)


@router.post("/week/plans/{plan_id}/publish")
async def publish_post(request: Request, state: Web, s: Posted, plan_id: int) -> Response:
    form = await request.form()
    seen = str(form.get("rev", ""))
    try:
        done = await run_in_threadpool(
            publish_plan, state.db, s.user, plan_id, seen, state.clock.now()
        )
    except StalePlan as stale:
        return await _stale_page(request, state, s, plan_id, stale)
    version = done.version
    said = _(
        "Published week {week} as version {version}, by {by}; stations get it at their next pull",
        week=version.week,
        version=version.version,
        by=version.published_by or s.user.shown,
    )
    lines = [str(said)] + ([str(done.diff.summary())] if done.diff is not None else [])
    target = f"plan {version.id}"
    await audited(state, s.user.username, "plan.publish", target, said, version.office_code)
    return back_with_notice(state, f"/week/plans/{version.id}", lines)
