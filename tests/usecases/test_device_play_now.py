"""'Play an item now' on a loudspeaker cluster plays only what may air there (issue 22)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadcaster.db import Database
from broadcaster.domain.accounts import Role
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Approval, ApprovalState, Item
from broadcaster.domain.segments import Segment, SegmentKind
from broadcaster.registry import load_station_file
from broadcaster.usecases.device_commands import send_command

NOW = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
OK = Approval(ApprovalState.APPROVED, "Phó Chủ tịch UBND xã", NOW)


@pytest.fixture
def office(db: Database, repo_dir: Path) -> Database:
    """The example office; items 1 approved (every station), 2 a draft, 3 approved for
    Đức Mạnh only, 4 approved for the cluster XA-DAKMIL-L1 only; each with audio."""
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(load_station_file(repo_dir / "schedules" / "example.toml"))
        items = [
            Item("An toàn giao thông", approval=OK),
            Item("Chuyển đổi số cấp xã"),
            Item("Phòng chống đuối nước", approval=OK, stations=frozenset({"XA-DUCMANH"})),
            Item("Nước sông lên", approval=OK, stations=frozenset({"XA-DAKMIL-L1"})),
        ]
        for n, item in enumerate(items, start=1):
            stored = uow.items.add(item)
            uow.segments.add(
                Segment(
                    content_hash=f"{n:02d}" * 32,
                    kind=SegmentKind.TTS,
                    path=f"cache/{n:02d}/{n:02d}.mp3",
                    duration=timedelta(seconds=60),
                    loudness_lufs=-16.0,
                    created_at=NOW,
                    item_id=stored.id,
                )
            )
    return db


def _play(db: Database, station: str, item_id: int):
    return send_command(
        db, FixedClock(NOW), role=Role.OFFICE, node="KV-DAKMIL", who="Lan", station=station,
        kind="play", item_id=item_id,
    )  # fmt: skip


def test_an_approved_item_for_every_station_or_for_this_cluster_plays_now(office: Database):
    assert _play(office, "XA-DAKMIL-L1", 1).title == "An toàn giao thông"
    assert _play(office, "XA-DAKMIL-L1", 4).audio_hash == "04" * 32


def test_a_draft_or_an_item_meant_elsewhere_is_refused_and_nothing_is_stored(office: Database):
    with pytest.raises(InputError, match="mục 2 chưa được duyệt để phát"):
        _play(office, "XA-DAKMIL-L1", 2)
    with pytest.raises(InputError, match="mục 3 dành cho XA-DUCMANH, không phải XA-DAKMIL-L2"):
        _play(office, "XA-DAKMIL-L2", 3)
    with pytest.raises(InputError, match="dành cho XA-DAKMIL-L1, không phải XA-DAKMIL-L2"):
        _play(office, "XA-DAKMIL-L2", 4)
    from broadcaster.usecases.device_commands import recent_commands

    sent = recent_commands(office, role=Role.OFFICE, node="KV-DAKMIL", who="Lan",
                           station="XA-DAKMIL-L2")  # fmt: skip
    assert sent == []
