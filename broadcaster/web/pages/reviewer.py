"""The reviewer's pages (/review): planned versus aired for a node of the station tree over a
week or a month — per topic, per station, per day, with the report's SVG charts — the missed
airings with their reasons, the local notices aired outside the plan, the emergency bulletins
and their delivery; drill down from the province to a station to one day's log; the report's
files (XLSX, DOCX, CSV, the printable page) and the log book downloaded from the page.

Read-only: reviewers, approvers, offices and administrators see their subtree, an operator
their own station. The figures and files are the airing report's own
(:mod:`broadcaster.reports`), so the page and the printed report say the same thing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from markupsafe import Markup

from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.reconcile import Figures
from broadcaster.reports import FORMATS, LOGBOOK_FORMATS
from broadcaster.reports.html import airtime_svg, attainment_svg
from broadcaster.reports.logbook import LOGBOOK_HEADINGS, logbook_rows
from broadcaster.reports.model import (
    fmt_minutes,
    fmt_pct,
    headings,
    summary_rows,
    weekday_long,
)
from broadcaster.usecases.reports import (
    render_airing_report,
    render_station_logbook,
    report_filename,
)
from broadcaster.usecases.review_period import (
    Period,
    day_log,
    logbook_for,
    notice_recording,
    parse_period,
    report_for,
    review,
    reviewable,
)

from ..respond import audio_file, render
from ..session import Signed, Web, WebRoute, WebState

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: the files offered on the page, in this order (the writers of broadcaster.reports)
DOWNLOADS = ("xlsx", "docx", "csv", "html")
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def span(start: date, end: date) -> Msg:
    """A period as people write it: "từ 07/12 đến 13/12/2026" (never an ISO week code)."""
    first = f"{start:%d/%m}" if start.year == end.year else f"{start:%d/%m/%Y}"
    return _("dates from {start} to {end}", start=first, end=f"{end:%d/%m/%Y}")


def period_title(p: Period) -> Msg:
    if p.kind == "month":
        return _("Month {month:02d}/{year}", month=p.start.month, year=p.start.year)
    return _("Week {span}", span=span(p.start, p.end))


def _period(request: Request, state: WebState) -> Period:
    q = request.query_params
    return parse_period(q.get("week"), q.get("month"), state.clock.now().date())


def _href(path: str, **values: object) -> str:
    return f"{path}?{urlencode({k: str(v) for k, v in values.items() if v is not None})}"


def review_href(node: str, p: Period) -> str:
    return f"/review?{urlencode({'node': node})}&{p.query}"


def _helpers() -> dict[str, Any]:
    return {
        "span": span,
        "period_title": period_title,
        "review_href": review_href,
        "href": _href,
        "pct": fmt_pct,
        "mins": fmt_minutes,
        "weekday": weekday_long,
        "cells": _cells,
    }


def _cells(f: Figures) -> list[str]:
    return [
        str(f.planned),
        str(f.aired),
        str(f.partial),
        str(f.missed),
        str(f.pending),
        fmt_pct(f.attainment_pct),
    ]


def _context(**values: Any) -> dict[str, Any]:
    return {**_helpers(), **values}


@router.get("/review")
async def review_page(request: Request, state: Web, s: Signed) -> Response:
    period = _period(request, state)
    node = request.query_params.get("node")
    found = await run_in_threadpool(review, state.db, s.user, node, period, state.clock.now())
    report = found.report
    context = _context(
        r=found,
        rec=report.reconciliation,
        summary=summary_rows(report),
        attainment=Markup(attainment_svg(report)),
        airtime=Markup(airtime_svg(report)),
        downloads=DOWNLOADS,
        logbook_formats=LOGBOOK_FORMATS,
        station_name=report.station_name,
    )
    return render(state, request, s, "reviewer.html.j2", context)


def _day(text: str | None, what: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InputError(
            _("{what} {value!r} is not a day; write it like 2026-12-07", what=what, value=text)
        ) from None


@router.get("/review/day")
async def day_page(request: Request, state: Web, s: Signed) -> Response:
    """One station's log of one day, as its log book prints it."""
    q = request.query_params
    day = _day(q.get("day"), "day")
    code = q.get("station") or s.user.station_code
    log = await run_in_threadpool(day_log, state.db, s.user, code, day, state.clock.now())
    (book_day,) = log.book.days
    context = _context(
        log=log,
        headings=headings(LOGBOOK_HEADINGS),
        rows=logbook_rows(book_day),
        book_day=book_day,
        week=Period(day, day, "week"),
        back=review_href(log.station.code, parse_period(day.isoformat(), None, day)),
    )
    return render(state, request, s, "reviewer_day.html.j2", context)


@router.get("/review/audio/{audio_hash}")
async def notice_audio(request: Request, state: Web, s: Signed, audio_hash: str) -> Response:
    """The recording of one of the station's local notices."""
    code = request.query_params.get("station") or s.user.station_code
    if not re.fullmatch(r"[0-9a-f]{16,128}", audio_hash):
        raise NotFoundError(_("no audio with hash {hash}", hash=audio_hash[:80]))
    path = await run_in_threadpool(
        notice_recording, state.db, s.user, code, audio_hash, state.settings.audio_cache_dir
    )
    return audio_file(path, max_age=86400)


def _attachment(data: bytes, fmt: str, name: str) -> Response:
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


def _format(request: Request, allowed: tuple[str, ...]) -> str:
    fmt = request.query_params.get("format", "")
    if fmt not in allowed:
        raise InputError(
            _(
                "unknown file format {format!r}; choose one of {formats}",
                format=fmt,
                formats=", ".join(allowed),
            )
        )
    return fmt


@router.get("/review/download")
async def download(request: Request, state: Web, s: Signed) -> Response:
    """The airing report of the node and period, written by broadcaster.reports."""
    fmt = _format(request, FORMATS)
    period = _period(request, state)
    node = request.query_params.get("node")

    def work() -> tuple[bytes, str]:
        station = reviewable(state.db, s.user, node)
        report = report_for(state.db, s.user, station.code, period, state.clock.now())
        name = report_filename("airings", station.code, period.start, period.end, fmt)
        return render_airing_report(report, fmt), name

    data, name = await run_in_threadpool(work)
    return _attachment(data, fmt, name)


@router.get("/review/logbook")
async def logbook(request: Request, state: Web, s: Signed) -> Response:
    """A station's log book over the days asked for (or the week or month of the page)."""
    fmt = _format(request, LOGBOOK_FORMATS)
    q = request.query_params
    if q.get("start"):
        start = _day(q.get("start"), "start")
        end = _day(q.get("end") or q.get("start"), "end")
    else:
        period = _period(request, state)
        start, end = period.start, period.end
    if end < start or (end - start).days > 92:
        raise InputError(_("give a log book period of at most three months, first day first"))
    code = q.get("station") or s.user.station_code

    def work() -> tuple[bytes, str]:
        book = logbook_for(state.db, s.user, code, start, end, state.clock.now())
        name = report_filename("logbook", book.station.code, start, end, fmt)
        return render_station_logbook(book, fmt), name

    data, name = await run_in_threadpool(work)
    return _attachment(data, fmt, name)
