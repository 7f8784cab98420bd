"""Distribution to stations: access tokens, emergency bulletins and station heartbeats.

Pure values and rules; the HTTP API and the database adapters build on them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum

from .errors import BroadcasterError
from .messages import Msg, _

#: what an audio hash in a URL or playlist may look like: lowercase hex, nothing else
AUDIO_HASH_RE = re.compile(r"^[0-9a-f]{16,128}$")
TOKEN_PREFIX = "bct_"
#: Vietnam's offset: where a caller names no office zone, times are shown in it
VIETNAM = timezone(timedelta(hours=7))


class AuthError(BroadcasterError):
    """No token, or a token that is unknown or revoked (HTTP 401)."""

    code = "unauthorized"


class ForbiddenError(BroadcasterError):
    """A valid token asks for data outside its station or office (HTTP 403)."""

    code = "forbidden"


class TransferError(BroadcasterError):
    """The server cannot be reached or answered with an error (station side)."""

    code = "transfer_failed"


class Scope(StrEnum):
    """What a token may touch: one station, or an office and every station below it."""

    STATION = "station"
    OFFICE = "office"


def hash_token(secret: str) -> str:
    """How a token is stored: tokens are long random strings, so one SHA-256 round suffices."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_display(prefix: str) -> str:
    return f"{prefix}…"


@dataclass(frozen=True)
class ApiToken:
    """A stored token. The secret itself is never kept, only its hash and a short prefix."""

    id: int
    scope: Scope
    station_code: str
    label: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    #: after this instant the token is refused; None: until revoked
    expires_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def refusal(self, now: datetime, tz: tzinfo = VIETNAM) -> Msg | None:
        """Why the API refuses this token now (revoked or expired), or None if it is usable;
        the time as a reader in ``tz`` (the office's zone) reads it."""
        if self.revoked_at is not None:
            return _("was revoked on {at}", at=_local(self.revoked_at, tz))
        if self.expires_at is not None and now >= self.expires_at:
            return _("expired on {at}", at=_local(self.expires_at, tz))
        return None


@dataclass(frozen=True)
class Principal:
    """Who is calling the API: the token's scope and the station or office it belongs to."""

    token_id: int
    scope: Scope
    station_code: str
    label: str = ""
    expires_at: datetime | None = None

    def describe(self) -> Msg:
        if self.scope is Scope.OFFICE:
            return _("office token for {code}", code=self.station_code)
        return _("station token for {code}", code=self.station_code)


def _local(at: datetime, tz: tzinfo) -> str:
    """``07/12/2026 05:30``: day first, 24-hour, in the reader's zone."""
    return f"{at.astimezone(tz):%d/%m/%Y %H:%M}"


def may_access(principal: Principal, station_path: Sequence[str]) -> bool:
    """Whether a caller may read or write a station's data.

    ``station_path`` is the station's code followed by its ancestors' codes (nearest first).
    A station token reaches its own station only; an office token its whole subtree.
    """
    if not station_path:
        return False
    if principal.scope is Scope.STATION:
        return station_path[0] == principal.station_code
    return principal.station_code in station_path


class BodyState(StrEnum):
    """Where a bulletin's spoken body stands. A bulletin goes on air with its lead-in at once;
    a text body is synthesised meanwhile and follows as soon as it is ready."""

    READY = "ready"  # recorded, uploaded or synthesised: stations can play it
    PENDING = "pending"  # text waiting for synthesis
    FAILED = "failed"  # synthesis failed: stations play the lead-in and the office is told


@dataclass(frozen=True)
class Emergency:
    """An emergency bulletin (khẩn cấp): sent by an office, aired at once, preempting the schedule.

    It is played as two parts: the lead-in (an attention signal and a short spoken
    announcement, made ahead of time so sending never waits) and the body (the message itself).
    """

    id: int
    office_code: str
    title: str
    #: the body's audio; None while a text body is still being synthesised
    audio_hash: str | None
    created_at: datetime
    expires_at: datetime
    stations: tuple[str, ...]
    repeat: int = 1
    text: str | None = None
    duration_ms: int | None = None
    created_by: str = ""
    lead_in_hash: str | None = None
    lead_in_ms: int | None = None
    body_state: BodyState = BodyState.READY
    body_error: str | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    #: the bulletin this one corrects (that one is cancelled when this one is sent)
    replaces: int | None = None

    def live_at(self, now: datetime) -> bool:
        return now < self.expires_at and self.cancelled_at is None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


@dataclass(frozen=True)
class EmergencyChange:
    """One change to a bulletin (sent, body ready, cancelled), in the order they were stored.

    ``seq`` orders every change of every bulletin; a station's cursor is the highest it has
    seen, and each worker process follows the changes to wake the stations concerned.
    """

    seq: int
    emergency_id: int
    kind: str  # "sent", "body", "cancelled"


@dataclass(frozen=True)
class EmergencyDelivery:
    """What one station reported back about one bulletin."""

    emergency_id: int
    station_code: str
    acked_at: datetime | None = None
    started_at: datetime | None = None


@dataclass(frozen=True)
class Heartbeat:
    """A station agent's last sign of life and what it reported about itself."""

    station_code: str
    seen_at: datetime
    agent_version: str | None = None
    next_entry_at: datetime | None = None
    next_entry_title: str | None = None
    free_disk_bytes: int | None = None
    pending_logs: int | None = None
    playing: str | None = None
    rejected_logs: int | None = None
    #: the earlier day whose playlist the station replays (nothing published for today)
    fallback_day: date | None = None
    #: the device's state: volume 1–15, the amplifier's relay, the audio output, the board's
    #: temperature (None where it cannot be read)
    volume: int | None = None
    relay_on: bool | None = None
    audio_ok: bool | None = None
    temperature_c: float | None = None

    def online(self, now: datetime, window: timedelta = timedelta(minutes=3)) -> bool:
        return now - self.seen_at <= window
