"""Issue 19: the printed plan and playlist in the official layout, checked in Debian's chromium
(Playwright, never 'playwright install'): national title and motto on the right, issuing body
on the left, the title, the signature and recipients, a screenshot of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_plan_cli import WEEK, office  # noqa: F401  (the example office fixture)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium_page(browser):
    """A4 landscape at 96 dpi, in the test process's one Chromium (tests/conftest.py)."""
    context = browser.new_context(viewport={"width": 1123, "height": 794})
    yield context.new_page()
    context.close()


def _box(page, text: str):
    box = page.get_by_text(text, exact=True).first.bounding_box()
    assert box is not None, text
    return box


def test_the_printed_plan_and_playlist_follow_the_official_layout(
    cli,
    office,  # noqa: F811
    chromium_page,
    tmp_path: Path,
):
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    plan = tmp_path / "plan.html"
    plan.write_text(
        cli("plan", "show", "--office", "KV-DAKMIL", "--week", WEEK, "--published",
            "--station", "XA-DAKSAK", "--format", "html").stdout,
        encoding="utf-8",
    )  # fmt: skip
    page = chromium_page
    page.goto(plan.as_uri())
    nation, motto = (
        _box(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        _box(page, "Độc lập - Tự do - Hạnh phúc"),
    )
    body = _box(page, "UBND TỈNH LÂM ĐỒNG")
    assert body["x"] + body["width"] < nation["x"]  # issuing body left, national title right
    assert motto["y"] > nation["y"] and abs(body["y"] - nation["y"]) < 5
    title = page.get_by_role("heading", level=1)
    assert title.inner_text() == "KẾ HOẠCH PHÁT SÓNG"  # printed in capitals
    assert title.bounding_box()["y"] > motto["y"]
    assert page.get_by_text("tuần từ 04/03 đến 10/03/2030").count() == 1
    assert (
        page.get_by_text("Nơi nhận:").count() == 1
        and page.get_by_text("Thủ trưởng đơn vị").count() == 1
    )
    assert "2030-W10" not in page.content()
    shot = page.screenshot(path=str(tmp_path / "plan.png"), full_page=True)
    assert len(shot) > 20_000  # a page with text and a grid, not a blank one

    sheet = tmp_path / "playlist.html"
    sheet.write_text(
        cli("playlist", "show", "--station", "XA-DAKSAK", "--date", "04/03/2030", "--format", "html").stdout,
        encoding="utf-8",
    )  # fmt: skip
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 portrait
    page.goto(sheet.as_uri())
    nation, station = (
        _box(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        _box(page, "Đài truyền thanh xã Đắk Sắk"),
    )
    assert station["x"] + station["width"] < nation["x"]
    text = page.inner_text("body")
    assert "giờ Việt Nam (UTC+7)" in text and " giây" in text and "(phút:giây)" not in text
    assert "Asia/Ho_Chi_Minh" not in text
    page.screenshot(path=str(tmp_path / "playlist.png"), full_page=True)
