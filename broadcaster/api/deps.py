"""Request dependencies as ``Annotated`` aliases: state, database, clock, caller, station."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from broadcaster.config import Settings
from broadcaster.db import Database
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import (
    ApiToken,
    AuthError,
    ForbiddenError,
    Principal,
    Scope,
    hash_token,
    may_access,
    token_display,
)
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.messages import _
from broadcaster.usecases.emergencies import EmergencySettings, Synthesizer, synthesize_bulletin

from .fields import StationCodePath
from .hub import EmergencyHub
from .settings import ApiSettings
from .tokens import TokenCache

if TYPE_CHECKING:
    from broadcaster.usecases.published_playlists import PlaylistSource

STATION_PATH_TTL = 60.0
STATION_AUDIO_TTL = 60.0


def audio_hashes(playlist_json: bytes) -> set[str]:
    """Every audio hash a rendered playlist (the JSON stations pull) names."""
    doc = json.loads(playlist_json)
    found: set[str] = set()
    for session in doc.get("sessions") or []:
        for entry in session.get("entries") or []:
            audio = entry.get("audio")
            if isinstance(audio, dict) and isinstance(audio.get("hash"), str):
                found.add(audio["hash"])
    return found


@dataclass
class ApiState:
    settings: Settings
    api: ApiSettings
    db: Database
    clock: Clock
    hub: EmergencyHub
    emergency: EmergencySettings
    playlists: PlaylistSource | None = None
    synthesize: Synthesizer = synthesize_bulletin
    #: event streams and long-polls open in this process (for /metrics)
    streams: int = 0
    long_polls: int = 0
    #: background work (bulletin bodies being synthesised), kept so it is not collected
    background: set[asyncio.Task[None]] = field(default_factory=set)
    tokens: TokenCache = field(default_factory=TokenCache)
    _paths: dict[str, tuple[float, list[str]]] = field(default_factory=dict)
    _station_audio: dict[str, tuple[float, set[str]]] = field(default_factory=dict)
    _programmes: dict[str, tuple[float, str]] = field(default_factory=dict)

    def station_audio(self, code: str) -> set[str]:
        """The audio a station's playlists name from a week back to two weeks ahead (its
        fallback may replay older ones, which it holds already), cached for a minute."""
        hit = self._station_audio.get(code)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        found: set[str] = set()
        if self.playlists is not None:
            today = self.clock.now().date()
            programme = self.programme(code)
            for offset in range(-7, 15):
                rendered = self.playlists.render(programme, today + timedelta(days=offset))
                if rendered is not None:
                    found |= audio_hashes(rendered.json)
        if len(self._station_audio) > 20_000:
            self._station_audio.clear()
        self._station_audio[code] = (now + STATION_AUDIO_TTL, found)
        return found

    def programme(self, code: str) -> str:
        """The station whose playlists ``code`` pulls: itself, or for a loudspeaker cluster
        that airs no programme of its own, its commune (cached like the station path)."""
        hit = self._programmes.get(code)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        with self.db.unit_of_work() as uow:
            found = uow.stations.programme_code(code) or code
        if len(self._programmes) > 20_000:
            self._programmes.clear()
        self._programmes[code] = (now + STATION_PATH_TTL, found)
        return found

    def cached_programme(self, code: str) -> str | None:
        hit = self._programmes.get(code)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def cached_station_path(self, code: str) -> list[str] | None:
        hit = self._paths.get(code)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def station_path(self, code: str) -> list[str] | None:
        """The station and its ancestors, cached briefly (the tree rarely changes)."""
        cached = self.cached_station_path(code)
        if cached is not None:
            return cached
        now = time.monotonic()
        with self.db.unit_of_work() as uow:
            path = uow.tokens.station_path(code)
        if path is not None:
            self._paths[code] = (now + STATION_PATH_TTL, path)
        return path


# Dependencies are ``async``: FastAPI would run plain functions in the thread pool, and a thread
# hop per dependency costs more than the work. Only database calls go to a thread, explicitly.


async def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.broadcaster
    return state


State = Annotated[ApiState, Depends(get_state)]


async def get_db(state: State) -> Database:
    return state.db


async def get_clock(state: State) -> Clock:
    return state.clock


Db = Annotated[Database, Depends(get_db)]
ClockDep = Annotated[Clock, Depends(get_clock)]


#: declares the bearer token in the OpenAPI document (its "Authorize" button); the header is
#: read by :func:`bearer_hash`, which says what is wrong with a bad one
bearer = HTTPBearer(
    auto_error=False,
    description="A station or office token, made with 'broadcaster tokens create'.",
)


async def get_principal(
    state: State,
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller behind the bearer token (401 when missing, unknown or revoked): from this
    process's cache when seen lately, else from the database."""
    token_hash = bearer_hash(request.headers.get("authorization"))
    cached = state.tokens.lookup(token_hash, state.clock.now())
    if cached is not None:
        return cached
    return await run_in_threadpool(authenticate_hash, state, token_hash)


