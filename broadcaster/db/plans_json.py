"""Weekly plans as plain JSON-ready data, the form :mod:`.plans_repo` stores them in.

The core's :class:`~broadcaster.domain.planning.WeeklyPlan` knows nothing of JSON; this module
turns one into dicts, lists, strings and numbers (aware datetimes as ISO 8601 with offsets) and
back. The CLI's ``plan week --json`` prints the same form, so it is a documented contract.

The planner's explanations (a shortfall's ``message``, a skipped item's ``reason``) are
messages: the JSON has them as text in the reader's language and, beside it
(``message_id`` / ``reason_id``), as the message id and its values, so a stored plan shows
them in whichever language its reader reads. Plans stored before carry the text only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import cast

from ..domain.errors import InputError
from ..domain.items import Priority
from ..domain.messages import Msg, _
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
        "stations": [_station_to_dict(st) for st in plan.stations],
        "shortfalls": [_shortfall_to_dict(f) for f in plan.shortfalls],
        "summary": _summary_to_dict(plan.summary),
    }


def _station_to_dict(st: StationPlan) -> dict[str, object]:
    return {
        "code": st.code,
        "name": st.name,
        "timezone": st.timezone,
        "sessions": [_session_to_dict(s) for s in st.sessions],
    }


def _session_to_dict(s: PlannedSession) -> dict[str, object]:
    return {
        "date": s.day.isoformat(),
        "name": s.name,
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "capacity_seconds": s.capacity.total_seconds(),
        "frozen": s.frozen,
        "ends_at": s.ends_at.isoformat() if s.ends_at is not None else None,
        "fill": _fill_to_dict(s),  # derived from the entries; not read back
        "entries": [_entry_to_dict(e) for e in s.entries],
    }


def _fill_to_dict(s: PlannedSession) -> dict[str, float]:
    fill = s.fill
    return {
        "content_seconds": fill.content.total_seconds(),
        "filler_seconds": fill.filler.total_seconds(),
        "fixed_seconds": fill.fixed.total_seconds(),
        "silence_seconds": fill.silence.total_seconds(),
        "silence_ratio": round(fill.silence_ratio, 4),
    }


def _entry_to_dict(e: PlanEntry) -> dict[str, object]:
    return {
        "position": e.position,
        "start": e.start.isoformat(),
        "duration_seconds": e.duration.total_seconds(),
        "kind": e.kind.value,
        "title": e.title,
        "item_id": e.item_id,
        "priority": e.priority.value if e.priority else None,
        "basis": e.basis,
        "audio": e.audio,
    }


def _shortfall_to_dict(f: Shortfall) -> dict[str, object]:
    return {
        "station": f.station_code,
        "station_name": f.station_name,
        "item_id": f.item_id,
        "item_title": f.item_title,
        "priority": f.priority.value,
        "target": f.target,
        "planned": f.planned,
        "reason": f.reason.value,
        "message": str(f.message),
        "message_id": message_to_data(f.message),
        "sessions": list(f.sessions),
        "competitors": list(f.competitors),
    }


def _summary_to_dict(summary: PlanSummary) -> dict[str, object]:
    return {
        "attainment": [
            {
                "priority": a.priority.value,
                "target": a.target,
                "planned": a.planned,
                "ratio": round(a.ratio, 4),
            }
            for a in summary.attainment
        ],
        "sessions": summary.sessions,
        "capacity_seconds": summary.capacity.total_seconds(),
        "used_seconds": summary.used.total_seconds(),
        "fill": round(summary.fill, 4),
        "unplaced": list(summary.unplaced),
        "skipped": [
            {
                "item_id": s.item_id,
                "title": s.title,
                "reason": str(s.reason),
                "reason_id": message_to_data(s.reason),
            }
            for s in summary.skipped
        ],
        "objective": summary.objective,
        "stations": summary.stations,
        "distinct_problems": summary.distinct_problems,
    }


def message_to_data(message: str | Msg) -> object:
    """A message as JSON: its id, plural and count, and its values (messages among them as
    messages again); plain text stays text."""
    if not isinstance(message, Msg):
        return message
    data: dict[str, object] = {
        "id": message.msgid,
        "values": {k: _value_to_data(v) for k, v in message.params.items()},
    }
    if message.plural is not None:
        data["plural"], data["n"] = message.plural, message.n
    return data


def _value_to_data(value: object) -> object:
    if isinstance(value, Msg):
        return {"message": message_to_data(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def message_from_data(data: object) -> str | Msg:
    """The inverse of :func:`message_to_data`."""
    if not isinstance(data, Mapping):
        return _s(data)
    values = _get(data, "values")
    if not isinstance(values, Mapping):
        raise InputError(_("stored plan has a damaged message; re-plan the week"))
    plural = data.get("plural")
    return Msg(
        _s(_get(data, "id")),
        {str(k): _value_from_data(v) for k, v in values.items()},
        plural=None if plural is None else _s(plural),
        n=None if plural is None else _i(data.get("n")),
    )


def _value_from_data(value: object) -> object:
    if isinstance(value, Mapping) and "message" in value:
        return message_from_data(value["message"])
    return value


def _get(data: Mapping[str, object], key: str) -> object:
    try:
        return data[key]
    except KeyError:
        raise InputError(_("stored plan is missing {key!r}; re-plan the week", key=key)) from None


def _s(v: object) -> str:
    return str(v)


def _f(v: object) -> float:
    if not isinstance(v, int | float | str):
        raise InputError(_("stored plan has a bad number {value!r}; re-plan the week", value=v))
    return float(v)


def _i(v: object) -> int:
    if not isinstance(v, int | str):
        raise InputError(_("stored plan has a bad integer {value!r}; re-plan the week", value=v))
    return int(v)


def _optional_i(v: object) -> int | None:
    return None if v is None else _i(v)


def _list_any(v: object) -> list[object]:
    if not isinstance(v, list):
        raise InputError(_("stored plan is damaged (a list was expected); re-plan the week"))
    return v


def _list(v: object) -> list[Mapping[str, object]]:
    return cast(list[Mapping[str, object]], _list_any(v))


def plan_from_dict(data: Mapping[str, object]) -> WeeklyPlan:
    """The inverse of :func:`plan_to_dict`."""
    created = data.get("created_at")
    return WeeklyPlan(
        year=_i(_get(data, "year")),
        week=_i(_get(data, "iso_week")),
        monday=date.fromisoformat(_s(_get(data, "monday"))),
        stations=tuple(_station_from_dict(st) for st in _list(_get(data, "stations"))),
        shortfalls=tuple(_shortfall_from_dict(f) for f in _list(_get(data, "shortfalls"))),
        summary=_summary_from_dict(_get(data, "summary")),
        office=None if data.get("office") is None else _s(data["office"]),
        created_at=datetime.fromisoformat(_s(created)) if created else None,
    )


def _station_from_dict(st: Mapping[str, object]) -> StationPlan:
    return StationPlan(
        _s(_get(st, "code")),
        _s(_get(st, "name")),
        _s(_get(st, "timezone")),
        tuple(_session_from_dict(s) for s in _list(_get(st, "sessions"))),
    )


def _session_from_dict(s: Mapping[str, object]) -> PlannedSession:
    return PlannedSession(
        day=date.fromisoformat(_s(_get(s, "date"))),
        name=_s(_get(s, "name")),
        start=datetime.fromisoformat(_s(_get(s, "start"))),
        end=datetime.fromisoformat(_s(_get(s, "end"))),
        capacity=timedelta(seconds=_f(_get(s, "capacity_seconds"))),
        entries=tuple(_entry_from_dict(e) for e in _list(_get(s, "entries"))),
        frozen=bool(s.get("frozen", False)),
        ends_at=None if s.get("ends_at") is None else datetime.fromisoformat(_s(s["ends_at"])),
    )


def _entry_from_dict(e: Mapping[str, object]) -> PlanEntry:
    return PlanEntry(
        position=_i(_get(e, "position")),
        start=datetime.fromisoformat(_s(_get(e, "start"))),
        duration=timedelta(seconds=_f(_get(e, "duration_seconds"))),
        kind=EntryKind(_s(_get(e, "kind"))),
        title=_s(_get(e, "title")),
        item_id=_optional_i(e.get("item_id")),
        priority=None if e.get("priority") is None else Priority(_s(e["priority"])),
        basis=_s(e.get("basis") or ""),
        audio=None if e.get("audio") is None else _s(e["audio"]),
    )


def _shortfall_from_dict(f: Mapping[str, object]) -> Shortfall:
    return Shortfall(
        station_code=_s(_get(f, "station")),
        station_name=_s(_get(f, "station_name")),
        item_id=_i(_get(f, "item_id")),
        item_title=_s(_get(f, "item_title")),
        priority=Priority(_s(_get(f, "priority"))),
        target=_i(_get(f, "target")),
        planned=_i(_get(f, "planned")),
        reason=ShortfallReason(_s(_get(f, "reason"))),
        message=_stored_message(f, "message"),
        sessions=tuple(_s(x) for x in _list_any(f.get("sessions", []))),
        competitors=tuple(_i(x) for x in _list_any(f.get("competitors", []))),
    )


def _stored_message(data: Mapping[str, object], key: str) -> str | Msg:
    """A message as stored with its id (``key_id``), else its text (a plan stored before)."""
    found = data.get(f"{key}_id")
    return message_from_data(found) if found is not None else _s(_get(data, key))


def _summary_from_dict(sm: object) -> PlanSummary:
    if not isinstance(sm, Mapping):
        raise InputError(_("stored plan has no summary; re-plan the week"))
    return PlanSummary(
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
                _optional_i(k.get("item_id")), _s(_get(k, "title")), _stored_message(k, "reason")
            )
            for k in _list(_get(sm, "skipped"))
        ),
        objective=_f(_get(sm, "objective")),
        stations=_i(_get(sm, "stations")),
        distinct_problems=_i(_get(sm, "distinct_problems")),
    )


__all__ = ["message_from_data", "message_to_data", "plan_from_dict", "plan_to_dict"]
