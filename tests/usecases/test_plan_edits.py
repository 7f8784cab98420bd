"""The week board's use cases: who opens and changes which week, changes by hand stored and
kept by re-planning, stale versions refused, publishing with who and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadcaster.db import Database
from broadcaster.domain.accounts import Role, User
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.items import Approval, ApprovalState, Item
from broadcaster.domain.messages import speaking
from broadcaster.domain.planning import PlannerSettings
from broadcaster.domain.planning.edits import EditKind, EditRefused, airings_of
from broadcaster.domain.stations import Station, StationKind
from broadcaster.i18n import translations
from broadcaster.registry import load_station_file
from broadcaster.usecases.plan_edits import (
    Change,
    StalePlan,
    change_airing,
    offices_for,
    open_plan,
    open_week,
    publish_plan,
    replan_week,
)

WEEK = "2030-W10"
MONDAY = datetime(2030, 3, 4).date()
NOW = datetime(2030, 3, 1, tzinfo=UTC)
OK = Approval(ApprovalState.APPROVED, "Phó Chủ tịch UBND xã", NOW)
SETTINGS = PlannerSettings()


def person(name: str, role: Role, node: str) -> User:
    return User(1, name, name.title(), role, node, NOW)


LAN = person("lan", Role.OFFICE, "KV-DAKMIL")
HUNG = person("hung", Role.APPROVER, "XA-DAKMIL")
BINH = person("binh", Role.OPERATOR, "XA-DAKMIL")


@pytest.fixture
def office(db: Database, repo_dir: Path) -> Database:
    """The example office, a second office elsewhere, and three approved items."""
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(
            [
                *load_station_file(repo_dir / "schedules" / "example.toml"),
                Station("KV-KHAC", "Trung tâm khác", StationKind.REGION, "LAMDONG", is_office=True),
            ]
        )
        for title in ("An toàn giao thông", "Chuyển đổi số cấp xã", "Phòng chống dịch"):
            uow.items.add(Item(title, approval=OK, estimated_duration=timedelta(seconds=90)))
    return db


def seen(db: Database, plan_id: int) -> str:
    """The revision a page showing the plan would post back."""
    return open_plan(db, LAN, plan_id, SETTINGS, NOW).revision


def english(message: object) -> str:
    with speaking(translations("en")):
        return str(message)


def test_people_open_the_offices_of_their_part_of_the_tree(office: Database):
    assert [o.code for o in offices_for(office, LAN)] == ["KV-DAKMIL"]
    assert [o.code for o in offices_for(office, HUNG)] == ["KV-DAKMIL"]
    with pytest.raises(ForbiddenError):
        offices_for(office, BINH)
    with pytest.raises(NotFoundError):
        open_week(office, LAN, "KV-KHAC", WEEK, SETTINGS, NOW)


def test_an_approver_reads_only_his_commune_of_the_office_plan(office: Database):
    replan_week(office, LAN, "KV-DAKMIL", WEEK, SETTINGS, NOW)
    board = open_week(office, HUNG, "KV-DAKMIL", WEEK, SETTINGS, NOW)
    assert board.plan is not None and [s.code for s in board.plan.stations] == ["XA-DAKMIL"]
    assert not board.can_change
    assert board.version is not None
    ref = sorted(a for a in airings_of(board.plan))[0]
    with pytest.raises(ForbiddenError):
        change_airing(
            office, HUNG, board.version.id, board.revision, Change.PIN, ref, SETTINGS, NOW
        )


def test_a_move_is_stored_pinned_and_kept_by_re_planning(office: Database):
    first = replan_week(office, LAN, "KV-DAKMIL", WEEK, SETTINGS, NOW)
    ref = sorted(a for a in airings_of(first.plan) if a.station_code == "XA-DAKMIL")[0]
    sp = first.plan.station("XA-DAKMIL")
    target = next(
        s for s in sp.sessions if ref.item_id not in s.item_ids() and s.day.weekday() == 6
    )
    to = ref.at("XA-DAKMIL", target.day, target.name)
    before = seen(office, first.version.id)
    moved = change_airing(
        office, LAN, first.version.id, before, Change.MOVE, ref, SETTINGS, NOW, to=to
    )
    assert moved.version.status == "draft" and seen(office, moved.version.id) != before
    board = open_plan(office, LAN, moved.version.id, SETTINGS, NOW)
    assert board.plan is not None and to in airings_of(board.plan)
    assert ref not in airings_of(board.plan)
    assert {(e.ref, e.kind) for e in board.edits} == {(ref, EditKind.EXCLUDE), (to, EditKind.PIN)}
    again = replan_week(office, LAN, "KV-DAKMIL", WEEK, SETTINGS, NOW)
    assert to in airings_of(again.plan) and ref not in airings_of(again.plan)


def test_a_change_on_a_stale_version_and_a_refused_change_store_nothing(office: Database):
    first = replan_week(office, LAN, "KV-DAKMIL", WEEK, SETTINGS, NOW)
    ref = sorted(a for a in airings_of(first.plan) if a.station_code == "XA-DAKMIL")[0]
    old = seen(office, first.version.id)
    removed = change_airing(office, LAN, first.version.id, old, Change.REMOVE, ref, SETTINGS, NOW)
    with pytest.raises(StalePlan) as stale:
        publish_plan(office, LAN, first.version.id, old, NOW)
    assert "changed in another window" in english(stale.value)
    twice = ref.at_item(ref.item_id)
    # the same item again in a session where it airs already
    other = next(a for a in sorted(airings_of(first.plan)) if a.key != ref.key)
    with pytest.raises(EditRefused) as refused:
        change_airing(
            office, LAN, removed.version.id, seen(office, removed.version.id), Change.ADD,
            other, SETTINGS, NOW,
        )  # fmt: skip
    assert "already airs in" in english(refused.value)
    board = open_plan(office, LAN, removed.version.id, SETTINGS, NOW)
    assert [e.ref for e in board.edits] == [twice]
    current = seen(office, removed.version.id)
    published = publish_plan(office, LAN, removed.version.id, current, NOW)
    assert published.version.version == 1 and published.version.published_by == "Lan"
    assert published.version.published_at == NOW
    with pytest.raises(StalePlan) as done:
        publish_plan(office, LAN, removed.version.id, seen(office, removed.version.id), NOW)
    assert "published already" in english(done.value)


def test_another_offices_plan_is_not_found(office: Database):
    first = replan_week(office, LAN, "KV-DAKMIL", WEEK, SETTINGS, NOW)
    elsewhere = person("khac", Role.OFFICE, "KV-KHAC")
    with pytest.raises(NotFoundError):
        open_plan(office, elsewhere, first.version.id, SETTINGS, NOW)
    with pytest.raises(NotFoundError):
        publish_plan(office, elsewhere, first.version.id, "", NOW)
