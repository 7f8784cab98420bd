"""Editing one item: what it says (title, text, basis, slogans, observances) and, for a
propaganda item, when and where it airs (priority, target, window, dayparts, stations).

Only the fields the person changed are applied. Every field is read before anything is
saved: a field that cannot be read shows the form again with the error beside it and the
person's input kept, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Daypart, DocumentRef, Item, ItemKind, Observance
from broadcaster.domain.messages import _
from broadcaster.usecases.item_repair import ContentEdit, edit_content
from broadcaster.usecases.items import parse_planning_edit, set_items_planning

from ..respond import back_with_notice, render
from ..session import Session, Web, WebRoute, WebState
from .intake_support import Changer, Editor, own_item, record

router = APIRouter(route_class=WebRoute, include_in_schema=False)

CONTENT_FIELDS = ("title", "text", "basis", "slogans", "observances")
PLANNING_FIELDS = ("priority", "target", "valid_from", "valid_until", "dayparts", "stations")
DAYPARTS = (Daypart.MORNING, Daypart.NOON, Daypart.EVENING)
RETIRED = _(
    "this item was retired (deleted after it was approved or aired); it is kept for the "
    "record and cannot be changed"
)


def basis_line(ref: DocumentRef) -> str:
    """A cited document as offices write it (Vietnamese: it is the documents' own wording)."""
    line = ref.type or "Văn bản"
    if ref.number:
        line += f" số {ref.number}"
    if ref.date:
        line += f" ngày {ref.date:%d/%m/%Y}"
    if ref.issuer:
        line += f" của {ref.issuer}"
    return line


def observance_line(day: Observance) -> str:
    if not (day.day and day.month):
        return day.name
    when = f"{day.day:02d}/{day.month:02d}" + (f"/{day.year}" if day.year else "")
    return f"{day.name} - {when}"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def current_values(item: Item) -> dict[str, str]:
    """The form's fields as the item stands (dayparts: the chosen ones, comma-separated)."""
    return {
        "title": item.title,
        "text": item.text,
        "basis": "\n".join(basis_line(b) for b in item.basis),
        "slogans": "\n".join(item.slogans),
        "observances": "\n".join(observance_line(o) for o in item.observances),
        "priority": item.priority.value,
        "target": "" if item.target_per_week is None else str(item.target_per_week),
        "valid_from": _iso(item.valid_from),
        "valid_until": _iso(item.valid_until),
        "dayparts": ",".join(p.value for p in DAYPARTS if p in item.dayparts),
        "stations": ", ".join(sorted(item.stations)),
    }


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        lines = text.replace("\r\n", "\n").strip().split("\n")
        return "\n".join(line.rstrip() for line in lines)

    return norm(a) == norm(b)


#: how each field's typed text becomes an edit (an empty planning field: its default)
def _content_reader(name: str) -> Callable[[str], ContentEdit]:
    return lambda value: ContentEdit.typed(**{name: value})


_CONTENT = {name: _content_reader(name) for name in CONTENT_FIELDS}
_PLANNING_EMPTY = {
    "target": "default",
    "valid_from": "none",
    "valid_until": "none",
    "dayparts": "any",
    "stations": "all",
}


@dataclass
class Reading:
    """A submitted form read field by field."""

    values: dict[str, str]
    content: dict[str, str] = field(default_factory=dict)
    planning: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    new_from: date | None = None
    new_until: date | None = None


def read_form(item: Item, values: dict[str, str]) -> Reading:
    """The changed fields, each parsed on its own so an error names its field."""
    before = current_values(item)
    reading = Reading(values)
    for name in CONTENT_FIELDS:
        if _same(values[name], before[name]):
            continue
        try:
            _CONTENT[name](values[name])
        except InputError as exc:
            reading.errors[name] = str(exc)
        reading.content[name] = values[name]
    if item.kind is ItemKind.PROPAGANDA:
        _read_planning(item, values, before, reading)
    return reading


def _read_planning(
    item: Item, values: dict[str, str], before: dict[str, str], reading: Reading
) -> None:
    window = {"valid_from": item.valid_from, "valid_until": item.valid_until}
    for name in PLANNING_FIELDS:
        if _same(values[name], before[name]):
            continue
        typed = values[name].strip() or _PLANNING_EMPTY.get(name, "")
        try:
            edit = parse_planning_edit(**{name: typed})
        except InputError as exc:
            reading.errors[name] = str(exc)
            continue
        reading.planning[name] = typed
        if name in window:
            window[name] = getattr(edit, name)
    start, end = window["valid_from"], window["valid_until"]
    if (
        start is not None
        and end is not None
        and end < start
        and "valid_until" not in reading.errors
    ):
        reading.errors["valid_until"] = str(
            _(
                "the window ends ({end}) before it starts ({start}); the last day must be on "
                "or after the first",
                end=end.strftime("%d/%m/%Y"),
                start=start.strftime("%d/%m/%Y"),
            )
        )


def _form_values(form: Any) -> dict[str, str]:
    values = {name: str(form.get(name) or "") for name in (*CONTENT_FIELDS, *PLANNING_FIELDS)}
    chosen = {str(v) for v in form.getlist("dayparts")}
    values["dayparts"] = ",".join(p.value for p in DAYPARTS if p.value in chosen)
    return values


def _edit_page(
    request: Request,
    state: WebState,
    s: Session,
    item: Item,
    directive: Any,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "item": item,
        "d": directive,
        "v": values,
        "errors": errors or {},
        "dayparts": DAYPARTS,
        "planning": item.kind is ItemKind.PROPAGANDA,
        "retired": str(RETIRED) if item.retired else "",
    }
    return render(state, request, s, "item_edit.html.j2", context, status)


@router.get("/items/{item_id}/edit")
async def edit_form(request: Request, state: Web, s: Changer, item_id: int) -> Response:
    item, directive = await run_in_threadpool(own_item, state.db, s.user, item_id)
    return _edit_page(request, state, s, item, directive, current_values(item))


@router.post("/items/{item_id}/edit")
async def edit(request: Request, state: Web, s: Editor, item_id: int) -> Response:
    item, directive = await run_in_threadpool(own_item, state.db, s.user, item_id)
    if item.retired:
        raise InputError(RETIRED)
    values = _form_values(await request.form())
    reading = read_form(item, values)
    if reading.errors:
        return _edit_page(request, state, s, item, directive, values, reading.errors, 400)
    if reading.planning:
        try:
            edit = parse_planning_edit(**reading.planning)
            await run_in_threadpool(set_items_planning, state.db, [item_id], edit)
        except InputError as exc:  # what needs the station tree: an unknown station
            where = "stations" if "stations" in reading.planning else "general"
            errors = {where: str(exc)}
            return _edit_page(request, state, s, item, directive, values, errors, 400)
    if reading.content:
        content = ContentEdit.typed(**reading.content)
        await run_in_threadpool(edit_content, state.db, item_id, content)
    changed = [*reading.content, *reading.planning]
    if changed:
        await record(state, s, "item.edit", f"item {item_id}", ", ".join(changed), directive)
        said = _("Item {id} saved ({fields} changed)", id=item_id, fields=_field_names(changed))
    else:
        said = _("Item {id}: nothing was changed", id=item_id)
    target = f"/directives/{item.directive_id}" if item.directive_id else "/directives"
    return back_with_notice(state, target, [str(said)], f"item-{item_id}")


def _field_names(names: list[str]) -> str:
    labels = {
        "title": _("title"),
        "text": _("text"),
        "basis": _("basis"),
        "slogans": _("slogans"),
        "observances": _("observances"),
        "priority": _("priority"),
        "target": _("airings a week"),
        "valid_from": _("first day"),
        "valid_until": _("last day"),
        "dayparts": _("times of day"),
        "stations": _("stations"),
    }
    return ", ".join(str(labels[n]) for n in names)
