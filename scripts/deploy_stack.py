"""Boot the production deployment of ``deploy/`` in a scratch folder, for real, on this machine.

    .venv/bin/python scripts/deploy_stack.py [--workers 2]   # boots it, prints its URL, waits

The files of ``deploy/`` are used as an office would install them, with only their paths and
ports moved into the scratch folder: nginx runs ``deploy/nginx/broadcaster.conf`` (TLS with a
self-signed certificate made here, the X-Accel-Redirect audio location, unbuffered event
streams), the app runs the command of ``deploy/systemd/broadcaster-api.service`` with
``deploy/etc/broadcaster.toml`` (PostgreSQL, several workers, ``accel_redirect``), and the
office is set up through the CLI as deploy/README.md says (stations, a guidance document, its
items approved, this week planned and published, tokens). Used by the deployment test
(tests/deploy) and by ``scripts/bench_api.py --stack``.

PostgreSQL: a fresh database in the server named by ``BROADCASTER_TEST_POSTGRES_URL`` (CI has
one), else a throwaway server from scripts/postgres_test_server.sh.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
OFFICE = "KV-DAKMIL"
STATION = "XA-DAKMIL"

#: the office's guidance for the week (no dates that end it, so it plans any week)
GUIDANCE = """ỦY BAN NHÂN DÂN XÃ ĐẮK MIL
Số: 12/KH-UBND
Đắk Mil, ngày 20 tháng 11 năm 2026

KẾ HOẠCH
Tuyên truyền trên hệ thống truyền thanh xã

I. NỘI DUNG TUYÊN TRUYỀN
1. Tuyên truyền phòng, chống dịch sốt xuất huyết: diệt lăng quăng, bọ gậy, ngủ màn, đến cơ sở y \
tế khi sốt cao.
2. Tuyên truyền bảo đảm trật tự an toàn giao thông dịp cuối năm: đội mũ bảo hiểm, đã uống rượu \
bia thì không lái xe.
3. Tuyên truyền phòng cháy, chữa cháy rừng mùa khô: không đốt nương rẫy khi trời nắng gió.
4. Tuyên truyền chuyển đổi số: cài đặt và sử dụng ứng dụng VNeID, thanh toán không dùng tiền mặt.
5. Tuyên truyền phòng, chống lừa đảo qua mạng: không cung cấp mã OTP, không chuyển tiền cho \
người lạ.
6. Tuyên truyền an toàn thực phẩm dịp Tết: chọn thực phẩm rõ nguồn gốc, bảo quản đúng cách.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what}: nothing listens on port {port} after {timeout} s")


