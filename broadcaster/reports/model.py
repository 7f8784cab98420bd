"""What every airing report shows, computed once: the renderers only lay it out.

The column headings, labels and number formats live here so that the XLSX, DOCX, HTML, CSV and
JSON outputs say the same thing with the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from broadcaster.domain.items import Directive, DocumentRef, Item, Priority
from broadcaster.domain.reconcile import (
    AiringLine,
    Figures,
    Reconciliation,
    ReportPeriod,
    StationFigures,
)
from broadcaster.domain.stations import Station

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

#: (key in JSON, Vietnamese heading) for the figures of any group of planned entries
FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("planned", "Kế hoạch (lượt)"),
    ("aired", "Đã phát"),
    ("partial", "Phát một phần"),
    ("interrupted", "Bị ngắt"),
    ("missed", "Không phát"),
    ("pending", "Chưa đến giờ"),
    ("minutes_planned", "Phút kế hoạch"),
    ("minutes_aired", "Phút đã phát"),
    ("attainment_pct", "Tỷ lệ đạt (%)"),
)

STATION_EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sessions_planned", "Buổi theo kế hoạch"),
    ("sessions_held", "Buổi đã phát"),
    ("minutes_on_air", "Tổng phút phát sóng"),
    ("emergencies", "Bản tin khẩn cấp"),
    ("unplanned", "Phát ngoài kế hoạch"),
    ("late_logs", "Nhật ký gửi muộn"),
)

#: one row per airing: (key, Vietnamese heading); CSV and JSON use the keys
AIRING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("station_code", "Mã đài"),
    ("station_name", "Đài"),
    ("date", "Ngày"),
    ("session", "Buổi"),
    ("planned_start", "Giờ theo kế hoạch"),
    ("planned_minutes", "Thời lượng kế hoạch (phút)"),
    ("actual_start", "Bắt đầu thực tế"),
    ("actual_end", "Kết thúc thực tế"),
    ("minutes_aired", "Phút đã phát"),
    ("item_id", "Mã mục"),
    ("item_number", "Số mục"),
    ("title", "Nội dung"),
    ("priority", "Mức ưu tiên"),
    ("planned", "Trong kế hoạch"),
    ("outcome", "Kết quả"),
    ("outcome_vi", "Kết quả (tiếng Việt)"),
    ("status", "Trạng thái nhật ký"),
    ("reason", "Lý do"),
    ("operator", "Người trực máy"),
    ("note", "Ghi chú"),
    ("source", "Nguồn"),
    ("records", "Số bản ghi"),
    ("duplicates_ignored", "Bản ghi trùng bỏ qua"),
    ("event_ids", "Mã sự kiện"),
    ("received_at", "Nhận lúc"),
    ("late", "Gửi muộn"),
    ("emergency", "Khẩn cấp"),
)


#: the figures a printed table (DOCX, HTML) shows after its first column
PRINTED_FIGURE_HEADINGS = (
    "Kế hoạch (lượt)",
    "Đã phát",
    "Phát một phần",
    "Bị ngắt",
    "Không phát",
    "Phút đã phát",
    "Tỷ lệ đạt",
)
TOPIC_HEADINGS = ("Đài", *PRINTED_FIGURE_HEADINGS)
PRIORITY_HEADINGS = ("Mức ưu tiên", *PRINTED_FIGURE_HEADINGS)
STATION_HEADINGS = (
    "Đài",
    "Buổi theo kế hoạch",
    "Buổi đã phát",
    "Kế hoạch (lượt)",
    "Đã phát",
    "Không phát",
    "Tổng phút phát sóng",
    "Bản tin khẩn cấp",
    "Tỷ lệ đạt",
)
SHORTFALL_HEADINGS = ("STT", "Ngày", "Giờ", "Đài", "Nội dung", "Kết quả", "Lý do")
UNPLANNED_HEADINGS = ("STT", "Ngày", "Giờ", "Đài", "Nội dung", "Kết quả", "Phút")


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
        text = (item.title if item else None) or title or f"Mục {item_id}"
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
        return (
            "Kết quả thông tin, tuyên truyền trên hệ thống truyền thanh cơ sở "
            f"{period_span(self.period)}"
        )

    def item_heading(self, item_id: int, title: str) -> str:
        """The item's heading: "Phòng, chống dịch sốt xuất huyết (mục II.1 của văn bản)"."""
        number = self.item_number(item_id)
        text = self.items[item_id].title if item_id in self.items else title
        return f"{text} (mục {number} của văn bản)" if number else text


