"""The operator's phone page in chromium: an operator of Xã Đắk Mil works through Tuesday at
360 px (plays an announcement, marks entries aired, partly aired and missed, adds a local notice
with its recording, signs the day's log book) and what was recorded is an airing log like the
CLI's; an emergency bulletin appears at once; another station's page and audio are refused;
every POST needs its token; axe finds nothing serious."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from broadcaster.domain.accounts import Role
from broadcaster.domain.airings import AiringSource
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.distribution import Principal, Scope
from broadcaster.domain.items import Approval, ApprovalState, DocumentRef, Item, Priority
from broadcaster.domain.segments import Segment, SegmentKind
from broadcaster.server import create_server
from broadcaster.usecases.accounts import create_user
from broadcaster.usecases.emergencies import BulletinRequest, create_emergency
from broadcaster.usecases.manual_log import confirm_playlist
from broadcaster.usecases.plans import plan_office_week, publish_office_week, station_playlist
from tests.api.live_server import LiveServer, Office, copy_office

from .conftest import PASSWORD, add_people, serious_accessibility_problems, sign_in

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)
#: Tuesday evening: the morning, noon and evening sessions of Xã Đắk Mil are over
NOW = datetime(2026, 12, 8, 18, 0, tzinfo=TZ)
OK = Approval(ApprovalState.APPROVED, "Chủ tịch UBND xã", datetime(2026, 12, 1, tzinfo=TZ))
BASIS = (DocumentRef("Hướng dẫn", "12/HD-SVHTTDL", date(2026, 11, 20), "Sở VHTTDL"),)
TITLES = [
    "Phòng, chống sốt xuất huyết mùa mưa",
    "An toàn giao thông cuối năm",
    "Phòng cháy rừng mùa khô",
]
#: aired at Xã Đức Mạnh only: audio an operator of Xã Đắk Mil may not fetch
ELSEWHERE = "Lịch thu gom rác thôn Đức Thành"


def tone(path: Path, seconds: float, freq: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency={freq}:duration={seconds}", "-ac", "1", "-b:a", "64k", str(path)],
        check=True,
    )  # fmt: skip


def seed_week(office: Office) -> None:
    """Three approved announcements with audio, planned and published for the week of 07/12."""
    audio_dir = office.settings.audio_dir
    with office.db.unit_of_work() as uow:
        for i, title in enumerate([*TITLES, ELSEWHERE]):
            item = uow.items.add(
                Item(
                    title,
                    priority=Priority.PRIORITY if i == 0 else Priority.NORMAL,
                    approval=OK,
                    basis=BASIS,
                    estimated_duration=timedelta(seconds=60 + 30 * i),
                    target_per_week=7,
                    valid_from=MONDAY,
                    valid_until=MONDAY + timedelta(days=6),
                    **({"stations": frozenset({"XA-DUCMANH"})} if title == ELSEWHERE else {}),
                )
            )
            digest = hashlib.sha256(f"tone-{i}".encode()).hexdigest()[:32]
            rel = f"cache/{digest[:2]}/{digest}.mp3"
            tone(audio_dir / rel, 3, 440 + 110 * i)
            uow.segments.add(
                Segment(
                    content_hash=digest,
                    kind=SegmentKind.TTS,
                    path=rel,
                    duration=timedelta(seconds=60 + 30 * i),
                    loudness_lufs=-16.0,
                    created_at=OK.at,
                    item_id=item.id,
                )
            )
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=TZ)
    plan_office_week(office.db, "KV-DAKMIL", MONDAY, friday)
    publish_office_week(office.db, "KV-DAKMIL", MONDAY, friday, by="Nguyễn Thị Lan")


@dataclass
class Day:
    office: Office
    server: LiveServer

    @property
    def url(self) -> str:
        return self.server.url

    def announcements(self, station: str = "XA-DAKMIL", day: date = TUESDAY):
        found = station_playlist(self.office.db, station, day, allow_draft=False)
        return [e for e in found.playlist.entries if e.item_id is not None]


def _published_week(office: Office) -> None:
    seed_week(office)
    add_people(office, FixedClock(NOW))


def served_day(office_template, tmp_path: Path) -> Iterator[Day]:
    """The example office with the week of 07/12 published, served at Tuesday 18:00."""
    office = copy_office(office_template("published-week", _published_week), tmp_path)
    clock = FixedClock(NOW)
    server = LiveServer(
        lambda: create_server(office.settings, database=office.db, clock=clock)
    ).start()
    yield Day(office, server)
    server.stop()
    office.db.dispose()


def browser_page(browser, url: str, *, small: bool):
    """A page at 360 px (a phone) or at the desktop's size."""
    size = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    context = browser.new_context(base_url=url, locale="vi-VN", **(size if small else {}))
    yield context.new_page()
    context.close()


