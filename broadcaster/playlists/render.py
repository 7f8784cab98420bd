"""Render a :class:`~broadcaster.domain.playlists.Playlist` for machines and for people.

Entries carry their audio as a segment content hash (``entry.audio``); ``path_of`` turns a hash
into what the output should point at: ``audio/<hash>.mp3`` in an exported folder, or
``/api/v1/audio/<hash>`` when served.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from broadcaster.domain import messages
from broadcaster.domain.planning import EntryKind
from broadcaster.domain.planning.weeks import duration_words
from broadcaster.domain.playlists import Playlist, PlaylistEntry, playlist_rows

from .paper import Letterhead, signed_date, station_letterhead

PathOf = Callable[[str], str]


def audio_file_name(audio_hash: str, suffix: str = ".mp3") -> str:
    return f"audio/{audio_hash}{suffix}"


def _hms(d: timedelta) -> str:
    total = round(d.total_seconds())
    return f"{total // 60}:{total % 60:02d}"


def _hhmm(t: datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _hhmmss(t: datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def _spans(pl: Playlist) -> list[tuple[str, datetime | None, datetime | None]]:
    if pl.spans:
        return list(pl.spans)
    return [(name, None, None) for name in pl.sessions]


def _entry_doc(e: PlaylistEntry, path_of: PathOf | None) -> dict[str, Any]:
    audio = None
    if e.audio:
        audio = {"hash": e.audio}
        if path_of is not None:
            audio["path"] = path_of(e.audio)
    doc: dict[str, Any] = {
        "id": e.entry_id,
        "position": e.position,
        "number": e.number,  # the TT column of the printed playlist (announcements only)
        "start": e.start.isoformat(),
        "duration_ms": round(e.duration.total_seconds() * 1000),
        "title": e.title,
        "kind": e.kind.value,
        "item_id": e.item_id,
        "priority": e.priority.value if e.priority else None,
        "basis": e.basis,
        "audio": audio,
    }
    if e.clusters:  # aimed at these loudspeaker clusters alone (domain.playout.plays_at)
        doc["clusters"] = list(e.clusters)
    return doc


def playlist_document(
    pl: Playlist, version: int | None = None, path_of: PathOf | None = None
) -> dict[str, Any]:
    """The playlist as the JSON document stations pull (``broadcaster playlist show --format json``)."""
    sessions = []
    spans = _spans(pl)
    for name, start, end in spans:
        sessions.append(
            {
                "name": name,
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                "entries": [_entry_doc(e, path_of) for e in pl.in_session(name)],
            }
        )
    return {
        "station": {"code": pl.station_code, "name": pl.station_name, "timezone": pl.timezone},
        "date": pl.day.isoformat(),
        "week": pl.week,
        "plan_version": version,
        "total_ms": round(pl.total.total_seconds() * 1000),
        "sessions": sessions,
    }


def render_json(pl: Playlist, version: int | None = None, path_of: PathOf | None = None) -> str:
    return json.dumps(playlist_document(pl, version, path_of), ensure_ascii=False, indent=2) + "\n"


def render_m3u8(pl: Playlist, path_of: PathOf = audio_file_name) -> str:
    """Extended M3U (UTF-8): ``#EXTINF:<seconds>,<title>`` then the audio path, in play order.

    Entries without audio (relays, live blocks, announcements not yet synthesised) are kept as
    comments so the operator still sees them in order. The HLS VOD tags make ffmpeg/ffprobe
    (and so most players) read it as one finished list; plain M3U players ignore them.
    """
    longest = max((math.ceil(e.duration.total_seconds()) for e in pl.entries if e.audio), default=0)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{longest}",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        f"#PLAYLIST:{pl.station_name} — {pl.day_label}",
    ]
    for e in pl.entries:
        seconds = round(e.duration.total_seconds())
        if e.audio:
            lines.append(f"#EXTINF:{seconds},{e.title}")
            lines.append(path_of(e.audio))
        else:
            lines.append(f"# {_hhmmss(e.start)} {e.kind.label}: {e.title} ({_hms(e.duration)})")
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


CSV_FIELDS = [
    "station",
    "date",
    "session",
    "position",
    "time",
    "start",
    "duration_seconds",
    "title",
    "kind",
    "item_id",
    "priority",
    "basis",
    "audio",
]


def render_csv(pl: Playlist) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in playlist_rows(pl):
        writer.writerow({k: row[k] for k in CSV_FIELDS})
    return out.getvalue()


def _ddmmyyyy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def page_language() -> str:
    """The language code of the active catalogue (``<html lang>``): ``vi`` or ``en``."""
    info = getattr(messages.active(), "info", None)
    language = info().get("language") if callable(info) else None
    return str(language or "en")


def install_i18n(env: Environment) -> None:
    """``_()``, ``gettext`` and ``ngettext`` in templates, looked up in the active catalogue
    when a page is rendered (the reader's language), ``%(name)s`` values escaped (newstyle)."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda text: messages.active().gettext(text),
        lambda singular, plural, n: messages.active().ngettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["page_language"] = page_language


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("broadcaster.playlists", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(env)
    env.filters["hhmm"] = _hhmm
    env.filters["hhmmss"] = _hhmmss
    env.filters["mmss"] = _hms
    env.filters["ddmmyyyy"] = _ddmmyyyy
    env.filters["words"] = lambda td: str(duration_words(td))
    return env


def render_html(
    pl: Playlist, version: int | None = None, letterhead: Letterhead | None = None
) -> str:
    """A printable A4 page in the reader's language, laid out as the weekly plan is (Decree
    30/2020/NĐ-CP: the station under its commune, number, national title and motto, place and
    date, recipients): sessions with times, titles, basis, durations, signatures. Without a
    letterhead the station's name gives the commune."""
    head = letterhead or station_letterhead(pl.station_name, pl.station_code)
    sessions = []
    spans = _spans(pl)
    for name, start, end in spans:
        entries = pl.in_session(name)
        sessions.append(
            {
                "name": name,
                "start": start or (entries[0].start if entries else None),
                "end": end or (entries[-1].end if entries else None),
                "entries": entries,
                "total": sum((e.duration for e in entries), timedelta()),
            }
        )
    return (
        _env()
        .get_template("playlist.html.j2")
        .render(
            pl=pl,
            sessions=sessions,
            version=version,
            head=head,
            signed=signed_date(pl.day, head.place),
            ANNOUNCEMENT=EntryKind.ANNOUNCEMENT,
        )
    )
