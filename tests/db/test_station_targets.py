"""Station targets round-trip through storage, and reloading a station replaces them."""

from __future__ import annotations

from broadcaster.db import Database
from broadcaster.domain.stations import StationTargets
from broadcaster.registry import parse_station_toml

FILE = """\
[[station]]
code = "KV"
name = "Trung tâm khu vực"
kind = "region"
office = true
targets = { priority = 4 }

[[station]]
code = "XA-A"
name = "Xã A"
kind = "commune"
parent = "KV"
targets = { normal = 0, priority = 7 }
"""


def test_station_targets_round_trip_and_are_replaced_on_reload(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(parse_station_toml(FILE))
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    assert tree.get("KV").targets == StationTargets(priority=4)
    assert tree.get("XA-A").targets == StationTargets(normal=0, priority=7)  # 0 is kept, not unset

    reloaded = FILE.replace("targets = { normal = 0, priority = 7 }\n", "")
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(parse_station_toml(reloaded))
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    assert tree.get("XA-A").targets == StationTargets()
    assert tree.targets("XA-A") == StationTargets(priority=4)  # now inherited from the office
