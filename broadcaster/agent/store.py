"""The agent's local state (SQLite): entry outcomes, the log outbox, bulletins, small values.

Everything the agent must not forget across a crash is written here first, in one transaction
per outcome, before anything is sent to the office.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from broadcaster.domain.airings import Airing
from broadcaster.domain.playout import EntryState

SCHEMA = """
CREATE TABLE IF NOT EXISTS entry_state (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    status TEXT,
    planned_start TEXT,
    started_at TEXT,
    ended_at TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent_at, next_attempt_at);
CREATE TABLE IF NOT EXISTS bulletin (
    id INTEGER PRIMARY KEY,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    received_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT
);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def airing_payload(a: Airing) -> dict[str, Any]:
    """An airing as the API's upload format."""
    return {
        "event_id": a.event_id,
        "station_code": a.station_code,
        "status": a.status.value,
        "planned_start": _iso(a.planned_start),
        "actual_start": _iso(a.actual_start),
        "actual_end": _iso(a.actual_end),
        "item_id": a.item_id,
        "entry_id": a.entry_id,
        "segment_hash": a.segment_hash,
        "plan_version": a.plan_version,
        "source": a.source.value,
        "operator": a.operator,
        "note": a.note,
        "title": a.title,
        "timezone": a.timezone,
    }


#: outbox records still to send: not sent, not set aside, not dropped
_WAITING = "sent_at IS NULL AND rejected_at IS NULL AND dropped_at IS NULL"
#: outbox records the office refused, set aside and neither sent since nor dropped
_SET_ASIDE = "rejected_at IS NOT NULL AND sent_at IS NULL AND dropped_at IS NULL"


@dataclass(frozen=True)
class RejectedRecord:
    """A record the office refused for what it holds, kept aside with the reason."""

    event_id: str
    kind: str
    payload: dict[str, Any]
    rejected_at: datetime | None
    reason: str


@dataclass(frozen=True)
class OutboxRecord:
    event_id: str
    kind: str  # "airing" or "ack"
    payload: dict[str, Any]
    attempts: int


