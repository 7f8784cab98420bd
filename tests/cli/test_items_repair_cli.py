"""``broadcaster items add|delete|merge|split|send-back`` and ``items set --kind``: the office
puts right what the importer read, from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import Cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"
STATIONS = REPO / "schedules" / "example.toml"
NOW = datetime(2026, 5, 15, 2, 30, tzinfo=UTC)


@pytest.fixture
def imported(cli: Cli) -> Cli:
    cli.at(NOW)
    assert cli("stations", "load", str(STATIONS)).exit_code == 0
    result = cli("directive", "import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    return cli


def test_an_imported_document_belongs_to_the_top_of_the_tree_unless_named(imported: Cli):
    # the console's people of that office work on it; --office names another one
    out = imported("directive", "import", "--office", "KV-NOWHERE", str(EXAMPLE))
    assert out.exit_code == 1 and "KV-NOWHERE" in out.stderr
    other = REPO / "schedules" / "guidance" / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt"
    refused = imported("directive", "import", "--office", "KV-NOWHERE", str(other))
    assert refused.exit_code == 1 and "KV-NOWHERE" in refused.stderr
    assert "3 mục" in imported("items", "list").output  # nothing was stored
    assert imported("directive", "import", "--office", "KV-DAKMIL", str(other)).exit_code == 0


def test_add_a_missed_topic_and_delete_an_invented_one(imported: Cli):
    added = imported("items", "add", "1", "--title", "Phòng chống sạt lở đất", "--text", "Di dời")
    assert added.exit_code == 0, added.output
    assert "đã thêm mục 5 vào văn bản 1, ở dạng bản nháp" in added.output
    assert "Phòng chống sạt lở đất" in imported("items", "list").output

    deleted = imported("items", "delete", "5")
    assert deleted.exit_code == 0 and "đã xóa mục 5: Phòng chống sạt lở đất" in deleted.output
    missing = imported("items", "delete", "1", "99")
    assert missing.exit_code == 1 and "không có mục 99" in missing.stderr
    assert "4 mục" in imported("items", "list", "--kind", "all").output  # item 1 kept


def test_an_approved_item_is_retired_not_deleted(imported: Cli, tmp_path: Path):
    script = tmp_path / "kich-ban.txt"
    script.write_text("Kính thưa bà con, mùa mưa bão đã đến.", encoding="utf-8")
    assert imported("items", "edit", "1", "--script-file", str(script)).exit_code == 0
    assert imported("items", "approve", "1", "--by", "Lê Văn Thành").exit_code == 0
    result = imported("items", "delete", "1")
    assert result.exit_code == 0
    assert "mục 1 thôi dùng (đã duyệt hoặc đã phát; được giữ để tra cứu)" in result.output
    assert "Ngày Phòng, chống thiên tai" not in imported("items", "list").output
    again = imported("items", "set", "1", "--title", "Mới")
    assert again.exit_code == 1 and "giữ lại để lưu hồ sơ" in again.stderr


def test_set_kind_moves_an_item_between_propaganda_and_administrative(imported: Cli):
    result = imported("items", "set", "4", "--kind", "propaganda")
    assert result.exit_code == 0, result.output
    assert "mục 4: loại tuyên truyền" in result.output
    assert "4 mục: 0 đã duyệt, 4 bản nháp" in imported("items", "list").output
    english = imported("--lang", "en", "items", "set", "4", "--kind", "administrative")
    assert "item 4: kind administrative" in english.output
    bad = imported("items", "set", "4", "--kind", "quảng cáo")
    assert bad.exit_code == 2


def test_merge_and_split(imported: Cli):
    merged = imported("items", "merge", "2", "3")
    assert merged.exit_code == 0, merged.output
    assert "đã gộp các mục 3 vào mục 2, ở dạng bản nháp" in merged.output
    assert "2 mục" in imported("items", "list").output
    shown = imported("items", "show", "2").output
    assert "tàu" in shown  # item 3's text now belongs to item 2
    split = imported("items", "split", "2", "--at-line", "99")
    assert split.exit_code == 2 and "dòng" in split.stderr
    lonely = imported("items", "merge", "2")
    assert lonely.exit_code == 1 and "từ hai mục trở lên" in lonely.stderr


def test_send_back_needs_a_comment(imported: Cli):
    result = imported("items", "send-back", "1", "--by", "Phó Chủ tịch", "--comment", "Sửa số")
    assert result.exit_code == 0, result.output
    assert "mục 1 bị Phó Chủ tịch trả lại: Sửa số" in result.output
    assert "trả lại" in imported("items", "show", "1").output
    empty = imported("items", "send-back", "1", "--by", "A", "--comment", "  ")
    assert empty.exit_code == 1 and "ý kiến đang để trống" in empty.stderr
