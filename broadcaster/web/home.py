"""The first page after signing in: who you are, where, and what waits for you."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from broadcaster.domain.accounts import Permission
from broadcaster.usecases.accounts import station_name

from .respond import render
from .session import Signed, Web, WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/")
async def home(request: Request, state: Web, s: Signed) -> Response:
    node = await run_in_threadpool(station_name, state.db, s.user.station_code)
    return render(state, request, s, "home.html.j2", {"node": node, "P": Permission})
