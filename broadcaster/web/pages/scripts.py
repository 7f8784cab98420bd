"""An item's announcement script and its audio: edit the script with its reading time,
synthesise and listen, record in the browser or upload a recording, fetch the audio.

The office edits; approvers and reviewers of the same guidance read. Approving and sending
back from this page are in :mod:`broadcaster.web.pages.approvals`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from broadcaster.audio.errors import AudioError
from broadcaster.domain.accounts import Permission
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import Directive, ItemKind
from broadcaster.domain.messages import N_, _
from broadcaster.domain.script_check import check_script
from broadcaster.ingest import IngestSettings, estimate_seconds
from broadcaster.speech.engines import EngineUnavailable, SpeechError
from broadcaster.speech.settings import SpeechSettings
from broadcaster.usecases.directives import edit_script
from broadcaster.usecases.item_audio import (
    VOICE_ENGINES,
    check_recordable,
    item_segments,
    outdated_voices,
    preview_item_audio,
    script_version,
    segment_file,
    visible_item,
)
from broadcaster.usecases.item_repair import parse_text
from broadcaster.usecases.speech import add_recorded, make_synthesizer

from ..respond import audio_file, audited, is_htmx, render
from ..session import Posted, Session, Signed, Web, WebRoute, WebState, check_csrf
from .intake_support import Changer, Reader

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: a recording larger than this is refused before its upload is read
MAX_RECORDING_MB = 50
#: the form's other fields and the multipart framing around the file
_FORM_OVERHEAD = 64 * 1024
#: where an item's recording is uploaded (``/recordings/ID``): a path of its own, so the
#: server's limit on request bodies is raised for it alone (see broadcaster/server.py)
RECORDINGS_PATH = "/recordings/"

# --- what the pages show -----------------------------------------------------------------------


def reading_rate(state: WebState) -> int:
    return state.settings.section("ingest", IngestSettings).reading_rate


def reading_time(script: str, rate: int) -> str:
    """The estimated reading time as a person reads it: "khoảng 1 phút 5 giây"."""
    seconds = estimate_seconds(script, rate)
    if seconds < 60:
        return str(_("about {seconds} s", seconds=seconds))
    return str(_("about {minutes} min {seconds} s", minutes=seconds // 60, seconds=seconds % 60))


def mmss(value: timedelta | None) -> str:
    if value is None:
        return ""
    total = round(value.total_seconds())
    return f"{total // 60}:{total % 60:02d}"


def office_of(directive: Directive | None) -> str | None:
    """Where a change of the item is audited: its document's office (none for an item of no
    document)."""
    return directive.office_code if directive else None


def outdated(state: WebState, item: Any, segments: Any) -> set[str]:
    """The item's voices that read an earlier script (see :func:`outdated_voices`)."""
    speech = state.settings.section("speech", SpeechSettings)
    return outdated_voices(speech, state.settings.audio_dir, state.clock, item, segments)


async def _page_context(
    state: WebState, s: Session, item_id: int, script: str | None = None
) -> dict[str, Any]:
    """What the script page shows; ``script`` is the text the person typed (kept on an error:
    the reading time and the check are of what they see)."""
    item, directive = await run_in_threadpool(visible_item, state.db, s.user, item_id)
    segments = await run_in_threadpool(item_segments, state.db, item_id)
    stale_voices = await run_in_threadpool(outdated, state, item, segments)
    aired = item.kind is ItemKind.PROPAGANDA and not item.retired
    shown = item.script if script is None else script
    return {
        "item": item,
        "directive": directive,
        "segments": segments,
        "outdated": stale_voices,
        "version": script_version(item),
        "can_edit": aired and s.user.can(Permission.EDIT_CONTENT),
        "can_approve": aired and s.user.can(Permission.APPROVE) and bool(item.script.strip()),
        "aired": aired,
        "reading_time": reading_time(shown, reading_rate(state)),
        "problems": check_script(shown) if aired else [],
        "engines": VOICE_ENGINES,
        "engine": VOICE_ENGINES[0],
        "mmss": mmss,
        "max_mb": MAX_RECORDING_MB,
        "script": shown,
        "script_error": None,
        "synth_error": None,
        "upload_error": None,
        "note_error": None,
        "decide_error": None,
        "note": "",
        "notice": None,
        "is_fragment": False,
        "P": Permission,
    }


_NOTICES = {
    "saved": N_("Script saved."),
    "withdrawn": N_(
        "Script saved. Its approval is withdrawn: the item is a draft again and waits to be "
        "approved again."
    ),
    "unchanged": N_("The script is the same as before; nothing changed."),
    "synthesized": N_("The voice is ready: listen below."),
    "recorded": N_("The recording is added: listen below."),
    "approved": N_("Approved."),
    "returned": N_("Sent back to the office with your comment."),
    "stale": N_(
        "This page was out of date: someone decided on this item first, see its state above. "
        "Nothing was changed."
    ),
}


