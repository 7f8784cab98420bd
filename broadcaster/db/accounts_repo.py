"""Repositories for the web console: accounts and the audit trail."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select

from ..domain.accounts import AuditEvent, Role, User
from ..domain.errors import NotFoundError
from ..domain.messages import _
from .mapping import aware, from_row, to_row
from .repository import Repository
from .tables_accounts import AuditRow, UserRow


def user_from_row(r: UserRow) -> User:
    assert r.id is not None
    return from_row(User, r, role=Role(r.role))


def audit_from_row(r: AuditRow) -> AuditEvent:
    assert r.id is not None
    return from_row(AuditEvent, r)


class UserRepository(Repository):
    def add(self, user: User, password_hash: str) -> User:
        row = to_row(UserRow, user, role=user.role.value, password_hash=password_hash)
        self._store(row)
        return user_from_row(row)

    def _row(self, username: str) -> UserRow:
        row = self.session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
        if row is None:
            raise NotFoundError(
                _("no account named {name!r}; see 'broadcaster users list'", name=username)
            )
        return row

    def get(self, username: str) -> User:
        return user_from_row(self._row(username))

    def by_id(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return user_from_row(row) if row is not None else None

    def find(self, username: str) -> tuple[User, str, int, datetime | None] | None:
        """The account, its password hash, failed logins and lock, for signing in."""
        row = self.session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
        if row is None:
            return None
        return user_from_row(row), row.password_hash, row.failed_logins, aware(row.locked_until)

    def exists(self, username: str) -> bool:
        return self.find(username) is not None

    def list(self) -> builtins.list[User]:
        rows = self.session.exec(select(UserRow).order_by(col(UserRow.username))).all()
        return [user_from_row(r) for r in rows]

    def count(self) -> int:
        return len(self.session.exec(select(UserRow.id)).all())

    def set_password(self, username: str, password_hash: str, at: datetime) -> User:
        row = self._row(username)
        row.password_hash = password_hash
        row.password_changed_at = at
        row.session_version += 1  # every other session of the account ends
        row.failed_logins, row.locked_until = 0, None
        self._store(row)
        return user_from_row(row)

    def disable(self, username: str, at: datetime) -> User:
        row = self._row(username)
        if row.disabled_at is None:
            row.disabled_at = at
            row.session_version += 1
            self._store(row)
        return user_from_row(row)

    def enable(self, username: str) -> User:
        row = self._row(username)
        row.disabled_at = None
        row.failed_logins, row.locked_until = 0, None
        self._store(row)
        return user_from_row(row)

    def login_failed(self, username: str, locked_until: datetime | None) -> int:
        row = self._row(username)
        row.failed_logins += 1
        if locked_until is not None:
            row.locked_until = locked_until
        self._store(row)
        return row.failed_logins

    def logged_in(self, username: str, at: datetime) -> None:
        row = self._row(username)
        row.failed_logins, row.locked_until, row.last_login_at = 0, None, at
        self._store(row)


class AuditRepository(Repository):
    def record(self, event: AuditEvent) -> AuditEvent:
        row = to_row(AuditRow, event)
        self._store(row)
        return audit_from_row(row)

    def recent(
        self, *, stations: Iterable[str] | None = None, limit: int = 200
    ) -> builtins.list[AuditEvent]:
        rows = self._newest(AuditRow, AuditRow.station_code, stations, limit)
        return [audit_from_row(r) for r in rows]
