"""How a database's surroundings fail, and what to tell the person at the keyboard.

A SQLite file the user may read but not write (mode 0444, a read-only folder or disk, a copy on
a write-protected stick) is opened read-only, so list, show and report commands still work; a
write then fails with one line saying the database is read-only and how to make it writable. A
full disk fails as ``SQLITE_FULL`` ("database or disk is full"), or as ``SQLITE_IOERR`` ("disk
I/O error") when SQLite cannot even grow its shared-memory file: both are told as "disk full"
with what can be freed, never as "cannot reach database".
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL

from ..domain.errors import StorageError
from ..domain.messages import Msg, _

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_IOERR = 10
SQLITE_READONLY = 8
SQLITE_CANTOPEN = 14
SQLITE_FULL = 13
#: a disk I/O error with less than this free on the database's disk is a full disk
NEARLY_FULL_BYTES = 4 * 1024 * 1024
#: PostgreSQL's SQLSTATE for a full disk on the server
PG_DISK_FULL = "53100"


def sqlite_path(url: URL) -> Path | None:
    """The file a SQLite URL names (None for an in-memory or URI-form database)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _is_wal(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2  # file format "write version" 2: WAL


def read_only_reason(path: Path) -> Msg | None:
    """Why an existing database file cannot be written (None when it can, or is missing)."""
    if not path.exists():
        return None
    if not os.access(path, os.R_OK):
        return None  # not readable either: let opening it say so
    if not os.access(path, os.W_OK):
        return _("the file is not writable") if _writable_disk(path) else _("its disk is read-only")
    folder = path.parent
    side_files = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    if not os.access(folder, os.W_OK) and not all(os.access(f, os.W_OK) for f in side_files):
        return _("its folder {folder} is not writable", folder=folder)
    return None


def _writable_disk(path: Path) -> bool:
    try:
        return not os.statvfs(path).f_flag & os.ST_RDONLY
    except OSError:
        return True


def read_only_url(url: URL, path: Path) -> URL:
    """The same database opened read-only. A WAL database needs its shared-memory file; where
    the folder allows no new file and none is left, it is opened as immutable (no one can
    be writing it there)."""
    query = {"mode": "ro", "uri": "true"}
    shm = path.with_name(path.name + "-shm")
    if _is_wal(path) and not os.access(path.parent, os.W_OK) and not shm.exists():
        query["immutable"] = "1"
    return url.set(database="file:" + quote(str(path.resolve())), query=query)


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n // 1024} KB"


def the_database(path: Path) -> Msg:
    """``the database PATH``, as :func:`disk_full` names what could not be written."""
    return _("the database {path}", path=path)


def disk_full(where: str | Msg, folder: Path | None) -> StorageError:
    free = free_bytes(folder) if folder is not None else None
    if free is None:
        return StorageError(
            _(
                "disk full: the disk holding {where} is full; free space on that disk (the "
                "audio cache: 'broadcaster speech cache prune'; old backups and "
                "*.before-restore-* files beside the database), then run the command again; "
                "nothing was changed",
                where=where,
            )
        )
    return StorageError(
        _(
            "disk full: the disk holding {where} is full ({left} left); free space on that disk "
            "(the audio cache: 'broadcaster speech cache prune'; old backups and "
            "*.before-restore-* files beside the database), then run the command again; "
            "nothing was changed",
            where=where,
            left=_size(free),
        )
    )


def read_only(path: Path, reason: str | Msg) -> StorageError:
    return StorageError(
        _(
            "the database {path} is read-only ({reason}); list, show and report commands still "
            "work, changes do not: make it writable (chmod u+w {path}, and its folder), or copy "
            "it somewhere writable and point --database-url at the copy",
            path=path,
            reason=reason,
        )
    )


def explain(
    orig: BaseException | None, *, path: Path | None, read_only_because: str | Msg | None
) -> StorageError | None:
    """The message for a database error caused by the disk or permissions (None for others)."""
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig).lower()
    if getattr(orig, "sqlstate", None) == PG_DISK_FULL:
        return StorageError(
            _(
                "disk full: the PostgreSQL server's disk is full; free space on the server (old "
                "backups, logs, the audio cache if it is there: 'broadcaster speech cache "
                "prune'), then run the command again; nothing was changed"
            )
        )
    if path is None:
        return None
    folder = path.parent
    if primary == SQLITE_READONLY or "readonly database" in text:
        reason = read_only_because or read_only_reason(path) or _("writes refused")
        return read_only(path, reason)
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return disk_full(the_database(path), folder)
    if primary == SQLITE_IOERR or "disk i/o error" in text:
        free = free_bytes(folder)
        if free is not None and free < NEARLY_FULL_BYTES:
            return disk_full(the_database(path), folder)
        return StorageError(
            _(
                "disk I/O error on the database {path}; check the disk (dmesg, SMART) and run "
                "the command again",
                path=path,
            )
        )
    cannot_open = primary == SQLITE_CANTOPEN or "unable to open" in text
    if cannot_open and not path.exists() and folder.is_dir() and not os.access(folder, os.W_OK):
        return StorageError(
            _(
                "cannot create the database {path}: its folder {folder} is not writable; "
                "make it writable or point --database-url elsewhere",
                path=path,
                folder=folder,
            )
        )
    return None
