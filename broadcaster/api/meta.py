"""Health check (no token needed)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from broadcaster import __version__

from .deps import State

router = APIRouter(tags=["meta"])


class HealthOut(BaseModel):
    status: str
    version: str
    time: str


@router.get("/health", response_model=HealthOut)
def health(state: State) -> HealthOut:
    """The server is up; also tells its version and clock (stations compare theirs)."""
    return HealthOut(status="ok", version=__version__, time=state.clock.now().isoformat())
