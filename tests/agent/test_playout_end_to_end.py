"""The agent against a real server: plays on time, survives outages and SIGKILL, obeys emergencies.

Schedules are compressed (entries seconds apart) and the null player keeps time without sound.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import httpx
import pytest
from click.testing import CliRunner

from broadcaster.cli import main
from broadcaster.clock import SystemClock
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.distribution import Scope
from broadcaster.domain.playout import bulletin_event_id

from .conftest import Station
from .helpers import AgentProcess, compressed_schedule, event_ids, wait_until

pytestmark = pytest.mark.slow


def _pull(st: Station, folder) -> None:
    r = CliRunner(mix_stderr=False).invoke(
        main,
        ["pull", "--station", "XA-DAKMIL", "--server", st.server.url, "--folder", str(folder)],
        env={
            "BROADCASTER_AGENT_TOKEN": st.office.token("XA-DAKMIL"),
            "BROADCASTER_CONFIG": "",
            "HOME": str(st.tmp),
        },
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.stderr


def _agent(st: Station, folder, grace: float = 2.0) -> AgentProcess:
    return AgentProcess(
        station="XA-DAKMIL",
        server=st.server.url,
        folder=folder,
        home=st.tmp,
        token=st.office.token("XA-DAKMIL"),
        grace=grace,
    )


def test_agent_plays_through_a_server_outage_and_every_airing_arrives_once(
    station: Station, tmp_path
):
    entries = compressed_schedule(
        station.office.settings.audio_cache_dir,
        station.tones,
        first=SystemClock().now() + timedelta(seconds=5),
        every=2.0,
        count=8,
        duration_ms=1000,
    )
    station.source.put_entries("XA-DAKMIL", entries)
    folder = tmp_path / "station"
    _pull(station, folder)
    agent = _agent(station, folder).start()
    try:
        wait_until(lambda: len(station.airings()) >= 2, 30, "the first logs")
        station.server.stop()
        # the agent keeps playing from its cache while the office is unreachable
        wait_until(
            lambda: sum(v.startswith("done") for v in agent.states().values()) >= 5,
            30,
            "playout during the outage",
        )
        assert len(station.airings()) <= 3
        station.restart_server()
        wait_until(lambda: len(station.airings()) >= 8, 30, "the logs after the outage")
        time.sleep(1.5)  # a few more sync rounds: a duplicate would show now
    finally:
        assert agent.stop() == 0, agent.output()
    airings = station.airings()
    assert len(airings) == 8
    assert {a.event_id for a in airings} == event_ids("XA-DAKMIL", entries)
    assert [a.status for a in airings] == [AiringStatus.AIRED] * 8, agent.output()
    assert [a.planned_start for a in airings] == [e.start for e in entries]
    for a, e in zip(airings, entries, strict=True):
        assert a.actual_start >= e.start - timedelta(milliseconds=50)
        assert a.actual_end - a.actual_start >= timedelta(milliseconds=950)


def test_sigkill_mid_session_loses_and_duplicates_nothing(station: Station, tmp_path):
    entries = compressed_schedule(
        station.office.settings.audio_cache_dir,
        station.tones,
        first=SystemClock().now() + timedelta(seconds=5),
        every=2.0,
        count=8,
        duration_ms=1500,
    )
    station.source.put_entries("XA-DAKMIL", entries)
    folder = tmp_path / "station"
    _pull(station, folder)
    agent = _agent(station, folder, grace=1.0).start()
    wait_until(lambda: agent.states().get(entries[2].key) == "playing", 30, "entry 3 to play")
    agent.kill()
    # stay down until entries 4 and 5 can no longer start (their grace is 1 s)
    wait_until(lambda: SystemClock().now() > entries[4].start + timedelta(seconds=1.2), 15, "time")
    restarted_at = SystemClock().now()
    agent = _agent(station, folder, grace=1.0).start()
    try:
        wait_until(lambda: len(station.airings()) >= 8, 40, "all logs")
        time.sleep(1.5)
    finally:
        assert agent.stop() == 0, agent.output()
    airings = {a.planned_start: a for a in station.airings()}
    assert len(station.airings()) == 8
    assert {a.event_id for a in airings.values()} == event_ids("XA-DAKMIL", entries)
    status = [airings[e.start].status for e in entries]
    assert status[:2] == [AiringStatus.AIRED, AiringStatus.AIRED]
    assert status[2] is AiringStatus.PARTIAL  # was playing when killed
    assert status[3:5] == [AiringStatus.MISSED, AiringStatus.MISSED]
    assert status[-1] is AiringStatus.AIRED
    back = agent.started_at()
    for e, s in zip(entries[3:], status[3:], strict=True):
        # missed exactly when its window (1 s of grace) closed before the agent was back
        if s is AiringStatus.MISSED:
            assert e.start + timedelta(seconds=1) < back, (e.start, back)
        else:
            assert s is AiringStatus.AIRED and e.start > restarted_at


def test_an_emergency_preempts_within_five_seconds_and_the_schedule_resumes(
    station: Station, tmp_path
):
    entries = compressed_schedule(
        station.office.settings.audio_cache_dir,
        station.tones,
        first=SystemClock().now() + timedelta(seconds=5),
        # room after the cut entry for the lead-in (about 5 s) and the body (2 s)
        every=10.0,
        count=3,
        duration_ms=4000,
    )
    station.source.put_entries("XA-DAKMIL", entries)
    folder = tmp_path / "station"
    _pull(station, folder)
    agent = _agent(station, folder).start()
    office = station.office.headers("KV-DAKMIL", Scope.OFFICE)
    try:
        with httpx.Client(base_url=station.server.url, timeout=20) as c:
            upload = c.post(
                "/api/v1/audio",
                content=station.tones[1],
                headers={**office, "content-type": "audio/mpeg"},
            ).json()
            wait_until(lambda: agent.states().get(entries[0].key) == "playing", 30, "entry 1")
            sent = c.post(
                "/api/v1/emergencies",
                headers=office,
                json={
                    "title": "Cháy rừng",
                    "audio_hash": upload["hash"],
                    "repeat": 2,
                    "stations": ["XA-DAKMIL"],
                },
            ).json()
            bulletin_id = bulletin_event_id("XA-DAKMIL", sent["id"])
            wait_until(
                lambda: any(a.event_id == bulletin_id for a in station.airings()),
                30,
                "the bulletin's log",
            )
            wait_until(lambda: len(station.airings()) >= 5, 40, "the rest of the session")
            seen = c.get(f"/api/v1/emergencies/{sent['id']}", headers=office).json()
    finally:
        assert agent.stop() == 0, agent.output()
    created = datetime.fromisoformat(sent["created_at"])
    by_id = {a.event_id: a for a in station.airings()}
    lead = by_id[bulletin_event_id("XA-DAKMIL", sent["id"], "lead_in")]
    bulletin = by_id[bulletin_id]
    assert lead.status is AiringStatus.AIRED and lead.title == "KHẨN CẤP: Cháy rừng — hiệu lệnh"
    assert bulletin.status is AiringStatus.AIRED and bulletin.title == "KHẨN CẤP: Cháy rừng"
    assert lead.actual_start - created < timedelta(seconds=5)
    assert bulletin.actual_start >= lead.actual_end
    # repeated twice: at least two seconds of the one-second tone
    assert bulletin.actual_end - bulletin.actual_start >= timedelta(seconds=2)
    by_start = {a.planned_start: a for a in by_id.values() if a.planned_start}
    cut = by_start[entries[0].start]
    assert cut.status is AiringStatus.INTERRUPTED and "khẩn cấp" in cut.note
    assert cut.actual_end <= lead.actual_start + timedelta(milliseconds=200)
    assert by_start[entries[1].start].status is AiringStatus.AIRED
    assert by_start[entries[2].start].status is AiringStatus.AIRED
    (delivery,) = [d for d in seen["deliveries"] if d["station_code"] == "XA-DAKMIL"]
    assert delivery["acked_at"] is not None
    assert datetime.fromisoformat(delivery["started_at"]) == lead.actual_start
