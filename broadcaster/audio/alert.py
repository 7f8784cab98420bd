"""The attention signal that opens every emergency bulletin, synthesised (never downloaded).

Three two-tone pulses, high–low, like a civil-defence alert: unmistakable on a loudspeaker and
unlike the announcement chime, so listeners know at once that this is not the usual programme.
"""

from __future__ import annotations

import math
from array import array

from pydub import AudioSegment

#: (high Hz, low Hz), each tone this long, pulses, pause between pulses
TONES = (960.0, 770.0)
TONE_S = 0.28
PULSES = 3
PAUSE_S = 0.12
#: silence between the signal and the spoken lead-in
GAP_MS = 350


def alert_samples(sample_rate: int = 44100) -> array[int]:
    """Signed 16-bit mono samples of the attention signal."""
    tone_n = int(TONE_S * sample_rate)
    ramp = int(0.006 * sample_rate)  # no clicks at the edges
    out = array("h")
    for pulse in range(PULSES):
        for freq in TONES:
            step = 2 * math.pi * freq / sample_rate
            for n in range(tone_n):
                edge = min(1.0, n / ramp, (tone_n - n) / ramp)
                # a touch of the third harmonic carries on small horn loudspeakers
                v = math.sin(step * n) + 0.25 * math.sin(3 * step * n)
                out.append(int(0.55 * 32767 * edge * v / 1.25))
        if pulse + 1 < PULSES:
            out.extend([0] * int(PAUSE_S * sample_rate))
    return out


def attention_signal(sample_rate: int = 44100) -> AudioSegment:
    return AudioSegment(
        data=alert_samples(sample_rate).tobytes(),
        sample_width=2,
        frame_rate=sample_rate,
        channels=1,
    )


def with_attention_signal(speech: AudioSegment) -> AudioSegment:
    """The signal, a short pause, then ``speech`` (resampled to mono at the signal's rate)."""
    voice = speech.set_channels(1).set_frame_rate(44100).set_sample_width(2)
    return attention_signal() + AudioSegment.silent(GAP_MS, frame_rate=44100) + voice
