"""Demo step: a station without an agent returns its signed playlists for the week; the office
enters them (one entry missed in a power cut) and a local notice the operator added."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.messages import _
from broadcaster.domain.planning import WeeklyPlan
from broadcaster.domain.playlists import Playlist
from broadcaster.i18n import fmt_date, fmt_time
from broadcaster.usecases.manual_log import confirm_playlist, record_notice

if TYPE_CHECKING:
    from . import DemoRun

#: the day of the week (Thursday) when the power failed during the last entry of a session
POWER_CUT_DAY = 3
OPERATOR = "Nguyễn Văn Bình (demo)"  # a name, the same in every language


def step_paper_log(run: DemoRun) -> None:
    """Demo step: the signed playlists of a station without an agent, entered at the office."""
    from broadcaster.usecases.plans import station_playlist, zone

    app = run.app
    plan, code = run.notes.get("plan"), run.notes.get("paper_station")
    if not isinstance(plan, WeeklyPlan) or not isinstance(code, str):
        return
    run.heading(_("Entering the signed playlists of a station without an agent, and a notice"))
    with app.database.unit_of_work() as uow:
        tz = zone(uow.stations.tree().clock(code).timezone, code)
    aired = missed = 0
    for n in range(7):
        day = plan.monday + timedelta(days=n)
        pl = station_playlist(app.database, code, day, allow_draft=False).playlist
        numbers = [e.number for e in pl.entries if e.number is not None]
        if not numbers:
            continue
        cut = numbers[-1:] if n == POWER_CUT_DAY else []
        result = confirm_playlist(
            app.database,
            station=code,
            day=day,
            operator=OPERATOR,
            now=app.clock.now(),
            aired=None,  # every announcement but those listed as missed
            missed=cut,
            note=str(_("power cut")) if cut else None,
            numbered=True,
        )
        for r in result.recorded:
            if r.airing.status is AiringStatus.MISSED:
                missed += 1
                assert r.entry is not None
                app.console.print(
                    "  "
                    + str(
                        _(
                            "{code} {day} No. {position} {time} {title}: missed ({note})",
                            code=code,
                            day=fmt_date(day),
                            position=r.entry.number,
                            time=fmt_time(r.entry.start, tz),
                            title=r.entry.title,
                            note=r.airing.note or "",
                        )
                    ),
                    markup=False,
                    soft_wrap=True,
                )
            else:
                aired += 1
        if n == POWER_CUT_DAY - 1:
            _notice(run, code, day, pl, tz)
    app.console.print(
        _(
            "{code}: the week's signed playlists entered: {aired} aired, {missed} missed",
            code=code,
            aired=aired,
            missed=missed,
        ),
        markup=False,
    )


def _notice(run: DemoRun, code: str, day: date, pl: Playlist, tz: tzinfo) -> None:
    """A notice the operator read after the morning session, outside the plan."""
    first = pl.entries[0]
    session_end = max(e.end for e in pl.entries if e.session == first.session)
    notice_at = (session_end + timedelta(minutes=1)).astimezone(tz).time()
    notice_at = notice_at.replace(second=0, microsecond=0)
    notice = record_notice(
        run.app.database,
        station=code,
        day=day,
        start=notice_at,
        title=str(_("Notice of the expanded immunisation schedule at the commune health station")),
        minutes=1.5,
        operator=OPERATOR,
        now=run.app.clock.now(),
    )
    line = _(
        "{code} {day} {time} {title}: outside the plan",
        code=code,
        day=fmt_date(day),
        time=fmt_time(notice_at),
        title=notice.airing.title,
    )
    run.app.console.print(f"  {line}", markup=False)
