"""The segment store on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from broadcaster.db import Database
from broadcaster.domain.items import Item
from broadcaster.domain.segments import Segment, SegmentKind

T0 = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)


def _segment(hash_: str, item_id: int | None, at: datetime, seconds: int = 30) -> Segment:
    return Segment(
        content_hash=hash_,
        kind=SegmentKind.TTS,
        path=f"cache/{hash_[:2]}/{hash_}.mp3",
        duration=timedelta(seconds=seconds),
        loudness_lufs=-16.2,
        created_at=at,
        item_id=item_id,
        engine="espeak-ng",
        voice="vi",
    )


def test_a_segment_is_stored_once_per_content_and_item(db: Database) -> None:
    with db.unit_of_work() as uow:
        a, b = uow.items.add(Item(title="A")), uow.items.add(Item(title="B"))
        first, new1 = uow.segments.add(_segment("aa" * 32, a.id, T0))
        again, new2 = uow.segments.add(_segment("aa" * 32, a.id, T0 + timedelta(hours=1)))
        other, new3 = uow.segments.add(_segment("aa" * 32, b.id, T0))
        loose, _ = uow.segments.add(_segment("bb" * 32, None, T0))
        loose2, new4 = uow.segments.add(_segment("bb" * 32, None, T0))
    assert (new1, new2, new3, new4) == (True, False, True, False)
    assert again.id == first.id and other.id != first.id and loose2.id == loose.id
    with db.unit_of_work() as uow:
        stored = uow.segments.get(first.id or 0)
        assert stored.duration == timedelta(seconds=30)
        assert stored.created_at == T0 and stored.created_at.tzinfo is not None
        assert uow.segments.referenced_hashes() == {"aa" * 32, "bb" * 32}
        assert len(uow.segments.list()) == 3
        assert [s.id for s in uow.segments.list(item_id=b.id)] == [other.id]


def test_choosing_older_audio_again_makes_it_current(db: Database) -> None:
    with db.unit_of_work() as uow:
        item = uow.items.add(Item(title="A"))
        assert item.id is not None
        old, _ = uow.segments.add(_segment("01" * 32, item.id, T0, seconds=20))
        new, _ = uow.segments.add(_segment("02" * 32, item.id, T0 + timedelta(hours=1), 25))
        assert uow.segments.current(item.id) == new
        # the script went back to its first wording
        uow.segments.add(_segment("01" * 32, item.id, T0 + timedelta(hours=2)))
        current = uow.segments.current(item.id)
    assert current is not None and current.id == old.id
    assert current.created_at == T0 + timedelta(hours=2)
