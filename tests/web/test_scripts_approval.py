"""Scripts, audio and approval in chromium: the office edits a script and hears it (espeak-ng,
for real), records or uploads an announcement; an approver of the district listens, sends back
with a comment or approves; roles and offices keep to their own items."""

from __future__ import annotations

import http.client
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import responses
from playwright.sync_api import FormData, expect

from broadcaster.clock import SystemClock
from broadcaster.ingest import DEFAULT_READING_RATE, IngestSettings, estimate_seconds, read_guidance
from broadcaster.usecases.directives import edit_script, import_files
from broadcaster.usecases.item_repair import delete_items
from broadcaster.usecases.speech import list_segments
from tests.speech.fake_google import TTS_URL, mp3_chunk, tts_body

from .conftest import CHROMIUM, Console, serious_accessibility_problems, sign_in

REPO = Path(__file__).resolve().parents[2]
GUIDANCE = REPO / "schedules" / "guidance" / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt"
STORM_LETTER = REPO / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"

#: real espeak-ng and ffmpeg work behind a click (synthesis, a recording cleaned): on a
#: loaded machine it takes longer than an expectation's 5 s default
WORK = 30_000


@dataclass(frozen=True)
class Guidance:
    directive_id: int
    #: the propaganda items, in document order: (id, title)
    items: list[tuple[int, str]]

    def id(self, n: int) -> int:
        return self.items[n][0]

    def title(self, n: int) -> str:
        return self.items[n][1]


@pytest.fixture
def guidance(console: Console) -> Guidance:
    # the example guidance (5 topics) and the office's storm letter (3 more): the approvals
    # tests need six drafts of their own
    files = [read_guidance(path, IngestSettings()) for path in (GUIDANCE, STORM_LETTER)]
    results = import_files(console.office.db, files, SystemClock().now(), office="KV-DAKMIL")
    items = [(i.id, i.title) for r in results for i in r.items if i.kind.value == "propaganda"]
    assert results[0].directives[0].id is not None and len(items) >= 6
    return Guidance(results[0].directives[0].id, [(n, t) for n, t in items if n is not None])


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def tone_with_silence(path: Path) -> Path:
    """A 440 Hz tone, half a second of silence, another tone: a short 'recording'."""
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
            "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=0.5",
            "-f", "lavfi", "-i", "sine=frequency=660:duration=1",
            "-filter_complex", "[0:a][1:a][2:a]concat=n=3:v=0:a=1",
            "-ar", "44100", "-ac", "1", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


# --- the office -----------------------------------------------------------------------------------


