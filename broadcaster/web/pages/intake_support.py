"""What the guidance pages share: who may read and who may change them, the items a person may
work on, and the audit of each change (at the office of the guidance)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from itsdangerous import BadSignature

from broadcaster.domain.accounts import Permission, Role, User
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.items import (
    DateForms,
    Directive,
    Item,
    Observance,
    PartialDate,
    write_date,
)
from broadcaster.domain.messages import _
from broadcaster.usecases.item_repair import check_item

from ..respond import NOTICE_SECONDS, audited
from ..session import Posted, Session, Signed, WebState, needs


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
    office = directive.office_code if directive else s.user.station_code
    await audited(state, s.user.username, action, target, summary, office)


#: a date as the documents write it, day first: 05/05/2021, 05/2021, 19/05
_DAY_FIRST = DateForms(
    full="{day:02d}/{month:02d}/{year}",
    month_year="{month:02d}/{year}",
    day_month="{day:02d}/{month:02d}",
    year="{year}",
)


def partial_date(d: PartialDate | Observance | None) -> str:
    """A date as the documents write it, day first (empty when no part of it is known)."""
    return write_date(d, _DAY_FIRST) or ""
