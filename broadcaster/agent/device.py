"""The board the agent runs on: its volume (1–15), the amplifier's relay, whether the audio
output is there, the board's temperature — reported in the heartbeat and changed by commands
from the office (see :mod:`.commands`).

Volume and relay are set through commands configured per device (``[agent] volume_command``,
e.g. ``amixer -q sset Master {percent}%``; ``relay_command``, e.g. ``gpioset gpiochip0
17={state}``); without one the agent keeps the state itself (a dry run, a test). The state
is kept in the local store, so it survives a restart and is applied again at start-up.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import KW_ONLY, dataclass
from pathlib import Path

from broadcaster.domain.messages import _

from .logs import log
from .player import NullPlayer, Player, SimulatedPlayer
from .store import LocalStore

VOLUME_LEVELS = 15
DEFAULT_VOLUME = 10
THERMAL = Path("/sys/class/thermal")
ALSA_CARDS = Path("/proc/asound/cards")


class DeviceError(Exception):
    """A volume or relay command failed: the reason, for the acknowledgement."""


@dataclass(eq=False)
class Device:
    store: LocalStore
    player: Player
    _: KW_ONLY
    volume_command: str = ""
    relay_command: str = ""
    thermal: Path = THERMAL
    alsa_cards: Path = ALSA_CARDS

    @property
    def volume(self) -> int:
        return int(self.store.get("device_volume") or DEFAULT_VOLUME)

    @property
    def relay_on(self) -> bool:
        return (self.store.get("device_relay") or "on") == "on"

    def set_volume(self, level: int) -> None:
        if not 1 <= level <= VOLUME_LEVELS:
            raise DeviceError(_("volume {level} is not 1 to {top}", level=level, top=VOLUME_LEVELS))
        percent = round(level * 100 / VOLUME_LEVELS)
        self._run(self.volume_command, level=level, percent=percent)
        self.store.put("device_volume", str(level))

    def set_relay(self, on: bool) -> None:
        self._run(self.relay_command, state=1 if on else 0, on_off="on" if on else "off")
        self.store.put("device_relay", "on" if on else "off")

    def apply(self) -> None:
        """At start-up: set the board to the state kept (a reboot resets the mixer)."""
        try:
            self.set_volume(self.volume)
        except DeviceError as exc:
            log.error(_("cannot set {what}: {error}", what=_("the volume"), error=exc))
        try:
            self.set_relay(self.relay_on)
        except DeviceError as exc:
            log.error(_("cannot set {what}: {error}", what=_("the relay"), error=exc))

    def _run(self, command: str, **values: object) -> None:
        if not command:
            return
        argv = [part.format(**values) for part in shlex.split(command)]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DeviceError(
                _("{program} did not run: {error}", program=argv[0], error=exc)
            ) from exc
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip()[-200:]
            raise DeviceError(
                _(
                    "{program} exited with status {code}: {error}",
                    program=argv[0],
                    code=done.returncode,
                    error=err,
                )
            )

    def audio_ok(self) -> bool | None:
        """Whether there is an audio output to play through: an ALSA card for a real player
        (None where the system does not say), always for the null player."""
        if isinstance(self.player, NullPlayer | SimulatedPlayer):
            return True
        try:
            text = self.alsa_cards.read_text()
        except OSError:
            return None
        return any(line.strip()[:1].isdigit() for line in text.splitlines())

    def temperature(self) -> float | None:
        """The board's temperature in °C from the first readable thermal zone, else None."""
        for zone in sorted(self.thermal.glob("thermal_zone*/temp")):
            try:
                return round(int(zone.read_text().strip()) / 1000, 1)
            except (OSError, ValueError):
                continue
        return None

    def state(self) -> dict[str, object]:
        return {
            "volume": self.volume,
            "relay_on": self.relay_on,
            "audio_ok": self.audio_ok(),
            "temperature_c": self.temperature(),
        }
