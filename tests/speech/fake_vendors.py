"""FPT.AI and Viettel AI faked at the HTTP layer: a real HTTP server on an ephemeral 127.0.0.1 port."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Behaviour:
    """What the fake answers: audio, or a failure a station meets."""

    audio: bytes = b""
    #: "ok", "auth", "quota", "slow", "error", "json-error"
    mode: str = "ok"
    #: FPT: how many times the file link answers 404 before the file is there
    pending: int = 1
    delay: float = 0.0
    requests: list[dict[str, object]] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    # stop() joins every handler, so none is left to write into the next test
    daemon_threads = False

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (the timeout tests do, on purpose) is not an
        # error of the fake. Anything else is still printed.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeVendors:
    def __init__(self) -> None:
        self.fpt = Behaviour()
        self.viettel = Behaviour()
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def fpt_url(self) -> str:
        return f"{self.base}/hmi/tts/v5"

    @property
    def viettel_url(self) -> str:
        return f"{self.base}/tts/speech_synthesis"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()  # a slow answer still waiting answers now
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, body: object) -> None:
                self._send(status, json.dumps(body).encode(), "application/json")

            def _failure(self, b: Behaviour) -> bool:
                if b.delay or b.mode == "slow":
                    fake._stopping.wait(b.delay or 2.0)
                if b.mode == "auth":
                    self._json(401, {"message": "Invalid API key"})
                elif b.mode == "quota":
                    self._json(429, {"message": "Quota exceeded"})
                elif b.mode == "error":
                    self._json(500, {"message": "internal error"})
                else:
                    return False
                return True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/hmi/tts/v5":
                    b = fake.fpt
                    b.requests.append(
                        {
                            "text": body.decode("utf-8"),
                            "api-key": self.headers.get("api-key"),
                            "voice": self.headers.get("voice"),
                            "speed": self.headers.get("speed"),
                            "format": self.headers.get("format"),
                        }
                    )
                    if self._failure(b):
                        return
                    if b.mode == "json-error":
                        self._json(200, {"error": 1, "message": "text is too short"})
                        return
                    n = len(b.requests)
                    self._json(
                        200,
                        {
                            "async": f"{fake.base}/files/{n}.mp3",
                            "error": 0,
                            "message": "The content will be returned after a few seconds",
                            "request_id": str(n),
                        },
                    )
                    return
                b = fake.viettel
                b.requests.append(json.loads(body))
                if self._failure(b):
                    return
                if b.mode == "json-error":
                    self._json(200, {"vi_message": "Sai định dạng", "status": 400})
                    return
                self._send(200, b.audio, "audio/mpeg")

            def do_GET(self) -> None:
                b = fake.fpt
                if b.pending > 0:
                    b.pending -= 1
                    self._send(404, b"not yet", "text/plain")
                    return
                self._send(200, b.audio, "audio/mpeg")

        return Handler


@pytest.fixture
def vendors() -> Iterator[FakeVendors]:
    fake = FakeVendors()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
