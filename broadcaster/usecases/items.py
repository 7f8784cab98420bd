"""Set an item's planning attributes: priority, weekly target, window, dayparts, gap, stations.

These are hard constraints and targets for the planner. Changing them does not withdraw an
item's approval: approval covers what is aired (the script), not when it is aired.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import Enum

from broadcaster.db import Database
from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Daypart, Item, ItemKind, Priority
from broadcaster.domain.stations import StationTree

from .planner_settings import MAX_TARGET

#: a minimum gap of more than a week allows one airing at most: say so instead
MAX_GAP = timedelta(days=7)
MAX_TITLE = 500
#: the Item fields an edit may change
PLANNING_FIELDS = (
    "priority",
    "target_per_week",
    "valid_from",
    "valid_until",
    "dayparts",
    "min_gap",
    "stations",
    "title",
)


class Keep(Enum):
    """Marks an attribute the edit leaves as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class PlanningEdit:
    """What to change; :data:`KEEP` leaves an attribute alone, ``None`` resets it."""

    priority: Priority | Keep = KEEP
    target: int | Keep | None = KEEP  # None: the default for its priority and station
    valid_from: date | Keep | None = KEEP
    valid_until: date | Keep | None = KEEP
    dayparts: frozenset[Daypart] | Keep = KEEP  # empty: any
    min_gap: timedelta | Keep | None = KEEP
    stations: frozenset[str] | Keep = KEEP  # empty: every station of the office
    title: str | Keep = KEEP

    @property
    def empty(self) -> bool:
        return all(v is KEEP for v in self.__dict__.values())


@dataclass(frozen=True)
class PlanningUpdate:
    item: Item
    changed: tuple[str, ...]  # names of the attributes whose value changed


# --- parsing what a user types -----------------------------------------------------------------

_EMERGENCY_HINT = (
    "emergency bulletins are not planned, they are sent at once: use "
    "'broadcaster emergency send --office CODE --title … --text …' "
    "(or POST /api/v1/emergencies)"
)


