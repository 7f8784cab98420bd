"""Rules a station tree and its clocks must follow, with messages a person can act on."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .errors import Problem, ValidationFailed
from .messages import Msg, _
from .stations import (
    BroadcastClock,
    Session,
    Station,
    StationTree,
    format_days,
    format_minutes,
)

DAY_MINUTES = 24 * 60


def validate_stations(stations: Sequence[Station]) -> list[Problem]:
    """Every problem with a set of stations and their clocks (empty when all is well)."""
    problems: list[Problem] = []
    by_code: dict[str, Station] = {}
    for s in stations:
        if not s.code.strip():
            problems.append(
                Problem(_("station has an empty code; give it a short unique code"), s.where)
            )
            continue
        if s.code in by_code:
            first = by_code[s.code]
            problems.append(
                Problem(
                    _(
                        "duplicate station code {code!r} (first used at {first}); "
                        "give each station its own code",
                        code=s.code,
                        first=first.where or _("another entry"),
                    ),
                    s.where,
                )
            )
            continue
        by_code[s.code] = s
        if not s.name.strip():
            problems.append(Problem(_("station {code!r} has no name", code=s.code), s.where))

    for s in by_code.values():
        if s.parent is not None and s.parent not in by_code:
            problems.append(
                Problem(
                    _(
                        "station {code!r} names unknown parent {parent!r}; "
                        "add that station or correct the parent code",
                        code=s.code,
                        parent=s.parent,
                    ),
                    s.where,
                )
            )
        if s.parent == s.code:
            problems.append(
                Problem(_("station {code!r} is its own parent", code=s.code), s.where, "cycle")
            )

    problems += _cycles(by_code)
    if any(p.kind == "cycle" for p in problems):
        return problems

    tree = StationTree(by_code.values())
    seen: set[tuple[str, str]] = set()
    for s in tree.ordered():
        clock = tree.clock(s.code)
        for p in validate_clock(clock, station=s):
            key = (p.where, str(p.message))
            if key not in seen:
                seen.add(key)
                problems.append(p)
    return problems


def _cycles(by_code: dict[str, Station]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in by_code:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in by_code and node not in path:
            path.append(node)
            node = by_code[node].parent
        if node is not None and node in path and node != by_code[node].parent:
            cycle = path[path.index(node) :]
            if not reported.intersection(cycle):
                reported.update(cycle)
                ring = " → ".join([*cycle, cycle[0]])
                problems.append(
                    Problem(
                        _(
                            "the station tree has a cycle: {ring}; "
                            "one of these must have another parent",
                            ring=ring,
                        ),
                        by_code[cycle[0]].where,
                        "cycle",
                    )
                )
    return problems


def validate_clock(clock: BroadcastClock, station: Station) -> list[Problem]:
    """Problems with one station's effective clock."""
    problems: list[Problem] = []
    name = f"{station.name} ({station.code})"
    for session in clock.sessions:
        problems += _session_problems(session, clock, name)

    overlaps: dict[tuple[Session, Session], list[int]] = {}
    too_many: dict[int, list[int]] = {}
    for day in range(7):
        day_sessions = clock.sessions_on(day)
        for a, b in itertools.pairwise(day_sessions):
            if b.start_minute < a.end_minute:
                overlaps.setdefault((a, b), []).append(day)
        limit = clock.max_sessions_per_day
        if limit is not None and len(day_sessions) > limit:
            too_many.setdefault(len(day_sessions), []).append(day)
    for (a, b), days in overlaps.items():
        problems.append(
            Problem(
                _(
                    "session {first} overlaps session {second} {days} at {station}; "
                    "shorten the first or start the second later",
                    first=a.describe(),
                    second=b.describe(),
                    days=_on_days(days),
                    station=name,
                ),
                b.where,
            )
        )
    for count, days in too_many.items():
        day_sessions = clock.sessions_on(days[0])
        names = ", ".join(s.describe() for s in day_sessions)
        problems.append(
            Problem(
                _(
                    "{count} sessions {days} at {station} ({sessions}) but at most {limit} per "
                    "day are allowed; drop a session or raise max_sessions_per_day",
                    count=count,
                    days=_on_days(days),
                    station=name,
                    sessions=names,
                    limit=clock.max_sessions_per_day,
                ),
                clock_where(station, day_sessions[-1]),
            )
        )
    return problems


