"""The parser on the shapes guidance takes, beyond the two seeds."""

from __future__ import annotations

import io
from datetime import date

import pytest

from broadcaster.domain.items import ItemKind, PartialDate
from broadcaster.ingest import extract_bytes, parse_extracted, parse_text
from broadcaster.ingest.refs import find_observances, find_period, find_refs, week_of_month


def test_guidance_example_nests_sections_items_and_letters(guidance_dir) -> None:  # type: ignore[no-untyped-def]
    (doc,) = parse_extracted(
        extract_bytes(
            (guidance_dir / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt").read_bytes(), "hd.txt"
        )
    )
    d = doc.directive
    assert (d.number, d.doc_type, d.issuer) == ("45/HD-VHXH", "Hướng dẫn", "Phòng Văn hóa - Xã hội")
    assert d.period is not None and (d.period.start, d.period.end) == (
        date(2026, 5, 25),
        date(2026, 6, 21),
    )
    assert d.signer == "Trần Thị Hồng Nhung"
    numbers = [(i.number, i.kind) for i in doc.items]
    assert numbers == [
        ("I.1", ItemKind.PROPAGANDA), ("I.2", ItemKind.PROPAGANDA), ("I.3", ItemKind.PROPAGANDA),
        ("I.4", ItemKind.PROPAGANDA), ("I.5", ItemKind.PROPAGANDA),
        ("III.1", ItemKind.ADMINISTRATIVE), ("III.2", ItemKind.ADMINISTRATIVE),
    ]  # fmt: skip
    by = {i.number: i for i in doc.items}
    # a) and b) tell what the month of action is about: one topic
    assert by["I.4"].title == "Tuyên truyền Tháng hành động vì trẻ em năm 2026"
    assert "Phòng, chống xâm hại trẻ em: hướng dẫn cha mẹ" in by["I.4"].text
    assert "Bảo đảm an toàn cho trẻ trên không gian mạng" in by["I.4"].text
    assert by["I.3"].theme == "Chấm dứt ô nhiễm nhựa"
    # "II. KHẨU HIỆU TUYÊN TRUYỀN" is no topic: each slogan goes with the topic it speaks of
    assert by["I.1"].slogans == (
        "Diệt bọ gậy, loăng quăng - không để muỗi sinh sản",
        "Không có bọ gậy, không có sốt xuất huyết",
    )
    assert by["I.4"].slogans == ("Nhiệt liệt hưởng ứng Tháng hành động vì trẻ em năm 2026",)
    assert [(o.name, o.iso()) for o in by["I.1"].observances] == [
        ("Ngày ASEAN phòng, chống sốt xuất huyết", "--06-15")
    ]
    assert all(
        i.valid_from == date(2026, 5, 25) and i.valid_until == date(2026, 6, 21) for i in doc.items
    )


def test_bullets_under_a_topic_stay_in_its_text(guidance_dir) -> None:  # type: ignore[no-untyped-def]
    (doc,) = parse_extracted(
        extract_bytes(
            (guidance_dir / "2026-05_cong-van-phong-chong-thien-tai.txt").read_bytes(), "cv.txt"
        )
    )
    first = doc.items[0]
    assert first.number == "1"
    assert "- Dự trữ lương thực, nước uống, thuốc men" in first.text
    assert first.slogans == (
        "Chủ động phòng, chống thiên tai - Bảo vệ cuộc sống của chính bạn",
        "Cộng đồng chung tay - Giảm nhẹ rủi ro thiên tai",
    )
    assert [i.kind for i in doc.items] == [ItemKind.PROPAGANDA] * 3 + [ItemKind.ADMINISTRATIVE]
    assert doc.directive.period is not None and doc.directive.period.end == date(2026, 5, 24)


def test_numbering_that_does_not_continue_a_sequence_is_text() -> None:
    text = "Số: 5/KH-UBND\nXã A, ngày 01 tháng 6 năm 2026\n\n1. Tuyên truyền tiêm chủng\n\nTrẻ em cần tiêm đủ mũi.\n\n7. trường hợp mắc được ghi nhận.\n\n2. Tuyên truyền an toàn thực phẩm"
    (doc,) = parse_text(text)
    assert [i.number for i in doc.items] == ["1", "2"]
    assert "7. trường hợp" in doc.items[0].text


def test_blank_and_dotted_numbers_and_partial_dates() -> None:
    text = "Số: …/TB-UBND\nThôn Đông, ngày   tháng 7 năm 2026\nV/v lịch tiêm phòng\n\n1. Tiêm phòng dại cho chó, mèo"
    (doc,) = parse_text(text)
    assert doc.directive.number == "/TB-UBND"
    assert doc.directive.doc_type == "Thông báo"
    assert doc.directive.date == PartialDate(2026, 7, None)
    assert doc.directive.subject == "lịch tiêm phòng"


def test_references_with_and_without_so_dates_in_words_and_issuers() -> None:
    refs = find_refs(
        "Thực hiện Thông tư số 28/2019/TT-BLĐTBXH ngày 26 tháng 12 năm 2019 của Bộ Lao động - Thương binh và Xã hội về việc hướng dẫn; "
        "Công văn 279/TTCS-TTTH ngày 10/5/2021 của Cục Thông tin cơ sở, và Chỉ thị số 11-CT/TW ngày 13/4/2007 của Bộ Chính trị khóa X"
    )
    assert [(r.type, r.number, r.date, r.issuer) for r in refs] == [
        (
            "Thông tư",
            "28/2019/TT-BLĐTBXH",
            date(2019, 12, 26),
            "Bộ Lao động - Thương binh và Xã hội",
        ),
        ("Công văn", "279/TTCS-TTTH", date(2021, 5, 10), "Cục Thông tin cơ sở"),
        ("Chỉ thị", "11-CT/TW", date(2007, 4, 13), "Bộ Chính trị khóa X"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“Ngày toàn dân phòng, chống ma túy - 26/6”",
            [("Ngày toàn dân phòng, chống ma túy", "--06-26")],
        ),
        (
            "hưởng ứng Ngày Quốc tế Thiếu nhi (01/6/2026) tại xã",
            [("Ngày Quốc tế Thiếu nhi", "2026-06-01")],
        ),
        ("kỷ niệm Ngày Pháp luật Việt Nam năm 2026", [("Ngày Pháp luật Việt Nam", "--11-09")]),
        ("Ngày càng nhiều người dân tham gia. Ngày 15/5 họp dân.", []),
        (
            "tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
            [("Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư", None)],
        ),
    ],
)
def test_observance_days(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(o.name, o.iso()) for o in find_observances(text)] == expected


