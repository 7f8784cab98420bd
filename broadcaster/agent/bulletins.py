"""Playing one emergency bulletin: its lead-in, then its body as soon as it is ready.

Each part is logged on its own (``emergency-ID:lead-in``, ``emergency-ID``); a bulletin the
office cancels stops at once and is logged ``cancelled``; one that expires before it can
play, or whose body the office could not synthesise, says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.clock import Clock
from broadcaster.domain.messages import _, _n
from broadcaster.domain.playout import (
    bulletin_event_id,
    bulletin_note,
    no_audio_note,
    stored_note,
)

from .folder import LocalFolder
from .logs import log
from .player import Outcome, Player
from .store import LocalStore

#: a bulletin's final state in the local store, by the outcome of its last part
FINAL = {AiringStatus.AIRED: "played", AiringStatus.CANCELLED: "cancelled"}


@dataclass(frozen=True)
class PlayoutDeps:
    """What playing needs from the station: its folder and store, the clock, the player."""

    station: str
    folder: LocalFolder
    store: LocalStore
    clock: Clock
    player: Player
    tz: ZoneInfo
    #: audio not in the folder yet, fetched from the office (None when it cannot be)
    fetch_audio: Callable[[str], Path | None]
    #: an outcome was stored: send it soon
    wake_sync: Callable[[], None]


@dataclass
class Current:
    """What plays now, and how to stop it."""

    kind: str  # "entry" or "bulletin"
    title: str
    bulletin_id: int | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    reason: str | None = None  # why it was stopped: "emergency:ID", "cancelled", "shutdown"


class UsesDeps:
    """A part of the playout: the station's deps it plays with, at hand as attributes."""

    def __init__(self, deps: PlayoutDeps) -> None:
        self.station = deps.station
        self.folder = deps.folder
        self.store = deps.store
        self.clock = deps.clock
        self.player = deps.player
        self.tz = deps.tz
        self.wake_sync = deps.wake_sync


