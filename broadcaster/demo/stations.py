"""Demo steps: the station tree and clocks; the approved items spoken offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from broadcaster.cli.stations import render_station, station_tree_table
from broadcaster.domain.messages import _, _n
from broadcaster.usecases.stations import load_stations

if TYPE_CHECKING:
    from . import DemoRun


def step_stations(run: DemoRun) -> None:
    run.heading(_("The station tree and broadcast clocks ({file})", file=run.stations_file))
    result = load_stations(run.app.database, run.stations_file)
    run.app.console.print(
        _n(
            "{n} station loaded from {path}",
            "{n} stations loaded from {path}",
            result.added,
            path=run.stations_file,
        ),
        markup=False,
    )
    run.app.console.print(station_tree_table(result.tree))
    for station in result.tree:
        if station.broadcasts:
            render_station(run.app, result.tree, station)
    offices = [s for s in result.tree if s.is_office]
    run.notes["tree"] = result.tree
    run.notes["office"] = offices[0].code if offices else None


def step_speech(run: DemoRun) -> None:
    """Synthesise every approved item offline (espeak-ng), as a station without internet would."""
    from rich.markup import escape
    from rich.table import Table

    from broadcaster.cli import headers
    from broadcaster.speech.settings import SpeechSettings
    from broadcaster.usecases import speech as speech_uc

    run.heading(_("Speech synthesis (espeak-ng, offline)"))
    app = run.app
    speech = app.settings.section("speech", SpeechSettings, engine="espeak-ng")
    items, _recorded = speech_uc.select_items(app.database, all_approved=True)
    if not items:
        app.console.print(_("no approved items yet: nothing to synthesise"))
        return
    synthesizer = speech_uc.make_synthesizer(speech, app.settings.audio_dir, app.clock)
    report = speech_uc.synthesize_items(app.database, synthesizer, items)
    table = Table(*headers(_("item"), _("title"), _("length"), "LUFS", _("file")))
    for r in report.results:
        seconds = round(r.segment.duration.total_seconds())
        table.add_row(
            str(r.item.id),
            r.item.title[:60],
            f"{seconds // 60}:{seconds % 60:02d}",
            f"{r.segment.loudness_lufs:.1f}",
            r.segment.path,
        )
    app.console.print(table)
    for problem in report.problems:
        label = escape(str(_("not synthesised:")))
        app.console.print(f"[yellow]{label}[/yellow] {escape(str(problem))}")
    app.console.print(
        _n(
            "{n} announcement in {folder} ({synthesised} synthesised, {cached} from cache)",
            "{n} announcements in {folder} ({synthesised} synthesised, {cached} from cache)",
            len(report.results),
            folder=app.settings.audio_cache_dir,
            synthesised=report.synthesized,
            cached=report.cached,
        ),
        markup=False,
    )
    run.notes["segments"] = {r.item.id: r.segment for r in report.results}
