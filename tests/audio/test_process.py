"""Post-processing with real ffmpeg: trim, loudness, limiter, chime, MP3 format, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcaster.audio import (
    AudioError,
    ChimeMode,
    PostProcessing,
    UndecodableAudio,
    load_audio,
    measure_file,
    process_file,
)
from broadcaster.audio.chime import make_chime

from .tones import espeak, noise, probe, silence, tone


def test_a_quiet_tone_is_trimmed_and_brought_to_the_target(tmp_path: Path) -> None:
    source = tone(tmp_path / "in.wav", seconds=3, dbfs=-35, lead=1.5, tail=2.0)
    result = process_file(source, tmp_path / "out.mp3", PostProcessing(), chime=False)

    # 1.5 s and 2 s of silence are cut down to the 150 ms pads
    assert 3.2 <= result.duration_ms / 1000 <= 3.45
    again = measure_file(result.path)
    assert again.integrated_lufs == pytest.approx(-16.0, abs=1.0)
    assert again.true_peak_dbtp <= -1.0
    assert result.loudness == again


def test_output_is_mp3_mono_at_the_configured_bitrate(tmp_path: Path) -> None:
    source = tone(tmp_path / "in.wav", seconds=2, sample_rate=22050)
    post = PostProcessing(bitrate_kbps=96, sample_rate=44100)
    out = process_file(source, tmp_path / "out.mp3", post, chime=False).path

    info = probe(out)
    assert info["codec_name"] == "mp3"
    assert info["channels"] == "1"
    assert info["sample_rate"] == "44100"
    assert info["bit_rate"] == "96000"


def test_full_scale_noise_is_limited_below_the_true_peak_ceiling(tmp_path: Path) -> None:
    source = noise(tmp_path / "loud.wav", dbfs=-1.0)
    post = PostProcessing(target_lufs=-14.0, true_peak_dbtp=-1.0)
    result = process_file(source, tmp_path / "out.mp3", post, chime=False)

    assert result.loudness.true_peak_dbtp <= -1.0
    assert result.loudness.integrated_lufs == pytest.approx(-14.0, abs=1.0)


def test_a_different_target_is_met(tmp_path: Path) -> None:
    source = espeak(tmp_path / "speech.wav", "Xin chào bà con. Đây là thông báo của xã.")
    post = PostProcessing(target_lufs=-23.0, true_peak_dbtp=-2.0)
    result = process_file(source, tmp_path / "out.mp3", post, chime=False)

    assert result.loudness.integrated_lufs == pytest.approx(-23.0, abs=1.0)
    assert result.loudness.true_peak_dbtp <= -2.0


def test_chime_before_and_after_surrounds_the_speech(tmp_path: Path) -> None:
    chime = make_chime(tmp_path / "chime.mp3")
    assert 2000 <= chime.duration_ms <= 2600
    source = tone(tmp_path / "in.wav", seconds=3, dbfs=-20)
    plain = process_file(source, tmp_path / "plain.mp3", PostProcessing(), chime=False)
    post = PostProcessing(chime=ChimeMode.BOTH, chime_file=chime.path, chime_gap_ms=400)
    both = process_file(source, tmp_path / "both.mp3", post, chime=True)

    added = both.duration_ms - plain.duration_ms
    assert added == pytest.approx(2 * (chime.duration_ms + 400), abs=150)
    assert both.loudness.integrated_lufs == pytest.approx(-16.0, abs=1.0)


def test_a_missing_chime_file_says_how_to_make_one(tmp_path: Path) -> None:
    source = tone(tmp_path / "in.wav", seconds=1)
    post = PostProcessing(chime=ChimeMode.BEFORE, chime_file=tmp_path / "nope.mp3")
    with pytest.raises(AudioError, match=r"make_chime\.py"):
        process_file(source, tmp_path / "out.mp3", post, chime=True)


def test_a_file_that_is_not_audio_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "thong-bao.mp3"
    bad.write_bytes(b"this is a text file, not an MP3\n" * 50)
    with pytest.raises(UndecodableAudio, match=r"thong-bao\.mp3: ffmpeg không giải mã được"):
        process_file(bad, tmp_path / "out.mp3", PostProcessing(), chime=False)
    assert not (tmp_path / "out.mp3").exists()


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(UndecodableAudio, match=r"empty\.wav: tệp rỗng \(0 byte\)"):
        load_audio(empty)


def test_silence_is_refused_rather_than_boosted(tmp_path: Path) -> None:
    quiet = silence(tmp_path / "quiet.wav")
    with pytest.raises(
        UndecodableAudio, match=r"quiet\.wav: chỉ có khoảng lặng; không có âm thanh"
    ):
        process_file(quiet, tmp_path / "out.mp3", PostProcessing(), chime=False)
    assert list(tmp_path.glob("out*")) == []


def test_near_silence_is_refused_too(tmp_path: Path) -> None:
    hiss = tone(tmp_path / "hiss.wav", seconds=2, dbfs=-68)
    post = PostProcessing(trim_threshold_dbfs=-85)  # kept by the trim, caught by the meter
    with pytest.raises(UndecodableAudio, match="hoặc gần như im lặng"):
        process_file(hiss, tmp_path / "out.mp3", post, chime=False)
