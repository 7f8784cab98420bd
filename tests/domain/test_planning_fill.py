"""What fills a session's free time (issue 19): never unplanned silence by default."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from broadcaster.db.plans_json import plan_from_dict, plan_to_dict
from broadcaster.domain.planning import (
    EntryKind,
    FillMode,
    FillPiece,
    FillPolicy,
    PlannerSettings,
    plan_week,
)
from tests.domain.test_planning import WEEK, check_plan, item, station

LIBRARY = tuple(
    FillPiece(f"{n:02d}" * 16, f"Bài hát {n}", timedelta(minutes=minutes))
    for n, minutes in enumerate((3, 4, 5, 2, 6, 1), start=1)
)


def _plan(policy: FillPolicy, items=None):
    items = items if items is not None else [item(1, 120), item(2, 90)]
    stations = [station()]
    plan = plan_week(stations, items, WEEK, PlannerSettings(fill=policy))
    check_plan(plan, items, stations)
    return plan


def test_by_default_a_session_ends_early_and_joins_its_relay_early_never_silent():
    plan = _plan(FillPolicy())
    for session in plan.stations[0].sessions:
        fill = session.fill
        assert fill.silence == timedelta(), session.label
        assert fill.length == session.end - session.start
    morning = next(s for s in plan.stations[0].sessions if s.name == "Sáng" and s.announcements)
    relays = [e for e in morning.entries if e.kind is EntryKind.RELAY]
    assert relays and relays[0].end == morning.start + timedelta(minutes=30)  # up to 06:00
    assert relays[0].title == "Tiếp âm Đài Tiếng nói Việt Nam"  # the clock names no source
    evening = next(s for s in plan.stations[0].sessions if s.name == "Chiều" and s.announcements)
    assert evening.ends_at is not None and evening.ends_at == evening.entries[-1].end


def test_the_library_fills_free_time_each_piece_at_most_n_times_a_day():
    plan = _plan(FillPolicy(library=LIBRARY, max_per_day=2))
    sessions = plan.stations[0].sessions
    for day in {s.day for s in sessions}:
        aired = Counter(
            e.audio
            for s in sessions
            if s.day == day
            for e in s.entries
            if e.kind is EntryKind.FILLER
        )
        assert aired and max(aired.values()) <= 2
    for s in sessions:
        assert s.fill.silence_ratio <= 0.05, s.label
        assert s.fill.filler >= sum(
            (e.duration for e in s.entries if e.kind is EntryKind.FILLER), timedelta()
        )
    # rotated: the first two sessions of a day do not open with the same piece
    first = [next(e for e in s.entries if e.kind is EntryKind.FILLER).audio for s in sessions[:2]]
    assert first[0] != first[1]


def test_a_relay_station_relays_every_free_stretch():
    plan = _plan(FillPolicy(mode=FillMode.RELAY, relay_source="VOV1"))
    for s in plan.stations[0].sessions:
        assert s.fill.silence == timedelta() and s.ends_at is None, s.label
        assert any(e.kind is EntryKind.RELAY for e in s.entries)


def test_ending_early_leaves_the_stretch_before_a_relay_as_counted_silence():
    plan = _plan(FillPolicy(mode=FillMode.END))
    morning = next(s for s in plan.stations[0].sessions if s.name == "Sáng" and s.announcements)
    assert morning.fill.silence > timedelta(minutes=20)  # nothing joins the relay early
    assert not [e for e in morning.entries if e.kind in (EntryKind.RELAY, EntryKind.FILLER)]


def test_fill_is_stored_with_the_plan_and_filler_is_not_counted_as_used_airtime():
    plan = _plan(FillPolicy(library=LIBRARY))
    again = plan_from_dict(plan_to_dict(plan))
    assert again.stations[0].sessions == plan.stations[0].sessions
    s = next(s for s in plan.stations[0].sessions if s.announcements)
    assert s.used == sum(
        (e.duration for e in s.entries if e.kind in (EntryKind.ANNOUNCEMENT, EntryKind.CHIME)),
        timedelta(),
    )
    assert [e.position for e in s.entries] == list(range(1, len(s.entries) + 1))


def test_stations_with_one_clock_each_get_their_own_policys_fill():
    # three communes on one clock share one solution; the fill follows each one's policy
    items = [item(1, 120), item(2, 90)]
    stations = [station("XA-A", "Xã A"), station("XA-B", "Xã B"), station("XA-C", "Xã C")]
    settings = PlannerSettings(
        fill=FillPolicy(library=LIBRARY),
        station_fill={"XA-B": FillPolicy(mode=FillMode.RELAY, relay_source="VOV1")},
    )
    plan = plan_week(stations, items, WEEK, settings)
    check_plan(plan, items, stations)
    assert plan.summary.distinct_problems == 1
    by_code = {s.code: s.sessions for s in plan.stations}
    kinds = {
        code: {e.kind for s in sessions for e in s.entries} for code, sessions in by_code.items()
    }
    assert EntryKind.FILLER in kinds["XA-A"] and EntryKind.FILLER not in kinds["XA-B"]
    assert all(s.ends_at is None for s in by_code["XA-B"])  # relayed to the end
    assert by_code["XA-A"] == by_code["XA-C"]  # the same policy fills alike
    assert by_code["XA-A"] != by_code["XA-B"]
