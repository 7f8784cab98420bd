"""Who may fetch which audio: nothing is served that the caller may not air or read.

- A station: the audio its playlists name, the bulletins sent to it, and the lead-in every
  bulletin opens with (the same everywhere, fetched ahead).
- An office: announcement audio of items (shared content), lead-ins, bulletins sent by an
  office in its subtree or to a station in it, and recordings uploaded by an office in its
  subtree — never another office's bulletin or upload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from broadcaster.db import Database
from broadcaster.domain.distribution import ForbiddenError, Principal, Scope
from broadcaster.domain.messages import _

#: the audio hashes a station's playlists name around today (supplied by the entry point,
#: which knows where playlists come from)
StationAudio = Callable[[str], set[str]]


def check_audio_access(
    db: Database,
    principal: Principal,
    audio_hash: str,
    station_audio: StationAudio,
    *,
    lead_in: str | None = None,
) -> None:
    """Raise :class:`ForbiddenError` unless the caller may fetch this audio."""
    if audio_hash == lead_in:
        return
    with db.unit_of_work() as uow:
        if uow.emergencies.is_lead_in(audio_hash):
            return
        if principal.scope is Scope.STATION:
            if uow.emergencies.sent_to_with([principal.station_code], audio_hash):
                return
        else:
            if uow.segments.has_hash(audio_hash):
                return
            mine = {s.code for s in uow.stations.outline().subtree(principal.station_code)}
            if (
                uow.uploads.owners(audio_hash) & mine
                or uow.emergencies.offices_sending(audio_hash) & mine
                or uow.emergencies.sent_to_with(sorted(mine), audio_hash)
            ):
                return
    if principal.scope is Scope.STATION and audio_hash in station_audio(principal.station_code):
        return
    values = {"who": principal.describe(), "audio": audio_hash[:12]}
    if principal.scope is Scope.STATION:
        raise ForbiddenError(
            _(
                "{who} may not fetch audio {audio}…: it is in none of its playlists or "
                "bulletins or uploads",
                **values,
            )
        )
    raise ForbiddenError(
        _(
            "{who} may not fetch audio {audio}…: it is in none of its subtree's bulletins or "
            "uploads",
            **values,
        )
    )


def may_send_upload(db: Database, office: str, audio_hash: str) -> bool:
    """Whether ``office`` may send this recording: it, or an office below it, uploaded it."""
    with db.unit_of_work() as uow:
        mine = {s.code for s in uow.stations.outline().subtree(office)}
        return bool(uow.uploads.owners(audio_hash) & mine)


def record_upload(db: Database, office: str, audio_hash: str, at: datetime, by: str = "") -> None:
    with db.unit_of_work() as uow:
        uow.uploads.record(audio_hash, office, at, by)
