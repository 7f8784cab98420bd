"""What every airing report shows, computed once: the renderers only lay it out.

The column headings, labels and number formats live here so that the XLSX, DOCX, HTML, CSV and
JSON outputs say the same thing with the same figures. Headings are English message ids marked
with ``N_`` and looked up in the catalogue (:func:`headings`) when a report is rendered, so a
report reads in its reader's language (Vietnamese by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from broadcaster.domain.citation import cite
from broadcaster.domain.items import Directive, Item, Priority
from broadcaster.domain.messages import N_, _, translate
from broadcaster.domain.reconcile import (
    AiringLine,
    Figures,
    Reconciliation,
    ReportPeriod,
    StationFigures,
)
from broadcaster.domain.stations import Station, StationKind

#: weekdays written out, as a log book heads each day ("Thứ Hai, 07/07/2025")
WEEKDAYS_LONG = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

#: (key in JSON, heading) for the figures of any group of planned entries; each key names an
#: attribute of :class:`Figures`
FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("planned", N_("Planned (airings)")),
    ("aired", N_("Aired")),
    ("partial", N_("Partly aired")),
    ("interrupted", N_("Interrupted")),
    ("missed", N_("Not aired")),
    ("pending", N_("Not yet due")),
    ("minutes_planned", N_("Minutes planned")),
    ("minutes_aired", N_("Minutes aired")),
    ("attainment_pct", N_("Attainment (%)")),
)

#: (key in JSON, heading) for a station's figures beyond its planned entries; each key names an
#: attribute of :class:`StationFigures`
STATION_EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sessions_planned", N_("Sessions planned")),
    ("sessions_held", N_("Sessions held")),
    ("minutes_on_air", N_("Total minutes on air")),
    ("emergencies", N_("Emergency bulletins")),
    ("unplanned", N_("Aired outside the plan")),
    ("late_logs", N_("Logs sent late")),
)

#: one row per airing: (key, heading); CSV and JSON use the keys
AIRING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("station_code", N_("Station code")),
    ("station_name", N_("Station")),
    ("date", N_("Date")),
    ("session", N_("Session")),
    ("planned_start", N_("Planned time")),
    ("planned_minutes", N_("Planned duration (minutes)")),
    ("actual_start", N_("Actual start")),
    ("actual_end", N_("Actual end")),
    ("minutes_aired", N_("Minutes aired")),
    ("item_id", N_("Item ID")),
    ("item_number", N_("Item number")),
    ("title", N_("Content")),
    ("priority", N_("Priority level")),
    ("planned", N_("In the plan")),
    ("outcome", N_("Outcome")),
    ("outcome_vi", N_("Outcome (in words)")),
    ("status", N_("Log status")),
    ("reason", N_("Reason")),
    ("operator", N_("Operator on duty")),
    ("note", N_("Note")),
    ("source", N_("Source")),
    ("records", N_("Records")),
    ("duplicates_ignored", N_("Duplicate records ignored")),
    ("event_ids", N_("Event IDs")),
    ("received_at", N_("Received at")),
    ("late", N_("Sent late")),
    ("emergency", N_("Emergency")),
)


#: the figures a printed table (DOCX, HTML) shows after its first column
PRINTED_FIGURE_HEADINGS = (
    N_("Planned (airings)"),
    N_("Aired"),
    N_("Partly aired"),
    N_("Interrupted"),
    N_("Not aired"),
    N_("Minutes aired"),
    N_("Attainment"),
)
TOPIC_HEADINGS = (N_("Station"), *PRINTED_FIGURE_HEADINGS)
PRIORITY_HEADINGS = (N_("Priority level"), *PRINTED_FIGURE_HEADINGS)
STATION_HEADINGS = (
    N_("Station"),
    N_("Sessions planned"),
    N_("Sessions held"),
    N_("Planned (airings)"),
    N_("Aired"),
    N_("Not aired"),
    N_("Total minutes on air"),
    N_("Emergency bulletins"),
    N_("Attainment"),
)
#: the columns a numbered list of airings (DOCX, HTML) opens with; its last column follows
NUMBERED_AIRING_HEADINGS = (
    N_("Serial no."),
    N_("Date"),
    N_("Time"),
    N_("Station"),
    N_("Content"),
    N_("Outcome"),
)
SHORTFALL_HEADINGS = (*NUMBERED_AIRING_HEADINGS, N_("Reason"))
UNPLANNED_HEADINGS = (*NUMBERED_AIRING_HEADINGS, N_("Minutes"))


def headings(texts: Iterable[str]) -> tuple[str, ...]:
    """Headings marked with ``N_`` as the reader reads them (looked up when rendering)."""
    return tuple(translate(t) for t in texts)


@dataclass(frozen=True)
class AiringReport:
    """A reconciliation with everything needed to name what it counts."""

    office: Station
    reconciliation: Reconciliation
    stations: Mapping[str, Station]
    items: Mapping[int, Item]
    directives: Mapping[int, Directive]
    generated_at: datetime  # aware, in the office's zone
    timezone: str
    parent_name: str | None = None  # the office's superior body, for the formal header
    place: str | None = None  # where the report is signed ("Đắk Mil")

    @property
    def period(self) -> ReportPeriod:
        return self.reconciliation.period

    def station_name(self, code: str) -> str:
        station = self.stations.get(code)
        return station.name if station else code

    def item_number(self, item_id: int | None) -> str:
        item = self.items.get(item_id) if item_id is not None else None
        return item.number if item else ""

    def item_label(self, item_id: int, title: str | None = None) -> str:
        item = self.items.get(item_id)
        text = (item.title if item else None) or title or str(_("Item {id}", id=item_id))
        number = item.number if item else ""
        return f"{number}. {text}" if number else text

    def item_document(self, item_id: int) -> str:
        """The document the item implements: its directive, then the bases it cites."""
        item = self.items.get(item_id)
        if item is None:
            return ""
        parts: list[str] = []
        directive = self.directives.get(item.directive_id) if item.directive_id else None
        if directive is not None:
            parts.append(describe_directive(directive))
        parts += [ref.describe() for ref in item.basis]
        return "; ".join(dict.fromkeys(p for p in parts if p))

    def title(self) -> str:
        return str(
            _(
                "Results of information and outreach on the grassroots radio system {period}",
                period=period_span(self.period),
            )
        )

    def item_heading(self, item_id: int, title: str) -> str:
        """The item's heading: "Phòng, chống dịch sốt xuất huyết (mục II.1 của văn bản)"."""
        number = self.item_number(item_id)
        text = self.items[item_id].title if item_id in self.items else title
        if not number:
            return text
        return str(_("{title} (item {number} of the document)", title=text, number=number))


