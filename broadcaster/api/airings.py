"""Airing logs: batch upload (idempotent by the client's event id), manual confirmation, listing."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.messages import _

from .deps import ClockDep, Db, State, StationCode
from .errors import STATION_ROUTE, error_responses, field_message
from .fields import DbId, DbInt, SaneDate, SaneDatetime, Text, TimeZoneName
from .out import out_of

router = APIRouter(tags=["airings"])

EVENT_ID = r"^[A-Za-z0-9._:-]+$"
MAX_BATCH = 1000


def _check_span(start: datetime | None, end: datetime | None) -> None:
    if start and end and end < start:
        raise ValueError(_("actual_end is before actual_start"))


class AiringIn(BaseModel):
    """One airing as a station reports it. ``event_id`` is made once by the station."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=8, max_length=64, pattern=EVENT_ID)
    status: AiringStatus
    station_code: Text | None = Field(default=None, max_length=64)
    planned_start: SaneDatetime | None = None
    actual_start: SaneDatetime | None = None
    actual_end: SaneDatetime | None = None
    item_id: DbId | None = None
    entry_id: Text | None = Field(default=None, max_length=100)
    segment_hash: Text | None = Field(default=None, max_length=64)
    plan_version: DbInt | None = None
    source: AiringSource = AiringSource.AGENT
    operator: Text | None = Field(default=None, max_length=200)
    note: Text | None = Field(default=None, max_length=2000)
    title: Text | None = Field(default=None, max_length=500)
    timezone: TimeZoneName = "Asia/Ho_Chi_Minh"

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> AiringIn:
        _check_span(self.actual_start, self.actual_end)
        return self

    def airing(self, code: str) -> Airing:
        """The domain record, for the station of the URL."""
        return Airing(station_code=code, **self.model_dump(exclude={"station_code"}))


class AiringBatch(BaseModel):
    """Up to 1,000 airings. Each is checked on its own: a bad record is answered as
    ``rejected`` with the reason and does not hold back the others."""

    model_config = ConfigDict(extra="forbid")

    # left to right: a good record is validated once, as an AiringIn; only one that fails
    # is kept as it came, to be answered ``rejected`` with its reasons (smart mode took
    # every record as a plain dict first and validated it a second time)
    airings: list[Annotated[AiringIn | dict[str, Any], Field(union_mode="left_to_right")]] = Field(
        min_length=1, max_length=MAX_BATCH
    )


class RecordResult(BaseModel):
    index: int
    event_id: str | None
    result: Literal["accepted", "duplicate", "rejected"]
    #: why a record was rejected, field by field (a factory: a mutable default is deep-copied
    #: for every record answered)
    fields: list[dict[str, str]] = Field(default_factory=list)


class IngestOut(BaseModel):
    accepted: int
    duplicates: int
    rejected: int = 0
    accepted_ids: list[str]
    #: one answer per record sent, in order
    results: list[RecordResult] = []


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

    operator: Text = Field(min_length=1, max_length=200)
    event_id: str | None = Field(
        default=None,
        min_length=8,
        max_length=64,
        pattern=EVENT_ID,
        description="made by the client so that a resent confirmation counts once",
    )
    entry_id: Text | None = Field(default=None, max_length=100)
    planned_start: SaneDatetime | None = None
    actual_start: SaneDatetime | None = None
    actual_end: SaneDatetime | None = None
    item_id: DbId | None = None
    title: Text | None = Field(default=None, max_length=500)
    note: Text | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> ManualConfirmation:
        _check_span(self.actual_start, self.actual_end)
        return self


def airing_out(a: Airing) -> AiringOut:
    return out_of(AiringOut, a, status_label=str(a.status.label))


