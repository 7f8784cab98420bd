"""Emergency bulletins: an office sends (on air at once with the lead-in, the body follows),
cancels and corrects; stations fetch by cursor (long-poll or event stream) and acknowledge."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator

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


def _upload_tone(client: httpx.Client, office: Office, tone_mp3: bytes) -> str:
    r = client.post(
        "/api/v1/audio",
        headers={**office.headers("KV-DAKMIL", Scope.OFFICE), "content-type": "audio/mpeg"},
        content=tone_mp3,
    )
    assert r.status_code == 201, r.text
    return r.json()["hash"]


def _poll(client: httpx.Client, office: Office, code: str, since: int = 0, wait: float = 0):
    r = client.get(
        f"/api/v1/stations/{code}/emergencies",
        params={"since": since, "wait": wait},
        headers=office.headers(code),
        timeout=wait + 10,
    )
    assert r.status_code == 200, r.text
    return r.json()


def _metrics(client: httpx.Client, office: Office) -> dict:
    return client.get("/api/v1/metrics", headers=office.headers("KV-DAKMIL", Scope.OFFICE)).json()


def _wait_for(check, what: str, client: httpx.Client, office: Office, timeout: float = 20):
    """Ask the server's own figures until ``check`` holds (a state, not a time, is awaited)."""
    import time

    deadline = time.monotonic() + timeout
    while not check(_metrics(client, office)):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {_metrics(client, office)}")
        time.sleep(0.02)


