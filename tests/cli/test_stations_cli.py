"""`broadcaster stations …` as a planning office uses it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.registry.test_toml_file import THREE_MISTAKES


def test_load_list_and_show_the_example_office(cli, repo_dir: Path):
    result = cli("stations", "load", str(repo_dir / "schedules" / "example.toml"))
    assert result.exit_code == 0, result.stderr
    assert "thêm 15 đài, cập nhật 0 đài" in result.stdout

    listing = cli("stations", "list").stdout
    assert "Đài truyền thanh xã Đắk Sắk" in listing
    assert "Cụm loa thôn Hòa Phong" in listing

    grid = cli("stations", "show", "XA-DAKSAK").stdout
    assert "Lịch buổi phát hằng tuần — Đài truyền thanh xã Đắk Sắk" in grid
    assert "05:30–06:30" in grid and "17:30–18:30" in grid
    assert "Tiếp âm chương trình Thời sự Đài Tiếng nói Việt Nam 06:00–06:30" in grid

    inherited = cli("stations", "show", "XA-THUANAN").stdout
    assert "kế thừa từ Trung tâm Văn hóa - Thông tin và Truyền thông khu vực Đắk Mil" in inherited


def test_weekday_only_station_shows_no_weekend_sessions(cli, repo_dir: Path):
    cli("stations", "load", str(repo_dir / "schedules" / "example.toml"))
    grid = cli("stations", "show", "XA-DUCMANH").stdout
    row = next(line for line in grid.splitlines() if "06:15–06:40" in line)
    assert row.count("●") == 5


def test_a_file_with_three_mistakes_changes_nothing(cli, repo_dir: Path, tmp_path: Path):
    cli("stations", "load", str(repo_dir / "schedules" / "example.toml"))
    before = cli("stations", "list").stdout
    bad = tmp_path / "office.toml"
    bad.write_text(THREE_MISTAKES, encoding="utf-8")

    result = cli("stations", "load", str(bad))

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"lỗi: {bad}: 3 lỗi, chưa thay đổi gì"
    assert f"{bad}:16 (station[1].session[0].start)" in lines[1]
    assert f"{bad}:22 (station[2].kind)" in lines[2]
    assert f"{bad}:39 (station[3].session[0].block[0].minutes)" in lines[3]
    assert cli("stations", "list").stdout == before


def test_a_file_that_is_not_toml_changes_nothing(cli, repo_dir: Path, tmp_path: Path):
    cli("stations", "load", str(repo_dir / "schedules" / "example.toml"))
    before = cli("stations", "list").stdout
    bad = tmp_path / "notes.toml"
    bad.write_text("Danh sách đài: xã A, xã B\n", encoding="utf-8")
    result = cli("stations", "load", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"lỗi: {bad}: 1 lỗi, chưa thay đổi gì")
    assert "không phải TOML hợp lệ" in result.stderr
    assert cli("stations", "list").stdout == before


def test_a_file_whose_parent_is_unknown_to_the_registry(cli, tmp_path: Path):
    f = tmp_path / "one.toml"
    f.write_text(
        '[[station]]\ncode = "XA-Z"\nname = "Xã Z"\nkind = "commune"\nparent = "KV-NOWHERE"\n',
        encoding="utf-8",
    )
    result = cli("stations", "load", str(f))
    assert result.exit_code == 1
    assert "ghi cấp trên 'KV-NOWHERE' không tồn tại" in result.stderr


def test_a_file_may_name_a_parent_already_stored(cli, repo_dir: Path, tmp_path: Path):
    cli("stations", "load", str(repo_dir / "schedules" / "example.toml"))
    f = tmp_path / "new.toml"
    f.write_text(
        '[[station]]\ncode = "XA-MOI"\nname = "Xã Mới"\nkind = "commune"\nparent = "KV-DAKMIL"\n',
        encoding="utf-8",
    )
    result = cli("stations", "load", str(f))
    assert result.exit_code == 0, result.stderr
    assert "thêm 1 đài" in result.stdout
    assert "kế thừa từ" in cli("stations", "show", "XA-MOI").stdout


def test_unknown_station_is_one_line_error(cli, repo_dir: Path):
    cli("stations", "load", str(repo_dir / "schedules" / "example.toml"))
    result = cli("stations", "show", "XA-KHONGCO")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("lỗi: không có đài 'XA-KHONGCO'")


def test_debug_shows_the_traceback(cli, tmp_path: Path):
    import pytest

    from broadcaster.domain import InputError

    with pytest.raises(InputError):
        cli("--debug", "stations", "load", str(tmp_path / "missing.toml"))


def test_missing_file_is_one_line(cli, tmp_path: Path):
    result = cli("stations", "load", str(tmp_path / "missing.toml"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"lỗi: {tmp_path / 'missing.toml'}: không đọc được (không có tệp hay thư mục này); "
        "hãy kiểm tra đường dẫn\n"
    )


def test_db_upgrade_and_current(sqlite_url: str, tmp_path: Path):
    cli = Cli(sqlite_url, tmp_path)  # an empty database, not the `cli` fixture's migrated one
    first = cli("db", "upgrade")
    assert first.exit_code == 0
    assert "đã nâng cấp cơ sở dữ liệu" in first.stdout and ": trống →" in first.stdout
    assert "đã ở phiên bản mới nhất" in cli("db", "upgrade").stdout
    assert "(đã ở phiên bản mới nhất)" in cli("db", "current").stdout


def test_the_first_command_on_an_empty_database_creates_its_schema(sqlite_url: str, tmp_path: Path):
    cli = Cli(sqlite_url, tmp_path)
    listed = cli("stations", "list")
    assert listed.exit_code == 0, listed.stderr
    assert "nạp bằng 'broadcaster stations load FILE'" in listed.stdout
    assert "(đã ở phiên bản mới nhất)" in cli("db", "current").stdout


def test_empty_registry_says_what_to_do(cli):
    assert "nạp bằng 'broadcaster stations load FILE'" in cli("stations", "list").stdout


def test_a_file_that_is_not_a_database_is_one_line_and_left_as_it_was(tmp_path: Path):
    junk = tmp_path / "not-a-database.db"
    junk.write_bytes(bytes(range(256)) * 40)
    cli = Cli(f"sqlite:///{junk}", tmp_path)
    result = cli("stations", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lỗi: sqlite:///{junk} không phải tệp cơ sở dữ liệu; hãy kiểm tra địa chỉ (URL) "
        "cơ sở dữ liệu (--database-url hoặc BROADCASTER_DATABASE_URL)\n"
    )
    assert junk.read_bytes() == bytes(range(256)) * 40
