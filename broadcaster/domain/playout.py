"""Playout decisions for a station agent, as pure functions of the schedule and ``now``.

The agent's threads, scheduler and player only carry these decisions out: when an entry may
still start, when a late entry must stop so the next one keeps its time, what to log for
entries missed while the agent was down, and how long to wait before resending logs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from .airings import Airing, AiringSource, AiringStatus
from .messages import Msg, _, _n, default

#: namespace of the agent's event ids: the same entry always gets the same id, so a log sent
#: twice (a retry, a restart after a crash) is stored once by the office
EVENT_NAMESPACE = uuid.UUID("6f1c2a44-5d0e-4d4b-9a53-7c1f6f0b8e21")

#: a late entry is stopped this long before the next entry's last possible start
CUT_MARGIN = timedelta(milliseconds=500)


@dataclass(frozen=True)
class PlayoutEntry:
    """One thing to play at a planned time, as the agent reads it from a pulled playlist."""

    key: str  # unique and stable within the station's schedule
    station_code: str
    start: datetime  # aware
    duration: timedelta
    title: str
    audio_hash: str | None = None
    item_id: int | None = None
    entry_id: str | None = None
    plan_version: int | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    #: set when the entry is replayed from an earlier day's playlist (fallback programme)
    fallback_of: date | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError(f"entry {self.key}: start must be an aware datetime")

    @property
    def end(self) -> datetime:
        return self.start + self.duration


@dataclass(frozen=True)
class Window:
    """When an entry may start at the latest, and when it must stop if it started late."""

    latest_start: datetime
    stop_by: datetime | None


def timeline(entries: Iterable[PlayoutEntry]) -> list[PlayoutEntry]:
    """Entries in playing order; a key seen twice keeps its first occurrence."""
    seen: dict[str, PlayoutEntry] = {}
    for e in entries:
        seen.setdefault(e.key, e)
    return sorted(seen.values(), key=lambda e: (e.start, e.key))


def windows(ordered: Sequence[PlayoutEntry], grace: timedelta) -> dict[str, Window]:
    """Each entry's window: late by at most ``grace``, and never into the next entry's time.

    An entry that started late is cut in time for the next entry to start within its own
    window, so one late start never makes the rest of the session miss.
    """
    latest = [
        min(e.start + grace, ordered[i + 1].start) if i + 1 < len(ordered) else e.start + grace
        for i, e in enumerate(ordered)
    ]
    out: dict[str, Window] = {}
    for i, e in enumerate(ordered):
        stop_by = latest[i + 1] - CUT_MARGIN if i + 1 < len(ordered) else None
        if stop_by is not None and stop_by < e.end:
            # only matters when the entry starts late; an on-time entry ends before it anyway
            stop_by = max(stop_by, e.start)
        out[e.key] = Window(latest[i], stop_by)
    return out


class Verdict(StrEnum):
    PLAY = "play"
    MISS = "miss"
    WAIT = "wait"


def decide(window: Window, start: datetime, now: datetime) -> Verdict:
    """Play now, wait for the planned time, or give up (missed) — never play too late."""
    if now < start:
        return Verdict.WAIT
    if now > window.latest_start:
        return Verdict.MISS
    return Verdict.PLAY


class EntryState(StrEnum):
    """What the agent's local store knows about an entry."""

    PLAYING = "playing"  # started; no outcome recorded yet (a crash leaves it so)
    DONE = "done"  # an outcome is recorded (aired, partial, missed…)


@dataclass(frozen=True)
class Recovery:
    """What to do with the schedule when the agent starts."""

    missed: tuple[PlayoutEntry, ...]  # their time passed while the agent was down
    cut: tuple[PlayoutEntry, ...]  # were playing when the agent stopped
    pending: tuple[PlayoutEntry, ...]  # still to schedule


def recover(
    ordered: Sequence[PlayoutEntry],
    states: Mapping[str, EntryState],
    now: datetime,
    grace: timedelta,
) -> Recovery:
    """Sort the schedule into missed, cut short, and still to play, given the local state."""
    wins = windows(ordered, grace)
    missed: list[PlayoutEntry] = []
    cut: list[PlayoutEntry] = []
    pending: list[PlayoutEntry] = []
    for e in ordered:
        state = states.get(e.key)
        if state is EntryState.DONE:
            continue
        if state is EntryState.PLAYING:
            cut.append(e)
        elif decide(wins[e.key], e.start, now) is Verdict.MISS:
            missed.append(e)
        else:
            pending.append(e)
    return Recovery(tuple(missed), tuple(cut), tuple(pending))


def next_entry(
    ordered: Sequence[PlayoutEntry], states: Mapping[str, EntryState], now: datetime
) -> PlayoutEntry | None:
    """The next entry still to play (for the heartbeat)."""
    for e in ordered:
        if e.start >= now and e.key not in states:
            return e
    return None


