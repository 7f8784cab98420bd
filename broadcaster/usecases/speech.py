"""Announcement audio: normalise scripts, synthesise through the cache, store segments.

Wires the speech engines and the audio adapter to the database. Every finished file lives in the
content-addressed cache (``<audio_dir>/cache``); a segment row ties it to an item, and the item's
duration is set from the measured audio.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Container, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from broadcaster.audio import (
    AssembledAudio,
    AudioCache,
    CacheEntry,
    CacheStats,
    PostProcessing,
    PruneResult,
    assemble,
    cache_key,
    file_sha256,
    process_file,
)
from broadcaster.audio.process import make_temp_dir
from broadcaster.db import Database
from broadcaster.domain.clock import Clock
from broadcaster.domain.errors import BroadcasterError, InputError, NotFoundError, Problem
from broadcaster.domain.items import Item
from broadcaster.domain.messages import _, _n
from broadcaster.domain.segments import ChimeMode, Segment, SegmentKind
from broadcaster.speech.engines import (
    ChainEngine,
    EngineUnavailable,
    EspeakEngine,
    GttsEngine,
    SpeechEngine,
    SpeechError,
    Warn,
    fallback_warning,
)
from broadcaster.speech.normalize import normalize_text
from broadcaster.speech.piper import PiperEngine
from broadcaster.speech.settings import CHAIN, ENGINES, SHIPPED_CHIME, SpeechSettings
from broadcaster.speech.vendors import FptEngine, HttpVoiceEngine, ViettelEngine

log = logging.getLogger("broadcaster.speech")

#: syllables a minute of a calm commune announcer, as broadcaster.ingest.scripts estimates
SYLLABLES_PER_MINUTE = 150

_SPEAKABLE = re.compile(r"\w", re.UNICODE)


class SynthesisIncomplete(BroadcasterError):
    """Some items could not be synthesised; the others were."""

    code = "synthesis_incomplete"

    def __init__(self, done: int, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            _n(
                "{n} item has no audio ({done} other(s) done); fix it and run "
                "'broadcaster speech synth' again:",
                "{n} items have no audio ({done} other(s) done); fix these and run "
                "'broadcaster speech synth' again:",
                len(self.problems),
                done=done,
            )
        )

    def __str__(self) -> str:
        # shown in the reader's language, each problem on its own line
        return "\n".join([str(self.args[0]), *(f"  - {p}" for p in self.problems)])


def _log_warning(message: str) -> None:
    log.warning(message)


# --- engines --------------------------------------------------------------------------------


#: each engine and the prefix of its ``[speech]`` settings (see SpeechSettings.engine_options)
_ENGINE_SETTINGS: dict[str, tuple[type[SpeechEngine], str]] = {
    "espeak-ng": (EspeakEngine, "espeak"),
    "gtts": (GttsEngine, "gtts"),
    "fpt": (FptEngine, "fpt"),
    "viettel": (ViettelEngine, "viettel"),
    "piper": (PiperEngine, "piper"),
}


def _build(speech: SpeechSettings, name: str, voices_dir: Path | None) -> SpeechEngine:
    """One engine from its ``[speech]`` settings."""
    if name not in _ENGINE_SETTINGS:
        raise InputError(
            _(
                "unknown speech engine {engine!r}; use {engines}",
                engine=name,
                engines=", ".join(ENGINES),
            )
        )
    cls, prefix = _ENGINE_SETTINGS[name]
    options = speech.engine_options(prefix)
    if issubclass(cls, HttpVoiceEngine):
        options["timeout"] = speech.vendor_timeout  # one timeout for every vendor
    if cls is PiperEngine:
        options["voices_dir"] = voices_dir
    return cls(**options)


def voices_dir(audio_dir: Path) -> Path:
    """Where 'broadcaster speech voices add' installs Piper voices."""
    return audio_dir / "voices"


def chain_engines(speech: SpeechSettings, voices_dir: Path | None = None) -> list[SpeechEngine]:
    """The engines of ``[speech] engines``, in order."""
    return [_build(speech, name, voices_dir) for name in dict.fromkeys(speech.engines)]


def make_engine(
    speech: SpeechSettings,
    name: str | None = None,
    *,
    warn: Warn = _log_warning,
    voices_dir: Path | None = None,
) -> SpeechEngine:
    """The engine named ``name`` (default: the ``[speech] engine`` setting); ``auto`` is the
    chain of ``[speech] engines``, each tried in turn."""
    choice = name or speech.engine
    if choice != "auto":
        return _build(speech, choice, voices_dir)
    engines = chain_engines(speech, voices_dir)
    return engines[0] if len(engines) == 1 else ChainEngine(tuple(engines), warn)


@dataclass(frozen=True)
class EngineStatus:
    name: str
    usable: bool
    detail: str
    selected: bool
    offline: bool


def engine_statuses(speech: SpeechSettings, voices_dir: Path | None = None) -> list[EngineStatus]:
    """Each engine and whether it can be used right now (``auto``, the chain, last)."""
    out = []
    for name in (*CHAIN, "auto"):
        engine = make_engine(speech, name, voices_dir=voices_dir)
        status = engine.available()
        out.append(
            EngineStatus(name, status.usable, status.detail, name == speech.engine, engine.offline)
        )
    return out


# --- synthesis ------------------------------------------------------------------------------


def estimate_duration(
    spoken_text: str, syllables_per_minute: int = SYLLABLES_PER_MINUTE
) -> timedelta:
    """How long normalised Vietnamese takes to read (one syllable per written word)."""
    syllables = len(spoken_text.split())
    return timedelta(seconds=round(syllables * 60 / syllables_per_minute, 1))


def _minutes(d: timedelta) -> str:
    return f"{d.total_seconds() / 60:.0f}"


@dataclass(frozen=True)
class Rendered:
    """Finished audio for one text, from the cache or made just now."""

    entry: CacheEntry
    path: Path
    spoken_text: str
    synthesized: bool

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def duration(self) -> timedelta:
        return timedelta(milliseconds=self.entry.duration_ms)


@dataclass
class Synthesizer:
    """Renders texts through one engine, the post-processing settings and the cache."""

    speech: SpeechSettings
    audio_dir: Path
    engine: SpeechEngine
    clock: Clock
    warn: Warn = _log_warning
    _warned: set[str] = field(default_factory=set)

    @property
    def cache(self) -> AudioCache:
        return AudioCache(self.audio_dir)

    @property
    def post(self) -> PostProcessing:
        return post_processing(self.speech)

    def spoken(self, text: str, *, label: str) -> str:
        """The text as it will be read, or an error saying why there is nothing to read."""
        if not text.strip():
            raise InputError(_("{label}: the text is empty; there is nothing to read", label=label))
        spoken = normalize_text(text, self.speech.normalize_options()).strip()
        if not _SPEAKABLE.search(spoken):
            raise InputError(
                _(
                    "{label}: the text has no words to read, only punctuation or symbols "
                    "({text!r})",
                    label=label,
                    text=text.strip()[:40],
                )
            )
        if len(spoken) > self.speech.max_chars:
            raise InputError(
                _(
                    "{label}: the script is {n} characters long (about {minutes} minutes of "
                    "speech); the longest allowed is {limit} characters once normalised "
                    "([speech] max_chars). Split it into several items, or record it and add "
                    "it with 'broadcaster segments add'",
                    label=label,
                    n=len(text.strip()),
                    minutes=_minutes(estimate_duration(spoken)),
                    limit=self.speech.max_chars,
                )
            )
        return spoken

    def key_for(self, spoken: str, engine: SpeechEngine) -> str:
        return cache_key(
            {
                "kind": SegmentKind.TTS.value,
                "text": spoken,
                **engine.identity().as_key(),
                "post": self.post.fingerprint(with_chime=True),
            }
        )

    def render(self, text: str, *, label: str) -> Rendered:
        """Audio for ``text``: cached, or synthesised, finished and cached now.

        With ``auto``, Google's rendering is preferred; when Google cannot be reached the offline
        engine's rendering is used (from the cache if it is there) and a warning is given once.
        """
        spoken = self.spoken(text, label=label)
        chain = self.engine.chain()
        post = self.post
        cache = self.cache
        for position, engine in enumerate(chain):
            key = self.key_for(spoken, engine)
            entry = cache.get(key)
            if entry is not None:
                return Rendered(entry, cache.resolve(entry.relpath), spoken, False)
            with make_temp_dir(cache.root) as scratch:
                work = Path(scratch)
                try:
                    raw = engine.synthesize(spoken, work / "raw")
                except EngineUnavailable as exc:
                    if position + 1 >= len(chain):
                        raise
                    if engine.name not in self._warned:
                        self._warned.add(engine.name)
                        self.warn(fallback_warning(exc, chain[position + 1]))
                    continue
                processed = process_file(raw.path, work / "out.mp3", post, chime=True, label=label)
                entry = cache.commit(
                    key,
                    processed,
                    kind=SegmentKind.TTS.value,
                    engine=raw.identity.engine,
                    voice=raw.identity.voice,
                    created_at=self.clock.now().isoformat(),
                    label=spoken[:200],
                )
            return Rendered(entry, cache.resolve(entry.relpath), spoken, True)
        raise EngineUnavailable(_("no speech engine is configured"))  # pragma: no cover


def post_processing(speech: SpeechSettings) -> PostProcessing:
    """How the ``[speech]`` settings finish every segment (trim, loudness, MP3, chime)."""
    return PostProcessing(
        target_lufs=speech.target_lufs,
        true_peak_dbtp=speech.true_peak_dbtp,
        bitrate_kbps=speech.bitrate_kbps,
        sample_rate=speech.sample_rate,
        trim_threshold_dbfs=speech.trim_threshold_dbfs,
        chime=ChimeMode(speech.chime),
        chime_file=speech.chime_file or SHIPPED_CHIME,
    )


def make_synthesizer(
    speech: SpeechSettings,
    audio_dir: Path,
    clock: Clock,
    *,
    engine: SpeechEngine | str | None = None,
    warn: Warn = _log_warning,
    voices: Path | None = None,
) -> Synthesizer:
    chosen = (
        engine
        if isinstance(engine, SpeechEngine)
        else make_engine(speech, engine, warn=warn, voices_dir=voices or voices_dir(audio_dir))
    )
    return Synthesizer(speech, audio_dir, chosen, clock, warn)


def synthesize_text(synth: Synthesizer, text: str, out: Path | None = None) -> Rendered:
    """Audio for a free text (not stored as a segment); copied to ``out`` when given."""
    rendered = synth.render(text, label="--text")  # the option the text came from
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.part")
        shutil.copyfile(rendered.path, tmp)
        tmp.replace(out)
    return rendered


@dataclass(frozen=True)
class ItemResult:
    item: Item
    segment: Segment
    synthesized: bool


@dataclass
class SynthReport:
    results: list[ItemResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_recorded: list[Item] = field(default_factory=list)

    @property
    def synthesized(self) -> int:
        return sum(1 for r in self.results if r.synthesized)

    @property
    def cached(self) -> int:
        return sum(1 for r in self.results if not r.synthesized)

    @property
    def engines(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            if r.synthesized and r.segment.engine:
                out[r.segment.engine] = out.get(r.segment.engine, 0) + 1
        return out


def _label(item: Item) -> str:
    title = item.title if len(item.title) <= 50 else item.title[:49] + "…"
    # a label: text, handed to the speech and audio adapters for their messages
    return str(_("item {id} ({title})", id=item.id, title=title))


def select_items(
    db: Database, *, item_ids: Sequence[int] = (), all_approved: bool = False
) -> tuple[list[Item], list[Item]]:
    """The items to synthesise, and (with ``all_approved``) those kept on their recording."""
    with db.unit_of_work() as uow:
        if all_approved:
            items = uow.items.approved()
            current = uow.segments.current_for_items([i.id for i in items if i.id is not None])
            recorded = [
                i for i in items if i.id in current and current[i.id].kind is SegmentKind.RECORDED
            ]
            return [i for i in items if i not in recorded], recorded
        found = {i.id: i for i in uow.items.list(ids=item_ids)}
    missing = [n for n in item_ids if n not in found]
    if missing:
        raise NotFoundError(
            _(
                "no item {id}; see 'broadcaster items list'",
                id=", ".join(str(n) for n in missing),
            )
        )
    return [found[n] for n in dict.fromkeys(item_ids)], []


def _render_item(synth: Synthesizer, item: Item) -> Rendered:
    label = _label(item)
    if not item.approval.approved:
        raise InputError(
            _("{label} is not approved; only approved items are read on air", label=label)
        )
    if not item.script.strip():
        raise InputError(
            _(
                "{label} has no announcement script; write or generate its script first",
                label=label,
            )
        )
    return synth.render(item.script, label=label)


def default_jobs(engine: SpeechEngine) -> int:
    """Parallel renders: one per core, at most 4. Online engines send one request at a time
    whatever the number of renders (each holds a lock), so Google or a vendor never sees more;
    their finishing (trim, loudness, MP3), and an offline engine after a failed online one,
    still run in parallel."""
    return max(1, min(os.cpu_count() or 1, 4))


def synthesize_items(
    db: Database,
    synth: Synthesizer,
    items: Sequence[Item],
    *,
    on_item: Callable[[Item, ItemResult | None], None] | None = None,
    jobs: int | None = None,
) -> SynthReport:
    """Render each approved item's script into a segment and store its measured duration.

    Items that cannot be rendered (not approved, no script, nothing to read, too long) are
    reported with the reason; the others are still done. Rendering runs in ``jobs`` threads
    (the work is in ffmpeg and espeak-ng processes); the database is written from this thread,
    in the order of ``items``.
    """
    report = SynthReport()
    workers = max(1, min(jobs or default_jobs(synth.engine), len(items) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_render_item, synth, item) for item in items]
        try:
            for item, future in zip(items, futures, strict=True):
                result: ItemResult | None = None
                try:
                    result = _store_segment(db, synth.clock, item, future.result())
                    report.results.append(result)
                except (InputError, SpeechError) as exc:
                    if isinstance(exc, EngineUnavailable):
                        raise  # the chosen engine cannot work at all: stop, keeping what is done
                    report.problems.append(Problem(exc.args[0] if exc.args else str(exc)))
                if on_item is not None:
                    on_item(item, result)
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    return report


def _store_segment(db: Database, clock: Clock, item: Item, rendered: Rendered) -> ItemResult:
    segment = _cached_segment(rendered.entry, SegmentKind.TTS, clock.now(), item.id)
    return ItemResult(item, _save_segment(db, segment), rendered.synthesized)


def _cached_segment(
    entry: CacheEntry,
    kind: SegmentKind,
    at: datetime,
    item_id: int | None,
    source_name: str | None = None,
) -> Segment:
    """The segment of a cached rendering or recording, for an item (or for none)."""
    return Segment(
        content_hash=entry.key,
        kind=kind,
        path=entry.relpath,
        duration=timedelta(milliseconds=entry.duration_ms),
        loudness_lufs=entry.loudness_lufs,
        created_at=at,
        item_id=item_id,
        engine=entry.engine,
        voice=entry.voice,
        source_name=source_name,
    )


def _save_segment(db: Database, segment: Segment) -> Segment:
    """Store a segment; its item (if any) takes on the segment's duration."""
    with db.unit_of_work() as uow:
        stored, _new = uow.segments.add(segment)
        if segment.item_id is not None:
            current = uow.items.get(segment.item_id)
            if current.duration != stored.duration:
                uow.items.save(replace(current, duration=stored.duration))
    return stored


