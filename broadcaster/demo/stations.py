"""Demo steps: the station tree and clocks; the approved items spoken offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from broadcaster.cli.stations import render_station, station_tree_table
from broadcaster.usecases.stations import load_stations

if TYPE_CHECKING:
    from . import DemoRun


def step_stations(run: DemoRun) -> None:
    run.heading("Cây đài và lịch phát (schedules/example.toml)")
    result = load_stations(run.app.database, run.stations_file)
    run.app.console.print(f"{result.added} stations loaded from {run.stations_file}")
    run.app.console.print(station_tree_table(result.tree))
    for station in result.tree:
        if station.broadcasts:
            render_station(run.app, result.tree, station)
    offices = [s for s in result.tree if s.is_office]
    run.notes["tree"] = result.tree
    run.notes["office"] = offices[0].code if offices else None


def step_speech(run: DemoRun) -> None:
    """Synthesise every approved item offline (espeak-ng), as a station without internet would."""
    from rich.table import Table

    from broadcaster.speech.settings import SpeechSettings
    from broadcaster.usecases import speech as speech_uc

    run.heading("Tổng hợp tiếng nói (espeak-ng, ngoại tuyến)")
    app = run.app
    speech = app.settings.section("speech", SpeechSettings, engine="espeak-ng")
    items, _recorded = speech_uc.select_items(app.database, all_approved=True)
    if not items:
        app.console.print("no approved items yet: nothing to synthesise")
        return
    synthesizer = speech_uc.make_synthesizer(speech, app.settings.audio_dir, app.clock)
    report = speech_uc.synthesize_items(app.database, synthesizer, items)
    table = Table("item", "title", "length", "LUFS", "file")
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
        app.console.print(f"[yellow]not synthesised:[/yellow] {problem}")
    app.console.print(
        f"{len(report.results)} announcement(s) in {app.settings.audio_cache_dir} "
        f"({report.synthesized} synthesised, {report.cached} from cache)"
    )
    run.notes["segments"] = {r.item.id: r.segment for r in report.results}
