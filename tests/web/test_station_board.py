"""The station board in chromium with a real agent connected to the served API: a station
goes offline when its agent stops (and, silent during its session, raises an alert that is
mailed to the office) and comes back when the agent starts again; its page; who may see it."""

from __future__ import annotations

import dataclasses
import socketserver
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from broadcaster.api.settings import ApiSettings
from broadcaster.clock import SystemClock
from broadcaster.server import create_server
from broadcaster.usecases.station_board import MailSettings, SilenceMail, silent_everywhere
from tests.agent.helpers import AgentProcess, wait_until
from tests.api.live_server import LiveServer, copy_office, make_office

from .conftest import Console, serious_accessibility_problems, sign_in

STATION = "XA-DAKMIL"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class ShiftedClock:
    """The real time moved so that the server's "now" is two minutes into XA-DAKMIL's midday
    session (11:00 daily), whenever the test runs; it goes on ticking."""

    def __init__(self) -> None:
        self.real = SystemClock()
        local = self.real.now().astimezone(TZ)
        target = local.replace(hour=11, minute=2, second=0, microsecond=0)
        self.shift = target - local

    def now(self) -> datetime:
        return self.real.now() + self.shift


class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every message's text lands in ``server.messages``."""

    def handle(self) -> None:
        self.wfile.write(b"220 fake ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "DATA":
                self.wfile.write(b"354 go on\r\n")
                body = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(part)
                self.server.messages.append(b"".join(body))  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp() -> Iterator[socketserver.ThreadingTCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSmtp)
    server.messages = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def watched(console_template: Path, tmp_path: Path, smtp) -> Iterator[Console]:
    """The console with a short online window (4 s), a short silence (3 s) and mail."""
    office = copy_office(console_template, tmp_path)
    env = {
        **office.settings.env,
        "BROADCASTER_WEB_SILENCE_ALERT_MINUTES": "0.05",
        "BROADCASTER_MAIL_HOST": "127.0.0.1",
        "BROADCASTER_MAIL_PORT": str(smtp.server_address[1]),
        "BROADCASTER_MAIL_OFFICE_TO": "vanphong@dakmil.example.vn",
    }
    settings = dataclasses.replace(office.settings, env=env)
    office = dataclasses.replace(office, settings=settings)
    server = LiveServer(
        lambda: create_server(
            settings,
            database=office.db,
            clock=ShiftedClock(),
            api=ApiSettings(online_window_seconds=4),
        )
    ).start()
    yield Console(office, server)
    server.stop()
    office.db.dispose()


@pytest.fixture
def watched_page(browser, watched: Console):
    context = browser.new_context(base_url=watched.url, locale="vi-VN")
    p = context.new_page()
    yield p
    context.close()


def alerts(smtp, code: str) -> list[EmailMessage]:
    found = [message_from_bytes(m, policy=default) for m in list(smtp.messages)]
    return [m for m in found if f"({code})" in m.get_content()]  # type: ignore[union-attr]


def card(page, name: str):
    return page.locator("li.station").filter(has=page.get_by_role("link", name=name, exact=True))


@pytest.mark.slow
def test_a_station_goes_offline_and_comes_back_with_its_agent(
    watched_page, watched: Console, smtp, tmp_path: Path
):
    page = watched_page
    agent = AgentProcess(
        station=STATION,
        server=watched.url,
        folder=tmp_path / "station",
        home=tmp_path,
        token=watched.office.token(STATION),
    ).start()
    try:
        sign_in(page, "lan")
        page.goto("/stations")
        expect(page.get_by_role("heading", name="Bảng theo dõi đài")).to_be_visible()
        dakmil = card(page, "Đài truyền thanh xã Đắk Mil")
        # the board polls itself: the agent's first heartbeat shows without a reload
        expect(dakmil.locator(".badge")).to_have_text("Trực tuyến", timeout=30_000)
        expect(dakmil).to_contain_text("Phiên bản tác tử")
        expect(dakmil).not_to_contain_text("Im lặng trong buổi")
        assert serious_accessibility_problems(page) == []

        agent.stop()
        expect(dakmil.locator(".badge")).to_have_text("Mất kết nối", timeout=30_000)
        expect(dakmil).to_contain_text("từ ")
        expect(dakmil).to_contain_text("Im lặng trong buổi Trưa 11:00")
        expect(page.get_by_role("alert")).to_contain_text("Đài truyền thanh xã Đắk Mil")
        # offline stations come first: the silent one leads the board
        first = page.locator("li.station").first
        expect(first).to_contain_text("Mất kết nối")
        mails = wait_until(lambda: alerts(smtp, "XA-DAKMIL"), 40, "the alert e-mail")
        assert mails[0]["To"] == "vanphong@dakmil.example.vn"
        assert mails[0]["Subject"] == "Đài Đài truyền thanh xã Đắk Mil im lặng trong buổi phát"
        assert "không có tín hiệu từ" in mails[0].get_content()
        assert len(mails) == 1  # once per station and session, however often the board looks

        agent.start()
        expect(dakmil.locator(".badge")).to_have_text("Trực tuyến", timeout=40_000)
        expect(dakmil).not_to_contain_text("Im lặng trong buổi")

        # its page: two stretches of heartbeats and the silence between them
        page.goto(f"/stations/{STATION}")
        expect(page.locator("table.heard tbody tr")).to_have_count(2)
        expect(page.locator(".silences li")).to_have_count(1)
        expect(page.locator(".silences li")).to_contain_text("im lặng từ")
        assert serious_accessibility_problems(page) == []
    finally:
        agent.stop()


def test_a_stations_page_shows_its_state_and_airings(page, console: Console):
    from broadcaster.domain.distribution import Scope
    from broadcaster.usecases.tokens import create_token

    expires = datetime(2031, 1, 15, 3, 0, tzinfo=TZ)
    create_token(
        console.office.db,
        SystemClock(),
        scope=Scope.STATION,
        station_code="XA-DUCMANH",
        label="máy phát",
        expires_at=expires,
    )
    sign_in(page, "lan")
    page.get_by_role("link", name="Bảng theo dõi đài").click()  # the home page's tile
    page.get_by_role("link", name="Đài truyền thanh xã Đức Mạnh", exact=True).first.click()
    expect(page.get_by_role("heading", name="Đài truyền thanh xã Đức Mạnh")).to_be_visible()
    expect(page.get_by_text("chưa từng liên lạc")).to_be_visible()
    expiry = page.locator("dt", has_text="Mã truy cập hết hạn").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(expiry).to_have_text("15/01/2031 03:00")
    expect(page.get_by_text("Không có tín hiệu nào từ đài này trong 3 ngày qua.")).to_be_visible()
    expect(page.get_by_text("Không có buổi phát nào nhận được từ đài này")).to_be_visible()
    assert serious_accessibility_problems(page) == []


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_board_at_360_px(phone, console: Console):
    sign_in(phone, "lan")
    phone.goto("/stations")
    expect(phone.locator("li.station").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_problems(phone) == []
    phone.goto("/stations/XA-DAKMIL")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_who_sees_which_stations(page, console: Console):
    sign_in(page, "hung")  # an approver at XA-DAKMIL sees his own station only
    page.goto("/stations")
    expect(page.locator("li.station")).to_have_count(1)
    assert page.request.get("/stations/XA-DUCMANH").status == 404
    assert page.request.get("/stations/XA-DAKMIL").status == 200
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "binh")  # an operator is refused the board
    answer = page.goto("/stations")
    assert answer is not None and answer.status == 403
    expect(page.get_by_text("không được mở trang này")).to_be_visible()


def test_the_station_board_unit_silence_rule(tmp_path: Path):
    """Silent in a session: only while the clock says on air, and only after the set time."""
    from broadcaster.domain.distribution import Heartbeat
    from broadcaster.usecases.station_board import silence_of

    office = make_office(tmp_path)
    with office.db.unit_of_work() as uow:
        tree = uow.stations.tree()
    noon = datetime(2026, 12, 2, 11, 8, tzinfo=TZ)
    seen = Heartbeat(STATION, seen_at=noon - timedelta(minutes=5))
    found = silence_of(tree, STATION, seen, noon, timedelta(minutes=4))
    assert found is not None and found.session.name == "Trưa" and found.since == seen.seen_at
    assert silence_of(tree, STATION, seen, noon, timedelta(minutes=6)) is None
    # never heard from: silent since the session began
    assert silence_of(tree, STATION, None, noon, timedelta(minutes=7)) is not None
    night = datetime(2026, 12, 2, 23, 0, tzinfo=TZ)
    assert silence_of(tree, STATION, None, night, timedelta(minutes=1)) is None
    office.db.dispose()


def test_silences_are_the_gaps_longer_than_the_window():
    from broadcaster.domain.presence import Presence, gaps

    t = datetime(2026, 12, 2, 11, 0, tzinfo=TZ)
    heard = [
        Presence(STATION, t, t + timedelta(minutes=10)),
        Presence(STATION, t + timedelta(minutes=11), t + timedelta(minutes=20)),
        Presence(STATION, t + timedelta(minutes=30), t + timedelta(minutes=40)),
    ]
    window = timedelta(minutes=3)
    found = gaps(heard, window, now=t + timedelta(minutes=41))
    assert [(g.start, g.end) for g in found] == [
        (t + timedelta(minutes=20), t + timedelta(minutes=30))
    ]
    later = gaps(heard, window, now=t + timedelta(minutes=50))
    assert later[-1].start == t + timedelta(minutes=40) and later[-1].length == timedelta(
        minutes=10
    )


def test_the_server_mails_a_silence_with_no_board_open(watched: Console, smtp):
    """No one looks at the board: the server's own watcher mails the office that XA-DAKMIL,
    never heard from, has been silent since its midday session began."""
    mails = wait_until(lambda: alerts(smtp, STATION), 20, "the watcher's alert e-mail")
    assert "Trưa 11:00–11:20" in mails[0].get_content()
    # what was mailed is each server's memory, not the process's: another server (a restart, or
    # the next test's) mails the same silence again, once
    board = silent_everywhere(
        watched.office.db,
        ShiftedClock(),
        online_window=timedelta(seconds=4),
        silence=timedelta(minutes=0.05),
    )
    mail = watched.office.settings.section("mail", MailSettings)
    another = SilenceMail()
    assert another.send(mail, board, "Asia/Ho_Chi_Minh") == 1
    assert another.send(mail, board, "Asia/Ho_Chi_Minh") == 0
    assert len(wait_until(lambda: alerts(smtp, STATION)[1:], 10, "the second server's e-mail")) == 1
