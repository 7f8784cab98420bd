"""The ``[planner]`` settings: default targets per priority, the gap between announcements,
and how much observance days count.

Read with :func:`planner_config` (``settings.section("planner", PlannerConfig)``); every field can
be set in the TOML file (``[planner] target_normal = 2``), in the environment
(``BROADCASTER_PLANNER_TARGET_NORMAL``) or by a flag. Targets resolve from the most specific:
an item's own target, then its station's (``targets`` in the station file), then these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from broadcaster.config import Settings
from broadcaster.domain.errors import ConfigError
from broadcaster.domain.items import DEFAULT_TARGETS, Priority
from broadcaster.domain.messages import N_, _
from broadcaster.domain.planning import EntryKind, PlannerSettings
from broadcaster.domain.planning.model import FillMode, FillPolicy
from broadcaster.speech.checks import within

#: the highest weekly target anyone may set (item, station or default)
MAX_TARGET = 50

GAPS = ("chime", "station_id", "none")
_GAP_KINDS = {"chime": EntryKind.CHIME, "station_id": EntryKind.STATION_ID}


def _fill_mode(name: str, value: str) -> FillMode:
    try:
        return FillMode(value)
    except ValueError:
        raise ConfigError(
            _(
                "[planner] {name}: {value!r} is not one of: {choices}",
                name=name,
                value=value,
                choices=", ".join(m.value for m in FillMode),
            )
        ) from None


_within = partial(within, N_("[planner] {name} = {value} is out of range; use {low} to {high}"))


@dataclass(frozen=True)
class PlannerConfig:
    """How the weekly planner weighs items and lays out sessions."""

    #: airings per week of a normal item at each station, unless the item or station says otherwise
    target_normal: int = DEFAULT_TARGETS[Priority.NORMAL]
    #: the same for priority items
    target_priority: int = DEFAULT_TARGETS[Priority.PRIORITY]
    #: between two announcements: chime, station_id (nhạc hiệu) or none
    gap: str = "chime"
    gap_seconds: float = 5.0
    #: airings within this many days of an observance day named in the item count more…
    observance_window_days: int = 3
    #: …this many times more
    observance_boost: float = 2.0
    #: what fills the time announcements leave: library (programmes and music registered
    #: with 'segments add' and no item, then the session ends early), relay, or end
    fill: str = "library"
    #: stations that choose otherwise, e.g. "XA-DAKMIL=relay, XA-DUCMANH=end"
    fill_stations: str = ""
    #: each programme or piece of music airs at most this many times a day at a station
    fill_max_per_day: int = 2
    #: what a relay filling free time is called on the playlist, and its source
    relay_title: str = "Tiếp âm Đài Tiếng nói Việt Nam"
    relay_source: str = ""

    def __post_init__(self) -> None:
        _within("target_normal", self.target_normal, 0, MAX_TARGET)
        _within("target_priority", self.target_priority, 0, MAX_TARGET)
        if self.gap not in GAPS:
            raise ConfigError(
                _(
                    "[planner] gap = {value!r} is not one of: {choices}",
                    value=self.gap,
                    choices=", ".join(GAPS),
                )
            )
        _within("gap_seconds", self.gap_seconds, 0, 120)
        _within("observance_window_days", self.observance_window_days, 0, 31)
        _within("observance_boost", self.observance_boost, 1, 100)
        _within("fill_max_per_day", self.fill_max_per_day, 1, 50)
        _fill_mode("fill", self.fill)
        self.station_fill_modes()  # a clear error for a bad entry

    def station_fill_modes(self) -> dict[str, FillMode]:
        """``fill_stations`` as station code → mode."""
        out: dict[str, FillMode] = {}
        for part in filter(None, (p.strip() for p in self.fill_stations.split(","))):
            code, sep, mode = (x.strip() for x in part.partition("="))
            if not sep or not code:
                raise ConfigError(
                    _(
                        "[planner] fill_stations: {part!r} is not CODE=MODE; write it like "
                        '"XA-DAKMIL=relay, XA-DUCMANH=end"',
                        part=part,
                    )
                )
            out[code] = _fill_mode("fill_stations", mode)
        return out

    def fill_policy(self, mode: FillMode) -> FillPolicy:
        return FillPolicy(
            mode=mode,
            max_per_day=self.fill_max_per_day,
            relay_title=self.relay_title,
            relay_source=self.relay_source,
        )

    @property
    def default_targets(self) -> dict[Priority, int]:
        return {
            Priority.NORMAL: self.target_normal,
            Priority.PRIORITY: self.target_priority,
            Priority.EMERGENCY: 0,
        }

    def planner_settings(
        self, station_targets: Mapping[str, Mapping[Priority, int]] | None = None
    ) -> PlannerSettings:
        """The core's :class:`PlannerSettings` for these values and per-station targets."""
        none = self.gap == "none" or self.gap_seconds == 0
        kind = _GAP_KINDS.get(self.gap, EntryKind.CHIME)
        return PlannerSettings(
            default_targets=self.default_targets,
            announcement_gap=timedelta() if none else timedelta(seconds=self.gap_seconds),
            gap_kind=kind,
            gap_title=str(kind.label),
            observance_window_days=self.observance_window_days,
            observance_boost=self.observance_boost,
            station_targets=dict(station_targets or {}),
            fill=self.fill_policy(FillMode(self.fill)),
            station_fill={
                code: self.fill_policy(mode) for code, mode in self.station_fill_modes().items()
            },
        )


def planner_config(settings: Settings, **overrides: Any) -> PlannerConfig:
    """The ``[planner]`` section: defaults, the TOML file, ``BROADCASTER_PLANNER_*``, flags."""
    return settings.section("planner", PlannerConfig, **overrides)


def planner_settings(
    settings: Settings,
    station_targets: Mapping[str, Mapping[Priority, int]] | None = None,
    **overrides: Any,
) -> PlannerSettings:
    """:class:`PlannerSettings` built from the ``[planner]`` section (and station targets)."""
    return planner_config(settings, **overrides).planner_settings(station_targets)