def test_the_office_edits_a_script_and_sees_the_reading_time_while_typing(
    page, console: Console, guidance: Guidance
):
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(0)}/script")
    expect(page.get_by_role("heading", name=guidance.title(0))).to_be_visible()
    expect(page.locator(".state-draft")).to_contain_text("Bản nháp")
    document = page.locator(".crumb").get_by_role("link", name=re.compile("Văn bản hướng dẫn"))
    expect(document).to_have_attribute("href", f"/directives/{guidance.directive_id}")
    assert serious_accessibility_problems(page) == []

    # the script check points at what should not go on air, while the person types
    check = page.locator("#script-problems")
    page.get_by_label("Kịch bản đọc trên sóng").fill(
        "Kính thưa bà con! Đề nghị các thôn phát thanh bài này ba lần mỗi ngày"
    )
    expect(check).to_contain_text("Kiểm tra kịch bản: có 2 điểm cần sửa")
    expect(check.get_by_role("listitem").first).to_contain_text(
        "“Đề nghị các thôn phát thanh bài này ba lần mỗi ngày” là lời giao việc"
    )
    expect(check.get_by_role("listitem").nth(1)).to_contain_text("dừng giữa câu")

    script = " ".join(["Bà con thôn Nam Bình chú ý lắng nghe."] * 30)  # 240 words
    seconds = estimate_seconds(script, DEFAULT_READING_RATE)
    shown = f"khoảng {seconds // 60} phút {seconds % 60} giây"
    reading_time = page.locator("#reading-time")
    expect(reading_time).not_to_have_text(shown)
    page.get_by_label("Kịch bản đọc trên sóng").fill(script)
    expect(reading_time).to_have_text(shown)  # updated while typing, nothing saved yet
    expect(check).to_have_text("Kiểm tra kịch bản: không có điểm nào cần sửa.")
    page.get_by_role("button", name="Lưu kịch bản").click()
    expect(page.locator("#notice")).to_have_text("Đã lưu kịch bản.")
    expect(page.get_by_label("Kịch bản đọc trên sóng")).to_have_value(script)
    expect(reading_time).to_have_text(shown)

    # an empty script is refused beside the field; what was saved stays
    page.get_by_label("Kịch bản đọc trên sóng").fill("   ")
    page.get_by_role("button", name="Lưu kịch bản").click()
    expect(page.locator("#script-error")).to_contain_text("để trống")
    expect(page.get_by_label("Kịch bản đọc trên sóng")).to_have_attribute("aria-invalid", "true")
    page.goto(f"/items/{guidance.id(0)}/script")
    expect(page.get_by_label("Kịch bản đọc trên sóng")).to_have_value(script)
    assert "item.script" in page.goto("/audit").text()


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_the_office_synthesises_the_script_and_listens_in_the_page(
    page, console: Console, guidance: Guidance
):
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(1)}/script")
    expect(page.get_by_text("Chưa có âm thanh.")).to_be_visible()
    page.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(page.locator("#audio-notice")).to_have_text(
        "Đã tổng hợp giọng đọc: nghe ở dưới.", timeout=WORK
    )
    # one player a person sees: the new voice (the recorder's own player waits, hidden,
    # until something is recorded)
    expect(page.locator("#audio audio:visible")).to_have_count(1)
    expect(page.get_by_label("Nghe lại bản vừa ghi")).to_be_hidden()
    expect(page.get_by_role("button", name="Gửi bản ghi âm")).to_be_hidden()
    player = page.locator("#audio .segment audio")
    expect(player).to_have_count(1)
    expect(page.locator("#audio .segment")).to_contain_text(re.compile(r"thời lượng \d+:\d\d"))
    expect(page.locator("#audio .segment")).to_contain_text("Giọng đọc máy")
    source = player.get_attribute("src")
    assert source and source.startswith(f"/items/{guidance.id(1)}/audio/")
    answer = page.request.get(source)  # with the page's cookies
    assert answer.status == 200
    assert answer.headers["content-type"] == "audio/mpeg"
    body = answer.body()
    assert len(body) > 5_000 and (body[:3] == b"ID3" or body[0] == 0xFF)
    ranged = page.request.get(source, headers={"Range": "bytes=0-99"})
    assert ranged.status == 206 and len(ranged.body()) == 100
    (segment,) = list_segments(console.office.db, item_id=guidance.id(1))
    assert segment.kind.value == "tts" and segment.engine == "espeak-ng"
    assert serious_accessibility_problems(page) == []
    expect(page.locator("#audio .outdated")).to_have_count(0)

    # the script changes: the voice in use says the old one, and the page says so
    page.get_by_label("Kịch bản đọc trên sóng").fill("Kính thưa bà con! Xin mời bà con dự họp.")
    page.get_by_role("button", name="Lưu kịch bản").click()
    expect(page.locator("#audio .segment").first.locator(".outdated")).to_have_text(
        "Giọng đọc này đọc một bản kịch bản cũ, không phải bản đang lưu. "
        "Hãy tổng hợp lại để nghe đúng kịch bản đã lưu."
    )
    page.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(page.locator("#audio .segment")).to_have_count(2, timeout=WORK)
    expect(page.locator("#audio .segment").first.locator(".outdated")).to_have_count(0)
    expect(page.locator("#audio .segment").nth(1).locator(".outdated")).to_be_visible()


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
@responses.activate
def test_the_office_may_choose_googles_voice_and_is_told_when_google_is_out_of_reach(
    page, console: Console, guidance: Guidance, tmp_path: Path
):
    responses.add(responses.POST, TTS_URL, body=requests.ConnectionError("no route to host"))
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(1)}/script")
    voice = page.get_by_label("Giọng đọc", exact=True)
    expect(voice).to_have_value("espeak-ng")  # the offline voice unless another is chosen
    voice.select_option(label="Giọng Google (cần có Internet)")
    page.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(page.locator("#synth-error")).to_contain_text("Không tổng hợp được giọng đọc:")
    expect(page.locator("#synth-error")).to_contain_text("translate.google.com")
    expect(page.locator("#synth-error")).to_contain_text("hãy chọn giọng máy")
    expect(page.get_by_label("Giọng đọc", exact=True)).to_have_value("gtts")  # kept
    assert list_segments(console.office.db, item_id=guidance.id(1)) == []

    responses.replace(responses.POST, TTS_URL, body=tts_body(mp3_chunk(tmp_path)))
    page.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(page.locator("#audio-notice")).to_have_text(
        "Đã tổng hợp giọng đọc: nghe ở dưới.", timeout=WORK
    )
    (segment,) = list_segments(console.office.db, item_id=guidance.id(1))
    assert segment.engine == "gtts"
    assert "bằng gtts" in page.goto("/audit").text()


