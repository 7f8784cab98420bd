"""Signing in and out, and changing one's own password."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _
from broadcaster.usecases.accounts import SignInRefused, change_own_password, sign_in

from .respond import audited, render
from .session import (
    CSRF_COOKIE,
    Posted,
    Session,
    Signed,
    Web,
    WebRoute,
    end_session,
    issue_session,
    optional_session,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never send a person elsewhere after signing in."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(
    request: Request, state: Web, *, error: str | None = None, next_: str = "/", status: int = 200
) -> Response:
    token = secrets.token_urlsafe(24)
    response = state.templates.TemplateResponse(
        request,
        "login.html.j2",
        {"csrf": token, "error": error, "next": next_, "user": None},
        status_code=status,
    )
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.get("/login")
def login_form(
    request: Request,
    state: Web,
    current: Annotated[Session | None, Depends(optional_session)],
    next: str | None = None,
) -> Response:
    if current is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, state, next_=_safe_next(next))


@router.post("/login")
async def login(
    request: Request,
    state: Web,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    target = _safe_next(next)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf):
        msg = _("the sign-in form has expired; try again")
        return _login_page(request, state, error=str(msg), next_=target, status=403)
    client = request.client.host if request.client else "?"
    if not state.limiter.allow(f"ip:{client}") or not state.limiter.allow(
        f"user:{username.lower()}"
    ):
        msg = _("too many attempts; wait a few minutes and try again")
        return _login_page(request, state, error=str(msg), next_=target, status=429)
    try:
        user = await run_in_threadpool(sign_in, state.db, state.clock, username, password)
    except SignInRefused as exc:
        return _login_page(request, state, error=str(exc), next_=target, status=401)
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(CSRF_COOKIE, path="/login")
    issue_session(state, response, user)
    await audited(
        state, user.username, "user.sign_in", f"user {user.username}", "", user.station_code
    )
    return response


@router.post("/logout")
def logout(s: Posted) -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response


@router.get("/account/password")
def password_form(request: Request, state: Web, s: Signed) -> Response:
    return render(state, request, s, "password.html.j2", {"error": None, "done": False})


@router.post("/account/password")
async def change_password(
    request: Request,
    state: Web,
    s: Posted,
    current: Annotated[str, Form(max_length=500)] = "",
    new: Annotated[str, Form(max_length=500)] = "",
    again: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    error: str | None = None
    if new != again:
        error = str(_("the two new passwords differ; type the same one twice"))
    else:
        try:
            user = await run_in_threadpool(
                change_own_password, state.db, state.clock, s.user, current, new
            )
        except BroadcasterError as exc:
            error = str(exc)
        else:
            # this session goes on with the new version; every other one has ended
            context = {"user": user, "error": None, "done": True}
            response = render(state, request, s, "password.html.j2", context)
            issue_session(state, response, user, s.csrf)
            return response
    return render(state, request, s, "password.html.j2", {"error": error, "done": False}, 422)
