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
    assert again == {
        "accepted": 2,
        "duplicates": 5,
        "accepted_ids": ["evt-00000005", "evt-00000006"],
    }
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