def test_periods() -> None:
    p = find_period("hướng dẫn tuyên truyền (Từ tuần 4, tháng 5/2021)")
    assert p is not None and (p.start, p.end) == (date(2021, 5, 24), None)
    p = find_period("từ ngày 15/5/2022 đến ngày 22/5/2022")
    assert p is not None and (p.start, p.end) == (date(2022, 5, 15), date(2022, 5, 22))
    p = find_period("nội dung tuyên truyền tháng 6/2026")
    assert p is not None and (p.start, p.end) == (date(2026, 6, 1), date(2026, 6, 30))
    assert find_period("Đề án “Xây dựng xã hội học tập giai đoạn 2022 - 2030”") is None
    # week 1 holds the 1st when the 1st is Monday–Thursday
    assert week_of_month(2026, 6, 1) == (date(2026, 6, 1), date(2026, 6, 7))
    assert week_of_month(2021, 5, 1) == (date(2021, 5, 3), date(2021, 5, 9))


def test_docx_automatic_numbering_is_rebuilt() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Số: 7/HD-VHXH")
    document.add_paragraph("Xã Hòa Bình, ngày 03 tháng 3 năm 2026")
    for title in (
        "Tuyên truyền bầu cử đại biểu Hội đồng nhân dân",
        "Tuyên truyền phòng, chống cúm gia cầm",
    ):
        document.add_paragraph(title, style="List Number")
    document.add_paragraph("Người dân không giết mổ gia cầm ốm chết.")
    out = io.BytesIO()
    document.save(out)
    (doc,) = parse_extracted(extract_bytes(out.getvalue(), "auto.docx"))
    assert [(i.number, i.title) for i in doc.items] == [
        ("1", "Tuyên truyền bầu cử đại biểu Hội đồng nhân dân"),
        ("2", "Tuyên truyền phòng, chống cúm gia cầm"),
    ]


