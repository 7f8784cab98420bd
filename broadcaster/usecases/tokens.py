"""API tokens: create (the secret is shown once), list, revoke."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from broadcaster.db import Database
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import TOKEN_PREFIX, ApiToken, Scope, hash_token
from broadcaster.domain.errors import InputError

#: characters of the secret kept in clear to recognise a token in listings
PREFIX_CHARS = len(TOKEN_PREFIX) + 6


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def create_token(
    db: Database, clock: Clock, *, scope: Scope, station_code: str, label: str = ""
) -> NewToken:
    """Make a token for a station (its own data) or an office (every station below it)."""
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
        station = tree.get(station_code)
        if scope is Scope.OFFICE and not station.is_office:
            offices = ", ".join(s.code for s in tree if s.is_office) or "none loaded"
            raise InputError(
                f"station {station_code} is not a planning office; office tokens are for "
                f"offices ({offices}); use --station for a station token"
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = uow.tokens.add(
            token_hash=hash_token(secret),
            prefix=secret[:PREFIX_CHARS],
            scope=scope,
            station_code=station_code,
            label=label,
            created_at=clock.now(),
        )
    return NewToken(token, secret)


def list_tokens(db: Database, *, include_revoked: bool = False) -> list[ApiToken]:
    with db.unit_of_work() as uow:
        return uow.tokens.list(include_revoked=include_revoked)


def revoke_token(db: Database, clock: Clock, ref: str) -> ApiToken:
    """Revoke by id or prefix; the token stops working on its next request."""
    with db.unit_of_work() as uow:
        token = uow.tokens.find(ref)
        return uow.tokens.revoke(token.id, clock.now())
