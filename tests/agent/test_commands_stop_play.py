"""A cluster agent's ``stop`` and ``play now`` commands, stepped through virtual time: the
playout runs on a :class:`FixedClock` that the :class:`SimulatedPlayer` moves on by each file's
length; a command "arrives" at a virtual instant through the player's ``interrupt`` hook, as
it would on the emergency stream mid-entry. No sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from broadcaster.agent.bulletins import Current, PlayoutDeps
from broadcaster.agent.commands import Commands
from broadcaster.agent.device import Device
from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.player import SimulatedPlayer
from broadcaster.agent.playout import Playout
from broadcaster.agent.store import LocalStore
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.playout import PlayoutEntry, timeline

T = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)  # 05:30 in Vietnam
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CLUSTER = "XA-DAKMIL-L1"
PROGRAMME, NOTICE = "ab" * 32, "cd" * 32


class Rig:
    """A cluster's playout and command handler on one virtual clock; ``at`` maps a virtual
    second after T to a command arriving then (while something plays)."""

    def __init__(self, tmp: Path) -> None:
        self.clock = FixedClock(T)
        self.folder = LocalFolder(tmp / "cluster").ensure()
        for sound in (PROGRAMME, NOTICE):
            self.folder.audio_target(sound).write_bytes(b"ID3 tone")
        self.store = LocalStore(self.folder.state_db)
        self.arriving: dict[float, dict[str, Any]] = {}
        self.player = SimulatedPlayer(self.clock, self._interrupt)
        self.playout = Playout(
            PlayoutDeps(
                station=CLUSTER,
                folder=self.folder,
                store=self.store,
                clock=self.clock,
                player=self.player,
                tz=TZ,
                fetch_audio=lambda h: None,
                wake_sync=lambda: None,
            ),
            grace=timedelta(seconds=30),
            sleep=lambda s: self.clock.advance(timedelta(seconds=s)),
        )
        self.fetched: list[str] = []
        self.commands = Commands(
            station=CLUSTER,
            store=self.store,
            clock=self.clock,
            device=Device(self.store, self.player),
            playout=self.playout,
            fetch_audio=self._fetch,
            wake_sync=lambda: None,
            timezone="Asia/Ho_Chi_Minh",
        )

    def _fetch(self, audio_hash: str) -> Path | None:
        self.fetched.append(audio_hash)
        path = self.folder.audio_target(audio_hash)
        return path if path.exists() else None

    def _interrupt(self, start: datetime, end: datetime, stop) -> datetime | None:
        for second, command in sorted(self.arriving.items()):
            at = T + timedelta(seconds=second)
            if start <= at < end:
                del self.arriving[second]
                self.clock.set(at)  # the command is handled at its own instant …
                self.commands.handle(command)
                self.clock.set(start)  # … and the player moves the clock on to it
                return at if stop.is_set() else None
        return None

    def programme(self, *spec: tuple[float, float]) -> list[PlayoutEntry]:
        out = [
            PlayoutEntry(
                key=f"e{i}",
                station_code=CLUSTER,
                start=T + timedelta(seconds=start),
                duration=timedelta(seconds=length),
                title=f"Bản tin {i}",
                audio_hash=PROGRAMME,
            )
            for i, (start, length) in enumerate(spec, start=1)
        ]
        self.playout.set_timeline(timeline(out))
        return out

    def due(self, entry: PlayoutEntry) -> None:
        self.clock.set(entry.start)
        self.playout.entry_due(entry.key)
        self.run()

    def run(self) -> None:
        while self.playout.step():
            pass

    def logs(self) -> dict[str, tuple[AiringStatus, float, float, str | None]]:
        """entry id → (status, start, end in seconds after T, note), as the office gets them."""
        out = {}
        for r in self.store.due("airing", T + timedelta(days=1), 1000):
            p = r.payload
            start = (datetime.fromisoformat(p["actual_start"]) - T).total_seconds()
            end = (datetime.fromisoformat(p["actual_end"]) - T).total_seconds()
            out[p["entry_id"]] = (AiringStatus(p["status"]), start, end, p["note"])
        return out

    def answers(self) -> dict[int, tuple[str, str | None]]:
        """command id → (result, note), the acknowledgements waiting in the outbox."""
        found = self.store.due("command_ack", T + timedelta(days=1), 1000)
        return {r.payload["id"]: (r.payload["result"], r.payload["note"]) for r in found}


def command(command_id: int, kind: str, **more: Any) -> dict[str, Any]:
    return {
        "id": command_id,
        "kind": kind,
        "created_by": "Nguyễn Thị Lan",
        "expires_at": (T + timedelta(minutes=10)).isoformat(),
        **more,
    }


@pytest.fixture
def rig(tmp_path: Path):
    r = Rig(tmp_path)
    yield r
    r.store.close()


def test_stop_cuts_what_plays_and_the_next_entry_plays_at_its_time(rig: Rig):
    e1, e2 = rig.programme((0, 60), (90, 30))
    rig.arriving[20] = command(7, "stop")
    rig.due(e1)
    rig.due(e2)
    logs = rig.logs()
    status, start, end, note = logs[e1.key]
    assert (status, start, end) == (AiringStatus.PARTIAL, 0, 20)
    assert note == "dừng theo lệnh #7 của đơn vị"
    assert logs[e2.key][:3] == (AiringStatus.AIRED, 90, 120)
    assert rig.answers() == {7: ("done", None)}


def test_stop_with_nothing_playing_is_done_and_a_repeated_command_is_carried_out_once(rig: Rig):
    rig.commands.handle(command(8, "stop"))
    rig.commands.handle(command(8, "stop"))
    assert rig.answers() == {8: ("done", None)}
    assert rig.logs() == {}


def test_stop_does_not_stop_an_emergency_bulletin(rig: Rig):
    rig.playout.current = Current("bulletin", "Lũ quét")
    rig.commands.handle(command(9, "stop"))
    result, note = rig.answers()[9]
    assert result == "failed"
    assert (
        note == "đang phát bản tin khẩn cấp; đơn vị gửi bản tin hủy nó, lệnh dừng không dừng được"
    )
    assert not rig.playout.current.stop.is_set()


def test_play_now_plays_the_item_at_once_and_is_acknowledged_when_it_ends(rig: Rig):
    rig.clock.set(T + timedelta(seconds=5))
    rig.commands.handle(
        command(10, "play", item_id=42, audio_hash=NOTICE, duration_ms=45_000, title="Họp dân")
    )
    assert rig.answers() == {}  # not yet: it has not played
    rig.run()
    assert rig.fetched == [NOTICE]
    assert [(p.name, (a - T).total_seconds(), (b - T).total_seconds())
            for p, a, b in rig.player.played] == [(f"{NOTICE}.mp3", 5, 50)]  # fmt: skip
    status, start, end, _note = rig.logs()["command-10"]
    assert (status, start, end) == (AiringStatus.AIRED, 5, 50)
    assert rig.answers() == {10: ("done", None)}


def test_play_now_cuts_the_entry_that_plays_and_the_programme_goes_on(rig: Rig):
    e1, e2 = rig.programme((0, 60), (120, 30))
    rig.arriving[15] = command(11, "play", item_id=42, audio_hash=NOTICE, duration_ms=30_000,
                               title="Họp dân")  # fmt: skip
    rig.due(e1)
    logs = rig.logs()
    assert logs[e1.key][:3] == (AiringStatus.PARTIAL, 0, 15)
    assert logs[e1.key][3] == "dừng theo lệnh #11 của đơn vị"
    assert logs["command-11"][:3] == (AiringStatus.AIRED, 15, 45)
    assert rig.answers() == {11: ("done", None)}
    rig.due(e2)
    assert rig.logs()[e2.key][:3] == (AiringStatus.AIRED, 120, 150)


def test_play_now_without_its_audio_or_too_late_fails_with_the_reason(rig: Rig):
    rig.commands.handle(command(12, "play", item_id=42, audio_hash="ef" * 32, duration_ms=1000))
    rig.commands.handle(
        {**command(13, "stop"), "expires_at": (T - timedelta(seconds=1)).isoformat()}
    )
    rig.run()
    assert rig.answers() == {
        12: ("failed", "không tải được âm thanh của lệnh"),
        13: ("failed", "lệnh đã hết hạn trước khi tới thiết bị"),
    }
    assert rig.player.played == []
