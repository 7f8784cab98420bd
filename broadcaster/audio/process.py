"""Post-processing of announcement and recorded audio.

decode (pydub over ffmpeg) → mono 16-bit → trim leading/trailing silence → optional chime before
and/or after → measure loudness (ffmpeg ``ebur128``) → one final encode applying the measured gain
and a limiter (ffmpeg ``volume`` + ``alimiter``) → MP3 mono at the configured bitrate.

Measuring once and applying gain + limiter in the single encode reaches the target in one pass
(two-pass ``loudnorm`` is several times slower on long audio); the result is measured again and
corrected once if the limiter pulled it off target.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError
from pydub.silence import detect_leading_silence

from broadcaster.domain.messages import N_, Msg, _
from broadcaster.domain.segments import ChimeMode

from .errors import AudioError, UndecodableAudio
from .ffmpeg import (
    Loudness,
    last_error_line,
    measure_file,
    measure_pcm,
    measure_pcm_branches,
    pcm_input,
    run_ffmpeg,
)

#: bump when the processing below changes what comes out, so cached audio is made again
POSTPROCESS_VERSION = 2

#: audio quieter than this (integrated) is treated as silence, not boosted by 50 dB
QUIETEST_LUFS = -60.0

#: headroom under the true-peak ceiling for inter-sample peaks and MP3 overshoot
LIMITER_MARGIN_DB = 1.0

#: loudness a low-bitrate MP3 encode takes off (measured on speech at 64 kbps)
MP3_LOSS_LU = 0.3

#: the result may be this far from the target before one corrective re-encode
TOLERANCE_LU = 0.5

#: the gains tried above the plain gain in the one gain-search run (the limiter only takes off)
TRIAL_STEPS_DB = (0.0, 2.0, 4.0)

SILENT = N_("{name}: nothing but silence; there is no sound to broadcast")


@dataclass(frozen=True)
class PostProcessing:
    """How every segment is finished; part of each cached file's key."""

    target_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    bitrate_kbps: int = 64
    sample_rate: int = 44100
    trim_threshold_dbfs: float = -50.0
    #: silence kept at each end after trimming, so words are not clipped
    pad_ms: int = 150
    chime: ChimeMode = ChimeMode.NONE
    chime_file: Path | None = None
    #: silence between the chime and the speech
    chime_gap_ms: int = 400
    #: LAME's algorithm quality, 0 (slowest) to 9: 7 encodes speech at 64 kbps twice as fast as
    #: LAME's default 3 with no difference a loudspeaker could carry
    mp3_quality: int = 7

    def fingerprint(self, *, with_chime: bool) -> dict[str, Any]:
        """What goes into a cache key: every value that changes the output."""
        data: dict[str, Any] = {
            "version": POSTPROCESS_VERSION,
            "target_lufs": round(self.target_lufs, 2),
            "true_peak_dbtp": round(self.true_peak_dbtp, 2),
            "bitrate_kbps": self.bitrate_kbps,
            "sample_rate": self.sample_rate,
            "trim_threshold_dbfs": round(self.trim_threshold_dbfs, 2),
            "pad_ms": self.pad_ms,
            "mp3_quality": self.mp3_quality,
        }
        mode = self.chime if with_chime else ChimeMode.NONE
        data["chime"] = mode.value
        if mode is not ChimeMode.NONE:
            data["chime_gap_ms"] = self.chime_gap_ms
            data["chime_sha256"] = file_sha256(self.require_chime_file())
        return data

    def require_chime_file(self) -> Path:
        if self.chime_file is None or not self.chime_file.is_file():
            raise AudioError(
                _(
                    "chime file {path} does not exist; run 'python scripts/make_chime.py' or set "
                    '[speech] chime_file (or chime = "none")',
                    path=str(self.chime_file) if self.chime_file else _("(not set)"),
                )
            )
        return self.chime_file


