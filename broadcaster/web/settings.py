"""The ``[web]`` settings section: the console's sessions."""

from __future__ import annotations

from dataclasses import dataclass

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import _


@dataclass(frozen=True)
class WebSettings:
    #: a session ends after this many hours without use
    session_hours: int = 8
    #: send the session cookie over HTTPS only (set it behind nginx with TLS)
    secure_cookies: bool = False
    #: the console is served beside the API by 'broadcaster serve'
    enabled: bool = True
    #: the station board raises an alert for a station silent this long during a session
    silence_alert_minutes: float = 10.0

    def __post_init__(self) -> None:
        if not 1 <= self.session_hours <= 24 * 14:
            raise ConfigError(
                _("[web] session_hours = {n} is out of range; use 1 to 336", n=self.session_hours)
            )
        if not 0 <= self.silence_alert_minutes <= 24 * 60:
            raise ConfigError(
                _(
                    "[web] silence_alert_minutes = {n} is out of range; use 0 to 1440",
                    n=self.silence_alert_minutes,
                )
            )
