"""Reconciliation of published plans with airing logs, on plain values."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadcaster.domain import AiringStatus, InputError, build_tree
from broadcaster.domain.reconcile import (
    Figures,
    Outcome,
    PlannedAiring,
    ReportPeriod,
    reconcile,
)
from tests.reports.week import (
    EXPECTED_DUPLICATES,
    EXPECTED_ITEM_STATIONS,
    EXPECTED_ITEMS,
    EXPECTED_ON_AIR,
    EXPECTED_PRIORITIES,
    EXPECTED_RECORDS,
    EXPECTED_STATIONS,
    EXPECTED_TOTALS,
    MONDAY,
    STATIONS,
    SUNDAY,
    TZ,
    at,
    build_week,
    items,
)

TREE = build_tree(STATIONS)
OFFICE_STATIONS = TREE.broadcasting_under("KV-TEST")
ITEMS = {i: replace(item, id=i) for i, item in enumerate(items(1), start=1)}
PERIOD = ReportPeriod(MONDAY, SUNDAY)
CLOCKS = {s.code: TREE.clock(s.code) for s in OFFICE_STATIONS}


def run(planned, airings, *, as_of=None, period=PERIOD):
    return reconcile(
        planned,
        airings,
        items=ITEMS,
        stations=OFFICE_STATIONS,
        period=period,
        zones={s.code: TZ for s in OFFICE_STATIONS},
        clocks=CLOCKS,
        as_of=as_of,
    )


def figures(f: Figures) -> tuple:
    return (
        f.planned,
        f.aired,
        f.partial,
        f.interrupted,
        f.missed,
        f.minutes_aired,
        f.attainment_pct,
    )


def test_every_figure_of_the_known_week():
    week = build_week()
    r = run(week.planned, week.airings)
    assert r.station_codes == ("XA-A", "XA-B")
    got = {(f.item_id - 1, f.station_code): figures(f.figures) for f in r.by_item_station}
    assert got == EXPECTED_ITEM_STATIONS
    assert {f.item_id - 1: figures(f.figures) for f in r.by_item} == EXPECTED_ITEMS
    assert figures(r.totals) == EXPECTED_TOTALS
    assert {p.priority.value: figures(p.figures) for p in r.by_priority} == EXPECTED_PRIORITIES
    stations = {
        s.station_code: (
            *figures(s.figures),
            s.sessions_planned,
            s.sessions_held,
            s.minutes_on_air,
            s.emergencies,
            s.unplanned,
            s.late_logs,
        )
        for s in r.by_station
    }
    assert stations == EXPECTED_STATIONS
    assert r.records == EXPECTED_RECORDS
    assert r.duplicates_ignored == EXPECTED_DUPLICATES
    assert round(r.seconds_on_air / 60, 1) == EXPECTED_ON_AIR
    assert r.emergencies == 1


def test_a_retried_upload_counts_once():
    week = build_week()
    monday = [x for x in run(week.planned, week.airings).lines if "a-mon" in x.event_ids]
    assert len(monday) == 1
    assert monday[0].outcome is Outcome.AIRED
    assert monday[0].records == 1  # the second upload had the same event id
    assert monday[0].seconds_aired == 300


def test_several_records_for_one_entry_count_once_with_the_best_status():
    week = build_week()
    wed = next(x for x in run(week.planned, week.airings).lines if "a-wed-1" in x.event_ids)
    assert wed.event_ids == ("a-wed-1", "a-wed-2")
    assert wed.status is AiringStatus.AIRED
    assert wed.outcome is Outcome.AIRED
    assert wed.duplicates_ignored == 1
    assert wed.seconds_aired == 300
    assert wed.reason == ""


def test_shortfalls_carry_a_reason_a_reviewer_can_read():
    week = build_week()
    r = run(week.planned, week.airings)
    reasons = {(x.station_code, x.day.isoformat(), x.outcome.value): x.reason for x in r.shortfalls}
    assert reasons == {
        ("XA-A", "2025-07-08", "interrupted"): "Bị ngắt để phát bản tin khẩn cấp",
        ("XA-A", "2025-07-10", "missed"): "Không nhận được nhật ký phát",
        ("XA-A", "2025-07-11", "partial"): "Dừng giữa chừng, phát được 3:00/5:00",
        ("XA-B", "2025-07-10", "missed"): (
            "Không phát được (máy phát không hoạt động hoặc quá giờ cho phép): Mất điện"
        ),
    }


def test_unplanned_airings_are_listed_and_add_to_airtime_only():
    week = build_week()
    r = run(week.planned, week.airings)
    unplanned = {(x.station_code, x.title, x.session, x.emergency) for x in r.unplanned}
    assert unplanned == {
        ("XA-A", "Cảnh báo lũ quét", "Chiều", True),
        ("XA-B", "Thông báo lịch tiêm chủng", "Chiều", False),
    }
    assert all(x.item_id != 3 for x in r.planned_lines)


def test_a_log_that_arrives_days_late_updates_the_figures():
    week = build_week()
    before = run(week.planned, week.airings)
    after = run(week.planned, [*week.airings, week.late_upload])
    a_item2 = {f.station_code: f.figures for f in after.by_item_station if f.item_id == 2}
    assert figures(a_item2["XA-A"]) == (2, 1, 0, 1, 0, 5.5, 50.0)
    assert after.totals.aired == before.totals.aired + 1
    assert after.totals.missed == before.totals.missed - 1
    late = next(x for x in after.lines if "a-thu-late" in x.event_ids)
    assert late.late and late.outcome is Outcome.AIRED
    assert next(s for s in after.by_station if s.station_code == "XA-A").late_logs == 1


def test_entries_not_yet_due_are_pending_not_missed():
    week = build_week()
    # Thursday noon: Thursday evening's entry and later ones are not due yet
    r = run(week.planned, week.airings, as_of=at(3, 12, 0))
    a = next(s for s in r.by_station if s.station_code == "XA-A")
    assert a.figures.pending == 1  # Thu 17:02 item 2 (Fri's has a log already)
    assert a.figures.missed == 0
    assert a.figures.due == 4
    assert a.figures.attainment_pct == 50.0


def test_records_match_their_entry_by_entry_id_even_when_times_drift():
    entry = PlannedAiring("XA-A", 1, at(0, 5, 32), timedelta(minutes=5), entry_id="e-1")
    log = build_week().airings[0]
    drifted = replace(log, planned_start=at(0, 5, 33), entry_id="e-1")
    r = run([entry], [drifted])
    assert [x.outcome for x in r.lines] == [Outcome.AIRED]
    assert r.unplanned == ()


def test_a_period_with_nothing_gives_an_empty_reconciliation_that_says_so():
    r = run([], [])
    assert r.empty
    assert r.totals == Figures()
    assert r.totals.attainment_pct is None
    assert r.notes == (
        "Không có kế hoạch phát và không có nhật ký phát nào từ 07/07/2025 đến 13/07/2025.",
    )
    assert [s.figures.planned for s in r.by_station] == [0, 0]


def test_a_plan_with_no_logs_counts_everything_missed():
    week = build_week()
    r = run(week.planned, [])
    assert r.totals.planned == 8 and r.totals.missed == 8 and r.totals.attainment_pct == 0.0
    assert "Chưa nhận được nhật ký phát nào" in r.notes[0]


def test_an_inverted_period_is_refused_with_the_fix():
    with pytest.raises(InputError, match="hãy đổi chỗ --from và --to"):
        ReportPeriod(SUNDAY, MONDAY)


def test_the_local_day_decides_the_period():
    # 23:30 UTC on Sunday 6 July is 06:30 on Monday 7 July at the station
    entry = PlannedAiring("XA-A", 1, at(0, 6, 30).astimezone(TZ.utc), timedelta(minutes=5))
    r = run([entry], [])
    assert [x.day.isoformat() for x in r.lines] == ["2025-07-07"]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_order_and_repeated_uploads_never_change_the_figures(data):
    week = build_week()
    expected = run(week.planned, week.airings)
    repeats = data.draw(st.lists(st.sampled_from(week.airings), max_size=8))
    shuffled = data.draw(st.permutations([*week.airings, *repeats]))
    got = run(week.planned, shuffled)
    assert figures(got.totals) == figures(expected.totals)
    assert [figures(s.figures) for s in got.by_station] == [
        figures(s.figures) for s in expected.by_station
    ]
    assert [s.seconds_on_air for s in got.by_station] == [
        s.seconds_on_air for s in expected.by_station
    ]
    assert got.records == expected.records


def test_airtime_is_summed_per_item_per_week():
    week = build_week()
    two_weeks = ReportPeriod(MONDAY, SUNDAY + timedelta(days=7))
    r = run(week.planned, week.airings, period=two_weeks)
    assert [(w.item_id, w.week.isoformat(), w.minutes) for w in r.weekly_airtime] == [
        (1, "2025-07-07", 18.0),
        (1, "2025-07-14", 5.0),  # next Monday's airing is unplanned but still airtime
        (2, "2025-07-07", 5.5),
        (3, "2025-07-07", 2.0),
    ]
    assert two_weeks.weeks() == [MONDAY, MONDAY + timedelta(days=7)]
