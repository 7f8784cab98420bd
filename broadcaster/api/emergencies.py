"""Emergency bulletins: an office sends, cancels or corrects; stations receive them (event
stream or long-poll) and confirm.

Waiting costs nothing per station: streams and long-polls wait on the process's
:class:`~broadcaster.api.hub.EmergencyHub`, never on the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from broadcaster.domain.distribution import Emergency, EmergencyDelivery, ForbiddenError, Scope
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _
from broadcaster.usecases.bulletin_stream import bulletin_frames
from broadcaster.usecases.emergencies import (
    BulletinRequest,
    cancel_emergency,
    complete_body,
    correct_emergency,
    create_emergency,
)

from .deps import ApiState, Caller, OfficeCaller, State, StationCode, authorize_station
from .errors import AUTHENTICATED, STATION_ROUTE, error_responses
from .fields import MAX_ID, MAX_INT, SaneDatetime, Text
from .hub import LiveBulletin, LiveCommand, StationBulletin, audio_url
from .language import in_server_language
from .out import out_of

log = logging.getLogger("broadcaster.api.emergencies")

router = APIRouter(tags=["emergencies"])

#: looked up in an INTEGER column, so 32 bits: PostgreSQL casts the value to the column's type
#: and a larger one fails there instead of finding nothing
BulletinId = Annotated[int, PathParam(ge=1, le=MAX_INT, description="the bulletin's id")]


class EmergencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text = Field(min_length=1, max_length=300)
    text: Text | None = Field(
        default=None, max_length=5000, description="spoken offline if no audio"
    )
    audio_hash: Text | None = Field(default=None, max_length=128)
    stations: list[Annotated[Text, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, description="default: every station that airs under the office"
    )
    repeat: int = Field(default=1, ge=1, le=10, strict=True)
    expires_in_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60, strict=True)
    office: Text | None = Field(default=None, max_length=64)

    def request(self) -> BulletinRequest:
        return BulletinRequest(
            title=self.title,
            text=self.text,
            audio_hash=self.audio_hash,
            stations=tuple(self.stations) if self.stations is not None else None,
            repeat=self.repeat,
            expires_in=timedelta(minutes=self.expires_in_minutes),
            office=self.office,
        )


class CorrectionIn(EmergencyIn):
    """A bulletin replacing another: same stations unless named."""


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text | None = Field(default=None, max_length=500)


class DeliveryOut(BaseModel):
    station_code: str
    acked_at: datetime | None
    started_at: datetime | None


class EmergencyOut(BaseModel):
    """A bulletin as its office sees it: every target station and what each reported."""

    id: int
    office_code: str
    title: str
    text: str | None
    audio_hash: str | None
    audio_url: str | None
    duration_ms: int | None
    lead_in_hash: str | None
    lead_in_ms: int | None
    body_state: str
    body_error: str | None
    repeat: int
    created_at: datetime
    expires_at: datetime
    created_by: str
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    replaces: int | None
    stations: list[str]
    deliveries: list[DeliveryOut] | None = None


class EmergencyList(BaseModel):
    emergencies: list[StationBulletin]
    #: commands to the station's device not acknowledged yet (set volume, relay, stop, play)
    commands: list[dict[str, Any]] = []
    #: pass back as ``since`` on the next request
    cursor: int


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    started_at: SaneDatetime | None = Field(default=None, description="when playing began")


def emergency_out(e: Emergency, deliveries: list[EmergencyDelivery] | None = None) -> EmergencyOut:
    return out_of(
        EmergencyOut,
        e,
        audio_url=audio_url(e),
        body_state=e.body_state.value,
        stations=list(e.stations),
        deliveries=None if deliveries is None else [out_of(DeliveryOut, d) for d in deliveries],
    )


def body_failed(emergency_id: int, error: BroadcasterError) -> str:
    """The server log's line for a bulletin body that could not be made."""
    return in_server_language(
        _(
            "emergency bulletin #{id}: its body could not be synthesised: {error}",
            id=emergency_id,
            error=error,
        )
    )