class LocalStore:
    """Thread-safe access to ``agent.db`` (one connection, one lock, WAL, full sync)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # an acknowledged outcome must survive a power cut, not only a crash
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Columns added since the first version of ``agent.db``."""
        have = {row[1] for row in self._conn.execute("PRAGMA table_info(outbox)")}
        for column in ("rejected_at TEXT", "dropped_at TEXT"):
            if column.split()[0] not in have:
                self._conn.execute(f"ALTER TABLE outbox ADD COLUMN {column}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # --- small values -----------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM kv WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def put(self, key: str, value: str) -> None:
        with self._tx() as c:
            c.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))

    # --- entries ----------------------------------------------------------------------------
    def entry_states(self) -> dict[str, EntryState]:
        return {k: EntryState(s) for k, s in self._query("SELECT key, state FROM entry_state")}

    def mark_playing(self, key: str, planned_start: datetime, started_at: datetime) -> None:
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO entry_state (key, state, planned_start, started_at) "
                "VALUES (?, ?, ?, ?)",
                (key, EntryState.PLAYING.value, _iso(planned_start), _iso(started_at)),
            )

    def started_at(self, key: str) -> datetime | None:
        rows = self._query("SELECT started_at FROM entry_state WHERE key = ?", (key,))
        return _dt(rows[0][0]) if rows else None

    def record_outcome(self, key: str, airing: Airing, now: datetime) -> bool:
        """Mark the entry done and queue its log, atomically. False if it was done already."""
        with self._tx() as c:
            row = c.execute("SELECT state FROM entry_state WHERE key = ?", (key,)).fetchone()
            if row is not None and row[0] == EntryState.DONE.value:
                return False
            c.execute(
                "INSERT OR REPLACE INTO entry_state "
                "(key, state, status, planned_start, started_at, ended_at) VALUES (?,?,?,?,?,?)",
                (
                    key,
                    EntryState.DONE.value,
                    airing.status.value,
                    _iso(airing.planned_start),
                    _iso(airing.actual_start),
                    _iso(airing.actual_end),
                ),
            )
            self._enqueue(c, airing.event_id, "airing", airing_payload(airing), now)
            return True

    # --- outbox -----------------------------------------------------------------------------
    @staticmethod
    def _enqueue(
        c: sqlite3.Connection, event_id: str, kind: str, payload: dict[str, Any], now: datetime
    ) -> None:
        c.execute(
            "INSERT OR IGNORE INTO outbox (event_id, kind, payload, created_at, next_attempt_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (event_id, kind, json.dumps(payload, ensure_ascii=False), _iso(now), _iso(now)),
        )

    def enqueue(self, event_id: str, kind: str, payload: dict[str, Any], now: datetime) -> None:
        with self._tx() as c:
            self._enqueue(c, event_id, kind, payload, now)

    def due(self, kind: str, now: datetime, limit: int = 100) -> list[OutboxRecord]:
        """Records to send now: not sent, not set aside, their retry time reached."""
        rows = self._query(
            "SELECT event_id, kind, payload, attempts FROM outbox "
            f"WHERE {_WAITING} AND kind = ? AND next_attempt_at <= ? "
            "ORDER BY created_at, event_id LIMIT ?",
            (kind, _iso(now), limit),
        )
        return [OutboxRecord(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]

    def mark_rejected(self, reasons: Sequence[tuple[str, str]], now: datetime) -> None:
        """The office refused these records for what they hold: set them aside (retrying
        cannot help) so they never hold back the others."""
        with self._tx() as c:
            c.executemany(
                "UPDATE outbox SET rejected_at = ?, last_error = ? WHERE event_id = ?",
                [(_iso(now), reason[:500], e) for e, reason in reasons],
            )

    def rejected(self) -> list[RejectedRecord]:
        rows = self._query(
            "SELECT event_id, kind, payload, rejected_at, last_error FROM outbox "
            f"WHERE {_SET_ASIDE} ORDER BY created_at, event_id"
        )
        return [RejectedRecord(r[0], r[1], json.loads(r[2]), _dt(r[3]), r[4] or "") for r in rows]

    def retry_rejected(self, event_ids: Sequence[str] | None, now: datetime) -> int:
        """Send records set aside again (after an upgrade); None: every one."""
        return self._reconsider(
            "rejected_at = NULL, attempts = 0, next_attempt_at = ?", (_iso(now),), event_ids
        )

    def drop_rejected(self, event_ids: Sequence[str] | None, now: datetime) -> int:
        """The operator gives up on records set aside; they stay in the file, marked."""
        return self._reconsider("dropped_at = ?", (_iso(now),), event_ids)

    def _reconsider(self, changes: str, args: tuple[Any, ...], ids: Sequence[str] | None) -> int:
        """Make ``changes`` (a SET clause) to the records set aside: ``ids``, or every one."""
        sql = f"UPDATE outbox SET {changes} WHERE {_SET_ASIDE}"
        with self._tx() as c:
            if ids is None:
                return int(c.execute(sql, args).rowcount)
            return sum(int(c.execute(sql + " AND event_id = ?", (*args, e)).rowcount) for e in ids)

    def mark_sent(self, event_ids: Sequence[str], now: datetime) -> None:
        with self._tx() as c:
            c.executemany(
                "UPDATE outbox SET sent_at = ?, last_error = NULL WHERE event_id = ?",
                [(_iso(now), e) for e in event_ids],
            )

    def mark_failed(self, event_ids: Sequence[str], next_attempt: datetime, error: str) -> None:
        with self._tx() as c:
            c.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
                "WHERE event_id = ?",
                [(_iso(next_attempt), error[:500], e) for e in event_ids],
            )

    def pending_count(self) -> int:
        return int(self._query(f"SELECT COUNT(*) FROM outbox WHERE {_WAITING}")[0][0])

    def rejected_count(self) -> int:
        return len(self.rejected())

    def outbox_summary(self) -> dict[str, int]:
        """Counts per kind: ``airing_sent``, ``airing_pending``, ``airing_rejected``,
        ``airing_dropped`` (and the same for ``ack``)."""
        rows = self._query(
            "SELECT kind, CASE WHEN sent_at IS NOT NULL THEN 'sent' "
            "WHEN dropped_at IS NOT NULL THEN 'dropped' "
            "WHEN rejected_at IS NOT NULL THEN 'rejected' ELSE 'pending' END, COUNT(*) "
            "FROM outbox GROUP BY 1, 2"
        )
        return {f"{kind}_{state}": int(count) for kind, state, count in rows}

    def last_error(self) -> str | None:
        rows = self._query(
            f"SELECT last_error FROM outbox WHERE {_WAITING} AND last_error IS NOT NULL "
            "ORDER BY next_attempt_at DESC LIMIT 1"
        )
        return rows[0][0] if rows else None

    # --- bulletins --------------------------------------------------------------------------
    def bulletin_state(self, emergency_id: int) -> str | None:
        rows = self._query("SELECT state FROM bulletin WHERE id = ?", (emergency_id,))
        return rows[0][0] if rows else None

    def update_bulletin(
        self, emergency_id: int, payload: dict[str, Any], now: datetime
    ) -> str | None:
        """Keep a bulletin change that arrived; returns the state it had before (None: new).

        Only a newer change (higher ``seq``) replaces what is kept; a cancel marks a
        bulletin not yet played ``cancelled`` (one that has played keeps its state).
        """
        cancelled = payload.get("state") == "cancelled"
        data = json.dumps(payload, ensure_ascii=False)
        with self._tx() as c:
            row = c.execute(
                "SELECT state, payload FROM bulletin WHERE id = ?", (emergency_id,)
            ).fetchone()
            if row is None:
                c.execute(
                    "INSERT INTO bulletin (id, payload, state, received_at) VALUES (?, ?, ?, ?)",
                    (emergency_id, data, "cancelled" if cancelled else "received", _iso(now)),
                )
                return None
            previous, stored = row[0], json.loads(row[1])
            if int(payload.get("seq") or 0) > int(stored.get("seq") or 0):
                c.execute("UPDATE bulletin SET payload = ? WHERE id = ?", (data, emergency_id))
            if cancelled and previous in ("received", "playing"):
                c.execute("UPDATE bulletin SET state = 'cancelled' WHERE id = ?", (emergency_id,))
            return str(previous)

    def bulletin(self, emergency_id: int) -> dict[str, Any] | None:
        rows = self._query("SELECT payload FROM bulletin WHERE id = ?", (emergency_id,))
        return json.loads(rows[0][0]) if rows else None

    def unplayed_bulletins(self) -> list[dict[str, Any]]:
        rows = self._query(
            "SELECT payload FROM bulletin WHERE state IN ('received', 'playing') ORDER BY id"
        )
        return [json.loads(r[0]) for r in rows]

    def mark_bulletin(
        self,
        emergency_id: int,
        state: str,
        *,
        started_at: datetime | None = None,
        ended_at: datetime | None = None,
    ) -> None:
        with self._tx() as c:
            c.execute(
                "UPDATE bulletin SET state = ?, started_at = COALESCE(?, started_at), "
                "ended_at = COALESCE(?, ended_at) WHERE id = ?",
                (state, _iso(started_at), _iso(ended_at), emergency_id),
            )

    def record_bulletin_part(self, airing: Airing, now: datetime) -> None:
        """A part of a bulletin (lead-in, body) is over: its log goes out."""
        with self._tx() as c:
            self._enqueue(c, airing.event_id, "airing", airing_payload(airing), now)

    def record_bulletin_done(
        self, emergency_id: int, state: str, started: datetime | None, ended: datetime | None
    ) -> None:
        with self._tx() as c:
            c.execute(
                "UPDATE bulletin SET state = ?, started_at = COALESCE(started_at, ?), "
                "ended_at = ? WHERE id = ?",
                (state, _iso(started), _iso(ended), emergency_id),
            )
