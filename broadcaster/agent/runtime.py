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
from broadcaster.domain.errors import BroadcasterError, ConfigError
from broadcaster.domain.playout import (
    PlayoutEntry,
    Verdict,
    Window,
    bulletin_event_id,
    decide,
    entry_airing,
    fallback_source,
    next_entry,
    recover,
    replay_on,
    timeline,
    windows,
)

from .client import StationClient
from .emergencies import EmergencyWatch, WatchSettings
from .folder import FolderLock, LocalFolder
from .player import Outcome, Player
from .playlist import AudioRef, load_document, read_playlist
from .pull import ensure_audio, pull_from_server
from .store import LocalStore
from .sync import OutboxSync

log = logging.getLogger("broadcaster.agent")

#: the agent warns (once a day) when its station token has less than this left
TOKEN_WARNING = timedelta(days=14)

ENTRY_JOB = "entry:"


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
    #: with no published playlist for today: replay the last one of the same weekday
    #: ("same_weekday") or stay silent ("none")
    fallback: str = "same_weekday"
    #: how many weeks back a fallback playlist may come from
    fallback_weeks: int = 4

    def __post_init__(self) -> None:
        if self.fallback not in ("same_weekday", "none"):
            raise ConfigError(
                f"[agent] fallback = {self.fallback!r} is not one of: same_weekday, none"
            )
        if not 1 <= self.fallback_weeks <= 52:
            raise ConfigError(f"[agent] fallback_weeks = {self.fallback_weeks}; use 1 to 52")


