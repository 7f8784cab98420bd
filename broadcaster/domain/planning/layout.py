"""Laying out one session: the solver's items in order, with gaps and fixed blocks, timed.

Priority items lead their session: the items are packed first-fit in priority order over the
session's free segments in time order; only when that packing fails are the solver's own
segments kept (each segment then ordered by priority). Sessions that started before ``now``
are frozen: kept exactly as previously planned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

from ..items import Item, Priority
from .model import EntryKind, PlanEntry, PlannedSession, PlannerSettings
from .problem import Slot
from .weeks import nfc, to_ms

#: an entry before it is dated: (offset in the session, length, kind, title, item id,
#: priority, basis), all times in ms
_Timed = tuple[int, int, EntryKind, str, int | None, Priority | None, str]


def basis_texts(items: Iterable[tuple[int, Item]]) -> dict[int, str]:
    """Per item id, the documents it is based on as one line (shown with each airing)."""
    return {
        item.id: "; ".join(ref.describe() for ref in item.basis)
        for _, item in items
        if item.id is not None
    }


def _duration_ms(item: Item) -> int:
    duration = item.effective_duration
    assert duration is not None
    return to_ms(duration)


def _by_priority(entry: tuple[Item, int]) -> tuple[int, int]:
    item = entry[0]
    assert item.id is not None
    return (item.priority.rank, item.id)


def _segments_of(slot: Slot, ordered: Sequence[tuple[Item, int]], gap_ms: int) -> list[list[Item]]:
    """The items of each free segment: first fit in priority order, else the solver's choice."""
    room = [length + gap_ms for _, length in slot.segments]
    by_segment: list[list[Item]] = [[] for _ in slot.segments]
    for item, _ in ordered:
        size = _duration_ms(item) + gap_ms
        for segment in range(len(room)):
            if room[segment] >= size:
                room[segment] -= size
                by_segment[segment].append(item)
                break
        else:
            by_segment = [[] for _ in slot.segments]
            for solver_item, solver_segment in ordered:
                by_segment[solver_segment].append(solver_item)
            return by_segment
    return by_segment


def _announcements(
    slot: Slot,
    by_segment: Sequence[Sequence[Item]],
    settings: PlannerSettings,
    gap_ms: int,
    basis: Mapping[int, str],
) -> list[_Timed]:
    """The announcements of each segment, back to back, a gap entry between two of them."""
    timed: list[_Timed] = []
    for (offset, _), items in zip(slot.segments, by_segment, strict=True):
        cursor = offset
        for n, item in enumerate(items):
            if n and gap_ms:
                timed.append(
                    (cursor, gap_ms, settings.gap_kind, settings.gap_title, None, None, "")
                )
                cursor += gap_ms
            assert item.id is not None
            duration = _duration_ms(item)
            timed.append(
                (
                    cursor,
                    duration,
                    EntryKind.ANNOUNCEMENT,
                    nfc(item.title),
                    item.id,
                    item.priority,
                    basis.get(item.id, ""),
                )
            )
            cursor += duration
    return timed


def _fixed_blocks(slot: Slot) -> list[_Timed]:
    session_start = slot.session.start_minute
    return [
        (
            round((block.start_minute - session_start) * 60000),
            to_ms(block.length),
            EntryKind.FIXED_BLOCK,
            nfc(block.title),
            None,
            None,
            block.source,
        )
        for block in slot.session.fixed_blocks
    ]


def layout_session(
    slot: Slot,
    placed: Sequence[tuple[Item, int]],  # (item, segment chosen by the solver)
    settings: PlannerSettings,
    gap_ms: int,
    basis: Mapping[int, str],
) -> PlannedSession:
    """A session with the items the solver placed in it, ordered and timed."""
    ordered = sorted(placed, key=_by_priority)
    by_segment = _segments_of(slot, ordered, gap_ms)
    timed = _announcements(slot, by_segment, settings, gap_ms, basis) + _fixed_blocks(slot)
    # a fixed block sounds before an announcement that would start at the same moment
    timed.sort(key=lambda t: (t[0], t[2] is not EntryKind.FIXED_BLOCK))
    entries = tuple(
        PlanEntry(
            position=n + 1,
            start=slot.start + timedelta(milliseconds=offset),
            duration=timedelta(milliseconds=length),
            kind=kind,
            title=title,
            item_id=item_id,
            priority=priority,
            basis=basis_text,
        )
        for n, (offset, length, kind, title, item_id, priority, basis_text) in enumerate(timed)
    )
    return _session(slot, entries, frozen=False)


def _session(slot: Slot, entries: tuple[PlanEntry, ...], *, frozen: bool) -> PlannedSession:
    """The slot's session with these entries; its capacity is the length of its segments."""
    return PlannedSession(
        day=slot.day,
        name=slot.session.name,
        start=slot.start,
        end=slot.end,
        capacity=timedelta(milliseconds=sum(length for _, length in slot.segments)),
        entries=entries,
        frozen=frozen,
    )


def frozen_session(slot: Slot, previous: PlannedSession | None) -> PlannedSession:
    """A session that has started: as previously planned, or only its fixed blocks."""
    if previous is not None:
        return previous if previous.frozen else refreeze(previous)
    fixed = tuple(
        PlanEntry(
            position=n + 1,
            start=slot.start + timedelta(minutes=block.start_minute - slot.session.start_minute),
            duration=block.length,
            kind=EntryKind.FIXED_BLOCK,
            title=nfc(block.title),
            basis=block.source,
        )
        for n, block in enumerate(
            sorted(slot.session.fixed_blocks, key=lambda block: block.start_minute)
        )
    )
    return _session(slot, fixed, frozen=True)


def refreeze(session: PlannedSession) -> PlannedSession:
    """The same session, marked as started (kept as it is)."""
    return replace(session, frozen=True)
