"""What the planner takes and gives: settings, stations, and the weekly plan it returns.

Plain frozen dataclasses; the plan is what :mod:`broadcaster.db.plans_json` stores and the
playlists are derived from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from ..errors import InputError
from ..items import DEFAULT_TARGETS, Priority
from ..messages import Msg, _
from ..stations import BroadcastClock, Station
from .weeks import session_label

# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


class EntryKind(StrEnum):
    """What a planned entry is."""

    ANNOUNCEMENT = "announcement"
    FIXED_BLOCK = "fixed_block"
    CHIME = "chime"
    STATION_ID = "station_id"
    FILLER = "filler"  # a programme or music from the library, filling free time
    RELAY = "relay"  # a relay filling free time

    @property
    def label(self) -> Msg:
        return {
            "announcement": _("Announcement"),
            "fixed_block": _("Fixed programme"),
            "chime": _("Transition chime"),
            "station_id": _("Station identification"),
            "filler": _("Programme or music"),
            "relay": _("Relay"),
        }[self.value]

    @property
    def fills(self) -> bool:
        """Between and after announcements, not content of its own (chimes, filler)."""
        return self not in (EntryKind.ANNOUNCEMENT, EntryKind.FIXED_BLOCK)


class FillMode(StrEnum):
    """What fills the time a station's announcements leave (see :mod:`.fill`)."""

    LIBRARY = "library"  # programmes and music, rotated; then the session ends early
    RELAY = "relay"  # a relay of a source
    END = "end"  # the session ends when its last entry ends


@dataclass(frozen=True)
class FillPiece:
    """A programme or piece of music of the library (its audio by content hash)."""

    audio: str
    title: str
    duration: timedelta


@dataclass(frozen=True)
class FillPolicy:
    """A station's choice of what fills free time; never silence."""

    mode: FillMode = FillMode.LIBRARY
    library: tuple[FillPiece, ...] = ()
    #: each piece of the library airs at most this many times a day at a station
    max_per_day: int = 2
    relay_title: str = "Tiếp âm Đài Tiếng nói Việt Nam"
    relay_source: str = ""


def _default_targets() -> dict[Priority, int]:
    return dict(DEFAULT_TARGETS)


def _default_weights() -> dict[Priority, float]:
    return {Priority.PRIORITY: 10.0, Priority.NORMAL: 1.0, Priority.EMERGENCY: 0.0}


@dataclass(frozen=True)
class PlannerSettings:
    """How the planner weighs and lays out a week.

    Targets resolve from the most specific: ``target_overrides[(station, item id)]``, then the
    item's own ``target_per_week``, then ``station_targets[station][priority]``, then
    ``default_targets[priority]``.
    """

    default_targets: Mapping[Priority, int] = field(default_factory=_default_targets)
    priority_weights: Mapping[Priority, float] = field(default_factory=_default_weights)
    #: a chime or station ID between two announcements of a segment (zero: none)
    announcement_gap: timedelta = timedelta(seconds=5)
    gap_kind: EntryKind = EntryKind.CHIME
    gap_title: str = "Nhạc chuyển"
    #: airings within this many days of an observance day are worth ``observance_boost`` times more
    observance_window_days: int = 3
    observance_boost: float = 2.0
    station_targets: Mapping[str, Mapping[Priority, int]] = field(default_factory=dict)
    target_overrides: Mapping[tuple[str, int], int] = field(default_factory=dict)
    #: what fills free time, for every station but those in ``station_fill``
    fill: FillPolicy = field(default_factory=FillPolicy)
    station_fill: Mapping[str, FillPolicy] = field(default_factory=dict)
    #: stations with at most this many (item, session) options are solved exactly
    exact_options_limit: int = 60
    exact_node_budget: int = 200_000
    improve_passes: int = 4
    #: large-neighbourhood rounds (one or two days emptied and refilled) per station
    repair_rounds: int = 28
    # The solver's weights, in the order of its lexicographic objective (see solver.py): each
    # dominates the next in the greedy's score of a session, so only ties reach the next one.
    #: score of one unit of priority-weighted attainment (the objective itself)
    attainment_weight: float = 1e6
    #: cost of a session the items still to place would over-fill, per unit of expected
    #: overload relative to its free time (a packing heuristic of the greedy) ...
    pressure_weight: float = 1e3
    #: ... counting at most this many units
    pressure_cap: float = 10.0
    #: bonus of a session the previous plan gave the item (re-planning changes little)
    history_weight: float = 100.0
    #: cost of two airings of one item at no distance, falling to 0 at the ideal spacing
    spread_weight: float = 1.0
    #: cost of each announcement already in a session (no session empty while another is full)
    balance_weight: float = 0.3

    def weight(self, priority: Priority) -> float:
        return float(self.priority_weights.get(priority, 1.0))

    def fill_for(self, station_code: str) -> FillPolicy:
        return self.station_fill.get(station_code, self.fill)


@dataclass(frozen=True)
class StationInput:
    """A broadcasting station as the planner sees it.

    ``groups`` are codes an item's ``stations`` may name to reach this station (its ancestors:
    an item aimed at a province reaches every commune below it). ``clusters`` are the
    loudspeaker clusters playing this station's programme: an item aimed at one of them is
    planned here (and played there alone). ``tz`` is the resolved time zone of
    ``clock.timezone``; the core never loads zone data itself.
    """

    station: Station
    clock: BroadcastClock
    tz: tzinfo
    groups: frozenset[str] = frozenset()
    clusters: frozenset[str] = frozenset()


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """One thing that sounds in a session, at a planned time (aware, station time zone)."""

    position: int
    start: datetime
    duration: timedelta
    kind: EntryKind
    title: str
    item_id: int | None = None
    priority: Priority | None = None
    basis: str = ""
    audio: str | None = None  # a filler's audio (content hash); items' audio is looked up

    @property
    def end(self) -> datetime:
        return self.start + self.duration


