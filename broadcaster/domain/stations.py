"""Stations as a tree of any depth, and the broadcast clocks they keep.

A province, an optional region or district, a commune and its loudspeaker clusters are all
:class:`Station` nodes; any node may be a planning office for the nodes below it. A node keeps
its parent's clock unless it overrides part of it (sessions, limits, quiet hours, time zone).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from enum import StrEnum

from .errors import NotFoundError
from .items import Priority
from .messages import Msg, _
from .wording import joined, weekday

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: how a Vietnamese schedule names the weekdays (Thứ Hai … Chủ nhật)
#: the Vietnamese weekday codes a station file may use for days (T2-T6, CN)
WEEKDAY_CODES = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


class StationKind(StrEnum):
    PROVINCE = "province"
    REGION = "region"
    DISTRICT = "district"
    COMMUNE = "commune"
    CLUSTER = "cluster"

    @property
    def label(self) -> Msg:
        return {
            "province": _("Province/City"),
            "region": _("Region"),
            "district": _("District"),
            "commune": _("Commune/Ward"),
            "cluster": _("Loudspeaker cluster"),
        }[self.value]


class BlockKind(StrEnum):
    """What occupies a fixed block inside a session."""

    RELAY = "relay"  # tiếp âm: national/provincial radio at a fixed time
    STATION_ID = "station_id"  # nhạc hiệu, giới thiệu đài
    OTHER = "other"


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


def format_hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def format_minutes(m: int) -> str:
    m %= 24 * 60
    return f"{m // 60:02d}:{m % 60:02d}"


def format_days(days: Iterable[int]) -> Msg:
    """Weekdays as a reader sees them, runs joined: ``T2–T6, CN`` (``Mon–Fri, Sun``)."""
    ordered = sorted(set(days))
    runs: list[Msg] = []
    start = prev = None
    for d in [*ordered, None]:
        if d is not None and prev is not None and d == prev + 1:
            prev = d
            continue
        if start is not None and prev is not None:
            runs.append(
                weekday(start) if start == prev else joined([weekday(start), weekday(prev)], "–")
            )
        start = prev = d
    return joined(runs, ", ")


class _Timed:
    """Minutes of the day at which something that starts at ``start`` for ``length`` runs."""

    start: time
    length: timedelta

    @property
    def start_minute(self) -> int:
        return minutes_of(self.start)

    @property
    def end_minute(self) -> float:
        return self.start_minute + self.length.total_seconds() / 60

    @property
    def span(self) -> str:
        """From when to when, as a schedule shows it: "05:30–06:15"."""
        return f"{format_hhmm(self.start)}–{format_minutes(int(self.end_minute))}"


@dataclass(frozen=True)
class FixedBlock(_Timed):
    """A block the planner must not move: a relay at a fixed time, a station ID."""

    kind: BlockKind
    title: str
    start: time
    length: timedelta
    source: str = ""
    where: str = field(default="", compare=False)

    def describe(self) -> str:
        return f"{self.title} {self.span}"


@dataclass(frozen=True)
class Session(_Timed):
    """A broadcast session (buổi phát) on some weekdays: start, length and its fixed blocks."""

    name: str
    days: frozenset[int]
    start: time
    length: timedelta
    fixed_blocks: tuple[FixedBlock, ...] = ()
    where: str = field(default="", compare=False)

    @property
    def fixed_length(self) -> timedelta:
        return sum((b.length for b in self.fixed_blocks), timedelta())

    @property
    def capacity(self) -> timedelta:
        """Time left for announcements once the fixed blocks are taken out."""
        return max(self.length - self.fixed_length, timedelta())

    def describe(self) -> str:
        return f"{self.name} {self.span}"


@dataclass(frozen=True)
class QuietHours:
    """When no loudspeaker may sound (default 21:30–05:00, across midnight)."""

    start: time = time(21, 30)
    end: time = time(5, 0)

    def covers_minute(self, minute: float) -> bool:
        s, e = minutes_of(self.start), minutes_of(self.end)
        m = minute % (24 * 60)
        if s == e:
            return False
        if s < e:
            return s <= m < e
        return m >= s or m < e

    def overlaps(self, start_minute: float, end_minute: float) -> bool:
        """True when any part of [start, end) falls inside quiet hours."""
        s, e = minutes_of(self.start), minutes_of(self.end)
        if s == e:
            return False
        spans = [(s, e)] if s < e else [(s, 24 * 60), (0, e)]
        # a session may run past midnight; test it on both the day it starts and the next
        for offset in (0, 24 * 60):
            for qs, qe in spans:
                if start_minute < qe + offset and qs + offset < end_minute:
                    return True
        return False

    def describe(self) -> str:
        return f"{format_hhmm(self.start)}–{format_hhmm(self.end)}"


@dataclass(frozen=True)
class ClockSettings:
    """What a station sets for itself; ``None`` means "as my parent"."""

    sessions: tuple[Session, ...] | None = None
    timezone: str | None = None
    quiet_hours: QuietHours | None = None
    allow_quiet_hours: bool | None = None
    max_sessions_per_day: int | None = None
    max_minutes_per_session: int | None = None
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class BroadcastClock:
    """A station's effective clock once inheritance is resolved."""

    sessions: tuple[Session, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    quiet_hours: QuietHours = QuietHours()
    allow_quiet_hours: bool = False
    max_sessions_per_day: int | None = None
    max_minutes_per_session: int | None = None

    def sessions_on(self, weekday: int) -> list[Session]:
        return sorted((s for s in self.sessions if weekday in s.days), key=lambda s: s.start)

    def weekly_minutes(self) -> float:
        return sum(s.length.total_seconds() / 60 * len(s.days) for s in self.sessions)

    @staticmethod
    def resolve(chain: Iterable[ClockSettings]) -> BroadcastClock:
        """Resolve settings from the root down to a node (root first)."""
        clock = BroadcastClock()
        for s in chain:
            clock = BroadcastClock(
                sessions=s.sessions if s.sessions is not None else clock.sessions,
                timezone=s.timezone or clock.timezone,
                quiet_hours=s.quiet_hours or clock.quiet_hours,
                allow_quiet_hours=(
                    s.allow_quiet_hours
                    if s.allow_quiet_hours is not None
                    else clock.allow_quiet_hours
                ),
                max_sessions_per_day=(
                    s.max_sessions_per_day
                    if s.max_sessions_per_day is not None
                    else clock.max_sessions_per_day
                ),
                max_minutes_per_session=(
                    s.max_minutes_per_session
                    if s.max_minutes_per_session is not None
                    else clock.max_minutes_per_session
                ),
            )
        return clock


@dataclass(frozen=True)
class StationTargets:
    """Airings per week a station asks of each item, by priority; ``None``: as my parent.

    An item's own target still wins over these (see ``PlannerSettings``).
    """

    normal: int | None = None
    priority: int | None = None

    def over(self, parent: StationTargets) -> StationTargets:
        """These targets with the parent's filling the priorities left unset."""
        return StationTargets(
            normal=self.normal if self.normal is not None else parent.normal,
            priority=self.priority if self.priority is not None else parent.priority,
        )

    def by_priority(self) -> dict[Priority, int]:
        """The targets that are set, keyed by priority."""
        out: dict[Priority, int] = {}
        if self.normal is not None:
            out[Priority.NORMAL] = self.normal
        if self.priority is not None:
            out[Priority.PRIORITY] = self.priority
        return out

    def describe(self) -> Msg | str:
        """``normal 3, priority 5 airings a week`` (empty when none is set)."""
        parts = [f"{str(p.label).lower()} {n}" for p, n in self.by_priority().items()]
        return _("{targets} airings a week", targets=", ".join(parts)) if parts else ""


@dataclass(frozen=True)
class Station:
    """A node of the station tree.

    ``airs`` says whether the node runs its own programme and so gets a plan and playlists;
    when unset, communes air and other kinds do not (a loudspeaker cluster plays its commune's
    programme; a province or region usually only plans).
    """

    code: str
    name: str
    kind: StationKind
    parent: str | None = None
    is_office: bool = False
    airs: bool | None = None
    clock: ClockSettings = ClockSettings()
    where: str = field(default="", compare=False)
    targets: StationTargets = StationTargets()

    @property
    def broadcasts(self) -> bool:
        return self.airs if self.airs is not None else self.kind is StationKind.COMMUNE


class StationTree:
    """A validated set of stations with tree queries. Build it with :func:`build_tree`."""

    def __init__(self, stations: Iterable[Station]) -> None:
        self._by_code: dict[str, Station] = {}
        for s in stations:
            self._by_code[s.code] = s
        self._children: dict[str | None, list[str]] = {}
        for s in self._by_code.values():
            self._children.setdefault(s.parent, []).append(s.code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Station]:
        return iter(self.ordered())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Station:
        try:
            return self._by_code[code]
        except KeyError:
            known = ", ".join(sorted(self._by_code)[:8])
            raise NotFoundError(
                _(
                    "unknown station {code!r}; known codes include: {known} "
                    "(see 'broadcaster stations list')",
                    code=code,
                    known=known or _("(none loaded)"),
                )
            ) from None

    def children(self, code: str | None) -> list[Station]:
        return [self._by_code[c] for c in self._children.get(code, [])]

    def roots(self) -> list[Station]:
        return [s for s in self._by_code.values() if s.parent is None or s.parent not in self]

    def ancestors(self, code: str) -> list[Station]:
        """From the root down to the station's parent."""
        chain: list[Station] = []
        seen = {code}
        node = self.get(code)
        while node.parent is not None and node.parent in self._by_code:
            if node.parent in seen:
                break
            seen.add(node.parent)
            node = self._by_code[node.parent]
            chain.append(node)
        return list(reversed(chain))

    def ordered(self) -> list[Station]:
        """Depth-first, in the order the stations were given."""
        out: list[Station] = []
        seen: set[str] = set()

        def walk(station: Station) -> None:
            if station.code in seen:
                return
            seen.add(station.code)
            out.append(station)
            for child in self.children(station.code):
                walk(child)

        for root in self.roots():
            walk(root)
        return out

    def depth(self, code: str) -> int:
        return len(self.ancestors(code))

    def subtree(self, code: str) -> list[Station]:
        """The station and every node below it, depth-first."""
        out: list[Station] = []

        def walk(station: Station) -> None:
            out.append(station)
            for child in self.children(station.code):
                walk(child)

        walk(self.get(code))
        return out

    def clock(self, code: str) -> BroadcastClock:
        chain = [*self.ancestors(code), self.get(code)]
        return BroadcastClock.resolve(s.clock for s in chain)

    def targets(self, code: str) -> StationTargets:
        """A station's weekly targets per priority, each inherited from the nearest ancestor
        that sets it."""
        resolved = StationTargets()
        for s in [*self.ancestors(code), self.get(code)]:
            resolved = s.targets.over(resolved)
        return resolved

    def broadcasting_under(self, office: str) -> list[Station]:
        """Stations that air their own programme in an office's subtree (the office included)."""
        return [s for s in self.subtree(office) if s.broadcasts]

    def programme_of(self, code: str) -> Station | None:
        """The station whose programme ``code`` plays: itself when it airs its own, else its
        nearest airing ancestor (a loudspeaker cluster plays its commune's); None if none."""
        for s in [self.get(code), *reversed(self.ancestors(code))]:
            if s.broadcasts:
                return s
        return None

    def followers(self, code: str) -> list[Station]:
        """The loudspeaker clusters that play ``code``'s programme (not airing one of their
        own), depth-first."""
        return [
            s
            for s in self.subtree(code)[1:]
            if s.kind is StationKind.CLUSTER
            and not s.broadcasts
            and (p := self.programme_of(s.code)) is not None
            and p.code == code
        ]

    def office_of(self, code: str) -> Station | None:
        """The nearest planning office at or above a station."""
        for s in [self.get(code), *reversed(self.ancestors(code))]:
            if s.is_office:
                return s
        return None

    def as_mapping(self) -> Mapping[str, Station]:
        return dict(self._by_code)
