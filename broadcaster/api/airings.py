"""Airing logs: batch upload (idempotent by the client's event id), manual confirmation, listing."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.errors import Problem, ValidationFailed

from .deps import ClockDep, Db, State, StationCode

router = APIRouter(tags=["airings"])

EVENT_ID = r"^[A-Za-z0-9._:-]+$"
MAX_BATCH = 1000


class AiringIn(BaseModel):
    """One airing as a station reports it. ``event_id`` is made once by the station."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=8, max_length=64, pattern=EVENT_ID)
    status: AiringStatus
    station_code: str | None = Field(default=None, max_length=64)
    planned_start: AwareDatetime | None = None
    actual_start: AwareDatetime | None = None
    actual_end: AwareDatetime | None = None
    item_id: int | None = None
    entry_id: str | None = Field(default=None, max_length=100)
    segment_hash: str | None = Field(default=None, max_length=64)
    plan_version: int | None = None
    source: AiringSource = AiringSource.AGENT
    operator: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=500)
    timezone: str = Field(default="Asia/Ho_Chi_Minh", max_length=64)


class AiringBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    airings: list[AiringIn] = Field(min_length=1, max_length=MAX_BATCH)


class IngestOut(BaseModel):
    accepted: int
    duplicates: int
    accepted_ids: list[str]


class AiringOut(BaseModel):
    event_id: str
    station_code: str
    status: AiringStatus
    status_label: str
    planned_start: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    item_id: int | None
    entry_id: str | None
    segment_hash: str | None
    plan_version: int | None
    source: AiringSource
    operator: str | None
    note: str | None
    title: str | None
    timezone: str
    received_at: datetime | None


class ManualConfirmation(BaseModel):
    """An operator confirms by hand that an entry (or an unplanned announcement) was aired."""

    model_config = ConfigDict(extra="forbid")

    operator: str = Field(min_length=1, max_length=200)
    event_id: str | None = Field(
        default=None,
        min_length=8,
        max_length=64,
        pattern=EVENT_ID,
        description="made by the client so that a resent confirmation counts once",
    )
    entry_id: str | None = Field(default=None, max_length=100)
    planned_start: AwareDatetime | None = None
    actual_start: AwareDatetime | None = None
    actual_end: AwareDatetime | None = None
    item_id: int | None = None
    title: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=2000)


def airing_out(a: Airing) -> AiringOut:
    return AiringOut(
        event_id=a.event_id,
        station_code=a.station_code,
        status=a.status,
        status_label=a.status.label_vi,
        planned_start=a.planned_start,
        actual_start=a.actual_start,
        actual_end=a.actual_end,
        item_id=a.item_id,
        entry_id=a.entry_id,
        segment_hash=a.segment_hash,
        plan_version=a.plan_version,
        source=a.source,
        operator=a.operator,
        note=a.note,
        title=a.title,
        timezone=a.timezone,
        received_at=a.received_at,
    )


@router.post("/stations/{code}/airings", response_model=IngestOut)
def upload_airings(code: StationCode, batch: AiringBatch, db: Db, clock: ClockDep) -> IngestOut:
    """Store a batch of airings; a resent batch is accepted once (by ``event_id``)."""
    problems = [
        Problem(f"{a.station_code!r} is not this station ({code})", f"airings.{i}.station_code")
        for i, a in enumerate(batch.airings)
        if a.station_code is not None and a.station_code != code
    ]
    if problems:
        raise ValidationFailed("airing batch", problems)
    airings = [
        Airing(
            event_id=a.event_id,
            station_code=code,
            status=a.status,
            planned_start=a.planned_start,
            actual_start=a.actual_start,
            actual_end=a.actual_end,
            item_id=a.item_id,
            entry_id=a.entry_id,
            segment_hash=a.segment_hash,
            plan_version=a.plan_version,
            source=a.source,
            operator=a.operator,
            note=a.note,
            title=a.title,
            timezone=a.timezone,
        )
        for a in batch.airings
    ]
    with db.unit_of_work() as uow:
        result = uow.airings.add_many(airings, clock.now())
    return IngestOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        accepted_ids=list(result.accepted_ids),
    )


@router.post("/stations/{code}/airings/confirm", response_model=IngestOut, status_code=201)
def confirm_airing(
    code: StationCode, body: ManualConfirmation, db: Db, clock: ClockDep, state: State
) -> IngestOut:
    """Record by hand that something was aired (stations without an agent)."""
    now = clock.now()
    airing = Airing(
        event_id=body.event_id or f"manual-{uuid.uuid4().hex}",
        station_code=code,
        status=AiringStatus.MANUAL,
        planned_start=body.planned_start,
        actual_start=body.actual_start or now,
        actual_end=body.actual_end,
        item_id=body.item_id,
        entry_id=body.entry_id,
        title=body.title,
        source=AiringSource.MANUAL,
        operator=body.operator,
        note=body.note,
        timezone=state.settings.timezone,
    )
    with db.unit_of_work() as uow:
        result = uow.airings.add_many([airing], now)
    return IngestOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        accepted_ids=list(result.accepted_ids),
    )


@router.get("/stations/{code}/airings", response_model=list[AiringOut])
def list_airings(
    code: StationCode,
    db: Db,
    state: State,
    start: Annotated[
        date | None, Query(alias="from", description="first day (station time)")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="last day, included")] = None,
) -> list[AiringOut]:
    """A station's airings whose planned (or actual) start falls within the days given."""
    zone = ZoneInfo(state.settings.timezone)
    lo = datetime.combine(start, time(), zone) if start else None
    hi = datetime.combine(end + timedelta(days=1), time(), zone) if end else None
    with db.unit_of_work() as uow:
        airings = uow.airings.list(stations=[code], start=lo, end=hi)
    return [airing_out(a) for a in airings]
