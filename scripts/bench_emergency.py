"""Benchmark emergency bulletins at national scale (issue 11): N stations listening at once.

    .venv/bin/python scripts/bench_emergency.py --quick        # N 100, 1000; sqlite-1w, pg-3w
    .venv/bin/python scripts/bench_emergency.py                # N 100, 1000, 3321, 10000; all
    .venv/bin/python scripts/bench_emergency.py --sizes 100 --configs sqlite-1w [--keep]
        [--postgres URL] [--window 10] [--limit 60] [--batch 250]

For each configuration (``sqlite-1w``: SQLite, 1 worker; ``pg-1w`` and ``pg-3w``: PostgreSQL,
1 and 3 workers) and each N, in a fresh folder: one province, one office, N communes, a token
per station, ``broadcaster serve`` in its own process group; then, from one asyncio client on
raw streams (httpx could not hold 10,000 connections cheaply):

- streams: N server-sent-event streams (``/stations/{code}/emergencies/stream``), opened in
  batches; the time until all are open (their first ``retry:`` line read); over an idle window
  with all open (10 s, ``--quick`` 5 s) the server's CPU (its process and workers, % of one
  core), database load (statements/s from ``/metrics``; for PostgreSQL transactions/s from
  ``pg_stat_database``, which sees every worker) and RSS; then one bulletin is sent and, per
  client, the time from just before the POST until it has read the bulletin's ``data:`` line:
  p50/p99/max and how many had it within the limit (60 s); any other is missing and printed;
- long-polls: the same with N long-polls (``/stations/{code}/emergencies?since=&wait=25``).

Clients reconnect (streams with ``Last-Event-ID``) or re-poll as an agent does, and the
reconnects are counted. PostgreSQL: ``--postgres URL`` or $BROADCASTER_TEST_POSTGRES_URL (its
``public`` schema is dropped between sizes), else a throwaway server from
scripts/postgres_test_server.sh when Debian's binaries are installed, else skipped with the
reason. Routes or commands the server does not have yet (``/metrics``, ``tokens create
--each-station-under``) are reported and worked around. Every wait has a timeout; servers are
killed at exit; the work folder is deleted unless ``--keep``. It prints the machine's load, a
table per configuration and a last one-line ``SUMMARY:``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import glob
import json
import math
import os
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROVINCE, OFFICE = "BENCH-TINH", "BENCH-KV"
CONFIGS = {"sqlite-1w": ("sqlite", 1), "pg-1w": ("postgres", 1), "pg-3w": ("postgres", 3)}
SIZES = (100, 1000, 3321, 10000)
LONG_POLL_WAIT = 25
OPEN_TIMEOUT = 30.0  # one connection: connect, answer head, first line
CLK_TCK = os.sysconf("SC_CLK_TCK")
#: two seconds of a 440 Hz tone as MP3, like tests/api/conftest.py tone_mp3
TONE = "ffmpeg -hide_banner -loglevel error -y -f lavfi -i sine=frequency=440:duration=2"
TONE += " -ac 1 -b:a 64k"


class RunFailed(Exception):
    """This configuration and size cannot go on; the reason is printed and the next one runs."""


# --- processes: the CLI, the server, its CPU and memory --------------------------------------


def cli() -> list[str]:
    exe = Path(sys.executable).with_name("broadcaster")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "broadcaster"]


def run_cli(env: dict[str, str], cwd: Path, *args: str, timeout: float = 900) -> str:
    """Run ``broadcaster ARGS``; stdout, or RunFailed with the last lines of its error."""
    try:
        p = subprocess.run(
            [*cli(), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise RunFailed(f"'broadcaster {' '.join(args[:3])}' took over {timeout:.0f} s") from None
    if p.returncode != 0:
        tail = " / ".join((p.stderr or p.stdout).strip().splitlines()[-3:])
        raise RunFailed(f"'broadcaster {' '.join(args[:3])}' failed ({p.returncode}): {tail}")
    return p.stdout


def raise_nofile() -> int:
    """Open-files limit up to the hard limit; the server inherits it from this process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = max(soft, 1 << 20)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from 'state' on: comm may hold spaces


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (uvicorn's workers, their helpers)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                parents.setdefault(int(_stat(int(entry))[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    out = {}
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            f = _stat(pid)
            out[pid] = int(f[11]) + int(f[12])  # utime + stime
    return out


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def nofile_of(pid: int) -> str:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
            if line.startswith("Max open files"):
                return line.split()[3]
    return "?"


class Server:
    """``broadcaster serve`` in its own session, so the whole group is killed at the end."""

    def __init__(self, env: dict[str, str], folder: Path, workers: int) -> None:
        self.port = free_port()
        self.workers = workers
        self.log = folder / "server.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [*cli(), *f"serve --host 127.0.0.1 --port {self.port} --workers {workers}".split()],
                env=env,
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            return " / ".join(self.log.read_text(errors="replace").strip().splitlines()[-4:])
        return ""

    async def ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RunFailed(f"server exited with {self.proc.returncode}: {self.tail()}")
            with contextlib.suppress(OSError, asyncio.IncompleteReadError, TimeoutError):
                status, _ = await call(self.port, "GET", "/api/v1/health", timeout=2)
                if status == 200:
                    break
            await asyncio.sleep(0.1)
        else:
            raise RunFailed(f"server not answering /api/v1/health after {timeout:.0f} s")
        if self.workers > 1:  # the first worker answers; give the others time to start too
            deadline = time.monotonic() + 20
            while len(process_tree(self.proc.pid)) <= self.workers and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await asyncio.sleep(2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, sig)
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        with contextlib.suppress(ProcessLookupError):  # workers left behind by their parent
            os.killpg(self.proc.pid, signal.SIGKILL)


# --- HTTP/1.1 on asyncio streams -------------------------------------------------------------


def request_bytes(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(lines[0].split(" ", 2)[1]), headers


def is_chunked(headers: dict[str, str]) -> bool:
    return "chunked" in headers.get("transfer-encoding", "").lower()


async def body_parts(reader: asyncio.StreamReader, headers: dict[str, str]) -> AsyncIterator[bytes]:
    """The body as it arrives: chunked, by Content-Length, or until the server closes."""
    if is_chunked(headers):
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return
            yield (await reader.readexactly(size + 2))[:-2]
    elif "content-length" in headers:
        if int(headers["content-length"]):
            yield await reader.readexactly(int(headers["content-length"]))
    else:
        while data := await reader.read(65536):
            yield data


async def read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    return b"".join([part async for part in body_parts(reader, headers)])


class Conn:
    """One keep-alive connection; reopened after the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(raw)
        status, headers = await read_head(self.reader)
        body = await read_body(self.reader, headers)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def call(
    port: int,
    method: str,
    path: str,
    token: str | None = None,
    body: bytes = b"",
    ctype: str = "application/json",
    timeout: float = 60,
) -> tuple[int, bytes]:
    """One request on a fresh connection (so that, with several workers, any may answer)."""
    headers = {"Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if method == "POST":
        headers["Content-Type"] = ctype
    conn = Conn(port)
    try:
        async with asyncio.timeout(timeout):
            return await conn.request(request_bytes(method, path, headers, body))
    finally:
        conn.close()


def error_text(status: int, body: bytes) -> str:
    with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
        return f"HTTP {status}: {json.loads(body)['error']['message']}"
    return f"HTTP {status}: {body[:160].decode(errors='replace')}"


# --- the listening clients -------------------------------------------------------------------


@dataclass(eq=False)
class Listener:
    """One station's client: when it first had each bulletin, and what went wrong."""

    code: str
    token: str | None
    opened: asyncio.Future[bool] | None = None
    seen: dict[int, float] = field(default_factory=dict)
    error: str | None = None  # why it never opened, or the last error after it did
    reconnects: int = 0
    payload: int = 0  # bytes of the last bulletin JSON it read
    writer: asyncio.StreamWriter | None = None
    conn: Conn | None = None


ID_FAST = re.compile(rb'^\{"id":(\d+)[,}]')


def bulletin_id(data: bytes) -> int:
    """The bulletin's id from an event's JSON: from its first bytes when the id comes first, so
    that 10,000 copies of a large bulletin do not load the client that measures them."""
    m = ID_FAST.match(data)
    return int(m.group(1)) if m else int(json.loads(data)["id"])


def _opened(lst: Listener, ok: bool) -> None:
    if lst.opened is not None and not lst.opened.done():
        lst.opened.set_result(ok)


def _ended(lst: Listener, task: asyncio.Task[None]) -> None:
    """A client that stopped on an unexpected error counts as not open (and says why)."""
    if not task.cancelled() and task.exception() is not None:
        lst.error = f"client error: {task.exception()!r}"
    _opened(lst, False)


async def stream_client(port: int, lst: Listener) -> None:
    """Hold the station's event stream open; reconnect with Last-Event-ID as an agent would."""
    path = f"/api/v1/stations/{lst.code}/emergencies/stream"
    last_id: str | None = None
    while True:
        headers = {"Authorization": f"Bearer {lst.token}", "Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = last_id
        try:
            async with asyncio.timeout(OPEN_TIMEOUT) as opening:
                reader, lst.writer = await asyncio.open_connection("127.0.0.1", port)
                lst.writer.write(request_bytes("GET", path, headers))
                status, head = await read_head(reader)
                if status != 200:
                    raise RunFailed(error_text(status, await read_body(reader, head)))
                ctype = head.get("content-type", "")
                if not ctype.startswith("text/event-stream"):
                    raise RunFailed(f"content-type {ctype!r}, not text/event-stream")
                buf, event, data, data_at = b"", b"", b"", 0.0
                async for part in body_parts(reader, head):
                    *lines, buf = (buf + part).split(b"\n")
                    for raw in lines:
                        line = raw.rstrip(b"\r")
                        if line.startswith(b"data:"):
                            data, data_at = line[5:].strip(), time.perf_counter()
                        elif line.startswith(b"event:"):
                            event = line[6:].strip()
                        elif line.startswith(b"id:"):
                            last_id = line[3:].strip().decode()
                        elif line.startswith(b"retry:") and opening is not None:
                            opening.reschedule(None)  # open: from now on no time limit
                            opening = None
                            _opened(lst, True)
                        elif not line:
                            if event == b"emergency" and data:
                                lst.seen.setdefault(bulletin_id(data), data_at)
                                lst.payload = len(data)
                            event, data = b"", b""
                raise RunFailed("the server ended the stream")
        except (RunFailed, OSError, ValueError, KeyError, TimeoutError) as exc:
            lst.error = str(exc) or type(exc).__name__
        except asyncio.IncompleteReadError:
            lst.error = "the server closed the connection"
        finally:
            if lst.writer is not None:
                lst.writer.close()
                lst.writer = None
        if lst.opened is not None and not lst.opened.done():
            _opened(lst, False)
            return
        lst.reconnects += 1
        await asyncio.sleep(1)


async def poll_client(port: int, lst: Listener) -> None:
    """Learn the cursor (wait=0), then hold a long-poll open; re-poll when it comes back."""
    base = f"/api/v1/stations/{lst.code}/emergencies"
    headers = {"Authorization": f"Bearer {lst.token}"}
    lst.conn = Conn(port)
    cursor: int | None = None
    while True:
        wait = 0 if cursor is None else LONG_POLL_WAIT
        try:
            async with asyncio.timeout(OPEN_TIMEOUT + wait):
                status, body = await lst.conn.request(
                    request_bytes("GET", f"{base}?since={cursor or 0}&wait={wait}", headers)
                )
            at = time.perf_counter()
            if status != 200:
                raise RunFailed(error_text(status, body))
            doc = json.loads(body)
            for e in doc["emergencies"]:
                lst.seen.setdefault(int(e["id"]), at)
                lst.payload = len(body)
            cursor = max(cursor or 0, int(doc["cursor"]))
            _opened(lst, True)
            continue
        except (RunFailed, OSError, ValueError, KeyError, TypeError, TimeoutError) as exc:
            lst.error = str(exc) or type(exc).__name__
        except asyncio.IncompleteReadError:
            lst.error = "the server closed the connection"
        lst.conn.close()
        if lst.opened is not None and not lst.opened.done():
            _opened(lst, False)
            return
        lst.reconnects += 1
        await asyncio.sleep(1)


async def open_all(
    port: int, listeners: list[Listener], client: Any, batch: int
) -> tuple[float, list[asyncio.Task[None]]]:
    """Start the clients a batch at a time (the listen backlog is finite); seconds until all
    are open, and their tasks."""
    loop = asyncio.get_running_loop()
    tasks = []
    t0 = time.perf_counter()
    for i in range(0, len(listeners), batch):
        group = [lst for lst in listeners[i : i + batch] if lst.token]
        for lst in group:
            lst.opened = loop.create_future()
            task = asyncio.create_task(client(port, lst))
            task.add_done_callback(lambda t, lst=lst: _ended(lst, t))
            tasks.append(task)
        try:
            results = await asyncio.wait_for(
                asyncio.gather(*(lst.opened for lst in group if lst.opened)), 2 * OPEN_TIMEOUT
            )
        except TimeoutError:
            for lst in group:
                if lst.opened and not lst.opened.done():
                    lst.error = f"not open after {2 * OPEN_TIMEOUT:.0f} s"
                    _opened(lst, False)
            results = [lst.opened.result() for lst in group if lst.opened]
        if group and not any(results):
            print(f"    no client of batch {i // batch + 1} could open: {group[0].error}")
            break
    return time.perf_counter() - t0, tasks


async def close_all(tasks: list[asyncio.Task[None]], listeners: list[Listener]) -> None:
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for lst in listeners:
        if lst.writer is not None:
            lst.writer.close()
        if lst.conn is not None:
            lst.conn.close()


# --- measurements ----------------------------------------------------------------------------


class Postgres:
    """The PostgreSQL database the pg configurations use, and its load as seen by the server."""

    def __init__(self, url: str, origin: str, stop_env: dict[str, str] | None = None) -> None:
        self.url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)
        self.libpq = re.sub(r"^postgresql\+psycopg://", "postgresql://", self.url)
        self.origin = origin
        self.stop_env = stop_env  # set when this script started the server

    def reset(self) -> None:
        import psycopg

        with psycopg.connect(self.libpq, autocommit=True, connect_timeout=10) as c:
            c.execute("DROP SCHEMA IF EXISTS public CASCADE")
            c.execute("CREATE SCHEMA public")

    def transactions(self) -> int:
        import psycopg

        with psycopg.connect(self.libpq, autocommit=True, connect_timeout=10) as c:
            row = c.execute(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                "WHERE datname = current_database()"
            ).fetchone()
        return int(row[0]) if row else 0


def start_postgres(folder: Path) -> tuple[Postgres | None, str]:
    """A throwaway server from scripts/postgres_test_server.sh, or why there is none."""
    if not glob.glob("/usr/lib/postgresql/*/bin"):
        return None, "no --postgres URL, no $BROADCASTER_TEST_POSTGRES_URL, no /usr/lib/postgresql"
    env = {**os.environ, "PGTEST_PORT": str(free_port()), "PGTEST_DIR": str(folder)}
    script = str(REPO / "scripts" / "postgres_test_server.sh")
    try:
        p = subprocess.run(
            ["bash", script, "start"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return None, "scripts/postgres_test_server.sh start took over 300 s"
    exports = {}
    for line in p.stdout.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, _, value = words[1].partition("=")
            exports[name] = value
    env.update(exports)
    url = exports.get("BROADCASTER_TEST_POSTGRES_URL")
    if p.returncode != 0 or not url:
        stop_postgres(Postgres("postgresql://x/x", "", env))
        tail = " / ".join(p.stderr.strip().splitlines()[-3:])
        return None, f"scripts/postgres_test_server.sh start failed ({p.returncode}): {tail}"
    return Postgres(url, "throwaway server from scripts/postgres_test_server.sh", env), ""


def stop_postgres(pg: Postgres) -> None:
    if pg.stop_env is None:
        return
    script = str(REPO / "scripts" / "postgres_test_server.sh")
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        subprocess.run(
            ["bash", script, "stop"],
            env=pg.stop_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
    shutil.rmtree(pg.stop_env["PGTEST_DIR"], ignore_errors=True)


@dataclass
class Run:
    """What one configuration at one size needs while it runs."""

    name: str
    n: int
    server: Server
    office_token: str
    pg: Postgres | None
    window: float
    limit: float
    batch: int
    audio_hash: str | None
    notes: list[str] = field(default_factory=list)
    metrics_missing: str | None = None

    async def metrics(self) -> dict[Any, dict[str, Any]] | None:
        """The /metrics answers of as many workers as a few requests reach, by pid."""
        if self.metrics_missing:
            return None
        out: dict[Any, dict[str, Any]] = {}
        for i in range(4 * self.server.workers):
            try:
                status, body = await call(
                    self.server.port, "GET", "/api/v1/metrics", self.office_token, timeout=10
                )
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
                self.notes.append(f"metrics: {exc or type(exc).__name__}")
                return out or None
            if status != 200:
                self.metrics_missing = error_text(status, body)
                print(f"    GET /api/v1/metrics: {self.metrics_missing}; its figures are n/a")
                return None
            doc = json.loads(body)
            out[doc.get("pid", f"worker?{i}")] = doc
            if "pid" not in doc or len(out) >= self.server.workers:
                break
        return out

    @staticmethod
    def total(samples: dict[Any, dict[str, Any]] | None, key: str) -> int | None:
        if not samples or any(key not in m for m in samples.values()):
            return None
        return sum(int(m[key]) for m in samples.values())

    async def idle(self, what: str) -> dict[str, Any]:
        """Server CPU, database load and RSS over the idle window."""
        # let the last openings settle; on PostgreSQL also let their statistics arrive: an
        # idle backend reports its transactions up to 10 s late (PGSTAT_IDLE_INTERVAL), which
        # would count the openings' authentications as idle load
        await asyncio.sleep(11 if self.pg else 1)
        pids = process_tree(self.server.proc.pid)
        before = await self.metrics()
        tx0 = self.pg.transactions() if self.pg else None
        ticks0, t0 = cpu_ticks(pids), time.monotonic()
        await asyncio.sleep(self.window)
        ticks1, elapsed = cpu_ticks(pids), time.monotonic() - t0
        tx1 = self.pg.transactions() if self.pg else None
        after = await self.metrics()
        used = sum(ticks1[p] - ticks0[p] for p in ticks1 if p in ticks0) / CLK_TCK
        out: dict[str, Any] = {
            "cpu": 100 * used / elapsed,
            "rss": rss_mb(process_tree(self.server.proc.pid)),
            "open_seen": self.total(after, what),
            "pids": ",".join(str(p) for p in after)
            if after and "pid" in next(iter(after.values()))
            else "n/a",
        }
        out["db"], out["db_unit"] = None, ""
        if tx0 is not None and tx1 is not None:
            out["db"], out["db_unit"] = (tx1 - tx0) / elapsed, "tx"
        elif before and after:
            stmts = [
                (int(after[p]["db_statements"]) - int(before[p]["db_statements"]))
                for p in after
                if p in before and "db_statements" in after[p] and "db_statements" in before[p]
            ]
            if stmts:
                out["db"], out["db_unit"] = sum(stmts) / elapsed, "st"
        return out

    async def wait_open(self, key: str, n: int) -> None:
        """Until the server counts every client (``key`` in /metrics) or 30 s; a pause if
        the server has no /metrics (requests sent are not yet requests waiting)."""
        deadline, seen = time.monotonic() + 30, None
        while time.monotonic() < deadline:
            seen = self.total(await self.metrics(), key)
            if seen is None:
                await asyncio.sleep(2 + n / 2000)
                return
            if seen >= n:
                return
            await asyncio.sleep(0.5)
        self.notes.append(f"{key}: server counts {seen} of {n} after 30 s")

    async def send(self, title: str) -> tuple[int | None, float, str | None]:
        """Send a bulletin: its id, when the POST began (perf_counter), or why it failed."""
        doc: dict[str, Any] = {"title": title}
        if self.audio_hash:
            doc["audio_hash"] = self.audio_hash
        else:
            doc["text"] = "Thử nghiệm hệ thống cảnh báo khẩn cấp."
        t0 = time.perf_counter()
        try:
            status, body = await call(
                self.server.port,
                "POST",
                "/api/v1/emergencies",
                self.office_token,
                json.dumps(doc).encode(),
                timeout=self.limit,
            )
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            return None, t0, f"POST /emergencies: {exc or type(exc).__name__}"
        if status != 201:
            return None, t0, f"POST /emergencies: {error_text(status, body)}"
        return int(json.loads(body)["id"]), t0, None

    async def phase(self, kind: str, listeners: list[Listener]) -> dict[str, Any]:
        """Open N clients of one kind, measure them idle, send a bulletin, time its arrival."""
        client, key = (
            (stream_client, "streams_open")
            if kind == "sse"
            else (poll_client, "long_polls_waiting")
        )
        label = "streams" if kind == "sse" else "long-polls"
        for lst in listeners:
            lst.seen.clear()
            lst.opened, lst.reconnects, lst.payload = None, 0, 0
            lst.error = None if lst.token else "no token for this station"
        connect, tasks = await open_all(self.server.port, listeners, client, self.batch)
        try:
            opened = [lst for lst in listeners if lst.opened and lst.opened.result()]
            out: dict[str, Any] = {"connect": connect, "open": len(opened)}
            print(f"    {label}: {len(opened)}/{self.n} open in {connect:.2f} s", flush=True)
            if not opened:
                out["failed"] = listeners[0].error
                print(f"    {label}: none open ({listeners[0].error}); skipped")
                return out
            if kind == "lp":
                await self.wait_open(key, len(opened))
            out.update(await self.idle(key))
            print(
                f"    {label} idle {self.window:.0f} s: server cpu {out['cpu']:.1f}% of a core, "
                f"db {fmt_db(out)}, rss {out['rss']:.0f} MB, {key} {na(out['open_seen'])} "
                f"(/metrics pids {out['pids']})",
                flush=True,
            )
            out.update(
                await self.deliver(f"Bench {label} {self.name} N={self.n}", listeners, opened)
            )
            print(
                f"    {label} bulletin {out['bulletin']}: POST {out['post'] * 1000:.0f} ms, "
                f"{out['received']}/{self.n} had it within {self.limit:.0f} s, p50 "
                f"{secs(out['p50'])} p99 {secs(out['p99'])} max {secs(out['max'])}; bulletin "
                f"JSON {out['payload'] / 1000:.1f} kB per client, client cpu "
                f"{out['client_cpu']:.2f} s, reconnects {out['reconnects']}",
                flush=True,
            )
            if out["error"]:
                print(f"    {out['error']}")
            missing = set(out["missing"])
            print_missing([lst for lst in listeners if lst.code in missing])
            return out
        finally:
            await close_all(tasks, listeners)
            if kind == "sse" and not self.metrics_missing:
                await self.closed_check(key)

    async def deliver(
        self, title: str, listeners: list[Listener], opened: list[Listener]
    ) -> dict[str, Any]:
        """Send one bulletin; wait until every open client has it, or the limit."""
        cpu0 = time.process_time()
        bid, t0, error = await self.send(title)
        post = time.perf_counter() - t0
        if bid is not None:
            while time.perf_counter() < t0 + self.limit:
                if all(bid in lst.seen for lst in opened):
                    break
                await asyncio.sleep(0.02)
        took = {lst.code: lst.seen[bid] - t0 for lst in listeners if bid in lst.seen}
        got = sorted(x for x in took.values() if x <= self.limit)
        return {
            "bulletin": bid,
            "post": post,
            "error": error,
            "received": len(got),
            "p50": pct(got, 0.50),
            "p99": pct(got, 0.99),
            "max": got[-1] if got else None,
            "client_cpu": time.process_time() - cpu0,
            "payload": max((lst.payload for lst in listeners), default=0),
            "reconnects": sum(lst.reconnects for lst in listeners),
            "missing": [lst.code for lst in listeners if took.get(lst.code, math.inf) > self.limit],
        }

    async def closed_check(self, key: str) -> None:
        """After the clients hang up the server should let go of them (up to 10 s)."""
        deadline, left = time.monotonic() + 10, None
        while time.monotonic() < deadline:
            left = self.total(await self.metrics(), key)
            if not left:
                return
            await asyncio.sleep(0.5)
        self.notes.append(f"{key} still {left} 10 s after every client closed")


def print_missing(missing: list[Listener]) -> None:
    if not missing:
        return
    codes = ", ".join(lst.code for lst in missing[:20])
    more = f" … and {len(missing) - 20} more" if len(missing) > 20 else ""
    print(f"    MISSING {len(missing)}: {codes}{more}")
    reasons: dict[str, int] = {}
    for lst in missing:
        reasons[lst.error or "not received"] = reasons.get(lst.error or "not received", 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])[:5]:
        print(f"      {count} × {reason}")


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    return values[max(0, math.ceil(q * len(values)) - 1)] if values else None


def secs(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}s"


def na(x: Any) -> str:
    return "n/a" if x is None else str(x)


def fmt_db(r: dict[str, Any]) -> str:
    if r.get("db") is None:
        return "n/a"
    return f"{r['db']:.1f} {'stmt' if r['db_unit'] == 'st' else 'xact'}/s"


# --- setup of one configuration and size ----------------------------------------------------


def station_codes(n: int) -> list[str]:
    return [f"XA-B{i:05d}" for i in range(1, n + 1)]


def write_stations(path: Path, codes: list[str]) -> None:
    parts = [
        f'[[station]]\ncode = "{PROVINCE}"\nname = "Tỉnh Thử nghiệm"\nkind = "province"\n'
        'timezone = "Asia/Ho_Chi_Minh"\nquiet_hours = "21:30-05:00"\n',
        f'[[station]]\ncode = "{OFFICE}"\nname = "Trung tâm Văn hóa - Thông tin khu vực Thử '
        f'nghiệm"\nkind = "region"\nparent = "{PROVINCE}"\noffice = true\n\n'
        '[[station.session]]\nname = "Sáng"\ndays = "daily"\nstart = "05:30"\nminutes = 30\n\n'
        '[[station.session]]\nname = "Chiều"\ndays = "daily"\nstart = "17:00"\nminutes = 30\n',
    ]
    for i, code in enumerate(codes, 1):
        parts.append(
            f'[[station]]\ncode = "{code}"\nname = "Đài truyền thanh xã Thử nghiệm {i}"\n'
            f'kind = "commune"\nparent = "{OFFICE}"\n'
        )
    path.write_text("\n".join(parts), encoding="utf-8")


def station_tokens(
    env: dict[str, str], folder: Path, codes: list[str]
) -> tuple[dict[str, str], str]:
    """A token per station: through the CLI when it can, else straight into the database."""
    out = folder / "tokens.csv"
    try:
        run_cli(env, folder, "tokens", "create", "--each-station-under", OFFICE, "--csv", str(out))
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = [r for r in csv.reader(fh) if len(r) >= 2]
        tokens = {r[0].strip(): r[1].strip() for r in rows if r[0].strip() != "station"}
        return tokens, "tokens create --each-station-under"
    except RunFailed as exc:
        why = "not in this broadcaster" if "No such option" in str(exc) else str(exc)
    from broadcaster.clock import SystemClock
    from broadcaster.db import Database
    from broadcaster.domain.distribution import TOKEN_PREFIX, Scope, hash_token

    db = Database(env["BROADCASTER_DATABASE_URL"])
    tokens = {}
    try:
        try:
            from broadcaster.usecases.tokens import PREFIX_CHARS

            now = SystemClock().now()
            with db.unit_of_work() as uow:  # one transaction, like create_token does per token
                for code in codes:
                    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
                    uow.tokens.add(
                        token_hash=hash_token(secret),
                        prefix=secret[:PREFIX_CHARS],
                        scope=Scope.STATION,
                        station_code=code,
                        label="bench",
                        created_at=now,
                    )
                    tokens[code] = secret
            how = "rows inserted into api_token like usecases.tokens.create_token"
        except (ImportError, TypeError, AttributeError):
            from broadcaster.usecases.tokens import create_token

            clock = SystemClock()
            for code in codes:
                tokens[code] = create_token(
                    db, clock, scope=Scope.STATION, station_code=code, label="bench"
                ).secret
            how = "usecases.tokens.create_token per station"
    finally:
        db.dispose()
    return tokens, f"{how} (tokens create --each-station-under: {why})"


def make_tone(path: Path) -> bool:
    if not shutil.which("ffmpeg"):
        return False
    with contextlib.suppress(subprocess.TimeoutExpired, subprocess.CalledProcessError):
        subprocess.run(
            [*TONE.split(), str(path)],
            check=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        return True
    return False


def base_env(folder: Path, url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BROADCASTER_", "XDG_")) and k not in ("PGTEST_PORT", "PGTEST_DIR")
    }
    env.update(
        BROADCASTER_DATABASE_URL=url,
        BROADCASTER_DATA_DIR=str(folder / "data"),
        BROADCASTER_AUDIO_DIR=str(folder / "audio"),
        BROADCASTER_CONFIG="",
        HOME=str(folder),
        PYTHONUNBUFFERED="1",
    )
    return env


async def run_one(
    name: str, n: int, root: Path, pg: Postgres | None, tone: Path | None, args: argparse.Namespace
) -> dict[str, Any]:
    backend, workers = CONFIGS[name]
    folder = root / f"{name}-{n}"
    folder.mkdir()
    load = os.getloadavg()
    result: dict[str, Any] = {"config": name, "n": n, "load": load[0]}
    print(f"\n[{name} N={n}] load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    t0 = time.perf_counter()
    if backend == "postgres":
        assert pg is not None
        pg.reset()
        url = pg.url
    else:
        url = f"sqlite:///{folder / 'bench.db'}"
    env = base_env(folder, url)
    run_cli(env, folder, "db", "upgrade", timeout=300)
    codes = station_codes(n)
    write_stations(folder / "stations.toml", codes)
    t1 = time.perf_counter()
    run_cli(env, folder, "stations", "load", str(folder / "stations.toml"))
    t2 = time.perf_counter()
    office_out = run_cli(env, folder, "tokens", "create", "--office", OFFICE, "--label", "bench")
    office_token = office_out.strip().splitlines()[-1].strip()
    tokens, how = station_tokens(env, folder, codes)
    t3 = time.perf_counter()
    if len(tokens) != n or set(tokens) != set(codes):
        print(f"    station tokens: {len(tokens)} for {n} stations (stations without one fail)")
    print(
        f"    setup {t3 - t0:.1f} s: stations load {t2 - t1:.1f} s, tokens {t3 - t2:.1f} s via {how}"
    )
    server = Server(env, folder, workers)
    try:
        await server.ready()
        print(
            f"    server: {workers} worker(s), pid {server.proc.pid}, port {server.port}, "
            f"open-files limit {nofile_of(server.proc.pid)}, processes "
            f"{len(process_tree(server.proc.pid))}",
            flush=True,
        )
        audio_hash = None
        if tone is not None:
            status, body = await call(
                server.port, "POST", "/api/v1/audio", office_token, tone.read_bytes(), "audio/mpeg"
            )
            if status == 201:
                audio_hash = json.loads(body)["hash"]
            else:
                print(f"    POST /api/v1/audio: {error_text(status, body)}; bulletins carry text")
        run = Run(
            name=name,
            n=n,
            server=server,
            office_token=office_token,
            pg=pg if backend == "postgres" else None,
            window=args.window,
            limit=args.limit,
            batch=args.batch,
            audio_hash=audio_hash,
        )
        listeners = [Listener(code, tokens.get(code)) for code in codes]
        result["sse"] = await run.phase("sse", listeners)
        result["lp"] = await run.phase("lp", listeners)
        result["notes"] = run.notes
        for note in run.notes:
            print(f"    note: {note}")
        if server.proc.poll() is not None:
            print(f"    the server exited with {server.proc.returncode}: {server.tail()}")
    finally:
        server.stop()
    return result


# --- output ----------------------------------------------------------------------------------


def print_table(name: str, rows: list[dict[str, Any]]) -> None:
    backend, workers = CONFIGS[name]
    print(f"\n{name}: {'SQLite' if backend == 'sqlite' else 'PostgreSQL'}, {workers} worker(s)")
    head = (
        f"{'N':>6} {'load':>5} | {'kind':4} {'open':>11} {'connect':>8} {'cpu%':>6} "
        f"{'db/s':>13} {'RSS MB':>7} | {'received':>11} {'p50':>7} {'p99':>7} {'max':>7} "
        f"{'recon':>5}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        if "failed" in r:
            print(f"{r['n']:>6} {r['load']:>5.2f} | failed: {r['failed']}")
            continue
        for kind in ("sse", "lp"):
            p = r.get(kind) or {}
            if "received" not in p:
                print(f"{r['n']:>6} {r['load']:>5.2f} | {kind:4} {p.get('failed', 'not run')}")
                continue
            print(
                f"{r['n']:>6} {r['load']:>5.2f} | {kind:4} {p['open']:>5}/{r['n']:<5} "
                f"{p['connect']:>7.2f}s {p['cpu']:>6.1f} {fmt_db(p):>13} {p['rss']:>7.0f} | "
                f"{p['received']:>5}/{r['n']:<5} {secs(p['p50']):>7} {secs(p['p99']):>7} "
                f"{secs(p['max']):>7} {p['reconnects']:>5}"
            )


def summary(results: list[dict[str, Any]], skipped: dict[str, str]) -> str:
    parts = []
    for r in results:
        head = f"{r['config']} N={r['n']}"
        if "failed" in r:
            parts.append(f"{head} failed")
            continue
        s, lp = r.get("sse") or {}, r.get("lp") or {}
        text = head
        if "received" in s:
            text += f" {s['received']}/{r['n']} p99 {secs(s['p99'])} idle-cpu {s['cpu']:.0f}%"
        else:
            text += " sse failed"
        if "received" in lp:
            text += f" lp {lp['received']}/{r['n']} p99 {secs(lp['p99'])}"
        else:
            text += " lp failed"
        parts.append(f"{text} load {r['load']:.1f}")
    parts += [f"{name} skipped" for name in skipped]
    return f"SUMMARY: {' | '.join(parts)} | nproc {os.cpu_count()}"


# --- main ------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    limit = raise_nofile()
    root = Path(tempfile.mkdtemp(prefix="bench-emergency-"))
    pg: Postgres | None = None
    skipped: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    try:
        load = os.getloadavg()
        ports = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        print(
            f"bench_emergency: nproc {os.cpu_count()} (usable {len(os.sched_getaffinity(0))}), "
            f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, open-files limit {limit}, "
            f"ephemeral ports {int(ports[1]) - int(ports[0]) + 1}, work folder {root}"
        )
        print(
            f"configs {', '.join(args.configs)}; N {', '.join(map(str, args.sizes))}; idle window "
            f"{args.window:.0f} s; delivery limit {args.limit:.0f} s; batches of {args.batch}"
        )
        if max(args.sizes) + 100 > limit:
            print(f"warning: open-files limit {limit} is below N + 100: connections will fail")
        if any(CONFIGS[c][0] == "postgres" for c in args.configs):
            url = args.postgres or os.environ.get("BROADCASTER_TEST_POSTGRES_URL")
            if url:
                pg = Postgres(
                    url, "--postgres" if args.postgres else "$BROADCASTER_TEST_POSTGRES_URL"
                )
                print(f"postgres: {pg.origin}; its public schema is dropped before each size")
            else:
                pg, why = start_postgres(Path(tempfile.mkdtemp(prefix="bench-emergency-pg-")))
                print(f"postgres: {pg.origin}" if pg else f"postgres: skipped: {why}")
                if pg is None:
                    skipped.update({c: why for c in args.configs if CONFIGS[c][0] == "postgres"})
        tone = root / "tone.mp3"
        if not make_tone(tone):
            print("ffmpeg could not make a tone: bulletins carry text instead of audio")
            tone = None
        for name in args.configs:
            if name in skipped:
                continue
            rows = []
            for n in args.sizes:
                try:
                    r = await run_one(name, n, root, pg, tone, args)
                except RunFailed as exc:
                    print(f"    FAILED: {exc}")
                    r = {"config": name, "n": n, "load": os.getloadavg()[0], "failed": str(exc)}
                rows.append(r)
                results.append(r)
            print_table(name, rows)
        (root / "results.json").write_text(json.dumps(results, indent=1, default=str))
    finally:
        if pg is not None:
            stop_postgres(pg)
        if args.keep:
            print(f"\nkept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print()
    for name, why in skipped.items():
        print(f"{name}: skipped: {why}")
    print(summary(results, skipped))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="N 100 and 1000, sqlite-1w and pg-3w, 5 s windows"
    )
    parser.add_argument("--sizes", help="comma-separated N, e.g. 100,1000")
    parser.add_argument("--configs", help=f"comma-separated, of {', '.join(CONFIGS)}")
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL to use (its schema is dropped)"
    )
    parser.add_argument("--window", type=float, help="idle window in seconds (10, --quick 5)")
    parser.add_argument("--limit", type=float, default=60.0, help="delivery limit in seconds")
    parser.add_argument("--batch", type=int, default=250, help="connections opened at a time")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    sizes = args.sizes or ("100,1000" if args.quick else ",".join(map(str, SIZES)))
    args.sizes = [int(s) for s in sizes.split(",") if s.strip()]
    configs = args.configs or ("sqlite-1w,pg-3w" if args.quick else ",".join(CONFIGS))
    args.configs = [c.strip() for c in configs.split(",") if c.strip()]
    unknown = [c for c in args.configs if c not in CONFIGS]
    if unknown:
        parser.error(f"unknown config {', '.join(unknown)}; choose from {', '.join(CONFIGS)}")
    args.window = args.window or (5.0 if args.quick else 10.0)

    def terminate(_sig: int, _frame: Any) -> None:
        raise SystemExit(143)  # so that the finally blocks stop the servers

    signal.signal(signal.SIGTERM, terminate)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
