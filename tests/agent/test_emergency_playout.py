"""A real agent process and a served API: a bulletin's first sound does not wait for its body,
the body follows, and a cancelled bulletin stops at once and is logged cancelled."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from broadcaster.api import create_app
from broadcaster.audio.ffmpeg import probe_duration_ms
from broadcaster.audio.store import store_audio
from broadcaster.clock import SystemClock
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.distribution import Scope
from broadcaster.domain.playout import bulletin_event_id
from tests.api.live_server import LiveServer, Office, make_office

from .helpers import AgentProcess, DictSource, make_tone, wait_until

pytestmark = pytest.mark.slow
STATION = "XA-DAKMIL"


class GatedEngine:
    """Speaks a bulletin only when the test says so: synthesis that takes 'too long'."""

    def __init__(self, tone: bytes) -> None:
        self.tone = tone
        self.release = threading.Event()
        self.started = threading.Event()

    def __call__(self, settings, text: str) -> tuple[str, int]:
        self.started.set()
        assert self.release.wait(120), "the test never released the engine"
        audio_hash, path = store_audio(settings.audio_cache_dir, self.tone)
        return audio_hash, probe_duration_ms(path)


@dataclass
class Setup:
    office: Office
    server: LiveServer
    engine: GatedEngine
    agent: AgentProcess
    tmp: Path

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.url,
            timeout=30,
            headers=self.office.headers("KV-DAKMIL", Scope.OFFICE),
        )

    def airings(self):
        with self.office.db.unit_of_work() as uow:
            return {a.event_id: a for a in uow.airings.list(stations=[STATION])}


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    office = make_office(tmp_path)
    engine = GatedEngine(make_tone(tmp_path, 520, seconds=2.0))
    server = LiveServer(
        lambda: create_app(
            office.settings, database=office.db, playlist_source=DictSource(), synthesize=engine
        )
    ).start()
    agent = AgentProcess(
        station=STATION,
        server=server.url,
        folder=tmp_path / "station",
        home=tmp_path,
        token=office.token(STATION),
    ).start()
    s = Setup(office, server, engine, agent, tmp_path)
    try:
        with s.client() as c:
            # the agent is connected (its event stream is open) and has fetched the lead-in
            wait_until(
                lambda: c.get("/api/v1/metrics").json()["streams_open"] >= 1, 30, "the stream"
            )
        wait_until(lambda: list((s.tmp / "station").rglob("*.mp3")), 30, "the lead-in fetched")
        yield s
    finally:
        engine.release.set()
        assert agent.stop() == 0, agent.output()
        server.stop()
        office.db.dispose()


def test_the_first_sound_does_not_wait_for_the_body_and_the_body_follows(setup: Setup):
    with setup.client() as c:
        sent = c.post(
            "/api/v1/emergencies",
            json={
                "title": "Lũ quét",
                "text": "Mưa lớn gây lũ quét, bà con thôn 3 di chuyển lên vùng cao ngay.",
                "stations": [STATION],
            },
        ).json()
        lead_id = bulletin_event_id(STATION, sent["id"], "lead_in")
        body_id = bulletin_event_id(STATION, sent["id"])
        # the lead-in airs while the body is still being spoken
        lead = wait_until(lambda: setup.airings().get(lead_id), 40, "the lead-in's log")
        assert setup.engine.started.is_set() and body_id not in setup.airings()
        assert c.get(f"/api/v1/emergencies/{sent['id']}").json()["body_state"] == "pending"
        released = SystemClock().now()
        setup.engine.release.set()
        body = wait_until(lambda: setup.airings().get(body_id), 40, "the body's log")
        seen = c.get(f"/api/v1/emergencies/{sent['id']}").json()
    created = datetime.fromisoformat(sent["created_at"])
    assert lead.status is AiringStatus.AIRED and lead.title == "KHẨN CẤP: Lũ quét — hiệu lệnh"
    assert lead.actual_start - created <= timedelta(seconds=2), setup.agent.output()
    assert body.status is AiringStatus.AIRED and body.title == "KHẨN CẤP: Lũ quét"
    assert body.actual_start >= released and body.actual_start >= lead.actual_end
    assert body.actual_end - body.actual_start >= timedelta(milliseconds=1900)
    (delivery,) = seen["deliveries"]
    assert delivery["acked_at"] is not None
    assert datetime.fromisoformat(delivery["started_at"]) == lead.actual_start


def test_a_cancelled_bulletin_stops_within_two_seconds_and_is_logged_cancelled(setup: Setup):
    long_tone = make_tone(setup.tmp, 330, seconds=20.0)
    with setup.client() as c:
        upload = c.post(
            "/api/v1/audio", content=long_tone, headers={"content-type": "audio/mpeg"}
        ).json()
        sent = c.post(
            "/api/v1/emergencies",
            json={"title": "Cháy rừng", "audio_hash": upload["hash"], "stations": [STATION]},
        ).json()
        lead_id = bulletin_event_id(STATION, sent["id"], "lead_in")
        body_id = bulletin_event_id(STATION, sent["id"])
        # the lead-in is over, so the twenty-second body is playing now
        wait_until(lambda: lead_id in setup.airings(), 40, "the lead-in's log")
        cancelled = c.post(
            f"/api/v1/emergencies/{sent['id']}/cancel", json={"reason": "báo nhầm"}
        ).json()
        body = wait_until(lambda: setup.airings().get(body_id), 30, "the body's log")
    at = datetime.fromisoformat(cancelled["cancelled_at"])
    assert body.status is AiringStatus.CANCELLED and "báo nhầm" in body.note
    assert body.actual_end - at <= timedelta(seconds=2), setup.agent.output()
    assert body.actual_end - body.actual_start < timedelta(seconds=15)
