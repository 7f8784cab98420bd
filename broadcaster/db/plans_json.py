"""Weekly plans as plain JSON-ready data, the form :mod:`.plans_repo` stores them in.

The core's :class:`~broadcaster.domain.planning.WeeklyPlan` knows nothing of JSON; this module
turns one into dicts, lists, strings and numbers (aware datetimes as ISO 8601 with offsets) and
back. The CLI's ``plan week --json`` prints the same form, so it is a documented contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from ..domain.errors import InputError
from ..domain.items import Priority
from ..domain.planning import (
    ClassAttainment,
    EntryKind,
    PlanEntry,
    PlannedSession,
    PlanSummary,
    Shortfall,
    ShortfallReason,
    SkippedItem,
    StationPlan,
    WeeklyPlan,
)


def plan_to_dict(plan: WeeklyPlan) -> dict[str, object]:
    """A JSON-ready dict of a plan (aware datetimes as ISO 8601 with offsets)."""
    return {
        "week": plan.label,
        "year": plan.year,
        "iso_week": plan.week,
        "monday": plan.monday.isoformat(),
        "office": plan.office,
        "created_at": plan.created_at.isoformat() if plan.created_at else None,
        "stations": [
            {
                "code": st.code,
                "name": st.name,
                "timezone": st.timezone,
                "sessions": [
                    {
                        "date": s.day.isoformat(),
                        "name": s.name,
                        "start": s.start.isoformat(),
                        "end": s.end.isoformat(),
                        "capacity_seconds": s.capacity.total_seconds(),
                        "frozen": s.frozen,
                        "entries": [
                            {
                                "position": e.position,
                                "start": e.start.isoformat(),
                                "duration_seconds": e.duration.total_seconds(),
                                "kind": e.kind.value,
                                "title": e.title,
                                "item_id": e.item_id,
                                "priority": e.priority.value if e.priority else None,
                                "basis": e.basis,
                            }
                            for e in s.entries
                        ],
                    }
                    for s in st.sessions
                ],
            }
            for st in plan.stations
        ],
        "shortfalls": [
            {
                "station": f.station_code,
                "station_name": f.station_name,
                "item_id": f.item_id,
                "item_title": f.item_title,
                "priority": f.priority.value,
                "target": f.target,
                "planned": f.planned,
                "reason": f.reason.value,
                "message": f.message,
                "sessions": list(f.sessions),
                "competitors": list(f.competitors),
            }
            for f in plan.shortfalls
        ],
        "summary": {
            "attainment": [
                {
                    "priority": a.priority.value,
                    "target": a.target,
                    "planned": a.planned,
                    "ratio": round(a.ratio, 4),
                }
                for a in plan.summary.attainment
            ],
            "sessions": plan.summary.sessions,
            "capacity_seconds": plan.summary.capacity.total_seconds(),
            "used_seconds": plan.summary.used.total_seconds(),
            "fill": round(plan.summary.fill, 4),
            "unplaced": list(plan.summary.unplaced),
            "skipped": [
                {"item_id": s.item_id, "title": s.title, "reason": s.reason}
                for s in plan.summary.skipped
            ],
            "objective": plan.summary.objective,
            "stations": plan.summary.stations,
            "distinct_problems": plan.summary.distinct_problems,
        },
    }


def _get(data: Mapping[str, object], key: str) -> object:
    try:
        return data[key]
    except KeyError:
        raise InputError(f"stored plan is missing {key!r}; re-plan the week") from None


def _s(v: object) -> str:
    return str(v)


def _f(v: object) -> float:
    if not isinstance(v, int | float | str):
        raise InputError(f"stored plan has a bad number {v!r}; re-plan the week")
    return float(v)


def _i(v: object) -> int:
    if not isinstance(v, int | str):
        raise InputError(f"stored plan has a bad integer {v!r}; re-plan the week")
    return int(v)


def _list(v: object) -> list[Mapping[str, object]]:
    if not isinstance(v, list):
        raise InputError("stored plan is damaged (a list was expected); re-plan the week")
    return v


def plan_from_dict(data: Mapping[str, object]) -> WeeklyPlan:
    """The inverse of :func:`plan_to_dict`."""
    stations = []
    for st in _list(_get(data, "stations")):
        sessions = []
        for s in _list(_get(st, "sessions")):
            entries = tuple(
                PlanEntry(
                    position=_i(_get(e, "position")),
                    start=datetime.fromisoformat(_s(_get(e, "start"))),
                    duration=timedelta(seconds=_f(_get(e, "duration_seconds"))),
                    kind=EntryKind(_s(_get(e, "kind"))),
                    title=_s(_get(e, "title")),
                    item_id=None if e.get("item_id") is None else _i(e["item_id"]),
                    priority=None if e.get("priority") is None else Priority(_s(e["priority"])),
                    basis=_s(e.get("basis") or ""),
                )
                for e in _list(_get(s, "entries"))
            )
            sessions.append(
                PlannedSession(
                    day=date.fromisoformat(_s(_get(s, "date"))),
                    name=_s(_get(s, "name")),
                    start=datetime.fromisoformat(_s(_get(s, "start"))),
                    end=datetime.fromisoformat(_s(_get(s, "end"))),
                    capacity=timedelta(seconds=_f(_get(s, "capacity_seconds"))),
                    entries=entries,
                    frozen=bool(s.get("frozen", False)),
                )
            )
        stations.append(
            StationPlan(
                _s(_get(st, "code")),
                _s(_get(st, "name")),
                _s(_get(st, "timezone")),
                tuple(sessions),
            )
        )
    shortfalls = tuple(
        Shortfall(
            station_code=_s(_get(f, "station")),
            station_name=_s(_get(f, "station_name")),
            item_id=_i(_get(f, "item_id")),
            item_title=_s(_get(f, "item_title")),
            priority=Priority(_s(_get(f, "priority"))),
            target=_i(_get(f, "target")),
            planned=_i(_get(f, "planned")),
            reason=ShortfallReason(_s(_get(f, "reason"))),
            message=_s(_get(f, "message")),
            sessions=tuple(_s(x) for x in _list_any(f.get("sessions", []))),
            competitors=tuple(_i(x) for x in _list_any(f.get("competitors", []))),
        )
        for f in _list(_get(data, "shortfalls"))
    )
    sm = _get(data, "summary")
    if not isinstance(sm, Mapping):
        raise InputError("stored plan has no summary; re-plan the week")
    summary = PlanSummary(
        attainment=tuple(
            ClassAttainment(
                Priority(_s(_get(a, "priority"))), _i(_get(a, "target")), _i(_get(a, "planned"))
            )
            for a in _list(_get(sm, "attainment"))
        ),
        sessions=_i(_get(sm, "sessions")),
        capacity=timedelta(seconds=_f(_get(sm, "capacity_seconds"))),
        used=timedelta(seconds=_f(_get(sm, "used_seconds"))),
        unplaced=tuple(_i(x) for x in _list_any(_get(sm, "unplaced"))),
        skipped=tuple(
            SkippedItem(
                None if k.get("item_id") is None else _i(k["item_id"]),
                _s(_get(k, "title")),
                _s(_get(k, "reason")),
            )
            for k in _list(_get(sm, "skipped"))
        ),
        objective=_f(_get(sm, "objective")),
        stations=_i(_get(sm, "stations")),
        distinct_problems=_i(_get(sm, "distinct_problems")),
    )
    created = data.get("created_at")
    return WeeklyPlan(
        year=_i(_get(data, "year")),
        week=_i(_get(data, "iso_week")),
        monday=date.fromisoformat(_s(_get(data, "monday"))),
        stations=tuple(stations),
        shortfalls=shortfalls,
        summary=summary,
        office=None if data.get("office") is None else _s(data["office"]),
        created_at=datetime.fromisoformat(_s(created)) if created else None,
    )


def _list_any(v: object) -> list[object]:
    if not isinstance(v, list):
        raise InputError("stored plan is damaged (a list was expected); re-plan the week")
    return v


__all__ = ["plan_from_dict", "plan_to_dict"]
