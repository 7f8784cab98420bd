"""Bearer tokens checked once a minute, not once a request.

A station pulls its playlist, sends its log and keeps an event stream open with the same
token all day; looking the token up in the database on every request was most of a pull's
cost. This process keeps the callers it has already authenticated, by the token's hash, for
``ttl`` seconds (and never past the token's expiry). A revocation anywhere ends that at once
in every worker: the emergency watcher, which already follows the database once a second
(or is woken by ``NOTIFY`` on PostgreSQL), also reads the tokens' revocation mark and empties
the cache when it changed. The last use of each token is remembered here and written in one
batch every ``flush_seconds``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.distribution import Principal

TOKEN_TTL = 60.0
FLUSH_SECONDS = 30.0
MAX_CACHED = 100_000


@dataclass
class TokenCache:
    ttl: float = TOKEN_TTL
    monotonic: Callable[[], float] = time.monotonic
    _hits: dict[str, tuple[float, Principal]] = field(default_factory=dict)
    _used: dict[int, datetime] = field(default_factory=dict)
    _mark: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: for /metrics and tests
    hits: int = 0
    misses: int = 0
    clears: int = 0

    def lookup(self, token_hash: str, now: datetime) -> Principal | None:
        """The caller behind a token seen lately and still usable, or None (ask the database)."""
        found = self._hits.get(token_hash)
        if found is None:
            self.misses += 1
            return None
        until, principal = found
        if until <= self.monotonic() or (
            principal.expires_at is not None and principal.expires_at <= now
        ):
            self._hits.pop(token_hash, None)
            self.misses += 1
            return None
        self.hits += 1
        self._used[principal.token_id] = now
        return principal

    def remember(self, token_hash: str, principal: Principal) -> None:
        if len(self._hits) >= MAX_CACHED:
            self._hits.clear()
        self._hits[token_hash] = (self.monotonic() + self.ttl, principal)

    def forget_all(self) -> None:
        self._hits.clear()
        self.clears += 1

    def take_used(self) -> dict[int, datetime]:
        """The tokens used since the last call, with their latest use."""
        with self._lock:
            used, self._used = self._used, {}
        return used

    def watch(self, uow: UnitOfWork) -> None:
        """Run by the emergency watcher inside its look at the database: a token revoked (or
        a revocation lifted) since the last look empties the cache."""
        mark = uow.tokens.revocation_mark()
        if self._mark is not None and mark != self._mark:
            self.forget_all()
        self._mark = mark

    def flush(self, db: Database) -> int:
        """Write the remembered last uses (one statement per token); how many."""
        used = self.take_used()
        if used:
            with db.unit_of_work() as uow:
                uow.tokens.touch_many(used)
        return len(used)
