"""XLSX (openpyxl): a summary sheet and one sheet per dimension, with real numbers and dates."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from broadcaster.domain.reconcile import AiringLine

from .model import (
    FIGURE_COLUMNS,
    STATION_EXTRA_COLUMNS,
    AiringReport,
    figures_dict,
    fmt_date,
    fmt_datetime,
    priority_label,
    station_extras_dict,
    summary_rows,
    weekly_airtime,
)

#: sheet names (Excel allows 31 characters)
SHEETS = {
    "summary": "Tổng hợp",
    "items": "Theo nội dung",
    "item_stations": "Nội dung theo đài",
    "stations": "Theo đài",
    "priorities": "Theo mức ưu tiên",
    "weeks": "Thời lượng theo tuần",
    "shortfalls": "Không đạt",
    "unplanned": "Ngoài kế hoạch",
    "airings": "Chi tiết lượt phát",
}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DATE = "dd/mm/yyyy"
_DATETIME = "dd/mm/yyyy hh:mm"
_TIME = "hh:mm"
_ONE_DECIMAL = "0.0"
_WIDE = 60  # the widest a column grows; longer text wraps

_FIG_KEYS = [k for k, _ in FIGURE_COLUMNS]
_FIG_HEADS = [h for _, h in FIGURE_COLUMNS]


def render_xlsx(report: AiringReport) -> bytes:
    wb = Workbook()
    _summary(wb.active, report)
    r = report.reconciliation

    _table(
        wb.create_sheet(SHEETS["items"]),
        ["Số mục", "Nội dung", "Mức ưu tiên", "Văn bản thực hiện", "Số đài", *_FIG_HEADS],
        [
            [
                report.item_number(f.item_id),
                f.title,
                priority_label(f.priority),
                report.item_document(f.item_id),
                f.stations,
                *_figures(f.figures),
            ]
            for f in r.by_item
        ],
    )
    titles = {f.item_id: f.title for f in r.by_item}
    _table(
        wb.create_sheet(SHEETS["item_stations"]),
        ["Số mục", "Nội dung", "Mã đài", "Đài", *_FIG_HEADS],
        [
            [
                report.item_number(f.item_id),
                titles.get(f.item_id, ""),
                f.station_code,
                report.station_name(f.station_code),
                *_figures(f.figures),
            ]
            for f in r.by_item_station
        ],
    )
    extra_keys = [k for k, _ in STATION_EXTRA_COLUMNS]
    _table(
        wb.create_sheet(SHEETS["stations"]),
        ["Mã đài", "Đài", *_FIG_HEADS, *(h for _, h in STATION_EXTRA_COLUMNS)],
        [
            [
                s.station_code,
                report.station_name(s.station_code),
                *_figures(s.figures),
                *(station_extras_dict(s)[k] for k in extra_keys),
            ]
            for s in r.by_station
        ],
    )
    _table(
        wb.create_sheet(SHEETS["priorities"]),
        ["Mức ưu tiên", *_FIG_HEADS],
        [[str(p.priority.label), *_figures(p.figures)] for p in r.by_priority],
    )
    weeks, rows = weekly_airtime(report)
    _table(
        wb.create_sheet(SHEETS["weeks"]),
        ["Nội dung", *(f"Phút, tuần từ {fmt_date(w)}" for w in weeks), "Cộng (phút)"],
        [[label, *minutes, round(sum(minutes), 1)] for _, label, minutes in rows],
    )
    _lines(wb.create_sheet(SHEETS["shortfalls"]), report, r.shortfalls, with_reason=True)
    _lines(wb.create_sheet(SHEETS["unplanned"]), report, r.unplanned, with_reason=False)
    _lines(wb.create_sheet(SHEETS["airings"]), report, r.lines, with_reason=True)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _figures(f: Any) -> list[Any]:
    values = figures_dict(f)
    return [values[k] for k in _FIG_KEYS]


def _summary(ws: Worksheet, report: AiringReport) -> None:
    ws.title = SHEETS["summary"]
    r = report.reconciliation
    ws["A1"] = "BÁO CÁO KẾT QUẢ THÔNG TIN, TUYÊN TRUYỀN"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Đơn vị"
    ws["B2"] = f"{report.office.name} ({report.office.code})"
    ws["A3"] = "Từ ngày"
    ws["B3"] = r.period.start
    ws["A4"] = "Đến ngày"
    ws["B4"] = r.period.end
    ws["A5"] = "Lập lúc"
    ws["B5"] = report.generated_at.replace(tzinfo=None)
    ws["B3"].number_format = ws["B4"].number_format = _DATE
    ws["B5"].number_format = _DATETIME
    for cell in ("B3", "B4", "B5"):
        ws[cell].alignment = Alignment(horizontal="left")
    header_row = 7
    for col, text in enumerate(("Chỉ tiêu", "Giá trị"), start=1):
        _header_cell(ws, header_row, col, text)
    row = header_row
    for label, value in summary_rows(report):
        row += 1
        ws.cell(row, 1, label).border = _BORDER
        cell = ws.cell(row, 2, value)
        cell.border = _BORDER
        if isinstance(value, float):
            cell.number_format = _ONE_DECIMAL
    for note in r.notes:
        row += 2
        ws.cell(row, 1, note).font = Font(italic=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = max(24, min(_WIDE, len(str(ws["B2"].value)) + 2))


def _header_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = ws.cell(row, col, text)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _table(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Header in row 1 (frozen, filterable), one row per record, widths fitted to the text."""
    for col, text in enumerate(headers, start=1):
        _header_cell(ws, 1, col, text)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.border = _BORDER
            if isinstance(value, datetime):
                cell.number_format = _DATETIME
            elif isinstance(value, date):
                cell.number_format = _DATE
            elif isinstance(value, float):
                cell.number_format = _ONE_DECIMAL
    if not rows:
        ws.cell(2, 1, "(không có dữ liệu)").font = Font(italic=True)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    _fit_columns(ws, headers, rows)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return fmt_datetime(value)
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _fit_columns(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for c, head in enumerate(headers, start=1):
        # a header wraps onto two lines rather than widening a column of small numbers
        longest = max([len(_display(row[c - 1])) for row in rows] + [len(w) for w in head.split()])
        longest = max(longest, min(len(head), 14))
        width = min(_WIDE, longest + 2)
        ws.column_dimensions[get_column_letter(c)].width = width
        if longest + 2 > _WIDE:
            for r in range(2, len(rows) + 2):
                ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")


def _naive(t: datetime | None) -> datetime | None:
    # Excel has no time zones: write the station's local wall time
    return t.replace(tzinfo=None) if t else None


def _lines(
    ws: Worksheet, report: AiringReport, lines: Sequence[AiringLine], *, with_reason: bool
) -> None:
    headers = [
        "Ngày",
        "Mã đài",
        "Đài",
        "Buổi",
        "Giờ theo kế hoạch",
        "Bắt đầu thực tế",
        "Kết thúc thực tế",
        "Số mục",
        "Nội dung",
        "Mức ưu tiên",
        "Kết quả",
        "Phút kế hoạch",
        "Phút đã phát",
        "Người trực máy",
        "Số bản ghi",
    ]
    if with_reason:
        headers.append("Lý do")
    headers.append("Ghi chú")
    rows = []
    for x in lines:
        row: list[Any] = [
            x.day,
            x.station_code,
            report.station_name(x.station_code),
            x.session or "",
            _naive(x.planned_start),
            _naive(x.actual_start),
            _naive(x.actual_end),
            report.item_number(x.item_id),
            x.title,
            priority_label(x.priority),
            str(x.outcome.label),
            round(x.planned_duration.total_seconds() / 60, 1) if x.planned_duration else None,
            x.minutes_aired,
            x.operator or "",
            x.records,
        ]
        if with_reason:
            row.append(x.reason)
        row.append(x.note or "")
        rows.append(row)
    _table(ws, headers, rows)