def _on_days(days: list[int]) -> Msg:
    if sorted(set(days)) == list(range(7)):
        return _("every day")
    return _("on {days}", days=format_days(days))


def clock_where(station: Station, session: Session) -> str:
    return session.where or station.clock.where or station.where


def _session_problems(session: Session, clock: BroadcastClock, name: str) -> list[Problem]:
    problems: list[Problem] = []
    where = session.where
    minutes = session.length.total_seconds() / 60
    if not session.days:
        problems.append(
            Problem(
                _(
                    "session {session!r} at {station} is on no weekday; list its days",
                    session=session.name,
                    station=name,
                ),
                where,
            )
        )
    if minutes <= 0:
        problems.append(
            Problem(
                _(
                    "session {session!r} at {station} has no length; give it minutes > 0",
                    session=session.name,
                    station=name,
                ),
                where,
            )
        )
        return problems
    if session.end_minute > DAY_MINUTES:
        problems.append(
            Problem(
                _(
                    "session {session} at {station} runs past midnight; end it by 24:00",
                    session=session.describe(),
                    station=name,
                ),
                where,
            )
        )
    limit = clock.max_minutes_per_session
    if limit is not None and minutes > limit:
        problems.append(
            Problem(
                _(
                    "session {session} at {station} lasts {minutes:g} minutes, over the limit of "
                    "{limit} minutes per session; shorten it or raise max_minutes_per_session",
                    session=session.describe(),
                    station=name,
                    minutes=minutes,
                    limit=limit,
                ),
                where,
            )
        )
    if not clock.allow_quiet_hours and clock.quiet_hours.overlaps(
        session.start_minute, session.end_minute
    ):
        problems.append(
            Problem(
                _(
                    "session {session} at {station} falls inside quiet hours {quiet}; move it, "
                    "or set allow_quiet_hours = true if the commune really wants loudspeakers then",
                    session=session.describe(),
                    station=name,
                    quiet=clock.quiet_hours.describe(),
                ),
                where,
            )
        )
    problems += _block_problems(session, name)
    return problems


def _block_problems(session: Session, name: str) -> list[Problem]:
    problems: list[Problem] = []
    where = session.where
    blocks = sorted(session.fixed_blocks, key=lambda b: b.start_minute)
    for block in blocks:
        if block.length.total_seconds() <= 0:
            problems.append(
                Problem(
                    _("fixed block {block!r} has no length", block=block.title),
                    block.where or where,
                )
            )
            continue
        if block.start_minute < session.start_minute or block.end_minute > session.end_minute:
            problems.append(
                Problem(
                    _(
                        "fixed block {block} lies outside session {session} at {station}; "
                        "move the block or lengthen the session",
                        block=block.describe(),
                        session=session.describe(),
                        station=name,
                    ),
                    block.where or where,
                )
            )
    for a, b in itertools.pairwise(blocks):
        if b.start_minute < a.end_minute:
            problems.append(
                Problem(
                    _(
                        "fixed block {first} overlaps {second} in session {session} at "
                        "{station}; move one of them",
                        first=a.describe(),
                        second=b.describe(),
                        session=session.describe(),
                        station=name,
                    ),
                    b.where or where,
                )
            )
    return problems


def build_tree(stations: Sequence[Station], subject: str | Msg | None = None) -> StationTree:
    """A :class:`StationTree`, or :class:`ValidationFailed` listing every problem."""
    problems = validate_stations(stations)
    if problems:
        raise ValidationFailed(subject if subject is not None else _("stations"), problems)
    return StationTree(stations)


__all__ = ["build_tree", "format_minutes", "validate_clock", "validate_stations"]
