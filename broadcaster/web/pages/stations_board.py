"""The station board: every station under the caller's node with its agent's state (online,
offline since when, playing now, next entry, fallback programme, last sync, free disk, token
expiry, agent version), offline stations first, and an alert for a station silent during a
session for longer than ``[web] silence_alert_minutes``; a station's page with its airings of
the last days.

The board refreshes itself by polling a fragment (htmx) and by a plain reload without JS. The
alert is mailed to the office (``[mail]``) by a watcher that runs in the server whatever page is
open, and by every look at the board.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from broadcaster.domain.accounts import Permission
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import BroadcasterError, InputError, NotFoundError
from broadcaster.domain.messages import _
from broadcaster.usecases.device_commands import (
    Controls,
    device_controls,
    plain_reason,
    send_command,
)
from broadcaster.usecases.station_board import (
    MailSettings,
    StationState,
    silent_everywhere,
    station_board,
    station_history,
)

from ..respond import audited, render
from ..session import Posted, Session, Web, WebRoute, WebState, needs

log = logging.getLogger("broadcaster.web.stations")

#: how often the server looks for silent stations to mail about, in seconds
WATCH_SECONDS = 30.0
#: the days of airings a station's page shows
HISTORY_DAYS = 3


def online_window(app: Any) -> timedelta:
    """The API's ``[api] online_window_seconds`` (the console is served beside it)."""
    api = getattr(getattr(app.state, "broadcaster", None), "api", None)
    return timedelta(seconds=getattr(api, "online_window_seconds", 180))


def silence(state: WebState) -> timedelta:
    return timedelta(minutes=state.web.silence_alert_minutes)


async def _watch(app: FastAPI) -> None:
    while True:
        state: WebState | None = getattr(app.state, "console", None)
        if state is not None:
            try:
                mail = state.settings.section("mail", MailSettings)
                if mail.configured:
                    silent = await run_in_threadpool(
                        silent_everywhere,
                        state.db,
                        state.clock,
                        online_window=online_window(app),
                        silence=silence(state),
                    )
                    await run_in_threadpool(
                        state.silence_mail.send, mail, silent, state.settings.timezone
                    )
            except BroadcasterError as exc:  # a busy database: next time
                log.warning("%s", exc)
        await asyncio.sleep(WATCH_SECONDS)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    task = asyncio.get_running_loop().create_task(_watch(app))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


router = APIRouter(route_class=WebRoute, include_in_schema=False, lifespan=lifespan)

Watcher = Annotated[Session, Depends(needs(Permission.READ_REPORTS))]


def _counts(board: list[StationState]) -> dict[str, int]:
    return {
        "total": len(board),
        "online": sum(1 for s in board if s.online),
        "offline": sum(1 for s in board if not s.online),
        "silent": sum(1 for s in board if s.silence is not None),
    }


async def _board(request: Request, state: WebState, s: Session) -> list[StationState]:
    board = await run_in_threadpool(
        station_board,
        state.db,
        state.clock,
        s.user.station_code,
        online_window=online_window(request.app),
        silence=silence(state),
    )
    mail = state.settings.section("mail", MailSettings)
    if mail.configured:
        await run_in_threadpool(state.silence_mail.send, mail, board, state.settings.timezone)
    return board


async def _controls(state: WebState, s: Session, board: list[StationState]) -> Controls:
    """The clusters of the board the signed-in person may command (role and subtree)."""
    codes = [c.code for st in board for c in st.clusters]
    if not codes:
        return Controls()
    return await run_in_threadpool(
        lambda: device_controls(
            state.db,
            role=s.user.role,
            node=s.user.station_code,
            who=s.user.shown,
            codes=codes,
        )
    )


async def _context(
    state: WebState, s: Session, board: list[StationState], **more: Any
) -> dict[str, Any]:
    return {
        "board": board,
        "counts": _counts(board),
        "controls": await _controls(state, s, board),
        "now": state.clock.now(),
        "minutes": f"{state.web.silence_alert_minutes:g}",
        "refresh": 15,
        "P": Permission,
        **more,
    }


def _sent(controls: Controls, raw: str | None) -> Any:
    """The command the page was redirected with (``?sent=ID``), if it is one of the caller's."""
    if not raw or not raw.isdigit():
        return None
    found = (c for cs in controls.recent.values() for c in cs if c.id == int(raw))
    return next(found, None)


@router.get("/stations")
async def stations_page(request: Request, state: Web, s: Watcher) -> Response:
    board = await _board(request, state, s)
    context = await _context(state, s, board)
    context["sent"] = _sent(context["controls"], request.query_params.get("sent"))
    return render(state, request, s, "stations_board.html.j2", context)


@router.get("/stations/board")
async def stations_fragment(request: Request, state: Web, s: Watcher) -> Response:
    """The board alone, for the page's polling."""
    board = await _board(request, state, s)
    context = await _context(state, s, board)
    return render(state, request, s, "stations_board_table.html.j2", context)


def _number(raw: object) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


@router.post("/stations/{code}/commands")
async def send_device_command(
    request: Request, state: Web, s: Watcher, _posted: Posted, code: str
) -> Response:
    """A command to a cluster from its row on the board, checked against the signed-in
    person's role and subtree; refused, the board says why."""
    form = await request.form()
    try:
        stored = await run_in_threadpool(
            lambda: send_command(
                state.db,
                state.clock,
                role=s.user.role,
                node=s.user.station_code,
                who=s.user.shown,
                station=code,
                kind=str(form.get("kind") or ""),
                value=_number(form.get("value")),
                item_id=_number(form.get("item_id")),
            )
        )
    except (ForbiddenError, InputError, NotFoundError) as exc:
        board = await _board(request, state, s)
        refused = _("the command was not sent to {code}: {reason}", code=code,
                    reason=plain_reason(exc))  # fmt: skip
        context = await _context(state, s, board, refused=str(refused))
        status = 403 if isinstance(exc, ForbiddenError) else 400
        return render(state, request, s, "stations_board.html.j2", context, status)
    api = getattr(request.app.state, "broadcaster", None)
    if api is not None:
        await api.hub.caught_up()
    target = f"command {stored.id}"
    await audited(state, s.user.shown, "device.command", target, str(stored.describe()), code)
    return RedirectResponse(f"/stations?sent={stored.id}#cluster-{code}", status_code=303)


@router.get("/stations/{code}")
async def station_page(request: Request, state: Web, s: Watcher, code: str) -> Response:
    history = await run_in_threadpool(
        station_history,
        state.db,
        state.clock,
        s.user.station_code,
        code,
        online_window=online_window(request.app),
        silence=silence(state),
        days=HISTORY_DAYS,
    )
    context = {
        "st": history.state,
        "airings": history.airings,
        "heard": history.heard,
        "silences": history.silences,
        "since": history.since,
        "days": HISTORY_DAYS,
        "now": state.clock.now(),
        "minutes": f"{state.web.silence_alert_minutes:g}",
    }
    return render(state, request, s, "stations_board_station.html.j2", context)
