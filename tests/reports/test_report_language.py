"""Printed pages and reports read in one language: Vietnamese by default (the wording staff
know), English when the reader asks for it (``--lang en``). Content stays as it was written:
station names, titles and session names are Vietnamese in both."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import docx
import openpyxl

from broadcaster.domain.messages import speaking
from broadcaster.domain.planning import plan_week
from broadcaster.domain.playlists import derive_playlist
from broadcaster.i18n import translations
from broadcaster.playlists import render_html as render_playlist_html
from broadcaster.playlists.weekly import render_weekly_html
from broadcaster.usecases.reports import (
    build_airing_report,
    build_station_logbook,
    render_airing_report,
    render_station_logbook,
)
from tests.domain.test_playlists import TUESDAY, _items, _station

from .conftest import NOW, PERIOD


@contextmanager
def english() -> Iterator[None]:
    with speaking(translations("en")):
        yield


def report_of(stored):
    return build_airing_report(
        stored.db, office="KV-TEST", now=NOW, planned=stored.week.planned, **PERIOD
    )


def book_of(stored):
    return build_station_logbook(
        stored.db, station="XA-B", now=NOW, planned=stored.week.planned, **PERIOD
    )


def test_the_html_report_is_vietnamese_by_default_and_english_on_request(stored_week):
    vi = render_airing_report(report_of(stored_week), "html").decode()
    assert '<html lang="vi">' in vi and "<h1>BÁO CÁO</h1>" in vi
    assert "<h2>I. Tình hình chung</h2>" in vi and "THỦ TRƯỞNG ĐƠN VỊ" in vi

    with english():
        en = render_airing_report(report_of(stored_week), "html").decode()
    assert '<html lang="en">' in en and "<h1>REPORT</h1>" in en
    assert "SOCIALIST REPUBLIC OF VIETNAM" in en and "Independence - Freedom - Happiness" in en
    assert "from 07/07/2025 to 13/07/2025" in en and "<h2>I. General situation</h2>" in en
    assert "Week 07/07–13/07: 18 minutes" in en  # the chart's bars
    assert "<th>Serial no.</th><th>Date</th><th>Time</th>" in en
    assert "Made at 14/07/2025 09:00 (Asia/Ho_Chi_Minh)." in en
    for word in ("BÁO CÁO", "Tình hình chung", "từ ngày", "Thủ trưởng", "phút", "Lập lúc"):
        assert word not in en
    assert "Đài truyền thanh xã An Bình" in en  # a station's name is its name


def test_the_docx_report_and_its_workbook_follow_the_reader(stored_week):
    with english():
        report = report_of(stored_week)
        document = docx.Document(io.BytesIO(render_airing_report(report, "docx")))
        book = openpyxl.load_workbook(io.BytesIO(render_airing_report(report, "xlsx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "REPORT\nResults of information and outreach on the grassroots radio system" in text
    assert "(from 07/07/2025 to 13/07/2025)" in text
    assert "aired 4 of 8 planned airings (attainment 50,0%)" in text
    assert "Recipients:" in text and "Nơi nhận" not in text
    header = document.tables[0].rows[0].cells
    assert "No.:" in header[0].text and "14/07/2025" in header[1].text
    assert book.sheetnames[:4] == ["Summary", "By topic", "Topics by station", "By station"]
    assert book["Summary"]["A2"].value == "Office" and book["By station"]["B1"].value == "Station"


def test_the_log_book_follows_the_reader(stored_week):
    with english():
        html = render_station_logbook(book_of(stored_week), "html").decode()
        document = docx.Document(io.BytesIO(render_station_logbook(book_of(stored_week), "docx")))
    assert "<h1>BROADCAST LOG BOOK</h1>" in html and "Monday, 07/07/2025" in html
    assert html.count("OPERATOR ON DUTY") == 7 and "SỔ NHẬT KÝ" not in html
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Sunday, 13/07/2025" in text and text.count("No airings.") == 3
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    (first, *_) = [t for t in tables if t[0][0] == "Serial no."]
    assert first[0][1:] == [
        "Planned time",
        "Actual air time",
        "Session",
        "Content",
        "Duration (minutes)",
        "Airing status",
        "Note",
    ]
    assert first[1][3] == "Sáng"  # the station's own name for its session


def test_the_playlist_and_week_pages_follow_the_reader():
    plan = plan_week([_station()], _items(), "2026-W48")
    playlist = derive_playlist(plan, "XA-NB", TUESDAY)
    vi = render_playlist_html(playlist)
    assert '<html lang="vi">' in vi and "<h1>Danh mục chương trình phát thanh</h1>" in vi
    assert "Buổi Sáng: 05:30–06:15 (tổng" in vi and "BẢN NHÁP — chưa công bố" in vi
    with english():
        en = render_playlist_html(playlist, 2)
        week = render_weekly_html(plan, "version 2", "Office", draft=True)
    assert '<html lang="en">' in en and "<h1>Radio programme playlist</h1>" in en
    assert "Session Sáng: 05:30–06:15 (total" in en and "Tue, 24/11/2026 · version 2" in en
    assert "SOCIALIST REPUBLIC OF VIETNAM" in en and "Vietnam time (UTC+7)" in en
    assert "DRAFT" not in en and "(Signature and full name)" in en
    assert "<h1>Broadcast plan</h1>" in week and "2026-W48" not in week
    assert "the week from 23/11 to 29/11/2026" in week and "<th>Mon 23/11</th>" in week
    assert "DRAFT — not published, may still change" in week
    assert "airings, " in week and "Kế hoạch phát sóng" not in week
