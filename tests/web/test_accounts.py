"""Signing in and out, roles over the station tree, CSRF and session expiry, in chromium."""

from __future__ import annotations

import httpx
import pytest

from .conftest import PASSWORD, Console, serious_accessibility_problems, sign_in


def test_an_office_person_signs_in_sees_their_work_and_signs_out(page, console: Console):
    page.goto("/audit")
    # not signed in: the sign-in page, coming back to where the person was going
    assert "/login?next=/audit" in page.url
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Tên tài khoản").fill("lan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/audit")
    assert page.get_by_role("heading", name="Nhật ký thay đổi").is_visible()
    assert "user.sign_in" in page.content()  # the sign-in itself is in the trail
    page.goto("/")
    assert page.get_by_role("heading", name="Xin chào, Nguyễn Thị Lan").is_visible()
    assert page.get_by_role("link", name="Văn bản hướng dẫn và tin, bài").is_visible()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login")
    page.goto("/")
    assert "/login" in page.url


def test_a_wrong_password_says_so_without_telling_whether_the_name_exists(page, console):
    sign_in(page, "lan", "sai-mat-khau-roi")
    wrong_password = page.get_by_role("alert").inner_text()
    sign_in(page, "khong-co-ai", "sai-mat-khau-roi")
    assert page.get_by_role("alert").inner_text() == wrong_password
    assert "/login" in page.url


def test_five_wrong_passwords_lock_the_account_for_a_while(console: Console):
    with httpx.Client(base_url=console.url) as c:
        for _ in range(5):
            _post_login(c, "hung", "sai-mat-khau-roi")
        right = _post_login(c, "hung", PASSWORD)
    assert right.status_code == 401 and "15" in right.text


def _post_login(c: httpx.Client, name: str, password: str) -> httpx.Response:
    form = c.get("/login")
    token = form.text.split('name="csrf" value="')[1].split('"')[0]
    return c.post(
        "/login", data={"username": name, "password": password, "csrf": token, "next": "/"}
    )


def test_an_operator_cannot_open_the_offices_pages(page, console):
    sign_in(page, "binh")
    page.wait_for_url("**/")
    assert not page.get_by_role("link", name="Nhật ký thay đổi").count()
    response = page.goto("/audit")
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", name="Không được phép").is_visible()
    assert serious_accessibility_problems(page) == []


def test_a_form_without_its_csrf_token_is_refused(console: Console):
    with httpx.Client(base_url=console.url) as c:
        assert _post_login(c, "lan", PASSWORD).status_code == 303
        refused = c.post("/logout", data={})
        assert refused.status_code == 403 and "biểu mẫu đã hết hạn" in refused.text
        forged = c.post("/login", data={"username": "lan", "password": PASSWORD, "csrf": "x"})
        assert forged.status_code == 403
        # still signed in: the refused logout changed nothing
        assert c.get("/").status_code == 200


def test_an_expired_session_needs_signing_in_again(console: Console, monkeypatch):
    import time

    import itsdangerous.timed

    with httpx.Client(base_url=console.url) as c:
        assert _post_login(c, "lan", PASSWORD).status_code == 303
        assert c.get("/").status_code == 200

        # the clock of the signer nine hours back: the session signed then is past its eight
        class NineHoursAgo:
            @staticmethod
            def time() -> float:
                return time.time() - 9 * 3600

        monkeypatch.setattr(itsdangerous.timed, "time", NineHoursAgo)
        c.cookies.clear()
        assert _post_login(c, "lan", PASSWORD).status_code == 303
        monkeypatch.undo()
        r = c.get("/")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_a_changed_password_ends_the_other_sessions(browser, console: Console):
    first = browser.new_context(base_url=console.url).new_page()
    second = browser.new_context(base_url=console.url).new_page()
    sign_in(first, "son")
    sign_in(second, "son")
    second.goto("/account/password")
    second.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    second.get_by_label("Mật khẩu mới (ít nhất 10 ký tự)").fill("mat-khau-moi-cua-son")
    second.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-cua-son")
    second.get_by_role("button", name="Đổi mật khẩu").click()
    assert second.get_by_role("status").is_visible()
    second.goto("/")
    assert "/login" not in second.url  # this session goes on
    first.goto("/")
    assert "/login" in first.url  # the other one has ended


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
@pytest.mark.parametrize("path", ["/login", "/"])
def test_pages_fit_a_360_px_phone(phone, console: Console, path: str):
    sign_in(phone, "binh")
    phone.goto(path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert serious_accessibility_problems(phone) == []
