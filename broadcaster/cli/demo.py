"""``broadcaster demo``: the whole chain on the example office, offline, in a fresh database."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import click

from broadcaster.usecases.stations import load_stations

from . import App, pass_app
from .demo_directives import step_directives
from .demo_plan import step_plan
from .stations import render_station, station_tree_table

SEEDS_DIR = Path("..") / "shared" / "seeds"


@dataclass
class DemoRun:
    """State handed from one demo step to the next."""

    app: App
    out: Path
    stations_file: Path
    notes: dict[str, object] = field(default_factory=dict)

    def heading(self, text: str) -> None:
        self.app.console.rule(f"[bold]{text}")


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


#: the demo's steps, in order; each later feature appends its own
STEPS: list[Callable[[DemoRun], None]] = [step_stations, step_directives, step_speech, step_plan]


@click.command("demo")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the demo's database, audio, playlists and reports (emptied first).",
)
@click.option(
    "--stations",
    "stations_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("schedules") / "example.toml",
    show_default=True,
    help="Station file of the example office.",
)
@pass_app
def command(app: App, out: Path, stations_file: Path) -> None:
    """Run the example office end to end in a fresh database (offline speech)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    settings = replace(
        app.settings,
        database_url=f"sqlite:///{(out / 'broadcaster.db').resolve()}",
        data_dir=out.resolve(),
        audio_dir=(out / "audio").resolve(),
    )
    demo_app = App(settings=settings, clock=app.clock, console=app.console)
    run = DemoRun(app=demo_app, out=out, stations_file=stations_file)
    try:
        for step in STEPS:
            step(run)
    finally:
        demo_app.close()
    app.console.rule("[bold]xong")
    app.console.print(f"demo database and files: {out.resolve()}")


# distribution and playout: serve, pull, play a compressed schedule, one emergency
from .demo_playout import step_playout  # noqa: E402

STEPS.append(step_playout)

# a station without an agent: its signed paper playlist is entered at the office
from .airings import demo_paper_log  # noqa: E402

STEPS.append(demo_paper_log)

# the reports come last: they read whatever the planning and playout steps left
from .report import demo_reports  # noqa: E402

STEPS.append(demo_reports)
