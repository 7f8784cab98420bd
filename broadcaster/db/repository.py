"""What every repository shares: the unit of work's session, and storing a row in it."""

from __future__ import annotations

from sqlmodel import Session, SQLModel


class Repository:
    """One kind of stored thing, read and written inside one unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _store(self, row: SQLModel) -> None:
        """Add or update ``row`` and flush, so a new row has its id from here on."""
        self.session.add(row)
        self.session.flush()
