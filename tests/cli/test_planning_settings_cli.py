"""Station targets, the [planner] section and `items set` as they reach `plan week`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import Cli

REPO = Path(__file__).resolve().parents[2]
GUIDANCE = REPO / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"
NOW = datetime(2026, 5, 15, 2, 30, tzinfo=UTC)


@pytest.fixture
def office(cli: Cli) -> Cli:
    cli.at(NOW)
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    assert cli("directive", "import", str(GUIDANCE)).exit_code == 0
    assert cli("items", "approve", "1", "2", "3", "--by", "Lê Văn Thành").exit_code == 0
    return cli


def _airings(cli: Cli, env: dict[str, str] | None = None) -> dict[str, dict[int, int]]:
    result = cli("plan", "week", "--office", "KV-DAKMIL", "--week", "2026-W21", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    out: dict[str, dict[int, int]] = {}
    for st in json.loads(result.stdout)["stations"]:
        counts = out.setdefault(st["code"], {})
        for s in st["sessions"]:
            for e in s["entries"]:
                if e["item_id"] is not None:
                    counts[e["item_id"]] = counts.get(e["item_id"], 0) + 1
    return out


def test_stations_show_gives_own_inherited_and_default_targets(office: Cli) -> None:
    own = office("stations", "show", "XA-DUCMANH").stdout
    assert "chỉ tiêu mỗi mục: thông thường 2, ưu tiên 5 lượt/tuần (riêng của đài, còn lại " in own
    cluster = office("stations", "show", "XA-DUCMANH-L1").stdout
    assert "kế thừa từ Đài truyền thanh xã Đức Mạnh (XA-DUCMANH)" in cluster
    other = office(
        "stations", "show", "XA-DAKMIL", env={"BROADCASTER_PLANNER_TARGET_PRIORITY": "6"}
    )
    assert "chỉ tiêu mỗi mục: thông thường 3, ưu tiên 6 lượt/tuần (mặc định [planner])" in (
        other.stdout
    )


def test_plan_week_uses_station_targets_planner_settings_and_item_targets(office: Cli) -> None:
    plan = _airings(office)
    assert plan["XA-DUCMANH"][1] == 2 and plan["XA-DAKMIL"][1] == 3

    lower = _airings(office, env={"BROADCASTER_PLANNER_TARGET_NORMAL": "1"})
    assert lower["XA-DAKMIL"][1] == 1 and lower["XA-DUCMANH"][1] == 2  # the station's own wins

    assert office("items", "set", "1", "--target", "4", "--stations", "XA-DUCMANH").exit_code == 0
    plan = _airings(office)
    assert plan["XA-DUCMANH"][1] == 4
    assert 1 not in plan["XA-DAKMIL"]


def test_a_bad_planner_setting_stops_plan_week(office: Cli) -> None:
    result = office(
        "plan",
        "week",
        "--office",
        "KV-DAKMIL",
        "--week",
        "2026-W21",
        env={"BROADCASTER_PLANNER_GAP": "bell"},
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "lỗi: [planner] gap = 'bell' không thuộc các giá trị: chime, station_id, none "
        "(giá trị lấy từ: BROADCASTER_PLANNER_GAP)\n"
    )
