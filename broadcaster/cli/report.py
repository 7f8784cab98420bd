"""``broadcaster report``: planned versus aired, and the station log book."""

from __future__ import annotations

from pathlib import Path

import click

from broadcaster.domain.messages import Msg, _, _n
from broadcaster.i18n import fmt_date
from broadcaster.reports import FORMATS, LOGBOOK_FORMATS
from broadcaster.reports.logbook import Logbook
from broadcaster.reports.model import AiringReport
from broadcaster.usecases.reports import (
    build_airing_report,
    build_station_logbook,
    render_airing_report,
    render_station_logbook,
    report_filename,
    write_output,
)

from . import App, format_option, pass_app
from .dates import day_of


@click.group("report")
def command() -> None:
    """Reports on what was aired: for the province (planned versus aired) and the log book."""


def _period_options(f: click.decorators.FC) -> click.decorators.FC:
    f = click.option(
        "--to",
        "to_",
        required=True,
        metavar="DATE",
        help="Last day, included (2026-11-30 or 30/11/2026).",
    )(f)
    return click.option(
        "--from",
        "from_",
        required=True,
        metavar="DATE",
        help="First day (2026-11-24 or 24/11/2026).",
    )(f)


@command.command("airings")
@click.option("--office", required=True, help="Planning office (or any station) code.")
@_period_options
@format_option(
    FORMATS,
    "xlsx",
    help="xlsx and docx for officials, html with charts, csv and json for other systems.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write. Default: bao-cao-OFFICE-FROM-TO.FORMAT here; csv/json go to stdout.",
)
@click.option("--place", help="Place named in the signature line (the commune or district).")
@pass_app
def airings(
    app: App, office: str, from_: str, to_: str, fmt: str, out: Path | None, place: str | None
) -> None:
    """Planned versus aired for every station of an office, per topic, station and priority.

    Counts each airing once however often it was uploaded; logs that arrive late are
    included the next time the report is made. A period with nothing planned or logged
    gives an empty report that says so.
    """
    start, end = day_of(app, from_, "--from"), day_of(app, to_, "--to")
    report = build_airing_report(
        app.database, office=office, start=start, end=end, now=app.clock.now(), place=place
    )
    if out is None and fmt in ("csv", "json"):
        stream = click.get_binary_stream("stdout")
        stream.write(render_airing_report(report, fmt))
        stream.flush()
        return
    path = write_airing_report(report, fmt, out)
    r = report.reconciliation
    t = r.totals
    if r.empty:
        _say(
            app,
            _(
                "{path}: nothing planned or logged from {start} to {end}",
                path=path,
                start=fmt_date(start),
                end=fmt_date(end),
            ),
        )
        return
    _say(
        app,
        _n(
            "{path}: {n} station, {aired}/{due} planned airings aired ({pct}), {missed} missed, "
            "{unplanned} unplanned",
            "{path}: {n} stations, {aired}/{due} planned airings aired ({pct}), {missed} missed, "
            "{unplanned} unplanned",
            len(r.station_codes),
            path=path,
            aired=t.aired,
            due=t.due,
            pct=percent(t.attainment_pct),
            missed=t.missed,
            unplanned=len(r.unplanned),
        ),
    )


@command.command("logbook")
@click.option("--station", required=True, help="Station code.")
@_period_options
@format_option(LOGBOOK_FORMATS, "html")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write. Default: so-nhat-ky-STATION-FROM-TO.FORMAT here.",
)
@pass_app
def logbook(app: App, station: str, from_: str, to_: str, fmt: str, out: Path | None) -> None:
    """The station log book: what aired each day, to sign and keep."""
    start, end = day_of(app, from_, "--from"), day_of(app, to_, "--to")
    book = build_station_logbook(
        app.database, station=station, start=start, end=end, now=app.clock.now()
    )
    path = write_logbook(book, fmt, out)
    aired = sum(d.aired for d in book.days)
    _say(
        app,
        _n(
            "{path}: {n} day, {aired} airings aired",
            "{path}: {n} days, {aired} airings aired",
            book.period.days,
            path=path,
            aired=aired,
        ),
    )


def write_airing_report(
    report: AiringReport, fmt: str, path: Path | None = None, folder: Path = Path()
) -> Path:
    """The report in ``fmt`` written to ``path``, else under its usual name in ``folder``."""
    period = report.period
    name = report_filename("airings", report.office.code, period.start, period.end, fmt)
    return write_output(render_airing_report(report, fmt), path or folder / name)


def write_logbook(book: Logbook, fmt: str, path: Path | None = None, folder: Path = Path()) -> Path:
    """The log book in ``fmt`` written to ``path``, else under its usual name in ``folder``."""
    period = book.period
    name = report_filename("logbook", book.station.code, period.start, period.end, fmt)
    return write_output(render_station_logbook(book, fmt), path or folder / name)


def percent(value: float | None) -> str:
    """``42.5%``, or a dash when there is nothing to measure against."""
    return "–" if value is None else f"{value:.1f}%"


def _say(app: App, text: str | Msg) -> None:
    # a path must come out whole: no wrapping, no markup read into brackets
    app.console.print(text, markup=False, soft_wrap=True)
