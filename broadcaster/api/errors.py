"""One JSON error shape for every route, and the request size limit.

Every error the API returns looks like::

    {"error": {"status": 422, "code": "validation_failed",
               "message": "1 field is not valid: airings.0.status",
               "fields": [{"field": "airings.0.status", "in": "body", "message": "…"}]}}

``fields`` is empty unless the error is about named inputs. Messages are in the caller's language
(see :mod:`.language`): the project's own, and pydantic's validation messages translated by
their error type (:func:`field_message`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
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
from broadcaster.domain.messages import Msg, _, _n

from .language import speaking_to

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


Where = Literal["body", "query", "path", "header", "cookie"]


class FieldOut(BaseModel):
    """One invalid input."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    field: str = Field(description="its name; nested names joined by dots (airings.0.status)")
    in_: Where = Field(alias="in", description="where the request carries it")
    message: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: int = Field(ge=400, le=599, description="the HTTP status, repeated")
    code: str = Field(description="machine-readable: not_found, validation_failed…")
    message: str = Field(description="what is wrong and what to do, for a person")
    #: empty unless the error is about named inputs
    fields: list[FieldOut]


class ErrorOut(BaseModel):
    """The shape of every error the API answers."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


#: what each error status means on this API, for the OpenAPI document
ERROR_MEANINGS = {
    400: "The request cannot be read: a malformed header, path or body.",
    401: "No valid token: missing, unknown, revoked or expired (the message says which).",
    403: "The token may not reach this station or do this.",
    404: "No such station, bulletin, playlist or audio.",
    413: "The body is larger than this route's limit.",
    415: "The body's Content-Type is not accepted here.",
    416: "The requested range starts beyond the end of the file.",
    422: "An input is not valid; `fields` names each one.",
    503: "The database or the playlist source is unavailable; try again shortly.",
}

#: errors every route that takes a token can answer
AUTHENTICATED = (401, 503)
#: errors of a route under /stations/{code}: the token, the station, the inputs
STATION_ROUTE = (401, 403, 404, 422, 503)


def error_responses(
    *statuses: int,
    notes: Mapping[int, str] | None = None,
    plus: Mapping[int, dict[str, Any]] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each error status it can answer, in the error shape.

    ``notes`` replaces the general meaning of a status with the route's own; ``plus`` adds
    the route's other answers (a 304, the media types of a 200).
    """
    notes = notes or {}
    documented: dict[int | str, dict[str, Any]] = {}
    documented.update((plus or {}).items())
    for status in sorted(set(statuses)):
        documented[status] = {
            "model": ErrorOut,
            "description": notes.get(status, ERROR_MEANINGS[status]),
        }
    return documented


