"""Emergency fan-out: one watcher per worker process, subscribers woken in memory.

An open event stream or long-poll costs nothing while it waits: it sits on an asyncio queue.
One watcher per process follows the bulletins' change log (``emergency_change``): on
PostgreSQL a ``LISTEN`` connection wakes it the moment another process commits a change, with a
slow poll as a safety net; on SQLite it asks once a second (one cheap query per process, not
per station). Each changed bulletin is read once, its station-facing event rendered once, and
handed to the queues of the stations it targets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from pydantic import BaseModel

from broadcaster.db import Database, UnitOfWork
from broadcaster.db.devices_repo import DeviceCommandRepository
from broadcaster.db.distribution_repo import EMERGENCY_CHANNEL
from broadcaster.domain.clock import Clock
from broadcaster.domain.devices import DeviceCommand
from broadcaster.domain.distribution import Emergency
from broadcaster.domain.messages import _

from .language import in_server_language
from .out import out_of

log = logging.getLogger("broadcaster.api.emergencies")

#: a change id missing below the highest seen (a transaction not yet committed on PostgreSQL)
#: is looked for again until this many seconds have passed, then given up (a rollback)
GAP_PATIENCE = 30.0
#: on PostgreSQL, NOTIFY wakes the watcher; it also looks this often in case one was lost
NOTIFY_SAFETY_SECONDS = 10.0


class BulletinPart(BaseModel):
    role: str  # "lead_in" or "body"
    audio_hash: str | None
    duration_ms: int | None


class StationBulletin(BaseModel):
    """What a station receives: the bulletin's parts and state, not the list of every
    station it went to (an office follows deliveries through ``GET /emergencies/{id}``)."""

    id: int
    #: the cursor of this bulletin's latest change: pass the highest seen back as ``since``
    seq: int
    state: str  # "live" or "cancelled"
    office_code: str
    title: str
    text: str | None
    #: the body's audio (None while it is synthesised); ``parts`` lists lead-in and body
    audio_hash: str | None
    audio_url: str | None
    duration_ms: int | None
    body_state: str
    parts: list[BulletinPart]
    repeat: int
    created_at: str
    expires_at: str
    cancelled_at: str | None
    cancel_reason: str | None
    replaces: int | None


def station_bulletin(e: Emergency, seq: int) -> StationBulletin:
    parts = []
    if e.lead_in_hash:
        parts.append(
            BulletinPart(role="lead_in", audio_hash=e.lead_in_hash, duration_ms=e.lead_in_ms)
        )
    parts.append(BulletinPart(role="body", audio_hash=e.audio_hash, duration_ms=e.duration_ms))
    return out_of(
        StationBulletin,
        e,
        seq=seq,
        state="cancelled" if e.cancelled else "live",
        audio_url=audio_url(e),
        body_state=e.body_state.value,
        parts=parts,
        created_at=e.created_at.isoformat(),
        expires_at=e.expires_at.isoformat(),
        cancelled_at=e.cancelled_at.isoformat() if e.cancelled_at else None,
    )


def audio_url(e: Emergency) -> str | None:
    """Where a station fetches the bulletin's body (None while it is synthesised)."""
    return f"/api/v1/audio/{e.audio_hash}" if e.audio_hash else None


@dataclass(frozen=True)
class LiveBulletin:
    """A bulletin as this process holds it: rendered once, shared by every subscriber."""

    emergency: Emergency
    seq: int
    targets: frozenset[str]
    view: dict[str, Any]
    #: the whole server-sent event, ready to write
    frame: bytes

    @property
    def id(self) -> int:
        return self.emergency.id


def live_bulletin(e: Emergency, seq: int) -> LiveBulletin:
    model = station_bulletin(e, seq)
    data = model.model_dump_json()
    frame = f"id: {seq}\nevent: emergency\ndata: {data}\n\n".encode()
    return LiveBulletin(e, seq, frozenset(e.stations), model.model_dump(), frame)


@dataclass(frozen=True)
class LiveCommand:
    """A command to one device, pending until its agent acknowledges it: sent on the same
    stream as bulletins (``event: command``, no ``id:`` so the bulletin cursor stays), to the
    station's every (re)connection until then."""

    command: DeviceCommand
    view: dict[str, Any]
    frame: bytes
    #: commands are not in the bulletins' change log: no cursor of their own
    seq: int = 0

    @property
    def id(self) -> int:
        return -self.command.id  # never a bulletin's id: streams keep them apart

    @property
    def targets(self) -> frozenset[str]:
        return frozenset({self.command.station_code})


