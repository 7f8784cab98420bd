"""One JSON error shape for every route, and the request size limit.

Every error the API returns looks like::

    {"error": {"status": 422, "code": "validation_failed",
               "message": "1 field is not valid: airings.0.status",
               "fields": [{"field": "airings.0.status", "in": "body", "message": "…"}]}}

``fields`` is empty unless the error is about named inputs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from broadcaster.domain.distribution import AuthError, ForbiddenError, TransferError
from broadcaster.domain.errors import (
    BroadcasterError,
    ConfigError,
    InputError,
    NotFoundError,
    StorageError,
    ValidationFailed,
)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(BroadcasterError):
    """An HTTP-level refusal raised inside a route (bad range, wrong media type…)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.headers = headers or {}


def error_body(
    status: int,
    message: str,
    *,
    code: str | None = None,
    fields: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "code": code or STATUS_CODES.get(status, "error"),
            "message": message,
            "fields": list(fields),
        }
    }


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    fields: Sequence[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(status, message, code=code, fields=fields), status_code=status, headers=headers
    )


def status_for(exc: BroadcasterError) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    for cls, status in (
        (AuthError, 401),
        (ForbiddenError, 403),
        (NotFoundError, 404),
        (ValidationFailed, 422),
        (InputError, 400),
        (StorageError, 503),
        (TransferError, 502),
        (ConfigError, 500),
    ):
        if isinstance(exc, cls):
            return status
    return 400


def _field_name(loc: Sequence[Any]) -> tuple[str, str]:
    parts = [str(p) for p in loc]
    where = parts[0] if parts and parts[0] in {"body", "query", "path", "header", "cookie"} else ""
    rest = parts[1:] if where else parts
    return ".".join(rest) or where or "request", where or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BroadcasterError)
    async def _broadcaster_error(_request: Request, exc: BroadcasterError) -> JSONResponse:
        status = status_for(exc)
        headers = dict(getattr(exc, "headers", {}) or {})
        if status == 401:
            headers.setdefault("WWW-Authenticate", 'Bearer realm="broadcaster"')
        fields: list[dict[str, str]] = []
        message = str(exc)
        if isinstance(exc, ValidationFailed):
            fields = [
                {"field": p.where or "request", "in": "body", "message": p.message}
                for p in exc.problems
            ]
            message = f"{exc.subject}: " + "; ".join(str(p) for p in exc.problems)
        code = exc.code if exc.code != "error" else None
        return error_response(status, message, code=code, fields=fields, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = []
        for err in exc.errors():
            name, where = _field_name(err.get("loc", ()))
            fields.append({"field": name, "in": where, "message": str(err.get("msg", "invalid"))})
        names = list(dict.fromkeys(f["field"] for f in fields))
        noun = "field is" if len(names) == 1 else "fields are"
        message = f"{len(names)} {noun} not valid: {', '.join(names)}"
        return error_response(422, message, fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        message = str(exc.detail) if exc.detail else STATUS_CODES.get(status, "error")
        if status == 404 and exc.detail in (None, "Not Found"):
            message = f"no such route: {request.url.path}; the API is described at /docs"
        elif status == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(status, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(500, f"internal error ({type(exc).__name__}); see the server log")


class BodySizeLimit:
    """Refuse request bodies above a limit (413) before they are read into memory.

    ``limits`` maps a path prefix to its own limit (audio uploads are bigger than log batches).
    """

    def __init__(self, app: ASGIApp, *, default: int, limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.limits = sorted((limits or {}).items(), key=lambda kv: -len(kv[0]))

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.limits:
            if path.startswith(prefix):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit:
                    await self._refuse(send, limit)
                    return
        received = 0
        too_big = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, too_big
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_big = True
                    raise _TooBig()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if too_big:
                # the app answered its failed body read (e.g. a 400): answer 413 instead
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(send, limit)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except Exception:
            if not too_big:
                raise
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = json.dumps(
            error_body(413, f"request body is larger than this route's limit of {limit} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooBig(Exception):
    pass