def _checked(index: int, raw: AiringIn | dict[str, Any], code: str) -> Airing | RecordResult:
    """A record as an airing of this station, or why it is rejected."""
    if isinstance(raw, dict):
        given = raw
        try:
            raw = AiringIn.model_validate(given)
        except ValidationError as exc:
            event = given.get("event_id")
            return RecordResult(
                index=index,
                event_id=event if isinstance(event, str) else None,
                result="rejected",
                fields=[
                    {
                        "field": ".".join(str(p) for p in err["loc"]) or "airing",
                        "message": str(field_message(err)),
                    }
                    for err in exc.errors(include_url=False)
                ],
            )
    if raw.station_code is not None and raw.station_code != code:
        return RecordResult(
            index=index,
            event_id=raw.event_id,
            result="rejected",
            fields=[
                {
                    "field": "station_code",
                    "message": str(
                        _(
                            "{given} is not this station ({code})",
                            given=repr(raw.station_code),
                            code=code,
                        )
                    ),
                }
            ],
        )
    return raw.airing(code)


@router.post(
    "/stations/{code}/airings",
    response_model=IngestOut,
    responses=error_responses(*STATION_ROUTE, 400, 413, notes={403: "Another station's log."}),
)
def upload_airings(code: StationCode, batch: AiringBatch, db: Db, clock: ClockDep) -> IngestOut:
    """Store a batch of airings, each once (by the station and its ``event_id``): a resent
    batch, or the same batch twice at once, is stored once. Every record gets its own answer
    (``accepted``, ``duplicate``, ``rejected`` with the reason)."""
    checked = [_checked(i, raw, code) for i, raw in enumerate(batch.airings)]
    airings = [c for c in checked if isinstance(c, Airing)]
    with db.unit_of_work() as uow:
        result = uow.airings.add_many(airings, clock.now())
    stored = iter(result.stored)
    results = [
        c
        if isinstance(c, RecordResult)
        else RecordResult(
            index=i, event_id=c.event_id, result="accepted" if next(stored) else "duplicate"
        )
        for i, c in enumerate(checked)
    ]
    return IngestOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        rejected=len(checked) - len(airings),
        accepted_ids=list(result.accepted_ids),
        results=results,
    )


@router.post(
    "/stations/{code}/airings/confirm",
    response_model=IngestOut,
    status_code=201,
    responses=error_responses(*STATION_ROUTE, 400, 413),
)
def confirm_airing(
    code: StationCode, body: ManualConfirmation, db: Db, clock: ClockDep, state: State
) -> IngestOut:
    """Record by hand that something was aired (stations without an agent)."""
    now = clock.now()
    airing = Airing(
        # what the operator confirmed, as given: entry, item, title, times, operator, note
        **body.model_dump(exclude={"event_id", "actual_start"}),
        event_id=body.event_id or f"manual-{uuid.uuid4().hex}",
        station_code=code,
        status=AiringStatus.MANUAL,
        actual_start=body.actual_start or now,
        source=AiringSource.MANUAL,
        timezone=state.settings.timezone,
    )
    with db.unit_of_work() as uow:
        result = uow.airings.add_many([airing], now)
    return IngestOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        accepted_ids=list(result.accepted_ids),
        results=[
            RecordResult(
                index=0,
                event_id=airing.event_id,
                result="accepted" if result.accepted else "duplicate",
            )
        ],
    )


@router.get(
    "/stations/{code}/airings",
    response_model=list[AiringOut],
    responses=error_responses(*STATION_ROUTE),
)
def list_airings(
    code: StationCode,
    db: Db,
    state: State,
    start: Annotated[
        SaneDate | None, Query(alias="from", description="first day (station time)")
    ] = None,
    end: Annotated[SaneDate | None, Query(alias="to", description="last day, included")] = None,
) -> list[AiringOut]:
    """A station's airings whose planned (or actual) start falls within the days given."""
    zone = ZoneInfo(state.settings.timezone)
    lo = datetime.combine(start, time(), zone) if start else None
    hi = datetime.combine(end + timedelta(days=1), time(), zone) if end else None
    with db.unit_of_work() as uow:
        airings = uow.airings.list(stations=[code], start=lo, end=hi)
    return [airing_out(a) for a in airings]
