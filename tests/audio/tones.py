"""Audio fixtures made in the test run (never committed): tones, silence, noise, speech."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pydub import AudioSegment
from pydub.generators import Sine, WhiteNoise


def tone(
    path: Path,
    *,
    seconds: float = 3.0,
    dbfs: float = -30.0,
    freq: float = 440.0,
    lead: float = 0.0,
    tail: float = 0.0,
    sample_rate: int = 44100,
) -> Path:
    """A sine tone at ``dbfs`` with silence before and after, in the format of ``path``'s suffix."""
    sound = Sine(freq, sample_rate=sample_rate).to_audio_segment(seconds * 1000, volume=dbfs)
    audio = (
        AudioSegment.silent(lead * 1000, frame_rate=sample_rate)
        + sound
        + AudioSegment.silent(tail * 1000, frame_rate=sample_rate)
    )
    audio.export(str(path), format=path.suffix.lstrip(".")).close()
    return path


def noise(path: Path, *, seconds: float = 2.0, dbfs: float = 0.0) -> Path:
    """Full-scale white noise: peaks everywhere, a test for the limiter."""
    audio = WhiteNoise().to_audio_segment(seconds * 1000, volume=dbfs).set_channels(1)
    audio.export(str(path), format=path.suffix.lstrip(".")).close()
    return path


def silence(path: Path, *, seconds: float = 2.0) -> Path:
    AudioSegment.silent(seconds * 1000, frame_rate=44100).export(
        str(path), format=path.suffix.lstrip(".")
    ).close()
    return path


def espeak(path: Path, text: str, *, voice: str = "vi") -> Path:
    """Real Vietnamese speech from espeak-ng as WAV."""
    subprocess.run(
        ["espeak-ng", "-v", voice, "-b", "1", "-w", str(path), "--stdin"],
        input=text.encode("utf-8"),
        check=True,
        capture_output=True,
    )
    return path


def probe(path: Path) -> dict[str, str]:
    """codec_name, sample_rate, channels, bit_rate of the first audio stream."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=codec_name,sample_rate,channels,bit_rate",
            "-of",
            "default=noprint_wrappers=1",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