def bearer_hash(authorization: str | None) -> str:
    """The hash of the bearer token in an Authorization header (401 when there is none)."""
    if not authorization:
        raise AuthError(
            _(
                "no token: send 'Authorization: Bearer <token>' "
                "(an office makes one with 'broadcaster tokens create')"
            )
        )
    scheme, _space, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthError(_("the Authorization header must read 'Bearer <token>'"))
    return hash_token(secret.strip())


def authenticate_hash(state: ApiState, token_hash: str) -> Principal:
    now = state.clock.now()
    with state.db.unit_of_work() as uow:
        found = uow.tokens.authenticate(token_hash, now)
    if found is None:
        raise AuthError(_("the token is unknown; check it, or ask the office for a new one"))
    if isinstance(found, ApiToken):
        raise AuthError(
            _(
                "the token {token} {refusal}; ask the office for a new one",
                token=token_display(found.prefix),
                refusal=found.refusal(now, ZoneInfo(state.settings.timezone)),
            )
        )
    state.tokens.remember(token_hash, found)
    return found


Caller = Annotated[Principal, Depends(get_principal)]


def authorize_station(state: ApiState, principal: Principal, code: str) -> str:
    """Check that the caller may reach ``code``: 403 outside its scope, 404 if unknown."""
    if principal.scope is Scope.STATION and code != principal.station_code:
        raise _out_of_reach(principal, code)
    return _check_path(state, principal, code, state.station_path(code))


def _out_of_reach(principal: Principal, code: str) -> ForbiddenError:
    return ForbiddenError(
        _("{caller} cannot reach station {code}", caller=principal.describe(), code=code)
    )


def _check_path(state: ApiState, principal: Principal, code: str, path: list[str] | None) -> str:
    if path is None:
        raise NotFoundError(_("unknown station {code}", code=repr(code)))
    if not may_access(principal, path):
        raise _out_of_reach(principal, code)
    return code


async def station_code(
    state: State,
    principal: Caller,
    code: StationCodePath,
) -> str:
    if principal.scope is Scope.STATION and code != principal.station_code:
        raise _out_of_reach(principal, code)
    cached = state.cached_station_path(code)
    if cached is not None:
        return _check_path(state, principal, code, cached)
    return await run_in_threadpool(authorize_station, state, principal, code)


#: the path's station code, checked against the caller's token
StationCode = Annotated[str, Depends(station_code)]


def require_office(principal: Principal) -> Principal:
    if principal.scope is not Scope.OFFICE:
        raise ForbiddenError(
            _("{caller} cannot do this; use an office token", caller=principal.describe())
        )
    return principal


async def office_caller(principal: Caller) -> Principal:
    return require_office(principal)


OfficeCaller = Annotated[Principal, Depends(office_caller)]
