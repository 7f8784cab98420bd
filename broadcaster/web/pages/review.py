"""The review page: a guidance document's text beside the items read from it, and the
repairs an office makes there (add from a passage, delete, merge, split, change kind).

Every repair is a plain form POST (htmx swaps an item's card in place where it helps), checks
the person and the document's office first, and is kept in the audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Directive, Item, ItemKind
from broadcaster.domain.messages import _
from broadcaster.usecases.item_repair import (
    Removed,
    add_item,
    check_directive,
    delete_items,
    merge_items,
    set_kind,
    split_item,
)
from broadcaster.usecases.review import review_of

from ..respond import back_with_notice, is_htmx, render
from ..session import Session, Web, WebRoute, WebState
from .intake_support import Changer, Editor, Reader, own_item, partial_date, record
from .review_text import pieces, usable_passage

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@dataclass(frozen=True)
class ItemView:
    item: Item
    reading: str
    #: its passage lies in the shown text (a link to it is offered)
    located: bool
    #: this change's note, shown on the card (htmx answers)
    note: str = ""


def reading_time(duration: timedelta | None) -> str:
    """``1 phút 20 giây``: how long the script takes to read out (measured audio first)."""
    if not duration:
        return ""
    seconds = round(duration.total_seconds())
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return str(_("{s} s", s=rest))
    return str(_("{m} min {s} s", m=minutes, s=rest))


def item_view(item: Item, text: str | None, note: str = "") -> ItemView:
    located = usable_passage(item, len(text or "")) is not None
    return ItemView(item, reading_time(item.effective_duration), located, note)


def _header(directive: Directive) -> dict[str, Any]:
    period = directive.period
    span = ""
    if period and (period.start or period.end):
        span = " – ".join(d.strftime("%d/%m/%Y") if d else "…" for d in (period.start, period.end))
    return {
        "date": partial_date(directive.date),
        "period": period.text if period else "",
        "period_span": span,
        "basis": [b.describe() for b in directive.basis],
    }


async def review_page(
    request: Request,
    state: WebState,
    s: Session,
    directive_id: int,
    *,
    adding: dict[str, str] | None = None,
    add_error: str = "",
    status: int = 200,
) -> Response:
    directive, items = await run_in_threadpool(review_of, state.db, s.user, directive_id)
    text = directive.text or ""
    return render(
        state,
        request,
        s,
        "review.html.j2",
        {
            "d": directive,
            "header": _header(directive),
            "pieces": pieces(text, items),
            "text_length": len(text),
            "items": [item_view(i, text) for i in items],
            "labels": {i.id: i.number or str(_("item")) for i in items},
            "adding": adding or {},
            "add_error": add_error,
        },
        status,
    )


@router.get("/directives/{directive_id}")
async def review(request: Request, state: Web, s: Reader, directive_id: int) -> Response:
    return await review_page(request, state, s, directive_id)


def _where(directive_id: int | None) -> str:
    return f"/directives/{directive_id}" if directive_id is not None else "/directives"


def _offset(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


@router.post("/directives/{directive_id}/items")
async def add(request: Request, state: Web, s: Editor, directive_id: int) -> Response:
    directive = await run_in_threadpool(check_directive, state.db, s.user, directive_id)
    form = await request.form()
    fields = {k: str(form.get(k) or "") for k in ("title", "text", "kind", "start", "end")}
    start, end = _offset(fields["start"]), _offset(fields["end"])
    passage = (start, end) if start is not None and end is not None else None
    kind = ItemKind.ADMINISTRATIVE if fields["kind"] == "administrative" else ItemKind.PROPAGANDA
    try:
        item = await run_in_threadpool(
            lambda: add_item(
                state.db,
                directive_id,
                fields["title"],
                kind=kind,
                text=fields["text"],
                passage=passage,
            )
        )
    except InputError as exc:
        return await review_page(
            request, state, s, directive_id, adding=fields, add_error=str(exc), status=400
        )
    how = _("from the passage {start}–{end}", start=start, end=end) if passage else _("typed in")
    await record(state, s, "item.add", f"item {item.id}", f"{item.title[:80]} ({how})", directive)
    said = _("Item {id} added: {title}", id=item.id, title=item.title)
    return back_with_notice(state, _where(directive_id), [str(said)], f"item-{item.id}")


def removed_lines(removed: Removed) -> list[str]:
    lines = [str(_("Item {id} deleted: {title}", id=i.id, title=i.title)) for i in removed.deleted]
    lines += [
        str(
            _(
                "Item {id} ({title}) was approved or has aired, so it was retired instead of "
                "deleted: it is kept for the record and leaves every list and plan",
                id=i.id,
                title=i.title,
            )
        )
        for i in removed.retired
    ]
    return lines


@router.post("/items/{item_id}/delete")
async def delete(request: Request, state: Web, s: Editor, item_id: int) -> Response:
    item, directive = await run_in_threadpool(own_item, state.db, s.user, item_id)
    form = await request.form()
    if form.get("confirmed") != "1":
        return render(state, request, s, "item_delete.html.j2", {"item": item, "d": directive})
    removed = await run_in_threadpool(delete_items, state.db, [item_id], state.clock.now())
    how = "retired" if removed.retired else "deleted"
    await record(
        state, s, "item.delete", f"item {item_id}", f"{item.title[:80]} ({how})", directive
    )
    return back_with_notice(state, _where(item.directive_id), removed_lines(removed), "items")


@router.post("/directives/{directive_id}/merge")
async def merge(request: Request, state: Web, s: Editor, directive_id: int) -> Response:
    directive = await run_in_threadpool(check_directive, state.db, s.user, directive_id)
    form = await request.form()
    ids = [int(v) for v in form.getlist("item") if isinstance(v, str) and v.isdigit()]
    for n in ids:
        item, _d = await run_in_threadpool(own_item, state.db, s.user, n)
        if item.directive_id != directive_id:
            raise InputError(_("item {id} belongs to another document", id=n))
    if len(ids) < 2:
        said = [str(_("Tick two items or more to merge them."))]
        return back_with_notice(state, _where(directive_id), said, "items")
    merged, removed = await run_in_threadpool(merge_items, state.db, ids, state.clock.now())
    summary = f"{', '.join(map(str, ids))} → {merged.id}"
    await record(state, s, "item.merge", f"item {merged.id}", summary, directive)
    lines = [
        str(
            _(
                "Items {ids} merged into item {id}: {title}; it is a draft again",
                ids=", ".join(map(str, ids)),
                id=merged.id,
                title=merged.title,
            )
        )
    ]
    # the others are in the merged item now; a retired one stays for the record
    lines += removed_lines(Removed((), removed.retired))
    return back_with_notice(state, _where(directive_id), lines, f"item-{merged.id}")


@router.post("/items/{item_id}/kind")
async def change_kind(request: Request, state: Web, s: Editor, item_id: int) -> Response:
    item, directive = await run_in_threadpool(own_item, state.db, s.user, item_id)
    form = await request.form()
    kind = ItemKind.ADMINISTRATIVE if form.get("kind") == "administrative" else ItemKind.PROPAGANDA
    ((changed, withdrawn),) = await run_in_threadpool(set_kind, state.db, [item_id], kind)
    label = _("a propaganda item") if kind is ItemKind.PROPAGANDA else _("an administrative task")
    await record(state, s, "item.kind", f"item {item_id}", str(label), directive)
    said = (
        _("Item {id} is now {kind}; its approval was withdrawn", id=item_id, kind=label)
        if withdrawn
        else _("Item {id} is now {kind}", id=item_id, kind=label)
    )
    if is_htmx(request):
        view = item_view(changed, directive.text if directive else None, str(said))
        return render(state, request, s, "item_card.html.j2", {"v": view, "d": directive})
    return back_with_notice(state, _where(item.directive_id), [str(said)], f"item-{item_id}")


# --- splitting --------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")


def split_points(text: str) -> list[tuple[int, str]]:
    """Where an item's text may be cut, with the words that would begin the second part: each
    line after the first, or each sentence when the text is one line."""
    points: list[tuple[int, str]] = []
    at = 0
    for line in text.split("\n"):
        if at and line.strip() and text[:at].strip():
            points.append((at + len(line) - len(line.lstrip()), line.strip()))
        at += len(line) + 1
    if points:
        return points
    for m in _SENTENCE_END.finditer(text):
        rest = text[m.end() :]
        points.append((m.end(), rest.split(". ")[0][:200]))
    return points


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


@router.get("/items/{item_id}/split")
async def split_form(request: Request, state: Web, s: Changer, item_id: int) -> Response:
    item, directive = await run_in_threadpool(own_item, state.db, s.user, item_id)
    return _split_page(request, state, s, item, directive)


def _split_page(
    request: Request,
    state: WebState,
    s: Session,
    item: Item,
    directive: Directive | None,
    error: str = "",
    status: int = 200,
) -> Response:
    context = {"item": item, "d": directive, "points": split_points(item.text), "error": error}
    return render(state, request, s, "item_split.html.j2", context, status)


@router.post("/items/{item_id}/split")
async def split(request: Request, state: Web, s: Editor, item_id: int) -> Response:
    item, directive = await run_in_threadpool(own_item, state.db, s.user, item_id)
    form = await request.form()
    at = _offset(form.get("at"))
    if at is None:
        error = str(_("choose the line the second item begins with"))
        return _split_page(request, state, s, item, directive, error, 400)
    try:
        first, second = await run_in_threadpool(split_item, state.db, item_id, at)
    except InputError as exc:
        return _split_page(request, state, s, item, directive, str(exc), 400)
    await record(state, s, "item.split", f"item {item_id}", f"→ {first.id}, {second.id}", directive)
    said = _(
        "Item {id} split in two: item {second} begins with “{title}”",
        id=first.id,
        second=second.id,
        title=second.title,
    )
    return back_with_notice(state, _where(item.directive_id), [str(said)], f"item-{second.id}")