def describe_directive(d: Directive) -> str:
    """The directive as its basis is cited: "Công văn số 318/UBND-VP ngày 14/5/2026 của UBND
    xã Nam Bình về …" (a date without its day as "tháng 5/2021")."""
    partial = d.date if d.date and d.date.as_date() is None else None
    text = cite(
        d.doc_type,
        d.number,
        d.date.as_date() if d.date else None,
        d.issuer,
        month=partial.month if partial else None,
        year=partial.year if partial else None,
    )
    if not text:
        return d.subject or ""
    return (
        str(_("{document} on {subject}", document=text, subject=d.subject)) if d.subject else text
    )


# --- formatting -------------------------------------------------------------------------------


def period_span(period: ReportPeriod) -> str:
    """The period in words: "từ ngày 01/07/2025 đến ngày 07/07/2025"."""
    return str(_("from {start} to {end}", start=fmt_date(period.start), end=fmt_date(period.end)))


def fmt_value(v: object) -> str:
    """A summary value as printed: minutes to the tenth, "–" for nothing."""
    if v is None:
        return "–"
    if isinstance(v, float):
        return fmt_minutes(v)
    return str(v)


def printed_figures(f: Figures) -> tuple[str, ...]:
    """The cells under :data:`PRINTED_FIGURE_HEADINGS`."""
    return (
        str(f.planned),
        str(f.aired),
        str(f.partial),
        str(f.interrupted),
        str(f.missed),
        fmt_minutes(f.minutes_aired),
        fmt_attainment(f),
    )


