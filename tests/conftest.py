"""Shared fixtures: databases (SQLite always, PostgreSQL when configured), seeds, the CLI."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
POSTGRES_ENV = "BROADCASTER_TEST_POSTGRES_URL"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The real guidance documents; tests that need them skip (visibly) where they are absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (they ship beside the repo in CI)")
    return SEEDS


def _postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("BROADCASTER_REQUIRE_POSTGRES"):
            pytest.fail(f"{POSTGRES_ENV} is not set but BROADCASTER_REQUIRE_POSTGRES is")
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://u:p@127.0.0.1/db)"
        )
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = _postgres_admin_url()
    assert admin is not None
    name = f"bt_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def db(database_url: str) -> Iterator[object]:
    """A database at the newest schema (on SQLite a copy of one migrated once per process)."""
    from tests.databases import migrated_database

    database = migrated_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


class Cli:
    """Runs ``broadcaster`` in-process against one database, as a user would type it."""

    def __init__(self, database_url: str, tmp_path: Path) -> None:
        #: the time the commands see (None: the real clock); set it with :meth:`at`
        self.clock: object | None = None
        self.env = {
            "BROADCASTER_DATABASE_URL": database_url,
            "BROADCASTER_DATA_DIR": str(tmp_path / "data"),
            "BROADCASTER_AUDIO_DIR": str(tmp_path / "audio"),
            "BROADCASTER_CONFIG": "",
        }

    def __call__(
        self, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> Result:
        from broadcaster.cli import Overrides, main

        runner = CliRunner(mix_stderr=False)
        return runner.invoke(
            main,
            list(args),
            input=input,
            env={**self.env, **(env or {})},
            catch_exceptions=False,
            obj=Overrides(clock=self.clock),  # type: ignore[arg-type]
        )

    def at(self, when: object) -> Cli:
        """Run the next commands at ``when`` (an aware datetime), as a fixed clock."""
        from broadcaster.domain.clock import FixedClock

        self.clock = FixedClock(when)  # type: ignore[arg-type]
        return self


@pytest.fixture
def cli(sqlite_url: str, tmp_path: Path) -> Cli:
    """The CLI on a database at the newest schema; ``Cli(sqlite_url, tmp_path)`` for an empty one."""
    from tests.databases import migrated

    return Cli(migrated(sqlite_url), tmp_path)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright's sync API, one per test process: a second
    sync_playwright() in the same process refuses to start while this one runs."""
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


SLOW_ENV = "BROADCASTER_TEST_SLOW"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests (real-time agents, the demo, schema fuzzing, a thousand streams) run in CI;
    a developer's 'make test' skips them, saying how to run them."""
    if os.environ.get(SLOW_ENV) or config.getoption("-m"):
        return
    skip = pytest.mark.skip(reason=f"slow: set {SLOW_ENV}=1 to run it (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
