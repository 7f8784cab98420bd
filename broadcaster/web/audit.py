"""The audit trail: every change made through the console, who and when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from broadcaster.domain.accounts import Permission
from broadcaster.usecases.accounts import audit_trail

from .respond import render
from .session import Session, Web, WebRoute, needs

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/audit")
async def trail(
    request: Request, state: Web, s: Annotated[Session, Depends(needs(Permission.READ_AUDIT))]
) -> Response:
    events = await run_in_threadpool(audit_trail, state.db, s.user)
    return render(state, request, s, "audit.html.j2", {"events": events})
