"""Playlist routes: JSON and M3U8 per day, ranges, ETag / If-None-Match, 404 for no playlist."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from broadcaster.api import create_app
from broadcaster.domain.distribution import Scope
from broadcaster.usecases.published_playlists import StaticPlaylists

from .live_server import LiveServer, Office

DOC = {
    "station": {"code": "XA-DAKMIL", "timezone": "Asia/Ho_Chi_Minh"},
    "date": "2026-11-23",
    "plan_version": 3,
    "sessions": [
        {
            "name": "Sáng",
            "entries": [
                {
                    "id": "e1",
                    "start": "2026-11-23T05:31:00+07:00",
                    "duration_ms": 95000,
                    "title": "Phòng, chống sốt xuất huyết",
                    "audio": {"hash": "ab" * 32},
                },
                {
                    "id": "e2",
                    "start": "2026-11-23T05:33:00+07:00",
                    "duration_ms": 60000,
                    "title": "Tiếp âm Đài TNVN",
                    "kind": "fixed_block",
                },
            ],
        }
    ],
}


@pytest.fixture
def api(office: Office) -> Iterator[httpx.Client]:
    source = StaticPlaylists()
    source.put(DOC)
    source.put({**DOC, "date": "2026-11-25"})
    server = LiveServer(
        lambda: create_app(office.settings, database=office.db, playlist_source=source)
    ).start()
    with httpx.Client(base_url=server.url, headers=office.headers("XA-DAKMIL")) as c:
        yield c
    server.stop()


def test_a_day_as_json_with_an_etag_that_saves_the_transfer(api: httpx.Client):
    r = api.get("/api/v1/stations/XA-DAKMIL/playlists/2026-11-23")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()["sessions"][0]["entries"][0]["title"] == "Phòng, chống sốt xuất huyết"
    etag = r.headers["etag"]
    again = api.get(
        "/api/v1/stations/XA-DAKMIL/playlists/2026-11-23", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = api.get(
        "/api/v1/stations/XA-DAKMIL/playlists/2026-11-23", headers={"If-None-Match": '"stale"'}
    )
    assert other.status_code == 200


def test_a_day_as_m3u8(api: httpx.Client):
    for url in (
        "/api/v1/stations/XA-DAKMIL/playlists/2026-11-23.m3u8",
        "/api/v1/stations/XA-DAKMIL/playlists/2026-11-23?format=m3u8",
    ):
        r = api.get(url)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/vnd.apple.mpegurl")
        lines = r.text.splitlines()
        assert lines[0] == "#EXTM3U"
        assert "#EXTINF:95,Phòng, chống sốt xuất huyết" in lines
        assert f"/api/v1/audio/{'ab' * 32}" in lines


def test_a_range_of_days_in_one_document(api: httpx.Client):
    r = api.get("/api/v1/stations/XA-DAKMIL/playlists?from=2026-11-22&to=2026-11-26")
    body = r.json()
    assert [p["date"] for p in body["playlists"]] == ["2026-11-23", "2026-11-25"]
    assert (
        api.get(
            "/api/v1/stations/XA-DAKMIL/playlists?from=2026-11-22&to=2026-11-26",
            headers={"If-None-Match": r.headers["etag"]},
        ).status_code
        == 304
    )
    too_long = api.get("/api/v1/stations/XA-DAKMIL/playlists?from=2026-01-01&to=2026-12-31")
    assert too_long.status_code == 400 and "tối đa 31 ngày" in too_long.json()["error"]["message"]


def test_no_playlist_is_404_and_a_bad_date_is_400(api: httpx.Client):
    r = api.get("/api/v1/stations/XA-DAKMIL/playlists/2026-11-24")
    assert r.status_code == 404 and r.json()["error"]["message"] == (
        "chưa có danh mục phát nào được công bố cho XA-DAKMIL ngày 24/11/2026"
    )
    assert api.get("/api/v1/stations/XA-DAKMIL/playlists/23-11-2026").status_code == 400
    assert api.get("/api/v1/stations/XA-DAKMIL/playlists/2026-11-23.pdf").status_code == 400


def test_nginx_asks_whether_a_token_may_read_a_station(api: httpx.Client, office: Office):
    """The access check behind nginx's playlist files: yes for the token's own station (and
    an office's stations), 403 for another station or one that does not exist, 401 without."""
    assert api.get("/api/v1/stations/XA-DAKMIL/access").status_code == 204
    other = api.get("/api/v1/stations/XA-DUCMANH/access")
    assert other.status_code == 403 and other.json()["error"]["code"] == "forbidden"
    assert api.get("/api/v1/stations/XA-KHONGCO/access").status_code == 403
    office_token = office.headers("KV-DAKMIL", Scope.OFFICE)
    assert api.get("/api/v1/stations/XA-DUCMANH/access", headers=office_token).status_code == 204
    assert api.get("/api/v1/stations/XA-KHONGCO/access", headers=office_token).status_code == 403
    anonymous = api.get("/api/v1/stations/XA-DAKMIL/access", headers={"Authorization": ""})
    assert anonymous.status_code == 401
