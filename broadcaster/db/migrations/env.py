"""Alembic environment: runs on the engine broadcaster hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from broadcaster.db import schema  # noqa: F401  (registers every table)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(str(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things: let Alembic rebuild tables in batches
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
