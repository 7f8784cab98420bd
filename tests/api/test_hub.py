"""The per-process emergency watcher: changes applied once, in order, gaps waited for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import col, delete

from broadcaster.api.hub import EmergencyHub
from broadcaster.db import Database
from broadcaster.db.tables_distribution import EmergencyChangeRow
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.distribution import Emergency
from broadcaster.usecases.stations import load_stations
from tests.api.live_server import run_in_own_loop

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def _bulletin(title: str, stations: tuple[str, ...]) -> Emergency:
    return Emergency(
        id=0,
        office_code="KV-DAKMIL",
        title=title,
        audio_hash="ab" * 32,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        stations=stations,
    )


def test_a_change_committed_late_is_not_skipped(tmp_path: Path):
    """On PostgreSQL a transaction may commit after a later one: its change id shows up
    below the highest seen, and must still be delivered."""
    db = Database(f"sqlite:///{tmp_path / 'h.db'}")
    db.upgrade()
    load_stations(db, REPO / "schedules" / "example.toml")
    hub = EmergencyHub(db, FixedClock(NOW), watch_seconds=60)

    async def scenario() -> list[list[str]]:
        await hub.start()
        sub = hub.subscribe("XA-DAKMIL")
        with db.unit_of_work() as uow:
            ids = [uow.emergencies.add(_bulletin(t, ("XA-DAKMIL",))).id for t in "ABC"]
        # B's change is not visible yet (its transaction has not committed)
        with db.unit_of_work() as uow:
            late = uow.session.get(EmergencyChangeRow, 2)
            assert late is not None and late.emergency_id == ids[1]
            kept = (late.id, late.emergency_id, late.kind, late.at)
            uow.session.exec(delete(EmergencyChangeRow).where(col(EmergencyChangeRow.id) == 2))
        await hub.refresh()
        first = [sub.queue.get_nowait().emergency.title for _ in range(sub.queue.qsize())]
        with db.unit_of_work() as uow:
            uow.session.add(
                EmergencyChangeRow(id=kept[0], emergency_id=kept[1], kind=kept[2], at=kept[3])
            )
        await hub.refresh()
        second = [sub.queue.get_nowait().emergency.title for _ in range(sub.queue.qsize())]
        await hub.refresh()  # nothing new: nothing delivered twice
        third = [sub.queue.get_nowait().emergency.title for _ in range(sub.queue.qsize())]
        await hub.stop()
        return [first, second, third]

    assert run_in_own_loop(scenario()) == [["A", "C"], ["B"], []]
    db.dispose()


def test_only_the_stations_a_bulletin_targets_are_woken(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'h.db'}")
    db.upgrade()
    load_stations(db, REPO / "schedules" / "example.toml")
    hub = EmergencyHub(db, FixedClock(NOW), watch_seconds=60)

    async def scenario() -> tuple[int, int, list[int]]:
        await hub.start()
        mine, other = hub.subscribe("XA-DAKSAK"), hub.subscribe("XA-DUCMANH")
        with db.unit_of_work() as uow:
            sent = uow.emergencies.add(_bulletin("Cháy rừng", ("XA-DAKSAK", "XA-THUANAN")))
        await hub.refresh()
        backlog = [b.id for b in hub.backlog("XA-THUANAN", 0)]
        got = (mine.queue.qsize(), other.queue.qsize(), backlog)
        assert backlog == [sent.id]
        await hub.stop()
        return got

    assert run_in_own_loop(scenario())[:2] == (1, 0)
    db.dispose()
