"""The week board in chromium: the office plans the demo week, publishes it, moves an airing
by hand (a move into a full session is refused with the reason), re-plans around the pin, sees
the difference against the published version and publishes again; a stale second window is
told so; roles and offices keep to their own weeks; desktop and 360 px, with axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from broadcaster.demo.plan import busiest_week
from broadcaster.domain.accounts import Role
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.items import Approval, ApprovalState, Item
from broadcaster.domain.stations import Station, StationKind
from broadcaster.ingest import IngestSettings, read_guidance
from broadcaster.server import create_server
from broadcaster.usecases.accounts import create_user, list_users
from broadcaster.usecases.directives import approve_item, import_files
from broadcaster.usecases.plan_edits import open_week, replan_week
from broadcaster.usecases.planner_settings import planner_settings
from tests.api.live_server import LiveServer, Office, copy_office

from .conftest import PASSWORD, add_people, serious_accessibility_problems, sign_in

REPO = Path(__file__).resolve().parents[2]
GUIDANCE = REPO / "schedules" / "guidance" / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: fills a 30-minute session of Xã Đắk Mil but for 30 seconds
LONG_TITLE = "Thông báo dài của xã Đắk Mil"


#: when the guidance is read and approved
PROBE = datetime(2026, 5, 1, 9, 0, tzinfo=TZ)


@dataclass
class Week:
    office: Office
    server: LiveServer
    now: datetime
    label: str  # 2026-W22

    @property
    def url(self) -> str:
        return self.server.url


def _seed(office: Office, now: datetime) -> str:
    """The demo's guidance imported and approved, plus one long notice of Xã Đắk Mil; the
    demo's week (the busiest of the guidance) as the ISO week label."""
    extracted, documents = read_guidance(GUIDANCE, IngestSettings())
    (result,) = import_files(office.db, [(extracted, documents)], now, office="KV-DAKMIL")
    for item in result.items:
        if item.kind.value == "propaganda" and item.id is not None:
            approve_item(office.db, item.id, "Chủ tịch UBND xã", now)
    ok = Approval(ApprovalState.APPROVED, "Chủ tịch UBND xã", now)
    with office.db.unit_of_work() as uow:
        items = uow.items.approved()
        monday = busiest_week(items, now.date())
        uow.items.add(
            Item(
                LONG_TITLE,
                approval=ok,
                estimated_duration=timedelta(minutes=29, seconds=30),
                target_per_week=1,
                stations=frozenset({"XA-DAKMIL"}),
                valid_from=monday,
                valid_until=monday + timedelta(days=6),
            )
        )
        # a second office elsewhere in the province, for "another office's plan"
        uow.stations.upsert_many(
            [Station("KV-KHAC", "Trung tâm khu vực khác", StationKind.REGION, "LAMDONG",
                     is_office=True)]
        )  # fmt: skip
    return _week_label(monday)


def _week_label(monday) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _guidance_week(office: Office) -> None:
    label = _seed(office, PROBE)
    clock = FixedClock(_planned_at(label))
    add_people(office, clock)
    create_user(office.db, clock, username="khac", password=PASSWORD, role=Role.OFFICE,
                station_code="KV-KHAC", display_name="Người khác")  # fmt: skip


def _planned_at(label: str) -> datetime:
    """The office plans on the Friday before the week, as the demo does."""
    from broadcaster.domain.planning import resolve_week

    return datetime.combine(resolve_week(label) - timedelta(days=3), time(15, 0), TZ)


@pytest.fixture
def week(office_template, tmp_path: Path) -> Iterator[Week]:
    office = copy_office(office_template("guidance-week", _guidance_week), tmp_path)
    with office.db.unit_of_work() as uow:
        guidance = [i for i in uow.items.approved() if i.title != LONG_TITLE]
    label = _week_label(busiest_week(guidance, PROBE.date()))
    now = _planned_at(label)
    clock = FixedClock(now)
    server = LiveServer(
        lambda: create_server(office.settings, database=office.db, clock=clock)
    ).start()
    yield Week(office, server, now, label)
    server.stop()
    office.db.dispose()


