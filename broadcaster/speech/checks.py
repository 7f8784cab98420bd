"""Checks of a settings section's values, for the sections' dataclasses (``[speech]``, and the
use cases' ``[planner]``): each says which setting is wrong and what it may be.

A section passes its own message (marked with ``N_``, placeholders ``{name}``, ``{value}``,
``{low}`` and ``{high}``), so the error names the section as it always has.
"""

from __future__ import annotations

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import Msg


def within(message: str, name: str, value: float, low: float, high: float) -> None:
    """A :class:`ConfigError` when ``value`` is not from ``low`` to ``high``."""
    if not low <= value <= high:
        raise ConfigError(Msg(message, {"name": name, "value": value, "low": low, "high": high}))
