"""Joining finished segments into one session file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from broadcaster.audio import (
    AudioError,
    PostProcessing,
    assemble,
    measure_file,
    mp3_format,
    process_file,
)
from broadcaster.audio.assemble import Mp3Format

from .tones import probe, tone


def _segments(tmp_path: Path, lengths: list[float]) -> list[Path]:
    out = []
    for i, seconds in enumerate(lengths):
        source = tone(tmp_path / f"t{i}.wav", seconds=seconds, freq=300 + 100 * i, dbfs=-20 - 3 * i)
        out.append(process_file(source, tmp_path / f"s{i}.mp3", PostProcessing(), chime=False).path)
    return out


def test_mp3_format_reads_the_frame_header(tmp_path: Path) -> None:
    (seg,) = _segments(tmp_path, [1])
    assert mp3_format(seg) == Mp3Format(44100, 1)
    assert mp3_format(tone(tmp_path / "x.wav", seconds=1)) is None


def test_segments_are_joined_with_gaps_without_re_encoding(tmp_path: Path) -> None:
    parts = _segments(tmp_path, [2, 3, 1.5])
    result = assemble(parts, tmp_path / "session.mp3", gap=timedelta(seconds=1))

    assert result.copied
    assert result.parts == 3
    # 3 segments and 2 gaps; MP3 framing adds a few tens of ms per join
    expected = (2 + 3 + 1.5 + 2) * 1000
    assert result.duration_ms == pytest.approx(expected, abs=400)
    assert measure_file(result.path).integrated_lufs == pytest.approx(-16.0, abs=1.0)
    assert probe(result.path)["channels"] == "1"


def test_parts_of_other_formats_are_decoded_and_encoded_once(tmp_path: Path) -> None:
    (mp3,) = _segments(tmp_path, [1])
    wav = tone(tmp_path / "other.wav", seconds=2, sample_rate=22050)
    result = assemble([mp3, wav], tmp_path / "mixed.mp3", gap=timedelta(milliseconds=500))

    assert not result.copied
    assert result.duration_ms == pytest.approx((1 + 0.5 + 2) * 1000, abs=300)
    info = probe(result.path)
    assert (info["codec_name"], info["sample_rate"], info["channels"]) == ("mp3", "44100", "1")


def test_an_empty_session_or_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="buổi phát không có đoạn âm thanh nào"):
        assemble([], tmp_path / "x.mp3")
    with pytest.raises(AudioError, match=r"thiếu tệp âm thanh .*gone\.mp3"):
        assemble([tmp_path / "gone.mp3"], tmp_path / "x.mp3")
