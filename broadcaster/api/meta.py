"""Health check (no token needed) and this process's figures (office tokens)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel

from broadcaster import __version__

from .deps import OfficeCaller, State
from .errors import AUTHENTICATED, error_responses

router = APIRouter(tags=["meta"])


class HealthOut(BaseModel):
    status: str
    version: str
    time: str


@router.get("/health", response_model=HealthOut)
def health(state: State) -> HealthOut:
    """The server is up; also tells its version and clock (stations compare theirs)."""
    return HealthOut(status="ok", version=__version__, time=state.clock.now().isoformat())


class MetricsOut(BaseModel):
    """Figures of the worker process that answered (each worker has its own)."""

    pid: int
    streams_open: int
    long_polls_waiting: int
    subscribers: int
    bulletins_live: int
    emergency_seq: int
    hub_refreshes: int
    hub_errors: int
    #: PostgreSQL notifications that woke this worker's emergency watcher
    hub_wakeups: int
    db_statements: int
    rss_bytes: int | None
    #: requests whose token this worker knew already, and those it looked up
    token_cache_hits: int
    token_cache_misses: int
    #: times a revocation emptied the token cache
    token_cache_clears: int


@router.get(
    "/metrics",
    response_model=MetricsOut,
    responses=error_responses(*AUTHENTICATED, 403, notes={403: "Not an office token."}),
)
def metrics(state: State, _office: OfficeCaller) -> MetricsOut:
    """Open event streams and long-polls, live bulletins and database statements sent by
    this worker process since it started: what an office watches under load."""
    from .emergencies import metrics as emergency_metrics

    return MetricsOut(
        pid=os.getpid(),
        db_statements=state.db.statements,
        rss_bytes=_rss(),
        token_cache_hits=state.tokens.hits,
        token_cache_misses=state.tokens.misses,
        token_cache_clears=state.tokens.clears,
        **emergency_metrics(state),
    )


def _rss() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None
