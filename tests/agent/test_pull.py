"""pull: playlists and audio into the station folder — ETag skips, resume, verification, USB."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from broadcaster.agent.client import StationClient
from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.pull import pull_from_server
from broadcaster.agent.store import LocalStore
from broadcaster.cli import main
from broadcaster.clock import SystemClock
from broadcaster.domain.distribution import AuthError, Scope

from .conftest import Station
from .helpers import TZ, compressed_schedule, playlist_doc


def _schedule(st: Station, hours: float = 1.0):
    first = SystemClock().now() + timedelta(hours=hours)
    entries = compressed_schedule(
        st.office.settings.audio_cache_dir,
        st.tones,
        first=first,
        every=60,
        count=3,
        duration_ms=1000,
    )
    st.source.put_entries("XA-DAKMIL", entries)
    return entries


def _pull(st: Station, folder: Path, *extra: str, token: str | None = None):
    runner = CliRunner(mix_stderr=False)
    return runner.invoke(
        main,
        [
            "pull",
            "--station",
            "XA-DAKMIL",
            "--server",
            st.server.url,
            "--folder",
            str(folder),
            *extra,
        ],
        env={
            "BROADCASTER_AGENT_TOKEN": token or st.office.token("XA-DAKMIL"),
            "BROADCASTER_CONFIG": "",
            "HOME": str(st.tmp),
        },
        catch_exceptions=False,
    )


def test_pull_fetches_playlists_and_audio_then_skips_what_is_current(station: Station, tmp_path):
    entries = _schedule(station)
    folder = tmp_path / "st"
    r = _pull(station, folder)
    assert r.exit_code == 0, r.stderr
    assert "âm thanh: đã tải 3 tệp" in r.stdout
    day = entries[0].start.astimezone(TZ).date()
    assert json.loads((folder / "playlists" / f"{day}.json").read_text())["date"] == str(day)
    for e in entries:
        f = LocalFolder(folder).audio_path(e.audio_hash)
        assert f is not None and hashlib.sha256(f.read_bytes()).hexdigest() == e.sha256
    assert not list(folder.rglob("*.part")) and not list(folder.rglob("*.tmp"))
    again = _pull(station, folder)
    assert again.exit_code == 0
    assert "không đổi" in again.stdout and "đã tải 0 tệp" in again.stdout


def _client(st: Station, token: str | None = None) -> StationClient:
    return StationClient(st.server.url, token or st.office.token("XA-DAKMIL"), "XA-DAKMIL")


def test_an_interrupted_download_resumes_where_it_stopped(station: Station, tmp_path):
    entries = _schedule(station)
    folder = LocalFolder(tmp_path / "st").ensure()
    data = station.tones[0]
    part = folder.audio_target(entries[0].audio_hash).with_name(
        folder.audio_target(entries[0].audio_hash).name + ".part"
    )
    part.write_bytes(data[: len(data) // 2])
    store = LocalStore(folder.state_db)
    with _client(station) as client:
        report = pull_from_server(
            client, folder, store, today=entries[0].start.astimezone(TZ).date()
        )
    store.close()
    assert report.ok
    assert folder.audio_path(entries[0].audio_hash).read_bytes() == data
    # the first file only needed its second half
    full = sum(len(station.tones[i]) for i in range(3))
    assert report.bytes_fetched == full - len(data) // 2


def test_a_damaged_partial_file_is_detected_and_fetched_anew(station: Station, tmp_path):
    entries = _schedule(station)
    folder = LocalFolder(tmp_path / "st").ensure()
    target = folder.audio_target(entries[0].audio_hash)
    part = target.with_name(target.name + ".part")
    part.write_bytes(b"\x00" * 100)  # not the first 100 bytes of the file
    store = LocalStore(folder.state_db)
    today = entries[0].start.astimezone(TZ).date()
    with _client(station) as client:
        first = pull_from_server(client, folder, store, today=today)
        assert len(first.failures) == 1 and "tải về bị hỏng" in first.failures[0]
        assert folder.audio_path(entries[0].audio_hash) is None and not part.exists()
        second = pull_from_server(client, folder, store, today=today)
    store.close()
    assert second.ok and folder.audio_path(entries[0].audio_hash).read_bytes() == station.tones[0]


def test_a_revoked_or_foreign_token_gets_a_clear_refusal(station: Station, tmp_path):
    _schedule(station)
    other = station.office.token("XA-DUCMANH")
    folder = LocalFolder(tmp_path / "st").ensure()
    store = LocalStore(folder.state_db)
    with _client(station, other) as client, pytest.raises(Exception) as err:
        pull_from_server(client, folder, store, today=SystemClock().now().date())
    store.close()
    assert "không được truy cập đài XA-DAKMIL" in str(err.value)
    r = _pull(station, tmp_path / "x", token="bct_wrong")
    assert r.exit_code == 1 and "máy chủ từ chối mã truy cập" in r.stderr
    with pytest.raises(AuthError):
        StationClient(station.server.url, "", "XA-DAKMIL")
    assert Scope.STATION  # the office tokens are covered in tests/api


def _usb_export(station: Station, tmp_path: Path):
    """An exported folder (as on a USB stick) with one day's playlist and its audio."""
    entries = _schedule(station)
    day = entries[0].start.astimezone(TZ).date()
    usb = tmp_path / "usb" / "XA-DAKMIL"
    (usb / "audio").mkdir(parents=True)
    doc = playlist_doc("XA-DAKMIL", day, entries)
    for e, entry in zip(entries, doc["sessions"][0]["entries"], strict=True):
        src = next(station.office.settings.audio_cache_dir.glob(f"{e.audio_hash}.*"))
        shutil.copy(src, usb / "audio" / src.name)
        entry["audio"]["path"] = f"audio/{src.name}"
    (usb / f"{day}.json").write_text(json.dumps(doc, ensure_ascii=False))
    return entries, day, usb