def command_view(c: DeviceCommand) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind.value,
        "value": c.value,
        "item_id": c.item_id,
        "audio_hash": c.audio_hash,
        "duration_ms": c.duration_ms,
        "title": c.title,
        "created_at": c.created_at.isoformat(),
        "created_by": c.created_by,
        "expires_at": c.expires_at.isoformat(),
    }


def live_command(c: DeviceCommand) -> LiveCommand:
    view = command_view(c)
    frame = f"event: command\ndata: {json.dumps(view, ensure_ascii=False)}\n\n".encode()
    return LiveCommand(c, view, frame)


class Subscriber:
    """One open stream or long-poll of one station."""

    __slots__ = ("code", "queue")

    def __init__(self, code: str) -> None:
        self.code = code
        self.queue: asyncio.Queue[LiveBulletin | LiveCommand] = asyncio.Queue()


@dataclass
class HubCounters:
    changes_applied: int = 0
    refreshes: int = 0
    wakeups: int = 0
    errors: int = 0


@dataclass
class EmergencyHub:
    db: Database
    clock: Clock
    watch_seconds: float = 1.0
    #: libpq connection string for LISTEN (PostgreSQL), None on SQLite
    listen_dsn: str | None = None
    counters: HubCounters = field(default_factory=HubCounters)
    #: other things that follow the database with the watcher, inside its look (the token
    #: cache's revocation check): one query more per look, no thread or connection of their own
    watchers: list[Callable[[UnitOfWork], None]] = field(default_factory=list)
    _live: dict[int, LiveBulletin] = field(default_factory=dict)
    _commands: dict[int, LiveCommand] = field(default_factory=dict)
    _command_max: int = 0
    _subs: dict[str, set[Subscriber]] = field(default_factory=dict)
    _seen_max: int = 0
    _gaps: dict[int, float] = field(default_factory=dict)
    _ready: bool = False
    _wake: asyncio.Event | None = None
    _lock: asyncio.Lock | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    # --- life cycle -------------------------------------------------------------------------
    async def start(self) -> None:
        self._wake = asyncio.Event()
        with contextlib.suppress(Exception):
            await self.refresh()  # a database down at start-up is retried by the watcher
        self._tasks.append(asyncio.create_task(self._watch(), name="emergency-watch"))
        if self.listen_dsn:
            self._tasks.append(asyncio.create_task(self._listen(), name="emergency-listen"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    def poke(self) -> None:
        """A change was stored: look now rather than at the next tick."""
        if self._wake is not None:
            self._wake.set()

    async def caught_up(self) -> None:
        """This process stored a change: apply it before answering, so the sender reads
        what it wrote (its own streams are woken now, not at the next tick)."""
        try:
            await self.refresh()
        except Exception:  # the watcher will try again
            self.counters.errors += 1
            self.poke()

    # --- subscribers ------------------------------------------------------------------------
    def subscribe(self, code: str) -> Subscriber:
        sub = Subscriber(code)
        self._subs.setdefault(code, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        subs = self._subs.get(sub.code)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.code]

    @property
    def subscribers(self) -> int:
        return sum(len(s) for s in self._subs.values())

    @property
    def live_count(self) -> int:
        return len(self._live)

    @property
    def seq(self) -> int:
        return self._seen_max

    def backlog(self, code: str, since: int) -> list[LiveBulletin | LiveCommand]:
        """The commands pending for ``code``, then its bulletins changed after cursor
        ``since``, oldest change first."""
        now = self.clock.now()
        found: list[LiveBulletin | LiveCommand] = [
            c
            for c in self._commands.values()
            if c.command.station_code == code and c.command.expires_at > now
        ]
        found += sorted(
            (
                b
                for b in self._live.values()
                if b.seq > since and code in b.targets and b.emergency.expires_at > now
            ),
            key=lambda b: b.seq,
        )
        return found

    def command_done(self, command_id: int) -> None:
        """The agent acknowledged a command (in this process): it is no longer pending."""
        self._commands.pop(command_id, None)

    # --- following the change log -----------------------------------------------------------
    async def _watch(self) -> None:
        assert self._wake is not None
        interval = NOTIFY_SAFETY_SECONDS if self.listen_dsn else self.watch_seconds
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self.refresh()
            except Exception:  # the database may be away for a moment: try again next tick
                self.counters.errors += 1
                log.exception(
                    in_server_language(
                        _("the emergency watch could not read the database; it tries again")
                    )
                )

    async def _listen(self) -> None:
        import psycopg

        assert self._wake is not None and self.listen_dsn is not None
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.listen_dsn, autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {EMERGENCY_CHANNEL}")
                    self._wake.set()  # catch up on what happened while not listening
                    async for _note in conn.notifies():
                        self.counters.wakeups += 1
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.counters.errors += 1
                log.warning(
                    in_server_language(
                        _(
                            "the emergency LISTEN connection was lost ({error}); reconnecting",
                            error=exc,
                        )
                    )
                )
                await asyncio.sleep(1.0)

    async def refresh(self) -> None:
        """Apply every change stored since the last look (one look at a time)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            await self._refresh()

    async def _refresh(self) -> None:
        self.counters.refreshes += 1
        if not self._ready:
            seq, live = await to_thread.run_sync(self._load_live)
            for e, s in live:
                self._live[e.id] = live_bulletin(e, s)
            self._seen_max = max(self._seen_max, seq)
            for c in await to_thread.run_sync(self._load_commands):
                self._commands[c.id] = live_command(c)
                self._command_max = max(self._command_max, c.id)
            self._ready = True
        low = min(self._gaps) - 1 if self._gaps else self._seen_max
        changes, bulletins, commands = await to_thread.run_sync(self._load_changes, low)
        fresh = [c for c in changes if c[0] > self._seen_max or c[0] in self._gaps]
        self._track_gaps(c[0] for c in changes)
        latest: dict[int, int] = {}
        for seq, emergency_id in fresh:
            latest[emergency_id] = max(seq, latest.get(emergency_id, 0))
        for e in bulletins:
            if e.id in latest:
                self._apply(live_bulletin(e, latest[e.id]))
        for c in commands:
            self._command_max = max(self._command_max, c.id)
            if c.acked_at is None:
                self._commands[c.id] = command = live_command(c)
                for sub in self._subs.get(c.station_code, ()):
                    sub.queue.put_nowait(command)
        self._expire()

    def _load_live(self) -> tuple[int, list[tuple[Emergency, int]]]:
        with self.db.unit_of_work() as uow:
            seq = uow.emergencies.latest_seq()
            return seq, uow.emergencies.live(self.clock.now())

    def _load_commands(self) -> list[DeviceCommand]:
        with self.db.unit_of_work() as uow:
            return DeviceCommandRepository(uow.session).pending(self.clock.now())

    def _load_changes(
        self, after: int
    ) -> tuple[list[tuple[int, int]], list[Emergency], list[DeviceCommand]]:
        with self.db.unit_of_work() as uow:
            self._run_watchers(uow)
            changes = uow.emergencies.changes_after(after)
            fresh = {
                c.emergency_id for c in changes if c.seq > self._seen_max or c.seq in self._gaps
            }
            commands = DeviceCommandRepository(uow.session).after(self._command_max)
            return (
                [(c.seq, c.emergency_id) for c in changes],
                uow.emergencies.get_many(fresh),
                commands,
            )

    def _run_watchers(self, uow: UnitOfWork) -> None:
        for watcher in self.watchers:
            try:
                watcher(uow)
            except Exception:  # one watcher's trouble must not hold up the bulletins
                self.counters.errors += 1
                log.exception(
                    in_server_language(
                        _("a check made with the emergency watch failed; it is tried again")
                    )
                )

    def _track_gaps(self, seqs: Iterable[int]) -> None:
        now = time.monotonic()
        got = set(seqs)
        for s in got:
            self._gaps.pop(s, None)
        top = max(got, default=self._seen_max)
        for missing in range(self._seen_max + 1, top):
            if missing not in got:
                self._gaps.setdefault(missing, now)
        self._seen_max = max(self._seen_max, top)
        for s, since in list(self._gaps.items()):
            if now - since > GAP_PATIENCE:
                del self._gaps[s]

    def _apply(self, bulletin: LiveBulletin) -> None:
        current = self._live.get(bulletin.id)
        if current is not None and current.seq >= bulletin.seq:
            return
        self._live[bulletin.id] = bulletin
        self.counters.changes_applied += 1
        # walk the smaller side: a national bulletin has thousands of targets, a worker may
        # hold a few subscribers, or the other way round
        if len(bulletin.targets) <= len(self._subs):
            codes: Iterable[str] = bulletin.targets
        else:
            codes = [c for c in self._subs if c in bulletin.targets]
        for code in codes:
            for sub in self._subs.get(code, ()):
                sub.queue.put_nowait(bulletin)

    def _expire(self) -> None:
        now = self.clock.now()
        for emergency_id in [i for i, b in self._live.items() if b.emergency.expires_at <= now]:
            del self._live[emergency_id]
        for command_id in [i for i, c in self._commands.items() if c.command.expires_at <= now]:
            del self._commands[command_id]


def listen_dsn(db: Database) -> str | None:
    """The libpq connection string of a PostgreSQL database (for LISTEN), else None."""
    if db.is_sqlite:
        return None
    url = db.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)