class ApiError(BroadcasterError):
    """An HTTP-level refusal raised inside a route (bad range, wrong media type…).

    ``fields`` names the inputs at fault, as in a 422 (``{"field", "in", "message"}``).
    """

    def __init__(
        self,
        status: int,
        message: str | Msg,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        fields: Sequence[Mapping[str, str | Msg]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.headers = headers or {}
        self.fields = list(fields)


def invalid_input(
    field: str, where: Where, message: str | Msg, *, status: int = 422, value: str | None = None
) -> ApiError:
    """A refusal naming one input: ``day`` (path) is not a date…"""
    summary = (
        _("{field} ({value}): {problem}", field=field, value=repr(value[:80]), problem=message)
        if value is not None
        else _("{field}: {problem}", field=field, problem=message)
    )
    return ApiError(status, summary, fields=[{"field": field, "in": where, "message": message}])


def error_body(
    status: int,
    message: str | Msg,
    *,
    code: str | None = None,
    fields: Sequence[Mapping[str, str | Msg]] = (),
) -> dict[str, Any]:
    """The error shape, its messages shown in the active language (the request's)."""
    return {
        "error": {
            "status": status,
            "code": code or STATUS_CODES.get(status, "error"),
            "message": str(message),
            "fields": [{k: str(v) for k, v in f.items()} for f in fields],
        }
    }


def error_response(
    status: int,
    message: str | Msg,
    *,
    code: str | None = None,
    fields: Sequence[Mapping[str, str | Msg]] = (),
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


def _one_of(ctx: Mapping[str, Any]) -> str:
    # pydantic words the choices as "'a', 'b' or 'c'": listed with commas, they read the same
    # in every language
    return str(ctx.get("expected", "")).replace(" or ", ", ")


def _count(ctx: Mapping[str, Any], key: str) -> int:
    value = ctx.get(key, 0)
    return value if isinstance(value, int) else 0


_INTEGER = _("must be a whole number")
_NUMBER = _("must be a number")
_BOOLEAN = _("must be true or false")
_DATETIME = _("must be a date and time with its offset, such as 2026-11-23T05:30:00+07:00")
_DATE = _("must be a date written YYYY-MM-DD, such as 2026-11-23")
_OBJECT = _("must be a JSON object")

#: pydantic's validation messages (English) in the reader's language, by their error type;
#: each is made from the error's context values
PYDANTIC_MESSAGES: dict[str, Callable[[Mapping[str, Any]], Msg]] = {
    "missing": lambda ctx: _("required; send it"),
    "extra_forbidden": lambda ctx: _("not a field of this request; leave it out"),
    "string_too_short": lambda ctx: _n(
        "must have at least {n} character",
        "must have at least {n} characters",
        _count(ctx, "min_length"),
    ),
    "string_too_long": lambda ctx: _n(
        "must have at most {n} character",
        "must have at most {n} characters",
        _count(ctx, "max_length"),
    ),
    "string_pattern_mismatch": lambda ctx: _(
        "must match the pattern {pattern}", pattern=ctx.get("pattern", "")
    ),
    "string_type": lambda ctx: _("must be a text (a JSON string)"),
    "string_unicode": lambda ctx: _("must be valid UTF-8 text"),
    "int_parsing": lambda ctx: _INTEGER,
    "int_type": lambda ctx: _INTEGER,
    "int_from_float": lambda ctx: _("must be a whole number, without a fractional part"),
    "float_parsing": lambda ctx: _NUMBER,
    "float_type": lambda ctx: _NUMBER,
    "finite_number": lambda ctx: _("must be a finite number"),
    "bool_parsing": lambda ctx: _BOOLEAN,
    "bool_type": lambda ctx: _BOOLEAN,
    "greater_than": lambda ctx: _("must be greater than {limit}", limit=ctx.get("gt")),
    "greater_than_equal": lambda ctx: _(
        "must be greater than or equal to {limit}", limit=ctx.get("ge")
    ),
    "less_than": lambda ctx: _("must be less than {limit}", limit=ctx.get("lt")),
    "less_than_equal": lambda ctx: _("must be less than or equal to {limit}", limit=ctx.get("le")),
    "literal_error": lambda ctx: _("must be one of: {choices}", choices=_one_of(ctx)),
    "enum": lambda ctx: _("must be one of: {choices}", choices=_one_of(ctx)),
    "datetime_parsing": lambda ctx: _DATETIME,
    "datetime_from_date_parsing": lambda ctx: _DATETIME,
    "datetime_type": lambda ctx: _DATETIME,
    "timezone_aware": lambda ctx: _(
        "must say its offset from UTC, such as 2026-11-23T05:30:00+07:00"
    ),
    "date_parsing": lambda ctx: _DATE,
    "date_from_datetime_parsing": lambda ctx: _DATE,
    "date_type": lambda ctx: _DATE,
    "date_from_datetime_inexact": lambda ctx: _(
        "must be a date without a time of day, written YYYY-MM-DD"
    ),
    "list_type": lambda ctx: _("must be a list (a JSON array)"),
    "too_short": lambda ctx: _n(
        "must have at least {n} item",
        "must have at least {n} items",
        _count(ctx, "min_length"),
    ),
    "too_long": lambda ctx: _n(
        "must have at most {n} item ({sent} sent)",
        "must have at most {n} items ({sent} sent)",
        _count(ctx, "max_length"),
        sent=ctx.get("actual_length", "?"),
    ),
    "model_type": lambda ctx: _OBJECT,
    "model_attributes_type": lambda ctx: _OBJECT,
    "dict_type": lambda ctx: _OBJECT,
}


def field_message(err: Mapping[str, Any]) -> str | Msg:
    """What is wrong with one input, from one of pydantic's errors: the project's own message
    (a validator's), else pydantic's translated by its type, else pydantic's own text."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        if isinstance(error, Exception) and error.args and isinstance(error.args[0], Msg):
            return error.args[0]
    make = PYDANTIC_MESSAGES.get(kind)
    if make is not None:
        return make(ctx)
    # pydantic prefixes the messages of validators; the field says enough
    return str(err.get("msg", "invalid")).removeprefix("Value error, ")


def _either(items: Sequence[str]) -> str | Msg:
    if len(items) < 2:
        return "".join(items)
    return _("{first} or {last}", first=", ".join(items[:-1]), last=items[-1])


async def _broadcaster_error(_request: Request, exc: BroadcasterError) -> JSONResponse:
    status = status_for(exc)
    headers = dict(getattr(exc, "headers", {}) or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="broadcaster"')
    fields: list[Mapping[str, str | Msg]] = list(getattr(exc, "fields", []))
    message: str | Msg = str(exc)
    if isinstance(exc, ValidationFailed):
        fields = [
            {"field": p.where or "request", "in": "body", "message": p.message}
            for p in exc.problems
        ]
        message = _(
            "{subject}: {problems}",
            subject=exc.subject,
            problems="; ".join(str(p) for p in exc.problems),
        )
    code = exc.code if exc.code != "error" else None
    return error_response(status, message, code=code, fields=fields, headers=headers)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    fields: list[Mapping[str, str | Msg]] = []
    for err in exc.errors():
        name, where = _field_name(err.get("loc", ()))
        message = field_message(err)
        if err.get("type") == "json_invalid":
            # FastAPI puts the character position where a field name goes
            name, where = "body", "body"
            message = _(
                "not valid JSON: {error} at character {position}",
                error=err.get("ctx", {}).get("error", ""),
                position=err["loc"][-1],
            )
        fields.append({"field": name, "in": where, "message": message})
    names = list(dict.fromkeys(str(f["field"]) for f in fields))
    summary = _n(
        "{n} field is not valid: {names}",
        "{n} fields are not valid: {names}",
        len(names),
        names=", ".join(names),
    )
    return error_response(422, summary, fields=fields)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    message: str | Msg = _(
        "the server refused the request (HTTP {status} {reason})",
        status=status,
        reason=exc.detail or STATUS_CODES.get(status, "error"),
    )
    if status == 404 and exc.detail in (None, "Not Found"):
        message = _("no such route: {path}; the API is described at /docs", path=request.url.path)
    headers = dict(getattr(exc, "headers", None) or {})
    fields: list[Mapping[str, str | Msg]] = []
    if status == 400 and exc.detail == "There was an error parsing the body":
        # FastAPI's answer to a body its JSON reader raised on (not UTF-8, nested too deep)
        message = _(
            "the request body is not JSON that can be read (UTF-8 text, not nested too "
            "deeply); check what was sent"
        )
        problem = _("not JSON that can be read: UTF-8 text, not nested too deeply")
        fields = [{"field": "body", "in": "body", "message": problem}]
    if status == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        message = _(
            "{method} is not allowed on {path}; use {methods}",
            method=request.method,
            path=request.url.path,
            methods=_either(allowed),
        )
    return error_response(status, message, fields=fields, headers=headers or None)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Starlette answers this one outside every middleware: the language is chosen here
    with speaking_to(request):
        return error_response(
            500,
            _("internal error ({kind}); see the server log", kind=type(exc).__name__),
        )


def install_error_handlers(app: FastAPI) -> None:
    app.exception_handler(BroadcasterError)(_broadcaster_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(Exception)(_unexpected)


#: the methods a path may be asked whether it answers
METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path.

    Starlette's router puts in ``Allow`` the methods of the first route whose path matches,
    but a path may have several routes (GET and POST on the airings, GET and HEAD on audio).
    Each method is tried through the routes' public ``matches`` (FastAPI keeps included
    routers as one route each, so their routes cannot simply be listed).
    """
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


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
        message = _n(
            "the request body is larger than this route's limit of {n} byte",
            "the request body is larger than this route's limit of {n} bytes",
            limit,
        )
        body = json.dumps(error_body(413, message)).encode()
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
