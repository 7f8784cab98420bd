"""Daily playlists from a plan, and the difference between two plans."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from broadcaster.domain.items import Approval, ApprovalState, DocumentRef, Item, Priority
from broadcaster.domain.planning import EntryKind, StationInput, plan_week
from broadcaster.domain.playlists import (
    ChangeKind,
    derive_playlist,
    derive_playlists,
    diff_plans,
    playlist_rows,
    with_audio,
)
from broadcaster.domain.stations import (
    BlockKind,
    BroadcastClock,
    FixedBlock,
    Session,
    Station,
    StationKind,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OK = Approval(ApprovalState.APPROVED, "lead", datetime(2026, 11, 1, tzinfo=TZ))
TUESDAY = date(2026, 11, 24)


def _station() -> StationInput:
    relay = FixedBlock(BlockKind.RELAY, "Tiếp âm Đài TNVN", time(6, 0), timedelta(minutes=15))
    clock = BroadcastClock(
        sessions=(
            Session("Sáng", frozenset(range(7)), time(5, 30), timedelta(minutes=45), (relay,)),
            Session("Chiều", frozenset(range(5)), time(17, 0), timedelta(minutes=20)),
        )
    )
    return StationInput(Station("XA-NB", "Xã Nam Bình", StationKind.COMMUNE), clock, TZ)


def _items() -> list[Item]:
    basis = (DocumentRef("Kế hoạch", "45/KH-UBND", date(2026, 11, 2), "UBND xã"),)
    return [
        Item(
            f"Phòng chống sốt xuất huyết {i}",
            id=i,
            duration=timedelta(seconds=90 + i),
            target_per_week=4,
            approval=OK,
            basis=basis,
            priority=Priority.PRIORITY if i == 1 else Priority.NORMAL,
        )
        for i in range(1, 7)
    ]


def test_a_day_playlist_lists_every_session_in_order():
    plan = plan_week([_station()], _items(), "2026-W48")
    pl = derive_playlist(plan, "XA-NB", TUESDAY)
    assert pl.station_name == "Xã Nam Bình" and pl.day_label == "T3, 24/11/2026"
    assert pl.sessions == ("Sáng", "Chiều")
    assert [e.position for e in pl.entries] == list(range(1, len(pl.entries) + 1))
    starts = [e.start for e in pl.entries]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(pl.entries, pl.entries[1:], strict=False))
    relay = [e for e in pl.entries if e.kind is EntryKind.FIXED_BLOCK]
    assert relay[0].start == datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
    ann = [e for e in pl.entries if e.kind is EntryKind.ANNOUNCEMENT]
    assert ann and all(e.basis == "Kế hoạch số 45/KH-UBND ngày 2/11/2026 của UBND xã" for e in ann)


def test_weekend_has_no_afternoon_and_every_date_gets_a_playlist():
    plan = plan_week([_station()], _items(), "2026-W48")
    lists = derive_playlists(plan, "XA-NB")
    assert [p.day for p in lists] == [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    assert lists[6].sessions == ("Sáng",)


def test_audio_references_are_filled_by_the_caller():
    plan = plan_week([_station()], _items(), "2026-W48")
    pl = with_audio(
        derive_playlist(plan, "XA-NB", TUESDAY),
        lambda e: f"audio/{e.item_id}.mp3" if e.item_id else None,
    )
    rows = list(playlist_rows(pl))
    assert {r["audio"] for r in rows if r["item_id"]} <= {f"audio/{i}.mp3" for i in range(1, 7)}
    assert all(r["audio"] == "" for r in rows if not r["item_id"])


def test_a_later_plan_shows_what_changed():
    items = _items()
    first = plan_week([_station()], items, "2026-W48")
    assert not diff_plans(first, first)
    assert str(diff_plans(first, first).summary()) == "Không có thay đổi so với phiên bản trước."
    now = datetime(2026, 11, 25, 12, 0, tzinfo=TZ)
    extra = Item(
        "Bầu cử đại biểu", id=50, duration=timedelta(seconds=120), target_per_week=2, approval=OK
    )
    second = plan_week([_station()], [*items, extra], "2026-W48", previous=first, now=now)
    diff = diff_plans(first, second)
    added = [c for c in diff.changes if c.kind is ChangeKind.ADDED and c.item_id == 50]
    assert len(added) == 2
    assert all(
        c.new_start and c.new_start >= now for c in diff.changes if c.kind is ChangeKind.ADDED
    )
    assert all((c.old_start or now) >= now for c in diff.changes)  # the past never changes
    text = str(added[0].describe())
    assert text.startswith("Thêm: XA-NB ") and "mục 50 «Bầu cử đại biểu»" in text
    assert str(diff.summary()).startswith(f"{len(diff.changes)} thay đổi: thêm {diff.added}")
