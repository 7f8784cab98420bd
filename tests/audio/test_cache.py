"""The content-addressed cache: keys, complete entries only, stats and prune."""

from __future__ import annotations

import os
import time
from pathlib import Path

from broadcaster.audio import AudioCache, PostProcessing, cache_key, process_file

from .tones import tone


def _entry(cache: AudioCache, tmp_path: Path, key: str, seconds: float = 1.0) -> None:
    source = tone(tmp_path / f"{key[:6]}.wav", seconds=seconds)
    processed = process_file(source, tmp_path / f"{key[:6]}.mp3", PostProcessing(), chime=False)
    cache.commit(
        key,
        processed,
        kind="tts",
        engine="espeak-ng",
        voice="vi",
        created_at="2026-05-01T00:00:00+00:00",
    )


def test_the_key_changes_with_any_input_and_not_with_dict_order() -> None:
    base = {"text": "xin chào", "engine": "espeak-ng", "post": {"a": 1, "b": 2}}
    assert cache_key(base) == cache_key(
        {"post": {"b": 2, "a": 1}, "engine": "espeak-ng", "text": "xin chào"}
    )
    assert cache_key(base) != cache_key({**base, "text": "xin chào."})
    assert cache_key(base) != cache_key({**base, "post": {"a": 1, "b": 3}})


def test_a_committed_file_is_found_with_its_measurements(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "audio")
    key = cache_key({"n": 1})
    _entry(cache, tmp_path, key, seconds=2)

    entry = cache.get(key)
    assert entry is not None
    assert entry.relpath == f"cache/{key[:2]}/{key}.mp3"
    assert (tmp_path / "audio" / entry.relpath).stat().st_size == entry.size_bytes > 0
    assert 2000 <= entry.duration_ms <= 2400
    assert -17 <= entry.loudness_lufs <= -15


def test_an_mp3_without_its_sidecar_is_an_interrupted_write_and_a_miss(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "audio")
    key = cache_key({"n": 2})
    path = cache.audio_path(key)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfb" * 100)
    assert cache.get(key) is None


def test_stats_count_files_and_those_no_segment_uses(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "audio")
    used, loose = cache_key({"n": 3}), cache_key({"n": 4})
    _entry(cache, tmp_path, used)
    _entry(cache, tmp_path, loose)

    stats = cache.stats(referenced={used})
    assert stats.files == 2
    assert stats.unreferenced == 1
    assert stats.by_engine == {"espeak-ng": 2}
    assert 0 < stats.unreferenced_bytes < stats.bytes


def test_prune_deletes_unused_audio_and_stale_leftovers_only(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "audio")
    used, loose = cache_key({"n": 5}), cache_key({"n": 6})
    _entry(cache, tmp_path, used)
    _entry(cache, tmp_path, loose)
    stale = cache.root / ".work-old"
    stale.mkdir()
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = cache.root / ".work-running"
    fresh.mkdir()

    dry = cache.prune({used}, dry_run=True)
    assert (dry.removed, dry.kept, dry.dry_run) == (2, 1, True)
    assert cache.get(loose) is not None

    done = cache.prune({used})
    assert done.removed == 2 and done.freed_bytes > 0
    assert cache.get(used) is not None
    assert cache.get(loose) is None
    assert not cache.audio_path(loose).exists()
    assert not stale.exists()
    assert fresh.exists()  # another run may be working in it
