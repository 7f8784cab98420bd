"""The operator's phone page (/today): today's and tomorrow's sessions of the station with a play
button per entry; each entry marked aired, partly aired or missed; local notices that aired;
the day's log book signed; emergency bulletins shown the moment they arrive.

Marks and notices are airing logs made by the same use cases as ``broadcaster airings confirm``
and ``airings add`` (same event ids, counted the same in the reports). Pages are light: no
audio is fetched until a play button is pressed.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from broadcaster.audio.errors import AudioError
from broadcaster.audio.ffmpeg import probe_duration_ms
from broadcaster.audio.store import find_audio
from broadcaster.domain.accounts import Permission
from broadcaster.domain.errors import BroadcasterError, InputError, NotFoundError
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.reconcile import Outcome
from broadcaster.reports.model import fmt_minutes, weekday_long
from broadcaster.usecases.bulletin_stream import BulletinFeed, bulletin_frames
from broadcaster.usecases.emergencies import known_lead_in, prepare_recording
from broadcaster.usecases.operator_day import (
    EntryView,
    Mark,
    OperatorDay,
    add_notice,
    mark_entry,
    operated_station,
    operator_day,
    sign_day,
    station_audio_file,
)

from ..respond import audio_file, audited, is_htmx, render
from ..session import Session, Web, WebRoute, WebState, check_csrf, needs
from .scripts import RECORDINGS_PATH

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Operator = Annotated[Session, Depends(needs(Permission.OPERATE))]

#: the notice form carries a recording: it is posted under the console's upload prefix, whose
#: body limit lets the page judge the size itself (see broadcaster/server.py)
NOTICE_PATH = RECORDINGS_PATH + "notices"
#: a phone's recording of a local notice (a few minutes of speech) is well under this
MAX_RECORDING = 20 * 1024 * 1024
_HASH = re.compile(r"^[0-9a-f]{16,128}$")
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})$")
#: comment lines keep the event stream open through proxies
KEEPALIVE_SECONDS = 20.0


def _href(station: str | None, **values: str) -> str:
    query = {**({"station": station} if station else {}), **values}
    return "/today" + (f"?{urlencode(query)}" if query else "")


def _context(state: WebState, s: Session, asked: str | None, found: OperatorDay) -> dict[str, Any]:
    return {
        "day": found,
        "asked": asked,
        "station_query": f"?{urlencode({'station': asked})}" if asked else "",
        "notice_path": NOTICE_PATH,
        "errors": {},
        "values": {},
        "done": None,
        "counted": None,
        "open": None,
        "weekday": weekday_long,
        "mins": fmt_minutes,
        "state_label": state_label,
        "counted_label": lambda value: Outcome(value).label,
    }


def state_label(e: EntryView) -> Msg:
    """What the page says of an announcement: what the reports count for it."""
    if e.state == "upcoming":
        return _("Not yet due")
    if e.state == "unmarked":
        return _("Not marked")
    return Outcome(e.state).label


async def _render(
    request: Request,
    state: WebState,
    s: Session,
    asked: str | None,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    found = await run_in_threadpool(operator_day, state.db, s.user, asked, state.clock.now())
    context = _context(state, s, asked, found)
    context.update(extra)
    return render(state, request, s, "operator.html.j2", context, status)


def _asked(request: Request, form: FormData | None = None) -> str | None:
    value = (form.get("station") if form is not None else None) or request.query_params.get(
        "station"
    )
    return value.strip() if isinstance(value, str) and value.strip() else None


DONE = {
    "marked": _("Recorded."),
    "notice": _("The local notice is recorded."),
    "signed": _("The day's log book is signed."),
    "already": _("This was already recorded; nothing changed."),
}


@router.get("/today")
async def today_page(request: Request, state: Web, s: Operator) -> Response:
    q = request.query_params
    done = DONE.get(q.get("done", ""))
    kept = q.get("counted") if q.get("counted") in {o.value for o in Outcome} else None
    at = q.get("at") if re.fullmatch(r"[0-9-]{10}-\d{1,3}", q.get("at", "")) else None
    return await _render(request, state, s, _asked(request), done=done, counted=kept, open=at)


def _day(text: object) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise InputError(_("this form is out of date; open the page again")) from None


# --- marks -----------------------------------------------------------------------------------------


async def _day_form(request: Request, s: Session) -> tuple[FormData, str | None, date]:
    """A form about one day of the page, its token checked: the form, the station asked
    for, the day."""
    form = await request.form()
    await check_csrf(request, s.csrf)
    return form, _asked(request, form), _day(form.get("day"))


@router.post("/today/mark")
async def mark_post(request: Request, state: Web, s: Operator) -> Response:
    form, asked, day = await _day_form(request, s)
    position_text = str(form.get("position", ""))
    key = f"{day.isoformat()}-{position_text}"
    note = str(form.get("note", "")).strip() or None
    try:
        mark = Mark(str(form.get("mark", "")))
        position = int(position_text)
    except ValueError:
        raise InputError(_("this form is out of date; open the page again")) from None
    try:
        marked = await run_in_threadpool(
            lambda: mark_entry(
                state.db,
                s.user,
                asked,
                day=day,
                position=position,
                mark=mark,
                note=note,
                now=state.clock.now(),
            )
        )
    except InputError as exc:
        return await _render(
            request,
            state,
            s,
            asked,
            # htmx swaps only successful answers: the refusal is shown in the entry either way
            status=200 if is_htmx(request) else 422,
            errors={key: str(exc)},
            values={key: note or ""},
            open=key,
        )
    entry = marked.recorded.entry
    assert entry is not None
    summary = _(
        "{day} {time} «{title}»: {outcome}",
        day=f"{day:%d/%m/%Y}",
        time=f"{entry.start:%H:%M}",
        title=entry.title,
        outcome=marked.recorded.airing.status.label,
    )
    target = f"entry {entry.entry_id}"
    await audited(state, s.user.username, "airing.mark", target, summary, entry.station_code)
    counted = marked.counted.value if marked.counted else ""
    kept = counted if counted and counted != _OUTCOME_OF[mark] else None
    done = "marked" if marked.recorded.new else "already"
    if is_htmx(request):
        return await _render(request, state, s, asked, done=DONE[done], counted=kept, open=key)
    values = {"done": done, "at": key, **({"counted": kept} if kept else {})}
    return RedirectResponse(_href(asked, **values) + f"#e-{key}", status_code=303)


_OUTCOME_OF = {Mark.AIRED: "aired", Mark.PARTIAL: "partial", Mark.MISSED: "missed"}


# --- local notices ---------------------------------------------------------------------------------


def _notice_fields(form: FormData) -> tuple[dict[str, str], dict[str, str]]:
    values = {k: str(form.get(k, "")).strip() for k in ("title", "at", "minutes", "text")}
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = str(_("say what was announced"))
    m = _TIME.match(values["at"])
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        errors["at"] = str(_("give the time it started, like 17:20"))
    if values["minutes"]:
        try:
            minutes = float(values["minutes"].replace(",", "."))
        except ValueError:
            minutes = -1.0
        if not 0 < minutes <= 180:
            errors["minutes"] = str(_("give its length in minutes, more than 0 and at most 180"))
    return values, errors


async def _recording(state: WebState, upload: UploadFile, station: str) -> tuple[str, float]:
    """The recording made audio of the station's (trimmed, at the loudness target)."""
    folder = Path(tempfile.mkdtemp(prefix="broadcaster-notice-"))
    try:
        name = Path(upload.filename or "recording").name or "recording"
        path = folder / name
        with path.open("wb") as fh:
            while chunk := await upload.read(1 << 20):
                fh.write(chunk)
        audio_hash = await run_in_threadpool(
            lambda: prepare_recording(
                state.settings, path, db=state.db, office=station, clock=state.clock
            )
        )
    except (InputError, AudioError) as exc:
        raise InputError(str(exc).replace(str(folder) + "/", "")) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    found = find_audio(state.settings.audio_cache_dir, audio_hash)
    seconds = (await run_in_threadpool(probe_duration_ms, found)) / 1000 if found else 60.0
    return audio_hash, seconds


