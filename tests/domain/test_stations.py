"""The station tree, clock inheritance and the validation rules, on plain values."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from broadcaster.domain import (
    BlockKind,
    ClockSettings,
    FixedBlock,
    QuietHours,
    Session,
    Station,
    StationKind,
    ValidationFailed,
    build_tree,
    validate_stations,
)

DAILY = frozenset(range(7))


def session(name: str, start: str, minutes: int, days=DAILY, blocks=(), where="") -> Session:
    h, m = map(int, start.split(":"))
    return Session(
        name, frozenset(days), time(h, m), timedelta(minutes=minutes), tuple(blocks), where=where
    )


def block(title: str, start: str, minutes: int) -> FixedBlock:
    h, m = map(int, start.split(":"))
    return FixedBlock(BlockKind.RELAY, title, time(h, m), timedelta(minutes=minutes))


def tree_of(*stations: Station):
    return build_tree(list(stations))


PROVINCE = Station(
    "P",
    "Tỉnh Lâm Đồng",
    StationKind.PROVINCE,
    clock=ClockSettings(
        sessions=(session("Sáng", "05:30", 30), session("Chiều", "17:00", 30)),
        max_sessions_per_day=3,
        max_minutes_per_session=60,
    ),
)


def test_commune_takes_its_parents_clock_unless_it_overrides_it():
    own = Station(
        "B",
        "Xã B",
        StationKind.COMMUNE,
        parent="P",
        clock=ClockSettings(sessions=(session("Trưa", "11:00", 20),)),
    )
    inherits = Station("A", "Xã A", StationKind.COMMUNE, parent="P")
    tree = tree_of(PROVINCE, own, inherits)
    assert [s.name for s in tree.clock("A").sessions] == ["Sáng", "Chiều"]
    assert [s.name for s in tree.clock("B").sessions] == ["Trưa"]
    # limits are inherited field by field even when sessions are overridden
    assert tree.clock("B").max_minutes_per_session == 60
    assert tree.clock("B").timezone == "Asia/Ho_Chi_Minh"


def test_tree_of_any_depth_with_offices_and_clusters():
    region = Station("R", "Khu vực Đắk Mil", StationKind.REGION, parent="P", is_office=True)
    commune = Station("C", "Xã Đắk Mil", StationKind.COMMUNE, parent="R")
    cluster = Station("C-1", "Cụm loa thôn 1", StationKind.CLUSTER, parent="C")
    tree = tree_of(PROVINCE, region, commune, cluster)
    assert [s.code for s in tree.subtree("R")] == ["R", "C", "C-1"]
    assert [s.code for s in tree.broadcasting_under("R")] == [
        "C"
    ]  # clusters play their commune's programme
    assert tree.office_of("C-1").code == "R"
    assert tree.depth("C-1") == 3
    assert [s.code for s in tree.ancestors("C-1")] == ["P", "R", "C"]


def test_capacity_is_net_of_fixed_blocks():
    s = session("Sáng", "05:30", 60, blocks=[block("Thời sự VOV", "06:00", 30)])
    assert s.capacity == timedelta(minutes=30)


def messages(*stations: Station) -> list[str]:
    return [str(p.message) for p in validate_stations(list(stations))]


def test_overlapping_sessions_are_named():
    c = Station(
        "C",
        "Xã Nam Bình",
        StationKind.COMMUNE,
        clock=ClockSettings(sessions=(session("Chiều", "17:00", 45), session("Tối", "17:30", 30))),
    )
    (msg,) = messages(c)
    assert "buổi phát Chiều 17:00–17:45 trùng giờ với buổi phát Tối 17:30–18:00 hằng ngày" in msg
    assert "Xã Nam Bình" in msg


def test_problems_read_in_english_on_request():
    from broadcaster.domain.messages import speaking
    from broadcaster.i18n import translations

    weekdays = frozenset(range(5))
    c = Station(
        "C",
        "Xã Nam Bình",
        StationKind.COMMUNE,
        clock=ClockSettings(
            sessions=(
                Session("Chiều", weekdays, time(17), timedelta(minutes=45)),
                Session("Tối", weekdays, time(17, 30), timedelta(minutes=30)),
            )
        ),
    )
    (problem,) = validate_stations([c])
    assert "trùng giờ với buổi phát Tối 17:30–18:00 vào T2–T6 tại" in str(problem.message)
    with speaking(translations("en")):
        assert str(problem.message) == (
            "session Chiều 17:00–17:45 overlaps session Tối 17:30–18:00 on Mon–Fri at "
            "Xã Nam Bình (C); shorten the first or start the second later"
        )


def test_fixed_block_outside_its_session():
    c = Station(
        "C",
        "Xã A",
        StationKind.COMMUNE,
        clock=ClockSettings(
            sessions=(session("Sáng", "05:30", 30, blocks=[block("Thời sự VOV", "06:00", 30)]),)
        ),
    )
    (msg,) = messages(c)
    assert "khối cố định Thời sự VOV 06:00–06:30 nằm ngoài buổi phát Sáng 05:30–06:00" in msg


def test_session_in_quiet_hours_is_refused_unless_allowed():
    early = ClockSettings(sessions=(session("Sớm", "04:45", 30),))
    (msg,) = messages(Station("C", "Xã A", StationKind.COMMUNE, clock=early))
    assert "rơi vào giờ yên tĩnh 21:30–05:00" in msg
    assert "allow_quiet_hours = true" in msg
    allowed = ClockSettings(sessions=early.sessions, allow_quiet_hours=True)
    assert messages(Station("C", "Xã A", StationKind.COMMUNE, clock=allowed)) == []


def test_custom_quiet_hours_apply():
    clock = ClockSettings(
        sessions=(session("Tối", "20:00", 30),), quiet_hours=QuietHours(time(20, 0), time(6, 0))
    )
    assert (
        "giờ yên tĩnh 20:00–06:00"
        in messages(Station("C", "Xã A", StationKind.COMMUNE, clock=clock))[0]
    )


def test_limits_per_day_and_per_session():
    c = Station(
        "C",
        "Xã A",
        StationKind.COMMUNE,
        parent="P",
        clock=ClockSettings(
            sessions=(
                session("Sáng", "05:30", 90),
                session("Trưa", "11:00", 20),
                session("Chiều", "17:00", 30),
                session("Tối", "19:00", 30),
            )
        ),
    )
    found = messages(PROVINCE, c)
    assert any("dài 90 phút, vượt giới hạn 60 phút mỗi buổi" in m for m in found)
    assert any("4 buổi phát hằng ngày" in m and "tối đa 3 buổi mỗi ngày" in m for m in found)


def test_unknown_parent_cycle_and_duplicate_codes():
    a = Station("A", "Xã A", StationKind.COMMUNE, parent="NOWHERE")
    found = messages(a, Station("A", "Xã A bis", StationKind.COMMUNE))
    assert any("ghi cấp trên 'NOWHERE' không tồn tại" in m for m in found)
    assert any("mã đài 'A' bị trùng" in m for m in found)
    cycle = messages(
        Station("X", "X", StationKind.REGION, parent="Y"),
        Station("Y", "Y", StationKind.REGION, parent="X"),
    )
    assert any("vòng lặp: X → Y → X" in m for m in cycle)


def test_build_tree_raises_with_every_problem():
    with pytest.raises(ValidationFailed) as info:
        build_tree(
            [
                Station("A", "Xã A", StationKind.COMMUNE, parent="Z"),
                Station("B", "", StationKind.COMMUNE),
            ]
        )
    assert len(info.value.problems) == 2
    assert "2 lỗi, chưa thay đổi gì" in str(info.value)


def test_session_past_midnight_is_refused():
    c = Station(
        "C",
        "Xã A",
        StationKind.COMMUNE,
        clock=ClockSettings(sessions=(session("Khuya", "23:50", 20),), allow_quiet_hours=True),
    )
    assert any("kéo dài quá nửa đêm" in m for m in messages(c))
