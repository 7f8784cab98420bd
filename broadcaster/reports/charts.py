"""Charts as inline SVG, drawn here: no chart library, no script, prints as vectors.

The drawings use a narrow view box (labels above the bars, not beside them) so they stay
legible when a phone scales them down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

from broadcaster.domain.messages import _, _n

from .model import week_label

WIDTH = 400
PALETTE = ("#1f5fa8", "#e07b00", "#2e8b57", "#b03a48", "#6a4c93", "#008b8b", "#7a6a00")
_FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'


def _scale(value: float, ticks: int = 5) -> tuple[float, float]:
    """The axis's end and step: at most ``ticks`` steps of 1, 2 or 5 × 10ⁿ, whole numbers
    whenever the largest value is 1 or more (never 0,625 / 1,875)."""
    if value <= 0:
        return 1.0, 1.0
    exp = 10.0 ** math.floor(math.log10(value))
    candidates = [m * exp / 10 for m in (1, 2, 5)] + [m * exp for m in (1, 2, 5, 10)]
    if value >= 1:
        candidates = [c for c in candidates if c >= 1 and float(c).is_integer()] or [1.0]
    for step in candidates:
        if math.ceil(value / step - 1e-9) <= ticks:
            return math.ceil(value / step - 1e-9) * step, step
    return math.ceil(value / candidates[-1]) * candidates[-1], candidates[-1]


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _num(value: float, decimals: int = 1) -> str:
    """Vietnamese decimal comma, no trailing zeros; small non-zero values keep two decimals."""
    if 0 < abs(value) < 1:
        decimals = max(decimals, 2)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _tick_decimals(step: float) -> int:
    """Decimals that write every multiple of ``step`` exactly (0,025 needs three)."""
    for d in range(4):
        if abs(round(step, d) - step) < 1e-9:
            return d
    return 3


def _svg(height: float, title: str, body: list[str], css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'{_FONT} font-size="12"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _empty(title: str, css_class: str) -> str:
    nothing = escape(str(_("No data in the period")))
    return _svg(
        40,
        title,
        [
            f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="39" fill="#f6f6f6" stroke="#bbb"/>',
            f'<text x="{WIDTH / 2}" y="25" text-anchor="middle" fill="#555">{nothing}</text>',
        ],
        css_class,
    )


def _minutes(what: str, value: float) -> str:
    """A bar's tooltip: "Tuần 07/07–13/07: 12,5 phút"."""
    return str(_("{what}: {minutes} minutes", what=what, minutes=_num(value)))


def airtime_chart(weeks: Sequence[date], rows: Sequence[tuple[int, str, Sequence[float]]]) -> str:
    """Minutes aired per topic, one bar per week of the period."""
    title = str(_("Airtime by topic and by week (minutes)"))
    if not rows or not weeks:
        return _empty(title, "chart-airtime")
    top, step = _scale(max(max(m) for _, _, m in rows))
    bar, gap, label_h, bar_w = 12, 12, 16, WIDTH - 60
    body: list[str] = []
    y = 4.0
    if len(weeks) > 1:  # a legend only when there is more than one week to tell apart
        x = 0.0
        for i, monday in enumerate(weeks):
            colour = PALETTE[i % len(PALETTE)]
            text = week_label(monday)
            if x + 150 > WIDTH:
                x, y = 0.0, y + 16
            body.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="10" height="10" fill="{colour}"/>')
            body.append(f'<text x="{x + 14:.0f}" y="{y + 9:.0f}">{escape(text)}</text>')
            x += 150
        y += 22
    axis_top = y
    for _item, label, minutes in rows:
        body.append(
            f'<text x="0" y="{y + 12:.0f}" font-weight="bold">{escape(_shorten(label))}</text>'
        )
        y += label_h
        for i, value in enumerate(minutes):
            colour = PALETTE[i % len(PALETTE)]
            w = bar_w * value / top
            body.append(
                f'<rect x="0" y="{y:.0f}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(_minutes(week_label(weeks[i]), value))}</title></rect>"
            )
            body.append(
                f'<text x="{w + 4:.1f}" y="{y + bar - 2:.0f}" font-size="11">{_num(value)}</text>'
            )
            y += bar + 2
        y += gap
    # scale: gridlines under the bars, labelled in minutes
    grid = []
    decimals = _tick_decimals(step)
    steps = round(top / step)
    for k in range(steps + 1):
        x = bar_w * k / steps
        grid.append(
            f'<line x1="{x:.1f}" y1="{axis_top:.0f}" x2="{x:.1f}" y2="{y - gap + 2:.0f}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        grid.append(
            f'<text x="{x:.1f}" y="{y + 8:.0f}" font-size="10" fill="#555" '
            f'text-anchor="{"start" if k == 0 else "middle"}">{_num(step * k, decimals)}</text>'
        )
    unit = escape(str(_("minutes")))
    grid.append(
        f'<text x="{bar_w:.0f}" y="{y + 22:.0f}" font-size="10" fill="#555" text-anchor="end">'
        f"{unit}</text>"
    )
    return _svg(y + 28, title, grid + body, "chart-airtime")


def attainment_chart(rows: Sequence[tuple[str, float | None, int]]) -> str:
    """Share of planned airings aired in full, per station (0–100 %); each row is (station,
    percentage or None when nothing is due yet, airings planned)."""
    title = str(_("Plan attainment by station (%)"))
    if not rows:
        return _empty(title, "chart-attainment")
    bar, bar_w = 16, WIDTH - 60
    body: list[str] = []
    y = 4.0
    for name, pct, planned in rows:
        body.append(
            f'<text x="0" y="{y + 12:.0f}" font-weight="bold">{escape(_shorten(name))}</text>'
        )
        y += 16
        body.append(f'<rect x="0" y="{y:.0f}" width="{bar_w}" height="{bar}" fill="#eeeeee"/>')
        if pct is None:
            none = escape(
                str(
                    _n(
                        "not yet due ({n} airing planned)",
                        "not yet due ({n} airings planned)",
                        planned,
                    )
                    if planned
                    else _("no planned airings")
                )
            )
            body.append(f'<text x="4" y="{y + 12:.0f}" fill="#555" font-size="11">{none}</text>')
        else:
            colour = "#2e8b57" if pct >= 90 else "#e07b00" if pct >= 70 else "#b03a48"
            w = bar_w * min(pct, 100) / 100
            body.append(
                f'<rect x="0" y="{y:.0f}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(name)}: {_num(pct)}%</title></rect>"
            )
            body.append(f'<text x="{w + 4:.1f}" y="{y + 12:.0f}">{_num(pct)}%</text>')
        y += bar + 10
    body.append(
        f'<line x1="{bar_w}" y1="0" x2="{bar_w}" y2="{y - 6:.0f}" stroke="#555" '
        'stroke-dasharray="4 3"/>'
    )
    body.append(
        f'<text x="{bar_w}" y="{y + 8:.0f}" font-size="10" fill="#555" text-anchor="middle">'
        "100%</text>"
    )
    return _svg(y + 12, title, body, "chart-attainment")
