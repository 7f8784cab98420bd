"""Airing logs: a resent batch counts once; manual confirmation; listing by day."""

from __future__ import annotations

import httpx

from .live_server import Office


def _batch(n: int, start: int = 0) -> dict:
    return {
        "airings": [
            {
                "event_id": f"evt-{i:08d}",
                "status": "aired",
                "entry_id": f"e{i}",
                "planned_start": f"2026-11-23T05:{30 + i % 20:02d}:00+07:00",
                "actual_start": f"2026-11-23T05:{30 + i % 20:02d}:01+07:00",
                "actual_end": f"2026-11-23T05:{30 + i % 20:02d}:40+07:00",
                "title": f"Tin {i}",
            }
            for i in range(start, start + n)
        ]
    }


def test_a_retried_batch_is_accepted_once(client: httpx.Client, office: Office):
    h = office.headers("XA-DAKMIL")
    first = client.post("/api/v1/stations/XA-DAKMIL/airings", headers=h, json=_batch(5)).json()
    assert first["accepted"] == 5 and first["duplicates"] == 0
    again = client.post("/api/v1/stations/XA-DAKMIL/airings", headers=h, json=_batch(7)).json()
    assert (again["accepted"], again["duplicates"], again["rejected"]) == (2, 5, 0)
    assert again["accepted_ids"] == ["evt-00000005", "evt-00000006"]
    assert [r["result"] for r in again["results"]] == ["duplicate"] * 5 + ["accepted"] * 2
    rows = client.get(
        "/api/v1/stations/XA-DAKMIL/airings?from=2026-11-23&to=2026-11-23", headers=h
    ).json()
    assert sorted(r["event_id"] for r in rows) == [f"evt-{i:08d}" for i in range(7)]
    assert rows[0]["status_label"] == "Đã phát"
    assert client.get("/api/v1/stations/XA-DAKMIL/airings?from=2026-11-24", headers=h).json() == []


def test_manual_confirmation_for_a_station_without_agent(client: httpx.Client, office: Office):
    h = office.headers("XA-THUANAN")
    body = {
        "operator": "Nguyễn Văn A",
        "event_id": "manual-0001",
        "title": "Thông báo tiêm chủng",
        "planned_start": "2026-11-23T17:05:00+07:00",
        "note": "phát bằng tay",
    }
    r = client.post("/api/v1/stations/XA-THUANAN/airings/confirm", headers=h, json=body)
    assert r.status_code == 201 and r.json()["accepted"] == 1
    r = client.post("/api/v1/stations/XA-THUANAN/airings/confirm", headers=h, json=body)
    assert r.json()["duplicates"] == 1
    (row,) = client.get("/api/v1/stations/XA-THUANAN/airings", headers=h).json()
    assert row["status"] == "manual" and row["source"] == "manual"
    assert row["operator"] == "Nguyễn Văn A" and row["actual_start"] is not None


def test_confirmation_needs_an_operator(client: httpx.Client, office: Office):
    r = client.post(
        "/api/v1/stations/XA-THUANAN/airings/confirm",
        headers=office.headers("XA-THUANAN"),
        json={"title": "x"},
    )
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["operator"]


def test_heartbeat_shows_in_status(client: httpx.Client, office: Office):
    h = office.headers("XA-DAKMIL")
    r = client.post(
        "/api/v1/stations/XA-DAKMIL/heartbeat",
        headers=h,
        json={
            "agent_version": "0.1.0",
            "next_entry_at": "2026-11-23T17:00:00+07:00",
            "next_entry_title": "Tin 1",
            "free_disk_bytes": 123456789,
            "pending_logs": 3,
        },
    )
    assert r.status_code == 200
    status = client.get("/api/v1/stations/XA-DAKMIL/status", headers=h).json()
    assert status["online"] is True and status["agent_version"] == "0.1.0"
    assert status["free_disk_bytes"] == 123456789 and status["pending_logs"] == 3
    assert status["next_entry_title"] == "Tin 1"


