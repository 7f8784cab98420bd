"""Demo step: the demo week's reports in every format and each station's log book."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from broadcaster.cli import App
from broadcaster.cli.report import _say, percent, write_airing_report, write_logbook
from broadcaster.domain.messages import _, _n
from broadcaster.i18n import fmt_date, fmt_time
from broadcaster.reports import FORMATS, LOGBOOK_FORMATS
from broadcaster.usecases.reports import build_airing_report, build_station_logbook

if TYPE_CHECKING:
    from . import DemoRun


def step_reports(run: DemoRun) -> None:
    """Demo step: the demo week's reports (every format) and each station's log book.

    Runs after the planning and playout steps and works with whatever they left: the plan in
    ``run.notes["plan"]`` (a WeeklyPlan) when there is one, else the published plans; the
    week of that plan, else of the stored airings, else the current week.
    """
    from datetime import timedelta

    from broadcaster.domain.reconcile import PlannedAiring
    from broadcaster.usecases.reports import planned_from_weekly_plan

    app = run.app
    run.heading(_("Airing reports and station log books"))
    office = run.notes.get("office")
    if not isinstance(office, str):
        app.console.print(_("no planning office in the demo's station file; no reports"))
        return
    now = run.notes.get("now")
    if not isinstance(now, datetime):
        now = app.clock.now()
    plan = run.notes.get("plan")
    planned: list[PlannedAiring] | None = None
    monday = getattr(plan, "monday", None)
    if plan is not None and hasattr(plan, "stations") and monday is not None:
        planned = planned_from_weekly_plan(plan)
    else:
        monday = _demo_week(app, office, now)
    start, end = monday, monday + timedelta(days=6)
    folder = run.out / "reports"
    report = build_airing_report(
        app.database, office=office, start=start, end=end, now=now, planned=planned
    )
    written = [write_airing_report(report, fmt, folder=folder) for fmt in FORMATS]
    with app.database.unit_of_work() as uow:
        # a loudspeaker cluster's airings are in its commune's log book, not one of its own
        keep_books = {s.code for s in uow.stations.tree().broadcasting_under(office)}
    for code in report.reconciliation.station_codes:
        if code not in keep_books:
            continue
        book = build_station_logbook(
            app.database, station=code, start=start, end=end, now=now, planned=planned
        )
        written.extend(write_logbook(book, fmt, folder=folder) for fmt in LOGBOOK_FORMATS)
    _say_totals(run, report, office, (start, end), now)
    _say_shortfalls(run, report)
    _say(
        app,
        _n(
            "{n} report file in {folder}",
            "{n} report files in {folder}",
            len(written),
            folder=folder.resolve(),
        ),
    )
    for path in written:
        _say(app, f"  {path.name}")


def _say_totals(
    run: DemoRun, report: Any, office: str, period: tuple[date, date], now: datetime
) -> None:
    """The week's totals in one line."""
    app = run.app
    start, end = period
    t = report.reconciliation.totals
    values = {"office": office, "start": fmt_date(start), "end": fmt_date(end)}
    if report.reconciliation.empty:
        _say(
            app,
            _("{office} {start}–{end}: nothing planned or logged; the reports say so", **values),
        )
        return
    _say(
        app,
        _(
            "{office} {start}–{end}: {aired}/{due} planned airings aired ({pct}), "
            "{missed} missed, {pending} not yet due, {unplanned} unplanned",
            aired=t.aired,
            due=t.due,
            pct=percent(t.attainment_pct),
            missed=t.missed,
            pending=t.pending,
            unplanned=len(report.reconciliation.unplanned),
            **values,
        ),
    )


def _say_shortfalls(run: DemoRun, report: Any) -> None:
    """Each planned airing that fell short, with its reason; then the week in one line."""
    app = run.app
    lines = report.reconciliation.shortfalls
    for line in lines:
        when = line.planned_start
        _say(
            app,
            "  "
            + str(
                _(
                    "{station} {day} {time} «{title}»: {reason}",
                    station=line.station_code,
                    day=fmt_date(line.day),
                    time=fmt_time(when) if when else "–",
                    title=line.title,
                    reason=line.reason,
                )
            ),
        )
    targets = _say_unmet_targets(run)
    t = report.reconciliation.totals
    notices = sum(1 for u in report.reconciliation.unplanned if not u.emergency)
    _say(
        app,
        _n(
            "The week in one line: {aired}/{due} planned airings aired ({pct}), {short} fell "
            "short and each says why, {pending} not yet due; {targets} item targets not met, "
            "as the planner said beforehand; {emergencies} emergency airings, {n} local notice",
            "The week in one line: {aired}/{due} planned airings aired ({pct}), {short} fell "
            "short and each says why, {pending} not yet due; {targets} item targets not met, "
            "as the planner said beforehand; {emergencies} emergency airings, {n} local notices",
            notices,
            targets=targets,
            aired=t.aired,
            due=t.due,
            pct=percent(t.attainment_pct),
            short=len(lines),
            pending=t.pending,
            emergencies=report.reconciliation.emergencies,
        ),
    )


def _say_unmet_targets(run: DemoRun) -> int:
    """The items the plan could not give their weekly target, each with the reason the
    planner gave when it planned the week (before any of it aired); how many there are."""
    plan = run.notes.get("plan")
    shortfalls = list(getattr(plan, "shortfalls", ()))
    if not shortfalls:
        return 0
    _say(run.app, _("Targets the plan could not meet, as the planner explained beforehand:"))
    seen: set[str] = set()
    for f in shortfalls:
        text = str(f.message)
        if text not in seen:
            seen.add(text)
            _say(run.app, f"  - {text}")
    return len({f.item_id for f in shortfalls})


def _office_zone(app: App, office: str) -> tzinfo:
    from broadcaster.usecases.plans import zone

    with app.database.unit_of_work() as uow:
        name = uow.stations.tree().clock(office).timezone
    return zone(name, office)


def _demo_week(app: App, office: str, now: Any) -> Any:
    """The Monday of the latest week with airing logs, or of the current week."""
    from datetime import timedelta

    from broadcaster.usecases.plans import zone

    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
        codes = [s.code for s in tree.broadcasting_under(office)]
        airings = uow.airings.list(stations=codes) if codes else []
    times = [a.planned_start or a.actual_start for a in airings]
    latest = max((t for t in times if t is not None), default=now)
    # the station's calendar decides the week: 05:30 on Monday is still Sunday in UTC
    day = latest.astimezone(zone(tree.clock(office).timezone, office)).date()
    return day - timedelta(days=day.weekday())