def _refused(
    request: Request,
    state: WebState,
    s: Session,
    asked: str | None,
    errors: dict[str, str],
    values: dict[str, str] | None = None,
    status: int = 422,
) -> Awaitable[Response]:
    """The notice form again, with the refusal beside its field and the input kept."""
    return _render(
        request, state, s, asked, status=status, errors=errors, values=values or {}, open="notice"
    )


@router.post(NOTICE_PATH)
async def notice_post(request: Request, state: Web, s: Operator) -> Response:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_RECORDING + 64 * 1024:
        # judged before the body is read; the token is checked with the form below
        too_large = str(_("the recording is larger than 20 MB; record a shorter one"))
        return await _refused(request, state, s, _asked(request), {"file": too_large}, status=413)
    try:
        form = await request.form(max_files=1, max_fields=10)
    except HTTPException:
        raise InputError(_("send one recording at a time")) from None
    await check_csrf(request, s.csrf)
    asked = _asked(request, form)
    values, errors = _notice_fields(form)
    if errors:
        return await _refused(request, state, s, asked, errors, values)
    station = await run_in_threadpool(operated_station, state.db, s.user, asked)
    upload = form.get("file")
    audio_hash: str | None = None
    seconds = 60.0
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            audio_hash, seconds = await _recording(state, upload, station.code)
        except InputError as exc:
            return await _refused(request, state, s, asked, {"file": str(exc)}, values)
    minutes = (
        float(values["minutes"].replace(",", "."))
        if values["minutes"]
        else max(round(seconds / 60, 1), 0.1)
    )
    m = _TIME.match(values["at"])
    assert m is not None
    day = _day(form.get("day"))
    try:
        recorded = await run_in_threadpool(
            lambda: add_notice(
                state.db,
                s.user,
                asked,
                day=day,
                start=time(int(m.group(1)), int(m.group(2))),
                title=values["title"],
                minutes=minutes,
                note=values["text"] or None,
                now=state.clock.now(),
                audio=audio_hash,
            )
        )
    except InputError as exc:
        return await _refused(request, state, s, asked, {"notice": str(exc)}, values)
    summary = _(
        "{day} {time} «{title}» ({minutes} minutes, outside the plan)",
        day=f"{day:%d/%m/%Y}",
        time=values["at"],
        title=recorded.airing.title or "",
        minutes=f"{minutes:g}",
    )
    target = f"airing {recorded.airing.event_id}"
    await audited(state, s.user.username, "airing.notice", target, summary, station.code)
    done = "notice" if recorded.new else "already"
    return RedirectResponse(_href(asked, done=done) + "#notices", status_code=303)


