"""The ``[agent]`` settings section (``BROADCASTER_AGENT_*`` in the environment)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import _


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
    #: on a cluster's board: the command that sets the volume ({level} 1–15, {percent}),
    #: e.g. "amixer -q sset Master {percent}%"; empty: the agent only keeps the level
    volume_command: str = ""
    #: the command that switches the amplifier's relay ({state} 1/0, {on_off}), e.g.
    #: "gpioset gpiochip0 17={state}"; empty: the agent only keeps the state
    relay_command: str = ""

    def __post_init__(self) -> None:
        if self.fallback not in ("same_weekday", "none"):
            raise ConfigError(
                _(
                    "[agent] fallback = {value} is not one of: same_weekday, none",
                    value=repr(self.fallback),
                )
            )
        if not 1 <= self.fallback_weeks <= 52:
            raise ConfigError(
                _("[agent] fallback_weeks = {value}; use 1 to 52", value=self.fallback_weeks)
            )
