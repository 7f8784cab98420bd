"""The history of each station's heartbeats, as stretches of presence (revision 0014)."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta

from sqlmodel import col, select

from broadcaster.domain.distribution import Heartbeat
from broadcaster.domain.presence import Presence

from .mapping import from_row, required
from .repository import Repository
from .tables_presence import PresenceRow


class PresenceRepository(Repository):
    def note(self, hb: Heartbeat, window: timedelta) -> None:
        """Extend the station's latest stretch with this heartbeat, or open a new one after
        a gap longer than ``window`` or when the agent's version or fallback day changed."""
        row = self.session.exec(
            select(PresenceRow)
            .where(col(PresenceRow.station_code) == hb.station_code)
            .order_by(col(PresenceRow.last_at).desc())
            .limit(1)
        ).first()
        if (
            row is not None
            and hb.seen_at - required(row.last_at) <= window
            and row.agent_version == hb.agent_version
            and row.fallback_day == hb.fallback_day
        ):
            row.last_at = max(required(row.last_at), hb.seen_at)
            row.beats += 1
        else:
            row = PresenceRow(
                station_code=hb.station_code,
                started_at=hb.seen_at,
                last_at=hb.seen_at,
                agent_version=hb.agent_version,
                fallback_day=hb.fallback_day,
            )
        self._store(row)

    def since(self, station_code: str, since: datetime) -> builtins.list[Presence]:
        """The station's stretches that reach past ``since``, oldest first."""
        rows = self.session.exec(
            select(PresenceRow)
            .where(col(PresenceRow.station_code) == station_code)
            .where(col(PresenceRow.last_at) >= since)
            .order_by(col(PresenceRow.started_at))
        ).all()
        return [from_row(Presence, r) for r in rows]
