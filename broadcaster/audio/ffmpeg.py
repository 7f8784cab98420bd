"""Thin wrappers around the ffmpeg and ffprobe programs: run, measure loudness, probe."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcaster.domain.messages import Msg, _

from .errors import AudioError

#: ebur128 reports -70 LUFS (its absolute gate) for digital silence
SILENCE_LUFS = -70.0


def ffmpeg_binary() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise AudioError(_("ffmpeg is not installed; install it (Debian: apt install ffmpeg)"))
    return path


def ffprobe_binary() -> str:
    path = shutil.which("ffprobe")
    if path is None:
        raise AudioError(_("ffprobe is not installed; install ffmpeg (Debian: apt install ffmpeg)"))
    return path


def last_error_line(stderr: str) -> str | Msg:
    """The most telling line of ffmpeg's chatter (its last non-empty one)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else _("no message")


def run_ffmpeg(args: Sequence[str], *, input: bytes | None = None, what: Msg) -> str:
    """Run ffmpeg quietly with ``args``; return its stderr (where filters report).

    ``what`` says what ffmpeg was doing, as it ends the sentence "ffmpeg failed while …"."""
    cmd = [ffmpeg_binary(), "-hide_banner", "-nostats", "-y", *args]
    proc = subprocess.run(cmd, input=input, capture_output=True, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise AudioError(
            _("ffmpeg failed while {what}: {reason}", what=what, reason=last_error_line(stderr))
        )
    return stderr


@dataclass(frozen=True)
class Loudness:
    """EBU R128 figures of a piece of audio."""

    integrated_lufs: float
    true_peak_dbtp: float

    @property
    def silent(self) -> bool:
        return self.integrated_lufs <= SILENCE_LUFS + 0.5


_SUMMARY_I = re.compile(r"^\s*I:\s*(-?[\d.]+|-?inf|nan)\s*LUFS", re.MULTILINE)
_SUMMARY_PEAK = re.compile(r"^\s*Peak:\s*(-?[\d.]+|-?inf|nan)\s*dBFS", re.MULTILINE)


def parse_ebur128(stderr: str) -> Loudness:
    summary = stderr.rsplit("Summary:", 1)
    if len(summary) != 2:
        raise AudioError(_("ffmpeg's ebur128 filter printed no summary; is this ffmpeg too old?"))
    i = _SUMMARY_I.search(summary[1])
    peak = _SUMMARY_PEAK.search(summary[1])
    if i is None or peak is None:
        raise AudioError(_("cannot read the loudness summary of ffmpeg's ebur128 filter"))
    integrated = float(i.group(1))
    true_peak = float(peak.group(1))
    if integrated != integrated:  # nan: nothing above the gate
        integrated = SILENCE_LUFS
    return Loudness(max(integrated, SILENCE_LUFS), true_peak)


_EBUR128 = "ebur128=peak=true:framelog=verbose"


def pcm_input(sample_rate: int, channels: int) -> list[str]:
    """ffmpeg's input options for signed 16-bit PCM on standard input."""
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", str(channels), "-i", "pipe:0"]


def measure_pcm(
    raw: bytes,
    *,
    sample_rate: int,
    channels: int = 1,
    filters: str | None = None,
    true_peak: bool = True,
) -> Loudness:
    """Integrated loudness and true peak of signed 16-bit PCM (after ``filters``, if given).

    Without ``true_peak`` (4× oversampling, the slow part) the peak reported is the sample peak.
    """
    meter = _EBUR128 if true_peak else "ebur128=peak=sample:framelog=verbose"
    chain = f"{filters},{meter}" if filters else meter
    stderr = run_ffmpeg(
        [*pcm_input(sample_rate, channels), "-af", chain, "-f", "null", "-"],
        input=raw,
        what=_("measuring loudness"),
    )
    return parse_ebur128(stderr)


_BRANCH_SUMMARY = re.compile(
    r"\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:(.*?)(?=\n\[|\Z)", re.DOTALL
)


def measure_pcm_branches(
    raw: bytes, *, sample_rate: int, branches: Sequence[str]
) -> list[Loudness]:
    """Loudness (sample peak) of the same PCM after each of several filter chains, in one
    ffmpeg run: one decode and one process for all the trials of a gain search."""
    n = len(branches)
    graph = [f"[0:a]asplit={n}" + "".join(f"[in{i}]" for i in range(n))]
    graph += [
        f"[in{i}]{chain},ebur128=peak=sample:framelog=verbose[out{i}]"
        for i, chain in enumerate(branches)
    ]
    outputs: list[str] = []
    for i in range(n):
        outputs += ["-map", f"[out{i}]", "-f", "null", "-"]
    stderr = run_ffmpeg(
        [*pcm_input(sample_rate, 1), "-filter_complex", ";".join(graph), *outputs],
        input=raw,
        what=_("measuring loudness"),
    )
    # ffmpeg may configure the graph twice and print an empty summary first: the last one counts
    found = {int(m.group(1)): m.group(2) for m in _BRANCH_SUMMARY.finditer(stderr)}
    if len(found) != n:
        raise AudioError(_("cannot read the loudness summary of ffmpeg's ebur128 filter"))
    return [parse_ebur128("Summary:" + found[index]) for index in sorted(found)]


def measure_file(path: Path) -> Loudness:
    """Integrated loudness and true peak of an audio file."""
    stderr = run_ffmpeg(
        ["-nostdin", "-i", str(path), "-af", _EBUR128, "-f", "null", "-"],
        what=_("measuring the loudness of {path}", path=str(path)),
    )
    return parse_ebur128(stderr)


def probe_duration_ms(path: Path) -> int:
    """Duration of an audio file as its container states it, in milliseconds."""
    proc = subprocess.run(
        [
            ffprobe_binary(),
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "default=noprint_wrappers=1:nokey=1",
            str(path),
        ],
        capture_output=True,
        check=False,
    )
    text = proc.stdout.decode("ascii", "replace").strip()
    try:
        return round(float(text) * 1000)
    except ValueError:
        raise AudioError(
            _(
                "ffprobe cannot tell the duration of {path}: {reason}",
                path=str(path),
                reason=last_error_line(proc.stderr.decode("utf-8", "replace")),
            )
        ) from None
