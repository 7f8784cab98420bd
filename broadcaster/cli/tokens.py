"""``broadcaster tokens``: access tokens for station agents and offices."""

from __future__ import annotations

import csv
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.domain.distribution import ApiToken, Scope, token_display
from broadcaster.domain.messages import Msg, _, _n
from broadcaster.i18n import fmt_datetime
from broadcaster.usecases.tokens import (
    NewToken,
    create_station_tokens,
    create_token,
    list_tokens,
    parse_expiry,
    revoke_token,
)

from . import App, pass_app

#: tokens this close to their expiry are flagged in the list (the agent warns from then on too)
EXPIRY_NOTICE = timedelta(days=14)


@click.group("tokens")
def command() -> None:
    """Access tokens for the HTTP API (one per station agent, or per office)."""


@command.command("create")
@click.option("--station", "station", help="Station code: the token reaches this station only.")
@click.option("--office", "office", help="Office code: the token reaches every station below it.")
@click.option(
    "--each-station-under",
    "under",
    metavar="CODE",
    help="A station token for every station that airs under CODE, written to --csv.",
)
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="With --each-station-under: write 'station,token' rows here ('-' for stdout).",
)
@click.option(
    "--missing-only",
    is_flag=True,
    help="With --each-station-under: only stations without a usable station token yet.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing --csv file.")
@click.option("--label", default="", help="A note to recognise the token later (who has it).")
@click.option(
    "--expires",
    metavar="90d|12h|6w|1y|DATE",
    help="Stop working after this long, or after this day (2027-06-30); default: until revoked.",
)
@pass_app
def create(
    app: App,
    station: str | None,
    office: str | None,
    under: str | None,
    csv_file: Path | None,
    missing_only: bool,
    force: bool,
    label: str,
    expires: str | None,
) -> None:
    """Make a token and print it once. Store it on the station (agent setting or file).

    The token is stored hashed: if it is lost, revoke it and make a new one. With
    --each-station-under, every station of an office gets one at once, written to a CSV file
    to hand out (keep it safe: it holds the secrets).
    """
    if sum(bool(x) for x in (station, office, under)) != 1:
        raise click.UsageError(
            str(_("give exactly one of --station CODE, --office CODE or --each-station-under CODE"))
        )
    now = app.clock.now()
    tz = ZoneInfo(app.settings.timezone)
    expires_at = parse_expiry(expires, now, tz) if expires else None
    if under:
        _create_for_each(app, under, csv_file, missing_only, force, label, expires_at)
        return
    if csv_file or missing_only:
        raise click.UsageError(str(_("--csv and --missing-only go with --each-station-under CODE")))
    scope = Scope.STATION if station else Scope.OFFICE
    code = station or office
    assert code is not None
    made = create_token(
        app.database,
        app.clock,
        scope=scope,
        station_code=code,
        label=label,
        expires_at=expires_at,
    )
    values = {"id": made.token.id, "code": code}
    if expires_at is None:
        made_line = (
            _("token {id} for station {code} made; it is shown only this once:", **values)
            if scope is Scope.STATION
            else _("token {id} for office {code} made; it is shown only this once:", **values)
        )
    else:
        until = fmt_datetime(expires_at, tz)
        made_line = (
            _(
                "token {id} for station {code} made, valid until {until}; it is shown only "
                "this once:",
                until=until,
                **values,
            )
            if scope is Scope.STATION
            else _(
                "token {id} for office {code} made, valid until {until}; it is shown only "
                "this once:",
                until=until,
                **values,
            )
        )
    app.console.print(made_line, style="bold", markup=False)
    if scope is Scope.STATION:
        app.console.print(
            _(
                "on the station, give it to the agent as BROADCASTER_AGENT_TOKEN or as "
                "'token' under [agent] in its broadcaster.toml"
            ),
            markup=False,
        )
    click.echo(made.secret)


