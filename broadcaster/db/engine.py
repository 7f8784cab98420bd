"""The database: engine set-up for SQLite and PostgreSQL, migrations, units of work."""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DisconnectionError,
    OperationalError,
    SQLAlchemyError,
)
from sqlmodel import Session, create_engine

from ..domain.errors import BroadcasterError, StorageError
from ..domain.messages import Msg, _
from .conditions import explain, read_only_reason, read_only_url, sqlite_path

if TYPE_CHECKING:
    from .accounts_repo import AuditRepository, UserRepository
    from .airings_repo import AiringRepository
    from .distribution_repo import (
        EmergencyRepository,
        HeartbeatRepository,
        TokenRepository,
        UploadRepository,
    )
    from .plan_edits_repo import PlanEditRepository
    from .plans_repo import PlanRepository
    from .repositories import DirectiveRepository, ItemRepository, StationRepository
    from .segments_repo import SegmentRepository

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: the newest migration's revision. Every command checks the schema first; reading it with one
#: SELECT and comparing it with this name spares each command alembic's import and its reading of
#: every migration file. A new migration names itself here (tests/db/test_storage.py checks it
#: against alembic's heads).
HEAD_REVISION = "0015_cluster_devices"


def _describe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class Database:
    """One database, SQLite (default, WAL) or PostgreSQL (``postgresql+psycopg://``)."""

    def __init__(self, url: str, *, pool_size: int | None = None) -> None:
        """``pool_size``: connections kept open (a server sizes it to its thread limit, so no
        request waits for a connection); default SQLAlchemy's 5 plus 10 overflow."""
        self.url = url
        #: statements sent to the database by this process (the API's /metrics shows it)
        self.statements = 0
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StorageError(
                _(
                    "database URL {url!r} is not valid; use sqlite:///PATH or "
                    "postgresql+psycopg://USER:PASSWORD@HOST/NAME",
                    url=url,
                )
            ) from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        #: the SQLite file, and why it cannot be written (None: it can, or not SQLite)
        self.sqlite_path: Path | None = None
        self.read_only: Msg | None = None
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            self.sqlite_path = sqlite_path(parsed)
            if self.sqlite_path is not None:
                self.read_only = read_only_reason(self.sqlite_path)
                if self.read_only:  # list/show/report still work; writes get one clear line
                    parsed = read_only_url(parsed, self.sqlite_path)
        elif parsed.get_backend_name() == "postgresql":
            if parsed.get_driver_name() not in ("psycopg", ""):
                raise StorageError(
                    _(
                        "database URL uses driver {driver!r}; use postgresql+psycopg://",
                        driver=parsed.get_driver_name(),
                    )
                )
            if parsed.get_driver_name() == "":
                parsed = parsed.set(drivername="postgresql+psycopg")
        else:
            raise StorageError(
                _(
                    "database {backend!r} is not supported; use SQLite or PostgreSQL",
                    backend=parsed.get_backend_name(),
                )
            )
        if pool_size is not None and parsed.database != ":memory:":
            kwargs["pool_size"] = pool_size
            kwargs["max_overflow"] = max(4, pool_size // 4)
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except (ImportError, SQLAlchemyError) as exc:
            raise StorageError(
                _("cannot open database {url}: {error}", url=_describe(url), error=exc)
            ) from exc
        if self.is_sqlite:
            pragmas = _sqlite_read_only_pragmas if self.read_only else _sqlite_pragmas
            event.listen(self.engine, "connect", pragmas)
        else:
            event.listen(self.engine, "checkin", _stamp_checkin)
            event.listen(self.engine, "checkout", _ping_if_idle)
        event.listen(self.engine, "before_cursor_execute", self._count_statement)

    def _count_statement(self, *_args: Any) -> None:
        self.statements += 1

    @property
    def display_url(self) -> str:
        return _describe(self.url)

    def _failed(self, exc: SQLAlchemyError, otherwise: str | Msg) -> StorageError:
        """A full disk or a read-only file said as such; any other failure as ``otherwise``."""
        orig = getattr(exc, "orig", None)
        known = explain(orig, path=self.sqlite_path, read_only_because=self.read_only)
        return known or StorageError(otherwise)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- migrations -------------------------------------------------------------------------
    def _alembic_config(self) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.attributes["engine"] = self.engine
        return cfg

    def head_revisions(self) -> set[str]:
        from alembic.script import ScriptDirectory

        return set(ScriptDirectory.from_config(self._alembic_config()).get_heads())

    def current_revisions(self) -> set[str]:
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as conn:
                return set(MigrationContext.configure(conn).get_current_heads())
        except OperationalError as exc:
            raise self._failed(
                exc,
                _("cannot reach database {url}: {error}", url=self.display_url, error=exc.orig),
            ) from exc
        except DatabaseError as exc:  # SQLite: a file of another kind at the database path
            raise self._failed(
                exc,
                _(
                    "{url} is not a database file; check the database URL "
                    "(--database-url or BROADCASTER_DATABASE_URL)",
                    url=self.display_url,
                ),
            ) from exc

    def upgrade(self) -> tuple[set[str], set[str]]:
        """Bring the schema to the newest revision; returns (before, after)."""
        from alembic import command

        before = self.current_revisions()
        try:
            command.upgrade(self._alembic_config(), "heads")
        except SQLAlchemyError as exc:
            raise self._failed(
                exc, _("migration failed on {url}: {error}", url=self.display_url, error=exc)
            ) from exc
        return before, self.current_revisions()

    def _at_head(self) -> bool:
        """The schema is at :data:`HEAD_REVISION`, read without alembic (False on any doubt:
        no version table, several heads, no connection; the caller then asks alembic)."""
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        except SQLAlchemyError:
            return False
        return [row[0] for row in rows] == [HEAD_REVISION]

    def ensure_schema(self) -> None:
        """Create the schema in an empty database; refuse to work on an outdated one."""
        if self._at_head():
            return
        current = self.current_revisions()
        heads = self.head_revisions()
        if current == heads:
            return
        if not current and not self._has_tables():
            self.upgrade()
            return
        values = {"url": self.display_url, "heads": ", ".join(sorted(heads))}
        if not current:
            raise StorageError(
                _(
                    "database {url} has no schema revision but this broadcaster needs {heads}; "
                    "run 'broadcaster db upgrade'",
                    **values,
                )
            )
        raise StorageError(
            _(
                "database {url} is at schema {current} but this broadcaster needs {heads}; "
                "run 'broadcaster db upgrade'",
                current=", ".join(sorted(current)),
                **values,
            )
        )

    def _has_tables(self) -> bool:
        with self.engine.connect() as conn:
            return bool(inspect(conn).get_table_names())

    # --- units of work ----------------------------------------------------------------------
    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """A transaction with repositories: commits on success, rolls back on any error."""
        session = Session(self.engine, expire_on_commit=False)
        uow = UnitOfWork(session)
        try:
            yield uow
            session.commit()
        except BroadcasterError:
            session.rollback()
            raise
        except OperationalError as exc:
            session.rollback()
            raise self._failed(
                exc, _("database {url} failed: {error}", url=self.display_url, error=exc.orig)
            ) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


#: a pooled PostgreSQL connection idle longer than this is pinged before use (a restarted
#: server or a dropped link is then found before the request's statement, not by it)
PING_AFTER_IDLE_S = 10.0


def _stamp_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """``pool_pre_ping`` for connections that have sat idle only: one that was in use a moment
    ago is not asked again (a ping is a round trip, which was a sixth of an airing batch's
    time). A dead connection raises DisconnectionError, so the pool opens a fresh one."""
    last = record.info.get("checked_in")
    if last is None or time.monotonic() - last < PING_AFTER_IDLE_S:
        return
    try:
        dbapi_connection.execute("SELECT 1")
    except Exception as exc:  # any failure means this connection cannot be used
        raise DisconnectionError() from exc


def _sqlite_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """A read-only file keeps its journal mode: setting WAL would be a write."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


#: the module of each repository a unit of work holds (its attributes below name the classes)
MODULE_OF = {
    "StationRepository": ".repositories",
    "DirectiveRepository": ".repositories",
    "ItemRepository": ".repositories",
    "AiringRepository": ".airings_repo",
    "TokenRepository": ".distribution_repo",
    "EmergencyRepository": ".distribution_repo",
    "HeartbeatRepository": ".distribution_repo",
    "UploadRepository": ".distribution_repo",
    "SegmentRepository": ".segments_repo",
    "PlanRepository": ".plans_repo",
    "PlanEditRepository": ".plan_edits_repo",
    "UserRepository": ".accounts_repo",
    "AuditRepository": ".accounts_repo",
}


class UnitOfWork:
    """Repositories sharing one session (one transaction). Each is made, and its module
    imported, when first used: a command that reads stations does not load the plan, airing
    and account repositories (a quarter of a second of imports)."""

    stations: StationRepository
    directives: DirectiveRepository
    items: ItemRepository
    airings: AiringRepository
    tokens: TokenRepository
    emergencies: EmergencyRepository
    heartbeats: HeartbeatRepository
    uploads: UploadRepository
    segments: SegmentRepository
    plans: PlanRepository
    plan_edits: PlanEditRepository
    users: UserRepository
    audit: AuditRepository

    def __init__(self, session: Session) -> None:
        self.session = session

    def __getattr__(self, name: str) -> Any:
        """The repository ``name``, of the class its annotation names (a string: annotations
        are not evaluated here), made on first use and kept."""
        cls = UnitOfWork.__annotations__.get(name)
        if cls not in MODULE_OF:
            raise AttributeError(name)
        module = importlib.import_module(MODULE_OF[cls], __package__)
        repository = getattr(module, cls)(self.session)
        setattr(self, name, repository)
        return repository

    def flush(self) -> None:
        self.session.flush()