def test_the_office_uploads_a_recording_and_garbage_is_refused_with_its_reason(
    page, console: Console, guidance: Guidance, tmp_path: Path
):
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(2)}/script")
    page.get_by_label("Hoặc tải lên bản thu").set_input_files(
        str(tone_with_silence(tmp_path / "ban-thu-thon-3.wav"))
    )
    page.get_by_role("button", name="Tải bản thu lên").click()
    expect(page.locator("#notice")).to_have_text("Đã thêm bản thu: nghe ở dưới.")
    first = page.locator("#audio .segment").first
    expect(first).to_contain_text("Bản thu ban-thu-thon-3.wav")
    expect(first).to_contain_text(re.compile(r"thời lượng 0:0[23]"))
    expect(first).to_contain_text("đang dùng")

    garbage = tmp_path / "khong-phai-am-thanh.mp3"
    garbage.write_bytes(b"day khong phai am thanh " * 200)
    page.get_by_label("Hoặc tải lên bản thu").set_input_files(str(garbage))
    page.get_by_role("button", name="Tải bản thu lên").click()
    error = page.locator("#upload-error")
    expect(error).to_contain_text("Chưa thêm được bản thu")
    expect(error).to_contain_text("khong-phai-am-thanh.mp3")
    expect(error).to_contain_text("không giải mã được")
    assert "broadcaster-upload" not in error.inner_text()  # no server folder in the reason
    expect(page.get_by_label("Hoặc tải lên bản thu")).to_have_attribute("aria-invalid", "true")
    assert len(list_segments(console.office.db, item_id=guidance.id(2))) == 1

    silent = tmp_path / "im-lang.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=2",
         str(silent)],
        check=True,
    )  # fmt: skip
    page.get_by_label("Hoặc tải lên bản thu").set_input_files(str(silent))
    page.get_by_role("button", name="Tải bản thu lên").click()
    expect(page.locator("#upload-error")).to_contain_text("im-lang.wav")
    assert len(list_segments(console.office.db, item_id=guidance.id(2))) == 1
    # two files in one upload: one recording at a time
    token = page.locator('input[name="csrf"]').first.input_value()
    two = FormData().append("csrf", token)
    for name in ("a.wav", "b.wav"):
        two.append("file", {"name": name, "mimeType": "audio/wav", "buffer": silent.read_bytes()})
    answer = page.request.post(f"/recordings/{guidance.id(2)}", multipart=two)
    assert answer.status == 422 and "hãy gửi từng tệp âm thanh một" in answer.text()
    assert len(list_segments(console.office.db, item_id=guidance.id(2))) == 1

    trail = page.goto("/audit").text()
    assert "item.record" in trail and "ban-thu-thon-3.wav" in trail
    assert trail.count("item.record") == 1  # refusals change nothing, so nothing is recorded


