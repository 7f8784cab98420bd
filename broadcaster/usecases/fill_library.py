"""What a station airs when announcements leave time: the shipped chime between announcements,
and the office's library of programmes and music (recordings registered with no item,
``broadcaster segments add FILE``) rotated into free time."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from broadcaster.audio.ffmpeg import measure_file, probe_duration_ms
from broadcaster.audio.store import store_audio
from broadcaster.db import UnitOfWork
from broadcaster.domain.planning import PlannerSettings
from broadcaster.domain.planning.model import FillPiece
from broadcaster.domain.segments import Segment, SegmentKind
from broadcaster.speech.settings import SHIPPED_CHIME

#: what the chime segment is called (its original file name)
CHIME_NAME = "chime.mp3"


@cache
def chime_hash(path: Path = SHIPPED_CHIME) -> str:
    """The content hash of the shipped chime (the name its segment is stored under)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_chime(uow: UnitOfWork, audio_dir: Path, now: datetime) -> Segment | None:
    """The shipped chime as a segment with no item, stored once in the audio cache, so that
    playlists name it between announcements and stations fetch it like any other audio.
    None when the shipped file is missing (the chime entries then carry no audio)."""
    if not SHIPPED_CHIME.is_file():
        return None
    digest, path = store_audio(audio_dir / "cache", SHIPPED_CHIME.read_bytes())
    known = uow.segments.unattached([digest])
    if digest in known:
        return known[digest]
    segment = Segment(
        content_hash=digest,
        kind=SegmentKind.RECORDED,
        path=str(path.relative_to(audio_dir)),
        duration=timedelta(milliseconds=probe_duration_ms(path)),
        loudness_lufs=measure_file(path).integrated_lufs,
        created_at=now,
        source_name=CHIME_NAME,
    )
    stored, _new = uow.segments.add(segment)
    return stored


def library_pieces(uow: UnitOfWork) -> tuple[FillPiece, ...]:
    """The office's programmes and music: recordings with no item, oldest first, but the chime."""
    chime = chime_hash() if SHIPPED_CHIME.is_file() else None
    pieces = []
    for seg in uow.segments.list():
        if seg.item_id is not None or seg.kind is not SegmentKind.RECORDED:
            continue
        if seg.content_hash == chime or seg.duration <= timedelta():
            continue
        title = Path(seg.source_name or seg.path).stem.replace("_", " ")
        pieces.append(
            (seg.created_at, seg.id or 0, FillPiece(seg.content_hash, title, seg.duration))
        )
    return tuple(piece for _at, _id, piece in sorted(pieces, key=lambda p: (p[0], p[1])))


def with_library(settings: PlannerSettings, uow: UnitOfWork) -> PlannerSettings:
    """Settings whose fill policies (the default and each station's) use the stored library."""
    library = library_pieces(uow)
    if not library:
        return settings
    return replace(
        settings,
        fill=replace(settings.fill, library=library),
        station_fill={
            code: replace(policy, library=library) for code, policy in settings.station_fill.items()
        },
    )
