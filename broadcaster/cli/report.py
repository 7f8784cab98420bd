"""``broadcaster report``: planned versus aired, and the station log book."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from broadcaster.reports import FORMATS, LOGBOOK_FORMATS
from broadcaster.usecases.reports import (
    build_airing_report,
    build_station_logbook,
    parse_day,
    render_airing_report,
    render_station_logbook,
    report_filename,
    write_output,
)

from . import App, pass_app


@click.group("report")
def command() -> None:
    """Reports on what was aired: for the province (planned versus aired) and the log book."""


def _period_options(f: click.decorators.FC) -> click.decorators.FC:
    f = click.option(
        "--to", "to_", required=True, metavar="DATE", help="Last day, included (YYYY-MM-DD)."
    )(f)
    return click.option(
        "--from", "from_", required=True, metavar="DATE", help="First day (YYYY-MM-DD)."
    )(f)


@command.command("airings")
@click.option("--office", required=True, help="Planning office (or any station) code.")
@_period_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="xlsx",
    show_default=True,
    help="xlsx and docx for officials, html with charts, csv and json for other systems.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write. Default: bao-cao-OFFICE-FROM-TO.FORMAT here; csv/json go to stdout.",
)
@click.option("--place", help="Place named in the signature line (e.g. 'Đắk Mil').")
@pass_app
def airings(
    app: App, office: str, from_: str, to_: str, fmt: str, out: Path | None, place: str | None
) -> None:
    """Planned versus aired for every station of an office, per topic, station and priority.

    Counts each airing once however often it was uploaded; logs that arrive late are
    included the next time the report is made. A period with nothing planned or logged
    gives an empty report that says so.
    """
    start, end = parse_day(from_, "--from"), parse_day(to_, "--to")
    report = build_airing_report(
        app.database, office=office, start=start, end=end, now=app.clock.now(), place=place
    )
    data = render_airing_report(report, fmt)
    if out is None and fmt in ("csv", "json"):
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    path = write_output(data, out or Path(report_filename("airings", office, start, end, fmt)))
    r = report.reconciliation
    t = r.totals
    if r.empty:
        _say(app, f"{path}: nothing planned or logged from {start} to {end}")
        return
    pct = "–" if t.attainment_pct is None else f"{t.attainment_pct:.1f}%"
    _say(
        app,
        f"{path}: {len(r.station_codes)} stations, {t.aired}/{t.due} planned airings aired "
        f"({pct}), {t.missed} missed, {len(r.unplanned)} unplanned",
    )


@command.command("logbook")
@click.option("--station", required=True, help="Station code.")
@_period_options
@click.option(
    "--format", "fmt", type=click.Choice(LOGBOOK_FORMATS), default="html", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write. Default: so-nhat-ky-STATION-FROM-TO.FORMAT here.",
)
@pass_app
def logbook(app: App, station: str, from_: str, to_: str, fmt: str, out: Path | None) -> None:
    """The station log book (sổ nhật ký phát thanh): what aired each day, to sign and keep."""
    start, end = parse_day(from_, "--from"), parse_day(to_, "--to")
    book = build_station_logbook(
        app.database, station=station, start=start, end=end, now=app.clock.now()
    )
    path = write_output(
        render_station_logbook(book, fmt),
        out or Path(report_filename("logbook", station, start, end, fmt)),
    )
    aired = sum(d.aired for d in book.days)
    _say(app, f"{path}: {book.period.days} days, {aired} airings aired")


def _say(app: App, text: str) -> None:
    # a path must come out whole: no wrapping, no markup read into brackets
    app.console.print(text, markup=False, soft_wrap=True)


# --- demo -------------------------------------------------------------------------------------


def demo_reports(run: Any) -> None:
    """Demo step: the demo week's reports (every format) and each station's log book.

    Runs after the planning and playout steps and works with whatever they left: the plan in
    ``run.notes["plan"]`` (a WeeklyPlan) when there is one, else the published plans; the
    week of that plan, else of the stored airings, else the current week.
    """
    from datetime import datetime, timedelta

    from broadcaster.domain.reconcile import PlannedAiring
    from broadcaster.usecases.reports import planned_from_weekly_plan

    app: App = run.app
    run.heading("Báo cáo kết quả phát sóng và sổ nhật ký phát thanh")
    office = run.notes.get("office")
    if not isinstance(office, str):
        app.console.print("no planning office in the demo's station file; no reports")
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
    written = []
    for fmt in FORMATS:
        name = report_filename("airings", office, start, end, fmt)
        written.append(write_output(render_airing_report(report, fmt), folder / name))
    for code in report.reconciliation.station_codes:
        book = build_station_logbook(
            app.database, station=code, start=start, end=end, now=now, planned=planned
        )
        for fmt in LOGBOOK_FORMATS:
            name = report_filename("logbook", code, start, end, fmt)
            written.append(write_output(render_station_logbook(book, fmt), folder / name))
    t = report.reconciliation.totals
    pct = "–" if t.attainment_pct is None else f"{t.attainment_pct:.1f}%"
    if report.reconciliation.empty:
        _say(app, f"{office} {start}–{end}: nothing planned or logged; the reports say so")
    else:
        _say(
            app,
            f"{office} {start}–{end}: {t.aired}/{t.due} planned airings aired ({pct}), "
            f"{t.missed} missed, {t.pending} not yet due, "
            f"{len(report.reconciliation.unplanned)} unplanned",
        )
        if run.notes.get("replayed") and t.missed:
            _say(
                app,
                f"(the demo replayed a few entries at {run.notes['replayed']} only: the other "
                f"entries due by {now:%H:%M} on {now:%d/%m} have no log, so they count as missed)",
            )
        sent_on = run.notes.get("emergency_day")
        if sent_on is not None and not start <= sent_on <= end:
            _say(
                app,
                f"(the emergency bulletin really aired today, {sent_on:%d/%m/%Y}, outside the "
                "demo week, so this report does not count it; 'broadcaster emergency list' "
                "shows it)",
            )
    _say(app, f"{len(written)} report files in {folder.resolve()}")
    for path in written:
        _say(app, f"  {path.name}")


def _demo_week(app: App, office: str, now: Any) -> Any:
    """The Monday of the latest week with airing logs, or of the current week."""
    from datetime import timedelta

    from broadcaster.usecases.reports import zone

    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
        codes = [s.code for s in tree.broadcasting_under(office)]
        airings = uow.airings.list(stations=codes) if codes else []
    times = [a.planned_start or a.actual_start for a in airings]
    latest = max((t for t in times if t is not None), default=now)
    # the station's calendar decides the week: 05:30 on Monday is still Sunday in UTC
    day = latest.astimezone(zone(tree.clock(office).timezone, f"station {office}")).date()
    return day - timedelta(days=day.weekday())