@dataclass(frozen=True)
class ProcessedAudio:
    """A finished file and what was measured on it."""

    path: Path
    duration_ms: int
    loudness: Loudness


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_audio(path: Path, *, label: str | Msg | None = None) -> AudioSegment:
    """Decode any file ffmpeg reads into mono 16-bit audio, or say clearly why not."""
    name = label or str(path)
    if not path.is_file():
        raise UndecodableAudio(_("{name}: no such file", name=name))
    if path.stat().st_size == 0:
        raise UndecodableAudio(
            _("{name}: the file is empty (0 bytes); record or export it again", name=name)
        )
    try:
        segment = AudioSegment.from_file(str(path))
    except CouldntDecodeError as exc:
        raise UndecodableAudio(
            _(
                "{name}: ffmpeg cannot decode it ({reason}); give an audio file that plays "
                "(MP3, WAV, OGG, M4A…)",
                name=name,
                reason=last_error_line(str(exc)),
            )
        ) from exc
    except (IndexError, KeyError, ValueError, OSError) as exc:
        # pydub trips over odd ffprobe output for files that are not audio at all
        raise UndecodableAudio(
            _(
                "{name}: not an audio file ffmpeg can read ({error}); give an audio file that "
                "plays (MP3, WAV, OGG, M4A…)",
                name=name,
                error=exc.__class__.__name__,
            )
        ) from exc
    if len(segment) == 0:
        raise UndecodableAudio(_("{name}: holds no audio (0 seconds long)", name=name))
    return segment.set_channels(1).set_sample_width(2)


def trim_silence(segment: AudioSegment, *, threshold_dbfs: float, pad_ms: int) -> AudioSegment:
    """Cut silence at both ends, keeping ``pad_ms`` of it; empty if it is all silence."""
    lead = detect_leading_silence(segment, silence_threshold=threshold_dbfs, chunk_size=10)
    if lead >= len(segment):
        return segment[:0]
    tail = detect_leading_silence(
        segment.reverse(), silence_threshold=threshold_dbfs, chunk_size=10
    )
    start = max(0, lead - pad_ms)
    end = min(len(segment), len(segment) - tail + pad_ms)
    return segment[start:end]


@lru_cache(maxsize=4)
def _chime(path: Path, mtime_ns: int) -> AudioSegment:
    return load_audio(path, label=_("chime {path}", path=str(path)))


def add_chime(segment: AudioSegment, post: PostProcessing) -> AudioSegment:
    """Put the shipped chime before and/or after the speech, per the setting."""
    if post.chime is ChimeMode.NONE:
        return segment
    path = post.require_chime_file()
    chime = _chime(path, path.stat().st_mtime_ns).set_frame_rate(segment.frame_rate)
    gap = AudioSegment.silent(duration=post.chime_gap_ms, frame_rate=segment.frame_rate)
    out = segment
    if post.chime.before:
        out = chime + gap + out
    if post.chime.after:
        out = out + gap + chime
    return out


def _db_to_linear(db: float) -> float:
    return float(10 ** (db / 20))


def _gain_and_limiter(gain_db: float, ceiling_db: float) -> str:
    limit = min(1.0, max(0.0625, _db_to_linear(ceiling_db)))
    return (
        f"volume={gain_db:.3f}dB,"
        f"alimiter=limit={limit:.5f}:level=disabled:latency=enabled:attack=5:release=80"
    )


