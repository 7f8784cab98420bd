"""Shared pieces for agent tests: tones, compressed schedules, a playlist source, the agent process."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from broadcaster.agent import logs
from broadcaster.audio.store import store_audio
from broadcaster.domain.playout import entry_event_id
from broadcaster.i18n import translations
from broadcaster.usecases.published_playlists import StaticPlaylists

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REPO = Path(__file__).resolve().parents[2]


def make_tone(tmp: Path, freq: int, seconds: float = 1.0) -> bytes:
    out = tmp / f"tone-{freq}-{seconds}.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:duration={seconds}",
            "-ac",
            "1",
            "-b:a",
            "32k",
            str(out),
        ],
        check=True,
    )
    return out.read_bytes()


@dataclass(frozen=True)
class Planned:
    start: datetime
    duration_ms: int
    title: str
    audio_hash: str
    sha256: str

    @property
    def key(self) -> str:
        from datetime import UTC

        return f"{self.start.astimezone(UTC).isoformat()}|{self.audio_hash}"


def compressed_schedule(
    audio_dir: Path,
    tones: list[bytes],
    *,
    first: datetime,
    every: float,
    count: int,
    duration_ms: int,
) -> list[Planned]:
    """``count`` entries ``every`` seconds apart, cycling through the tones."""
    out = []
    for i in range(count):
        data = tones[i % len(tones)]
        h, _ = store_audio(audio_dir, data)
        out.append(
            Planned(
                first + timedelta(seconds=every * i),
                duration_ms,
                f"Tin số {i + 1}",
                h,
                hashlib.sha256(data).hexdigest(),
            )
        )
    return out


def playlist_doc(station: str, day: date, entries: Iterable[Planned], version: int = 1) -> dict:
    return {
        "station": {"code": station, "timezone": "Asia/Ho_Chi_Minh"},
        "date": day.isoformat(),
        "plan_version": version,
        "sessions": [
            {
                "name": "Thử",
                "entries": [
                    {
                        "id": f"{day}-{i}",
                        "start": e.start.astimezone(TZ).isoformat(),
                        "duration_ms": e.duration_ms,
                        "title": e.title,
                        "kind": "announcement",
                        "item_id": None,
                        "audio": {"hash": e.audio_hash, "sha256": e.sha256},
                    }
                    for i, e in enumerate(entries)
                ],
            }
        ],
    }


class DictSource(StaticPlaylists):
    """The real in-memory playlist source, fed from compressed schedules."""

    def put_entries(self, station: str, entries: list[Planned], version: int = 1) -> None:
        by_day: dict[date, list[Planned]] = {}
        for e in entries:
            by_day.setdefault(e.start.astimezone(TZ).date(), []).append(e)
        for day, items in by_day.items():
            self.put(playlist_doc(station, day, items, version))


def event_ids(station: str, entries: Iterable[Planned]) -> set[str]:
    return {entry_event_id(station, e.key) for e in entries}


def wait_until(check: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class AgentProcess:
    """``broadcaster agent run`` as a real process (so it can be SIGKILLed)."""

    def __init__(
        self,
        *,
        station: str,
        server: str,
        token: str,
        folder: Path,
        home: Path,
        grace: float = 2.0,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.folder = folder
        self.log = folder.parent / f"agent-{station}.log"
        self.argv = [
            str(Path(sys.executable).parent / "broadcaster"),
            "agent",
            "run",
            "--station",
            station,
            "--server",
            server,
            "--folder",
            str(folder),
            "--player",
            "null",
            "--grace",
            str(grace),
            "-v",
        ]
        self.env = {
            **os.environ,
            "HOME": str(home),
            "BROADCASTER_CONFIG": "",
            "BROADCASTER_DATA_DIR": str(home / "station-data"),
            "BROADCASTER_AGENT_TOKEN": token,
            "BROADCASTER_AGENT_SYNC_SECONDS": "0.5",
            "BROADCASTER_AGENT_MAX_BACKOFF_SECONDS": "1",
            "BROADCASTER_AGENT_HEARTBEAT_SECONDS": "2",
            "BROADCASTER_AGENT_EMERGENCY_WAIT_SECONDS": "10",
            "BROADCASTER_LANG": "vi",
            **(extra_env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> AgentProcess:
        fh = self.log.open("ab")
        self.proc = subprocess.Popen(
            self.argv, env=self.env, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO
        )
        return self

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=20)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def started_at(self) -> datetime:
        """When the newest run logged that it had scheduled its entries (after it logged what
        it missed while down), from its log line's time (the station's zone, ms precision)."""
        started = logs.line_pattern(logs.STARTED, translations("vi"))
        stamps = [
            m.group(1)
            for line in self.output().splitlines()
            if (m := logs.STAMP.match(line))
            and started.fullmatch(logs.without_level(m.group(2), translations("vi"))[1])
        ]
        assert stamps, self.output()
        return logs.parse_stamp(stamps[-1], TZ)

    def states(self) -> dict[str, str]:
        """entry key → 'playing' / 'done:<status>' from the agent's local database."""
        db = self.folder / "agent.db"
        if not db.exists():
            return {}
        conn = sqlite3.connect(db, timeout=5)
        try:
            rows = conn.execute("SELECT key, state, status FROM entry_state").fetchall()
        except sqlite3.OperationalError:
            return {}
        finally:
            conn.close()
        return {k: (s if s == "playing" else f"done:{st}") for k, s, st in rows}
