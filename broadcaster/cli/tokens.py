"""``broadcaster tokens``: access tokens for station agents and offices."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.domain.distribution import ApiToken, Scope, token_display
from broadcaster.usecases.tokens import create_token, list_tokens, parse_expiry, revoke_token

from . import App, pass_app

#: tokens this close to their expiry are flagged in the list (the agent warns from then on too)
EXPIRY_NOTICE = timedelta(days=14)


@click.group("tokens")
def command() -> None:
    """Access tokens for the HTTP API (one per station agent, or per office)."""


@command.command("create")
@click.option("--station", "station", help="Station code: the token reaches this station only.")
@click.option("--office", "office", help="Office code: the token reaches every station below it.")
@click.option("--label", default="", help="A note to recognise the token later (who has it).")
@click.option(
    "--expires",
    metavar="90d|12h|6w|1y|DATE",
    help="Stop working after this long, or after this day (2027-06-30); default: until revoked.",
)
@pass_app
def create(
    app: App, station: str | None, office: str | None, label: str, expires: str | None
) -> None:
    """Make a token and print it once. Store it on the station (agent setting or file).

    The token is stored hashed: if it is lost, revoke it and make a new one.
    """
    if bool(station) == bool(office):
        raise click.UsageError("give exactly one of --station CODE or --office CODE")
    scope = Scope.STATION if station else Scope.OFFICE
    code = station or office
    assert code is not None
    now = app.clock.now()
    expires_at = parse_expiry(expires, now, ZoneInfo(app.settings.timezone)) if expires else None
    made = create_token(
        app.database,
        app.clock,
        scope=scope,
        station_code=code,
        label=label,
        expires_at=expires_at,
    )
    until = f", valid until {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else ""
    app.console.print(
        f"token {made.token.id} for {scope.value} {code} made{until}; it is shown only this once:",
        style="bold",
    )
    if scope is Scope.STATION:
        app.console.print(
            "on the station, give it to the agent as BROADCASTER_AGENT_TOKEN or as "
            "'token' under [agent] in its broadcaster.toml",
            markup=False,
        )
    click.echo(made.secret)


@command.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@pass_app
def list_(app: App, include_revoked: bool) -> None:
    """Show tokens: id, prefix, scope, station, when made, last used, expiry, state."""
    tokens = list_tokens(app.database, include_revoked=include_revoked)
    now = app.clock.now()
    if not tokens:
        app.console.print("no tokens; make one with 'broadcaster tokens create --station CODE'")
        return
    table = Table(title="API tokens (times in UTC)", title_justify="left")
    for name in ("id", "prefix", "scope", "station", "label", "created", "last used", "expires"):
        table.add_column(name)
    table.add_column("state")

    def fmt(value: object) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else "–"

    for t in tokens:
        table.add_row(
            str(t.id),
            token_display(t.prefix),
            t.scope.value,
            t.station_code,
            t.label,
            fmt(t.created_at),
            fmt(t.last_used_at),
            fmt(t.expires_at),
            _state(t, now),
        )
    app.console.print(table)


def _state(token: ApiToken, now: datetime) -> str:
    if token.revoked_at is not None:
        return f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
    if token.expired(now):
        return "expired"
    if token.expires_at is not None and token.expires_at - now <= EXPIRY_NOTICE:
        days = (token.expires_at - now).days
        return f"expires in {days} day{'s' if days != 1 else ''}" if days else "expires today"
    return "active"


@command.command("revoke")
@click.argument("token")
@pass_app
def revoke(app: App, token: str) -> None:
    """Revoke a token by its id or prefix; it stops working at once."""
    t = revoke_token(app.database, app.clock, token)
    app.console.print(
        f"token {t.id} ({token_display(t.prefix)}, {t.scope.value} {t.station_code}) revoked"
    )
