"""Signed-in people: a signed session cookie, CSRF on every form, sign-in attempts limited.

The cookie holds the account's id, its session version (a password change or a disabled
account ends every session) and the session's CSRF token, signed with a key kept in the data
folder; it expires after ``[web] session_hours`` without use. Every POST carries the CSRF token
(a hidden field, or the ``X-CSRF-Token`` header htmx sends) and is refused without it.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from broadcaster.config import Settings
from broadcaster.domain.accounts import Permission, User
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import BroadcasterError, NotFoundError
from broadcaster.domain.messages import _
from broadcaster.usecases.accounts import get_user
from broadcaster.usecases.station_board import SilenceMail

from .settings import WebSettings

SESSION_COOKIE = "bc_session"
CSRF_COOKIE = "bc_csrf"
#: a session cookie older than this is issued again (so an active session does not expire)
REFRESH_AFTER = 600


class SignInNeeded(BroadcasterError):
    """The page needs a signed-in person (redirect to the sign-in page)."""

    code = "sign_in_needed"


class CsrfRefused(BroadcasterError):
    code = "csrf_refused"


@dataclass
class Limiter:
    """At most ``limit`` sign-in attempts per key within ``window`` seconds (this process)."""

    limit: int = 10
    window: float = 300.0
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 10_000:
            self._seen.clear()
        return True


@dataclass
class WebState:
    settings: Settings
    web: WebSettings
    db: Any  # broadcaster.db.Database (the console reaches it only through use cases)
    clock: Clock
    templates: Jinja2Templates
    signer: URLSafeTimedSerializer
    limiter: Limiter = field(default_factory=Limiter)
    #: the silent stations this server has mailed the office about
    silence_mail: SilenceMail = field(default_factory=SilenceMail)


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


async def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.console
    return state


Web = Annotated[WebState, Depends(web_state)]


def read_session(state: WebState, request: Request) -> tuple[dict[str, Any], float] | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data, signed_at = state.signer.loads(
            raw, max_age=state.web.session_hours * 3600, return_timestamp=True
        )
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    return data, signed_at.timestamp()


async def optional_session(request: Request, state: Web) -> Session | None:
    found = read_session(state, request)
    if found is None:
        return None
    data, signed_at = found
    user = await run_in_threadpool(get_user, state.db, int(data.get("u", 0)))
    if user is None or not user.active or user.session_version != data.get("v"):
        return None
    session = Session(user, str(data.get("c", "")))
    if time.time() - signed_at > REFRESH_AFTER:
        request.state.refresh_session = session
    return session


async def session(
    request: Request, found: Annotated[Session | None, Depends(optional_session)]
) -> Session:
    if found is None:
        raise SignInNeeded(_("sign in first"))
    return found


Signed = Annotated[Session, Depends(session)]


def needs(permission: Permission) -> Callable[[Session], Awaitable[Session]]:
    """A dependency: a signed-in person whose role has ``permission`` (403 otherwise)."""

    async def check(s: Signed) -> Session:
        if not s.user.can(permission):
            raise ForbiddenError(
                _(
                    "{who} ({role}) may not open this page",
                    who=s.user.shown,
                    role=s.user.role.label,
                )
            )
        return s

    return check


def issue_session(state: WebState, response: Response, user: User, csrf: str | None = None) -> str:
    csrf = csrf or secrets.token_urlsafe(24)
    value = state.signer.dumps({"u": user.id, "v": user.session_version, "c": csrf})
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=state.web.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=state.web.secure_cookies,
        path="/",
    )
    return csrf


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


async def check_csrf(request: Request, expected: str) -> None:
    """The form's ``csrf`` field (or the X-CSRF-Token header) must be the session's token."""
    given = request.headers.get("x-csrf-token")
    if not given:
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not given or not expected or not hmac.compare_digest(given, expected):
        raise CsrfRefused(
            _("this form has expired or did not come from this console; open the page again")
        )


async def csrf_form(request: Request, s: Signed) -> Session:
    """A dependency for every POST of a signed-in page."""
    await check_csrf(request, s.csrf)
    return s


Posted = Annotated[Session, Depends(csrf_form)]


class WebRoute(APIRoute):
    """Console routes answer errors as pages, not JSON: sign-in needed → the sign-in page,
    a refusal → a page saying why; a refreshed session goes back in the cookie."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInNeeded:
                target = quote(
                    request.url.path + (f"?{request.url.query}" if request.url.query else "")
                )
                return Response(status_code=303, headers={"Location": f"/login?next={target}"})
            except (ForbiddenError, NotFoundError, CsrfRefused, BroadcasterError) as exc:
                return error_page(request, exc)
            refreshed = getattr(request.state, "refresh_session", None)
            if refreshed is not None and SESSION_COOKIE not in response.headers.get(
                "set-cookie", ""
            ):
                issue_session(request.app.state.console, response, refreshed.user, refreshed.csrf)
            return response

        return route


def error_page(request: Request, exc: BroadcasterError) -> Response:
    state: WebState = request.app.state.console
    status = {
        "forbidden": 403,
        "not_found": 404,
        "csrf_refused": 403,
        "sign_in_refused": 401,
    }.get(getattr(exc, "code", ""), 400)
    return state.templates.TemplateResponse(
        request,
        "error.html.j2",
        {"status": status, "message": str(exc), "user": None},
        status_code=status,
    )
