"""Backing up and restoring the database.

SQLite: a backup is SQLite's online backup (``sqlite3.Connection.backup``): one consistent
snapshot even while the server writes, a single self-contained file. A restore checks the file
is a broadcaster database at a schema revision this version knows, keeps the current database
as ``<database>.before-restore-<time>`` beside it (again through the backup API), then copies
the file into the live database through the same API, so open connections see either the old
or the new database, never half of each.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction``
(``psql`` for a plain SQL dump), from Debian's ``postgresql-client``.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..domain.errors import InputError, StorageError, os_reason
from ..domain.messages import Msg, _, _n
from .conditions import disk_full, read_only, the_database
from .engine import Database

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
#: the tables a restore's confirmation and its result count
COUNTED = ("station", "directive", "item")


def _counted(table: str, n: int) -> Msg:
    if table == "station":
        return _n("{n} station", "{n} stations", n)
    if table == "directive":
        return _n("{n} directive", "{n} directives", n)
    return _n("{n} item", "{n} items", n)


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


@dataclass(frozen=True)
class Backup:
    """A backup written: where, how big, at which schema revision."""

    path: Path
    size: int
    revision: str | None


@dataclass(frozen=True)
class RestorePlan:
    """A checked backup file about to replace the database, and what each holds."""

    source: Path
    revision: str
    incoming: str  # "schema 0010_…, 15 stations, 2 directives, 9 items" (what is known)
    current: str


@dataclass(frozen=True)
class Restored:
    revision: str
    kept: Path | None  # the replaced database, kept
    needs_upgrade: bool


def known_revisions(db: Database) -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db._alembic_config())
    return {r.revision for r in script.walk_revisions()}


def _describe_counts(revision: str | None, counts: dict[str, int]) -> str:
    """``schema 0010_…, 15 stations, 2 directives, 9 items``: text, for the question asked now."""
    parts = [str(_("schema {revision}", revision=revision) if revision else _("no schema"))]
    parts += [str(_counted(table, n)) for table, n in counts.items()]
    return ", ".join(parts)


# --- backup ----------------------------------------------------------------------------------


def _target(db: Database, target: Path, now: datetime, *, force: bool) -> Path:
    if target.is_dir():
        suffix = ".db" if db.is_sqlite else ".dump"
        target = target / f"broadcaster-{stamp(now)}{suffix}"
    if target.exists() and not force:
        raise InputError(
            _(
                "{path} already exists; give another name, or add --force to replace it",
                path=target,
            )
        )
    if not target.parent.is_dir():
        raise InputError(
            _(
                "{path}: the folder {folder} does not exist; create it first",
                path=target,
                folder=target.parent,
            )
        )
    return target


def backup_database(db: Database, target: Path, now: datetime, *, force: bool = False) -> Backup:
    """Write a consistent copy of the database to ``target`` (a file, or a folder to name the
    file in by date), even while the server is using the database."""
    path = _target(db, target, now, force=force)
    if db.is_sqlite:
        return _sqlite_backup(db, path)
    return _pg_backup(db, path)


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial-{os.getpid()}")


def _sqlite_backup(db: Database, path: Path) -> Backup:
    if db.sqlite_path is None:
        raise StorageError(
            _("{url} is not a database file; nothing to back up", url=db.display_url)
        )
    if not db.sqlite_path.exists():
        raise StorageError(
            _(
                "the database {path} does not exist yet; nothing to back up",
                path=db.sqlite_path,
            )
        )
    partial = _partial(path)
    try:
        raw = db.engine.raw_connection()
        try:
            source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # every page in one step: one consistent snapshot
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                revision = _sqlite_revision(target)
            finally:
                target.close()
        finally:
            raw.close()
        os.replace(partial, path)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        if "full" in str(exc).lower():
            raise disk_full(_("the backup {path}", path=path), path.parent) from exc
        raise StorageError(
            _(
                "backup of {url} to {path} failed: {error}",
                url=db.display_url,
                path=path,
                error=exc,
            )
        ) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _write_error(path, exc) from exc
    except SQLAlchemyError as exc:  # opening the database itself
        partial.unlink(missing_ok=True)
        raise db._failed(
            exc, _("cannot read {url}: {error}", url=db.display_url, error=exc)
        ) from exc
    return Backup(path, path.stat().st_size, revision)


def _write_error(path: Path, exc: OSError) -> BaseException:
    if exc.errno == errno.ENOSPC:
        return disk_full(_("the backup {path}", path=path), path.parent)
    if isinstance(exc, PermissionError):
        return InputError(
            _("{path}: permission denied; choose a folder you can write to", path=path)
        )
    return InputError(_("{path}: cannot write ({error})", path=path, error=os_reason(exc)))


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in COUNTED:
        try:
            counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except sqlite3.Error:
            continue
    return counts


# --- restore ---------------------------------------------------------------------------------


def plan_restore(db: Database, source: Path) -> RestorePlan:
    """Check that ``source`` can replace the database; raises with one line if not."""
    if not source.is_file():
        if source.is_dir():
            raise InputError(_("{path}: is a folder; give the backup file", path=source))
        raise InputError(_("{path}: no such file; check the path", path=source))
    try:
        with source.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({error})", path=source, error=os_reason(exc))
        ) from exc
    if db.is_sqlite:
        if head.startswith(PG_CUSTOM_HEADER):
            raise InputError(
                _(
                    "{path} is a PostgreSQL dump, but this database is SQLite ({url}); "
                    "nothing was changed",
                    path=source,
                    url=db.display_url,
                )
            )
        if head != SQLITE_HEADER:
            raise InputError(
                _(
                    "{path} is not a SQLite database (not a broadcaster backup); "
                    "nothing was changed",
                    path=source,
                )
            )
        if db.read_only and db.sqlite_path is not None:
            raise read_only(db.sqlite_path, db.read_only)
        return _sqlite_plan(db, source)
    if head == SQLITE_HEADER:
        raise InputError(
            _(
                "{path} is a SQLite database, but this database is PostgreSQL ({url}); "
                "nothing was changed",
                path=source,
                url=db.display_url,
            )
        )
    return _pg_plan(db, source, custom=head.startswith(PG_CUSTOM_HEADER))


def _saved(contents: str, path: Path) -> str:
    """What a backup file holds and when it was saved (the machine's local time, as ls
    shows it)."""
    when = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).astimezone()
    return str(_("{contents}, saved {at}", contents=contents, at=when.strftime("%d/%m/%Y %H:%M")))


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=30)


def _check_revision(db: Database, source: Path, revision: str | None) -> str:
    if revision is None:
        raise InputError(
            _(
                "{path} is not a broadcaster database (it has no schema revision); "
                "nothing was changed",
                path=source,
            )
        )
    if revision not in known_revisions(db):
        raise InputError(
            _(
                "{path} is at schema {revision}, which this broadcaster does not know (was it "
                "made by a newer version?); restore it with that version; nothing was changed",
                path=source,
                revision=revision,
            )
        )
    return revision


def _sqlite_plan(db: Database, source: Path) -> RestorePlan:
    try:
        conn = _open_read_only(source)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check != ("ok",):
                raise InputError(
                    _(
                        "{path} is damaged (SQLite's check: {check}); nothing was changed",
                        path=source,
                        check=check[0] if check else "?",
                    )
                )
            revision = _check_revision(db, source, _sqlite_revision(conn))
            incoming = _saved(_describe_counts(revision, _sqlite_counts(conn)), source)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(
            _(
                "{path} is not a readable SQLite database ({error}); nothing was changed",
                path=source,
                error=exc,
            )
        ) from exc
    return RestorePlan(source, revision, incoming, _current(db))


def _current(db: Database) -> str:
    """What the database holds now, for the confirmation question."""
    if db.is_sqlite and (db.sqlite_path is None or not db.sqlite_path.exists()):
        return str(_("it does not exist yet"))
    try:
        with db.engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            counts: dict[str, int] = {}
            for table in COUNTED:
                counts[table] = int(
                    conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
                )
        return _describe_counts(revision, counts)
    except Exception:  # an empty or foreign database: the question still makes sense
        return str(_("its contents could not be counted"))


def restore_database(db: Database, plan: RestorePlan, now: datetime) -> Restored:
    """Replace the database with the checked backup, keeping the current one first."""
    if db.is_sqlite:
        kept = _sqlite_restore(db, plan, now)
    else:
        kept = _pg_restore(db, plan, now)
    return Restored(plan.revision, kept, plan.revision not in db.head_revisions())


def _sqlite_restore(db: Database, plan: RestorePlan, now: datetime) -> Path | None:
    assert db.sqlite_path is not None
    live = db.sqlite_path
    kept: Path | None = None
    db.dispose()
    try:
        if live.exists():
            kept = live.with_name(f"{live.name}.before-restore-{stamp(now)}")
            _sqlite_backup(db, kept)
        source = _open_read_only(plan.source)
        try:
            target = sqlite3.connect(live, timeout=30)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        if "full" in str(exc).lower():
            raise disk_full(the_database(live), live.parent) from exc
        values = {"path": plan.source, "live": live, "error": exc}
        if kept:
            raise StorageError(
                _(
                    "restoring {path} into {live} failed ({error}); the database was left as it "
                    "was, and a copy is kept as {kept}",
                    kept=kept,
                    **values,
                )
            ) from exc
        raise StorageError(
            _(
                "restoring {path} into {live} failed ({error}); the database was left as it was",
                **values,
            )
        ) from exc
    finally:
        db.dispose()
    return kept


# --- PostgreSQL ------------------------------------------------------------------------------


def _tool(name: str, action: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StorageError(
            _(
                "{action} of a PostgreSQL database needs {tool}, which is not installed; install "
                "the Debian package postgresql-client (apt-get install postgresql-client) and "
                "run it again",
                action=action,
                tool=name,
            )
        )
    return found


def _pg_connection(db: Database) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it (a
    password on the command line would show in ps)."""
    url = make_url(db.url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str | Msg) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StorageError(_("{what} could not start ({error})", what=what, error=exc)) from exc
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        reason: str | Msg = (
            lines[-1].removeprefix(Path(args[0]).name + ": ")
            if lines
            else _("exit status {code}", code=done.returncode)
        )
        if "version mismatch" in done.stderr:
            raise StorageError(
                _(
                    "{what} failed: {reason}; install the postgresql-client version matching "
                    "the server",
                    what=what,
                    reason=reason,
                )
            )
        raise StorageError(_("{what} failed: {reason}", what=what, reason=reason))
    return done