def post_headers_only(console: Console, path: str, cookies: list, length: int) -> tuple[int, str]:
    """A POST that announces ``length`` bytes and sends none of them: a server that read the
    body before refusing would wait for it (and the call time out)."""
    connection = http.client.HTTPConnection("127.0.0.1", console.server.port, timeout=15)
    connection.putrequest("POST", path)
    connection.putheader("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in cookies))
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    response = connection.getresponse()
    try:
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_a_recording_over_the_size_limit_is_refused_before_it_is_read(
    page, console: Console, guidance: Guidance, tmp_path: Path
):
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(2)}/script")
    status, text = post_headers_only(
        console, f"/recordings/{guidance.id(2)}", page.context.cookies(), 51 * 1024 * 1024
    )
    assert status == 413
    assert "tệp nặng 51 MB; bản thu tối đa 50 MB" in text
    assert list_segments(console.office.db, item_id=guidance.id(2)) == []

    # in the page the file is refused at once, with the reason, before it is sent
    too_large = tmp_path / "dai.wav"
    with too_large.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    page.get_by_label("Hoặc tải lên bản thu").set_input_files(str(too_large))
    page.get_by_role("button", name="Tải bản thu lên").click()
    error = page.locator("#upload-error")
    expect(error).to_have_text(
        "Chưa thêm được bản thu: dai.wav: tệp nặng 51 MB; bản thu tối đa 50 MB. Hãy cắt ngắn "
        "hoặc lưu ở chất lượng thấp hơn (ví dụ MP3 64 kbit/s)"
    )
    expect(page.get_by_label("Hoặc tải lên bản thu")).to_have_attribute("aria-invalid", "true")
    assert page.url.endswith(f"/items/{guidance.id(2)}/script")
    assert list_segments(console.office.db, item_id=guidance.id(2)) == []

    # a recording of a few MB (more than the 1 MB the server allows an ordinary form) is taken
    wav = tmp_path / "ban-thu-dai.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=12",
         "-ar", "48000", "-ac", "2", str(wav)],
        check=True,
    )  # fmt: skip
    assert wav.stat().st_size > 2 * 1024 * 1024
    page.get_by_label("Hoặc tải lên bản thu").set_input_files(str(wav))
    page.get_by_role("button", name="Tải bản thu lên").click()
    expect(page.locator("#notice")).to_have_text("Đã thêm bản thu: nghe ở dưới.")
    assert len(list_segments(console.office.db, item_id=guidance.id(2))) == 1


# --- the approver ---------------------------------------------------------------------------------


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_an_approver_sends_back_with_a_comment_and_approves_and_an_edit_withdraws_it(
    browser, console: Console, guidance: Guidance
):
    office = browser.new_context(base_url=console.url, locale="vi-VN").new_page()
    approver = browser.new_context(base_url=console.url, locale="vi-VN").new_page()
    sign_in(office, "lan")
    office.goto(f"/items/{guidance.id(1)}/script")
    office.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(office.locator("#audio .segment audio")).to_have_count(1, timeout=WORK)

    sign_in(approver, "thu")
    approver.goto("/approvals")
    expect(approver.get_by_role("heading", name="Chờ tôi duyệt", level=1)).to_be_visible()
    expect(approver.get_by_text(f"Có {len(guidance.items)} mục chờ bạn duyệt.")).to_be_visible()
    expect(approver.get_by_role("heading", name=re.compile(r"45\/HD-VHXH"))).to_be_visible()
    with_audio = approver.locator(f"#item-{guidance.id(1)}")
    expect(with_audio.locator("audio")).to_have_count(1)
    assert approver.request.get(with_audio.locator("audio").get_attribute("src")).ok
    assert serious_accessibility_problems(approver) == []

    # sending back needs a comment
    approver.get_by_role("button", name=f"Trả lại “{guidance.title(0)}”").click()
    expect(approver.locator(f"#note-error-{guidance.id(0)}")).to_contain_text("để trống")
    expect(approver.locator(f"#item-{guidance.id(0)}")).to_be_visible()  # still waiting
    note = "Bổ sung số điện thoại trạm y tế xã vào cuối bài."
    approver.locator(f"#note-{guidance.id(0)}").fill(note)
    approver.get_by_role("button", name=f"Trả lại “{guidance.title(0)}”").click()
    expect(approver.locator("#done")).to_contain_text(
        f"“{guidance.title(0)}”: Vũ Thị Thu đã trả lại lúc"
    )
    expect(approver.locator(f"#item-{guidance.id(0)}")).to_have_count(0)

    approver.get_by_role("button", name=f"Duyệt “{guidance.title(1)}”").click()
    expect(approver.locator("#done")).to_contain_text(
        re.compile(rf"“{re.escape(guidance.title(1))}”: Vũ Thị Thu đã duyệt lúc \d\d/\d\d/\d{{4}}")
    )

    # the office reads the comment on the script page
    office.goto(f"/items/{guidance.id(0)}/script")
    expect(office.locator(".state-returned strong")).to_have_text("Bị trả lại")
    expect(office.locator("blockquote.note")).to_have_text(note)
    # the approved one shows who and when; editing it withdraws the approval
    office.goto(f"/items/{guidance.id(1)}/script")
    expect(office.locator(".state-approved")).to_contain_text("Đã duyệt")
    expect(office.locator(".state-approved")).to_contain_text("Vũ Thị Thu, lúc")
    expect(office.get_by_text("Lưu kịch bản đã sửa sẽ rút lại việc duyệt")).to_be_visible()
    office.get_by_label("Kịch bản đọc trên sóng").fill("Kịch bản mới, ngắn gọn hơn.")
    office.get_by_role("button", name="Lưu kịch bản").click()
    expect(office.locator("#notice")).to_contain_text("Việc duyệt đã được rút lại")
    expect(office.locator(".state-draft")).to_be_visible()
    approver.goto("/approvals")
    expect(approver.locator(f"#item-{guidance.id(1)}")).to_contain_text(guidance.title(1))

    trail = office.goto("/audit")
    text = office.content()
    assert trail is not None and "item.approve" in text and "item.send_back" in text
    office.context.close()
    approver.context.close()


