"""``broadcaster cluster``: the loudspeaker clusters that run an agent — their state, and
commands to them (volume, amplifier relay, stop, play an item now), checked against the
sender's role and subtree like the console's and the API's."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.api.settings import ApiSettings
from broadcaster.domain.accounts import Role
from broadcaster.domain.devices import VOLUME_LEVELS, DeviceCommand
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.messages import Msg, _
from broadcaster.i18n import fmt_datetime
from broadcaster.usecases.accounts import list_users
from broadcaster.usecases.device_commands import plain_reason, recent_commands, send_command
from broadcaster.usecases.station_board import StationState, cluster_board
from broadcaster.web.settings import WebSettings

from . import App, headers, pass_app


@click.group("cluster")
def command() -> None:
    """Loudspeaker clusters with an agent: their state, and commands to them (volume,
    amplifier relay, stop, play an item now)."""


@dataclass(frozen=True)
class Sender:
    """Who sends a command: a role bound to a node of the station tree."""

    role: Role
    node: str
    who: str


def _login() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _sender(app: App, account: str | None, office: str | None) -> Sender:
    """``--as`` an account of the console (its role and node), ``--office`` an office, or
    else the administrator (the CLI runs where the database is)."""
    if account is not None:
        user = next((u for u in list_users(app.database) if u.username == account), None)
        if user is None or not user.active:
            raise NotFoundError(_("no active account {name}", name=account))
        return Sender(user.role, user.station_code, user.shown)
    if office is not None:
        return Sender(Role.OFFICE, office, f"{_login()} (CLI)")
    return Sender(Role.ADMIN, "", f"{_login()} (CLI)")


def _sender_options(f: Callable[..., None]) -> Callable[..., None]:
    f = click.option(
        "--office",
        help="Send as this office (reaches the clusters under it only).",
    )(f)
    return click.option(
        "--as",
        "account",
        metavar="NAME",
        help="Send as this console account: its role and station are checked "
        "(default: the administrator).",
    )(f)


@contextmanager
def _plainly() -> Iterator[None]:
    """A refusal worded for the API's fields, without the field's name."""
    try:
        yield
    except (InputError, NotFoundError) as exc:
        raise type(exc)(plain_reason(exc)) from None


def _send(app: App, sender: Sender, code: str, kind: str, **more: int | None) -> None:
    with _plainly():
        stored = send_command(
            app.database,
            app.clock,
            role=sender.role,
            node=sender.node,
            who=sender.who,
            station=code,
            kind=kind,
            **more,
        )
    app.console.print(
        _(
            "command #{id} sent to {code}: {what}; its agent answers within seconds when "
            "online (see 'broadcaster cluster commands {code}')",
            id=stored.id,
            code=code,
            what=stored.describe(),
        ),
        markup=False,
        soft_wrap=True,
    )


@command.command("volume")
@click.argument("code")
@click.argument("level", type=int)
@_sender_options
@pass_app
def volume(app: App, code: str, level: int, account: str | None, office: str | None) -> None:
    """Set a cluster's volume: LEVEL 1 (quietest) to 15 (loudest)."""
    _send(app, _sender(app, account, office), code, "volume", value=level)


@command.command("relay")
@click.argument("code")
@click.argument(
    "state",
    type=click.Choice(["on", "off", "bật", "tắt"], case_sensitive=False),
    metavar="STATE",
)
@_sender_options
@pass_app
def relay(app: App, code: str, state: str, account: str | None, office: str | None) -> None:
    """Switch a cluster's amplifier on or off (its relay): STATE is on or off."""
    on = state.lower() in ("on", "bật")
    _send(app, _sender(app, account, office), code, "relay", value=1 if on else 0)


@command.command("stop")
@click.argument("code")
@_sender_options
@pass_app
def stop(app: App, code: str, account: str | None, office: str | None) -> None:
    """Stop what a cluster plays now (its programme goes on at the next entry)."""
    _send(app, _sender(app, account, office), code, "stop")


@command.command("play")
@click.argument("code")
@click.option("--item", "item_id", type=click.IntRange(1, 2**31 - 1), required=True,
              help="The item whose audio plays now.")  # fmt: skip
