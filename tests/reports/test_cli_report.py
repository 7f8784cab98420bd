"""``broadcaster report airings|logbook`` as a user types it."""

from __future__ import annotations

import json

import docx
import openpyxl
import pytest

import broadcaster.usecases.reports as usecase

RANGE = ["--from", "2025-07-07", "--to", "2025-07-13"]


@pytest.fixture
def published(stored_week, monkeypatch):
    """The week's plan stands in for the published plans (issue 5's repository)."""

    def loader(uow, office, period, codes):
        return [p for p in stored_week.week.planned if p.station_code in codes]

    monkeypatch.setattr(usecase, "load_published_plans", loader)
    return stored_week


def test_json_goes_to_stdout(cli, published):
    result = cli("report", "airings", "--office", "KV-TEST", *RANGE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    totals = json.loads(result.stdout)["totals"]
    assert (totals["planned"], totals["aired"], totals["missed"]) == (8, 4, 2)


def test_xlsx_and_docx_go_to_files_with_a_one_line_summary(cli, published, tmp_path, monkeypatch):
    out = tmp_path / "out" / "week.xlsx"
    result = cli("report", "airings", "--office", "KV-TEST", *RANGE, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        f"{out}: 2 đài, 4/8 lượt phát theo kế hoạch đã phát (50.0%), 2 lượt lỡ phát, "
        "2 lượt ngoài kế hoạch"
    )
    assert openpyxl.load_workbook(out)["Theo đài"]["C2"].value == 5
    monkeypatch.chdir(tmp_path)
    result = cli(
        "report",
        "airings",
        "--office",
        "KV-TEST",
        *RANGE,
        "--format",
        "docx",
        "--place",
        "Thử Nghiệm",
    )
    assert result.exit_code == 0, result.stderr
    made = tmp_path / "bao-cao-KV-TEST-2025-07-07-2025-07-13.docx"
    assert "Thử Nghiệm, ngày" in docx.Document(str(made)).tables[0].rows[0].cells[1].text


def test_csv_lists_one_row_per_airing(cli, published):
    result = cli("report", "airings", "--office", "KV-TEST", *RANGE, "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 11


def test_logbook_writes_html_and_docx(cli, published, tmp_path):
    for fmt in ("html", "docx"):
        out = tmp_path / f"book.{fmt}"
        result = cli(
            "report", "logbook", "--station", "XA-A", *RANGE, "--format", fmt, "--out", str(out)
        )
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == f"{out}: 7 ngày, 3 lượt đã phát"
        assert out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["airings", "--office", "NOPE", *RANGE],
            "lỗi: không có đài 'NOPE'; một số mã hiện có: KV-KHAC, KV-TEST, TINH, XA-A, "
            "XA-B, XA-B-L1, XA-KHAC (xem 'broadcaster stations list')",
        ),
        (
            ["logbook", "--station", "NOPE", *RANGE],
            "lỗi: không có đài 'NOPE'; một số mã hiện có: KV-KHAC, KV-TEST, TINH, XA-A, "
            "XA-B, XA-B-L1, XA-KHAC (xem 'broadcaster stations list')",
        ),
        (
            ["logbook", "--station", "XA-B-L1", *RANGE],
            "lỗi: Cụm loa thôn 1 (XA-B-L1) không phát chương trình riêng nên không có sổ nhật ký; "
            "đài xã XA-B giữ sổ này",
        ),
        (
            ["airings", "--office", "KV-TEST", "--from", "2025-07-13", "--to", "2025-07-07"],
            "lỗi: khoảng thời gian kết thúc (07/07/2025) trước khi bắt đầu (13/07/2025); "
            "hãy đổi chỗ --from và --to",
        ),
        (
            ["logbook", "--station", "XA-A", "--from", "32/07/2025", "--to", "2025-07-07"],
            "lỗi: --from '32/07/2025' không phải là ngày; viết theo dạng YYYY-MM-DD (2025-07-14), "
            "DD/MM/YYYY (14/07/2025) hoặc DD/MM (14/07)",
        ),
    ],
)
def test_mistakes_get_one_line_errors(cli, published, tmp_path, args, message):
    result = cli("report", *args, "--out", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert not (tmp_path / "x.html").exists()


def test_a_period_with_nothing_gives_an_empty_report_not_an_error(cli, published, tmp_path):
    out = tmp_path / "empty.html"
    result = cli(
        "report",
        "airings",
        "--office",
        "KV-TEST",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-07",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout.strip()
        == f"{out}: không có kế hoạch hay nhật ký phát nào từ 01/01/2024 đến 07/01/2024"
    )
    assert "Không có kế hoạch phát và không có nhật ký phát nào" in out.read_text(encoding="utf-8")


def test_dd_mm_yyyy_dates_are_accepted(cli, published):
    result = cli(
        "report",
        "airings",
        "--office",
        "KV-TEST",
        "--from",
        "07/07/2025",
        "--to",
        "13/07/2025",
        "--format",
        "json",
    )
    assert json.loads(result.stdout)["report"]["period"]["days"] == 7


def test_with_lang_en_the_summary_and_the_report_read_in_english(cli, published, tmp_path):
    out = tmp_path / "week.html"
    args = ("--office", "KV-TEST", *RANGE, "--format", "html", "--out", str(out))
    result = cli("--lang", "en", "report", "airings", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        f"{out}: 2 stations, 4/8 planned airings aired (50.0%), 2 missed, 2 unplanned"
    )
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<h1>REPORT</h1>" in html and "BÁO CÁO" not in html
