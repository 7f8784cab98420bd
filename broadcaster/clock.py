"""The wall clock, for entry points only; the core receives time through :class:`Clock`."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Tells the real time, always aware (UTC)."""

    def now(self) -> datetime:
        return datetime.now(UTC)  # noqa: TID251 - the one place that reads the wall clock