# --- the day's signature ---------------------------------------------------------------------------


@router.post("/today/sign")
async def sign_post(request: Request, state: Web, s: Operator) -> Response:
    _form, asked, day = await _day_form(request, s)
    try:
        _signature, new = await run_in_threadpool(
            sign_day, state.db, s.user, asked, day, state.clock.now()
        )
    except InputError as exc:
        return await _render(
            request, state, s, asked, status=422, errors={f"sign-{day.isoformat()}": str(exc)}
        )
    done = "signed" if new else "already"
    return RedirectResponse(_href(asked, done=done) + f"#sign-{day.isoformat()}", status_code=303)


# --- audio and bulletins ---------------------------------------------------------------------------


@router.get("/today/audio/{audio_hash}")
async def audio(request: Request, state: Web, s: Operator, audio_hash: str) -> Response:
    """Audio the station airs (its playlists, bulletins, its notices' recordings)."""
    if not _HASH.match(audio_hash):
        raise NotFoundError(_("no audio with hash {hash}", hash=audio_hash[:80]))
    path = await run_in_threadpool(
        lambda: station_audio_file(
            state.db,
            s.user,
            _asked(request),
            audio_hash,
            state.settings.audio_cache_dir,
            state.clock.now(),
            lead_in=known_lead_in(),
        )
    )
    return audio_file(path, max_age=86400)


def _feed(request: Request) -> BulletinFeed | None:
    api = getattr(request.app.state, "broadcaster", None)
    hub = getattr(api, "hub", None)
    return hub if hub is not None and hasattr(hub, "subscribe") else None


@router.get("/today/bulletins")
async def bulletins(request: Request, state: Web, s: Operator) -> Response:
    """Server-sent events: each bulletin for the station (sent, body ready, cancelled) as the
    emergency hub hands it out, the same event the station's agent receives."""
    station = await run_in_threadpool(operated_station, state.db, s.user, _asked(request))
    hub = _feed(request)
    if hub is None:  # no hub in this process: the page shows what was live when it loaded
        return Response(status_code=204)
    return StreamingResponse(
        _events(hub, station.code),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(hub: BulletinFeed, code: str) -> AsyncIterator[bytes]:
    with contextlib.suppress(BroadcasterError, KeyError):
        async for frame in bulletin_frames(hub, code, 0, KEEPALIVE_SECONDS):
            yield frame
