"""Reading a pulled playlist (the API's JSON) into the entries the agent plays."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from broadcaster.domain.distribution import AUDIO_HASH_RE
from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _
from broadcaster.domain.playout import PlayoutEntry, plays_at


@dataclass(frozen=True)
class AudioRef:
    hash: str
    sha256: str | None = None
    path: str | None = None  # relative to the playlist, in an exported folder


def _entries(doc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if isinstance(doc.get("entries"), list):
        yield from doc["entries"]
    for session in doc.get("sessions") or []:
        yield from session.get("entries") or []


def _audio(entry: Mapping[str, Any]) -> AudioRef | None:
    audio = entry.get("audio")
    if isinstance(audio, Mapping):
        h = audio.get("hash") or audio.get("content_hash")
        sha = audio.get("sha256")
        path = audio.get("path") or audio.get("file")
    elif isinstance(audio, str) and audio:
        # issue 5's playlists carry a bare hash, or a path relative to the playlist whose file
        # name is the hash (exports)
        stem = Path(audio).name.split(".")[0]
        h = audio if AUDIO_HASH_RE.match(audio) else stem
        sha = entry.get("sha256")
        path = None if AUDIO_HASH_RE.match(audio) else audio
    else:
        h = entry.get("audio_hash") or entry.get("segment_hash") or entry.get("content_hash")
        sha = entry.get("sha256")
        path = entry.get("audio_path") or entry.get("file") or entry.get("path")
    if not h or not AUDIO_HASH_RE.match(str(h)):
        return None
    return AudioRef(str(h), str(sha) if sha else None, str(path) if path else None)


def _duration(entry: Mapping[str, Any]) -> timedelta:
    if entry.get("duration_ms") is not None:
        return timedelta(milliseconds=float(entry["duration_ms"]))
    for key in ("duration_seconds", "seconds", "duration"):
        if isinstance(entry.get(key), int | float):
            return timedelta(seconds=float(entry[key]))
    return timedelta()


def _station(doc: Mapping[str, Any]) -> str | None:
    st = doc.get("station")
    if isinstance(st, Mapping):
        code = st.get("code")
        return str(code) if code else None
    return str(doc.get("station_code") or st or "") or None


def read_playlist(
    doc: Mapping[str, Any], station: str, where: str = "playlist"
) -> list[PlayoutEntry]:
    """The playable entries (those with audio) of one playlist document."""
    found = _station(doc)
    # a loudspeaker cluster pulls its commune's playlist, marked as played by the cluster
    if found and found != station and doc.get("played_by") != station:
        raise InputError(
            _(
                "{where} is for station {found}, not {station}",
                where=where,
                found=found,
                station=station,
            )
        )
    version = doc.get("plan_version", doc.get("version"))
    st = doc.get("station")
    tz = str(doc.get("timezone") or (st.get("timezone") if isinstance(st, Mapping) else "") or "")
    out: list[PlayoutEntry] = []
    for i, entry in enumerate(_entries(doc)):
        audio = _audio(entry)
        if audio is None:
            continue  # relays and live blocks: nothing for the agent to play
        if not plays_at(entry, station):
            continue  # aimed at some loudspeaker clusters only, not this one
        try:
            start = datetime.fromisoformat(str(entry["start"]))
        except (KeyError, ValueError) as exc:
            raise InputError(
                _("{where}, entry {n}: no valid 'start' time", where=where, n=i + 1)
            ) from exc
        if start.tzinfo is None:
            raise InputError(
                _(
                    "{where}, entry {n}: its start {start} has no time zone",
                    where=where,
                    n=i + 1,
                    start=start.isoformat(),
                )
            )
        entry_id = entry.get("entry_id", entry.get("id"))
        out.append(
            PlayoutEntry(
                # the same audio at the same time is the same airing, whatever the plan version
                key=f"{start.astimezone(UTC).isoformat()}|{audio.hash}",
                station_code=station,
                start=start,
                duration=_duration(entry),
                title=str(entry.get("title") or ""),
                audio_hash=audio.hash,
                item_id=entry.get("item_id"),
                entry_id=str(entry_id) if entry_id is not None else None,
                plan_version=int(version) if isinstance(version, int) else None,
                timezone=tz or "Asia/Ho_Chi_Minh",
            )
        )
    return out


def audio_refs(doc: Mapping[str, Any]) -> list[AudioRef]:
    refs: dict[str, AudioRef] = {}
    for entry in _entries(doc):
        ref = _audio(entry)
        if ref is not None:
            refs.setdefault(ref.hash, ref)
    return list(refs.values())


def load_document(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            _("{path}: not a readable playlist ({error})", path=path, error=exc)
        ) from exc
    if not isinstance(data, dict):
        raise InputError(_("{path}: a playlist must be a JSON object", path=path))
    return data


def playlist_day(doc: Mapping[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(doc.get("date")))
    except ValueError:
        return None