@needs_espeak
def test_a_text_bulletin_goes_out_at_once_with_its_lead_in_and_the_body_follows(
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
    assert e["lead_in_hash"] and e["lead_in_ms"] > 2000
    # the first change: the lead-in can play, the body may still be pending
    first = _poll(client, office, "XA-DAKMIL")
    (b,) = first["emergencies"]
    assert b["id"] == e["id"] and b["state"] == "live"
    assert b["parts"][0] == {
        "role": "lead_in",
        "audio_hash": e["lead_in_hash"],
        "duration_ms": e["lead_in_ms"],
    }
    assert "stations" not in b  # a station is not told where else the bulletin went
    # the body follows as a newer change of the same bulletin
    body = b
    cursor = first["cursor"]
    while body["body_state"] != "ready":
        later = _poll(client, office, "XA-DAKMIL", since=cursor, wait=20)
        assert later["emergencies"], "the body never followed"
        body, cursor = later["emergencies"][-1], later["cursor"]
    assert body["id"] == e["id"] and body["seq"] == cursor
    assert body["parts"][1]["role"] == "body" and body["parts"][1]["duration_ms"] > 1000
    mine = office.headers("XA-DAKMIL")
    for part in body["parts"]:
        audio = client.get(f"/api/v1/audio/{part['audio_hash']}", headers=mine)
        assert audio.status_code == 200 and audio.content[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")
    # the cursor: asking again from it gives nothing new
    assert _poll(client, office, "XA-DAKMIL", since=cursor) == {
        "emergencies": [],
        "cursor": cursor,
    }
    assert _poll(client, office, "XA-DUCMANH")["emergencies"] == []
    seen = client.get(
        f"/api/v1/emergencies/{e['id']}", headers=office.headers("KV-DAKMIL", Scope.OFFICE)
    ).json()
    assert seen["body_state"] == "ready" and seen["audio_hash"] == body["audio_hash"]


def test_station_tokens_cannot_send_or_cancel_bulletins(
    client: httpx.Client, office: Office, tone_mp3: bytes
):
    r = client.post(
        "/api/v1/emergencies", headers=office.headers("XA-DAKMIL"), json={"title": "x", "text": "y"}
    )
    assert r.status_code == 403
    sent = _send(client, office, audio_hash=_upload_tone(client, office, tone_mp3)).json()
    r = client.post(f"/api/v1/emergencies/{sent['id']}/cancel", headers=office.headers("XA-DAKMIL"))
    assert r.status_code == 403
    assert (
        client.get(f"/api/v1/emergencies/{sent['id']}", headers=office.headers("XA-DAKMIL")).json()[
            "state"
        ]
        == "live"
    )


def test_recorded_bulletin_by_uploaded_hash_and_acknowledgement(
    client: httpx.Client, office: Office, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    e = _send(client, office, audio_hash=audio_hash).json()
    assert e["audio_hash"] == audio_hash and e["body_state"] == "ready"
    assert set(e["stations"]) == {"XA-DAKMIL", "XA-DUCMANH", "XA-DAKSAK", "XA-THUANAN"}
    mine = office.headers("XA-DAKSAK")
    received = client.post(f"/api/v1/stations/XA-DAKSAK/emergencies/{e['id']}/ack", headers=mine)
    assert received.status_code == 200 and received.json()["started_at"] is None
    ack = client.post(
        f"/api/v1/stations/XA-DAKSAK/emergencies/{e['id']}/ack",
        headers=mine,
        json={"started_at": "2026-11-23T10:00:01+07:00"},
    )
    assert ack.status_code == 200 and ack.json()["started_at"].startswith("2026-11-23T03:00:01")
    assert ack.json()["acked_at"] == received.json()["acked_at"]
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
    assert "không phải âm thanh mà ffmpeg đọc được" in r.json()["error"]["message"]


def test_long_poll_wakes_when_a_bulletin_is_sent(
    client: httpx.Client, office: Office, server, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    answer: dict = {}

    def wait_for_it() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            answer["r"] = _poll(c, office, "XA-DAKMIL", wait=20)

    t = threading.Thread(target=wait_for_it)
    t.start()
    _wait_for(lambda m: m["long_polls_waiting"] == 1, "the long-poll to wait", client, office)
    sent = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL"]).json()
    t.join(timeout=25)
    assert [e["id"] for e in answer["r"]["emergencies"]] == [sent["id"]]


def _events(lines: Iterator[str]) -> Iterator[dict]:
    event: dict[str, str] = {}
    for line in lines:
        if not line:
            if "data" in event:
                yield {**event, "json": json.loads(event["data"])}
            event = {}
        elif line.startswith(("id:", "event:", "data:")):
            k, _, v = line.partition(":")
            event[k] = v.strip()


def test_event_stream_delivers_a_bulletin_and_then_its_cancel(
    client: httpx.Client, office: Office, server, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    with (
        httpx.Client(base_url=server.url, timeout=10) as c,
        c.stream(
            "GET",
            "/api/v1/stations/XA-DAKMIL/emergencies/stream",
            headers=office.headers("XA-DAKMIL"),
        ) as r,
    ):
        assert r.headers["content-type"].startswith("text/event-stream")
        events = _events(r.iter_lines())
        _wait_for(lambda m: m["streams_open"] == 1, "the stream to open", client, office)
        sent = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL"]).json()
        first = next(events)
        cancelled = client.post(
            f"/api/v1/emergencies/{sent['id']}/cancel",
            headers=office.headers("KV-DAKMIL", Scope.OFFICE),
            json={"reason": "báo nhầm"},
        )
        assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"]
        second = next(events)
    assert first["event"] == "emergency" and first["json"]["id"] == sent["id"]
    assert first["json"]["title"] == "Bão số 3" and first["json"]["state"] == "live"
    assert second["json"]["id"] == sent["id"] and second["json"]["state"] == "cancelled"
    assert second["json"]["cancel_reason"] == "báo nhầm"
    assert int(second["id"]) > int(first["id"])  # the cursor moved on


def test_a_reconnecting_stream_resumes_after_its_last_event(
    client: httpx.Client, office: Office, server, tone_mp3: bytes
):
    audio_hash = _upload_tone(client, office, tone_mp3)
    one = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL"]).json()
    two = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL"]).json()
    cursor_after_one = _poll(client, office, "XA-DAKMIL")["emergencies"][0]["seq"]
    with (
        httpx.Client(base_url=server.url, timeout=10) as c,
        c.stream(
            "GET",
            "/api/v1/stations/XA-DAKMIL/emergencies/stream",
            headers={**office.headers("XA-DAKMIL"), "Last-Event-ID": str(cursor_after_one)},
        ) as r,
    ):
        got = next(_events(r.iter_lines()))
    assert one["id"] != two["id"] and got["json"]["id"] == two["id"]


def test_a_correction_replaces_the_bulletin(client: httpx.Client, office: Office, tone_mp3: bytes):
    audio_hash = _upload_tone(client, office, tone_mp3)
    old = _send(client, office, audio_hash=audio_hash, stations=["XA-DAKMIL", "XA-DAKSAK"]).json()
    r = client.post(
        f"/api/v1/emergencies/{old['id']}/correct",
        headers=office.headers("KV-DAKMIL", Scope.OFFICE),
        json={"title": "Bão số 3 (đính chính)", "audio_hash": audio_hash},
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["replaces"] == old["id"] and new["stations"] == ["XA-DAKMIL", "XA-DAKSAK"]
    by_id = {b["id"]: b for b in _poll(client, office, "XA-DAKSAK")["emergencies"]}
    assert by_id[old["id"]]["state"] == "cancelled"
    assert f"#{new['id']}" in by_id[old["id"]]["cancel_reason"]
    assert by_id[new["id"]]["state"] == "live" and by_id[new["id"]]["replaces"] == old["id"]


def test_bad_ids_and_cursors_are_refused_as_422_not_500(client: httpx.Client, office: Office):
    station = office.headers("XA-DAKMIL")
    for url in (
        "/api/v1/emergencies/9223372036854775808",
        "/api/v1/stations/XA-DAKMIL/emergencies?since=1180591620717411303424",
        "/api/v1/stations/XA-DAKMIL/emergencies?since=-1",
    ):
        assert client.get(url, headers=station).status_code == 422, url
    r = client.post(
        "/api/v1/stations/XA-DAKMIL/emergencies/9223372036854775808/ack", headers=station
    )
    assert r.status_code == 422
    assert client.get("/api/v1/emergencies/424242", headers=station).status_code == 404
