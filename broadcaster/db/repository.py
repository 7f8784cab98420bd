"""What every repository shares: the unit of work's session, finding and storing a row in it,
and reading the newest rows or those a watcher has not seen yet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import text
from sqlmodel import Session, SQLModel, col, select

from ..domain.errors import NotFoundError
from ..domain.messages import Msg

#: the PostgreSQL channel every API worker's watcher listens on (bulletins, revoked tokens,
#: published plans): a notification makes each worker look at the database at once
WATCH_CHANNEL = "broadcaster_emergency"

R = TypeVar("R", bound=SQLModel)


def _id(table: type[SQLModel]) -> Any:
    """``table``'s integer primary key ``id``: every table here has one (SQLModel does not say)."""
    return col(table.id)  # type: ignore[attr-defined]


class Repository:
    """One kind of stored thing, read and written inside one unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _get(self, table: type[R], key: object, missing: Msg) -> R:
        """The row of ``table`` whose primary key is ``key``; ``missing`` says there is none."""
        row = self.session.get(table, key)
        if row is None:
            raise NotFoundError(missing)
        return row

    def _store(self, row: SQLModel) -> None:
        """Add or update ``row`` and flush, so a new row has its id from here on."""
        self.session.add(row)
        self.session.flush()

    def _wake_watchers(self, payload: str) -> None:
        """On PostgreSQL, wake every worker's watcher when this unit of work commits."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": WATCH_CHANNEL, "payload": payload},
            )

    def _after(self, table: type[R], last_id: int, limit: int) -> Sequence[R]:
        """The rows of ``table`` stored after ``last_id``, oldest first, at most ``limit``."""
        query = select(table).where(_id(table) > last_id).order_by(_id(table)).limit(limit)
        return self.session.exec(query).all()

    def _newest(
        self, table: type[R], column: Any, among: Iterable[str] | None, limit: int
    ) -> Sequence[R]:
        """The newest rows of ``table`` first, at most ``limit``: those whose ``column`` is
        ``among`` the values given, or all (None)."""
        query = select(table)
        if among is not None:
            query = query.where(col(column).in_(list(among)))
        return self.session.exec(query.order_by(_id(table).desc()).limit(limit)).all()
