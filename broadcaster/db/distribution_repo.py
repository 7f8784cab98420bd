"""Repositories for distribution: tokens, emergency bulletins, heartbeats."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from ..domain.distribution import (
    ApiToken,
    Emergency,
    EmergencyDelivery,
    Heartbeat,
    Principal,
    Scope,
)
from ..domain.errors import NotFoundError
from .repositories import aware
from .tables import StationRow
from .tables_distribution import ApiTokenRow, EmergencyRow, EmergencyTargetRow, HeartbeatRow

#: last_used_at is refreshed at most this often, so reads do not all turn into writes
TOUCH_EVERY = timedelta(minutes=1)


def _req(value: datetime | None) -> datetime:
    out = aware(value)
    assert out is not None
    return out


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

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
        self.session.add(row)
        self.session.flush()
        return _token(row)

    def list(self, *, include_revoked: bool = False) -> builtins.list[ApiToken]:
        query = select(ApiTokenRow).order_by(col(ApiTokenRow.id))
        if not include_revoked:
            query = query.where(col(ApiTokenRow.revoked_at).is_(None))
        return [_token(r) for r in self.session.exec(query).all()]

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
            what = "no token" if not rows else f"{len(rows)} tokens"
            raise NotFoundError(
                f"{what} match {ref!r}; give the id or the prefix shown by 'broadcaster tokens list'"
            )
        return _token(rows[0])

    def revoke(self, token_id: int, at: datetime) -> ApiToken:
        row = self.session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFoundError(f"no token with id {token_id}; see 'broadcaster tokens list'")
        if row.revoked_at is None:
            row.revoked_at = at
            self.session.add(row)
            self.session.flush()
        return _token(row)

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
        token = _token(row)
        if token.refusal(now) is not None:
            return token
        last = aware(row.last_used_at)
        if last is None or now - last >= TOUCH_EVERY:
            row.last_used_at = now
            self.session.add(row)
            self.session.flush()
        assert row.id is not None
        return Principal(
            row.id, Scope(row.scope), row.station_code, row.label, expires_at=token.expires_at
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


def _token(r: ApiTokenRow) -> ApiToken:
    assert r.id is not None
    return ApiToken(
        id=r.id,
        scope=Scope(r.scope),
        station_code=r.station_code,
        label=r.label,
        prefix=r.prefix,
        created_at=_req(r.created_at),
        revoked_at=aware(r.revoked_at),
        last_used_at=aware(r.last_used_at),
        expires_at=aware(r.expires_at),
    )


class EmergencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, e: Emergency) -> Emergency:
        """Store a bulletin and its target stations; returns it with its id."""
        row = EmergencyRow(
            office_code=e.office_code,
            title=e.title,
            text=e.text,
            audio_hash=e.audio_hash,
            duration_ms=e.duration_ms,
            repeat=e.repeat,
            created_at=e.created_at,
            expires_at=e.expires_at,
            created_by=e.created_by,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        for code in dict.fromkeys(e.stations):
            self.session.add(EmergencyTargetRow(emergency_id=row.id, station_code=code))
        self.session.flush()
        return _emergency(row, list(dict.fromkeys(e.stations)))

    def get(self, emergency_id: int) -> Emergency:
        row = self.session.get(EmergencyRow, emergency_id)
        if row is None:
            raise NotFoundError(f"no emergency bulletin with id {emergency_id}")
        return _emergency(row, self._targets([emergency_id]).get(emergency_id, []))

    def for_station(
        self, station_code: str, *, since: int, now: datetime, limit: int = 50
    ) -> builtins.list[Emergency]:
        """Live bulletins for a station with an id above ``since`` (the station's cursor)."""
        rows = self.session.exec(
            select(EmergencyRow)
            .join(EmergencyTargetRow, col(EmergencyTargetRow.emergency_id) == col(EmergencyRow.id))
            .where(col(EmergencyTargetRow.station_code) == station_code)
            .where(col(EmergencyRow.id) > since)
            .where(col(EmergencyRow.expires_at) > now)
            .order_by(col(EmergencyRow.id))
            .limit(limit)
        ).all()
        targets = self._targets([r.id for r in rows if r.id is not None])
        return [_emergency(r, targets.get(r.id or 0, [])) for r in rows]

    def recent(
        self, *, office_codes: Iterable[str] | None = None, limit: int = 20
    ) -> builtins.list[Emergency]:
        """The newest bulletins first, optionally only those sent by the given offices."""
        query = select(EmergencyRow)
        if office_codes is not None:
            query = query.where(col(EmergencyRow.office_code).in_(list(office_codes)))
        rows = self.session.exec(query.order_by(col(EmergencyRow.id).desc()).limit(limit)).all()
        targets = self._targets([r.id for r in rows if r.id is not None])
        return [_emergency(r, targets.get(r.id or 0, [])) for r in rows]

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
                f"emergency bulletin {emergency_id} was not sent to station {station_code}"
            )
        # the first acknowledgement wins: a retried ack changes nothing
        if row.acked_at is None:
            row.acked_at = at
        if row.started_at is None and started_at is not None:
            row.started_at = started_at
        self.session.add(row)
        self.session.flush()
        return _delivery(row)

    def deliveries(self, emergency_id: int) -> builtins.list[EmergencyDelivery]:
        rows = self.session.exec(
            select(EmergencyTargetRow)
            .where(col(EmergencyTargetRow.emergency_id) == emergency_id)
            .order_by(col(EmergencyTargetRow.station_code))
        ).all()
        return [_delivery(r) for r in rows]

    def _targets(self, ids: Iterable[int]) -> dict[int, builtins.list[str]]:
        wanted = list(ids)
        if not wanted:
            return {}
        out: dict[int, builtins.list[str]] = {}
        rows = self.session.exec(
            select(EmergencyTargetRow)
            .where(col(EmergencyTargetRow.emergency_id).in_(wanted))
            .order_by(col(EmergencyTargetRow.id))
        ).all()
        for r in rows:
            out.setdefault(r.emergency_id, []).append(r.station_code)
        return out


