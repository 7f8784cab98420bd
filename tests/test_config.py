"""Configuration layers: defaults → TOML file → BROADCASTER_* environment → flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from broadcaster.config import load_settings
from broadcaster.domain import ConfigError


@dataclass(frozen=True)
class Speech:
    engine: str = "auto"
    bitrate_kbps: int = 64
    chime: bool = False
    target_lufs: float = -16.0


def test_defaults(tmp_path: Path):
    s = load_settings(env={"HOME": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path}/.local/share/broadcaster/broadcaster.db"
    assert s.section("speech", Speech) == Speech()


def test_each_layer_overrides_the_one_before(tmp_path: Path):
    cfg = tmp_path / "b.toml"
    cfg.write_text(
        '[broadcaster]\ndatabase_url = "sqlite:///from-file.db"\n[speech]\nengine = "espeak"\nbitrate_kbps = 96\nchime = true\n',
        encoding="utf-8",
    )
    env = {"HOME": str(tmp_path), "BROADCASTER_SPEECH_BITRATE_KBPS": "128"}
    s = load_settings(cfg, env)
    assert s.database_url == "sqlite:///from-file.db"
    speech = s.section("speech", Speech)
    assert (speech.engine, speech.bitrate_kbps, speech.chime) == ("espeak", 128, True)
    assert s.section("speech", Speech, engine="gtts").engine == "gtts"
    env["BROADCASTER_DATABASE_URL"] = "sqlite:///from-env.db"
    assert load_settings(cfg, env).database_url == "sqlite:///from-env.db"
    assert (
        load_settings(cfg, env, database_url="sqlite:///flag.db").database_url
        == "sqlite:///flag.db"
    )


def test_mistakes_in_the_config_are_named(tmp_path: Path):
    cfg = tmp_path / "b.toml"
    cfg.write_text("[speech]\nbitrat_kbps = 96\n", encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"không có thiết lập speech.bitrat_kbps; các thiết lập trong \[speech\]",
    ):
        load_settings(cfg, {"HOME": str(tmp_path)}).section("speech", Speech)
    env = {"HOME": str(tmp_path), "BROADCASTER_SPEECH_BITRATE_KBPS": "fast"}
    with pytest.raises(
        ConfigError, match="BROADCASTER_SPEECH_BITRATE_KBPS: 'fast' không phải giá trị int hợp lệ"
    ):
        load_settings(None, env).section("speech", Speech)
    cfg.write_text("[speech\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="không phải TOML hợp lệ"):
        load_settings(cfg, {"HOME": str(tmp_path)})
    with pytest.raises(ConfigError, match="không tồn tại"):
        load_settings(tmp_path / "nope.toml", {"HOME": str(tmp_path)})


def test_cli_reports_config_errors_in_one_line(cli, tmp_path: Path):
    cfg = tmp_path / "b.toml"
    cfg.write_text("[broadcaster]\ndatabse_url = 1\n", encoding="utf-8")
    result = cli("--config", str(cfg), "stations", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lỗi: {cfg}: không có thiết lập broadcaster.databse_url; "
        "các thiết lập hiện có: audio_dir, data_dir, database_url, timezone\n"
    )
    english = cli("--lang", "en", "--config", str(cfg), "stations", "list")
    assert english.exit_code == 1
    assert english.stderr == (
        f"error: {cfg}: unknown setting broadcaster.databse_url; "
        "known: audio_dir, data_dir, database_url, timezone\n"
    )
