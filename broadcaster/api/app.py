"""The HTTP API, built from :class:`Settings` like every other entry point."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from broadcaster import __version__
from broadcaster.clock import SystemClock
from broadcaster.config import Settings, load_settings
from broadcaster.db import Database
from broadcaster.domain.clock import Clock
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _
from broadcaster.i18n import UiSettings
from broadcaster.usecases.emergencies import (
    EmergencySettings,
    Synthesizer,
    complete_body,
    lead_in,
    pending_bodies,
    synthesize_bulletin,
)
from broadcaster.usecases.playlist_files import PlaylistFiles
from broadcaster.usecases.published_playlists import PlaylistSource, default_playlist_source

from . import airings, audio, devices, emergencies, meta, playlists, stations
from .deps import ApiState
from .emergencies import body_failed
from .errors import BodySizeLimit, install_error_handlers
from .hub import EmergencyHub, listen_dsn
from .language import Language, in_server_language
from .settings import ApiSettings
from .tokens import FLUSH_SECONDS, TokenCache

PREFIX = "/api/v1"

log = logging.getLogger("broadcaster.api")

DESCRIPTION = """\
Playlists, audio, airing logs, emergency bulletins and station status for the stations of a
grassroots radio network. Every route except `/api/v1/health` needs `Authorization: Bearer <token>`:
a station token reaches its own station, an office token every station below the office.
Errors always have the shape `{"error": {"status", "code", "message", "fields"}}`.
"""


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    api: ApiSettings | None = None,
    playlist_source: PlaylistSource | None = None,
    synthesize: Synthesizer = synthesize_bulletin,
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """Build the API. A database passed in stays open; one made here is closed at shutdown.

    Playlists come from the published plans unless another ``playlist_source`` is given;
    bulletin bodies are spoken by ``synthesize`` (espeak-ng, offline). ``body_limits`` gives
    paths (by prefix) a request body limit of their own (the console's upload pages).
    """
    api = api or settings.section("api", ApiSettings)
    emergency = settings.section("emergency", EmergencySettings)
    owned = database is None
    # a connection for every thread that may hold one, so no request queues for the pool
    db = database or Database(settings.database_url, pool_size=api.threads)
    if owned:
        db.ensure_schema()
    clock = clock or SystemClock()
    hub = EmergencyHub(db, clock, watch_seconds=emergency.watch_seconds, listen_dsn=listen_dsn(db))
    tokens = TokenCache()
    hub.watchers.append(tokens.watch)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = api.threads
        await hub.start()
        _start_background(state)
        try:
            yield
        finally:
            await hub.stop()
            with contextlib.suppress(BroadcasterError):
                await to_thread.run_sync(tokens.flush, db)
            for task in list(state.background):
                task.cancel()
            if owned:
                db.dispose()

    app = FastAPI(
        title="broadcaster API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    state = ApiState(
        settings=settings,
        api=api,
        db=db,
        clock=clock,
        hub=hub,
        emergency=emergency,
        playlists=playlist_source or default_playlist_source(db, settings, _files(settings, api)),
        synthesize=synthesize,
        tokens=tokens,
    )
    app.state.broadcaster = state
    watch = getattr(state.playlists, "watch", None)
    if callable(watch):  # published plans: a publication is seen by the next look
        hub.watchers.append(watch)
    install_error_handlers(app)
    for module in (meta, playlists, audio, airings, emergencies, stations, devices):
        app.include_router(module.router, prefix=PREFIX)
    app.add_middleware(
        BodySizeLimit,
        default=api.max_body_bytes,
        limits={f"{PREFIX}/audio": api.max_upload_bytes, **(body_limits or {})},
    )
    # outermost, so every answer (a refused body's too) is in the caller's language
    app.state.language = settings.section("ui", UiSettings).lang
    app.add_middleware(Language, default=app.state.language)
    return app


def _files(settings: Settings, api: ApiSettings) -> PlaylistFiles | None:
    return PlaylistFiles(settings.data_dir / "published") if api.playlist_files else None


def _start_background(state: ApiState) -> None:
    """The server's own work: the lead-in made now (so the first bulletin does not wait
    for it either), bulletins whose speech was cut off resumed, token uses written."""
    loop = asyncio.get_running_loop()
    for job in (
        _warm_lead_in(state.settings),
        _resume_bodies(state),
        _flush_token_uses(state),
    ):
        task = loop.create_task(job)
        state.background.add(task)
        task.add_done_callback(state.background.discard)


async def _warm_lead_in(settings: Settings) -> None:
    try:
        await to_thread.run_sync(lead_in, settings)
    except BroadcasterError as exc:
        log.warning(
            in_server_language(_("the emergency lead-in could not be made yet: {error}", error=exc))
        )


async def _flush_token_uses(state: ApiState) -> None:
    """Write the tokens' last use now and then (the cache answers most requests)."""
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        try:
            await to_thread.run_sync(state.tokens.flush, state.db)
        except BroadcasterError as exc:  # a read-only or busy database: next time
            log.warning(
                in_server_language(_("token last-use times not written yet: {error}", error=exc))
            )


async def _resume_bodies(state: ApiState) -> None:
    """Bulletin bodies left pending by a process that stopped: take them over."""
    try:
        pending = await to_thread.run_sync(pending_bodies, state.db, state.clock)
    except BroadcasterError:
        return
    for emergency_id in pending:
        try:
            done = await to_thread.run_sync(
                functools.partial(
                    complete_body,
                    state.db,
                    state.settings,
                    state.clock,
                    emergency_id,
                    synthesize=state.synthesize,
                )
            )
        except BroadcasterError as exc:
            log.error(body_failed(emergency_id, exc))
            done = None
        if done is not None:
            state.hub.poke()


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` and several workers: settings from file and environment."""
    return create_app(load_settings())