def test_docx_topic_table_rows_become_items() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Số: 9/KH-UBND")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("STT", "Nội dung", "Thời gian"),
            ("1", "Tuyên truyền phòng, chống rét cho gia súc", "Tháng 1"),
            ("2", "Tuyên truyền đón Tết an toàn", "Tháng 2"),
        ],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    (doc,) = parse_extracted(extract_bytes(out.getvalue(), "bang.docx"))
    assert [i.title for i in doc.items] == [
        "Tuyên truyền phòng, chống rét cho gia súc – Tháng 1",
        "Tuyên truyền đón Tết an toàn – Tháng 2",
    ]


def test_bullets_nest_by_glyph_and_a_slogan_list_is_no_topic() -> None:
    text = (
        "Số: 9/HD-VHXH\nXã A, ngày 01 tháng 8 năm 2025\n\n"
        "* Nội dung tuyên truyền:\n"
        "+ Ý nghĩa lịch sử của Cách mạng tháng Tám.\n"
        "+ Phòng, chống bão lũ trong mùa mưa.\n"
        "* Khẩu hiệu tuyên truyền:\n"
        "- Chủ động phòng, chống bão lũ!\n"
        "- Không có gì quý hơn độc lập, tự do!\n"
        "* Tổ chức thực hiện:\n"
        "Các thôn treo cờ Tổ quốc; báo cáo kết quả trước ngày 05/9/2025./."
    )
    (doc,) = parse_text(text)
    assert [(i.title, i.kind) for i in doc.items] == [
        ("Ý nghĩa lịch sử của Cách mạng tháng Tám", ItemKind.PROPAGANDA),
        ("Phòng, chống bão lũ trong mùa mưa", ItemKind.PROPAGANDA),
        ("Tổ chức thực hiện", ItemKind.ADMINISTRATIVE),
    ]
    # a slogan goes with the topic it speaks of; one that speaks of none, with every topic
    assert doc.items[0].slogans == ("Không có gì quý hơn độc lập, tự do!",)
    assert doc.items[1].slogans == (
        "Chủ động phòng, chống bão lũ!",
        "Không có gì quý hơn độc lập, tự do!",
    )


def test_a_plain_line_heads_the_slogans_under_it_and_what_follows_stands_alone() -> None:
    text = (
        "Số: 9/UBND-VHXH\nXã A, ngày 01 tháng 7 năm 2022\n\n"
        "Đề nghị Đài truyền thanh xã tuyên truyền các nội dung sau:\n"
        "- Ý nghĩa lịch sử của Ngày Thương binh - Liệt sĩ 27/7.\n"
        "- Gương thương binh, gia đình liệt sĩ tiêu biểu.\n"
        "Khẩu hiệu tuyên truyền:\n"
        "- Đời đời nhớ ơn các anh hùng liệt sĩ!\n"
        "Thời gian tuyên truyền từ ngày 01/7/2022 đến hết ngày 28/7/2022.\n\n"
        "Các thôn tổ chức thăm, tặng quà gia đình chính sách; báo cáo kết quả về UBND xã "
        "trước ngày 05/8/2022./."
    )
    (doc,) = parse_text(text)
    propaganda = [i.title for i in doc.propaganda]
    assert propaganda == [
        "Ý nghĩa lịch sử của Ngày Thương binh - Liệt sĩ 27/7",
        "Gương thương binh, gia đình liệt sĩ tiêu biểu",
    ]
    assert any("Đời đời nhớ ơn các anh hùng liệt sĩ!" in i.slogans for i in doc.propaganda)
    duties = [i.text for i in doc.items if i.kind is ItemKind.ADMINISTRATIVE]
    assert any(t.startswith("Các thôn tổ chức thăm, tặng quà") for t in duties)
    assert not any("tặng quà" in i.text for i in doc.propaganda)


def test_sub_points_under_a_subject_heading_are_one_topic() -> None:
    text = (
        "Số: 8/KH-UBND\nXã A, ngày 20 tháng 5 năm 2024\n\n"
        "I. NỘI DUNG TUYÊN TRUYỀN\n"
        "1. Dấu hiệu bệnh sốt xuất huyết và cách xử trí\n"
        "a) Dấu hiệu nhận biết: sốt cao đột ngột, đau đầu.\n"
        "b) Khi có dấu hiệu sốt phải đến ngay cơ sở y tế.\n"
        "2. Nội dung khác:\n"
        "a) Phòng, chống đuối nước trẻ em.\n"
        "b) An toàn giao thông dịp hè.\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Các hoạt động hưởng ứng\n"
        "a) Tổ chức Ngày hội văn hóa.\n"
        "b) Các thôn xây dựng kế hoạch của đơn vị."
    )
    (doc,) = parse_text(text)
    assert [(i.number, i.kind) for i in doc.items] == [
        ("I.1", ItemKind.PROPAGANDA),
        ("I.2.a", ItemKind.PROPAGANDA),
        ("I.2.b", ItemKind.PROPAGANDA),
        ("II.1.a", ItemKind.ADMINISTRATIVE),
        ("II.1.b", ItemKind.ADMINISTRATIVE),
    ]
    assert "Khi có dấu hiệu sốt phải đến ngay cơ sở y tế." in doc.items[0].text
    assert "a)" not in doc.items[0].text  # the lines are read out as they stand


