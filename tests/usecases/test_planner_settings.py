"""The [planner] section: defaults, the TOML file and environment, and bad values named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from broadcaster.config import Settings, load_settings
from broadcaster.domain.errors import ConfigError
from broadcaster.domain.items import DEFAULT_TARGETS, Priority
from broadcaster.domain.planning import EntryKind
from broadcaster.usecases.planner_settings import PlannerConfig, planner_config, planner_settings


def _settings(tmp_path: Path, toml: str, env: dict[str, str] | None = None) -> Settings:
    cfg = tmp_path / "broadcaster.toml"
    cfg.write_text(toml, encoding="utf-8")
    return load_settings(cfg, {"HOME": str(tmp_path), **(env or {})})


def test_defaults_match_the_planner_defaults(tmp_path: Path) -> None:
    config = planner_config(load_settings(env={"HOME": str(tmp_path)}))
    assert config == PlannerConfig()
    ps = config.planner_settings()
    assert ps.default_targets[Priority.NORMAL] == DEFAULT_TARGETS[Priority.NORMAL] == 3
    assert ps.default_targets[Priority.PRIORITY] == DEFAULT_TARGETS[Priority.PRIORITY] == 5
    assert ps.announcement_gap == timedelta(seconds=5) and ps.gap_kind is EntryKind.CHIME
    assert (ps.observance_window_days, ps.observance_boost) == (3, 2.0)
    assert ps.station_targets == {}


def test_file_then_environment_set_the_planner(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        '[planner]\ntarget_normal = 2\ntarget_priority = 7\ngap = "station_id"\n'
        "gap_seconds = 8\nobservance_window_days = 5\n",
        {"BROADCASTER_PLANNER_TARGET_NORMAL": "4", "BROADCASTER_PLANNER_OBSERVANCE_BOOST": "3"},
    )
    ps = planner_settings(settings, {"XA-A": {Priority.NORMAL: 1}})
    assert ps.default_targets[Priority.NORMAL] == 4  # the environment wins over the file
    assert ps.default_targets[Priority.PRIORITY] == 7
    assert ps.announcement_gap == timedelta(seconds=8)
    assert ps.gap_kind is EntryKind.STATION_ID and ps.gap_title == "Nhạc hiệu đài"
    assert (ps.observance_window_days, ps.observance_boost) == (5, 3.0)
    assert ps.station_targets == {"XA-A": {Priority.NORMAL: 1}}


def test_gap_none_leaves_no_room_between_announcements(tmp_path: Path) -> None:
    ps = planner_settings(_settings(tmp_path, '[planner]\ngap = "none"\n'))
    assert ps.announcement_gap == timedelta()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "target_normal = -1",
            "[planner] target_normal = -1 nằm ngoài khoảng cho phép; dùng từ 0 đến 50",
        ),
        (
            "target_priority = 51",
            "[planner] target_priority = 51 nằm ngoài khoảng cho phép; dùng từ 0 đến 50",
        ),
        (
            'gap = "bell"',
            "[planner] gap = 'bell' không thuộc các giá trị: chime, station_id, none",
        ),
        (
            "gap_seconds = 600",
            "[planner] gap_seconds = 600.0 nằm ngoài khoảng cho phép; dùng từ 0 đến 120",
        ),
        ("observance_boost = 0.5", "[planner] observance_boost = 0.5 nằm ngoài khoảng cho phép"),
        (
            "observance_window_days = 40",
            "[planner] observance_window_days = 40 nằm ngoài khoảng cho phép",
        ),
        (
            'target_normal = "three"',
            "[planner] target_normal: 'three' không phải giá trị int hợp lệ",
        ),
        ("targets = 3", "không có thiết lập planner.targets; các thiết lập trong [planner]:"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, toml: str, message: str) -> None:
    settings = _settings(tmp_path, f"[planner]\n{toml}\n")
    with pytest.raises(ConfigError) as info:
        planner_config(settings)
    assert message in str(info.value)
    assert str(settings.config_file) in str(info.value)  # the file to fix is named