def _encode(
    segment: AudioSegment, out: Path, *, gain_db: float, ceiling_db: float, post: PostProcessing
) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        run_ffmpeg(
            [
                *pcm_input(segment.frame_rate, 1),
                "-af",
                _gain_and_limiter(gain_db, ceiling_db),
                "-ar",
                str(post.sample_rate),
                "-ac",
                "1",
                "-c:a",
                "libmp3lame",
                "-b:a",
                f"{post.bitrate_kbps}k",
                "-compression_level",
                str(post.mp3_quality),
                "-map_metadata",
                "-1",
                "-f",
                "mp3",
                str(tmp),
            ],
            input=segment.raw_data,
            what=_("encoding {name}", name=out.name),
        )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _find_gain(
    segment: AudioSegment, measured: Loudness, post: PostProcessing, ceiling: float
) -> float:
    """The gain that lands on the target once the limiter has shaved the peaks.

    Speech synthesisers are peaky: the limiter takes 1–3 LU off a plain gain. Three trial gains
    run through gain + limiter + ebur128 in one ffmpeg process (no encoding, one decode); the
    loudness grows monotonically with the gain, so the gain is read off between two trials.
    """
    # a 64 kbps MP3 loses a little of the highest band: aim that much above the target
    aim = post.target_lufs + MP3_LOSS_LU
    plain = aim - measured.integrated_lufs
    if measured.true_peak_dbtp + plain <= ceiling - 0.5:
        return plain  # the limiter will not touch it: the plain gain is exact
    gains = [plain + step for step in TRIAL_STEPS_DB]
    trials = measure_pcm_branches(
        segment.raw_data,
        sample_rate=segment.frame_rate,
        branches=[_gain_and_limiter(g, ceiling) for g in gains],
    )
    points = list(zip(gains, (t.integrated_lufs for t in trials), strict=True))
    for (g1, l1), (g2, l2) in itertools.pairwise(points):
        if l1 <= aim <= l2 and l2 > l1:
            return g1 + (aim - l1) * (g2 - g1) / (l2 - l1)
    # outside the trials: extend the nearest two (the slope kept sane for a hard limiter)
    (g1, l1), (g2, l2) = points[:2] if aim < points[0][1] else points[-2:]
    slope = min(1.0, max(0.3, (l2 - l1) / (g2 - g1)))
    base_gain, base_lufs = (g1, l1) if aim < points[0][1] else (g2, l2)
    return base_gain + (aim - base_lufs) / slope


def finish(segment: AudioSegment, out: Path, post: PostProcessing, *, label: str) -> ProcessedAudio:
    """Loudness-normalise ``segment`` and write it to ``out`` as MP3 (never a partial file)."""
    if len(segment) == 0:
        raise UndecodableAudio(_(SILENT, name=label))
    measured = measure_pcm(segment.raw_data, sample_rate=segment.frame_rate, true_peak=False)
    if measured.integrated_lufs < QUIETEST_LUFS:
        raise UndecodableAudio(
            _(
                "{name}: nothing but silence or near-silence ({lufs:.1f} LUFS); there is no sound "
                "to broadcast",
                name=label,
                lufs=measured.integrated_lufs,
            )
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    ceiling = post.true_peak_dbtp - LIMITER_MARGIN_DB
    gain = _find_gain(segment, measured, post, ceiling)
    result = measured
    for _attempt in range(2):
        _encode(segment, out, gain_db=gain, ceiling_db=ceiling, post=post)
        result = measure_file(out)
        off = post.target_lufs - result.integrated_lufs
        over = result.true_peak_dbtp - post.true_peak_dbtp
        if abs(off) <= TOLERANCE_LU and over <= 0.0:
            break
        # the MP3 encoder overshot the ceiling or shifted the level: correct once
        gain += off
        if over > 0:
            ceiling -= over + 0.2
    # the length of what was encoded (the MP3's header says the same; no ffprobe run needed)
    duration_ms = round(segment.frame_count() * 1000 / segment.frame_rate)
    return ProcessedAudio(path=out, duration_ms=duration_ms, loudness=result)


def process_file(
    source: Path, out: Path, post: PostProcessing, *, chime: bool, label: str | None = None
) -> ProcessedAudio:
    """Decode, trim, add the chime (announcements only), normalise and encode ``source``."""
    name = label or str(source)
    segment = load_audio(source, label=name)
    trimmed = trim_silence(segment, threshold_dbfs=post.trim_threshold_dbfs, pad_ms=post.pad_ms)
    if len(trimmed) == 0:
        raise UndecodableAudio(_(SILENT, name=name))
    if chime:
        trimmed = add_chime(trimmed, post)
    return finish(trimmed, out, post, label=name)


def make_temp_dir(base: Path | None = None) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder next to ``base`` (same file system, so renames are atomic)."""
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=".work-", dir=str(base) if base else None)
