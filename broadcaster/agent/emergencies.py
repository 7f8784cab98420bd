"""The agent's emergency watch: one event stream to the office, bulletins handed to playout.

The stream (server-sent events) carries every change of a bulletin meant for this station:
sent (with its lead-in, often before its body is ready), body ready, cancelled. Each change
comes with a cursor; the highest seen is kept in the local store, so a reconnect — after an
outage or a restart — resumes where it left off. Where the stream cannot be used (an old
server, a proxy that buffers), the watch falls back to long-polls of the same changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import AuthError, TransferError
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _
from broadcaster.domain.playout import retry_delay

from .client import StationClient, StreamUnsupported
from .folder import LocalFolder
from .logs import internals, log
from .playlist import AudioRef
from .pull import ensure_audio
from .store import LocalStore


class BulletinSink(Protocol):
    """What the watch hands bulletins to (the playout)."""

    def bulletin_arrived(self, bulletin: dict[str, Any]) -> None: ...

    def bulletin_changed(self, bulletin: dict[str, Any]) -> None: ...

    def bulletin_cancelled(self, bulletin: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class WatchSettings:
    #: how long an idle stream may stay silent before it is taken for dead (the server sends
    #: a keep-alive every 15 s)
    stream_timeout: float = 45.0
    #: long-poll length when the stream is not available (0: short polls)
    poll_wait: float = 20.0
    poll_every: float = 3.0


def audio_parts(bulletin: dict[str, Any]) -> list[str]:
    """The audio hashes a bulletin needs now (lead-in, and the body once it is ready)."""
    hashes = [p.get("audio_hash") for p in bulletin.get("parts") or []]
    if not bulletin.get("parts") and bulletin.get("audio_hash"):
        hashes = [bulletin["audio_hash"]]  # a server that sends one file per bulletin
    return [h for h in hashes if h]


@dataclass(kw_only=True, eq=False)
class EmergencyWatch:
    """Follows the office's bulletins for one station; see the module docstring."""

    make_client: Callable[[], StationClient]
    folder: LocalFolder
    store: LocalStore
    clock: Clock
    sink: BulletinSink
    stopping: threading.Event
    settings: WatchSettings = WatchSettings()
    #: where commands to the device go (they come on the same stream)
    commands: Callable[[dict[str, Any]], None] | None = None
    #: False once the server turned out to hold no event stream: long-polls from then on
    _stream_ok: bool = field(default=True, init=False)

    def run(self) -> None:
        """Watch until ``stopping`` is set, reconnecting with backoff."""
        failures = 0
        while not self.stopping.is_set():
            try:
                with self.make_client() as client:
                    if self._stream_ok:
                        self._follow_stream(client)
                    else:
                        self._follow_polls(client)
                failures = 0
            except StreamUnsupported as exc:
                log.info(
                    _(
                        "the server holds no event stream for emergency bulletins ({reason}); "
                        "asking for them by long-poll instead",
                        reason=exc,
                    )
                )
                self._stream_ok = False
            except (TransferError, AuthError) as exc:
                failures += 1
                delay = retry_delay(failures, cap=timedelta(seconds=5))
                log.debug(
                    _(
                        "the watch for emergency bulletins was interrupted ({error}); "
                        "reconnecting in {seconds} s",
                        error=exc,
                        seconds=round(delay.total_seconds(), 1),
                    )
                )
                internals.debug("emergency watch interrupted", exc_info=True)
                self.stopping.wait(delay.total_seconds())
            except BroadcasterError as exc:
                if self.stopping.is_set():
                    return
                log.error(_("the watch for emergency bulletins: {error}", error=exc))
                self.stopping.wait(self.settings.poll_every)

    def _command(self, command: dict[str, Any]) -> None:
        if self.commands is not None:
            self.commands(command)

    def cursor(self) -> int:
        return int(self.store.get("emergency_cursor") or 0)

    def _follow_stream(self, client: StationClient) -> None:
        for bulletin in client.stream_emergencies(
            self.cursor(), read_timeout=self.settings.stream_timeout
        ):
            if self.stopping.is_set():
                return
            if bulletin is not None and bulletin.get("event") == "command":
                self._command(bulletin)
            elif bulletin is not None:
                self.handle(client, bulletin)

    def _follow_polls(self, client: StationClient) -> None:
        while not self.stopping.is_set():
            answer = client.emergencies(self.cursor(), self.settings.poll_wait)
            if self.stopping.is_set():
                return
            for command in answer.get("commands", []):
                self._command(command)
            for bulletin in answer.get("emergencies", []):
                self.handle(client, bulletin)
            if self.settings.poll_wait <= 0:
                self.stopping.wait(self.settings.poll_every)

    def handle(self, client: StationClient | None, bulletin: dict[str, Any]) -> None:
        """One change of one bulletin: keep it, fetch its audio, hand it to playout."""
        emergency_id = int(bulletin["id"])
        seq = int(bulletin.get("seq") or emergency_id)
        if bulletin.get("state") == "cancelled":
            previous = self.store.update_bulletin(emergency_id, bulletin, self.clock.now())
            if previous is not None:
                self.sink.bulletin_cancelled(bulletin)
            self._advance(seq)
            return
        if client is not None:
            for audio_hash in audio_parts(bulletin):
                try:
                    ensure_audio(client, self.folder, AudioRef(audio_hash))
                except BroadcasterError as exc:
                    # keep the cursor before this change: it is fetched again on reconnect
                    log.error(
                        _(
                            "emergency bulletin #{id}: its audio cannot be fetched: {error}",
                            id=emergency_id,
                            error=exc,
                        )
                    )
                    raise TransferError(
                        _(
                            "the audio of emergency bulletin #{id}: {error}",
                            id=emergency_id,
                            error=exc,
                        )
                    ) from exc
        previous = self.store.update_bulletin(emergency_id, bulletin, self.clock.now())
        if previous is None:
            self.sink.bulletin_arrived(bulletin)
        else:
            self.sink.bulletin_changed(bulletin)
        self._advance(seq)

    def _advance(self, seq: int) -> None:
        if seq > self.cursor():
            self.store.put("emergency_cursor", str(seq))
