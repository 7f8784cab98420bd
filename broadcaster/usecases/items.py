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
from broadcaster.domain.messages import Msg, _, _n
from broadcaster.domain.stations import StationKind, StationTree

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
        raise InputError(_("priority {value!r} is unknown; use normal or priority", value=text))
    if priority is Priority.EMERGENCY:
        raise InputError(
            _(
                "priority emergency cannot be planned: emergency bulletins are not planned, "
                "they are sent at once: use 'broadcaster emergency send --office CODE --title … "
                "--text …' (or POST /api/v1/emergencies)"
            )
        )
    return priority


def parse_target(text: str) -> int | None:
    """A whole number of airings per week (0–50), or ``default`` (``None``)."""
    if _plain(text) in {"default", "mac dinh"}:
        return None
    try:
        n = int(text.strip())
    except ValueError:
        raise InputError(
            _(
                "target {value!r} is not a number; give airings per week (0 to {limit}) "
                "or 'default'",
                value=text,
                limit=MAX_TARGET,
            )
        ) from None
    if not 0 <= n <= MAX_TARGET:
        raise InputError(
            _(
                "target {value} is out of range; give 0 to {limit} airings per week "
                "(0 keeps the item off the plan)",
                value=n,
                limit=MAX_TARGET,
            )
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
            _(
                "{option} {value!r} is not a date; write it as 2026-05-20 or 20/05/2026 "
                "('none' removes the bound)",
                option=option,
                value=text,
            )
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
                _(
                    "daypart {value!r} is unknown; use sang (before 11:00), trua (11:00–14:00), "
                    "chieu (from 14:00), comma-separated, or 'any'",
                    value=word,
                )
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
            _(
                "minimum gap {value!r} is not understood; write it like 1d, 12h, 90m or 1h30m "
                "('none' removes it)",
                value=text,
            )
        )
    days, hours, minutes = (int(g) if g else 0 for g in m.groups())
    gap = timedelta(days=days, hours=hours, minutes=minutes)
    if gap > MAX_GAP:
        raise InputError(
            _(
                "minimum gap {value!r} is longer than a week, so the item could air at most "
                "once a week; use at most 7d, or set --target 1",
                value=text,
            )
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
        raise InputError(_("the new title is empty; give the item a title"))
    if len(title) > MAX_TITLE:
        raise InputError(
            _(
                "the new title has {n} characters; keep it under {limit}",
                n=len(title),
                limit=MAX_TITLE,
            )
        )
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


def _resolve_stations(label: Msg, codes: frozenset[str], tree: StationTree) -> frozenset[str]:
    """Codes as stored (matched without regard to case), each able to reach a station that airs."""
    by_upper = {s.code.upper(): s.code for s in tree}
    out: set[str] = set()
    for code in sorted(codes):
        known = by_upper.get(code.upper())
        if known is None:
            if not len(tree):
                raise InputError(
                    _(
                        "{items}: station {code!r} is unknown and no stations are loaded; "
                        "load them with 'broadcaster stations load FILE'",
                        items=label,
                        code=code,
                    )
                )
            close = difflib.get_close_matches(code.upper(), list(by_upper), n=3, cutoff=0.6)
            if close:
                raise InputError(
                    _(
                        "{items}: station {code!r} is unknown; did you mean {close}? list the "
                        "codes with 'broadcaster stations list'",
                        items=label,
                        code=code,
                        close=", ".join(by_upper[c] for c in close),
                    )
                )
            raise InputError(
                _(
                    "{items}: station {code!r} is unknown; list the codes with "
                    "'broadcaster stations list'",
                    items=label,
                    code=code,
                )
            )
        if not any(s.broadcasts for s in tree.subtree(known)):
            airing = next((a for a in reversed(tree.ancestors(known)) if a.broadcasts), None)
            values = {"items": label, "code": known, "name": tree.get(known).name}
            if airing is not None and tree.get(known).kind is StationKind.CLUSTER:
                # planned in its commune's programme, played by this cluster's agent alone
                out.add(known)
                continue
            if airing is not None:
                raise InputError(
                    _(
                        "{items}: station {code} ({name}) does not air a programme of its own; "
                        "target {instead} instead",
                        instead=airing.code,
                        **values,
                    )
                )
            raise InputError(
                _("{items}: station {code} ({name}) does not air a programme of its own", **values)
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
            _(
                "{items}: nothing to change; give at least one of --priority, --target, --from, "
                "--until, --dayparts, --min-gap, --stations, --title",
                items=_items_label(item_ids),
            )
        )
    ids = list(dict.fromkeys(item_ids))
    with db.unit_of_work() as uow:
        items = [uow.items.get(n) for n in ids]  # an unknown id: a clear NotFoundError
        stations = edit.stations
        if stations is not KEEP and stations:
            stations = _resolve_stations(_items_label(ids), stations, uow.stations.tree())
        planned = [_apply(item, replace(edit, stations=stations)) for item in items]
        out = []
        for item, updated in zip(items, planned, strict=True):
            changed = tuple(n for n in PLANNING_FIELDS if getattr(item, n) != getattr(updated, n))
            if changed:
                updated = uow.items.save(updated)
            out.append(PlanningUpdate(updated, changed))
        return out


def _items_label(ids: Sequence[int]) -> Msg:
    """``item 3`` or ``items 3, 4``, as an error names what it is about."""
    return _n("item {ids}", "items {ids}", len(ids), ids=", ".join(map(str, ids)))


#: PlanningEdit fields named differently on Item
_ITEM_FIELD = {"target": "target_per_week"}


def _apply(item: Item, edit: PlanningEdit) -> Item:
    """The item with the edit applied, checked as a whole."""
    if item.retired:
        raise InputError(retired_message(item))
    if item.kind is not ItemKind.PROPAGANDA:
        raise InputError(
            _(
                "item {id} ({number} {title}) is administrative and is not aired, so it has "
                "nothing to plan",
                **item_values(item),
            )
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
            _(
                "item {id}: --until {end} is before --from {start}; the window must end on or "
                "after the day it starts",
                id=item.id,
                end=end.strftime("%d/%m/%Y"),
                start=start.strftime("%d/%m/%Y"),
            )
        )
    return updated


def item_values(item: Item) -> dict[str, object]:
    """How a message names an item: ``{id}``, ``{number}`` and ``{title}`` (cut to 60
    characters)."""
    return {"id": item.id, "number": item.number, "title": item.title[:60]}


def retired_message(item: Item) -> Msg:
    return _(
        "item {id} ({title}) was deleted after it was approved or aired; it is kept "
        "for the record and cannot be changed",
        id=item.id,
        title=item.title[:60],
    )


def describe_gap(gap: timedelta | None) -> str:
    """``1 ngày 12 giờ`` (durations read in Vietnamese words for now); ``không`` (none) when
    there is none."""
    if not gap:
        return str(_("none (no minimum gap)"))
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
