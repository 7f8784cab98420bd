"""A database holding the known week (tests/reports/week.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from broadcaster.db import Database
from tests.databases import migrated_database

from .week import DIRECTIVE, MONDAY, STATIONS, SUNDAY, Week, at, build_week, items


@dataclass
class StoredWeek:
    db: Database
    url: str
    week: Week


def store_week(url: str) -> StoredWeek:
    db = migrated_database(url)
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(STATIONS)
        directive = uow.directives.add(DIRECTIVE)
        stored = uow.items.add_many(items(directive.id))
    ids = tuple(i.id for i in stored)
    assert all(ids)
    week = build_week(ids)  # type: ignore[arg-type]
    with db.unit_of_work() as uow:
        result = uow.airings.add_many(week.airings, received_at=at(7, 0, 0))
    assert result.duplicates == 1  # the retried upload
    return StoredWeek(db, url, week)


@pytest.fixture
def stored_week(sqlite_url: str) -> Iterator[StoredWeek]:
    stored = store_week(sqlite_url)
    yield stored
    stored.db.dispose()


#: "now" for the reports: the Monday after the week
NOW = at(7, 9, 0)
PERIOD = {"start": MONDAY, "end": SUNDAY}
WEEK_AFTER = {"start": MONDAY + timedelta(days=7), "end": SUNDAY + timedelta(days=7)}


@pytest.fixture
def stored_week_any_db(database_url: str) -> Iterator[StoredWeek]:
    """The week on SQLite, and on PostgreSQL when BROADCASTER_TEST_POSTGRES_URL is set."""
    stored = store_week(database_url)
    yield stored
    stored.db.dispose()
