"""The emergency console: compose a bulletin (text spoken offline and heard before it goes,
or a recording uploaded), choose where (the whole subtree or stations from the tree), confirm
with the number of stations it interrupts, then follow the delivery per station (sent →
received → started) with cancel and correct. Office and admin roles only.

The delivery board polls a fragment every 2 s (htmx) and refreshes itself without JS.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from broadcaster.audio.errors import AudioError
from broadcaster.audio.store import find_audio
from broadcaster.domain.accounts import Permission
from broadcaster.domain.errors import BroadcasterError, NotFoundError, ValidationFailed
from broadcaster.domain.messages import _
from broadcaster.usecases.audio_access import check_audio_access
from broadcaster.usecases.bulletin_console import (
    bulletin_of,
    chosen_targets,
    office_principal,
    speak_for_preview,
    station_names,
    target_tree,
)
from broadcaster.usecases.emergencies import (
    MAX_REPEAT,
    BulletinRequest,
    cancel_emergency,
    complete_body,
    correct_emergency,
    create_emergency,
    prepare_recording,
    recent_bulletins,
)

from ..respond import audited, render
from ..session import Posted, Session, Web, WebRoute, WebState, needs

log = logging.getLogger("broadcaster.web.emergencies")
router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: the compose form posts here: a path under /recordings/, whose request bodies may be large
#: (broadcaster/server.py), since it may carry a recorded bulletin
CONFIRM_PATH = "/recordings/emergency"
MAX_UPLOAD_MB = 50

Sender = Annotated[Session, Depends(needs(Permission.SEND_EMERGENCY))]
#: looked up in an INTEGER column: PostgreSQL refuses a larger value instead of finding nothing
BulletinId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]


@dataclass
class Draft:
    """The compose form as the user left it."""

    title: str = ""
    text: str = ""
    where: str = "all"
    stations: list[str] = field(default_factory=list)
    repeat: int = 1
    expires_minutes: int = 60
    audio_hash: str = ""
    replaces: int | None = None

    @classmethod
    def from_form(cls, form: Any) -> tuple[Draft, dict[str, str]]:
        errors: dict[str, str] = {}

        def number(name: str, default: int, low: int, high: int) -> int:
            raw = str(form.get(name) or default).strip()
            if not raw.isdigit() or not low <= int(raw) <= high:
                errors[name] = str(
                    _("{value}; must be {low}–{high}", value=raw, low=low, high=high)
                )
                return default
            return int(raw)

        replaces = str(form.get("replaces") or "")
        draft = cls(
            title=str(form.get("title") or "").strip(),
            text=str(form.get("text") or "").strip(),
            where="chosen" if form.get("where") == "chosen" else "all",
            stations=[str(c) for c in form.getlist("stations")],
            repeat=number("repeat", 1, 1, MAX_REPEAT),
            expires_minutes=number("expires_minutes", 60, 1, 7 * 24 * 60),
            audio_hash=str(form.get("audio_hash") or ""),
            replaces=int(replaces) if replaces.isdigit() else None,
        )
        if not draft.title:
            errors["title"] = str(_("give the bulletin a title"))
        if draft.where == "chosen" and not draft.stations:
            errors["stations"] = str(_("choose at least one station, or the whole area"))
        return draft, errors

    @property
    def chosen(self) -> list[str] | None:
        return self.stations if self.where == "chosen" else None


def api_state(request: Request) -> Any:
    """The API served beside the console (its emergency hub and speech engine)."""
    return getattr(request.app.state, "broadcaster", None)


async def _compose(
    request: Request,
    state: WebState,
    s: Session,
    draft: Draft,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    tree = await run_in_threadpool(target_tree, state.db, s.user.station_code)
    recent = await run_in_threadpool(recent_bulletins, state.db, s.user.station_code, 10)
    context = {
        "draft": draft,
        "errors": errors or {},
        "tree": tree,
        "recent": recent,
        "confirm_path": CONFIRM_PATH,
        "max_mb": MAX_UPLOAD_MB,
    }
    return render(state, request, s, "emergency.html.j2", context, status)


@router.get("/emergencies")
async def emergencies_page(request: Request, state: Web, s: Sender) -> Response:
    return await _compose(request, state, s, Draft())


@router.get("/emergencies/{emergency_id}/correct")
async def correct_page(
    request: Request, state: Web, s: Sender, emergency_id: BulletinId
) -> Response:
    found = await run_in_threadpool(bulletin_of, state.db, s.user, emergency_id)
    e = found.emergency
    draft = Draft(
        title=e.title,
        text=e.text or "",
        where="chosen",
        stations=list(e.stations),
        repeat=e.repeat,
        replaces=e.id,
    )
    return await _compose(request, state, s, draft)


async def _recording(state: WebState, s: Session, upload: Any) -> str:
    """The uploaded recording, finished and kept as the office's upload: its hash."""
    with tempfile.TemporaryDirectory(dir=state.settings.data_dir) as work:
        path = Path(work) / "bulletin-upload"
        written = 0
        with path.open("wb") as out:
            while chunk := await upload.read(1024 * 1024):
                written += len(chunk)
                if written > MAX_UPLOAD_MB * 1024 * 1024:
                    raise AudioError(
                        _("a recording may be at most {limit} MB", limit=MAX_UPLOAD_MB)
                    )
                out.write(chunk)
        return await run_in_threadpool(
            lambda: prepare_recording(
                state.settings, path, db=state.db, office=s.user.station_code, clock=state.clock
            )
        )


