"""broadcaster emergency send | list | show."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from broadcaster.audio.ffmpeg import probe_duration_ms
from tests.lead_in import seed_lead_in

REPO = Path(__file__).resolve().parents[2]
TEXT = "Thông báo khẩn: mưa lớn có thể gây lũ quét. Bà con không đi qua suối, ngầm, tràn."


@pytest.fixture
def office(cli):
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    seed_lead_in(Path(cli.env["BROADCASTER_AUDIO_DIR"]))
    return cli


def test_send_a_spoken_bulletin_to_every_station_and_follow_it(office, tmp_path: Path) -> None:
    sent = office(
        "emergency",
        "send",
        "--office",
        "KV-DAKMIL",
        "--title",
        "Cảnh báo lũ quét",
        "--text",
        TEXT,
        "--repeat",
        "2",
        "--follow",
        "--timeout",
        "0",
    )
    assert sent.exit_code == 0, sent.stderr
    out = " ".join(sent.stdout.split())
    assert "đã gửi bản tin khẩn cấp #1 «Cảnh báo lũ quét»" in out
    assert "tới 4 đài: XA-DAKMIL, XA-DUCMANH, XA-DAKSAK, XA-THUANAN" in out
    assert "phát hiệu lệnh và lời dẫn ngay" in out
    assert "nội dung sẵn sàng" in out and "phát 2 lần sau lời dẫn" in out
    # following it: nobody has received it (no agent runs here)
    assert "0/4 đài đã nhận, 0/4 đã phát" in out
    # the lead-in and the spoken body are real audio in the cache the API serves from
    shown = office("emergency", "show", "1")
    assert shown.exit_code == 0
    assert "0/4 đài đã nhận" in " ".join(shown.stdout.split())
    assert shown.stdout.count("chưa") == 4
    from broadcaster.db import Database

    db = Database(office.env["BROADCASTER_DATABASE_URL"])
    with db.unit_of_work() as uow:
        e = uow.emergencies.get(1)
    db.dispose()
    cache = tmp_path / "audio" / "cache"
    body = probe_duration_ms(next(cache.rglob(f"{e.audio_hash}.mp3")))
    lead = probe_duration_ms(next(cache.rglob(f"{e.lead_in_hash}.mp3")))
    assert 3_000 < body < 30_000 and 2_500 < lead < 8_000

    listed = office("emergency", "list", "--office", "KV-DAKMIL")
    assert "Cảnh báo lũ quét" in listed.stdout and "0/4" in listed.stdout


def test_cancel_and_correct_a_bulletin(office) -> None:
    assert (
        office(
            "emergency", "send", "--office", "KV-DAKMIL", "--title", "Lũ", "--text", TEXT
        ).exit_code
        == 0
    )
    fixed = office(
        "emergency", "correct", "1", "--text", TEXT + " Đính chính: thôn 4.", "--no-follow"
    )
    assert fixed.exit_code == 0, fixed.stderr
    assert "bản tin #1 đã được thay bằng bản đính chính #2" in fixed.stdout
    old = " ".join(office("emergency", "show", "1").stdout.split())
    assert "đã hủy lúc" in old and "đính chính bằng bản tin #2" in old
    assert "đính chính bản tin #1" in office("emergency", "show", "2").stdout
    gone = office("emergency", "cancel", "2", "--reason", "đã hết nguy hiểm")
    assert gone.exit_code == 0 and "đã hủy bản tin khẩn cấp #2 «Lũ»" in gone.stdout
    assert "đã hết nguy hiểm" in office("emergency", "show", "2").stdout
    again = office("emergency", "cancel", "2")
    assert again.exit_code == 0  # cancelling twice keeps the first cancel
    assert "đã hết nguy hiểm" in office("emergency", "show", "2").stdout
    missing = office("emergency", "cancel", "99")
    assert missing.exit_code == 1 and "không có bản tin khẩn cấp mã 99" in missing.stderr


def test_a_recorded_bulletin_to_chosen_stations(office, tmp_path: Path) -> None:
    wav = tmp_path / "ghi-am.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=500:duration=3",
            str(wav),
        ],
        check=True,
    )
    sent = office(
        "emergency",
        "send",
        "--office",
        "KV-DAKMIL",
        "--title",
        "Cháy rừng",
        "--audio",
        str(wav),
        "--stations",
        "XA-DAKSAK",
    )
    assert sent.exit_code == 0, sent.stderr
    assert "tới 1 đài: XA-DAKSAK" in " ".join(sent.stdout.split())


def test_bad_bulletins_are_refused_with_one_line(office, tmp_path: Path) -> None:
    def refuse(*args: str) -> str:
        r = office("emergency", "send", "--office", "KV-DAKMIL", *args)
        assert r.exit_code != 0
        assert "Traceback" not in r.stderr
        return " ".join(r.stderr.split())

    assert "chỉ một trong hai" in refuse("--title", "x")
    assert "chỉ một trong hai" in refuse("--title", "x", "--text", "   ")
    assert "XA-NOWHERE không thuộc các đài phát sóng dưới KV-DAKMIL" in refuse(
        "--title", "x", "--text", TEXT, "--stations", "XA-NOWHERE"
    )
    # punctuation alone is refused before anything is sent: no lead-in without words after it
    assert "không có chữ nào để đọc" in refuse("--title", "x", "--text", "… !!! —")
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"\x00not audio" * 100)
    assert "junk.mp3" in refuse("--title", "x", "--audio", str(junk))
    assert "không có đài 'NOWHERE'" in " ".join(
        office(
            "emergency", "send", "--office", "NOWHERE", "--title", "x", "--text", TEXT
        ).stderr.split()
    )
    assert office("emergency", "show", "99").exit_code == 1
    assert "chưa có bản tin khẩn cấp nào" in office("emergency", "list").stdout