def test_the_heartbeat_answer_says_when_the_token_expires(client: httpx.Client, office: Office):
    from datetime import datetime, timedelta

    from broadcaster.clock import SystemClock
    from broadcaster.domain.distribution import Scope
    from broadcaster.usecases.tokens import create_token

    expires = SystemClock().now().replace(microsecond=0) + timedelta(days=10)
    secret = create_token(
        office.db,
        SystemClock(),
        scope=Scope.STATION,
        station_code="XA-DAKMIL",
        expires_at=expires,
    ).secret
    r = client.post(
        "/api/v1/stations/XA-DAKMIL/heartbeat",
        headers={"Authorization": f"Bearer {secret}"},
        json={"agent_version": "0.1.0"},
    )
    assert r.status_code == 200
    assert datetime.fromisoformat(r.json()["token_expires_at"]) == expires
    forever = client.post(
        "/api/v1/stations/XA-DAKMIL/heartbeat", headers=office.headers("XA-DAKMIL"), json={}
    )
    assert forever.json()["token_expires_at"] is None


def test_another_station_cannot_hide_or_preempt_a_stations_log(
    client: httpx.Client, office: Office
):
    """Event ids are predictable; one station's post of another's id stores its own record
    and the other station's real airing is still accepted and counted."""
    theirs = _batch(1)
    theirs["airings"][0]["status"] = "missed"
    attacker = office.headers("XA-DUCMANH")
    r = client.post("/api/v1/stations/XA-DUCMANH/airings", headers=attacker, json=theirs)
    assert r.status_code == 200 and r.json()["accepted"] == 1
    # naming the other station in the record is refused, the URL's station is the only one
    named = _batch(1, start=50)
    named["airings"][0]["station_code"] = "XA-DAKMIL"
    r = client.post("/api/v1/stations/XA-DUCMANH/airings", headers=attacker, json=named).json()
    assert r["results"][0]["result"] == "rejected"
    assert r["results"][0]["fields"][0]["field"] == "station_code"
    # and posting to the other station's URL is forbidden
    r = client.post("/api/v1/stations/XA-DAKMIL/airings", headers=attacker, json=_batch(1))
    assert r.status_code == 403
    mine = office.headers("XA-DAKMIL")
    real = client.post("/api/v1/stations/XA-DAKMIL/airings", headers=mine, json=_batch(1)).json()
    assert real["accepted"] == 1 and real["results"][0]["result"] == "accepted"
    (row,) = client.get("/api/v1/stations/XA-DAKMIL/airings", headers=mine).json()
    assert row["status"] == "aired" and row["station_code"] == "XA-DAKMIL"


def test_one_bad_record_is_rejected_with_its_reason_and_the_rest_are_stored(
    client: httpx.Client, office: Office
):
    batch = _batch(6)
    bad = batch["airings"]
    bad[1]["actual_end"] = "2026-11-23T05:00:00+07:00"  # before its start
    bad[2]["timezone"] = "Mars/Olympus"
    bad[3]["title"] = "nul\u0000inside"
    bad[4]["item_id"] = 2**63
    bad[5]["planned_start"] = "0001-01-01T00:00:00+00:00"
    h = office.headers("XA-DAKMIL")
    r = client.post("/api/v1/stations/XA-DAKMIL/airings", headers=h, json=batch)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["accepted"], out["rejected"]) == (1, 5)
    results = out["results"]
    assert [x["result"] for x in results] == ["accepted"] + ["rejected"] * 5
    assert [x["event_id"] for x in results] == [a["event_id"] for a in bad]
    reasons = [" ".join(f["field"] + ": " + f["message"] for f in x["fields"]) for x in results]
    assert "actual_end sớm hơn actual_start" in reasons[1]
    assert "timezone" in reasons[2] and "không phải là múi giờ" in reasons[2]
    assert "title" in reasons[3] and "NUL" in reasons[3]
    assert "item_id" in reasons[4]
    assert "planned_start" in reasons[5] and "2000" in reasons[5]
    # the connection is still usable and the good record is there
    rows = client.get("/api/v1/stations/XA-DAKMIL/airings", headers=h).json()
    assert [x["event_id"] for x in rows] == [bad[0]["event_id"]]


def test_the_same_batch_sent_at_once_many_times_is_stored_once_without_errors(
    server, office: Office
):
    import concurrent.futures

    h = office.headers("XA-DAKMIL")
    body = _batch(50)

    def post(_: int) -> tuple[int, dict]:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            r = c.post("/api/v1/stations/XA-DAKMIL/airings", headers=h, json=body)
            return r.status_code, r.json()

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(post, range(24)))
    assert [status for status, _ in answers] == [200] * 24, answers
    assert sum(a["accepted"] for _, a in answers) == 50
    with httpx.Client(base_url=server.url, timeout=30) as c:
        rows = c.get("/api/v1/stations/XA-DAKMIL/airings", headers=h).json()
    assert len(rows) == 50
