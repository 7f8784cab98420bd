"""An item aimed at a loudspeaker cluster (issue 22): planned at the commune whose programme
the cluster plays, its entry in the commune's playlist marked ``clusters``, so the cluster's
agent plays it and neither the commune's own agent nor its other clusters do."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from broadcaster.agent.playlist import read_playlist
from broadcaster.db import Database
from broadcaster.domain.clusters import aimed_clusters
from broadcaster.domain.planning import EntryKind
from broadcaster.domain.playout import plays_at
from broadcaster.domain.segments import Segment, SegmentKind
from broadcaster.ingest import IngestSettings, read_guidance
from broadcaster.playlists import render_json
from broadcaster.registry import load_station_file
from broadcaster.usecases.directives import approvable_items, approve_items, import_files
from broadcaster.usecases.plans import plan_office_week, publish_office_week, station_playlist
from broadcaster.usecases.published_playlists import RenderedPlaylist, for_follower

NOW = datetime(2026, 5, 22, 8, 0, tzinfo=UTC)
MONDAY = date(2026, 5, 25)
COMMUNE, L1, L2 = "XA-DAKMIL", "XA-DAKMIL-L1", "XA-DAKMIL-L2"


def test_the_rule_an_item_aimed_at_clusters_reaches_them_alone():
    followers = {L1, L2, "XA-DAKMIL-L3"}
    groups = {"LAMDONG", "KV-DAKMIL"}
    assert aimed_clusters({L1}, COMMUNE, groups, followers) == (L1,)
    assert aimed_clusters({L2, L1, "XA-DUCMANH-L1"}, COMMUNE, groups, followers) == (L1, L2)
    # aimed at the commune too, at its office, or nowhere in particular: everyone plays it
    assert aimed_clusters({L1, COMMUNE}, COMMUNE, groups, followers) == ()
    assert aimed_clusters({L1, "KV-DAKMIL"}, COMMUNE, groups, followers) == ()
    assert aimed_clusters(set(), COMMUNE, groups, followers) == ()
    assert plays_at({"clusters": [L1]}, L1) and not plays_at({"clusters": [L1]}, COMMUNE)


def _published_week(db: Database, repo_dir: Path) -> tuple[int, str]:
    """The example office with its guidance approved, one item aimed at L1, every item with
    audio, the week planned and published: the aimed item's id and title."""
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(load_station_file(repo_dir / "schedules" / "example.toml"))
    guidance = repo_dir / "schedules" / "guidance"
    files = [read_guidance(str(f), IngestSettings()) for f in sorted(guidance.glob("*.txt"))]
    import_files(db, files, NOW)
    approve_items(db, [n for d in (1, 2) for n in approvable_items(db, d)], "Trưởng phòng", NOW)
    with db.unit_of_work() as uow:
        items = uow.items.approved()
        week = [i for i in items if i.valid_from <= MONDAY <= i.valid_until]
        aimed = uow.items.save(replace(week[0], stations=frozenset({L1})))
        for n, item in enumerate(items):
            uow.segments.add(
                Segment(f"{n:02d}" * 32, SegmentKind.TTS, f"cache/{n:02d}.mp3",
                        timedelta(seconds=40), -16.0, NOW, item_id=item.id)
            )  # fmt: skip
    assert aimed.id is not None
    plan_office_week(db, "KV-DAKMIL", "2026-W22", NOW)
    publish_office_week(db, "KV-DAKMIL", "2026-W22", NOW, "Trưởng phòng")
    return aimed.id, aimed.title


def test_an_item_aimed_at_a_cluster_is_played_by_that_clusters_agent_alone(
    db: Database, repo_dir: Path
):
    item_id, title = _published_week(db, repo_dir)
    days = [MONDAY + timedelta(days=n) for n in range(7)]
    playlists = {d: station_playlist(db, COMMUNE, d, allow_draft=False) for d in days}
    day = next(d for d in days if any(e.item_id == item_id for e in playlists[d].playlist.entries))
    found = playlists[day]
    # planned at the commune, at no other commune of the office
    for other in ("XA-DUCMANH", "XA-DAKSAK"):
        entries = station_playlist(db, other, day, allow_draft=False).playlist.entries
        assert item_id not in {e.item_id for e in entries}

    doc = json.loads(render_json(found.playlist, found.version))
    entries = [e for s in doc["sessions"] for e in s["entries"]]
    aimed = [e for e in entries if e["item_id"] == item_id]
    assert aimed and all(e["clusters"] == [L1] for e in aimed)
    others = [e for e in entries if e["kind"] == EntryKind.ANNOUNCEMENT.value and e not in aimed]
    assert others and all("clusters" not in e for e in others)

    # the commune's own agent leaves it out; L1's agent plays it; L2's never sees it
    commune = read_playlist(doc, COMMUNE)
    assert title not in {e.title for e in commune}
    assert {e["title"] for e in others} <= {e.title for e in commune}
    rendered = RenderedPlaylist(COMMUNE, day, found.version, json.dumps(doc).encode(), b"")
    for code, plays in ((L1, True), (L2, False)):
        follower = json.loads(for_follower(rendered, code).json)
        titles = {e.title for e in read_playlist(follower, code)}
        assert (title in titles) is plays, code
        assert {e["title"] for e in others} <= titles
