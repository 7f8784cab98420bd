"""Speech engines behind one interface: Google TTS (online), espeak-ng (offline) and auto.

Every engine takes already-normalised Vietnamese text and writes one audio file; finishing the
audio (trim, loudness, MP3) is the audio adapter's job.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from broadcaster.domain.errors import BroadcasterError, InputError
from broadcaster.domain.messages import Msg, _, _n

from .settings import SpeechSettings

log = logging.getLogger("broadcaster.speech")

Warn = Callable[[str], None]


class SpeechError(BroadcasterError):
    """An engine failed to turn text into audio."""

    code = "speech_error"


class EngineUnavailable(SpeechError):
    """The engine cannot be used right now (no network, program missing…)."""

    code = "engine_unavailable"

    def __init__(self, reason: str | Msg, hint: str | Msg = "") -> None:
        self.reason = reason
        super().__init__(_("{reason}; {hint}", reason=reason, hint=hint) if hint else reason)


@dataclass(frozen=True)
class EngineIdentity:
    """What decides an engine's sound; part of every cache key."""

    engine: str
    voice: str
    params: tuple[tuple[str, str], ...] = ()

    def as_key(self) -> dict[str, object]:
        return {"engine": self.engine, "voice": self.voice, "params": dict(self.params)}


@dataclass(frozen=True)
class Availability:
    usable: bool
    #: shown as it is by the use cases (a plain string): made in the reader's language
    detail: str


@dataclass(frozen=True)
class Synthesis:
    """A raw audio file an engine wrote, and which engine made it."""

    path: Path
    identity: EngineIdentity


class SpeechEngine(ABC):
    """Turns normalised text into an audio file."""

    name: ClassVar[str]
    offline: ClassVar[bool]

    @abstractmethod
    def identity(self) -> EngineIdentity: ...

    @abstractmethod
    def available(self) -> Availability:
        """Whether the engine can be used right now, with a reason a person understands."""

    @abstractmethod
    def synthesize(self, text: str, out: Path) -> Synthesis:
        """Write speech for ``text`` next to ``out`` (its suffix is the engine's choice)."""

    def chain(self) -> tuple[SpeechEngine, ...]:
        """The engines to try in order, each with its own cache key."""
        return (self,)


# --- Google TTS -----------------------------------------------------------------------------

#: Google's endpoint takes at most 100 characters per request (gTTS.GOOGLE_TTS_MAX_CHARS)
GTTS_MAX_CHARS = 100

_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;–—])\s+")


def _pack(pieces: list[str], limit: int, joiner: str = " ") -> list[str]:
    """Greedily join consecutive pieces while the result stays within ``limit``."""
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + len(joiner) + len(piece) <= limit:
            out[-1] = f"{out[-1]}{joiner}{piece}"
        else:
            out.append(piece)
    return out


def split_for_gtts(text: str, limit: int = GTTS_MAX_CHARS) -> list[str]:
    """Split at sentence ends; only an over-long sentence is split at commas, then at spaces.

    gTTS's own tokenizer cuts at every comma and full stop, which makes Google read in 2–60
    character fragments with a pause after each: choppy speech.
    """
    chunks: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(text.strip())):
        if not sentence:
            continue
        if len(sentence) <= limit:
            chunks.append(sentence)
            continue
        clauses: list[str] = []
        for clause in (c.strip() for c in _CLAUSE_END.split(sentence)):
            if len(clause) <= limit:
                clauses.append(clause)
            else:
                clauses += _pack(clause.split(), limit)
        chunks += _pack([c for c in clauses if c], limit)
    return _pack(chunks, limit)


def _gtts_retryable(exc: Exception) -> bool:
    rsp = getattr(exc, "rsp", None)
    if rsp is None:
        return True  # no answer at all: network trouble, worth another try
    status = int(getattr(rsp, "status_code", 0))
    return status == 429 or status >= 500


_GTTS_HINT = _("check the internet connection, or synthesise offline with --engine espeak-ng")


