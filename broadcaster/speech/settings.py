"""The ``[speech]`` settings: engine choice, voices, loudness, MP3 format, chime.

Read with ``settings.section("speech", SpeechSettings)``; every field can be set in the TOML file
(``[speech] engine = "espeak-ng"``), in the environment (``BROADCASTER_SPEECH_ENGINE``) or by a flag.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import N_, _
from broadcaster.domain.segments import ChimeMode

from .checks import within

if TYPE_CHECKING:
    from .normalize import NormalizeOptions

#: every engine broadcaster knows, in the order ``auto`` tries them by default
CHAIN = ("fpt", "viettel", "gtts", "piper", "espeak-ng")
ENGINES = ("auto", *CHAIN)

#: audio/chime.mp3 of the source tree (made by scripts/make_chime.py)
SHIPPED_CHIME = Path(__file__).resolve().parents[2] / "audio" / "chime.mp3"


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(
            _(
                "[speech] {name} = {value} is not one of: {allowed}",
                name=name,
                value=repr(value),
                allowed=", ".join(allowed),
            )
        )


_within = partial(within, N_("[speech] {name} = {value} is out of range; use {low} to {high}"))


@dataclass(frozen=True)
class SpeechSettings:
    """How announcements are spoken and finished."""

    #: auto: the first engine of ``engines`` that works; or one engine only (fpt, gtts…)
    engine: str = "auto"
    #: the order auto tries: vendors' natural voices, Google, a Piper voice, espeak-ng (offline);
    #: an engine without its key or voice is skipped at once
    engines: tuple[str, ...] = CHAIN
    #: reading of numbers: north (nghìn, linh) or south (ngàn, lẻ)
    dialect: str = "north"
    #: document codes such as /KH-UBND after a number: drop them or spell them out
    document_codes: str = "drop"
    #: extra abbreviations (TOML) on top of the shipped dictionary
    abbreviations_file: Path | None = None
    gtts_tld: str = "com"
    #: seconds to wait for Google before giving up (without it gTTS can hang forever)
    gtts_timeout: float = 10.0
    gtts_retries: int = 2
    gtts_retry_delay: float = 1.0
    espeak_command: str = "espeak-ng"
    #: vi (northern), vi-vn-x-central, vi-vn-x-south
    espeak_voice: str = "vi"
    #: espeak-ng "words" per minute; 110 reads about 150 Vietnamese syllables a minute
    espeak_rate: int = 110
    espeak_pitch: int = 50
    #: espeak-ng voice variant (m1…m7, f1…f5, klatt…); empty: the voice's own. f2 with a doubled
    #: pitch range was the most intelligible setting of scripts/bench_intelligibility.py --tune
    #: (recogniser word error rate 70.9% against 86.0% for espeak-ng's own vi voice)
    espeak_variant: str = "f2"
    #: pitch range in % of the voice's own; wider is less flat
    espeak_pitch_range: int = 200
    #: pause between words in 10 ms units (gaps of 1 and 3 were less intelligible than none)
    espeak_word_gap: int = 0
    #: FPT.AI text-to-speech (https://fpt.ai): key, voice (banmai, leminh, lannhi…), speed -3…3
    fpt_api_key: str = ""
    fpt_voice: str = "banmai"
    fpt_speed: int = 0
    fpt_url: str = "https://api.fpt.ai/hmi/tts/v5"
    #: Viettel AI text-to-speech (https://viettelai.vn): key, voice (hn-quynhanh…), speed 0.8…1.2
    viettel_api_key: str = ""
    viettel_voice: str = "hn-quynhanh"
    viettel_speed: float = 1.0
    viettel_url: str = "https://viettelai.vn/tts/speech_synthesis"
    #: seconds to wait for a vendor before the next engine takes over
    vendor_timeout: float = 15.0
    #: a Piper voice installed with 'broadcaster speech voices add'; empty: the first Vietnamese one
    piper_voice: str = ""
    #: Piper's length scale: 1.0 the voice's own pace, 1.2 slower
    piper_speed: float = 1.0
    #: EBU R128 integrated loudness target and true-peak ceiling
    target_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    bitrate_kbps: int = 64
    sample_rate: int = 44100
    trim_threshold_dbfs: float = -50.0
    #: chime around announcements: none, before, after, both
    chime: str = "none"
    chime_file: Path | None = None
    #: longest script (after normalisation) synthesised as one segment
    max_chars: int = 20000

    def __post_init__(self) -> None:
        _choice("engine", self.engine, ENGINES)
        for name in self.engines:
            _choice("engines", name, CHAIN)
        if not self.engines:
            raise ConfigError(_("[speech] engines is empty; list at least espeak-ng"))
        _choice("dialect", self.dialect, ("north", "south"))
        _choice("document_codes", self.document_codes, ("drop", "spell"))
        _choice("chime", self.chime, tuple(m.value for m in ChimeMode))
        _within("gtts_timeout", self.gtts_timeout, 0.5, 300)
        _within("gtts_retries", self.gtts_retries, 0, 10)
        _within("gtts_retry_delay", self.gtts_retry_delay, 0, 60)
        _within("espeak_rate", self.espeak_rate, 80, 450)
        _within("espeak_pitch", self.espeak_pitch, 0, 99)
        _within("espeak_pitch_range", self.espeak_pitch_range, 20, 400)
        _within("espeak_word_gap", self.espeak_word_gap, 0, 20)
        _within("fpt_speed", self.fpt_speed, -3, 3)
        _within("viettel_speed", self.viettel_speed, 0.5, 2.0)
        _within("vendor_timeout", self.vendor_timeout, 0.5, 120)
        _within("piper_speed", self.piper_speed, 0.5, 2.0)
        _within("target_lufs", self.target_lufs, -40, -5)
        _within("true_peak_dbtp", self.true_peak_dbtp, -12, 0)
        _within("bitrate_kbps", self.bitrate_kbps, 32, 320)
        _choice("sample_rate", str(self.sample_rate), ("22050", "24000", "32000", "44100", "48000"))
        _within("trim_threshold_dbfs", self.trim_threshold_dbfs, -90, -20)
        _within("max_chars", self.max_chars, 100, 1_000_000)
        if self.abbreviations_file is not None and not self.abbreviations_file.is_file():
            raise ConfigError(
                _(
                    "[speech] abbreviations_file = {path} does not exist",
                    path=repr(str(self.abbreviations_file)),
                )
            )

    def engine_options(self, prefix: str) -> dict[str, Any]:
        """The settings ``<prefix>_*`` under the engine's own names (``espeak_rate`` is
        ``rate`` of espeak-ng, ``fpt_api_key`` ``api_key`` of FPT.AI)."""
        start = f"{prefix}_"
        return {
            f.name.removeprefix(start): getattr(self, f.name)
            for f in fields(self)
            if f.name.startswith(start)
        }

    def normalize_options(self) -> NormalizeOptions:
        from .normalize import CodeMode, Dialect, NormalizeOptions

        # both values were checked against the allowed words in __post_init__
        return NormalizeOptions(
            dialect=cast(Dialect, self.dialect),
            document_codes=cast(CodeMode, self.document_codes),
            abbreviations_file=self.abbreviations_file,
        )
