"""Changes made to a plan by hand: each checked by the planner's hard rules and refused with a
reason; re-planning keeps pins and removals."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from broadcaster.domain.items import Daypart, Priority
from broadcaster.domain.messages import speaking
from broadcaster.domain.planning import PlannerSettings, plan_week
from broadcaster.domain.planning.edits import (
    AiringRef,
    EditableWeek,
    EditRefused,
    PlanEdits,
    airings_of,
    pack,
)
from broadcaster.domain.planning.pinned import plan_week_around
from broadcaster.domain.stations import QuietHours, Session
from broadcaster.i18n import translations

from .test_planning import DAILY, MONDAY, TZ, WEEK, check_plan, item, station

FRIDAY_BEFORE = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)
TUESDAY = MONDAY + timedelta(days=1)


def english(message: object) -> str:
    with speaking(translations("en")):
        return str(message)


def small_station():
    """Two short sessions a day: 5 minutes each, nothing fixed."""
    return station(
        "XA-NB",
        "Xã Nam Bình",
        Session("Sáng", DAILY, time(5, 30), timedelta(minutes=5)),
        Session("Chiều", DAILY, time(17, 0), timedelta(minutes=5)),
    )


def test_pack_finds_a_fit_first_fit_would_miss():
    # first fit in this order puts 3 and 3 apart and has no room for 4
    assert pack([3, 3, 4, 4], [7, 7]) is not None
    assert pack([3, 3, 4, 5], [7, 7]) is None
    assert pack([], [0]) == []


def test_a_move_to_a_full_session_is_refused_with_the_free_time_and_the_need():
    items = [item(1, 140, target=7), item(2, 140, target=7), item(3, 140, target=7)]
    stations = [small_station()]
    plan = plan_week(stations, items, WEEK, now=FRIDAY_BEFORE)
    week = EditableWeek(stations, items, WEEK, now=FRIDAY_BEFORE)
    morning = plan.stations[0].on(MONDAY)[0]
    evening = plan.stations[0].on(MONDAY)[1]
    assert len(morning.item_ids()) == 2  # two of 2 min 20 s and a gap fill five minutes
    moving = next(i for i in evening.item_ids() if i not in morning.item_ids())
    source = AiringRef("XA-NB", MONDAY, "Chiều", moving)
    with pytest.raises(EditRefused) as refused:
        week.change(plan, remove=source, add=source.at("XA-NB", MONDAY, "Sáng"))
    text = english(refused.value.reason)
    assert "is full" in text and "15 giây free" in text and f"item {moving}" in text


def test_a_move_to_a_session_with_room_re_times_both_sessions_and_restates_the_targets():
    items = [item(1, 60, target=3), item(2, 60, target=3)]
    stations = [small_station()]
    plan = plan_week(stations, items, WEEK, now=FRIDAY_BEFORE)
    week = EditableWeek(stations, items, WEEK, now=FRIDAY_BEFORE)
    airing = sorted(a for a in airings_of(plan) if a.item_id == 1)[0]
    free = next(
        s
        for s in plan.stations[0].sessions
        if 1 not in s.item_ids()
        and all(
            abs(s.start - o.start) > timedelta(hours=1)
            for o in plan.stations[0].sessions
            if 1 in o.item_ids() and o.day != airing.day
        )
    )
    moved = week.change(plan, remove=airing, add=airing.at("XA-NB", free.day, free.name))
    check_plan(moved, items, stations)
    assert airing not in airings_of(moved)
    assert AiringRef("XA-NB", free.day, free.name, 1) in airings_of(moved)
    assert moved.stations[0].airings(1) == 3 and not moved.shortfalls


def test_a_removal_leaves_a_shortfall_with_the_planners_reason():
    items = [item(1, 60, target=2)]
    stations = [small_station()]
    plan = plan_week(stations, items, WEEK, now=FRIDAY_BEFORE)
    week = EditableWeek(stations, items, WEEK, now=FRIDAY_BEFORE)
    airing = sorted(airings_of(plan))[0]
    removed = week.change(plan, remove=airing)
    (short,) = removed.shortfalls
    assert (short.item_id, short.planned, short.target) == (1, 1, 2)
    assert "1/2" in english(short.message)


@pytest.mark.parametrize(
    ("make", "where", "expected"),
    [
        (lambda: item(9, 60, valid_from=date(2026, 11, 25)), (MONDAY, "Sáng"), "may air from"),
        (lambda: item(9, 60, dayparts=frozenset({Daypart.MORNING})), (MONDAY, "Chiều"),
         "airs only in the morning"),
        (lambda: item(9, 400), (MONDAY, "Sáng"), "longest free stretch"),
        (lambda: item(9, 60, min_gap=timedelta(days=1)), (MONDAY, "Chiều"), "at least 1 day apart"),
    ],
)  # fmt: skip
def test_each_hard_rule_refuses_an_airing_added_by_hand(make, where, expected):
    added = make()
    items = [added]
    stations = [small_station()]
    plan = plan_week(stations, [], WEEK, now=FRIDAY_BEFORE)
    week = EditableWeek(stations, items, WEEK, now=FRIDAY_BEFORE)
    if added.min_gap:  # its first airing on Monday morning
        plan = week.change(plan, add=AiringRef("XA-NB", MONDAY, "Sáng", 9))
    why = week.refusal(plan.stations[0], AiringRef("XA-NB", *where, 9))
    assert why is not None and expected in english(why)


def test_quiet_hours_a_started_session_and_twice_in_a_session_are_refused():
    late = station(
        "XA-NB",
        "Xã Nam Bình",
        Session("Sáng", DAILY, time(5, 30), timedelta(minutes=5)),
        Session("Khuya", DAILY, time(22, 0), timedelta(minutes=10)),
        quiet_hours=QuietHours(time(21, 30), time(5, 0)),
    )
    items = [item(9, 60)]
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=TZ)
    plan = plan_week([late], items, WEEK, now=monday_noon)
    week = EditableWeek([late], items, WEEK, now=monday_noon)
    sp = plan.stations[0]
    quiet = week.refusal(sp, AiringRef("XA-NB", TUESDAY, "Khuya", 9))
    assert quiet is not None and "quiet hours 21:30–05:00" in english(quiet)
    started = week.refusal(sp, AiringRef("XA-NB", MONDAY, "Sáng", 9))
    assert started is not None and "has already started" in english(started)
    taken = next(a for a in airings_of(plan) if a.item_id == 9)
    twice = week.refusal(sp, taken)
    assert twice is not None and "already airs in" in english(twice)


def test_an_item_not_approved_or_not_for_the_station_is_refused():
    items = [item(1, 60), item(2, 60, stations=frozenset({"XA-KHAC"}))]
    stations = [small_station()]
    plan = plan_week(stations, [], WEEK, now=FRIDAY_BEFORE)
    week = EditableWeek(stations, items, WEEK, now=FRIDAY_BEFORE)
    other = week.refusal(plan.stations[0], AiringRef("XA-NB", MONDAY, "Sáng", 2))
    assert other is not None and "is not meant for Xã Nam Bình" in english(other)
    unknown = week.refusal(plan.stations[0], AiringRef("XA-NB", MONDAY, "Sáng", 77))
    assert unknown is not None and "not an approved item" in english(unknown)
    nowhere = week.refusal(plan.stations[0], AiringRef("XA-NB", MONDAY, "Trưa", 1))
    assert nowhere is not None and "has no session Trưa on 23/11/2026" in english(nowhere)


def test_re_planning_keeps_the_pins_and_stays_out_of_removed_sessions():
    items = [item(n, 90, target=4) for n in range(1, 6)]
    stations = [small_station(), small_station().__class__(
        small_station().station.__class__("XA-DM", "Xã Đắk Mil", small_station().station.kind),
        small_station().clock, TZ)]  # fmt: skip
    first = plan_week(stations, items, WEEK, now=FRIDAY_BEFORE)
    sunday = MONDAY + timedelta(days=6)
    pin = AiringRef("XA-NB", sunday, "Chiều", 5)
    out = next(a for a in sorted(airings_of(first)) if a.station_code == "XA-NB")
    edits = PlanEdits(pins=frozenset({pin}), excluded=frozenset({out}))
    again = plan_week_around(stations, items, WEEK, edits=edits, previous=first, now=FRIDAY_BEFORE)
    check_plan(again.plan, items, stations)
    assert not again.dropped
    assert pin in airings_of(again.plan) and out not in airings_of(again.plan)
    assert again.plan.stations[0].airings(5) <= 4
    # the other station, without edits, is planned as before
    assert again.plan.stations[1] == first.stations[1]


def test_pins_that_no_longer_fit_are_dropped_with_the_reason():
    items = [item(1, 140), item(2, 140), item(3, 140)]
    stations = [small_station()]
    pins = frozenset(AiringRef("XA-NB", MONDAY, "Sáng", n) for n in (1, 2, 3))
    again = plan_week_around(stations, items, WEEK, edits=PlanEdits(pins=pins), now=FRIDAY_BEFORE)
    check_plan(again.plan, items, stations)
    (dropped,) = again.dropped
    assert dropped.pin.item_id == 3 and "is full" in english(dropped.reason)
    assert again.plan.stations[0].on(MONDAY)[0].item_ids() == (1, 2)


def test_re_planning_without_edits_is_the_planner():
    items = [item(n, 90, priority=Priority.PRIORITY if n == 1 else Priority.NORMAL)
             for n in range(1, 5)]  # fmt: skip
    stations = [station()]
    settings = PlannerSettings()
    plain = plan_week(stations, items, WEEK, settings, now=FRIDAY_BEFORE)
    around = plan_week_around(stations, items, WEEK, settings, now=FRIDAY_BEFORE)
    assert around.plan == plain and not around.dropped