@dataclass(frozen=True)
class SessionFill:
    """How a session's time is spent: announcements, filler (chimes, library, relay), fixed
    programmes, and unplanned silence (time inside the session nothing sounds in)."""

    content: timedelta
    filler: timedelta
    fixed: timedelta
    silence: timedelta
    length: timedelta  # as the clock sets it (before ending early)

    @property
    def silence_ratio(self) -> float:
        seconds = self.length.total_seconds()
        return self.silence.total_seconds() / seconds if seconds else 0.0


@dataclass(frozen=True)
class PlannedSession:
    """One dated session of a station with its ordered entries."""

    day: date
    name: str
    start: datetime
    end: datetime
    capacity: timedelta  # free time for announcements (net of fixed blocks, quiet hours, limits)
    entries: tuple[PlanEntry, ...] = ()
    frozen: bool = False  # started before ``now``: kept exactly as previously planned
    #: when the session ends because nothing is left to air (None: at ``end``)
    ends_at: datetime | None = None

    @property
    def announcements(self) -> tuple[PlanEntry, ...]:
        return tuple(e for e in self.entries if e.kind is EntryKind.ANNOUNCEMENT)

    @property
    def used(self) -> timedelta:
        """Time taken by announcements and the gaps between them (not by filler)."""
        return sum(
            (
                e.duration
                for e in self.entries
                if e.kind not in (EntryKind.FIXED_BLOCK, EntryKind.FILLER, EntryKind.RELAY)
            ),
            timedelta(),
        )

    @property
    def fill(self) -> SessionFill:
        def total(*kinds: EntryKind) -> timedelta:
            return sum((e.duration for e in self.entries if e.kind in kinds), timedelta())

        content = total(EntryKind.ANNOUNCEMENT)
        fixed = total(EntryKind.FIXED_BLOCK)
        filler = total(EntryKind.CHIME, EntryKind.STATION_ID, EntryKind.FILLER, EntryKind.RELAY)
        span = (self.ends_at or self.end) - self.start
        silence = max(timedelta(), span - content - fixed - filler)
        return SessionFill(content, filler, fixed, silence, self.end - self.start)

    @property
    def label(self) -> str:
        return session_label(self.day, self.name, self.start.time())

    def item_ids(self) -> tuple[int, ...]:
        return tuple(e.item_id for e in self.entries if e.item_id is not None)


@dataclass(frozen=True)
class StationPlan:
    code: str
    name: str
    timezone: str
    sessions: tuple[PlannedSession, ...]

    def on(self, day: date) -> tuple[PlannedSession, ...]:
        return tuple(s for s in self.sessions if s.day == day)

    def airings(self, item_id: int) -> int:
        return sum(1 for s in self.sessions for e in s.entries if e.item_id == item_id)


class ShortfallReason(StrEnum):
    """The constraint that kept an item below its target at a station."""

    NO_SESSIONS = "no_sessions"
    WINDOW = "window"
    ELAPSED = "elapsed"
    TOO_LONG = "too_long"
    MIN_GAP = "min_gap"
    CAPACITY = "capacity"


@dataclass(frozen=True)
class Shortfall:
    """An item planned fewer times than its target at a station, and why (a message, shown in
    the reader's language; a plan stores it with its values)."""

    station_code: str
    station_name: str
    item_id: int
    item_title: str
    priority: Priority
    target: int
    planned: int
    reason: ShortfallReason
    message: str | Msg
    sessions: tuple[str, ...] = ()  # labels of the sessions involved
    competitors: tuple[int, ...] = ()  # items whose airings fill those sessions


@dataclass(frozen=True)
class SkippedItem:
    item_id: int | None
    title: str
    reason: str | Msg  # why it is not planned (a message, stored with its values)


@dataclass(frozen=True)
class ClassAttainment:
    priority: Priority
    target: int
    planned: int

    @property
    def ratio(self) -> float:
        return self.planned / self.target if self.target else 1.0


@dataclass(frozen=True)
class PlanSummary:
    attainment: tuple[ClassAttainment, ...]
    sessions: int
    capacity: timedelta
    used: timedelta
    unplaced: tuple[int, ...]  # item ids with no airing at any station they target
    skipped: tuple[SkippedItem, ...]
    objective: float  # priority-weighted attainment (the value the planner maximises)
    stations: int
    distinct_problems: int

    @property
    def fill(self) -> float:
        cap = self.capacity.total_seconds()
        return self.used.total_seconds() / cap if cap else 0.0


@dataclass(frozen=True)
class WeeklyPlan:
    """A week's plan for a planning office: per station, per dated session, ordered entries."""

    year: int
    week: int
    monday: date
    stations: tuple[StationPlan, ...]
    shortfalls: tuple[Shortfall, ...]
    summary: PlanSummary
    office: str | None = None
    created_at: datetime | None = None

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(self.monday + timedelta(days=i) for i in range(7))

    def station(self, code: str) -> StationPlan:
        for s in self.stations:
            if s.code == code:
                return s
        known = ", ".join(s.code for s in self.stations[:8])
        raise InputError(
            _(
                "station {code!r} is not in plan {week}; stations in it: {known}",
                code=code,
                week=self.label,
                known=known,
            )
        )

    def shortfalls_at(self, code: str) -> tuple[Shortfall, ...]:
        return tuple(s for s in self.shortfalls if s.station_code == code)