def test_pull_reads_an_exported_usb_folder(station: Station, tmp_path):
    entries, day, usb = _usb_export(station, tmp_path)
    folder = tmp_path / "st"
    r = _pull(station, folder, "--from-folder", str(tmp_path / "usb"))
    assert r.exit_code == 0, r.stderr
    assert (folder / "playlists" / f"{day}.json").is_file()
    assert all(LocalFolder(folder).audio_path(e.audio_hash) for e in entries)
    # a damaged file on the stick is refused, never copied in
    (folder / "audio").joinpath(f"{entries[0].audio_hash}.mp3").unlink()
    (usb / "audio" / f"{entries[0].audio_hash}.mp3").write_bytes(b"broken")
    r = _pull(station, folder, "--from-folder", str(tmp_path / "usb"))
    assert r.exit_code == 1 and "bị hỏng (SHA-256 không khớp với danh mục phát)" in r.stderr
    assert LocalFolder(folder).audio_path(entries[0].audio_hash) is None


def test_a_stick_with_only_past_playlists_or_a_damaged_one_says_so(station: Station, tmp_path):
    from broadcaster.agent.pull import pull_from_folder
    from broadcaster.domain.errors import InputError

    _, day, usb = _usb_export(station, tmp_path)
    folder = LocalFolder(tmp_path / "st")

    with pytest.raises(InputError) as err:
        pull_from_folder(tmp_path / "usb", folder, "XA-DAKMIL", today=day + timedelta(days=1))
    assert str(err.value) == (
        f"các danh mục phát của XA-DAKMIL trong {tmp_path / 'usb'} là cho ngày "
        f"{day:%d/%m/%Y}…{day:%d/%m/%Y}, đều trước hôm nay ({day + timedelta(days=1):%d/%m/%Y}); "
        "hãy xuất các ngày sắp tới tại đơn vị bằng 'broadcaster playlist export'"
    )
    # a playlist file cut short on the stick is reported, the good one still copied
    (usb / f"{day + timedelta(days=1)}.json").write_text('{"station": ')
    report = pull_from_folder(tmp_path / "usb", folder, "XA-DAKMIL", today=day)
    assert report.days == [(day, "copied")]
    assert len(report.failures) == 1
    assert report.failures[0].startswith(f"{day + timedelta(days=1)}.json: ")