def _pg_backup(db: Database, path: Path) -> Backup:
    pg_dump = _tool("pg_dump", "db backup")
    conninfo, env = _pg_connection(db)
    partial = _partial(path)
    try:
        _run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={conninfo}"],
            env,
            _("pg_dump of {url}", url=db.display_url),
        )
        os.replace(partial, path)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        partial.unlink(missing_ok=True)
    revision = _pg_dump_revision(path, env)
    return Backup(path, path.stat().st_size, revision)


def _pg_dump_revision(path: Path, env: dict[str, str]) -> str | None:
    """The alembic_version row stored in a custom-format dump (None when it has none)."""
    pg_restore = _tool("pg_restore", "db restore")
    listing = _run([pg_restore, "--list", str(path)], env, _("reading {path}", path=path)).stdout
    if " TABLE public alembic_version " not in listing:
        return None
    data = _run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        env,
        _("reading {path}", path=path),
    ).stdout
    return _copy_value(data)


def _copy_value(sql: str) -> str | None:
    """The first value of the alembic_version table's COPY (or INSERT) in dump text."""
    lines = sql.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY public.alembic_version"):
            value = lines[i + 1].strip() if i + 1 < len(lines) else ""
            return value if value and value != "\\." else None
        if line.startswith("INSERT INTO public.alembic_version"):
            return line.split("'")[1] if "'" in line else None
    return None


