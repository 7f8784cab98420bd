"""HTML (Jinja2): the report's content with inline SVG charts; readable on a phone, printable.

The templates' words are English message ids (``_()``, ``ngettext`` of ``jinja2.ext.i18n``),
looked up in the active catalogue when a page is rendered: Vietnamese unless the reader chose
English. ``scripts/i18n.py`` extracts them into the ``reports`` catalogue.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from broadcaster.domain import messages
from broadcaster.domain.reconcile import Figures

from .charts import airtime_chart, attainment_chart
from .model import (
    PRIORITY_HEADINGS,
    SHORTFALL_HEADINGS,
    STATION_HEADINGS,
    TOPIC_HEADINGS,
    UNPLANNED_HEADINGS,
    AiringReport,
    fmt_attainment,
    fmt_date,
    fmt_datetime,
    fmt_minutes,
    fmt_pct,
    fmt_time,
    fmt_value,
    headings,
    long_date,
    period_span,
    printed_figures,
    summary_rows,
    weekday_long,
    weekly_airtime,
)

TEMPLATES = Path(__file__).with_name("templates")


def page_language() -> str:
    """The language code of the active catalogue (``<html lang>``): ``vi`` or ``en``."""
    info = getattr(messages.active(), "info", None)
    language = info().get("language") if callable(info) else None
    return str(language or "en")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # looked up when a page renders, in the active catalogue (the reader's language); newstyle:
    # values are given by name (``_("… %(n)s …", n=…)``) and escaped
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda text: messages.active().gettext(text),
        lambda singular, plural, n: messages.active().ngettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["page_language"] = page_language
    env.filters["d"] = lambda v: fmt_date(v) if isinstance(v, date) else ""
    env.filters["hm"] = lambda v: fmt_time(v) if isinstance(v, datetime) else ""
    env.filters["dt"] = lambda v: fmt_datetime(v) if isinstance(v, datetime) else ""
    env.filters["pct"] = fmt_pct
    env.filters["attainment"] = fmt_attainment
    env.filters["mins"] = fmt_minutes
    env.filters["weekday"] = weekday_long
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
        [
            (report.station_name(s.station_code), s.figures.attainment_pct, s.figures.planned)
            for s in r.by_station
        ]
    )


def render_html(report: AiringReport) -> str:
    template = environment().get_template("airings.html.j2")
    return template.render(
        report=report,
        signed_on=long_date(report.generated_at.date()),
        period=period_span(report.period),
        summary=summary_rows(report),
        airtime_svg=Markup(airtime_svg(report)),
        attainment_svg=Markup(attainment_svg(report)),
        figs=_figures_cells,
        topic_headings=headings(TOPIC_HEADINGS),
        station_headings=headings(STATION_HEADINGS),
        priority_headings=headings(PRIORITY_HEADINGS),
        shortfall_headings=headings(SHORTFALL_HEADINGS),
        unplanned_headings=headings(UNPLANNED_HEADINGS),
    )
