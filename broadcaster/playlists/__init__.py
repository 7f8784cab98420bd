"""Playlist renderers: JSON (the pull contract), extended M3U8, CSV and a printable A4 page."""

from .render import (
    audio_file_name,
    playlist_document,
    render_csv,
    render_html,
    render_json,
    render_m3u8,
)

__all__ = [
    "audio_file_name",
    "playlist_document",
    "render_csv",
    "render_html",
    "render_json",
    "render_m3u8",
]
