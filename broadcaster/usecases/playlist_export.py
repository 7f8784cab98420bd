"""Write an office's week of playlists, with the audio they play, into folders for a USB stick."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from broadcaster.db import Database
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.messages import _, _n
from broadcaster.domain.segments import Segment
from broadcaster.playlists import render_csv, render_html, render_json, render_m3u8
from broadcaster.playlists.paper import Letterhead

from .letterheads import playlist_letterhead
from .plans import office_playlists


def audio_suffix(seg: Segment | None) -> str:
    return (Path(seg.path).suffix or ".mp3") if seg is not None else ".mp3"


def relative_audio_path(segments: dict[str, Segment], audio_hash: str) -> str:
    """Where a playlist in a station folder finds an audio file: ``audio/<hash>.mp3``."""
    return f"audio/{audio_hash}{audio_suffix(segments.get(audio_hash))}"


@dataclass
class ExportReport:
    out_dir: Path
    version: int | None  # None: the draft, nothing published yet
    playlists: dict[str, int] = field(default_factory=dict)  # station → playlists written
    audio_files: int = 0

    @property
    def total(self) -> int:
        return sum(self.playlists.values())


def export_office_week(
    db: Database, office: str, week: date | str, out_dir: Path, audio_root: Path
) -> ExportReport:
    """One folder per station: per date the playlist as JSON, M3U8, CSV and printable HTML,
    and ``audio/`` with every file they name (paths in the playlists are relative).

    Refuses, after writing what it could, when audio named by the plan is missing.
    """
    playlists, version, segments = office_playlists(db, office, week)
    if not playlists:
        raise NotFoundError(
            _("the plan of office {office} for {week} has no playlist", office=office, week=week)
        )
    report = ExportReport(out_dir, version)
    missing: set[str] = set()
    heads: dict[str, Letterhead] = {}

    def path_of(h: str) -> str:
        return relative_audio_path(segments, h)

    for pl in playlists:
        folder = out_dir / pl.station_code
        (folder / "audio").mkdir(parents=True, exist_ok=True)
        stem = pl.day.isoformat()
        _write(folder / f"{stem}.json", render_json(pl, version, path_of))
        _write(folder / f"{stem}.m3u8", render_m3u8(pl, path_of))
        # Excel opens a UTF-8 CSV with Vietnamese correctly only with a byte-order mark
        _write(folder / f"{stem}.csv", render_csv(pl), encoding="utf-8-sig")
        head = heads.get(pl.station_code) or playlist_letterhead(db, pl.station_code)
        heads[pl.station_code] = head
        _write(folder / f"{stem}.html", render_html(pl, version, head))
        for h in sorted({e.audio for e in pl.entries if e.audio}):
            seg = segments[h]
            source = audio_root / seg.path
            target = folder / path_of(h)
            if target.exists() and target.stat().st_size == source.stat().st_size:
                continue
            if not source.is_file():
                missing.add(str(_("{path} (item {id})", path=source, id=seg.item_id)))
                continue
            tmp = target.with_name(target.name + ".part")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
            report.audio_files += 1
        report.playlists[pl.station_code] = report.playlists.get(pl.station_code, 0) + 1
    if missing:
        shown = ", ".join(sorted(missing)[:5])
        raise InputError(
            _n(
                "{n} audio file named by the plan is missing: {files}; make it again with "
                "'broadcaster speech synth' or 'broadcaster segments add', then export again",
                "{n} audio files named by the plan are missing: {files}; make them again with "
                "'broadcaster speech synth' or 'broadcaster segments add', then export again",
                len(missing),
                files=shown,
            )
        )
    return report


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding=encoding)
    tmp.replace(path)
