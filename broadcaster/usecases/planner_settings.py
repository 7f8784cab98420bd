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
from typing import Any

from broadcaster.config import Settings
from broadcaster.domain.errors import ConfigError
from broadcaster.domain.items import DEFAULT_TARGETS, Priority
from broadcaster.domain.messages import _
from broadcaster.domain.planning import EntryKind, PlannerSettings

#: the highest weekly target anyone may set (item, station or default)
MAX_TARGET = 50

GAPS = ("chime", "station_id", "none")
_GAP_KINDS = {"chime": EntryKind.CHIME, "station_id": EntryKind.STATION_ID}


def _within(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(
            _(
                "[planner] {name} = {value} is out of range; use {low} to {high}",
                name=name,
                value=value,
                low=low,
                high=high,
            )
        )


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
