"""``broadcaster db backup|restore``, a read-only database and a full disk, as an office meets
them: real SQLite files with real permissions, a real full file system when one can be
mounted, and PostgreSQL through pg_dump/pg_restore when a server is configured."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_directive_cli import EXAMPLE
from tests.conftest import REPO, Cli

STATIONS = REPO / "schedules" / "example.toml"


def _stored(cli: Cli) -> str:
    return cli("directive", "list").output


@pytest.fixture
def office(cli: Cli) -> Cli:
    """An office's database: the example stations and one imported guidance document."""
    assert cli("stations", "load", str(STATIONS)).exit_code == 0
    assert cli("directive", "import", str(EXAMPLE)).exit_code == 0
    return cli


def db_path(cli: Cli) -> Path:
    return Path(cli.env["BROADCASTER_DATABASE_URL"].removeprefix("sqlite:///"))


# --- backup ----------------------------------------------------------------------------------


def test_backup_writes_a_copy_and_says_where_and_how_big(office: Cli, tmp_path: Path) -> None:
    target = tmp_path / "sao-luu" / "thu-hai.db"
    target.parent.mkdir()
    result = office("db", "backup", str(target))
    assert result.exit_code == 0, result.stderr
    size = target.stat().st_size
    assert f"{target}" in result.output and "KB" in result.output
    assert f"({size / 1024:.0f} KB" in result.output or f"({size / 1024 / 1024:.1f} MB" in (
        result.output
    )
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM directive").fetchone() == (1,)
    again = office("db", "backup", str(target))
    assert again.exit_code == 1
    assert again.stderr.startswith(f"lỗi: {target} đã tồn tại;")
    assert office("db", "backup", str(target), "--force").exit_code == 0


