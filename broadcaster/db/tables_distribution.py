"""Tables for distribution: API tokens, emergency bulletins, station heartbeats (revision 0005)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel


class ApiTokenRow(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    #: SHA-256 of the secret; the secret itself is shown once at creation and never stored
    token_hash: str = Field(unique=True, index=True, max_length=64)
    prefix: str = Field(max_length=16)
    scope: str = Field(max_length=10)
    station_code: str = Field(index=True, max_length=64)
    label: str = Field(default="", max_length=200)
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    #: refused from this instant on; None: valid until revoked (revision 0007)
    expires_at: datetime | None = None


class EmergencyRow(SQLModel, table=True):
    __tablename__ = "emergency"

    id: int | None = Field(default=None, primary_key=True)
    office_code: str = Field(index=True, max_length=64)
    title: str = Field(max_length=300)
    text: str | None = None
    #: the body's audio; NULL while a text body is being synthesised (revision 0008)
    audio_hash: str | None = Field(default=None, max_length=128)
    duration_ms: int | None = None
    repeat: int = 1
    created_at: datetime = Field(index=True)
    expires_at: datetime
    created_by: str = Field(default="", max_length=200)
    # revision 0008: lead-in, background synthesis, cancel and correct
    lead_in_hash: str | None = Field(default=None, max_length=128)
    lead_in_ms: int | None = None
    body_state: str = Field(
        default="ready", max_length=16, sa_column_kwargs={"server_default": "ready"}
    )
    body_error: str | None = Field(default=None, max_length=500)
    #: when a process took the body's synthesis on (so a crashed one's work is taken over)
    body_claimed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = Field(default=None, max_length=200)
    cancel_reason: str | None = Field(default=None, max_length=500)
    replaces_id: int | None = Field(default=None, index=True)


class EmergencyChangeRow(SQLModel, table=True):
    """Every change to a bulletin in the order stored: worker processes follow this log
    (on PostgreSQL woken by NOTIFY) to wake the stations concerned (revision 0008)."""

    __tablename__ = "emergency_change"

    id: int | None = Field(default=None, primary_key=True)
    emergency_id: int = Field(foreign_key="emergency.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    at: datetime


class EmergencyTargetRow(SQLModel, table=True):
    __tablename__ = "emergency_target"
    __table_args__ = (UniqueConstraint("emergency_id", "station_code", name="uq_emergency_target"),)

    id: int | None = Field(default=None, primary_key=True)
    emergency_id: int = Field(foreign_key="emergency.id", index=True, ondelete="CASCADE")
    station_code: str = Field(index=True, max_length=64)
    acked_at: datetime | None = None
    started_at: datetime | None = None


class HeartbeatRow(SQLModel, table=True):
    __tablename__ = "station_heartbeat"

    id: int | None = Field(default=None, primary_key=True)
    station_code: str = Field(unique=True, index=True, max_length=64)
    seen_at: datetime
    agent_version: str | None = Field(default=None, max_length=50)
    next_entry_at: datetime | None = None
    next_entry_title: str | None = None
    #: BIGINT: a disk has more free bytes than a 32-bit integer holds (revision 0010)
    free_disk_bytes: int | None = Field(default=None, sa_type=BigInteger)
    pending_logs: int | None = None
    playing: str | None = None
    # revision 0010
    rejected_logs: int | None = None
    fallback_day: date | None = None
    # revision 0015: the device's state (a loudspeaker cluster's board)
    volume: int | None = None
    relay_on: bool | None = None
    audio_ok: bool | None = None
    temperature_c: float | None = None


class AudioUploadRow(SQLModel, table=True):
    """Who uploaded a recording (revision 0010): an office may send only its own uploads
    (or those of offices below it), and only they may fetch them besides the stations a
    bulletin goes to."""

    __tablename__ = "audio_upload"
    __table_args__ = (UniqueConstraint("audio_hash", "office_code", name="uq_audio_upload"),)

    id: int | None = Field(default=None, primary_key=True)
    audio_hash: str = Field(index=True, max_length=128)
    office_code: str = Field(index=True, max_length=64)
    uploaded_at: datetime
    uploaded_by: str = Field(default="", max_length=200)
