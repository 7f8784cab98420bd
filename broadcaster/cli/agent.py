"""``broadcaster agent``: the station's playout agent."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.logs import configure_logging
from broadcaster.agent.player import make_player
from broadcaster.agent.runtime import Agent, AgentSettings
from broadcaster.agent.store import LocalStore
from broadcaster.domain.messages import _, _n
from broadcaster.domain.playout import fallback_source
from broadcaster.i18n import fmt_date, fmt_time, local

from . import App, pass_app
from .pull import folder_option, station_folder, token_option


@click.group("agent")
def command() -> None:
    """The playout agent: plays the pulled playlists on time and reports what aired."""


@command.command("run")
@click.option("--station", required=True, help="Station code (as on its token).")
@click.option("--server", help="Office server URL ([agent] server); without it, plays offline.")
@token_option
@folder_option("Local folder (default: DATA_DIR/stations/CODE), the one 'pull' fills.")
@click.option(
    "--player",
    help="null (dry run), ffplay, mpg123, aplay, or a command with {path}. Default null.",
)
@click.option(
    "--grace",
    "grace_seconds",
    type=float,
    help="Seconds an entry may start late before it counts as missed (default 60).",
)
@click.option("--verbose", "-v", is_flag=True, help="Also show each log upload and retry.")
@pass_app
def run(
    app: App,
    station: str,
    server: str | None,
    token: str | None,
    folder: Path | None,
    player: str | None,
    grace_seconds: float | None,
    verbose: bool,
) -> None:
    """Play this station's playlists at their times until stopped (Ctrl+C).

    Every airing is written to the local folder first and sent to the office when the link
    is up, so the agent keeps playing through outages and nothing is counted twice. Emergency
    bulletins from the office interrupt the programme at once. Only one agent may run per folder.
    """
    settings = app.settings.section(
        "agent",
        AgentSettings,
        server=server,
        token=token,
        folder=folder,
        player=player,
        grace_seconds=grace_seconds,
    )
    # the operator's log in the station's zone; -v the detailed lines, --debug the internals
    configure_logging(app.settings.timezone, verbose=verbose, debug=app.settings.debug)
    agent = Agent(
        station=station,
        folder=station_folder(app.settings, settings, station),
        settings=settings,
        timezone=app.settings.timezone,
        clock=app.clock,
        player=make_player(settings.player),
    )
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    agent.run(until=stop)


@command.command("status")
@click.option("--station", required=True, help="Station code.")
@folder_option("Local folder (default: DATA_DIR/stations/CODE).")
@pass_app
def status(app: App, station: str, folder: Path | None) -> None:
    """Show the local state: playlists held, outcomes so far, logs waiting to be sent."""
    with _opened(app, station, folder) as pulled:
        if pulled is None:
            return
        settings, local, store = pulled
        states = store.entry_states()
        summary = store.outbox_summary()
        error = store.last_error()
    days = local.playlist_days()
    first, last = (fmt_date(days[0]), fmt_date(days[-1])) if days else ("–", "–")
    app.console.print(
        _n(
            "{station}: {n} playlist ({first} … {last}); entries done or playing: {done}",
            "{station}: {n} playlists ({first} … {last}); entries done or playing: {done}",
            len(days),
            station=station,
            first=first,
            last=last,
            done=len(states),
        ),
        markup=False,
    )
    today = app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()
    if today not in days:
        source = (
            fallback_source(today, days, settings.fallback_weeks)
            if settings.fallback == "same_weekday"
            else None
        )
        app.console.print(
            _(
                "no published playlist for today ({today}): the fallback programme plays "
                "the playlist of {source}",
                today=fmt_date(today),
                source=fmt_date(source),
            )
            if source
            else _(
                "no published playlist for today ({today}): nothing plays (no playlist of "
                "the same weekday to replay)",
                today=fmt_date(today),
            ),
            markup=False,
        )
    table = Table(title=str(_("Logs waiting to be sent")), title_justify="left")
    table.add_column(str(_("kind")))
    for name in (_("sent"), _("pending"), _("rejected")):
        table.add_column(str(name), justify="right")
    for kind, label in (("airing", _("airing")), ("ack", _("bulletin acknowledgement"))):
        table.add_row(
            str(label),
            *(str(summary.get(f"{kind}_{n}", 0)) for n in ("sent", "pending", "rejected")),
        )
    app.console.print(table)
    if summary.get("airing_rejected"):
        app.console.print(
            _n(
                "{n} log was refused by the office and is kept aside: see "
                "'broadcaster agent rejected --station {station}'",
                "{n} logs were refused by the office and are kept aside: see "
                "'broadcaster agent rejected --station {station}'",
                summary["airing_rejected"],
                station=station,
            ),
            markup=False,
        )
    if error:
        app.console.print(_("last send error: {error}", error=error), markup=False)


@command.command("rejected")
@click.option("--station", required=True, help="Station code.")
@folder_option("Local folder (default: DATA_DIR/stations/CODE).")
@click.option(
    "--retry", "retry", metavar="EVENT_ID|all", help="Send these again (after an upgrade)."
)
@click.option("--drop", "drop", metavar="EVENT_ID|all", help="Give up on these; they stay marked.")
@pass_app
def rejected(
    app: App, station: str, folder: Path | None, retry: str | None, drop: str | None
) -> None:
    """Logs the office refused for what they hold, kept aside with the reason so they never
    hold back the others. Retry them once the agent or the office is upgraded, or drop them."""
    if retry and drop:
        raise click.UsageError(str(_("give --retry or --drop, not both")))
    with _opened(app, station, folder) as pulled:
        if pulled is None:
            return
        _settings, _folder, store = pulled
        held = store.rejected()
        which = retry or drop
        if which:
            ids = None if which == "all" else [i.strip() for i in which.split(",") if i.strip()]
            unknown = sorted(set(ids or ()) - {r.event_id for r in held})
            if unknown:
                raise click.UsageError(
                    str(
                        _(
                            "{ids} is not among the logs kept aside; see "
                            "'broadcaster agent rejected --station {station}'",
                            ids=", ".join(unknown),
                            station=station,
                        )
                    )
                )
            now = app.clock.now()
            done = store.retry_rejected(ids, now) if retry else store.drop_rejected(ids, now)
            app.console.print(
                _n("{n} log will be sent again", "{n} logs will be sent again", done)
                if retry
                else _n("{n} log dropped", "{n} logs dropped", done),
                markup=False,
            )
            return
    if not held:
        app.console.print(_("no logs kept aside: the office took every one"))
        return
    tz = ZoneInfo(app.settings.timezone)
    table = Table(title=str(_("Logs refused by the office")), title_justify="left")
    # the event id (to give to --retry or --drop) and the times stay whole, on one line
    table.add_column(str(_("event id")), no_wrap=True)
    table.add_column(str(_("what")))
    table.add_column(str(_("planned")), no_wrap=True)
    table.add_column(str(_("refused")), no_wrap=True)
    table.add_column(str(_("why")))
    for r in held:
        planned = r.payload.get("planned_start") or r.payload.get("actual_start")
        table.add_row(
            r.event_id,
            str(r.payload.get("title") or r.kind),
            _local(planned, tz),
            _short(r.rejected_at, tz) if r.rejected_at else "–",
            r.reason,
        )
    app.console.print(table)


@contextmanager
def _opened(
    app: App, station: str, folder: Path | None
) -> Iterator[tuple[AgentSettings, LocalFolder, LocalStore] | None]:
    """The agent's settings, the station's folder and its state, open for the block (closed
    after it); None (said) if nothing was pulled."""
    settings = app.settings.section("agent", AgentSettings, folder=folder)
    local = station_folder(app.settings, settings, station)
    if not local.state_db.exists():
        app.console.print(
            _("nothing pulled yet into {folder}; run 'broadcaster pull'", folder=local.root),
            markup=False,
        )
        yield None
        return
    store = LocalStore(local.state_db)
    try:
        yield settings, local, store
    finally:
        store.close()


def _local(value: str | None, tz: ZoneInfo) -> str:
    if not value:
        return "–"
    try:
        return _short(datetime.fromisoformat(value), tz)
    except ValueError:
        return value


def _short(value: datetime, tz: ZoneInfo) -> str:
    """``24/11 05:32`` in the station's zone: the logs kept aside are from the last days."""
    return f"{local(value, tz):%d/%m} {fmt_time(value, tz)}"
