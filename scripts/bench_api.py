"""Benchmark the HTTP API on 127.0.0.1, with nginx serving the same playlist as the reference.

    .venv/bin/python scripts/bench_api.py [--seconds 4] [--quick] [--no-stack]

Measures, each for a bounded time:
- playlist pulls per second and p50/p99 latency at 50 and 200 concurrent clients, full
  responses and ETag hits (If-None-Match → 304);
- airing-log ingestion in records per second, batches of 100;
- the same playlist JSON as a static file from nginx (Debian's), same clients, same concurrency.

First the API as ``uvicorn`` in its own process (one worker, SQLite), so the load generator does
not share its interpreter; then the deployed stack (scripts/bench_api_stack.py: nginx with TLS
→ 2 workers → PostgreSQL, pulls measured with wrk through nginx and directly, audio through
X-Accel-Redirect, each beside nginx static on the same bytes). The load generator is a minimal keep-alive HTTP/1.1 client on asyncio
streams (httpx would be the bottleneck). The last line is a one-line summary.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STATION = "XA-DAKMIL"


# --- the server side (run in a child process) ----------------------------------------------------


def build_playlist(day: date, hashes: list[str]) -> dict[str, Any]:
    """A realistic day: three sessions of 12 announcements with chimes between them."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    sessions = []
    for name, hour in (("Sáng", 5), ("Trưa", 11), ("Chiều", 17)):
        t = datetime.combine(day, datetime.min.time(), tz).replace(hour=hour, minute=30)
        entries = []
        for i in range(12):
            h = hashes[i % len(hashes)]
            entries.append(
                {
                    "id": f"{day}-{name}-{i}",
                    "start": t.isoformat(),
                    "duration_ms": 95_000,
                    "title": f"Tuyên truyền phòng, chống dịch sốt xuất huyết — bài {i + 1}",
                    "kind": "announcement",
                    "item_id": 100 + i,
                    "priority": "normal",
                    "basis": "Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh",
                    "audio": {"hash": h, "sha256": h},
                }
            )
            t += timedelta(seconds=100)
        sessions.append({"name": name, "entries": entries})
    return {
        "station": {
            "code": STATION,
            "name": "Đài truyền thanh xã Đắk Mil",
            "timezone": "Asia/Ho_Chi_Minh",
        },
        "date": day.isoformat(),
        "plan_version": 1,
        "sessions": sessions,
    }


class FileSource:
    """Playlists rendered once from JSON files: what a cached published-plan source costs."""

    def __init__(self, folder: Path) -> None:
        from broadcaster.usecases.published_playlists import RenderedPlaylist

        self.cache: dict[tuple[str, date], Any] = {}
        for p in folder.glob("*.json"):
            day = date.fromisoformat(p.stem)
            body = p.read_bytes()
            self.cache[(STATION, day)] = RenderedPlaylist(STATION, day, 1, body, b"#EXTM3U\n")

    def render(self, station: str, day: date) -> Any:
        return self.cache.get((station, day))

    def peek(self, station: str, day: date) -> Any:
        return self.cache.get((station, day))


def serve(workdir: Path, port: int) -> None:
    import uvicorn

    from broadcaster.api import create_app
    from broadcaster.config import load_settings

    settings = load_settings(None, json.loads((workdir / "env.json").read_text()))
    app = create_app(settings, playlist_source=FileSource(workdir / "static"))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- setup ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(workdir: Path) -> tuple[str, str, list[date]]:
    """Database with the example office, a station token, playlists; returns token, day, days."""
    from broadcaster.clock import SystemClock
    from broadcaster.config import load_settings
    from broadcaster.db import Database
    from broadcaster.domain.distribution import Scope
    from broadcaster.usecases.stations import load_stations
    from broadcaster.usecases.tokens import create_token

    env = {
        "BROADCASTER_DATA_DIR": str(workdir / "data"),
        "BROADCASTER_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "BROADCASTER_AUDIO_DIR": str(workdir / "audio"),
        "HOME": str(workdir),
    }
    (workdir / "env.json").write_text(json.dumps(env))
    settings = load_settings(None, env)
    db = Database(settings.database_url)
    db.upgrade()
    load_stations(db, REPO / "schedules" / "example.toml")
    token = create_token(db, SystemClock(), scope=Scope.STATION, station_code=STATION).secret
    db.dispose()
    static = workdir / "static"
    static.mkdir()
    today = SystemClock().now().date()
    days = [today + timedelta(days=i) for i in range(8)]
    hashes = [uuid.uuid4().hex + uuid.uuid4().hex for _ in range(12)]
    for d in days:
        (static / f"{d}.json").write_text(json.dumps(build_playlist(d, hashes), ensure_ascii=False))
    return token, today.isoformat(), days


