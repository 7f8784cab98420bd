"""The guidance documents an office works on, and uploading new ones (several at once).

An upload is read like ``broadcaster directive import``: every file first, and if any of them
cannot be read, every problem is shown and nothing is stored. The same document uploaded
again (the same bytes, or the same words in another format or encoding) changes nothing and
says where it already is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from broadcaster.domain.accounts import Permission, Role
from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Directive
from broadcaster.domain.messages import _
from broadcaster.ingest import ExtractedText, IngestSettings, ParsedDocument, read_guidance
from broadcaster.usecases.directives import ImportResult, default_office, import_files
from broadcaster.usecases.item_repair import directives_for
from broadcaster.usecases.review import ItemCounts, item_counts

from ..respond import render
from ..session import Session, Web, WebRoute, WebState, needs
from .intake_support import Editor, Reader, partial_date, read_token, record, signed_token

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: files one upload may carry
MAX_FILES = 20
#: one upload may carry this many times the [ingest] max_file_mb in all
UPLOAD_FILES_FACTOR = 5
MB = 1024 * 1024
ACCEPTED = ".txt,.md,.docx,.pdf"
_DONE_SALT = "intake-upload"


def ingest_settings(state: WebState) -> IngestSettings:
    """The ``[ingest]`` settings as the CLI reads them (file, then environment)."""
    return state.settings.section("ingest", IngestSettings)


@dataclass(frozen=True)
class Row:
    directive: Directive
    date: str
    counts: ItemCounts


@router.get("/directives")
async def directives_page(request: Request, state: Web, s: Reader) -> Response:
    report = read_token(state, request.query_params.get("done"), _DONE_SALT)
    return await _list_page(request, state, s, report=report if isinstance(report, list) else [])


async def _list_page(
    request: Request,
    state: WebState,
    s: Session,
    *,
    report: list[Any] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    directives = await run_in_threadpool(directives_for, state.db, s.user)
    ids = [d.id for d in directives if d.id is not None]
    counts = await run_in_threadpool(item_counts, state.db, ids)
    rows = [Row(d, partial_date(d.date), counts.get(d.id or 0, ItemCounts())) for d in directives]
    settings = ingest_settings(state)
    return render(
        state,
        request,
        s,
        "directives.html.j2",
        {
            "rows": rows,
            "results": _results(report or [], {d.id: d for d in directives}, counts),
            "problems": problems or [],
            "accepted": ACCEPTED,
            "max_mb": settings.max_file_mb,
            "max_files": MAX_FILES,
        },
        status,
    )


@dataclass(frozen=True)
class FileResult:
    name: str
    directives: list[Directive]
    already: bool
    same: list[Directive]
    propaganda: int
    administrative: int


def _results(
    report: list[Any], known: dict[int | None, Directive], counts: dict[int, ItemCounts]
) -> list[FileResult]:
    """What an upload did, told from what is stored now (the person's own documents only)."""
    out = []
    for entry in report:
        if not isinstance(entry, dict):
            continue
        ids = [n for n in entry.get("d", []) if n in known]
        if not ids:
            continue
        out.append(
            FileResult(
                name=str(entry.get("n", "")),
                directives=[known[n] for n in ids],
                already=bool(entry.get("a")),
                same=[known[n] for n in entry.get("s", []) if n in known],
                propaganda=sum(counts[n].propaganda for n in ids if n in counts),
                administrative=sum(counts[n].administrative for n in ids if n in counts),
            )
        )
    return out


# --- uploading -------------------------------------------------------------------------------


async def upload_form(
    request: Request,
    state: Web,
    s: Annotated[Session, Depends(needs(Permission.EDIT_CONTENT))],
) -> FormData:
    """The upload's form, refused before its body is read when it is larger than allowed
    (the parts are then spooled to disk by python-multipart, never held in memory)."""
    settings = ingest_settings(state)
    limit = settings.max_file_mb * UPLOAD_FILES_FACTOR
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise InputError(
            _("the upload did not say how large it is; send the files again from the page")
        )
    if int(length) > limit * MB:
        raise InputError(
            _(
                "the upload is {size:.1f} MB; send at most {limit:g} MB at once (each file up "
                "to {each:g} MB): upload the files in several goes",
                size=int(length) / MB,
                limit=limit,
                each=settings.max_file_mb,
            )
        )
    try:
        return await request.form(max_files=MAX_FILES, max_fields=20)
    except HTTPException:
        raise InputError(
            _("send at most {n} files at once: upload the files in several goes", n=MAX_FILES)
        ) from None


@router.post("/directives/upload")
async def upload(
    request: Request,
    state: Web,
    form: Annotated[FormData, Depends(upload_form)],
    s: Editor,
) -> Response:
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:
        problems = [str(_("choose one or more files to upload (.txt, .md, .docx or .pdf)"))]
        return await _list_page(request, state, s, problems=problems, status=400)
    settings = ingest_settings(state)
    parsed, problems = await run_in_threadpool(_read_all, uploads, settings)
    if problems:
        return await _list_page(request, state, s, problems=problems, status=400)
    office = s.user.station_code
    if s.user.role is Role.ADMIN:
        top: str | None = await run_in_threadpool(default_office, state.db)
        office = top or office
    results = await run_in_threadpool(import_files, state.db, parsed, state.clock.now(), office)
    report = []
    for (extracted, _documents), result in zip(parsed, results, strict=True):
        report.append(_reported(extracted, result))
        if not result.already_imported:
            await _audit_import(state, s, extracted, result)
    target = f"/directives?done={signed_token(state, report, _DONE_SALT)}"
    return Response(status_code=303, headers={"Location": target})


def _reported(extracted: ExtractedText, result: ImportResult) -> dict[str, Any]:
    return {
        "n": extracted.name,
        "d": [d.id for d in result.directives],
        "a": result.already_imported,
        "s": [d.id for d in result.same_number],
    }


async def _audit_import(
    state: WebState, s: Session, extracted: ExtractedText, result: ImportResult
) -> None:
    for directive in result.directives:
        items = [i for i in result.items if i.directive_id == directive.id]
        await record(
            state,
            s,
            "directive.import",
            f"directive {directive.id}",
            str(_("{name}: {n} items", name=extracted.name, n=len(items))),
            directive,
        )


def safe_name(filename: str) -> str:
    """The file's own name without any folder a browser may send, NFC (names are shown)."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    name = "".join(c for c in name if c.isprintable())
    if name in {"", ".", ".."}:
        return "upload"
    return name[-200:]


def _read_all(
    uploads: list[UploadFile], settings: IngestSettings
) -> tuple[list[tuple[ExtractedText, list[ParsedDocument]]], list[str]]:
    """Every upload read (as the CLI reads a file), or every upload's problem."""
    parsed: list[tuple[ExtractedText, list[ParsedDocument]]] = []
    problems: list[str] = []
    limit = settings.max_file_mb * MB
    with tempfile.TemporaryDirectory(prefix="broadcaster-upload-") as tmp:
        for n, upload in enumerate(uploads):
            name = safe_name(upload.filename or "")
            if upload.size is not None and upload.size > limit:
                problems.append(
                    str(
                        _(
                            "{name}: {size:.1f} MB is over the {limit:g} MB limit for one "
                            "guidance file; split the document or ask the administrator to "
                            "raise [ingest] max_file_mb",
                            name=name,
                            size=upload.size / MB,
                            limit=settings.max_file_mb,
                        )
                    )
                )
                continue
            folder = Path(tmp) / str(n)  # one folder a file: two uploads may share a name
            folder.mkdir()
            path = folder / name
            with path.open("wb") as out:
                upload.file.seek(0)
                shutil.copyfileobj(upload.file, out)
            try:
                extracted, documents = read_guidance(path, settings)
            except InputError as exc:
                problems.append(str(exc).replace(str(folder) + os.sep, ""))
                continue
            parsed.append((replace(extracted, name=name), documents))
    return parsed, problems