def _finish_body_later(state: ApiState, emergency: Emergency) -> None:
    """Synthesise a text body in the background; stations already play the lead-in."""

    def work() -> None:
        try:
            complete_body(
                state.db, state.settings, state.clock, emergency.id, synthesize=state.synthesize
            )
        except BroadcasterError as exc:
            log.error(body_failed(emergency.id, exc))
        finally:
            state.hub.poke()

    task = asyncio.get_running_loop().create_task(run_in_threadpool(work))
    state.background.add(task)
    task.add_done_callback(state.background.discard)


async def _sent(state: ApiState, emergency: Emergency) -> EmergencyOut:
    await state.hub.caught_up()
    if emergency.text and emergency.audio_hash is None:
        _finish_body_later(state, emergency)
    return emergency_out(emergency, [])


@router.post(
    "/emergencies",
    response_model=EmergencyOut,
    status_code=201,
    responses=error_responses(
        *AUTHENTICATED, 400, 403, 413, 422, notes={403: "Not an office token, or another office."}
    ),
)
async def send_emergency(body: EmergencyIn, state: State, office: OfficeCaller) -> EmergencyOut:
    """Send a bulletin to the office's stations. It is on air at once with its lead-in
    (attention signal and "Thông báo khẩn cấp"); a text body is spoken offline (espeak-ng)
    in the background and follows as soon as it is ready (``body_state``)."""
    emergency = await run_in_threadpool(
        create_emergency, state.db, state.settings, state.clock, office, body.request()
    )
    return await _sent(state, emergency)


#: the errors of a route on one bulletin, by its office
ON_BULLETIN = error_responses(
    *AUTHENTICATED, 400, 403, 404, 413, 422, notes={403: "Not an office token, or another office."}
)


@router.post(
    "/emergencies/{emergency_id}/cancel", response_model=EmergencyOut, responses=ON_BULLETIN
)
async def cancel(
    emergency_id: BulletinId,
    state: State,
    office: OfficeCaller,
    body: CancelIn | None = None,
) -> EmergencyOut:
    """Withdraw a bulletin: stations playing it stop within seconds and log it cancelled."""
    emergency = await run_in_threadpool(
        cancel_emergency, state.db, state.clock, office, emergency_id, body.reason if body else None
    )
    await state.hub.caught_up()
    return emergency_out(emergency)


@router.post(
    "/emergencies/{emergency_id}/correct",
    response_model=EmergencyOut,
    status_code=201,
    responses=ON_BULLETIN,
)
async def correct(
    emergency_id: BulletinId,
    body: CorrectionIn,
    state: State,
    office: OfficeCaller,
) -> EmergencyOut:
    """Send a correction: a new bulletin that replaces this one (which is cancelled)."""
    emergency = await run_in_threadpool(
        correct_emergency,
        state.db,
        state.settings,
        state.clock,
        office,
        emergency_id,
        body.request(),
    )
    return await _sent(state, emergency)


@router.get(
    "/emergencies/{emergency_id}",
    response_model=EmergencyOut | StationBulletin,
    responses=error_responses(
        *AUTHENTICATED,
        403,
        404,
        422,
        notes={403: "A station it was not sent to, or an office outside the sender's tree."},
    ),
)
def get_emergency(
    emergency_id: BulletinId, state: State, caller: Caller
) -> EmergencyOut | StationBulletin:
    """One bulletin and which stations confirmed it (the office), or the bulletin as a
    station receives it (a station it was sent to)."""
    with state.db.unit_of_work() as uow:
        emergency = uow.emergencies.get(emergency_id)
        if caller.scope is Scope.STATION:
            if caller.station_code not in emergency.stations:
                raise ForbiddenError(
                    _(
                        "{caller} cannot see emergency bulletin #{id}",
                        caller=caller.describe(),
                        id=emergency_id,
                    )
                )
            seq = uow.emergencies.latest_seqs([emergency_id]).get(emergency_id, 0)
            from .hub import station_bulletin

            return station_bulletin(emergency, seq)
        deliveries = uow.emergencies.deliveries(emergency_id)
    authorize_station(state, caller, emergency.office_code)
    return emergency_out(emergency, deliveries)


def _cursor(since: int, found: list[LiveBulletin | LiveCommand]) -> int:
    return max([since, *(b.seq for b in found)])