@dataclass(kw_only=True, eq=False)
class GttsEngine(SpeechEngine):
    """Google Translate's text-to-speech (needs the internet)."""

    name: ClassVar[str] = "gtts"
    offline: ClassVar[bool] = False

    # the defaults are those of [speech]
    tld: str = SpeechSettings.gtts_tld
    timeout: float = SpeechSettings.gtts_timeout
    retries: int = SpeechSettings.gtts_retries
    retry_delay: float = SpeechSettings.gtts_retry_delay
    lang: str = "vi"
    sleep: Callable[[float], None] = time.sleep
    #: set after Google could not be reached, so a long run does not wait on every item
    _down: Msg | None = field(default=None, init=False, repr=False)
    #: one request sequence at a time, so parallel renders learn of a failure before trying
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def host(self) -> str:
        return f"translate.google.{self.tld}"

    def identity(self) -> EngineIdentity:
        return EngineIdentity(self.name, self.lang, (("tld", self.tld),))

    def available(self) -> Availability:
        import requests

        try:
            rsp = requests.get(f"https://{self.host}/", timeout=min(self.timeout, 5.0))
        except requests.RequestException as exc:
            return Availability(
                False,
                str(
                    _(
                        "{host} cannot be reached ({error})",
                        host=self.host,
                        error=exc.__class__.__name__,
                    )
                ),
            )
        if rsp.status_code >= 500:
            return Availability(
                False,
                str(_("{host} answers HTTP {status}", host=self.host, status=rsp.status_code)),
            )
        return Availability(
            True, str(_("online via {host} (voice {voice})", host=self.host, voice=self.lang))
        )

    def synthesize(self, text: str, out: Path) -> Synthesis:
        with self._lock:
            return self._synthesize(text, out)

    def _synthesize(self, text: str, out: Path) -> Synthesis:
        from gtts import gTTS, gTTSError

        if self._down is not None:
            raise EngineUnavailable(self._down, _GTTS_HINT)
        path = out.with_suffix(".mp3")
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                tts = gTTS(
                    text,
                    tld=self.tld,
                    lang=self.lang,
                    lang_check=False,
                    pre_processor_funcs=[],
                    tokenizer_func=split_for_gtts,
                    timeout=self.timeout,
                )
                # gTTS.save() leaves a 0-byte file when a request fails: write aside, then rename
                with tmp.open("wb") as fh:
                    tts.write_to_fp(fh)
                if tmp.stat().st_size == 0:
                    raise gTTSError(_("Google returned no audio"))
                os.replace(tmp, path)
                return Synthesis(path, self.identity())
            except AssertionError as exc:  # gTTS: "No text to speak"
                raise InputError(_("the text has nothing Google can read aloud")) from exc
            except gTTSError as exc:
                last = exc
                log.debug(_("gTTS attempt {n} failed: {reason}", n=attempt + 1, reason=str(exc)))
                if not _gtts_retryable(exc):
                    break
                if attempt < self.retries:
                    self.sleep(self.retry_delay * 2**attempt)
            finally:
                tmp.unlink(missing_ok=True)
        self._down = _n(
            "Google TTS ({host}) failed after {n} attempt: {reason}",
            "Google TTS ({host}) failed after {n} attempts: {reason}",
            self.retries + 1,
            host=self.host,
            reason=str(last),
        )
        raise EngineUnavailable(self._down, _GTTS_HINT)


# --- espeak-ng ------------------------------------------------------------------------------

#: a WAV header alone; anything this small holds no sound
_WAV_HEADER_BYTES = 44


@dataclass(kw_only=True, eq=False)
class EspeakEngine(SpeechEngine):
    """espeak-ng, installed locally: robotic but always available offline."""

    name: ClassVar[str] = "espeak-ng"
    offline: ClassVar[bool] = True

    # the defaults are those of [speech]
    voice: str = SpeechSettings.espeak_voice
    rate: int = SpeechSettings.espeak_rate
    pitch: int = SpeechSettings.espeak_pitch
    command: str = SpeechSettings.espeak_command
    #: espeak-ng's voice variant (``m3``, ``f2``…), added as ``vi+m3``; empty: the voice's own
    variant: str = SpeechSettings.espeak_variant
    #: pitch range in % of the voice's own (SSML prosody range): wider sounds less flat
    pitch_range: int = SpeechSettings.espeak_pitch_range
    #: extra pause between words, in 10 ms units at the default speed
    word_gap: int = SpeechSettings.espeak_word_gap

    @property
    def voice_spec(self) -> str:
        return f"{self.voice}+{self.variant}" if self.variant else self.voice

    def identity(self) -> EngineIdentity:
        params = [("pitch", str(self.pitch)), ("rate", str(self.rate)), ("respell", "1")]
        # only settings away from espeak-ng's own enter the key, so older cached audio stays valid
        if self.variant:
            params.append(("variant", self.variant))
        if self.pitch_range != 100:
            params.append(("range", str(self.pitch_range)))
        if self.word_gap:
            params.append(("gap", str(self.word_gap)))
        return EngineIdentity(self.name, self.voice, tuple(params))

    def command_line(self, binary: str, out: Path) -> list[str]:
        """The espeak-ng call; -b 1: the input is UTF-8; text on stdin has no length limit."""
        args = [binary, "-v", self.voice_spec, "-s", str(self.rate), "-p", str(self.pitch)]
        if self.word_gap:
            args += ["-g", str(self.word_gap)]
        if self.pitch_range != 100:
            args.append("-m")  # the range is only reachable through SSML
        return [*args, "-b", "1", "-w", str(out), "--stdin"]

    def input_text(self, text: str) -> str:
        """What espeak-ng is given: loanwords in Vietnamese spelling (it reads them as English
        otherwise), wrapped in SSML when the pitch range is changed."""
        from .normalize.loanwords import respell_loanwords

        text = respell_loanwords(text)
        if self.pitch_range == 100:
            return text
        from xml.sax.saxutils import escape

        return f'<speak><prosody range="{self.pitch_range}%">{escape(text)}</prosody></speak>'

    def _binary(self) -> str | None:
        return shutil.which(self.command)

    def available(self) -> Availability:
        binary = self._binary()
        if binary is None:
            return Availability(
                False,
                str(
                    _(
                        "{command} is not installed (Debian: apt install espeak-ng)",
                        command=self.command,
                    )
                ),
            )
        proc = subprocess.run(
            [binary, f"--voices={self.voice.split('-')[0]}"], capture_output=True, check=False
        )
        listed = proc.stdout.decode("utf-8", "replace").lower().split()
        if self.voice.lower() not in listed:
            return Availability(
                False,
                str(
                    _(
                        "{command} has no voice {voice}",
                        command=self.command,
                        voice=repr(self.voice),
                    )
                ),
            )
        return Availability(
            True,
            str(
                _(
                    "offline, voice {voice}, {rate} words/min, pitch {pitch}",
                    voice=self.voice_spec,
                    rate=self.rate,
                    pitch=self.pitch,
                )
            ),
        )

    def synthesize(self, text: str, out: Path) -> Synthesis:
        binary = self._binary()
        if binary is None:
            raise EngineUnavailable(
                _(
                    "{command} is not installed; install it (Debian: apt install espeak-ng)",
                    command=self.command,
                )
            )
        path = out.with_suffix(".wav")
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            proc = subprocess.run(
                self.command_line(binary, tmp),
                input=self.input_text(text).encode("utf-8"),
                capture_output=True,
                check=False,
                timeout=max(120.0, len(text) / 20),
            )
            if proc.returncode != 0:
                message = proc.stderr.decode("utf-8", "replace").strip()
                raise SpeechError(
                    _(
                        "{command} failed (exit {code}): {message}",
                        command=self.command,
                        code=proc.returncode,
                        message=message or _("no message"),
                    )
                )
            if not tmp.is_file() or tmp.stat().st_size <= _WAV_HEADER_BYTES:
                raise SpeechError(
                    _("{command} produced no audio for this text", command=self.command)
                )
            os.replace(tmp, path)
        except subprocess.TimeoutExpired as exc:
            raise SpeechError(
                _(
                    "{command} did not finish within {seconds:.0f} s",
                    command=self.command,
                    seconds=exc.timeout,
                )
            ) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return Synthesis(path, self.identity())


