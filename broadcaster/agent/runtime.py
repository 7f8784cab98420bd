"""The playout agent: one station's programme from its local folder, played on time.

It is made of parts with one role each, wired here:

- :mod:`.schedule` — APScheduler fires a job per entry at its planned time, and the periodic
  jobs (re-pull, heartbeat);
- :mod:`.playout` (and :mod:`.bulletins`) — one thread plays due entries and bulletins one at a
  time; whether an entry still plays, and until when, is decided by
  :mod:`broadcaster.domain.playout`;
- :mod:`.emergencies` — an event stream to the office, bulletins handed to playout;
- :mod:`.sync` — the outbox (airing logs, bulletin acknowledgements) sent with backoff.

Every outcome is committed to the local store before it is sent, under an event id that depends
only on the entry, so nothing is lost on a crash and nothing counts twice at the office. Time
comes from the injected :class:`Clock`.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcaster import __version__
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.clock import Clock
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.playout import (
    PlayoutEntry,
    Verdict,
    decide,
    fallback_source,
    next_entry,
    not_running_note,
    recover,
    replay_on,
    stopped_note,
    stored_note,
    timeline,
)
from broadcaster.i18n import fmt_date, fmt_datetime, fmt_time

from .bulletins import PlayoutDeps
from .client import StationClient
from .commands import Commands
from .device import Device
from .emergencies import EmergencyWatch, WatchSettings
from .folder import FolderLock, LocalFolder
from .logs import MISSED, STARTED, describe, guarded, internals, line, log
from .player import Player
from .playlist import AudioRef, load_document, read_playlist
from .playout import Playout
from .pull import ensure_audio, pull_from_server
from .schedule import EntrySchedule
from .settings import AgentSettings
from .store import LocalStore
from .sync import OutboxSync

__all__ = ["Agent", "AgentSettings"]

#: the agent warns (once a day) when its station token has less than this left
TOKEN_WARNING = timedelta(days=14)


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
        self._stopping = threading.Event()
        self._token_warned: datetime | None = None
        #: the earlier day replayed today, when the office published nothing for today
        self.fallback_day: date | None = None
        self._fallback_said: date | None = None
        self._sync_wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self.playout = Playout(
            PlayoutDeps(
                station=station,
                folder=self.folder,
                store=self.store,
                clock=clock,
                player=player,
                tz=self.tz,
                fetch_audio=self._fetch_audio,
                wake_sync=self._sync_wake.set,
            ),
            grace=self.grace,
        )
        self.device = Device(
            self.store,
            player,
            volume_command=settings.volume_command,
            relay_command=settings.relay_command,
        )
        self.schedule = EntrySchedule(self.playout.entry_due, grace_seconds=settings.grace_seconds)
        self._outbox = OutboxSync(
            make_client=self._client,
            store=self.store,
            clock=clock,
            max_backoff=timedelta(seconds=settings.max_backoff_seconds),
        )

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
        self.device.apply()
        self._startup_recovery()
        for bulletin in self.store.unplayed_bulletins():
            self.playout.enqueue_bulletin(bulletin)
        self.schedule.start()
        self._spawn(self.playout.run, "playout")
        if self.settings.server:
            self._start_online()
        else:
            # no server: playlists arrive by 'pull --from-folder'; look for them now and then
            self.schedule.every(
                guarded(self.reload, _("reading the playlists again")), "reload", seconds=60
            )
        log.info(
            line(
                STARTED,
                version=__version__,
                station=self.station,
                player=self.player.name,
                n=len(self.schedule.scheduled),
            )
        )
        if not self.schedule.scheduled and not self.settings.server:
            log.warning(
                _(
                    "nothing to play: no playlists for {station} in {folder}; copy them in with "
                    "'broadcaster pull --from-folder DIR --station {station}' (the agent looks "
                    "every minute), or run the agent with --server URL",
                    station=self.station,
                    folder=self.folder.playlists_dir,
                )
            )

    def _start_online(self) -> None:
        self._spawn(self._sync_loop, "sync")
        watch = EmergencyWatch(
            make_client=self._client,
            folder=self.folder,
            store=self.store,
            clock=self.clock,
            sink=self.playout,
            stopping=self._stopping,
            settings=WatchSettings(
                poll_wait=self.settings.emergency_wait_seconds,
                poll_every=self.settings.emergency_poll_seconds,
            ),
            commands=Commands(
                station=self.station,
                store=self.store,
                clock=self.clock,
                device=self.device,
                playout=self.playout,
                fetch_audio=lambda h: self.folder.audio_path(h) or self._fetch_audio(h),
                wake_sync=self._sync_wake.set,
                timezone=str(self.tz),
            ).handle,
        )
        self._spawn(watch.run, "emergencies")
        repull = guarded(self._repull, _("pulling the playlists"))
        self._spawn(repull, "pull")
        self.schedule.every(repull, "repull", seconds=self.settings.repull_minutes * 60)
        self.schedule.every(
            guarded(self._heartbeat, _("the heartbeat")),
            "heartbeat",
            seconds=self.settings.heartbeat_seconds,
            first=self.clock.now() + timedelta(seconds=1),
        )

    def stop(self) -> None:
        self._stopping.set()

    def shutdown(self) -> None:
        self._stopping.set()
        self.playout.stop()
        self._sync_wake.set()
        self.schedule.shutdown()
        for t in self._threads:
            # the emergency thread may sit in a long-poll: it is a daemon and dies with us
            t.join(timeout={"playout": 10.0, "sync": 5.0}.get(t.name, 0.2))
        if self.settings.server:
            # last chance to deliver what is queued; the rest goes next time
            with contextlib.suppress(BroadcasterError):
                self._outbox.run_once()
        self.store.close()
        log.info(_("agent stopped"))

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def _client(self) -> StationClient:
        assert self.settings.server is not None
        return StationClient(self.settings.server, self.settings.token or "", self.station)

    def _fetch_audio(self, audio_hash: str) -> Path | None:
        if not self.settings.server:
            return None
        try:
            with self._client() as client:
                return ensure_audio(client, self.folder, AudioRef(audio_hash))
        except BroadcasterError as exc:
            log.error(_("cannot fetch audio {hash}: {error}", hash=audio_hash, error=exc))
            return None

    # --- the timeline -----------------------------------------------------------------------
    def _today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def _read_day(self, day: date) -> list[PlayoutEntry] | None:
        path = self.folder.playlist_path(day)
        if not path.exists():
            return None
        try:
            return read_playlist(load_document(path), self.station, str(path))
        except BroadcasterError as exc:
            log.error(_("the playlist {path} is skipped: {error}", path=path, error=exc))
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
                _(
                    "no published playlist for {today}: playing the fallback programme, the "
                    "playlist of {source} (the same weekday); the office sees it in the "
                    "station's status",
                    today=fmt_date(today),
                    source=fmt_date(source),
                )
            )

    def _startup_recovery(self) -> None:
        """After a stop or a crash: log what was cut or missed, schedule the rest."""
        playout = self.playout
        with playout.lock:
            playout.set_timeline(self._load_entries())
            now = self.clock.now()
            rec = recover(playout.ordered, self.store.entry_states(), now, self.grace)
            for e in rec.cut:
                started = self.store.started_at(e.key)
                playout.record(e, AiringStatus.PARTIAL, started, None, stopped_note())
                log.warning(
                    _(
                        "«{title}» (planned {planned}) was cut short: the agent stopped while "
                        "it was playing",
                        title=e.title,
                        planned=self._at(e.start),
                    )
                )
            for e in rec.missed:
                playout.record(e, AiringStatus.MISSED, None, None, not_running_note())
                self._missed(e, _("the agent was not running at the time"))
            for e in rec.pending:
                self.schedule.schedule(e, now)

    def reload(self) -> None:
        """Re-read the folder's playlists: schedule new entries, drop withdrawn ones."""
        playout = self.playout
        with playout.lock:
            playout.set_timeline(self._load_entries())
            now = self.clock.now()
            states = self.store.entry_states()
            for e in playout.ordered:
                if e.key in self.schedule.scheduled or e.key in states:
                    continue
                if decide(playout.windows[e.key], e.start, now) is Verdict.MISS:
                    late = _("its playlist arrived too late")
                    playout.record(e, AiringStatus.MISSED, None, None, stored_note(late))
                    self._missed(e, late)
                else:
                    self.schedule.schedule(e, now)
            self.schedule.keep_only(set(playout.entries))

    def _at(self, when: datetime) -> str:
        """A time of today's programme as the operator reads it (05:30:00, station time)."""
        return fmt_time(when, self.tz, seconds=True)

    def _missed(self, entry: PlayoutEntry, why: Msg) -> None:
        log.warning(line(MISSED, title=entry.title, planned=self._at(entry.start), why=why))

    # --- sync, heartbeat, re-pull -----------------------------------------------------------
    def _sync_loop(self) -> None:
        said = ""  # the failure last said: the same one again is a detail
        while not self._stopping.is_set():
            self._sync_wake.wait(self.settings.sync_seconds)
            self._sync_wake.clear()
            if self._stopping.is_set():
                return
            try:
                self._outbox.run_once()
                said = ""
            except Exception as exc:
                error = describe(exc)
                failed = _(
                    "the logs could not be sent ({error}); they stay here and are sent later",
                    error=error,
                )
                (log.debug if error == said else log.error)(failed)
                said = error
                internals.debug("sync failed", exc_info=True)

    def _heartbeat(self) -> None:
        with self.playout.lock:
            nxt = next_entry(self.playout.ordered, self.store.entry_states(), self.clock.now())
        payload = {
            "agent_version": __version__,
            "next_entry_at": nxt.start.isoformat() if nxt else None,
            "next_entry_title": nxt.title if nxt else None,
            "free_disk_bytes": shutil.disk_usage(self.folder.root).free,
            "pending_logs": self.store.pending_count(),
            "rejected_logs": self.store.rejected_count(),
            "fallback_day": self.fallback_day.isoformat() if self.fallback_day else None,
            "playing": self.playout.playing,
            **self.device.state(),
        }
        try:
            with self._client() as client:
                answer = client.heartbeat(payload)
        except BroadcasterError as exc:
            log.debug(_("the heartbeat did not reach the office: {error}", error=exc))
            return
        self._warn_if_token_expires(answer.get("token_expires_at"))
        lead_in = answer.get("emergency_lead_in")
        if lead_in and self.folder.audio_path(lead_in) is None:
            # fetched ahead, so a bulletin's first sound never waits for a download
            self._fetch_audio(lead_in)

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
            _(
                "the station token expires on {at}; ask the office for a new one "
                "('broadcaster tokens create --station {station}') and set it before then",
                at=fmt_datetime(at, self.tz),
                station=self.station,
            )
        )

    def _repull(self) -> None:
        try:
            with self._client() as client:
                report = pull_from_server(
                    client, self.folder, self.store, today=self._today(), days=self.settings.days
                )
            changed = report.failures or report.audio_fetched or report.changed
            (log.info if changed else log.debug)(_("pull: {summary}", summary=report.summary()))
        except BroadcasterError as exc:
            log.warning(
                _(
                    "the playlists could not be pulled ({error}); playing from the local copy",
                    error=exc,
                )
            )
        self.reload()