# --- recorded audio -------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedResult:
    segment: Segment
    processed_now: bool


def add_recorded(
    db: Database,
    path: Path,
    *,
    speech: SpeechSettings,
    audio_dir: Path,
    clock: Clock,
    item_id: int | None = None,
) -> RecordedResult:
    """Register a recording: decode, trim, loudness-normalise, cache and store it as a segment.

    Refuses, with the reason, a file ffmpeg cannot decode or one that holds only silence.
    """
    if item_id is not None:
        with db.unit_of_work() as uow:
            uow.items.get(item_id)
    if not path.is_file():
        raise InputError(_("{path}: no such file", path=path))
    post = post_processing(speech)
    key = cache_key(
        {
            "kind": SegmentKind.RECORDED.value,
            "source_sha256": file_sha256(path),
            "post": post.fingerprint(with_chime=False),
        }
    )
    cache = AudioCache(audio_dir)
    entry = cache.get(key)
    processed_now = entry is None
    if entry is None:
        with make_temp_dir(cache.root) as scratch:
            processed = process_file(
                path, Path(scratch) / "out.mp3", post, chime=False, label=str(path)
            )
            entry = cache.commit(
                key,
                processed,
                kind=SegmentKind.RECORDED.value,
                engine=None,
                voice=None,
                created_at=clock.now().isoformat(),
                label=path.name,
            )
    segment = _cached_segment(entry, SegmentKind.RECORDED, clock.now(), item_id, path.name)
    return RecordedResult(_save_segment(db, segment), processed_now)


