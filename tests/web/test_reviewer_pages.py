"""The reviewer's pages in chromium: what the operator of Xã Đắk Mil recorded on Tuesday (on his
phone) is in the province's figures for the week of 07/12; the reviewer drills down from the
province to the district, the commune and the day's log, and downloads the report (XLSX, DOCX,
CSV) and the log book; approvers and operators read only their own part; axe on every page,
360 px without sideways scrolling."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import serious_accessibility_problems, sign_in
from .test_operator_page import (
    TUESDAY,
    Day,
    browser_page,
    entry,
    no_horizontal_scroll,
    served_day,
    tone,
)

WEEK = "/review?node=LAMDONG&week=2026-12-07"


@pytest.fixture
def day(office_template, tmp_path: Path) -> Iterator[Day]:
    yield from served_day(office_template, tmp_path)


@pytest.fixture
def phone(browser, day: Day):
    yield from browser_page(browser, day.url, small=True)


@pytest.fixture
def desk(browser, day: Day):
    yield from browser_page(browser, day.url, small=False)


def operator_works_through_tuesday(page, day: Day, recording: Path) -> None:
    """binh marks the first announcement aired, the second missed (with the reason), leaves the
    third unmarked, adds a local notice with its recording and signs the day."""
    first, second, _third = day.announcements()
    sign_in(page, "binh")
    page.goto("/today")
    entry(page, first.position).get_by_role("button", name="Đã phát", exact=True).click()
    expect(entry(page, first.position).locator(".badge")).to_have_text("Đã phát")
    row = entry(page, second.position)
    row.get_by_label("Ghi chú (lý do không phát hoặc phát thiếu)").fill("Mất điện cả thôn")
    row.get_by_role("button", name="Không phát").click()
    expect(entry(page, second.position).locator(".badge")).to_have_text("Không phát")
    page.get_by_text("Thêm thông báo địa phương đã phát").click()
    page.get_by_label("Nội dung đã thông báo").fill("Thông báo họp tổ dân phố")
    page.get_by_label("Giờ bắt đầu").fill("17:45")
    page.get_by_label("Thời lượng (phút)").fill("2")
    tone(recording, 3, 520)
    page.get_by_label("Hoặc bản ghi âm (không bắt buộc)").set_input_files(str(recording))
    page.get_by_role("button", name="Ghi nhận thông báo").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận thông báo địa phương.")
    page.get_by_role("button", name="Ký sổ nhật ký ngày 08/12/2026").click()
    expect(page.get_by_role("status")).to_have_text("Đã ký sổ nhật ký phát thanh của ngày.")
    page.context.clear_cookies()


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_the_reviewer_sees_the_operators_day_in_the_weeks_figures_and_downloads_it(
    phone, desk, day: Day, tmp_path: Path
):
    first, second, third = day.announcements()
    operator_works_through_tuesday(phone, day, tmp_path / "hop-to-dan-pho.mp3")

    sign_in(desk, "son")
    desk.goto(WEEK)
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Kết quả phát thanh của Tỉnh Lâm Đồng"
    )
    expect(desk.locator(".period")).to_contain_text("từ 07/12 đến 13/12/2026")
    expect(desk.get_by_role("main")).not_to_contain_text("W50")
    expect(desk.locator("svg.chart-attainment")).to_be_visible()
    expect(desk.locator("svg.chart-airtime")).to_be_visible()
    assert serious_accessibility_problems(desk) == []
    # the week in figures: the mark and the miss of Tuesday are counted at Xã Đắk Mil
    dakmil_row = desk.locator("#stations tr", has_text="Đài truyền thanh xã Đắk Mil")
    expect(dakmil_row.locator("td").nth(1)).to_have_text("1")  # aired
    # not aired: Monday's three (no log at all), Tuesday's miss and the entry left unmarked
    expect(dakmil_row.locator("td").nth(3)).to_have_text("5")
    expect(dakmil_row.locator("td").nth(6)).to_have_text("1")  # outside the plan
    missed = desk.locator("#missed")
    expect(missed).to_contain_text(second.title)
    expect(missed).to_contain_text("Mất điện cả thôn")
    expect(missed).to_contain_text(third.title)
    expect(desk.locator("#unplanned")).to_contain_text("Thông báo họp tổ dân phố")
    expect(desk.locator("#unplanned")).to_contain_text("Lê Văn Bình")
    expect(desk.locator("#emergencies")).to_have_count(0)

    # the files of the page are the report's own
    with desk.expect_download() as got:
        desk.get_by_role("link", name="Báo cáo (XLSX)").click()
    assert got.value.suggested_filename == "bao-cao-LAMDONG-2026-12-07-2026-12-13.xlsx"
    book = load_workbook(io.BytesIO(got.value.path().read_bytes()), read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "Thông báo họp tổ dân phố" in cells and "Mất điện cả thôn" in " ".join(
        str(c) for c in cells if c
    )
    with desk.expect_download() as got:
        desk.get_by_role("link", name="Báo cáo (DOCX)").click()
    with zipfile.ZipFile(got.value.path()) as docx:
        text = docx.read("word/document.xml").decode()
    assert "Đài truyền thanh xã Đắk Mil" in text
    with desk.expect_download() as got:
        desk.get_by_role("link", name="Báo cáo (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(got.value.path().read_text("utf-8"))))
    tuesday = [r for r in rows if r["station_code"] == "XA-DAKMIL" and r["date"] == "2026-12-08"]
    assert {r["outcome"] for r in tuesday if r["title"] == first.title} == {"aired"}
    assert {r["note"] for r in tuesday if r["title"] == second.title} == {"Mất điện cả thôn"}
    assert any(
        r["title"] == "Thông báo họp tổ dân phố" and r["planned"] == "false" for r in tuesday
    )

    # drill down: province → district → commune → Tuesday's log
    desk.locator("#branches").get_by_role("link", name="Trung tâm").first.click()
    expect(desk.get_by_role("navigation", name="Vị trí trong cây đài")).to_contain_text(
        "Tỉnh Lâm Đồng"
    )
    desk.locator("#stations").get_by_role("link", name="Đài truyền thanh xã Đắk Mil").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Đài truyền thanh xã Đắk Mil")
    tuesday_row = desk.locator("#days tr", has_text="08/12/2026")
    expect(tuesday_row.locator("td").nth(1)).to_have_text("1")  # aired
    expect(tuesday_row.locator("td").nth(3)).to_have_text("2")  # not aired
    expect(tuesday_row.locator("td").nth(6)).to_have_text("1")  # outside the plan
    expect(tuesday_row.locator("td").last).to_have_text("Lê Văn Bình")  # signed
    assert serious_accessibility_problems(desk) == []
    with desk.expect_download() as got:
        desk.get_by_role("link", name="Sổ nhật ký (DOCX)").click()
    assert got.value.suggested_filename == "so-nhat-ky-XA-DAKMIL-2026-12-07-2026-12-13.docx"
    tuesday_row.get_by_role("link").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Đài truyền thanh xã Đắk Mil · Thứ Ba, 08/12/2026"
    )
    log = desk.locator("#log")
    expect(log).to_contain_text(first.title)
    expect(log).to_contain_text("Mất điện cả thôn")
    expect(log).to_contain_text("Thông báo họp tổ dân phố (ngoài kế hoạch)")
    expect(desk.locator(".signature")).to_contain_text("Lê Văn Bình")
    heard = desk.get_by_role("list").get_by_label("Bản ghi âm của «Thông báo họp tổ dân phố»")
    src = heard.get_attribute("src")
    assert src and desk.request.get(src).status == 200
    assert serious_accessibility_problems(desk) == []
    # only notices' recordings are served there, and only the station's
    segment = day.announcements()[0].audio
    assert desk.request.get(f"/review/audio/{segment}?station=XA-DAKMIL").status == 404
    assert desk.request.get(src.replace("XA-DAKMIL", "XA-DUCMANH")).status == 404


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_pages_read_on_a_phone(phone, day: Day):
    sign_in(phone, "son")
    phone.goto(WEEK)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []
    phone.goto("/review?node=XA-DAKMIL&month=2026-12")
    expect(phone.locator(".period")).to_contain_text("Tháng 12/2026")
    expect(phone.locator(".period")).to_contain_text("từ 01/12 đến 31/12/2026")
    expect(phone.locator("#days tbody tr")).to_have_count(31)
    assert no_horizontal_scroll(phone)
    phone.goto(f"/review/day?station=XA-DAKMIL&day={TUESDAY.isoformat()}")
    expect(phone.locator("#log")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []


def test_each_role_reads_only_its_own_part(desk, day: Day):
    # an operator: his own station's figures, not another station's nor the district's
    sign_in(desk, "binh")
    assert desk.goto("/review?node=XA-DAKMIL&week=2026-12-07").status == 200
    assert desk.goto("/review").status == 200  # his own station by default
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Đài truyền thanh xã Đắk Mil")
    for refused in (
        "/review?node=XA-DUCMANH",
        "/review?node=KV-DAKMIL",
        "/review/day?station=XA-DUCMANH&day=2026-12-08",
        "/review/download?node=KV-DAKMIL&week=2026-12-07&format=csv",
        "/review/logbook?station=XA-DUCMANH&week=2026-12-07&format=html",
        "/review/audio/" + "ab" * 16 + "?station=XA-DUCMANH",
    ):
        assert desk.goto(refused).status == 403, refused
    desk.context.clear_cookies()
    # the commune's approver: his commune, not the district
    sign_in(desk, "hung")
    assert desk.goto("/review?node=XA-DAKMIL").status == 200
    assert desk.goto("/review?node=KV-DAKMIL").status == 403
    assert desk.goto("/review?node=NO-SUCH").status == 403
    desk.context.clear_cookies()
    # a bad period or format is told plainly
    sign_in(desk, "son")
    answer = desk.goto("/review?node=LAMDONG&month=2026-13")
    assert answer.status == 400
    expect(desk.get_by_role("main")).to_contain_text("không phải là tháng")
    assert desk.goto("/review/download?node=LAMDONG&format=pdf").status == 400
    # read-only: the reviewer has nothing to post, and no operator's page
    assert desk.goto("/today").status == 403
    desk.context.clear_cookies()
    # signed out: to the sign-in page
    desk.goto(WEEK)
    expect(desk).to_have_url(re.compile(r"/login\?next="))
