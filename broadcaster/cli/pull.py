"""``broadcaster pull``: a station fetches its playlists and audio (server or USB folder)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from broadcaster.agent.client import StationClient
from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.pull import pull_from_folder, pull_from_server
from broadcaster.agent.settings import AgentSettings
from broadcaster.agent.store import LocalStore
from broadcaster.config import Settings
from broadcaster.domain.distribution import TransferError
from broadcaster.domain.messages import _, _n
from broadcaster.i18n import fmt_date

from . import App, pass_app

F = TypeVar("F", bound=Callable[..., Any])


def station_folder(settings: Settings, agent: AgentSettings, station: str) -> LocalFolder:
    return LocalFolder(agent.folder or settings.data_dir / "stations" / station)


def folder_option(help: str) -> Callable[[F], F]:
    """``--folder``: the station's local folder, the one ``pull`` fills and the agent plays."""
    return click.option("--folder", type=click.Path(file_okay=False, path_type=Path), help=help)


#: ``--token``: the station's token, for ``pull`` and the agent
token_option = click.option("--token", help="Station token; better set BROADCASTER_AGENT_TOKEN.")


@click.command("pull")
@click.option("--station", required=True, help="Station code (as on its token).")
@click.option("--server", help="Office server URL, e.g. http://10.0.0.5:8080 ([agent] server).")
@token_option
@click.option("--days", type=int, help="Days ahead besides today (default 7).")
@folder_option("Local folder for playlists and audio (default: DATA_DIR/stations/CODE).")
@click.option(
    "--from-folder",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read an exported folder (USB stick) instead of the server.",
)
@pass_app
def command(
    app: App,
    station: str,
    server: str | None,
    token: str | None,
    days: int | None,
    folder: Path | None,
    source: Path | None,
) -> None:
    """Fetch this station's playlists for today and the next days, with their audio.

    Safe to run again at any time: unchanged playlists are skipped, interrupted downloads
    resume, and every file is checked before it is used. Without internet, copy the office's
    export to a USB stick and use --from-folder.
    """
    agent = app.settings.section(
        "agent", AgentSettings, server=server, token=token, days=days, folder=folder
    )
    local = station_folder(app.settings, agent, station)
    today = app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()
    if source is not None:
        report = pull_from_folder(source, local, station, today=today, progress=app.console.print)
    else:
        if not agent.server:
            raise click.UsageError(
                str(_("give --server URL (or [agent] server), or --from-folder DIR"))
            )
        store = LocalStore(local.ensure().state_db)
        try:
            with StationClient(agent.server, agent.token or "", station) as client:
                report = pull_from_server(
                    client,
                    local,
                    store,
                    today=today,
                    days=agent.days,
                    progress=app.console.print,
                )
        finally:
            store.close()
    last = today + timedelta(days=agent.days)
    app.console.print(
        _(
            "{station} {first}…{last}: {summary} → {folder}",
            station=station,
            first=fmt_date(today),
            last=fmt_date(last),
            summary=report.summary(),
            folder=local.root,
        ),
        markup=False,
    )
    if report.failures:
        for failure in report.failures:
            app.console.print("  " + _("failed: {failure}", failure=failure), markup=False)
        raise TransferError(
            _n(
                "{n} file could not be fetched; run 'broadcaster pull' again",
                "{n} files could not be fetched; run 'broadcaster pull' again",
                len(report.failures),
            )
        )
