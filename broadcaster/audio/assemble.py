"""Join finished segments into one programme file (a session), with gaps between them.

Cached segments are already loudness-normalised MP3 of one format, so they are joined by
copying their MP3 frames (ffmpeg's concat demuxer, ``-c copy``): no decode, no re-encode, and
no loss. Parts in any other format are decoded and encoded once instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from broadcaster.domain.messages import _

from .errors import AudioError
from .ffmpeg import probe_duration_ms, run_ffmpeg
from .process import make_temp_dir

_MPEG1_RATES = (44100, 48000, 32000)


@dataclass(frozen=True)
class Mp3Format:
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class AssembledAudio:
    path: Path
    duration_ms: int
    parts: int
    copied: bool  # True: frames copied; False: decoded and encoded again


def mp3_format(path: Path) -> Mp3Format | None:
    """Sample rate and channels from the first MP3 frame header, or None if not MP3."""
    try:
        with path.open("rb") as fh:
            head = fh.read(10)
            offset = 0
            if head[:3] == b"ID3" and len(head) == 10:
                offset = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9])
            fh.seek(offset)
            data = fh.read(4096)
    except OSError:
        return None
    for i in range(len(data) - 3):
        b1, b2, b3 = data[i + 1], data[i + 2], data[i + 3]
        if data[i] != 0xFF or (b1 & 0xE0) != 0xE0:
            continue
        version = (b1 >> 3) & 0x3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        layer = (b1 >> 1) & 0x3  # 1: layer III
        rate_index = (b2 >> 2) & 0x3
        if version == 1 or layer != 1 or rate_index == 3 or (b2 >> 4) in (0, 15):
            continue
        rate = _MPEG1_RATES[rate_index] // {3: 1, 2: 2, 0: 4}[version]
        channels = 1 if (b3 >> 6) == 3 else 2
        return Mp3Format(rate, channels)
    return None


def _concat_line(path: Path) -> str:
    escaped = str(path.resolve()).replace("'", "'\\''")
    return f"file '{escaped}'\n"


def assemble(
    parts: Sequence[Path],
    out: Path,
    *,
    gap: timedelta = timedelta(seconds=1),
    bitrate_kbps: int = 64,
    sample_rate: int = 44100,
) -> AssembledAudio:
    """Write ``parts`` one after another with ``gap`` of silence between them to ``out`` (MP3)."""
    _check_parts(parts, out)
    formats = {mp3_format(p) for p in parts}
    fmt = next(iter(formats)) if len(formats) == 1 else None  # one MP3 format: copy frames
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_name(f".{out.name}.{os.getpid()}.part")
    gap_ms = max(0, round(gap.total_seconds() * 1000))
    with make_temp_dir(out.parent) as scratch:
        if fmt is not None:
            args = _copy_args(parts, fmt, Path(scratch), gap_ms, bitrate_kbps)
        else:
            args = _reencode_args(parts, gap_ms, sample_rate, bitrate_kbps)
        try:
            run_ffmpeg(
                [*args, "-map_metadata", "-1", "-f", "mp3", str(tmp_out)],
                what=_("assembling {name}", name=out.name),
            )
            os.replace(tmp_out, out)
        finally:
            tmp_out.unlink(missing_ok=True)
    return AssembledAudio(out, probe_duration_ms(out), len(parts), fmt is not None)


def _check_parts(parts: Sequence[Path], out: Path) -> None:
    if not parts:
        raise AudioError(
            _("nothing to assemble into {path}: the session has no segments", path=str(out))
        )
    missing = [p for p in parts if not p.is_file()]
    if missing:
        raise AudioError(
            _(
                "segment file {path} is missing; run 'broadcaster speech synth' again",
                path=str(missing[0]),
            )
        )


def _copy_args(
    parts: Sequence[Path], fmt: Mp3Format, work: Path, gap_ms: int, bitrate_kbps: int
) -> list[str]:
    """ffmpeg's input for parts of one MP3 format: their frames copied, with a gap file made
    in that format between them."""
    silence = work / "gap.mp3"
    if gap_ms:
        layout = "mono" if fmt.channels == 1 else "stereo"
        run_ffmpeg(
            [
                "-f",
                "lavfi",
                "-i",
                f"anullsrc=r={fmt.sample_rate}:cl={layout}",
                "-t",
                f"{gap_ms / 1000:.3f}",
                "-c:a",
                "libmp3lame",
                "-b:a",
                f"{bitrate_kbps}k",
                "-map_metadata",
                "-1",
                str(silence),
            ],
            what=_("making the gap between segments"),
        )
    listing = work / "list.txt"
    with listing.open("w", encoding="utf-8") as fh:
        for i, p in enumerate(parts):
            if i and gap_ms:
                fh.write(_concat_line(silence))
            fh.write(_concat_line(p))
    return ["-nostdin", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy"]


def _reencode_args(
    parts: Sequence[Path], gap_ms: int, sample_rate: int, bitrate_kbps: int
) -> list[str]:
    """ffmpeg's input for parts of mixed formats: decoded, padded by the gap, joined, encoded
    once as mono MP3."""
    inputs: list[str] = []
    labels = []
    for i, p in enumerate(parts):
        inputs += ["-i", str(p)]
        chain = f"[{i}:a]aformat=sample_rates={sample_rate}:channel_layouts=mono"
        if i < len(parts) - 1 and gap_ms:
            chain += f",apad=pad_dur={gap_ms / 1000:.3f}"
        labels.append(f"{chain}[a{i}]")
    graph = ";".join(labels) + ";" + "".join(f"[a{i}]" for i in range(len(parts)))
    graph += f"concat=n={len(parts)}:v=0:a=1[out]"
    return [
        "-nostdin",
        *inputs,
        "-filter_complex",
        graph,
        "-map",
        "[out]",
        "-c:a",
        "libmp3lame",
        "-b:a",
        f"{bitrate_kbps}k",
        "-ac",
        "1",
    ]
