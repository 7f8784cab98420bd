"""Commands sent to a station's device (a loudspeaker cluster's agent), revision 0015: set the
volume, switch the amplifier's relay, stop, play an item now; who sent each and when, and
the agent's acknowledgement."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class DeviceCommandRow(SQLModel, table=True):
    __tablename__ = "device_command"

    id: int | None = Field(default=None, primary_key=True)
    station_code: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=16)
    value: int | None = None
    item_id: int | None = None
    audio_hash: str | None = Field(default=None, max_length=128)
    duration_ms: int | None = None
    title: str | None = Field(default=None, max_length=500)
    created_at: datetime
    created_by: str = Field(default="", max_length=200)
    expires_at: datetime
    acked_at: datetime | None = None
    result: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, max_length=500)
