"""Segments: finished audio for an item (synthesised speech or a recording), with measurements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class SegmentKind(StrEnum):
    TTS = "tts"  # synthesised from the item's script
    RECORDED = "recorded"  # a recording registered by an operator


@dataclass(frozen=True)
class Segment:
    """One finished, loudness-normalised audio file, named by the hash of what made it."""

    content_hash: str
    kind: SegmentKind
    path: str  # relative to the audio folder, e.g. "cache/ab/ab12….mp3"
    duration: timedelta
    loudness_lufs: float
    created_at: datetime  # made, or last chosen again for its item
    item_id: int | None = None
    engine: str | None = None
    voice: str | None = None
    source_name: str | None = None  # a recording's original file name
    id: int | None = None

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("segment time must be aware")


class ChimeMode(StrEnum):
    """Where the announcement chime goes around a spoken segment."""

    NONE = "none"
    BEFORE = "before"
    AFTER = "after"
    BOTH = "both"

    @property
    def before(self) -> bool:
        return self in (ChimeMode.BEFORE, ChimeMode.BOTH)

    @property
    def after(self) -> bool:
        return self in (ChimeMode.AFTER, ChimeMode.BOTH)
