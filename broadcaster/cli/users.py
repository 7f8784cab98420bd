"""``broadcaster users``: accounts of the web console (roles bound to the station tree)."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click
from rich.table import Table

from broadcaster.domain.accounts import Role, User
from broadcaster.domain.messages import Msg, _
from broadcaster.i18n import fmt_datetime
from broadcaster.usecases.accounts import (
    create_user,
    disable_user,
    enable_user,
    list_users,
    reset_password,
)

from . import App, pass_app


@click.group("users")
def command() -> None:
    """Accounts of the web console: who may do what, where in the station tree."""


def _password(from_stdin: bool, confirm: bool = True) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt(str(_("Password")), hide_input=True, confirmation_prompt=confirm))


@command.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    metavar="ROLE",
    help="admin, office (plans and publishes), approver (signs off content), operator (one "
    "station), reviewer (reads reports).",
)
@click.option("--station", "station", required=True, help="The node of the tree the role is for.")
@click.option("--display-name", default="", help="The person's name as shown on approvals.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_app
def create(
    app: App, name: str, role: str, station: str, display_name: str, password_stdin: bool
) -> None:
    """Make an account; the password is asked for (or read with --password-stdin)."""
    user = create_user(
        app.database,
        app.clock,
        username=name,
        password=_password(password_stdin),
        role=Role(role),
        station_code=station,
        display_name=display_name,
    )
    app.console.print(
        _(
            "account {name} made: {role} at {station}",
            name=user.username,
            role=user.role.label,
            station=user.station_code,
        ),
        markup=False,
    )


@command.command("list")
@pass_app
def list_(app: App) -> None:
    """Every account: role, node, made, last changed password, state."""
    from zoneinfo import ZoneInfo

    users = list_users(app.database)
    if not users:
        app.console.print(
            _("no accounts yet; make one with 'broadcaster users create'"), markup=False
        )
        return
    tz = ZoneInfo(app.settings.timezone)
    table = Table(
        *(str(h) for h in (_("account"), _("name"), _("role"), _("station"), _("made"), _("state")))
    )
    for u in users:
        table.add_row(
            u.username,
            u.display_name,
            str(u.role.label),
            u.station_code,
            fmt_datetime(u.created_at, tz),
            str(_("active") if u.active else _("disabled")),
        )
    app.console.print(table)


def _switch_command(
    name: str, change: Callable[..., User], done: Callable[[str], Msg], help: str
) -> click.Command:
    """``disable`` and ``enable``: ``change`` one account (by its name) and say ``done``."""

    @command.command(name, help=help)
    @click.argument("name")
    @pass_app
    def switch(app: App, name: str) -> None:
        user = change(app.database, app.clock, name)
        app.console.print(done(user.username), markup=False)

    return switch


disable = _switch_command(
    "disable",
    disable_user,
    lambda name: _("account {name} disabled", name=name),
    "Disable an account: its sessions end at once; its history stays.",
)
enable = _switch_command(
    "enable",
    enable_user,
    lambda name: _("account {name} enabled", name=name),
    "Enable a disabled (or locked) account again.",
)


@command.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option("--random", "random_", is_flag=True, help="Make a random password and print it once.")
@pass_app
def reset(app: App, name: str, password_stdin: bool, random_: bool) -> None:
    """Set a new password for an account (its sessions end); hand it over in person."""
    given = None if random_ else _password(password_stdin)
    user, password = reset_password(app.database, app.clock, name, given)
    app.console.print(_("password of {name} changed", name=user.username), markup=False)
    if random_:
        click.echo(password)
