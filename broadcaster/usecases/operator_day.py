"""A station operator's day in the console: today's and tomorrow's playlists with what has been
recorded of each entry, marks, local notices, the day's signature, audio, live bulletins.

What an operator records goes through the same use cases as ``broadcaster airings confirm`` and
``airings add`` (:mod:`broadcaster.usecases.manual_log`): the same event ids (marking an entry
twice counts once), and the reports count it exactly as they count the paper playlist. What
an entry "is" on the page is what the reports count for it (the log book's line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path

from broadcaster.audio.store import find_audio
from broadcaster.db import Database
from broadcaster.domain.accounts import Permission, User
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.distribution import Emergency, ForbiddenError, Principal, Scope
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.messages import _
from broadcaster.domain.playlists import Playlist, PlaylistEntry
from broadcaster.domain.reconcile import AiringLine, Outcome
from broadcaster.domain.stations import Station

from .accounts import Reach, audit
from .audio_access import check_audio_access
from .manual_log import Recorded, confirm_playlist, record_notice
from .plans import station_playlist, zone
from .reports import build_station_logbook

#: the audit trail's action for a signed day (the log book's signature)
SIGN_ACTION = "logbook.sign"


class Mark(StrEnum):
    """What an operator says of one entry."""

    AIRED = "aired"
    PARTIAL = "partial"
    MISSED = "missed"


def operated_station(db: Database, user: User, code: str | None) -> Station:
    """The station whose day the person runs: an operator's own (another station is refused),
    or, for an administrator, the one asked for."""
    wanted = code or user.station_code
    Reach(user).check(db, Permission.OPERATE, wanted)
    with db.unit_of_work() as uow:
        station = uow.stations.tree().get(wanted)
    if not station.broadcasts:
        raise InputError(
            _(
                "{name} ({code}) does not air a programme of its own: it has no day to run",
                name=station.name,
                code=station.code,
            )
        )
    return station


@dataclass(frozen=True)
class EntryView:
    entry: PlaylistEntry
    #: what the reports count for it (None: not due yet)
    line: AiringLine | None
    due: bool

    @property
    def state(self) -> str:
        """``upcoming``, ``unmarked`` (due, nothing recorded), or the outcome counted."""
        if self.line is None or not self.due:
            return "upcoming"
        if self.line.status is None:
            return "unmarked"
        return self.line.outcome.value

    @property
    def announcement(self) -> bool:
        return self.entry.item_id is not None


@dataclass(frozen=True)
class Signature:
    by: str
    at: datetime


@dataclass(frozen=True)
class DayView:
    day: date
    playlist: Playlist | None  # None: no published plan covers the day
    version: int | None
    entries: tuple[EntryView, ...]
    notices: tuple[AiringLine, ...]  # aired outside the plan
    signature: Signature | None
    today: bool

    def session_entries(self) -> list[tuple[str, list[EntryView]]]:
        groups: dict[str, list[EntryView]] = {}
        for e in self.entries:
            groups.setdefault(e.entry.session, []).append(e)
        return list(groups.items())

    @property
    def unmarked(self) -> int:
        return sum(1 for e in self.entries if e.announcement and e.state == "unmarked")


@dataclass(frozen=True)
class OperatorDay:
    station: Station
    timezone: str
    days: tuple[DayView, ...]
    bulletins: tuple[Emergency, ...]


def local_today(db: Database, station: str, now: datetime) -> date:
    with db.unit_of_work() as uow:
        tz = uow.stations.tree().clock(station).timezone
    return now.astimezone(zone(tz, station)).date()


def operator_day(db: Database, user: User, code: str | None, now: datetime) -> OperatorDay:
    """Today's and tomorrow's playlists of the person's station with what has been recorded."""
    station = operated_station(db, user, code)
    with db.unit_of_work() as uow:
        tz = uow.stations.tree().clock(station.code).timezone
    today = now.astimezone(zone(tz, station.code)).date()
    book = build_station_logbook(
        db, station=station.code, start=today, end=today + timedelta(days=1), now=now
    )
    lines = {d.day: d.lines for d in book.days}
    signatures = day_signatures(db, station.code)
    days = tuple(
        _day_view(db, station.code, day, lines.get(day, ()), signatures.get(day), now, today)
        for day in (today, today + timedelta(days=1))
    )
    return OperatorDay(station, tz, days, tuple(live_bulletins(db, station.code, now)))


def _day_view(
    db: Database,
    code: str,
    day: date,
    lines: tuple[AiringLine, ...],
    signature: Signature | None,
    now: datetime,
    today: date,
) -> DayView:
    try:
        found = station_playlist(db, code, day, allow_draft=False)
    except NotFoundError:
        found = None
    by_entry = {x.entry_id: x for x in lines if x.planned and x.entry_id}
    entries: tuple[EntryView, ...] = ()
    if found is not None:
        entries = tuple(
            EntryView(e, by_entry.get(e.entry_id), e.start <= now) for e in found.playlist.entries
        )
    notices = tuple(x for x in lines if not x.planned and not x.emergency)
    return DayView(
        day,
        found.playlist if found else None,
        found.version if found else None,
        entries,
        notices,
        signature,
        day == today,
    )


@dataclass(frozen=True)
class Marked:
    recorded: Recorded
    #: what the reports now count for the entry (a better record given earlier stays counted)
    counted: Outcome | None