def stop(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if proc is not None and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


# --- PostgreSQL ------------------------------------------------------------------------------------


@dataclass
class Postgres:
    """A database of its own for one stack, dropped at the end."""

    url: str
    _admin: str = ""
    _name: str = ""
    _server_dir: str | None = None

    @classmethod
    def fresh(cls) -> Postgres:
        base = os.environ.get("BROADCASTER_TEST_POSTGRES_URL")
        server_dir = None
        if not base:
            out = subprocess.run(
                ["bash", str(REPO / "scripts" / "postgres_test_server.sh"), "start"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            found = dict(re.findall(r"export (\w+)=(\S+)", out))
            base, server_dir = found["BROADCASTER_TEST_POSTGRES_URL"], found["PGTEST_DIR"]
        name = f"bc_stack_{uuid.uuid4().hex[:10]}"
        admin = base.replace("postgresql+psycopg://", "postgresql://")
        _execute(admin, f'CREATE DATABASE "{name}"')
        url = base.rsplit("/", 1)[0] + f"/{name}"
        return cls(url=url, _admin=admin, _name=name, _server_dir=server_dir)

    def drop(self) -> None:
        with contextlib.suppress(Exception):
            _execute(self._admin, f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)')
        if self._server_dir:
            subprocess.run(
                [
                    "bash",
                    str(REPO / "scripts" / "postgres_test_server.sh"),
                    "stop",
                    self._server_dir,
                ],
                check=False,
                capture_output=True,
            )


def _execute(dsn: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


# --- the stack -------------------------------------------------------------------------------------


@dataclass
class Stack:
    """nginx (TLS) → ``broadcaster serve --workers N`` → PostgreSQL, as deploy/ installs them."""

    root: Path
    workers: int = 2
    #: more nginx ``location`` blocks for the TLS server (the benchmark's static reference)
    extra_locations: str = ""
    https_port: int = 0
    http_port: int = 0
    app_port: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    db: Postgres | None = None
    _app: subprocess.Popen[bytes] | None = None
    _nginx: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def app_url(self) -> str:
        """The workers themselves, without nginx (for the benchmark's 'direct' figures)."""
        return f"http://127.0.0.1:{self.app_port}"

    @property
    def day(self) -> date:
        """Tomorrow in the stations' zone, whose playlist is published: all its sessions are
        still ahead whatever the hour (today's are not planned once they have passed)."""
        from datetime import timedelta
        from zoneinfo import ZoneInfo

        from broadcaster.clock import SystemClock

        now = SystemClock().now().astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
        return now.date() + timedelta(days=1)

    @property
    def certificate(self) -> Path:
        return self.root / "tls" / "fullchain.pem"

    @property
    def audio_cache(self) -> Path:
        return self.root / "var" / "audio" / "cache"

    def start(self) -> Stack:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        for sub in ("var", "etc", "log", "tls", "nginx-tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.https_port, self.http_port, self.app_port = free_port(), free_port(), free_port()
        self._certificate()
        self.db = Postgres.fresh()
        self._settings()
        self._office()
        self._app = self._serve()
        wait_for_port(self.app_port, self._app, "broadcaster serve")
        self._nginx = self._start_nginx(binary)
        wait_for_port(self.https_port, self._nginx, "nginx")
        return self

    def stop(self) -> None:
        stop(self._nginx, signal.SIGQUIT)
        stop(self._app)
        if self.db is not None:
            self.db.drop()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the pieces ----------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        assert self.db is not None
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "LANG": "C.UTF-8",
            "BROADCASTER_CONFIG": str(self.root / "etc" / "broadcaster.toml"),
            "BROADCASTER_DATABASE_URL": self.db.url,
        }

    def cli(self, *args: str) -> str:
        """Run ``broadcaster …`` as the office's administrator would on the server."""
        done = subprocess.run(
            [str(Path(sys.executable).parent / "broadcaster"), *args],
            env=self.env(),
            cwd=self.root,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"broadcaster {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def _certificate(self) -> None:
        tls = self.root / "tls"
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def _moved(self, text: str) -> str:
        """A deploy/ file with its Debian paths and ports moved into the scratch folder."""
        return (
            text.replace("/var/lib/broadcaster", str(self.root / "var"))
            .replace("/etc/broadcaster/tls/", f"{self.root / 'tls'}/")
            .replace("/var/log/nginx/", f"{self.root / 'log'}/")
            .replace("/var/cache/nginx/", f"{self.root / 'nginx-tmp'}/")
            .replace("127.0.0.1:8080", f"127.0.0.1:{self.app_port}")
        )

    def _settings(self) -> None:
        text = self._moved((DEPLOY / "etc" / "broadcaster.toml").read_text(encoding="utf-8"))
        text = re.sub(r"(?m)^port = 8080$", f"port = {self.app_port}", text)
        text = re.sub(r"(?m)^workers = \d+$", f"workers = {self.workers}", text)
        (self.root / "etc" / "broadcaster.toml").write_text(text, encoding="utf-8")

    def _office(self) -> None:
        """deploy/README.md step 6, and a week planned and published."""
        self.cli("db", "upgrade")
        self.cli("stations", "load", str(REPO / "schedules" / "example.toml"))
        guidance = self.root / "ke-hoach-12.txt"
        guidance.write_text(GUIDANCE, encoding="utf-8")
        self.cli("directive", "import", "--office", OFFICE, str(guidance))
        self.cli("items", "approve", "--directive", "1", "--by", "Vũ Thị Thu")
        today = self.day.isoformat()
        self.cli("plan", "week", "--office", OFFICE, "--week", today)
        self.cli("plan", "publish", "--office", OFFICE, "--week", today, "--by", "Vũ Thị Thu")
        for scope, code in (
            ("--station", STATION),
            ("--station", "XA-DUCMANH"),
            ("--office", OFFICE),
        ):
            out = self.cli("tokens", "create", scope, code, "--label", "deploy stack")
            secret = re.search(r"bct_[A-Za-z0-9_\-]+", out)
            assert secret, out
            self.tokens[code] = secret.group(0)

    def _serve(self) -> subprocess.Popen[bytes]:
        """The ExecStart line of the systemd unit, with the scratch folder's port."""
        unit = (DEPLOY / "systemd" / "broadcaster-api.service").read_text(encoding="utf-8")
        line = re.search(r"(?m)^ExecStart=(.+)$", unit)
        assert line, "broadcaster-api.service has no ExecStart"
        argv = line.group(1).split()
        argv[0] = str(Path(sys.executable).parent / "broadcaster")
        argv[argv.index("--port") + 1] = str(self.app_port)
        argv[argv.index("--workers") + 1] = str(self.workers)
        return subprocess.Popen(
            argv,
            env=self.env(),
            cwd=self.root,
            stdout=(self.root / "log" / "app.out").open("wb"),
            stderr=subprocess.STDOUT,
        )

    def _start_nginx(self, binary: str) -> subprocess.Popen[bytes]:
        site = self._moved((DEPLOY / "nginx" / "broadcaster.conf").read_text(encoding="utf-8"))
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = site.replace("listen 443 ", f"listen 127.0.0.1:{self.https_port} ")
        site = re.sub(r"(?m)^\s*listen \[::\].*$", "", site)
        if self.extra_locations:
            tail = site.rstrip().rfind("}")
            site = site[:tail] + self.extra_locations + "\n}\n"
        (self.root / "etc" / "site.conf").write_text(site, encoding="utf-8")
        tmp, user = self.root / "nginx-tmp", "user root;" if os.geteuid() == 0 else ""
        conf = self.root / "etc" / "nginx.conf"
        conf.write_text(
            f"""{user}
daemon off;
worker_processes 1;
pid {self.root}/nginx.pid;
error_log {self.root}/log/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {self.root}/etc/site.conf;
}}
""",
            encoding="utf-8",
        )
        return subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(self.root)],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "log" / "nginx.out").open("wb"),
        )

    def logs(self) -> str:
        """What the app and nginx wrote (for a failing test's report)."""
        parts = []
        for name in ("app.out", "nginx.out", "nginx-error.log", "broadcaster.error.log"):
            path = self.root / "log" / name
            if path.is_file():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--root", type=Path, default=None, help="scratch folder (default: new)")
    args = parser.parse_args()
    import tempfile

    root = args.root or Path(tempfile.mkdtemp(prefix="broadcaster-stack-"))
    with Stack(root, workers=args.workers) as stack:
        info: dict[str, Any] = {"url": stack.url, "app": stack.app_url, "tokens": stack.tokens}
        print(json.dumps(info, indent=2))
        print("Ctrl-C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
