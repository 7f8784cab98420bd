"""Segments: finished audio files and their measurements (revision 0003)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class SegmentRow(SQLModel, table=True):
    __tablename__ = "segment"
    __table_args__ = (UniqueConstraint("content_hash", "item_id", name="uq_segment_hash_item"),)

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(index=True, max_length=64)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    engine: str | None = Field(default=None, max_length=40)
    voice: str | None = Field(default=None, max_length=100)
    path: str = Field(max_length=300)
    duration_ms: int
    loudness_lufs: float
    source_name: str | None = Field(default=None, max_length=500)
    created_at: datetime
