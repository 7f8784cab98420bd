"""From issue 5's weekly plans to planned airings, and the demo's report step."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

from broadcaster.cli import App
from broadcaster.config import Settings
from broadcaster.demo import DemoRun, steps
from broadcaster.demo.console import step_console
from broadcaster.demo.reports import step_reports
from broadcaster.domain.planning import EntryKind, PlanEntry, PlannedSession, StationPlan
from broadcaster.domain.reconcile import ReportPeriod
from broadcaster.usecases.reports import load_published_plans, planned_from_weekly_plan

from .conftest import NOW
from .week import MONDAY, SUNDAY


def plan_of(planned) -> SimpleNamespace:
    """The known week as issue 5's planner lays it out, with a chime before each item."""
    stations = []
    for code in dict.fromkeys(p.station_code for p in planned):
        sessions = []
        for p in (x for x in planned if x.station_code == code):
            chime = PlanEntry(
                0,
                p.start - timedelta(seconds=5),
                timedelta(seconds=5),
                EntryKind.CHIME,
                "Nhạc chuyển",
            )
            entry = PlanEntry(
                1,
                p.start,
                p.duration,
                EntryKind.ANNOUNCEMENT,
                "tiêu đề",
                item_id=p.item_id,
                priority=p.priority,
            )
            sessions.append(
                PlannedSession(
                    p.start.date(),
                    p.session,
                    p.start,
                    p.start + timedelta(minutes=30),
                    timedelta(minutes=29),
                    (chime, entry),
                )
            )
        stations.append(StationPlan(code, code, "Asia/Ho_Chi_Minh", tuple(sessions)))
    return SimpleNamespace(monday=MONDAY, stations=tuple(stations))


def test_announcements_of_a_weekly_plan_become_planned_airings(stored_week):
    planned = stored_week.week.planned
    got = planned_from_weekly_plan(plan_of(planned))
    assert len(got) == len(planned)  # chimes are not reported on
    keys = [(p.station_code, p.item_id, p.start, p.duration, p.priority, p.session) for p in got]
    assert keys == [
        (p.station_code, p.item_id, p.start, p.duration, p.priority, p.session) for p in planned
    ]


def test_published_plans_are_read_week_by_week_for_the_office_stations(stored_week):
    plan = plan_of(stored_week.week.planned)
    asked = []

    def published(office, monday):
        asked.append((office, monday))
        return plan if monday == MONDAY else None

    uow = SimpleNamespace(plans=SimpleNamespace(published=published))
    period = ReportPeriod(MONDAY - timedelta(days=1), SUNDAY)
    got = load_published_plans(uow, "KV-TEST", period, ["XA-B"])
    assert asked == [("KV-TEST", MONDAY - timedelta(days=7)), ("KV-TEST", MONDAY)]
    assert {p.station_code for p in got} == {"XA-B"} and len(got) == 3
    # no plan repository installed yet: nothing published, nothing planned
    assert load_published_plans(SimpleNamespace(), "KV-TEST", period, ["XA-B"]) == []


def test_the_demo_step_writes_every_report_and_says_where(stored_week, tmp_path, capsys):
    # the reports read whatever the other steps left: only the console's people come after
    assert steps()[-2:] == [step_reports, step_console]
    settings = Settings(data_dir=tmp_path, database_url=stored_week.url, audio_dir=tmp_path)
    app = App(settings=settings)
    run = DemoRun(app=app, out=tmp_path / "demo", stations_file=tmp_path / "x.toml")
    run.notes.update(office="KV-TEST", now=NOW, plan=plan_of(stored_week.week.planned))
    try:
        step_reports(run)
    finally:
        app.close()
    folder = tmp_path / "demo" / "reports"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 5 + 2 * 2
    assert "bao-cao-KV-TEST-2025-07-07-2025-07-13.json" in names
    assert "so-nhat-ky-XA-B-2025-07-07-2025-07-13.docx" in names
    data = json.loads((folder / "bao-cao-KV-TEST-2025-07-07-2025-07-13.json").read_text())
    assert (data["totals"]["planned"], data["totals"]["aired"]) == (8, 4)
    out = capsys.readouterr().out
    assert "KV-TEST 07/07/2025–13/07/2025: 4/8 lượt phát theo kế hoạch đã phát (50.0%)" in out
    assert f"9 tệp báo cáo trong {folder.resolve()}" in out


def test_the_demo_step_without_a_plan_reports_the_latest_logged_week(stored_week, tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=stored_week.url, audio_dir=tmp_path)
    app = App(settings=settings)
    run = DemoRun(app=app, out=tmp_path / "demo", stations_file=tmp_path / "x.toml")
    run.notes.update(office="KV-TEST", now=NOW)
    try:
        step_reports(run)
    finally:
        app.close()
    # the latest log is Monday 14 July's: that week is reported
    assert (tmp_path / "demo" / "reports" / "bao-cao-KV-TEST-2025-07-14-2025-07-20.html").is_file()
