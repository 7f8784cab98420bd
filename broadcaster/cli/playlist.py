"""``broadcaster playlist``: a station's daily playlist, and folders of them for a USB stick."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from broadcaster.domain.messages import _, _n
from broadcaster.domain.planning import EntryKind
from broadcaster.domain.planning.weeks import duration_words
from broadcaster.domain.playlists import Playlist
from broadcaster.domain.stations import format_hhmm
from broadcaster.i18n import fmt_date
from broadcaster.playlists import render_csv, render_html, render_json, render_m3u8
from broadcaster.usecases.letterheads import playlist_letterhead
from broadcaster.usecases.plans import station_playlist
from broadcaster.usecases.playlist_export import export_office_week, relative_audio_path

from . import App, format_option, pass_app
from .dates import day_of
from .plan import _week

FORMATS = ("table", "json", "m3u8", "csv", "html")


@click.group("playlist")
def command() -> None:
    """Daily playlists from the published weekly plan (a table, JSON, M3U8, CSV, HTML)."""


@command.command("show")
@click.option("--station", required=True, help="Station code.")
@click.option("--date", "day", required=True, help="Date: 2026-11-24, 24/11/2026 or 24/11.")
@format_option(
    FORMATS,
    "table",
    help="table: to read on screen; json, m3u8, csv, html: for stations and printing.",
)
@pass_app
def show(app: App, station: str, day: str, fmt: str) -> None:
    """Print one station's playlist for one date.

    Uses the newest published plan; before anything is published, the office's draft.
    The HTML page is ready to print on A4 with a signature line for the operator.
    """
    found = station_playlist(app.database, station, day_of(app, day))
    pl = found.playlist
    if found.version is None:
        click.echo(
            _(
                "warning: {station} {day} comes from the office's draft: nothing is published "
                "for that week yet ('broadcaster plan publish')",
                station=station,
                day=fmt_date(pl.day),
            ),
            err=True,
        )

    def path_of(h: str) -> str:
        return relative_audio_path(found.segments, h)

    if fmt == "table":
        print_playlist(app, pl, found.version)
        return
    if fmt == "json":
        out = render_json(pl, found.version, path_of)
    elif fmt == "m3u8":
        out = render_m3u8(pl, path_of)
    elif fmt == "csv":
        out = render_csv(pl)
    else:
        out = render_html(pl, found.version, playlist_letterhead(app.database, station))
    click.echo(out, nl=False)


def print_playlist(app: App, pl: Playlist, version: int | None) -> None:
    """The day's playlist as a table per session: TT number, time, content, length, audio."""
    label = _("version {version}", version=version) if version else _("draft (not published)")
    app.console.print(
        Text(
            str(
                _(
                    "{name} ({code}) — {day} — {label}",
                    name=pl.station_name,
                    code=pl.station_code,
                    day=pl.day_label,
                    label=label,
                )
            )
        ),
        style="bold",
    )
    for name, start, end in pl.spans or [(n, None, None) for n in pl.sessions]:
        heading = _("Session {name}", name=name)
        if start is not None and end is not None:
            heading = _(
                "Session {name}: {start}–{end}",
                name=name,
                start=format_hhmm(start.time()),
                end=format_hhmm(end.time()),
            )
        table = Table(title=str(heading), title_justify="left")
        for column in (_("No."), _("Time"), _("Content"), _("Duration"), _("Audio")):
            table.add_column(str(column))
        for e in pl.in_session(name):
            title = e.title if e.kind is EntryKind.ANNOUNCEMENT else f"{e.kind.label}: {e.title}"
            table.add_row(
                str(e.number or ""),
                e.start.strftime("%H:%M:%S"),
                Text(title),
                str(duration_words(e.duration)),
                "✓" if e.audio else "–",
            )
        app.console.print(table)
    app.console.print(
        _("total {length}; times are Vietnam time (UTC+7)", length=duration_words(pl.total))
        if pl.timezone == "Asia/Ho_Chi_Minh"
        else _(
            "total {length}; times in {zone}", length=duration_words(pl.total), zone=pl.timezone
        ),
        markup=False,
    )


@command.command("export")
@click.option("--office", required=True, help="Code of the planning office.")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W48.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (one sub-folder per station).",
)
@pass_app
def export(app: App, office: str, week: str, out_dir: Path) -> None:
    """Write every station's playlists of a week with the audio they play, ready for a USB stick.

    Each station gets a folder with, per date, the playlist as JSON, M3U8, CSV and a printable
    HTML page, and an audio/ folder with the files the playlists name.
    """
    report = export_office_week(
        app.database, office, _week(week, app), out_dir, app.settings.audio_dir
    )
    label = (
        _("version {version}", version=report.version)
        if report.version
        else _("draft (not published)")
    )
    for code, n in report.playlists.items():
        app.console.print(
            _n("{folder}: {n} playlist", "{folder}: {n} playlists", n, folder=out_dir / code),
            markup=False,
        )
    app.console.print(
        _n(
            "{n} playlist of {stations} stations exported ({label}), {audio} new audio files",
            "{n} playlists of {stations} stations exported ({label}), {audio} new audio files",
            report.total,
            stations=len(report.playlists),
            label=label,
            audio=report.audio_files,
        ),
        markup=False,
    )
