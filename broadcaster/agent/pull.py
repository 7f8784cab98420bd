"""``pull``: a station's playlists for today and the next days, and their audio, into its folder.

Resumable (partial audio is continued with HTTP Range), verified (SHA-256), atomic (files appear
complete or not at all), and cheap when nothing changed (ETag / If-None-Match). The same folder
layout can be filled from an exported USB folder instead of the server.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from broadcaster.audio.store import sha256_file, write_atomically
from broadcaster.domain.distribution import TransferError
from broadcaster.domain.errors import BroadcasterError, InputError

from .client import StationClient
from .folder import LocalFolder
from .playlist import AudioRef, audio_refs, load_document, playlist_day, read_playlist
from .store import LocalStore

Progress = Callable[[str], None]


@dataclass
class PullReport:
    days: list[tuple[date, str]] = field(default_factory=list)  # (day, new|unchanged|none|copied)
    audio_fetched: int = 0
    audio_present: int = 0
    bytes_fetched: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for _d, status in self.days:
            counts[status] = counts.get(status, 0) + 1
        parts = [f"{n} {s}" for s, n in sorted(counts.items())]
        text = (
            f"playlists: {', '.join(parts) or 'none'}; audio: {self.audio_fetched} fetched "
            f"({self.bytes_fetched / 1e6:.1f} MB), {self.audio_present} already here"
        )
        if self.failures:
            text += f"; {len(self.failures)} failed"
        return text


def _days(today: date, days: int) -> list[date]:
    return [today + timedelta(days=i) for i in range(days + 1)]


def current_refs(folder: LocalFolder, today: date) -> list[AudioRef]:
    """Audio referenced by the playlists from ``today`` on."""
    refs: dict[str, AudioRef] = {}
    for day in folder.playlist_days():
        if day < today:
            continue
        for ref in audio_refs(load_document(folder.playlist_path(day))):
            refs.setdefault(ref.hash, ref)
    return list(refs.values())


def pull_from_server(
    client: StationClient,
    folder: LocalFolder,
    store: LocalStore,
    *,
    today: date,
    days: int = 7,
    progress: Progress | None = None,
) -> PullReport:
    """Fetch playlists for ``today`` … ``today + days`` and every audio file they need."""
    folder.ensure()
    report = PullReport()
    say = progress or (lambda _m: None)
    for day in _days(today, days):
        path = folder.playlist_path(day)
        etag = store.get(f"etag:{day.isoformat()}") if path.is_file() else None
        fetched = client.playlist(day, etag)
        if fetched.status == "new":
            doc = _parse(fetched.body, f"playlist {day}")
            read_playlist(doc, client.station, f"playlist {day}")  # refuse a wrong one early
            write_atomically(path, fetched.body)
            if fetched.etag:
                store.put(f"etag:{day.isoformat()}", fetched.etag)
            say(f"{day}: new playlist")
        report.days.append((day, fetched.status))
    fetch_audio(client, folder, current_refs(folder, today), report, say)
    return report


def _parse(body: bytes, where: str) -> dict[str, Any]:
    import json

    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise TransferError(f"{where}: the server sent something that is not JSON") from exc
    if not isinstance(doc, dict):
        raise TransferError(f"{where}: the server sent a JSON {type(doc).__name__}, not a playlist")
    return doc


def fetch_audio(
    client: StationClient,
    folder: LocalFolder,
    refs: Iterable[AudioRef],
    report: PullReport,
    say: Progress,
) -> None:
    for ref in refs:
        if folder.audio_path(ref.hash) is not None:
            report.audio_present += 1
            continue
        target = folder.audio_target(ref.hash)
        part = target.with_name(target.name + ".part")
        before = part.stat().st_size if part.exists() else 0
        try:
            client.download_audio(ref.hash, part, ref.sha256)
        except BroadcasterError as exc:
            if isinstance(exc, TransferError) and "cannot reach" in str(exc):
                raise
            report.failures.append(f"audio {ref.hash}: {exc}")
            continue
        size = part.stat().st_size
        os.replace(part, target)
        report.audio_fetched += 1
        report.bytes_fetched += size - before
        say(f"audio {ref.hash[:12]}… {size / 1e3:.0f} kB")


def ensure_audio(client: StationClient, folder: LocalFolder, ref: AudioRef) -> Path:
    """One audio file, fetched if missing (emergency bulletins)."""
    existing = folder.audio_path(ref.hash)
    if existing is not None:
        return existing
    report = PullReport()
    fetch_audio(client, folder, [ref], report, lambda _m: None)
    if report.failures:
        raise TransferError(report.failures[0])
    found = folder.audio_path(ref.hash)
    assert found is not None
    return found


# --- exported folders (USB sticks) ----------------------------------------------------------


def _station_root(source: Path, station: str) -> Path:
    if (source / station).is_dir():
        return source / station
    return source


def pull_from_folder(
    source: Path,
    folder: LocalFolder,
    station: str,
    *,
    today: date,
    progress: Progress | None = None,
) -> PullReport:
    """Copy a station's playlists (from today on) and their audio from an exported folder."""
    if not source.is_dir():
        raise InputError(f"{source} is not a folder; give the exported folder (e.g. the USB stick)")
    folder.ensure()
    say = progress or (lambda _m: None)
    root = _station_root(source, station)
    report = PullReport()
    found_any = False
    past: list[date] = []
    for path in sorted(root.rglob("*.json")):
        try:
            doc = load_document(path)
        except InputError as exc:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}\.json", path.name):  # named like a playlist
                report.failures.append(f"{path.name}: {exc}")
            continue
        day = playlist_day(doc)
        if day is None or ("entries" not in doc and "sessions" not in doc):
            continue
        found_any = True
        try:
            read_playlist(doc, station, str(path))
        except InputError:
            continue  # another station's playlist in a shared export
        if day < today:
            past.append(day)
            continue
        for ref in audio_refs(doc):
            if folder.audio_path(ref.hash) is not None:
                report.audio_present += 1
                continue
            src = _find_exported_audio(path.parent, root, ref)
            if src is None:
                report.failures.append(f"{path.name}: audio {ref.hash} is not in {root}")
                continue
            _copy_verified(src, folder.audio_target(ref.hash, src.suffix), ref)
            report.audio_fetched += 1
            report.bytes_fetched += src.stat().st_size
        target = folder.playlist_path(day)
        data = path.read_bytes()
        status = "unchanged" if target.is_file() and target.read_bytes() == data else "copied"
        if status == "copied":
            write_atomically(target, data)
            say(f"{day}: playlist copied from {path}")
        report.days.append((day, status))
    if not found_any:
        raise InputError(f"no playlists for {station} in {source}; is this an exported folder?")
    if past and not report.days:
        raise InputError(
            f"the playlists for {station} in {source} are for {min(past)}…{max(past)}, all "
            f"before today ({today}); export the coming days at the office with "
            "'broadcaster playlist export'"
        )
    return report


def _find_exported_audio(base: Path, root: Path, ref: AudioRef) -> Path | None:
    if ref.path:
        candidate = (base / ref.path).resolve()
        # an exported playlist may only point inside the export
        if candidate.is_file() and candidate.is_relative_to(root.resolve()):
            return candidate
    for candidate in root.rglob(f"{ref.hash}.*"):
        if candidate.is_file() and not candidate.name.endswith(".part"):
            return candidate
    return None


def _copy_verified(src: Path, target: Path, ref: AudioRef) -> None:
    part = target.with_name(target.name + ".part")
    with src.open("rb") as fi, part.open("wb") as fo:
        shutil.copyfileobj(fi, fo, 1 << 20)
        fo.flush()
        os.fsync(fo.fileno())
    # synthesised segments are named by what made them, so only a digest in the playlist
    # (``sha256``) can vouch for a copied file's bytes
    if ref.sha256 and sha256_file(part) != ref.sha256:
        part.unlink(missing_ok=True)
        raise InputError(f"{src} is damaged (SHA-256 does not match the playlist); export it again")
    os.replace(part, target)
