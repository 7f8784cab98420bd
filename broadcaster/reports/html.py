"""HTML (Jinja2): the report's content with inline SVG charts; readable on a phone, printable."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from broadcaster.domain.reconcile import Figures

from .charts import airtime_chart, attainment_chart
from .model import (
    PRIORITY_HEADINGS,
    SHORTFALL_HEADINGS,
    STATION_HEADINGS,
    TOPIC_HEADINGS,
    UNPLANNED_HEADINGS,
    AiringReport,
    fmt_date,
    fmt_datetime,
    fmt_minutes,
    fmt_pct,
    fmt_time,
    fmt_value,
    long_date_vi,
    printed_figures,
    summary_rows,
    weekday_vi,
    weekly_airtime,
)

TEMPLATES = Path(__file__).with_name("templates")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["d"] = lambda v: fmt_date(v) if isinstance(v, date) else ""
    env.filters["hm"] = lambda v: fmt_time(v) if isinstance(v, datetime) else ""
    env.filters["dt"] = lambda v: fmt_datetime(v) if isinstance(v, datetime) else ""
    env.filters["pct"] = fmt_pct
    env.filters["mins"] = fmt_minutes
    env.filters["weekday"] = weekday_vi
    env.filters["val"] = fmt_value
    return env


def _figures_cells(f: Figures) -> Markup:
    return Markup("".join(f'<td class="n">{escape(v)}</td>' for v in printed_figures(f)))


def airtime_svg(report: AiringReport) -> str:
    weeks, rows = weekly_airtime(report)
    return airtime_chart(weeks, rows)


def attainment_svg(report: AiringReport) -> str:
    r = report.reconciliation
    return attainment_chart(
        [(report.station_name(s.station_code), s.figures.attainment_pct) for s in r.by_station]
    )


def render_html(report: AiringReport) -> str:
    template = environment().get_template("airings.html.j2")
    return template.render(
        report=report,
        signed_on=long_date_vi(report.generated_at.date()),
        summary=summary_rows(report),
        airtime_svg=Markup(airtime_svg(report)),
        attainment_svg=Markup(attainment_svg(report)),
        figs=_figures_cells,
        topic_headings=TOPIC_HEADINGS,
        station_headings=STATION_HEADINGS,
        priority_headings=PRIORITY_HEADINGS,
        shortfall_headings=SHORTFALL_HEADINGS,
        unplanned_headings=UNPLANNED_HEADINGS,
    )
