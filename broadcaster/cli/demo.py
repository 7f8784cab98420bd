"""``broadcaster demo``: the whole chain on the example office, offline, in a fresh database."""

from __future__ import annotations

from pathlib import Path

import click

from broadcaster.domain.messages import _

from . import App, pass_app


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
    from broadcaster.demo import run_demo

    folder = run_demo(app, out, stations_file)
    done = _("done")
    app.console.rule(f"[bold]{done}")
    app.console.print(_("demo database and files: {folder}", folder=folder), markup=False)
