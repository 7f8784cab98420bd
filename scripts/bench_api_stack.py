"""The deployed stack's half of scripts/bench_api.py: nginx (TLS) → 2 workers → PostgreSQL.

Pulls are measured with wrk (Debian's package: a C load generator, so the client does not eat
the CPU the server needs), through nginx and directly on the workers, beside nginx serving the
same playlist bytes and the same audio file as static files from the same TLS server. Airing
ingestion uses bench_api's asyncio client (each request carries 100 records).
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import ssl
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx
from deploy_stack import STATION, Stack

#: the benchmark's reference: the same bytes as static files of the same nginx server
STATIC_LOCATION = """
    location /_bench_static/ {{
        alias {folder}/;
        etag on;
    }}
"""


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def wrk(url: str, clients: int, seconds: float, headers: dict[str, str]) -> dict[str, float]:
    """One wrk run: requests/s, p50 and p99 in ms, bytes/s, errors (non-2xx/3xx, sockets)."""
    argv = [
        "wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "5s",
    ]  # fmt: skip
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run([*argv, url], check=True, capture_output=True, text=True).stdout
    return {
        "rps": _number(r"Requests/sec:\s+([\d.]+)", out),
        "p50": _latency(out, "50%"),
        "p99": _latency(out, "99%"),
        "bytes": _size(re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)),
        "errors": _number(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        + sum(float(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)),
    }


def _number(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else 0.0


def _latency(text: str, quantile: str) -> float:
    found = re.search(rf"{re.escape(quantile)}\s+([\d.]+)(us|ms|s)\b", text)
    if not found:
        return 0.0
    value, unit = float(found.group(1)), found.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _size(found: re.Match[str] | None) -> float:
    if not found:
        return 0.0
    scale = {"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
    return float(found.group(1)) * scale.get(found.group(2), 1)


def _fmt(r: dict[str, float]) -> str:
    return (
        f"{r['rps']:8.0f}/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:7.1f} ms  "
        f"errors {r['errors']:.0f}"
    )


def _tone(folder: Path) -> bytes:
    """Two minutes of speech-sized audio (64 kbps mono MP3, about 1 MB)."""
    out = folder / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=120", "-ac", "1", "-b:a", "64k", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def _prepare(stack: Stack, static: Path, tls: ssl.SSLContext) -> dict[str, str]:
    """A bulletin with uploaded audio (so the station may fetch it), and the static copies."""
    office = {"Authorization": f"Bearer {stack.tokens['KV-DAKMIL']}"}
    station = {"Authorization": f"Bearer {stack.tokens[STATION]}"}
    tone = _tone(static)
    with httpx.Client(base_url=stack.url, verify=tls, timeout=60) as c:
        up = c.post("/api/v1/audio", content=tone, headers={**office, "Content-Type": "audio/mpeg"})
        up.raise_for_status()
        audio_hash = up.json()["hash"]
        c.post(
            "/api/v1/emergencies",
            json={"title": "Thử tải", "audio_hash": audio_hash, "stations": [STATION]},
            headers=office,
        ).raise_for_status()
        playlist = f"/api/v1/stations/{STATION}/playlists/{stack.day.isoformat()}"
        r = c.get(playlist, headers=station)
        r.raise_for_status()
        (static / "playlist.json").write_bytes(r.content)
        static_etag = c.get("/_bench_static/playlist.json").headers["etag"]
    return {
        "playlist": playlist,
        "etag": r.headers["etag"],
        "static_etag": static_etag,
        "audio": f"/api/v1/audio/{audio_hash}",
        "size": str(len(r.content)),
        "audio_size": str(len(tone)),
    }


def run_stack(seconds: float, airing_batch: Any, post_request: Any, load: Any) -> dict[str, Any]:
    """Boot the stack, measure, stop; the figures by name."""
    from bench_api import load_average

    with tempfile.TemporaryDirectory(prefix="bench-stack-") as tmp:
        root = Path(tmp)
        static = root / "static"
        static.mkdir()
        stack = Stack(
            root / "stack", workers=2, extra_locations=STATIC_LOCATION.format(folder=static)
        )
        stack.start()
        try:
            tls = ssl.create_default_context(cafile=str(stack.certificate))
            paths = _prepare(stack, static, tls)
            return _measure(stack, paths, seconds, tls, airing_batch, post_request, load)
        finally:
            print(f"stack stopped; load average {load_average()}")
            stack.stop()


def _measure(
    stack: Stack,
    paths: dict[str, str],
    seconds: float,
    tls: ssl.SSLContext,
    airing_batch: Any,
    post_request: Any,
    load: Any,
) -> dict[str, Any]:
    from bench_api import load_average

    auth = {"Authorization": f"Bearer {stack.tokens[STATION]}"}
    results: dict[str, Any] = {"size": int(paths["size"]), "audio_size": int(paths["audio_size"])}
    print(
        f"stack: nginx (TLS) → 2 uvicorn workers → PostgreSQL; playlist {results['size'] / 1000:.1f}"
        f" kB, audio {results['audio_size'] / 1e6:.2f} MB; wrk -t2, {seconds:.0f} s per run; "
        f"load average {load_average()}"
    )
    runs = {
        "nginx_full": (stack.url + paths["playlist"], auth),
        "nginx_etag": (stack.url + paths["playlist"], {**auth, "If-None-Match": paths["etag"]}),
        "direct_full": (stack.app_url + paths["playlist"], auth),
        "direct_etag": (
            stack.app_url + paths["playlist"],
            {**auth, "If-None-Match": paths["etag"]},
        ),
        "static_full": (stack.url + "/_bench_static/playlist.json", {}),
        "static_etag": (
            stack.url + "/_bench_static/playlist.json",
            {"If-None-Match": paths["static_etag"]},
        ),
    }
    for clients in (50, 200):
        for name, (url, headers) in runs.items():
            r = results[f"{name}_{clients}"] = wrk(url, clients, seconds, headers)
            print(f"{name:12s} {clients:3d} clients  {_fmt(r)}")
    for name, url, headers in (
        ("audio_nginx", stack.url + paths["audio"], auth),
        ("audio_static", stack.url + "/_bench_static/tone.mp3", {}),
    ):
        r = results[name] = wrk(url, 50, seconds, headers)
        print(f"{name:12s}  50 clients  {r['bytes'] / 1e6:8.1f} MB/s  {_fmt(r)}")
    results["ingest"] = _ingest(stack, seconds, tls, airing_batch, post_request, load)
    return results


def _ingest(
    stack: Stack, seconds: float, tls: ssl.SSLContext, airing_batch: Any, post_request: Any,
    load: Any,
) -> dict[str, dict[str, float]]:  # fmt: skip
    """Batches of 100 new records from 8 connections, through nginx and directly. With wrk
    (and scripts/data/airing_batches.lua making each batch's event ids) when it is installed,
    else bench_api's asyncio client. The figure is what PostgreSQL holds afterwards: records
    stored per second, not answers received."""
    out = {}
    for where, base, port, context in (
        ("nginx", stack.url, stack.https_port, tls),
        ("direct", stack.app_url, stack.app_port, None),
    ):
        run_id = uuid.uuid4().hex[:8]
        before = _stored(stack)
        if wrk_binary():
            r = _wrk_ingest(base, run_id, seconds, stack.tokens[STATION])
        else:
            auth = {"Authorization": f"Bearer {stack.tokens[STATION]}"}

            def batch(n: int, i: int, run_id: str = run_id, auth: Any = auth) -> bytes:
                path = f"/api/v1/stations/{STATION}/airings"
                return post_request(path, auth, airing_batch(f"{run_id}-{n}-{i}", 100))

            r = asyncio.run(load(port, batch, 8, seconds, 200, tls=context))
        r["stored_per_s"] = (_stored(stack) - before) / r.get("seconds", seconds)
        out[where] = r
        print(
            f"ingest {where:6s} 8 clients, batches of 100: {r['stored_per_s']:8.0f} records/s "
            f"stored (p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, errors {r['errors']:.0f})"
        )
    return out


def _wrk_ingest(base: str, run_id: str, seconds: float, token: str) -> dict[str, float]:
    from broadcaster.clock import SystemClock

    script = Path(__file__).with_name("data") / "airing_batches.lua"
    start = SystemClock().now().replace(microsecond=0).isoformat()
    whole = max(1, round(seconds))
    argv = ["wrk", "-t2", "-c8", f"-d{whole}s", "--latency", "--timeout", "5s", "-s", str(script)]
    argv += [base, "--", run_id, "100", STATION, token, start]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return {
        "rps": _number(r"Requests/sec:\s+([\d.]+)", out),
        "p50": _latency(out, "50%"),
        "p99": _latency(out, "99%"),
        "errors": _number(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        + sum(float(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)),
        "seconds": float(whole),
    }


def _stored(stack: Stack) -> int:
    import psycopg

    assert stack.db is not None
    dsn = stack.db.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM airing").fetchone()
    return int(row[0]) if row else 0


def summary(r: dict[str, Any]) -> str:
    ratio = min(
        r[f"nginx_{k}_{c}"]["rps"] / r[f"static_{k}_{c}"]["rps"]
        for k in ("full", "etag")
        for c in (50, 200)
        if r[f"static_{k}_{c}"]["rps"]
    )
    audio = (
        r["audio_nginx"]["bytes"] / r["audio_static"]["bytes"] if r["audio_static"]["bytes"] else 0
    )
    return (
        f"stack pulls/s nginx {r['nginx_full_50']['rps']:.0f}@50 {r['nginx_full_200']['rps']:.0f}@200 "
        f"(p99 {r['nginx_full_200']['p99']:.0f} ms@200), 304 {r['nginx_etag_200']['rps']:.0f}@200, "
        f"static {r['static_full_200']['rps']:.0f}@200, worst ratio {ratio:.2f}; direct 2 workers "
        f"{r['direct_full_50']['rps']:.0f}@50 {r['direct_full_200']['rps']:.0f}@200; audio "
        f"{r['audio_nginx']['bytes'] / 1e6:.0f} MB/s ({audio:.2f} of static); ingest PostgreSQL "
        f"{r['ingest']['nginx']['stored_per_s']:.0f} records/s stored via nginx, "
        f"{r['ingest']['direct']['stored_per_s']:.0f} direct"
    )


def dump(results: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")


def available() -> str | None:
    """Why the stack cannot be measured here, or None."""
    from deploy_stack import nginx_binary

    if wrk_binary() is None:
        return "wrk is not installed (apt-get install wrk)"
    if nginx_binary() is None:
        return "nginx is not installed"
    if shutil.which("ffmpeg") is None:
        return "ffmpeg is not installed"
    return None
