"""Demo step: a station without an agent returns its signed playlist, entered at the office."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from broadcaster.domain.messages import _
from broadcaster.domain.planning import WeeklyPlan
from broadcaster.i18n import fmt_date, fmt_time
from broadcaster.usecases.manual_log import confirm_playlist, record_notice

if TYPE_CHECKING:
    from . import DemoRun


def step_paper_log(run: DemoRun) -> None:
    """Demo step: a station without an agent returns its signed playlist; the office enters it
    (one entry missed) and a local notice the operator added."""
    from datetime import timedelta

    from broadcaster.usecases.plans import station_playlist, zone

    app = run.app
    plan, office = run.notes.get("plan"), run.notes.get("office")
    if not isinstance(plan, WeeklyPlan) or not isinstance(office, str):
        return
    run.heading(_("Entering the signed playlist of a station without an agent, and a local notice"))
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    code = next(
        (s.code for s in tree.broadcasting_under(office) if s.code != run.notes.get("replayed")),
        None,
    )
    if code is None:
        return
    tz = zone(tree.clock(code).timezone, code)
    noted = run.notes.get("now")
    now = noted if isinstance(noted, datetime) else app.clock.now()
    day = plan.monday
    pl = station_playlist(app.database, code, day, allow_draft=False).playlist
    due = [e.number for e in pl.entries if e.number is not None and e.start <= now]
    if not due:
        app.console.print(
            _("{code}: nothing due on {day} yet", code=code, day=fmt_date(day)), markup=False
        )
        return
    operator = "Nguyễn Văn Bình (demo)"  # a name, the same in every language
    result = confirm_playlist(
        app.database,
        station=code,
        day=day,
        operator=operator,
        now=app.clock.now(),
        aired=due[:-1] if len(due) > 1 else due,
        missed=due[-1:] if len(due) > 1 else [],
        note=str(_("power cut")) if len(due) > 1 else None,
        numbered=True,
    )
    for r in result.recorded:
        assert r.entry is not None
        line = _(
            "{code} No. {position} {time} {title}: {status}",
            code=code,
            position=r.entry.number,
            time=fmt_time(r.entry.start, tz),
            title=r.entry.title,
            status=r.airing.status.label,
        )
        app.console.print(f"  {line}", markup=False)
    first = next(e for e in pl.entries if e.number == due[0])
    # read out after the planned entries of that session
    session_end = max(e.end for e in pl.entries if e.session == first.session)
    notice_at = (session_end + timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    notice = record_notice(
        app.database,
        station=code,
        day=day,
        start=notice_at,
        title=str(_("Notice of the expanded immunisation schedule at the commune health station")),
        minutes=1.5,
        operator=operator,
        now=app.clock.now(),
    )
    line = _(
        "{code} {time} {title}: outside the plan",
        code=code,
        time=fmt_time(notice_at),
        title=notice.airing.title,
    )
    app.console.print(f"  {line}", markup=False)