def _create_for_each(
    app: App,
    under: str,
    csv_file: Path | None,
    missing_only: bool,
    force: bool,
    label: str,
    expires_at: datetime | None,
) -> None:
    if csv_file is None:
        raise click.UsageError(
            str(_("--each-station-under needs --csv FILE: the tokens are shown only this once"))
        )
    to_stdout = str(csv_file) == "-"
    if not to_stdout and csv_file.exists() and not force:
        raise click.UsageError(
            str(_("{file} exists; give another file or --force to replace it", file=csv_file))
        )
    if not to_stdout and not csv_file.parent.is_dir():
        raise click.UsageError(
            str(_("{folder} is not a folder; create it first", folder=csv_file.parent))
        )
    tmp = csv_file.with_name(f".{csv_file.name}.part") if not to_stdout else None

    def write(made: list[NewToken]) -> None:
        if tmp is None:
            return
        # the file holds secrets: readable by its owner only
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            _write_csv(fh, made)

    try:
        made = create_station_tokens(
            app.database,
            app.clock,
            under=under,
            label=label,
            expires_at=expires_at,
            missing_only=missing_only,
            before_commit=write,
        )
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    if not made:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        app.console.print(
            _("every station that airs under {code} has a usable token; none was made", code=under),
            markup=False,
        )
        return
    if tmp is not None:
        os.replace(tmp, csv_file)
        app.console.print(
            _n(
                "{n} station token made for the stations under {code}; written to {file} "
                "(station,token). Keep the file safe: it holds the secrets.",
                "{n} station tokens made for the stations under {code}; written to {file} "
                "(station,token). Keep the file safe: it holds the secrets.",
                len(made),
                code=under,
                file=csv_file,
            ),
            markup=False,
            soft_wrap=True,
        )
    else:
        _write_csv(sys.stdout, made)
        click.echo(
            _n(
                "{n} station token made for the stations under {code}",
                "{n} station tokens made for the stations under {code}",
                len(made),
                code=under,
            ),
            err=True,
        )


def _write_csv(fh: TextIO, made: list[NewToken]) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(["station", "token"])
    for m in made:
        writer.writerow([m.token.station_code, m.secret])


@command.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@pass_app
def list_(app: App, include_revoked: bool) -> None:
    """Show tokens: id, prefix, scope, station, when made, last used, expiry, state."""
    tokens = list_tokens(app.database, include_revoked=include_revoked)
    now = app.clock.now()
    if not tokens:
        app.console.print(_("no tokens; make one with 'broadcaster tokens create --station CODE'"))
        return
    tz = ZoneInfo(app.settings.timezone)
    title = _("API tokens (times in {zone})", zone=app.settings.timezone)
    table = Table(title=str(title), title_justify="left")
    # codes, times and states stay whole, on one line: the label column gives way
    for name in (_("id"), _("prefix"), _("scope"), _("station")):
        table.add_column(str(name), no_wrap=True)
    table.add_column(str(_("label")))
    for name in (_("created"), _("last used"), _("expires"), _("state")):
        table.add_column(str(name), no_wrap=True)

    def fmt(value: datetime | None) -> str:
        return fmt_datetime(value, tz) if value is not None else "–"

    for t in tokens:
        table.add_row(
            str(t.id),
            token_display(t.prefix),
            str(scope_label(t.scope)),
            t.station_code,
            t.label,
            fmt(t.created_at),
            fmt(t.last_used_at),
            fmt(t.expires_at),
            str(_state(t, now, tz)),
        )
    app.console.print(table)


def scope_label(scope: Scope) -> Msg:
    return _("station") if scope is Scope.STATION else _("office")


def _state(token: ApiToken, now: datetime, tz: ZoneInfo) -> Msg:
    if token.revoked_at is not None:
        return _("revoked {at}", at=fmt_datetime(token.revoked_at, tz))
    if token.expired(now):
        return _("expired")
    if token.expires_at is not None and token.expires_at - now <= EXPIRY_NOTICE:
        days = (token.expires_at - now).days
        if days:
            return _n("expires in {n} day", "expires in {n} days", days)
        return _("expires today")
    return _("active")


@command.command("revoke")
@click.argument("token")
@pass_app
def revoke(app: App, token: str) -> None:
    """Revoke a token by its id or prefix; it stops working at once."""
    t = revoke_token(app.database, app.clock, token)
    values = {"id": t.id, "prefix": token_display(t.prefix), "code": t.station_code}
    app.console.print(
        _("token {id} ({prefix}, station {code}) revoked", **values)
        if t.scope is Scope.STATION
        else _("token {id} ({prefix}, office {code}) revoked", **values),
        markup=False,
    )
