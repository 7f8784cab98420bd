"""The HTTP API, built from :class:`Settings` like every other entry point."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from broadcaster import __version__
from broadcaster.clock import SystemClock
from broadcaster.config import Settings, load_settings
from broadcaster.db import Database
from broadcaster.domain.clock import Clock

from . import airings, audio, emergencies, meta, playlists, stations
from .deps import ApiState
from .errors import BodySizeLimit, install_error_handlers
from .playlists import PlaylistSource, default_playlist_source
from .settings import ApiSettings

PREFIX = "/api/v1"

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
) -> FastAPI:
    """Build the API. A database passed in stays open; one made here is closed at shutdown.

    Playlists come from the published plans unless another ``playlist_source`` is given.
    """
    api = api or settings.section("api", ApiSettings)
    owned = database is None
    db = database or Database(settings.database_url)
    if owned:
        db.ensure_schema()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
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
    app.state.broadcaster = ApiState(
        settings=settings,
        api=api,
        db=db,
        clock=clock or SystemClock(),
        playlists=playlist_source or default_playlist_source(db, settings),
    )
    install_error_handlers(app)
    for module in (meta, playlists, audio, airings, emergencies, stations):
        app.include_router(module.router, prefix=PREFIX)
    app.add_middleware(
        BodySizeLimit,
        default=api.max_body_bytes,
        limits={f"{PREFIX}/audio": api.max_upload_bytes},
    )
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` and several workers: settings from file and environment."""
    return create_app(load_settings())
