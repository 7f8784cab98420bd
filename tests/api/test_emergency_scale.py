"""Emergency fan-out at scale: waiting streams cost no queries, one watcher per process sees
bulletins stored by another process, and a client that goes away harms no one else."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from broadcaster.api import create_app
from broadcaster.clock import SystemClock
from broadcaster.config import load_settings
from broadcaster.db import Database
from broadcaster.domain.distribution import Scope
from broadcaster.usecases.stations import load_stations
from broadcaster.usecases.tokens import create_station_tokens, create_token
from tests.agent.helpers import wait_until
from tests.lead_in import seed_lead_in

from .live_server import LiveServer, run_in_own_loop

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="raw sockets and /proc")


def _office_file(path: Path, communes: int) -> Path:
    lines = [
        '[[station]]\ncode = "TINH"\nname = "Tỉnh thử"\nkind = "province"\n',
        '[[station]]\ncode = "VP"\nname = "Văn phòng thử"\nkind = "region"\nparent = "TINH"\n'
        'office = true\n\n[[station.session]]\nname = "Sáng"\ndays = "daily"\n'
        'start = "05:30"\nminutes = 30\n',
    ]
    lines += [
        f'[[station]]\ncode = "XA-{i:05d}"\nname = "Xã {i}"\nkind = "commune"\nparent = "VP"\n'
        for i in range(communes)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@dataclasses.dataclass
class Province:
    settings: object
    db: Database
    tokens: dict[str, str]
    office_token: str


def _province(tmp: Path, url: str, communes: int, **env: str) -> Province:
    settings = load_settings(
        None,
        {
            "HOME": str(tmp),
            "BROADCASTER_DATA_DIR": str(tmp / "data"),
            "BROADCASTER_AUDIO_DIR": str(tmp / "audio"),
            "BROADCASTER_DATABASE_URL": url,
            **env,
        },
    )
    seed_lead_in(settings.audio_dir)
    db = Database(url)
    db.upgrade()
    load_stations(db, _office_file(tmp / "office.toml", communes))
    made = create_station_tokens(db, SystemClock(), under="VP")
    office = create_token(db, SystemClock(), scope=Scope.OFFICE, station_code="VP").secret
    return Province(settings, db, {m.token.station_code: m.secret for m in made}, office)


def _raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < wanted:
        pytest.skip(f"needs {wanted} open files; the limit here is lower")


class Stream:
    """One raw HTTP/1.1 event stream (a thousand of these must be cheap to hold)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int, code: str, token: str) -> Stream:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /api/v1/stations/{code}/emergencies/stream HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        stream = cls(reader, writer)
        await stream.until(b"retry:")
        return stream

    async def until(self, marker: bytes) -> bytes:
        seen = b""
        while marker not in seen:
            chunk = await self.reader.read(65536)
            if not chunk:
                raise ConnectionError(f"stream closed before {marker!r}: {seen[-200:]!r}")
            seen += chunk
        return seen

    def close(self) -> None:
        self.writer.close()


def _send(port: int, token: str, audio_hash: str, title: str) -> int:
    r = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/emergencies",
        headers={"Authorization": f"Bearer {token}"},
        json={"title": title, "audio_hash": audio_hash},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _upload(port: int, token: str, tone: bytes) -> str:
    r = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/audio",
        headers={"Authorization": f"Bearer {token}", "content-type": "audio/mpeg"},
        content=tone,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["hash"])


@pytest.fixture
def quiet_province(tmp_path: Path) -> Iterator[tuple[Province, LiveServer]]:
    # the watcher does not look on its own during the test: every query is the bulletin's
    p = _province(
        tmp_path, f"sqlite:///{tmp_path / 'p.db'}", 1000, BROADCASTER_EMERGENCY_WATCH_SECONDS="60"
    )
    server = LiveServer(lambda: create_app(p.settings, database=p.db)).start()
    yield p, server
    server.stop()
    p.db.dispose()


