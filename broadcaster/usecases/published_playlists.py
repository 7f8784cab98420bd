"""Where the playlists stations pull come from: published plans in the database rendered per
station-day, or documents held in memory (the demo, tests, benchmarks)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Protocol

from broadcaster.config import Settings
from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.planning import resolve_week
from broadcaster.domain.playout import plays_at
from broadcaster.playlists import render_json, render_m3u8

from .plans import station_playlist

if TYPE_CHECKING:
    from .playlist_files import PlaylistFiles


@dataclass(frozen=True)
class RenderedPlaylist:
    """One station's published playlist for one day, rendered once, with its ETags."""

    station: str
    day: date
    version: int | None
    json: bytes
    m3u8: bytes

    @cached_property
    def json_etag(self) -> str:
        return etag_of(self.json)

    @cached_property
    def m3u8_etag(self) -> str:
        return etag_of(self.m3u8)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class Unknown(Enum):
    """:meth:`PlaylistSource.peek` cannot answer without the database."""

    UNKNOWN = "unknown"


UNKNOWN: Final = Unknown.UNKNOWN


class PlaylistSource(Protocol):
    """Where published playlists come from (the stored plans, or a folder of exports)."""

    def render(self, station: str, day: date) -> RenderedPlaylist | None: ...

    def peek(self, station: str, day: date) -> RenderedPlaylist | Unknown | None:
        """What :meth:`render` would answer, from memory only: :data:`UNKNOWN` when that
        needs the database (so the caller can go to a thread for it)."""
        ...


def default_playlist_source(
    db: Database, settings: Settings, files: PlaylistFiles | None = None
) -> PublishedPlaylists:
    """The published plans in the database, as the API serves them: which plan is the newest
    is remembered for :data:`LOOKUP_SECONDS`, and forgotten as soon as the server's watcher
    sees a publication (see :meth:`PublishedPlaylists.watch`); with ``files``, each rendered
    playlist is also written where nginx sends it from."""
    return PublishedPlaylists(db, settings, lookup_ttl=LOOKUP_SECONDS, files=files)


#: how long the API trusts its memory of which plan is a station's newest, at most (a
#: publication seen by the watcher forgets it at once)
LOOKUP_SECONDS = 10.0


class StaticPlaylists:
    """Playlist documents held in memory and served as they are (demo, tests, benchmarks).

    Each document is the playlist JSON a station pulls: ``station.code``, ``date``, sessions
    with entries (``start``, ``duration_ms``, ``title``, ``audio.hash``).
    """

    def __init__(self) -> None:
        self._rendered: dict[tuple[str, date], RenderedPlaylist] = {}

    def put(self, doc: dict[str, Any]) -> RenderedPlaylist:
        station = str(
            doc["station"]["code"] if isinstance(doc["station"], dict) else doc["station"]
        )
        rendered = _from_document(station, doc)
        self._rendered[(station, rendered.day)] = rendered
        return rendered

    def render(self, station: str, day: date) -> RenderedPlaylist | None:
        return self._rendered.get((station, day))

    def peek(self, station: str, day: date) -> RenderedPlaylist | Unknown | None:
        return self._rendered.get((station, day))


def _from_document(station: str, doc: dict[str, Any]) -> RenderedPlaylist:
    day = date.fromisoformat(str(doc["date"]))
    lines = ["#EXTM3U", f"#PLAYLIST:{station} {day}"]
    for session in doc.get("sessions", []):
        for e in session.get("entries", []):
            audio = e.get("audio") or {}
            if not audio.get("hash"):
                continue
            lines += [
                f"#EXTINF:{round(e.get('duration_ms', 0) / 1000)},{e.get('title', '')}",
                f"/api/v1/audio/{audio['hash']}",
            ]
    return RenderedPlaylist(
        station,
        day,
        doc.get("plan_version"),
        json.dumps(doc, ensure_ascii=False).encode(),
        ("\n".join(lines) + "\n").encode(),
    )


def for_follower(rendered: RenderedPlaylist, code: str) -> RenderedPlaylist:
    """A commune's playlist as one of its loudspeaker clusters pulls it: marked ``played_by``
    the cluster (whose agent logs its airings under its own code), without the entries aimed
    at other clusters only."""
    doc = json.loads(rendered.json)
    doc["played_by"] = code
    for session in doc.get("sessions") or []:
        session["entries"] = [e for e in session.get("entries") or [] if plays_at(e, code)]
    return _from_document(code, doc)


