"""Commands to loudspeaker clusters from the station board (issue 22), in chromium: the
office sees each commune's clusters with the summary line and, under each cluster, the
controls; a volume command sent from the page is listed with who sent it and, once the agent
answers, its acknowledgement; a form without its CSRF token is refused; another office's user
neither sees the controls nor can command the cluster."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from broadcaster.clock import SystemClock
from broadcaster.domain.accounts import Role
from broadcaster.domain.distribution import Heartbeat
from broadcaster.domain.stations import Station, StationKind
from broadcaster.usecases.accounts import create_user
from broadcaster.usecases.device_commands import acknowledge_command, recent_commands

from .conftest import PASSWORD, Console, serious_accessibility_problems, sign_in

L1, L2 = "XA-DAKMIL-L1", "XA-DAKMIL-L2"
COMMUNE = "Đài truyền thanh xã Đắk Mil"


def _clusters_with_agents(console: Console) -> None:
    """L1 and L2 have an agent (a station token); L1 was heard just now at volume 6."""
    for code in (L1, L2):
        console.office.token(code)
    with console.office.db.unit_of_work() as uow:
        uow.heartbeats.record(
            Heartbeat(L1, SystemClock().now(), agent_version="1.4.0", volume=6,
                      relay_on=True, audio_ok=True, temperature_c=47.0)
        )  # fmt: skip


def _stored(console: Console) -> list[str]:
    found = recent_commands(
        console.office.db, role=Role.ADMIN, node="LAMDONG", who="test", station=L1
    )
    return [str(c.describe()) for c in found]


def _post(page, form: dict[str, str]):
    return page.request.post(f"/stations/{L1}/commands", form=form, max_redirects=0)


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_an_office_sends_a_volume_command_from_the_board_and_sees_its_answer(
    page, console: Console
):
    _clusters_with_agents(console)
    sign_in(page, "lan")
    page.goto("/stations")
    dakmil = page.locator("li.station").filter(
        has=page.get_by_role("link", name=COMMUNE, exact=True)
    )
    expect(dakmil.locator(".clusters-summary")).to_have_text("1/2 cụm loa trực tuyến")
    l1 = page.locator(f"#cluster-{L1}")
    expect(l1.get_by_role("heading")).to_contain_text("Cụm loa thôn Thuận Hạnh")
    expect(l1).to_contain_text("6/15")
    expect(page.locator(f"#cluster-{L2}")).to_contain_text("Mất kết nối")
    assert serious_accessibility_problems(page) == []

    l1.get_by_label("Âm lượng (1–15)").fill("8")
    l1.get_by_role("button", name="Đặt âm lượng").click()
    expect(page.get_by_role("status").filter(has_text="Đã gửi lệnh")).to_have_text(
        f"Đã gửi lệnh #1 tới {L1}: âm lượng 8/15. Câu trả lời của tác tử hiện dưới cụm loa."
    )
    sent = page.locator(f"#cluster-{L1} .commands li").first
    expect(sent).to_contain_text("#1 âm lượng 8/15 · Nguyễn Thị Lan")
    expect(sent).to_contain_text("đã gửi, đang chờ tác tử")
    assert _stored(console) == ["âm lượng 8/15"]

    # the agent answers; the board, polling, shows it without a reload
    acknowledge_command(console.office.db, SystemClock(), L1, 1, "done", None)
    expect(page.locator(f"#cluster-{L1} .commands li").first).to_contain_text(
        "đã thực hiện lúc", timeout=20_000
    )

    # the amplifier switched off from its button; then a volume out of range, refused on
    # the page with the reason (the browser's own check bypassed)
    page.locator(f"#cluster-{L1}").get_by_role("button", name="Tắt ampli").click()
    expect(page.locator(f"#cluster-{L1} .commands li").first).to_contain_text("#2 đã tắt ampli")
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    bad = _post(page, {"csrf": csrf or "", "kind": "volume", "value": "16"})
    assert bad.status == 400
    assert f"lệnh không được gửi tới {L1}: âm lượng phải là một mức từ 1 đến 15" in bad.text()
    assert _stored(console) == ["đã tắt ampli", "âm lượng 8/15"]


def test_a_command_without_the_forms_csrf_token_is_refused(page, console: Console):
    _clusters_with_agents(console)
    sign_in(page, "lan")
    page.goto("/stations")
    refused = _post(page, {"kind": "stop"})
    assert refused.status == 403
    assert "biểu mẫu đã hết hạn hoặc không phải từ trang quản lý này" in refused.text()
    forged = _post(page, {"csrf": "not-the-token", "kind": "stop"})
    assert forged.status == 403
    assert _stored(console) == []


def test_another_offices_user_cannot_command_the_cluster(page, console: Console):
    _clusters_with_agents(console)
    db = console.office.db
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(
            [Station("KV-KRONGNO", "Trung tâm khu vực Krông Nô", StationKind.REGION, "LAMDONG",
                     is_office=True)]
        )  # fmt: skip
    create_user(db, SystemClock(), username="khoa", password=PASSWORD, role=Role.OFFICE,
                station_code="KV-KRONGNO", display_name="Hoàng Văn Khoa")  # fmt: skip
    sign_in(page, "khoa")
    page.goto("/stations")
    expect(page.get_by_role("heading", name="Bảng theo dõi đài")).to_be_visible()
    expect(page.get_by_text(COMMUNE)).to_have_count(0)
    expect(page.get_by_role("button", name="Đặt âm lượng")).to_have_count(0)
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = _post(page, {"csrf": csrf or "", "kind": "volume", "value": "3"})
    assert refused.status == 403
    assert (
        f"lệnh không được gửi tới {L1}: {L1} không thuộc KV-KRONGNO, đơn vị của Hoàng Văn Khoa"
        in refused.text()
    )
    page.get_by_role("button", name="Đăng xuất").click()

    # the commune's approver sees its clusters, not the controls
    sign_in(page, "hung")
    page.goto("/stations")
    expect(page.locator(f"#cluster-{L1}")).to_be_visible()
    expect(page.locator(f"#cluster-{L1}").get_by_role("button")).to_have_count(0)
    assert _stored(console) == []


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_board_with_cluster_controls_fits_a_phone(phone, console: Console, tmp_path):
    """At 360 px the clusters' rows and their controls fit without sideways scrolling and
    pass the accessibility check; the volume form is usable there."""
    _clusters_with_agents(console)
    sign_in(phone, "lan")
    phone.goto("/stations")
    l1 = phone.locator(f"#cluster-{L1}")
    expect(l1).to_contain_text("6/15")
    expect(l1.get_by_role("button").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_problems(phone) == []
    phone.screenshot(path=str(tmp_path / "board-360.png"), full_page=True)
