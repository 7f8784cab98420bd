"""Databases at the newest schema for tests, without running every migration for each test.

Fifteen migrations take a quarter of a second on SQLite, and several hundred tests each need a
migrated database. A new SQLite file is therefore a copy of one database migrated once per test
process. The migrations themselves are still run from an empty database, on SQLite and on
PostgreSQL, by tests/db/test_storage.py and tests/cli/test_db_cli.py.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from broadcaster.db import Database

_template: Path | None = None


def _migrated_template() -> Path:
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="broadcaster-schema-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "head.db"
        database = Database(f"sqlite:///{path}")
        database.upgrade()
        database.dispose()
        # the last connection's close checkpoints the WAL: the one file is the whole database
        assert not path.with_name("head.db-wal").exists()
        _template = path
    return _template


def new_sqlite_file(url: str) -> bool:
    """``url`` names an SQLite file that does not exist yet."""
    parsed = make_url(url)
    name = parsed.database
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(name)
        and name != ":memory:"
        and not Path(str(name)).exists()
    )


def migrated(url: str) -> str:
    """Put a database at the newest schema behind ``url`` (a new SQLite file: a copy of the
    template); returns ``url``."""
    if new_sqlite_file(url):
        path = Path(str(make_url(url).database))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_migrated_template(), path)
    else:
        database = Database(url)
        database.upgrade()
        database.dispose()
    return url


def migrated_database(url: str) -> Database:
    """A :class:`Database` at the newest schema behind ``url``."""
    return Database(migrated(url))
