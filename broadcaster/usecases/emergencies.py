"""Emergency bulletins: an office sends one to its stations; each agent plays it at once.

Sending never waits on speech synthesis. Every bulletin opens with a lead-in — an attention
signal and a short spoken announcement ("Thông báo khẩn cấp!"), made once and kept in the audio
cache — so it is on air at every connected station within a second or two of ``send``. A text
body is synthesised meanwhile (:func:`complete_body`) and follows as soon as it is ready; a
recorded body goes out with the lead-in at once.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from broadcaster.audio.ffmpeg import probe_duration_ms
from broadcaster.audio.store import check_hash, find_audio, store_audio
from broadcaster.config import Settings
from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.clock import Clock
from broadcaster.domain.clusters import device_clusters, with_clusters
from broadcaster.domain.distribution import (
    BodyState,
    Emergency,
    EmergencyDelivery,
    ForbiddenError,
    Principal,
    Scope,
)
from broadcaster.domain.errors import (
    BroadcasterError,
    ConfigError,
    InputError,
    Problem,
    ValidationFailed,
)
from broadcaster.domain.messages import _, _n
from broadcaster.domain.stations import StationTree

log = logging.getLogger("broadcaster.emergency")

MAX_REPEAT = 10
MAX_TEXT = 5_000
MAX_REASON = 500


@dataclass(frozen=True)
class EmergencySettings:
    """The ``[emergency]`` settings section (``BROADCASTER_EMERGENCY_*``)."""

    #: spoken after the attention signal, before the body; made once and cached
    lead_in_text: str = "Thông báo khẩn cấp! Thông báo khẩn cấp!"
    #: the three-pulse attention signal before the lead-in
    attention_signal: bool = True
    #: a body synthesis a process took on and has not finished after this long is taken over
    synthesis_stale_seconds: int = 300
    #: how often each API worker looks for bulletins stored by other processes, in seconds;
    #: on PostgreSQL LISTEN/NOTIFY wakes it at once and this is only a safety net
    watch_seconds: float = 1.0
    #: a comment line on every idle event stream this often, so proxies keep it open
    keepalive_seconds: float = 15.0

    def __post_init__(self) -> None:
        if not self.lead_in_text.strip():
            raise ConfigError(_("[emergency] lead_in_text must not be empty"))
        if not 0.05 <= self.watch_seconds <= 60:
            raise ConfigError(
                _(
                    "[emergency] watch_seconds = {value} is out of range; use 0.05 to 60",
                    value=self.watch_seconds,
                )
            )
        if not 1 <= self.keepalive_seconds <= 300:
            raise ConfigError(
                _(
                    "[emergency] keepalive_seconds = {value} is out of range; use 1 to 300",
                    value=self.keepalive_seconds,
                )
            )
        if self.synthesis_stale_seconds < 10:
            raise ConfigError(_("[emergency] synthesis_stale_seconds must be at least 10"))


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


def _offline_synthesizer(settings: Settings) -> object:
    from broadcaster.clock import SystemClock
    from broadcaster.speech.settings import SpeechSettings

    from .speech import make_synthesizer

    speech = settings.section("speech", SpeechSettings, engine="espeak-ng")
    return make_synthesizer(speech, settings.audio_dir, SystemClock())


def synthesize_bulletin(settings: Settings, text: str) -> tuple[str, int]:
    """Speak a bulletin offline (espeak-ng) through the announcement pipeline: normalised
    Vietnamese, trimmed, at the loudness target, as MP3 in the audio cache.

    Offline on purpose: an emergency must not wait on an internet speech service.
    """
    from .speech import Synthesizer as SpeechSynth

    synth = _offline_synthesizer(settings)
    assert isinstance(synth, SpeechSynth)
    rendered = synth.render(
        unicodedata.normalize("NFC", text).strip(), label=str(_("emergency bulletin"))
    )
    audio_hash, path = store_audio(settings.audio_cache_dir, rendered.path.read_bytes())
    return audio_hash, probe_duration_ms(path)


# --- the lead-in ------------------------------------------------------------------------------

_lead_ins: dict[str, tuple[str, int]] = {}
_lead_in_lock = threading.Lock()


def lead_in(settings: Settings) -> tuple[str, int]:
    """The lead-in's audio (hash, duration in ms): attention signal and spoken announcement.

    Made on first use and kept in the audio cache (keyed by its text, voice and finishing
    settings), then remembered by this process: ``broadcaster serve`` makes it at start-up so
    the first bulletin does not wait for it either.
    """
    from broadcaster.audio.alert import with_attention_signal
    from broadcaster.audio.cache import cache_key
    from broadcaster.audio.process import finish, load_audio, make_temp_dir

    from .speech import Synthesizer as SpeechSynth

    config = settings.section("emergency", EmergencySettings)
    synth = _offline_synthesizer(settings)
    assert isinstance(synth, SpeechSynth)
    spoken = synth.spoken(config.lead_in_text, label="[emergency] lead_in_text")
    key = cache_key(
        {
            "kind": "emergency-lead-in",
            "version": 1,
            "text": spoken,
            "signal": config.attention_signal,
            **synth.engine.identity().as_key(),
            "post": synth.post.fingerprint(with_chime=False),
        }
    )
    with _lead_in_lock:
        known = _lead_ins.get(key)
        if known is not None and find_audio(settings.audio_cache_dir, known[0]) is not None:
            return known
        cache = synth.cache
        entry = cache.get(key)
        if entry is None:
            speech = synth.render(config.lead_in_text, label="[emergency] lead_in_text")
            label = str(_("the bulletins' lead-in"))
            voice = load_audio(speech.path, label=label)
            audio = with_attention_signal(voice) if config.attention_signal else voice
            with make_temp_dir(cache.root) as work:
                processed = finish(audio, Path(work) / "lead-in.mp3", synth.post, label=label)
                entry = cache.commit(
                    key,
                    processed,
                    kind="emergency-lead-in",
                    engine=synth.engine.identity().engine,
                    voice=synth.engine.identity().voice,
                    created_at=synth.clock.now().isoformat(),
                    label=spoken,
                )
        data = cache.resolve(entry.relpath).read_bytes()
        audio_hash, _path = store_audio(settings.audio_cache_dir, data)
        _lead_ins[key] = (audio_hash, entry.duration_ms)
        return _lead_ins[key]


def known_lead_in() -> str | None:
    """The hash of the lead-in this process made last, if any (never makes one)."""
    with _lead_in_lock:
        return next(reversed(_lead_ins.values()), (None, 0))[0] if _lead_ins else None


# --- sending ----------------------------------------------------------------------------------


def _check_request(request: BulletinRequest) -> tuple[str, str | None, list[Problem]]:
    problems: list[Problem] = []
    title = unicodedata.normalize("NFC", request.title).strip()
    text = unicodedata.normalize("NFC", request.text).strip() if request.text else None
    if not title:
        problems.append(Problem(_("must not be empty"), "title"))
    if not text and not request.audio_hash:
        problems.append(
            Problem(_("give the bulletin's text or the hash of uploaded audio"), "text")
        )
    if text and not any(ch.isalnum() for ch in text):
        # refused before it is sent: stations would sound the signal and lead-in, then have
        # no words to read
        problems.append(Problem(_("has no words to read; write the bulletin's text"), "text"))
    if text and len(text) > MAX_TEXT:
        problems.append(
            Problem(_("{n} characters; at most {limit}", n=len(text), limit=MAX_TEXT), "text")
        )
    if not 1 <= request.repeat <= MAX_REPEAT:
        problems.append(
            Problem(
                _("{value}; must be 1–{limit}", value=request.repeat, limit=MAX_REPEAT), "repeat"
            )
        )
    if request.expires_in <= timedelta():
        problems.append(Problem(_("must be positive"), "expires_in_minutes"))
    return title, text, problems


def _office_of(tree: StationTree, principal: Principal, office: str) -> None:
    if office != principal.station_code and principal.station_code not in [
        a.code for a in tree.ancestors(office)
    ]:
        raise ForbiddenError(
            _("{who} cannot send bulletins for {office}", who=principal.describe(), office=office)
        )


def _targets(
    tree: StationTree,
    office: str,
    chosen: Sequence[str] | None,
    problems: list[Problem],
    devices: Collection[str] = (),
) -> list[str]:
    """The stations a bulletin goes to: those chosen (else every airing station under the
    office), each with the loudspeaker clusters that play its programme and run an agent
    (``devices``); a cluster chosen alone gets it, its commune does not."""
    airing = tree.broadcasting_under(office)
    reachable = [s.code for s in with_clusters(tree, airing, devices)]
    if chosen is None:
        targets = reachable
    else:
        targets = list(dict.fromkeys(chosen))
        targets += [
            c.code
            for code in list(targets)
            if code in tree
            for c in device_clusters(tree, code, devices)
            if c.code not in targets
        ]
        known = set(reachable)
        outside = [c for c in targets if c not in known]
        if outside:
            shown = ", ".join(reachable[:12]) + (" …" if len(reachable) > 12 else "")
            problems.append(
                Problem(
                    _(
                        "{codes} not among the stations that air under {office} ({known})",
                        codes=", ".join(outside[:12]),
                        office=office,
                        known=shown or _("none"),
                    ),
                    "stations",
                )
            )
    if not targets and not problems:
        problems.append(Problem(_("no station airs under {office}", office=office), "stations"))
    return targets


def _body_audio(
    settings: Settings,
    tree: StationTree,
    uow: UnitOfWork,
    office: str,
    audio_hash: str,
    problems: list[Problem],
) -> int | None:
    try:
        check_hash(audio_hash)
    except InputError as exc:
        problems.append(Problem(exc.args[0], "audio_hash"))
        return None
    found = find_audio(settings.audio_cache_dir, audio_hash)
    if found is None:
        problems.append(
            Problem(
                _("no audio with this hash; upload it first (POST /api/v1/audio)"), "audio_hash"
            )
        )
        return None
    mine = {s.code for s in tree.subtree(office)}
    if not (
        uow.uploads.owners(audio_hash) & mine or uow.emergencies.offices_sending(audio_hash) & mine
    ):
        problems.append(
            Problem(
                _(
                    "this recording was not uploaded by {office} or an office below it; "
                    "upload it yourself (POST /api/v1/audio) and send that",
                    office=office,
                ),
                "audio_hash",
            )
        )
        return None
    return probe_duration_ms(found)


def create_emergency(
    db: Database,
    settings: Settings,
    clock: Clock,
    principal: Principal,
    request: BulletinRequest,
    *,
    replaces: int | None = None,
) -> Emergency:
    """Check a bulletin against the caller's office and store it, ready to air.

    It goes out with its lead-in at once; a text body is left ``pending`` for
    :func:`complete_body`, which the caller runs (in the background, or with progress).
    """
    if principal.scope is not Scope.OFFICE:
        raise ForbiddenError(
            _(
                "{who} cannot send emergency bulletins; use an office token",
                who=principal.describe(),
            )
        )
    title, text, problems = _check_request(request)
    office = request.office or principal.station_code
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        if office not in tree:
            problems.append(Problem(_("unknown station {code!r}", code=office), "office"))
            raise ValidationFailed(_("emergency bulletin"), problems)
        _office_of(tree, principal, office)
        devices = uow.tokens.stations_with_usable_tokens(clock.now())
        targets = _targets(tree, office, request.stations, problems, devices)
        duration_ms = (
            _body_audio(settings, tree, uow, office, request.audio_hash, problems)
            if request.audio_hash
            else None
        )
    if problems:
        raise ValidationFailed(_("emergency bulletin"), problems)
    lead_hash, lead_ms = lead_in(settings)
    now = clock.now()
    bulletin = Emergency(
        id=0,
        office_code=office,
        title=title,
        audio_hash=request.audio_hash,
        created_at=now,
        expires_at=now + request.expires_in,
        stations=tuple(targets),
        repeat=request.repeat,
        text=text,
        duration_ms=duration_ms,
        created_by=principal.label or str(principal.describe()),  # stored: text
        lead_in_hash=lead_hash,
        lead_in_ms=lead_ms,
        body_state=BodyState.READY if request.audio_hash else BodyState.PENDING,
        replaces=replaces,
    )
    with db.unit_of_work() as uow:
        stored = uow.emergencies.add(bulletin)
        if replaces is not None:
            # one transaction: stations learn of the correction and the withdrawal together
            uow.emergencies.cancel(
                replaces,
                at=now,
                by=bulletin.created_by,
                # stored with the bulletin and shown as it is: rendered now
                reason=str(_("corrected by bulletin #{id}", id=stored.id)),
            )
    log.info(
        _n(
            "bulletin {id} sent to {n} station",
            "bulletin {id} sent to {n} stations",
            len(stored.stations),
            id=stored.id,
        )
    )
    return stored


def complete_body(
    db: Database,
    settings: Settings,
    clock: Clock,
    emergency_id: int,
    *,
    synthesize: Synthesizer = synthesize_bulletin,
) -> Emergency | None:
    """Synthesise a pending text body and hand it to the stations; None when another process
    has it in hand or it is done. A failure is stored (stations keep the lead-in) and raised."""
    config = settings.section("emergency", EmergencySettings)
    stale = timedelta(seconds=config.synthesis_stale_seconds)
    with db.unit_of_work() as uow:
        if not uow.emergencies.claim_body(emergency_id, clock.now(), stale):
            return None
        bulletin = uow.emergencies.get(emergency_id)
    assert bulletin.text is not None
    try:
        audio_hash, duration_ms = synthesize(settings, bulletin.text)
    except BroadcasterError as exc:
        with db.unit_of_work() as uow:
            uow.emergencies.fail_body(emergency_id, str(exc), clock.now())
        raise
    with db.unit_of_work() as uow:
        uow.emergencies.set_body(emergency_id, audio_hash, duration_ms, clock.now())
        return uow.emergencies.get(emergency_id)


def pending_bodies(db: Database, clock: Clock) -> list[int]:
    with db.unit_of_work() as uow:
        return uow.emergencies.pending_bodies(clock.now())


def cancel_emergency(
    db: Database,
    clock: Clock,
    principal: Principal,
    emergency_id: int,
    reason: str | None = None,
) -> Emergency:
    """Withdraw a live bulletin: stations playing it stop (and log it cancelled), stations
    that have not played it yet never do."""
    if principal.scope is not Scope.OFFICE:
        raise ForbiddenError(
            _("{who} cannot cancel bulletins; use an office token", who=principal.describe())
        )
    note = unicodedata.normalize("NFC", reason).strip() if reason else None
    if note and len(note) > MAX_REASON:
        raise ValidationFailed(
            _("cancel"),
            [
                Problem(
                    _("{n} characters; at most {limit}", n=len(note), limit=MAX_REASON), "reason"
                )
            ],
        )
    with db.unit_of_work() as uow:
        bulletin = uow.emergencies.get(emergency_id)
        _office_of(uow.stations.outline(), principal, bulletin.office_code)
        return uow.emergencies.cancel(
            emergency_id,
            at=clock.now(),
            by=principal.label or str(principal.describe()),
            reason=note or None,
        )


def correct_emergency(
    db: Database,
    settings: Settings,
    clock: Clock,
    principal: Principal,
    emergency_id: int,
    request: BulletinRequest,
) -> Emergency:
    """Send a correction: a new bulletin that replaces ``emergency_id`` (cancelled at once),
    to the same stations unless others are named."""
    with db.unit_of_work() as uow:
        old = uow.emergencies.get(emergency_id)
    if request.stations is None:
        request = replace(request, stations=old.stations)
    return create_emergency(
        db,
        settings,
        clock,
        principal,
        replace(request, office=request.office or old.office_code),
        replaces=emergency_id,
    )


def prepare_recording(
    settings: Settings,
    source: Path,
    *,
    db: Database | None = None,
    office: str | None = None,
    clock: Clock | None = None,
) -> str:
    """A recorded bulletin (any format ffmpeg decodes): trimmed, at the loudness target, MP3,
    kept in the audio cache, and recorded as ``office``'s upload when given. Returns its hash
    for :class:`BulletinRequest`."""
    from broadcaster.audio.process import make_temp_dir, process_file
    from broadcaster.speech.settings import SpeechSettings

    if not source.is_file():
        raise InputError(
            _("{path}: no such file; give the path of the recorded bulletin", path=source)
        )
    from .speech import post_processing

    post = post_processing(settings.section("speech", SpeechSettings))
    with make_temp_dir(settings.audio_cache_dir) as work:
        out = Path(work) / "bulletin.mp3"
        process_file(source, out, post, chime=False, label=str(source))
        audio_hash, _path = store_audio(settings.audio_cache_dir, out.read_bytes())
    if db is not None and office is not None and clock is not None:
        with db.unit_of_work() as uow:
            uow.uploads.record(audio_hash, office, clock.now(), str(source.name))
    return audio_hash


# --- following up -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BulletinStatus:
    emergency: Emergency
    deliveries: tuple[EmergencyDelivery, ...]

    @property
    def acknowledged(self) -> int:
        return sum(1 for d in self.deliveries if d.acked_at is not None)

    @property
    def started(self) -> int:
        return sum(1 for d in self.deliveries if d.started_at is not None)


@dataclass(frozen=True)
class DeliveryCounts:
    """How far a bulletin has got, counted in the database (cheap at national scale)."""

    emergency: Emergency
    targets: int
    received: int
    started: int


def bulletin_status(db: Database, emergency_id: int) -> BulletinStatus:
    with db.unit_of_work() as uow:
        e = uow.emergencies.get(emergency_id)
        return BulletinStatus(e, tuple(uow.emergencies.deliveries(emergency_id)))


def delivery_counts(db: Database, emergency_id: int) -> DeliveryCounts:
    with db.unit_of_work() as uow:
        e = uow.emergencies.get(emergency_id)
        targets, received, started = uow.emergencies.delivery_counts(emergency_id)
    return DeliveryCounts(e, targets, received, started)


def recent_bulletins(db: Database, office: str | None, limit: int = 20) -> list[BulletinStatus]:
    """The newest bulletins (of an office and the offices below it), with their deliveries."""
    with db.unit_of_work() as uow:
        codes: list[str] | None = None
        if office is not None:
            tree = uow.stations.outline()
            tree.get(office)
            codes = [s.code for s in tree.subtree(office)]
        found = uow.emergencies.recent(office_codes=codes, limit=limit)
        return [BulletinStatus(e, tuple(uow.emergencies.deliveries(e.id))) for e in found]
