"""What the console's pages answer with: a page for the signed-in person, the notice a change
leaves for the page it returns to, a file of audio to play, and the audit trail's record of
each change made through them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from itsdangerous import BadSignature

from broadcaster.domain.accounts import Permission
from broadcaster.domain.messages import Msg
from broadcaster.usecases.accounts import audit

from .session import Session, WebState

#: a notice is shown on the page a change returns to, for this long
NOTICE_SECONDS = 600
_NOTICE_SALT = "intake-notice"


def is_htmx(request: Request) -> bool:
    """The request is htmx's (it swaps the answer into the page)."""
    return request.headers.get("hx-request") == "true"


def render(
    state: WebState,
    request: Request,
    s: Session,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> Response:
    """``template`` for the signed-in person: their account, their form token, whether they may
    change guidance (``can_edit``, unless ``context`` says otherwise) and the lines a change
    left for this page (``said``), then ``context``."""
    return state.templates.TemplateResponse(
        request,
        template,
        {
            "user": s.user,
            "csrf": s.csrf,
            "can_edit": s.user.can(Permission.EDIT_CONTENT),
            "said": notices(state, request),
            **context,
        },
        status_code=status,
    )


def back_with_notice(
    state: WebState, path: str, lines: Sequence[str], anchor: str = ""
) -> RedirectResponse:
    """POST/redirect/GET: the page at ``path`` shows ``lines`` once (signed, so a link cannot
    make the console say something it did not)."""
    target = path
    if lines:
        token = state.signer.dumps([str(line) for line in lines], salt=_NOTICE_SALT)
        target += f"?said={quote(token)}"
    if anchor:
        target += f"#{anchor}"
    return RedirectResponse(target, status_code=303)


def notices(state: WebState, request: Request) -> list[str]:
    """The lines a change left for this page (none when missing, forged or old)."""
    token = request.query_params.get("said")
    if not token:
        return []
    try:
        lines = state.signer.loads(token, max_age=NOTICE_SECONDS, salt=_NOTICE_SALT)
    except BadSignature:
        return []
    if not isinstance(lines, list):
        return []
    return [str(line) for line in lines[:50]]


def audio_file(path: Path, *, max_age: int, filename: str | None = None) -> FileResponse:
    """An MP3 to play in the page (the browser asks for ranges as it plays), kept by the
    person's browser alone for ``max_age`` seconds."""
    return FileResponse(
        path,
        media_type="audio/mpeg",
        headers={"Cache-Control": f"private, max-age={max_age}"},
        content_disposition_type="inline",
        filename=filename or path.name,
    )


async def audited(
    state: WebState,
    who: str,
    action: str,
    target: str,
    summary: str | Msg,
    office: str | None,
) -> None:
    """Keep a change made by ``who`` in the audit trail, at ``office``."""
    await run_in_threadpool(audit, state.db, state.clock, who, action, target, summary, office)
