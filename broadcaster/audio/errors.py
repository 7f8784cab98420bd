"""Errors of the audio adapter (ffmpeg, pydub)."""

from __future__ import annotations

from broadcaster.domain.errors import BroadcasterError, InputError


class AudioError(BroadcasterError):
    """ffmpeg is missing or failed on audio we made ourselves."""

    code = "audio_error"


class UndecodableAudio(InputError):
    """A file given by a user is not audio ffmpeg can read, or holds no sound."""
