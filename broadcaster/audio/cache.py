"""Content-addressed store of finished audio: ``<audio_dir>/cache/ab/abcdef….mp3`` + ``.json``.

The key is the SHA-256 of everything that decides the sound (normalised text, engine, voice,
engine and post-processing settings, post-processing version; or a recorded file's bytes), so a
file is made once and a change of any input makes a new one. The JSON sidecar is written last:
an MP3 without it is an interrupted write and counts as absent.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .process import ProcessedAudio

#: scratch files and folders older than this are leftovers of killed runs
STALE_SECONDS = 3600


def cache_key(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``payload``."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    key: str
    #: relative to the audio folder, e.g. ``cache/ab/ab12….mp3``
    relpath: str
    duration_ms: int
    loudness_lufs: float
    true_peak_dbtp: float
    kind: str  # "tts" | "recorded"
    engine: str | None
    voice: str | None
    created_at: str  # ISO 8601, aware
    size_bytes: int
    label: str = ""


@dataclass(frozen=True)
class CacheStats:
    files: int
    bytes: int
    duration_ms: int
    by_engine: dict[str, int]
    unreferenced: int
    unreferenced_bytes: int


@dataclass(frozen=True)
class PruneResult:
    removed: int
    freed_bytes: int
    kept: int
    dry_run: bool


class AudioCache:
    """The cache folder ``<audio_dir>/cache``."""

    def __init__(self, audio_dir: Path) -> None:
        self.audio_dir = audio_dir
        self.root = audio_dir / "cache"

    def audio_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.mp3"

    def _meta_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def resolve(self, relpath: str) -> Path:
        return self.audio_dir / relpath

    def get(self, key: str) -> CacheEntry | None:
        meta, audio = self._meta_path(key), self.audio_path(key)
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            size = audio.stat().st_size
        except (OSError, ValueError):
            return None
        if size == 0:
            return None
        try:
            return CacheEntry(**{**data, "size_bytes": size})
        except TypeError:
            return None  # a sidecar from an incompatible version: make the file again

    def commit(
        self,
        key: str,
        processed: ProcessedAudio,
        *,
        kind: str,
        engine: str | None,
        voice: str | None,
        created_at: str,
        label: str = "",
    ) -> CacheEntry:
        """Record a finished file that was written to :meth:`audio_path`."""
        audio = self.audio_path(key)
        if processed.path != audio:
            audio.parent.mkdir(parents=True, exist_ok=True)
            os.replace(processed.path, audio)
        entry = CacheEntry(
            key=key,
            relpath=audio.relative_to(self.audio_dir).as_posix(),
            duration_ms=processed.duration_ms,
            loudness_lufs=processed.loudness.integrated_lufs,
            true_peak_dbtp=processed.loudness.true_peak_dbtp,
            kind=kind,
            engine=engine,
            voice=voice,
            created_at=created_at,
            size_bytes=audio.stat().st_size,
            label=label[:200],
        )
        meta = self._meta_path(key)
        tmp = meta.with_name(f".{meta.name}.{os.getpid()}.part")
        data = asdict(entry)
        data.pop("size_bytes")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, meta)
        return entry

    def entries(self) -> Iterator[CacheEntry]:
        if not self.root.is_dir():
            return
        for meta in sorted(self.root.glob("??/*.json")):
            entry = self.get(meta.stem)
            if entry is not None:
                yield entry

    def stats(self, referenced: Iterable[str] = ()) -> CacheStats:
        keep = set(referenced)
        files = size = duration = loose = loose_bytes = 0
        by_engine: dict[str, int] = {}
        for e in self.entries():
            files += 1
            size += e.size_bytes
            duration += e.duration_ms
            name = e.engine or e.kind
            by_engine[name] = by_engine.get(name, 0) + 1
            if e.key not in keep:
                loose += 1
                loose_bytes += e.size_bytes
        return CacheStats(files, size, duration, by_engine, loose, loose_bytes)

    def prune(self, referenced: Iterable[str], *, dry_run: bool = False) -> PruneResult:
        """Delete cached audio no segment uses, broken writes and stale scratch files."""
        keep = set(referenced)
        removed = freed = kept = 0
        if not self.root.is_dir():
            return PruneResult(0, 0, 0, dry_run)
        now = time.time()
        for path in sorted(self.root.iterdir()):
            if path.name.startswith(".work-"):
                if now - path.stat().st_mtime > STALE_SECONDS:
                    removed += 1
                    if not dry_run:
                        shutil.rmtree(path, ignore_errors=True)
                continue
            if not path.is_dir():
                continue
            for f in sorted(path.iterdir()):
                key = f.name.split(".")[0] if not f.name.startswith(".") else ""
                stale_part = f.name.startswith(".") and now - f.stat().st_mtime > STALE_SECONDS
                complete = key and self.get(key) is not None
                if key in keep and complete:
                    if f.suffix == ".mp3":
                        kept += 1
                    continue
                if f.name.startswith(".") and not stale_part:
                    continue  # another run may be writing it right now
                if f.suffix == ".mp3" or stale_part or f.suffix == ".json":
                    if f.suffix == ".mp3":
                        removed += 1
                    freed += f.stat().st_size
                    if not dry_run:
                        f.unlink(missing_ok=True)
        return PruneResult(removed, freed, kept, dry_run)