def describe_directive(d: Directive) -> str:
    ref = DocumentRef(
        type=d.doc_type,
        number=d.number,
        date=d.date.as_date() if d.date else None,
        issuer=d.issuer,
    )
    text = ref.describe()
    return f"{text} về {d.subject}" if d.subject else text


# --- formatting -------------------------------------------------------------------------------


def period_span(period: ReportPeriod) -> str:
    """The period in words: "từ ngày 01/07/2025 đến ngày 07/07/2025"."""
    return f"từ ngày {fmt_date(period.start)} đến ngày {fmt_date(period.end)}"


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
        fmt_pct(f.attainment_pct),
    )


def fmt_date(d: date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def fmt_time(t: datetime | None) -> str:
    return f"{t.hour:02d}:{t.minute:02d}" if t else ""


def fmt_datetime(t: datetime | None) -> str:
    return f"{fmt_date(t.date())} {fmt_time(t)}" if t else ""


def long_date_vi(d: date) -> str:
    """As a signed document dates itself: "ngày 07 tháng 7 năm 2025"."""
    return f"ngày {d.day:02d} tháng {d.month} năm {d.year}"


def weekday_vi(d: date) -> str:
    return f"{WEEKDAYS_VI[d.weekday()]}, {fmt_date(d)}"


def week_label(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    return f"Tuần {monday.day:02d}/{monday.month:02d}–{sunday.day:02d}/{sunday.month:02d}"


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def fmt_minutes(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def priority_label(p: Priority | None) -> str:
    return str(p.label) if p else ""


# --- rows shared by JSON, CSV, XLSX -----------------------------------------------------------


def figures_dict(f: Figures) -> dict[str, Any]:
    return {
        "planned": f.planned,
        "aired": f.aired,
        "partial": f.partial,
        "interrupted": f.interrupted,
        "missed": f.missed,
        "pending": f.pending,
        "minutes_planned": f.minutes_planned,
        "minutes_aired": f.minutes_aired,
        "attainment_pct": f.attainment_pct,
    }


def station_extras_dict(s: StationFigures) -> dict[str, Any]:
    """A station's figures beyond its planned entries, by the keys of STATION_EXTRA_COLUMNS."""
    return {
        "sessions_planned": s.sessions_planned,
        "sessions_held": s.sessions_held,
        "minutes_on_air": s.minutes_on_air,
        "emergencies": s.emergencies,
        "unplanned": s.unplanned,
        "late_logs": s.late_logs,
    }


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
    """The headline figures, as (Vietnamese label, value) for every format's summary."""
    r = report.reconciliation
    t = r.totals
    return [
        ("Số đài", len(r.station_codes)),
        ("Số nội dung có kế hoạch", len(r.by_item)),
        ("Lượt phát theo kế hoạch", t.planned),
        ("Đã phát", t.aired),
        ("Phát một phần", t.partial),
        ("Bị ngắt (khẩn cấp)", t.interrupted),
        ("Không phát", t.missed),
        ("Chưa đến giờ", t.pending),
        ("Tỷ lệ đạt (%)", t.attainment_pct),
        ("Phút kế hoạch", t.minutes_planned),
        ("Phút đã phát theo kế hoạch", t.minutes_aired),
        ("Tổng phút phát sóng", round(r.seconds_on_air / 60, 1)),
        ("Bản tin khẩn cấp", r.emergencies),
        ("Lượt phát ngoài kế hoạch", len(r.unplanned)),
        ("Bản ghi nhật ký", r.records),
        ("Bản ghi trùng bỏ qua", r.duplicates_ignored),
        ("Nhật ký gửi muộn", sum(s.late_logs for s in r.by_station)),
    ]


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
            "notes": list(r.notes),
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
            {"priority": p.priority.value, "label": str(p.priority.label), **figures_dict(p.figures)}
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
