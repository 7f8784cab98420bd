"""``broadcaster speech`` and ``broadcaster segments`` as a user types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcaster.db import Database
from broadcaster.speech.engines import EspeakEngine, Synthesis
from tests.audio.tones import tone
from tests.conftest import Cli
from tests.databases import migrated_database
from tests.speech.helpers import add_items, no_network

__all__ = ["no_network"]

pytestmark = pytest.mark.usefixtures("no_network")

OFFLINE = {"BROADCASTER_SPEECH_ENGINE": "espeak-ng"}


@pytest.fixture
def database(sqlite_url: str) -> Database:
    db = migrated_database(sqlite_url)
    return db


@pytest.fixture
def espeak_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the real espeak-ng is asked to speak."""
    calls: list[str] = []
    real = EspeakEngine.synthesize

    def counting(self: EspeakEngine, text: str, out: Path) -> Synthesis:
        calls.append(text)
        return real(self, text, out)

    monkeypatch.setattr(EspeakEngine, "synthesize", counting)
    return calls


def test_normalize_prints_one_line(cli: Cli) -> None:
    result = cli("speech", "normalize", "Phát lúc 17h30 tại 8/8 huyện")
    assert result.exit_code == 0
    assert result.stdout == "Phát lúc mười bảy giờ ba mươi phút tại tám trên tám huyện\n"


def test_normalize_reads_stdin_line_by_line(cli: Cli) -> None:
    result = cli("speech", "normalize", "-", input="UBND xã\n\ngiảm 65,4%\n")
    assert result.exit_code == 0
    assert result.stdout.split("\n")[:3] == [
        "Ủy ban nhân dân xã",
        "",
        "giảm sáu mươi lăm phẩy bốn phần trăm",
    ]
    assert result.stdout.count("\n") == 3


def test_normalize_dialect_option(cli: Cli) -> None:
    result = cli("speech", "normalize", "--dialect", "south", "1.005 người")
    assert "ngàn" in result.stdout and "lẻ" in result.stdout


def test_engines_shows_what_is_usable_offline(cli: Cli) -> None:
    result = cli("speech", "engines")
    assert result.exit_code == 0
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "│ có " in lines["espeak-ng"]
    assert "│ không " in lines["gtts"] and "không kết nối được" in lines["gtts"]
    assert "auto (đang chọn)" in lines


def test_a_second_synth_all_approved_synthesises_nothing(
    cli: Cli, database: Database, espeak_calls: list[str]
) -> None:
    add_items(
        database, "Xã thông báo lịch tiêm chủng ngày 15/5.", "Phát lúc 17h30 tại nhà văn hóa."
    )

    first = cli("speech", "synth", "--all-approved", env=OFFLINE)
    assert first.exit_code == 0, first.stderr
    assert "2 mục đã có âm thanh: 2 vừa tổng hợp (2 espeak-ng), 0 lấy từ bộ nhớ đệm" in first.stdout
    assert len(espeak_calls) == 2
    # The engine gets normalised text; items may be synthesised in parallel, in any order.
    assert any("mười lăm tháng năm" in call for call in espeak_calls), espeak_calls
    assert any("mười bảy giờ ba mươi phút" in call for call in espeak_calls), espeak_calls

    second = cli("speech", "synth", "--all-approved", env=OFFLINE)
    assert second.exit_code == 0
    assert "2 mục đã có âm thanh: 0 vừa tổng hợp, 2 lấy từ bộ nhớ đệm" in second.stdout
    assert len(espeak_calls) == 2

    listing = cli("segments", "list")
    assert listing.stdout.count("espeak-ng/vi") == 2


def test_synth_reports_items_it_could_not_read(cli: Cli, database: Database) -> None:
    good, empty = add_items(database, "Xin chào bà con.", "")
    result = cli("speech", "synth", str(good.id), str(empty.id), env=OFFLINE)
    assert result.exit_code == 1
    assert "1 mục đã có âm thanh" in result.stdout
    assert f"mục {empty.id} (Tin số 2) chưa có lời đọc" in result.stderr
    assert result.stderr.startswith("lỗi: 1 mục chưa có âm thanh (1 mục khác đã xong)")


def test_synth_of_an_unknown_item_is_an_error(cli: Cli, database: Database) -> None:
    result = cli("speech", "synth", "77", env=OFFLINE)
    assert result.exit_code == 1
    assert result.stderr == "lỗi: không có mục 77; xem 'broadcaster items list'\n"


