"""The station log book (sổ nhật ký phát thanh): what a station aired, day by day, for signing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from broadcaster.domain.messages import N_, _, translate
from broadcaster.domain.reconcile import AiringLine, Outcome, Reconciliation, ReportPeriod
from broadcaster.domain.stations import Station

from .html import environment
from .model import fmt_minutes, fmt_time, headings, long_date, period_span, weekday_long
from .word import (
    SIGN_HINT,
    formal_document,
    grid,
    para,
    signature_blocks,
    to_bytes,
)

LOGBOOK_HEADINGS = (
    N_("Serial no."),
    N_("Planned time"),
    N_("Actual air time"),
    N_("Session"),
    N_("Content"),
    N_("Duration (minutes)"),
    N_("Airing status"),
    N_("Note"),
)
LOGBOOK_WIDTHS = (1.2, 1.6, 2.0, 1.5, 4.0, 1.6, 2.0, 2.6)


@dataclass(frozen=True)
class LogbookDay:
    day: date
    lines: tuple[AiringLine, ...]

    @property
    def operators(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x.operator for x in self.lines if x.operator))

    @property
    def minutes_on_air(self) -> float:
        return round(sum(x.seconds_aired for x in self.lines) / 60, 1)

    @property
    def aired(self) -> int:
        return sum(1 for x in self.lines if x.outcome is Outcome.AIRED)


@dataclass(frozen=True)
class Logbook:
    station: Station
    parent_name: str | None
    period: ReportPeriod
    days: tuple[LogbookDay, ...]
    generated_at: datetime
    timezone: str
    place: str | None = None

    @property
    def empty(self) -> bool:
        return not any(d.lines for d in self.days)


def build_logbook(
    station: Station,
    reconciliation: Reconciliation,
    *,
    parent_name: str | None,
    generated_at: datetime,
    timezone: str,
    place: str | None = None,
) -> Logbook:
    """Every day of the period, with the station's airings (and misses) in time order.

    Entries not yet due are left out, and so are the days after ``generated_at`` (in
    ``timezone``): a log book records what happened, and a future day has nothing to sign.
    """
    period = reconciliation.period
    today = generated_at.astimezone(ZoneInfo(timezone)).date()
    by_day: dict[date, list[AiringLine]] = {}
    for line in reconciliation.lines:
        if line.station_code == station.code and line.outcome is not Outcome.PENDING:
            by_day.setdefault(line.day, []).append(line)
    days = tuple(
        LogbookDay(d, tuple(by_day.get(d, ())))
        for d in (period.start + timedelta(days=n) for n in range(period.days))
        if d <= today
    )
    return Logbook(station, parent_name, period, days, generated_at, timezone, place)


def _span(line: AiringLine) -> str:
    if line.actual_start is None:
        return ""
    end = f"–{fmt_time(line.actual_end)}" if line.actual_end else ""
    return f"{fmt_time(line.actual_start)}{end}"


def _row(n: int, line: AiringLine) -> tuple[str, ...]:
    title = line.title
    if not line.planned:
        title = str(_("{title} (outside the plan)", title=title))
    if line.emergency:
        title = str(_("{title} (emergency)", title=title))
    # a shortfall's reason already carries the operator's note
    note = line.reason or line.note or ""
    return (
        str(n),
        fmt_time(line.planned_start),
        _span(line),
        line.session or "",
        title,
        fmt_minutes(line.minutes_aired),
        str(line.status.label if line.status else line.outcome.label),
        note,
    )


def logbook_rows(day: LogbookDay) -> list[tuple[str, ...]]:
    return [_row(n, x) for n, x in enumerate(day.lines, start=1)]


def render_logbook_html(book: Logbook) -> str:
    template = environment().get_template("logbook.html.j2")
    return template.render(
        book=book,
        headings=headings(LOGBOOK_HEADINGS),
        rows=logbook_rows,
        signed_on=long_date(book.generated_at.date()),
        period=period_span(book.period),
        weekday=weekday_long,
        blank=Markup("…………………………"),
    )


def render_logbook_docx(book: Logbook) -> bytes:
    doc = formal_document(
        parent=book.parent_name,
        office=book.station.name,
        number_prefix="NK-",
        place=book.place,
        signed=book.generated_at.date(),
        title=str(_("BROADCAST LOG BOOK")),
        subtitle=book.station.name,
        period=book.period,
        bold_period=False,
    )
    if book.empty:
        para(doc, str(_("No airing was recorded in the period.")), italic=True, align="center")
    columns = headings(LOGBOOK_HEADINGS)
    for day in book.days:
        para(doc, weekday_long(day.day), bold=True, keep_with_next=True)
        if day.lines:
            grid(doc, columns, logbook_rows(day), numeric_from=99, widths=LOGBOOK_WIDTHS)
        else:
            para(doc, str(_("No airings.")), italic=True)
        para(
            doc,
            str(
                _(
                    "Airings aired: {aired}; total time on air: {minutes} minutes.",
                    aired=day.aired,
                    minutes=fmt_minutes(day.minutes_on_air),
                )
            ),
        )
        signature_blocks(
            doc,
            (str(_("OPERATOR ON DUTY")), translate(SIGN_HINT)),
            (
                str(_("APPROVED BY")),
                str(_("(Commune People's Committee leader – signature and full name)")),
            ),
            names=(", ".join(day.operators), ""),
        )
    return to_bytes(doc)
