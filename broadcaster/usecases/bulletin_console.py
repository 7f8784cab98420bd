"""The emergency console's use cases, around :mod:`broadcaster.usecases.emergencies`: a
signed-in office person sends as their office, hears the bulletin before it goes (the text
spoken offline once, and that very audio sent), chooses stations from a tree, and follows the
delivery station by station.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from broadcaster.config import Settings
from broadcaster.db import Database
from broadcaster.domain.accounts import Role, User
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import Principal, Scope
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.messages import _
from broadcaster.domain.stations import Station

from .emergencies import BulletinStatus, Synthesizer, synthesize_bulletin


def office_principal(user: User) -> Principal:
    """The caller as the office at the user's node (what an office token would be)."""
    return Principal(
        token_id=0, scope=Scope.OFFICE, station_code=user.station_code, label=user.shown
    )


def speak_for_preview(
    db: Database,
    settings: Settings,
    clock: Clock,
    user: User,
    text: str,
    *,
    synthesize: Synthesizer = synthesize_bulletin,
) -> tuple[str, int]:
    """Speak a bulletin's text offline and keep it as the user's office's upload, so the
    audio heard on the confirmation page is the audio sent (hash, duration in ms)."""
    audio_hash, duration_ms = synthesize(settings, text)
    with db.unit_of_work() as uow:
        uow.uploads.record(audio_hash, user.station_code, clock.now(), user.shown)
    return audio_hash, duration_ms


@dataclass(frozen=True)
class TreeNode:
    station: Station
    depth: int
    #: whether a bulletin can be sent to it (it airs)
    airs: bool


def target_tree(db: Database, node: str) -> list[TreeNode]:
    """The stations under ``node`` in tree order, with whether each airs."""
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
    if node not in tree:
        raise NotFoundError(_("unknown station {code!r}", code=node))
    inside = {s.code for s in tree.subtree(node)}
    base = tree.depth(node)
    return [
        TreeNode(s, tree.depth(s.code) - base, s.broadcasts)
        for s in tree.ordered()
        if s.code in inside
    ]


def chosen_targets(db: Database, node: str, chosen: Sequence[str] | None) -> list[Station]:
    """The stations a bulletin would interrupt: every one that airs under ``node`` (None),
    or those chosen among them (others are left out; the send names them)."""
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
    reachable = tree.broadcasting_under(node)
    if chosen is None:
        return reachable
    wanted = set(chosen)
    return [s for s in reachable if s.code in wanted]


def bulletin_of(db: Database, user: User, emergency_id: int) -> BulletinStatus:
    """A bulletin sent by the user's office or one below it; others are not found."""
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        mine = {s.code for s in tree.subtree(user.station_code)}
        try:
            e = uow.emergencies.get(emergency_id)
        except NotFoundError:
            e = None
        if e is None or (user.role is not Role.ADMIN and e.office_code not in mine):
            raise NotFoundError(_("no bulletin #{id} among yours", id=emergency_id))
        return BulletinStatus(e, tuple(uow.emergencies.deliveries(emergency_id)))


def station_names(db: Database, codes: Sequence[str]) -> dict[str, str]:
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
    return {c: tree.get(c).name if c in tree else c for c in codes}
