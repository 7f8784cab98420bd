"""Audio by content hash: immutable caching, Range, digests, 404, and no path traversal."""

from __future__ import annotations

import hashlib
import socket

import httpx
import pytest

from broadcaster.audio.store import store_audio

from .live_server import LiveServer, Office


@pytest.fixture
def stored(office: Office, tone_mp3: bytes) -> str:
    """Audio in the cache that XA-DAKMIL may fetch: a bulletin sent to it plays it."""
    from broadcaster.clock import SystemClock
    from broadcaster.domain.distribution import Principal, Scope
    from broadcaster.usecases.audio_access import record_upload
    from broadcaster.usecases.emergencies import BulletinRequest, create_emergency

    audio_hash, _ = store_audio(office.settings.audio_cache_dir, tone_mp3)
    record_upload(office.db, "KV-DAKMIL", audio_hash, SystemClock().now())

    create_emergency(
        office.db,
        office.settings,
        SystemClock(),
        Principal(0, Scope.OFFICE, "KV-DAKMIL"),
        BulletinRequest(title="Thử", audio_hash=audio_hash, stations=("XA-DAKMIL",)),
    )
    return audio_hash


def test_audio_is_served_immutable_with_its_digest(
    client: httpx.Client, office: Office, stored: str, tone_mp3: bytes
):
    r = client.get(f"/api/v1/audio/{stored}", headers=office.headers("XA-DAKMIL"))
    assert r.status_code == 200 and r.content == tone_mp3
    assert r.headers["content-type"] == "audio/mpeg"
    assert "immutable" in r.headers["cache-control"]
    assert r.headers["etag"] == f'"{stored}"'
    assert r.headers["x-content-sha256"] == hashlib.sha256(tone_mp3).hexdigest()
    again = client.get(
        f"/api/v1/audio/{stored}",
        headers={**office.headers("XA-DAKMIL"), "If-None-Match": f'"{stored}"'},
    )
    assert again.status_code == 304 and again.content == b""


def test_range_requests_resume_a_download(
    client: httpx.Client, office: Office, stored: str, tone_mp3: bytes
):
    h = office.headers("XA-DAKMIL")
    r = client.get(f"/api/v1/audio/{stored}", headers={**h, "Range": "bytes=1000-"})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes 1000-{len(tone_mp3) - 1}/{len(tone_mp3)}"
    assert r.content == tone_mp3[1000:]
    r = client.get(f"/api/v1/audio/{stored}", headers={**h, "Range": "bytes=10-19"})
    assert r.content == tone_mp3[10:20]
    r = client.get(f"/api/v1/audio/{stored}", headers={**h, "Range": f"bytes={len(tone_mp3)}-"})
    assert r.status_code == 416
    assert r.json()["error"]["code"] == "range_not_satisfiable"
    head = client.head(f"/api/v1/audio/{stored}", headers=h)
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(tone_mp3)


def test_unknown_hash_is_404(client: httpx.Client, office: Office):
    r = client.get("/api/v1/audio/" + "0" * 64, headers=office.headers("XA-DAKMIL"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def _raw_get(server: LiveServer, target: str, token: str) -> tuple[int, bytes]:
    """Send the request line exactly as given: clients would normalise the dots away."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(
            f"GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    "target",
    [
        "/api/v1/audio/../../../etc/passwd",
        "/api/v1/audio/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/v1/audio/%2Fetc%2Fpasswd",
        "/api/v1/audio//etc/passwd",
        "/api/v1/audio/cache%2F..%2F..%2Foffice.db",
        "/api/v1/audio/..",
    ],
)
def test_paths_with_dots_or_absolute_paths_are_refused(
    server: LiveServer, office: Office, stored: str, target: str
):
    status, body = _raw_get(server, target, office.token("XA-DAKMIL"))
    assert status in (400, 404)
    assert b"root:" not in body and b"SQLite" not in body
    assert b'"error"' in body


def test_behind_nginx_the_app_authorises_and_names_the_file_for_nginx_to_send(
    office: Office, stored: str
):
    """With [api] accel_redirect the app sends no bytes: it checks the caller, then tells nginx
    which internal file to send (the deployment test sends it through a real nginx)."""
    from broadcaster.api import create_app
    from broadcaster.api.settings import ApiSettings

    api = ApiSettings(accel_redirect=True)
    server = LiveServer(lambda: create_app(office.settings, database=office.db, api=api)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            r = client.get(f"/api/v1/audio/{stored}", headers=office.headers("XA-DAKMIL"))
            assert r.status_code == 200 and r.content == b""
            assert r.headers["x-accel-redirect"] == f"/_accel/audio/{stored}.mp3"
            assert r.headers["content-type"] == "audio/mpeg" and "x-content-sha256" in r.headers
            # a station the bulletin was not for is refused before nginx is told anything
            other = client.get(f"/api/v1/audio/{stored}", headers=office.headers("XA-DUCMANH"))
            assert other.status_code == 403 and "x-accel-redirect" not in other.headers
    finally:
        server.stop()


def test_an_accel_prefix_nginx_cannot_name_is_refused_with_the_setting():
    from broadcaster.api.settings import ApiSettings
    from broadcaster.domain.errors import ConfigError

    with pytest.raises(ConfigError, match="accel_prefix"):
        ApiSettings(accel_redirect=True, accel_prefix="_accel/")