@pytest.mark.slow
def test_a_thousand_waiting_streams_cost_no_more_queries_than_ten(quiet_province, tone_mp3):
    _raise_file_limit(4096)
    p, server = quiet_province
    audio_hash = _upload(server.port, p.office_token, tone_mp3)
    codes = sorted(p.tokens)

    async def deliver(n: int, title: str) -> int:
        streams = []
        for start in range(0, n, 100):  # not all at once: the listen backlog is finite
            streams += await asyncio.gather(
                *(
                    Stream.open(server.port, c, p.tokens[c])
                    for c in codes[start : min(n, start + 100)]
                )
            )
        before = p.db.statements
        sent = await asyncio.to_thread(_send, server.port, p.office_token, audio_hash, title)
        marker = f'"id":{sent},'.encode()
        got = await asyncio.gather(*(s.until(marker) for s in streams))
        used = p.db.statements - before
        assert all(title.encode() in g for g in got)
        for s in streams:
            s.close()
        return used

    ten = run_in_own_loop(deliver(10, "Thử mười"))
    thousand = run_in_own_loop(deliver(1000, "Thử một nghìn"))
    assert ten > 0
    assert thousand == ten, f"10 streams: {ten} statements, 1000 streams: {thousand}"


@pytest.fixture
def province(tmp_path: Path, database_url: str) -> Iterator[tuple[Province, LiveServer]]:
    p = _province(tmp_path, database_url, 3)
    server = LiveServer(lambda: create_app(p.settings, database=p.db)).start()
    yield p, server
    server.stop()
    p.db.dispose()


def _metrics(port: int, token: str) -> dict:
    return httpx.get(
        f"http://127.0.0.1:{port}/api/v1/metrics", headers={"Authorization": f"Bearer {token}"}
    ).json()


def test_a_bulletin_stored_by_another_process_wakes_the_streams_of_this_one(
    province, tmp_path: Path
):
    p, server = province
    wav = tmp_path / "ghi-am.wav"
    tone = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=600:duration=2"]
    subprocess.run([*tone, str(wav)], check=True)

    async def scenario() -> bytes:
        stream = await Stream.open(server.port, "XA-00001", p.tokens["XA-00001"])
        cli = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "broadcaster"),
            "emergency",
            "send",
            "--office",
            "VP",
            "--title",
            "Sạt lở đất",
            "--audio",
            str(wav),
            "--stations",
            "XA-00001",
            "--no-follow",
            env={
                **os.environ,
                "HOME": str(tmp_path),
                "BROADCASTER_CONFIG": "",
                "BROADCASTER_DATABASE_URL": p.db.url,
                "BROADCASTER_DATA_DIR": str(tmp_path / "data"),
                "BROADCASTER_AUDIO_DIR": str(tmp_path / "audio"),
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _out, err = await cli.communicate()
        assert cli.returncode == 0, err.decode()
        got = await asyncio.wait_for(stream.until("Sạt lở đất".encode()), 30)
        stream.close()
        return got

    got = run_in_own_loop(scenario())
    assert b"event: emergency" in got
    if not p.db.is_sqlite:
        # PostgreSQL: the other process's NOTIFY woke this one's watcher
        assert _metrics(server.port, p.office_token)["hub_wakeups"] >= 1


def test_a_client_that_hangs_up_mid_event_holds_up_no_one(province, tone_mp3):
    p, server = province
    audio_hash = _upload(server.port, p.office_token, tone_mp3)
    token = p.tokens["XA-00002"]

    async def scenario() -> list[bytes]:
        streams = [await Stream.open(server.port, "XA-00002", token) for _ in range(3)]
        gone = streams.pop()
        # hang up hard (RST) just as the bulletin is written to it
        sock = gone.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        first = await asyncio.to_thread(_send, server.port, p.office_token, audio_hash, "Một")
        gone.close()
        got = [await asyncio.wait_for(s.until(f'"id":{first},'.encode()), 20) for s in streams]
        second = await asyncio.to_thread(_send, server.port, p.office_token, audio_hash, "Hai")
        got += [await asyncio.wait_for(s.until(f'"id":{second},'.encode()), 20) for s in streams]
        for s in streams:
            s.close()
        return got

    got = run_in_own_loop(scenario())
    assert len(got) == 4 and all(b"event: emergency" in g for g in got)
    # every stream is closed now: once the server has noticed, nothing stays subscribed
    m = wait_until(
        lambda: (m := _metrics(server.port, p.office_token))["streams_open"] == 0 and m,
        20,
        "the server to notice the closed streams",
    )
    assert m["subscribers"] == 0, m
