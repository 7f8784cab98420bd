"""Station heartbeat and status: last seen, agent version, next entry, free disk."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, Strict

from broadcaster.db.presence_repo import PresenceRepository
from broadcaster.domain.clusters import with_clusters
from broadcaster.domain.distribution import Heartbeat
from broadcaster.usecases.emergencies import known_lead_in

from .deps import ApiState, Caller, OfficeCaller, State, StationCode, authorize_station
from .errors import STATION_ROUTE, error_responses
from .fields import BigCount, DbInt, SaneDate, SaneDatetime, StationCodePath, Text
from .out import out_of

router = APIRouter(tags=["stations"])


class HeartbeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_version: Text | None = Field(default=None, max_length=50)
    next_entry_at: SaneDatetime | None = None
    next_entry_title: Text | None = Field(default=None, max_length=500)
    free_disk_bytes: BigCount | None = None
    pending_logs: DbInt | None = None
    #: logs the office refused, kept aside at the station
    rejected_logs: DbInt | None = None
    playing: Text | None = Field(default=None, max_length=500)
    #: the earlier day whose playlist the station replays today (nothing published for today)
    fallback_day: SaneDate | None = None
    #: a cluster's board: volume 1–15, the amplifier's relay, the audio output, °C
    # strict: a JSON number or true/false only, so ``false`` is not stored as 0 °C nor ``1``
    # as a relay switched on
    volume: Annotated[int, Strict()] | None = Field(default=None, ge=1, le=15)
    relay_on: Annotated[bool, Strict()] | None = None
    audio_ok: Annotated[bool, Strict()] | None = None
    temperature_c: Annotated[float, Strict()] | None = Field(
        default=None, ge=-60, le=200, allow_inf_nan=False
    )


class StatusOut(BaseModel):
    station_code: str
    online: bool
    last_seen: datetime | None
    agent_version: str | None = None
    next_entry_at: datetime | None = None
    next_entry_title: str | None = None
    free_disk_bytes: int | None = None
    pending_logs: int | None = None
    rejected_logs: int | None = None
    playing: str | None = None
    fallback_day: date | None = None
    volume: int | None = None
    relay_on: bool | None = None
    audio_ok: bool | None = None
    temperature_c: float | None = None


class HeartbeatOut(StatusOut):
    #: when the calling token stops working (None: until revoked), so an agent can warn in time
    token_expires_at: datetime | None = None
    #: the audio every bulletin opens with, for the agent to fetch ahead of time
    emergency_lead_in: str | None = None


def status_out(state: ApiState, code: str, hb: Heartbeat | None) -> StatusOut:
    if hb is None:
        return StatusOut(station_code=code, online=False, last_seen=None)
    window = timedelta(seconds=state.api.online_window_seconds)
    return out_of(
        StatusOut,
        hb,
        station_code=code,
        online=hb.online(state.clock.now(), window),
        last_seen=hb.seen_at,
    )


@router.post(
    "/stations/{code}/heartbeat",
    response_model=HeartbeatOut,
    responses=error_responses(*STATION_ROUTE, 400, 413),
)
def heartbeat(code: StationCode, body: HeartbeatIn, state: State, caller: Caller) -> HeartbeatOut:
    """The agent says it is alive and what comes next; the answer says when its token expires."""
    hb = Heartbeat(station_code=code, seen_at=state.clock.now(), **body.model_dump())
    with state.db.unit_of_work() as uow:
        stored = uow.heartbeats.record(hb)
        # the station board's history: stretches of presence, not one row per heartbeat
        PresenceRepository(uow.session).note(
            stored, timedelta(seconds=state.api.online_window_seconds)
        )
    return HeartbeatOut(
        **status_out(state, code, stored).model_dump(),
        token_expires_at=caller.expires_at,
        emergency_lead_in=known_lead_in(),
    )


@router.get(
    "/stations/{code}/status", response_model=StatusOut, responses=error_responses(*STATION_ROUTE)
)
def station_status(code: StationCode, state: State) -> StatusOut:
    """Last heartbeat of a station's agent: online or not, next entry, free disk, queue."""
    with state.db.unit_of_work() as uow:
        hb = uow.heartbeats.get(code)
    return status_out(state, code, hb)


@router.get(
    "/offices/{code}/status",
    response_model=list[StatusOut],
    responses=error_responses(
        *STATION_ROUTE, notes={403: "Not an office token, or an office outside its own."}
    ),
)
def office_status(code: StationCodePath, state: State, office: OfficeCaller) -> list[StatusOut]:
    """Every airing station under an office, with its agent's last heartbeat (each followed
    by its loudspeaker clusters that hold a station token)."""
    authorize_station(state, office, code)
    with state.db.unit_of_work() as uow:
        tree = uow.stations.outline()
        devices = uow.tokens.stations_with_usable_tokens(state.clock.now())
        codes = [s.code for s in with_clusters(tree, tree.broadcasting_under(code), devices)]
        beats = uow.heartbeats.for_stations(codes)
    return [status_out(state, c, beats.get(c)) for c in codes]
