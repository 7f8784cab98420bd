"""Reports on what was aired: planned versus aired (XLSX, DOCX, HTML, CSV, JSON), log books."""

from .model import AiringReport, report_json

FORMATS = ("xlsx", "docx", "html", "csv", "json")
LOGBOOK_FORMATS = ("html", "docx")

__all__ = ["FORMATS", "LOGBOOK_FORMATS", "AiringReport", "report_json"]
