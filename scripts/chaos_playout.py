"""Chaos loop for playout (issue 12): kill the agent and the office server again and again, then
check that every airing reached the office exactly once, with a truthful status.

    .venv/bin/python scripts/chaos_playout.py                        # 30 cycles, random seed
    .venv/bin/python scripts/chaos_playout.py --cycles 5 --seed 7 [--max-seconds 600] [--keep]

Set-up, in a fresh temporary folder: an office database (SQLite) with schedules/example.toml,
a station token for XA-DAKMIL, three tone MP3s (ffmpeg) in the office's audio cache, and a
compressed schedule: an entry every 1.5–2 s, each 0.8–1 s long, covering the whole run (one
playlist per day, like real ones). The API is a separate process — this script with
``--serve CONFIG``: the real ``create_app`` with the schedule as its in-memory playlist source
(``StaticPlaylists``), under uvicorn on a fixed port — so it can be stopped and started again.
The station pulls once (``broadcaster pull``), then ``broadcaster agent run --player null
--grace 1 -v`` runs as its own process (short sync, backoff and heartbeat periods).

Each cycle (5–8 s, drawn from a seeded RNG, ``--seed``) does one of: SIGKILL the agent at a
random moment (half the time in the middle of an entry) and restart it after a short pause
(it may still start the entry late) or a long one (entries are missed); stop the server
(SIGTERM or SIGKILL) for a while and start it again; or both, overlapping. Then the faults stop,
the agent runs until every entry whose time has passed has a log at the office (bounded wait),
and everything is stopped. From the office database, the agent's store (``agent.db``:
entry_state, outbox), the agent's log and the kill/restart times this script noted:

- expected: entries whose planned start had passed when the faults ended (plus 3 s);
- logged: expected entries with an airing record at the office;
- lost: expected entries without one;
- duplicated: entries or event ids with more than one record (one record per planned entry);
- wrongly marked: records whose status contradicts what the agent did: ``aired`` while the
  agent was dead during the airing, shorter than the entry or after its window; ``partial``
  without a stop of the agent during the entry (or a needless cut); ``missed`` although the
  agent's log shows it playing, or the agent was up through the entry's whole window; a
  status other than the agent's own store holds; ``interrupted`` or ``failed`` (no bulletins
  are sent and the null player cannot fail); a record of no planned entry.

It prints the machine's load at start and end, a line per cycle, each figure with the entries
concerned, and last a one-line ``SUMMARY: cycles=… expected=… logged=… lost=… duplicated=…
wrongly_marked=… seconds=…``. Exit status: 0 when nothing is lost, duplicated or wrongly marked,
1 otherwise, 2 when the set-up failed. ``--max-seconds`` (default 600) bounds the run: cycles
stop early when the budget would run out, and the report says so. Every child runs in its own
process group and is killed at exit; the folder is deleted unless ``--keep`` (times printed
are the station's, Asia/Ho_Chi_Minh, as in the agent's log).

The agent's log is an operator's log in Vietnamese (its default language, set explicitly for
the agent here); its lines are found by their message ids (``broadcaster.agent.logs``), as
the catalogue writes them in Vietnamese.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from broadcaster.agent import logs
from broadcaster.clock import SystemClock
from broadcaster.domain.airings import Airing, AiringStatus
from broadcaster.domain.playout import PlayoutEntry, cut_note, entry_event_id, windows
from broadcaster.i18n import translations

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
EXAMPLE = REPO / "schedules" / "example.toml"
STATION = "XA-DAKMIL"
TZ_NAME = "Asia/Ho_Chi_Minh"
TZ = ZoneInfo(TZ_NAME)
GRACE = 1.0  # --grace of the agent, seconds
TONES = ((440, 800), (550, 900), (660, 1000))  # Hz, ms
EVERY = (1.5, 2.0)  # seconds between entry starts
CYCLE = (5.0, 8.0)  # seconds per cycle
LEAD = 12.0  # from writing the schedule to its first entry: server, pull, agent start-up
SETTLE = 3.0  # after the last fault: entries planned until then are expected
FINAL_RESERVE = 30.0  # of the time budget, kept for the final wait and the report
TOLERANCE = timedelta(milliseconds=60)  # clock reading jitter between processes
CLOCK = SystemClock()
FFMPEG_TONE = ("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i")
FFMPEG_OUT = ("-ac", "1", "-b:a", "32k")
SIGNALS = {signal.SIGTERM: "SIGTERM", signal.SIGKILL: "SIGKILL"}


def now() -> datetime:
    return CLOCK.now()


def hms(t: datetime | None) -> str:
    return t.astimezone(TZ).strftime("%H:%M:%S.%f")[:-3] if t else "—"


def secs(d: timedelta) -> float:
    return d.total_seconds()


class SetupFailed(Exception):
    """The run cannot start; the reason is printed and the exit status is 2."""


# --- the server process: this script with --serve ----------------------------------------------


def serve(config: Path) -> None:
    """The office API on the configured port, its playlists from the JSON config."""
    import uvicorn

    from broadcaster.api import create_app
    from broadcaster.config import load_settings
    from broadcaster.usecases.published_playlists import StaticPlaylists

    cfg = json.loads(config.read_text(encoding="utf-8"))
    source = StaticPlaylists()
    for doc in cfg["playlists"]:
        source.put(doc)
    app = create_app(load_settings(None, cfg["env"]), playlist_source=source)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(cfg["port"]),
        log_level="warning",
        timeout_graceful_shutdown=1,
    )


# --- the schedule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    n: int
    start: datetime
    duration: timedelta
    audio_hash: str
    latest_start: datetime  # the agent's window: later than this it must log the entry missed
    stop_by: datetime | None  # a late start is cut then, so the next entry keeps its time

    @property
    def title(self) -> str:
        return f"Tin số {self.n}"

    @property
    def key(self) -> str:
        return f"{self.start.astimezone(UTC).isoformat()}|{self.audio_hash}"

    @property
    def event_id(self) -> str:
        return entry_event_id(STATION, self.key)

    @property
    def end(self) -> datetime:
        return self.start + self.duration

    def describe(self) -> str:
        return (
            f"{self.title} (planned {hms(self.start)}, {secs(self.duration):.1f} s, "
            f"may start until {hms(self.latest_start)})"
        )


def make_schedule(
    rng: random.Random, first: datetime, until: datetime, tones: list[tuple[str, int]]
) -> list[Entry]:
    raw: list[PlayoutEntry] = []
    t = first
    while t < until:
        audio_hash, ms = rng.choice(tones)
        raw.append(
            PlayoutEntry(
                key=f"{t.astimezone(UTC).isoformat()}|{audio_hash}",
                station_code=STATION,
                start=t,
                duration=timedelta(milliseconds=ms),
                title=f"Tin số {len(raw) + 1}",
                audio_hash=audio_hash,
            )
        )
        t += timedelta(milliseconds=round(rng.uniform(*EVERY) * 1000))
    wins = windows(raw, timedelta(seconds=GRACE))
    return [
        Entry(
            i + 1,
            e.start,
            e.duration,
            e.audio_hash or "",
            wins[e.key].latest_start,
            wins[e.key].stop_by,
        )
        for i, e in enumerate(raw)
    ]


def playlist_docs(entries: list[Entry]) -> list[dict[str, Any]]:
    """One playlist document per local day, as the office publishes them."""
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for e in entries:
        by_day[e.start.astimezone(TZ).date()].append(e)
    return [
        {
            "station": {"code": STATION, "timezone": TZ_NAME},
            "date": day.isoformat(),
            "plan_version": 1,
            "sessions": [
                {
                    "name": "Thử nghiệm sự cố",
                    "entries": [
                        {
                            "id": f"{day}-{e.n}",
                            "start": e.start.astimezone(TZ).isoformat(),
                            "duration_ms": round(secs(e.duration) * 1000),
                            "title": e.title,
                            "kind": "announcement",
                            "item_id": None,
                            "audio": {"hash": e.audio_hash, "sha256": e.audio_hash},
                        }
                        for e in items
                    ],
                }
            ],
        }
        for day, items in sorted(by_day.items())
    ]


# --- the fault plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentFault:
    offset: float  # seconds into the cycle
    pause: float  # seconds dead before the restart
    mid_entry: bool  # move the kill into the next entry's planned airing
    at_fraction: float  # that far into it


@dataclass(frozen=True)
class ServerFault:
    offset: float
    down: float  # seconds between the stop and the restart (start-up comes on top)
    sig: signal.Signals


@dataclass(frozen=True)
class CyclePlan:
    n: int
    length: float
    agent: AgentFault | None
    server: ServerFault | None


def plan_cycles(rng: random.Random, count: int) -> list[CyclePlan]:
    plans = []
    for n in range(1, count + 1):
        length = rng.uniform(*CYCLE)
        kind = rng.choices(("agent", "server", "both"), weights=(4, 3, 3))[0]
        agent = server = None
        if kind in ("agent", "both"):
            # short: back within the entry's grace, maybe; long: entries are missed
            pause = rng.uniform(0.1, 0.8) if rng.random() < 0.5 else rng.uniform(1.5, 4.5)
            offset = rng.uniform(0.2, max(0.3, length - pause - 0.5))
            agent = AgentFault(offset, pause, rng.random() < 0.5, rng.uniform(0.2, 0.8))
        if kind in ("server", "both"):
            down = rng.uniform(0.3, 4.0)
            offset = rng.uniform(0.2, max(0.3, length - down - 0.5))
            server = ServerFault(offset, down, rng.choice((signal.SIGTERM, signal.SIGKILL)))
        plans.append(CyclePlan(n, length, agent, server))
    return plans


# --- child processes ----------------------------------------------------------------------------


class Child:
    """A child process in its own process group, its output appended to a log file."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.offset = 0  # where the current run's output begins in the log

    def output_since_start(self) -> str:
        with self.log.open("rb") as fh:
            fh.seek(self.offset)
            return fh.read().decode("utf-8", "replace")

    def note(self, text: str) -> None:
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(f"=== chaos {hms(now())}: {text}\n")

    def start(self, note: str) -> None:
        self.note(note)
        self.offset = self.log.stat().st_size
        with self.log.open("ab") as fh:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=fh,
                stderr=subprocess.STDOUT,
                cwd=REPO,
                start_new_session=True,
            )

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
        """Signal the group and wait; SIGKILL if it lingers. The exit status, None if never run."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.signal_group(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.signal_group(signal.SIGKILL)  # whatever it left in its group
        return self.proc.returncode

    def tail(self, lines: int = 15) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Life:
    """One run of the agent process, as this script saw it."""

    run: int
    spawned: datetime
    dead: datetime | None = None  # after the process was reaped
    stopped: datetime | None = None  # when the signal that ended it was sent
    how: str = ""
    ready: datetime | None = None  # its 'started:' log line (filled in from the log)

    def covers(self, a: datetime, b: datetime) -> bool:
        end = self.dead or now()
        return self.spawned - TOLERANCE <= a and b <= end + TOLERANCE


@dataclass
class Outage:
    sig: str
    stopped: datetime
    started: datetime | None = None  # restart of the process
    ready: datetime | None = None  # answered /health again


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli() -> str:
    exe = Path(sys.executable).with_name("broadcaster")
    if not exe.exists():
        raise SetupFailed(f"no {exe}: run this with the project's virtualenv python")
    return str(exe)


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADCASTER_")}
    return {**env, **extra}


def agent_states(db: Path) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    """entry key → (state, status, started_at, ended_at) from the agent's store."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(db, timeout=5)
    try:
        rows = conn.execute(
            "SELECT key, state, status, started_at, ended_at FROM entry_state"
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def outbox_rows(db: Path) -> dict[str, dict[str, Any]]:
    """event id → its outbox row (kind, sent_at, attempts, last_error, rejected_at…)."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(db, timeout=5)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM outbox").fetchall()
    finally:
        conn.close()
    return {r["event_id"]: dict(r) for r in rows}


def outbox_state(row: dict[str, Any]) -> str:
    if row.get("sent_at"):
        return "sent"
    if row.get("dropped_at"):
        return "dropped"
    if row.get("rejected_at"):
        return "rejected"
    return "pending"


# --- the run ------------------------------------------------------------------------------------


class Chaos:
    """The station, the server and the faults done to them."""

    def __init__(self, work: Path, args: argparse.Namespace) -> None:
        self.work = work
        self.args = args
        self.port = args.port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = work / "station"
        self.env_office = {
            "HOME": str(work),
            "BROADCASTER_CONFIG": "",
            "BROADCASTER_DATA_DIR": str(work / "data"),
            "BROADCASTER_DATABASE_URL": f"sqlite:///{work / 'office.db'}",
            "BROADCASTER_AUDIO_DIR": str(work / "audio"),
        }
        self.token = ""
        self.tones: list[tuple[str, int]] = []  # (audio hash, duration in ms)
        self.entries: list[Entry] = []
        self.server: Child | None = None
        self.agent: Child | None = None
        self.server_wanted = False
        self.agent_wanted = False
        self.lives: list[Life] = []
        self.outages: list[Outage] = []
        self.unexpected: list[str] = []  # children that exited on their own
        self.kills: Counter[str] = Counter()  # agent SIGKILLs by what it was doing
        self._next_probe = 0.0
        self._db: Any = None

    # --- set-up ---
    def setup(self) -> None:
        from broadcaster.audio.store import store_audio
        from broadcaster.config import load_settings
        from broadcaster.db import Database
        from broadcaster.domain.distribution import Scope
        from broadcaster.usecases.emergencies import lead_in
        from broadcaster.usecases.stations import load_stations
        from broadcaster.usecases.tokens import create_token

        t0 = time.monotonic()
        settings = load_settings(None, self.env_office)
        db = Database(settings.database_url)
        db.upgrade()
        load_stations(db, EXAMPLE)
        self.token = create_token(
            db, CLOCK, scope=Scope.STATION, station_code=STATION, label="chaos_playout"
        ).secret
        db.dispose()
        self._db = Database(settings.database_url)
        try:  # made once here, so no server start-up spends two seconds on it
            lead_in(settings)
        except Exception as exc:
            print(f"  (the emergency lead-in could not be made: {exc}; servers will try)")
        tones: list[tuple[str, int]] = []
        (self.work / "tones").mkdir()
        for freq, ms in TONES:
            out = self.work / "tones" / f"tone-{freq}.mp3"
            subprocess.run(
                [
                    *FFMPEG_TONE,
                    f"sine=frequency={freq}:duration={ms / 1000}",
                    *FFMPEG_OUT,
                    str(out),
                ],
                check=True,
                timeout=60,
            )
            audio_hash, _ = store_audio(settings.audio_cache_dir, out.read_bytes())
            tones.append((audio_hash, ms))
        self.tones = tones
        print(
            f"set-up: office, token, lead-in and {len(tones)} tones in {time.monotonic() - t0:.1f} s"
        )

    def write_schedule(self, rng: random.Random, plans: list[CyclePlan]) -> None:
        first = now() + timedelta(seconds=LEAD)
        first = first.replace(microsecond=first.microsecond // 1000 * 1000)
        # the cycles, what a mid-entry kill may add to each, the settling and a margin
        span = 3 + sum(p.length for p in plans) + 1.0 * len(plans) + SETTLE + 25
        self.entries = make_schedule(rng, first, first + timedelta(seconds=span), self.tones)
        docs = playlist_docs(self.entries)
        config = self.work / "server.json"
        config.write_text(
            json.dumps(
                {"env": clean_env(self.env_office), "port": self.port, "playlists": docs},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        self.server = Child(
            [sys.executable, str(HERE), "--serve", str(config)],
            clean_env(self.env_office),
            self.work / "server.log",
        )
        self.agent = Child(
            [
                *(cli(), "agent", "run", "--station", STATION, "--server", self.url),
                *("--folder", str(self.folder), "--player", "null", "--grace", str(GRACE), "-v"),
            ],
            clean_env(
                {
                    "HOME": str(self.work),
                    "BROADCASTER_CONFIG": "",
                    "BROADCASTER_DATA_DIR": str(self.work / "station-data"),
                    "BROADCASTER_AGENT_TOKEN": self.token,
                    "BROADCASTER_AGENT_SYNC_SECONDS": "0.5",
                    "BROADCASTER_AGENT_MAX_BACKOFF_SECONDS": "1",
                    "BROADCASTER_AGENT_HEARTBEAT_SECONDS": "2",
                    "BROADCASTER_AGENT_EMERGENCY_WAIT_SECONDS": "10",
                    "BROADCASTER_LANG": LANG,
                }
            ),
            self.work / "agent.log",
        )
        last = self.entries[-1]
        print(
            f"schedule: {len(self.entries)} entries every {EVERY[0]}–{EVERY[1]} s, "
            f"{TONES[0][1] / 1000}–{TONES[-1][1] / 1000} s long, from {hms(first)} to "
            f"{hms(last.start)} ({len(docs)} playlist{'s' if len(docs) > 1 else ''}), grace {GRACE} s"
        )

    def start_station(self) -> None:
        assert self.server is not None and self.agent is not None
        t0 = time.monotonic()
        self.start_server()
        deadline = time.monotonic() + 60
        while not self.probe():
            if not self.server.running():
                raise SetupFailed(f"the server exited:\n{self.server.tail()}")
            if time.monotonic() > deadline:
                raise SetupFailed(f"the server did not answer within 60 s:\n{self.server.tail()}")
            time.sleep(0.1)
        took_server = time.monotonic() - t0
        t1 = time.monotonic()
        pulled = subprocess.run(
            [
                cli(),
                "pull",
                "--station",
                STATION,
                "--server",
                self.url,
                "--folder",
                str(self.folder),
            ],
            env=self.agent.env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        if pulled.returncode != 0:
            raise SetupFailed(f"pull failed ({pulled.returncode}):\n{pulled.stdout}{pulled.stderr}")
        took_pull = time.monotonic() - t1
        t2 = time.monotonic()
        self.start_agent()
        deadline = time.monotonic() + 60
        while not has_started(self.agent.log.read_text(errors="replace")):
            if not self.agent.running():
                raise SetupFailed(f"the agent exited:\n{self.agent.tail()}")
            if time.monotonic() > deadline:
                raise SetupFailed(f"the agent did not start within 60 s:\n{self.agent.tail()}")
            time.sleep(0.1)
        print(
            f"station: server on port {self.port} ready in {took_server:.1f} s, pull "
            f"{took_pull:.1f} s, agent ready in {time.monotonic() - t2:.1f} s"
        )

    # --- processes ---
    def start_server(self) -> None:
        assert self.server is not None
        self.server.start("start server")
        self.server_wanted = True
        if self.outages and self.outages[-1].started is None:
            self.outages[-1].started = now()

    def stop_server(self, sig: signal.Signals) -> None:
        assert self.server is not None
        self.server_wanted = False
        self.outages.append(Outage(SIGNALS[sig], now()))
        self.server.stop(sig, timeout=10)
        self.server.note(f"server stopped by {SIGNALS[sig]}")

    def start_agent(self, why: str = "") -> None:
        assert self.agent is not None
        run = len(self.lives) + 1
        self.agent.start(f"agent run {run}" + (f" ({why})" if why else ""))
        self.lives.append(Life(run, now()))
        self.agent_wanted = True

    def kill_agent(self) -> str:
        """SIGKILL the agent; what it was playing, if anything."""
        assert self.agent is not None
        self.agent_wanted = False
        if not self.agent.running():
            return "(it was not running)"
        playing = [
            k for k, v in agent_states(self.folder / "agent.db").items() if v[0] == "playing"
        ]
        up = has_started(self.agent.output_since_start())
        life = self.lives[-1]
        life.stopped = now()
        self.agent.stop(signal.SIGKILL)
        life.dead, life.how = now(), "SIGKILL"
        self.agent.note(f"agent run {life.run} killed by SIGKILL")
        by_key = {e.key: e for e in self.entries}
        titles = ", ".join(by_key[k].title for k in playing if k in by_key)
        if not up:
            self.kills["during start-up"] += 1
            return "during its start-up" + (f" ({titles} still 'playing')" if titles else "")
        self.kills["while playing" if titles else "while idle"] += 1
        return f"while playing {titles}" if titles else "while idle"

    def probe(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/api/v1/health", timeout=0.3) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def tick(self) -> None:
        """Restart what died on its own (and note it), and see when the server is back."""
        assert self.server is not None and self.agent is not None
        if self.agent_wanted and not self.agent.running():
            life = self.lives[-1]
            rc = self.agent.proc.returncode if self.agent.proc else None
            life.dead, life.how = now(), f"exited by itself ({rc})"
            life.stopped = life.dead
            self.unexpected.append(f"agent run {life.run} exited by itself with status {rc}")
            self.start_agent("after it exited by itself")
        if self.server_wanted and not self.server.running():
            rc = self.server.proc.returncode if self.server.proc else None
            self.unexpected.append(f"the server exited by itself with status {rc} at {hms(now())}")
            self.start_server()
        outage = self.outages[-1] if self.outages else None
        if (
            self.server_wanted
            and outage is not None
            and outage.ready is None
            and time.monotonic() >= self._next_probe
        ):
            self._next_probe = time.monotonic() + 0.25
            if self.probe():
                outage.ready = now()

    def wait_until(self, t: datetime, until: Callable[[], bool] | None = None) -> bool:
        """Sleep until ``t`` (minding the children); True early when ``until()`` holds."""
        while (left := secs(t - now())) > 0:
            self.tick()
            if until is not None and until():
                return True
            time.sleep(min(left, 0.1))
        self.tick()
        return until() if until is not None else False

    # --- a cycle ---
    def run_cycle(self, plan: CyclePlan) -> str:
        c0 = now()
        events: list[tuple[datetime, int, str]] = []
        parts: list[str] = []
        mid: Entry | None = None
        if plan.agent is not None:
            f = plan.agent
            kill_at = c0 + timedelta(seconds=f.offset)
            if f.mid_entry:
                mid = next((e for e in self.entries if e.start >= kill_at), None)
                if mid is not None:
                    kill_at = mid.start + mid.duration * f.at_fraction
            events += [
                (kill_at, 0, "agent-kill"),
                (kill_at + timedelta(seconds=f.pause), 1, "agent-start"),
            ]
        if plan.server is not None:
            s = plan.server
            stop_at = c0 + timedelta(seconds=s.offset)
            events += [
                (stop_at, 0, "server-stop"),
                (stop_at + timedelta(seconds=s.down), 1, "server-start"),
            ]
        events.sort(key=lambda ev: (ev[0], ev[1]))
        for at, _order, action in events:
            self.wait_until(at)
            late = secs(now() - c0)
            if action == "agent-kill":
                assert plan.agent is not None
                what = self.kill_agent()
                inside = f" {plan.agent.at_fraction:.0%} into {mid.title}" if mid else ""
                parts.append(
                    f"agent SIGKILL +{late:.2f}{inside} {what}, back after {plan.agent.pause:.2f} s"
                )
            elif action == "agent-start":
                self.start_agent()
            elif action == "server-stop":
                assert plan.server is not None
                self.stop_server(plan.server.sig)
                parts.append(
                    f"server {SIGNALS[plan.server.sig]} +{late:.2f}, "
                    f"restarted after {plan.server.down:.2f} s"
                )
            else:
                self.start_server()
        last = max((ev[0] for ev in events), default=c0)
        end = max(c0 + timedelta(seconds=plan.length), last + timedelta(seconds=0.3))
        self.wait_until(end)
        return f"cycle {plan.n:2d} ({secs(now() - c0):.1f} s): " + "; ".join(parts)

    # --- the end ---
    def office_airings(self) -> list[Airing]:
        with self._db.unit_of_work() as uow:
            return list(uow.airings.list(stations=[STATION]))

    def shutdown(self) -> None:
        """Stop everything that may still run (safe to call twice)."""
        for child in (self.agent, self.server):
            if child is not None:
                with contextlib.suppress(Exception):
                    child.stop(signal.SIGKILL, timeout=5)
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.dispose()


# --- reading the agent's log --------------------------------------------------------------------

#: the agent's language here: its lines are looked for as this catalogue writes them
LANG = "vi"
SPOKEN = translations(LANG)
TITLE = r"Tin số \d+"
MARK = re.compile(r"^=== chaos [\d:.]+: agent run (\d+)")
STARTED = logs.line_pattern(logs.STARTED, SPOKEN)
PLAYING = logs.line_pattern(logs.PLAYING, SPOKEN, title=TITLE)
PLAYED = logs.line_pattern(logs.PLAYED, SPOKEN, title=TITLE)
MISSED = logs.line_pattern(logs.MISSED, SPOKEN, title=TITLE)


def has_started(output: str) -> bool:
    """The agent's output holds its line saying it has scheduled its entries."""
    return any(
        (m := logs.STAMP.match(line)) is not None
        and STARTED.fullmatch(logs.without_level(m.group(2), SPOKEN)[1]) is not None
        for line in output.splitlines()
    )


@dataclass
class AgentLog:
    ready: dict[int, datetime] = field(default_factory=dict)  # run → its 'started' line
    playing: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    played: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    missed: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


def read_agent_log(path: Path) -> AgentLog:
    out = AgentLog()
    run = 0
    if not path.exists():
        return out
    for line in path.read_text(errors="replace").splitlines():
        if m := MARK.match(line):
            run = int(m.group(1))
            continue
        m = logs.STAMP.match(line)
        if m is None:
            if line.startswith("Traceback") or line.startswith("sqlite3."):
                out.errors.append(line)
            continue
        at = logs.parse_stamp(m.group(1), TZ)
        level, text = logs.without_level(m.group(2), SPOKEN)
        if STARTED.fullmatch(text) and run not in out.ready:
            out.ready[run] = at
        if p := PLAYING.fullmatch(text):
            out.playing[p.group("title")].append(at)
        elif o := PLAYED.fullmatch(text):
            out.played[o.group("title")].append(at)
        elif x := MISSED.fullmatch(text):
            out.missed[x.group("title")].append(at)
        if level >= logging.ERROR:
            out.errors.append(f"{m.group(1)} {text}")
    return out


# --- the verdict --------------------------------------------------------------------------------


@dataclass
class Verdict:
    expected: list[Entry]
    logged: list[Entry]
    lost: list[tuple[Entry, str]]
    duplicated: list[str]
    wrong: list[str]
    statuses: Counter[str]
    records: int


def judge(chaos: Chaos, cutoff: datetime) -> Verdict:
    entries = chaos.entries
    by_event = {e.event_id: e for e in entries}
    by_key = {e.key: e for e in entries}
    records = chaos.office_airings()
    states = agent_states(chaos.folder / "agent.db")
    outbox = outbox_rows(chaos.folder / "agent.db")
    log = read_agent_log(chaos.work / "agent.log")
    lives = chaos.lives
    for life in lives:
        life.ready = log.ready.get(life.run)

    per_entry: dict[int, list[Airing]] = defaultdict(list)
    wrong: list[str] = []
    for a in records:
        e = by_event.get(a.event_id)
        if e is None and a.planned_start is not None:
            e = by_key.get(f"{a.planned_start.astimezone(UTC).isoformat()}|{a.segment_hash}")
        if e is None:
            wrong.append(
                f"a record of no planned entry: event {a.event_id}, {a.status.value}, "
                f"planned {hms(a.planned_start)}, title {a.title!r}"
            )
            continue
        per_entry[e.n].append(a)
        if a.event_id != e.event_id:
            wrong.append(f"{e.title}: record under event id {a.event_id}, not {e.event_id}")

    duplicated = [
        f"event id {ev}: {n} records"
        for ev, n in Counter(a.event_id for a in records).items()
        if n > 1
    ]
    for n, recs in sorted(per_entry.items()):
        if len(recs) > 1:
            e = entries[n - 1]
            duplicated.append(
                f"{e.describe()}: {len(recs)} records ("
                + ", ".join(f"{a.status.value} {hms(a.actual_start)}" for a in recs)
                + ")"
            )

    for n, recs in sorted(per_entry.items()):
        e = entries[n - 1]
        for a in recs:
            for why in contradictions(e, a, states.get(e.key), log, lives):
                wrong.append(f"{e.describe()}: office says {a.status.value} — {why}")

    expected = [e for e in entries if e.start <= cutoff]
    logged = [e for e in expected if per_entry.get(e.n)]
    lost = []
    for e in expected:
        if per_entry.get(e.n):
            continue
        state = states.get(e.key)
        box = outbox.get(e.event_id)
        where = (
            f"agent store: {state[0]} {state[1] or ''}".rstrip()
            if state
            else "not in the agent's store"
        )
        if box is not None:
            where += {
                "sent": f"; outbox: sent at {box.get('sent_at')} (the office does not have it)",
                "dropped": f"; outbox: dropped by an operator ({box.get('last_error')})",
                "rejected": f"; outbox: rejected by the office: {box.get('last_error')}",
                "pending": f"; outbox: pending after {box.get('attempts')} attempts "
                f"({box.get('last_error') or 'no error'})",
            }[outbox_state(box)]
        else:
            where += "; not in the outbox"
        lost.append((e, where))
    return Verdict(
        expected,
        logged,
        lost,
        duplicated,
        wrong,
        Counter(a.status.value for a in records),
        len(records),
    )


def contradictions(
    e: Entry,
    a: Airing,
    state: tuple[str, str | None, str | None, str | None] | None,
    log: AgentLog,
    lives: list[Life],
) -> list[str]:
    """Why this record's status cannot be what happened (empty when it is consistent)."""
    out: list[str] = []
    status = a.status
    played_to_end = log.played.get(e.title, [])
    started = log.playing.get(e.title, [])
    if state is None:
        out.append("the agent's store has no outcome for it")
    elif state[0] != "done" or state[1] != status.value:
        out.append(f"the agent's store says {state[0]} {state[1] or ''}".rstrip())
    if status in (AiringStatus.INTERRUPTED, AiringStatus.FAILED, AiringStatus.CANCELLED):
        out.append(f"no bulletin was sent and the null player cannot fail ({a.note})")
    if status is AiringStatus.AIRED:
        if a.actual_start is None or a.actual_end is None:
            return [*out, "aired without its start or end time"]
        if not any(life.covers(a.actual_start, a.actual_end) for life in lives):
            out.append(
                f"aired {hms(a.actual_start)}–{hms(a.actual_end)} but the agent was dead then "
                f"({dead_spans(lives, a.actual_start, a.actual_end)})"
            )
        if a.actual_end - a.actual_start < e.duration - TOLERANCE:
            out.append(f"aired for only {secs(a.actual_end - a.actual_start):.2f} s")
        if a.actual_start > e.latest_start + TOLERANCE * 4:
            out.append(f"started at {hms(a.actual_start)}, after its window closed")
        if a.actual_start < e.start - TOLERANCE:
            out.append(f"started at {hms(a.actual_start)}, before its planned time")
    if status is AiringStatus.PARTIAL:
        if a.actual_start is None:
            return [*out, "partial without a start time"]
        cut = a.note == cut_note()  # as the agent writes it, in its language
        if cut:
            if e.stop_by is None or a.actual_start + e.duration < e.stop_by - TOLERANCE:
                out.append(f"cut to keep time although it started at {hms(a.actual_start)}")
        else:
            # the run that played it was stopped (a signal sent) before the entry's end
            stops = [
                life
                for life in lives
                if life.stopped is not None
                and life.spawned - TOLERANCE <= a.actual_start <= life.stopped + TOLERANCE
                and life.stopped <= a.actual_start + e.duration + TOLERANCE * 5
            ]
            if not stops:
                out.append(
                    f"partial (started {hms(a.actual_start)}, {a.note}) but the agent was not "
                    "stopped while it played"
                )
        if played_to_end:
            out.append(f"the agent's log shows it played to the end at {hms(played_to_end[0])}")
    if status is AiringStatus.MISSED:
        if played_to_end:
            out.append(f"the agent's log shows it played to the end at {hms(played_to_end[0])}")
        elif started:
            out.append(f"the agent's log shows it started playing at {hms(started[0])}")
        up = [
            life
            for life in lives
            if life.ready is not None
            and life.ready <= e.start - timedelta(seconds=0.5)
            and (life.dead is None or life.dead >= e.latest_start + timedelta(seconds=0.3))
        ]
        if up:
            life = up[0]
            out.append(
                f"the agent (run {life.run}) was up from {hms(life.ready)} to "
                f"{hms(life.dead)}, through the entry's whole window ({a.note})"
            )
    if log.missed.get(e.title) and (played_to_end or started):
        out.append("the agent's log has it both played and missed")
    return out


def dead_spans(lives: list[Life], a: datetime, b: datetime) -> str:
    """The agent's down times that overlap [a, b], for the evidence."""
    spans = []
    for prev, nxt in itertools.pairwise(lives):
        if prev.dead is not None and prev.dead < b and nxt.spawned > a:
            spans.append(f"down {hms(prev.dead)}–{hms(nxt.spawned)}")
    return ", ".join(spans) or "outside every run"


# --- main ---------------------------------------------------------------------------------------


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min; {os.cpu_count()} cores)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=30, help="fault cycles (default 30)")
    parser.add_argument("--seed", type=int, help="RNG seed (default: random, printed)")
    parser.add_argument(
        "--max-seconds", type=float, default=600.0, help="bound on the whole run (default 600)"
    )
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve)
        return 0

    # a SIGTERM to this script unwinds like Ctrl+C, so the children are killed on the way out
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(143))
    began = time.monotonic()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="chaos-playout-"))
    print(
        f"chaos_playout: {args.cycles} cycles, seed {seed}, budget {args.max_seconds:.0f} s, in {work}"
    )
    print(f"load at start: {load()}")
    chaos = Chaos(work, args)
    done = 0
    try:
        try:
            chaos.setup()
            plans = plan_cycles(rng, args.cycles)
            chaos.write_schedule(rng, plans)
            chaos.start_station()
        except (SetupFailed, subprocess.SubprocessError, OSError) as exc:
            print(f"set-up failed: {exc}")
            print(
                f"SUMMARY: cycles=0 expected=0 logged=0 lost=0 duplicated=0 wrongly_marked=0 "
                f"seconds={time.monotonic() - began:.0f} error=setup"
            )
            return 2
        # let the first entries play undisturbed
        chaos.wait_until(
            max(now() + timedelta(seconds=1), chaos.entries[0].start + timedelta(seconds=3))
        )
        stopped_early = ""
        for plan in plans:
            left = args.max_seconds - (time.monotonic() - began)
            if plan.length + 2 + FINAL_RESERVE > left:
                stopped_early = (
                    f"time budget: stopped after {done} of {len(plans)} cycles "
                    f"({left:.0f} s of {args.max_seconds:.0f} left)"
                )
                break
            print(chaos.run_cycle(plan), flush=True)
            done += 1
        if stopped_early:
            print(stopped_early)
        faults_end = now()
        cutoff = faults_end + timedelta(seconds=SETTLE)
        expected = [e for e in chaos.entries if e.start <= cutoff]
        if expected and expected[-1] is chaos.entries[-1]:
            print("warning: the schedule ran out before the faults ended")
        last_window = max((e.latest_start + e.duration for e in expected), default=cutoff)
        chaos.wait_until(last_window + timedelta(seconds=0.5))
        budget = max(10.0, min(90.0, args.max_seconds - (time.monotonic() - began) - 10))
        wanted = {e.event_id for e in expected}
        t_wait = time.monotonic()

        def all_logged() -> bool:
            have = {a.event_id for a in chaos.office_airings()}
            return wanted <= have

        complete = chaos.wait_until(now() + timedelta(seconds=budget), all_logged)
        print(
            f"final wait: {'every' if complete else 'NOT every'} log of the {len(expected)} "
            f"entries planned up to {hms(cutoff)} at the office after "
            f"{time.monotonic() - t_wait:.1f} s (bound {budget:.0f} s)"
        )
        chaos.wait_until(now() + timedelta(seconds=1.5))  # a late duplicate would show now
        assert chaos.agent is not None and chaos.server is not None
        chaos.agent_wanted = chaos.server_wanted = False
        chaos.lives[-1].stopped = now()
        rc = chaos.agent.stop(signal.SIGTERM, timeout=20)
        chaos.lives[-1].dead, chaos.lives[-1].how = now(), f"SIGTERM at the end ({rc})"
        if rc != 0:
            chaos.unexpected.append(f"the agent's final stop (SIGTERM) exited with status {rc}")
        chaos.server.stop(signal.SIGTERM, timeout=10)

        verdict = judge(chaos, cutoff)
        report(chaos, verdict, done)
        bad = len(verdict.lost) + len(verdict.duplicated) + len(verdict.wrong)
        print(f"load at end: {load()}")
        if args.keep:
            print(f"kept: {work} (agent.log, server.log, station/agent.db, office.db)")
        print(
            f"SUMMARY: cycles={done} expected={len(verdict.expected)} logged={len(verdict.logged)} "
            f"lost={len(verdict.lost)} duplicated={len(verdict.duplicated)} "
            f"wrongly_marked={len(verdict.wrong)} seconds={time.monotonic() - began:.0f}"
            + (" stopped_early=1" if stopped_early else "")
        )
        return 1 if bad else 0
    finally:
        chaos.shutdown()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(chaos: Chaos, v: Verdict, cycles: int) -> None:
    startups = [secs(life.ready - life.spawned) for life in chaos.lives if life.ready]
    outages = [secs(o.ready - o.stopped) for o in chaos.outages if o.ready]
    sigs = Counter(o.sig for o in chaos.outages)
    print(
        f"faults: {cycles} cycles, {chaos.kills.total()} agent SIGKILLs "
        f"({', '.join(f'{n} {s}' for s, n in chaos.kills.most_common()) or 'none'}), "
        f"{len(chaos.outages)} server stops "
        f"({', '.join(f'{n} {s}' for s, n in sorted(sigs.items())) or 'none'})"
    )
    if startups:
        print(f"  agent start-up (spawn to 'started'): {min(startups):.1f}–{max(startups):.1f} s")
    if outages:
        print(f"  server outages (stop to /health): {min(outages):.1f}–{max(outages):.1f} s")
    for what in chaos.unexpected:
        print(f"  unexpected: {what}")
    log = read_agent_log(chaos.work / "agent.log")
    if log.errors:
        shown = list(dict.fromkeys(log.errors))
        print(f"  agent log: {len(log.errors)} error lines, e.g.:")
        for line in shown[:5]:
            print(f"    {line[:200]}")
    outbox = outbox_rows(chaos.folder / "agent.db")
    states = Counter(outbox_state(row) for row in outbox.values())
    print(
        f"office: {v.records} records ("
        + ", ".join(f"{s} {n}" for s, n in v.statuses.most_common())
        + f"); agent outbox: {len(outbox)} rows ("
        + ", ".join(f"{s} {n}" for s, n in states.most_common())
        + ")"
    )
    print(f"expected:       {len(v.expected)}")
    print(f"logged:         {len(v.logged)}")
    print(f"lost:           {len(v.lost)}")
    for e, where in v.lost:
        print(f"  {e.describe()}: {where}")
    print(f"duplicated:     {len(v.duplicated)}")
    for line in v.duplicated:
        print(f"  {line}")
    print(f"wrongly marked: {len(v.wrong)}")
    for line in v.wrong:
        print(f"  {line}")
    if v.lost or v.duplicated or v.wrong:
        print("agent runs (spawned, ready, ended):")
        for life in chaos.lives:
            print(
                f"  run {life.run}: {hms(life.spawned)} {hms(life.ready)} {hms(life.dead)} {life.how}"
            )


if __name__ == "__main__":
    sys.exit(main())
