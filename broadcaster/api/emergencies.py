"""Emergency bulletins: an office sends, stations fetch (long-poll or event stream) and confirm."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from broadcaster.domain.distribution import Emergency, EmergencyDelivery, ForbiddenError, Scope
from broadcaster.usecases.emergencies import BulletinRequest, create_emergency

from .deps import ApiState, Caller, OfficeCaller, State, StationCode, authorize_station

router = APIRouter(tags=["emergencies"])

#: how often a waiting request looks at the database (other workers may have stored a bulletin)
POLL_SECONDS = 1.0
KEEPALIVE_SECONDS = 15.0


class EmergencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    text: str | None = Field(
        default=None, max_length=5000, description="spoken offline if no audio"
    )
    audio_hash: str | None = Field(default=None, max_length=128)
    stations: list[str] | None = Field(
        default=None, description="default: every station that airs under the office"
    )
    repeat: int = Field(default=1, ge=1, le=10)
    expires_in_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    office: str | None = Field(default=None, max_length=64)


class DeliveryOut(BaseModel):
    station_code: str
    acked_at: datetime | None
    started_at: datetime | None


class EmergencyOut(BaseModel):
    id: int
    office_code: str
    title: str
    text: str | None
    audio_hash: str
    audio_url: str
    duration_ms: int | None
    repeat: int
    created_at: datetime
    expires_at: datetime
    stations: list[str]
    deliveries: list[DeliveryOut] | None = None


class EmergencyList(BaseModel):
    emergencies: list[EmergencyOut]
    #: pass back as ``since`` on the next request
    cursor: int


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    started_at: AwareDatetime | None = Field(default=None, description="when playing began")


def emergency_out(e: Emergency, deliveries: list[EmergencyDelivery] | None = None) -> EmergencyOut:
    return EmergencyOut(
        id=e.id,
        office_code=e.office_code,
        title=e.title,
        text=e.text,
        audio_hash=e.audio_hash,
        audio_url=f"/api/v1/audio/{e.audio_hash}",
        duration_ms=e.duration_ms,
        repeat=e.repeat,
        created_at=e.created_at,
        expires_at=e.expires_at,
        stations=list(e.stations),
        deliveries=None
        if deliveries is None
        else [
            DeliveryOut(station_code=d.station_code, acked_at=d.acked_at, started_at=d.started_at)
            for d in deliveries
        ],
    )


@router.post("/emergencies", response_model=EmergencyOut, status_code=201)
async def send_emergency(body: EmergencyIn, state: State, office: OfficeCaller) -> EmergencyOut:
    """Send a bulletin to the office's stations; text is spoken offline (espeak-ng)."""
    request = BulletinRequest(
        title=body.title,
        text=body.text,
        audio_hash=body.audio_hash,
        stations=tuple(body.stations) if body.stations is not None else None,
        repeat=body.repeat,
        expires_in=timedelta(minutes=body.expires_in_minutes),
        office=body.office,
    )
    emergency = await run_in_threadpool(
        create_emergency, state.db, state.settings, state.clock, office, request
    )
    state.signal.fire()
    return emergency_out(emergency, [])


@router.get("/emergencies/{emergency_id}", response_model=EmergencyOut)
def get_emergency(emergency_id: int, state: State, caller: Caller) -> EmergencyOut:
    """One bulletin and which stations confirmed it (the office), or the bulletin (a station)."""
    with state.db.unit_of_work() as uow:
        emergency = uow.emergencies.get(emergency_id)
        deliveries = uow.emergencies.deliveries(emergency_id)
    if caller.scope is Scope.STATION:
        if caller.station_code not in emergency.stations:
            raise ForbiddenError(f"{caller.describe()} cannot see bulletin {emergency_id}")
        return emergency_out(emergency)
    authorize_station(state, caller, emergency.office_code)
    return emergency_out(emergency, deliveries)


def _pending(state: ApiState, code: str, since: int) -> list[Emergency]:
    with state.db.unit_of_work() as uow:
        return uow.emergencies.for_station(code, since=since, now=state.clock.now())


@router.get("/stations/{code}/emergencies", response_model=EmergencyList)
async def station_emergencies(
    code: StationCode,
    state: State,
    since: Annotated[int, Query(ge=0, description="the cursor from the last answer")] = 0,
    wait: Annotated[float, Query(ge=0, le=300, description="seconds to hold the request")] = 0,
) -> EmergencyList:
    """Live bulletins for a station after ``since``; with ``wait`` it is a long-poll."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(wait, state.api.long_poll_seconds)
    while True:
        found = await run_in_threadpool(_pending, state, code, since)
        remaining = deadline - loop.time()
        if found or remaining <= 0:
            break
        await state.signal.wait(min(POLL_SECONDS, remaining))
    cursor = max([since, *(e.id for e in found)])
    return EmergencyList(emergencies=[emergency_out(e) for e in found], cursor=cursor)


@router.get(
    "/stations/{code}/emergencies/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def station_emergency_stream(
    code: StationCode,
    state: State,
    since: Annotated[int, Query(ge=0)] = 0,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Server-sent events: one ``emergency`` event per bulletin, comments as keep-alive."""
    cursor = since
    if last_event_id and last_event_id.isdigit():
        cursor = max(cursor, int(last_event_id))

    async def events() -> AsyncIterator[str]:
        nonlocal cursor
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        yield "retry: 3000\n\n"
        while True:
            found = await run_in_threadpool(_pending, state, code, cursor)
            for e in found:
                cursor = max(cursor, e.id)
                data = emergency_out(e).model_dump_json()
                yield f"id: {e.id}\nevent: emergency\ndata: {data}\n\n"
                quiet_since = loop.time()
            if loop.time() - quiet_since >= KEEPALIVE_SECONDS:
                yield f": keep-alive {json.dumps(cursor)}\n\n"
                quiet_since = loop.time()
            await state.signal.wait(POLL_SECONDS)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post("/stations/{code}/emergencies/{emergency_id}/ack", response_model=DeliveryOut)
def acknowledge(
    code: StationCode, emergency_id: int, state: State, body: AckIn | None = None
) -> DeliveryOut:
    """The station got the bulletin (and when it began to play); repeating it changes nothing."""
    with state.db.unit_of_work() as uow:
        d = uow.emergencies.acknowledge(
            emergency_id,
            code,
            at=state.clock.now(),
            started_at=body.started_at.astimezone(UTC) if body and body.started_at else None,
        )
    return DeliveryOut(station_code=d.station_code, acked_at=d.acked_at, started_at=d.started_at)
