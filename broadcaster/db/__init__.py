"""Storage adapter: SQLModel tables, Alembic migrations, repositories returning domain objects."""

from .engine import Database, UnitOfWork

__all__ = ["Database", "UnitOfWork"]
