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
@click.option(
    "--serve",
    is_flag=True,
    help="Afterwards, keep the web console and the API running on the demo's database "
    "(Ctrl-C stops them).",
)
@click.option("--port", type=int, default=8080, show_default=True, help="Port for --serve.")
@pass_app
def command(app: App, out: Path, stations_file: Path, serve: bool, port: int) -> None:
    """Run the example office end to end in a fresh database (offline speech)."""
    from broadcaster.demo import run_demo

    folder = run_demo(app, out, stations_file)
    done = _("done")
    app.console.rule(f"[bold]{done}")
    app.console.print(_("demo database and files: {folder}", folder=folder), markup=False)
    address = f"http://127.0.0.1:{port}/"
    if not serve:
        app.console.print(
            _(
                "the web console on the demo's database: 'broadcaster demo --serve' (or "
                "'make demo'), then open {address} and sign in with a login above",
                address=address,
            ),
            markup=False,
        )
        return
    _serve(app, folder, port, address)


def _serve(app: App, folder: Path, port: int, address: str) -> None:
    import uvicorn

    from broadcaster.demo import demo_settings
    from broadcaster.server import create_server

    settings = demo_settings(app.settings, folder)
    app.console.print(
        _(
            "the web console is at {address} (sign in with a login above); the API at "
            "{address}api/v1; Ctrl-C stops them",
            address=address,
        ),
        markup=False,
    )
    uvicorn.run(
        create_server(settings, clock=app.clock), host="127.0.0.1", port=port, log_level="warning"
    )