def test_an_approver_approves_several_at_once_and_a_stale_tab_says_what_happened(
    page, console: Console, guidance: Guidance
):
    sign_in(page, "thu")
    page.goto("/approvals")
    second_tab = page.context.new_page()
    second_tab.goto("/approvals")
    third_tab = page.context.new_page()
    third_tab.goto("/approvals")

    page.locator(f'input[name="item"][value="{guidance.id(2)}"]').check()
    page.locator(f'input[name="item"][value="{guidance.id(3)}"]').check()
    page.get_by_role("button", name="Duyệt các mục đã chọn").click()
    results = page.locator("#done")
    expect(results).to_contain_text(f"“{guidance.title(2)}”: Vũ Thị Thu đã duyệt lúc")
    expect(results).to_contain_text(f"“{guidance.title(3)}”: Vũ Thị Thu đã duyệt lúc")
    expect(page.locator(f"#item-{guidance.id(2)}")).to_have_count(0)

    page.locator(f"#note-{guidance.id(0)}").fill("Chưa đúng ngày phát động.")
    page.get_by_role("button", name=f"Trả lại “{guidance.title(0)}”").click()
    expect(page.locator("#done")).to_contain_text("đã trả lại")

    # the second tab still shows them all as waiting
    second_tab.get_by_role("button", name=f"Duyệt “{guidance.title(2)}”").click()
    stale = second_tab.locator("#stale")
    expect(stale).to_contain_text("Trang bạn đang mở đã cũ")
    expect(stale).to_contain_text(f"“{guidance.title(2)}”: Vũ Thị Thu đã duyệt trước đó")
    expect(second_tab.locator(f"#item-{guidance.id(0)}")).to_have_count(0)  # the page is fresh

    # meanwhile the office rewrites one script and deletes another draft
    edit_script(console.office.db, guidance.id(1), "Kính thưa bà con! Kịch bản đã viết lại.")
    delete_items(console.office.db, [guidance.id(5)], SystemClock().now())
    # the third tab, opened before all this, approves four at once: only the one that is
    # still as it showed it is approved; the page says what became of the others
    for n in (0, 1, 4, 5):
        third_tab.locator(f'input[name="item"][value="{guidance.id(n)}"]').check()
    third_tab.get_by_role("button", name="Duyệt các mục đã chọn").click()
    expect(third_tab.locator("#done")).to_contain_text(
        f"“{guidance.title(4)}”: Vũ Thị Thu đã duyệt lúc"
    )
    stale = third_tab.locator("#stale")
    expect(stale).to_contain_text(f"“{guidance.title(0)}”: Vũ Thị Thu đã trả lại trước đó, lúc")
    expect(stale).to_contain_text("Chưa đúng ngày phát động.")
    expect(stale).to_contain_text(
        f"“{guidance.title(1)}”: kịch bản đã được sửa sau khi bạn mở trang; hãy đọc lại"
    )
    expect(stale).to_contain_text(f"Mục {guidance.id(5)} không còn nữa (đã bị xóa).")
    with console.office.db.unit_of_work() as uow:
        states = {i.id: i.approval.state.value for i in uow.items.list()}
    assert states[guidance.id(0)] == "returned"
    assert states[guidance.id(1)] == "draft"  # not approved unseen
    assert states[guidance.id(4)] == "approved"
    assert guidance.id(5) not in states
    # the rewritten script waits again, with its new text
    expect(third_tab.locator(f"#item-{guidance.id(1)}")).to_contain_text("Kịch bản đã viết lại.")


