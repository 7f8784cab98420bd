"""Tables for the station tree, clocks, directives and items (revision 0001).

Rows never leave the db package: repositories turn them into domain objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class StationRow(SQLModel, table=True):
    __tablename__ = "station"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    parent_code: str | None = Field(default=None, index=True, max_length=64)
    is_office: bool = False
    airs: bool | None = None
    position: int = 0
    timezone: str | None = Field(default=None, max_length=64)
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    allow_quiet_hours: bool | None = None
    max_sessions_per_day: int | None = None
    max_minutes_per_session: int | None = None
    #: False: the station keeps its parent's sessions
    own_sessions: bool = False
    source: str | None = Field(default=None, max_length=500)
    #: weekly airings per item by priority; None: as the parent (revision 0006)
    target_normal: int | None = None
    target_priority: int | None = None


class SessionRow(SQLModel, table=True):
    __tablename__ = "clock_session"

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=100)
    days: str = Field(max_length=20)  # "0,1,2,3,4" Monday = 0
    start: str = Field(max_length=5)  # "05:30" station local time
    seconds: int


class FixedBlockRow(SQLModel, table=True):
    __tablename__ = "fixed_block"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="clock_session.id", index=True, ondelete="CASCADE")
    position: int = 0
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    start: str = Field(max_length=5)
    seconds: int
    source: str = Field(default="", max_length=100)


class DirectiveRow(SQLModel, table=True):
    __tablename__ = "directive"
    __table_args__ = (UniqueConstraint("source_sha256", "part", name="uq_directive_source_part"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, max_length=100)
    doc_type: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=300)
    place: str | None = Field(default=None, max_length=100)
    issued: str | None = Field(default=None, max_length=10)  # ISO, possibly partial ("2021-05")
    subject: str | None = None
    addressees: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    signer: str | None = Field(default=None, max_length=200)
    period_text: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    basis: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    source_name: str | None = Field(default=None, max_length=500)
    source_sha256: str | None = Field(default=None, index=True, max_length=64)
    part: int = 0
    imported_at: datetime | None = None
    # revision 0011: the document's text (the review page shows it beside its items) and the
    # office that imported it (whose people work on it)
    text: str | None = None
    office_code: str | None = Field(default=None, index=True, max_length=64)
    #: the text's fingerprint (words only): the same document in another format matches
    content_sha256: str | None = Field(default=None, index=True, max_length=64)


class ItemRow(SQLModel, table=True):
    __tablename__ = "item"

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int | None = Field(default=None, foreign_key="directive.id", index=True)
    position: int = 0
    number: str = Field(default="", max_length=50)
    title: str
    topic: str = Field(default="", max_length=200)
    kind: str = Field(default="propaganda", max_length=20)
    priority: str = Field(default="normal", max_length=20)
    valid_from: date | None = None
    valid_until: date | None = None
    target_per_week: int | None = None
    duration_ms: int | None = None
    estimated_ms: int | None = None
    text: str = ""
    script: str = ""
    approval_state: str = Field(default="draft", max_length=20)
    approved_by: str | None = Field(default=None, max_length=200)
    approved_at: datetime | None = None
    basis: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    slogans: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    theme: str | None = None
    observances: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    dayparts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    min_gap_minutes: int | None = None
    # revision 0011: where the item's passage stands in its document's text; retired items
    # (deleted after approval or airing) stay for history
    passage_start: int | None = None
    passage_end: int | None = None
    retired_at: datetime | None = None
    #: an approver sent it back: why (cleared when approved)
    returned_note: str | None = None
    stations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
