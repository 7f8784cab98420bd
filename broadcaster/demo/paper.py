"""Demo step: a station without an agent returns its signed playlist, entered at the office."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from broadcaster.domain.planning import WeeklyPlan
from broadcaster.usecases.manual_log import confirm_playlist, record_notice

if TYPE_CHECKING:
    from . import DemoRun


def step_paper_log(run: DemoRun) -> None:
    """Demo step: a station without an agent returns its signed playlist; the office enters it
    (one entry missed) and a local notice the operator added."""
    from datetime import timedelta

    from broadcaster.usecases.plans import station_playlist

    app = run.app
    plan, office = run.notes.get("plan"), run.notes.get("office")
    if not isinstance(plan, WeeklyPlan) or not isinstance(office, str):
        return
    run.heading("Nhập danh mục đã ký của đài chưa có agent, và một thông báo của địa phương")
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    code = next(
        (s.code for s in tree.broadcasting_under(office) if s.code != run.notes.get("replayed")),
        None,
    )
    if code is None:
        return
    noted = run.notes.get("now")
    now = noted if isinstance(noted, datetime) else app.clock.now()
    day = plan.monday
    pl = station_playlist(app.database, code, day, allow_draft=False).playlist
    due = [e.position for e in pl.entries if e.item_id is not None and e.start <= now]
    if not due:
        app.console.print(f"{code}: nothing due on {day:%d/%m/%Y} yet", markup=False)
        return
    operator = "Nguyễn Văn Bình (demo)"
    result = confirm_playlist(
        app.database,
        station=code,
        day=day,
        operator=operator,
        now=app.clock.now(),
        aired=due[:-1] if len(due) > 1 else due,
        missed=due[-1:] if len(due) > 1 else [],
        note="mất điện" if len(due) > 1 else None,
    )
    for r in result.recorded:
        assert r.entry is not None
        app.console.print(
            f"  {code} TT {r.entry.position} {r.entry.start:%H:%M} {r.entry.title}: "
            f"{r.airing.status.label}",
            markup=False,
        )
    first = next(e for e in pl.entries if e.position == due[0])
    # read out after the planned entries of that session
    session_end = max(e.end for e in pl.entries if e.session == first.session)
    notice_at = (session_end + timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    notice = record_notice(
        app.database,
        station=code,
        day=day,
        start=notice_at,
        title="Thông báo lịch tiêm chủng mở rộng tại trạm y tế xã",
        minutes=1.5,
        operator=operator,
        now=app.clock.now(),
    )
    app.console.print(
        f"  {code} {notice_at:%H:%M} {notice.airing.title}: ngoài kế hoạch", markup=False
    )
