"""What was actually aired: the airing log, as the playout agent or an operator reports it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .messages import Msg, _


class AiringStatus(StrEnum):
    AIRED = "aired"  # played in full
    PARTIAL = "partial"  # started, stopped before its end (not by an emergency)
    MISSED = "missed"  # not played: the agent was down or later than the grace time
    INTERRUPTED = "interrupted"  # cut by an emergency bulletin
    FAILED = "failed"  # the player failed
    MANUAL = "manual"  # confirmed by hand by an operator (stations without an agent)
    CANCELLED = "cancelled"  # an emergency bulletin the office cancelled while it played

    @property
    def label(self) -> Msg:
        return {
            "aired": _("Aired"),
            "partial": _("Partly aired"),
            "missed": _("Missed"),
            "interrupted": _("Interrupted (emergency)"),
            "failed": _("Player failed"),
            "manual": _("Confirmed by hand"),
            "cancelled": _("Cancelled (bulletin withdrawn)"),
        }[self.value]

    @property
    def counts_as_aired(self) -> bool:
        return self in (AiringStatus.AIRED, AiringStatus.MANUAL)


class AiringSource(StrEnum):
    AGENT = "agent"
    MANUAL = "manual"


@dataclass(frozen=True)
class Airing:
    """One log record. ``event_id`` is made by the client and makes uploads idempotent."""

    event_id: str
    station_code: str
    status: AiringStatus
    planned_start: datetime | None  # aware; None for an unplanned (manual) airing
    actual_start: datetime | None = None  # aware
    actual_end: datetime | None = None  # aware
    item_id: int | None = None
    entry_id: str | None = None  # the playlist entry it plays (stable id within a plan version)
    segment_hash: str | None = None
    plan_version: int | None = None
    source: AiringSource = AiringSource.AGENT
    operator: str | None = None
    note: str | None = None
    title: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    received_at: datetime | None = None  # when the office stored it

    def __post_init__(self) -> None:
        for name in ("planned_start", "actual_start", "actual_end", "received_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"Airing.{name} must be an aware datetime")

    @property
    def aired_duration(self) -> timedelta:
        if self.actual_start and self.actual_end and self.actual_end > self.actual_start:
            return self.actual_end - self.actual_start
        return timedelta()

    @property
    def planned_date(self) -> date | None:
        return self.planned_start.date() if self.planned_start else None
