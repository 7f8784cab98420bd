"""Audio is served only to those who may air or hear it, and an office sends only its own
recordings."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from broadcaster.api import create_app
from broadcaster.audio.store import store_audio
from broadcaster.clock import SystemClock
from broadcaster.domain.distribution import Scope
from broadcaster.usecases.published_playlists import StaticPlaylists
from broadcaster.usecases.stations import load_stations

from .live_server import LiveServer, Office

#: a second office beside KV-DAKMIL, with one commune
NEIGHBOUR = """
[[station]]
code = "KV-KRONGNO"
name = "Trung tâm khu vực Krông Nô"
kind = "region"
parent = "LAMDONG"
office = true

[[station.session]]
name = "Sáng"
days = "daily"
start = "05:30"
minutes = 30

[[station]]
code = "XA-NAMDA"
name = "Đài truyền thanh xã Nam Đà"
kind = "commune"
parent = "KV-KRONGNO"
"""


@pytest.fixture
def two_offices(office: Office, tmp_path: Path, tone_mp3: bytes):
    path = tmp_path / "neighbour.toml"
    path.write_text(NEIGHBOUR, encoding="utf-8")
    load_stations(office.db, path)
    planned, _ = store_audio(office.settings.audio_cache_dir, tone_mp3 + b"\x00")
    source = StaticPlaylists()
    today = SystemClock().now().astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    source.put(
        {
            "station": {"code": "XA-DAKSAK"},
            "date": today.isoformat(),
            "sessions": [
                {
                    "name": "Sáng",
                    "entries": [
                        {
                            "id": "e1",
                            "start": f"{today}T05:31:00+07:00",
                            "duration_ms": 2000,
                            "title": "Tin",
                            "kind": "announcement",
                            "audio": {"hash": planned},
                        }
                    ],
                }
            ],
        }
    )
    server = LiveServer(
        lambda: create_app(office.settings, database=office.db, playlist_source=source)
    ).start()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield office, c, planned
    server.stop()


def _upload(c: httpx.Client, office: Office, code: str, data: bytes) -> str:
    r = c.post(
        "/api/v1/audio",
        headers={**office.headers(code, Scope.OFFICE), "content-type": "audio/mpeg"},
        content=data,
    )
    assert r.status_code == 201, r.text
    return r.json()["hash"]


def test_a_station_fetches_only_what_its_playlists_and_bulletins_play(two_offices, tone_mp3):
    office, c, planned = two_offices
    daksak, dakmil = office.headers("XA-DAKSAK"), office.headers("XA-DAKMIL")
    assert c.get(f"/api/v1/audio/{planned}", headers=daksak).status_code == 200
    refused = c.get(f"/api/v1/audio/{planned}", headers=dakmil)
    assert (
        refused.status_code == 403
        and "không có trong danh mục phát, bản tin hay tệp tải lên nào"
        in refused.json()["error"]["message"]
    )
    recording = _upload(c, office, "KV-DAKMIL", tone_mp3)
    assert c.get(f"/api/v1/audio/{recording}", headers=dakmil).status_code == 403
    sent = c.post(
        "/api/v1/emergencies",
        headers=office.headers("KV-DAKMIL", Scope.OFFICE),
        json={"title": "Cháy", "audio_hash": recording, "stations": ["XA-DAKMIL"]},
    ).json()
    assert c.get(f"/api/v1/audio/{recording}", headers=dakmil).status_code == 200
    # the lead-in every bulletin opens with is everyone's
    namda = office.headers("XA-NAMDA")
    assert c.get(f"/api/v1/audio/{sent['lead_in_hash']}", headers=namda).status_code == 200
    assert c.get(f"/api/v1/audio/{recording}", headers=namda).status_code == 403


def test_an_office_reaches_its_own_recordings_and_bulletins_not_another_offices(
    two_offices, tone_mp3
):
    office, c, _ = two_offices
    mine = _upload(c, office, "KV-DAKMIL", tone_mp3)
    boss, neighbour = (
        office.headers("KV-DAKMIL", Scope.OFFICE),
        office.headers("KV-KRONGNO", Scope.OFFICE),
    )
    assert c.get(f"/api/v1/audio/{mine}", headers=boss).status_code == 200
    assert c.get(f"/api/v1/audio/{mine}", headers=neighbour).status_code == 403
    # the neighbour cannot send it either
    r = c.post(
        "/api/v1/emergencies",
        headers=neighbour,
        json={"title": "Cháy", "audio_hash": mine},
    )
    assert r.status_code == 422
    (problem,) = r.json()["error"]["fields"]
    assert problem["field"] == "audio_hash"
    assert "không do KV-KRONGNO hay đơn vị cấp dưới tải lên" in problem["message"]
    # uploading the same recording itself makes it the neighbour's too
    assert _upload(c, office, "KV-KRONGNO", tone_mp3) == mine
    assert c.get(f"/api/v1/audio/{mine}", headers=neighbour).status_code == 200
