"""`make demo` end to end: what a newcomer sees and the files it leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_the_demo_runs_the_example_office_end_to_end(repo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    env = {**os.environ, "BROADCASTER_CONFIG": "", "HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("BROADCASTER_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "broadcaster", "demo", "--out", str(out)],
        cwd=repo_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = done.stdout
    # every step, in order
    headings = [
        "Nhập văn bản hướng dẫn tuyên truyền",
        "Tổng hợp tiếng nói",
        "Lập kế hoạch phát sóng tuần 2026-W22 cho KV-DAKMIL",
        "Tuần 25/05/2026–31/05/2026 trên đồng hồ giả lập",
        "Nhập danh mục đã ký của đài chưa có agent",
        "Báo cáo kết quả phát sóng",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Chủ tịch UBND xã (demo) đã duyệt 8 mục" in text
    assert "đã công bố phiên bản 1" in text
    # no session of the published week falls silent (issue 19): the chime, relays joined early,
    # sessions that end when nothing is left
    assert "im lặng ngoài kế hoạch 0 giây (nhiều nhất 0% một buổi)" in text

    # the week on paper, a page per station
    sheet = (out / "ke-hoach-KV-DAKMIL-2026-W22.html").read_text(encoding="utf-8")
    assert sheet.count('<section class="station">') == 4 and "Thủ trưởng đơn vị" in sheet

    # the printable playlist of one station, and the USB export with its audio
    (page,) = (out / "playlists").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Người phát thanh" in html and "(Ký, ghi rõ họ tên)" in html
    m3u8 = sorted((out / "usb" / "XA-DAKMIL").glob("*.m3u8"))
    assert len(m3u8) == 7  # a session every day of the week
    for line in m3u8[0].read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert (m3u8[0].parent / line).is_file()

    # the week played on the virtual clock: a station cut off for a day, an emergency
    flat = " ".join(text.split())
    assert "XA-THUANAN mất kết nối ngày 26/05/2026" in flat
    assert "bản tin khẩn cấp #1 «Cảnh báo lũ quét» gửi ngày 27/05/2026" in flat
    # issue 22: two cluster agents; a bulletin aimed at one cluster plays there only, a volume
    # change reaches the other and its heartbeat reports it
    assert (
        "bản tin khẩn cấp #2 «Nước sông đang lên» gửi ngày 28/05/2026 lúc 05:30 tới "
        "XA-DAKMIL-L1: đã phát tại XA-DAKMIL-L1;"
    ) in flat
    assert "âm lượng của XA-DAKMIL-L2 ở mức 5/15" in flat and "báo âm lượng 5" in flat
    # the same figures on every run (the demo's own clock): the summary of the week
    assert (
        "Tóm tắt tuần: 141/148 lượt phát theo kế hoạch đã phát (95.3%), 7 lượt không trọn vẹn "
        "và đều có lý do, 0 lượt chưa đến giờ; 1 mục không đạt chỉ tiêu, đã được báo trước khi "
        "lập kế hoạch; 6 lượt phát bản tin khẩn cấp, 1 thông báo của địa phương"
    ) in flat
    # the target the planner said it could not meet, before the week, and again at the end
    unmet = "10/14 lần tại Đài truyền thanh xã Đức Mạnh — chỉ có 10 buổi phát"
    assert flat.count(unmet) == 2
    # each planned airing that fell short, with its reason
    assert (
        "«Tuyên truyền phòng, chống sốt xuất huyết trong mùa mưa»: Bị ngắt để phát bản tin" in flat
    )
    assert "Dừng giữa chừng, phát được 1:44/1:50: cắt để giữ giờ mục sau" in flat
    assert "Không phát được (máy phát không hoạt động hoặc quá giờ cho phép): mất điện" in flat

    # the report counts the week against the published plan: nothing left "not yet due"
    (data_file,) = (out / "reports").glob("bao-cao-KV-DAKMIL-*.json")
    data = json.loads(data_file.read_text(encoding="utf-8"))
    totals = data["totals"]
    assert totals["pending"] == 0
    assert (totals["aired"], totals["interrupted"], totals["partial"], totals["missed"]) == (
        141,
        5,
        1,
        1,
    )
    # bulletin #1 at five agents, bulletin #2 at one cluster: both counted in the week
    assert totals["emergencies"] == 6
    # their lead-ins and words (12 airings) and the paper station's local notice
    assert totals["unplanned"] == 13
    # 4 normal items valid that week at 4 communes, 3 airings a week each, except Đức Mạnh whose
    # station file sets targets = { normal = 2 }: 4 × 3 × 3 + 4 × 2 = 44; the priority item
    # twice a day, 14 where there are sessions enough, 10 at Đức Mạnh: 52; and Đắk Mil's two
    # clusters with agents air its 26 under it: 44 + 52 + 52 = 148
    assert totals["planned"] == 148
    rows = [s["station_code"] for s in data["stations"]]
    assert rows[:3] == ["XA-DAKMIL", "XA-DAKMIL-L1", "XA-DAKMIL-L2"]
    by_code = {s["station_code"]: s for s in data["stations"]}
    assert by_code["XA-DAKMIL-L1"]["interrupted"] == 2  # both bulletins
    assert by_code["XA-DAKMIL-L2"]["interrupted"] == 1  # the first only
    assert all(line["reason"] for line in data["shortfalls"])

    # the console's people, one of each role, and where to sign in with them
    assert "Tài khoản chạy thử (mật khẩu: demo-broadcaster)" in text
    assert "broadcaster demo --serve" in text and "http://127.0.0.1:8080/" in text
    from broadcaster.clock import SystemClock
    from broadcaster.db import Database
    from broadcaster.domain.accounts import Role
    from broadcaster.usecases.accounts import sign_in

    db = Database(f"sqlite:///{out / 'broadcaster.db'}")
    try:
        roles = {sign_in(db, SystemClock(), name, "demo-broadcaster").role for name in
                 ("admin", "lan", "thu", "hung", "binh", "son")}  # fmt: skip
    finally:
        db.dispose()
    assert roles == set(Role)

    # times as the station reads them: never UTC, in the output nor in the pages it wrote
    import re

    utc = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\+00:00|Z)\b|\bUTC\b(?!\+)")
    assert not utc.findall(text), utc.findall(text)[:5]
    for page in out.rglob("*.html"):
        shown = re.sub(r"<script.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S)
        assert not utc.findall(shown), (page.name, utc.findall(shown)[:5])
    # one language from the first line to the last: none of the English the CLI would say
    english = re.compile(
        r"\b(imported|approved|published|stations? loaded|airings?|planned|error|warning)\b"
    )
    assert not english.findall(text), english.findall(text)[:5]
