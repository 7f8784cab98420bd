"""Piper (the ``piper-tts`` package): natural offline voices from a voice file the office installs.

A Piper voice is an ONNX model with its JSON configuration beside it (``NAME.onnx`` and
``NAME.onnx.json``). ``broadcaster speech voices add FILE.onnx`` checks a voice (it loads and
speaks a word) and copies both files into ``<audio_dir>/voices``; ``[speech] piper_voice`` names
the voice to use (empty: the first installed Vietnamese voice).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _

from .engines import (
    Availability,
    EngineIdentity,
    EngineUnavailable,
    SpeechEngine,
    SpeechError,
    Synthesis,
)

_INSTALL = _("install it with 'pip install piper-tts'")


def piper_installed() -> bool:
    return importlib.util.find_spec("piper") is not None


@dataclass(frozen=True)
class PiperVoiceFile:
    """An installed voice: its name (the file's stem), language and sample rate."""

    name: str
    model: Path
    language: str
    sample_rate: int


def _config_of(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def read_voice(model: Path) -> PiperVoiceFile:
    """A voice file's facts from its configuration, or an error saying what is wrong."""
    if model.suffix != ".onnx" or not model.is_file():
        raise InputError(_("{path}: not a Piper voice file (NAME.onnx)", path=model))
    config = _config_of(model)
    if not config.is_file():
        raise InputError(
            _(
                "{path}: its configuration {config} is missing beside it",
                path=model,
                config=config.name,
            )
        )
    try:
        data = json.loads(config.read_text("utf-8"))
        language = data.get("language", {})
        code = str(language.get("code") or data.get("espeak", {}).get("voice") or "")
        rate = int(data.get("audio", {}).get("sample_rate", 0))
    except (json.JSONDecodeError, AttributeError, TypeError, ValueError) as exc:
        raise InputError(
            _("{path}: the configuration cannot be read ({error})", path=config, error=str(exc))
        ) from exc
    if not rate:
        raise InputError(_("{path}: the configuration gives no sample rate", path=config))
    return PiperVoiceFile(model.stem, model, code, rate)


def installed_voices(folder: Path | None) -> list[PiperVoiceFile]:
    if folder is None or not folder.is_dir():
        return []
    out = []
    for model in sorted(folder.glob("*.onnx")):
        try:
            out.append(read_voice(model))
        except InputError:
            continue  # a half-copied voice is not offered
    return out


def _load(model: Path) -> Any:
    from piper import PiperVoice

    try:
        return PiperVoice.load(model, config_path=_config_of(model))
    except Exception as exc:  # onnxruntime raises its own error types
        raise SpeechError(
            _("{path}: Piper cannot load this voice ({error})", path=model, error=str(exc)[:200])
        ) from exc


def add_voice(source: Path, folder: Path) -> PiperVoiceFile:
    """Check a voice (it loads and speaks) and copy it, with its configuration, into ``folder``."""
    if not piper_installed():
        raise InputError(_("Piper is not installed; {hint}", hint=_INSTALL))
    voice = read_voice(source)
    model = _load(source)
    probe = folder / f".{voice.name}.probe.wav"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with wave.open(str(probe), "wb") as wav:
            model.synthesize_wav("xin chào", wav)
        if probe.stat().st_size <= 44:
            raise SpeechError(_("{path}: the voice produced no audio", path=source))
    finally:
        probe.unlink(missing_ok=True)
    for src in (source, _config_of(source)):
        tmp = folder / f".{src.name}.part"
        shutil.copyfile(src, tmp)
        os.replace(tmp, folder / src.name)
    return read_voice(folder / source.name)


class PiperEngine(SpeechEngine):
    """A Piper voice from ``<audio_dir>/voices``: natural and offline."""

    name: ClassVar[str] = "piper"
    offline: ClassVar[bool] = True

    def __init__(self, *, voice: str = "", voices_dir: Path | None = None, speed: float = 1.0):
        self.voice = voice
        self.voices_dir = voices_dir
        #: 1.0: the voice's own pace; above it slower (Piper's length scale)
        self.speed = speed
        self._model: Any = None
        self._lock = threading.Lock()

    def chosen(self) -> PiperVoiceFile | None:
        voices = installed_voices(self.voices_dir)
        if self.voice:
            path = Path(self.voice)
            if path.suffix == ".onnx" and path.is_file():
                return read_voice(path)
            return next((v for v in voices if v.name == self.voice), None)
        return next((v for v in voices if v.language.lower().startswith("vi")), None)

    def identity(self) -> EngineIdentity:
        found = self.chosen()
        return EngineIdentity(
            self.name, found.name if found else self.voice, (("speed", f"{self.speed:g}"),)
        )

    def _missing(self) -> str:
        if not piper_installed():
            return str(_("Piper is not installed; {hint}", hint=_INSTALL))
        if self.voice:
            return str(
                _(
                    "no Piper voice {voice} in {folder}; add it with 'broadcaster speech voices "
                    "add FILE.onnx'",
                    voice=repr(self.voice),
                    folder=self.voices_dir,
                )
            )
        return str(
            _(
                "no Vietnamese Piper voice in {folder}; add one with 'broadcaster speech voices "
                "add FILE.onnx'",
                folder=self.voices_dir,
            )
        )

    def available(self) -> Availability:
        found = self.chosen() if piper_installed() else None
        if found is None:
            return Availability(False, self._missing())
        return Availability(
            True,
            str(
                _("offline, voice {voice} ({language})", voice=found.name, language=found.language)
            ),
        )

    def synthesize(self, text: str, out: Path) -> Synthesis:
        found = self.chosen() if piper_installed() else None
        if found is None:
            raise EngineUnavailable(self._missing())
        from piper import SynthesisConfig

        path = out.with_suffix(".wav")
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            with self._lock:  # one model in memory, one synthesis at a time
                if self._model is None or self._model_path != found.model:
                    self._model, self._model_path = _load(found.model), found.model
                with wave.open(str(tmp), "wb") as wav:
                    self._model.synthesize_wav(
                        text, wav, syn_config=SynthesisConfig(length_scale=self.speed)
                    )
            if tmp.stat().st_size <= 44:
                raise SpeechError(_("Piper produced no audio for this text"))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return Synthesis(path, self.identity())

    _model_path: Path | None = None
