"""Load a station file into the database, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadcaster.db import Database
from broadcaster.domain.stations import StationTree
from broadcaster.registry import load_station_file


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    tree: StationTree


def load_stations(db: Database, path: Path) -> LoadResult:
    """Validate a station file against what is stored, then upsert it in one transaction.

    A file with any problem changes nothing; every problem is listed with its place.
    """
    with db.unit_of_work() as uow:
        incoming = load_station_file(path, existing=uow.stations.all())
        added, updated = uow.stations.upsert_many(incoming)
        tree = uow.stations.tree()
    return LoadResult(added, updated, tree)
