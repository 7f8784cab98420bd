"""When a station's agent was heard: stretches of heartbeats without a long gap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise


@dataclass(frozen=True)
class Presence:
    """A stretch during which a station's agent kept sending heartbeats."""

    station_code: str
    started_at: datetime
    last_at: datetime
    beats: int = 1
    agent_version: str | None = None
    fallback_day: date | None = None

    @property
    def length(self) -> timedelta:
        return self.last_at - self.started_at


@dataclass(frozen=True)
class Gap:
    """A time between two stretches when nothing was heard from the station."""

    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start


def gaps(stretches: list[Presence], window: timedelta, now: datetime) -> list[Gap]:
    """The silences between ``stretches`` (oldest first) longer than ``window``, and the one
    since the last stretch if it has lasted that long."""
    out = []
    for before, after in pairwise(stretches):
        if after.started_at - before.last_at > window:
            out.append(Gap(before.last_at, after.started_at))
    if stretches and now - stretches[-1].last_at > window:
        out.append(Gap(stretches[-1].last_at, now))
    return out
