"""The station log book (sổ nhật ký phát thanh), HTML and DOCX."""

from __future__ import annotations

import io

import docx

from broadcaster.usecases.reports import build_station_logbook, render_station_logbook

from .conftest import NOW, PERIOD


def book_of(stored, station="XA-B", **kw):
    return build_station_logbook(
        stored.db, station=station, now=NOW, planned=stored.week.planned, **{**PERIOD, **kw}
    )


def test_logbook_lists_each_day_as_aired_with_its_operator(stored_week):
    book = book_of(stored_week)
    assert [d.day.isoformat() for d in book.days][0::6] == ["2025-07-07", "2025-07-13"]
    assert len(book.days) == 7
    rows = {d.day.isoformat(): [(x.title, x.outcome.value) for x in d.lines] for d in book.days}
    assert rows == {
        "2025-07-07": [("Phòng, chống dịch sốt xuất huyết", "aired")],
        "2025-07-08": [],
        "2025-07-09": [],
        "2025-07-10": [("Phòng, chống dịch sốt xuất huyết", "missed")],
        "2025-07-11": [],
        "2025-07-12": [("Phòng cháy, chữa cháy mùa khô", "aired")],
        "2025-07-13": [("Thông báo lịch tiêm chủng", "aired")],
    }
    assert book.days[0].operators == ("Trần Thị Máy",)
    assert book.days[0].minutes_on_air == 5.0
    assert book.parent_name == "Trung tâm Văn hóa - Thông tin khu vực Thử Nghiệm"


def test_logbook_docx_has_a_table_per_day_and_signature_lines(stored_week):
    data = render_station_logbook(book_of(stored_week), "docx")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "SỔ NHẬT KÝ PHÁT THANH" in text
    assert "(từ ngày 07/07/2025 đến ngày 13/07/2025)" in text
    assert "Thứ Hai, 07/07/2025" in text and "Chủ nhật, 13/07/2025" in text
    assert text.count("Không có lượt phát.") == 3
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in tables[0][0][1]
    days = [t for t in tables if t[0][0] == "STT"]
    assert [row[1:] for row in days[0][1:]] == [
        ["05:32", "05:32–05:37", "Sáng", "Phòng, chống dịch sốt xuất huyết", "5,0", "Đã phát", ""]
    ]
    assert days[1][1][6:] == [
        "Bỏ lỡ",
        "Không phát được (máy phát không hoạt động hoặc quá giờ cho phép): Mất điện",
    ]
    assert days[3][1][4] == "Thông báo lịch tiêm chủng (ngoài kế hoạch)"
    signatures = [t[0] for t in tables if t[0][0].startswith("NGƯỜI TRỰC MÁY")]
    assert len(signatures) == 7
    assert signatures[0][0].endswith("Trần Thị Máy")
    assert signatures[0][1].startswith("NGƯỜI DUYỆT\n(Lãnh đạo UBND xã")


def test_logbook_html_is_printable_and_names_operator_and_approver(stored_week):
    html = render_station_logbook(book_of(stored_week, station="XA-A"), "html").decode()
    assert "<h1>SỔ NHẬT KÝ PHÁT THANH</h1>" in html
    assert html.count("NGƯỜI TRỰC MÁY") == 7 and html.count("NGƯỜI DUYỆT") == 7
    assert "Nguyễn Văn Trực" in html
    assert "Cảnh báo lũ quét (ngoài kế hoạch) (khẩn cấp)" in html
    assert "Dừng giữa chừng, phát được 3:00/5:00" in html
    assert "@media print" in html


def test_a_logbook_with_no_airings_says_so(stored_week):
    book = book_of(
        stored_week, start=PERIOD["end"].replace(day=20), end=PERIOD["end"].replace(day=21)
    )
    assert book.empty
    html = render_station_logbook(book, "html").decode()
    assert "Không có lượt phát nào được ghi nhận trong kỳ." in html