def list_segments(db: Database, *, item_id: int | None = None) -> list[Segment]:
    with db.unit_of_work() as uow:
        return uow.segments.list(item_id=item_id)


# --- cache ----------------------------------------------------------------------------------


def cache_stats(db: Database, audio_dir: Path) -> CacheStats:
    with db.unit_of_work() as uow:
        referenced = uow.segments.referenced_hashes()
    return AudioCache(audio_dir).stats(referenced)


def prune_cache(db: Database, audio_dir: Path, *, dry_run: bool = False) -> PruneResult:
    """Delete cached audio that no segment uses (free-text renderings, superseded settings)."""
    with db.unit_of_work() as uow:
        referenced = uow.segments.referenced_hashes()
    return AudioCache(audio_dir).prune(referenced, dry_run=dry_run)


# --- sessions -------------------------------------------------------------------------------


def require_audio(item_ids: Iterable[int], current: Container[int]) -> None:
    """Raise naming every item of ``item_ids`` with no current audio (not in ``current``)."""
    missing = [n for n in item_ids if n not in current]
    if missing:
        raise NotFoundError(
            _n(
                "item {ids} has no audio yet; run 'broadcaster speech synth' first",
                "items {ids} have no audio yet; run 'broadcaster speech synth' first",
                len(missing),
                ids=", ".join(str(n) for n in missing),
            )
        )


def assemble_items(
    db: Database,
    item_ids: Iterable[int],
    out: Path,
    *,
    audio_dir: Path,
    speech: SpeechSettings,
    gap: timedelta = timedelta(seconds=2),
) -> AssembledAudio:
    """One programme file of the items' current segments, in the order given."""
    ids = list(item_ids)
    with db.unit_of_work() as uow:
        current = uow.segments.current_for_items(ids)
    require_audio(ids, current)
    paths = [audio_dir / current[n].path for n in ids]
    return assemble(
        paths, out, gap=gap, bitrate_kbps=speech.bitrate_kbps, sample_rate=speech.sample_rate
    )


__all__ = [
    "EngineStatus",
    "ItemResult",
    "RecordedResult",
    "Rendered",
    "SynthReport",
    "SynthesisIncomplete",
    "Synthesizer",
    "add_recorded",
    "assemble_items",
    "cache_stats",
    "chain_engines",
    "default_jobs",
    "engine_statuses",
    "estimate_duration",
    "list_segments",
    "make_engine",
    "make_synthesizer",
    "prune_cache",
    "require_audio",
    "select_items",
    "synthesize_items",
    "synthesize_text",
    "voices_dir",
]
