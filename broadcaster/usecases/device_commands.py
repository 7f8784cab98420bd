"""Commands from an office or a commune to a loudspeaker cluster's agent: checked against the
sender's role and node, stored (who, when), carried to the agent by the emergency hub on the
same event stream as bulletins, acknowledged by the agent with what became of them."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from broadcaster.db import Database, UnitOfWork
from broadcaster.db.devices_repo import DeviceCommandRepository
from broadcaster.domain.accounts import Role
from broadcaster.domain.clock import Clock
from broadcaster.domain.devices import (
    CommandKind,
    DeviceCommand,
    check_value,
    command_kind,
    refusal,
)
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import Item
from broadcaster.domain.messages import _
from broadcaster.domain.stations import StationTree

log = logging.getLogger("broadcaster.devices")

#: a command the agent has not picked up by then is dropped (it is about now, not later)
COMMAND_TTL = timedelta(minutes=10)
RESULTS = ("done", "failed")


def send_command(
    db: Database,
    clock: Clock,
    *,
    role: Role,
    node: str,
    who: str,
    station: str,
    kind: str | CommandKind,
    value: int | None = None,
    item_id: int | None = None,
) -> DeviceCommand:
    """Check and store one command; ForbiddenError (with the reason) when the sender may not,
    InputError naming the field when the command is wrong. Nothing is stored then."""
    the_kind = kind if isinstance(kind, CommandKind) else command_kind(kind)
    checked = check_value(the_kind, value)
    with db.unit_of_work() as uow:
        tree = _commandable(uow, role, node, who, station)
        audio_hash = title = None
        duration_ms = None
        if the_kind is CommandKind.PLAY:
            if item_id is None:
                raise InputError(_("item_id: say which item to play"))
            found = uow.items.list(ids=[item_id])
            if not found:
                raise InputError(_("item_id: no item {id}", id=item_id))
            _airable_here(found[0], station, tree)
            segment = uow.segments.current_for_items([item_id]).get(item_id)
            if segment is None:
                raise InputError(
                    _("item_id: item {id} has no audio yet; synthesise it first", id=item_id)
                )
            audio_hash, title = segment.content_hash, found[0].title
            duration_ms = round(segment.duration.total_seconds() * 1000)
        now = clock.now()
        stored = DeviceCommandRepository(uow.session).add(
            DeviceCommand(
                id=0,
                station_code=station,
                kind=the_kind,
                created_at=now,
                expires_at=now + COMMAND_TTL,
                created_by=who,
                value=checked,
                item_id=item_id if the_kind is CommandKind.PLAY else None,
                audio_hash=audio_hash,
                duration_ms=duration_ms,
                title=title,
            )
        )
    log.info(
        "%s",
        _("command #{id} to {code}: {what}", id=stored.id, code=station, what=stored.describe()),
    )
    return stored


def _commandable(uow: UnitOfWork, role: Role, node: str, who: str, station: str) -> StationTree:
    """The station tree, once ``station`` is known and ``who`` may command its device."""
    tree = uow.stations.outline()
    if station not in tree:
        raise NotFoundError(_("station: unknown station {code!r}", code=station))
    why = refusal(role, node, who, station, tree)
    if why is not None:
        raise ForbiddenError(why)
    return tree


def _airable_here(item: Item, station: str, tree: StationTree) -> None:
    """Only what may air there is played now: an approved, current item, and when it names
    stations, one of them is this device or a station above it."""
    if item.retired_at is not None or not item.approval.approved:
        raise InputError(
            _(
                "item_id: item {id} is not approved for airing; approve it first",
                id=item.id,
            )
        )
    here = {station, *(s.code for s in tree.ancestors(station))}
    if item.stations and not item.stations & here:
        raise InputError(
            _(
                "item_id: item {id} is meant for {stations}, not {code}",
                id=item.id,
                stations=", ".join(sorted(item.stations)),
                code=station,
            )
        )


def acknowledge_command(
    db: Database, clock: Clock, station: str, command_id: int, result: str, note: str | None
) -> DeviceCommand:
    """The agent's answer to a command sent to it; repeating it changes nothing."""
    if result not in RESULTS:
        raise InputError(_("result: use done or failed"))
    with db.unit_of_work() as uow:
        done = DeviceCommandRepository(uow.session).acknowledge(
            command_id, station, clock.now(), result, note
        )
    if done is None:
        raise NotFoundError(_("no command #{id} was sent to {code}", id=command_id, code=station))
    return done


def recent_commands(
    db: Database, *, role: Role, node: str, who: str, station: str, limit: int = 20
) -> list[DeviceCommand]:
    """A device's latest commands, newest first, for those who may command it."""
    with db.unit_of_work() as uow:
        _commandable(uow, role, node, who, station)  # an unknown station or a refusal is an error
        return DeviceCommandRepository(uow.session).recent([station], limit)


def pending_commands(db: Database, now: datetime) -> list[DeviceCommand]:
    with db.unit_of_work() as uow:
        return DeviceCommandRepository(uow.session).pending(now)


def commands_after(db: Database, command_id: int) -> list[DeviceCommand]:
    with db.unit_of_work() as uow:
        return DeviceCommandRepository(uow.session).after(command_id)


@dataclass(frozen=True)
class Controls:
    """What one person may do with the devices of a board: the devices they may command,
    each with its latest commands (newest first), and the items they may play now."""

    recent: dict[str, list[DeviceCommand]] = field(default_factory=dict)
    #: (id, title) of the approved items with audio, by title
    items: list[tuple[int, str]] = field(default_factory=list)

    def allows(self, code: str) -> bool:
        return code in self.recent


#: at most this many items are offered to play now
PLAYABLE_ITEMS = 200


def device_controls(
    db: Database, *, role: Role, node: str, who: str, codes: list[str], per_device: int = 3
) -> Controls:
    """The devices among ``codes`` that ``who`` may command, with their latest commands, and
    the items with audio that may be played on them now (none when no device is theirs)."""
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        mine = [c for c in codes if c in tree and refusal(role, node, who, c, tree) is None]
        if not mine:
            return Controls()
        recent: dict[str, list[DeviceCommand]] = {c: [] for c in mine}
        for c in DeviceCommandRepository(uow.session).recent(mine, per_device * len(mine)):
            if len(recent[c.station_code]) < per_device:
                recent[c.station_code].append(c)
        approved = {i.id: i.title for i in uow.items.approved() if i.id is not None}
        voiced = uow.segments.current_for_items(list(approved))
    items = sorted(((i, approved[i]) for i in voiced), key=lambda x: (x[1], x[0]))
    return Controls(recent, items[:PLAYABLE_ITEMS])


_FIELD = re.compile(r"^(?:value|item_id|station|kind): ")


def plain_reason(exc: Exception) -> str:
    """A refusal of :func:`send_command` without the API field it names (``value: …``): a
    form or a command line has fields of its own."""
    return _FIELD.sub("", str(exc))
