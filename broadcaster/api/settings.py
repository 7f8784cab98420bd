"""The ``[api]`` settings section."""

from __future__ import annotations

from dataclasses import dataclass

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import _


@dataclass(frozen=True)
class ApiSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    #: worker processes; several need PostgreSQL or a fast disk for SQLite
    workers: int = 1
    #: largest request body in bytes (log batches, bulletins, heartbeats)
    max_body_bytes: int = 1_048_576
    #: largest uploaded audio file in bytes (recorded emergency bulletins)
    max_upload_bytes: int = 20 * 1_048_576
    #: longest a station may hold an emergency long-poll open, in seconds
    long_poll_seconds: int = 30
    #: how long a station counts as online after its last heartbeat, in seconds
    online_window_seconds: int = 180
    #: threads for blocking work per worker, and database connections to match
    threads: int = 40
    #: behind nginx: the app authorises an audio request and answers with ``X-Accel-Redirect``
    #: to ``accel_prefix``/audio/<file>, so nginx sends the bytes (Range included) from disk
    accel_redirect: bool = False
    #: nginx's internal location for those files (deploy/nginx/broadcaster.conf)
    accel_prefix: str = "/_accel"
    #: behind nginx: each rendered playlist is also written under <data_dir>/published, from
    #: where nginx sends it after asking the app whether the caller may read that station
    playlist_files: bool = False

    def __post_init__(self) -> None:
        if not self.accel_prefix.startswith("/") or self.accel_prefix.endswith("/"):
            raise ConfigError(
                _(
                    "[api] accel_prefix = {value!r} must start with / and not end with one, "
                    'as nginx\'s internal location is named (e.g. "/_accel")',
                    value=self.accel_prefix,
                )
            )
        if not 4 <= self.threads <= 400:
            raise ConfigError(
                _("[api] threads = {value} is out of range; use 4 to 400", value=self.threads)
            )
