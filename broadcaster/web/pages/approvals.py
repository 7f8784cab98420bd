"""What waits for an approver: listen, approve (one or several) or send back with a comment.

Every decision is recorded in the audit trail. A page that is out of date (another tab or
another approver decided first) changes nothing and says what happened instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from broadcaster.domain.accounts import Permission
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import ApprovalState, Directive, Item
from broadcaster.domain.messages import _
from broadcaster.domain.script_check import check_script
from broadcaster.usecases.item_audio import (
    Decided,
    Seen,
    approve_seen,
    current_audio,
    script_version,
    send_back_seen,
    visible_item,
)
from broadcaster.usecases.item_repair import approval_queue

from ..respond import audited, render
from ..session import Posted, Session, Web, WebRoute, WebState, needs
from .scripts import mmss, office_of, outdated, reading_rate, reading_time, render_script_page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Approver = Annotated[Session, Depends(needs(Permission.APPROVE))]


def _ids(text: str | None) -> list[int]:
    return [int(n) for n in (text or "").split(",") if n.strip().isdigit()][:200]


def _seen(state: str, version: str) -> Seen:
    """What the page showed of an item, from its hidden fields."""
    try:
        return Seen(ApprovalState(state), version)
    except ValueError:
        raise InputError(_("this form is out of date; open the page again")) from None


def _shown_items(state: WebState, s: Session, ids: Sequence[int]) -> list[Item]:
    """The items named in a result, as they stand now (one the person may not see is left out)."""
    out = []
    for n in ids:
        try:
            out.append(visible_item(state.db, s.user, n)[0])
        except NotFoundError:
            continue
    return out


def _queue_context(
    state: WebState, s: Session, done: str | None, stale: str | None, missing: str | None
) -> Any:
    waiting = approval_queue(state.db, s.user)
    groups: dict[int | None, tuple[Directive, list[Item]]] = {}
    for w in waiting:
        groups.setdefault(w.directive.id, (w.directive, []))[1].append(w.item)
    rate = reading_rate(state)
    audio = current_audio(state.db, [w.item.id for w in waiting if w.item.id is not None])
    return {
        "P": Permission,
        "groups": list(groups.values()),
        "count": len(waiting),
        "audio": audio,
        "outdated": {
            h
            for w in waiting
            if (seg := audio.get(w.item.id or 0)) is not None
            for h in outdated(state, w.item, [seg])
        },
        "times": {w.item.id: reading_time(w.item.script, rate) for w in waiting},
        "problems": {w.item.id: check_script(w.item.script) for w in waiting},
        "versions": {w.item.id: script_version(w.item) for w in waiting},
        "mmss": mmss,
        "done": _shown_items(state, s, _ids(done)),
        "stale": _shown_items(state, s, _ids(stale)),
        "missing": _ids(missing),
        "error": None,
        "note_error": None,
        "note_for": None,
        "note": "",
    }


async def _render_queue(
    request: Request,
    state: WebState,
    s: Session,
    status: int = 200,
    done: str | None = None,
    stale: str | None = None,
    missing: str | None = None,
    **extra: Any,
) -> Response:
    context = await run_in_threadpool(_queue_context, state, s, done, stale, missing)
    context.update(extra)
    return render(state, request, s, "approvals.html.j2", context, status)


@router.get("/approvals")
async def queue(
    request: Request,
    state: Web,
    s: Approver,
    done: str | None = None,
    stale: str | None = None,
    missing: str | None = None,
) -> Response:
    return await _render_queue(request, state, s, done=done, stale=stale, missing=missing)


async def _record(state: WebState, s: Session, decided: Sequence[Decided]) -> None:
    for d in decided:
        if not d.done:
            continue
        _item, directive = await run_in_threadpool(visible_item, state.db, s.user, d.item.id or 0)
        approval = d.item.approval
        if approval.approved:
            action, summary = "item.approve", _("approved by {who}", who=approval.by or "")
        else:
            action, summary = "item.send_back", _("sent back: {note}", note=approval.note or "")
        target = f"item {d.item.id}"
        await audited(state, s.user.username, action, target, summary, office_of(directive))


def _after(
    decided: Sequence[Decided],
    back: str,
    item_id: int | None = None,
    missing: Sequence[int] = (),
) -> Response:
    """Back to where the approver decided, saying what was done and what had changed first."""
    done = ",".join(str(d.item.id) for d in decided if d.done)
    stale = ",".join(str(d.item.id) for d in decided if not d.done)
    if back == "script" and item_id is not None and decided:
        if stale:
            key = "stale"
        else:
            key = "approved" if decided[0].item.approval.approved else "returned"
        return RedirectResponse(f"/items/{item_id}/script?done={key}", status_code=303)
    gone = ",".join(str(n) for n in missing)
    return RedirectResponse(
        f"/approvals?done={done}&stale={stale}&missing={gone}#results", status_code=303
    )


@router.post("/approvals")
async def approve_chosen(request: Request, state: Web, s: Posted, _a: Approver) -> Response:
    """Approve every item ticked on the queue, each as the page showed it (its state and its
    script's fingerprint travel in the form: ``version-ID``)."""
    form = await request.form()
    seen = {}
    for value in form.getlist("item")[:200]:
        if isinstance(value, str) and value.isdigit():
            version = form.get(f"version-{value}")
            seen[int(value)] = Seen(
                ApprovalState.DRAFT, version if isinstance(version, str) else ""
            )
    try:
        decisions = await run_in_threadpool(approve_seen, state.db, s.user, seen, state.clock.now())
    except InputError as exc:
        return await _render_queue(request, state, s, 422, error=str(exc))
    await _record(state, s, decisions.decided)
    return _after(decisions.decided, "queue", missing=decisions.missing)


@router.post("/items/{item_id}/approve")
async def approve_one(
    request: Request,
    state: Web,
    s: Posted,
    _a: Approver,
    item_id: int,
    seen: Annotated[str, Form()] = "draft",
    version: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "queue",
) -> Response:
    """Approve one item, if it still stands as the page showed it."""
    try:
        decisions = await run_in_threadpool(
            approve_seen,
            state.db,
            s.user,
            {item_id: _seen(seen, version)},
            state.clock.now(),
        )
        if decisions.missing:
            raise NotFoundError(_("no item {id}; see 'broadcaster items list'", id=item_id))
    except InputError as exc:
        if back == "script":
            return await render_script_page(request, state, s, item_id, 422, decide_error=str(exc))
        return await _render_queue(request, state, s, 422, error=str(exc))
    await _record(state, s, decisions.decided)
    return _after(decisions.decided, back, item_id)


@router.post("/items/{item_id}/send-back")
async def send_back_one(
    request: Request,
    state: Web,
    s: Posted,
    _a: Approver,
    item_id: int,
    note: Annotated[str, Form()] = "",
    seen: Annotated[str, Form()] = "draft",
    version: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "queue",
) -> Response:
    """Return an item to the office with what to put right (a comment is required)."""
    try:
        decided = await run_in_threadpool(
            send_back_seen,
            state.db,
            s.user,
            item_id,
            _seen(seen, version),
            state.clock.now(),
            note,
        )
    except InputError as exc:
        extra = {"note_error": str(exc), "note": note[:5000]}
        if back == "script":
            return await render_script_page(request, state, s, item_id, 422, **extra)
        return await _render_queue(request, state, s, 422, note_for=item_id, **extra)
    await _record(state, s, [decided])
    return _after([decided], back, item_id)
