"""Daily playlists derived from a weekly plan, and the difference between two plans.

A playlist is what one station plays on one date: every entry of every session in order, with
its planned start, duration, title, basis documents and (filled in by the caller, who knows
where audio lives) a reference to its audio.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from .items import Priority
from .messages import Msg, _, _n, weekday_short
from .planning import EntryKind, PlanEntry, PlannedSession, WeeklyPlan
from .stations import format_hhmm


def entry_id(station_code: str, start: datetime, kind: EntryKind, item_id: int | None) -> str:
    """A planned entry's stable identity: station, start in UTC and what it airs.

    The same identity in every plan version that keeps the entry where it was, so an agent's
    logs and a manual confirmation name the planned entry they report on.
    """
    what = f"i{item_id}" if item_id is not None else kind.value
    return f"{station_code}-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}-{what}"


@dataclass(frozen=True)
class PlaylistEntry:
    station_code: str
    day: date
    session: str
    position: int  # 1-based within the day
    start: datetime  # aware, station time zone
    duration: timedelta
    title: str
    kind: EntryKind
    item_id: int | None = None
    priority: Priority | None = None
    basis: str = ""
    audio: str | None = None  # segment content hash or path relative to the playlist
    #: the number printed in the TT column: announcements only, from 1 each day (chimes,
    #: filler, relays and station IDs are not numbered, so "--aired 1-3" means three of them)
    number: int | None = None
    #: the loudspeaker clusters that alone play it (an item aimed at them); empty: everyone
    clusters: tuple[str, ...] = ()

    @property
    def end(self) -> datetime:
        return self.start + self.duration

    @property
    def entry_id(self) -> str:
        return entry_id(self.station_code, self.start, self.kind, self.item_id)


@dataclass(frozen=True)
class Playlist:
    station_code: str
    station_name: str
    day: date
    timezone: str
    week: str
    entries: tuple[PlaylistEntry, ...]
    #: every session of the day as (name, start, end), also those with nothing planned
    spans: tuple[tuple[str, datetime, datetime], ...] = ()

    @property
    def total(self) -> timedelta:
        return sum((e.duration for e in self.entries), timedelta())

    @property
    def sessions(self) -> tuple[str, ...]:
        seen: list[str] = [name for name, _, _ in self.spans]
        for e in self.entries:
            if e.session not in seen:
                seen.append(e.session)
        return tuple(seen)

    def in_session(self, name: str) -> tuple[PlaylistEntry, ...]:
        return tuple(e for e in self.entries if e.session == name)

    @property
    def day_label(self) -> str:
        """``T3, 24/11/2026`` — how the date reads on a Vietnamese schedule."""
        d = self.day
        return f"{weekday_short(d.weekday())}, {d.day:02d}/{d.month:02d}/{d.year}"


def _entries(code: str, session: PlannedSession, first: int) -> list[PlaylistEntry]:
    out: list[PlaylistEntry] = []
    for n, e in enumerate(session.entries):
        out.append(
            PlaylistEntry(
                station_code=code,
                day=session.day,
                session=session.name,
                position=first + n,
                start=e.start,
                duration=e.duration,
                title=e.title,
                kind=e.kind,
                item_id=e.item_id,
                priority=e.priority,
                basis=e.basis,
                audio=e.audio,
            )
        )
    return out


def derive_playlist(plan: WeeklyPlan, station_code: str, day: date) -> Playlist:
    """The playlist of one station on one date (empty when it has no session that day)."""
    station = plan.station(station_code)
    entries: list[PlaylistEntry] = []
    sessions = sorted(station.on(day), key=lambda s: s.start)
    for session in sessions:
        entries += _entries(station.code, session, len(entries) + 1)
    spans = tuple((s.name, s.start, s.ends_at or s.end) for s in sessions)
    return Playlist(
        station.code, station.name, day, station.timezone, plan.label, _numbered(entries), spans
    )


def _numbered(entries: list[PlaylistEntry]) -> tuple[PlaylistEntry, ...]:
    """The entries with the announcements numbered 1, 2, … for the printed TT column."""
    out: list[PlaylistEntry] = []
    for e in entries:
        if e.kind is EntryKind.ANNOUNCEMENT and e.item_id is not None:
            e = replace(e, number=sum(1 for x in out if x.number is not None) + 1)
        out.append(e)
    return tuple(out)


def derive_playlists(
    plan: WeeklyPlan, station_code: str | None = None, day: date | None = None
) -> list[Playlist]:
    """Every (station, date) playlist of a plan, optionally narrowed to one station or date."""
    out: list[Playlist] = []
    for station in plan.stations:
        if station_code is not None and station.code != station_code:
            continue
        days = sorted({s.day for s in station.sessions})
        for d in days:
            if day is None or d == day:
                out.append(derive_playlist(plan, station.code, d))
    return out


def with_audio(playlist: Playlist, lookup: Callable[[PlaylistEntry], str | None]) -> Playlist:
    """The playlist with ``audio`` filled in for each entry ``lookup`` knows."""
    return replace(playlist, entries=tuple(replace(e, audio=lookup(e)) for e in playlist.entries))


# --------------------------------------------------------------------------------------------
# Differences between two plans (a new published version against the previous one)
# --------------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"  # same session, other start time

    @property
    def label(self) -> Msg:
        return {"added": _("Added"), "removed": _("Removed"), "moved": _("Moved")}[self.value]


@dataclass(frozen=True)
class PlanChange:
    station_code: str
    day: date
    session: str
    item_id: int
    title: str
    kind: ChangeKind
    old_start: datetime | None = None
    new_start: datetime | None = None

    def describe(self) -> Msg:
        """``Đổi giờ: NB T3 24/11 Sáng: mục 7 «…» 05:40 → 05:52`` (times in the plan's zone)."""
        d = self.day
        values = {
            "change": self.kind.label,
            "station": self.station_code,
            "day": f"{weekday_short(d.weekday())} {d.day:02d}/{d.month:02d}",
            "session": self.session,
            "item": self.item_id,
            "title": self.title,
        }
        if self.kind is ChangeKind.MOVED and self.old_start and self.new_start:
            return _(
                "{change}: {station} {day} {session}: item {item} «{title}» {old} → {new}",
                old=format_hhmm(self.old_start.time()),
                new=format_hhmm(self.new_start.time()),
                **values,
            )
        at = self.new_start or self.old_start
        if at is None:
            return _("{change}: {station} {day} {session}: item {item} «{title}»", **values)
        return _(
            "{change}: {station} {day} {session} {time}: item {item} «{title}»",
            time=format_hhmm(at.time()),
            **values,
        )


@dataclass(frozen=True)
class PlanDiff:
    changes: tuple[PlanChange, ...]

    @property
    def added(self) -> int:
        return sum(1 for c in self.changes if c.kind is ChangeKind.ADDED)

    @property
    def removed(self) -> int:
        return sum(1 for c in self.changes if c.kind is ChangeKind.REMOVED)

    @property
    def moved(self) -> int:
        return sum(1 for c in self.changes if c.kind is ChangeKind.MOVED)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def summary(self) -> Msg:
        """What changed, in one sentence."""
        if not self.changes:
            return _("No changes from the previous version.")
        return _n(
            "{n} change: {added} added, {removed} removed, {moved} moved.",
            "{n} changes: {added} added, {removed} removed, {moved} moved.",
            len(self.changes),
            added=self.added,
            removed=self.removed,
            moved=self.moved,
        )


def _announcements(plan: WeeklyPlan) -> dict[tuple[str, date, str, int], PlanEntry]:
    out: dict[tuple[str, date, str, int], PlanEntry] = {}
    for st in plan.stations:
        for s in st.sessions:
            for e in s.entries:
                if e.kind is EntryKind.ANNOUNCEMENT and e.item_id is not None:
                    out[(st.code, s.day, s.name, e.item_id)] = e
    return out


def diff_plans(old: WeeklyPlan, new: WeeklyPlan) -> PlanDiff:
    """What a new plan changes in the announcements of an older one (fixed blocks aside)."""
    a, b = _announcements(old), _announcements(new)
    changes: list[PlanChange] = []
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], k[1], k[2], k[3])):
        code, day, session, item_id = key
        ea, eb = a.get(key), b.get(key)
        if ea is None and eb is not None:
            changes.append(
                PlanChange(code, day, session, item_id, eb.title, ChangeKind.ADDED, None, eb.start)
            )
        elif eb is None and ea is not None:
            changes.append(
                PlanChange(
                    code, day, session, item_id, ea.title, ChangeKind.REMOVED, ea.start, None
                )
            )
        elif ea is not None and eb is not None and ea.start != eb.start:
            changes.append(
                PlanChange(
                    code, day, session, item_id, eb.title, ChangeKind.MOVED, ea.start, eb.start
                )
            )
    changes.sort(key=lambda c: (c.station_code, c.day, _when(c), c.item_id))
    return PlanDiff(tuple(changes))


def _when(change: PlanChange) -> float:
    at = change.new_start or change.old_start
    return at.timestamp() if at is not None else 0.0


def playlist_rows(playlist: Playlist) -> Iterable[dict[str, str]]:
    """Flat rows (CSV/JSON friendly) of a playlist, Vietnamese-readable values as strings."""
    for e in playlist.entries:
        yield {
            "station": e.station_code,
            "date": e.day.isoformat(),
            "session": e.session,
            "position": str(e.position),
            "start": e.start.isoformat(),
            "time": format_hhmm(e.start.time()) + f":{e.start.second:02d}",
            "duration_seconds": f"{e.duration.total_seconds():g}",
            "title": e.title,
            "kind": e.kind.value,
            "item_id": "" if e.item_id is None else str(e.item_id),
            "priority": e.priority.value if e.priority else "",
            "basis": e.basis,
            "audio": e.audio or "",
        }


__all__ = [
    "ChangeKind",
    "PlanChange",
    "PlanDiff",
    "Playlist",
    "PlaylistEntry",
    "derive_playlist",
    "derive_playlists",
    "diff_plans",
    "playlist_rows",
    "with_audio",
]
