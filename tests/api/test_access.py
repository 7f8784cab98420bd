"""Tokens: 401 without one, 403 outside its scope, revocation within the watcher's look,
hashed at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text

from broadcaster.clock import SystemClock
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.distribution import Scope
from broadcaster.domain.messages import _, translate
from broadcaster.usecases.tokens import create_token, revoke_token
from tests.agent.helpers import wait_until

from .live_server import Office

AIRING = {
    "event_id": "evt-00000001",
    "status": "aired",
    "planned_start": "2026-11-23T05:30:00+07:00",
}


def test_no_token_is_401_with_a_bearer_challenge(client: httpx.Client):
    r = client.get("/api/v1/stations/XA-DAKMIL/status")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["error"]["code"] == "unauthorized"


def test_unknown_token_is_401(client: httpx.Client):
    r = client.get(
        "/api/v1/stations/XA-DAKMIL/status", headers={"Authorization": "Bearer bct_nope"}
    )
    assert r.status_code == 401
    assert r.json()["error"]["message"] == (
        "mã truy cập không đúng; hãy kiểm tra lại, hoặc xin đơn vị cấp mã mới"
    )


def test_station_token_cannot_read_or_write_another_station(client: httpx.Client, office: Office):
    mine = office.headers("XA-DAKMIL")
    assert client.get("/api/v1/stations/XA-DAKMIL/airings", headers=mine).status_code == 200
    for method, path, body in [
        ("GET", "/api/v1/stations/XA-DUCMANH/playlists/2026-11-23", None),
        ("GET", "/api/v1/stations/XA-DUCMANH/airings", None),
        ("POST", "/api/v1/stations/XA-DUCMANH/airings", {"airings": [AIRING]}),
        ("POST", "/api/v1/stations/XA-DUCMANH/heartbeat", {}),
        ("GET", "/api/v1/stations/XA-DUCMANH/emergencies", None),
        ("GET", "/api/v1/offices/KV-DAKMIL/status", None),
    ]:
        r = client.request(method, path, headers=mine, json=body)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["error"]["code"] == "forbidden"
    # and nothing was written for the other station
    other = office.headers("XA-DUCMANH")
    assert client.get("/api/v1/stations/XA-DUCMANH/airings", headers=other).json() == []


def test_a_station_cannot_slip_logs_for_another_into_its_own_batch(
    client: httpx.Client, office: Office
):
    r = client.post(
        "/api/v1/stations/XA-DAKMIL/airings",
        headers=office.headers("XA-DAKMIL"),
        json={"airings": [{**AIRING, "station_code": "XA-DUCMANH"}]},
    )
    # answered per record: this one is rejected, naming the field, and nothing is stored
    assert r.status_code == 200
    (result,) = r.json()["results"]
    assert result["result"] == "rejected" and result["fields"][0]["field"] == "station_code"
    assert (
        client.get("/api/v1/stations/XA-DAKMIL/airings", headers=office.headers("XA-DAKMIL")).json()
        == []
    )


def test_office_token_reaches_its_subtree_only(client: httpx.Client, office: Office):
    boss = office.headers("KV-DAKMIL", Scope.OFFICE)
    assert client.get("/api/v1/stations/XA-DAKMIL/status", headers=boss).status_code == 200
    assert client.get("/api/v1/stations/XA-DAKMIL-L1/status", headers=boss).status_code == 200
    assert client.get("/api/v1/stations/LAMDONG/status", headers=boss).status_code == 403
    assert client.get("/api/v1/stations/NO-SUCH/status", headers=boss).status_code == 404
    statuses = client.get("/api/v1/offices/KV-DAKMIL/status", headers=boss).json()
    assert [s["station_code"] for s in statuses] == [
        "XA-DAKMIL",
        "XA-DUCMANH",
        "XA-DAKSAK",
        "XA-THUANAN",
    ]


def test_revoked_token_stops_working_within_the_watch(client: httpx.Client, office: Office):
    headers = office.headers("XA-DAKMIL")
    assert client.get("/api/v1/stations/XA-DAKMIL/status", headers=headers).status_code == 200
    # the server knows the token now (its cache); another process revokes it
    prefix = office.token("XA-DAKMIL")[:10]
    revoke_token(office.db, SystemClock(), prefix)
    # the emergency watcher looks once a second ([emergency] watch_seconds) and empties the
    # token cache when a token was revoked: the next requests are refused
    r = wait_until(
        lambda: _refused(client.get("/api/v1/stations/XA-DAKMIL/status", headers=headers)),
        timeout=10,
        what="the revoked token refused",
    )
    assert r.status_code == 401
    assert f"mã truy cập {prefix}" in r.json()["error"]["message"]
    # the refusal's own words (domain.distribution) up to the time
    revoked = translate("was revoked on {at}").partition("{at}")[0]
    assert revoked and revoked in r.json()["error"]["message"]


def _refused(r: httpx.Response) -> httpx.Response | None:
    return r if r.status_code == 401 else None


def test_an_expired_token_is_refused_and_says_when_it_expired(client: httpx.Client, office: Office):
    made_at = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    expired = create_token(
        office.db,
        FixedClock(made_at),
        scope=Scope.STATION,
        station_code="XA-DAKMIL",
        expires_at=made_at + timedelta(days=30),
    ).secret
    later = create_token(
        office.db,
        SystemClock(),
        scope=Scope.STATION,
        station_code="XA-DAKMIL",
        expires_at=SystemClock().now() + timedelta(days=30),
    ).secret
    r = client.get(
        "/api/v1/stations/XA-DAKMIL/status", headers={"Authorization": f"Bearer {expired}"}
    )
    assert r.status_code == 401
    # 08:00 UTC is 15:00 at the office (Asia/Ho_Chi_Minh), written as its readers write it
    refusal = _("expired on {at}", at="04/02/2026 15:00")
    assert r.json()["error"]["message"] == (
        f"mã truy cập {expired[:10]}… {refusal}; hãy xin đơn vị cấp mã mới"
    )
    ok = client.get(
        "/api/v1/stations/XA-DAKMIL/status", headers={"Authorization": f"Bearer {later}"}
    )
    assert ok.status_code == 200


def test_tokens_are_stored_hashed(office: Office):
    secret = office.token("XA-DAKMIL")
    with office.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT token_hash, prefix FROM api_token")).all()
    assert rows and all(secret not in (h + p) or p == secret[: len(p)] for h, p in rows)
    assert all(secret != h and len(h) == 64 for h, _ in rows)