@_sender_options
@pass_app
def play(app: App, code: str, item_id: int, account: str | None, office: str | None) -> None:
    """Play an item on a cluster now (after any emergency bulletin)."""
    _send(app, _sender(app, account, office), code, "play", item_id=item_id)


def _result(c: DeviceCommand, tz: ZoneInfo) -> str:
    if c.acked_at is None:
        return str(_("waiting for the agent"))
    at = fmt_datetime(c.acked_at, tz, seconds=True)
    if c.result == "done":
        return str(_("done at {at}", at=at))
    return str(_("failed at {at}: {reason}", at=at, reason=c.note or "–"))


@command.command("commands")
@click.argument("code")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True,
              help="How many commands to show.")  # fmt: skip
@_sender_options
@pass_app
def commands(app: App, code: str, limit: int, account: str | None, office: str | None) -> None:
    """A cluster's latest commands, newest first: what, who sent it and when, and what its
    agent answered."""
    sender = _sender(app, account, office)
    with _plainly():
        found = recent_commands(
            app.database, role=sender.role, node=sender.node, who=sender.who, station=code,
            limit=limit,
        )  # fmt: skip
    if not found:
        app.console.print(_("no command has been sent to {code}", code=code), markup=False)
        return
    tz = ZoneInfo(app.settings.timezone)
    table = Table(*headers("#", _("sent at"), _("by"), _("command"), _("result")))
    for c in found:
        table.add_row(
            str(c.id),
            fmt_datetime(c.created_at, tz, seconds=True),
            c.created_by or "–",
            str(c.describe()),
            _result(c, tz),
        )
    app.console.print(table)


def _state(st: StationState, tz: ZoneInfo) -> str:
    if st.online:
        return str(_("online"))
    if st.heartbeat is None:
        return str(_("offline, never heard from"))
    since = fmt_datetime(st.heartbeat.seen_at, tz)
    return f"{_('offline')}\n{_('since {when}', when=since)}"


def _on_off(value: bool | None, on: Msg, off: Msg) -> str:
    return "–" if value is None else str(on if value else off)


def _row(st: StationState, commune: StationState, tz: ZoneInfo) -> list[str]:
    hb = st.heartbeat
    playing = hb.playing if hb is not None and hb.playing and st.online else "–"
    return [
        f"{st.code}\n{st.station.name}",
        commune.code,
        _state(st, tz),
        playing or "–",
        f"{hb.volume}/{VOLUME_LEVELS}" if hb is not None and hb.volume is not None else "–",
        _on_off(hb.relay_on if hb else None, _("on"), _("off")),
        _on_off(hb.audio_ok if hb else None, _("working"), _("no audio output")),
        f"{hb.temperature_c:g} °C" if hb is not None and hb.temperature_c is not None else "–",
        (hb.agent_version if hb is not None else None) or "–",
    ]


@command.command("status")
@click.option("--under", "node", help="Only the clusters under this node (default: all).")
@pass_app
def status(app: App, node: str | None) -> None:
    """Every cluster with an agent: online or offline (since when), what plays, volume,
    amplifier, audio output, temperature, agent version; and per commune how many of its
    clusters are online."""
    window = timedelta(seconds=app.settings.section("api", ApiSettings).online_window_seconds)
    silence = timedelta(minutes=app.settings.section("web", WebSettings).silence_alert_minutes)
    communes = cluster_board(app.database, app.clock, node, online_window=window, silence=silence)
    if not communes:
        app.console.print(_("no loudspeaker cluster runs an agent here yet"), markup=False)
        return
    tz = ZoneInfo(app.settings.timezone)
    table = Table(
        *headers(
            _("cluster"),
            _("commune"),
            _("state"),
            _("playing now"),
            _("volume"),
            _("amplifier"),
            _("audio"),
            _("temperature"),
            _("agent version"),
        )
    )
    for commune in communes:
        for st in commune.clusters:
            table.add_row(*_row(st, commune, tz))
    app.console.print(table)
    for commune in communes:
        app.console.print(
            _(
                "{name}: {online}/{total} loudspeaker clusters online",
                name=commune.station.name,
                online=commune.clusters_online,
                total=len(commune.clusters),
            ),
            markup=False,
        )
