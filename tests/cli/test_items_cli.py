"""``broadcaster items list|show|edit|approve``: reviewing imported topics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadcaster.clock import SystemClock
from tests.conftest import Cli

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "schedules"
    / "guidance"
    / "2026-05_cong-van-phong-chong-thien-tai.txt"
)
NOW = datetime(2026, 5, 15, 2, 30, tzinfo=UTC)


@pytest.fixture
def imported(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setattr(SystemClock, "now", lambda self: NOW)
    assert cli("directive", "import", str(EXAMPLE)).exit_code == 0
    return cli


def test_list_shows_propaganda_drafts_by_default(imported: Cli) -> None:
    out = imported("items", "list").output
    assert "Tuyên truyền hưởng ứng Ngày" in out and "bảo đảm an toàn cho tàu" in out
    assert "3 items, 0 approved, 3 drafts" in out
    everything = imported("items", "list", "--kind", "all").output
    assert "4 items" in everything and "hành chính" in everything


def test_show_prints_basis_slogans_observances_and_script(imported: Cli) -> None:
    out = imported("items", "show", "1").output
    assert "Khẩu hiệu" in out and "“Cộng đồng chung tay - Giảm nhẹ rủi ro thiên tai”" in out
    assert "Ngày Phòng, chống thiên tai Việt Nam (--05-22)" in out
    assert "Kịch bản phát thanh" in out and "Kính thưa bà con!" in out
    assert "nháp (chưa duyệt)" in out
    missing = imported("items", "show", "99")
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no item 99")


def test_approve_records_who_and_when(imported: Cli) -> None:
    result = imported("items", "approve", "1", "2", "--by", "Lê Văn Thành")
    assert result.exit_code == 0, result.output
    assert "item 1: approved by Lê Văn Thành at 2026-05-15T02:30+00:00" in result.output
    out = imported("items", "show", "1").output
    assert "Lê Văn Thành, 2026-05-15T02:30+00:00" in out
    assert "3 items, 2 approved, 1 drafts" in imported("items", "list").output
    assert (
        "already approved by Lê Văn Thành" in imported("items", "approve", "1", "--by", "X").output
    )
    approved = imported("items", "list", "--state", "approved").output
    assert "2 items, 2 approved" in approved


def test_administrative_items_are_not_approved(imported: Cli) -> None:
    result = imported("items", "approve", "4", "--by", "A")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: item 4 (4 Đề nghị Trưởng các thôn")
    assert "administrative and is not aired" in result.stderr


def test_edit_from_a_file_updates_the_script_and_withdraws_approval(
    imported: Cli, tmp_path: Path
) -> None:
    imported("items", "approve", "2", "--by", "Lê Văn Thành")
    script = tmp_path / "kich-ban.txt"
    script.write_text("Kính thưa bà con! Khi có dông sét, không trú dưới gốc cây cao.\n", "utf-8")
    result = imported("items", "edit", "2", "--script-file", str(script))
    assert result.exit_code == 0, result.output
    assert "item 2: script saved (~6 s at 150 syllables/min)" in result.output
    assert "approval withdrawn" in result.output
    out = imported("items", "show", "2").output
    assert "Khi có dông sét, không trú dưới gốc cây cao." in out and "nháp (chưa duyệt)" in out
    unchanged = imported("items", "edit", "2", "--script-file", str(script))
    assert "script unchanged" in unchanged.output


def test_edit_from_standard_input_and_empty_script(imported: Cli) -> None:
    result = imported(
        "items",
        "edit",
        "3",
        "--script-file",
        "-",
        input="Bà con chú ý an toàn khi đi biển.".encode(),
    )
    assert "item 3: script saved" in result.output
    empty = imported("items", "edit", "3", "--script-file", "-", input=b"  \n")
    assert empty.exit_code == 1 and "the new script is empty; nothing was changed" in empty.stderr


def test_edit_opens_the_editor(imported: Cli, tmp_path: Path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text(
        '#!/bin/sh\nprintf "Kịch bản sửa trong trình soạn thảo.\\n" > "$1"\n', "utf-8"
    )
    editor.chmod(0o755)
    result = imported("items", "edit", "1", env={"EDITOR": str(editor), "VISUAL": str(editor)})
    assert result.exit_code == 0, result.output
    assert "item 1: script saved" in result.output
    assert "Kịch bản sửa trong trình soạn thảo." in imported("items", "show", "1").output
