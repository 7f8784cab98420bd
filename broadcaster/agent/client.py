"""HTTP client for a station: the API routes the agent and ``pull`` use, errors translated.

The office answers in the language the station's operator reads (``Accept-Language``): its
refusals end up in the agent's log and in ``broadcaster agent rejected``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from broadcaster import __version__
from broadcaster.domain import messages
from broadcaster.domain.distribution import AuthError, ForbiddenError, TransferError
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.messages import _
from broadcaster.i18n import DEFAULT_LANGUAGE, LANGUAGES, fmt_date, translations

API = "/api/v1"


@dataclass(frozen=True)
class PlaylistFetch:
    status: str  # "new", "unchanged", "none"
    body: bytes = b""
    etag: str | None = None


def reader_language() -> str:
    """The language messages are shown in here (the agent's, the command's)."""
    active = messages.active()
    return next((lang for lang in LANGUAGES if translations(lang) is active), DEFAULT_LANGUAGE)


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
        return str(data["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200] or response.reason_phrase


class StationClient:
    """One station's view of the API. Not shared between threads: make one per thread."""

    def __init__(self, server: str, token: str, station: str, *, timeout: float = 20.0) -> None:
        if not server.startswith(("http://", "https://")):
            raise TransferError(
                _("server {server} must start with http:// or https://", server=repr(server))
            )
        if not token:
            raise AuthError(
                _(
                    "no token: pass --token or set BROADCASTER_AGENT_TOKEN "
                    "(the office makes one with 'broadcaster tokens create --station CODE')"
                )
            )
        self.server = server.rstrip("/")
        self.station = station
        self._http = httpx.Client(
            base_url=self.server,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": f"broadcaster-agent/{__version__}",
                "Accept-Language": reader_language(),
            },
            timeout=timeout,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> StationClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise TransferError(
                _(
                    "{server} did not answer in time ({request})",
                    server=self.server,
                    request=" ".join((method, url)),
                )
            ) from exc
        except httpx.TransportError as exc:
            raise ServerUnreachable(
                _("cannot reach {server}: {error}", server=self.server, error=exc)
            ) from exc
        if response.status_code == 401:
            raise AuthError(
                _("the server refused the token: {message}", message=_message(response))
            )
        if response.status_code == 403:
            raise ForbiddenError(_("the server refused: {message}", message=_message(response)))
        return response

    def _check(self, response: httpx.Response, what: object) -> httpx.Response:
        if response.status_code >= 400:
            raise TransferError(
                _(
                    "{what} failed: HTTP {status} {message}",
                    what=what,
                    status=response.status_code,
                    message=_message(response),
                )
            )
        return response

    def _station(self, tail: str) -> str:
        return f"{API}/stations/{self.station}{tail}"

    # --- playlists and audio ----------------------------------------------------------------
    def playlist(self, day: date, etag: str | None) -> PlaylistFetch:
        headers = {"If-None-Match": etag} if etag else {}
        r = self._request("GET", self._station(f"/playlists/{day.isoformat()}"), headers=headers)
        if r.status_code == 304:
            return PlaylistFetch("unchanged", etag=etag)
        if r.status_code == 404:
            return PlaylistFetch("none")
        self._check(r, _("the playlist of {day}", day=fmt_date(day)))
        return PlaylistFetch("new", r.content, r.headers.get("etag"))

    def download_audio(self, audio_hash: str, part: Path, expect_sha256: str | None) -> str:
        """Fetch audio into ``part`` (resuming a partial file); returns its SHA-256.

        The caller renames ``part`` into place once the digest is checked.
        """
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        url = f"{API}/audio/{audio_hash}"
        try:
            with self._http.stream("GET", url, headers=headers) as r:
                if r.status_code in (401, 403):
                    r.read()
                    raise (AuthError if r.status_code == 401 else ForbiddenError)(_message(r))
                if r.status_code == 416:  # the partial file is as long as the file: check it
                    r.read()
                elif r.status_code == 404:
                    r.read()
                    raise NotFoundError(_("the server has no audio {hash}", hash=audio_hash))
                elif r.status_code >= 400:
                    r.read()
                    raise TransferError(
                        _(
                            "audio {hash}: HTTP {status} {message}",
                            hash=audio_hash,
                            status=r.status_code,
                            message=_message(r),
                        )
                    )
                else:
                    server_digest = r.headers.get("x-content-sha256")
                    expect_sha256 = expect_sha256 or server_digest
                    mode = "ab" if r.status_code == 206 else "wb"
                    with part.open(mode) as fh:
                        for chunk in r.iter_bytes(65536):
                            fh.write(chunk)
                        fh.flush()
                        os.fsync(fh.fileno())
        except httpx.TransportError as exc:
            raise TransferError(
                _(
                    "audio {hash}: connection lost ({error}); run again to resume",
                    hash=audio_hash,
                    error=exc,
                )
            ) from exc
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
        actual = digest.hexdigest()
        if expect_sha256 and actual != expect_sha256:
            part.unlink(missing_ok=True)
            raise TransferError(
                _(
                    "audio {hash} arrived damaged (SHA-256 {actual}… instead of {expected}…); "
                    "it was deleted, run again to fetch it anew",
                    hash=audio_hash,
                    actual=actual[:12],
                    expected=expect_sha256[:12],
                )
            )
        return actual

    # --- logs, heartbeat, emergencies -------------------------------------------------------
    def upload_airings(self, payloads: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """The office's answer, with one result per record; RecordsRefused when it refused
        the request for what it holds (retrying the same bytes cannot help)."""
        r = self._request("POST", self._station("/airings"), json={"airings": list(payloads)})
        if r.status_code in (400, 413, 422):
            raise RecordsRefused(f"HTTP {r.status_code} {_message(r)}")
        result: dict[str, Any] = self._check(r, _("sending the airing logs")).json()
        return result

    def acknowledge(self, emergency_id: int, started_at: datetime | None) -> None:
        body = {"started_at": started_at.isoformat() if started_at else None}
        r = self._request("POST", self._station(f"/emergencies/{emergency_id}/ack"), json=body)
        if r.status_code == 404:  # the office deleted it: nothing to confirm
            return
        self._check(r, _("confirming emergency bulletin #{id}", id=emergency_id))

    def emergencies(self, since: int, wait: float) -> dict[str, Any]:
        r = self._request(
            "GET",
            self._station("/emergencies"),
            params={"since": since, "wait": wait},
            timeout=wait + 15,
        )
        result: dict[str, Any] = self._check(r, _("asking for emergency bulletins")).json()
        return result

    def stream_emergencies(
        self, since: int, *, read_timeout: float = 45.0
    ) -> Iterator[dict[str, Any] | None]:
        """Follow the station's bulletin changes as server-sent events: yields each change,
        and None on every keep-alive (so the caller can look up now and then)."""
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if since:
            headers["Last-Event-ID"] = str(since)
        url = self._station("/emergencies/stream")
        timeout = httpx.Timeout(10.0, read=read_timeout)
        try:
            with self._http.stream(
                "GET", url, params={"since": since}, headers=headers, timeout=timeout
            ) as r:
                if r.status_code in (401, 403):
                    r.read()
                    raise (AuthError if r.status_code == 401 else ForbiddenError)(_message(r))
                if r.status_code in (404, 405, 501):
                    r.read()
                    raise StreamUnsupported(f"HTTP {r.status_code}")
                if r.status_code >= 400:
                    r.read()
                    raise TransferError(
                        _(
                            "the emergency stream: HTTP {status} {message}",
                            status=r.status_code,
                            message=_message(r),
                        )
                    )
                if not r.headers.get("content-type", "").startswith("text/event-stream"):
                    raise StreamUnsupported(
                        _("it answered {type}", type=repr(r.headers.get("content-type")))
                    )
                yield from _server_events(r.iter_lines())
        except httpx.TimeoutException as exc:
            raise TransferError(
                _("{server}: the emergency stream went silent", server=self.server)
            ) from exc
        except httpx.TransportError as exc:
            raise TransferError(
                _(
                    "the emergency stream from {server} was lost: {error}",
                    server=self.server,
                    error=exc,
                )
            ) from exc

    def ack_command(self, command_id: int, result: str, note: str | None) -> None:
        body = {"result": result, "note": note}
        r = self._request("POST", self._station(f"/commands/{command_id}/ack"), json=body)
        if r.status_code == 404:  # the office no longer holds it: nothing to confirm
            return
        self._check(r, _("confirming command #{id}", id=command_id))

    def heartbeat(self, payload: dict[str, Any]) -> dict[str, Any]:
        r = self._check(
            self._request("POST", self._station("/heartbeat"), json=payload), _("the heartbeat")
        )
        result: dict[str, Any] = r.json()
        return result


class RecordsRefused(TransferError):
    """The office refused what was sent (not a network fault)."""


class ServerUnreachable(TransferError):
    """The server cannot be reached at all (no connection): every other request would fail
    the same way."""


class StreamUnsupported(TransferError):
    """The server cannot hold an event stream (an older version, or a buffering proxy)."""


def _server_events(lines: Iterable[str]) -> Iterator[dict[str, Any] | None]:
    """Parse ``text/event-stream``: ``emergency`` events' JSON (``command`` events' JSON
    marked ``"event": "command"``), None for comments."""
    data: list[str] = []
    kind = "message"
    for line in lines:
        if not line:
            if data and kind in ("emergency", "command"):
                try:
                    event = json.loads("\n".join(data))
                    yield {**event, "event": "command"} if kind == "command" else event
                except ValueError as exc:
                    raise TransferError(
                        _("the emergency stream sent damaged data: {error}", error=exc)
                    ) from exc
            data, kind = [], "message"
            continue
        if line.startswith(":"):
            yield None
            continue
        name, _colon, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name == "event":
            kind = value
