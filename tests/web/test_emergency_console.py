"""The emergency console in chromium: an office person writes a bulletin, hears it, confirms
how many stations it interrupts and watches it reach a real agent; cancel and correct; who
may send (an operator may not); bad input kept beside its field; CSRF; another office's
bulletin is not found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from broadcaster.clock import SystemClock
from broadcaster.domain.accounts import Role
from broadcaster.usecases.accounts import get_user
from broadcaster.usecases.bulletin_console import office_principal
from broadcaster.usecases.emergencies import BulletinRequest, create_emergency
from tests.agent.helpers import AgentProcess

from .conftest import Console, serious_accessibility_problems, sign_in

STATION = "XA-DAKMIL"
NAME = "Đài truyền thanh xã Đắk Mil"


@pytest.fixture
def agent(console: Console, tmp_path: Path) -> Iterator[AgentProcess]:
    process = AgentProcess(
        station=STATION,
        server=console.url,
        folder=tmp_path / "station",
        home=tmp_path,
        token=console.office.token(STATION),
    ).start()
    yield process
    process.stop()


def compose(page, title: str, text: str, *, only: str | None = None) -> None:
    page.goto("/emergencies")
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Nội dung sẽ đọc").fill(text)
    if only:
        page.get_by_label("Chỉ các đài được đánh dấu dưới đây").check()
        page.get_by_label(only, exact=True).check()
    page.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()


@pytest.mark.slow
def test_a_bulletin_sent_from_the_page_reaches_the_agent(page, console: Console, agent):
    sign_in(page, "lan")
    compose(page, "Cảnh báo lũ quét", "Nước sông dâng cao, bà con di chuyển ngay.", only=NAME)
    expect(page.get_by_role("heading", name="Xác nhận bản tin")).to_be_visible()
    expect(page.get_by_text("Khi gửi, 1 đài sẽ bị ngắt chương trình ngay:")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=NAME)).to_be_visible()
    audio = page.locator("audio")
    src = audio.get_attribute("src")
    assert src and page.request.get(src).headers["content-type"] == "audio/mpeg"
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Gửi tới 1 đài").click()

    expect(page.get_by_role("heading", name="Bản tin #1: Cảnh báo lũ quét")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=NAME)
    # the board polls its fragment: the agent's confirmation shows without a reload
    expect(row).to_contain_text("Đang phát", timeout=60_000)
    expect(page.get_by_text("Tất cả các đài đã nhận")).to_be_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_label("Lý do hủy (không bắt buộc)").fill("Đã hết nguy hiểm")
    page.get_by_role("button", name="Hủy bản tin này").click()
    expect(page.get_by_text("Đã hủy lúc")).to_contain_text("Đã hết nguy hiểm")
    expect(page.get_by_role("button", name="Hủy bản tin này")).to_have_count(0)


def test_the_whole_area_is_counted_and_a_correction_replaces(page, console: Console):
    sign_in(page, "lan")
    compose(page, "Mất điện", "Điện lực thông báo cắt điện từ 8 giờ đến 11 giờ.")
    expect(page.get_by_text("Khi gửi, 4 đài sẽ bị ngắt chương trình ngay:")).to_be_visible()
    page.get_by_role("button", name="Gửi tới 4 đài").click()
    expect(page.get_by_text("4 đài chưa nhận được")).to_be_visible()
    # stations not yet received are marked
    expect(page.locator("tr.waiting")).to_have_count(4)
    with console.office.db.unit_of_work() as uow:
        first = uow.emergencies.get(1)
    assert first.audio_hash is not None and first.body_state.value == "ready"

    page.get_by_role("link", name="Đính chính bản tin này").click()
    expect(page.get_by_role("heading", name="Đính chính bản tin #1")).to_be_visible()
    expect(page.get_by_label("Tiêu đề")).to_have_value("Mất điện")
    page.get_by_label("Nội dung sẽ đọc").fill("Điện lực thông báo cắt điện từ 9 giờ đến 11 giờ.")
    page.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()
    page.get_by_role("button", name="Gửi tới 4 đài").click()
    expect(page.get_by_role("heading", name="Bản tin #2: Mất điện")).to_be_visible()
    expect(page.get_by_role("link", name="đính chính bản tin #1")).to_be_visible()
    page.goto("/emergencies/1")
    expect(page.get_by_text("Đã hủy lúc")).to_contain_text("đính chính bằng bản tin #2")
    page.goto("/audit")
    expect(page.get_by_text("emergency.correct")).to_be_visible()


def test_bad_input_is_kept_beside_its_field(page, console: Console):
    sign_in(page, "lan")
    page.goto("/emergencies")
    page.get_by_label("Nội dung sẽ đọc").fill("Nội dung được giữ lại")
    page.get_by_label("Chỉ các đài được đánh dấu dưới đây").check()
    page.get_by_label("Tiêu đề").fill(" ")
    page.locator("#b-title").evaluate("el => el.removeAttribute('required')")
    page.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()
    expect(page.get_by_text("hãy đặt tiêu đề cho bản tin")).to_be_visible()
    expect(page.get_by_text("hãy chọn ít nhất một đài, hoặc toàn bộ địa bàn")).to_be_visible()
    expect(page.get_by_label("Nội dung sẽ đọc")).to_have_value("Nội dung được giữ lại")
    with console.office.db.unit_of_work() as uow:
        assert uow.emergencies.recent(office_codes=None, limit=5) == []
    # an upload that is not audio is refused beside its field
    page.get_by_label("Tiêu đề").fill("Thử")
    page.get_by_label("Tất cả các đài trong địa bàn của tôi").check()
    page.get_by_label("Hoặc tải lên bản ghi âm (tối đa 50 MB)").set_input_files(
        files=[{"name": "tin.mp3", "mimeType": "audio/mpeg", "buffer": b"not audio at all"}]
    )
    page.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()
    expect(page.locator("#b-recording-error")).to_be_visible()
    assert serious_accessibility_problems(page) == []


def test_only_office_and_admin_may_send(page, console: Console):
    sign_in(page, "binh")  # an operator
    answer = page.goto("/emergencies")
    assert answer is not None and answer.status == 403
    expect(page.get_by_text("không được mở trang này")).to_be_visible()
    page.goto("/")  # the operator's own, valid token: refused for the role, not the form
    token = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    refused = page.request.post(
        "/emergencies/send", form={"csrf": token, "title": "Giả", "text": "Giả", "where": "all"}
    )
    assert refused.status == 403
    assert "không được mở trang này" in refused.text()
    page.context.clear_cookies()
    sign_in(page, "son")  # a reviewer
    answer = page.goto("/emergencies")
    assert answer is not None and answer.status == 403
    with console.office.db.unit_of_work() as uow:
        assert uow.emergencies.recent(office_codes=None, limit=5) == []


def test_a_post_without_its_token_is_refused(page, console: Console):
    sign_in(page, "lan")
    page.goto("/emergencies")
    refused = page.request.post(
        "/emergencies/send", form={"title": "Giả", "text": "Giả", "where": "all"}
    )
    assert refused.status == 403
    with console.office.db.unit_of_work() as uow:
        assert uow.emergencies.recent(office_codes=None, limit=5) == []


def test_another_offices_bulletin_is_not_found(page, console: Console):
    admin = next(u for u in _users(console) if u.role is Role.ADMIN)
    sent = create_emergency(
        console.office.db,
        console.office.settings,
        SystemClock(),
        office_principal(admin),
        BulletinRequest(title="Tỉnh", text="Thông báo của tỉnh", expires_in=timedelta(hours=1)),
    )
    sign_in(page, "lan")  # the district office does not see the province's bulletin
    assert page.request.get(f"/emergencies/{sent.id}").status == 404
    assert page.request.get(f"/emergencies/{sent.id}/deliveries").status == 404
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    assert (
        page.request.post(f"/emergencies/{sent.id}/cancel", form={"csrf": token or ""}).status
        == 404
    )


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_console_at_360_px(phone, console: Console):
    sign_in(phone, "lan")
    phone.get_by_role("link", name="Bản tin khẩn cấp").click()  # the home page's tile
    expect(phone.get_by_role("heading", name="Gửi bản tin khẩn cấp")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_problems(phone) == []
    phone.get_by_label("Tiêu đề").fill("Bão")
    phone.get_by_label("Nội dung sẽ đọc").fill("Bão số 5 đổ bộ.")
    phone.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()
    expect(phone.get_by_role("heading", name="Xác nhận bản tin")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_problems(phone) == []
    phone.get_by_role("button", name="Gửi tới 4 đài").click()
    expect(phone.get_by_text("4 đài chưa nhận được")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_problems(phone) == []


def _users(console: Console):
    with console.office.db.unit_of_work() as uow:
        ids = [u.id for u in uow.users.list()]
    return [u for i in ids if (u := get_user(console.office.db, i)) is not None]


@pytest.mark.slow  # the page without JavaScript: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_console_works_without_javascript(browser, console: Console):
    context = browser.new_context(base_url=console.url, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "lan")
        compose(page, "Sạt lở", "Đường liên thôn bị sạt lở, tạm dừng đi lại.", only=NAME)
        page.get_by_role("button", name="Quay lại sửa").click()  # back, the draft kept
        expect(page.get_by_label("Tiêu đề")).to_have_value("Sạt lở")
        expect(page.get_by_label(NAME, exact=True)).to_be_checked()
        page.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()
        page.get_by_role("button", name="Gửi tới 1 đài").click()
        expect(page.get_by_text("1 đài chưa nhận được")).to_be_visible()
        # the board refreshes itself without JS: the page asks for a reload
        refresh = page.locator("noscript").first.inner_html()
        assert 'http-equiv="refresh"' in refresh
        page.get_by_role("link", name="Tải lại").click()
        expect(page.get_by_role("row").filter(has_text=NAME)).to_contain_text("Chưa nhận")
        page.get_by_role("button", name="Hủy bản tin này").click()
        expect(page.get_by_text("Đã hủy lúc")).to_be_visible()
    finally:
        context.close()


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_a_bulletin_recorded_in_the_browser(browser, console: Console):
    """Chromium's fake microphone (a beep) records; the recording goes with the form."""
    from .conftest import CHROMIUM

    recording = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    try:
        context = recording.new_context(base_url=console.url, locale="vi-VN")
        context.grant_permissions(["microphone"])
        page = context.new_page()
        sign_in(page, "lan")
        page.goto("/emergencies")
        page.get_by_label("Tiêu đề").fill("Ghi âm thử")
        page.get_by_role("button", name="Ghi âm trên trình duyệt").click()
        expect(page.get_by_text("Đang ghi âm")).to_be_visible()
        # two seconds of the fake microphone's beeps, in 250 ms pieces
        page.wait_for_function(
            "() => Number(document.getElementById('bulletin-recorder').dataset.chunks || 0) >= 8"
        )
        page.get_by_role("button", name="Dừng").click()
        expect(page.get_by_text("Đã ghi âm")).to_be_visible()
        assert page.evaluate("document.getElementById('b-recording').files.length") == 1
        page.get_by_role("button", name="Nghe thử và kiểm tra trước khi gửi").click()
        expect(page.get_by_role("heading", name="Xác nhận bản tin")).to_be_visible()
        src = page.locator("audio").get_attribute("src")
        assert src and page.request.get(src).headers["content-type"] == "audio/mpeg"
        context.close()
    finally:
        recording.close()
