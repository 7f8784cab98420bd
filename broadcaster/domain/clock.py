"""Time as a value: the core receives ``now`` through a Clock and never reads the wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current aware time."""

    def now(self) -> datetime: ...


class FixedClock:
    """A clock that always tells the same instant (tests, replays); ``advance`` moves it."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, by: timedelta) -> None:
        self._at += by

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (a scheduler that woke at a given instant, in a replay)."""
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at
