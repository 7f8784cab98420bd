"""``directive parse|import`` refuse hostile files with one line and store nothing; a text of
nearly 20 MB parses, with progress on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_directive_cli import EXAMPLE
from tests.conftest import REPO, Cli
from tests.ingest import bombs

HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "bom.docx": (
        lambda: bombs.zip_bomb_docx(300),
        "tệp .docx giải nén ra 300 MB, vượt giới hạn 200 MB; có thể tệp bị hỏng hoặc không phải "
        "văn bản hướng dẫn: hãy lưu lại từ Word, hoặc tăng [ingest] max_unpacked_mb",
    ),
    "long.docx": (lambda: bombs.docx_with_nested_tables(3000), "có bảng lồng nhau"),
    "bom.pdf": (lambda: bombs.pdf_with_streams([300]), "giải nén ra hơn 200 MB"),
    "sau.txt": (
        lambda: bombs.deep_numbering(3000).encode(),
        "phần đánh số lồng nhau 21 cấp",
    ),
}


def stored(cli: Cli) -> tuple[str, int]:
    listing = cli("directive", "list").output
    items = cli("items", "list", "--kind", "all").output
    return listing, items.count("nháp") + items.count("✓")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_get_one_error_line_and_change_nothing(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    build, message = HOSTILE[name]
    assert cli("directive", "import", str(EXAMPLE)).exit_code == 0
    before = stored(cli)
    path = tmp_path / name
    path.write_bytes(build())
    for command in ("parse", "import"):
        result = cli("directive", command, str(path))
        assert result.exit_code == 1, result.output
        errors = [line for line in result.stderr.splitlines() if line.startswith("lỗi:")]
        assert len(errors) == 1 and errors[0].startswith(f"lỗi: {path}: "), result.stderr
        assert message in errors[0]
        assert result.stderr.rstrip().endswith(errors[0])  # the error is the last word
    assert stored(cli) == before


def test_a_refused_file_among_good_ones_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    bomb = tmp_path / "bom.docx"
    bomb.write_bytes(bombs.zip_bomb_docx(300))
    result = cli("directive", "import", str(EXAMPLE), str(bomb))
    assert result.exit_code == 1
    assert "1/2 tệp không nhập được, chưa lưu gì" in result.stderr
    assert "giải nén ra 300 MB" in result.stderr
    assert "chưa nhập văn bản hướng dẫn nào" in cli("directive", "list").output


def test_intake_limits_are_settings(cli: Cli, tmp_path: Path) -> None:
    pdf = tmp_path / "ba-trang.pdf"
    pdf.write_bytes(bombs.pdf_with_streams([4, 4, 4]))
    assert cli("directive", "parse", str(pdf)).exit_code == 0
    result = cli("directive", "parse", str(pdf), env={"BROADCASTER_INGEST_MAX_UNPACKED_MB": "10"})
    assert result.exit_code == 1
    assert "giải nén ra hơn 10 MB tính đến trang 3, vượt giới hạn 10 MB" in result.stderr
    shown = cli("config", "show", "ingest").output
    for setting in (
        "max_unpacked_mb",
        "max_docx_xml_mb",
        "max_unpack_ratio",
        "max_docx_parts",
        "max_pdf_pages",
        "max_depth",
    ):
        assert setting in shown
    bad = cli("config", "show", "ingest", env={"BROADCASTER_INGEST_MAX_DEPTH": "0"})
    assert bad.exit_code == 1 and "max_depth" in bad.stderr


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_a_text_of_nearly_20_mb_imports_with_progress_on_stderr(tmp_path: Path) -> None:
    """Runs in a subprocess: if the parser ever turns quadratic again this fails at the guard
    instead of hanging the suite (the guard is generous; nothing here measures time)."""
    big = tmp_path / "lon.txt"
    big.write_text(bombs.big_guidance(int(19.5 * bombs.MB)), "utf-8")
    assert 19 * bombs.MB < big.stat().st_size < 20 * bombs.MB
    env = {
        **os.environ,
        "BROADCASTER_DATABASE_URL": f"sqlite:///{tmp_path / 'lon.db'}",
        "BROADCASTER_DATA_DIR": str(tmp_path / "data"),
        "BROADCASTER_CONFIG": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "broadcaster", "directive", "import", str(big)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"{big}: đã nhập 1 văn bản (mã 1), 20 mục tuyên truyền và 0 mục hành chính" in result.stdout
    )
    progress = result.stderr.splitlines()
    assert any(line.startswith(f"{big}: 19.5 MB") for line in progress), result.stderr
    assert any("soạn kịch bản" in line for line in progress), result.stderr
    assert not any(line.startswith("lỗi:") for line in progress)


def test_small_files_show_no_progress(cli: Cli) -> None:
    result = cli("directive", "parse", str(EXAMPLE))
    assert result.exit_code == 0 and result.stderr == ""


def test_parse_lists_the_first_500_items_of_a_long_document(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dai.txt"
    topics = "\n\n".join(f"{n}. Tuyên truyền nội dung số {n}" for n in range(1, 601))
    path.write_text(bombs.HEADER + topics, "utf-8")
    result = cli("directive", "parse", str(path))
    assert result.exit_code == 0, result.stderr
    assert "600 mục tuyên truyền, 0 mục hành chính" in result.output
    assert "… và 100 mục khác không hiện ra; xem tất cả bằng --json" in result.output
    assert "Tuyên truyền nội dung số 500" in result.output
    assert "Tuyên truyền nội dung số 501" not in result.output