@router.post(CONFIRM_PATH)
async def confirm(request: Request, state: Web, s: Sender, _posted: Posted) -> Response:
    """Check the draft, make its audio (spoken, or the recording finished), and show what
    will happen: the stations it interrupts, the audio to hear, the button that sends."""
    form = await request.form()
    draft, errors = Draft.from_form(form)
    upload = form.get("recording")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    if not draft.text and not has_file and not draft.audio_hash:
        errors["text"] = str(_("write the bulletin's text or upload a recording"))
    targets = await run_in_threadpool(chosen_targets, state.db, s.user.station_code, draft.chosen)
    if not targets and "stations" not in errors:
        errors["stations"] = str(_("no station airs in your area"))
    if errors:
        return await _compose(request, state, s, draft, errors, status=400)
    try:
        if has_file:
            draft.audio_hash = await _recording(state, s, upload)
        elif not draft.audio_hash:
            api = api_state(request)
            synth = getattr(api, "synthesize", None)
            draft.audio_hash, _ms = await run_in_threadpool(
                lambda: speak_for_preview(
                    state.db,
                    state.settings,
                    state.clock,
                    s.user,
                    draft.text,
                    **({"synthesize": synth} if synth else {}),
                )
            )
    except BroadcasterError as exc:
        key = "recording" if has_file else "text"
        errors[key] = str(exc)
        return await _compose(request, state, s, draft, errors, status=400)
    context = {"draft": draft, "targets": targets}
    return render(state, request, s, "emergency_confirm.html.j2", context)


@router.post("/emergencies/edit")
async def back_to_edit(request: Request, state: Web, s: Sender, _posted: Posted) -> Response:
    draft, _errors = Draft.from_form(await request.form())
    return await _compose(request, state, s, draft)


def _finish_later(request: Request, state: WebState, emergency_id: BulletinId) -> None:
    api = api_state(request)
    if api is None:
        return

    def work() -> None:
        try:
            complete_body(
                state.db, state.settings, state.clock, emergency_id, synthesize=api.synthesize
            )
        except BroadcasterError as exc:
            log.error("%s", exc)
        finally:
            api.hub.poke()

    task = asyncio.get_running_loop().create_task(run_in_threadpool(work))
    api.background.add(task)
    task.add_done_callback(api.background.discard)


