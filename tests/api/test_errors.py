"""One JSON error shape across all routes, 422 naming fields, size limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from broadcaster.api import create_app
from broadcaster.config import load_settings
from broadcaster.domain.distribution import Scope
from broadcaster.usecases.stations import load_stations
from tests.databases import migrated_database
from tests.lead_in import seed_lead_in

from .live_server import EXAMPLE, LiveServer, Office

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
        {"field": "since", "in": "query", "message": "phải lớn hơn hoặc bằng 0"}
    ]


def test_validation_messages_are_in_the_callers_language(client: httpx.Client, office: Office):
    url = "/api/v1/stations/XA-DAKMIL/emergencies?since=-1"
    vi = _assert_shape(client.get(url, headers=office.headers("XA-DAKMIL")), 422)
    en = _assert_shape(
        client.get(url, headers={**office.headers("XA-DAKMIL"), "Accept-Language": "en"}), 422
    )
    assert (vi["message"], vi["fields"][0]["message"]) == (
        "1 trường không hợp lệ: since",
        "phải lớn hơn hoặc bằng 0",
    )
    assert (en["message"], en["fields"][0]["message"]) == (
        "1 field is not valid: since",
        "must be greater than or equal to 0",
    )
    # pydantic's own words too, with their values: a string too short, a missing field
    r = client.post(
        "/api/v1/stations/XA-DAKMIL/airings/confirm?lang=en",
        headers=office.headers("XA-DAKMIL"),
        json={"event_id": "x", "extra": 1},
    )
    fields = {f["field"]: f["message"] for f in _assert_shape(r, 422)["fields"]}
    assert fields == {
        "operator": "required; send it",
        "event_id": "must have at least 8 characters",
        "extra": "not a field of this request; leave it out",
    }


def test_a_body_over_the_limit_is_refused_in_the_callers_language(
    client: httpx.Client, office: Office
):
    big = b'{"airings": [' + b" " * 1_100_000 + b"]}"
    headers = {**office.headers("XA-DAKMIL"), "content-type": "application/json"}
    url = "/api/v1/stations/XA-DAKMIL/airings"
    vi = _assert_shape(client.post(url, headers=headers, content=big), 413)
    en = _assert_shape(
        client.post(url, headers={**headers, "Accept-Language": "en"}, content=big), 413
    )
    assert vi["message"] == "nội dung yêu cầu lớn hơn giới hạn 1048576 byte của đường dẫn này"
    assert en["message"] == "the request body is larger than this route's limit of 1048576 bytes"


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


# --- the audit's 500s (issue 12): each is now a 4xx naming its field, and the connection
# --- it came on still answers the next request


def _office_on(database_url: str, tmp: Path) -> Office:
    """live_server.make_office, on the database given."""
    settings = load_settings(
        None,
        {
            "BROADCASTER_DATA_DIR": str(tmp / "data"),
            "BROADCASTER_DATABASE_URL": database_url,
            "BROADCASTER_AUDIO_DIR": str(tmp / "audio"),
            "HOME": str(tmp),
        },
    )
    seed_lead_in(settings.audio_dir)
    db = migrated_database(settings.database_url)
    load_stations(db, EXAMPLE)
    return Office(settings, db)


@pytest.fixture
def on_each_db(database_url: str, tmp_path: Path) -> Iterator[tuple[httpx.Client, Office]]:
    """A live server and one client (one keep-alive connection), on SQLite and PostgreSQL."""
    office = _office_on(database_url, tmp_path)
    server = LiveServer(lambda: create_app(office.settings, database=office.db)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            yield client, office
    finally:
        server.stop()
        office.db.dispose()


def _local_port(r: httpx.Response) -> int:
    return int(r.extensions["network_stream"].get_extra_info("client_addr")[1])


def _refused_then_served(
    client: httpx.Client,
    bad: httpx.Request,
    good: httpx.Request,
    field: str,
    where: str,
    status: int = 422,
) -> None:
    r = client.send(bad)
    err = _assert_shape(r, status)
    assert {"field": field, "in": where} in [
        {"field": f["field"], "in": f["in"]} for f in err["fields"]
    ], err
    assert field in err["message"]
    assert r.headers.get("connection", "").lower() != "close"
    again = client.send(good)
    assert again.status_code < 300, again.text
    assert _local_port(again) == _local_port(r), "the good request needed a new connection"


BIG = 2**63  # one past the largest BIGINT
HUGE = 2**70


def test_a_bulletin_id_past_64_bits_is_refused(on_each_db):
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    _refused_then_served(
        client,
        client.build_request("GET", f"/api/v1/emergencies/{BIG}", headers=h),
        client.build_request("GET", "/api/v1/stations/XA-DAKMIL/emergencies", headers=h),
        "emergency_id",
        "path",
    )


def test_a_bulletin_id_past_32_bits_is_refused_where_postgresql_would_fail(on_each_db):
    # bulletin ids live in an INTEGER column: PostgreSQL answered 'integer out of range'
    client, office = on_each_db
    h = office.headers("KV-DAKMIL", Scope.OFFICE)
    for bad in (
        client.build_request("GET", f"/api/v1/emergencies/{2**31}", headers=h),
        client.build_request("POST", f"/api/v1/emergencies/{BIG - 1}/cancel", headers=h),
        client.build_request(
            "POST",
            f"/api/v1/stations/XA-DAKMIL/emergencies/{2**40}/ack",
            headers=office.headers("XA-DAKMIL"),
        ),
    ):
        _refused_then_served(
            client,
            bad,
            client.build_request("GET", "/api/v1/stations/XA-DAKMIL/status", headers=h),
            "emergency_id",
            "path",
        )


def test_a_cursor_of_2_to_the_70_is_refused(on_each_db):
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    url = "/api/v1/stations/XA-DAKMIL/emergencies"
    _refused_then_served(
        client,
        client.build_request("GET", url, params={"since": HUGE}, headers=h),
        client.build_request("GET", url, params={"since": 0}, headers=h),
        "since",
        "query",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("item_id", BIG), ("item_id", 2**31), ("planned_start", "0001-01-01T00:00:00Z")],
)
def test_a_confirmation_with_a_value_no_column_holds_is_refused(on_each_db, field, value):
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    url = "/api/v1/stations/XA-DAKMIL/airings/confirm"
    _refused_then_served(
        client,
        client.build_request("POST", url, headers=h, json={"operator": "Bà Ba", field: value}),
        client.build_request("POST", url, headers=h, json={"operator": "Bà Ba", "item_id": 7}),
        field,
        "body",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("plan_version", BIG),
        ("item_id", HUGE),
        ("actual_start", "9999-12-31T23:59:59Z"),
        ("timezone", "Mars/Olympus"),
        ("note", "mất điện\x00"),
    ],
)
def test_an_airing_with_a_value_no_column_holds_is_rejected_by_itself(on_each_db, field, value):
    # a batch answers per record (the others are stored): the bad one names its field
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    bad = {"event_id": "evt-bad-0001", "status": "aired", field: value}
    good = {"event_id": "evt-good-0001", "status": "aired", "plan_version": 3}
    r = client.post("/api/v1/stations/XA-DAKMIL/airings", headers=h, json={"airings": [bad, good]})
    assert r.status_code == 200, r.text
    rejected, accepted = r.json()["results"]
    assert rejected["result"] == "rejected" and accepted["result"] == "accepted"
    assert [f["field"] for f in rejected["fields"]] == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("free_disk_bytes", HUGE),
        ("pending_logs", 2**31),
        ("rejected_logs", False),
        ("next_entry_at", "0001-01-01T00:00:00+07:00"),
        ("next_entry_at", "9999-12-31T23:59:59Z"),
        ("fallback_day", "0001-01-01"),
        ("playing", "Bản tin\x00"),
        # a cluster's board: JSON numbers and true/false only, in range
        ("temperature_c", False),
        ("temperature_c", "48.5"),
        ("volume", True),
        ("volume", 16),
        ("relay_on", 1),
        ("audio_ok", "yes"),
    ],
)
def test_a_heartbeat_with_a_value_no_column_holds_is_refused(on_each_db, field, value):
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    url = "/api/v1/stations/XA-DAKMIL/heartbeat"
    _refused_then_served(
        client,
        client.build_request("POST", url, headers=h, json={field: value}),
        client.build_request("POST", url, headers=h, json={"free_disk_bytes": 2**40}),
        field,
        "body",
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stations/XA-DAKMIL/airings?from=0001-01-01",
        "/api/v1/stations/XA-DAKMIL/playlists?from=0001-01-01",
        "/api/v1/stations/XA-DAKMIL/playlists?from=2026-11-23&to=9999-12-31",
    ],
)
def test_a_day_in_year_1_or_9999_is_refused(on_each_db, url):
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    field = "to" if "to=" in url else "from"
    _refused_then_served(
        client,
        client.build_request("GET", url, headers=h),
        client.build_request("GET", "/api/v1/stations/XA-DAKMIL/airings", headers=h),
        field,
        "query",
    )


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01.m3u8"])
def test_a_playlist_day_outside_2000_to_2100_is_refused(on_each_db, day):
    client, office = on_each_db
    h = office.headers("XA-DAKMIL")
    _refused_then_served(
        client,
        client.build_request("GET", f"/api/v1/stations/XA-DAKMIL/playlists/{day}", headers=h),
        client.build_request("GET", "/api/v1/stations/XA-DAKMIL/status", headers=h),
        "day",
        "path",
    )


def test_a_malformed_playlist_day_stays_400_and_names_the_day(client: httpx.Client, office: Office):
    h = office.headers("XA-DAKMIL")
    bad = client.build_request("GET", "/api/v1/stations/XA-DAKMIL/playlists/23-11-2026", headers=h)
    good = client.build_request("GET", "/api/v1/stations/XA-DAKMIL/status", headers=h)
    _refused_then_served(client, bad, good, "day", "path", status=400)


def test_an_acknowledgement_started_in_year_1_is_refused(on_each_db):
    client, office = on_each_db
    sent = client.post(
        "/api/v1/emergencies",
        headers=office.headers("KV-DAKMIL", Scope.OFFICE),
        json={"title": "Bão số 3", "text": "Gió giật cấp 9.", "stations": ["XA-DAKMIL"]},
    )
    assert sent.status_code == 201, sent.text
    url = f"/api/v1/stations/XA-DAKMIL/emergencies/{sent.json()['id']}/ack"
    h = office.headers("XA-DAKMIL")
    _refused_then_served(
        client,
        client.build_request("POST", url, headers=h, json={"started_at": "0001-01-01T00:00:00Z"}),
        client.build_request("POST", url, headers=h, json={}),
        "started_at",
        "body",
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/emergencies", {"title": "Cảnh báo\x00lũ", "text": "Nước lên."}, "title"),
        ("/api/v1/emergencies", {"title": "Cảnh báo lũ", "text": "Nước\x00 lên."}, "text"),
        ("/api/v1/emergencies", {"title": "Lũ", "text": "Lên.", "office": "KV\x00"}, "office"),
        (
            "/api/v1/emergencies",
            {"title": "Lũ", "text": "Lên.", "stations": ["XA-DAKMIL\x00"]},
            "stations.0",
        ),
        ("/api/v1/emergencies/1/cancel", {"reason": "báo\x00nhầm"}, "reason"),
    ],
)
def test_a_nul_character_in_a_text_is_refused_before_postgresql_sees_it(
    on_each_db, path, body, field
):
    client, office = on_each_db
    h = office.headers("KV-DAKMIL", Scope.OFFICE)
    _refused_then_served(
        client,
        client.build_request("POST", path, headers=h, json=body),
        client.build_request("GET", "/api/v1/offices/KV-DAKMIL/status", headers=h),
        field,
        "body",
    )


def test_a_nul_character_in_a_station_code_is_refused(on_each_db):
    client, office = on_each_db
    h = office.headers("KV-DAKMIL", Scope.OFFICE)
    _refused_then_served(
        client,
        client.build_request("GET", "/api/v1/stations/XA-DAK%00MIL/status", headers=h),
        client.build_request("GET", "/api/v1/stations/XA-DAKMIL/status", headers=h),
        "code",
        "path",
    )


def test_a_long_poll_wait_of_nan_is_refused(client: httpx.Client, office: Office):
    h = office.headers("XA-DAKMIL")
    url = "/api/v1/stations/XA-DAKMIL/emergencies"
    _refused_then_served(
        client,
        client.build_request("GET", url, params={"wait": "nan"}, headers=h),
        client.build_request("GET", url, headers=h),
        "wait",
        "query",
    )


def test_a_non_ascii_digit_in_last_event_id_is_ignored(client: httpx.Client, office: Office):
    # '²'.isdigit() holds but int('²') raises: this was a 500
    with client.stream(
        "GET",
        "/api/v1/stations/XA-DAKMIL/emergencies/stream",
        headers={**office.headers("XA-DAKMIL"), "Last-Event-ID": "²".encode("latin-1")},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")


@pytest.mark.parametrize(
    ("header", "status"), [("", 400), ("bytes=5-2", 400), ("bytes=0-1,9999999-", 416)]
)
def test_a_range_starlette_would_refuse_in_plain_text_gets_the_error_shape(
    client: httpx.Client, office: Office, tone_mp3: bytes, header: str, status: int
):
    upload = client.post(
        "/api/v1/audio",
        headers={**office.headers("KV-DAKMIL", Scope.OFFICE), "content-type": "audio/mpeg"},
        content=tone_mp3,
    )
    assert upload.status_code == 201, upload.text
    h = office.headers("KV-DAKMIL", Scope.OFFICE)
    url = f"/api/v1/audio/{upload.json()['hash']}"
    _refused_then_served(
        client,
        client.build_request("GET", url, headers={**h, "Range": header}),
        client.build_request("GET", url, headers={**h, "Range": "bytes=0-9"}),
        "range",
        "header",
        status=status,
    )


def test_a_body_that_is_not_utf8_is_refused_naming_the_body(client: httpx.Client, office: Office):
    h = {**office.headers("XA-DAKMIL"), "content-type": "application/json"}
    url = "/api/v1/stations/XA-DAKMIL/heartbeat"
    _refused_then_served(
        client,
        client.build_request("POST", url, headers=h, content=b'{"playing": "\xb3\xc4"}'),
        client.build_request("POST", url, headers=h, content=b"{}"),
        "body",
        "body",
        status=400,
    )


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/stations/XA-DAKMIL/airings", "GET, POST"),
        ("/api/v1/audio/" + "ab" * 32, "GET, HEAD"),
        ("/api/v1/audio", "POST"),
        ("/api/v1/health", "GET"),
    ],
)
def test_405_lists_every_method_of_the_path_in_allow(client: httpx.Client, path: str, allowed):
    # Starlette put only the first matching route's methods there (POST on the airings)
    for method in ("DELETE", "OPTIONS", "PUT"):
        r = client.request(method, path)
        _assert_shape(r, 405)
        assert r.headers["allow"] == allowed