class BulletinPlayout(UsesDeps):
    def __init__(self, deps: PlayoutDeps, stopping: threading.Event) -> None:
        super().__init__(deps)
        self.fetch_audio = deps.fetch_audio
        self.stopping = stopping
        self._update = threading.Condition()

    def changed(self) -> None:
        """A bulletin changed (its body is ready, it was cancelled): wake a waiting part."""
        with self._update:
            self._update.notify_all()

    def play(self, queued: dict[str, Any], start: Callable[[Current], None]) -> None:
        """Play a bulletin taken from the queue; ``start`` makes it what plays now."""
        emergency_id = int(queued["id"])
        if self.store.bulletin_state(emergency_id) in ("played", "cancelled", "expired"):
            return
        b = self.store.bulletin(emergency_id) or queued  # its newest state
        if datetime.fromisoformat(b["expires_at"]) <= self.clock.now():
            self.store.mark_bulletin(emergency_id, "expired")
            log.warning(
                _(
                    "emergency bulletin #{id} «{title}» expired before it could play",
                    id=emergency_id,
                    title=b.get("title", ""),
                )
            )
            return
        current = Current("bulletin", b["title"], bulletin_id=emergency_id)
        start(current)
        began = self.clock.now()
        self.store.mark_bulletin(emergency_id, "playing", started_at=began)
        self.store.enqueue(
            f"ack-{emergency_id}",
            "ack",
            {"emergency_id": emergency_id, "started_at": began.isoformat()},
            began,
        )
        self.wake_sync()
        log.warning(
            _n(
                "EMERGENCY #{id}: playing «{title}» ({n} time)",
                "EMERGENCY #{id}: playing «{title}» ({n} times)",
                int(b.get("repeat") or 1),
                id=emergency_id,
                title=b["title"],
            )
        )
        state = self._parts(b, current, began)
        if state is not None:
            self.store.record_bulletin_done(emergency_id, state, began, self.clock.now())
            if state == "played":
                log.info(
                    _(
                        "emergency bulletin #{id} «{title}» played to the end",
                        id=emergency_id,
                        title=b["title"],
                    )
                )

    def _parts(self, b: dict[str, Any], current: Current, began: datetime) -> str | None:
        """Lead-in, then the body; the bulletin's final state, or None when the agent is
        stopping (it plays again on restart if still live)."""
        lead = next((p for p in b.get("parts") or [] if p.get("role") == "lead_in"), None)
        first: datetime | None = began
        if lead and lead.get("audio_hash"):
            outcome = self._part(b, "lead_in", lead, 1, current, began)
            first = None
            if outcome is not AiringStatus.AIRED:
                return None if outcome is None else FINAL.get(outcome, "failed")
        body = self._await_body(int(b["id"]), current)
        if body is None:
            return "cancelled" if current.reason == "cancelled" else None
        if body.get("body_state") == "failed":
            failed = stored_note(_("the office could not synthesise the body"))
            self._log_part(body, "body", AiringStatus.FAILED, None, None, failed)
            log.error(
                _(
                    "emergency bulletin #{id}: the office could not synthesise its body; only "
                    "the lead-in was aired",
                    id=b["id"],
                )
            )
            return "failed"
        repeat = int(body.get("repeat") or 1)
        outcome = self._part(body, "body", body, repeat, current, first)
        return None if outcome is None else FINAL.get(outcome, "failed")

    def _await_body(self, emergency_id: int, current: Current) -> dict[str, Any] | None:
        """The bulletin once its body can play; None if it is cancelled, expires or the agent
        stops first."""
        while not current.stop.is_set() and not self.stopping.is_set():
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
            with self._update:
                self._update.wait(min(left, 1.0))
        return None

    def _part(
        self,
        b: dict[str, Any],
        part: str,
        info: dict[str, Any],
        repeat: int,
        current: Current,
        start: datetime | None,
    ) -> AiringStatus | None:
        """Play one part (``info``: its audio and duration) ``repeat`` times and log it; None
        when the agent is stopping. ``start``: when the bulletin began to sound, if this part
        opens it."""
        audio_hash = info["audio_hash"]
        audio = self.folder.audio_path(audio_hash) or self.fetch_audio(audio_hash)
        start = start or self.clock.now()
        if audio is None:
            self._log_part(b, part, AiringStatus.FAILED, None, None, no_audio_note())
            log.error(
                _(
                    "emergency bulletin #{id}: its audio {hash} is missing and cannot be fetched",
                    id=b["id"],
                    hash=audio_hash,
                )
            )
            return AiringStatus.FAILED
        duration = timedelta(milliseconds=info.get("duration_ms") or 0)
        result = None
        for _time in range(max(repeat, 1)):
            result = self.player.play(audio, duration, current.stop, None)
            if result.outcome is not Outcome.DONE:
                break
        end = self.clock.now()
        assert result is not None
        if result.outcome is Outcome.DONE:
            status, note = AiringStatus.AIRED, None
        elif result.outcome is Outcome.STOPPED and current.reason == "cancelled":
            reason = (self.store.bulletin(int(b["id"])) or b).get("cancel_reason")
            status = AiringStatus.CANCELLED
            note = stored_note(
                _("the sending office cancelled the bulletin: {reason}", reason=reason)
                if reason
                else _("the sending office cancelled the bulletin")
            )
            log.warning(
                _(
                    "emergency bulletin #{id} was stopped: the office cancelled it",
                    id=b["id"],
                )
            )
        elif result.outcome is Outcome.STOPPED:
            return None
        else:
            status, note = AiringStatus.FAILED, result.error
            log.error(
                _(
                    "the player failed on emergency bulletin #{id}: {error}",
                    id=b["id"],
                    error=result.error,
                )
            )
        self._log_part(b, part, status, start, end, note)
        return status

    def _log_part(
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
            note=_part_note(emergency_id, lead, note),
            title=stored_note(
                _("EMERGENCY: {title} — attention signal", title=b["title"])
                if lead
                else _("EMERGENCY: {title}", title=b["title"])
            ),
            timezone=str(self.tz),
        )
        self.store.record_bulletin_part(airing, self.clock.now())
        self.wake_sync()


def _part_note(emergency_id: int, lead: bool, note: str | None) -> str:
    """The note of a bulletin part's airing: which bulletin, which part, what happened."""
    if lead:
        return stored_note(
            _(
                "emergency bulletin #{id} (attention signal and lead-in): {note}",
                id=emergency_id,
                note=note,
            )
            if note
            else _("emergency bulletin #{id} (attention signal and lead-in)", id=emergency_id)
        )
    if note:
        return stored_note(_("emergency bulletin #{id}: {note}", id=emergency_id, note=note))
    return bulletin_note(emergency_id)