def test_the_approver_decides_on_the_script_page_too(page, console: Console, guidance: Guidance):
    sign_in(page, "thu")
    page.goto(f"/items/{guidance.id(4)}/script")
    # approvers read the script, they do not edit it
    expect(page.get_by_label("Kịch bản đọc trên sóng")).to_have_count(0)
    expect(page.get_by_role("button", name="Tổng hợp giọng đọc")).to_have_count(0)
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator("#notice")).to_have_text("Đã duyệt.")
    expect(page.locator(".state-approved")).to_contain_text("Vũ Thị Thu, lúc")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_role("alert")).to_contain_text("để trống")
    expect(page.locator(".state-approved")).to_be_visible()  # nothing changed
    page.get_by_label("Ý kiến gửi đơn vị (cần sửa gì)").fill("Đọc chậm lại đoạn cuối.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("blockquote.note")).to_have_text("Đọc chậm lại đoạn cuối.")
    assert serious_accessibility_problems(page) == []


# --- who may see what -----------------------------------------------------------------------------


def test_an_operator_may_not_open_scripts_or_the_approval_queue(
    page, console: Console, guidance: Guidance
):
    sign_in(page, "binh")
    page.wait_for_url("**/")
    for path in ("/approvals", f"/items/{guidance.id(0)}/script"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
        expect(page.get_by_role("heading", name="Không được phép")).to_be_visible()


def test_a_reviewer_reads_a_script_but_neither_edits_nor_decides(
    page, console: Console, guidance: Guidance
):
    sign_in(page, "son")
    page.goto(f"/items/{guidance.id(0)}/script")
    expect(page.get_by_role("region", name="Nội dung kịch bản")).to_be_visible()
    expect(page.locator("#script-problems")).to_be_visible()
    for action in ("Lưu kịch bản", "Tổng hợp giọng đọc", "Tải bản thu lên", "Duyệt", "Trả lại"):
        expect(page.get_by_role("button", name=action, exact=True)).to_have_count(0)
    answer = page.goto("/approvals")
    assert answer is not None and answer.status == 403


def test_a_commune_approver_does_not_see_the_districts_items(
    page, console: Console, guidance: Guidance
):
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(0)}/script")
    page.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(page.locator("#audio .segment audio")).to_have_count(1, timeout=WORK)
    source = page.locator("#audio .segment audio").get_attribute("src")
    other_item = f"/items/{guidance.id(1)}/audio/{source.rsplit('/', 1)[1]}"
    assert page.request.get(other_item).status == 404  # a hash that is not this item's
    page.context.clear_cookies()

    sign_in(page, "hung")
    page.goto("/approvals")
    expect(page.get_by_text("Không có mục nào chờ bạn duyệt.")).to_be_visible()
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    answer = page.goto(f"/items/{guidance.id(0)}/script")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy")).to_be_visible()
    assert page.request.get(source).status == 404
    item = guidance.id(0)
    for path, form in (
        (f"/items/{item}/approve", {"seen": "draft"}),
        (f"/items/{item}/send-back", {"seen": "draft", "note": "Sửa lại."}),
    ):
        assert page.request.post(path, form={"csrf": token, **form}).status == 404, path
    # ticking another office's item on the queue finds nothing to approve
    page.request.post("/approvals", form={"csrf": token, "item": str(item)})
    assert page.request.get("/items/999999/script").status == 404
    page.context.clear_cookies()
    sign_in(page, "lan")
    page.goto(f"/items/{item}/script")
    expect(page.locator(".state-draft")).to_be_visible()


def test_a_post_without_its_csrf_token_changes_nothing(page, console: Console, guidance):
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(0)}/script")
    before = page.get_by_label("Kịch bản đọc trên sóng").input_value()
    refused = page.request.post(f"/items/{guidance.id(0)}/script", form={"script": "Giả mạo."})
    assert refused.status == 403 and "biểu mẫu đã hết hạn" in refused.text()
    assert page.request.post(f"/items/{guidance.id(0)}/synthesize", form={}).status == 403
    upload = page.request.post(
        f"/recordings/{guidance.id(0)}",
        multipart={"file": {"name": "a.wav", "mimeType": "audio/wav", "buffer": b"RIFF"}},
    )
    assert upload.status == 403
    page.context.clear_cookies()
    sign_in(page, "thu")
    page.goto("/approvals")
    assert page.request.post("/approvals", form={"item": str(guidance.id(0))}).status == 403
    assert (
        page.request.post(
            f"/items/{guidance.id(0)}/send-back", form={"note": "x", "seen": "draft"}
        ).status
        == 403
    )
    page.goto(f"/items/{guidance.id(0)}/script")
    expect(page.locator(".state-draft")).to_be_visible()
    assert page.locator(".script-text").inner_text() == before


