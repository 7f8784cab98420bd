"""Vietnamese vendors' natural voices over HTTP: FPT.AI and Viettel AI text-to-speech.

Both need an API key from the vendor (``[speech] fpt_api_key`` / ``viettel_api_key``). Every
failure a station can meet (no key, no network, a timeout, a refused key, a used-up quota, a
vendor error) becomes :class:`EngineUnavailable` with a message saying what to do, so the next
engine of ``[speech] engines`` takes over; after one failure the engine is not asked again in the
same run, so a long run (or an emergency) does not wait on it for every item.
"""

from __future__ import annotations

import json
import os
import threading
import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from broadcaster.domain.messages import Msg, _

from .engines import (
    Availability,
    EngineIdentity,
    EngineUnavailable,
    SpeechEngine,
    Synthesis,
    split_for_gtts,
)

FPT_URL = "https://api.fpt.ai/hmi/tts/v5"
VIETTEL_URL = "https://viettelai.vn/tts/speech_synthesis"

#: how long a vendor that failed is left alone by every engine of this process (the console and
#: the server build an engine per request: without this each click would wait for the timeout)
FAILURE_HOLD_SECONDS = 120.0

_failures: dict[tuple[str, str], tuple[float, Msg]] = {}
_failures_lock = threading.Lock()


def forget_failures() -> None:
    """Forget every vendor failure this process remembers (a test, or after fixing a key)."""
    with _failures_lock:
        _failures.clear()


def _recent_failure(name: str, url: str) -> Msg | None:
    with _failures_lock:
        found = _failures.get((name, url))
        if found is None or found[0] < time.monotonic():
            _failures.pop((name, url), None)
            return None
        return found[1]


def _message_of(rsp: httpx.Response) -> str:
    """The vendor's own words about an error, from its JSON body when it sent one."""
    try:
        body = rsp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return rsp.text.strip()[:200]
    if isinstance(body, dict):
        for key in ("message", "vi_message", "en_message", "error", "detail"):
            if body.get(key):
                return str(body[key])[:200]
    return str(body)[:200]


