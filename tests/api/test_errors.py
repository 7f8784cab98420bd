"""One JSON error shape across all routes, 422 naming fields, size limits."""

from __future__ import annotations

import httpx
import pytest

from broadcaster.domain.distribution import Scope

from .live_server import Office

SHAPE = {"status", "code", "message", "fields"}


def _assert_shape(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == SHAPE
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], list)
    return body["error"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/no-such-route", 404),
        ("DELETE", "/api/v1/health", 405),
        ("GET", "/api/v1/stations/XA-DAKMIL/airings", 401),
        ("GET", "/api/v1/audio/0123456789abcdef0123", 401),
    ],
)
def test_every_error_has_the_same_shape(client: httpx.Client, method: str, path: str, status: int):
    _assert_shape(client.request(method, path), status)


def test_the_error_shape_holds_for_403_404_400_413_416_422(client: httpx.Client, office: Office):
    h = office.headers("XA-DAKMIL")
    _assert_shape(client.get("/api/v1/stations/XA-DUCMANH/status", headers=h), 403)
    _assert_shape(client.get("/api/v1/audio/" + "ab" * 32, headers=h), 404)
    _assert_shape(client.get("/api/v1/audio/not-a-hash", headers=h), 400)
    _assert_shape(client.get("/api/v1/emergencies/999", headers=h), 404)
    big = b'{"airings": [' + b" " * 1_100_000 + b"]}"
    _assert_shape(
        client.post(
            "/api/v1/stations/XA-DAKMIL/airings",
            headers={**h, "content-type": "application/json"},
            content=big,
        ),
        413,
    )
    err = _assert_shape(
        client.get("/api/v1/stations/XA-DAKMIL/emergencies?since=-1", headers=h), 422
    )
    assert err["fields"] == [
        {"field": "since", "in": "query", "message": "Input should be greater than or equal to 0"}
    ]


def test_a_chunked_body_over_the_limit_is_refused(client: httpx.Client, office: Office):
    def chunks():
        for _ in range(40):
            yield b" " * 50_000

    r = client.post(
        "/api/v1/stations/XA-DAKMIL/airings",
        content=chunks(),
        headers={**office.headers("XA-DAKMIL"), "content-type": "application/json"},
    )
    _assert_shape(r, 413)


def test_validation_errors_name_every_bad_field(client: httpx.Client, office: Office):
    r = client.post(
        "/api/v1/stations/XA-DAKMIL/airings/confirm",
        headers=office.headers("XA-DAKMIL"),
        json={
            "operator": "Nguyễn Văn A",
            "event_id": "x",
            "item_id": "mười",
            "planned_start": "2026-11-23T05:30:00",
        },
    )
    err = _assert_shape(r, 422)
    assert [f["field"] for f in err["fields"]] == ["event_id", "planned_start", "item_id"]
    assert "item_id" in err["message"]


def test_domain_validation_problems_come_back_as_fields(client: httpx.Client, office: Office):
    r = client.post(
        "/api/v1/emergencies",
        headers=office.headers("KV-DAKMIL", Scope.OFFICE),
        json={"title": "Thử", "stations": ["LAMDONG"]},
    )
    err = _assert_shape(r, 422)
    assert {f["field"] for f in err["fields"]} == {"text", "stations"}


def test_openapi_document_lists_the_routes(client: httpx.Client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/stations/{code}/airings",
        "/api/v1/emergencies",
        "/api/v1/audio/{name}",
        "/api/v1/stations/{code}/heartbeat",
    ):
        assert p in paths
