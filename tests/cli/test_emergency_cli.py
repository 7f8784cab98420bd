"""broadcaster emergency send | list | show."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from broadcaster.audio.ffmpeg import probe_duration_ms

REPO = Path(__file__).resolve().parents[2]
TEXT = "Thông báo khẩn: mưa lớn có thể gây lũ quét. Bà con không đi qua suối, ngầm, tràn."


@pytest.fixture
def office(cli):
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
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
    )
    assert sent.exit_code == 0, sent.stderr
    out = " ".join(sent.stdout.split())
    assert "đã gửi bản tin khẩn cấp #1 «Cảnh báo lũ quét»" in out
    assert "phát 2 lần" in out
    assert "tới 4 đài: XA-DAKMIL, XA-DUCMANH, XA-DAKSAK, XA-THUANAN" in out
    # the spoken audio is real and in the cache the API serves from
    (mp3,) = (tmp_path / "audio" / "cache").glob("*.mp3")
    assert 3_000 < probe_duration_ms(mp3) < 30_000

    listed = office("emergency", "list", "--office", "KV-DAKMIL")
    assert "Cảnh báo lũ quét" in listed.stdout and "0/4" in listed.stdout
    shown = office("emergency", "show", "1")
    assert shown.exit_code == 0
    assert "0/4 đài đã nhận" in " ".join(shown.stdout.split())
    assert shown.stdout.count("chưa") == 4


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

    assert "one of them" in refuse("--title", "x")
    assert "one of them" in refuse("--title", "x", "--text", "   ")
    assert "XA-NOWHERE not among the stations" in refuse(
        "--title", "x", "--text", TEXT, "--stations", "XA-NOWHERE"
    )
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"\x00not audio" * 100)
    assert "junk.mp3" in refuse("--title", "x", "--audio", str(junk))
    assert "unknown station" in " ".join(
        office(
            "emergency", "send", "--office", "NOWHERE", "--title", "x", "--text", TEXT
        ).stderr.split()
    )
    assert office("emergency", "show", "99").exit_code == 1
    assert "no emergency bulletins yet" in office("emergency", "list").stdout
