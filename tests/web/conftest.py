"""The console served for real (uvicorn on 127.0.0.1) and Debian's chromium driven by Playwright.

Never 'playwright install': the browser is /usr/bin/chromium. Pages are checked for serious
accessibility problems with axe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from broadcaster.clock import SystemClock
from broadcaster.domain.accounts import Role
from broadcaster.server import create_server
from broadcaster.usecases.accounts import create_user
from tests.api.live_server import LiveServer, Office, copy_office, make_office

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "mat-khau-thu-nghiem"
#: one account per role, bound where the example office's people sit
PEOPLE = {
    "admin": (Role.ADMIN, "LAMDONG", "Quản trị viên"),
    "lan": (Role.OFFICE, "KV-DAKMIL", "Nguyễn Thị Lan"),
    "hung": (Role.APPROVER, "XA-DAKMIL", "Trần Văn Hùng"),
    "binh": (Role.OPERATOR, "XA-DAKMIL", "Lê Văn Bình"),
    "mai": (Role.OPERATOR, "XA-DUCMANH", "Phạm Thị Mai"),
    "son": (Role.REVIEWER, "LAMDONG", "Đỗ Văn Sơn"),
    "thu": (Role.APPROVER, "KV-DAKMIL", "Vũ Thị Thu"),
}


@dataclass
class Console:
    office: Office
    server: LiveServer
    people: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url


#: builds an office's contents once (stations are already loaded); see :func:`office_template`
Build = Callable[[Office], None]


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Build], Path]:
    """``office_template(name, build)``: the folder of an example office that ``build`` filled,
    made once per test process under that name, for :func:`copy_office` to copy into each test.
    Migrations, password hashing, audio and planning take seconds that every test would repeat."""
    made: dict[str, Path] = {}

    def template(name: str, build: Build) -> Path:
        if name not in made:
            folder = tmp_path_factory.mktemp(name)
            office = make_office(folder)
            build(office)
            office.db.dispose()
            made[name] = folder
        return made[name]

    return template


def add_people(office: Office, clock=None) -> None:
    """One account per role of :data:`PEOPLE`, made at ``clock``'s time."""
    for name, (role, node, shown) in PEOPLE.items():
        create_user(
            office.db,
            clock or SystemClock(),
            username=name,
            password=PASSWORD,
            role=role,
            station_code=node,
            display_name=shown,
        )


@pytest.fixture(scope="session")
def console_template(office_template) -> Path:
    """The example office with one account per role."""
    return office_template("console-template", add_people)


@pytest.fixture
def console(console_template: Path, tmp_path: Path) -> Iterator[Console]:
    office = copy_office(console_template, tmp_path)
    server = LiveServer(lambda: create_server(office.settings, database=office.db)).start()
    yield Console(office, server)
    server.stop()
    office.db.dispose()


@pytest.fixture
def page(browser, console: Console):
    context = browser.new_context(base_url=console.url, locale="vi-VN")
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture
def phone(browser, console: Console):
    """A 360 px wide phone screen."""
    context = browser.new_context(
        base_url=console.url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    p = context.new_page()
    yield p
    context.close()


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Tên tài khoản").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def serious_accessibility_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