# --- recording in the browser and a phone's screen ------------------------------------------------


@pytest.fixture
def microphone_browser(browser):
    """Chromium with a fake microphone (a tone), started by the session's Playwright."""
    b = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )
    yield b
    b.close()


@pytest.mark.slow  # a long end-to-end flow: CI runs it, 'make test' skips it
def test_an_announcement_recorded_in_the_browser_becomes_the_items_audio(
    microphone_browser, console: Console, guidance: Guidance
):
    context = microphone_browser.new_context(
        base_url=console.url, locale="vi-VN", permissions=["microphone"]
    )
    page = context.new_page()
    sign_in(page, "lan")
    page.goto(f"/items/{guidance.id(3)}/script")
    page.get_by_role("button", name="Ghi âm", exact=True).click()
    expect(page.get_by_role("timer")).to_have_text("0:02", timeout=10_000)
    page.get_by_role("button", name="Dừng").click()
    expect(page.get_by_label("Nghe lại bản vừa ghi")).to_be_visible()
    page.get_by_role("button", name="Gửi bản ghi âm").click()
    expect(page.locator("#audio-notice")).to_have_text(
        "Đã thêm bản thu: nghe ở dưới.", timeout=WORK
    )
    first = page.locator("#audio .segment").first
    expect(first).to_contain_text(re.compile(r"Bản thu ghi-am-[\d-]+\.webm"))
    (segment,) = list_segments(console.office.db, item_id=guidance.id(3))
    assert segment.kind.value == "recorded" and segment.duration.total_seconds() > 0.5
    # the recorder works again after the page part was replaced
    expect(page.get_by_role("button", name="Ghi âm", exact=True)).to_be_enabled()
    context.close()


@pytest.mark.slow  # phone-width layout: CI runs it (BROADCASTER_TEST_SLOW=1)
def test_the_script_page_and_the_queue_fit_a_phone(phone, console: Console, guidance: Guidance):
    sign_in(phone, "lan")
    phone.goto(f"/items/{guidance.id(0)}/script")
    phone.get_by_role("button", name="Tổng hợp giọng đọc").click()
    expect(phone.locator("#audio audio:visible")).to_have_count(1, timeout=WORK)
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []
    phone.context.clear_cookies()
    sign_in(phone, "thu")
    phone.goto("/approvals")
    expect(phone.locator(f"#item-{guidance.id(0)} audio")).to_have_count(1)
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []
    phone.goto(f"/items/{guidance.id(0)}/script")
    expect(phone.locator("#script-problems")).to_be_visible()
    assert no_horizontal_scroll(phone)
    assert serious_accessibility_problems(phone) == []
    phone.get_by_role("button", name="Duyệt", exact=True).tap()
    expect(phone.locator("#notice")).to_have_text("Đã duyệt.")
    assert no_horizontal_scroll(phone)
