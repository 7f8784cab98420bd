"""The agent's playout: entries and bulletins played one at a time, each outcome logged.

Whatever schedules entries (APScheduler in a real agent, a stepper on a virtual clock in the
demo and the tests) calls :meth:`Playout.entry_due`; the emergency watch hands bulletins in.
One thread runs :meth:`Playout.run`, or a stepper calls :meth:`Playout.step`. Whether an
entry still plays, and until when, is decided by :mod:`broadcaster.domain.playout`; the time
comes from the injected clock, the waiting from the injected ``sleep``.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.playout import (
    PlayoutEntry,
    Verdict,
    Window,
    cut_note,
    decide,
    entry_airing,
    interrupted_note,
    late_note,
    no_audio_note,
    stopped_note,
    stored_note,
    windows,
)
from broadcaster.i18n import fmt_time

from .bulletins import BulletinPlayout, Current, PlayoutDeps, UsesDeps
from .logs import MISSED, PLAYED, PLAYING, describe, internals, line, log
from .player import Outcome, PlayResult

#: queue priorities: bulletins first, then what a command plays now, then entries by time
BULLETIN, NOW, ENTRY, WAKE = 0, 1, 2, -1


@dataclass(frozen=True)
class PlayNow:
    """An item a command plays at once (logged as an entry of its own)."""

    entry: PlayoutEntry
    audio: Path
    done: Callable[[bool], None]


class Playout(UsesDeps):
    """See the module docstring."""

    def __init__(
        self,
        deps: PlayoutDeps,
        *,
        grace: timedelta,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(deps)
        self.grace = grace
        self.sleep = sleep
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.current: Current | None = None
        self.entries: dict[str, PlayoutEntry] = {}
        self.ordered: list[PlayoutEntry] = []
        self.windows: dict[str, Window] = {}
        self._queue: queue.PriorityQueue[tuple[int, float, int, Any]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._bulletins_waiting = 0
        self.bulletins = BulletinPlayout(deps, self.stopping)

    # --- the timeline -----------------------------------------------------------------------
    def set_timeline(self, ordered: list[PlayoutEntry]) -> None:
        with self.lock:
            self.ordered = ordered
            self.entries = {e.key: e for e in ordered}
            self.windows = windows(ordered, self.grace)

    def entry_due(self, key: str) -> None:
        """An entry's time has come (or the scheduler woke late: playout decides)."""
        entry = self.entries.get(key)
        if entry is not None:
            self._queue.put((ENTRY, entry.start.timestamp(), next(self._seq), key))

    def record(
        self,
        entry: PlayoutEntry,
        status: AiringStatus,
        start: datetime | None,
        end: datetime | None,
        note: str | None,
    ) -> None:
        airing = entry_airing(entry, status, actual_start=start, actual_end=end, note=note)
        self.store.record_outcome(entry.key, airing, self.clock.now())
        self.wake_sync()

    @property
    def playing(self) -> str | None:
        current = self.current
        return current.title if current else None

    # --- bulletins (the emergency watch calls these) ----------------------------------------
    def bulletin_arrived(self, bulletin: dict[str, Any]) -> None:
        """A new bulletin: confirm receipt at once, then preempt whatever plays."""
        emergency_id = int(bulletin["id"])
        log.warning(
            _(
                "emergency bulletin #{id} received: «{title}»",
                id=emergency_id,
                title=bulletin.get("title", ""),
            )
        )
        self.store.enqueue(
            f"ack-{emergency_id}-received",
            "ack",
            {"emergency_id": emergency_id, "started_at": None},
            self.clock.now(),
        )
        self.wake_sync()
        self.enqueue_bulletin(bulletin)

    def bulletin_changed(self, bulletin: dict[str, Any]) -> None:
        """A newer state of a known bulletin (its body is ready): wake a waiting playout."""
        if bulletin.get("audio_hash"):
            log.debug(_("emergency bulletin #{id}: its body is ready", id=bulletin.get("id")))
        self.bulletins.changed()

    def bulletin_cancelled(self, bulletin: dict[str, Any]) -> None:
        """The office withdrew a bulletin: stop it if it plays; it never starts otherwise."""
        emergency_id = int(bulletin["id"])
        reason = bulletin.get("cancel_reason")
        log.warning(
            _(
                "emergency bulletin #{id} was cancelled by the office: {reason}",
                id=emergency_id,
                reason=reason,
            )
            if reason
            else _("emergency bulletin #{id} was cancelled by the office", id=emergency_id)
        )
        with self.lock:
            current = self.current
            if current is not None and current.bulletin_id == emergency_id:
                current.reason = "cancelled"
                current.stop.set()
        self.bulletins.changed()

    # --- commands from the office --------------------------------------------------------------
    def stop_for_command(self, command_id: int) -> str | None:
        """Stop the entry that plays (logged partial, stopped by the command); the reason
        when it cannot: an emergency bulletin is cancelled by its office, not stopped here."""
        with self.lock:
            current = self.current
            if current is not None and current.kind == "bulletin":
                return stored_note(
                    _("an emergency bulletin is playing; its office cancels it, not a stop")
                )
            if current is not None:
                current.reason = f"command:{command_id}"
                current.stop.set()
        return None

    def play_now(self, entry: PlayoutEntry, audio: Path, done: Callable[[bool], None]) -> None:
        """Play ``entry`` as soon as nothing more urgent plays (after any bulletin)."""
        with self.lock:
            self._queue.put(
                (NOW, entry.start.timestamp(), next(self._seq), PlayNow(entry, audio, done))
            )
            current = self.current
            if current is not None and current.kind == "entry":
                current.reason = f"command:{entry.key.removeprefix('command-')}"
                current.stop.set()

    def _play_now(self, now: PlayNow) -> None:
        current, begun = self._begin(now.entry)
        outcome = self._sound(now.entry, now.audio, current, begun, None)
        now.done(outcome is Outcome.DONE)

    def enqueue_bulletin(self, bulletin: dict[str, Any]) -> None:
        with self.lock:
            self._bulletins_waiting += 1
            self._queue.put((BULLETIN, float(bulletin["id"]), next(self._seq), bulletin))
            current = self.current
            if current is not None and current.kind == "entry":
                current.reason = f"emergency:{bulletin['id']}"
                current.stop.set()

    # --- running ----------------------------------------------------------------------------
    def run(self) -> None:
        """Play what comes due until :meth:`stop` (the playout thread)."""
        while not self.stopping.is_set():
            self.step(block=True)

    def step(self, *, block: bool = False) -> bool:
        """Handle the next queued entry or bulletin; False if there was none."""
        try:
            _prio, _t, _n, payload = self._queue.get(block=block)
        except queue.Empty:
            return False
        if payload is None:
            return True
        try:
            if isinstance(payload, dict):
                with self.lock:
                    self._bulletins_waiting -= 1
                self.bulletins.play(payload, self._start_current)
            elif isinstance(payload, PlayNow):
                self._play_now(payload)
            else:
                self._play_entry(payload)
        except Exception as exc:  # one bad entry must not stop the station
            log.error(
                _(
                    "{what} could not be played ({error}); playout carries on",
                    what=self._what(payload),
                    error=describe(exc),
                )
            )
            internals.debug("playout failed on %r", payload, exc_info=True)
        finally:
            with self.lock:
                self.current = None
        return True

    def stop(self) -> None:
        """Stop what plays (logged as cut by the agent stopping) and end :meth:`run`."""
        self.stopping.set()
        with self.lock:
            if self.current is not None:
                self.current.reason = self.current.reason or "shutdown"
                self.current.stop.set()
        self._queue.put((WAKE, 0.0, next(self._seq), None))
        self.bulletins.changed()

    def _what(self, payload: Any) -> Msg:
        if isinstance(payload, dict):
            return _("emergency bulletin #{id}", id=payload.get("id"))
        if isinstance(payload, PlayNow):
            return _("«{title}»", title=payload.entry.title)
        entry = self.entries.get(payload)
        return _("«{title}»", title=entry.title if entry else payload)

    def _at(self, when: datetime) -> str:
        """A time of the programme as the operator reads it (05:30:00, station time)."""
        return fmt_time(when, self.tz, seconds=True)

    def _start_current(self, current: Current) -> None:
        with self.lock:
            self.current = current

    def _requeue(self, entry: PlayoutEntry) -> None:
        self._queue.put((ENTRY, entry.start.timestamp(), next(self._seq), entry.key))

    def _play_entry(self, key: str) -> None:
        entry = self.entries.get(key)
        if entry is None:
            return  # withdrawn by a newer playlist
        early = (entry.start - self.clock.now()).total_seconds()
        if early > 0:  # the job fired a hair early
            self.sleep(min(early, 1.0))
        with self.lock:
            started = self._may_start(key, entry)
            if started is None:
                return
            audio, window = started
            current, begun = self._begin(entry)
        limit = (window.stop_by - begun).total_seconds() if window.stop_by is not None else None
        self._sound(entry, audio, current, begun, limit)

    def _begin(self, entry: PlayoutEntry) -> tuple[Current, datetime]:
        """Make ``entry`` what plays now and mark it playing in the store; when it began."""
        with self.lock:
            current = Current("entry", entry.title)
            self.current = current
            begun = self.clock.now()
            self.store.mark_playing(entry.key, entry.start, begun)
        return current, begun

    def _sound(
        self,
        entry: PlayoutEntry,
        audio: Path,
        current: Current,
        begun: datetime,
        limit: float | None,
    ) -> Outcome:
        """Play a begun entry (cut after ``limit`` seconds), then log and say its outcome."""
        log.info(line(PLAYING, title=entry.title, planned=self._at(entry.start)))
        result = self.player.play(audio, entry.duration, current.stop, limit)
        ended = self.clock.now()
        with self.lock:
            self.current = None
            status, note = _status_for(result.outcome, current.reason, result.error)
            self.record(entry, status, begun, ended, note)
        self._say_outcome(entry, result, current.reason, ended - begun)
        return result.outcome

    def _say_outcome(
        self, entry: PlayoutEntry, result: PlayResult, reason: str | None, played: timedelta
    ) -> None:
        title = entry.title
        #: what every message about a cut or stopped entry names
        values = {"title": title, "seconds": round(played.total_seconds())}
        if result.outcome is Outcome.DONE:
            log.info(line(PLAYED, title=title))
        elif result.outcome is Outcome.DEADLINE:
            log.info(_("cut «{title}» after {seconds} s to keep the next entry's time", **values))
        elif result.outcome is Outcome.FAILED:
            log.error(_("the player failed on «{title}»: {error}", title=title, error=result.error))
        elif reason and reason.startswith("command:"):
            log.info(
                _(
                    "«{title}» was stopped after {seconds} s by command #{id} from the office",
                    id=reason.split(":")[1],
                    **values,
                )
            )
        elif reason and reason.startswith("emergency:"):
            log.info(
                _(
                    "«{title}» was interrupted after {seconds} s by emergency bulletin #{id}",
                    id=reason.split(":")[1],
                    **values,
                )
            )
        else:
            log.info(_("«{title}» stopped after {seconds} s: the agent is stopping", **values))

    def _may_start(self, key: str, entry: PlayoutEntry) -> tuple[Path, Window] | None:
        """The audio and window if the entry plays now; else it waits, is missed or failed."""
        if self.entries.get(key) is None or key in self.store.entry_states():
            return None
        if self._bulletins_waiting:
            self._requeue(entry)  # a bulletin arrived meanwhile: it goes first
            return None
        window = self.windows[key]
        now = self.clock.now()
        verdict = decide(window, entry.start, now)
        if verdict is Verdict.WAIT:
            self._requeue(entry)
            return None
        if verdict is Verdict.MISS:
            late = now - entry.start
            self.record(entry, AiringStatus.MISSED, None, None, late_note(late))
            why = _("{seconds} s late, beyond the grace time", seconds=round(late.total_seconds()))
            log.warning(line(MISSED, title=entry.title, planned=self._at(entry.start), why=why))
            return None
        audio = self.folder.audio_path(entry.audio_hash) if entry.audio_hash else None
        if audio is None:
            self.record(entry, AiringStatus.FAILED, None, None, no_audio_note())
            log.error(
                _(
                    "no audio for «{title}» (planned {planned}, audio {hash}); run "
                    "'broadcaster pull'",
                    title=entry.title,
                    planned=self._at(entry.start),
                    hash=entry.audio_hash,
                )
            )
            return None
        return audio, window


def _status_for(
    outcome: Outcome, reason: str | None, error: str | None
) -> tuple[AiringStatus, str | None]:
    if outcome is Outcome.DONE:
        return AiringStatus.AIRED, None
    if outcome is Outcome.DEADLINE:
        return AiringStatus.PARTIAL, cut_note()
    if outcome is Outcome.FAILED:
        return AiringStatus.FAILED, error
    if reason and reason.startswith("emergency:"):
        return AiringStatus.INTERRUPTED, interrupted_note(reason.split(":")[1])
    if reason and reason.startswith("command:"):
        return AiringStatus.PARTIAL, stored_note(
            _("stopped by command #{id} from the office", id=reason.split(":")[1])
        )
    return AiringStatus.PARTIAL, stopped_note()
