"""The announcement chime, synthesised (never downloaded): a two-tone bell, "ding-dong"."""

from __future__ import annotations

import math
from array import array
from pathlib import Path

from pydub import AudioSegment

from .process import PostProcessing, ProcessedAudio, finish

#: (frequency Hz, start s) of each strike: G5 then E5, a falling major third
STRIKES = ((783.99, 0.0), (659.25, 0.6))
#: bell partials: (ratio to the strike's pitch, relative amplitude, decay per second)
PARTIALS = ((1.0, 1.0, 2.2), (2.0, 0.45, 3.5), (2.76, 0.3, 5.0), (4.07, 0.15, 7.0), (0.5, 0.2, 1.6))
LENGTH_S = 2.4
#: a little under speech at the same target, so the chime announces without startling
CHIME_LUFS = -19.0


def chime_samples(sample_rate: int = 44100) -> array[int]:
    """Signed 16-bit mono samples of the chime."""
    total = int(LENGTH_S * sample_rate)
    mix = [0.0] * total
    for freq, start in STRIKES:
        first = int(start * sample_rate)
        for ratio, amp, decay in PARTIALS:
            step = 2 * math.pi * freq * ratio / sample_rate
            for n in range(total - first):
                t = n / sample_rate
                attack = min(1.0, t / 0.004)  # 4 ms strike, no click
                mix[first + n] += amp * attack * math.exp(-decay * t) * math.sin(step * n)
    fade = int(0.15 * sample_rate)  # end on silence, not mid-ring
    for i in range(fade):
        mix[total - fade + i] *= 1 - i / fade
    peak = max(abs(v) for v in mix) or 1.0
    return array("h", (int(v / peak * 0.7 * 32767) for v in mix))


def make_chime(out: Path, *, sample_rate: int = 44100, bitrate_kbps: int = 64) -> ProcessedAudio:
    """Write the chime to ``out`` as MP3 mono at :data:`CHIME_LUFS`."""
    segment = AudioSegment(
        data=chime_samples(sample_rate).tobytes(),
        sample_width=2,
        frame_rate=sample_rate,
        channels=1,
    )
    post = PostProcessing(
        target_lufs=CHIME_LUFS, bitrate_kbps=bitrate_kbps, sample_rate=sample_rate
    )
    return finish(segment, out, post, label="chime")