@pytest.fixture
def day(office_template, tmp_path: Path) -> Iterator[Day]:
    yield from served_day(office_template, tmp_path)


@pytest.fixture
def phone(browser, day: Day):
    yield from browser_page(browser, day.url, small=True)


@pytest.fixture
def desk(browser, day: Day):
    yield from browser_page(browser, day.url, small=False)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def entry(page, position: int, day: date = TUESDAY):
    return page.locator(f"#e-{day.isoformat()}-{position}")


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_an_operator_works_through_the_day_on_a_phone(phone, day: Day, tmp_path: Path):
    first, second, third, *_rest = day.announcements()
    sign_in(phone, "binh")
    phone.get_by_role("link", name="Hôm nay tại đài của tôi").click()
    expect(phone).to_have_url(re.compile(r"/today$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Đài truyền thanh xã Đắk Mil")
    expect(phone.get_by_role("heading", name="Hôm nay · Thứ Ba, 08/12/2026")).to_be_visible()
    expect(phone.get_by_role("heading", name="Ngày mai · Thứ Tư, 09/12/2026")).to_be_visible()
    expect(entry(phone, first.position)).to_contain_text(first.title)
    expect(entry(phone, first.position).locator(".badge")).to_have_text("Chưa đánh dấu")
    tomorrow = day.announcements(day=TUESDAY + timedelta(days=1))[0]
    expect(
        entry(phone, tomorrow.position, TUESDAY + timedelta(days=1)).locator(".badge")
    ).to_have_text("Chưa đến giờ")
    expect(phone.locator("#sign-2026-12-08")).to_contain_text(
        "3 mục tuyên truyền đã đến giờ nhưng chưa được đánh dấu."
    )
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []

    # play: the audio plays in the page, from the console's own route
    play = entry(phone, first.position).get_by_role("link", name=f"Phát «{first.title}»")
    with phone.expect_response(re.compile(r"/today/audio/")) as heard:
        play.click()
    assert heard.value.status in (200, 206)
    expect(play).to_have_text("Dừng")
    phone.wait_for_function("() => document.getElementById('player').currentTime > 0")

    # mark: aired, partly aired with a note, missed with a note
    entry(phone, first.position).get_by_role("button", name="Đã phát", exact=True).click()
    expect(entry(phone, first.position).locator(".badge")).to_have_text("Đã phát")
    expect(entry(phone, first.position).get_by_role("status")).to_have_text("Đã ghi nhận.")
    expect(phone).to_have_url(re.compile(r"/today$"))  # htmx: only the entry was replaced
    row = entry(phone, second.position)
    row.get_by_label("Ghi chú (lý do không phát hoặc phát thiếu)").fill("Mất điện giữa chừng")
    row.get_by_role("button", name="Phát một phần").click()
    expect(entry(phone, second.position).locator(".badge")).to_have_text("Phát một phần")
    row = entry(phone, third.position)
    row.get_by_label("Ghi chú (lý do không phát hoặc phát thiếu)").fill("Loa hỏng")
    row.get_by_role("button", name="Không phát").click()
    expect(entry(phone, third.position).locator(".badge")).to_have_text("Không phát")
    # the day's log book no longer points at entries left unmarked
    expect(phone.locator("#sign-2026-12-08")).not_to_contain_text("chưa được đánh dấu")
    # the same mark again changes nothing
    entry(phone, first.position).get_by_text("Sửa đánh dấu").click()
    entry(phone, first.position).get_by_role("button", name="Đã phát", exact=True).click()
    expect(entry(phone, first.position).get_by_role("status")).to_contain_text("đã được ghi")

    # a local notice with its recording
    recording = tmp_path / "thong-bao.mp3"
    tone(recording, 5, 660)
    phone.get_by_text("Thêm thông báo địa phương đã phát").click()
    phone.get_by_label("Nội dung đã thông báo").fill("Thông báo lịch tiêm phòng cho trẻ")
    phone.get_by_label("Giờ bắt đầu").fill("17:40")
    phone.get_by_label("Hoặc bản ghi âm (không bắt buộc)").set_input_files(str(recording))
    phone.get_by_role("button", name="Ghi nhận thông báo").click()
    expect(phone.get_by_role("status")).to_have_text("Đã ghi nhận thông báo địa phương.")
    notices = phone.locator("#notices")
    expect(notices).to_contain_text("17:40 Thông báo lịch tiêm phòng cho trẻ")
    expect(notices).to_contain_text("0,1 phút")  # from the 5-second recording
    assert no_horizontal_scroll(phone)

    # sign the day: every entry is marked now
    sign = phone.locator("#sign-2026-12-08")
    expect(sign).not_to_contain_text("chưa được đánh dấu")
    sign.get_by_role("button", name="Ký sổ nhật ký ngày 08/12/2026").click()
    expect(phone.get_by_role("status")).to_have_text("Đã ký sổ nhật ký phát thanh của ngày.")
    expect(phone.locator("#sign-2026-12-08")).to_contain_text("Đã ký: Lê Văn Bình lúc 18:00")
    assert serious_accessibility_problems(phone) == []

    # what was recorded is the CLI's airing log: the same event ids, so the paper adds nothing
    again = confirm_playlist(
        day.office.db, station="XA-DAKMIL", day=TUESDAY, operator="Lê Văn Bình", now=NOW,
        aired=[first.position], partial=[second.position], missed=[third.position],
    )  # fmt: skip
    assert [r.new for r in again.recorded] == [False, False, False]
    with day.office.db.unit_of_work() as uow:
        logged = uow.airings.list(stations=["XA-DAKMIL"])
    assert {a.source for a in logged} == {AiringSource.MANUAL}
    assert {a.operator for a in logged} == {"Lê Văn Bình"}
    notice = next(a for a in logged if a.planned_start is None)
    assert notice.segment_hash is not None and notice.title == "Thông báo lịch tiêm phòng cho trẻ"
    # its recording plays from the page
    assert phone.request.get(f"/today/audio/{notice.segment_hash}").status == 200


def test_a_refused_mark_is_shown_beside_the_entry_with_the_note_kept(desk, day: Day):
    later = day.announcements(day=TUESDAY + timedelta(days=1))[0]
    sign_in(desk, "binh")
    desk.goto("/today")
    # a notice later than now is refused beside the form, the input kept
    desk.get_by_text("Thêm thông báo địa phương đã phát").click()
    desk.get_by_label("Nội dung đã thông báo").fill("Họp dân cư thôn")
    desk.get_by_label("Giờ bắt đầu").fill("21:15")
    desk.get_by_role("button", name="Ghi nhận thông báo").click()
    expect(desk.locator("#notices .error")).to_have_text(
        "08/12/2026 21:15 muộn hơn bây giờ; hãy ghi thông báo sau khi đã phát"
    )
    expect(desk.get_by_label("Nội dung đã thông báo")).to_have_value("Họp dân cư thôn")
    # tomorrow's entries cannot be marked (the form is not offered, and a forged one is refused)
    expect(
        entry(desk, later.position, later.day).get_by_role("button", name="Đã phát")
    ).to_have_count(0)
    csrf = desk.locator("input[name=csrf]").first.get_attribute("value")
    answer = desk.request.post(
        "/today/mark",
        form={"csrf": csrf, "day": later.day.isoformat(), "position": str(later.position),
              "mark": "aired", "note": ""},
    )  # fmt: skip
    assert answer.status == 422
    assert "muộn hơn bây giờ; hãy xác nhận sau khi phát" in answer.text()
    with day.office.db.unit_of_work() as uow:
        assert uow.airings.list(stations=["XA-DAKMIL"]) == []
    assert serious_accessibility_problems(desk) == []


@pytest.mark.slow  # the page without JavaScript: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_without_javascript_every_action_is_a_plain_form(browser, day: Day):
    first = day.announcements()[0]
    context = browser.new_context(base_url=day.url, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "binh")
    page.goto("/today")
    row = entry(page, first.position)
    row.get_by_label("Ghi chú (lý do không phát hoặc phát thiếu)").fill("Phát lại lúc 18 giờ")
    row.get_by_role("button", name="Phát một phần").click()
    expect(page).to_have_url(re.compile(rf"done=marked.*#e-2026-12-08-{first.position}$"))
    expect(entry(page, first.position).locator(".badge")).to_have_text("Phát một phần")
    expect(entry(page, first.position).get_by_role("status")).to_have_text("Đã ghi nhận.")
    # a better mark later is counted; a worse one afterwards is kept but not counted
    entry(page, first.position).get_by_text("Sửa đánh dấu").click()
    entry(page, first.position).get_by_role("button", name="Đã phát", exact=True).click()
    expect(entry(page, first.position).locator(".badge")).to_have_text("Đã phát")
    entry(page, first.position).get_by_text("Sửa đánh dấu").click()
    entry(page, first.position).get_by_role("button", name="Không phát").click()
    expect(entry(page, first.position).locator(".badge")).to_have_text("Đã phát")
    expect(entry(page, first.position).get_by_role("status")).to_contain_text(
        "Báo cáo vẫn tính là «Đã phát» vì trước đó đã có bản ghi tốt hơn."
    )
    page.get_by_role("button", name="Ký sổ nhật ký ngày 08/12/2026").click()
    expect(page.locator("#sign-2026-12-08")).to_contain_text("Đã ký: Lê Văn Bình lúc 18:00")
    # the printable log book of the day, as the reports print it
    page.get_by_role("link", name="Mở sổ nhật ký của ngày để in").click()
    expect(page.locator("body")).to_contain_text(first.title)
    expect(page.locator("body")).to_contain_text("Đài truyền thanh xã Đắk Mil")
    context.close()


def test_a_bulletin_appears_at_once_in_a_loud_banner(desk, day: Day):
    sign_in(desk, "binh")
    desk.goto("/today")
    expect(desk.locator("#bulletins .bulletin")).to_have_count(0)
    office = Principal(0, Scope.OFFICE, "KV-DAKMIL", label="test")
    recording = day.office.settings.audio_cache_dir / "bulletin-src.mp3"
    tone(recording, 2, 880)
    from broadcaster.usecases.emergencies import prepare_recording

    audio = prepare_recording(
        day.office.settings, recording, db=day.office.db, office="KV-DAKMIL", clock=FixedClock(NOW)
    )
    create_emergency(
        day.office.db, day.office.settings, FixedClock(NOW), office,
        BulletinRequest(title="Bão số 9 đổ bộ", text="Người dân vào nơi trú ẩn an toàn.",
                        audio_hash=audio, expires_in=timedelta(hours=2)),
    )  # fmt: skip
    banner = desk.locator("#bulletins .bulletin")
    expect(banner).to_contain_text("BẢN TIN KHẨN CẤP", timeout=15_000)
    expect(banner).to_contain_text("Bão số 9 đổ bộ")
    expect(desk.get_by_role("alert")).to_contain_text("Người dân vào nơi trú ẩn an toàn.")
    expect(desk).to_have_title(re.compile("^KHẨN CẤP — Bão số 9 đổ bộ"))
    # the bulletin's audio is the station's to hear
    src = banner.locator("audio").first.get_attribute("src")
    assert src and desk.request.get(src).status == 200
    # a page opened now shows it without waiting for the stream
    desk.reload()
    expect(desk.locator("#bulletins .bulletin").first).to_contain_text("Bão số 9 đổ bộ")
    assert serious_accessibility_problems(desk) == []


def test_an_operator_sees_only_their_own_station(desk, day: Day):
    other = next(e for e in day.announcements(station="XA-DUCMANH") if e.title == ELSEWHERE)
    sign_in(desk, "binh")
    desk.goto("/today")
    csrf = desk.locator("input[name=csrf]").first.get_attribute("value")
    assert desk.goto("/today?station=XA-DUCMANH").status == 403
    expect(desk.get_by_role("main")).to_contain_text("XA-DUCMANH")
    # the other station's audio is not his to fetch, unless his own playlists name it too
    assert other.audio not in {e.audio for e in day.announcements()}
    assert desk.request.get(f"/today/audio/{other.audio}").status == 403
    assert desk.request.get("/today/audio/" + "0" * 32).status == 403
    assert desk.request.get("/today/audio/not-a-hash").status == 404
    assert desk.request.get("/today/bulletins?station=XA-DUCMANH").status == 403
    forged = desk.request.post(
        "/today/mark",
        form={"csrf": csrf, "station": "XA-DUCMANH", "day": TUESDAY.isoformat(),
              "position": str(other.position), "mark": "aired"},
    )  # fmt: skip
    assert forged.status == 403
    # the office's pages are not an operator's
    assert desk.goto("/week").status == 403
    # an administrator may run any station's day, in English too
    desk.context.clear_cookies()
    sign_in(desk, "admin")
    assert desk.goto("/today?station=XA-DUCMANH&lang=en").status == 200
    expect(desk.get_by_role("heading", level=1)).to_have_text("Đài truyền thanh xã Đức Mạnh")
    expect(desk.get_by_role("heading", name="Today · Tuesday, 08/12/2026")).to_be_visible()
    # people who do not operate a station have no /today
    desk.context.clear_cookies()
    sign_in(desk, "son")
    assert desk.goto("/today").status == 403


def test_every_post_of_the_page_needs_its_token(desk, day: Day):
    first = day.announcements()[0]
    sign_in(desk, "binh")
    desk.goto("/today")
    form = {"day": TUESDAY.isoformat(), "position": str(first.position), "mark": "aired"}
    assert desk.request.post("/today/mark", form=form).status == 403
    assert desk.request.post("/today/mark", form={**form, "csrf": "forged"}).status == 403
    assert desk.request.post("/today/sign", form={"day": TUESDAY.isoformat()}).status == 403
    notice = {"day": TUESDAY.isoformat(), "title": "X", "at": "17:10", "minutes": "1"}
    assert desk.request.post("/recordings/notices", multipart=notice).status == 403
    with day.office.db.unit_of_work() as uow:
        assert uow.airings.list(stations=["XA-DAKMIL"]) == []
    expect(desk.locator("#sign-2026-12-08")).not_to_contain_text("Đã ký")


def test_an_operator_account_of_a_cluster_is_told_it_has_no_day(desk, day: Day):
    create_user(day.office.db, FixedClock(NOW), username="cum", password=PASSWORD,
                role=Role.OPERATOR, station_code="XA-DAKMIL-L1", display_name="Cụm loa")  # fmt: skip
    sign_in(desk, "cum")
    assert desk.goto("/today").status == 400
    expect(desk.get_by_role("main")).to_contain_text("không phát chương trình riêng")
