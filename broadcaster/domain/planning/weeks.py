"""ISO weeks, the labels officials give dated sessions, and the units the planner counts in.

The solver counts time in integer milliseconds (exact sums, no float drift); durations
and aware datetimes are converted at its edges with :func:`to_ms` and :func:`to_epoch_ms`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from ..errors import InputError
from ..messages import Msg, _, weekday_short
from ..stations import format_hhmm

DAY_MS = 24 * 3600 * 1000

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def parse_week(text: str) -> tuple[int, int]:
    """``"2026-W48"`` → ``(2026, 48)``."""
    m = _WEEK_RE.match(text)
    if not m:
        raise InputError(_("week {week!r} is not an ISO week; write it like 2026-W48", week=text))
    year, week = int(m.group(1)), int(m.group(2))
    week_monday(year, week)
    return year, week


def week_monday(year: int, week: int) -> date:
    """The Monday of ISO week ``week`` of ``year``."""
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        label = f"{year}-W{week:02d}"
        raise InputError(
            _(
                "{week} is not a week of {year}; ISO years have 52 or 53 weeks",
                week=label,
                year=year,
            )
        ) from None


def resolve_week(week: date | tuple[int, int] | str) -> date:
    """The Monday of a week given as a date in it, ``(year, week)`` or ``"2026-W48"``."""
    if isinstance(week, str):
        return week_monday(*parse_week(week))
    if isinstance(week, tuple):
        return week_monday(*week)
    return week - timedelta(days=week.weekday())


def session_label(day: date, name: str, start: time) -> str:
    """How an official names a dated session: ``T3 05/11 Sáng 05:30``."""
    return (
        f"{weekday_short(day.weekday())} {day.day:02d}/{day.month:02d} {name} {format_hhmm(start)}"
    )


def format_duration_vi(ms: int | float) -> str:
    """A duration in milliseconds as Vietnamese words: ``2 phút 5 giây``."""
    total = round(ms / 1000)
    minutes, seconds = divmod(total, 60)
    if minutes and seconds:
        return f"{minutes} phút {seconds} giây"
    if minutes:
        return f"{minutes} phút"
    return f"{seconds} giây"


def duration_words(td: timedelta) -> Msg:
    """A duration as the reader says it: ``18 phút 15 giây`` (never ``18:15 phút``)."""
    minutes, seconds = divmod(round(td.total_seconds()), 60)
    if minutes and seconds:
        return _("{minutes} min {seconds} s", minutes=minutes, seconds=seconds)
    if minutes:
        return _("{minutes} min", minutes=minutes)
    return _("{seconds} s", seconds=seconds)


def to_ms(td: timedelta) -> int:
    """A duration in whole milliseconds."""
    return round(td.total_seconds() * 1000)


def to_epoch_ms(dt: datetime) -> int:
    """An aware datetime as milliseconds since the Unix epoch."""
    return round(dt.timestamp() * 1000)


def nfc(text: str) -> str:
    """Text in Unicode NFC, the one form Vietnamese titles are compared and printed in."""
    return unicodedata.normalize("NFC", text)
