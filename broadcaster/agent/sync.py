"""The agent's outbox: airing logs and bulletin acknowledgements sent to the office.

Each record is sent until the office has it. The office answers per record: accepted and
duplicate records are done; a record it rejects for what it holds (a value out of range, a
broken clock) is set aside with the reason — retrying cannot help — and never holds back the
others; ``broadcaster agent rejected`` shows them, retries them after an upgrade or drops them.
When the office cannot be reached, everything waits with backoff and jitter.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from broadcaster.domain.clock import Clock
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _, _n
from broadcaster.domain.playout import retry_delay

from .client import RecordsRefused, StationClient
from .logs import log
from .store import LocalStore, OutboxRecord

BATCH = 100


@dataclass(frozen=True)
class SyncReport:
    sent: int = 0
    rejected: int = 0
    failed: bool = False


@dataclass(kw_only=True, eq=False)
class OutboxSync:
    """Sends what the store holds; one ``run_once`` per wake-up (see the module docstring)."""

    make_client: Callable[[], StationClient]
    store: LocalStore
    clock: Clock
    max_backoff: timedelta
    jitter: Callable[[], float] = random.random
    #: the last try could not reach the office (said once, until it answers again)
    _failing: bool = field(default=False, init=False)

    def run_once(self) -> SyncReport:
        sent = rejected = acked = 0
        with self.make_client() as client:
            while batch := self.store.due("airing", self.clock.now(), BATCH):
                try:
                    done, refused = self._send_airings(client, batch)
                except BroadcasterError as exc:
                    self._backoff(batch, str(exc))
                    return SyncReport(sent, rejected, failed=True)
                self.store.mark_sent(done, self.clock.now())
                if refused:
                    self._set_aside(batch, refused)
                sent, rejected = sent + len(done), rejected + len(refused)
            for r in self.store.due("ack", self.clock.now(), BATCH):
                started = r.payload.get("started_at")
                try:
                    client.acknowledge(
                        int(r.payload["emergency_id"]),
                        datetime.fromisoformat(started) if started else None,
                    )
                except BroadcasterError as exc:
                    self._backoff([r], str(exc))
                    return SyncReport(sent, rejected, failed=True)
                self.store.mark_sent([r.event_id], self.clock.now())
                acked += 1
            for r in self.store.due("command_ack", self.clock.now(), BATCH):
                try:
                    client.ack_command(int(r.payload["id"]), r.payload["result"], r.payload["note"])
                except BroadcasterError as exc:
                    self._backoff([r], str(exc))
                    return SyncReport(sent, rejected, failed=True)
                self.store.mark_sent([r.event_id], self.clock.now())
                acked += 1
        if self._failing and (sent or rejected or acked):
            self._failing = False
            log.info(_("the office answers again; the logs that waited here are sent"))
        if sent:
            log.debug(_n("{n} airing log sent", "{n} airing logs sent", sent))
        return SyncReport(sent, rejected)

    def _send_airings(
        self, client: StationClient, batch: Sequence[OutboxRecord]
    ) -> tuple[list[str], list[tuple[str, str]]]:
        """(event ids the office has now, (event id, reason) of those it refused)."""
        try:
            answer = client.upload_airings([r.payload for r in batch])
        except RecordsRefused as exc:
            if len(batch) == 1:
                return [], [(batch[0].event_id, str(exc))]
            # an office that refuses a whole batch for one record: find it, send the rest
            done: list[str] = []
            refused: list[tuple[str, str]] = []
            for record in batch:
                d, r = self._send_airings(client, [record])
                done += d
                refused += r
            return done, refused
        return _outcome(batch, answer)

    def _set_aside(self, batch: Sequence[OutboxRecord], refused: list[tuple[str, str]]) -> None:
        self.store.mark_rejected(refused, self.clock.now())
        titles = {r.event_id: r.payload.get("title") or r.event_id for r in batch}
        for event_id, reason in refused:
            log.warning(
                _(
                    "the office refused the log of «{title}»: {reason}; it is kept aside "
                    "(see 'broadcaster agent rejected')",
                    title=titles.get(event_id, event_id),
                    reason=reason,
                )
            )

    def _backoff(self, records: Sequence[OutboxRecord], error: str) -> None:
        delay = retry_delay(records[0].attempts + 1, cap=self.max_backoff, jitter=self.jitter())
        self.store.mark_failed([r.event_id for r in records], self.clock.now() + delay, error)
        if not self._failing:
            self._failing = True
            log.warning(
                _(
                    "the logs cannot be sent to the office ({error}); they wait here and are "
                    "sent as soon as it answers",
                    error=error,
                )
            )
            return
        log.debug(
            _(
                "sending the logs failed again ({error}); next try in {seconds} s",
                error=error,
                seconds=round(delay.total_seconds()),
            )
        )


def _outcome(
    batch: Sequence[OutboxRecord], answer: dict[str, Any]
) -> tuple[list[str], list[tuple[str, str]]]:
    results = answer.get("results")
    if not isinstance(results, list) or len(results) != len(batch):
        # an office without per-record answers took the whole batch
        return [r.event_id for r in batch], []
    done: list[str] = []
    refused: list[tuple[str, str]] = []
    for record, result in zip(batch, results, strict=True):
        if result.get("result") == "rejected":
            fields = result.get("fields") or []
            reason = "; ".join(f"{f.get('field')}: {f.get('message')}" for f in fields)
            refused.append((record.event_id, reason or str(_("refused by the office"))))
        else:
            done.append(record.event_id)
    return done, refused
