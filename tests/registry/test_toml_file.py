"""Station files: every mistake reported with its line; good files parse as written."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from broadcaster.domain import BlockKind, InputError, ValidationFailed
from broadcaster.registry import load_station_file, parse_station_toml

THREE_MISTAKES = """\
[[station]]
code = "KV"
name = "Trung tâm khu vực"
kind = "region"
office = true

[[station]]
code = "XA-A"
name = "Xã A"
kind = "commune"
parent = "KV"

[[station.session]]
name = "Sáng"
days = "daily"
start = "5h3"
minutes = 30

[[station]]
code = "XA-B"
name = "Xã B"
kind = "comune"
parent = "KV"

[[station]]
code = "XA-C"
name = "Xã C"
kind = "commune"
parent = "KV"

[[station.session]]
name = "Chiều"
start = "17:00"
minutes = 30

[[station.session.block]]
title = "Tiếp âm Thời sự"
start = "18:00"
minutes = "thirty"
"""


def test_three_mistakes_are_all_reported_with_their_lines():
    with pytest.raises(ValidationFailed) as info:
        parse_station_toml(THREE_MISTAKES, "office.toml")
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 3, problems
    assert problems[0].startswith("office.toml:16 (station[1].session[0].start)")
    assert "viết theo dạng HH:MM" in problems[0]
    assert problems[1].startswith("office.toml:22 (station[2].kind)")
    assert "dùng một trong: province, region, district, commune, cluster" in problems[1]
    assert problems[2].startswith("office.toml:39 (station[3].session[0].block[0].minutes)")


def test_domain_problems_carry_the_place_in_the_file():
    text = """\
[[station]]
code = "XA-A"
name = "Xã A"
kind = "commune"

[[station.session]]
name = "Sáng"
start = "04:30"
minutes = 30
"""
    with pytest.raises(ValidationFailed) as info:
        parse_station_toml(text, "a.toml")
    (problem,) = info.value.problems
    assert problem.where == "a.toml:6 (station[0].session[0])"
    assert "giờ yên tĩnh" in str(problem.message)


def test_not_toml_at_all():
    from broadcaster.domain.messages import speaking
    from broadcaster.i18n import translations

    with pytest.raises(ValidationFailed) as info:
        parse_station_toml("this is = not [toml", "x.toml")
    (problem,) = info.value.problems
    assert str(problem) == (
        "x.toml:1: không phải TOML hợp lệ ở cột 6; hãy sửa cú pháp (xem schedules/example.toml)"
    )
    with speaking(translations("en")):  # English keeps the parser's own words
        assert "at column 6: Expected '=' after a key" in str(problem)


def test_example_office_parses(repo_dir: Path):
    stations = load_station_file(repo_dir / "schedules" / "example.toml")
    by_code = {s.code: s for s in stations}
    communes = [s for s in stations if s.kind.value == "commune"]
    assert len(communes) >= 4
    assert sum(1 for s in stations if s.is_office) == 1
    relays = [b for s in by_code["XA-DAKSAK"].clock.sessions for b in s.fixed_blocks]
    assert [(b.kind, b.start) for b in relays] == [
        (BlockKind.RELAY, time(6)),
        (BlockKind.RELAY, time(18)),
    ]
    assert any(s.start == time(11) for s in by_code["XA-DAKMIL"].clock.sessions)
    assert all(s.days == frozenset(range(5)) for s in by_code["XA-DUCMANH"].clock.sessions)
    assert by_code["XA-THUANAN"].clock.sessions is None  # inherits the office's clock
    assert by_code["XA-DAKSAK"].clock.sessions[0].length == timedelta(minutes=60)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "tệp trống"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "tệp nhị phân"),
        ("code = 'Xã'".encode("utf-16-le"), "tệp nhị phân"),  # UTF-16 without its mark
        (b"\xff\xfe\x41", "được đánh dấu là UTF-16 nhưng không đọc được theo dạng đó"),
        ("[[station]]\nname = 'Đà Lạt'".encode("cp1258", errors="replace"), "không phải UTF-8"),
    ],
)
def test_bad_files_get_one_clear_error(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected) as info:
        load_station_file(path)
    assert str(path) in str(info.value)


def test_a_station_file_saved_as_utf16_by_notepad_reads_the_same(tmp_path: Path, repo_dir: Path):
    example = repo_dir / "schedules" / "example.toml"
    utf16 = tmp_path / "example-utf16.toml"
    utf16.write_bytes(example.read_text(encoding="utf-8").encode("utf-16"))  # with a BOM
    assert load_station_file(utf16) == load_station_file(example)


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="không đọc được"):
        load_station_file(tmp_path / "nope.toml")


def test_days_in_vietnamese_and_lists():
    text = """\