@dataclass(kw_only=True, eq=False)
class HttpVoiceEngine(SpeechEngine):
    """The common part: key check, requests with a timeout, errors a station can act on."""

    offline: ClassVar[bool] = False
    title: ClassVar[str]
    key_setting: ClassVar[str]
    #: the longest text sent in one request; longer scripts go sentence by sentence
    max_chars: ClassVar[int]

    api_key: str = field(repr=False)
    voice: str
    speed: float
    url: str
    timeout: float = 15.0
    sleep: Callable[[float], None] = time.sleep
    _down: Msg | None = field(default=None, init=False, repr=False)
    #: one request at a time: parallel renders learn of a failure before they try
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.api_key = self.api_key.strip()

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc or self.url

    def identity(self) -> EngineIdentity:
        return EngineIdentity(self.name, self.voice, (("speed", f"{self.speed:g}"),))

    def hint(self) -> Msg:
        return _("the next engine of [speech] engines is used")

    def available(self) -> Availability:
        if not self.api_key:
            return Availability(False, str(self._no_key()))
        speed = f"{self.speed:g}"
        return Availability(
            True,
            str(
                _(
                    "online via {host} (voice {voice}, speed {speed}); an API key is set",
                    host=self.host,
                    voice=self.voice,
                    speed=speed,
                )
            ),
        )

    def _no_key(self) -> Msg:
        return _(
            "{vendor}: no API key; set [speech] {setting} (or BROADCASTER_SPEECH_{env})",
            vendor=self.title,
            setting=self.key_setting,
            env=self.key_setting.upper(),
        )

    def _fail(self, reason: Msg) -> EngineUnavailable:
        self._down = reason
        with _failures_lock:
            _failures[(self.name, self.url)] = (time.monotonic() + FAILURE_HOLD_SECONDS, reason)
        return EngineUnavailable(reason, self.hint())

    def _check(self, rsp: httpx.Response) -> None:
        """Raise for an HTTP error, naming what it means for the station."""
        if rsp.status_code < 400:
            return
        values = {"vendor": self.title, "status": rsp.status_code, "message": _message_of(rsp)}
        if rsp.status_code in (401, 403):
            raise self._fail(
                _(
                    "{vendor} refused the API key (HTTP {status}: {message}); check [speech] "
                    "{setting}",
                    setting=self.key_setting,
                    **values,
                )
            )
        if rsp.status_code in (402, 429):
            raise self._fail(
                _(
                    "{vendor}'s quota is used up (HTTP {status}: {message}); wait for it to "
                    "renew or extend the subscription",
                    **values,
                )
            )
        raise self._fail(_("{vendor} answered HTTP {status}: {message}", **values))

    def _send(self, client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise self._fail(
                _(
                    "{vendor} did not answer within {seconds:g} s ({host})",
                    vendor=self.title,
                    seconds=self.timeout,
                    host=self.host,
                )
            ) from exc
        except httpx.HTTPError as exc:
            raise self._fail(
                _(
                    "{vendor} cannot be reached at {host} ({error})",
                    vendor=self.title,
                    host=self.host,
                    error=exc.__class__.__name__,
                )
            ) from exc

    def synthesize(self, text: str, out: Path) -> Synthesis:
        with self._lock:
            return self._synthesize(text, out)

    def _synthesize(self, text: str, out: Path) -> Synthesis:
        self._down = self._down or _recent_failure(self.name, self.url)
        if self._down is not None:
            raise EngineUnavailable(self._down, self.hint())
        if not self.api_key:  # said at once, and not remembered: a key may be set meanwhile
            raise EngineUnavailable(self._no_key(), self.hint())
        path = out.with_suffix(".mp3")
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            with httpx.Client(timeout=self.timeout) as client, tmp.open("wb") as fh:
                # MP3 frames concatenate into one playable stream
                for chunk in split_for_gtts(text, self.max_chars):
                    fh.write(self._audio(client, chunk))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return Synthesis(path, self.identity())

    @abstractmethod
    def _audio(self, client: httpx.Client, text: str) -> bytes:
        """MP3 bytes for one chunk of text."""

    def _audio_or_fail(self, rsp: httpx.Response) -> bytes:
        self._check(rsp)
        kind = rsp.headers.get("content-type", "")
        if "json" in kind or "text" in kind or len(rsp.content) < 100:
            raise self._fail(
                _(
                    "{vendor} sent no audio ({message})",
                    vendor=self.title,
                    message=_message_of(rsp),
                )
            )
        return rsp.content


@dataclass(kw_only=True, eq=False)
class FptEngine(HttpVoiceEngine):
    """FPT.AI text-to-speech v5: the text as the request body, settings in headers; the answer
    names a file that is ready a moment later."""

    name: ClassVar[str] = "fpt"
    title: ClassVar[str] = "FPT.AI"
    key_setting: ClassVar[str] = "fpt_api_key"
    max_chars: ClassVar[int] = 5000

    poll_seconds: float = 30.0
    poll_interval: float = 0.5

    def _audio(self, client: httpx.Client, text: str) -> bytes:
        headers = {
            "api-key": self.api_key,
            "voice": self.voice,
            # FPT's speed runs from -3 (slow) to 3 (fast); 0 is the voice's own
            "speed": f"{round(self.speed):d}",
            "format": "mp3",
        }
        rsp = self._send(client, "POST", self.url, content=text.encode("utf-8"), headers=headers)
        self._check(rsp)
        try:
            body = rsp.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = {}
        link = body.get("async") if isinstance(body, dict) else None
        if not link or body.get("error", 0) not in (0, "0"):
            raise self._fail(
                _(
                    "{vendor} refused the text: {message}",
                    vendor=self.title,
                    message=_message_of(rsp),
                )
            )
        return self._fetch(client, str(link))

    def _fetch(self, client: httpx.Client, link: str) -> bytes:
        """The file appears at the link when it is made: 404 until then."""
        deadline = time.monotonic() + self.poll_seconds
        while True:
            rsp = self._send(client, "GET", link)
            if rsp.status_code != 404:
                return self._audio_or_fail(rsp)
            if time.monotonic() >= deadline:
                raise self._fail(
                    _(
                        "{vendor} did not finish the audio within {seconds:g} s",
                        vendor=self.title,
                        seconds=self.poll_seconds,
                    )
                )
            self.sleep(self.poll_interval)


class ViettelEngine(HttpVoiceEngine):
    """Viettel AI text-to-speech: one JSON request, the audio in the answer."""

    name: ClassVar[str] = "viettel"
    title: ClassVar[str] = "Viettel AI"
    key_setting: ClassVar[str] = "viettel_api_key"
    max_chars: ClassVar[int] = 2000

    def _audio(self, client: httpx.Client, text: str) -> bytes:
        body = {
            "text": text,
            "voice": self.voice,
            "speed": self.speed,
            "tts_return_option": 3,  # 3: MP3 (2: WAV)
            "token": self.api_key,
            # broadcaster normalises the text itself
            "without_filter": False,
        }
        rsp = self._send(client, "POST", self.url, json=body)
        return self._audio_or_fail(rsp)
