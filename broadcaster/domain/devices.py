"""Commands to a station's device (a loudspeaker cluster's agent): set the volume (1–15),
switch the amplifier's relay, stop what plays, play an item now. Each is sent by someone at a
node above (or at) the device, travels to the agent on the emergency channel, and comes back
acknowledged with what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .accounts import Role
from .errors import InputError
from .messages import Msg, _
from .stations import StationKind, StationTree

VOLUME_LEVELS = 15


class CommandKind(StrEnum):
    VOLUME = "volume"
    RELAY = "relay"
    STOP = "stop"
    PLAY = "play"

    @property
    def label(self) -> Msg:
        return {
            "volume": _("Set the volume"),
            "relay": _("Switch the amplifier"),
            "stop": _("Stop"),
            "play": _("Play now"),
        }[self.value]


@dataclass(frozen=True)
class DeviceCommand:
    id: int
    station_code: str
    kind: CommandKind
    created_at: datetime
    expires_at: datetime
    created_by: str = ""
    value: int | None = None
    item_id: int | None = None
    audio_hash: str | None = None
    duration_ms: int | None = None
    title: str | None = None
    acked_at: datetime | None = None
    result: str | None = None  # "done" or "failed", from the agent
    note: str | None = None

    def describe(self) -> Msg:
        if self.kind is CommandKind.VOLUME:
            return _("volume {level}/{top}", level=self.value, top=VOLUME_LEVELS)
        if self.kind is CommandKind.RELAY:
            return _("amplifier on") if self.value else _("amplifier off")
        if self.kind is CommandKind.PLAY:
            return _("play «{title}» now", title=self.title or self.item_id)
        return _("stop what plays")


def command_kind(text: str) -> CommandKind:
    try:
        return CommandKind(text.strip().lower())
    except ValueError:
        raise InputError(
            _(
                "kind: {value!r} is not a command; use one of {known}",
                value=text,
                known=", ".join(k.value for k in CommandKind),
            )
        ) from None


def check_value(kind: CommandKind, value: int | None) -> int | None:
    """The command's value, checked: a volume 1–15, a relay 1 (on) or 0 (off), else none."""
    if kind is CommandKind.VOLUME:
        if value is None or not 1 <= value <= VOLUME_LEVELS:
            raise InputError(
                _("value: the volume must be a level from 1 to {top}", top=VOLUME_LEVELS)
            )
        return value
    if kind is CommandKind.RELAY:
        if value not in (0, 1):
            raise InputError(_("value: the relay is 1 (on) or 0 (off)"))
        return value
    return None


#: roles that may command a device (an office token counts as the office role)
CONTROLLING = (Role.ADMIN, Role.OFFICE, Role.OPERATOR)


def refusal(role: Role, node: str, who: str, target: str, tree: StationTree) -> Msg | None:
    """Why ``who`` (a ``role`` bound to ``node``) may not command ``target``'s device; None
    when it may. An office reaches the devices in its subtree, a station operator its own
    station and the clusters that play its programme."""
    station = tree.get(target)
    if station.kind is not StationKind.CLUSTER and not station.broadcasts:
        return _("{code} is not a playout device (a loudspeaker cluster or a station)", code=target)
    if role not in CONTROLLING:
        return _(
            "{who} ({role}) may not command loudspeaker clusters; an office or the station's "
            "operator may",
            who=who,
            role=role.label,
        )
    if role is Role.ADMIN:
        return None
    if role is Role.OPERATOR:
        programme = tree.programme_of(target)
        if target == node or (programme is not None and programme.code == node):
            return None
        return _("{who} operates {node}, not {code}", who=who, node=node, code=target)
    if node == target or node in {a.code for a in tree.ancestors(target)}:
        return None
    return _("{code} is not under {node}, the node of {who}", code=target, node=node, who=who)
