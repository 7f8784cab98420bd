"""``broadcaster serve``: run the HTTP API."""

from __future__ import annotations

import os

import click

from broadcaster.api.settings import ApiSettings
from broadcaster.domain.messages import _

from . import App, pass_app


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on. Default 127.0.0.1 ([api] host).")
@click.option(
    "--port", type=int, default=None, help="Port to listen on. Default 8080 ([api] port)."
)
@click.option("--workers", type=int, default=None, help="Worker processes (default 1).")
@pass_app
def command(app: App, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the HTTP API for station agents and offices (OpenAPI page at /docs).

    Stations pull playlists and audio from it, send their airing logs and heartbeats, and
    receive emergency bulletins. Tokens are made with 'broadcaster tokens create'.
    """
    import uvicorn

    api = app.settings.section("api", ApiSettings, host=host, port=port, workers=workers)
    base = f"http://{api.host}:{api.port}"
    api_url, docs_url = f"{base}/api/v1", f"{base}/docs"
    app.console.print(
        _(
            "serving the broadcaster API on {api} (docs: {docs}); database {database}",
            api=api_url,
            docs=docs_url,
            database=app.database.display_url,
        ),
        markup=False,
    )
    if api.workers > 1:
        # workers import the app themselves: hand them the same settings through the environment
        os.environ["BROADCASTER_DATABASE_URL"] = app.settings.database_url
        os.environ["BROADCASTER_AUDIO_DIR"] = str(app.settings.audio_dir)
        os.environ["BROADCASTER_DATA_DIR"] = str(app.settings.data_dir)
        if app.settings.config_file:
            os.environ["BROADCASTER_CONFIG"] = str(app.settings.config_file)
        uvicorn.run(
            "broadcaster.server:server_from_environment",
            factory=True,
            host=api.host,
            port=api.port,
            workers=api.workers,
            log_level="warning",
        )
        return
    from broadcaster.server import create_server

    uvicorn.run(
        create_server(app.settings, clock=app.clock, database=app.database, api=api),
        host=api.host,
        port=api.port,
        log_level="warning",
    )
