"""The two real guidance documents: what an office must get out of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from broadcaster.domain.items import ItemKind, PartialDate
from broadcaster.ingest import ParsedDocument, read_guidance

# seed 003, items 1–19: (type, number, date, issuer) of the document each topic implements
SEED_003_BASIS = [
    ("Công văn", "2390/UBND-KGVX", date(2021, 5, 17), "UBND tỉnh"),
    (
        "Kế hoạch",
        "347/KH-BCĐ",
        date(2021, 5, 13),
        "Ban chỉ đạo phong trào toàn dân đoàn kết xây dựng đời sống văn hóa",
    ),
    ("Kế hoạch", "338/KH-UBND", date(2021, 5, 7), "UBND tỉnh"),
    ("Kế hoạch", "340/KH-UBND", date(2021, 5, 10), "UBND tỉnh"),
    ("Hướng dẫn", "04/HD-SVHTTDL", date(2021, 5, 18), "Sở Văn hóa, Thể thao và Du lịch"),
    ("Công văn", "890/SHK-TTĐT", date(2020, 5, 14), "Sở Kế hoạch và Đầu tư"),
    ("Công văn", "1055/STNMT-BVMT", date(2021, 5, 19), "Sở Tài và Môi trường"),
    ("Công văn", "2376/UBND-KTN", date(2021, 5, 17), "UBND tỉnh"),
    ("Kế hoạch", "353/KH-UBND", date(2021, 5, 14), "UBND tỉnh"),
    ("Kế hoạch", "361/KH-BTC", date(2021, 5, 20), "BTC các hoạt động kỷ niệm 309"),
    ("Kế hoạch", "362/KH-BTC", date(2021, 5, 20), "BTC các hoạt động kỷ niệm 309"),
    ("Kế hoạch", "344/KH-UBND", date(2021, 5, 11), None),  # the document names no issuer
    ("Công văn", "279/TTCS-TTTH", date(2021, 5, 10), "Cục Thông tin cơ sở"),
    ("Công văn", "2083/UBND-KGVX", date(2021, 4, 29), "UBND tỉnh"),
    ("Kế hoạch", "327/KH-BCĐ", date(2021, 5, 4), "BCĐ PCTP, TNXH & XDPTTTHVVTĐ tỉnh"),
    ("Kế hoạch", "310/KH-UBND", date(2021, 4, 26), "UBND tỉnh"),
    ("Kế hoạch", "334/KH-UBND", date(2021, 5, 6), "UBND tỉnh"),
    ("Kế hoạch", "182/KH-UBND", date(2021, 4, 9), "UBND tỉnh"),
    ("Kế hoạch", "176/KH-UBND", date(2021, 4, 6), "UBND tỉnh"),
]


def parse(path: Path) -> list[ParsedDocument]:
    return read_guidance(path)[1]


def test_seed_003_yields_nineteen_propaganda_items_in_order_with_their_basis(
    seed_003: Path,
) -> None:
    (doc,) = parse(seed_003)
    assert [i.number for i in doc.items] == [str(n) for n in range(1, 20)]
    assert all(i.kind is ItemKind.PROPAGANDA for i in doc.items)
    got = [(b.type, b.number, b.date, b.issuer) for b in (i.basis[0] for i in doc.items)]
    assert got == SEED_003_BASIS
    assert all(len(i.basis) == 1 for i in doc.items)
    assert doc.items[0].title == "Tuyên truyền phòng, chống sốt xuất huyết"
    # a title broken over a page break is joined again
    assert doc.items[10].title.endswith("và 20 năm Ngày toàn dân phòng cháy và chữa cháy")


def test_seed_003_item_9_carries_its_six_slogans(seed_003: Path) -> None:
    item = parse(seed_003)[0].items[8]
    assert item.slogans == (
        "Toàn dân tham gia phòng, chống đuối nước trẻ em",
        "Học bơi để phòng, chống đuối nước",
        "Học bơi để nâng sức khỏe và phát triển thể lực tầm vóc",
        "Học bơi để an toàn trong môi trường nước",
        "Toàn dân hưởng ứng Chương trình sức khỏe Việt Nam",
        "Toàn dân tích cực học bơi phòng, chống đuối nước",
    )
    assert sum(len(i.slogans) for i in parse(seed_003)[0].items) == 6


def test_seed_003_item_5_has_its_theme_without_markdown(seed_003: Path) -> None:
    items = parse(seed_003)[0].items
    assert items[4].theme == "Gia đình bình an - xã hội hạnh phúc"
    assert [i.number for i in items if i.theme] == ["5"]


def test_seed_003_item_15_has_the_observance_on_26_june(seed_003: Path) -> None:
    item = parse(seed_003)[0].items[14]
    assert [(o.name, o.iso()) for o in item.observances] == [
        ("Ngày toàn dân phòng, chống ma túy", "--06-26")
    ]


def test_seed_003_header(seed_003: Path) -> None:
    d = parse(seed_003)[0].directive
    assert d.number == "/STTTT-TTBCXB"
    assert d.place == "Đắk Nông"
    assert d.date == PartialDate(2021, 5, None)
    assert d.date.iso() == "2021-05"
    assert d.doc_type == "Công văn"
    assert d.issuer == "Sở Thông tin và Truyền thông"
    assert d.subject == "hướng dẫn một số nội dung tuyên truyền (Từ tuần 4, tháng 5/2021)"
    assert d.addressees == (
        "Các cơ quan báo chí trên địa bàn tỉnh",
        "Cổng/trang thông tin điện tử các cơ quan, đơn vị",
        "Phòng Văn hóa - Thông tin các huyện, thành phố",
        "Trung tâm Văn hóa - Thể thao và Truyền thông các huyện, thành phố",
    )
    assert d.period is not None and d.period.text == "Từ tuần 4, tháng 5/2021"
    assert d.period.start == date(2021, 5, 24) and d.period.end is None
    assert d.signer is None


def test_seed_003_closing_formula_is_not_part_of_the_last_item(seed_003: Path) -> None:
    last = parse(seed_003)[0].items[-1]
    assert "có hiệu quả./" not in last.text
    assert last.text.endswith("xã hội số.")


def test_seed_002_splits_into_cover_letter_and_plan(seed_002: Path) -> None:
    cover, plan = parse(seed_002)
    assert (cover.directive.number, cover.directive.date) == (
        "3717/UBND-VX",
        PartialDate(2021, 11, 3),
    )
    assert cover.directive.issuer == "Ủy ban nhân dân thị xã Duyên Hải"
    assert cover.directive.basis[0].number == "46/KH-STTTT-TTBCXB"
    assert (plan.directive.number, plan.directive.date) == (
        "46/KH-STTTT-TTBCXB",
        PartialDate(2021, 11, 1),
    )
    assert plan.directive.doc_type == "Kế hoạch"
    assert plan.directive.part == 1 and cover.directive.part == 0
    assert plan.directive.signer == "Nguyễn Thanh Luân"
    assert [(b.number, b.date) for b in plan.directive.basis] == [
        ("1307/QĐ-BTTTT", date(2021, 8, 27))
    ]
    assert plan.directive.period is not None and plan.directive.period.start == date(2022, 1, 1)
    # the cover letter's numbered points assign work: administrative
    assert [i.kind for i in cover.items] == [ItemKind.ADMINISTRATIVE] * 3


def test_seed_002_content_bullets_are_propaganda_funding_and_duties_administrative(
    seed_002: Path,
) -> None:
    plan = parse(seed_002)[1]
    propaganda = [i for i in plan.items if i.kind is ItemKind.PROPAGANDA]
    assert [i.number for i in propaganda] == [f"II.1.•{n}" for n in range(1, 6)]
    assert all(i.title.startswith("Tuyên truyền") for i in propaganda)
    admin = {i.title: i for i in plan.items if i.kind is ItemKind.ADMINISTRATIVE}
    assert "Kinh phí thực hiện" in admin
    assert "Mục đích, yêu cầu" in admin
    assert {"Sở Giáo dục và Đào tạo", "Hội Khuyến học tỉnh", "Sở Thông tin và Truyền thông"} <= set(
        admin
    )
    assert "Phương thức tuyên truyền" in admin
    first = propaganda[0]
    assert [b.number for b in first.basis][:2] == ["489/QĐ-TTg", "49-KL/TW"]


def test_every_item_gets_a_draft_script_and_duration(seed_003: Path) -> None:
    for item in parse(seed_003)[0].items:
        assert item.script.startswith("Kính thưa bà con nhân dân!")
        assert "Đề nghị các cơ quan báo chí" not in item.script
        assert item.estimated_duration is not None and item.estimated_duration.total_seconds() > 10
