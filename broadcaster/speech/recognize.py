"""An offline Vietnamese speech recogniser (the optional ``viet-asr`` package) behind one call.

Used to measure how well listeners could understand synthesised speech (the benchmark) and to
catch a wrong reading before approval (``broadcaster speech check``). The model is embedded in
the package's wheel, so nothing is downloaded at run time; loading it takes a few seconds, so one
:class:`Recognizer` is built and reused.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from broadcaster.domain.messages import _

from .engines import SpeechError

#: the recogniser's input: 16 kHz mono 16-bit PCM
SAMPLE_RATE = 16000


class RecognizerUnavailable(SpeechError):
    """The recogniser is not installed here."""

    code = "recognizer_unavailable"


def recognizer_installed() -> bool:
    return importlib.util.find_spec("vietasr") is not None


class Recognizer:
    """Transcribes an audio file (any format ffmpeg reads) into Vietnamese words."""

    def __init__(self, *, preset: str = "transcribe", ffmpeg: str = "ffmpeg") -> None:
        self.preset = preset
        self.ffmpeg = ffmpeg
        self._pipeline: Any = None
        #: the native pipeline is not documented as thread-safe: one transcription at a time
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._pipeline is None:
            if not recognizer_installed():
                raise RecognizerUnavailable(
                    _(
                        "the speech recogniser is not installed; install it with "
                        "'pip install viet-asr==0.1.0.dev11' (offline, about 90 MB)"
                    )
                )
            from vietasr import Pipeline

            try:
                self._pipeline = Pipeline.preset(self.preset)
            except RuntimeError as exc:
                raise RecognizerUnavailable(
                    _("the speech recogniser did not start: {reason}", reason=str(exc))
                ) from exc
        return self._pipeline

    def _pcm(self, path: Path) -> bytes:
        binary = shutil.which(self.ffmpeg)
        if binary is None:
            raise SpeechError(_("ffmpeg is not installed (Debian: apt install ffmpeg)"))
        args = ["-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"]
        proc = subprocess.run(
            [binary, "-nostdin", "-loglevel", "error", "-i", str(path), *args],
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SpeechError(
                _(
                    "{path}: ffmpeg cannot read this audio ({message})",
                    path=path,
                    message=proc.stderr.decode("utf-8", "replace").strip()[:200],
                )
            )
        return proc.stdout

    def transcribe(self, path: Path) -> str:
        """The words heard in ``path``, lower-case, as the recogniser wrote them."""
        import numpy as np

        pcm = np.frombuffer(self._pcm(path), dtype=np.int16)
        if pcm.size == 0:
            return ""
        with self._lock:
            pipeline = self._load()
            try:
                result = pipeline.transcribe(pcm, float(SAMPLE_RATE))
            except RuntimeError as exc:
                raise SpeechError(
                    _("{path}: the recogniser failed: {reason}", path=path, reason=str(exc))
                ) from exc
        return str(result.text).strip()
