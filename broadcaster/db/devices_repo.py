"""Commands to devices (revision 0015): stored, followed by the API's watcher, acknowledged."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select

from broadcaster.domain.devices import CommandKind, DeviceCommand

from .mapping import from_row, to_row
from .repository import Repository
from .tables_devices import DeviceCommandRow


def command_from_row(r: DeviceCommandRow) -> DeviceCommand:
    return from_row(DeviceCommand, r, id=r.id or 0, kind=CommandKind(r.kind))


class DeviceCommandRepository(Repository):
    def add(self, c: DeviceCommand) -> DeviceCommand:
        row = to_row(DeviceCommandRow, c, kind=c.kind.value)
        self._store(row)
        # the emergency watchers follow commands too: wake them on PostgreSQL
        self._wake_watchers(f"command:{row.id}")
        return command_from_row(row)

    def get(self, command_id: int) -> DeviceCommand | None:
        row = self.session.get(DeviceCommandRow, command_id)
        return command_from_row(row) if row else None

    def after(self, command_id: int, limit: int = 1000) -> builtins.list[DeviceCommand]:
        """Commands stored after ``command_id``, oldest first (the watcher's look)."""
        return [command_from_row(r) for r in self._after(DeviceCommandRow, command_id, limit)]

    def pending(self, now: datetime) -> builtins.list[DeviceCommand]:
        """Commands not acknowledged and not expired (loaded when a watcher starts)."""
        rows = self.session.exec(
            select(DeviceCommandRow)
            .where(col(DeviceCommandRow.acked_at).is_(None))
            .where(col(DeviceCommandRow.expires_at) > now)
            .order_by(col(DeviceCommandRow.id))
        ).all()
        return [command_from_row(r) for r in rows]

    def recent(self, codes: Iterable[str], limit: int = 20) -> builtins.list[DeviceCommand]:
        rows = self._newest(DeviceCommandRow, DeviceCommandRow.station_code, codes, limit)
        return [command_from_row(r) for r in rows]

    def acknowledge(
        self, command_id: int, code: str, at: datetime, result: str, note: str | None
    ) -> DeviceCommand | None:
        """The agent's answer (the first one stands); None when no such command for ``code``."""
        row = self.session.get(DeviceCommandRow, command_id)
        if row is None or row.station_code != code:
            return None
        if row.acked_at is None:
            row.acked_at, row.result, row.note = at, result, note
            self._store(row)
        return command_from_row(row)
