"""The HTTP API's playlist source: published plans in the database, rendered per station-day."""

from __future__ import annotations

from datetime import date

from broadcaster.api.playlists import RenderedPlaylist
from broadcaster.config import Settings
from broadcaster.db import Database
from broadcaster.domain.errors import NotFoundError
from broadcaster.playlists import render_json, render_m3u8

from .plans import station_playlist


def api_audio_path(audio_hash: str) -> str:
    return f"/api/v1/audio/{audio_hash}"


class PublishedPlaylists:
    """Renders a station's playlist from the newest published plan that covers the date."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def render(self, station: str, day: date) -> RenderedPlaylist | None:
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
