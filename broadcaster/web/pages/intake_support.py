"""What the guidance pages share: who may read and who may change them, the notice a change
leaves for the page it returns to, and the audit of each change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature

from broadcaster.domain.accounts import Permission, Role, User
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.items import Directive, Item, Observance, PartialDate
from broadcaster.domain.messages import _
from broadcaster.usecases.accounts import audit
from broadcaster.usecases.item_repair import check_item

from ..session import Posted, Session, Signed, WebState, needs

#: a notice is shown on the page a change returns to, for this long
NOTICE_SECONDS = 600
_NOTICE_SALT = "intake-notice"


def can_read(user: User) -> bool:
    """Office people change guidance; approvers and reviewers read it."""
    return any(
        user.can(p) for p in (Permission.EDIT_CONTENT, Permission.APPROVE, Permission.READ_REPORTS)
    )


async def reading(s: Signed) -> Session:
    if not can_read(s.user):
        raise ForbiddenError(
            _("{who} ({role}) may not open this page", who=s.user.shown, role=s.user.role.label)
        )
    return s


async def editing(s: Posted) -> Session:
    """A POST (its CSRF token checked) by someone who may change guidance and items."""
    if not s.user.can(Permission.EDIT_CONTENT):
        raise ForbiddenError(
            _(
                "{who} ({role}) may read guidance but not change it",
                who=s.user.shown,
                role=s.user.role.label,
            )
        )
    return s


Reader = Annotated[Session, Depends(reading)]
#: a page that changes guidance (its form is posted by an :data:`Editor`)
Changer = Annotated[Session, Depends(needs(Permission.EDIT_CONTENT))]
Editor = Annotated[Session, Depends(editing)]


def own_item(db: Any, user: User, item_id: int) -> tuple[Item, Directive | None]:
    """An item the person may work on: of their office's guidance, or any for an
    administrator (an item of no document is an administrator's alone)."""
    item, directive = check_item(db, user, item_id)
    if directive is None and user.role is not Role.ADMIN:
        raise NotFoundError(_("no item {id}; see 'broadcaster items list'", id=item_id))
    return item, directive


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


def signed_token(state: WebState, value: Any, salt: str) -> str:
    return state.signer.dumps(value, salt=salt)


def read_token(state: WebState, token: str | None, salt: str) -> Any:
    if not token:
        return None
    try:
        return state.signer.loads(token, max_age=NOTICE_SECONDS, salt=salt)
    except BadSignature:
        return None


async def record(
    state: WebState,
    s: Session,
    action: str,
    target: str,
    summary: str,
    directive: Directive | None = None,
) -> None:
    """Keep a change in the audit trail, at the office the guidance belongs to."""
    await run_in_threadpool(
        audit,
        state.db,
        state.clock,
        s.user.username,
        action,
        target,
        summary,
        directive.office_code if directive else s.user.station_code,
    )


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page(
    state: WebState,
    request: Request,
    template: str,
    s: Session,
    context: dict[str, Any],
    status: int = 200,
) -> Response:
    """A guidance page: the signed-in person, their token and what they may do."""
    return state.templates.TemplateResponse(
        request,
        template,
        {
            "user": s.user,
            "csrf": s.csrf,
            "can_edit": s.user.can(Permission.EDIT_CONTENT),
            **context,
        },
        status_code=status,
    )


def partial_date(d: PartialDate | Observance | None) -> str:
    """A date as the documents write it, day first: 05/05/2021, 05/2021, 19/05."""
    if d is None:
        return ""
    if d.day and d.month and d.year:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if d.month and d.year:
        return f"{d.month:02d}/{d.year}"
    if d.day and d.month:
        return f"{d.day:02d}/{d.month:02d}"
    return str(d.year) if d.year else ""