def fmt_date(d: date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def fmt_time(t: datetime | None) -> str:
    return f"{t.hour:02d}:{t.minute:02d}" if t else ""


def fmt_datetime(t: datetime | None) -> str:
    return f"{fmt_date(t.date())} {fmt_time(t)}" if t else ""


def long_date(d: date) -> str:
    """As a signed document dates itself: "ngày 07 tháng 7 năm 2025"."""
    return str(_("{day:02d}/{month:02d}/{year}", day=d.day, month=d.month, year=d.year))


def weekday_long(d: date) -> str:
    """A day as a log book heads it: "Thứ Hai, 07/07/2025"."""
    return f"{translate(WEEKDAYS_LONG[d.weekday()])}, {fmt_date(d)}"


def week_label(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    start, end = f"{monday.day:02d}/{monday.month:02d}", f"{sunday.day:02d}/{sunday.month:02d}"
    return str(_("Week {start}–{end}", start=start, end=end))


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def governing_body(station: Station) -> str:
    """The body a document is addressed to for a node of the tree: a province or commune is
    its People's Committee ("Tỉnh Lâm Đồng" → "UBND tỉnh Lâm Đồng"); an office is itself."""
    name = station.name.strip()
    if station.kind in (StationKind.PROVINCE, StationKind.COMMUNE, StationKind.DISTRICT):
        first, _sep, rest = name.partition(" ")
        if first.lower() in ("tỉnh", "thành", "xã", "phường", "huyện", "quận", "thị") and rest:
            return f"UBND {first.lower()} {rest}"
    return name


def fmt_attainment(f: Figures) -> str:
    """The attainment of some figures, or why there is none: nothing due yet is not the same
    as nothing planned."""
    if f.attainment_pct is not None:
        return fmt_pct(f.attainment_pct)
    return str(_("not yet due") if f.planned else _("no plan"))


def fmt_minutes(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def priority_label(p: Priority | None) -> str:
    return str(p.label) if p else ""


# --- rows shared by JSON, CSV, XLSX -----------------------------------------------------------


def _attributes(source: object, columns: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``source``'s values under the keys of ``columns`` (each key names one of its attributes),
    in the columns' order."""
    return {key: getattr(source, key) for key, _heading in columns}


def figures_dict(f: Figures) -> dict[str, Any]:
    """Some figures, by the keys of FIGURE_COLUMNS."""
    return _attributes(f, FIGURE_COLUMNS)


def station_extras_dict(s: StationFigures) -> dict[str, Any]:
    """A station's figures beyond its planned entries, by the keys of STATION_EXTRA_COLUMNS."""
    return _attributes(s, STATION_EXTRA_COLUMNS)


def airing_row(report: AiringReport, line: AiringLine) -> dict[str, Any]:
    """One airing as other systems get it (JSON types; CSV turns them into text)."""
    planned_minutes = (
        round(line.planned_duration.total_seconds() / 60, 1) if line.planned_duration else None
    )
    return {
        "station_code": line.station_code,
        "station_name": report.station_name(line.station_code),
        "date": line.day.isoformat(),
        "session": line.session,
        "planned_start": line.planned_start.isoformat() if line.planned_start else None,
        "planned_minutes": planned_minutes,
        "actual_start": line.actual_start.isoformat() if line.actual_start else None,
        "actual_end": line.actual_end.isoformat() if line.actual_end else None,
        "minutes_aired": line.minutes_aired,
        "item_id": line.item_id,
        "item_number": report.item_number(line.item_id),
        "title": line.title,
        "priority": line.priority.value if line.priority else None,
        "planned": line.planned,
        "outcome": line.outcome.value,
        "outcome_vi": str(line.outcome.label),
        "status": line.status.value if line.status else None,
        "reason": line.reason,
        "operator": line.operator,
        "note": line.note,
        "source": line.source.value if line.source else None,
        "records": line.records,
        "duplicates_ignored": line.duplicates_ignored,
        "event_ids": ";".join(line.event_ids),
        "received_at": line.received_at.isoformat() if line.received_at else None,
        "late": line.late,
        "emergency": line.emergency,
    }


def weekly_airtime(report: AiringReport) -> tuple[list[date], list[tuple[int, str, list[float]]]]:
    """Weeks of the period, and per item with airtime its minutes in each week."""
    weeks = report.period.weeks()
    by_item: dict[int, dict[date, float]] = {}
    for w in report.reconciliation.weekly_airtime:
        by_item.setdefault(w.item_id, {})[w.week] = w.minutes
    titles = {x.item_id: x.title for x in report.reconciliation.lines if x.item_id is not None}
    order = [f.item_id for f in report.reconciliation.by_item]
    order += sorted(i for i in by_item if i not in order)
    rows = [
        (i, report.item_label(i, titles.get(i)), [by_item[i].get(w, 0.0) for w in weeks])
        for i in order
        if i in by_item
    ]
    return weeks, rows


def summary_rows(report: AiringReport) -> list[tuple[str, Any]]:
    """The headline figures, as (label in the reader's language, value) for every format's
    summary."""
    r = report.reconciliation
    t = r.totals
    rows: list[tuple[str, Any]] = [
        (N_("Number of stations"), len(r.station_codes)),
        (N_("Topics in the plan"), len(r.by_item)),
        (N_("Planned airings"), t.planned),
        (N_("Aired"), t.aired),
        (N_("Partly aired"), t.partial),
        (N_("Interrupted (emergency)"), t.interrupted),
        (N_("Not aired"), t.missed),
        (N_("Not yet due"), t.pending),
        (N_("Attainment (%)"), t.attainment_pct),
        (N_("Minutes planned"), t.minutes_planned),
        (N_("Planned minutes aired"), t.minutes_aired),
        (N_("Total minutes on air"), round(r.seconds_on_air / 60, 1)),
        (N_("Emergency bulletins"), r.emergencies),
        (N_("Unplanned airings"), len(r.unplanned)),
        (N_("Log records"), r.records),
        (N_("Duplicate records ignored"), r.duplicates_ignored),
        (N_("Logs sent late"), sum(s.late_logs for s in r.by_station)),
    ]
    return [(translate(label), value) for label, value in rows]


def report_json(report: AiringReport) -> dict[str, Any]:
    """The whole report as plain JSON types, every figure included."""
    r = report.reconciliation
    t = r.totals
    return {
        "report": {
            "title": report.title(),
            "office": {"code": report.office.code, "name": report.office.name},
            "period": {
                "from": r.period.start.isoformat(),
                "to": r.period.end.isoformat(),
                "days": r.period.days,
            },
            "timezone": report.timezone,
            "generated_at": report.generated_at.isoformat(),
            "as_of": r.as_of.isoformat() if r.as_of else None,
            "empty": r.empty,
            "notes": [str(n) for n in r.notes],
        },
        "totals": {
            **figures_dict(t),
            "stations": len(r.station_codes),
            "items": len(r.by_item),
            "minutes_on_air": round(r.seconds_on_air / 60, 1),
            "emergencies": r.emergencies,
            "unplanned": len(r.unplanned),
            "records": r.records,
            "duplicates_ignored": r.duplicates_ignored,
            "late_logs": sum(s.late_logs for s in r.by_station),
        },
        "items": [
            {
                "item_id": f.item_id,
                "number": report.item_number(f.item_id),
                "title": f.title,
                "priority": f.priority.value,
                "document": report.item_document(f.item_id),
                "stations": f.stations,
                **figures_dict(f.figures),
            }
            for f in r.by_item
        ],
        "item_stations": [
            {
                "item_id": f.item_id,
                "station_code": f.station_code,
                "station_name": report.station_name(f.station_code),
                **figures_dict(f.figures),
            }
            for f in r.by_item_station
        ],
        "stations": [
            {
                "station_code": s.station_code,
                "station_name": report.station_name(s.station_code),
                **figures_dict(s.figures),
                **station_extras_dict(s),
            }
            for s in r.by_station
        ],
        "priorities": [
            {
                "priority": p.priority.value,
                "label": str(p.priority.label),
                **figures_dict(p.figures),
            }
            for p in r.by_priority
        ],
        "weekly_airtime": [
            {"item_id": w.item_id, "week": w.week.isoformat(), "minutes": w.minutes}
            for w in r.weekly_airtime
        ],
        "shortfalls": [airing_row(report, x) for x in r.shortfalls],
        "unplanned": [airing_row(report, x) for x in r.unplanned],
        "airings": [airing_row(report, x) for x in r.lines],
    }
