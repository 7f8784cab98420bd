"""Repositories for distribution: tokens, emergency bulletins, heartbeats."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from ..domain.distribution import (
    ApiToken,
    BodyState,
    Emergency,
    EmergencyChange,
    EmergencyDelivery,
    Heartbeat,
    Principal,
    Scope,
)
from ..domain.errors import NotFoundError
from ..domain.messages import _, _n
from .mapping import aware, fill_row, from_row, to_row
from .repository import WATCH_CHANNEL, Repository
from .tables import StationRow
from .tables_distribution import (
    ApiTokenRow,
    AudioUploadRow,
    EmergencyChangeRow,
    EmergencyRow,
    EmergencyTargetRow,
    HeartbeatRow,
)

#: last_used_at is refreshed at most this often, so reads do not all turn into writes
TOUCH_EVERY = timedelta(minutes=1)


class TokenRepository(Repository):
    def add(
        self,
        *,
        token_hash: str,
        prefix: str,
        scope: Scope,
        station_code: str,
        label: str,
        created_at: datetime,
        expires_at: datetime | None = None,
    ) -> ApiToken:
        row = ApiTokenRow(
            token_hash=token_hash,
            prefix=prefix,
            scope=scope.value,
            station_code=station_code,
            label=label,
            created_at=created_at,
            expires_at=expires_at,
        )
        self._store(row)
        return token_from_row(row)

    def add_many(self, rows: Sequence[dict[str, object]]) -> builtins.list[ApiToken]:
        """Store many tokens in one statement (a province's stations at once), in order."""
        if not rows:
            return []
        self.session.execute(insert(ApiTokenRow), list(rows))
        hashes = [str(r["token_hash"]) for r in rows]
        found: dict[str, ApiToken] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            for row in self.session.exec(
                select(ApiTokenRow).where(col(ApiTokenRow.token_hash).in_(chunk))
            ).all():
                found[row.token_hash] = token_from_row(row)
        return [found[h] for h in hashes]

    def stations_with_usable_tokens(self, now: datetime) -> set[str]:
        """Stations that hold a station token that is neither revoked nor expired."""
        rows = self.session.exec(
            select(ApiTokenRow.station_code)
            .where(col(ApiTokenRow.scope) == Scope.STATION.value)
            .where(col(ApiTokenRow.revoked_at).is_(None))
            .where(or_(col(ApiTokenRow.expires_at).is_(None), col(ApiTokenRow.expires_at) > now))
        ).all()
        return set(rows)

    def list(self, *, include_revoked: bool = False) -> builtins.list[ApiToken]:
        query = select(ApiTokenRow).order_by(col(ApiTokenRow.id))
        if not include_revoked:
            query = query.where(col(ApiTokenRow.revoked_at).is_(None))
        return [token_from_row(r) for r in self.session.exec(query).all()]

    def find(self, ref: str) -> ApiToken:
        """A token by id or by the prefix shown in ``tokens list``."""
        rows: Sequence[ApiTokenRow]
        if ref.isdigit():
            rows = self.session.exec(
                select(ApiTokenRow).where(col(ApiTokenRow.id) == int(ref))
            ).all()
        else:
            clean = ref.rstrip("…").rstrip(".")
            rows = self.session.exec(
                select(ApiTokenRow).where(col(ApiTokenRow.prefix).startswith(clean))
            ).all()
        if len(rows) != 1:
            if not rows:
                raise NotFoundError(
                    _(
                        "no token matches {ref!r}; give the id or the prefix shown by "
                        "'broadcaster tokens list'",
                        ref=ref,
                    )
                )
            raise NotFoundError(
                _n(
                    "{n} token matches {ref!r}; give the id or the prefix shown by "
                    "'broadcaster tokens list'",
                    "{n} tokens match {ref!r}; give the id or the prefix shown by "
                    "'broadcaster tokens list'",
                    len(rows),
                    ref=ref,
                )
            )
        return token_from_row(rows[0])

    def revoke(self, token_id: int, at: datetime) -> ApiToken:
        missing = _("no token with id {id}; see 'broadcaster tokens list'", id=token_id)
        row = self._get(ApiTokenRow, token_id, missing)
        if row.revoked_at is None:
            row.revoked_at = at
            self._store(row)
            self._wake_watchers("tokens")  # every worker empties its token cache at once
        return token_from_row(row)

    def revocation_mark(self) -> tuple[int, datetime | None]:
        """How many tokens are revoked and the latest revocation: changes with every one."""
        count, latest = self.session.execute(
            sa_select(func.count(col(ApiTokenRow.revoked_at)), func.max(ApiTokenRow.revoked_at))
        ).one()
        return int(count), aware(latest)

    def touch_many(self, used: dict[int, datetime]) -> None:
        """Record tokens' last use (remembered by a worker and written in one go)."""
        for token_id, at in sorted(used.items()):
            self.session.execute(
                update(ApiTokenRow)
                .where(col(ApiTokenRow.id) == token_id)
                .where(
                    or_(col(ApiTokenRow.last_used_at).is_(None), col(ApiTokenRow.last_used_at) < at)
                )
                .values(last_used_at=at)
            )

    def authenticate(self, token_hash: str, now: datetime) -> Principal | ApiToken | None:
        """The caller behind a usable token; the stored token when it is revoked or expired
        (so the caller can say which); None when no token has this hash.

        Refreshes a usable token's last use now and then.
        """
        row = self.session.exec(
            select(ApiTokenRow).where(col(ApiTokenRow.token_hash) == token_hash)
        ).first()
        if row is None:
            return None
        token = token_from_row(row)
        if token.refusal(now) is not None:
            return token
        last = aware(row.last_used_at)
        if last is None or now - last >= TOUCH_EVERY:
            row.last_used_at = now
            self._store(row)
        return Principal(
            token.id, token.scope, token.station_code, token.label, expires_at=token.expires_at
        )

    def station_path(self, code: str) -> builtins.list[str] | None:
        """The station's code and its ancestors' codes, nearest first; None if unknown."""
        path: builtins.list[str] = []
        current: str | None = code
        while current is not None and current not in path:
            row = self.session.exec(
                select(StationRow.code, StationRow.parent_code).where(
                    col(StationRow.code) == current
                )
            ).first()
            if row is None:
                # an unknown station is not found; a dangling parent just ends the chain
                return path or None
            path.append(current)
            current = row[1]
        return path


def token_from_row(r: ApiTokenRow) -> ApiToken:
    assert r.id is not None
    return from_row(ApiToken, r, scope=Scope(r.scope))


#: PostgreSQL channel on which a stored bulletin change is announced (payload: its seq)
EMERGENCY_CHANNEL = WATCH_CHANNEL


class EmergencyRepository(Repository):
    def add(self, e: Emergency) -> Emergency:
        """Store a bulletin and its target stations; returns it with its id."""
        row = emergency_to_row(e)
        self._store(row)
        assert row.id is not None
        codes = list(dict.fromkeys(e.stations))
        if codes:
            # one multi-row INSERT: a national bulletin has thousands of targets
            self.session.execute(
                insert(EmergencyTargetRow),
                [{"emergency_id": row.id, "station_code": c} for c in codes],
            )
        self._change(row.id, "sent", e.created_at)
        return emergency_from_row(row, codes)

    def get(self, emergency_id: int) -> Emergency:
        row = self._row(emergency_id)
        return emergency_from_row(row, self._targets([emergency_id]).get(emergency_id, []))

    def get_many(self, ids: Iterable[int]) -> builtins.list[Emergency]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        rows = self.session.exec(
            select(EmergencyRow)
            .where(col(EmergencyRow.id).in_(wanted))
            .order_by(col(EmergencyRow.id))
        ).all()
        targets = self._targets(wanted)
        return [emergency_from_row(r, targets.get(r.id or 0, [])) for r in rows]

    def live(self, now: datetime) -> builtins.list[tuple[Emergency, int]]:
        """Bulletins not yet expired (cancelled ones too: a station that holds one must
        learn of the cancel), each with the seq of its latest change."""
        rows = self.session.exec(
            select(EmergencyRow)
            .where(col(EmergencyRow.expires_at) > now)
            .order_by(col(EmergencyRow.id))
        ).all()
        ids = [r.id for r in rows if r.id is not None]
        targets = self._targets(ids)
        seqs = self.latest_seqs(ids)
        return [
            (emergency_from_row(r, targets.get(r.id or 0, [])), seqs.get(r.id or 0, 0))
            for r in rows
        ]

    def set_body(self, emergency_id: int, audio_hash: str, duration_ms: int, at: datetime) -> None:
        """The body's audio is ready: stations that play the lead-in now play it next."""
        row = self._row(emergency_id)
        row.audio_hash, row.duration_ms = audio_hash, duration_ms
        row.body_state, row.body_error = BodyState.READY.value, None
        self.session.add(row)
        self._change(emergency_id, "body", at)

    def fail_body(self, emergency_id: int, error: str, at: datetime) -> None:
        row = self._row(emergency_id)
        row.body_state, row.body_error = BodyState.FAILED.value, error[:500]
        self.session.add(row)
        self._change(emergency_id, "body", at)

    def claim_body(self, emergency_id: int, now: datetime, stale_after: timedelta) -> bool:
        """Take on a pending body's synthesis; False if another process has it (and is
        younger than ``stale_after``) or it is done."""
        result = self.session.execute(
            update(EmergencyRow)
            .where(col(EmergencyRow.id) == emergency_id)
            .where(col(EmergencyRow.body_state) == BodyState.PENDING.value)
            .where(
                or_(
                    col(EmergencyRow.body_claimed_at).is_(None),
                    col(EmergencyRow.body_claimed_at) < now - stale_after,
                )
            )
            .values(body_claimed_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    def pending_bodies(self, now: datetime) -> builtins.list[int]:
        """Live bulletins whose text body still waits for synthesis."""
        return [
            int(i)
            for i in self.session.exec(
                select(EmergencyRow.id)
                .where(col(EmergencyRow.body_state) == BodyState.PENDING.value)
                .where(col(EmergencyRow.expires_at) > now)
                .where(col(EmergencyRow.cancelled_at).is_(None))
            ).all()
            if i is not None
        ]

    def cancel(self, emergency_id: int, *, at: datetime, by: str, reason: str | None) -> Emergency:
        """Withdraw a bulletin: stations stop it (or never start it). Cancelling twice keeps
        the first cancel."""
        row = self._row(emergency_id)
        if row.cancelled_at is None:
            row.cancelled_at, row.cancelled_by, row.cancel_reason = at, by, reason
            self.session.add(row)
            self._change(emergency_id, "cancelled", at)
        return self.get(emergency_id)

    def changes_after(self, seq: int, limit: int = 1000) -> builtins.list[EmergencyChange]:
        return [change_from_row(r) for r in self._after(EmergencyChangeRow, seq, limit)]

    def latest_seq(self) -> int:
        value = self.session.exec(select(func.max(EmergencyChangeRow.id))).first()
        return int(value or 0)

    def latest_seqs(self, ids: Iterable[int]) -> dict[int, int]:
        wanted = list(ids)
        if not wanted:
            return {}
        rows = self.session.exec(
            select(EmergencyChangeRow.emergency_id, func.max(EmergencyChangeRow.id))
            .where(col(EmergencyChangeRow.emergency_id).in_(wanted))
            .group_by(col(EmergencyChangeRow.emergency_id))
        ).all()
        return {int(e): int(s or 0) for e, s in rows}

    def recent(
        self, *, office_codes: Iterable[str] | None = None, limit: int = 20
    ) -> builtins.list[Emergency]:
        """The newest bulletins first, optionally only those sent by the given offices."""
        rows = self._newest(EmergencyRow, EmergencyRow.office_code, office_codes, limit)
        targets = self._targets([r.id for r in rows if r.id is not None])
        return [emergency_from_row(r, targets.get(r.id or 0, [])) for r in rows]

    def latest_id(self) -> int:
        row = self.session.exec(
            select(EmergencyRow.id).order_by(col(EmergencyRow.id).desc())
        ).first()
        return int(row or 0)

    def acknowledge(
        self, emergency_id: int, station_code: str, *, at: datetime, started_at: datetime | None
    ) -> EmergencyDelivery:
        row = self.session.exec(
            select(EmergencyTargetRow)
            .where(col(EmergencyTargetRow.emergency_id) == emergency_id)
            .where(col(EmergencyTargetRow.station_code) == station_code)
        ).first()
        if row is None:
            raise NotFoundError(
                _(
                    "emergency bulletin {id} was not sent to station {station}",
                    id=emergency_id,
                    station=station_code,
                )
            )
        # the first acknowledgement wins: a retried ack changes nothing
        if row.acked_at is None:
            row.acked_at = at
        if row.started_at is None and started_at is not None:
            row.started_at = started_at
        self._store(row)
        return delivery_from_row(row)

    def deliveries(self, emergency_id: int) -> builtins.list[EmergencyDelivery]:
        rows = self.session.exec(
            select(EmergencyTargetRow)
            .where(col(EmergencyTargetRow.emergency_id) == emergency_id)
            .order_by(col(EmergencyTargetRow.station_code))
        ).all()
        return [delivery_from_row(r) for r in rows]

    def delivery_counts(self, emergency_id: int) -> tuple[int, int, int]:
        """(targets, acknowledged, started) for one bulletin, counted in the database."""
        row = self.session.exec(
            select(
                func.count(),
                func.count(col(EmergencyTargetRow.acked_at)),
                func.count(col(EmergencyTargetRow.started_at)),
            ).where(col(EmergencyTargetRow.emergency_id) == emergency_id)
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    def is_lead_in(self, audio_hash: str) -> bool:
        """Whether this audio opens bulletins (the same for every station: not secret)."""
        found = self.session.exec(
            select(EmergencyRow.id).where(col(EmergencyRow.lead_in_hash) == audio_hash).limit(1)
        ).first()
        return found is not None

    def sent_to_with(self, station_codes: Sequence[str], audio_hash: str) -> bool:
        """Whether a bulletin sent to one of these stations plays this audio."""
        found = self.session.exec(
            select(EmergencyRow.id)
            .join(EmergencyTargetRow, col(EmergencyTargetRow.emergency_id) == col(EmergencyRow.id))
            .where(col(EmergencyTargetRow.station_code).in_(list(station_codes)))
            .where(
                or_(
                    col(EmergencyRow.audio_hash) == audio_hash,
                    col(EmergencyRow.lead_in_hash) == audio_hash,
                )
            )
            .limit(1)
        ).first()
        return found is not None

    def offices_sending(self, audio_hash: str) -> set[str]:
        """The offices that sent a bulletin playing this audio."""
        rows = self.session.exec(
            select(EmergencyRow.office_code).where(col(EmergencyRow.audio_hash) == audio_hash)
        ).all()
        return set(rows)

    def _row(self, emergency_id: int) -> EmergencyRow:
        missing = _("no emergency bulletin with id {id}", id=emergency_id)
        return self._get(EmergencyRow, emergency_id, missing)

    def _change(self, emergency_id: int, kind: str, at: datetime) -> None:
        change = EmergencyChangeRow(emergency_id=emergency_id, kind=kind, at=at)
        self._store(change)
        self._wake_watchers(str(change.id))  # delivered to every worker when this commits

    def _targets(self, ids: Iterable[int]) -> dict[int, builtins.list[str]]:
        wanted = list(ids)
        if not wanted:
            return {}
        out: dict[int, builtins.list[str]] = {}
        rows = self.session.exec(
            select(EmergencyTargetRow.emergency_id, EmergencyTargetRow.station_code)
            .where(col(EmergencyTargetRow.emergency_id).in_(wanted))
            .order_by(col(EmergencyTargetRow.id))
        ).all()
        for emergency_id, code in rows:
            out.setdefault(emergency_id, []).append(code)
        return out


def emergency_to_row(e: Emergency) -> EmergencyRow:
    """The bulletin's row; its target stations are rows of their own."""
    return to_row(EmergencyRow, e, body_state=e.body_state.value, replaces_id=e.replaces)


def emergency_from_row(r: EmergencyRow, stations: Sequence[str]) -> Emergency:
    assert r.id is not None
    return from_row(
        Emergency,
        r,
        stations=tuple(stations),
        body_state=BodyState(r.body_state),
        replaces=r.replaces_id,
    )


def delivery_from_row(r: EmergencyTargetRow) -> EmergencyDelivery:
    return from_row(EmergencyDelivery, r)


def change_from_row(r: EmergencyChangeRow) -> EmergencyChange:
    return from_row(EmergencyChange, r, seq=r.id or 0)


class UploadRepository(Repository):
    """Which office uploaded which recording."""

    def record(self, audio_hash: str, office_code: str, at: datetime, by: str = "") -> None:
        exists = self.session.exec(
            select(AudioUploadRow.id)
            .where(col(AudioUploadRow.audio_hash) == audio_hash)
            .where(col(AudioUploadRow.office_code) == office_code)
        ).first()
        if exists is None:
            self.session.add(
                AudioUploadRow(
                    audio_hash=audio_hash, office_code=office_code, uploaded_at=at, uploaded_by=by
                )
            )
            self.session.flush()

    def owners(self, audio_hash: str) -> set[str]:
        rows = self.session.exec(
            select(AudioUploadRow.office_code).where(col(AudioUploadRow.audio_hash) == audio_hash)
        ).all()
        return set(rows)


class HeartbeatRepository(Repository):
    def record(self, hb: Heartbeat) -> Heartbeat:
        row = self.session.exec(
            select(HeartbeatRow).where(col(HeartbeatRow.station_code) == hb.station_code)
        ).first()
        if row is None:
            row = to_row(HeartbeatRow, hb)
        else:
            fill_row(row, hb)
        self._store(row)
        return heartbeat_from_row(row)

    def get(self, station_code: str) -> Heartbeat | None:
        row = self.session.exec(
            select(HeartbeatRow).where(col(HeartbeatRow.station_code) == station_code)
        ).first()
        return heartbeat_from_row(row) if row else None

    def for_stations(self, codes: Iterable[str]) -> dict[str, Heartbeat]:
        rows = self.session.exec(
            select(HeartbeatRow).where(col(HeartbeatRow.station_code).in_(list(codes)))
        ).all()
        return {r.station_code: heartbeat_from_row(r) for r in rows}


def heartbeat_from_row(r: HeartbeatRow) -> Heartbeat:
    return from_row(Heartbeat, r)
