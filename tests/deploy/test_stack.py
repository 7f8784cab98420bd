"""The production deployment of deploy/, booted for real: nginx (TLS) → 2 workers → PostgreSQL.

A station pulls its playlist and audio, sends an airing batch and receives an emergency
bulletin, all through nginx, as agents on the internet would (scripts/deploy_stack.py moves the
files' paths and ports into a scratch folder and changes nothing else).
"""

from __future__ import annotations

import hashlib
import json
import ssl
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from broadcaster.clock import SystemClock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from deploy_stack import STATION, Stack, nginx_binary  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed"),
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    s = Stack(tmp_path_factory.mktemp("stack"), workers=2)
    try:
        s.start()
    except Exception as exc:
        s.stop()
        pytest.fail(f"the deployment did not start: {exc}\n{s.logs()}")
    yield s
    s.stop()


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    trust = ssl.create_default_context(cafile=str(stack.certificate))
    with httpx.Client(base_url=stack.url, verify=trust, timeout=30) as c:
        yield c


def _as(stack: Stack, code: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.tokens[code]}"}


def test_plain_http_is_sent_to_https_and_nginxs_internal_paths_are_not_reachable(
    stack: Stack, client: httpx.Client
):
    r = httpx.get(f"http://127.0.0.1:{stack.http_port}/api/v1/health", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"].startswith("https://")
    assert client.get("/_accel/audio/anything.mp3").status_code == 404


def test_a_station_pulls_todays_published_playlist_and_revalidates_it(
    stack: Stack, client: httpx.Client
):
    path = f"/api/v1/stations/{STATION}/playlists/{stack.day.isoformat()}"
    r = client.get(path, headers=_as(stack, STATION))
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["station"]["code"] == STATION and doc["plan_version"] == 1
    titles = [e["title"] for s in doc["sessions"] for e in s["entries"] if e["item_id"]]
    assert any("sốt xuất huyết" in t for t in titles), titles
    again = client.get(path, headers={**_as(stack, STATION), "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # another station's playlist is not this token's: the app says so, in Vietnamese
    other = client.get(
        f"/api/v1/stations/XA-DUCMANH/playlists/{stack.day}", headers=_as(stack, STATION)
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "forbidden"
    assert client.get(path).status_code == 401  # no token


def _wait_for(condition, what: str, seconds: float = 30):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s")


def test_nginx_sends_the_playlist_file_and_a_new_publication_replaces_it(
    stack: Stack, client: httpx.Client
):
    path = f"/api/v1/stations/XA-DUCMANH/playlists/{stack.day}"
    auth = _as(stack, "KV-DAKMIL")
    first = client.get(path, headers=auth)  # rendered by the app, which writes the file
    assert first.status_code == 200, first.text
    files = stack.root / "var" / "published" / "current" / "XA-DUCMANH"
    assert (files / f"{stack.day}.json").read_bytes() == first.content
    second = client.get(path, headers=auth)  # nginx sends the file: its own ETag, a date
    assert second.content == first.content and "last-modified" in second.headers
    m3u = client.get(path + ".m3u8", headers=auth)
    assert m3u.status_code == 200 and m3u.text.startswith("#EXTM3U")
    assert m3u.headers["content-type"] == "application/vnd.apple.mpegurl"
    version = first.json()["plan_version"]
    stack.cli("plan", "week", "--office", "KV-DAKMIL", "--week", stack.day.isoformat())
    stack.cli("plan", "publish", "--office", "KV-DAKMIL", "--week", stack.day.isoformat())
    newer = _wait_for(
        lambda: (r := client.get(path, headers=auth)).json()["plan_version"] > version and r,
        "the new version served through nginx",
    )
    assert newer.json()["plan_version"] == version + 1


def _tone(tmp: Path) -> bytes:
    out = tmp / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=20", "-ac", "1", "-b:a", "64k", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def test_an_emergency_reaches_the_station_through_nginx_and_nginx_sends_its_audio(
    stack: Stack, client: httpx.Client, tmp_path: Path
):
    tone = _tone(tmp_path)
    up = client.post(
        "/api/v1/audio",
        content=tone,
        headers={**_as(stack, "KV-DAKMIL"), "Content-Type": "audio/mpeg"},
    )
    assert up.status_code == 201, up.text
    audio_hash = up.json()["hash"]
    received: list[dict[str, object]] = []
    opened = threading.Event()

    def listen() -> None:
        stream = f"/api/v1/stations/{STATION}/emergencies/stream"
        with client.stream("GET", stream, headers=_as(stack, STATION), timeout=60) as r:
            assert r.status_code == 200
            opened.set()
            for line in r.iter_lines():
                if line.startswith("data:"):
                    event = json.loads(line[5:])
                    if event.get("title") == "Bão số 15 đổ bộ":
                        received.append(event)
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert opened.wait(30), "the event stream did not open through nginx"
    sent = client.post(
        "/api/v1/emergencies",
        json={"title": "Bão số 15 đổ bộ", "audio_hash": audio_hash, "stations": [STATION]},
        headers=_as(stack, "KV-DAKMIL"),
    )
    assert sent.status_code in (200, 201, 202), sent.text
    listener.join(30)
    assert received, "the bulletin did not reach the station's event stream through nginx"

    # the audio: the app says yes, nginx sends the bytes (whole, and a range to resume)
    audio = client.get(f"/api/v1/audio/{audio_hash}", headers=_as(stack, STATION))
    assert audio.status_code == 200 and audio.content == tone
    assert audio.headers["x-content-sha256"] == hashlib.sha256(tone).hexdigest()
    assert audio.headers["etag"] == f'"{audio_hash}"' and "x-accel-redirect" not in audio.headers
    part = client.get(
        f"/api/v1/audio/{audio_hash}", headers={**_as(stack, STATION), "Range": "bytes=1000-"}
    )
    assert part.status_code == 206 and part.content == tone[1000:]
    # a station the bulletin was not for gets nothing
    assert (
        client.get(f"/api/v1/audio/{audio_hash}", headers=_as(stack, "XA-DUCMANH")).status_code
        == 403
    )


def test_an_airing_batch_is_stored_once_through_nginx(stack: Stack, client: httpx.Client):
    now = SystemClock().now().replace(microsecond=0)
    records = [
        {
            "event_id": str(uuid.uuid4()),
            "status": "aired",
            "entry_id": f"deploy-{i}",
            "planned_start": (now + timedelta(minutes=i)).isoformat(),
            "actual_start": (now + timedelta(minutes=i)).isoformat(),
            "actual_end": (now + timedelta(minutes=i, seconds=50)).isoformat(),
            "title": "Tuyên truyền phòng, chống dịch sốt xuất huyết",
            "segment_hash": "ab" * 32,
        }
        for i in range(100)
    ]
    path = f"/api/v1/stations/{STATION}/airings"
    first = client.post(path, json={"airings": records}, headers=_as(stack, STATION))
    assert first.status_code in (200, 201, 202), first.text
    assert first.json()["accepted"] == 100, first.json()
    again = client.post(path, json={"airings": records}, headers=_as(stack, STATION))
    assert again.json() == {**again.json(), "accepted": 0, "duplicates": 100}


def test_the_consoles_uploads_pass_nginx_and_the_page_judges_them(
    stack: Stack, client: httpx.Client
):
    """A 3 MB guidance upload is over the API's 1 MB but is the console's to judge: nginx passes
    it on, and without a signed-in session the console sends the browser to sign in."""
    body = b"x" * (3 * 1024 * 1024)
    r = client.post(
        "/directives/upload",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        follow_redirects=False,
    )
    assert r.status_code != 413, r.text[:300]
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    too_big = client.post("/api/v1/stations/XA-DAKMIL/airings", content=body)
    assert too_big.status_code == 413  # the API's own paths keep nginx's 1 MB