def _notice(key: str | None) -> str | None:
    msgid = _NOTICES.get(key or "")
    return str(_(msgid)) if msgid else None


async def render_script_page(
    request: Request,
    state: WebState,
    s: Session,
    item_id: int,
    status: int = 200,
    script: str | None = None,
    **extra: Any,
) -> Response:
    context = await _page_context(state, s, item_id, script)
    context.update(extra)
    return render(state, request, s, "script.html.j2", context, status)


async def _audio_fragment(
    request: Request, state: WebState, s: Session, item_id: int, **extra: Any
) -> Response:
    context = await _page_context(state, s, item_id)
    context.update(extra, is_fragment=True)
    # htmx swaps a 200 only: an error is shown inside the fragment
    return render(state, request, s, "script_audio.html.j2", context)


async def _audio_refused(
    request: Request, state: WebState, s: Session, item_id: int, status: int, **why: Any
) -> Response:
    """No new audio, and why: in the audio fragment for htmx, or the whole page again."""
    if is_htmx(request):
        return await _audio_fragment(request, state, s, item_id, **why)
    return await render_script_page(request, state, s, item_id, status, **why)


async def _audio_added(
    request: Request, state: WebState, s: Session, item_id: int, done: str
) -> Response:
    """The item's new audio, to listen to: in the audio fragment for htmx, or the page."""
    if is_htmx(request):
        return await _audio_fragment(request, state, s, item_id, notice=_notice(done))
    return RedirectResponse(f"/items/{item_id}/script?done={done}#audio", status_code=303)


# --- the script ----------------------------------------------------------------------------------


@router.get("/items/{item_id}/script")
async def script_page(
    request: Request, state: Web, s: Reader, item_id: int, done: str | None = None
) -> Response:
    return await render_script_page(request, state, s, item_id, notice=_notice(done))


@router.post("/items/{item_id}/script/preview")
async def script_preview(
    request: Request,
    state: Web,
    s: Posted,
    _e: Changer,
    item_id: int,
    script: Annotated[str, Form()] = "",
) -> Response:
    """The reading time and the script check of the text being typed (nothing is saved)."""
    await run_in_threadpool(visible_item, state.db, s.user, item_id)
    text = script[:200_000]
    context = {
        "reading_time": reading_time(text, reading_rate(state)),
        "problems": check_script(text),
        "oob": True,
    }
    return state.templates.TemplateResponse(request, "script_time.html.j2", context)


@router.post("/items/{item_id}/script")
async def save_script(
    request: Request,
    state: Web,
    s: Posted,
    _e: Changer,
    item_id: int,
    script: Annotated[str, Form()] = "",
) -> Response:
    item, directive = await run_in_threadpool(visible_item, state.db, s.user, item_id)
    try:
        if item.retired or item.kind is not ItemKind.PROPAGANDA:
            raise InputError(_("item {id} has no script to edit", id=item_id))
        text = parse_text(script)
        if text and text == item.script:
            return RedirectResponse(f"/items/{item_id}/script?done=unchanged", status_code=303)
        _updated, withdrawn = await run_in_threadpool(
            edit_script, state.db, item_id, text, reading_rate(state)
        )
    except InputError as exc:
        return await render_script_page(
            request, state, s, item_id, 422, script=script[:200_000], script_error=str(exc)
        )
    summary = (
        _("script edited; its approval was withdrawn")
        if withdrawn
        else _("script edited ({n} characters)", n=len(text))
    )
    await audited(
        state, s.user.username, "item.script", f"item {item_id}", summary, office_of(directive)
    )
    done = "withdrawn" if withdrawn else "saved"
    return RedirectResponse(f"/items/{item_id}/script?done={done}", status_code=303)


# --- audio -----------------------------------------------------------------------------------------


def _why_no_voice(exc: Exception, engine: str) -> str:
    """The engine's reason; Google's own advice names a CLI option, the page's the choice here."""
    if isinstance(exc, EngineUnavailable) and engine == "gtts":
        return str(
            _(
                "{reason}; check the internet connection, or choose the machine voice, which "
                "works offline",
                reason=exc.reason,
            )
        )
    return str(exc)


