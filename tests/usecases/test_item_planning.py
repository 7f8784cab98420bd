"""Planning attributes set on items and stations change the week's plan."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from broadcaster.db import Database
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import Approval, ApprovalState, Daypart, Item, Priority
from broadcaster.domain.planning import PlannerSettings, WeeklyPlan
from broadcaster.registry import load_station_file
from broadcaster.usecases.items import (
    PlanningEdit,
    parse_dayparts,
    parse_min_gap,
    parse_planning_edit,
    parse_priority,
    parse_target,
    set_item_planning,
)
from broadcaster.usecases.planner_settings import PlannerConfig
from broadcaster.usecases.plans import plan_office_week

WEEK = "2030-W10"
NOW = datetime(2030, 3, 1, tzinfo=UTC)
OK = Approval(ApprovalState.APPROVED, "Phó Chủ tịch UBND xã", NOW)
COMMUNES = ("XA-DAKMIL", "XA-DUCMANH", "XA-DAKSAK", "XA-THUANAN")


@pytest.fixture
def office(db: Database, repo_dir: Path) -> Database:
    """The example office with two short approved normal items."""
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(load_station_file(repo_dir / "schedules" / "example.toml"))
        for title in ("An toàn giao thông", "Chuyển đổi số cấp xã"):
            uow.items.add(Item(title, approval=OK, estimated_duration=timedelta(seconds=90)))
    return db


def _airings(plan: WeeklyPlan, item_id: int) -> dict[str, int]:
    return {code: plan.station(code).airings(item_id) for code in COMMUNES}


def test_a_station_target_and_an_item_target_change_the_plan(office: Database) -> None:
    plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW, PlannerConfig().planner_settings())
    # the default is three a week; Đức Mạnh's station file asks two of normal items
    assert _airings(plan, 1) == {"XA-DAKMIL": 3, "XA-DUCMANH": 2, "XA-DAKSAK": 3, "XA-THUANAN": 3}

    update = set_item_planning(office, 1, PlanningEdit(target=5))
    assert update.changed == ("target_per_week",)
    assert update.item.approval.approved  # planning attributes leave the approval alone
    plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW, PlannerConfig().planner_settings())
    assert _airings(plan, 1) == dict.fromkeys(COMMUNES, 5)  # the item's own target wins
    assert _airings(plan, 2)["XA-DUCMANH"] == 2

    # the [planner] default moves every station without a target of its own
    config = PlannerConfig(target_normal=4)
    plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW, config.planner_settings())
    assert _airings(plan, 2) == {"XA-DAKMIL": 4, "XA-DUCMANH": 2, "XA-DAKSAK": 4, "XA-THUANAN": 4}


def test_explicit_station_targets_win_over_the_station_file(office: Database) -> None:
    settings = PlannerSettings(station_targets={"XA-DUCMANH": {Priority.NORMAL: 1}})
    plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW, settings)
    assert _airings(plan, 1)["XA-DUCMANH"] == 1
    plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW)  # no settings: file targets apply
    assert _airings(plan, 1)["XA-DUCMANH"] == 2


def test_stations_dayparts_and_window_constrain_the_plan(office: Database) -> None:
    edit = parse_planning_edit(
        stations="xa-dakmil,XA-DAKSAK",
        dayparts="Trưa",
        valid_from="06/03/2030",
    )
    update = set_item_planning(office, 1, edit)
    assert update.item.stations == frozenset({"XA-DAKMIL", "XA-DAKSAK"})  # stored spelling
    assert update.item.dayparts == frozenset({Daypart.NOON})
    plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW)
    assert _airings(plan, 1) == {"XA-DAKMIL": 3, "XA-DUCMANH": 0, "XA-DAKSAK": 0, "XA-THUANAN": 0}
    sessions = [s for s in plan.station("XA-DAKMIL").sessions if 1 in s.item_ids()]
    assert {s.name for s in sessions} == {"Trưa"}  # only Đắk Mil has a noon session
    assert min(s.day for s in sessions) >= date(2030, 3, 6)


def test_min_gap_spreads_airings(office: Database) -> None:
    def starts() -> list[datetime]:
        plan, _ = plan_office_week(office, "KV-DAKMIL", WEEK, NOW)
        return sorted(s.start for s in plan.station("XA-DUCMANH").sessions if 1 in s.item_ids())

    def gaps(times: list[datetime]) -> list[timedelta]:
        return [b - a for a, b in itertools.pairwise(times)]

    # Đức Mạnh airs on weekdays only: four airings fit a day apart, or 30 hours apart
    set_item_planning(office, 1, PlanningEdit(target=4))
    assert min(gaps(starts())) < timedelta(hours=30)
    set_item_planning(office, 1, PlanningEdit(min_gap=parse_min_gap("30h")))
    spread = starts()
    assert len(spread) == 4 and min(gaps(spread)) >= timedelta(hours=30)


def test_setting_the_same_values_changes_nothing_and_default_resets(office: Database) -> None:
    set_item_planning(office, 2, PlanningEdit(target=4, priority=Priority.PRIORITY))
    again = set_item_planning(office, 2, PlanningEdit(target=4))
    assert again.changed == ()
    reset = set_item_planning(office, 2, PlanningEdit(target=None, dayparts=frozenset()))
    assert reset.changed == ("target_per_week",)
    assert reset.item.target_per_week is None and reset.item.priority is Priority.PRIORITY


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            PlanningEdit(),
            "mục 1: không có gì để thay đổi; hãy cho ít nhất một trong --priority",
        ),
        (PlanningEdit(stations=frozenset({"XA-NOWHERE"})), "không có đài 'XA-NOWHERE'"),
        (
            PlanningEdit(valid_from=date(2030, 3, 10), valid_until=date(2030, 3, 1)),
            "mục 1: --until 01/03/2030 trước --from 10/03/2030",
        ),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    office: Database, edit: PlanningEdit, message: str
) -> None:
    with pytest.raises(InputError) as info:
        set_item_planning(office, 1, edit)
    assert message in str(info.value)
    with office.unit_of_work() as uow:
        assert uow.items.get(1).stations == frozenset()


def test_missing_item_is_not_found(office: Database) -> None:
    with pytest.raises(NotFoundError):
        set_item_planning(office, 99, PlanningEdit(target=1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("normal", Priority.NORMAL), ("Ưu tiên", Priority.PRIORITY), ("uu-tien", Priority.PRIORITY)],
)
def test_priorities_in_english_and_vietnamese(text: str, expected: Priority) -> None:
    assert parse_priority(text) is expected


def test_emergency_priority_points_to_the_emergency_command() -> None:
    with pytest.raises(InputError, match="broadcaster emergency send"):
        parse_priority("khẩn cấp")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sang,trua", {Daypart.MORNING, Daypart.NOON}),
        ("Sáng, CHIỀU", {Daypart.MORNING, Daypart.EVENING}),
        ("tối", {Daypart.EVENING}),
        ("morning,noon,evening", set(Daypart)),
        ("any", set()),
    ],
)
def test_dayparts_with_or_without_diacritics(text: str, expected: set[Daypart]) -> None:
    assert parse_dayparts(text) == frozenset(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1d", timedelta(days=1)),
        ("12h", timedelta(hours=12)),
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("none", None),
        ("0", None),
    ],
)
def test_min_gaps(text: str, expected: timedelta | None) -> None:
    assert parse_min_gap(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "chỉ tiêu -1 nằm ngoài khoảng cho phép"),
        ("51", "chỉ tiêu 51 nằm ngoài khoảng cho phép"),
        ("x", "không phải là số"),
    ],
)
def test_bad_targets(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_target(text)