def api_audio_path(audio_hash: str) -> str:
    return f"/api/v1/audio/{audio_hash}"


class PublishedPlaylists:
    """Renders a station's playlist from the newest published plan that covers the date.

    Rendered playlists are kept in memory per station and date while the plan they come from
    is still the newest published one, for at most ``ttl`` seconds so that audio made after
    publication shows up soon. Which plan is the newest is asked of the database on every
    request by default; with ``lookup_ttl`` it is remembered per station and week for that
    long, and :meth:`watch` (run by the server's watcher) forgets it when a plan is published
    anywhere, so a publication is served at once all the same.
    """

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        ttl: float = 30.0,
        lookup_ttl: float = 0.0,
        max_entries: int = 20_000,
        monotonic: Callable[[], float] = time.monotonic,
        files: PlaylistFiles | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.ttl = ttl
        self.lookup_ttl = lookup_ttl
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._cache: OrderedDict[tuple[str, date], tuple[int, float, RenderedPlaylist]] = (
            OrderedDict()
        )
        self._newest: dict[tuple[str, date], tuple[float, int | None]] = {}
        self._lock = threading.Lock()
        self._mark: object = None
        self.files = files
        self._generation: str | None = None
        #: the generation each station-day's playlist file was last written in
        self._written: dict[tuple[str, date], str] = {}

    def watch(self, uow: UnitOfWork) -> None:
        """Run inside the server watcher's look at the database: a plan published or audio
        made since the last look (in any process) makes every playlist be rendered again, and
        the playlist files of the older mark are no longer sent."""
        mark = (uow.plans.publication_mark(), uow.segments.mark())
        if self._mark is not None and mark != self._mark:
            self._newest = {}
            self._written = {}
            with self._lock:
                self._cache.clear()
        if self.files is not None and (mark != self._mark or self._generation is None):
            generation = self.files.generation(mark)
            self.files.switch(generation)
            self._generation = generation
        self._mark = mark

    def peek(self, station: str, day: date) -> RenderedPlaylist | Unknown | None:
        now = self._monotonic()
        newest = self._newest.get((station, resolve_week(day)))
        if newest is None or now - newest[0] >= self.lookup_ttl:
            return UNKNOWN
        if newest[1] is None:
            return None
        hit = self._cache.get((station, day))
        if hit is not None and hit[0] == newest[1] and now - hit[1] < self.ttl:
            return hit[2]
        return UNKNOWN

    def _plan_id(self, station: str, day: date) -> int | None:
        key, now = (station, resolve_week(day)), self._monotonic()
        newest = self._newest.get(key)
        if newest is not None and now - newest[0] < self.lookup_ttl:
            return newest[1]
        with self.db.unit_of_work() as uow:
            plan_id = uow.plans.published_id_for_station(station, key[1])
        if len(self._newest) > self.max_entries:
            self._newest.clear()
        self._newest[key] = (now, plan_id)
        return plan_id

    def render(self, station: str, day: date) -> RenderedPlaylist | None:
        # the folder of the mark known *before* reading: what is read after it is at least
        # as new, so a file never lands in a newer mark's folder with older content
        generation = self._generation
        plan_id = self._plan_id(station, day)
        if plan_id is None:
            return None
        key, now = (station, day), self._monotonic()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == plan_id and now - hit[1] < self.ttl:
                self._cache.move_to_end(key)
                return hit[2]
        rendered = self._render(station, day)
        if rendered is None:
            return None
        if (
            self.files is not None
            and generation is not None
            and self.files.write(generation, rendered)
        ):
            if len(self._written) > self.max_entries:
                self._written = {}
            self._written[key] = generation
        with self._lock:
            self._cache[key] = (plan_id, now, rendered)
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return rendered

    def file_of(self, station: str, day: date, suffix: str) -> str | None:
        """Where the station-day's playlist file is, under the files' root, when it was
        written for the current mark (nginx may send it), else None."""
        generation = self._written.get((station, day))
        if generation is None or generation != self._generation:
            return None
        return f"{generation}/{station}/{day.isoformat()}{suffix}"

    def _render(self, station: str, day: date) -> RenderedPlaylist | None:
        try:
            found = station_playlist(self.db, station, day, allow_draft=False)
        except NotFoundError:
            return None
        pl = found.playlist
        return RenderedPlaylist(
            station=station,
            day=day,
            version=found.version,
            json=render_json(pl, found.version, api_audio_path).encode("utf-8"),
            m3u8=render_m3u8(pl, api_audio_path).encode("utf-8"),
        )