@router.post("/items/{item_id}/synthesize")
async def synthesize(
    request: Request,
    state: Web,
    s: Posted,
    _e: Changer,
    item_id: int,
    engine: Annotated[str, Form()] = VOICE_ENGINES[0],
) -> Response:
    """Render the saved script, with the offline engine (espeak-ng) unless Google's voice is
    chosen; the rendering becomes the item's audio, which the office and the approver hear."""
    _item, directive = await run_in_threadpool(visible_item, state.db, s.user, item_id)
    chosen = engine if engine in VOICE_ENGINES else VOICE_ENGINES[0]
    speech = state.settings.section("speech", SpeechSettings)
    synth = make_synthesizer(speech, state.settings.audio_dir, state.clock, engine=chosen)
    try:
        result = await run_in_threadpool(preview_item_audio, state.db, synth, item_id)
    except (InputError, SpeechError, AudioError) as exc:
        why = _why_no_voice(exc, chosen)
        return await _audio_refused(request, state, s, item_id, 422, synth_error=why, engine=chosen)
    duration = mmss(result.segment.duration)
    summary = _("voice synthesised with {engine} ({duration})", engine=chosen, duration=duration)
    await audited(
        state, s.user.username, "item.synthesize", f"item {item_id}", summary, office_of(directive)
    )
    return await _audio_added(request, state, s, item_id, "synthesized")


def _safe_name(name: str | None) -> str:
    base = Path(name or "").name
    base = re.sub(r"[^\w.\-]+", "-", base).strip(".-")[:80]
    return base or "ghi-am.webm"


def _too_large(request: Request) -> str | None:
    """Why the upload is refused before it is read: too large, or of no stated size."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        return str(_("the upload did not say how large it is; send the file from this page"))
    if int(length) > MAX_RECORDING_MB * 1024 * 1024 + _FORM_OVERHEAD:
        size = f"{int(length) / 1024 / 1024:.0f}"
        return str(
            _(
                "the file is {size} MB; a recording may be at most {limit} MB. Shorten it or "
                "save it at a lower quality (e.g. MP3 64 kbit/s)",
                size=size,
                limit=MAX_RECORDING_MB,
            )
        )
    return None


async def _save_upload(upload: UploadFile, folder: Path) -> Path:
    target = folder / _safe_name(upload.filename)
    limit = MAX_RECORDING_MB * 1024 * 1024
    written = 0
    with target.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise InputError(_("a recording may be at most {limit} MB", limit=MAX_RECORDING_MB))
            out.write(chunk)
    return target


@router.post(RECORDINGS_PATH + "{item_id}")
async def upload_recording(
    request: Request, state: Web, s: Signed, _e: Changer, item_id: int
) -> Response:
    """A recording made in the browser or uploaded: decoded, trimmed, loudness-normalised."""
    # the size is judged before the body is read; Posted would read the whole form for its
    # token first, so the token is checked here, just after
    _item, directive = await run_in_threadpool(check_recordable, state.db, s.user, item_id)
    refused = _too_large(request)
    if refused:
        return await _audio_refused(request, state, s, item_id, 413, upload_error=refused)
    try:
        # read once with these bounds (the token check below reads the same parsed form)
        form = await request.form(max_files=1, max_fields=4)
    except HTTPException:
        reason = str(_("send one audio file at a time"))
        return await _audio_refused(request, state, s, item_id, 422, upload_error=reason)
    await check_csrf(request, s.csrf)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        reason = str(_("choose an audio file to upload"))
        return await _audio_refused(request, state, s, item_id, 422, upload_error=reason)
    folder = Path(tempfile.mkdtemp(prefix="broadcaster-upload-"))
    try:
        path = await _save_upload(upload, folder)
        result = await run_in_threadpool(
            lambda: add_recorded(
                state.db,
                path,
                speech=state.settings.section("speech", SpeechSettings),
                audio_dir=state.settings.audio_dir,
                clock=state.clock,
                item_id=item_id,
            )
        )
    except (InputError, AudioError) as exc:
        # the reason names the file as the person knows it, not the folder it waited in
        reason = str(exc).replace(str(folder) + "/", "")
        return await _audio_refused(request, state, s, item_id, 422, upload_error=reason)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    name, duration = result.segment.source_name or "", mmss(result.segment.duration)
    summary = _("recording {name} added ({duration})", name=name, duration=duration)
    await audited(
        state, s.user.username, "item.record", f"item {item_id}", summary, office_of(directive)
    )
    return await _audio_added(request, state, s, item_id, "recorded")


@router.get("/items/{item_id}/audio/{content_hash}")
async def item_audio(state: Web, s: Reader, item_id: int, content_hash: str) -> Response:
    """One of the item's segments (the browser asks for ranges as it plays)."""
    if not re.fullmatch(r"[0-9a-f]{16,128}", content_hash):
        raise NotFoundError(_("item {id} has no such audio", id=item_id))
    segment, path = await run_in_threadpool(
        segment_file, state.db, s.user, item_id, content_hash, state.settings.audio_dir
    )
    return audio_file(path, max_age=3600, filename=f"item-{item_id}-{segment.content_hash[:8]}.mp3")