def test_synth_text_writes_the_mp3_where_asked(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "thong-bao.mp3"
    result = cli("speech", "synth", "--text", "Xin chào bà con.", "--out", str(out), env=OFFLINE)
    assert result.exit_code == 0, result.stderr
    assert "vừa tổng hợp" in result.stdout and str(out) in result.stdout
    assert out.stat().st_size > 1000


def test_synth_text_of_punctuation_only_is_refused(cli: Cli) -> None:
    result = cli("speech", "synth", "--text", "!!! ...", env=OFFLINE)
    assert result.exit_code == 1
    assert "văn bản không có chữ nào để đọc" in result.stderr


def test_synth_needs_exactly_one_kind_of_input(cli: Cli) -> None:
    assert cli("speech", "synth").exit_code == 2
    assert cli("speech", "synth", "1", "--all-approved").exit_code == 2
    both = cli("speech", "synth", "1", "--out", "x.mp3")
    assert both.exit_code == 2 and "--out chỉ dùng với --text" in both.stderr


def test_gtts_only_offline_is_a_clear_error(cli: Cli) -> None:
    env = {"BROADCASTER_SPEECH_ENGINE": "gtts", "BROADCASTER_SPEECH_GTTS_RETRIES": "0"}
    result = cli("speech", "synth", "--text", "Xin chào.", env=env)
    assert result.exit_code == 1
    assert "Google TTS" in result.stderr and "--engine espeak-ng" in result.stderr


def test_a_bad_speech_setting_names_the_setting(cli: Cli) -> None:
    result = cli("speech", "synth", "--text", "x", env={"BROADCASTER_SPEECH_CHIME": "loud"})
    assert result.exit_code == 1
    assert (
        "[speech] chime = 'loud' không thuộc các giá trị: none, before, after, both"
        in result.stderr
    )


def test_cache_stats_and_prune(cli: Cli, database: Database) -> None:
    add_items(database, "Xin chào bà con.")
    assert cli("speech", "synth", "--all-approved", env=OFFLINE).exit_code == 0
    assert cli("speech", "synth", "--text", "Một câu thử.", env=OFFLINE).exit_code == 0

    stats = cli("speech", "cache", "stats")
    assert "2 tệp," in stats.stdout
    assert "1 tệp không được âm thanh phát nào dùng" in stats.stdout

    assert "sẽ xóa 1 tệp" in cli("speech", "cache", "prune", "--dry-run").stdout
    pruned = cli("speech", "cache", "prune")
    assert "đã xóa 1 tệp" in pruned.stdout and "giữ lại 1 tệp đang dùng" in pruned.stdout
    assert "1 tệp," in cli("speech", "cache", "stats").stdout


def test_segments_add_registers_a_recording(cli: Cli, database: Database, tmp_path: Path) -> None:
    (item,) = add_items(database, "Xin chào.")
    recording = tone(tmp_path / "nhac-hieu.wav", seconds=3, dbfs=-25)

    result = cli("segments", "add", str(recording), "--item", str(item.id))

    assert result.exit_code == 0, result.stderr
    assert f"(mục {item.id}): 0:03" in result.stdout
    listing = cli("segments", "list", "--item", str(item.id))
    assert "bản ghi âm" in listing.stdout and "nhac-hieu.wav" in listing.stdout


def test_segments_add_refuses_a_file_ffmpeg_cannot_decode(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    (item,) = add_items(database, "Xin chào.")
    bad = tmp_path / "hong.wav"
    bad.write_bytes(b"RIFF....not really a wave file" * 20)

    result = cli("segments", "add", str(bad), "--item", str(item.id))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"lỗi: {bad}: ffmpeg không giải mã được")
    assert "chưa có âm thanh nào" in cli("segments", "list").stdout


def test_the_demo_step_synthesises_approved_items_offline(
    sqlite_url: str, database: Database, tmp_path: Path, espeak_calls: list[str]
) -> None:
    from rich.console import Console

    from broadcaster.cli import App
    from broadcaster.config import load_settings
    from broadcaster.demo import DemoRun
    from broadcaster.demo.stations import step_speech

    add_items(database, "Xin chào bà con.", "Phát lúc 17h30.")
    add_items(database, "Bản nháp chưa duyệt.", approved=False)
    settings = load_settings(
        env={"BROADCASTER_DATA_DIR": str(tmp_path / "d"), "BROADCASTER_CONFIG": ""},
        database_url=sqlite_url,
    )
    console = Console(record=True, width=120)
    app = App(settings=settings, console=console)
    run = DemoRun(app=app, out=tmp_path, stations_file=tmp_path / "unused.toml")
    try:
        step_speech(run)
    finally:
        app.close()

    assert len(espeak_calls) == 2
    assert "2 tin, bài trong" in console.export_text()
    assert len(run.notes["segments"]) == 2  # type: ignore[arg-type]