[[station]]
code = "A"
name = "Xã A"
kind = "commune"
[[station.session]]
days = "T2-T6"
start = "06:00"
minutes = 20
[[station.session]]
days = ["sat", "sun"]
start = "07:00"
minutes = 20
"""
    (station,) = parse_station_toml(text)
    assert [s.days for s in station.clock.sessions] == [frozenset(range(5)), frozenset({5, 6})]


TARGETS = """\
[[station]]
code = "KV"
name = "Trung tâm khu vực"
kind = "region"
office = true
targets = { normal = 2, priority = 6 }

[[station.session]]
start = "05:30"
minutes = 30

[[station]]
code = "XA-A"
name = "Xã A"
kind = "commune"
parent = "KV"
targets = { normal = 1 }

[[station]]
code = "XA-A-L1"
name = "Cụm loa thôn 1"
kind = "cluster"
parent = "XA-A"

[[station]]
code = "XA-B"
name = "Xã B"
kind = "commune"
parent = "KV"
"""


def test_station_targets_are_inherited_priority_by_priority() -> None:
    from broadcaster.domain.stations import StationTargets, StationTree

    stations = parse_station_toml(TARGETS, "targets.toml")
    by_code = {s.code: s for s in stations}
    assert by_code["KV"].targets == StationTargets(normal=2, priority=6)
    assert by_code["XA-A"].targets == StationTargets(normal=1)  # only what it sets
    assert by_code["XA-B"].targets == StationTargets()
    tree = StationTree(stations)
    assert tree.targets("XA-A") == StationTargets(normal=1, priority=6)
    assert tree.targets("XA-A-L1") == StationTargets(normal=1, priority=6)
    assert tree.targets("XA-B") == StationTargets(normal=2, priority=6)


def test_the_example_sets_a_target_for_the_weekday_commune(repo_dir: Path) -> None:
    from broadcaster.domain.items import Priority
    from broadcaster.domain.stations import StationTree

    tree = StationTree(load_station_file(repo_dir / "schedules" / "example.toml"))
    assert tree.targets("XA-DUCMANH").by_priority() == {Priority.NORMAL: 2}
    assert tree.targets("XA-DUCMANH-L2").by_priority() == {Priority.NORMAL: 2}
    assert tree.targets("XA-DAKMIL").by_priority() == {}


BAD_TARGETS = """\
[[station]]
code = "KV"
name = "Trung tâm khu vực"
kind = "region"
office = true

[[station]]
code = "XA-A"
name = "Xã A"
kind = "commune"
parent = "KV"
targets = { normal = -1, urgent = 2, priority = "5" }

[[station]]
code = "XA-B"
name = "Xã B"
kind = "commune"
parent = "KV"
targets = { emergency = 1, normal = 2.5 }

[[station]]
code = "XA-C"
name = "Xã C"
kind = "commune"
parent = "KV"
targets = 3
"""


def test_bad_station_targets_are_reported_on_their_line() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_station_toml(BAD_TARGETS, "targets.toml")
    assert [str(p) for p in info.value.problems] == [
        "targets.toml:12 (station[1].targets): targets.normal phải là số nguyên lượt phát mỗi "
        "tuần từ 0 đến 50, nhưng nhận được -1",
        "targets.toml:12 (station[1].targets): targets.urgent: không có mức ưu tiên này; "
        "dùng normal hoặc priority",
        "targets.toml:12 (station[1].targets): targets.priority phải là số nguyên lượt phát mỗi "
        "tuần từ 0 đến 50, nhưng nhận được '5'",
        "targets.toml:19 (station[2].targets): targets.emergency: bản tin khẩn cấp không xếp "
        "lịch mà được gửi đi ('broadcaster emergency send'); hãy bỏ dòng này",
        "targets.toml:19 (station[2].targets): targets.normal phải là số nguyên lượt phát mỗi "
        "tuần từ 0 đến 50, nhưng nhận được 2.5",
        "targets.toml:26 (station[3].targets): 'targets' phải là một bảng, nhưng nhận được 3; "
        "viết như targets = { normal = 2, priority = 5 }",
    ]