@pytest.fixture
def desk(browser, week: Week):
    context = browser.new_context(base_url=week.url, locale="vi-VN")
    yield context
    context.close()


@pytest.fixture
def phone(browser, week: Week):
    context = browser.new_context(
        base_url=week.url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    p = context.new_page()
    yield p
    context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def station(page, code: str):
    return page.locator(f"#st-{code}")


def cell_of(page, code: str, title: str):
    """The session cell of a station that airs ``title``."""
    return station(page, code).locator("td.cell").filter(has=page.get_by_role("link", name=title))


# --- the office's week ---------------------------------------------------------------------------


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_the_office_plans_moves_by_hand_re_plans_around_the_pin_and_publishes(desk, week: Week):
    page = desk.new_page()
    sign_in(page, "lan")
    page.goto(f"/week?week={week.label}")
    expect(page.get_by_text("Chưa có kế hoạch cho tuần này.")).to_be_visible()
    page.get_by_role("button", name="Lập kế hoạch tuần này").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã lập kế hoạch tuần {week.label}")
    expect(page.locator(".badge.draft")).to_have_text("Bản nháp")
    dakmil = station(page, "XA-DAKMIL")
    expect(dakmil.get_by_role("heading", level=2)).to_contain_text("Đài truyền thanh xã Đắk Mil")
    expect(dakmil.locator(".targets")).to_contain_text("Đạt")
    assert serious_accessibility_problems(page) == []

    page.get_by_role("button", name="Công bố kế hoạch này").click()
    expect(page.get_by_role("status")).to_contain_text("phiên bản 1, người công bố Nguyễn Thị Lan")
    expect(page.locator(".badge.published")).to_have_text("Phiên bản 1")
    expect(page.locator(".state")).to_contain_text("Nguyễn Thị Lan")

    # the long notice fills its session: another item cannot move there
    full = cell_of(page, "XA-DAKMIL", LONG_TITLE)
    expect(full).to_have_count(1)
    full_name = full.get_by_role("link", name=re.compile("^Mở ")).inner_text()
    airing = dakmil.locator("li.airing a").filter(has_not_text=LONG_TITLE).first
    title = airing.inner_text()
    airing.click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert serious_accessibility_problems(page) == []
    target = page.get_by_label("Chuyển sang buổi khác")
    full_session = full_name.removeprefix("Mở ")  # "Sáng T3 26/05"
    name, day = full_session.rsplit(" ", 2)[0], full_session.rsplit(" ", 1)[1]
    full_option = target.locator("option", has_text=re.compile(rf"{day} {name} .*không được"))
    target.select_option(full_option.get_attribute("value"))
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.locator("#move-error")).to_contain_text("đã kín")
    expect(page.locator("#move-error")).to_contain_text("30 giây")
    expect(target).to_have_value(full_option.get_attribute("value"))  # the choice is kept

    fine = target.locator("option:not(:has-text('không được'))").nth(1)
    fine_label = fine.inner_text().strip()
    target.select_option(fine.get_attribute("value"))
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển mục")
    fixed = page.locator("ul.edits")
    expect(fixed).to_contain_text("Đã ghim")
    expect(fixed).to_contain_text("Không xếp lại")
    moved_day = fine_label.split(" ")[1]  # "T4 27/05 Chiều 17:00" → "27/05"
    moved = dakmil.locator("li.airing.pinned", has_text=title)
    expect(moved).to_contain_text("đã ghim")

    page.get_by_role("button", name="Lập lại kế hoạch, giữ các buổi đã ghim").click()
    expect(page.get_by_role("status")).to_contain_text("giữ các buổi đã ghim")
    expect(dakmil.locator("li.airing.pinned", has_text=title)).to_have_count(1)
    differences = page.locator("ul.changes")
    expect(differences).to_contain_text(f"Thêm: XA-DAKMIL {fine_label.split(' ')[0]} {moved_day}")
    expect(differences).to_contain_text(title)
    assert serious_accessibility_problems(page) == []

    # a second window still shows the draft; the first changes it, then the second publishes
    other = desk.new_page()
    other.goto(page.url)
    page.get_by_role("button", name="Lập lại kế hoạch, giữ các buổi đã ghim").click()
    page.locator("ul.edits button", has_text="Bỏ ghim").first.click()
    page.get_by_role("button", name="Lập lại kế hoạch, giữ các buổi đã ghim").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lập kế hoạch")
    other.get_by_role("button", name="Công bố kế hoạch này").click()
    expect(other.get_by_role("alert")).to_contain_text("đã được thay đổi ở một cửa sổ khác")

    page.get_by_role("button", name="Công bố kế hoạch này").click()
    expect(page.locator(".badge.published")).to_have_text("Phiên bản 2")
    expect(page.get_by_role("status")).to_contain_text("thay đổi")

    page.goto("/audit")
    expect(page.get_by_text(re.compile("Đã chuyển mục .* tại XA-DAKMIL"))).to_be_visible()
    expect(page.get_by_text("Đã công bố kế hoạch tuần").first).to_be_visible()


