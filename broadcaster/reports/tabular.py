"""CSV and JSON: one row per airing, for other systems."""

from __future__ import annotations

import csv
import io
import json

from .model import AIRING_COLUMNS, AiringReport, airing_row, report_json


def render_json(report: AiringReport) -> str:
    """The whole report (figures per item, station, priority, and one row per airing)."""
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"


def render_csv(report: AiringReport) -> str:
    """One row per airing (planned entries and unplanned airings), UTF-8, comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = [k for k, _ in AIRING_COLUMNS]
    writer.writerow(keys)
    for line in report.reconciliation.lines:
        row = airing_row(report, line)
        writer.writerow([_cell(row[k]) for k in keys])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
