"""Audio by content hash: where a hash's file lives, and storing new audio under its hash.

A hash is checked against :data:`AUDIO_HASH_RE` before it touches the file system, so no
name from a URL or a playlist can walk out of the cache folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from broadcaster.domain.distribution import AUDIO_HASH_RE
from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _

AUDIO_SUFFIXES = (".mp3", ".ogg", ".opus", ".wav", ".m4a")


def check_hash(value: str) -> str:
    if not AUDIO_HASH_RE.match(value):
        raise InputError(
            _(
                "{value} is not an audio hash (16–128 lowercase hexadecimal characters)",
                value=repr(value[:80]),
            )
        )
    return value


def find_audio(cache_dir: Path, audio_hash: str) -> Path | None:
    """The cached file for a hash (``<hash>.mp3`` and kin, flat or in a 2-letter subfolder)."""
    check_hash(audio_hash)
    for folder in (cache_dir, cache_dir / audio_hash[:2]):
        for suffix in AUDIO_SUFFIXES:
            candidate = folder / f"{audio_hash}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store_audio(cache_dir: Path, data: bytes, suffix: str = ".mp3") -> tuple[str, Path]:
    """Keep audio bytes under their SHA-256; storing the same bytes twice is a no-op."""
    audio_hash = hashlib.sha256(data).hexdigest()
    existing = find_audio(cache_dir, audio_hash)
    if existing is not None:
        return audio_hash, existing
    path = cache_dir / f"{audio_hash}{suffix}"
    write_atomically(path, data)
    return audio_hash, path
