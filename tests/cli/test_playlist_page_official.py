"""Issue 19: the printed daily playlist in the official layout the weekly plan has (Decree
30/2020/NĐ-CP): the commune's People's Committee and the station with its number on the left,
the national title and motto with place and date on the right, the recipients beside the
signatures; the same header as the plan's, seen in Debian's chromium."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from tests.chromium import screenshot
from tests.cli.test_plan_cli import WEEK, office  # noqa: F401  (the example office fixture)

TUESDAY = "05/03/2030"
OFFICE_NAME = "Trung tâm Văn hóa - Thông tin và Truyền thông khu vực Đắk Mil"


def _text(html: str) -> str:
    """What a reader sees: the page's words, tags and spacing gone."""
    body = html.split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _header(html: str) -> str:
    """The header's markup with its words taken out: the layout the two pages share."""
    block = html[html.index('<header class="motto">') : html.index("</header>")]
    return re.sub(r">[^<]*<", "><", block)


def _playlist_page(cli, *lang: str) -> str:
    done = cli(*lang, "playlist", "show", "--station", "XA-DAKSAK", "--date", TUESDAY,
               "--format", "html")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    return done.stdout


def test_the_daily_playlist_is_headed_and_signed_as_an_official_document(
    cli,
    office,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    html = _playlist_page(cli)
    text = _text(html)
    # left: the body above and the station, with its number; right: title, motto, place, date
    head = text[: text.index("Danh mục chương trình phát thanh")]
    assert head == (
        "UBND XÃ ĐẮK SẮK Đài truyền thanh xã Đắk Sắk Số: ……/DM-XA-DAKSAK "
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "Xã Đắk Sắk, ngày 05 tháng 3 năm 2030 "
    )
    assert "T3, 05/03/2030 · phiên bản 1 · giờ Việt Nam (UTC+7)" in text
    # each airing's basis as officials cite it
    assert "Hướng dẫn số 12/HD-SVHTTDL ngày 20/2/2030 của Sở VHTT&DL tỉnh Lâm Đồng" in text
    # the foot: recipients (the planning office, to report; filed) beside the two signatures
    foot = text[text.index("Nơi nhận:") : text.index("Đài: XA-DAKSAK")]
    assert foot == (
        f"Nơi nhận: – {OFFICE_NAME} (để báo cáo); – Lưu: VT. "
        "Người lập danh mục (Ký, ghi rõ họ tên) "
        "Người phát thanh Đã phát đúng danh mục trên (Ký, ghi rõ họ tên) "
    )

    # the same header as the weekly plan's (one template for both), filled for the office
    plan = cli("plan", "show", "--office", "KV-DAKMIL", "--week", WEEK, "--published",
               "--station", "XA-DAKSAK", "--format", "html").stdout  # fmt: skip
    assert _header(plan) == _header(html)
    plan_text = _text(plan)
    assert plan_text.startswith(
        f"UBND TỈNH LÂM ĐỒNG {OFFICE_NAME} Số: ……/KH-KV-DAKMIL "
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
    )
    assert "Nơi nhận: – Đài truyền thanh xã Đắk Sắk; – Lưu: VT. Thủ trưởng đơn vị" in plan_text

    # in chromium: ink on both sides of the header, a blank gap between them, the table below
    page = tmp_path / "danh-muc.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "danh-muc.png"
    screenshot(page, shot, "794,1123", tmp_path)  # A4 portrait at 96 dpi
    from PIL import Image

    image = Image.open(shot).convert("L")

    def ink(left: int, top: int, right: int, bottom: int) -> int:
        return sum(image.crop((left, top, right, bottom)).histogram()[:128])

    width = image.size[0]
    top, bottom = 0, 62  # the header's three lines on either side
    assert ink(0, top, width * 42 // 100, bottom) > 1000  # the issuing body and its number
    assert ink(width * 47 // 100, top, width, bottom) > 1500  # title, motto, place and date
    assert ink(width * 42 // 100 + 1, top, width * 47 // 100, bottom) == 0  # side by side, apart
    assert ink(0, bottom, width, bottom + 10) == 0  # the page's title below them
    assert ink(0, 300, width, 1123) > 3000  # sessions and their tables below


def test_the_playlist_page_reads_in_english_on_request(cli, office) -> None:  # noqa: F811
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    text = _text(_playlist_page(cli, "--lang", "en"))
    assert text.startswith("UBND XÃ ĐẮK SẮK Đài truyền thanh xã Đắk Sắk No.: ……/DM-XA-DAKSAK "
                           "SOCIALIST REPUBLIC OF VIETNAM Independence - Freedom - Happiness")  # fmt: skip
    assert "Recipients:" in text and "Filed: VT." in text


def test_the_exported_playlists_carry_the_same_letterhead(cli, office, tmp_path: Path) -> None:  # noqa: F811
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    out = tmp_path / "usb"
    assert (
        cli(
            "playlist", "export", "--office", "KV-DAKMIL", "--week", WEEK, "--out", str(out)
        ).exit_code
        == 0
    )
    text = _text((out / "XA-DUCMANH" / "2030-03-05.html").read_text(encoding="utf-8"))
    assert text.startswith("UBND XÃ ĐỨC MẠNH Đài truyền thanh xã Đức Mạnh Số: ……/DM-XA-DUCMANH")
    assert "Xã Đức Mạnh, ngày 05 tháng 3 năm 2030" in text
    assert f"Nơi nhận: – {OFFICE_NAME} (để báo cáo);" in text