def _plain(text: str) -> str:
    """Lower case without Vietnamese diacritics: "Ưu tiên" → "uu tien"."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_-]+", " ", stripped)


_PRIORITIES = {
    "normal": Priority.NORMAL,
    "thong thuong": Priority.NORMAL,
    "priority": Priority.PRIORITY,
    "uu tien": Priority.PRIORITY,
    "emergency": Priority.EMERGENCY,
    "khan cap": Priority.EMERGENCY,
}


def parse_priority(text: str) -> Priority:
    """``normal``/``thông thường`` or ``priority``/``ưu tiên``; emergency is refused."""
    priority = _PRIORITIES.get(_plain(text))
    if priority is None:
        raise InputError(f"priority {text!r} is unknown; use normal or priority")
    if priority is Priority.EMERGENCY:
        raise InputError(f"priority emergency cannot be planned: {_EMERGENCY_HINT}")
    return priority


def parse_target(text: str) -> int | None:
    """A whole number of airings per week (0–50), or ``default`` (``None``)."""
    if _plain(text) in {"default", "mac dinh"}:
        return None
    try:
        n = int(text.strip())
    except ValueError:
        raise InputError(
            f"target {text!r} is not a number; give airings per week (0 to {MAX_TARGET}) "
            "or 'default'"
        ) from None
    if not 0 <= n <= MAX_TARGET:
        raise InputError(
            f"target {n} is out of range; give 0 to {MAX_TARGET} airings per week "
            "(0 keeps the item off the plan)"
        )
    return n


_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str, option: str) -> date | None:
    """``2026-05-20`` or ``20/05/2026``; ``none`` clears the bound."""
    value = text.strip()
    if _plain(value) in {"none", "khong"}:
        return None
    try:
        m = _DATE_DMY.match(value)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} {text!r} is not a date; write it as 2026-05-20 or 20/05/2026 "
            "('none' removes the bound)"
        ) from None


_DAYPARTS = {
    "morning": Daypart.MORNING,
    "sang": Daypart.MORNING,
    "noon": Daypart.NOON,
    "trua": Daypart.NOON,
    "evening": Daypart.EVENING,
    "afternoon": Daypart.EVENING,
    "chieu": Daypart.EVENING,
    "toi": Daypart.EVENING,
}


def parse_dayparts(text: str) -> frozenset[Daypart]:
    """``sáng,trưa`` (with or without diacritics, or morning/noon/evening); ``any``: all."""
    words = [w for w in (_plain(p) for p in text.split(",")) if w]
    if not words or words == ["any"] or words == ["all"] or words == ["moi"]:
        return frozenset()
    out: set[Daypart] = set()
    for word in words:
        part = _DAYPARTS.get(word)
        if part is None:
            raise InputError(
                f"daypart {word!r} is unknown; use sang (before 11:00), trua (11:00–14:00), "
                "chieu (from 14:00), comma-separated, or 'any'"
            )
        out.add(part)
    return frozenset(out)


_GAP = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?$")


def parse_min_gap(text: str) -> timedelta | None:
    """``1d``, ``12h``, ``90m``, ``1h30m``; ``none`` (or 0) for no minimum gap."""
    value = _plain(text).replace(" ", "")
    if value in {"none", "0", "khong"}:
        return None
    m = _GAP.match(value)
    if not value or not m or not any(m.groups()):
        raise InputError(
            f"minimum gap {text!r} is not understood; write it like 1d, 12h, 90m or 1h30m "
            "('none' removes it)"
        )
    days, hours, minutes = (int(g) if g else 0 for g in m.groups())
    gap = timedelta(days=days, hours=hours, minutes=minutes)
    if gap > MAX_GAP:
        raise InputError(
            f"minimum gap {text!r} is longer than a week, so the item could air at most once "
            "a week; use at most 7d, or set --target 1"
        )
    return gap if gap else None


def parse_stations(text: str) -> frozenset[str]:
    """Comma-separated station codes; ``all`` for every station of the office."""
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes or [_plain(c) for c in codes] in (["all"], ["any"]):
        return frozenset()
    return frozenset(codes)


def parse_title(text: str) -> str:
    title = unicodedata.normalize("NFC", " ".join(text.split()))
    if not title:
        raise InputError("the new title is empty; give the item a title")
    if len(title) > MAX_TITLE:
        raise InputError(f"the new title has {len(title)} characters; keep it under {MAX_TITLE}")
    return title


def parse_planning_edit(
    *,
    priority: str | None = None,
    target: str | None = None,
    valid_from: str | None = None,
    valid_until: str | None = None,
    dayparts: str | None = None,
    min_gap: str | None = None,
    stations: str | None = None,
    title: str | None = None,
) -> PlanningEdit:
    """An edit from option texts as typed (``None``: not given)."""
    return PlanningEdit(
        priority=KEEP if priority is None else parse_priority(priority),
        target=KEEP if target is None else parse_target(target),
        valid_from=KEEP if valid_from is None else parse_date(valid_from, "--from"),
        valid_until=KEEP if valid_until is None else parse_date(valid_until, "--until"),
        dayparts=KEEP if dayparts is None else parse_dayparts(dayparts),
        min_gap=KEEP if min_gap is None else parse_min_gap(min_gap),
        stations=KEEP if stations is None else parse_stations(stations),
        title=KEEP if title is None else parse_title(title),
    )


# --- applying it ---------------------------------------------------------------------------------


def _resolve_stations(label: str, codes: frozenset[str], tree: StationTree) -> frozenset[str]:
    """Codes as stored (matched without regard to case), each able to reach a station that airs."""
    by_upper = {s.code.upper(): s.code for s in tree}
    out: set[str] = set()
    for code in sorted(codes):
        known = by_upper.get(code.upper())
        if known is None:
            if not len(tree):
                raise InputError(
                    f"{label}: station {code!r} is unknown and no stations are loaded; "
                    "load them with 'broadcaster stations load FILE'"
                )
            close = difflib.get_close_matches(code.upper(), list(by_upper), n=3, cutoff=0.6)
            hint = "did you mean " + ", ".join(by_upper[c] for c in close) + "? " if close else ""
            raise InputError(
                f"{label}: station {code!r} is unknown; {hint}list the codes with "
                "'broadcaster stations list'"
            )
        if not any(s.broadcasts for s in tree.subtree(known)):
            airing = next((a for a in reversed(tree.ancestors(known)) if a.broadcasts), None)
            instead = f"; target {airing.code} instead" if airing is not None else ""
            raise InputError(
                f"{label}: station {known} ({tree.get(known).name}) does not air a "
                f"programme of its own{instead}"
            )
        out.add(known)
    return frozenset(out)


def set_item_planning(db: Database, item_id: int, edit: PlanningEdit) -> PlanningUpdate:
    """Change an item's planning attributes; its approval stays as it was.

    Checks the result as a whole (the window's end not before its start, station codes known),
    so ``--until`` alone is checked against the stored ``--from``.
    """
    (update,) = set_items_planning(db, [item_id], edit)
    return update


def set_items_planning(
    db: Database, item_ids: Sequence[int], edit: PlanningEdit
) -> list[PlanningUpdate]:
    """The same change to several items, all or none: one item that cannot take it (unknown,
    administrative, a window that would end before it starts) stops the whole edit."""
    if edit.empty:
        raise InputError(
            f"item {', '.join(map(str, item_ids))}: nothing to change; give at least one of "
            "--priority, --target, --from, --until, --dayparts, --min-gap, --stations, --title"
        )
    ids = list(dict.fromkeys(item_ids))
    with db.unit_of_work() as uow:
        items = [uow.items.get(n) for n in ids]  # an unknown id: a clear NotFoundError
        stations = edit.stations
        if stations is not KEEP and stations:
            label = ("item " if len(ids) == 1 else "items ") + ", ".join(map(str, ids))
            stations = _resolve_stations(label, stations, uow.stations.tree())
        planned = [_apply(item, replace(edit, stations=stations)) for item in items]
        out = []
        for item, updated in zip(items, planned, strict=True):
            changed = tuple(n for n in PLANNING_FIELDS if getattr(item, n) != getattr(updated, n))
            if changed:
                updated = uow.items.save(updated)
            out.append(PlanningUpdate(updated, changed))
        return out


#: PlanningEdit fields named differently on Item
_ITEM_FIELD = {"target": "target_per_week"}


def _apply(item: Item, edit: PlanningEdit) -> Item:
    """The item with the edit applied, checked as a whole."""
    if item.kind is not ItemKind.PROPAGANDA:
        raise InputError(
            f"item {item.id} ({item.number} {item.title[:60]}) is administrative and is "
            "not aired, so it has nothing to plan"
        )
    changes = {
        _ITEM_FIELD.get(f.name, f.name): value
        for f in fields(edit)
        if (value := getattr(edit, f.name)) is not KEEP
    }
    updated = replace(item, **changes)
    start, end = updated.valid_from, updated.valid_until
    if start is not None and end is not None and end < start:
        raise InputError(
            f"item {item.id}: --until {end.isoformat()} is before --from "
            f"{start.isoformat()}; the window must end on or after the day it starts"
        )
    return updated


def describe_gap(gap: timedelta | None) -> str:
    """``1 ngày 12 giờ``; ``không`` when there is none."""
    if not gap:
        return "không"
    minutes = int(gap.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "ngày"), (hours, "giờ"), (mins, "phút")) if n]
    return " ".join(parts)


__all__ = [
    "KEEP",
    "PlanningEdit",
    "PlanningUpdate",
    "describe_gap",
    "parse_date",
    "parse_dayparts",
    "parse_min_gap",
    "parse_planning_edit",
    "parse_priority",
    "parse_stations",
    "parse_target",
    "set_item_planning",
    "set_items_planning",
]
