"""A station's playlists for a day or a range of days, as JSON or M3U8, with ETags."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.messages import _, _n
from broadcaster.i18n import fmt_date
from broadcaster.usecases.published_playlists import (
    UNKNOWN,
    PlaylistSource,
    RenderedPlaylist,
    etag_of,
    for_follower,
)

from .deps import Caller, State, StationCode, station_code
from .errors import STATION_ROUTE, ApiError, error_responses, invalid_input
from .fields import EARLIEST, LATEST, SaneDate, StationCodePath, outside_years

router = APIRouter(tags=["playlists"])

MAX_RANGE_DAYS = 31
MEDIA = {"json": "application/json", "m3u8": "application/vnd.apple.mpegurl"}
NOT_MODIFIED = {"description": "Unchanged since the ETag sent in If-None-Match."}


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _respond(
    body: bytes, media: str, if_none_match: str | None, etag: str | None = None
) -> Response:
    etag = etag or etag_of(body)
    # stations must ask again (a re-plan can change today's playlist) but may reuse via ETag
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _parse_day(text: str) -> tuple[date, str]:
    stem, dot, suffix = text.partition(".")
    fmt = suffix if dot else "json"
    if fmt not in MEDIA:
        raise invalid_input(
            "day", "path", _("unknown format; use .json or .m3u8"), status=400, value=text
        )
    try:
        day = date.fromisoformat(stem)
    except ValueError:
        raise invalid_input(
            "day", "path", _("not a date; use YYYY-MM-DD"), status=400, value=stem
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise invalid_input("day", "path", outside_years(), value=stem)
    return day, fmt


@router.get(
    "/stations/{code}/access",
    status_code=204,
    response_class=Response,
    responses=error_responses(
        401, 403, 422, 503, notes={403: "Not this caller's station, or no such station."}
    ),
)
async def station_access(code: StationCodePath, state: State, caller: Caller) -> Response:
    """Whether the caller may read this station's playlists: 204, else 401 or 403 (an unknown
    station too). nginx asks this (``auth_request``, cached a few seconds) before it sends a
    published playlist from disk; on a refusal it hands the request to the app, whose answer
    says why."""
    try:
        await station_code(state, caller, code)
    except NotFoundError as exc:
        raise ForbiddenError(*exc.args) from None
    return Response(status_code=204)


@router.get(
    "/stations/{code}/playlists/{day}",
    responses=error_responses(
        *STATION_ROUTE,
        400,
        notes={404: "No such station, or nothing published for the day."},
        plus={200: {"content": {MEDIA["json"]: {}, MEDIA["m3u8"]: {}}}, 304: NOT_MODIFIED},
    ),
)
async def playlist_for_day(
    code: StationCode,
    day: Annotated[
        str,
        PathParam(max_length=32, description="YYYY-MM-DD, or with .json or .m3u8 after it"),
    ],
    state: State,
    format: Annotated[str | None, Query(pattern="^(json|m3u8)$")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The published playlist of one day (``2026-11-23``, ``2026-11-23.m3u8`` or ``?format=``)."""
    the_day, fmt = _parse_day(day)
    fmt = format or fmt
    source = _source(state)
    programme = state.cached_programme(code)
    if programme is None:
        programme = await run_in_threadpool(state.programme, code)
    # from memory when this worker has it (no thread, no database), else rendered in a thread
    rendered = source.peek(programme, the_day)
    if rendered is UNKNOWN:
        rendered = await run_in_threadpool(source.render, programme, the_day)
    if not isinstance(rendered, RenderedPlaylist):
        raise NotFoundError(
            _("no published playlist for {code} on {day}", code=code, day=fmt_date(the_day))
        )
    if programme != code:  # a loudspeaker cluster plays its commune's programme
        rendered = for_follower(rendered, code)
    written = (
        state.api.accel_redirect and programme == code and _file_of(source, code, the_day, fmt)
    )
    if written:  # nginx sends the file it will send next time too: one ETag, its own
        accel = {"X-Accel-Redirect": f"{state.api.accel_prefix}/playlists/{written}"}
        return Response(media_type=MEDIA[fmt], headers=accel)
    if fmt == "json":
        return _respond(rendered.json, MEDIA[fmt], if_none_match, rendered.json_etag)
    return _respond(rendered.m3u8, MEDIA[fmt], if_none_match, rendered.m3u8_etag)


def _file_of(source: PlaylistSource, code: str, day: date, fmt: str) -> str | None:
    file_of = getattr(source, "file_of", None)
    return file_of(code, day, f".{fmt}") if callable(file_of) else None


@router.get(
    "/stations/{code}/playlists",
    responses=error_responses(
        *STATION_ROUTE, 400, plus={200: {"content": {MEDIA["json"]: {}}}, 304: NOT_MODIFIED}
    ),
)
def playlists_for_range(
    code: StationCode,
    state: State,
    start: Annotated[SaneDate, Query(alias="from", description="first day")],
    end: Annotated[SaneDate | None, Query(alias="to", description="last day, included")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The published playlists of a range of days (at most 31), as one JSON document."""
    last = end or start
    if last < start:
        raise invalid_input(
            "to",
            "query",
            _("{to} is before 'from' ({start})", to=fmt_date(last), start=fmt_date(start)),
            status=400,
        )
    if (last - start).days + 1 > MAX_RANGE_DAYS:
        raise invalid_input(
            "to",
            "query",
            _n(
                "at most {n} day at once; ask for a shorter range",
                "at most {n} days at once; ask for a shorter range",
                MAX_RANGE_DAYS,
            ),
            status=400,
        )
    source = _source(state)
    programme = state.programme(code)
    docs = []
    day = start
    while day <= last:
        rendered = source.render(programme, day)
        if rendered is not None:
            if programme != code:
                rendered = for_follower(rendered, code)
            docs.append(rendered.json)
        day += timedelta(days=1)
    body = (
        b'{"station":'
        + json.dumps(code).encode()
        + b',"from":"'
        + start.isoformat().encode()
        + b'","to":"'
        + last.isoformat().encode()
        + b'","playlists":['
        + b",".join(docs)
        + b"]}"
    )
    return _respond(body, MEDIA["json"], if_none_match)


def _source(state: State) -> PlaylistSource:
    if state.playlists is None:
        raise ApiError(503, _("this server has no playlist source configured"), code="unavailable")
    return state.playlists
