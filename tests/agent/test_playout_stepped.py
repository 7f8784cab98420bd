"""Playout stepped through virtual time: no sleeping, exact instants.

The agent's parts run here as in a real agent, but time is a :class:`FixedClock` that the
:class:`SimulatedPlayer` moves on by each file's length, and the test calls ``entry_due``
where APScheduler would.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadcaster.agent.bulletins import PlayoutDeps
from broadcaster.agent.client import StationClient
from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.player import SimulatedPlayer
from broadcaster.agent.playout import Playout
from broadcaster.agent.store import LocalStore
from broadcaster.agent.sync import OutboxSync
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.messages import speaking
from broadcaster.domain.playout import PlayoutEntry, entry_airing, timeline
from broadcaster.i18n import translations

from .conftest import Station

T = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)  # 05:30 in Vietnam
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SOUND = "ab" * 32


class Rig:
    """A playout on a virtual clock, with its store and folder."""

    def __init__(self, tmp: Path, grace: float = 30.0, interrupt=None) -> None:
        self.clock = FixedClock(T)
        self.folder = LocalFolder(tmp / "station").ensure()
        self.folder.audio_target(SOUND).write_bytes(b"ID3 tone")
        self.store = LocalStore(self.folder.state_db)
        self.player = SimulatedPlayer(self.clock, interrupt)
        self.synced = 0
        self.playout = Playout(
            PlayoutDeps(
                station="XA-DAKMIL",
                folder=self.folder,
                store=self.store,
                clock=self.clock,
                player=self.player,
                tz=TZ,
                fetch_audio=lambda h: None,
                wake_sync=self._woken,
            ),
            grace=timedelta(seconds=grace),
            sleep=lambda s: self.clock.advance(timedelta(seconds=s)),
        )

    def _woken(self) -> None:
        self.synced += 1

    def entries(self, *spec: tuple[float, float]) -> list[PlayoutEntry]:
        """Entries at T + start seconds lasting duration seconds."""
        out = [
            PlayoutEntry(
                key=f"e{i}",
                station_code="XA-DAKMIL",
                start=T + timedelta(seconds=start),
                duration=timedelta(seconds=length),
                title=f"Tin {i}",
                audio_hash=SOUND,
            )
            for i, (start, length) in enumerate(spec, start=1)
        ]
        self.playout.set_timeline(timeline(out))
        return out

    def due_at(self, entry: PlayoutEntry, at: float) -> None:
        """The scheduler fires ``entry``'s job ``at`` seconds after T; playout runs it."""
        self.clock.set(T + timedelta(seconds=at))
        self.playout.entry_due(entry.key)
        while self.playout.step():
            pass

    def logs(self) -> dict[str, tuple[AiringStatus, float | None, float | None, str | None]]:
        """entry id → (status, start, end in seconds after T, note), from the outbox."""

        def at(p: dict, key: str) -> float | None:
            v = p.get(key)
            return (datetime.fromisoformat(v) - T).total_seconds() if v else None

        out = {}
        for r in self.store.due("airing", T + timedelta(days=1), 1000):
            p = r.payload
            out[p["entry_id"]] = (
                AiringStatus(p["status"]),
                at(p, "actual_start"),
                at(p, "actual_end"),
                p["note"],
            )
        return out


@pytest.fixture
def rig(tmp_path: Path):
    r = Rig(tmp_path)
    yield r
    r.store.close()


def test_entries_play_at_their_times_late_ones_are_missed_or_cut_for_the_next(rig: Rig):
    e1, e2, e3, e4, e5 = rig.entries((0, 50), (60, 20), (120, 30), (200, 60), (240, 20))
    rig.due_at(e1, 0)
    rig.due_at(e2, 100)  # 40 s late, grace 30 s: missed
    rig.due_at(e3, 125)  # 5 s late: plays
    rig.due_at(e4, 210)  # 10 s late: must stop in time for e5 to start within its grace
    rig.due_at(e5, rig.clock.now().timestamp() - T.timestamp())
    logs = rig.logs()
    assert logs["e1"] == (AiringStatus.AIRED, 0, 50, None)
    assert logs["e2"] == (AiringStatus.MISSED, None, None, "trễ 40 giây")
    assert logs["e3"] == (AiringStatus.AIRED, 125, 155, None)
    status, start, end, note = logs["e4"]
    assert (status, start, note) == (AiringStatus.PARTIAL, 210, "cắt để giữ giờ mục sau")
    assert end == pytest.approx(269.5)  # e5's last start (240 + 30) less the margin
    assert logs["e5"][0] is AiringStatus.AIRED and logs["e5"][1] == pytest.approx(269.5)
    assert rig.synced == 5  # every outcome woke the sync at once