def test_the_board_filters_by_station_item_and_priority_and_prints(desk, week: Week):
    replan_week(week.office.db, _user(week, "lan"), "KV-DAKMIL", week.label,
                planner_settings(week.office.settings), week.now)  # fmt: skip
    page = desk.new_page()
    sign_in(page, "lan")
    page.goto(f"/week?week={week.label}")
    page.get_by_label("Đài", exact=True).select_option("XA-DAKMIL")
    expect(page.locator("section.station")).to_have_count(1)
    items = page.get_by_label("Mục", exact=True)
    items.select_option(items.locator("option", has_text=LONG_TITLE).get_attribute("value"))
    expect(page.locator("li.airing")).to_have_count(1)
    page.get_by_label("Ưu tiên", exact=True).select_option("priority")
    expect(page.locator("li.airing")).to_have_count(0)
    page.get_by_role("link", name="Hiện tất cả").click()
    expect(page.locator("section.station")).to_have_count(4)
    page.get_by_role("link", name="In kế hoạch tuần").click()
    expect(page.get_by_role("heading", name="Kế hoạch phát sóng").first).to_be_visible()
    expect(page.get_by_text("BẢN NHÁP").first).to_be_visible()


def _user(week: Week, name: str):
    return next(u for u in list_users(week.office.db) if u.username == name)