@router.get(
    "/stations/{code}/emergencies",
    response_model=EmergencyList,
    # "commands" only when there are some: a station without a device sees what it saw
    response_model_exclude_defaults=True,
    responses=error_responses(*STATION_ROUTE),
)
async def station_emergencies(
    code: StationCode,
    state: State,
    since: Annotated[
        int, Query(ge=0, le=MAX_ID, description="the cursor from the last answer")
    ] = 0,
    wait: Annotated[
        float,
        Query(ge=0, le=300, allow_inf_nan=False, description="seconds to hold the request"),
    ] = 0,
) -> EmergencyList:
    """Bulletins for a station changed after ``since`` (new, body ready, cancelled); with
    ``wait`` it is a long-poll that answers as soon as there is one."""
    hub = state.hub
    found = hub.backlog(code, since)
    if not found and wait > 0:
        sub = hub.subscribe(code)
        state.long_polls += 1
        try:
            found = hub.backlog(code, since)  # stored while we subscribed
            if not found:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(min(wait, state.api.long_poll_seconds)):
                        first = await sub.queue.get()
                        found = [first]
            while not sub.queue.empty():
                found.append(sub.queue.get_nowait())
        finally:
            state.long_polls -= 1
            hub.unsubscribe(sub)
        latest: dict[int, LiveBulletin | LiveCommand] = {}
        for b in found:
            if isinstance(b, LiveCommand) or (b.seq > since and b.seq >= latest.get(b.id, b).seq):
                latest[b.id] = b
        found = sorted(latest.values(), key=lambda b: b.seq)
    return EmergencyList(
        emergencies=[
            StationBulletin.model_validate(b.view) for b in found if isinstance(b, LiveBulletin)
        ],
        commands=[b.view for b in found if isinstance(b, LiveCommand)],
        cursor=_cursor(since, found),
    )


@router.get(
    "/stations/{code}/emergencies/stream",
    response_class=StreamingResponse,
    responses=error_responses(*STATION_ROUTE, plus={200: {"content": {"text/event-stream": {}}}}),
)
async def station_emergency_stream(
    code: StationCode,
    state: State,
    since: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> StreamingResponse:
    """Server-sent events: an ``emergency`` event per bulletin change (its ``id:`` is the
    cursor), comment lines as keep-alive. Reconnecting with ``Last-Event-ID`` resumes."""
    cursor = since
    # isascii: str.isdigit() also holds for "²", which int() refuses
    resume = last_event_id or ""
    if resume.isascii() and resume.isdigit() and int(resume) <= MAX_ID:
        cursor = max(cursor, int(resume))
    keepalive = state.emergency.keepalive_seconds
    return StreamingResponse(
        _events(state, code, cursor, keepalive),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    state: ApiState, code: str, cursor: int, keepalive: float
) -> AsyncIterator[bytes]:
    state.streams += 1
    try:
        async for frame in bulletin_frames(state.hub, code, cursor, keepalive):
            yield frame
    finally:
        state.streams -= 1


@router.post(
    "/stations/{code}/emergencies/{emergency_id}/ack",
    response_model=DeliveryOut,
    responses=error_responses(
        *STATION_ROUTE,
        400,
        413,
        notes={404: "No such station, or the bulletin was not sent to it."},
    ),
)
def acknowledge(
    code: StationCode,
    emergency_id: BulletinId,
    state: State,
    body: AckIn | None = None,
) -> DeliveryOut:
    """The station got the bulletin (and, later, when it began to play); repeating it
    changes nothing."""
    with state.db.unit_of_work() as uow:
        d = uow.emergencies.acknowledge(
            emergency_id,
            code,
            at=state.clock.now(),
            started_at=body.started_at.astimezone(UTC) if body and body.started_at else None,
        )
    return DeliveryOut(station_code=d.station_code, acked_at=d.acked_at, started_at=d.started_at)


def metrics(state: ApiState) -> dict[str, Any]:
    return {
        "streams_open": state.streams,
        "long_polls_waiting": state.long_polls,
        "subscribers": state.hub.subscribers,
        "bulletins_live": state.hub.live_count,
        "emergency_seq": state.hub.seq,
        "hub_refreshes": state.hub.counters.refreshes,
        "hub_errors": state.hub.counters.errors,
        "hub_wakeups": state.hub.counters.wakeups,
    }
