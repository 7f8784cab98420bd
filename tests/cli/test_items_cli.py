"""``broadcaster items list|show|edit|approve``: reviewing imported topics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import Cli

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "schedules"
    / "guidance"
    / "2026-05_cong-van-phong-chong-thien-tai.txt"
)
NOW = datetime(2026, 5, 15, 2, 30, tzinfo=UTC)


@pytest.fixture
def imported(cli: Cli) -> Cli:
    cli.at(NOW)
    assert cli("directive", "import", str(EXAMPLE)).exit_code == 0
    return cli


def test_list_shows_propaganda_drafts_by_default(imported: Cli) -> None:
    out = imported("items", "list").output
    assert "Tuyên truyền hưởng ứng Ngày" in out and "bảo đảm an toàn cho tàu" in out
    assert "3 mục: 0 đã duyệt, 3 bản nháp" in out
    everything = imported("items", "list", "--kind", "all").output
    assert "4 mục" in everything and "hành chính" in everything


def test_show_prints_basis_slogans_observances_and_script(imported: Cli) -> None:
    out = imported("items", "show", "1").output
    assert "Khẩu hiệu" in out and "“Cộng đồng chung tay - Giảm nhẹ rủi ro thiên tai”" in out
    assert "Ngày Phòng, chống thiên tai Việt Nam (22/05)" in out
    assert "Kịch bản phát thanh" in out and "Kính thưa bà con nhân dân!" in out
    assert "nháp (chưa duyệt)" in out
    missing = imported("items", "show", "99")
    assert missing.exit_code == 1 and missing.stderr.startswith("lỗi: không có mục 99")


def test_approve_records_who_and_when(imported: Cli) -> None:
    result = imported("items", "approve", "1", "2", "--by", "Lê Văn Thành")
    assert result.exit_code == 0, result.output
    # the office's time: 02:30 UTC is 09:30 in Việt Nam
    assert "mục 1: Lê Văn Thành đã duyệt lúc 15/05/2026 09:30" in result.output
    out = imported("items", "show", "1").output
    assert "Lê Văn Thành, 15/05/2026 09:30" in out
    assert "3 mục: 2 đã duyệt, 1 bản nháp" in imported("items", "list").output
    again = imported("items", "approve", "1", "--by", "X").output
    assert "mục 1: đã được Lê Văn Thành duyệt lúc 15/05/2026 09:30" in again
    english = imported("--lang", "en", "items", "approve", "1", "--by", "X").output
    assert "item 1: already approved by Lê Văn Thành at 15/05/2026 09:30" in english
    approved = imported("items", "list", "--state", "approved").output
    assert "2 mục: 2 đã duyệt" in approved


def test_administrative_items_are_not_approved(imported: Cli) -> None:
    result = imported("items", "approve", "4", "--by", "A")
    assert result.exit_code == 1
    assert result.stderr.startswith("lỗi: mục 4 (4 Đề nghị Trưởng các thôn")
    assert "là nội dung hành chính, không phát sóng" in result.stderr


def test_approving_several_is_all_or_nothing(imported: Cli) -> None:
    result = imported("items", "approve", "1", "2", "4", "99", "--by", "A")
    assert result.exit_code == 1
    assert "2/4 mục không duyệt được, chưa duyệt mục nào" in result.stderr
    assert "mục 4 (4 Đề nghị" in result.stderr and "không có mục 99" in result.stderr
    assert "3 mục: 0 đã duyệt, 3 bản nháp" in imported("items", "list").output


def test_approve_a_whole_directive_skips_its_administrative_items(imported: Cli) -> None:
    result = imported("items", "approve", "--directive", "1", "--by", "Lê Văn Thành")
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "mục 1",
        "mục 2",
        "mục 3",
    ]
    assert "3 mục: 3 đã duyệt, 0 bản nháp" in imported("items", "list").output
    unknown = imported("items", "approve", "--directive", "7", "--by", "A")
    assert unknown.exit_code == 1 and "không có văn bản chỉ đạo 7" in unknown.stderr
    nothing = imported("items", "approve", "--by", "A")
    assert nothing.exit_code == 2 and "cho số hiệu các mục, hoặc --directive ID" in nothing.stderr


def test_edit_from_a_file_updates_the_script_and_withdraws_approval(
    imported: Cli, tmp_path: Path
) -> None:
    imported("items", "approve", "2", "--by", "Lê Văn Thành")
    script = tmp_path / "kich-ban.txt"
    script.write_text("Kính thưa bà con! Khi có dông sét, không trú dưới gốc cây cao.\n", "utf-8")
    result = imported("items", "edit", "2", "--script-file", str(script))
    assert result.exit_code == 0, result.output
    assert "mục 2: đã lưu kịch bản (~6 giây với tốc độ 150 âm tiết/phút)" in result.output
    assert "đã hủy duyệt" in result.output
    out = imported("items", "show", "2").output
    assert "Khi có dông sét, không trú dưới gốc cây cao." in out and "nháp (chưa duyệt)" in out
    unchanged = imported("items", "edit", "2", "--script-file", str(script))
    assert "kịch bản không thay đổi" in unchanged.output


def test_edit_from_standard_input_and_empty_script(imported: Cli) -> None:
    result = imported(
        "items",
        "edit",
        "3",
        "--script-file",
        "-",
        input="Bà con chú ý an toàn khi đi biển.".encode(),
    )
    assert "mục 3: đã lưu kịch bản" in result.output
    empty = imported("items", "edit", "3", "--script-file", "-", input=b"  \n")
    assert empty.exit_code == 1 and "kịch bản mới để trống; chưa thay đổi gì" in empty.stderr


def test_edit_opens_the_editor(imported: Cli, tmp_path: Path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text(
        '#!/bin/sh\nprintf "Kịch bản sửa trong trình soạn thảo.\\n" > "$1"\n', "utf-8"
    )
    editor.chmod(0o755)
    result = imported("items", "edit", "1", env={"EDITOR": str(editor), "VISUAL": str(editor)})
    assert result.exit_code == 0, result.output
    assert "mục 1: đã lưu kịch bản" in result.output
    assert "Kịch bản sửa trong trình soạn thảo." in imported("items", "show", "1").output


REPO = Path(__file__).resolve().parents[2]


def test_set_planning_attributes_keeps_the_approval(imported: Cli) -> None:
    assert imported("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    imported("items", "approve", "1", "--by", "Lê Văn Thành")
    result = imported(
        "items",
        "set",
        "1",
        "--priority",
        "ưu tiên",
        "--target",
        "4",
        "--from",
        "20/05/2026",
        "--until",
        "2026-06-30",
        "--dayparts",
        "sang,Chiều",
        "--min-gap",
        "1d",
        "--stations",
        "xa-dakmil,XA-DUCMANH",
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert (
        "mục 1: đã đặt priority, target, from, until, dayparts, min-gap, stations (vẫn giữ duyệt)"
        in out
    )
    for row in (
        "Mức ưu tiên  Ưu tiên",
        "Chỉ tiêu     4 lượt/tuần tại mỗi đài (riêng của mục này)",
        "Hiệu lực     20/05/2026 – 30/06/2026",
        "Khung giờ    sáng (trước 11:00), chiều, tối (từ 14:00)",
        "Giãn cách    tối thiểu 1 ngày giữa hai lần phát",
        "Đài phát     XA-DAKMIL, XA-DUCMANH",
    ):
        assert row in out, out
    shown = imported("items", "show", "1").stdout
    assert "Lê Văn Thành, 15/05/2026 09:30" in shown  # still approved
    assert "Chỉ tiêu     4 lượt/tuần" in shown and "Đài phát     XA-DAKMIL, XA-DUCMANH" in shown

    again = imported("items", "set", "1", "--target", "4")
    assert "mục 1: không có gì thay đổi (các giá trị đã được đặt từ trước)" in again.stdout
    reset = imported(
        "items", "set", "1", "--target", "default", "--dayparts", "any", "--stations", "all"
    )
    assert "mục 1: đã đặt target, dayparts, stations (vẫn giữ duyệt)" in reset.stdout
    assert "mặc định: 5 lượt/tuần tại mỗi đài theo mức ưu tiên" in reset.stdout
    assert "Khung giờ    mọi buổi phát" in reset.stdout
    assert "Đài phát     mọi đài của đơn vị lập kế hoạch" in reset.stdout


def test_set_several_items_at_once_all_or_nothing(imported: Cli) -> None:
    assert imported("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    both = imported("items", "set", "2", "3", "--target", "1", "--stations", "XA-DAKSAK")
    assert both.exit_code == 0, both.stderr
    assert "mục 2: đã đặt target, stations (vẫn là bản nháp)" in both.stdout
    assert "mục 3: đã đặt target, stations (vẫn là bản nháp)" in both.stdout
    # item 4 is administrative: nothing changes, not even items 2 and 3
    refused = imported("items", "set", "2", "3", "4", "--target", "6")
    assert refused.exit_code == 1 and "mục 4 (4 Đề nghị" in refused.stderr
    for n in ("2", "3"):
        assert "Chỉ tiêu     1 lượt/tuần" in imported("items", "show", n).stdout
    unknown = imported("items", "set", "2", "3", "--stations", "XA-NOPE")
    assert unknown.stderr.startswith("lỗi: mục 2, 3: không có đài 'XA-NOPE'")


def test_show_gives_the_default_target_from_the_planner_settings(imported: Cli) -> None:
    out = imported("items", "show", "2", env={"BROADCASTER_PLANNER_TARGET_NORMAL": "2"}).stdout
    assert "Mức ưu tiên  Thông thường" in out
    assert "mặc định: 2 lượt/tuần tại mỗi đài theo mức ưu tiên" in out
    assert "Giãn cách    không" in out and "Khung giờ    mọi buổi phát" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--priority", "emergency"],
            "lỗi: không thể lập kế hoạch cho mức khẩn cấp: bản tin khẩn cấp không xếp lịch mà "
            "được gửi ngay: dùng 'broadcaster emergency send --office CODE",
        ),
        (["--priority", "urgent"], "lỗi: không có mức ưu tiên 'urgent'; dùng normal hoặc priority"),
        (
            ["--target", "51"],
            "lỗi: chỉ tiêu 51 nằm ngoài khoảng cho phép; hãy cho từ 0 đến 50 lượt phát mỗi tuần",
        ),
        (
            ["--target", "-1"],
            "lỗi: chỉ tiêu -1 nằm ngoài khoảng cho phép; hãy cho từ 0 đến 50 lượt phát mỗi tuần",
        ),
        (["--target", "many"], "lỗi: chỉ tiêu 'many' không phải là số"),
        (
            ["--until", "2026-05-01"],
            "lỗi: mục 2: --until 01/05/2026 trước --from 18/05/2026; thời hạn phải kết thúc vào "
            "hoặc sau ngày bắt đầu",
        ),
        (["--from", "31/02/2026"], "lỗi: --from '31/02/2026' không phải là ngày; viết theo dạng"),
        (["--dayparts", "đêm"], "lỗi: không có khung giờ 'dem'; dùng sang (trước 11:00)"),
        (["--min-gap", "2w"], "lỗi: không hiểu khoảng cách tối thiểu '2w'; viết như 1d"),
        (["--min-gap", "8d"], "lỗi: khoảng cách tối thiểu '8d' dài hơn một tuần"),
        (
            ["--stations", "XA-DAKMILL"],
            "lỗi: mục 2: không có đài 'XA-DAKMILL'; có phải là XA-DAKMIL",
        ),
        (["--title", "  "], "lỗi: tiêu đề mới để trống"),
        ([], "lỗi: mục 2: không có gì để thay đổi; hãy cho ít nhất một trong --priority"),
    ],
)
def test_set_refuses_bad_values_with_one_line(imported: Cli, args: list[str], message: str) -> None:
    imported("stations", "load", str(REPO / "schedules" / "example.toml"))
    before = imported("items", "show", "2").stdout
    result = imported("items", "set", "2", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert imported("items", "show", "2").stdout == before


def test_set_on_unknown_stations_without_a_registry_says_how_to_load_them(imported: Cli) -> None:
    result = imported("items", "set", "2", "--stations", "XA-A")
    assert result.exit_code == 1
    assert "chưa nạp đài nào; hãy nạp bằng 'broadcaster stations load FILE'" in (result.stderr)


def test_set_refuses_administrative_items_and_missing_ones(imported: Cli) -> None:
    admin = imported("items", "set", "4", "--target", "2")
    assert admin.exit_code == 1 and "là nội dung hành chính, không phát sóng" in admin.stderr
    missing = imported("items", "set", "99", "--target", "2")
    assert missing.exit_code == 1 and missing.stderr.startswith("lỗi: không có mục 99")


def test_set_title(imported: Cli) -> None:
    result = imported("items", "set", "3", "--title", "An toàn  cho tàu thuyền  mùa mưa bão")
    assert "mục 3: đã đặt title" in result.stdout
    assert "3. [3] An toàn cho tàu thuyền mùa mưa bão" in imported("items", "show", "3").stdout


def test_check_lists_each_script_and_passes_the_imported_drafts(imported: Cli) -> None:
    result = imported("items", "check")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("mục 1: phát sóng được — ")
    assert lines[-1] == "đã kiểm tra 3 kịch bản: 3 phát sóng được, 0 có vấn đề"
    assert "mục 4" not in result.stdout  # administrative: not aired, nothing to check


def test_check_names_each_problem_of_a_script_and_exits_1(imported: Cli, tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(
        "Đề nghị các thôn phát thanh bài này. Xem thêm tại www.example.gov.vn. "
        "Bà con chủ động phòng tránh sốt xuất",
        "utf-8",
    )
    assert imported("items", "edit", "2", "--script-file", str(script)).exit_code == 0
    result = imported("items", "check", "2", "1")
    assert result.exit_code == 1
    out = result.stdout
    assert "mục 2: kịch bản có 3 vấn đề — " in out
    assert "“Đề nghị các thôn phát thanh bài này.” là lời giao việc cho cơ quan, cán bộ" in out
    assert "“www.example.gov.vn” là địa chỉ trang web" in out
    assert "“chủ động phòng tránh sốt xuất”" in out and "dừng giữa câu" in out
    assert out.index("mục 2:") < out.index("mục 1: phát sóng được")
    assert out.splitlines()[-1] == "đã kiểm tra 2 kịch bản: 1 phát sóng được, 1 có vấn đề"
    english = imported("--lang", "en", "items", "check", "--directive", "1").output
    assert "item 2: 3 problems in its script — " in english
    assert "3 scripts checked: 2 fit to air, 1 with problems" in english


def test_check_refuses_unknown_and_administrative_items(imported: Cli) -> None:
    missing = imported("items", "check", "99")
    assert missing.exit_code == 1 and missing.stderr.startswith("lỗi: không có mục 99")
    both = imported("items", "check", "4", "99", "1")
    assert both.exit_code == 1
    assert "2/3 mục không kiểm tra được" in both.stderr
    assert "mục 4 (4 Đề nghị" in both.stderr and "không có kịch bản để kiểm tra" in both.stderr
    assert imported("items", "check", "1", "--directive", "1").exit_code == 2


def test_set_checks_every_option_before_changing_the_kind(imported: Cli) -> None:
    """A malformed date next to --kind changes nothing: the item keeps its kind."""
    before = imported("items", "show", "4").stdout
    result = imported("items", "set", "4", "--kind", "propaganda", "--from", "31/02/2026")
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert "31/02/2026" in result.stderr
    assert "loại tuyên truyền" not in result.stdout
    assert imported("items", "show", "4").stdout == before


def test_set_aims_an_item_at_loudspeaker_clusters(imported: Cli) -> None:
    """The riverside villages: an item for one cluster is kept (planned in its commune's
    programme, played by that cluster alone, issue 22)."""
    imported("stations", "load", str(REPO / "schedules" / "example.toml"))
    aimed = imported("items", "set", "2", "--stations", "XA-DAKMIL-L1,XA-DAKMIL-L2")
    assert aimed.exit_code == 0, aimed.stderr
    assert "mục 2: đã đặt stations" in aimed.stdout
    shown = " ".join(imported("items", "show", "2").stdout.split())
    assert "XA-DAKMIL-L1" in shown and "XA-DAKMIL-L2" in shown
