"""Commands from the office to this device, as they arrive on the emergency stream: set the
volume, switch the amplifier's relay, stop what plays, play an item now. Each is carried out
once (kept in the local store by id) and acknowledged through the outbox — ``done``, or
``failed`` with the reason — so the office sees what became of it, whoever sent it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from broadcaster.domain.clock import Clock
from broadcaster.domain.messages import _
from broadcaster.domain.playout import PlayoutEntry, stored_note

from .device import Device, DeviceError
from .logs import log
from .store import LocalStore


class CommandPlayout(Protocol):
    def stop_for_command(self, command_id: int) -> str | None: ...

    def play_now(self, entry: PlayoutEntry, audio: Path, done: Callable[[bool], None]) -> None: ...


@dataclass(kw_only=True, eq=False)
class Commands:
    station: str
    store: LocalStore
    clock: Clock
    device: Device
    playout: CommandPlayout
    fetch_audio: Callable[[str], Path | None]
    wake_sync: Callable[[], None]
    timezone: str

    def handle(self, command: dict[str, Any]) -> None:
        command_id = int(command["id"])
        key = f"command-{command_id}"
        if self.store.get(key):
            return  # carried out already; its acknowledgement is in the outbox
        self.store.put(key, "taken")
        expires = datetime.fromisoformat(str(command["expires_at"]))
        if expires <= self.clock.now():
            self._ack(command_id, "failed", _("it expired before it reached the device"))
            return
        kind = command.get("kind")
        who = command.get("created_by") or "?"
        log.info(_("command #{id} from {who}: {kind}", id=command_id, who=who, kind=kind))
        try:
            if kind == "volume":
                self.device.set_volume(int(command["value"]))
                self._ack(command_id, "done", _("volume {level}/15", level=command["value"]))
            elif kind == "relay":
                on = bool(command["value"])
                self.device.set_relay(on)
                self._ack(command_id, "done", _("amplifier on") if on else _("amplifier off"))
            elif kind == "stop":
                refused = self.playout.stop_for_command(command_id)
                if refused:
                    self._ack(command_id, "failed", refused)
                else:
                    self._ack(command_id, "done", None)
            elif kind == "play":
                self._play(command_id, command)
            else:
                self._ack(command_id, "failed", _("unknown command {kind}", kind=kind))
        except DeviceError as exc:
            log.error(_("command #{id} failed: {error}", id=command_id, error=exc))
            self._ack(command_id, "failed", str(exc))

    def _play(self, command_id: int, command: dict[str, Any]) -> None:
        audio_hash = str(command.get("audio_hash") or "")
        audio = self.fetch_audio(audio_hash) if audio_hash else None
        if audio is None:
            self._ack(command_id, "failed", _("its audio cannot be fetched"))
            return
        entry = PlayoutEntry(
            key=f"command-{command_id}",
            station_code=self.station,
            start=self.clock.now(),
            duration=timedelta(milliseconds=int(command.get("duration_ms") or 0)),
            title=str(command.get("title") or ""),
            audio_hash=audio_hash,
            item_id=command.get("item_id"),
            entry_id=f"command-{command_id}",
            timezone=self.timezone,
        )

        def done(played: bool) -> None:
            if played:
                self._ack(command_id, "done", None)
            else:
                self._ack(command_id, "failed", _("it was not played to the end"))

        self.playout.play_now(entry, audio, done)

    def _ack(self, command_id: int, result: str, note: object) -> None:
        text = note if isinstance(note, str) or note is None else stored_note(note)  # type: ignore[arg-type]
        payload = {"id": command_id, "result": result, "note": text}
        self.store.enqueue(f"command-ack-{command_id}", "command_ack", payload, self.clock.now())
        self.wake_sync()