def test_documents_joined_to_a_cited_one_and_one_number_written_two_ways() -> None:
    text = (
        "ĐỀ CƯƠNG TUYÊN TRUYỀN\n\n"
        "I. CHỦ TRƯƠNG\n"
        "Căn cứ Nghị quyết số 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương;\n"
        "Ngày 16/4/2025, Ban Thường vụ Tỉnh ủy đã ban hành Kết luận số 1587-KL/TU ngày "
        "16/4/2025 về chủ trương sắp xếp.\n"
        "II. SỰ CẦN THIẾT\n"
        "Thực hiện Nghị quyết số 60/NQ-TW ngày 12/4/2025 và Kết luận số 137-KL/TW ngày "
        "28/3/2025 của Bộ Chính trị, việc sắp xếp là cần thiết. Luật số 47/2019/QH14 quy định."
    )
    (doc,) = parse_text(text)
    first, second = doc.items
    assert [b.number for b in first.basis] == ["60-NQ/TW", "1587-KL/TU"]
    assert [b.number for b in second.basis] == ["60-NQ/TW", "137-KL/TW"]
    assert second.basis[1].date == date(2025, 3, 28)


def test_articles_to_air_are_topics_under_any_heading() -> None:
    text = (
        "Số: 18/KH-UBND\nXã A, ngày 09 tháng 02 năm 2026\n\n"
        "Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13 "
        "ngày 25/6/2015;\nUBND xã xây dựng Kế hoạch như sau:\n\n"
        "1. Mục đích\nĐể cử tri hiểu rõ ý nghĩa của cuộc bầu cử.\n"
        "2. Thời gian và nội dung phát\n"
        "Thời gian: từ ngày 16/02/2026 đến ngày 14/3/2026.\n"
        "Bài 1: Ý nghĩa, tầm quan trọng của cuộc bầu cử\n\nCuộc bầu cử là sự kiện chính trị.\n\n"
        "Bài 2: Quyền và nghĩa vụ của cử tri\n\nCông dân đủ 18 tuổi trở lên có quyền bầu cử.\n\n"
        "3. Tổ chức thực hiện\nĐài Truyền thanh xã kiểm tra các cụm loa."
    )
    (doc,) = parse_text(text)
    assert [b.number for b in doc.directive.basis] == ["85/2015/QH13"]
    assert [(i.number, i.title) for i in doc.propaganda] == [
        ("2.Bài 1", "Ý nghĩa, tầm quan trọng của cuộc bầu cử"),
        ("2.Bài 2", "Quyền và nghĩa vụ của cử tri"),
    ]
    assert "Công dân đủ 18 tuổi" in doc.propaganda[1].text


def test_what_a_new_law_changes_is_what_listeners_hear() -> None:
    text = (
        "Số 25-ĐC/BTGHU\nNam Đàn, ngày 22 tháng 7 năm 2024\n\nĐỀ CƯƠNG TUYÊN TRUYỀN\n\n"
        "I. NHỮNG ĐIỂM MỚI CỦA LUẬT ĐẤT ĐAI NĂM 2024\n"
        "1. Bỏ khung giá đất; bảng giá đất được xây dựng hằng năm.\n"
        "2. Mở rộng đối tượng được nhận chuyển nhượng đất trồng lúa.\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Các chi bộ xây dựng kế hoạch tuyên truyền."
    )
    (doc,) = parse_text(text)
    assert [(i.number, i.kind) for i in doc.items] == [
        ("I.1", ItemKind.PROPAGANDA),
        ("I.2", ItemKind.PROPAGANDA),
        ("II.1", ItemKind.ADMINISTRATIVE),
    ]