def test_the_operators_log_says_what_played_what_was_missed_and_why_and_what_was_cut(
    rig: Rig, caplog: pytest.LogCaptureFixture
):
    e1, e2, e3, e4, e5 = rig.entries((0, 50), (60, 20), (120, 30), (200, 60), (240, 20))
    with caplog.at_level(logging.INFO, logger="broadcaster.agent"):
        rig.due_at(e1, 0)
        rig.due_at(e2, 100)
        rig.due_at(e3, 125)
        rig.due_at(e4, 210)
        rig.due_at(e5, rig.clock.now().timestamp() - T.timestamp())
    said = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert said == [
        (logging.INFO, "đang phát «Tin 1» (kế hoạch 05:30:00)"),
        (logging.INFO, "đã phát xong «Tin 1»"),
        (logging.WARNING, "bỏ lỡ «Tin 2» (kế hoạch 05:31:00): trễ 40 giây, quá thời gian cho phép"),
        (logging.INFO, "đang phát «Tin 3» (kế hoạch 05:32:00)"),
        (logging.INFO, "đã phát xong «Tin 3»"),
        (logging.INFO, "đang phát «Tin 4» (kế hoạch 05:33:20)"),
        (logging.INFO, "đã cắt «Tin 4» sau 60 giây để giữ giờ mục sau"),
        (logging.INFO, "đang phát «Tin 5» (kế hoạch 05:34:00)"),
        (logging.INFO, "đã phát xong «Tin 5»"),
    ]
    with speaking(translations("en")):
        english = [r.getMessage() for r in caplog.records]
    assert english[2] == "missed «Tin 2» (planned 05:31:00): 40 s late, beyond the grace time"
    assert english[6] == "cut «Tin 4» after 60 s to keep the next entry's time"


def _bulletin(rig: Rig, emergency_id: int = 7, body_ready: bool = True, **extra) -> dict:
    b = {
        "id": emergency_id,
        "seq": 1,
        "state": "live",
        "title": "Lũ quét",
        "audio_hash": SOUND if body_ready else None,
        "body_state": "ready" if body_ready else "pending",
        "duration_ms": 40_000,
        "repeat": 1,
        "expires_at": (T + timedelta(hours=1)).isoformat(),
        "parts": [
            {"role": "lead_in", "audio_hash": SOUND, "duration_ms": 5_000},
            {"role": "body", "audio_hash": SOUND if body_ready else None, "duration_ms": 40_000},
        ],
        **extra,
    }
    rig.store.update_bulletin(emergency_id, b, rig.clock.now())
    return b


def test_a_bulletin_interrupts_an_entry_and_the_schedule_resumes(tmp_path: Path):
    arrivals = {}

    def interrupt(start, end, stop):
        # the bulletin arrives 20 s into the first entry
        cut = T + timedelta(seconds=20)
        if start < cut < end and "sent" not in arrivals:
            arrivals["sent"] = True
            rig.playout.bulletin_arrived(_bulletin(rig))
            return cut
        return None

    rig = Rig(tmp_path, interrupt=interrupt)
    e1, e2, e3 = rig.entries((0, 60), (50, 30), (90, 20))
    rig.due_at(e1, 0)  # interrupted at 20; the bulletin plays 20 → 25 → 65
    rig.due_at(e2, 65)  # its window (50 + 30 s) is still open at 65: plays, ends at 95
    rig.due_at(e3, rig.clock.now().timestamp() - T.timestamp())
    logs = rig.logs()
    assert logs["e1"] == (AiringStatus.INTERRUPTED, 0, 20, "ngắt bởi bản tin khẩn cấp #7")
    assert logs["emergency-7:lead-in"][:3] == (AiringStatus.AIRED, 20, 25)
    assert logs["emergency-7"][:3] == (AiringStatus.AIRED, 25, 65)
    assert logs["e2"][:3] == (AiringStatus.AIRED, 65, 95)
    assert logs["e3"][0] is AiringStatus.AIRED
    acks = {r.event_id: r.payload for r in rig.store.due("ack", T + timedelta(days=1))}
    assert acks["ack-7-received"]["started_at"] is None
    assert datetime.fromisoformat(acks["ack-7"]["started_at"]) == T + timedelta(seconds=20)
    assert rig.store.bulletin_state(7) == "played"