def _pg_plan(db: Database, source: Path, *, custom: bool) -> RestorePlan:
    _conninfo, env = _pg_connection(db)
    if custom:
        _tool("pg_restore", "db restore")  # missing: say which package, not "unreadable"
        try:
            revision = _pg_dump_revision(source, env)
        except StorageError as exc:
            raise InputError(
                _(
                    "{path} is not a readable pg_dump archive ({error}); nothing was changed",
                    path=source,
                    error=exc,
                )
            ) from exc
    else:
        try:
            head = source.read_text("utf-8", errors="replace")[:20_000_000]
        except OSError as exc:
            raise InputError(
                _("{path}: cannot read ({error})", path=source, error=os_reason(exc))
            ) from exc
        if "PostgreSQL database dump" not in head[:2000]:
            raise InputError(
                _(
                    "{path} is neither a pg_dump archive nor a PostgreSQL SQL dump; "
                    "nothing was changed",
                    path=source,
                )
            )
        revision = _copy_value(head)
    revision = _check_revision(db, source, revision)
    incoming = _saved(str(_("schema {revision}", revision=revision)), source)
    return RestorePlan(source, revision, incoming, _current(db))


def _pg_restore(db: Database, plan: RestorePlan, now: datetime) -> Path:
    conninfo, env = _pg_connection(db)
    name = make_url(db.url).database or "broadcaster"
    kept = plan.source.parent / f"{name}.before-restore-{stamp(now)}.dump"
    db.dispose()
    _pg_backup(db, kept)
    with plan.source.open("rb") as fh:
        custom = fh.read(len(PG_CUSTOM_HEADER)) == PG_CUSTOM_HEADER
    if custom:
        args = [
            _tool("pg_restore", "db restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(plan.source),
        ]
    else:
        args = [
            _tool("psql", "db restore"),
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={plan.source}",
            f"--dbname={conninfo}",
        ]
    try:
        _run(
            args,
            env,
            _("restoring {path} into {url}", path=plan.source, url=db.display_url),
        )
    except StorageError as exc:
        raise StorageError(
            _(
                "{error}; the database was left as it was (a copy is kept as {kept})",
                error=exc.args[0],
                kept=kept,
            )
        ) from exc
    finally:
        db.dispose()
    return kept
