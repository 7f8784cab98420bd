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

    def __post_init__(self) -> None:
        if not 1 <= self.session_hours <= 24 * 14:
            raise ConfigError(
                _("[web] session_hours = {n} is out of range; use 1 to 336", n=self.session_hours)
            )
