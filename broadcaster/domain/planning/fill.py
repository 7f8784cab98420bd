"""What fills a session's time that announcements leave, so a session never falls silent.

A station chooses (:class:`FillPolicy`):

* ``library``: programmes and music from the office's library, rotated, each aired at most
  ``max_per_day`` times a day at the station; what the library cannot fill before a relay
  joins the relay's source early (the national channel is on air all day), and what it cannot
  fill at the end of a session ends the session early (the playlist says when it ends);
* ``relay``: a relay (tiếp âm) of a source in every free stretch of the session;
* ``end``: the session ends when its last entry ends.

Free time inside a session that nothing can fill (a stretch before a fixed block shorter than
every piece of the library) stays, and is counted as unplanned silence in the session's
:attr:`~.model.PlannedSession.fill`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from ..stations import BlockKind, FixedBlock
from .model import EntryKind, FillMode, FillPolicy, PlanEntry, PlannedSession
from .problem import Slot
from .weeks import nfc, to_ms

#: free stretches shorter than this are left alone (a breath between two pieces)
MIN_FILL_MS = 1000


@dataclass
class _Rotation:
    """Where a station is in its library, and what each piece aired today."""

    policy: FillPolicy
    cursor: int = 0
    day: object = None
    today: dict[str, int] | None = None

    def start_day(self, day: object) -> None:
        if day != self.day:
            self.day, self.today = day, {}

    def next_fitting(self, room_ms: int) -> int | None:
        """The next piece in rotation that fits ``room_ms`` and may still air today."""
        library = self.policy.library
        assert self.today is not None
        for step in range(len(library)):
            n = (self.cursor + step) % len(library)
            piece = library[n]
            if (
                to_ms(piece.duration) <= room_ms
                and self.today.get(piece.audio, 0) < self.policy.max_per_day
            ):
                return n
        return None

    def take(self, n: int) -> None:
        assert self.today is not None
        piece = self.policy.library[n]
        self.today[piece.audio] = self.today.get(piece.audio, 0) + 1
        self.cursor = (n + 1) % len(self.policy.library)


def _free_stretches(slot: Slot, entries: Sequence[PlanEntry]) -> list[tuple[int, int]]:
    """The parts of the slot's free segments no entry covers, as (offset, end) in ms."""
    covered = sorted((to_ms(e.start - slot.start), to_ms(e.end - slot.start)) for e in entries)
    free: list[tuple[int, int]] = []
    for offset, length in slot.segments:
        cursor, end = offset, offset + length
        for start, stop in covered:
            if stop <= cursor or start >= end:
                continue
            if start > cursor:
                free.append((cursor, start))
            cursor = max(cursor, stop)
        if cursor < end:
            free.append((cursor, end))
    return [(a, b) for a, b in free if b - a >= MIN_FILL_MS]


def _pieces(slot: Slot, stretch: tuple[int, int], rotation: _Rotation) -> list[PlanEntry]:
    cursor, end = stretch
    out: list[PlanEntry] = []
    while (n := rotation.next_fitting(end - cursor)) is not None:
        piece = rotation.policy.library[n]
        rotation.take(n)
        out.append(
            PlanEntry(
                position=0,
                start=slot.start + timedelta(milliseconds=cursor),
                duration=piece.duration,
                kind=EntryKind.FILLER,
                title=piece.title,
                audio=piece.audio,
            )
        )
        cursor += to_ms(piece.duration)
    return out


def _relay_block_at(slot: Slot, offset_ms: int) -> FixedBlock | None:
    """The relay that starts where a free stretch ends (its source is already on air)."""
    for block in slot.session.fixed_blocks:
        start = round((block.start_minute - slot.session.start_minute) * 60000)
        if block.kind is BlockKind.RELAY and abs(start - offset_ms) < MIN_FILL_MS:
            return block
    return None


def _relay(
    slot: Slot, stretch: tuple[int, int], policy: FillPolicy, block: FixedBlock | None
) -> PlanEntry:
    start, end = stretch
    source = block.source if block is not None and block.source else policy.relay_source
    title = f"{policy.relay_title} ({source})" if source else policy.relay_title
    return PlanEntry(
        position=0,
        start=slot.start + timedelta(milliseconds=start),
        duration=timedelta(milliseconds=end - start),
        kind=EntryKind.RELAY,
        title=nfc(title),
        basis=source,
    )


def fill_session(session: PlannedSession, slot: Slot, rotation: _Rotation) -> PlannedSession:
    """The session with its free time filled as the station's policy says."""
    policy = rotation.policy
    rotation.start_day(session.day)
    added: list[PlanEntry] = []
    for stretch in _free_stretches(slot, session.entries):
        relay = _relay_block_at(slot, stretch[1])
        if policy.mode is FillMode.RELAY:
            added.append(_relay(slot, stretch, policy, relay))
            continue
        if policy.mode is FillMode.LIBRARY and policy.library:
            pieces = _pieces(slot, stretch, rotation)
            added += pieces
            stretch = (stretch[0] + sum(to_ms(p.duration) for p in pieces), stretch[1])
        if policy.mode is FillMode.LIBRARY and relay and stretch[1] - stretch[0] >= MIN_FILL_MS:
            # what the library leaves before a relay: the relay's source, joined early
            added.append(_relay(slot, stretch, policy, relay))
    entries = sorted(
        (*session.entries, *added), key=lambda e: (e.start, e.kind is not EntryKind.FIXED_BLOCK)
    )
    numbered = tuple(
        e if e.position == n + 1 else replace(e, position=n + 1) for n, e in enumerate(entries)
    )
    last_end = max((e.end for e in numbered), default=session.start)
    ends_at = last_end if last_end < session.end else None
    return replace(session, entries=numbered, ends_at=ends_at)


def fill_station(
    sessions: Sequence[tuple[PlannedSession, Slot]], policy: FillPolicy
) -> list[PlannedSession]:
    """Each open session of one station (in time order) filled."""
    rotation = _Rotation(policy)
    return [fill_session(session, slot, rotation) for session, slot in sessions]
