"""The HTML report: same content, charts drawn as SVG, visible in a real browser."""

from __future__ import annotations

import re

from broadcaster.reports.html import render_html
from broadcaster.usecases.reports import build_airing_report
from tests.chromium import screenshot

from .conftest import NOW, PERIOD
from .png import decode


def near(colour: str, tolerance: int = 40):
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    def test(px: tuple[int, int, int]) -> bool:
        return all(abs(a - b) <= tolerance for a, b in zip(px, target, strict=True))

    return test


def html_of(stored) -> str:
    report = build_airing_report(
        stored.db, office="KV-TEST", now=NOW, planned=stored.week.planned, **PERIOD
    )
    return render_html(report)


def test_html_has_the_reports_content_and_two_svg_charts(stored_week):
    html = html_of(stored_week)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "@media print" in html
    assert "từ ngày 07/07/2025 đến ngày 13/07/2025" in html
    assert "Thực hiện: Công văn số 123/SVHTTDL-QLVH" in html
    airtime = re.search(r"<svg[^>]*chart-airtime.*?</svg>", html, re.S)
    attainment = re.search(r"<svg[^>]*chart-attainment.*?</svg>", html, re.S)
    assert airtime and attainment
    # one bar per topic for the single week, with its minutes
    assert re.findall(r"Tuần 07/07–13/07: ([\d,]+) phút", airtime.group(0)) == ["18", "5,5", "2"]
    assert re.findall(r"xã (?:An Bình|Bình Minh): ([\d,]+)%", attainment.group(0)) == [
        "40",
        "66,7",
    ]
    # the tables carry the figures: XA-A's row of item 1
    assert re.search(
        r"An Bình</td>\s*<td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">1</td>"
        r"<td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">13,0</td>"
        r"<td class=\"n\">66,7%</td>",
        html,
    )


def test_charts_are_visible_in_headless_chromium(stored_week, tmp_path):
    html = html_of(stored_week)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    # the whole report renders (a tall page, mostly text)
    full = decode(screenshot(page, tmp_path / "full.png", "1200,1600", tmp_path), max_rows=400)
    assert full.count(lambda px: px != (255, 255, 255), (0, 0, 1200, 400)) > 2000

    # the same page with everything but the charts hidden puts the charts at the top
    only_charts = html.replace(
        "</head>",
        "<style>body > *:not(#charts) { display: none !important; }</style></head>",
    )
    page.write_text(only_charts, encoding="utf-8")
    image = decode(screenshot(page, tmp_path / "charts.png", "700,800", tmp_path))
    box = (0, 0, image.width, image.height)
    painted = image.count(lambda px: px != (255, 255, 255), box)
    assert painted > 10_000, "the chart area is empty"
    # bars in the airtime chart's blue and the attainment chart's red (both stations < 70 %)
    assert image.count(near("#1f5fa8"), box) > 2_000
    assert image.count(near("#b03a48"), box) > 2_000


def test_airtime_chart_draws_a_bar_per_week_with_a_legend():
    from datetime import date

    from broadcaster.reports.charts import airtime_chart

    svg = airtime_chart(
        [date(2025, 7, 7), date(2025, 7, 14)],
        [(1, "1. Phòng, chống dịch sốt xuất huyết", [18.0, 5.0]), (2, "2. PCCC", [0.0, 4.0])],
    )
    assert svg.count("<rect") == 2 + 4  # two legend keys, four bars
    assert "Tuần 07/07–13/07" in svg and "Tuần 14/07–20/07" in svg
    assert re.findall(r"phút</title>", svg) == ["phút</title>"] * 4


def test_the_airtime_scale_never_repeats_a_label_even_for_seconds_of_airtime():
    import re
    from datetime import date

    from broadcaster.reports.charts import airtime_chart

    svg = airtime_chart([date(2026, 5, 25)], [(1, "Phòng, chống xâm hại trẻ em", [0.1])])
    ticks = re.findall(r'font-size="10" fill="#555" text-anchor="(?:start|middle)">([^<]+)<', svg)
    assert ticks == ["0", "0,02", "0,04", "0,06", "0,08", "0,1"]
    assert ">0,1</text>" in svg  # the bar's own value


def test_the_airtime_scale_counts_in_whole_minutes_from_one_minute_up():
    import re
    from datetime import date

    from broadcaster.reports.charts import airtime_chart

    svg = airtime_chart(
        [date(2026, 5, 25)], [(1, "An toàn giao thông", [2.5]), (2, "Bầu cử", [1.2])]
    )
    ticks = re.findall(r'font-size="10" fill="#555" text-anchor="(?:start|middle)">([^<]+)<', svg)
    assert ticks == ["0", "1", "2", "3"]  # never 0,625 / 1,875
