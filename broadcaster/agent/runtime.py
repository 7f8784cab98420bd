"""The playout agent: APScheduler fires each entry at its time, one playout thread plays it.

Threads and what they do:

- the scheduler (APScheduler 3, one per folder, see :class:`FolderLock`) fires a job per entry at
  its planned time, and the periodic jobs (re-pull, heartbeat);
- the playout thread takes due entries and bulletins from a queue and plays them one at a time;
  whether an entry still plays, and until when, is decided by :mod:`broadcaster.domain.playout`;
- the emergency thread holds a long-poll open to the server and preempts the playout;
- the sync thread sends the outbox (airing logs, bulletin acknowledgements) with backoff.

Every outcome is committed to the local store before it is sent, under an event id that depends
only on the entry, so nothing is lost on a crash and nothing counts twice at the office.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from broadcaster import __version__
from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import AuthError, TransferError
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.playout import (
    PlayoutEntry,
    Verdict,
    Window,
    bulletin_event_id,
    decide,
    entry_airing,
    next_entry,
    recover,
    retry_delay,
    timeline,
    windows,
)

from .client import StationClient
from .folder import FolderLock, LocalFolder
from .player import Outcome, Player
from .playlist import AudioRef, load_document, read_playlist
from .pull import ensure_audio, pull_from_server
from .store import LocalStore

log = logging.getLogger("broadcaster.agent")

#: the agent warns (once a day) when its station token has less than this left
TOKEN_WARNING = timedelta(days=14)

ENTRY_JOB = "entry:"
BATCH = 100


@dataclass(frozen=True)
class AgentSettings:
    """The ``[agent]`` settings section (``BROADCASTER_AGENT_*`` in the environment)."""

    server: str | None = None
    token: str | None = None
    folder: Path | None = None
    player: str = "null"
    #: how late an entry may still start, in seconds; later, it is logged ``missed``
    grace_seconds: float = 60.0
    #: playlists pulled ahead: today and this many days
    days: int = 7
    repull_minutes: float = 15.0
    #: how long the server holds an emergency long-poll (0: short polls every poll seconds)
    emergency_wait_seconds: float = 20.0
    emergency_poll_seconds: float = 3.0
    sync_seconds: float = 2.0
    heartbeat_seconds: float = 30.0
    max_backoff_seconds: float = 60.0


@dataclass
class _Current:
    kind: str  # "entry" or "bulletin"
    title: str
    stop: threading.Event = field(default_factory=threading.Event)
    reason: str | None = None  # why it was stopped


class Agent:
    """One station's playout, from its local folder; see the module docstring."""

    def __init__(
        self,
        *,
        station: str,
        folder: LocalFolder,
        settings: AgentSettings,
        timezone: str,
        clock: Clock,
        player: Player,
    ) -> None:
        self.station = station
        self.folder = folder.ensure()
        self.settings = settings
        self.tz = ZoneInfo(timezone)
        self.clock = clock
        self.player = player
        self.grace = timedelta(seconds=settings.grace_seconds)
        self.store = LocalStore(folder.state_db)
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._token_warned: datetime | None = None
        self._queue: queue.PriorityQueue[tuple[int, float, int, Any]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._entries: dict[str, PlayoutEntry] = {}
        self._ordered: list[PlayoutEntry] = []
        self._windows: dict[str, Window] = {}
        self._scheduled: set[str] = set()
        self._current: _Current | None = None
        self._bulletins_waiting = 0
        self._sync_wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1},
            executors={"default": {"type": "threadpool", "max_workers": 4}},
        )
        self.scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)

    # --- life cycle -------------------------------------------------------------------------
    def run(self, until: threading.Event | None = None) -> None:
        """Play until ``until`` is set (or :meth:`stop` is called), then shut down cleanly."""
        lock = FolderLock(self.folder).acquire()
        try:
            self.start()
            while not self._stopping.is_set():
                if until is not None and until.wait(0.2):
                    break
                if until is None:
                    self._stopping.wait(0.2)
        finally:
            self.shutdown()
            lock.release()

    def start(self) -> None:
        self._startup_recovery()
        for bulletin in self.store.unplayed_bulletins():
            self._enqueue_bulletin(bulletin)
        self.scheduler.start()
        self._spawn(self._playout_loop, "playout")
        if self.settings.server:
            self._spawn(self._sync_loop, "sync")
            self._spawn(self._emergency_loop, "emergencies")
            self._spawn(self._initial_pull, "pull")
            self.scheduler.add_job(
                self._repull,
                "interval",
                minutes=self.settings.repull_minutes,
                id="repull",
                replace_existing=True,
            )
            self.scheduler.add_job(
                self._heartbeat,
                "interval",
                seconds=self.settings.heartbeat_seconds,
                id="heartbeat",
                next_run_time=self.clock.now() + timedelta(seconds=1),
                replace_existing=True,
            )
        else:
            # no server: playlists arrive by 'pull --from-folder'; look for them now and then
            self.scheduler.add_job(
                self.reload, "interval", minutes=1, id="reload", replace_existing=True
            )
        log.info(
            "agent %s for %s started: %d entries scheduled, player %s",
            __version__,
            self.station,
            len(self._scheduled),
            self.player.name,
        )
        if not self._scheduled and not self.settings.server:
            log.warning(
                "nothing to play: no playlists for %s in %s; copy them in with "
                "'broadcaster pull --from-folder DIR --station %s' (the agent looks every "
                "minute), or run the agent with --server URL",
                self.station,
                self.folder.playlists_dir,
                self.station,
            )

    def stop(self) -> None:
        self._stopping.set()

    def shutdown(self) -> None:
        self._stopping.set()
        with self._lock:
            if self._current is not None:
                self._current.reason = self._current.reason or "shutdown"
                self._current.stop.set()
        self._queue.put((-1, 0.0, next(self._seq), None))  # wake the playout thread
        self._sync_wake.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for t in self._threads:
            # the emergency thread may sit in a long-poll: it is a daemon and dies with us
            t.join(timeout={"playout": 10.0, "sync": 5.0}.get(t.name, 0.2))
        if self.settings.server:
            # last chance to deliver what is queued; the rest goes next time
            with contextlib.suppress(BroadcasterError):
                self._sync_once()
        self.store.close()
        log.info("agent stopped")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def _client(self) -> StationClient:
        assert self.settings.server is not None
        return StationClient(self.settings.server, self.settings.token or "", self.station)

    # --- schedule ---------------------------------------------------------------------------
    def _today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def _load_entries(self) -> list[PlayoutEntry]:
        first = self._today() - timedelta(days=1)  # a session may run past midnight
        entries: list[PlayoutEntry] = []
        for day in self.folder.playlist_days():
            if day < first:
                continue
            path = self.folder.playlist_path(day)
            try:
                entries += read_playlist(load_document(path), self.station, str(path))
            except BroadcasterError as exc:
                log.error("skipping %s: %s", path, exc)
        return timeline(entries)

    def _startup_recovery(self) -> None:
        """After a stop or a crash: log what was cut or missed, schedule the rest."""
        with self._lock:
            self._set_timeline(self._load_entries())
            now = self.clock.now()
            rec = recover(self._ordered, self.store.entry_states(), now, self.grace)
            for e in rec.cut:
                self._record(
                    e,
                    AiringStatus.PARTIAL,
                    self.store.started_at(e.key),
                    None,
                    "agent dừng khi đang phát",
                )
            for e in rec.missed:
                self._record(e, AiringStatus.MISSED, None, None, "agent không chạy đúng giờ")
            if rec.cut or rec.missed:
                log.warning(
                    "while the agent was down: %d entries cut short, %d missed",
                    len(rec.cut),
                    len(rec.missed),
                )
            for e in rec.pending:
                self._schedule(e, now)

    def reload(self) -> None:
        """Re-read the folder's playlists: schedule new entries, drop withdrawn ones."""
        with self._lock:
            self._set_timeline(self._load_entries())
            now = self.clock.now()
            states = self.store.entry_states()
            for e in self._ordered:
                if e.key in self._scheduled or e.key in states:
                    continue
                if decide(self._windows[e.key], e.start, now) is Verdict.MISS:
                    self._record(e, AiringStatus.MISSED, None, None, "nhận lịch phát quá muộn")
                else:
                    self._schedule(e, now)
            for key in list(self._scheduled - set(self._entries)):
                self._scheduled.discard(key)
                if self.scheduler.get_job(ENTRY_JOB + key) is not None:
                    self.scheduler.remove_job(ENTRY_JOB + key)

    def _set_timeline(self, ordered: list[PlayoutEntry]) -> None:
        self._ordered = ordered
        self._entries = {e.key: e for e in ordered}
        self._windows = windows(ordered, self.grace)

    def _schedule(self, e: PlayoutEntry, now: datetime) -> None:
        self.scheduler.add_job(
            self._entry_due,
            DateTrigger(run_date=max(e.start, now)),
            args=[e.key],
            id=ENTRY_JOB + e.key,
            misfire_grace_time=max(int(self.settings.grace_seconds), 1),
            replace_existing=True,
        )
        self._scheduled.add(e.key)

    def _entry_due(self, key: str) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            self._queue.put((1, entry.start.timestamp(), next(self._seq), key))

    def _on_missed(self, event: JobExecutionEvent) -> None:
        # the scheduler woke too late (suspended machine, overload): let the playout decide
        if event.job_id.startswith(ENTRY_JOB):
            self._entry_due(event.job_id[len(ENTRY_JOB) :])

    # --- playout ----------------------------------------------------------------------------
    def _playout_loop(self) -> None:
        while not self._stopping.is_set():
            _prio, _t, _n, payload = self._queue.get()
            if payload is None:
                continue
            try:
                if isinstance(payload, dict):
                    self._play_bulletin(payload)
                else:
                    self._play_entry(payload)
            except Exception:  # one bad entry must not stop the station
                log.exception("playout failed on %r", payload)

    def _play_entry(self, key: str) -> None:
        entry = self._entries.get(key)
        if entry is None:
            return  # withdrawn by a newer playlist
        early = (entry.start - self.clock.now()).total_seconds()
        if early > 0:  # the job fired a hair early
            time.sleep(min(early, 1.0))
        with self._lock:
            if self._entries.get(key) is None or key in self.store.entry_states():
                return
            if self._bulletins_waiting:
                # a bulletin arrived meanwhile: it goes first, this entry waits its turn
                self._queue.put((1, entry.start.timestamp(), next(self._seq), key))
                return
            window = self._windows[key]
            now = self.clock.now()
            verdict = decide(window, entry.start, now)
            if verdict is Verdict.WAIT:
                self._queue.put((1, entry.start.timestamp(), next(self._seq), key))
                return
            if verdict is Verdict.MISS:
                late = (now - entry.start).total_seconds()
                self._record(entry, AiringStatus.MISSED, None, None, f"trễ {late:.0f} giây")
                log.warning(
                    "missed %s (%s): %.0f s late",
                    entry.title,
                    f"{entry.start:%Y-%m-%d %H:%M:%S}",
                    late,
                )
                return
            audio = self.folder.audio_path(entry.audio_hash) if entry.audio_hash else None
            if audio is None:
                self._record(entry, AiringStatus.FAILED, None, None, "thiếu tệp âm thanh")
                log.error("no audio for %s (%s); run pull", entry.title, entry.audio_hash)
                return
            current = _Current("entry", entry.title)
            self._current = current
            started = self.clock.now()
            self.store.mark_playing(key, entry.start, started)
        deadline = None
        if window.stop_by is not None:
            deadline = time.monotonic() + (window.stop_by - started).total_seconds()
        log.info("playing %s (planned %s)", entry.title, entry.start.astimezone(self.tz).time())
        result = self.player.play(audio, entry.duration, current.stop, deadline)
        ended = self.clock.now()
        with self._lock:
            self._current = None
            status, note = self._status_for(result.outcome, current.reason, result.error)
            self._record(entry, status, started, ended, note)
        log.info("%s: %s", entry.title, status.value)

    @staticmethod
    def _status_for(
        outcome: Outcome, reason: str | None, error: str | None
    ) -> tuple[AiringStatus, str | None]:
        if outcome is Outcome.DONE:
            return AiringStatus.AIRED, None
        if outcome is Outcome.DEADLINE:
            return AiringStatus.PARTIAL, "cắt để giữ giờ mục sau"
        if outcome is Outcome.FAILED:
            return AiringStatus.FAILED, error
        if reason and reason.startswith("emergency:"):
            return AiringStatus.INTERRUPTED, f"ngắt bởi bản tin khẩn cấp #{reason.split(':')[1]}"
        return AiringStatus.PARTIAL, "agent dừng khi đang phát"

    def _record(
        self,
        entry: PlayoutEntry,
        status: AiringStatus,
        start: datetime | None,
        end: datetime | None,
        note: str | None,
    ) -> None:
        airing = entry_airing(entry, status, actual_start=start, actual_end=end, note=note)
        self.store.record_outcome(entry.key, airing, self.clock.now())
        self._sync_wake.set()

    # --- emergencies ------------------------------------------------------------------------
    def _enqueue_bulletin(self, bulletin: dict[str, Any]) -> None:
        with self._lock:
            self._bulletins_waiting += 1
            self._queue.put((0, float(bulletin["id"]), next(self._seq), bulletin))
            current = self._current
            if current is not None and current.kind == "entry":
                current.reason = f"emergency:{bulletin['id']}"
                current.stop.set()

    def _play_bulletin(self, b: dict[str, Any]) -> None:
        with self._lock:
            self._bulletins_waiting -= 1
        emergency_id = int(b["id"])
        now = self.clock.now()
        if self.store.bulletin_state(emergency_id) == "played":
            return
        if datetime.fromisoformat(b["expires_at"]) <= now:
            self.store.mark_bulletin(emergency_id, "expired")
            log.warning("bulletin %s expired before it could play", emergency_id)
            return
        audio = self.folder.audio_path(b["audio_hash"])
        if audio is None:
            if not self.settings.server:
                log.error("no audio for bulletin %s", emergency_id)
                return
            with self._client() as client:
                audio = ensure_audio(client, self.folder, AudioRef(b["audio_hash"]))
        current = _Current("bulletin", b["title"])
        with self._lock:
            self._current = current
        started = self.clock.now()
        self.store.mark_bulletin(emergency_id, "playing", started_at=started)
        log.warning("EMERGENCY %s: %s (x%s)", emergency_id, b["title"], b.get("repeat", 1))
        duration = timedelta(milliseconds=b.get("duration_ms") or 0)
        result = None
        for _ in range(int(b.get("repeat") or 1)):
            result = self.player.play(audio, duration, current.stop, None)
            if result.outcome is not Outcome.DONE:
                break
        ended = self.clock.now()
        with self._lock:
            self._current = None
        if result is not None and result.outcome is Outcome.STOPPED:
            return  # the agent is stopping: the bulletin plays again on restart if still live
        status = (
            AiringStatus.AIRED if result and result.outcome is Outcome.DONE else AiringStatus.FAILED
        )
        airing = Airing(
            event_id=bulletin_event_id(self.station, emergency_id),
            station_code=self.station,
            status=status,
            planned_start=None,
            actual_start=started,
            actual_end=ended,
            entry_id=f"emergency-{emergency_id}",
            segment_hash=b["audio_hash"],
            source=AiringSource.AGENT,
            note=f"bản tin khẩn cấp #{emergency_id}"
            + (f": {result.error}" if result and result.error else ""),
            title=f"KHẨN CẤP: {b['title']}",
            timezone=str(self.tz),
        )
        ack = {"emergency_id": emergency_id, "started_at": started.isoformat()}
        self.store.record_bulletin_played(emergency_id, airing, ack, self.clock.now())
        self._sync_wake.set()

    def _emergency_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._watch_emergencies()
            except Exception:
                if self._stopping.is_set():  # at shutdown the store closes under our feet
                    return
                log.exception("emergency watch failed; starting it again")
                self._stopping.wait(self.settings.emergency_poll_seconds)

    def _watch_emergencies(self) -> None:
        failures = 0
        with self._client() as client:
            while not self._stopping.is_set():
                cursor = int(self.store.get("emergency_cursor") or 0)
                try:
                    answer = client.emergencies(cursor, self.settings.emergency_wait_seconds)
                except (TransferError, AuthError) as exc:
                    failures += 1
                    delay = retry_delay(failures, cap=timedelta(seconds=5))
                    log.debug("emergency check failed (%s); again in %s", exc, delay)
                    self._stopping.wait(delay.total_seconds())
                    continue
                except BroadcasterError as exc:
                    log.error("emergency check: %s", exc)
                    self._stopping.wait(self.settings.emergency_poll_seconds)
                    continue
                if self._stopping.is_set():
                    return  # the store may be closed already
                failures = 0
                new_cursor = int(answer.get("cursor", cursor))
                for b in answer.get("emergencies", []):
                    try:
                        ensure_audio(client, self.folder, AudioRef(b["audio_hash"]))
                    except BroadcasterError as exc:
                        log.error("bulletin %s: cannot fetch its audio: %s", b["id"], exc)
                        new_cursor = min(new_cursor, int(b["id"]) - 1)
                        break
                    if self.store.remember_bulletin(int(b["id"]), b, self.clock.now()):
                        self._enqueue_bulletin(b)
                self.store.put("emergency_cursor", str(new_cursor))
                if self.settings.emergency_wait_seconds <= 0:
                    self._stopping.wait(self.settings.emergency_poll_seconds)

    # --- sync, heartbeat, re-pull -----------------------------------------------------------
    def _sync_loop(self) -> None:
        while not self._stopping.is_set():
            self._sync_wake.wait(self.settings.sync_seconds)
            self._sync_wake.clear()
            if self._stopping.is_set():
                return
            try:
                self._sync_once()
            except Exception:
                log.exception("sync failed")

    def _sync_once(self) -> None:
        now = self.clock.now()
        with self._client() as client:
            while True:
                batch = self.store.due("airing", now, BATCH)
                if not batch:
                    break
                ids = [r.event_id for r in batch]
                try:
                    client.upload_airings([r.payload for r in batch])
                except BroadcasterError as exc:
                    self._backoff(ids, batch[0].attempts, str(exc))
                    return
                self.store.mark_sent(ids, self.clock.now())
                log.debug("sent %d airing logs", len(ids))
            for r in self.store.due("ack", now, BATCH):
                started = r.payload.get("started_at")
                try:
                    client.acknowledge(
                        int(r.payload["emergency_id"]),
                        datetime.fromisoformat(started) if started else None,
                    )
                except BroadcasterError as exc:
                    self._backoff([r.event_id], r.attempts, str(exc))
                    return
                self.store.mark_sent([r.event_id], self.clock.now())

    def _backoff(self, ids: list[str], attempts: int, error: str) -> None:
        delay = retry_delay(
            attempts + 1,
            cap=timedelta(seconds=self.settings.max_backoff_seconds),
            jitter=random.random(),
        )
        self.store.mark_failed(ids, self.clock.now() + delay, error)
        log.info("cannot send logs (%s); retrying in %.0f s", error, delay.total_seconds())

    def _heartbeat(self) -> None:
        with self._lock:
            nxt = next_entry(self._ordered, self.store.entry_states(), self.clock.now())
            playing = self._current.title if self._current else None
        payload = {
            "agent_version": __version__,
            "next_entry_at": nxt.start.isoformat() if nxt else None,
            "next_entry_title": nxt.title if nxt else None,
            "free_disk_bytes": shutil.disk_usage(self.folder.root).free,
            "pending_logs": self.store.pending_count(),
            "playing": playing,
        }
        try:
            with self._client() as client:
                answer = client.heartbeat(payload)
        except BroadcasterError as exc:
            log.debug("heartbeat failed: %s", exc)
            return
        self._warn_if_token_expires(answer.get("token_expires_at"))

    def _warn_if_token_expires(self, expires: str | None) -> None:
        """Once a day while the station token has less than TOKEN_WARNING left."""
        if not expires:
            return
        try:
            at = datetime.fromisoformat(expires)
        except ValueError:
            return
        now = self.clock.now()
        if at - now > TOKEN_WARNING:
            return
        if self._token_warned is not None and now - self._token_warned < timedelta(days=1):
            return
        self._token_warned = now
        log.warning(
            "the station token expires on %s; ask the office for a new one "
            "('broadcaster tokens create --station %s') and set it before then",
            at.astimezone(self.tz).strftime("%d/%m/%Y %H:%M"),
            self.station,
        )

    def _initial_pull(self) -> None:
        self._repull()

    def _repull(self) -> None:
        try:
            with self._client() as client:
                report = pull_from_server(
                    client, self.folder, self.store, today=self._today(), days=self.settings.days
                )
            log.info("pull: %s", report.summary())
        except BroadcasterError as exc:
            log.warning("pull failed, playing from the local copy: %s", exc)
        self.reload()
