"""Table for the history of each station's heartbeats (revision 0014): one row per stretch
of time an agent kept reporting without a gap longer than the online window, with the same
agent version and fallback day, so a station's page shows when it was heard and when not
without one row per heartbeat."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class PresenceRow(SQLModel, table=True):
    __tablename__ = "station_presence"
    __table_args__ = (Index("ix_station_presence_station_last", "station_code", "last_at"),)

    id: int | None = Field(default=None, primary_key=True)
    station_code: str = Field(max_length=64)
    started_at: datetime
    last_at: datetime
    beats: int = 1
    agent_version: str | None = Field(default=None, max_length=50)
    fallback_day: date | None = None