@dataclass
class _Current:
    kind: str  # "entry" or "bulletin"
    title: str
    bulletin_id: int | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    reason: str | None = None  # why it was stopped: "emergency:ID", "cancelled", "shutdown"


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
        #: the earlier day replayed today, when the office published nothing for today
        self.fallback_day: date | None = None
        self._fallback_said: date | None = None
        self._queue: queue.PriorityQueue[tuple[int, float, int, Any]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._entries: dict[str, PlayoutEntry] = {}
        self._ordered: list[PlayoutEntry] = []
        self._windows: dict[str, Window] = {}
        self._scheduled: set[str] = set()
        self._current: _Current | None = None
        self._bulletins_waiting = 0
        self._sync_wake = threading.Event()
        self._bulletin_update = threading.Condition()
        self._outbox = OutboxSync(
            make_client=self._client,
            store=self.store,
            clock=clock,
            max_backoff=timedelta(seconds=settings.max_backoff_seconds),
        )
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
            watch = EmergencyWatch(
                make_client=self._client,
                folder=self.folder,
                store=self.store,
                clock=self.clock,
                sink=self,
                stopping=self._stopping,
                settings=WatchSettings(
                    poll_wait=self.settings.emergency_wait_seconds,
                    poll_every=self.settings.emergency_poll_seconds,
                ),
            )
            self._spawn(watch.run, "emergencies")
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

    def _read_day(self, day: date) -> list[PlayoutEntry] | None:
        path = self.folder.playlist_path(day)
        if not path.exists():
            return None
        try:
            return read_playlist(load_document(path), self.station, str(path))
        except BroadcasterError as exc:
            log.error("skipping %s: %s", path, exc)
            return None

    def _load_entries(self) -> list[PlayoutEntry]:
        today = self._today()
        first = today - timedelta(days=1)  # a session may run past midnight
        entries: list[PlayoutEntry] = []
        held = self.folder.playlist_days()
        for day in held:
            if day >= first:
                entries += self._read_day(day) or []
        self.fallback_day = None
        if today not in held and self.settings.fallback == "same_weekday":
            source = fallback_source(today, held, self.settings.fallback_weeks)
            replayed = self._read_day(source) if source else None
            if source and replayed:
                self.fallback_day = source
                entries += replay_on(replayed, source, today)
                self._say_fallback(today, source)
        return timeline(entries)

    def _say_fallback(self, today: date, source: date) -> None:
        if self._fallback_said != today:
            self._fallback_said = today
            log.warning(
                "no published playlist for %s: playing the fallback programme, the playlist "
                "of %s (the same weekday); the office sees it in the station's status",
                today.strftime("%d/%m/%Y"),
                source.strftime("%d/%m/%Y"),
            )

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
    # EmergencyWatch (agent/emergencies.py) follows the office and calls these three.
    def bulletin_arrived(self, bulletin: dict[str, Any]) -> None:
        """A new bulletin: confirm receipt at once, then preempt whatever plays."""
        emergency_id = int(bulletin["id"])
        self.store.enqueue(
            f"ack-{emergency_id}-received",
            "ack",
            {"emergency_id": emergency_id, "started_at": None},
            self.clock.now(),
        )
        self._sync_wake.set()
        self._enqueue_bulletin(bulletin)

    def bulletin_changed(self, bulletin: dict[str, Any]) -> None:
        """A newer state of a known bulletin (its body is ready): wake a waiting playout."""
        with self._bulletin_update:
            self._bulletin_update.notify_all()

    def bulletin_cancelled(self, bulletin: dict[str, Any]) -> None:
        """The office withdrew a bulletin: stop it if it plays; it never starts otherwise."""
        emergency_id = int(bulletin["id"])
        reason = bulletin.get("cancel_reason")
        log.warning(
            "bulletin %s cancelled by the office%s", emergency_id, f": {reason}" if reason else ""
        )
        with self._lock:
            current = self._current
            if current is not None and current.bulletin_id == emergency_id:
                current.reason = "cancelled"
                current.stop.set()
        with self._bulletin_update:
            self._bulletin_update.notify_all()

    def _enqueue_bulletin(self, bulletin: dict[str, Any]) -> None:
        with self._lock:
            self._bulletins_waiting += 1
            self._queue.put((0, float(bulletin["id"]), next(self._seq), bulletin))
            current = self._current
            if current is not None and current.kind == "entry":
                current.reason = f"emergency:{bulletin['id']}"
                current.stop.set()

    def _play_bulletin(self, queued: dict[str, Any]) -> None:
        with self._lock:
            self._bulletins_waiting -= 1
        emergency_id = int(queued["id"])
        if self.store.bulletin_state(emergency_id) in ("played", "cancelled", "expired"):
            return
        b = self.store.bulletin(emergency_id) or queued  # its newest state
        if datetime.fromisoformat(b["expires_at"]) <= self.clock.now():
            self.store.mark_bulletin(emergency_id, "expired")
            log.warning("bulletin %s expired before it could play", emergency_id)
            return
        current = _Current("bulletin", b["title"], bulletin_id=emergency_id)
        with self._lock:
            self._current = current
        started = self.clock.now()
        self.store.mark_bulletin(emergency_id, "playing", started_at=started)
        self.store.enqueue(
            f"ack-{emergency_id}",
            "ack",
            {"emergency_id": emergency_id, "started_at": started.isoformat()},
            started,
        )
        self._sync_wake.set()
        log.warning("EMERGENCY %s: %s (x%s)", emergency_id, b["title"], b.get("repeat", 1))
        try:
            state = self._play_bulletin_parts(b, current, started)
        finally:
            with self._lock:
                self._current = None
        if state is not None:
            self.store.record_bulletin_done(emergency_id, state, started, self.clock.now())

    def _play_bulletin_parts(
        self, b: dict[str, Any], current: _Current, started: datetime
    ) -> str | None:
        """Lead-in, then the body as soon as it is ready; the bulletin's final state, or
        None when the agent is stopping (it plays again on restart if still live)."""
        lead = next((p for p in b.get("parts") or [] if p.get("role") == "lead_in"), None)
        first: datetime | None = started
        if lead and lead.get("audio_hash"):
            outcome = self._play_bulletin_part(
                b, "lead_in", lead["audio_hash"], lead, 1, current, started
            )
            first = None
            if outcome is not AiringStatus.AIRED:
                return self._final(outcome)
        body = self._await_body(int(b["id"]), current)
        if body is None:
            return self._final(None) if current.reason != "cancelled" else "cancelled"
        if body.get("body_state") == "failed":
            self._record_bulletin_part(
                body, "body", AiringStatus.FAILED, None, None, "không tổng hợp được nội dung"
            )
            log.error("bulletin %s: the office could not synthesise its body", b["id"])
            return "failed"
        repeat = int(body.get("repeat") or 1)
        outcome = self._play_bulletin_part(
            body, "body", body["audio_hash"], body, repeat, current, first
        )
        return self._final(outcome)

    @staticmethod
    def _final(outcome: AiringStatus | None) -> str | None:
        if outcome is None:
            return None
        return {AiringStatus.AIRED: "played", AiringStatus.CANCELLED: "cancelled"}.get(
            outcome, "failed"
        )

    def _await_body(self, emergency_id: int, current: _Current) -> dict[str, Any] | None:
        """The bulletin once its body can play; None if it is cancelled, expires or the agent
        stops first."""
        while not current.stop.is_set() and not self._stopping.is_set():
            b = self.store.bulletin(emergency_id)
            if b is None or self.store.bulletin_state(emergency_id) == "cancelled":
                return None
            if b.get("body_state") == "failed":
                return b
            if b.get("audio_hash") and self.folder.audio_path(b["audio_hash"]) is not None:
                return b
            left = (datetime.fromisoformat(b["expires_at"]) - self.clock.now()).total_seconds()
            if left <= 0:
                return None
            with self._bulletin_update:
                self._bulletin_update.wait(min(left, 1.0))
        return None

    def _play_bulletin_part(
        self,
        b: dict[str, Any],
        part: str,
        audio_hash: str,
        info: dict[str, Any],
        repeat: int,
        current: _Current,
        start: datetime | None = None,
    ) -> AiringStatus | None:
        """Play one part ``repeat`` times and log it; None when the agent is stopping.
        ``start``: when the bulletin began to sound, if this part opens it."""
        audio = self.folder.audio_path(audio_hash)
        if audio is None and self.settings.server:
            try:
                with self._client() as client:
                    audio = ensure_audio(client, self.folder, AudioRef(audio_hash))
            except BroadcasterError as exc:
                log.error("bulletin %s: no audio for its %s: %s", b["id"], part, exc)
        start = start or self.clock.now()
        if audio is None:
            self._record_bulletin_part(
                b, part, AiringStatus.FAILED, None, None, "thiếu tệp âm thanh"
            )
            return AiringStatus.FAILED
        duration = timedelta(milliseconds=info.get("duration_ms") or 0)
        result = None
        for _ in range(max(repeat, 1)):
            result = self.player.play(audio, duration, current.stop, None)
            if result.outcome is not Outcome.DONE:
                break
        end = self.clock.now()
        assert result is not None
        if result.outcome is Outcome.DONE:
            status, note = AiringStatus.AIRED, None
        elif result.outcome is Outcome.STOPPED and current.reason == "cancelled":
            reason = (self.store.bulletin(int(b["id"])) or b).get("cancel_reason")
            status, note = (
                AiringStatus.CANCELLED,
                "đơn vị gửi đã hủy bản tin" + (f": {reason}" if reason else ""),
            )
        elif result.outcome is Outcome.STOPPED:
            return None
        else:
            status, note = AiringStatus.FAILED, result.error
        self._record_bulletin_part(b, part, status, start, end, note)
        return status

    def _record_bulletin_part(
        self,
        b: dict[str, Any],
        part: str,
        status: AiringStatus,
        start: datetime | None,
        end: datetime | None,
        note: str | None,
    ) -> None:
        emergency_id = int(b["id"])
        lead = part == "lead_in"
        audio = next(
            (p.get("audio_hash") for p in b.get("parts") or [] if p.get("role") == part),
            b.get("audio_hash"),
        )
        airing = Airing(
            event_id=bulletin_event_id(self.station, emergency_id, part),
            station_code=self.station,
            status=status,
            planned_start=None,
            actual_start=start,
            actual_end=end,
            entry_id=f"emergency-{emergency_id}" + (":lead-in" if lead else ""),
            segment_hash=audio,
            source=AiringSource.AGENT,
            note=f"bản tin khẩn cấp #{emergency_id}"
            + (" (hiệu lệnh và lời dẫn)" if lead else "")
            + (f": {note}" if note else ""),
            title=f"KHẨN CẤP: {b['title']}" + (" — hiệu lệnh" if lead else ""),
            timezone=str(self.tz),
        )
        self.store.record_bulletin_part(airing, self.clock.now())
        self._sync_wake.set()

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
        self._outbox.run_once()

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
            "rejected_logs": self.store.rejected_count(),
            "fallback_day": self.fallback_day.isoformat() if self.fallback_day else None,
            "playing": playing,
        }
        try:
            with self._client() as client:
                answer = client.heartbeat(payload)
        except BroadcasterError as exc:
            log.debug("heartbeat failed: %s", exc)
            return
        self._warn_if_token_expires(answer.get("token_expires_at"))
        lead_in = answer.get("emergency_lead_in")
        if lead_in and self.folder.audio_path(lead_in) is None:
            # fetched ahead, so a bulletin's first sound never waits for a download
            with contextlib.suppress(BroadcasterError), self._client() as client:
                ensure_audio(client, self.folder, AudioRef(lead_in))

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
