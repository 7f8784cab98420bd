"""The airing log as stored at the office (revision 0002)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class AiringRow(SQLModel, table=True):
    __tablename__ = "airing"
    # an event id is the station's own: another station posting it stores its own record
    # and can never hide, change or pre-empt this station's log (revision 0009)
    __table_args__ = (UniqueConstraint("station_code", "event_id", name="uq_airing_station_event"),)

    id: int | None = Field(default=None, primary_key=True)
    #: made by the station's client: a retried upload carries the same id and is stored once
    event_id: str = Field(max_length=64)
    #: searched through the (station, event id) constraint's index, whose first column it is
    station_code: str = Field(max_length=64)
    status: str = Field(max_length=20)
    planned_start: datetime | None = Field(default=None, index=True)
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    item_id: int | None = Field(default=None, index=True)
    entry_id: str | None = Field(default=None, max_length=100)
    segment_hash: str | None = Field(default=None, max_length=64)
    plan_version: int | None = None
    source: str = Field(default="agent", max_length=20)
    operator: str | None = Field(default=None, max_length=200)
    note: str | None = None
    title: str | None = None
    timezone: str = Field(default="Asia/Ho_Chi_Minh", max_length=64)
    received_at: datetime | None = None