def test_backup_into_a_folder_names_the_file_by_date(office: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    result = office("db", "backup", str(folder))
    assert result.exit_code == 0, result.stderr
    (written,) = folder.iterdir()
    assert written.name.startswith("broadcaster-") and written.suffix == ".db"
    assert str(written) in result.output


def test_backup_is_consistent_while_the_database_is_being_written(
    office: Cli, tmp_path: Path
) -> None:
    """A writer commits two rows at a time while backups are taken: every backup holds an
    even number of rows and passes SQLite's integrity check."""
    path = db_path(office)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE pairs (n INTEGER)")
    stop = threading.Event()

    def write() -> None:
        conn = sqlite3.connect(path, timeout=30)
        n = 0
        while not stop.is_set():
            with conn:
                conn.execute("INSERT INTO pairs VALUES (?)", (n,))
                conn.execute("INSERT INTO pairs VALUES (?)", (n,))
            n += 1
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for k in range(5):
            target = tmp_path / f"b{k}.db"
            assert office("db", "backup", str(target)).exit_code == 0
            with sqlite3.connect(target) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                (rows,) = copy.execute("SELECT count(*) FROM pairs").fetchone()
                assert rows % 2 == 0
    finally:
        stop.set()
        writer.join()


# --- restore ---------------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(
    office: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "truoc.db"
    assert office("db", "backup", str(backup)).exit_code == 0
    other = REPO / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"
    assert office("directive", "import", str(other)).exit_code == 0
    assert "318/UBND-VP" in _stored(office)

    result = office("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.stderr
    assert "318/UBND-VP" not in _stored(office)
    assert "45/HD-VHXH" in _stored(office)
    path = db_path(office)
    (kept,) = path.parent.glob(f"{path.name}.before-restore-*")
    assert str(kept) in result.output
    with sqlite3.connect(kept) as old:
        assert old.execute("SELECT count(*) FROM directive").fetchone() == (2,)


def test_restore_asks_first_and_a_no_changes_nothing(office: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "truoc.db"
    assert office("db", "backup", str(backup)).exit_code == 0
    other = REPO / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"
    assert office("directive", "import", str(other)).exit_code == 0
    declined = office("db", "restore", str(backup), input="n\n")
    assert declined.exit_code == 1
    assert "thay cơ sở dữ liệu" in declined.output.lower() and "chưa thay đổi gì" in declined.stderr
    assert "318/UBND-VP" in _stored(office)
    path = db_path(office)
    assert not list(path.parent.glob(f"{path.name}.before-restore-*"))
    accepted = office("db", "restore", str(backup), input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert "318/UBND-VP" not in _stored(office)


def _sqlite_file(path: Path, *statements: str) -> Path:
    with sqlite3.connect(path) as conn:
        for s in statements:
            conn.execute(s)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_text("không phải cơ sở dữ liệu") and p,
            "không phải cơ sở dữ liệu SQLite",
        ),
        (
            lambda p: _sqlite_file(p, "CREATE TABLE notes (x TEXT)"),
            "không phải cơ sở dữ liệu của broadcaster (không có phiên bản lược đồ)",
        ),
        (
            lambda p: _sqlite_file(
                p,
                "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
                "INSERT INTO alembic_version VALUES ('9999_from_the_future')",
            ),
            "ở lược đồ 9999_from_the_future, phiên bản broadcaster này không biết lược đồ đó",
        ),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_known_broadcaster_database(
    office: Cli, tmp_path: Path, make: object, message: str
) -> None:
    candidate = tmp_path / "la.db"
    make(candidate)  # type: ignore[operator]
    before = _stored(office)
    result = office("db", "restore", str(candidate), "--yes")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lỗi: {candidate} ")
    assert message in lines[0] and "chưa thay đổi gì" in lines[0]
    assert _stored(office) == before


def test_restore_of_a_missing_file_is_one_line(office: Cli, tmp_path: Path) -> None:
    result = office("db", "restore", str(tmp_path / "khong-co.db"), "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lỗi: {tmp_path / 'khong-co.db'}: không có tệp này; hãy kiểm tra đường dẫn\n"
    )


# --- read-only -------------------------------------------------------------------------------


def _drop_permission_overrides() -> None:  # pragma: no cover - runs in the child
    """As root, give up the right to ignore file permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), so chmod means for the child what it means for a station operator."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_as_operator(cli: Cli, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process that file permissions apply to (even when tests run as root)."""
    return subprocess.run(
        [sys.executable, "-m", "broadcaster", *args],
        env={**os.environ, **cli.env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_drop_permission_overrides if os.geteuid() == 0 else None,
    )


@contextlib.contextmanager
def mode(path: Path, bits: int) -> Iterator[None]:
    old = stat.S_IMODE(path.stat().st_mode)
    path.chmod(bits)
    try:
        yield
    finally:
        path.chmod(old)


@pytest.mark.slow  # file-system conditions, as another user: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_a_read_only_database_file_can_be_read_but_not_changed(office: Cli, tmp_path: Path) -> None:
    path = db_path(office)
    office("db", "current")  # the last connection closed: no -wal or -shm left
    with mode(path, 0o444):
        saved = run_as_operator(office, "db", "backup", str(tmp_path / "ban-sao.db"))
        assert saved.returncode == 0, saved.stderr
        current = run_as_operator(office, "db", "current")
        assert "chỉ đọc: tệp không có quyền ghi" in current.stdout
        listed = run_as_operator(office, "stations", "list")
        assert listed.returncode == 0, listed.stderr
        assert "XA-DAKMIL" in listed.stdout
        shown = run_as_operator(office, "directive", "list")
        assert shown.returncode == 0 and "45/HD-VHXH" in shown.stdout
        changed = run_as_operator(office, "stations", "load", str(STATIONS))
        assert changed.returncode == 1
        lines = changed.stderr.strip().splitlines()
        assert len(lines) == 1, changed.stderr
        assert lines[0].startswith(f"lỗi: cơ sở dữ liệu {path} chỉ cho đọc (tệp không có quyền")
        assert "chmod" in lines[0]
    assert "45/HD-VHXH" in _stored(office)


@pytest.mark.slow  # file-system conditions, as another user: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_a_database_in_a_read_only_folder_can_be_read(office: Cli) -> None:
    path = db_path(office)
    office("db", "current")
    with mode(path.parent, 0o555):
        listed = run_as_operator(office, "directive", "list")
        assert listed.returncode == 0, listed.stderr
        assert "45/HD-VHXH" in listed.stdout
        items = run_as_operator(office, "items", "list")
        assert items.returncode == 0, items.stderr
        changed = run_as_operator(office, "directive", "import", str(EXAMPLE.with_name(
            "2026-05_cong-van-phong-chong-thien-tai.txt")))  # fmt: skip
        assert changed.returncode == 1
        (line,) = changed.stderr.strip().splitlines()
        assert line.startswith(f"lỗi: cơ sở dữ liệu {path} chỉ cho đọc (không ghi được vào thư mục")


# --- disk full -------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB file system of its own (a tmpfs), or a skip where mounting is not allowed."""
    mount = tmp_path / "dia-nho"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system holding ``folder`` up to ``leave`` bytes."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    (folder / "day.bin").write_bytes(b"\0" * max(0, free - leave))


@pytest.mark.slow  # file-system conditions, as another user: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_a_full_disk_says_disk_full_and_what_to_free(small_disk: Path, tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{small_disk / 'broadcaster.db'}", tmp_path)
    assert cli("stations", "load", str(STATIONS)).exit_code == 0
    big = tmp_path / "lon.txt"
    from tests.ingest import bombs

    big.write_text(bombs.big_guidance(600_000), "utf-8")
    for leave in (64 * 1024, 0):  # room for the database's side files, then none at all
        _fill(small_disk, leave)
        result = cli("directive", "import", str(big))
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("lỗi: đầy đĩa: ")
        assert "không kết nối được" not in line
        assert "broadcaster speech cache prune" in line and "bản sao lưu" in line
        (small_disk / "day.bin").unlink()
    assert "chưa nhập văn bản hướng dẫn nào" in cli("directive", "list").output


def test_a_database_that_reaches_its_size_limit_says_disk_full(tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL (here from PRAGMA max_page_count) maps the same way."""
    from sqlalchemy import event

    from broadcaster.db import Database
    from broadcaster.domain.errors import StorageError
    from broadcaster.domain.items import Item

    db = Database(f"sqlite:///{tmp_path / 'gioi-han.db'}")
    db.upgrade()
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    db.dispose()

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]

    with pytest.raises(StorageError) as info, db.unit_of_work() as uow:
        for n in range(200):
            uow.items.add(Item(title=f"Tin {n}", text="x" * 4000))
    assert str(info.value).startswith("đầy đĩa: ")
    assert "broadcaster speech cache prune" in str(info.value)
    with db.unit_of_work() as uow:
        assert uow.items.list() == []
    db.dispose()


# --- PostgreSQL ------------------------------------------------------------------------------


def test_postgres_backup_without_pg_dump_names_the_debian_package(tmp_path: Path) -> None:
    cli = Cli("postgresql+psycopg://u:p@127.0.0.1:1/khong", tmp_path)
    result = cli("db", "backup", str(tmp_path / "b.dump"), env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "pg_dump" in line and "postgresql-client" in line and "apt-get install" in line


@pytest.mark.postgres
def test_postgres_backup_and_restore_round_trip(postgres_url: str, tmp_path: Path) -> None:
    cli = Cli(postgres_url, tmp_path)
    assert cli("stations", "load", str(STATIONS)).exit_code == 0
    assert cli("directive", "import", str(EXAMPLE)).exit_code == 0
    dump = tmp_path / "office.dump"
    made = cli("db", "backup", str(dump))
    assert made.exit_code == 0, made.stderr
    assert str(dump) in made.output and dump.stat().st_size > 0
    other = REPO / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"
    assert cli("directive", "import", str(other)).exit_code == 0
    restored = cli("db", "restore", str(dump), "--yes")
    assert restored.exit_code == 0, restored.stderr
    assert "318/UBND-VP" not in _stored(cli) and "45/HD-VHXH" in _stored(cli)
    (kept,) = tmp_path.glob("*.before-restore-*")
    assert str(kept) in restored.output
    assert "XA-DAKMIL" in cli("stations", "list").output


@pytest.mark.postgres
def test_postgres_restore_refuses_a_dump_of_another_database(
    postgres_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE notes_{uuid.uuid4().hex[:6]} (x text)"))
    engine.dispose()
    cli = Cli(postgres_url, tmp_path)
    dump = tmp_path / "la.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", postgres_url.replace("+psycopg", "")],
        check=True,
    )
    result = cli("db", "restore", str(dump), "--yes")
    assert result.exit_code == 1
    assert "không phải cơ sở dữ liệu của broadcaster" in result.stderr