def test_an_approver_reads_his_commune_and_an_operator_may_not_open_the_board(desk, week: Week):
    replan_week(week.office.db, _user(week, "lan"), "KV-DAKMIL", week.label,
                planner_settings(week.office.settings), week.now)  # fmt: skip
    page = desk.new_page()
    sign_in(page, "hung")
    page.goto(f"/week?week={week.label}")
    expect(page.locator("section.station")).to_have_count(1)
    expect(station(page, "XA-DAKMIL")).to_be_visible()
    expect(page.get_by_role("button", name="Công bố kế hoạch này")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Lập"))).to_have_count(0)
    page.locator("li.airing a").first.click()
    expect(page.get_by_text("Anh/chị được xem kế hoạch này")).to_be_visible()
    # his own token does not let him change the office's plan
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    plan_id = page.url.split("/week/plans/")[1].split("/")[0]
    q = dict(p.split("=", 1) for p in page.url.split("?", 1)[1].split("&"))
    refused = page.request.post(
        f"/week/plans/{plan_id}/change",
        form={"csrf": csrf or "", "rev": "", "change": "remove", "station": "XA-DAKMIL",
              "day": q["day"], "session": "", "item": q["item"]},
    )  # fmt: skip
    assert refused.status == 403

    operator = desk.browser.new_context(base_url=week.url, locale="vi-VN").new_page()
    sign_in(operator, "binh")
    answer = operator.goto(f"/week?week={week.label}")
    assert answer is not None and answer.status == 403
    expect(operator.get_by_text("không được mở trang này")).to_be_visible()
    operator.context.close()


def test_another_offices_plan_is_not_found_and_a_post_without_its_token_is_refused(
    desk, week: Week
):
    done = replan_week(week.office.db, _user(week, "lan"), "KV-DAKMIL", week.label,
                       planner_settings(week.office.settings), week.now)  # fmt: skip
    page = desk.new_page()
    sign_in(page, "khac")
    answer = page.goto(f"/week/plans/{done.version.id}")
    assert answer is not None and answer.status == 404
    page.context.clear_cookies()
    sign_in(page, "lan")
    page.goto(f"/week/plans/{done.version.id}")
    revision = page.locator("input[name=rev]").first.get_attribute("value")
    refused = page.request.post(
        f"/week/plans/{done.version.id}/publish", form={"rev": revision or ""}
    )
    assert refused.status == 403
    board = open_week(week.office.db, _user(week, "lan"), "KV-DAKMIL", week.label,
                      planner_settings(week.office.settings), week.now)  # fmt: skip
    assert board.published is None  # nothing was published


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_board_and_its_pages_fit_a_phone(phone, week: Week):
    replan_week(week.office.db, _user(week, "lan"), "KV-DAKMIL", week.label,
                planner_settings(week.office.settings), week.now)  # fmt: skip
    sign_in(phone, "lan")
    phone.goto(f"/week?week={week.label}")
    expect(phone.locator(".badge.draft")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []
    phone.locator("a.open").first.click()
    expect(phone.get_by_role("heading", name="Thêm một buổi phát bằng tay")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []
    phone.go_back()
    phone.locator("li.airing a").first.click()
    expect(phone.get_by_label("Chuyển sang buổi khác")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []


def test_the_office_adds_and_removes_an_airing_by_hand(desk, week: Week):
    replan_week(week.office.db, _user(week, "lan"), "KV-DAKMIL", week.label,
                planner_settings(week.office.settings), week.now)  # fmt: skip
    page = desk.new_page()
    sign_in(page, "lan")
    page.goto(f"/week?week={week.label}")
    dakmil = station(page, "XA-DAKMIL")
    # the session the long notice fills takes nothing more
    cell_of(page, "XA-DAKMIL", LONG_TITLE).get_by_role("link", name=re.compile("^Mở ")).click()
    expect(page.get_by_role("heading", name="Thêm một buổi phát bằng tay")).to_be_visible()
    choice = page.get_by_label("Mục", exact=True)
    value = choice.locator("option").nth(1).get_attribute("value")
    choice.select_option(value)
    page.get_by_role("button", name="Thêm và ghim").click()
    expect(page.locator("#add-error")).to_contain_text("đã kín")
    expect(choice).to_have_value(value or "")
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="Quay lại bảng kế hoạch tuần").click()
    first = dakmil.locator("td.cell").first
    present = first.locator("li.airing a").all_inner_texts()
    first.get_by_role("link", name=re.compile("^Mở ")).click()
    option = page.get_by_label("Mục", exact=True).locator("option").nth(1)
    added = option.inner_text().split(" · ", 1)[1].rsplit(" (", 1)[0]
    assert added not in present
    page.get_by_label("Mục", exact=True).select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Thêm và ghim").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm mục")
    expect(first.locator("li.airing.pinned", has_text=added)).to_have_count(1)

    first.locator("li.airing a", has_text=added).click()
    page.get_by_role("button", name="Gỡ khỏi buổi này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gỡ mục")
    expect(first.locator("li.airing", has_text=added)).to_have_count(0)
    expect(page.locator("ul.edits")).to_contain_text("Không xếp lại")
