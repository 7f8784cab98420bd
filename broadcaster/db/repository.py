"""What every repository shares: the unit of work's session, and storing a row in it."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, SQLModel

#: the PostgreSQL channel every API worker's watcher listens on (bulletins, revoked tokens,
#: published plans): a notification makes each worker look at the database at once
WATCH_CHANNEL = "broadcaster_emergency"


class Repository:
    """One kind of stored thing, read and written inside one unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

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