# --- auto -----------------------------------------------------------------------------------


def _log_warning(message: str) -> None:
    log.warning(message)


@dataclass
class AutoEngine(SpeechEngine):
    """Google TTS when it can be reached, otherwise espeak-ng, with a warning."""

    primary: GttsEngine
    fallback: EspeakEngine
    warn: Warn = field(default=_log_warning)

    name: ClassVar[str] = "auto"
    offline: ClassVar[bool] = True

    def identity(self) -> EngineIdentity:
        return self.primary.identity()

    def available(self) -> Availability:
        p, f = self.primary.available(), self.fallback.available()
        if p.usable:
            return Availability(True, f"gtts: {p.detail}")
        if f.usable:
            return Availability(True, f"espeak-ng (Google: {p.detail})")
        return Availability(False, f"gtts: {p.detail}; espeak-ng: {f.detail}")

    def chain(self) -> tuple[SpeechEngine, ...]:
        return (self.primary, self.fallback)

    def synthesize(self, text: str, out: Path) -> Synthesis:
        try:
            return self.primary.synthesize(text, out)
        except EngineUnavailable as exc:
            self.warn(fallback_warning(exc, self.fallback))
            return self.fallback.synthesize(text, out)


def fallback_warning(exc: EngineUnavailable, fallback: SpeechEngine) -> str:
    """The warning when the next engine takes over, in the reader's language (a plain string:
    a :data:`Warn` callback prints or logs it as it is)."""
    return str(
        _(
            "{reason}; falling back to {engine} for this run",
            reason=exc.reason,
            engine=fallback.name,
        )
    )


@dataclass
class ChainEngine(SpeechEngine):
    """The engines of ``[speech] engines`` in order: the first that works speaks, with a warning
    when one is skipped for a reason the station may want to fix."""

    engines: tuple[SpeechEngine, ...]
    warn: Warn = field(default=_log_warning)

    name: ClassVar[str] = "auto"
    offline: ClassVar[bool] = True

    def identity(self) -> EngineIdentity:
        return self.engines[0].identity()

    def available(self) -> Availability:
        reasons = []
        for engine in self.engines:
            status = engine.available()
            if status.usable:
                return Availability(True, f"{engine.name}: {status.detail}")
            reasons.append(f"{engine.name}: {status.detail}")
        return Availability(False, "; ".join(reasons))

    def chain(self) -> tuple[SpeechEngine, ...]:
        return self.engines

    def synthesize(self, text: str, out: Path) -> Synthesis:
        for position, engine in enumerate(self.engines):
            try:
                return engine.synthesize(text, out)
            except EngineUnavailable as exc:
                if position + 1 >= len(self.engines):
                    raise
                self.warn(fallback_warning(exc, self.engines[position + 1]))
        raise EngineUnavailable(_("no speech engine is configured"))  # pragma: no cover
