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
