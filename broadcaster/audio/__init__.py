"""Audio adapter: post-processing, the content-addressed cache and session assembly.

pydub over ffmpeg; loudness measured with ffmpeg's ``ebur128`` filter.
"""

from broadcaster.domain.segments import ChimeMode

from .assemble import AssembledAudio, assemble, mp3_format
from .cache import AudioCache, CacheEntry, CacheStats, PruneResult, cache_key
from .errors import AudioError, UndecodableAudio
from .ffmpeg import Loudness, measure_file, probe_duration_ms
from .process import (
    POSTPROCESS_VERSION,
    PostProcessing,
    ProcessedAudio,
    file_sha256,
    load_audio,
    process_file,
)

__all__ = [
    "POSTPROCESS_VERSION",
    "AssembledAudio",
    "AudioCache",
    "AudioError",
    "CacheEntry",
    "CacheStats",
    "ChimeMode",
    "Loudness",
    "PostProcessing",
    "ProcessedAudio",
    "PruneResult",
    "UndecodableAudio",
    "assemble",
    "cache_key",
    "file_sha256",
    "load_audio",
    "measure_file",
    "mp3_format",
    "probe_duration_ms",
    "process_file",
]
