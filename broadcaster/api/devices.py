"""Commands to a station's device (a loudspeaker cluster's agent): an office sends them, the
agent gets them on its emergency stream and acknowledges each."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from broadcaster.domain.accounts import Role
from broadcaster.domain.devices import DeviceCommand
from broadcaster.usecases.device_commands import (
    acknowledge_command,
    recent_commands,
    send_command,
)

from .deps import OfficeCaller, State, StationCode
from .errors import STATION_ROUTE, error_responses
from .fields import DbInt, StationCodePath, Text
from .out import out_of

router = APIRouter(tags=["devices"])

CommandId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class CommandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=16, description="volume, relay, stop or play")
    #: volume: 1–15; relay: 1 (on) or 0 (off)
    value: DbInt | None = None
    #: play: the item whose audio plays now
    item_id: DbInt | None = None


class CommandOut(BaseModel):
    id: int
    station_code: str
    kind: str
    value: int | None
    item_id: int | None
    title: str | None
    created_at: datetime
    created_by: str
    expires_at: datetime
    acked_at: datetime | None
    result: str | None
    note: str | None


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: str = Field(max_length=16, description="done or failed")
    note: Text | None = Field(default=None, max_length=500)


def command_out(c: DeviceCommand) -> CommandOut:
    return out_of(CommandOut, c, kind=c.kind.value)


@router.post(
    "/stations/{code}/commands",
    status_code=201,
    response_model=CommandOut,
    responses=error_responses(
        *STATION_ROUTE, 400, notes={403: "Not an office token, or the device is outside it."}
    ),
)
async def send(
    code: StationCodePath, body: CommandIn, state: State, office: OfficeCaller
) -> CommandOut:
    """Send a command to a device under the calling office: set the volume (1–15), switch
    the amplifier's relay, stop what plays, play an item now. It reaches the agent on its
    emergency stream; ``GET`` shows the agent's acknowledgement."""
    stored = await run_in_threadpool(
        lambda: send_command(
            state.db,
            state.clock,
            role=Role.OFFICE,
            node=office.station_code,
            who=office.label or str(office.describe()),
            station=code,
            kind=body.kind,
            value=body.value,
            item_id=body.item_id,
        )
    )
    await state.hub.caught_up()
    return command_out(stored)


@router.get(
    "/stations/{code}/commands",
    response_model=list[CommandOut],
    responses=error_responses(*STATION_ROUTE),
)
def recent(code: StationCodePath, state: State, office: OfficeCaller) -> list[CommandOut]:
    """The device's latest commands, newest first, with who sent them and the answers."""
    found = recent_commands(
        state.db,
        role=Role.OFFICE,
        node=office.station_code,
        who=office.label or str(office.describe()),
        station=code,
    )
    return [command_out(c) for c in found]


@router.post(
    "/stations/{code}/commands/{command_id}/ack",
    response_model=CommandOut,
    responses=error_responses(*STATION_ROUTE, 400),
)
def acknowledge(code: StationCode, command_id: CommandId, body: AckIn, state: State) -> CommandOut:
    """The agent carried out a command (``done``) or could not (``failed``, with why)."""
    done = acknowledge_command(state.db, state.clock, code, command_id, body.result, body.note)
    state.hub.command_done(command_id)
    return command_out(done)
