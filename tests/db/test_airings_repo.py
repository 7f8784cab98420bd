"""Airing ingestion on both databases: per station, insert-or-ignore, safe when concurrent."""

from __future__ import annotations

import concurrent.futures
from datetime import UTC, datetime, timedelta

from broadcaster.domain.airings import Airing, AiringStatus

T0 = datetime(2026, 11, 23, 5, 30, tzinfo=UTC)


def _airings(station: str, n: int, status: AiringStatus = AiringStatus.AIRED) -> list[Airing]:
    return [
        Airing(
            event_id=f"evt-{i:08d}",
            station_code=station,
            status=status,
            planned_start=T0 + timedelta(minutes=i),
            actual_start=T0 + timedelta(minutes=i, seconds=1),
            actual_end=T0 + timedelta(minutes=i, seconds=40),
            title=f"Tin {i}",
        )
        for i in range(n)
    ]


def test_an_event_id_belongs_to_its_station(db):
    with db.unit_of_work() as uow:
        first = uow.airings.add_many(_airings("XA-B", 3, AiringStatus.MISSED), T0)
    with db.unit_of_work() as uow:
        mine = uow.airings.add_many(_airings("XA-A", 3), T0)
        again = uow.airings.add_many(_airings("XA-A", 4), T0)
    assert first.accepted == 3 and mine.accepted == 3
    assert (again.accepted, again.duplicates, again.stored) == (1, 3, (False,) * 3 + (True,))
    with db.unit_of_work() as uow:
        a = uow.airings.list(stations=["XA-A"])
        b = uow.airings.list(stations=["XA-B"])
    assert [x.status for x in a] == [AiringStatus.AIRED] * 4
    assert [x.status for x in b] == [AiringStatus.MISSED] * 3


def test_a_record_twice_in_one_batch_counts_once(db):
    batch = _airings("XA-A", 2)
    with db.unit_of_work() as uow:
        got = uow.airings.add_many([batch[0], batch[1], batch[0]], T0)
    assert got.stored == (True, True, False) and got.accepted == 2


def test_the_same_batch_stored_from_many_threads_at_once_raises_nothing(db):
    batch = _airings("XA-A", 50)

    def store(_: int) -> int:
        with db.unit_of_work() as uow:
            return uow.airings.add_many(batch, T0).accepted

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        accepted = list(pool.map(store, range(16)))
    assert sum(accepted) == 50
    with db.unit_of_work() as uow:
        assert uow.airings.count() == 50


def test_a_batch_keeps_every_field_and_the_instant_whatever_the_offset(db):
    """Times sent with Vietnam's offset are the same instants when read back, text in
    Vietnamese (quotes, backslashes, accents) and every optional field survive the batch."""
    from zoneinfo import ZoneInfo

    from broadcaster.domain.airings import AiringSource

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    sent = Airing(
        event_id="evt-offset-1",
        station_code="XA-A",
        status=AiringStatus.INTERRUPTED,
        planned_start=datetime(2026, 12, 7, 6, 0, tzinfo=hanoi),
        actual_start=datetime(2026, 12, 7, 6, 0, 2, 500000, tzinfo=hanoi),
        actual_end=datetime(2026, 12, 7, 6, 3, tzinfo=hanoi),
        item_id=7,
        entry_id="2026-12-07/sang/1",
        segment_hash="ab" * 32,
        plan_version=3,
        source=AiringSource.AGENT,
        operator='Nguyễn Văn "Bình"',
        note="mất điện \\ 5 phút",
        title="Phòng, chống đuối nước",
        timezone="Asia/Ho_Chi_Minh",
    )
    with db.unit_of_work() as uow:
        assert uow.airings.add_many([sent], T0).accepted == 1
    with db.unit_of_work() as uow:
        (got,) = uow.airings.list(stations=["XA-A"])
    assert got.planned_start == sent.planned_start
    assert got.actual_start == sent.actual_start and got.actual_end == sent.actual_end
    assert (got.operator, got.note, got.title) == (sent.operator, sent.note, sent.title)
    assert (got.item_id, got.entry_id, got.plan_version) == (7, "2026-12-07/sang/1", 3)
    assert got.status is AiringStatus.INTERRUPTED and got.received_at == T0
