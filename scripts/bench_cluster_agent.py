"""Peak memory of a loudspeaker cluster's agent while it plays (issue 22).

    .venv/bin/python scripts/bench_cluster_agent.py [--entries 6] [--player null|mpg123|ffplay]

Set-up, in a temporary folder: an office database with schedules/example.toml, a station token
for the cluster XA-DAKMIL-L1, three tone MP3s (ffmpeg) and a compressed playlist published for
its commune XA-DAKMIL (an entry every 3 s, 2 s long), served by the real API under uvicorn in
this process. Then ``broadcaster agent run --station XA-DAKMIL-L1`` runs as its own process:
it pulls its commune's playlist, plays every entry, logs each under its own code. Its resident
memory is sampled from /proc every 0.1 s while it plays; its peak (VmHWM) is read before it
stops. The player's own process (mpg123, ffplay) is not counted: it is a separate program.

Prints the figures, last a one-line ``SUMMARY: peak_rss_mb=… played=… …``. Exit status 0 when
every entry was logged at the office and the peak is within 100 MB, else 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcaster.api import create_app  # noqa: E402
from broadcaster.audio.store import store_audio  # noqa: E402
from broadcaster.clock import SystemClock  # noqa: E402
from broadcaster.config import load_settings  # noqa: E402
from broadcaster.db import Database  # noqa: E402
from broadcaster.domain.distribution import Scope  # noqa: E402
from broadcaster.usecases.published_playlists import StaticPlaylists  # noqa: E402
from broadcaster.usecases.stations import load_stations  # noqa: E402
from broadcaster.usecases.tokens import create_token  # noqa: E402

CLUSTER, COMMUNE = "XA-DAKMIL-L1", "XA-DAKMIL"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LIMIT_MB = 100


def tone(tmp: Path, freq: int) -> bytes:
    out = tmp / f"tone-{freq}.mp3"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency={freq}:duration=2", "-ac", "1", "-b:a", "32k", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=6)
    ap.add_argument("--player", default="null")
    args = ap.parse_args()
    import uvicorn

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            "BROADCASTER_DATA_DIR": str(tmp / "data"),
            "BROADCASTER_DATABASE_URL": f"sqlite:///{tmp / 'office.db'}",
            "BROADCASTER_AUDIO_DIR": str(tmp / "audio"),
            "HOME": str(tmp),
        }
        settings = load_settings(None, env)
        db = Database(settings.database_url)
        db.upgrade()
        load_stations(db, REPO / "schedules" / "example.toml")
        token = create_token(
            db, SystemClock(), scope=Scope.STATION, station_code=CLUSTER, label="bench"
        ).secret
        hashes = [store_audio(settings.audio_cache_dir, tone(tmp, f))[0] for f in (440, 550, 660)]
        first = SystemClock().now() + timedelta(seconds=8)
        entries = [
            {
                "id": f"bench-{i}",
                "start": (first + timedelta(seconds=3 * i)).astimezone(TZ).isoformat(),
                "duration_ms": 2000,
                "title": f"Tin số {i + 1}",
                "kind": "announcement",
                "audio": {"hash": hashes[i % 3]},
            }
            for i in range(args.entries)
        ]
        source = StaticPlaylists()
        source.put(
            {
                "station": {"code": COMMUNE, "timezone": "Asia/Ho_Chi_Minh"},
                "date": first.astimezone(TZ).date().isoformat(),
                "plan_version": 1,
                "sessions": [{"name": "Thử", "entries": entries}],
            }
        )
        app = create_app(settings, database=db, playlist_source=source)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        agent_env = {
            **os.environ,
            "HOME": str(tmp),
            "BROADCASTER_CONFIG": "",
            "BROADCASTER_AGENT_TOKEN": token,
            "BROADCASTER_AGENT_SYNC_SECONDS": "0.5",
            "BROADCASTER_AGENT_HEARTBEAT_SECONDS": "2",
        }
        argv = [str(Path(sys.executable).parent / "broadcaster"), "agent", "run",
                "--station", CLUSTER, "--server", f"http://127.0.0.1:{port}",
                "--folder", str(tmp / "cluster"), "--player", args.player]  # fmt: skip
        log = (tmp / "agent.log").open("wb")
        proc = subprocess.Popen(argv, env=agent_env, stdout=log, stderr=subprocess.STDOUT)
        peak_rss = 0
        end = first + timedelta(seconds=3 * args.entries + 4)
        played = 0
        while SystemClock().now() < end + timedelta(seconds=10):
            peak_rss = max(peak_rss, status_kb(proc.pid, "VmRSS"))
            with db.unit_of_work() as uow:
                played = len(uow.airings.list(stations=[CLUSTER]))
            if played >= args.entries or proc.poll() is not None:
                break
            time.sleep(0.1)
        hwm = status_kb(proc.pid, "VmHWM")
        proc.terminate()
        proc.wait(timeout=20)
        server.should_exit = True
        peak_mb = max(hwm, peak_rss) / 1024
        print(f"agent: {CLUSTER} playing {COMMUNE}'s playlist with player {args.player}")
        print(f"entries logged at the office under {CLUSTER}: {played} of {args.entries}")
        print(
            f"peak resident memory (VmHWM): {hwm / 1024:.1f} MB; sampled max {peak_rss / 1024:.1f} MB"
        )
        ok = played >= args.entries and peak_mb <= LIMIT_MB
        if not ok:
            print((tmp / "agent.log").read_text(errors="replace")[-3000:])
        print(
            f"SUMMARY: peak_rss_mb={peak_mb:.1f} limit_mb={LIMIT_MB} played={played}/"
            f"{args.entries} player={args.player} ok={ok}"
        )
        db.dispose()
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
