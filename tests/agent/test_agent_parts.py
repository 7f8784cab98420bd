"""Agent parts without a server: one agent per folder, players, the local store, playlists."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadcaster.agent.folder import AgentBusy, FolderLock, LocalFolder
from broadcaster.agent.player import NullPlayer, Outcome, make_player
from broadcaster.agent.playlist import read_playlist
from broadcaster.agent.store import LocalStore
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.errors import ConfigError, InputError
from broadcaster.domain.playout import EntryState, PlayoutEntry, entry_airing

T0 = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)


def test_only_one_agent_may_run_per_folder(tmp_path: Path):
    folder = LocalFolder(tmp_path)
    first = FolderLock(folder).acquire()
    with pytest.raises(AgentBusy, match="đang chạy trên thư mục"):
        FolderLock(folder).acquire()
    first.release()
    FolderLock(folder).acquire().release()


def test_null_player_keeps_time_and_stops_on_request():
    stop = threading.Event()
    t = time.monotonic()
    assert NullPlayer().play(Path("x"), timedelta(seconds=0.2), stop, None).outcome is Outcome.DONE
    assert time.monotonic() - t >= 0.2
    assert NullPlayer().play(Path("x"), timedelta(seconds=5), stop, 0.1).outcome is Outcome.DEADLINE
    threading.Timer(0.1, stop.set).start()
    assert NullPlayer().play(Path("x"), timedelta(seconds=5), stop, None).outcome is Outcome.STOPPED


def test_command_players_are_stopped_and_failures_reported(tmp_path: Path):
    stop = threading.Event()
    sleeper = make_player("sleep 30 {path}")
    threading.Timer(0.2, stop.set).start()
    t = time.monotonic()
    assert sleeper.play(Path("0"), timedelta(), stop, None).outcome is Outcome.STOPPED
    assert time.monotonic() - t < 5
    failing = make_player("false")
    result = failing.play(tmp_path / "a.mp3", timedelta(), threading.Event(), None)
    assert result.outcome is Outcome.FAILED and "false dừng với mã lỗi 1" in (result.error or "")
    with pytest.raises(ConfigError, match="chưa được cài"):
        make_player("no-such-player-xyz")


def test_outcomes_and_outbox_are_written_together_once(tmp_path: Path):
    store = LocalStore(tmp_path / "agent.db")
    e = PlayoutEntry("k1", "XA-DAKMIL", T0, timedelta(seconds=30), "Tin", "ab" * 8)
    store.mark_playing("k1", T0, T0)
    assert store.entry_states() == {"k1": EntryState.PLAYING}
    airing = entry_airing(e, AiringStatus.AIRED, actual_start=T0, actual_end=T0 + e.duration)
    assert store.record_outcome("k1", airing, T0) is True
    assert store.record_outcome("k1", airing, T0) is False
    due = store.due("airing", T0)
    assert [r.event_id for r in due] == [airing.event_id]
    store.mark_failed([airing.event_id], T0 + timedelta(seconds=4), "down")
    assert store.due("airing", T0 + timedelta(seconds=1)) == []
    assert len(store.due("airing", T0 + timedelta(seconds=5))) == 1
    store.mark_sent([airing.event_id], T0)
    assert store.pending_count() == 0
    store.close()
    reopened = LocalStore(tmp_path / "agent.db")
    assert reopened.entry_states() == {"k1": EntryState.DONE}
    reopened.close()


def test_playlist_reading_keeps_entries_with_audio_and_refuses_another_station():
    doc = {
        "station": {"code": "XA-DAKMIL"},
        "date": "2026-11-24",
        "plan_version": 2,
        "sessions": [
            {
                "entries": [
                    {
                        "id": 1,
                        "start": "2026-11-24T05:30:00+07:00",
                        "duration_ms": 1500,
                        "title": "A",
                        "audio": {"hash": "cd" * 32},
                    },
                    {"id": 2, "start": "2026-11-24T05:31:00+07:00", "title": "Tiếp âm"},
                ]
            }
        ],
    }
    (e,) = read_playlist(doc, "XA-DAKMIL")
    assert e.start == datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
    assert e.duration == timedelta(milliseconds=1500) and e.plan_version == 2
    with pytest.raises(InputError, match="là của đài XA-DAKMIL, không phải của XA-DUCMANH"):
        read_playlist(doc, "XA-DUCMANH")
    naive = {
        **doc,
        "sessions": [
            {"entries": [{**doc["sessions"][0]["entries"][0], "start": "2026-11-24T05:30:00"}]}
        ],
    }
    with pytest.raises(InputError, match="không có múi giờ"):
        read_playlist(naive, "XA-DAKMIL")


def test_playlist_audio_may_be_a_bare_hash_or_an_exported_path():
    doc = {
        "station_code": "XA-DAKMIL",
        "date": "2026-11-24",
        "entries": [
            {"start": "2026-11-24T05:30:00+07:00", "duration_seconds": 2, "audio": "ef" * 32},
            {
                "start": "2026-11-24T05:31:00+07:00",
                "duration_seconds": 2,
                "audio": f"audio/{'12' * 32}.mp3",
            },
        ],
    }
    a, b = read_playlist(doc, "XA-DAKMIL")
    assert (a.audio_hash, b.audio_hash) == ("ef" * 32, "12" * 32)
    assert b.duration == timedelta(seconds=2)


def test_an_agent_with_nothing_to_play_says_how_to_get_playlists(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    import logging

    from broadcaster.agent.runtime import Agent, AgentSettings
    from broadcaster.clock import SystemClock

    agent = Agent(
        station="XA-DAKMIL",
        folder=LocalFolder(tmp_path / "XA-DAKMIL").ensure(),
        settings=AgentSettings(),
        timezone="Asia/Ho_Chi_Minh",
        clock=SystemClock(),
        player=NullPlayer(),
    )
    stop = threading.Event()
    stop.set()  # start, report, stop
    with caplog.at_level(logging.INFO, logger="broadcaster.agent"):
        agent.run(until=stop)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "không có gì để phát: chưa có danh mục phát nào của XA-DAKMIL trong "
        f"{tmp_path / 'XA-DAKMIL' / 'playlists'}; hãy chép vào bằng 'broadcaster pull "
        "--from-folder DIR --station XA-DAKMIL' (phần mềm phát kiểm tra mỗi phút), hoặc chạy "
        "phần mềm phát với --server URL"
    ]


def test_the_agent_warns_once_a_day_before_its_token_expires(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    import logging

    from broadcaster.agent.runtime import Agent, AgentSettings
    from broadcaster.domain.clock import FixedClock

    clock = FixedClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    agent = Agent(
        station="XA-DAKMIL",
        folder=LocalFolder(tmp_path / "XA-DAKMIL").ensure(),
        settings=AgentSettings(),
        timezone="Asia/Ho_Chi_Minh",
        clock=clock,
        player=NullPlayer(),
    )
    with caplog.at_level(logging.WARNING, logger="broadcaster.agent"):
        agent._warn_if_token_expires("2027-03-01T00:00:00+00:00")  # months away: quiet
        agent._warn_if_token_expires(None)  # never expires: quiet
        agent._warn_if_token_expires("2026-12-10T01:00:00+00:00")
        clock.advance(timedelta(hours=6))
        agent._warn_if_token_expires("2026-12-10T01:00:00+00:00")  # already said today
        clock.advance(timedelta(days=1))
        agent._warn_if_token_expires("2026-12-10T01:00:00+00:00")
    messages = [r.getMessage() for r in caplog.records]
    assert (
        messages
        == [
            "mã truy cập của đài hết hạn lúc 10/12/2026 08:00; hãy xin đơn vị cấp mã mới "
            "('broadcaster tokens create --station XA-DAKMIL') và đặt mã trước thời điểm đó"
        ]
        * 2
    )