def fallback_source(day: date, days_held: Iterable[date], weeks: int) -> date | None:
    """The playlist to replay on ``day`` when the office published none for it: the newest
    held of the same weekday, at most ``weeks`` weeks back."""
    held = set(days_held)
    for back in range(1, weeks + 1):
        candidate = day - timedelta(weeks=back)
        if candidate in held:
            return candidate
    return None


def replay_on(entries: Iterable[PlayoutEntry], source: date, day: date) -> list[PlayoutEntry]:
    """``source``'s entries moved to ``day`` at the same local times, marked as fallback.

    Keys and entry ids are new (the day is part of them), so a replay never collides with
    what aired on ``source`` or with a playlist published later for ``day``.
    """
    shift = day - source
    out = []
    for e in entries:
        # the same wall-clock time on the other day (in the offset the playlist gives)
        start = (e.start.replace(tzinfo=None) + shift).replace(tzinfo=e.start.tzinfo)
        key = f"fallback|{day.isoformat()}|{e.key}"
        out.append(
            replace(
                e,
                key=key,
                start=start,
                entry_id=f"fallback-{day.isoformat()}-{e.entry_id or e.key}"[:100],
                plan_version=None,
                fallback_of=source,
            )
        )
    return out


def entry_event_id(station_code: str, key: str) -> str:
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{station_code}|entry|{key}"))


def bulletin_event_id(station_code: str, emergency_id: int, part: str = "body") -> str:
    """A bulletin's log id at a station: its body, or its ``lead_in`` part."""
    tail = "" if part == "body" else f"|{part}"
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{station_code}|emergency|{emergency_id}{tail}"))


def entry_airing(
    entry: PlayoutEntry,
    status: AiringStatus,
    *,
    actual_start: datetime | None = None,
    actual_end: datetime | None = None,
    note: str | None = None,
) -> Airing:
    """The log record for an entry's outcome; its event id depends on the entry only."""
    if entry.fallback_of is not None:
        # no plan was published for the day: the station replayed an earlier one
        day = f"{entry.fallback_of:%d/%m/%Y}"
        note = stored_note(
            _("fallback programme (schedule of {day}); {note}", day=day, note=note)
            if note
            else _("fallback programme (schedule of {day})", day=day)
        )
    return Airing(
        event_id=entry_event_id(entry.station_code, entry.key),
        station_code=entry.station_code,
        status=status,
        planned_start=entry.start,
        actual_start=actual_start,
        actual_end=actual_end,
        item_id=entry.item_id,
        entry_id=entry.entry_id or entry.key,
        segment_hash=entry.audio_hash,
        plan_version=entry.plan_version,
        source=AiringSource.AGENT,
        note=note,
        title=entry.title,
        timezone=entry.timezone,
    )


def stored_note(message: Msg) -> str:
    """A note kept with an airing, as text.

    Notes are stored in the airing log (on the station, then at the office) and shown as they
    are in reports, so they are rendered once, when the airing is logged, in the process's
    default language (Vietnamese unless the agent was started in another).
    """
    return message.render(default())


# The notes the agent logs with an outcome, one function each so every part of the agent
# words them alike.


def late_note(late: timedelta) -> str:
    """Missed: it would have started ``late`` after its time (beyond the grace time)."""
    seconds = round(late.total_seconds())
    return stored_note(_n("{n} second late", "{n} seconds late", seconds))


def stopped_note() -> str:
    """Aired in part: the agent stopped (or crashed) while it played."""
    return stored_note(_("the agent stopped while it was playing"))


def not_running_note() -> str:
    """Missed: its time passed while the agent was not running."""
    return stored_note(_("the agent was not running at the time"))


def no_audio_note() -> str:
    """Failed: the entry's audio file is not in the pulled folder."""
    return stored_note(_("audio file missing"))


def cut_note() -> str:
    """Aired in part: stopped so the next entry keeps its time."""
    return stored_note(_("cut to keep the next entry's time"))


def interrupted_note(emergency_id: int | str) -> str:
    """Interrupted: an emergency bulletin took the air."""
    return stored_note(_("interrupted by emergency bulletin #{id}", id=emergency_id))


def bulletin_note(emergency_id: int) -> str:
    """The note of a bulletin's own airing."""
    return stored_note(_("emergency bulletin #{id}", id=emergency_id))


def retry_delay(
    attempts: int,
    *,
    base: timedelta = timedelta(seconds=1),
    cap: timedelta = timedelta(seconds=60),
    jitter: float = 0.0,
) -> timedelta:
    """Exponential backoff after ``attempts`` failures; ``jitter`` in [0, 1) spreads retries."""
    if attempts <= 0:
        return timedelta()
    delay: timedelta = min(base * (2 ** min(attempts - 1, 30)), cap)
    return delay * (1 + jitter / 2) if jitter else delay


def plays_at(entry: Mapping[str, Any], code: str) -> bool:
    """Whether a playlist entry (the JSON stations pull) plays at station ``code``: an entry
    aimed at some loudspeaker clusters only (``clusters``) plays there alone."""
    only = entry.get("clusters")
    return not only or code in only
