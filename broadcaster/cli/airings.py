"""``broadcaster airings``: logs entered by hand for stations without an agent."""

from __future__ import annotations

import re
from datetime import time
from zoneinfo import ZoneInfo

import click
from rich.table import Table
from rich.text import Text

from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _, _n
from broadcaster.i18n import fmt_date, fmt_datetime
from broadcaster.usecases.manual_log import confirm_playlist, parse_positions, record_notice

from . import App, pass_app
from .dates import day_of


@click.group("airings")
def command() -> None:
    """Airing logs entered by hand (stations without an agent, local notices)."""


def _numbers(text: str, option: str) -> list[int]:
    if not text:
        return []
    numbers = parse_positions(text, option)
    if numbers is None:
        raise InputError(
            _("{option} takes entry numbers; 'all' is only for --aired", option=option)
        )
    return numbers


@command.command("confirm")
@click.option("--station", required=True, help="Station code.")
@click.option("--date", "day", required=True, help="Day of the playlist: 2026-11-24 or 24/11/2026.")
@click.option(
    "--aired",
    metavar="1,2,5|1-3|all",
    help="Numbers (TT column of the printed playlist) that aired; 'all': every announcement "
    "not given as missed or partial.",
)
@click.option("--missed", metavar="3,4", default="", help="Numbers that did not air.")
@click.option("--partial", metavar="6", default="", help="Numbers cut short.")
@click.option("--operator", required=True, help="Who aired them (the signature on the playlist).")
@click.option("--note", help="A remark kept with each record (e.g. why entries were missed).")
@pass_app
def confirm(
    app: App,
    station: str,
    day: str,
    aired: str | None,
    missed: str,
    partial: str,
    operator: str,
    note: str | None,
) -> None:
    """Record what aired from a station's printed playlist (stations without an agent).

    Give the numbers of the TT column. Entering the same paper again changes nothing; a
    correction (a number first given as missed, then as aired) is kept and the reports count
    the better outcome.
    """
    result = confirm_playlist(
        app.database,
        station=station,
        day=day_of(app, day),
        operator=operator,
        now=app.clock.now(),
        aired=parse_positions(aired, "--aired") if aired is not None else (),
        missed=_numbers(missed, "--missed"),
        partial=_numbers(partial, "--partial"),
        note=note,
        numbered=True,
    )
    pl = result.playlist
    table = Table(
        title=Text(
            str(
                _(
                    "{station} — {day} (plan version {version})",
                    station=pl.station_name,
                    day=fmt_date(pl.day),
                    version=result.version,
                )
            )
        ),
        title_justify="left",
    )
    for name in (_("No."), _("Time"), _("Content"), _("Recorded as"), ""):
        table.add_column(str(name))
    for r in result.recorded:
        assert r.entry is not None
        table.add_row(
            str(r.entry.number or ""),
            f"{r.entry.start:%H:%M}",
            Text(r.entry.title),
            str(r.airing.status.label),
            "" if r.new else _("already there"),
        )
    app.console.print(table)
    new = sum(1 for r in result.recorded if r.new)
    app.console.print(
        _n(
            "{n} recorded, {already} already recorded (operator {operator}); see "
            "'broadcaster report logbook --station {station}'",
            "{n} recorded, {already} already recorded (operator {operator}); see "
            "'broadcaster report logbook --station {station}'",
            new,
            already=len(result.recorded) - new,
            operator=operator,
            station=station,
        ),
        markup=False,
    )


_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})$")


@command.command("add")
@click.option("--station", required=True, help="Station code.")
@click.option("--date", "day", required=True, help="Day it aired: 2026-11-24 or 24/11/2026.")
@click.option("--at", "at", required=True, help="Time it started, station time: 17:20 or 17h20.")
@click.option("--title", required=True, help="What was announced (Vietnamese).")
@click.option("--minutes", type=float, default=1.0, show_default=True, help="How long it ran.")
@click.option("--operator", required=True, help="Who aired it.")
@click.option("--note", help="A remark kept with the record.")
@pass_app
def add(
    app: App,
    station: str,
    day: str,
    at: str,
    title: str,
    minutes: float,
    operator: str,
    note: str | None,
) -> None:
    """Record a local notice aired outside the plan (counted as unplanned in the reports)."""
    m = _TIME.match(at.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise InputError(
            _("--at {value} is not a time of day; write it like 17:20 or 17h20", value=repr(at))
        )
    recorded = record_notice(
        app.database,
        station=station,
        day=day_of(app, day),
        start=time(int(m.group(1)), int(m.group(2))),
        title=title,
        minutes=minutes,
        operator=operator,
        now=app.clock.now(),
        note=note,
    )
    a = recorded.airing
    assert a.actual_start is not None
    values = {
        "station": station,
        "at": fmt_datetime(a.actual_start, ZoneInfo(a.timezone or app.settings.timezone)),
        "title": a.title,
        "minutes": minutes,
    }
    app.console.print(
        _("{station} {at}: «{title}» ({minutes:g} minutes, outside the plan) recorded", **values)
        if recorded.new
        else _(
            "{station} {at}: «{title}» ({minutes:g} minutes, outside the plan) already "
            "recorded, nothing changed",
            **values,
        ),
        markup=False,
    )
