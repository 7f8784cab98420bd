"""The pure core: domain objects, validation, planning. Standard library only.

Nothing here touches a disk, a network, a database or the wall clock: values in, values out.
"""

from .airings import Airing, AiringSource, AiringStatus
from .clock import Clock, FixedClock
from .errors import (
    BroadcasterError,
    ConfigError,
    InputError,
    NotFoundError,
    Problem,
    StorageError,
    ValidationFailed,
)
from .items import (
    DEFAULT_TARGETS,
    Approval,
    ApprovalState,
    Daypart,
    Directive,
    DocumentRef,
    Item,
    ItemKind,
    Observance,
    PartialDate,
    Period,
    Priority,
)
from .stations import (
    DEFAULT_TIMEZONE,
    BlockKind,
    BroadcastClock,
    ClockSettings,
    FixedBlock,
    QuietHours,
    Session,
    Station,
    StationKind,
    StationTree,
)
from .validation import build_tree, validate_clock, validate_stations

__all__ = [
    "DEFAULT_TARGETS",
    "DEFAULT_TIMEZONE",
    "Airing",
    "AiringSource",
    "AiringStatus",
    "Approval",
    "ApprovalState",
    "BlockKind",
    "BroadcastClock",
    "BroadcasterError",
    "Clock",
    "ClockSettings",
    "ConfigError",
    "Daypart",
    "Directive",
    "DocumentRef",
    "FixedBlock",
    "FixedClock",
    "InputError",
    "Item",
    "ItemKind",
    "NotFoundError",
    "Observance",
    "PartialDate",
    "Period",
    "Priority",
    "Problem",
    "QuietHours",
    "Session",
    "Station",
    "StationKind",
    "StationTree",
    "StorageError",
    "ValidationFailed",
    "build_tree",
    "validate_clock",
    "validate_stations",
]