def test_a_notice_the_station_airs_as_it_stands_tells_people_what_it_says() -> None:
    text = (
        "Số: 04/TB-UBND\nXã A, ngày 01 tháng 7 năm 2025\n\nTHÔNG BÁO\n"
        "Về hoạt động của chính quyền xã sau sắp xếp\n\n"
        "Mọi thủ tục hành chính được tiếp nhận và giải quyết tại Trung tâm Phục vụ hành chính "
        "công xã; người dân có thể nộp hồ sơ trực tuyến.\n\n"
        "Các loại giấy tờ đã cấp cho công dân, tổ chức trước ngày 01/7/2025 vẫn có giá trị sử "
        "dụng.\n\n"
        "Đài truyền thanh xã phát thông báo này vào các buổi sáng và chiều; Trưởng các thôn "
        "niêm yết thông báo tại nhà văn hóa thôn."
    )
    (doc,) = parse_text(text)
    kinds = [(i.kind, i.text[:30]) for i in doc.items]
    assert [k for k, _t in kinds] == [ItemKind.PROPAGANDA] * 2 + [ItemKind.ADMINISTRATIVE] * 2
    assert doc.items[1].text.startswith("Các loại giấy tờ đã cấp")


def test_an_anniversary_the_opening_asks_to_publicise_is_the_topic_of_a_list_of_duties() -> None:
    text = (
        "Thực hiện Công văn số 49/UBND-VHTT ngày 12/8/2021 của UBND Thành phố về việc tuyên "
        "truyền và tổ chức các hoạt động kỷ niệm 76 năm Cách mạng Tháng Tám (19/8/1945 - "
        "19/8/2021); UBND phường triển khai như sau:\n\n"
        "1. Xây dựng tin bài tuyên truyền trên trang thông tin điện tử phường.\n\n"
        "2. Các tổ dân phố treo băng rôn, khẩu hiệu tuyên truyền tại nhà văn hóa.\n\n"
        "* Nội dung khẩu hiệu tuyên truyền:\n\n"
        "- Tinh thần Cách mạng tháng Tám muôn năm!"
    )
    (doc,) = parse_text(text)
    (topic,) = doc.propaganda
    assert topic.title == "Kỷ niệm 76 năm Cách mạng Tháng Tám (19/8/1945 - 19/8/2021)"
    assert topic.slogans == ("Tinh thần Cách mạng tháng Tám muôn năm!",)
    assert [(o.name, o.iso()) for o in topic.observances] == [("Cách mạng Tháng Tám", "--08-19")]
    assert "UBND phường" not in topic.text


def test_bullets_under_the_propaganda_work_heading_are_its_topics() -> None:
    text = (
        "Số: 12/KH-ĐTN\nXã A, ngày 20 tháng 2 năm 2025\n\n"
        "I. NỘI DUNG\n"
        "1. Công tác tuyên truyền\n"
        "- Lịch sử vẻ vang của Đoàn qua 94 năm xây dựng và trưởng thành.\n"
        "- Gương đoàn viên, thanh niên tiêu biểu của xã.\n"
        "2. Các hoạt động trọng tâm\n"
        "- Tổ chức Lễ ra quân Tháng Thanh niên vào ngày 02/3/2025."
    )
    (doc,) = parse_text(text)
    assert [(i.title, i.kind) for i in doc.items] == [
        ("Lịch sử vẻ vang của Đoàn qua 94 năm xây dựng và trưởng thành", ItemKind.PROPAGANDA),
        ("Gương đoàn viên, thanh niên tiêu biểu của xã", ItemKind.PROPAGANDA),
        ("Các hoạt động trọng tâm", ItemKind.ADMINISTRATIVE),
    ]