def mark_entry(
    db: Database,
    user: User,
    code: str | None,
    *,
    day: date,
    position: int,
    mark: Mark,
    note: str | None,
    now: datetime,
) -> Marked:
    """Record one entry of the station's published playlist as aired, partly aired or missed:
    ``broadcaster airings confirm`` for one number, signed with the person's name."""
    station = operated_station(db, user, code)
    result = confirm_playlist(
        db,
        station=station.code,
        day=day,
        operator=user.shown,
        now=now,
        aired=[position] if mark is Mark.AIRED else (),
        partial=[position] if mark is Mark.PARTIAL else (),
        missed=[position] if mark is Mark.MISSED else (),
        note=note,
    )
    (recorded,) = result.recorded
    book = build_station_logbook(db, station=station.code, start=day, end=day, now=now)
    entry_id = recorded.entry.entry_id if recorded.entry else None
    counted = next(
        (x.outcome for d in book.days for x in d.lines if x.entry_id == entry_id and x.planned),
        None,
    )
    return Marked(recorded, counted)


def add_notice(
    db: Database,
    user: User,
    code: str | None,
    *,
    day: date,
    start: time,
    title: str,
    minutes: float,
    note: str | None,
    now: datetime,
    audio: str | None = None,
) -> Recorded:
    """A local notice the station aired outside the plan: ``broadcaster airings add``."""
    station = operated_station(db, user, code)
    return record_notice(
        db,
        station=station.code,
        day=day,
        start=start,
        title=title,
        minutes=minutes,
        operator=user.shown,
        now=now,
        note=note,
        audio=audio,
    )


def day_signatures(db: Database, station: str) -> dict[date, Signature]:
    """The days of the station's log book signed in the console, with who signed first."""
    with db.unit_of_work() as uow:
        events = uow.audit.recent(stations=[station], limit=2000)
    found: dict[date, Signature] = {}
    prefix = f"logbook {station} "
    for e in reversed(events):  # oldest first: the first signature stands
        if e.action != SIGN_ACTION or not e.target.startswith(prefix):
            continue
        try:
            day = date.fromisoformat(e.target.removeprefix(prefix))
        except ValueError:
            continue
        found.setdefault(day, Signature(e.summary or e.username, e.at))
    return found


def sign_day(
    db: Database, user: User, code: str | None, day: date, now: datetime
) -> tuple[Signature, bool]:
    """Sign the station's log book for a day that has begun; signing again changes nothing.
    Returns the signature and whether it is new."""
    station = operated_station(db, user, code)
    if day > local_today(db, station.code, now):
        raise InputError(
            _(
                "the log book of {day} cannot be signed before the day begins",
                day=f"{day:%d/%m/%Y}",
            )
        )
    before = day_signatures(db, station.code).get(day)
    if before is not None:
        return before, False
    audit(
        db,
        FixedClock(now),
        user.username,
        SIGN_ACTION,
        f"logbook {station.code} {day.isoformat()}",
        user.shown,
        station.code,
    )
    return Signature(user.shown, now), True


def live_bulletins(db: Database, station: str, now: datetime) -> list[Emergency]:
    """Emergency bulletins on air at the station now (not cancelled, not expired)."""
    with db.unit_of_work() as uow:
        found = uow.emergencies.live(now)
    return [e for e, _seq in found if station in e.stations and e.live_at(now)]


def _playlist_audio(db: Database, station: str, today: date) -> set[str]:
    hashes: set[str] = set()
    for offset in (-1, 0, 1):
        try:
            found = station_playlist(db, station, today + timedelta(days=offset), allow_draft=False)
        except NotFoundError:
            continue
        hashes |= {e.audio for e in found.playlist.entries if e.audio}
    return hashes


def station_audio_file(
    db: Database,
    user: User,
    code: str | None,
    audio_hash: str,
    cache_dir: Path,
    now: datetime,
    *,
    lead_in: str | None = None,
) -> Path:
    """The file of audio the operator's station may air: its playlists from yesterday to
    tomorrow, the bulletins sent to it, the lead-in, and the recordings of its own notices."""
    station = operated_station(db, user, code)
    principal = Principal(0, Scope.STATION, station.code, label=user.username)
    with db.unit_of_work() as uow:
        own = station.code in uow.uploads.owners(audio_hash)
    if not own:
        today = local_today(db, station.code, now)
        around: Callable[[str], set[str]] = lambda c: _playlist_audio(db, c, today)  # noqa: E731
        try:
            check_audio_access(db, principal, audio_hash, around, lead_in=lead_in)
        except ForbiddenError:
            raise ForbiddenError(
                _(
                    "{who} may not hear audio {audio}…: it is in none of the playlists, "
                    "bulletins or notices of {station}",
                    who=user.shown,
                    audio=audio_hash[:12],
                    station=station.name,
                )
            ) from None
    path = find_audio(cache_dir, audio_hash)
    if path is None:
        raise NotFoundError(_("no audio with hash {hash}", hash=audio_hash))
    return path


def status_of(mark: Mark) -> AiringStatus:
    """The log status a mark is recorded with (as ``airings confirm`` records it)."""
    return {
        Mark.AIRED: AiringStatus.MANUAL,
        Mark.PARTIAL: AiringStatus.PARTIAL,
        Mark.MISSED: AiringStatus.MISSED,
    }[mark]
