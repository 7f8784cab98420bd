from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from broadcaster.api import create_app

from .live_server import LiveServer, Office, make_office


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    o = make_office(tmp_path)
    yield o
    o.db.dispose()


@pytest.fixture
def server(office: Office) -> Iterator[LiveServer]:
    s = LiveServer(lambda: create_app(office.settings, database=office.db)).start()
    yield s
    s.stop()


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def tone_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Two seconds of a 440 Hz tone as MP3, made with ffmpeg."""
    import subprocess

    out = tmp_path_factory.mktemp("tone") / "tone.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=2",
            "-ac",
            "1",
            "-b:a",
            "64k",
            str(out),
        ],
        check=True,
    )
    return out.read_bytes()
