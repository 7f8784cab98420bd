"""The airing report from a stored week: every figure in JSON, read back from XLSX and DOCX."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import docx
import openpyxl
import pytest

from broadcaster.usecases.reports import build_airing_report, render_airing_report

from .conftest import NOW, PERIOD, WEEK_AFTER
from .week import (
    EXPECTED_DUPLICATES,
    EXPECTED_ITEM_STATIONS,
    EXPECTED_ITEMS,
    EXPECTED_ON_AIR,
    EXPECTED_PRIORITIES,
    EXPECTED_RECORDS,
    EXPECTED_STATIONS,
    EXPECTED_TOTALS,
)

STORED_DUPLICATES = EXPECTED_DUPLICATES - 1
FIGS = ("planned", "aired", "partial", "interrupted", "missed", "minutes_aired", "attainment_pct")
STATION_EXTRA = (
    "sessions_planned",
    "sessions_held",
    "minutes_on_air",
    "emergencies",
    "unplanned",
    "late_logs",
)


def report_of(stored, **kw):
    return build_airing_report(
        stored.db,
        office="KV-TEST",
        now=NOW,
        planned=stored.week.planned,
        place="Thử Nghiệm",
        **{**PERIOD, **kw},
    )


def as_json(stored, **kw):
    return json.loads(render_airing_report(report_of(stored, **kw), "json"))


def index_of(stored, item_id: int) -> int:
    return stored.week.item_ids.index(item_id)


def test_json_report_gives_every_figure_of_the_week(stored_week_any_db):
    stored_week = stored_week_any_db
    data = as_json(stored_week)
    assert data["report"]["office"] == {
        "code": "KV-TEST",
        "name": "Trung tâm Văn hóa - Thông tin khu vực Thử Nghiệm",
    }
    assert data["report"]["period"] == {"from": "2025-07-07", "to": "2025-07-13", "days": 7}
    assert data["report"]["empty"] is False
    t = data["totals"]
    assert tuple(t[k] for k in FIGS) == EXPECTED_TOTALS
    # the database already stored the retried upload once: one duplicate is left to merge
    assert (t["records"], t["duplicates_ignored"]) == (EXPECTED_RECORDS, STORED_DUPLICATES)
    assert (t["minutes_on_air"], t["emergencies"], t["unplanned"], t["late_logs"]) == (
        EXPECTED_ON_AIR,
        1,
        2,
        1,
    )
    assert {
        (index_of(stored_week, x["item_id"]), x["station_code"]): tuple(x[k] for k in FIGS)
        for x in data["item_stations"]
    } == EXPECTED_ITEM_STATIONS
    assert {
        index_of(stored_week, x["item_id"]): tuple(x[k] for k in FIGS) for x in data["items"]
    } == EXPECTED_ITEMS
    assert {x["priority"]: tuple(x[k] for k in FIGS) for x in data["priorities"]} == (
        EXPECTED_PRIORITIES
    )
    assert {
        x["station_code"]: (
            *(x[k] for k in FIGS),
            *(x[k] for k in STATION_EXTRA),
        )
        for x in data["stations"]
    } == EXPECTED_STATIONS
    first = data["items"][0]
    assert first["document"] == (
        "Công văn số 123/SVHTTDL-QLVH ngày 1/7/2025 của Sở VHTT&DL "
        "về tuyên truyền tháng 7 năm 2025; Kế hoạch số 45/KH-UBND ngày 20/6/2025 của UBND tỉnh"
    )
    # one row per airing: 8 planned entries and 2 unplanned airings
    assert len(data["airings"]) == 10
    assert sum(1 for a in data["airings"] if not a["planned"]) == 2
    assert [(a["station_code"], a["date"], a["outcome"]) for a in data["shortfalls"]] == [
        ("XA-A", "2025-07-08", "interrupted"),
        ("XA-A", "2025-07-10", "missed"),
        ("XA-A", "2025-07-11", "partial"),
        ("XA-B", "2025-07-10", "missed"),
    ]
    assert data["weekly_airtime"] == [
        {"item_id": stored_week.week.item_ids[0], "week": "2025-07-07", "minutes": 18.0},
        {"item_id": stored_week.week.item_ids[1], "week": "2025-07-07", "minutes": 5.5},
        {"item_id": stored_week.week.item_ids[2], "week": "2025-07-07", "minutes": 2.0},
    ]


def test_stored_retries_and_late_logs(stored_week):
    before = as_json(stored_week)
    # the same uploads again (a station retrying a whole batch): nothing changes
    with stored_week.db.unit_of_work() as uow:
        again = uow.airings.add_many(stored_week.week.airings, received_at=NOW)
    assert again.accepted == 0
    assert as_json(stored_week)["totals"] == before["totals"]
    # a log from last Thursday arrives now: the figures move
    with stored_week.db.unit_of_work() as uow:
        uow.airings.add_many([stored_week.week.late_upload], received_at=NOW)
    after = as_json(stored_week)["totals"]
    assert (after["aired"], after["missed"], after["attainment_pct"]) == (5, 1, 62.5)
    assert after["late_logs"] == 2


def test_csv_has_one_row_per_airing(stored_week):
    text = render_airing_report(report_of(stored_week), "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 10
    wed = next(r for r in rows if r["event_ids"] == "a-wed-1;a-wed-2")
    assert (wed["outcome"], wed["minutes_aired"], wed["records"], wed["duplicates_ignored"]) == (
        "aired",
        "5.0",
        "2",
        "1",
    )
    assert wed["planned_start"] == "2025-07-09T05:32:00+07:00"
    notice = next(r for r in rows if r["title"] == "Thông báo lịch tiêm chủng")
    assert (notice["planned"], notice["session"], notice["source"]) == ("false", "Chiều", "manual")


def test_xlsx_holds_the_same_figures_as_real_numbers_and_dates(stored_week):
    data = render_airing_report(report_of(stored_week), "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo nội dung",
        "Nội dung theo đài",
        "Theo đài",
        "Theo mức ưu tiên",
        "Thời lượng theo tuần",
        "Không đạt",
        "Ngoài kế hoạch",
        "Chi tiết lượt phát",
    ]
    summary = wb["Tổng hợp"]
    assert (
        summary["B3"].value == datetime(2025, 7, 7) and summary["B3"].number_format == "dd/mm/yyyy"
    )
    values = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(8, 40)}
    assert values["Lượt phát theo kế hoạch"] == 8
    assert values["Tỷ lệ đạt (%)"] == 50.0
    assert values["Tổng phút phát sóng"] == EXPECTED_ON_AIR
    assert values["Bản ghi trùng bỏ qua"] == STORED_DUPLICATES
    assert summary.freeze_panes == "A8"

    def table(name):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        heads = [c.value for c in ws[1]]
        rows = [dict(zip(heads, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
        return ws, rows

    heads = [
        "Kế hoạch (lượt)",
        "Đã phát",
        "Phát một phần",
        "Bị ngắt",
        "Không phát",
        "Phút đã phát",
        "Tỷ lệ đạt (%)",
    ]
    ws, rows = table("Nội dung theo đài")
    got = {(int(r["Số mục"]) - 1, r["Mã đài"]): tuple(r[h] for h in heads) for r in rows}
    assert got == EXPECTED_ITEM_STATIONS
    for row in rows:
        assert all(isinstance(row[h], int | float) for h in heads)
    # widths fitted to the content: the title column is wider than a count column
    assert ws.column_dimensions["B"].width > ws.column_dimensions["E"].width >= 8

    _, rows = table("Theo nội dung")
    assert {int(r["Số mục"]) - 1: tuple(r[h] for h in heads) for r in rows} == EXPECTED_ITEMS
    assert rows[0]["Văn bản thực hiện"].startswith("Công văn số 123/SVHTTDL-QLVH")

    _, rows = table("Theo đài")
    extra = [
        "Buổi theo kế hoạch",
        "Buổi đã phát",
        "Tổng phút phát sóng",
        "Bản tin khẩn cấp",
        "Phát ngoài kế hoạch",
        "Nhật ký gửi muộn",
    ]
    got_st = {r["Mã đài"]: (*(r[h] for h in heads), *(r[h] for h in extra)) for r in rows}
    assert got_st == EXPECTED_STATIONS

    _, rows = table("Theo mức ưu tiên")
    assert {r["Mức ưu tiên"]: tuple(r[h] for h in heads) for r in rows} == {
        "Ưu tiên": EXPECTED_PRIORITIES["priority"],
        "Thông thường": EXPECTED_PRIORITIES["normal"],
    }

    _, rows = table("Không đạt")
    assert [(r["Mã đài"], r["Ngày"], r["Kết quả"]) for r in rows] == [
        ("XA-A", datetime(2025, 7, 8), "Bị ngắt (khẩn cấp)"),
        ("XA-A", datetime(2025, 7, 10), "Không phát"),
        ("XA-A", datetime(2025, 7, 11), "Phát một phần"),
        ("XA-B", datetime(2025, 7, 10), "Không phát"),
    ]
    assert rows[3]["Lý do"].endswith("Mất điện")

    ws, rows = table("Chi tiết lượt phát")
    assert len(rows) == 10
    assert rows[0]["Giờ theo kế hoạch"] == datetime(2025, 7, 7, 5, 32)
    assert ws.cell(2, 5).number_format == "dd/mm/yyyy hh:mm"

    _, rows = table("Thời lượng theo tuần")
    assert [r["Cộng (phút)"] for r in rows] == [18.0, 5.5, 2.0]


def _docx_tables(data: bytes):
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return document, text, tables


def _num(text: str) -> float:
    return float(text.rstrip("%").replace(",", "."))


def test_docx_is_a_formal_report_with_the_same_figures(stored_week):
    data = render_airing_report(report_of(stored_week), "docx")
    _, text, tables = _docx_tables(data)
    header = tables[0][0]
    assert "TRUNG TÂM VĂN HÓA - THÔNG TIN KHU VỰC THỬ NGHIỆM" in header[0]
    assert "TỈNH THỬ NGHIỆM" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "Thử Nghiệm, ngày 14 tháng 7 năm 2025" in header[1]
    assert "BÁO CÁO\nKết quả thông tin, tuyên truyền trên hệ thống truyền thanh cơ sở" in text
    assert "(từ ngày 07/07/2025 đến ngày 13/07/2025)" in text
    assert "thực hiện 4/8 lượt phát theo kế hoạch (đạt 50,0%)" in text
    assert (
        "Thực hiện: Công văn số 123/SVHTTDL-QLVH ngày 1/7/2025 của Sở VHTT&DL "
        "về tuyên truyền tháng 7 năm 2025" in text
    )

    summary = dict(row for row in tables[1][1:])
    assert summary["Lượt phát theo kế hoạch"] == "8"
    assert summary["Tổng phút phát sóng"] == "28,5"

    # one table per topic, stations then a total row
    topics = [t for t in tables if t[0][0] == "Đài" and t[0][1] == "Kế hoạch (lượt)"]
    assert len(topics) == 2
    names = {"Đài truyền thanh xã An Bình": "XA-A", "Đài truyền thanh xã Bình Minh": "XA-B"}
    for index, table in enumerate(topics):
        for row in table[1:-1]:
            expected = EXPECTED_ITEM_STATIONS[(index, names[row[0]])]
            assert tuple(_num(v) for v in row[1:]) == expected
        assert table[-1][0] == "Cộng"
        assert tuple(_num(v) for v in table[-1][1:]) == EXPECTED_ITEMS[index]

    stations = next(t for t in tables if t[0][1] == "Buổi theo kế hoạch")
    for row in stations[1:]:
        e = EXPECTED_STATIONS[names[row[0]]]
        # sessions planned, held, planned, aired, missed, minutes on air, emergencies, attainment
        assert tuple(_num(v) for v in row[1:]) == (e[7], e[8], e[0], e[1], e[4], e[9], e[10], e[6])

    priorities = next(t for t in tables if t[0][0] == "Mức ưu tiên")
    assert {r[0]: tuple(_num(v) for v in r[1:]) for r in priorities[1:]} == {
        "Ưu tiên": EXPECTED_PRIORITIES["priority"],
        "Thông thường": EXPECTED_PRIORITIES["normal"],
    }

    missed = next(t for t in tables if t[0][0] == "STT" and t[0][-1] == "Lý do")
    assert [(r[1], r[2], r[5], r[6]) for r in missed[1:]] == [
        ("08/07/2025", "17:02", "Bị ngắt (khẩn cấp)", "Bị ngắt để phát bản tin khẩn cấp"),
        ("10/07/2025", "17:02", "Không phát", "Không nhận được nhật ký phát"),
        ("11/07/2025", "05:32", "Phát một phần", "Dừng giữa chừng, phát được 3:00/5:00"),
        (
            "10/07/2025",
            "05:32",
            "Không phát",
            "Không phát được (máy phát không hoạt động hoặc quá giờ cho phép): Mất điện",
        ),
    ]
    unplanned = next(t for t in tables if t[0][0] == "STT" and t[0][-1] == "Phút")
    assert [r[4] for r in unplanned[1:]] == [
        "Cảnh báo lũ quét (khẩn cấp)",
        "Thông báo lịch tiêm chủng",
    ]
    signatures = tables[-1][0]
    assert signatures[0].startswith("NGƯỜI LẬP BÁO CÁO")
    assert signatures[1].startswith("THỦ TRƯỞNG ĐƠN VỊ\n(Ký, ghi rõ họ tên, đóng dấu)")


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "docx", "html"])
def test_a_period_with_no_logs_gives_an_honest_empty_report(stored_week, fmt):
    report = build_airing_report(
        stored_week.db,
        office="KV-TEST",
        now=NOW,
        planned=[],
        **WEEK_AFTER | {"start": date(2025, 7, 15)},
    )
    assert report.reconciliation.empty
    data = render_airing_report(report, fmt)
    note = "Không có kế hoạch phát và không có nhật ký phát nào từ 15/07/2025 đến 20/07/2025."
    if fmt == "json":
        parsed = json.loads(data)
        assert parsed["report"]["empty"] is True
        assert parsed["report"]["notes"] == [note]
        assert parsed["totals"]["planned"] == 0 and parsed["totals"]["attainment_pct"] is None
        assert parsed["airings"] == []
    elif fmt == "csv":
        assert data.decode().count("\n") == 1  # the header only
    elif fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert note in [c.value for row in wb["Tổng hợp"].iter_rows() for c in row]
        assert wb["Theo đài"]["C2"].value == 0
    elif fmt == "docx":
        _, text, _ = _docx_tables(data)
        assert note in text
        assert "Không có lượt phát nào không đạt." in text
    else:
        html = data.decode()
        assert note in html and "Không có dữ liệu trong kỳ" in html
