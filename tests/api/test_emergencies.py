"""Emergency bulletins: office creates (spoken offline), stations fetch by cursor, acknowledge."""

from __future__ import annotations

import json
import shutil
import threading
import time

import httpx
import pytest

from broadcaster.domain.distribution import Scope

from .live_server import Office

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")


def _send(client: httpx.Client, office: Office, **body) -> httpx.Response:
    return client.post(
        "/api/v1/emergencies",
        headers=office.headers("KV-DAKMIL", Scope.OFFICE),
        json={"title": "Bão số 3", **body},
    )


@needs_espeak
def test_text_bulletin_is_spoken_and_reaches_only_its_stations(
    client: httpx.Client, office: Office
):
    r = _send(
        client,
        office,
        text="Bão số 3 sắp đổ bộ, đề nghị bà con không ra khỏi nhà.",
        stations=["XA-DAKMIL"],
        repeat=2,
    )
    assert r.status_code == 201, r.text
    e = r.json()
    assert e["stations"] == ["XA-DAKMIL"] and e["repeat"] == 2
    assert e["duration_ms"] > 1000
    mine = office.headers("XA-DAKMIL")
    audio = client.get(e["audio_url"], headers=mine)
    assert audio.status_code == 200 and audio.content[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")
    got = client.get("/api/v1/stations/XA-DAKMIL/emergencies", headers=mine).json()
    assert [x["id"] for x in got["emergencies"]] == [e["id"]] and got["cursor"] == e["id"]
    # the cursor: asking again from it gives nothing new
    again = client.get(f"/api/v1/stations/XA-DAKMIL/emergencies?since={e['id']}", headers=mine)
    assert again.json() == {"emergencies": [], "cursor": e["id"]}
    other = client.get(
        "/api/v1/stations/XA-DUCMANH/emergencies", headers=office.headers("XA-DUCMANH")
    ).json()
    assert other["emergencies"] == []


def test_station_tokens_cannot_send_bulletins(client: httpx.Client, office: Office):
    r = client.post(
        "/api/v1/emergencies", headers=office.headers("XA-DAKMIL"), json={"title": "x", "text": "y"}
    )
    assert r.status_code == 403


def _upload_tone(client: httpx.Client, office: Office, tone_mp3: bytes) -> str:
    r = client.post(
        "/api/v1/audio",
        headers={**office.headers("KV-DAKMIL", Scope.OFFICE), "content-type": "audio/mpeg"},
        content=tone_mp3,
    )
    assert r.status_code == 201, r.text
    return r.json()["hash"]


def test_recorded_bulletin_by_uploaded_hash_and_acknowledgement(
    client: httpx.Client, office: Office, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    e = _send(client, office, audio_hash=audio_hash).json()
    assert e["audio_hash"] == audio_hash
    assert set(e["stations"]) == {"XA-DAKMIL", "XA-DUCMANH", "XA-DAKSAK", "XA-THUANAN"}
    mine = office.headers("XA-DAKSAK")
    ack = client.post(
        f"/api/v1/stations/XA-DAKSAK/emergencies/{e['id']}/ack",
        headers=mine,
        json={"started_at": "2026-11-23T10:00:01+07:00"},
    )
    assert ack.status_code == 200 and ack.json()["started_at"].startswith("2026-11-23T03:00:01")
    # a repeated acknowledgement changes nothing
    again = client.post(
        f"/api/v1/stations/XA-DAKSAK/emergencies/{e['id']}/ack",
        headers=mine,
        json={"started_at": "2026-11-23T11:00:00+07:00"},
    ).json()
    assert again == ack.json()
    seen = client.get(
        f"/api/v1/emergencies/{e['id']}", headers=office.headers("KV-DAKMIL", Scope.OFFICE)
    ).json()
    acked = {d["station_code"] for d in seen["deliveries"] if d["acked_at"]}
    assert acked == {"XA-DAKSAK"}


def test_unknown_audio_hash_is_refused(client: httpx.Client, office: Office):
    r = _send(client, office, audio_hash="ab" * 32)
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "audio_hash"


def test_uploading_something_that_is_not_audio_is_refused(client: httpx.Client, office: Office):
    r = client.post(
        "/api/v1/audio",
        headers={**office.headers("KV-DAKMIL", Scope.OFFICE), "content-type": "audio/mpeg"},
        content=b"not audio",
    )
    assert r.status_code == 400
    assert "not audio" in r.json()["error"]["message"]


def test_long_poll_wakes_when_a_bulletin_is_sent(
    client: httpx.Client, office: Office, server, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    answer: dict = {}

    def wait_for_it() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            answer["r"] = c.get(
                "/api/v1/stations/XA-DAKMIL/emergencies?since=0&wait=20",
                headers=office.headers("XA-DAKMIL"),
            ).json()

    t = threading.Thread(target=wait_for_it)
    t.start()
    time.sleep(0.5)
    sent = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL"]).json()
    t.join(timeout=25)
    assert [e["id"] for e in answer["r"]["emergencies"]] == [sent["id"]]


def test_event_stream_delivers_bulletins_as_sse(
    client: httpx.Client, office: Office, server, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    sent = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL"]).json()
    with (
        httpx.Client(base_url=server.url, timeout=10) as c,
        c.stream(
            "GET",
            "/api/v1/stations/XA-DAKMIL/emergencies/stream",
            headers=office.headers("XA-DAKMIL"),
        ) as r,
    ):
        assert r.headers["content-type"].startswith("text/event-stream")
        event: dict[str, str] = {}
        for line in r.iter_lines():
            if line.startswith(("id:", "event:", "data:")):
                k, _, v = line.partition(":")
                event[k] = v.strip()
            if "data" in event:
                break
    assert event["event"] == "emergency" and event["id"] == str(sent["id"])
    assert json.loads(event["data"])["title"] == "Bão số 3"