@router.post("/emergencies/send")
async def send(request: Request, state: Web, s: Sender, _posted: Posted) -> Response:
    draft, errors = Draft.from_form(await request.form())
    if errors or not (draft.text or draft.audio_hash):
        return await _compose(request, state, s, draft, errors, status=400)
    bulletin = BulletinRequest(
        title=draft.title,
        text=draft.text or None,
        audio_hash=draft.audio_hash or None,
        stations=tuple(draft.chosen) if draft.chosen is not None else None,
        repeat=draft.repeat,
        expires_in=timedelta(minutes=draft.expires_minutes),
    )
    who = office_principal(s.user)
    try:
        if draft.replaces is not None:
            await run_in_threadpool(bulletin_of, state.db, s.user, draft.replaces)
            sent = await run_in_threadpool(
                correct_emergency,
                state.db,
                state.settings,
                state.clock,
                who,
                draft.replaces,
                bulletin,
            )
        else:
            sent = await run_in_threadpool(
                create_emergency, state.db, state.settings, state.clock, who, bulletin
            )
    except ValidationFailed as exc:
        errors = {p.where or "title": str(p.message) for p in exc.problems}
        return await _compose(request, state, s, draft, errors, status=400)
    api = api_state(request)
    if api is not None:
        await api.hub.caught_up()
    if sent.text and sent.audio_hash is None:
        _finish_later(request, state, sent.id)
    action = "emergency.correct" if draft.replaces else "emergency.send"
    summary = _("{title} to {n} stations", title=sent.title, n=len(sent.stations))
    await audited(state, s.user.shown, action, f"emergency {sent.id}", summary, sent.office_code)
    return RedirectResponse(f"/emergencies/{sent.id}", status_code=303)


async def _delivery(
    request: Request, state: WebState, s: Session, emergency_id: BulletinId, template: str
) -> Response:
    """The bulletin's delivery per station, the stations still waiting first."""
    found = await run_in_threadpool(bulletin_of, state.db, s.user, emergency_id)
    names = await run_in_threadpool(station_names, state.db, list(found.emergency.stations))
    by_code = {d.station_code: d for d in found.deliveries}
    rows = [(code, names[code], by_code.get(code)) for code in found.emergency.stations]
    rows.sort(key=lambda r: (r[2] is not None and r[2].acked_at is not None, r[1]))
    context = {
        "e": found.emergency,
        "status": found,
        "rows": rows,
        "waiting": sum(1 for r in rows if r[2] is None or r[2].acked_at is None),
        "now": state.clock.now(),
    }
    return render(state, request, s, template, context)


@router.get("/emergencies/{emergency_id}")
async def delivery_page(
    request: Request, state: Web, s: Sender, emergency_id: BulletinId
) -> Response:
    return await _delivery(request, state, s, emergency_id, "emergency_board.html.j2")


@router.get("/emergencies/{emergency_id}/deliveries")
async def delivery_fragment(
    request: Request, state: Web, s: Sender, emergency_id: BulletinId
) -> Response:
    """The board's table alone, for the page's polling."""
    return await _delivery(request, state, s, emergency_id, "emergency_deliveries.html.j2")


@router.post("/emergencies/{emergency_id}/cancel")
async def cancel(
    request: Request, state: Web, s: Sender, _posted: Posted, emergency_id: BulletinId
) -> Response:
    await run_in_threadpool(bulletin_of, state.db, s.user, emergency_id)
    form = await request.form()
    reason = str(form.get("reason") or "").strip() or None
    done = await run_in_threadpool(
        cancel_emergency, state.db, state.clock, office_principal(s.user), emergency_id, reason
    )
    api = api_state(request)
    if api is not None:
        await api.hub.caught_up()
    target = f"emergency {emergency_id}"
    await audited(state, s.user.shown, "emergency.cancel", target, reason or "", done.office_code)
    return RedirectResponse(f"/emergencies/{emergency_id}", status_code=303)


@router.get("/emergencies/audio/{audio_hash}")
async def bulletin_audio(state: Web, s: Sender, audio_hash: str) -> Response:
    await run_in_threadpool(
        lambda: check_audio_access(state.db, office_principal(s.user), audio_hash, lambda _c: set())
    )
    found = find_audio(state.settings.audio_cache_dir, audio_hash)
    if found is None:
        raise NotFoundError(_("no audio {audio}", audio=audio_hash[:12]))
    return FileResponse(found, media_type="audio/mpeg")
