"""Draft announcement scripts: what a listener would hear, from an editable template."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcaster.domain.errors import InputError
from broadcaster.ingest import IngestSettings, ScriptRenderer, estimate_seconds, read_guidance


def test_script_names_the_document_it_implements_and_reads_the_slogans_last(seed_003: Path) -> None:
    item = read_guidance(seed_003)[1][0].items[8]
    lines = item.script.split("\n")
    assert lines[1].startswith(
        "Thực hiện Kế hoạch số 353/KH-UBND ngày 14 tháng 05 năm 2021 của UBND tỉnh, Đài Truyền thanh "
        "cơ sở xin thông tin tới bà con về toàn dân tập luyện môn bơi"
    )
    assert lines[-2] == "“Toàn dân tích cực học bơi phòng, chống đuối nước”."
    assert item.script.count("Học bơi để an toàn trong môi trường nước") == 1
    assert "Đề nghị các cơ quan báo chí" not in item.script


def test_script_without_basis_names_the_guidance_itself(guidance_dir: Path) -> None:
    doc = read_guidance(guidance_dir / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt")[1][0]
    item = next(i for i in doc.items if i.number == "I.4")
    assert (
        "Thực hiện Hướng dẫn số 45/HD-VHXH ngày 18 tháng 05 năm 2026 của Phòng Văn hóa - Xã hội"
        in item.script
    )
    assert "Tổng đài quốc gia bảo vệ trẻ em 111" in item.script


def test_administrative_items_get_no_script(seed_002: Path) -> None:
    plan = read_guidance(seed_002)[1][1]
    admin = [i for i in plan.items if i.kind.value == "administrative"]
    assert admin and all(i.script == "" and i.estimated_duration is None for i in admin)


def test_estimated_duration_follows_the_reading_rate(seed_003: Path, tmp_path: Path) -> None:
    slow = read_guidance(seed_003, IngestSettings(reading_rate=100))[1][0].items[0]
    fast = read_guidance(seed_003, IngestSettings(reading_rate=200))[1][0].items[0]
    words = len(slow.script.split())
    assert slow.estimated_duration is not None and fast.estimated_duration is not None
    # numbers like "2390/UBND-KGVX" are read as several words: a little over one per space
    assert words * 60 / 100 <= slow.estimated_duration.total_seconds() <= words * 60 / 100 * 1.1
    assert (
        abs(slow.estimated_duration.total_seconds() - 2 * fast.estimated_duration.total_seconds())
        <= 1
    )
    assert estimate_seconds("một hai ba bốn năm", 150) == 2
    with pytest.raises(InputError):
        estimate_seconds("một", 0)


def test_a_template_file_replaces_the_default(seed_003: Path, tmp_path: Path) -> None:
    template = tmp_path / "ban-tin.j2"
    template.write_text("BẢN TIN: {{ item.title }} ({{ slogans | length }} khẩu hiệu)", "utf-8")
    item = read_guidance(seed_003, IngestSettings(script_template=template))[1][0].items[8]
    assert (
        item.script
        == "BẢN TIN: Tuyên truyền toàn dân tập luyện môn bơi, phòng chống đuối nước trẻ em (6 khẩu hiệu)"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% if %}", "ban-tin.j2:1: lỗi mẫu kịch bản"),
        ("{{ khong_co }}", "lỗi mẫu kịch bản"),
    ],
)
def test_broken_templates_give_one_line_errors(
    tmp_path: Path, source: str, expected: str, seed_003: Path
) -> None:
    template = tmp_path / "ban-tin.j2"
    template.write_text(source, "utf-8")
    with pytest.raises(InputError) as info:
        read_guidance(seed_003, IngestSettings(script_template=template))
    assert expected in str(info.value)
    assert str(template) in str(info.value)


def test_missing_template_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="không tìm thấy mẫu kịch bản"):
        ScriptRenderer.from_file(tmp_path / "khong-co.j2")


CORPORA = [
    *sorted((Path(__file__).resolve().parents[2].parent / "shared" / "corpus").glob("*.txt")),
    *sorted((Path(__file__).parent / "corpus").glob("*.txt")),
]


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.stem)
def test_drafts_address_listeners_name_the_station_and_read_nothing_for_staff(path: Path) -> None:
    for doc in read_guidance(path)[1]:
        for item in doc.propaganda:
            lines = item.script.split("\n")
            assert lines[0] == "Kính thưa bà con nhân dân!"
            assert lines[-1].startswith("Đài Truyền thanh") and "cảm ơn bà con" in lines[-1]
            assert all(line.rstrip().endswith((".", "!", "?", "”", ":")) for line in lines)
            for aside in ("(Nguồn", "http", "www.", "Thực hiện Kế hoạch,", "gửi kèm"):
                assert aside not in item.script


def test_a_commune_station_is_named_and_an_anniversary_counts_its_years() -> None:
    corpus = Path(__file__).parent / "corpus"
    doc = read_guidance(corpus / "tanhoa-ubndxa-sxh-2024.txt")[1][0]
    assert (
        doc.propaganda[0]
        .script.split("\n")[1]
        .startswith(
            "Thực hiện Kế hoạch số 85/KH-UBND ngày 20 tháng 05 năm 2024 của Ủy ban nhân dân xã Tân Hòa, "
            "Đài Truyền thanh xã Tân Hòa xin thông tin tới bà con về"
        )
    )
    doc = read_guidance(corpus / "chochu-ubndtt-treoco-19-5-2025.txt")[1][0]
    (aired,) = doc.propaganda
    assert "Năm nay là kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19 tháng 5 năm 1890)." in (
        aired.script
    )
