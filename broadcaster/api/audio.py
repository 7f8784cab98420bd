"""Audio by content hash: immutable, cacheable, resumable (HTTP Range); office uploads."""

from __future__ import annotations

import base64
import mimetypes
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable

from broadcaster.audio.errors import AudioError
from broadcaster.audio.ffmpeg import probe_duration_ms
from broadcaster.audio.store import (
    AUDIO_SUFFIXES,
    check_hash,
    find_audio,
    sha256_file,
    store_audio,
)
from broadcaster.domain.distribution import Principal
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.messages import _, _n
from broadcaster.usecases.audio_access import check_audio_access, record_upload
from broadcaster.usecases.emergencies import known_lead_in

from .deps import Caller, OfficeCaller, State
from .errors import AUTHENTICATED, ApiError, error_responses, invalid_input

router = APIRouter(tags=["audio"])

IMMUTABLE = "public, max-age=31536000, immutable"
AUDIO_CONTENT = {
    "audio/*": {"schema": {"type": "string", "format": "binary"}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
}


class AudioOut(BaseModel):
    hash: str
    bytes: int
    duration_ms: int
    url: str


def _resolve(state: State, name: str) -> tuple[str, Path]:
    # the name comes straight from the URL: only a bare hash (plus a known suffix) may pass
    if "/" in name or "\\" in name or ".." in name or name.startswith("~"):
        raise invalid_input(
            "name",
            "path",
            _("not an audio hash: paths are not accepted here"),
            status=400,
            value=name,
        )
    stem = name
    for suffix in AUDIO_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    try:
        audio_hash = check_hash(stem)
    except InputError:
        raise invalid_input(
            "name",
            "path",
            _("not an audio hash (16–128 lowercase hexadecimal characters)"),
            status=400,
            value=stem,
        ) from None
    path = find_audio(state.settings.audio_cache_dir, audio_hash)
    if path is None:
        raise NotFoundError(_("no audio with hash {hash}", hash=audio_hash))
    return audio_hash, path


_DIGESTS: dict[tuple[str, int, int], str] = {}


def content_sha256(path: Path) -> str:
    """SHA-256 of a cached file, remembered while the file is unchanged.

    Segment files are named by what made them, not by their bytes; stations check what they
    downloaded against this digest (sent as ``X-Content-SHA256`` and ``Repr-Digest``).
    """
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    digest = _DIGESTS.get(key)
    if digest is None:
        if len(_DIGESTS) > 50_000:
            _DIGESTS.clear()
        digest = _DIGESTS[key] = sha256_file(path)
    return digest


def _check_range(header: str | None, size: int) -> None:
    """Refuse a range we cannot serve in the API's error shape, before Starlette serves it.

    The header is read by Starlette's own parser, so what passes here is what it serves; its
    refusals would be plain text, outside the error shape.
    """
    if header is None:
        return
    try:
        FileResponse._parse_range_header(header, size)
    except MalformedRangeHeader as exc:
        raise invalid_input(
            "range",
            "header",
            _(
                "not a range that can be served ({detail}); send 'bytes=START-[END]'",
                detail=exc.content.rstrip("."),
            ),
            status=400,
            value=header,
        ) from None
    except RangeNotSatisfiable:
        refusal = invalid_input(
            "range",
            "header",
            _n(
                "starts beyond the end of the file ({n} byte)",
                "starts beyond the end of the file ({n} bytes)",
                size,
            ),
            status=416,
            value=header,
        )
        refusal.headers["Content-Range"] = f"bytes */{size}"
        raise refusal from None


@router.get(
    "/audio/{name:path}",
    response_class=FileResponse,
    responses=error_responses(
        *AUTHENTICATED,
        400,
        403,
        404,
        416,
        422,
        notes={403: "Audio this station does not air.", 404: "No audio with this hash."},
        plus={
            200: {"content": AUDIO_CONTENT, "description": "The file."},
            206: {
                "description": "The bytes asked for in Range (several: multipart/byteranges).",
                "content": {**AUDIO_CONTENT, "multipart/byteranges": {}},
            },
            304: {"description": "The file named by the ETag sent in If-None-Match."},
        },
    ),
)
@router.head("/audio/{name:path}", response_class=FileResponse, include_in_schema=False)
def get_audio(
    name: Annotated[
        str, PathParam(max_length=200, description="SHA-256 of the file, optionally .mp3 etc.")
    ],
    state: State,
    caller: Caller,
    range_: Annotated[str | None, Header(alias="range", max_length=1000)] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Audio file by its content hash, for a caller that may air or hear it (a station: its
    playlists and bulletins). Cached forever by clients; supports Range to resume."""
    audio_hash, path = _resolve(state, name)
    check_audio_access(state.db, caller, audio_hash, state.station_audio, lead_in=known_lead_in())
    etag = f'"{audio_hash}"'
    digest = content_sha256(path)
    headers = {
        "Cache-Control": IMMUTABLE,
        "ETag": etag,
        "X-Content-SHA256": digest,
        "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(digest)).decode()}:",
    }
    if if_none_match and (
        if_none_match.strip() == "*"
        or etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    ):
        return Response(status_code=304, headers=headers)
    _check_range(range_, path.stat().st_size)
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if state.api.accel_redirect:  # nginx sends the file (and its Range) from disk
        where = path.relative_to(state.settings.audio_cache_dir).as_posix()
        headers["X-Accel-Redirect"] = f"{state.api.accel_prefix}/audio/{where}"
        return Response(media_type=media, headers=headers)
    return FileResponse(path, media_type=media, headers=headers)


@router.post(
    "/audio",
    response_model=AudioOut,
    status_code=201,
    responses=error_responses(
        *AUTHENTICATED,
        400,
        403,
        413,
        415,
        notes={
            400: "The body is empty, or not audio ffmpeg can read.",
            403: "Not an office token.",
        },
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The audio file itself (any format ffmpeg reads).",
            "content": AUDIO_CONTENT,
        }
    },
)
async def upload_audio(request: Request, state: State, office: OfficeCaller) -> AudioOut:
    """Upload recorded audio (the raw file as the body), e.g. a recorded emergency bulletin.

    The answer's ``hash`` is what ``audio_hash`` in a bulletin refers to.
    """
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (ctype.startswith("audio/") or ctype == "application/octet-stream"):
        raise ApiError(
            415,
            _("send the audio file itself (Content-Type audio/…), not {type}", type=repr(ctype)),
        )
    data = await request.body()
    if not data:
        raise InputError(_("the request body is empty; send the audio file as the body"))
    suffix = mimetypes.guess_extension(ctype) or ".mp3"
    if suffix not in AUDIO_SUFFIXES:
        suffix = ".mp3"
    return await run_in_threadpool(_register, state, office, data, suffix)


def _register(state: State, office: Principal, data: bytes, suffix: str) -> AudioOut:
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            duration = probe_duration_ms(Path(tmp.name))
        except AudioError as exc:
            # the temporary file's name would only puzzle the sender
            detail = str(exc).replace(tmp.name, str(_("the upload")))
            raise InputError(
                _("the uploaded file is not audio ffmpeg can read: {detail}", detail=detail)
            ) from exc
    audio_hash, _path = store_audio(state.settings.audio_cache_dir, data, suffix)
    record_upload(state.db, office.station_code, audio_hash, state.clock.now(), office.label or "")
    return AudioOut(
        hash=audio_hash, bytes=len(data), duration_ms=duration, url=f"/api/v1/audio/{audio_hash}"
    )
