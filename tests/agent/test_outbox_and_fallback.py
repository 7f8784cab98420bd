"""The outbox sets refused logs aside and sends the rest; a station with nothing published for
today plays its fallback programme and says so."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from broadcaster.agent.client import StationClient
from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.player import NullPlayer
from broadcaster.agent.runtime import Agent, AgentSettings
from broadcaster.agent.store import LocalStore
from broadcaster.agent.sync import OutboxSync
from broadcaster.clock import SystemClock
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.playout import (
    PlayoutEntry,
    entry_airing,
    fallback_source,
    replay_on,
)

from .conftest import Station
from .helpers import TZ, compressed_schedule, playlist_doc, wait_until

T0 = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)


def _entry(i: int, **kw) -> PlayoutEntry:
    return PlayoutEntry(
        key=f"k{i}",
        station_code="XA-DAKMIL",
        start=T0 + timedelta(minutes=i),
        duration=timedelta(seconds=30),
        title=f"Tin {i}",
        audio_hash="ab" * 32,
        **kw,
    )


def _outbox(station: Station, store: LocalStore) -> OutboxSync:
    token = station.office.token("XA-DAKMIL")
    return OutboxSync(
        make_client=lambda: StationClient(station.server.url, token, "XA-DAKMIL"),
        store=store,
        clock=SystemClock(),
        max_backoff=timedelta(seconds=1),
        jitter=lambda: 0.0,
    )


def test_a_log_the_office_refuses_is_kept_aside_and_never_holds_back_the_rest(
    station: Station, tmp_path: Path, caplog
):
    store = LocalStore(tmp_path / "agent.db")
    now = SystemClock().now()
    good = [entry_airing(_entry(i), AiringStatus.AIRED) for i in (1, 3)]
    broken = entry_airing(_entry(2, timezone="Mars/Olympus"), AiringStatus.AIRED)
    for a in (good[0], broken, good[1]):
        store.record_outcome(a.entry_id or "", a, now)
    with caplog.at_level(logging.WARNING, logger="broadcaster.agent"):
        report = _outbox(station, store).run_once()
    assert (report.sent, report.rejected, report.failed) == (2, 1, False)
    assert {a.event_id for a in station.airings()} == {a.event_id for a in good}
    (aside,) = store.rejected()
    assert aside.event_id == broken.event_id and "không phải là múi giờ" in aside.reason
    assert "«Tin 2»" in caplog.text and "được để riêng" in caplog.text
    assert store.due("airing", SystemClock().now()) == []
    assert store.pending_count() == 0 and store.rejected_count() == 1
    # after an upgrade it could be sent again; here it is refused again, then dropped
    assert store.retry_rejected(None, SystemClock().now()) == 1
    assert _outbox(station, store).run_once().rejected == 1
    assert store.drop_rejected([broken.event_id], SystemClock().now()) == 1
    assert store.rejected() == [] and store.outbox_summary()["airing_dropped"] == 1
    store.close()


def test_a_batch_the_office_refuses_whole_is_split_to_find_the_bad_record(
    station: Station, tmp_path: Path
):
    store = LocalStore(tmp_path / "agent.db")
    now = SystemClock().now()
    fine = [entry_airing(_entry(i), AiringStatus.AIRED) for i in range(1, 4)]
    # over the request size limit on its own: the office refuses the whole request (413)
    huge = entry_airing(_entry(9), AiringStatus.AIRED, note="x" * 1_200_000)
    for a in (*fine, huge):
        store.record_outcome(a.entry_id or "", a, now)
    report = _outbox(station, store).run_once()
    assert (report.sent, report.rejected) == (3, 1)
    assert {a.event_id for a in station.airings()} == {a.event_id for a in fine}
    assert "413" in store.rejected()[0].reason
    store.close()


def test_the_fallback_is_the_newest_playlist_of_the_same_weekday():
    monday = date(2026, 12, 7)
    held = [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 4)]
    assert fallback_source(monday, held, weeks=4) == date(2026, 11, 30)
    assert fallback_source(monday, held[:1], weeks=4) == date(2026, 11, 23)
    assert fallback_source(monday, held[:1], weeks=1) is None
    assert fallback_source(monday, [date(2026, 12, 6)], weeks=4) is None
    moved = replay_on([_entry(1, entry_id="2026-11-23-s1-1", plan_version=3)], T0.date(), monday)
    (e,) = moved
    assert e.start == _entry(1).start + (monday - T0.date())
    assert e.fallback_of == T0.date() and e.plan_version is None
    assert e.key != _entry(1).key and e.entry_id.startswith("fallback-2026-12-07-")
    assert (
        "chương trình dự phòng (lịch ngày 23/11/2026)" in entry_airing(e, AiringStatus.AIRED).note
    )


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_a_station_with_nothing_published_for_today_plays_its_fallback_and_says_so(
    station: Station, tmp_path: Path
):
    now = SystemClock().now()
    week_ago = now - timedelta(weeks=1)
    # last week's playlist of this weekday: two entries at what is a few seconds from now
    entries = compressed_schedule(
        station.office.settings.audio_cache_dir,
        station.tones,
        first=week_ago + timedelta(seconds=4),
        every=2.0,
        count=2,
        duration_ms=800,
    )
    folder = LocalFolder(tmp_path / "station").ensure()
    source_day = week_ago.astimezone(TZ).date()
    folder.playlist_path(source_day).write_text(
        json.dumps(playlist_doc("XA-DAKMIL", source_day, entries)), encoding="utf-8"
    )
    for i, e in enumerate(entries):  # its audio came with it last week
        folder.audio_target(e.audio_hash).write_bytes(station.tones[i % len(station.tones)])
    settings = AgentSettings(
        server=station.server.url,
        token=station.office.token("XA-DAKMIL"),
        grace_seconds=2,
        sync_seconds=0.3,
        heartbeat_seconds=1,
    )
    agent = Agent(
        station="XA-DAKMIL",
        folder=folder,
        settings=settings,
        timezone="Asia/Ho_Chi_Minh",
        clock=SystemClock(),
        player=NullPlayer(),
    )
    stop = threading.Event()
    runner = threading.Thread(target=agent.run, kwargs={"until": stop}, daemon=True)
    runner.start()
    try:
        wait_until(lambda: len(station.airings()) >= 2, 40, "the fallback entries' logs")
        with httpx.Client(base_url=station.server.url, timeout=10) as c:
            status = wait_until(
                lambda: (
                    (
                        s := c.get(
                            "/api/v1/stations/XA-DAKMIL/status",
                            headers=station.office.headers("XA-DAKMIL"),
                        ).json()
                    )["fallback_day"]
                    and s
                ),
                20,
                "the heartbeat with the fallback",
            )
    finally:
        stop.set()
        runner.join(timeout=20)
    assert status["fallback_day"] == source_day.isoformat()
    airings = station.airings()
    assert [a.status for a in airings] == [AiringStatus.AIRED] * 2
    assert all(f"lịch ngày {source_day:%d/%m/%Y}" in (a.note or "") for a in airings)
    assert [a.planned_start for a in airings] == [e.start + timedelta(weeks=1) for e in entries]


def test_the_operator_sees_retries_and_drops_the_logs_kept_aside(tmp_path: Path, cli):
    folder = LocalFolder(tmp_path / "station").ensure()
    store = LocalStore(folder.state_db)
    broken = entry_airing(_entry(2, timezone="Mars/Olympus"), AiringStatus.AIRED)
    store.record_outcome("k2", broken, T0)
    store.mark_rejected([(broken.event_id, "timezone: 'Mars/Olympus' is not a time zone")], T0)
    store.close()
    where = ("--station", "XA-DAKMIL", "--folder", str(folder.root))
    shown = cli("agent", "rejected", *where)
    assert shown.exit_code == 0, shown.stderr
    text = " ".join(shown.stdout.split())
    assert broken.event_id in text and "Tin 2" in text and "is not a time zone" in text
    status = " ".join(cli("agent", "status", *where).stdout.split())
    assert "1 nhật ký bị đơn vị từ chối và được để riêng" in status
    assert "chưa có danh mục phát đã công bố" in status and "không phát gì" in status
    refused = cli("agent", "rejected", *where, "--drop", "nope")
    assert refused.exit_code == 2 and "không có trong các nhật ký bị để riêng" in refused.stderr
    retried = cli("agent", "rejected", *where, "--retry", "all").stdout
    assert "1 nhật ký sẽ được gửi lại" in retried
    assert "không có nhật ký nào bị để riêng" in cli("agent", "rejected", *where).stdout
