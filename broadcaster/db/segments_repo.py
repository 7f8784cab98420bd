"""Segments: store once per (content, item), find an item's current audio."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from broadcaster.domain.messages import _
from broadcaster.domain.segments import Segment, SegmentKind

from .mapping import from_row, to_row
from .repository import Repository
from .tables_segments import SegmentRow


class SegmentRepository(Repository):
    def mark(self) -> tuple[int, int | None, object]:
        """How many segments there are, the newest id and time: changes whenever an item's
        current audio may have (the API's watcher compares it)."""
        count, newest, latest = self.session.execute(
            sa_select(
                func.count(col(SegmentRow.id)),
                func.max(col(SegmentRow.id)),
                func.max(col(SegmentRow.created_at)),
            )
        ).one()
        return int(count), None if newest is None else int(newest), latest

    def add(self, segment: Segment) -> tuple[Segment, bool]:
        """Store ``segment`` unless the same audio is already stored for the same item.

        Returns the stored segment and whether it was new. Choosing existing audio again makes
        it the item's current segment (its time is moved to ``segment.created_at``).
        """
        query = select(SegmentRow).where(SegmentRow.content_hash == segment.content_hash)
        if segment.item_id is None:
            query = query.where(col(SegmentRow.item_id).is_(None))
        else:
            query = query.where(SegmentRow.item_id == segment.item_id)
        row = self.session.exec(query).first()
        if row is not None:
            current = self.current(segment.item_id) if segment.item_id is not None else None
            if current is not None and current.id != row.id:
                row.created_at = segment.created_at
                self._store(row)
            return segment_from_row(row), False
        row = segment_to_row(segment)
        self._store(row)
        return segment_from_row(row), True

    def get(self, segment_id: int) -> Segment:
        missing = _("no segment {id}; see 'broadcaster segments list'", id=segment_id)
        return segment_from_row(self._get(SegmentRow, segment_id, missing))

    def list(self, *, item_id: int | None = None) -> builtins.list[Segment]:
        query = select(SegmentRow)
        if item_id is not None:
            query = query.where(SegmentRow.item_id == item_id)
        rows = self.session.exec(
            query.order_by(col(SegmentRow.item_id), col(SegmentRow.created_at), col(SegmentRow.id))
        ).all()
        return [segment_from_row(r) for r in rows]

    def current(self, item_id: int) -> Segment | None:
        """The item's audio: its most recently made or chosen segment."""
        return self.current_for_items([item_id]).get(item_id)

    def current_for_items(self, item_ids: Iterable[int]) -> dict[int, Segment]:
        ids = list(item_ids)
        rows = self.session.exec(
            select(SegmentRow)
            .where(col(SegmentRow.item_id).in_(ids))
            .order_by(col(SegmentRow.created_at), col(SegmentRow.id))
        ).all()
        out: dict[int, Segment] = {}
        for r in rows:  # later rows win
            if r.item_id is not None:
                out[r.item_id] = segment_from_row(r)
        return out

    def has_hash(self, content_hash: str) -> bool:
        """Whether some item's announcement audio has this hash."""
        return (
            self.session.exec(
                select(SegmentRow.id).where(col(SegmentRow.content_hash) == content_hash).limit(1)
            ).first()
            is not None
        )

    def unattached(self, hashes: Iterable[str]) -> dict[str, Segment]:
        """Segments with no item (the chime, the library's programmes and music) by hash."""
        wanted = set(hashes)
        if not wanted:
            return {}
        rows = self.session.exec(
            select(SegmentRow).where(
                col(SegmentRow.content_hash).in_(wanted), col(SegmentRow.item_id).is_(None)
            )
        ).all()
        return {r.content_hash: segment_from_row(r) for r in rows}

    def referenced_hashes(self) -> set[str]:
        return set(self.session.exec(select(SegmentRow.content_hash)).all())


def segment_to_row(s: Segment) -> SegmentRow:
    return to_row(
        SegmentRow,
        s,
        kind=s.kind.value,
        duration_ms=round(s.duration.total_seconds() * 1000),
        loudness_lufs=round(s.loudness_lufs, 2),
    )


def segment_from_row(r: SegmentRow) -> Segment:
    return from_row(
        Segment, r, kind=SegmentKind(r.kind), duration=timedelta(milliseconds=r.duration_ms)
    )
