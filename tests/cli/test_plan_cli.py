"""`broadcaster plan …` and `broadcaster playlist …` as a planning office uses them."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from broadcaster.domain.items import Approval, ApprovalState, DocumentRef, Item, Priority
from broadcaster.domain.segments import Segment, SegmentKind
from tests.chromium import screenshot

WEEK = "2030-W10"  # always in the future: nothing is frozen by the real clock
TUESDAY = "2030-03-05"
OK = Approval(ApprovalState.APPROVED, "Phó Chủ tịch UBND xã", datetime(2030, 3, 1, tzinfo=UTC))
BASIS = (DocumentRef("Hướng dẫn", "12/HD-SVHTTDL", date(2030, 2, 20), "Sở VHTTDL tỉnh Lâm Đồng"),)
TITLES = [
    "Phòng, chống sốt xuất huyết mùa mưa",
    "Bầu cử đại biểu Quốc hội",
    "An toàn giao thông",
    "Phòng cháy rừng mùa khô",
    "Chuyển đổi số cấp xã",
]


def _tone(path: Path, seconds: float, freq: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:duration={seconds}",
            "-ac",
            "1",
            "-b:a",
            "64k",
            str(path),
        ],
        check=True,
    )


@pytest.fixture
def office(cli, repo_dir: Path, sqlite_url: str, tmp_path: Path):
    """The example office with five approved items; items 1 and 2 have real audio."""
    from broadcaster.db import Database

    assert cli("stations", "load", str(repo_dir / "schedules" / "example.toml")).exit_code == 0
    db = Database(sqlite_url)
    audio_dir = tmp_path / "audio"
    with db.unit_of_work() as uow:
        for i, title in enumerate(TITLES):
            item = uow.items.add(
                Item(
                    title,
                    priority=Priority.PRIORITY if i == 0 else Priority.NORMAL,
                    approval=OK,
                    basis=BASIS,
                    estimated_duration=timedelta(seconds=120 + 30 * i),
                )
            )
            if i < 2:
                digest = hashlib.sha256(f"tone-{i}".encode()).hexdigest()[:32]
                rel = f"cache/{digest[:2]}/{digest}.mp3"
                _tone(audio_dir / rel, 4 + i, 440 + 110 * i)
                uow.segments.add(
                    Segment(
                        content_hash=digest,
                        kind=SegmentKind.TTS,
                        path=rel,
                        duration=timedelta(seconds=4 + i),
                        loudness_lufs=-16.0,
                        created_at=datetime(2030, 3, 1, tzinfo=UTC),
                        item_id=item.id,
                    )
                )
    db.dispose()
    return sqlite_url


def test_plan_a_week_show_it_and_publish_versions(cli, office):
    result = cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    assert result.exit_code == 0, result.stderr
    assert "Kế hoạch tuần 2030-W10 (bản nháp) — đơn vị KV-DAKMIL: 4 đài" in result.stdout
    assert "Ưu tiên: 20/20 lượt phát (100% chỉ tiêu)" in result.stdout

    data = json.loads(cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK, "--json").stdout)
    assert data["week"] == "2030-W10" and len(data["stations"]) == 4
    first = data["stations"][0]["sessions"][0]["entries"][0]
    assert first["start"].endswith("+07:00") and first["kind"] in {"announcement", "fixed_block"}

    grid = cli(
        "plan", "show", "--office", "KV-DAKMIL", "--week", WEEK, "--station", "XA-DUCMANH"
    ).stdout
    assert "Đài truyền thanh xã Đức Mạnh (XA-DUCMANH) — tuần 2030-W10" in grid
    assert "T2 04/03" in grid and "*1" in grid

    assert (
        "mọi chỉ tiêu đều đạt"
        in cli("plan", "explain", "--office", "KV-DAKMIL", "--week", WEEK).stdout
    )

    pub = cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "Nguyễn Văn A")
    assert pub.exit_code == 0, pub.stderr
    assert "phiên bản 1 (Nguyễn Văn A)" in pub.stdout

    # a new approved item, a re-plan and a second publication list what changed
    from broadcaster.db import Database

    db = Database(office)
    with db.unit_of_work() as uow:
        uow.items.add(
            Item(
                "Tiêm chủng mở rộng",
                approval=OK,
                estimated_duration=timedelta(seconds=90),
                target_per_week=2,
            )
        )
    db.dispose()
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    pub2 = cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "Nguyễn Văn A")
    assert "phiên bản 2" in pub2.stdout
    assert "thêm 8" in pub2.stdout  # two airings at each of the four stations
    assert "Thêm: XA-DAKMIL" in pub2.stdout and "mục 6 «Tiêm chủng mở rộng»" in pub2.stdout


def test_an_overfull_week_is_explained(cli, office):
    from broadcaster.db import Database

    db = Database(office)
    with db.unit_of_work() as uow:
        for n in range(12):
            uow.items.add(
                Item(
                    f"Tin ưu tiên {n}",
                    priority=Priority.PRIORITY,
                    approval=OK,
                    estimated_duration=timedelta(minutes=6),
                    target_per_week=7,
                )
            )
    db.dispose()
    cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    out = cli(
        "plan", "explain", "--office", "KV-DAKMIL", "--week", WEEK, "--station", "XA-DUCMANH"
    ).stdout
    lines = [line for line in out.splitlines() if line.startswith("- Mục")]
    assert lines, out
    assert any(
        "các buổi phát đã kín vào" in line and "giảm chỉ tiêu của mục" in line for line in lines
    )
    assert all("tại Đài truyền thanh xã Đức Mạnh" in line for line in lines)


def test_unknown_office_and_missing_plan_are_clear_errors(cli, office):
    result = cli("plan", "week", "--office", "NOPE", "--week", WEEK)
    assert result.exit_code == 1 and result.stderr.startswith("lỗi: không có đài 'NOPE'")
    result = cli("playlist", "show", "--station", "XA-DUCMANH", "--date", "2031-01-07")
    assert (
        result.exit_code == 1
        and "chưa có kế hoạch nào cho đài XA-DUCMANH trong tuần 2031-W02" in result.stderr
    )
    result = cli("plan", "publish", "--office", "KV-DAKMIL", "--week", "2031-W02")
    assert (
        result.exit_code == 1
        and "đơn vị KV-DAKMIL chưa có bản nháp kế hoạch tuần 2031-W02" in result.stderr
    )


def test_playlist_formats(cli, office):
    cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    draft = cli(
        "playlist", "show", "--station", "XA-DUCMANH", "--date", TUESDAY, "--format", "html"
    )
    assert "BẢN NHÁP — chưa công bố" in draft.stdout
    assert draft.stderr.startswith(
        "cảnh báo: XA-DUCMANH ngày 05/03/2030 lấy từ bản nháp của đơn vị"
    )
    cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A")
    doc = json.loads(
        cli(
            "playlist", "show", "--station", "XA-DUCMANH", "--date", TUESDAY, "--format", "json"
        ).stdout
    )
    assert (
        doc["station"]["code"] == "XA-DUCMANH"
        and doc["date"] == TUESDAY
        and doc["plan_version"] == 1
    )
    entries = [e for s in doc["sessions"] for e in s["entries"]]
    with_audio = [e for e in entries if e["audio"]]
    assert with_audio and all(e["audio"]["path"].startswith("audio/") for e in with_audio)
    assert all(e["duration_ms"] in (4000, 5000) for e in with_audio)  # from the segments
    m3u = cli(
        "playlist", "show", "--station", "XA-DUCMANH", "--date", TUESDAY, "--format", "m3u8"
    ).stdout
    assert m3u.startswith("#EXTM3U\n") and "#EXTINF:" in m3u
    csv_text = cli(
        "playlist", "show", "--station", "XA-DUCMANH", "--date", TUESDAY, "--format", "csv"
    ).stdout
    assert csv_text.splitlines()[0].startswith("station,date,session,position,time")
    html = cli(
        "playlist", "show", "--station", "XA-DUCMANH", "--date", TUESDAY, "--format", "html"
    ).stdout
    assert "DANH MỤC CHƯƠNG TRÌNH PHÁT THANH".lower() in html.lower()
    assert "Hướng dẫn số 12/HD-SVHTTDL" in html and "Ký, ghi rõ họ tên" in html
    assert "phiên bản 1" in html and "BẢN NHÁP" not in html


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe is not installed")
def test_export_makes_a_usb_folder_that_ffprobe_accepts(cli, office, tmp_path: Path):
    cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A")
    out = tmp_path / "usb"
    result = cli("playlist", "export", "--office", "KV-DAKMIL", "--week", WEEK, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "đã xuất 26 danh mục của 4 đài (phiên bản 1)" in result.stdout  # Đức Mạnh: weekdays only
    folder = out / "XA-DUCMANH"
    assert sorted(p.name for p in folder.glob("2030-03-05.*")) == [
        "2030-03-05.csv",
        "2030-03-05.html",
        "2030-03-05.json",
        "2030-03-05.m3u8",
    ]
    # two announcements with audio and the shipped chime between announcements
    assert len(list((folder / "audio").glob("*.mp3"))) == 3

    m3u8 = folder / "2030-03-05.m3u8"
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=format_name,duration",
            "-of",
            "json",
            str(m3u8),
        ],
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 0, probe.stderr
    fmt = json.loads(probe.stdout)["format"]
    listed = sum(
        int(line.removeprefix("#EXTINF:").split(",")[0])
        for line in m3u8.read_text(encoding="utf-8").splitlines()
        if line.startswith("#EXTINF:")
    )
    assert fmt["format_name"] == "hls"
    assert listed > 0 and float(fmt["duration"]) == pytest.approx(listed, abs=0.5)


def _dark_pixels(page: Path, size: str, tmp_path: Path) -> int:
    """How much of the rendered page is ink (text, rules), from a Chromium screenshot."""
    from PIL import Image

    shot = tmp_path / f"{page.stem}.png"
    screenshot(page, shot, size, tmp_path)
    image = Image.open(shot).convert("L")
    assert image.size == tuple(int(n) for n in size.split(","))
    return sum(image.histogram()[:128])


def test_printable_playlist_renders_in_chromium(cli, office, tmp_path: Path):
    cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    html = cli(
        "playlist", "show", "--station", "XA-DAKSAK", "--date", TUESDAY, "--format", "html"
    ).stdout
    page = tmp_path / "playlist.html"
    page.write_text(html, encoding="utf-8")
    assert _dark_pixels(page, "900,1273", tmp_path) > 5000  # text and rules, not a blank page


def test_a_week_that_is_over_is_refused_with_the_week_to_plan_instead(cli, office):

    # Sunday 31/05/2026 23:30 in Vietnam: week 22 is not over yet, week 21 is
    cli.at(datetime(2026, 5, 31, 16, 30, tzinfo=UTC))
    result = cli("plan", "week", "--office", "KV-DAKMIL", "--week", "2026-W21")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "lỗi: tuần 2026-W21 (18/05/2026–24/05/2026) đã qua, nên không thể lập kế hoạch; "
        "hãy lập kế hoạch tuần này (2026-W22) hoặc tuần sau"
    )
    assert (
        "đơn vị KV-DAKMIL chưa có kế hoạch tuần 2026-W21"
        in cli("plan", "show", "--office", "KV-DAKMIL", "--week", "2026-W21").stderr
    )
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", "2026-W22").exit_code == 0


def test_the_printable_week_has_a_signed_page_per_station(cli, office, tmp_path: Path):
    import re

    cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    result = cli("plan", "show", "--office", "KV-DAKMIL", "--week", WEEK, "--format", "html")
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert html.count('<section class="station">') == 4
    assert "Trung tâm Văn hóa - Thông tin và Truyền thông khu vực Đắk Mil" in html
    assert "<h1>Kế hoạch phát sóng</h1>" in html and "tuần từ 04/03 đến 10/03/2030" in html
    assert "2030-W10" not in html  # a week is its dates on paper, never an ISO code
    assert (
        html.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 4
        and "Độc lập - Tự do - Hạnh phúc" in html
    )
    assert "UBND TỈNH LÂM ĐỒNG" in html and "Số: ……/KH-KV-DAKMIL" in html and "Nơi nhận:" in html
    assert re.search(r"……………, ngày \d\d tháng \d\d năm \d{4}", html)  # the day it was made
    assert "giờ Việt Nam (UTC+7)" in html and " phút" in html
    assert html.count("Thủ trưởng đơn vị") == 4 and "(Ký, ghi rõ họ tên, đóng dấu)" in html
    assert html.count("BẢN NHÁP — chưa công bố") == 4  # a draft says so on every page
    cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A")
    published = cli(
        "plan", "show", "--office", "KV-DAKMIL", "--week", WEEK, "--published", "--format", "html"
    ).stdout
    assert "phiên bản 1" in published and "BẢN NHÁP" not in published
    # the week's topics at Đắk Sắk: each with its basis and how often it airs
    only = cli(
        "plan",
        "show",
        "--office",
        "KV-DAKMIL",
        "--week",
        WEEK,
        "--station",
        "XA-DAKSAK",
        "--format",
        "html",
    ).stdout
    assert only.count('<section class="station">') == 1 and "Đài truyền thanh xã Đắk Sắk" in only
    counts = re.findall(r'<td class="k">(\d+)</td>', only)
    assert counts and sum(map(int, counts)) == only.count('<span class="num">')
    assert "Hướng dẫn số 12/HD-SVHTTDL ngày 20/2/2030 của Sở VHTT&amp;DL tỉnh Lâm Đồng" in only
    # Đức Mạnh has no weekend sessions: those cells are hatched, not empty boxes
    ducmanh = cli(
        "plan",
        "show",
        "--office",
        "KV-DAKMIL",
        "--week",
        WEEK,
        "--station",
        "XA-DUCMANH",
        "--format",
        "html",
    ).stdout
    assert ducmanh.count('<td class="none">') == 4  # two sessions × Saturday and Sunday
    wrong = cli(
        "plan",
        "show",
        "--office",
        "KV-DAKMIL",
        "--week",
        WEEK,
        "--station",
        "XA-NOPE",
        "--format",
        "html",
    )
    assert wrong.exit_code == 1 and "đài 'XA-NOPE' không có trong kế hoạch 2030-W10" in wrong.stderr


def test_printable_week_renders_in_chromium(cli, office, tmp_path: Path):
    cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK)
    page = tmp_path / "week.html"
    page.write_text(
        cli("plan", "show", "--office", "KV-DAKMIL", "--week", WEEK, "--format", "html").stdout,
        encoding="utf-8",
    )
    # A4 landscape at 96 dpi: the grid and its text, not a blank page
    assert _dark_pixels(page, "1123,794", tmp_path) > 10000


def test_from_friday_an_unpublished_next_week_is_a_reminder(cli, office):

    # Friday 29/05/2026 09:00 in Vietnam: next week (01/06–07/06) is not published
    cli.at(datetime(2026, 5, 29, 2, 0, tzinfo=UTC))
    this_week = cli("plan", "week", "--office", "KV-DAKMIL", "--week", "2026-W22")
    assert this_week.exit_code == 0, this_week.stderr
    assert "nhắc: kế hoạch tuần sau (từ 01/06 đến 07/06/2026) của KV-DAKMIL chưa công bố" in (
        " ".join(this_week.stderr.split())
    )
    # publishing next week early is allowed, and ends the reminder
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", "2026-W23").exit_code == 0
    done = cli("plan", "publish", "--office", "KV-DAKMIL", "--week", "2026-W23")
    assert done.exit_code == 0 and "nhắc" not in done.stderr
    # before Friday nothing is said
    cli.at(datetime(2026, 5, 27, 2, 0, tzinfo=UTC))
    assert "nhắc" not in cli("plan", "show", "--office", "KV-DAKMIL", "--week", "2026-W22").stderr
