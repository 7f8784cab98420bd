"""The token cache: a station's token is looked up once, not per request; a revocation in any
process empties the cache of every worker; last uses are written in batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text

from broadcaster.api.app import create_app
from broadcaster.api.tokens import TokenCache
from broadcaster.clock import SystemClock
from broadcaster.domain.distribution import Principal, Scope
from broadcaster.usecases.tokens import revoke_token
from tests.agent.helpers import wait_until

from .live_server import LiveServer, Office, make_office

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_cached_caller_lasts_its_ttl_and_never_past_the_token_s_expiry():
    ticks = Ticks()
    cache = TokenCache(ttl=60, monotonic=ticks)
    lasting = Principal(1, Scope.STATION, "XA-DAKMIL")
    expiring = Principal(2, Scope.STATION, "XA-DUCMANH", expires_at=NOW + timedelta(minutes=5))
    cache.remember("a", lasting)
    cache.remember("b", expiring)
    assert cache.lookup("a", NOW) == lasting and cache.lookup("b", NOW) == expiring
    assert cache.lookup("b", NOW + timedelta(minutes=5)) is None  # expired: ask the database
    ticks.now += 61
    assert cache.lookup("a", NOW) is None
    assert cache.take_used() == {1: NOW, 2: NOW}
    assert cache.take_used() == {}
    assert (cache.hits, cache.misses) == (2, 2)


class MarkUow:
    """What :meth:`TokenCache.watch` reads: the tokens' revocation mark."""

    def __init__(self, mark: tuple[int, datetime | None]) -> None:
        class Tokens:
            def revocation_mark(_self) -> tuple[int, datetime | None]:
                return mark

        self.tokens = Tokens()


def test_a_changed_revocation_mark_empties_the_cache():
    cache = TokenCache()
    cache.remember("a", Principal(1, Scope.STATION, "XA-DAKMIL"))
    cache.watch(MarkUow((0, None)))  # the first look only learns the mark
    assert cache.lookup("a", NOW) is not None
    cache.watch(MarkUow((0, None)))
    assert cache.lookup("a", NOW) is not None and cache.clears == 0
    cache.watch(MarkUow((1, NOW)))
    assert cache.lookup("a", NOW) is None and cache.clears == 1


def _metrics(client: httpx.Client, office: Office) -> dict[str, int]:
    return client.get("/api/v1/metrics", headers=office.headers("KV-DAKMIL", Scope.OFFICE)).json()


def test_requests_with_a_known_token_do_not_look_it_up_again(tmp_path):
    office = make_office(tmp_path)
    app = create_app(office.settings, database=office.db)
    server = LiveServer(lambda: app).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            headers = office.headers("XA-DAKMIL")
            for _ in range(5):
                r = client.get("/api/v1/stations/XA-DAKMIL/status", headers=headers)
                assert r.status_code == 200
            figures = _metrics(client, office)
            # one lookup for the station token, one for the office token; the rest known
            assert figures["token_cache_misses"] == 2
            assert figures["token_cache_hits"] >= 4
            # the last use is written by the next flush (every 30 s, and at shutdown)
            with office.db.engine.connect() as conn:
                before = conn.execute(text("SELECT count(last_used_at) FROM api_token")).scalar()
            # the station token's later uses (the office token was used once, when looked up)
            assert app.state.broadcaster.tokens.flush(office.db) == 1
            with office.db.engine.connect() as conn:
                after = conn.execute(text("SELECT count(last_used_at) FROM api_token")).scalar()
            assert after >= before and after >= 2
    finally:
        server.stop()
        office.db.dispose()


@pytest.mark.postgres
def test_a_revocation_reaches_every_worker_at_once_on_postgresql(tmp_path, postgres_url):
    """Two workers (two apps on one PostgreSQL database); the CLI revokes; NOTIFY wakes both
    watchers, so both refuse the token without waiting for their safety poll (10 s)."""
    office = make_office(tmp_path, database_url=postgres_url)
    servers = [
        LiveServer(lambda: create_app(office.settings, database=office.db)).start()
        for _ in range(2)
    ]
    try:
        headers = office.headers("XA-DAKMIL")
        clients = [httpx.Client(base_url=s.url, timeout=30) for s in servers]
        for c in clients:
            assert c.get("/api/v1/stations/XA-DAKMIL/status", headers=headers).status_code == 200
        revoke_token(office.db, SystemClock(), office.token("XA-DAKMIL")[:10])
        for c in clients:
            wait_until(
                lambda c=c: (
                    c.get("/api/v1/stations/XA-DAKMIL/status", headers=headers).status_code == 401
                ),
                timeout=5,  # below the 10 s safety poll: only NOTIFY gets it here in time
                what="the revoked token refused by this worker",
            )
        for c in clients:
            c.close()
    finally:
        for s in servers:
            s.stop()
        office.db.dispose()
