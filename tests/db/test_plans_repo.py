"""Stored weekly plans: drafts, published versions, one station's part, the API's source."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest

from broadcaster.config import load_settings
from broadcaster.db.plans_json import plan_to_dict
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.items import Approval, ApprovalState, Item
from broadcaster.domain.planning import StationInput, plan_week
from broadcaster.domain.stations import BroadcastClock, ClockSettings, Session, Station, StationKind

OK = Approval(ApprovalState.APPROVED, "lead", datetime(2030, 1, 1, tzinfo=UTC))
MONDAY = date(2030, 3, 4)
NOW = datetime(2030, 3, 1, tzinfo=UTC)


def _plan(n_items: int = 3):
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    clock = BroadcastClock(
        sessions=(Session("Sáng", frozenset(range(7)), time(5, 30), timedelta(minutes=20)),)
    )
    stations = [
        StationInput(
            Station(
                f"XA{k}",
                f"Xã {k}",
                StationKind.COMMUNE,
                clock=ClockSettings(sessions=clock.sessions),
            ),
            clock,
            tz,
        )
        for k in range(3)
    ]
    items = [
        Item(f"Tin {i}", id=i, duration=timedelta(seconds=90), approval=OK)
        for i in range(1, n_items + 1)
    ]
    return plan_week(stations, items, MONDAY, office="VP")


def test_drafts_are_replaced_and_publications_get_versions(db):
    with db.unit_of_work() as uow:
        uow.plans.save_draft("VP", _plan(2), NOW)
        uow.plans.save_draft("VP", _plan(3), NOW)
        assert uow.plans.published("VP", MONDAY) is None
        draft = uow.plans.draft("VP", MONDAY)
        assert draft is not None and plan_to_dict(draft) == plan_to_dict(_plan(3))
        v1 = uow.plans.publish("VP", MONDAY, NOW, "Nguyễn Văn A")
        assert (v1.version, v1.published_by) == (1, "Nguyễn Văn A")
        assert uow.plans.draft("VP", MONDAY) is None
        uow.plans.save_draft("VP", _plan(4), NOW)
        v2 = uow.plans.publish("VP", MONDAY, NOW + timedelta(hours=1), "B")
        assert v2.version == 2
    with db.unit_of_work() as uow:
        assert [v.version for v in uow.plans.versions("VP", MONDAY)] == [1, 2]
        newest = uow.plans.published("VP", MONDAY)
        first = uow.plans.published("VP", MONDAY, version=1)
        assert newest is not None and first is not None
        assert newest.station("XA0").airings(4) == 3 and first.station("XA0").airings(4) == 0
        found = uow.plans.published_for_station("XA1", MONDAY)
        assert found is not None
        meta, part = found
        assert meta.version == 2 and [s.code for s in part.stations] == ["XA1"]
        assert uow.plans.published_for_station("XA1", MONDAY + timedelta(weeks=1)) is None


def test_publishing_without_a_draft_says_what_to_do(db):
    with (
        db.unit_of_work() as uow,
        pytest.raises(NotFoundError, match="plan week --office VP --week 2030-W10"),
    ):
        uow.plans.publish("VP", MONDAY, NOW, "A")


def test_the_api_source_renders_published_playlists(db, tmp_path):
    from broadcaster.usecases.published_playlists import PublishedPlaylists

    with db.unit_of_work() as uow:
        morning = Session("Sáng", frozenset(range(7)), time(5, 30), timedelta(minutes=20))
        uow.stations.upsert_many(
            [Station("XA0", "Xã 0", StationKind.COMMUNE, clock=ClockSettings(sessions=(morning,)))]
        )
        uow.plans.save_draft("VP", _plan(), NOW)
    source = PublishedPlaylists(db, load_settings(None, database_url=db.url))
    assert source.render("XA0", MONDAY) is None  # drafts are not served
    with db.unit_of_work() as uow:
        uow.plans.publish("VP", MONDAY, NOW, "A")
    rendered = source.render("XA0", MONDAY)
    assert rendered is not None and rendered.version == 1
    doc = json.loads(rendered.json)
    assert doc["station"]["code"] == "XA0" and doc["date"] == "2030-03-04"
    assert [e["title"] for e in doc["sessions"][0]["entries"] if e["kind"] == "announcement"]
    assert rendered.m3u8.startswith(b"#EXTM3U")


def test_the_api_source_serves_a_new_version_at_once_and_refreshes_after_its_ttl(db):
    from broadcaster.usecases.published_playlists import PublishedPlaylists

    with db.unit_of_work() as uow:
        morning = Session("Sáng", frozenset(range(7)), time(5, 30), timedelta(minutes=20))
        uow.stations.upsert_many(
            [Station("XA0", "Xã 0", StationKind.COMMUNE, clock=ClockSettings(sessions=(morning,)))]
        )
        uow.plans.save_draft("VP", _plan(), NOW)
        uow.plans.publish("VP", MONDAY, NOW, "A")
    ticks = [0.0]
    source = PublishedPlaylists(
        db, load_settings(None, database_url=db.url), ttl=30, monotonic=lambda: ticks[0]
    )
    first = source.render("XA0", MONDAY)
    assert first is not None and first.version == 1
    assert source.render("XA0", MONDAY) is first  # unchanged plan: served from memory
    ticks[0] = 31.0
    again = source.render("XA0", MONDAY)
    assert again is not first and again is not None and again.json == first.json
    with db.unit_of_work() as uow:
        uow.plans.save_draft("VP", _plan(), NOW)
        uow.plans.publish("VP", MONDAY, NOW + timedelta(minutes=1), "B")
    newer = source.render("XA0", MONDAY)
    assert newer is not None and newer.version == 2  # a new publication is served at once


def test_the_apis_remembered_newest_plan_is_forgotten_when_a_plan_is_published(db):
    """The API trusts its memory of a station's newest plan for a while; the watcher's look
    after a publication (here called by hand) makes it serve the new version at once."""
    from broadcaster.usecases.published_playlists import UNKNOWN, PublishedPlaylists

    with db.unit_of_work() as uow:
        morning = Session("Sáng", frozenset(range(7)), time(5, 30), timedelta(minutes=20))
        uow.stations.upsert_many(
            [Station("XA0", "Xã 0", StationKind.COMMUNE, clock=ClockSettings(sessions=(morning,)))]
        )
    source = PublishedPlaylists(db, load_settings(None, database_url=db.url), lookup_ttl=60)
    with db.unit_of_work() as uow:
        source.watch(uow)
    assert source.peek("XA0", MONDAY) is UNKNOWN  # never asked yet
    assert source.render("XA0", MONDAY) is None  # nothing published
    assert source.peek("XA0", MONDAY) is None  # remembered: no database needed
    with db.unit_of_work() as uow:
        uow.plans.save_draft("VP", _plan(), NOW)
        uow.plans.publish("VP", MONDAY, NOW, "A")
    assert source.render("XA0", MONDAY) is None  # still remembered, until the watcher looks
    with db.unit_of_work() as uow:
        source.watch(uow)
    first = source.render("XA0", MONDAY)
    assert first is not None and first.version == 1
    assert source.peek("XA0", MONDAY) is first
    with db.unit_of_work() as uow:
        uow.plans.save_draft("VP", _plan(), NOW)
        uow.plans.publish("VP", MONDAY, NOW + timedelta(minutes=1), "B")
    with db.unit_of_work() as uow:
        source.watch(uow)
    newer = source.render("XA0", MONDAY)
    assert newer is not None and newer.version == 2


def test_playlist_files_follow_the_publication_mark_and_an_old_render_never_lands_in_the_new(
    db, tmp_path
):
    """What nginx reads (current/<station>/<day>.json) is always of the newest publication: a
    new one makes an empty folder current, and a playlist rendered for the older mark is
    written in that mark's folder (removed), never in the new one."""
    from broadcaster.usecases.playlist_files import PlaylistFiles
    from broadcaster.usecases.published_playlists import PublishedPlaylists

    with db.unit_of_work() as uow:
        morning = Session("Sáng", frozenset(range(7)), time(5, 30), timedelta(minutes=20))
        uow.stations.upsert_many(
            [Station("XA0", "Xã 0", StationKind.COMMUNE, clock=ClockSettings(sessions=(morning,)))]
        )
        uow.plans.save_draft("VP", _plan(), NOW)
        uow.plans.publish("VP", MONDAY, NOW, "A")
    files = PlaylistFiles(tmp_path / "published")
    source = PublishedPlaylists(
        db, load_settings(None, database_url=db.url), lookup_ttl=60, files=files
    )
    assert source.file_of("XA0", MONDAY, ".json") is None  # the watcher has not looked yet
    with db.unit_of_work() as uow:
        source.watch(uow)
    first = source.render("XA0", MONDAY)
    assert first is not None
    current = tmp_path / "published" / "current" / "XA0"
    assert (current / "2030-03-04.json").read_bytes() == first.json
    assert (current / "2030-03-04.m3u8").read_bytes() == first.m3u8
    where = source.file_of("XA0", MONDAY, ".json")
    assert where is not None and (tmp_path / "published" / where).read_bytes() == first.json
    old_generation = source._generation
    with db.unit_of_work() as uow:
        uow.plans.save_draft("VP", _plan(), NOW)
        uow.plans.publish("VP", MONDAY, NOW + timedelta(minutes=1), "B")
        source.watch(uow)
    assert not current.exists()  # nginx now finds nothing and asks the app
    assert source.file_of("XA0", MONDAY, ".json") is None
    assert files.write(old_generation, first) is False  # a late render of the old mark
    assert not current.exists()
    newer = source.render("XA0", MONDAY)
    assert newer is not None and newer.version == 2
    assert json.loads((current / "2030-03-04.json").read_bytes())["plan_version"] == 2