def test_contents_listed_in_a_letter_are_topics_and_its_last_duty_is_kept() -> None:
    text = (
        "Số: 142/VHTT\nCẩm Xuyên, ngày 15 tháng 5 năm 2023\n\n"
        "Để phòng ngừa tai nạn đuối nước, đề nghị UBND các xã chỉ đạo Đài Truyền thanh tăng "
        "thời lượng tuyên truyền, tập trung vào các nội dung: nguy cơ và hậu quả của tai nạn "
        "đuối nước ở trẻ em; trách nhiệm của cha mẹ trong việc trông giữ con em; hướng dẫn kỹ "
        "năng phòng tránh đuối nước.\n\n"
        "Thời gian tuyên truyền từ tháng 5 đến tháng 8 năm 2023. Đề nghị các đơn vị báo cáo "
        "kết quả thực hiện về Phòng Văn hóa và Thông tin trước ngày 31/8/2023./."
    )
    (doc,) = parse_text(text)
    assert [i.title for i in doc.propaganda] == [
        "Nguy cơ và hậu quả của tai nạn đuối nước ở trẻ em",
        "Trách nhiệm của cha mẹ trong việc trông giữ con em",
        "Kỹ năng phòng tránh đuối nước",
    ]
    duties = [i.title for i in doc.items if i.kind is ItemKind.ADMINISTRATIVE]
    assert any("tăng thời lượng tuyên truyền" in d for d in duties)
    assert any(d.startswith("Đề nghị các đơn vị báo cáo kết quả") for d in duties)
    assert doc.directive.period is not None and doc.directive.period.end == date(2023, 8, 31)


def test_a_list_the_opening_calls_contents_is_content_unless_an_office_is_its_subject() -> None:
    text = (
        "Số: 11/UBND-VHXH\nXã A, ngày 24 tháng 9 năm 2025\n\n"
        "UBND xã đề nghị các ấp và Đài truyền thanh xã tập trung tuyên truyền các nội dung sau:\n"
        "- Truyền thống vẻ vang của lực lượng Cảnh sát phòng cháy, chữa cháy qua 64 năm.\n"
        "- Kết quả phong trào “Đền ơn đáp nghĩa” của huyện: đã xây mới 125 nhà tình nghĩa.\n"
        "- Các ấp treo băng rôn, khẩu hiệu tại nhà văn hóa ấp."
    )
    (doc,) = parse_text(text)
    assert [i.kind for i in doc.items] == [
        ItemKind.PROPAGANDA,
        ItemKind.PROPAGANDA,
        ItemKind.ADMINISTRATIVE,
    ]


def test_a_meetings_place_and_attendees_are_not_topics() -> None:
    text = (
        "Số: 96/TB-UBND\nXã A, ngày 01 tháng 10 năm 2025\n\nTHÔNG BÁO\nLịch họp giao ban\n\n"
        "1. Thời gian: 14 giờ 00, thứ Hai, ngày 06/10/2025.\n"
        "2. Địa điểm: Hội trường tầng 2, trụ sở UBND xã.\n"
        "3. Thành phần: Chủ tịch, các Phó Chủ tịch UBND xã; Trưởng các phòng chuyên môn, "
        "Giám đốc Trung tâm Phục vụ hành chính công xã; Trưởng các thôn."
    )
    (doc,) = parse_text(text)
    assert doc.propaganda == ()


def test_what_a_letter_asks_after_its_basis_is_read() -> None:
    text = (
        "Sở Thông tin và Truyền thông có Công văn số 1194/STTTT-TTBCXB về phòng, chống dịch.\n\n"
        "Thực hiện Công văn số 7068/UBND-KGVX ngày 27/10/2022 của UBND tỉnh về việc phòng, chống "
        "sốt xuất huyết, Sở Thông tin và Truyền thông đề nghị: Các cơ quan báo chí đẩy mạnh "
        "tuyên truyền để người dân hiểu nguy cơ, sự nguy hiểm của bệnh sốt xuất huyết. Đề nghị "
        "Đài Phát thanh – Truyền hình tỉnh tăng thời lượng, số lần tuyên truyền."
    )
    (doc,) = parse_text(text)
    assert [i.title for i in doc.propaganda] == ["Nguy cơ, sự nguy hiểm của bệnh sốt xuất huyết"]
    duties = [i.title for i in doc.items if i.kind is ItemKind.ADMINISTRATIVE]
    assert any("tăng thời lượng, số lần tuyên truyền" in d for d in duties)


def test_villages_told_to_campaign_for_the_flag_are_given_a_duty_not_a_topic() -> None:
    text = (
        "Số: 15/TB-UBND\nXã A, ngày 15 tháng 8 năm 2024\n\nTHÔNG BÁO\nVề việc treo cờ Tổ quốc\n\n"
        "1. Các cơ quan, đơn vị treo cờ Tổ quốc tại trụ sở từ ngày 18/8 đến ngày 20/8/2024.\n"
        "2. Các thôn, xóm vận động nhân dân treo cờ Tổ quốc tại gia đình."
    )
    (doc,) = parse_text(text)
    assert doc.propaganda == ()
