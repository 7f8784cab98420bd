"""Every domain object round-trips through storage, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from broadcaster.db import Database
from broadcaster.db import schema as _schema  # noqa: F401
from broadcaster.db.engine import HEAD_REVISION, UnitOfWork
from broadcaster.domain import (
    Airing,
    AiringStatus,
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
    QuietHours,
    StorageError,
)
from broadcaster.registry import load_station_file


def test_migrations_take_an_empty_database_to_head_and_match_the_models(database_url: str):
    db = Database(database_url)  # not the `db` fixture: on SQLite that is a migrated copy
    assert db.current_revisions() == set()
    db.upgrade()
    assert db.current_revisions() == db.head_revisions()
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    db.dispose()
    assert diff == [], f"models and migrations drifted apart: {diff}"


def test_the_revision_every_command_checks_is_alembics_head(db: Database):
    """``ensure_schema`` compares the stored revision with HEAD_REVISION, not with alembic's
    heads: a new migration that forgets to name itself there fails here."""
    assert db.head_revisions() == {HEAD_REVISION}
    statements = db.statements
    db.ensure_schema()
    assert db.statements - statements == 1  # one SELECT of the stored revision


def test_every_repository_of_a_unit_of_work_is_the_class_it_is_annotated_with(db: Database):
    with db.unit_of_work() as uow:
        for name, cls in UnitOfWork.__annotations__.items():
            assert type(getattr(uow, name)).__name__ == cls, name
        with pytest.raises(AttributeError):
            uow.no_such_repository  # noqa: B018


def test_stations_round_trip(db: Database, repo_dir):
    stations = load_station_file(repo_dir / "schedules" / "example.toml")
    with db.unit_of_work() as uow:
        assert uow.stations.upsert_many(stations) == (len(stations), 0)
    with db.unit_of_work() as uow:
        stored = uow.stations.all()
    assert stored == stations  # frozen dataclasses: every field, sessions and blocks included
    # upserting again updates in place
    with db.unit_of_work() as uow:
        assert uow.stations.upsert_many(stations[:2]) == (0, 2)
        assert len(uow.stations.all()) == len(stations)


def test_station_with_custom_quiet_hours_round_trips(db: Database):
    from broadcaster.domain import ClockSettings, Station, StationKind

    s = Station(
        "A",
        "Xã A",
        StationKind.COMMUNE,
        clock=ClockSettings(
            sessions=(),
            quiet_hours=QuietHours(time(22), time(4, 30)),
            allow_quiet_hours=True,
            timezone="Asia/Bangkok",
        ),
    )
    with db.unit_of_work() as uow:
        uow.stations.upsert_many([s])
    with db.unit_of_work() as uow:
        assert uow.stations.get("A") == s


def test_directive_and_items_round_trip(db: Database):
    approved_at = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    directive = Directive(
        number="/STTTT-TTBCXB",
        doc_type="Công văn",
        issuer="Sở Thông tin và Truyền thông",
        place="Đắk Nông",
        date=PartialDate(2021, 5, None),
        subject="hướng dẫn một số nội dung tuyên truyền",
        addressees=("Các cơ quan báo chí trên địa bàn tỉnh",),
        period=Period("từ tuần 4, tháng 5/2021", date(2021, 5, 22), None),
        basis=(
            DocumentRef(
                "Quyết định", "1307/QĐ-BTTTT", date(2021, 8, 27), "Bộ Thông tin và Truyền thông"
            ),
        ),
        source_name="003.txt",
        source_sha256="ab" * 32,
        imported_at=approved_at,
    )
    with db.unit_of_work() as uow:
        stored = uow.directives.add(directive)
    assert stored.id is not None
    item = Item(
        title="Tuyên truyền phòng, chống sốt xuất huyết",
        directive_id=stored.id,
        number="1",
        kind=ItemKind.PROPAGANDA,
        priority=Priority.PRIORITY,
        valid_from=date(2026, 11, 23),
        valid_until=date(2026, 12, 6),
        target_per_week=5,
        duration=timedelta(seconds=83, milliseconds=250),
        estimated_duration=timedelta(seconds=90),
        text="Theo thông tin từ Bộ Y tế…",
        script="Kính thưa bà con…",
        approval=Approval(ApprovalState.APPROVED, "Nguyễn Văn A", approved_at),
        basis=(DocumentRef("Công văn", "2390/UBND-KGVX", date(2021, 5, 17), "UBND tỉnh"),),
        slogans=("Toàn dân tham gia phòng, chống đuối nước trẻ em",),
        theme="Gia đình bình an - xã hội hạnh phúc",
        observances=(Observance("Ngày toàn dân phòng, chống ma túy", 6, 26),),
        dayparts=frozenset({Daypart.MORNING, Daypart.EVENING}),
        min_gap=timedelta(hours=12),
        stations=frozenset({"XA-DAKMIL"}),
        position=3,
    )
    with db.unit_of_work() as uow:
        saved = uow.items.add(item)
    with db.unit_of_work() as uow:
        assert uow.items.get(saved.id) == saved
        assert uow.directives.get(stored.id) == stored
        assert uow.directives.find_by_sha256("ab" * 32) == [stored]
        assert uow.items.approved() == [saved]
    assert saved == Item(**{**item.__dict__, "id": saved.id})


def test_airings_round_trip_and_retries_count_once(db: Database):
    t = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
    a = Airing(
        event_id="ev-1",
        station_code="XA-A",
        status=AiringStatus.AIRED,
        planned_start=t,
        actual_start=t + timedelta(seconds=2),
        actual_end=t + timedelta(seconds=62),
        item_id=4,
        entry_id="2026-11-24/sang/3",
        operator="Trần Thị B",
    )
    received = t + timedelta(hours=1)
    with db.unit_of_work() as uow:
        assert uow.airings.add_many([a], received).accepted == 1
    with db.unit_of_work() as uow:
        again = uow.airings.add_many([a, a], received)
    assert (again.accepted, again.duplicates) == (0, 2)
    with db.unit_of_work() as uow:
        (stored,) = uow.airings.list(stations=["XA-A"])
    assert stored == Airing(**{**a.__dict__, "received_at": received})


def test_a_failed_unit_of_work_changes_nothing(db: Database):
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.items.add(Item(title="sẽ bị hủy"))
        raise RuntimeError("boom")
    with db.unit_of_work() as uow:
        assert uow.items.list() == []


def test_outdated_database_is_refused_with_advice(tmp_path):
    from alembic import command

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(db._alembic_config(), "0001_foundation")
    with pytest.raises(StorageError, match="hãy chạy 'broadcaster db upgrade'"):
        db.ensure_schema()
    db.upgrade()
    db.ensure_schema()
    db.dispose()


def test_bad_database_urls_are_explained():
    with pytest.raises(StorageError, match="không hợp lệ"):
        Database("not a url")
    with pytest.raises(StorageError, match="không hỗ trợ cơ sở dữ liệu 'mysql'"):
        Database("mysql://u@h/db")


@pytest.mark.postgres
def test_a_connection_the_server_dropped_while_idle_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ping on every checkout (a round trip per request), but a connection that sat idle is
    checked first: after the server ends every session (a restart, a dropped link), the next
    request still works and counts its rows."""
    from sqlalchemy import create_engine, text

    from broadcaster.db import engine as engine_module

    database = Database(postgres_url)
    database.upgrade()
    with database.unit_of_work() as uow:
        assert uow.airings.count() == 0
    with database.engine.connect() as conn:  # a busy connection is not pinged
        before = database.statements
        conn.execute(text("SELECT 1"))
    assert database.statements == before + 1

    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    assert killed >= 1
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    with database.unit_of_work() as uow:
        assert uow.airings.count() == 0
    database.dispose()
