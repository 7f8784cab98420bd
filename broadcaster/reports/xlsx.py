"""XLSX (openpyxl): a summary sheet and one sheet per dimension, with real numbers and dates.

Sheet names, headings and labels come from the message catalogue when the workbook is made
(the reader's language)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from broadcaster.domain.messages import N_, _, translate
from broadcaster.domain.reconcile import AiringLine

from .model import (
    FIGURE_COLUMNS,
    STATION_EXTRA_COLUMNS,
    AiringReport,
    figures_dict,
    fmt_date,
    fmt_datetime,
    headings,
    priority_label,
    station_extras_dict,
    summary_rows,
    weekly_airtime,
)

#: sheet names (Excel allows 31 characters, in every language)
SHEETS = {
    "summary": N_("Summary"),
    "items": N_("By topic"),
    "item_stations": N_("Topics by station"),
    "stations": N_("By station"),
    "priorities": N_("By priority level"),
    "weeks": N_("Airtime by week"),
    "shortfalls": N_("Fell short"),
    "unplanned": N_("Outside the plan"),
    "airings": N_("Airing details"),
}


def _sheet_name(key: str) -> str:
    return translate(SHEETS[key])[:31]


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DATE = "dd/mm/yyyy"
_DATETIME = "dd/mm/yyyy hh:mm"
_TIME = "hh:mm"
_ONE_DECIMAL = "0.0"
_WIDE = 60  # the widest a column grows; longer text wraps

_FIG_KEYS = [k for k, _h in FIGURE_COLUMNS]


def render_xlsx(report: AiringReport) -> bytes:
    wb = Workbook()
    _summary(wb.active, report)
    r = report.reconciliation
    fig_heads = headings(h for _k, h in FIGURE_COLUMNS)
    _item_sheets(wb, report, fig_heads)
    _station_sheets(wb, report, fig_heads)
    weeks, rows = weekly_airtime(report)
    _table(
        wb.create_sheet(_sheet_name("weeks")),
        [
            translate(N_("Content")),
            *(str(_("Minutes, week from {monday}", monday=fmt_date(w))) for w in weeks),
            str(_("Total (minutes)")),
        ],
        [[label, *minutes, round(sum(minutes), 1)] for _i, label, minutes in rows],
    )
    _lines(wb.create_sheet(_sheet_name("shortfalls")), report, r.shortfalls, with_reason=True)
    _lines(wb.create_sheet(_sheet_name("unplanned")), report, r.unplanned, with_reason=False)
    _lines(wb.create_sheet(_sheet_name("airings")), report, r.lines, with_reason=True)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _item_sheets(wb: Workbook, report: AiringReport, fig_heads: Sequence[str]) -> None:
    """The figures of each item, then of each item at each station."""
    r = report.reconciliation
    _table(
        wb.create_sheet(_sheet_name("items")),
        [
            *headings(
                (
                    N_("Item number"),
                    N_("Content"),
                    N_("Priority level"),
                    N_("Document implemented"),
                    N_("Number of stations"),
                )
            ),
            *fig_heads,
        ],
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
        wb.create_sheet(_sheet_name("item_stations")),
        [
            *headings((N_("Item number"), N_("Content"), N_("Station code"), N_("Station"))),
            *fig_heads,
        ],
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


def _station_sheets(wb: Workbook, report: AiringReport, fig_heads: Sequence[str]) -> None:
    """The figures of each station, then of each priority level."""
    r = report.reconciliation
    extra_keys = [k for k, _h in STATION_EXTRA_COLUMNS]
    _table(
        wb.create_sheet(_sheet_name("stations")),
        [
            *headings((N_("Station code"), N_("Station"))),
            *fig_heads,
            *headings(h for _k, h in STATION_EXTRA_COLUMNS),
        ],
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
        wb.create_sheet(_sheet_name("priorities")),
        [translate(N_("Priority level")), *fig_heads],
        [[str(p.priority.label), *_figures(p.figures)] for p in r.by_priority],
    )


def _figures(f: Any) -> list[Any]:
    values = figures_dict(f)
    return [values[k] for k in _FIG_KEYS]


def _summary(ws: Worksheet, report: AiringReport) -> None:
    ws.title = _sheet_name("summary")
    r = report.reconciliation
    ws["A1"] = str(_("REPORT ON THE RESULTS OF INFORMATION AND OUTREACH"))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = str(_("Office"))
    ws["B2"] = f"{report.office.name} ({report.office.code})"
    ws["A3"] = str(_("From date"))
    ws["B3"] = r.period.start
    ws["A4"] = str(_("To date"))
    ws["B4"] = r.period.end
    ws["A5"] = str(_("Made at"))
    ws["B5"] = report.generated_at.replace(tzinfo=None)
    ws["B3"].number_format = ws["B4"].number_format = _DATE
    ws["B5"].number_format = _DATETIME
    for cell in ("B3", "B4", "B5"):
        ws[cell].alignment = Alignment(horizontal="left")
    header_row = 7
    for col, text in enumerate(headings((N_("Indicator"), N_("Value"))), start=1):
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
        ws.cell(row, 1, str(note)).font = Font(italic=True)
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
        ws.cell(2, 1, str(_("(no data)"))).font = Font(italic=True)
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
    columns = [
        N_("Date"),
        N_("Station code"),
        N_("Station"),
        N_("Session"),
        N_("Planned time"),
        N_("Actual start"),
        N_("Actual end"),
        N_("Item number"),
        N_("Content"),
        N_("Priority level"),
        N_("Outcome"),
        N_("Minutes planned"),
        N_("Minutes aired"),
        N_("Operator on duty"),
        N_("Records"),
    ]
    if with_reason:
        columns.append(N_("Reason"))
    columns.append(N_("Note"))
    headers = list(headings(columns))
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
