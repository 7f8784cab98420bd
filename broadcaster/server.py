"""What 'broadcaster serve' runs: the HTTP API under /api/v1 and the web console at /, one app."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from broadcaster.api import create_app
from broadcaster.api.app import PREFIX
from broadcaster.config import Settings, load_settings
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.messages import _
from broadcaster.web.app import mount_console
from broadcaster.web.pages.scripts import RECORDINGS_PATH
from broadcaster.web.session import error_page
from broadcaster.web.settings import WebSettings

#: the request body the console's upload pages are given to judge: each refuses more than
#: its own limit from the declared length, before reading it, with a page that says why
CONSOLE_UPLOAD_CEILING = 1024 * 1024 * 1024
#: the console's upload paths (the body limit is by path prefix)
CONSOLE_UPLOADS = ("/directives/upload", RECORDINGS_PATH)


def create_server(settings: Settings, **api_options: Any) -> FastAPI:
    """The API (see :func:`broadcaster.api.create_app` for the options) with the console."""
    console = settings.section("web", WebSettings).enabled
    # the API refuses bodies over [api] max_body_bytes (1 MB) in its JSON shape; the console's
    # uploads are larger and are judged by their pages
    uploads = dict.fromkeys(CONSOLE_UPLOADS, CONSOLE_UPLOAD_CEILING) if console else {}
    app = create_app(settings, body_limits=uploads, **api_options)
    if console:
        state = app.state.broadcaster
        mount_console(app, settings, state.db, state.clock)
        api_errors = app.exception_handlers[StarletteHTTPException]

        async def not_found(request: Request, exc: Exception) -> Response:
            # the console's unknown pages are pages; the API's stay in its JSON error shape
            if request.url.path.startswith(PREFIX) or getattr(exc, "status_code", 404) != 404:
                answer = api_errors(request, exc)
                return await answer if inspect.isawaitable(answer) else answer
            return error_page(
                request, NotFoundError(_("there is no page at {path}", path=request.url.path))
            )

        app.add_exception_handler(StarletteHTTPException, not_found)
    return app


def server_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` and several workers: settings from file and environment."""
    return create_server(load_settings())
