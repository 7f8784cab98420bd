"""The real agent process against a real server, in real time: a SIGKILL mid-session loses
and duplicates nothing (the smoke test; playout, outages and bulletins are stepped through
virtual time in test_playout_stepped.py, and scripts/chaos_playout.py loops the faults).

The schedule is compressed (entries seconds apart) and the null player keeps time without sound.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from broadcaster.cli import main
from broadcaster.clock import SystemClock
from broadcaster.domain.airings import AiringStatus

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
        # every log sent: a duplicate would have arrived by now
        wait_until(lambda: _pending(folder) == 0, 20, "the outbox to empty")
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


def _pending(folder) -> int:
    import sqlite3

    conn = sqlite3.connect(folder / "agent.db", timeout=5)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])
    finally:
        conn.close()