def _emergency(r: EmergencyRow, stations: Sequence[str]) -> Emergency:
    assert r.id is not None
    return Emergency(
        id=r.id,
        office_code=r.office_code,
        title=r.title,
        audio_hash=r.audio_hash,
        created_at=_req(r.created_at),
        expires_at=_req(r.expires_at),
        stations=tuple(stations),
        repeat=r.repeat,
        text=r.text,
        duration_ms=r.duration_ms,
        created_by=r.created_by,
    )


def _delivery(r: EmergencyTargetRow) -> EmergencyDelivery:
    return EmergencyDelivery(
        emergency_id=r.emergency_id,
        station_code=r.station_code,
        acked_at=aware(r.acked_at),
        started_at=aware(r.started_at),
    )


class HeartbeatRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, hb: Heartbeat) -> Heartbeat:
        row = self.session.exec(
            select(HeartbeatRow).where(col(HeartbeatRow.station_code) == hb.station_code)
        ).first()
        if row is None:
            row = HeartbeatRow(station_code=hb.station_code, seen_at=hb.seen_at)
        row.seen_at = hb.seen_at
        row.agent_version = hb.agent_version
        row.next_entry_at = hb.next_entry_at
        row.next_entry_title = hb.next_entry_title
        row.free_disk_bytes = hb.free_disk_bytes
        row.pending_logs = hb.pending_logs
        row.playing = hb.playing
        self.session.add(row)
        self.session.flush()
        return _heartbeat(row)

    def get(self, station_code: str) -> Heartbeat | None:
        row = self.session.exec(
            select(HeartbeatRow).where(col(HeartbeatRow.station_code) == station_code)
        ).first()
        return _heartbeat(row) if row else None

    def for_stations(self, codes: Iterable[str]) -> dict[str, Heartbeat]:
        rows = self.session.exec(
            select(HeartbeatRow).where(col(HeartbeatRow.station_code).in_(list(codes)))
        ).all()
        return {r.station_code: _heartbeat(r) for r in rows}


def _heartbeat(r: HeartbeatRow) -> Heartbeat:
    return Heartbeat(
        station_code=r.station_code,
        seen_at=_req(r.seen_at),
        agent_version=r.agent_version,
        next_entry_at=aware(r.next_entry_at),
        next_entry_title=r.next_entry_title,
        free_disk_bytes=r.free_disk_bytes,
        pending_logs=r.pending_logs,
        playing=r.playing,
    )
