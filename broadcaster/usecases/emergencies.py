"""Emergency bulletins: an office sends one to its stations; each agent plays it at once."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from broadcaster.audio.ffmpeg import probe_duration_ms
from broadcaster.config import Settings
from broadcaster.db import Database
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import (
    Emergency,
    EmergencyDelivery,
    ForbiddenError,
    Principal,
    Scope,
)
from broadcaster.domain.errors import InputError, Problem, ValidationFailed

from .audio_store import check_hash, find_audio, store_audio

MAX_REPEAT = 10
MAX_TEXT = 5_000


@dataclass(frozen=True)
class BulletinRequest:
    title: str
    text: str | None = None
    audio_hash: str | None = None
    #: None: every station that airs in the office's subtree
    stations: tuple[str, ...] | None = None
    repeat: int = 1
    expires_in: timedelta = timedelta(hours=1)
    office: str | None = None


#: (settings, text) → (audio hash, duration in ms)
Synthesizer = Callable[[Settings, str], tuple[str, int]]


def synthesize_bulletin(settings: Settings, text: str) -> tuple[str, int]:
    """Speak a bulletin offline (espeak-ng) through the announcement pipeline: normalised
    Vietnamese, trimmed, at the loudness target, as MP3 in the audio cache.

    Offline on purpose: an emergency must not wait on an internet speech service.
    """
    from broadcaster.clock import SystemClock
    from broadcaster.speech.settings import SpeechSettings

    from .speech import make_synthesizer

    speech = settings.section("speech", SpeechSettings, engine="espeak-ng")
    synth = make_synthesizer(speech, settings.audio_dir, SystemClock())
    rendered = synth.render(unicodedata.normalize("NFC", text).strip(), label="emergency bulletin")
    audio_hash, path = store_audio(settings.audio_cache_dir, rendered.path.read_bytes())
    return audio_hash, probe_duration_ms(path)


def create_emergency(
    db: Database,
    settings: Settings,
    clock: Clock,
    principal: Principal,
    request: BulletinRequest,
    *,
    synthesize: Synthesizer = synthesize_bulletin,
) -> Emergency:
    """Check a bulletin against the caller's office, make its audio if needed, store it."""
    if principal.scope is not Scope.OFFICE:
        raise ForbiddenError(
            f"{principal.describe()} cannot send emergency bulletins; use an office token"
        )
    problems: list[Problem] = []
    title = unicodedata.normalize("NFC", request.title).strip()
    text = unicodedata.normalize("NFC", request.text).strip() if request.text else None
    if not title:
        problems.append(Problem("must not be empty", "title"))
    if not text and not request.audio_hash:
        problems.append(Problem("give the bulletin's text or the hash of uploaded audio", "text"))
    if text and len(text) > MAX_TEXT:
        problems.append(Problem(f"{len(text)} characters; at most {MAX_TEXT}", "text"))
    if not 1 <= request.repeat <= MAX_REPEAT:
        problems.append(Problem(f"{request.repeat}; must be 1–{MAX_REPEAT}", "repeat"))
    if request.expires_in <= timedelta():
        problems.append(Problem("must be positive", "expires_in_minutes"))
    office = request.office or principal.station_code
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
        if office not in tree:
            problems.append(Problem(f"unknown station {office!r}", "office"))
            raise ValidationFailed("emergency bulletin", problems)
        if office != principal.station_code and principal.station_code not in [
            a.code for a in tree.ancestors(office)
        ]:
            raise ForbiddenError(f"{principal.describe()} cannot send bulletins for {office}")
        reachable = [s.code for s in tree.broadcasting_under(office)]
        targets: Sequence[str]
        if request.stations is None:
            targets = reachable
        else:
            targets = list(dict.fromkeys(request.stations))
            outside = [c for c in targets if c not in reachable]
            if outside:
                problems.append(
                    Problem(
                        f"{', '.join(outside)} not among the stations that air under {office} "
                        f"({', '.join(reachable) or 'none'})",
                        "stations",
                    )
                )
        if not targets and not problems:
            problems.append(Problem(f"no station airs under {office}", "stations"))
    audio_hash = request.audio_hash
    duration_ms: int | None = None
    if audio_hash:
        try:
            check_hash(audio_hash)
        except InputError as exc:
            problems.append(Problem(str(exc), "audio_hash"))
        else:
            found = find_audio(settings.audio_cache_dir, audio_hash)
            if found is None:
                problems.append(
                    Problem(
                        "no audio with this hash; upload it first (POST /api/v1/audio)",
                        "audio_hash",
                    )
                )
            else:
                duration_ms = probe_duration_ms(found)
    if problems:
        raise ValidationFailed("emergency bulletin", problems)
    if not audio_hash:
        assert text is not None
        audio_hash, duration_ms = synthesize(settings, text)
    now = clock.now()
    with db.unit_of_work() as uow:
        return uow.emergencies.add(
            Emergency(
                id=0,
                office_code=office,
                title=title,
                audio_hash=audio_hash,
                created_at=now,
                expires_at=now + request.expires_in,
                stations=tuple(targets),
                repeat=request.repeat,
                text=text,
                duration_ms=duration_ms,
                created_by=principal.label or principal.describe(),
            )
        )


def prepare_recording(settings: Settings, source: Path) -> str:
    """A recorded bulletin (any format ffmpeg decodes): trimmed, at the loudness target, MP3,
    kept in the audio cache. Returns its hash for :class:`BulletinRequest`."""
    from broadcaster.audio.process import make_temp_dir, process_file
    from broadcaster.speech.settings import SpeechSettings

    if not source.is_file():
        raise InputError(f"{source}: no such file; give the path of the recorded bulletin")
    post = settings.section("speech", SpeechSettings).post_processing()
    with make_temp_dir(settings.audio_cache_dir) as work:
        out = Path(work) / "bulletin.mp3"
        process_file(source, out, post, chime=False, label=str(source))
        audio_hash, _ = store_audio(settings.audio_cache_dir, out.read_bytes())
    return audio_hash


@dataclass(frozen=True)
class BulletinStatus:
    emergency: Emergency
    deliveries: tuple[EmergencyDelivery, ...]

    @property
    def acknowledged(self) -> int:
        return sum(1 for d in self.deliveries if d.acked_at is not None)


def bulletin_status(db: Database, emergency_id: int) -> BulletinStatus:
    with db.unit_of_work() as uow:
        e = uow.emergencies.get(emergency_id)
        return BulletinStatus(e, tuple(uow.emergencies.deliveries(emergency_id)))


def recent_bulletins(db: Database, office: str | None, limit: int = 20) -> list[BulletinStatus]:
    """The newest bulletins (of an office and the offices below it), with their deliveries."""
    with db.unit_of_work() as uow:
        codes: list[str] | None = None
        if office is not None:
            tree = uow.stations.tree()
            tree.get(office)
            codes = [s.code for s in tree.subtree(office)]
        found = uow.emergencies.recent(office_codes=codes, limit=limit)
        return [BulletinStatus(e, tuple(uow.emergencies.deliveries(e.id))) for e in found]
