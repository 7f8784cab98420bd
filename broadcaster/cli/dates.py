"""Dates as people type them on the command line: 2026-12-07, 07/12/2026 or 07/12."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from broadcaster.usecases.reports import parse_day

from . import App


def today(app: App) -> date:
    """Today in the office's time zone, by the app's clock."""
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


def day_of(app: App, text: str, option: str = "--date") -> date:
    """A date in any of the three forms; ``07/12`` is the 7 December nearest today."""
    return parse_day(text, option, today(app))
