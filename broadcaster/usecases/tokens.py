"""API tokens: create (the secret is shown once), list, revoke."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from broadcaster.db import Database
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import TOKEN_PREFIX, ApiToken, Scope, hash_token
from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _

#: characters of the secret kept in clear to recognise a token in listings
PREFIX_CHARS = len(TOKEN_PREFIX) + 6


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


_DURATION = re.compile(r"^\s*(\d{1,5})\s*([hdwy])\s*$", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
#: the furthest a token's expiry may be set
MAX_LIFETIME = timedelta(days=10 * 366)


def parse_expiry(text: str, now: datetime, tz: tzinfo) -> datetime:
    """When a token stops working: ``90d``, ``12h``, ``6w``, ``1y`` from now, or a last day
    ``2027-06-30`` / ``30/06/2027`` (valid through that day in ``tz``)."""
    value = text.strip()
    m = _DURATION.match(value)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        span = timedelta(days=365 * n) if unit == "y" else _UNITS[unit] * n
        if n == 0:
            raise InputError(
                _("--expires {value!r} is no time at all; give e.g. 90d or a date", value=text)
            )
        if span > MAX_LIFETIME:
            raise InputError(
                _("--expires {value!r} is over 10 years; give at most 3650d", value=text)
            )
        return now + span
    dmy = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value)
    try:
        day = (
            date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
            if dmy
            else date.fromisoformat(value)
        )
    except ValueError:
        raise InputError(
            _(
                "--expires {value!r} is neither a duration nor a date; write 90d, 12h, 6w, 1y, "
                "2027-06-30 or 30/06/2027",
                value=text,
            )
        ) from None
    at = datetime.combine(day + timedelta(days=1), time(0), tz)
    if at <= now:
        raise InputError(_("--expires {value!r} is in the past; give a later date", value=text))
    if at - now > MAX_LIFETIME:
        raise InputError(
            _("--expires {value!r} is over 10 years away; give an earlier date", value=text)
        )
    return at


def create_token(
    db: Database,
    clock: Clock,
    *,
    scope: Scope,
    station_code: str,
    label: str = "",
    expires_at: datetime | None = None,
) -> NewToken:
    """Make a token for a station (its own data) or an office (every station below it),
    valid until revoked or, when given, until ``expires_at``."""
    if expires_at is not None and expires_at <= clock.now():
        raise InputError(_("the token would expire before it is made; give a later expiry"))
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        station = tree.get(station_code)
        if scope is Scope.OFFICE and not station.is_office:
            offices = ", ".join(s.code for s in tree if s.is_office)
            raise InputError(
                _(
                    "station {code} is not a planning office; office tokens are for offices "
                    "({offices}); use --station for a station token",
                    code=station_code,
                    offices=offices or _("none loaded"),
                )
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = uow.tokens.add(
            token_hash=hash_token(secret),
            prefix=secret[:PREFIX_CHARS],
            scope=scope,
            station_code=station_code,
            label=label,
            created_at=clock.now(),
            expires_at=expires_at,
        )
    return NewToken(token, secret)


def create_station_tokens(
    db: Database,
    clock: Clock,
    *,
    under: str,
    label: str = "",
    expires_at: datetime | None = None,
    missing_only: bool = False,
    before_commit: Callable[[list[NewToken]], None] | None = None,
) -> list[NewToken]:
    """One station token for every station that airs under ``under`` (itself included when it
    airs), in one transaction: all are made or none. ``missing_only`` skips stations that
    already have a usable station token. ``before_commit`` sees the tokens before they are
    stored (to write them out); if it fails, nothing is stored."""
    now = clock.now()
    if expires_at is not None and expires_at <= now:
        raise InputError(_("the tokens would expire before they are made; give a later expiry"))
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        tree.get(under)
        codes = [s.code for s in tree.broadcasting_under(under)]
        if not codes:
            raise InputError(
                _(
                    "no station airs under {code}; tokens are for stations that air "
                    "(communes, or nodes with airs = true)",
                    code=under,
                )
            )
        if missing_only:
            covered = uow.tokens.stations_with_usable_tokens(now)
            codes = [c for c in codes if c not in covered]
        secrets_by_code = {c: TOKEN_PREFIX + secrets.token_urlsafe(32) for c in codes}
        stored = uow.tokens.add_many(
            [
                {
                    "token_hash": hash_token(secret),
                    "prefix": secret[:PREFIX_CHARS],
                    "scope": Scope.STATION.value,
                    "station_code": code,
                    "label": label,
                    "created_at": now,
                    "expires_at": expires_at,
                }
                for code, secret in secrets_by_code.items()
            ]
        )
        made = [NewToken(t, secrets_by_code[t.station_code]) for t in stored]
        if before_commit is not None:
            before_commit(made)
    return made


def list_tokens(db: Database, *, include_revoked: bool = False) -> list[ApiToken]:
    with db.unit_of_work() as uow:
        return uow.tokens.list(include_revoked=include_revoked)


def revoke_token(db: Database, clock: Clock, ref: str) -> ApiToken:
    """Revoke by id or prefix; the token stops working on its next request."""
    with db.unit_of_work() as uow:
        token = uow.tokens.find(ref)
        return uow.tokens.revoke(token.id, clock.now())