def start_api(workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(workdir), str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "api.log").open("wb"),
    )
    wait_for_port(port, proc)
    return proc, port


def start_nginx(workdir: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        return None
    port = free_port()
    conf = workdir / "nginx.conf"
    tmp = workdir / "nginx-tmp"
    tmp.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    keepalive_requests 1000000;
    types {{ application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        root {workdir}/static;
        etag on;
    }}
}}
""")
    proc = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, proc)
    return proc, port


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the load generator --------------------------------------------------------------------------


class Conn:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int, tls: Any = None) -> None:
        self.port = port
        self.tls = tls
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port, ssl=self.tls
            )
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lname = name.strip().lower()
            if lname == b"content-length":
                length = int(value)
            elif lname == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def get_request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def load(
    port: int, make: Any, clients: int, seconds: float, expect: int, tls: Any = None
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    done = 0
    stop_at = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        nonlocal errors, done
        conn = Conn(port, tls)
        i = 0
        while time.perf_counter() < stop_at:
            raw = make(n, i)
            i += 1
            t0 = time.perf_counter()
            try:
                status, _ = await conn.request(raw)
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                await conn.close()
                continue
            latencies.append(time.perf_counter() - t0)
            done += 1
            if status != expect:
                errors += 1
        await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    elapsed = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 100 else [0.0] * 99
    return {
        "rps": done / elapsed,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "errors": errors,
        "n": done,
    }


def post_request(path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
    ] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def airing_batch(start_ns: str, n: int) -> bytes:
    from broadcaster.clock import SystemClock

    base = SystemClock().now().replace(microsecond=0)
    return json.dumps(
        {
            "airings": [
                {
                    "event_id": f"b{start_ns}-{i}",
                    "status": "aired",
                    "entry_id": f"e{i}",
                    "planned_start": (base + timedelta(seconds=i)).isoformat(),
                    "actual_start": (base + timedelta(seconds=i)).isoformat(),
                    "actual_end": (base + timedelta(seconds=i + 60)).isoformat(),
                    "title": "Tuyên truyền phòng, chống dịch",
                    "segment_hash": "ab" * 32,
                }
                for i in range(n)
            ]
        }
    ).encode()


async def fetch_etag(port: int, raw: bytes) -> str:
    conn = Conn(port)
    reader_writer = await asyncio.open_connection("127.0.0.1", port)
    conn.reader, conn.writer = reader_writer
    conn.writer.write(raw)
    head = await conn.reader.readuntil(b"\r\n\r\n")
    await conn.close()
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"etag:"):
            return line.split(b":", 1)[1].strip().decode()
    raise SystemExit("no ETag in the answer")


def fmt(r: dict[str, float]) -> str:
    return f"{r['rps']:8.0f}/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:7.1f} ms  errors {r['errors']:.0f}"


async def run(args: argparse.Namespace) -> str:
    seconds = 2.0 if args.quick else args.seconds
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        workdir = Path(tmp)
        token, today, _days = prepare(workdir)
        api, api_port = start_api(workdir)
        ngx = start_nginx(workdir)
        auth = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/stations/{STATION}/playlists/{today}"
        results: dict[str, dict[str, float]] = {}
        try:
            size = len((workdir / "static" / f"{today}.json").read_bytes())
            print(
                f"playlist: {size / 1000:.1f} kB JSON, {seconds:.0f} s per run, "
                f"{os.cpu_count()} CPUs, API: 1 uvicorn worker, SQLite"
            )
            api_etag = await fetch_etag(api_port, get_request(path, auth))
            for clients in (50, 200):
                full = get_request(path, auth)
                hit = get_request(path, {**auth, "If-None-Match": api_etag})
                results[f"api_full_{clients}"] = await load(
                    api_port, lambda _n, _i, r=full: r, clients, seconds, 200
                )
                results[f"api_etag_{clients}"] = await load(
                    api_port, lambda _n, _i, r=hit: r, clients, seconds, 304
                )
                print(f"API   {clients:3d} clients  full  {fmt(results[f'api_full_{clients}'])}")
                print(f"API   {clients:3d} clients  ETag  {fmt(results[f'api_etag_{clients}'])}")
            if ngx is not None:
                static_path = f"/{today}.json"
                ngx_etag = await fetch_etag(ngx[1], get_request(static_path, {}))
                for clients in (50, 200):
                    full = get_request(static_path, {})
                    hit = get_request(static_path, {"If-None-Match": ngx_etag})
                    results[f"ngx_full_{clients}"] = await load(
                        ngx[1], lambda _n, _i, r=full: r, clients, seconds, 200
                    )
                    results[f"ngx_etag_{clients}"] = await load(
                        ngx[1], lambda _n, _i, r=hit: r, clients, seconds, 304
                    )
                    print(
                        f"nginx {clients:3d} clients  full  {fmt(results[f'ngx_full_{clients}'])}"
                    )
                    print(
                        f"nginx {clients:3d} clients  ETag  {fmt(results[f'ngx_etag_{clients}'])}"
                    )
            run_id = uuid.uuid4().hex[:8]

            def batch(n: int, i: int) -> bytes:
                return post_request(
                    f"/api/v1/stations/{STATION}/airings",
                    auth,
                    airing_batch(f"{run_id}-{n}-{i}", 100),
                )

            ingest = await load(api_port, batch, 8, seconds, 200)
            results["ingest"] = ingest
            print(
                f"ingest  8 clients  batches of 100: {ingest['rps'] * 100:8.0f} records/s "
                f"({ingest['rps']:.0f} batches/s, p50 {ingest['p50']:.1f} ms, "
                f"p99 {ingest['p99']:.1f} ms, errors {ingest['errors']:.0f})"
            )
        finally:
            stop(api)
            if ngx is not None:
                stop(ngx[0], signal.SIGQUIT)
        ratios = []
        if ngx is not None:
            for kind in ("full", "etag"):
                for clients in (50, 200):
                    a, n = results[f"api_{kind}_{clients}"], results[f"ngx_{kind}_{clients}"]
                    ratio = a["rps"] / n["rps"] if n["rps"] else 0.0
                    ratios.append(ratio)
                    print(
                        f"ratio API/nginx {kind:4s} at {clients:3d} clients: {ratio:.3f} "
                        f"(p50 {a['p50']:.1f} vs {n['p50']:.1f} ms)"
                    )
        summary = (
            f"SUMMARY playlist pulls/s API full {results['api_full_50']['rps']:.0f}@50 "
            f"{results['api_full_200']['rps']:.0f}@200, ETag {results['api_etag_50']['rps']:.0f}@50 "
            f"{results['api_etag_200']['rps']:.0f}@200 (p99 {results['api_full_200']['p99']:.0f} ms@200); "
        )
        if ngx is not None:
            summary += (
                f"nginx full {results['ngx_full_50']['rps']:.0f}@50 "
                f"{results['ngx_full_200']['rps']:.0f}@200; API/nginx "
                f"{min(ratios):.3f}–{max(ratios):.3f}; "
            )
        summary += f"ingest {results['ingest']['rps'] * 100:.0f} records/s (batches of 100)"
        return summary


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each run")
    parser.add_argument("--quick", action="store_true", help="2 s per run")
    parser.add_argument(
        "--no-stack", action="store_true", help="only the single worker, not the deployed stack"
    )
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    single = asyncio.run(run(args))
    print(single.replace("SUMMARY ", "single worker: "))
    sys.path.insert(0, str(REPO / "scripts"))
    import bench_api_stack

    why = None if not args.no_stack else "--no-stack"
    why = why or bench_api_stack.available()
    if why is not None:
        print(f"SUMMARY {single.removeprefix('SUMMARY ')}; deployed stack not measured: {why}")
        return
    stack = bench_api_stack.run_stack(
        2.0 if args.quick else args.seconds, airing_batch, post_request, load
    )
    print(
        f"SUMMARY {bench_api_stack.summary(stack)}; single worker SQLite: "
        f"{single.removeprefix('SUMMARY playlist pulls/s ')}"
    )


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (5 min {five:.2f}, {os.cpu_count()} CPUs)"


if __name__ == "__main__":
    main()
