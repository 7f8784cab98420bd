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
from broadcaster.domain.messages import N_, Msg, _
from broadcaster.i18n import fmt_date

from .client import ServerUnreachable, StationClient
from .folder import LocalFolder
from .playlist import AudioRef, audio_refs, load_document, playlist_day, read_playlist
from .store import LocalStore

Progress = Callable[[str], None]

#: how many playlists a pull found in each state, as a summary says it
DAY_STATES = {
    "new": N_("{n} new"),
    "unchanged": N_("{n} unchanged"),
    "none": N_("{n} not published"),
    "copied": N_("{n} copied"),
}


@dataclass
class PullReport:
    days: list[tuple[date, str]] = field(default_factory=list)  # (day, new|unchanged|none|copied)
    audio_fetched: int = 0
    audio_present: int = 0
    bytes_fetched: int = 0
    #: what could not be fetched, each said in one line
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def changed(self) -> bool:
        """A playlist arrived (new or copied)."""
        return any(status in ("new", "copied") for _d, status in self.days)

    def summary(self) -> Msg:
        counts: dict[str, int] = {}
        for _d, status in self.days:
            counts[status] = counts.get(status, 0) + 1
        playlists = ", ".join(
            str(Msg(DAY_STATES.get(s, "{n} " + s), {"n": n})) for s, n in sorted(counts.items())
        )
        text = _(
            "playlists: {playlists}; audio: {fetched} fetched ({mb} MB), {present} already here",
            playlists=playlists or _("none"),
            fetched=self.audio_fetched,
            mb=round(self.bytes_fetched / 1e6, 1),
            present=self.audio_present,
        )
        if self.failures:
            return _("{summary}; {n} failed", summary=text, n=len(self.failures))
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
            where = str(_("the playlist of {day}", day=fmt_date(day)))
            doc = _parse(fetched.body, where)
            read_playlist(doc, client.station, where)  # refuse a wrong one early
            write_atomically(path, fetched.body)
            if fetched.etag:
                store.put(f"etag:{day.isoformat()}", fetched.etag)
            say(str(_("{day}: new playlist", day=fmt_date(day))))
        report.days.append((day, fetched.status))
    fetch_audio(client, folder, current_refs(folder, today), report, say)
    return report


def _parse(body: bytes, where: str) -> dict[str, Any]:
    import json

    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise TransferError(
            _("{where}: the server sent something that is not JSON", where=where)
        ) from exc
    if not isinstance(doc, dict):
        raise TransferError(
            _(
                "{where}: the server sent a JSON {kind}, not a playlist",
                where=where,
                kind=type(doc).__name__,
            )
        )
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
        except ServerUnreachable:
            raise  # every other file would fail the same way
        except BroadcasterError as exc:
            report.failures.append(str(_("audio {hash}: {error}", hash=ref.hash, error=exc)))
            continue
        size = part.stat().st_size
        os.replace(part, target)
        report.audio_fetched += 1
        report.bytes_fetched += size - before
        say(str(_("audio {hash}… {kb} kB", hash=ref.hash[:12], kb=round(size / 1e3))))


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
        raise InputError(
            _(
                "{source} is not a folder; give the exported folder (e.g. the USB stick)",
                source=source,
            )
        )
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
                report.failures.append(str(_("{file}: {error}", file=path.name, error=exc)))
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
        _copy_exported_audio(path, doc, root, folder, report)
        target = folder.playlist_path(day)
        data = path.read_bytes()
        status = "unchanged" if target.is_file() and target.read_bytes() == data else "copied"
        if status == "copied":
            write_atomically(target, data)
            say(str(_("{day}: playlist copied from {path}", day=fmt_date(day), path=path)))
        report.days.append((day, status))
    if not found_any:
        raise InputError(
            _(
                "no playlists for {station} in {source}; is this an exported folder?",
                station=station,
                source=source,
            )
        )
    if past and not report.days:
        raise InputError(
            _(
                "the playlists for {station} in {source} are for {first}…{last}, all before "
                "today ({today}); export the coming days at the office with "
                "'broadcaster playlist export'",
                station=station,
                source=source,
                first=fmt_date(min(past)),
                last=fmt_date(max(past)),
                today=fmt_date(today),
            )
        )
    return report


def _copy_exported_audio(
    playlist: Path, doc: dict[str, Any], root: Path, folder: LocalFolder, report: PullReport
) -> None:
    """The audio an exported playlist needs, copied in (checked) unless already here."""
    for ref in audio_refs(doc):
        if folder.audio_path(ref.hash) is not None:
            report.audio_present += 1
            continue
        src = _find_exported_audio(playlist.parent, root, ref)
        if src is None:
            missing = _(
                "{file}: audio {hash} is not in {folder}",
                file=playlist.name,
                hash=ref.hash,
                folder=root,
            )
            report.failures.append(str(missing))
            continue
        _copy_verified(src, folder.audio_target(ref.hash, src.suffix), ref)
        report.audio_fetched += 1
        report.bytes_fetched += src.stat().st_size


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
        raise InputError(
            _(
                "{file} is damaged (SHA-256 does not match the playlist); export it again",
                file=src,
            )
        )
    os.replace(part, target)
