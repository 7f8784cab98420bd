"""A real uvicorn server on 127.0.0.1 in a background thread, stoppable and restartable."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI

from broadcaster.clock import SystemClock
from broadcaster.config import Settings, load_settings
from broadcaster.db import Database
from broadcaster.domain.distribution import Scope
from broadcaster.usecases.stations import load_stations
from broadcaster.usecases.tokens import create_token
from tests.databases import migrated_database
from tests.lead_in import seed_lead_in

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "schedules" / "example.toml"


class LiveServer:
    def __init__(self, make_app: Callable[[], FastAPI], port: int = 0) -> None:
        self.make_app = make_app
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        config = uvicorn.Config(
            self.make_app(),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        self.port = server.servers[0].sockets[0].getsockname()[1]
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None


@dataclass
class Office:
    """A database with the example office loaded, tokens made, and settings pointing at it."""

    settings: Settings
    db: Database
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, code: str, scope: Scope = Scope.STATION) -> str:
        key = f"{scope.value}:{code}"
        if key not in self.tokens:
            made = create_token(self.db, SystemClock(), scope=scope, station_code=code, label=key)
            self.tokens[key] = made.secret
        return self.tokens[key]

    def headers(self, code: str, scope: Scope = Scope.STATION) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(code, scope)}"}


def office_settings(tmp: Path, database_url: str | None = None) -> Settings:
    """Settings of an office whose database, data and audio live in ``tmp``."""
    env = {
        "BROADCASTER_DATA_DIR": str(tmp / "data"),
        "BROADCASTER_DATABASE_URL": database_url or f"sqlite:///{tmp / 'office.db'}",
        "BROADCASTER_AUDIO_DIR": str(tmp / "audio"),
        "HOME": str(tmp),
    }
    return load_settings(None, env)


def make_office(tmp: Path, database_url: str | None = None) -> Office:
    settings = office_settings(tmp, database_url)
    seed_lead_in(settings.audio_dir)
    db = migrated_database(settings.database_url)
    load_stations(db, EXAMPLE)
    return Office(settings, db)


def copy_office(template: Path, tmp: Path) -> Office:
    """An office like one :func:`make_office` made in ``template`` (closed), copied into
    ``tmp``: the same stations, accounts and audio in a second of work less per test."""
    import shutil

    for name in ("office.db", "office.db-wal", "office.db-shm", "data", "audio"):
        source = template / name
        if source.is_dir():
            shutil.copytree(source, tmp / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, tmp / name)
    settings = office_settings(tmp)
    return Office(settings, Database(settings.database_url))


def run_in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)`` in a thread of its own: once a page test has started Playwright's
    sync API, the main thread of that test process has an event loop running, and asyncio.run
    refuses to start there."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