def test_a_cancel_stops_the_bulletin_where_it_is_and_logs_it_cancelled(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    def interrupt(start, end, stop):
        cut = T + timedelta(seconds=15)  # 10 s into the body
        if start < cut < end:
            rig.store.update_bulletin(
                7,
                {**_bulletin(rig), "seq": 2, "state": "cancelled", "cancel_reason": "báo nhầm"},
                cut,
            )
            rig.playout.bulletin_cancelled({"id": 7, "cancel_reason": "báo nhầm"})
            return cut
        return None

    rig = Rig(tmp_path, interrupt=interrupt)
    with caplog.at_level(logging.INFO, logger="broadcaster.agent"):
        rig.playout.bulletin_arrived(_bulletin(rig))
        while rig.playout.step():
            pass
    assert [r.getMessage() for r in caplog.records] == [
        "đã nhận bản tin khẩn cấp #7: «Lũ quét»",
        "KHẨN CẤP #7: đang phát «Lũ quét» (1 lần)",
        "đơn vị đã hủy bản tin khẩn cấp #7: báo nhầm",
        "đã dừng bản tin khẩn cấp #7: đơn vị đã hủy bản tin",
    ]
    logs = rig.logs()
    assert logs["emergency-7:lead-in"][:3] == (AiringStatus.AIRED, 0, 5)
    status, start, end, note = logs["emergency-7"]
    assert (status, start, end) == (AiringStatus.CANCELLED, 5, 15)
    assert "đơn vị gửi đã hủy bản tin: báo nhầm" in note
    assert rig.store.bulletin_state(7) == "cancelled"


def test_a_bulletin_cancelled_before_it_plays_never_sounds(rig: Rig):
    b = _bulletin(rig)
    rig.playout.enqueue_bulletin(b)
    rig.store.update_bulletin(7, {**b, "seq": 2, "state": "cancelled"}, T)
    while rig.playout.step():
        pass
    assert rig.logs() == {} and rig.player.played == []


def test_a_bulletin_that_expired_while_queued_is_not_played(rig: Rig):
    b = _bulletin(rig, expires_at=(T + timedelta(seconds=10)).isoformat())
    rig.playout.enqueue_bulletin(b)
    rig.clock.advance(timedelta(seconds=11))
    assert rig.playout.step()
    assert rig.store.bulletin_state(7) == "expired" and rig.player.played == []


def test_each_log_reaches_the_office_once_through_an_outage(
    station: Station, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    clock = FixedClock(T)
    store = LocalStore(tmp_path / "agent.db")
    token = station.office.token("XA-DAKMIL")
    outbox = OutboxSync(
        make_client=lambda: StationClient(station.server.url, token, "XA-DAKMIL"),
        store=store,
        clock=clock,
        max_backoff=timedelta(seconds=60),
        jitter=lambda: 0.0,
    )
    rig_entries = [
        PlayoutEntry(
            f"k{i}", "XA-DAKMIL", T + timedelta(minutes=i), timedelta(seconds=30), f"Tin {i}", SOUND
        )
        for i in range(6)
    ]

    def played(i: int) -> None:
        e = rig_entries[i]
        a = entry_airing(e, AiringStatus.AIRED, actual_start=e.start, actual_end=e.end)
        store.record_outcome(e.key, a, clock.now())

    played(0)
    played(1)
    assert outbox.run_once().sent == 2
    station.server.stop()
    with caplog.at_level(logging.INFO, logger="broadcaster.agent"):
        for i in range(2, 5):  # the office is away: the station plays on
            clock.advance(timedelta(minutes=1))
            played(i)
            assert outbox.run_once().failed
        assert store.pending_count() == 3
        # backing off: nothing is tried again before its time
        assert store.due("airing", clock.now()) == []
        assert outbox.run_once().failed is False  # nothing was due: the office is not back
        station.restart_server()
        clock.advance(timedelta(minutes=2))
        played(5)
        assert outbox.run_once().sent == 4
        assert outbox.run_once().sent == 0  # nothing left, nothing sent twice
    # the operator reads once that the office is away and once that it is back; each retry
    # is a detail (-v)
    said = [(r.levelno, r.getMessage().split(" (")[0].split(";")[0]) for r in caplog.records]
    assert said == [
        (logging.WARNING, "không gửi được nhật ký tới đơn vị"),
        (logging.INFO, "đơn vị đã trả lời trở lại"),
    ]
    got = station.airings()
    assert sorted(a.entry_id for a in got) == [f"k{i}" for i in range(6)]
    assert len({a.event_id for a in got}) == 6
    store.close()
