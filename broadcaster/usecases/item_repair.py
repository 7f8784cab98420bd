"""Repairing what the importer read: add, delete, merge, split and re-kind items, edit their
content, and an approver's "send back".

The importer reads most topics right and some wrong; the office puts that right before a
leader approves. Every change here is all or none, and a change to what is aired (the script)
withdraws an approval, as editing a script does. Deleting an item that was approved or has
aired retires it instead: it leaves every list and plan but stays for the record (reports of
past weeks still name it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.accounts import User, sees_content_of
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import (
    Approval,
    ApprovalState,
    Directive,
    DocumentRef,
    Item,
    ItemKind,
    Observance,
)
from broadcaster.domain.messages import _, _n
from broadcaster.domain.stations import StationTree
from broadcaster.ingest.refs import find_refs

from .items import KEEP, Keep, parse_title, retired_message

MAX_TEXT = 100_000
MAX_NOTE = 2_000
MAX_LINES = 50


# --- reading what an office types ------------------------------------------------------------


def _lines(text: str, what: str) -> list[str]:
    lines = [" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_LINES:
        raise InputError(
            _("{what}: {n} lines; keep it to {limit}", what=what, n=len(lines), limit=MAX_LINES)
        )
    return lines


def parse_basis(text: str) -> tuple[DocumentRef, ...]:
    """One cited document a line, as offices write them: ``Công văn số 2390/UBND-KGVX ngày
    05/5/2021 của UBND tỉnh``. A line without a document number is refused with its line."""
    out: list[DocumentRef] = []
    for no, line in enumerate(_lines(text, str(_("basis"))), start=1):
        found = find_refs(line)
        if not found:
            raise InputError(
                _(
                    "basis, line {no}: no document number in {line!r}; write one document a "
                    "line, e.g. 'Công văn số 123/UBND-VHXH ngày 05/5/2025 của UBND xã'",
                    no=no,
                    line=line[:80],
                )
            )
        out.append(found[0])
    return tuple(out)


def parse_slogans(text: str) -> tuple[str, ...]:
    """One slogan a line, as it is to be read out."""
    return tuple(dict.fromkeys(_lines(text, str(_("slogans")))))


_DAY_AT_END = re.compile(
    r"(?:[-–—:,(]\s*)?(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\)?$"
)


def parse_observances(text: str) -> tuple[Observance, ...]:
    """One day a line, its name then its date: ``Ngày Quốc khánh - 02/9`` (every year) or
    ``Ngày bầu cử - 15/3/2026`` (that year only)."""
    out: list[Observance] = []
    for no, line in enumerate(_lines(text, str(_("observances"))), start=1):
        m = _DAY_AT_END.search(line)
        name = line[: m.start()].strip(" -–—:,") if m else ""
        if m is None or not name:
            raise InputError(
                _(
                    "observances, line {no}: {line!r} needs a name and a date; write e.g. "
                    "'Ngày Quốc khánh - 02/9' (every year) or 'Ngày bầu cử - 15/3/2026'",
                    no=no,
                    line=line[:80],
                )
            )
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        try:
            date(year or 2024, month, day)  # 2024: a leap year, so 29/2 is a day
        except ValueError:
            raise InputError(
                _(
                    "observances, line {no}: {day}/{month} is not a day of the year",
                    no=no,
                    day=day,
                    month=month,
                )
            ) from None
        out.append(Observance(name, month, day, year))
    return tuple(out)


def parse_text(text: str) -> str:
    value = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if len(value) > MAX_TEXT:
        raise InputError(
            _(
                "the text has {n} characters; keep it under {limit}",
                n=len(value),
                limit=MAX_TEXT,
            )
        )
    return value


@dataclass(frozen=True)
class ContentEdit:
    """What an item says besides its script; :data:`KEEP` leaves a part as it is."""

    title: str | Keep = KEEP
    text: str | Keep = KEEP
    basis: tuple[DocumentRef, ...] | Keep = KEEP
    slogans: tuple[str, ...] | Keep = KEEP
    observances: tuple[Observance, ...] | Keep = KEEP

    @staticmethod
    def typed(
        *,
        title: str | None = None,
        text: str | None = None,
        basis: str | None = None,
        slogans: str | None = None,
        observances: str | None = None,
    ) -> ContentEdit:
        """An edit from the texts a form or the command line gives (``None``: not given)."""
        return ContentEdit(
            title=KEEP if title is None else parse_title(title),
            text=KEEP if text is None else parse_text(text),
            basis=KEEP if basis is None else parse_basis(basis),
            slogans=KEEP if slogans is None else parse_slogans(slogans),
            observances=KEEP if observances is None else parse_observances(observances),
        )


# --- the changes -------------------------------------------------------------------------------


def _editable(item: Item) -> None:
    if item.retired:
        raise InputError(retired_message(item))


def _all_editable(items: list[Item]) -> list[Item]:
    """The items, or an error naming the first that is retired (kept for the record only)."""
    for item in items:
        _editable(item)
    return items


def _passage_checked(directive: Directive, passage: tuple[int, int] | None) -> None:
    if passage is None:
        return
    start, end = passage
    size = len(directive.text or "")
    if not 0 <= start < end <= size:
        raise InputError(
            _(
                "the passage {start}–{end} is not inside the document's text ({size} "
                "characters); select it again",
                start=start,
                end=end,
                size=size,
            )
        )


def add_item(
    db: Database,
    directive_id: int,
    title: str,
    *,
    kind: ItemKind = ItemKind.PROPAGANDA,
    text: str = "",
    passage: tuple[int, int] | None = None,
    number: str = "",
) -> Item:
    """A new draft item in a directive: from a passage of its text (placed among the items
    where the passage stands) or typed in (placed last)."""
    title = parse_title(title)
    body = parse_text(text)
    with db.unit_of_work() as uow:
        directive = uow.directives.get(directive_id)
        _passage_checked(directive, passage)
        if passage is not None and not body and directive.text:
            body = directive.text[passage[0] : passage[1]].strip()
        items = uow.items.list(directive_id=directive_id, include_retired=True)
        position = max((i.position for i in items), default=-1) + 1
        if passage is not None:
            after = [
                i for i in items if i.passage_start is not None and i.passage_start > passage[0]
            ]
            if after:
                position = min(i.position for i in after)
                uow.items.make_room(directive_id, position)
        return uow.items.add(
            Item(
                title,
                number=number.strip()[:50],
                kind=kind,
                text=body,
                directive_id=directive_id,
                position=position,
                passage_start=passage[0] if passage else None,
                passage_end=passage[1] if passage else None,
            )
        )


@dataclass(frozen=True)
class Removed:
    deleted: tuple[Item, ...]
    #: approved or aired: kept for the record, off every list and plan
    retired: tuple[Item, ...]


def _remove(uow: UnitOfWork, items: Sequence[Item], at: datetime) -> Removed:
    aired = uow.airings.aired_items(i.id for i in items if i.id is not None)
    deleted: list[Item] = []
    retired: list[Item] = []
    for item in items:
        assert item.id is not None
        if item.approval.approved or item.id in aired:
            retired.append(uow.items.save(replace(item, retired_at=at)))
        else:
            uow.items.delete(item.id)
            deleted.append(item)
    return Removed(tuple(deleted), tuple(retired))


def _get_all(uow: UnitOfWork, ids: Sequence[int]) -> list[Item]:
    wanted = list(dict.fromkeys(ids))
    found = {i.id: i for i in uow.items.list(ids=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise NotFoundError(
            _n(
                "no item {ids}; see 'broadcaster items list'",
                "no items {ids}; see 'broadcaster items list'",
                len(missing),
                ids=", ".join(map(str, missing)),
            )
        )
    return [found[n] for n in wanted]


def delete_items(db: Database, item_ids: Sequence[int], at: datetime) -> Removed:
    """Delete items, all or none: drafts go for good; an approved or aired item is retired."""
    if not item_ids:
        raise InputError(_("no items to delete; give item ids"))
    with db.unit_of_work() as uow:
        items = _all_editable(_get_all(uow, item_ids))
        return _remove(uow, items, at)


def merge_items(db: Database, item_ids: Sequence[int], at: datetime) -> tuple[Item, Removed]:
    """Several items of one directive become the first of them (in document order): their
    texts, scripts, basis, slogans and days joined, a draft again when any was approved."""
    ids = list(dict.fromkeys(item_ids))
    if len(ids) < 2:
        raise InputError(_("merging needs two items or more; give their ids"))
    with db.unit_of_work() as uow:
        items = _all_editable(sorted(_get_all(uow, ids), key=lambda i: (i.position, i.id or 0)))
        directives = {i.directive_id for i in items}
        if len(directives) > 1:
            raise InputError(
                _(
                    "items {ids} come from different documents; only items of one document "
                    "are merged",
                    ids=", ".join(map(str, ids)),
                )
            )
        first, rest = items[0], items[1:]
        spans = [i.passage for i in items]
        known = [s for s in spans if s is not None]
        merged = replace(
            first,
            text="\n".join(t for t in (i.text.strip() for i in items) if t),
            script="\n\n".join(s for s in (i.script.strip() for i in items) if s),
            basis=tuple(dict.fromkeys(b for i in items for b in i.basis)),
            slogans=tuple(dict.fromkeys(s for i in items for s in i.slogans)),
            observances=tuple(dict.fromkeys(o for i in items for o in i.observances)),
            passage_start=min(s[0] for s in known) if known else None,
            passage_end=max(s[1] for s in known) if known else None,
            approval=Approval(),
        )
        removed = _remove(uow, rest, at)
        return uow.items.save(merged), removed


def split_item(db: Database, item_id: int, at_char: int) -> tuple[Item, Item]:
    """One item becomes two at a point of its text: the second part a new draft titled by its
    first line, right after the first (which keeps its script and approval)."""
    with db.unit_of_work() as uow:
        item = uow.items.get(item_id)
        _editable(item)
        text = item.text
        if not 0 < at_char < len(text) or not text[:at_char].strip() or not text[at_char:].strip():
            raise InputError(
                _(
                    "item {id}: split at a point inside its text, with words on both sides "
                    "(its text has {n} characters)",
                    id=item_id,
                    n=len(text),
                )
            )
        head, tail = text[:at_char].strip(), text[at_char:].strip()
        title = parse_title(tail.splitlines()[0][:200])
        span = item.passage
        first_span: tuple[int | None, int | None] = (item.passage_start, item.passage_end)
        second_span: tuple[int | None, int | None] = (None, None)
        if span is not None and item.directive_id is not None:
            source = uow.directives.get(item.directive_id).text or ""
            cut = source.find(tail[:40], span[0], span[1])
            if cut > span[0]:
                first_span, second_span = (span[0], cut), (cut, span[1])
        uow.items.make_room(item.directive_id, item.position + 1)
        first = uow.items.save(
            replace(item, text=head, passage_start=first_span[0], passage_end=first_span[1])
        )
        second = uow.items.add(
            replace(
                item,
                id=None,
                title=title,
                number="",
                text=tail,
                script="",
                estimated_duration=None,
                duration=None,
                approval=Approval(),
                position=item.position + 1,
                passage_start=second_span[0],
                passage_end=second_span[1],
            )
        )
        return first, second


def set_kind(db: Database, item_ids: Sequence[int], kind: ItemKind) -> list[tuple[Item, bool]]:
    """Make items propaganda (aired) or administrative (kept for the record), all or none;
    each with whether its approval was withdrawn (an administrative item is not approved)."""
    if not item_ids:
        raise InputError(_("no items to change; give item ids"))
    with db.unit_of_work() as uow:
        items = _all_editable(_get_all(uow, item_ids))
        out: list[tuple[Item, bool]] = []
        for item in items:
            if item.kind is kind:
                out.append((item, False))
                continue
            withdrawn = item.approval.approved
            out.append(
                (
                    uow.items.save(
                        replace(
                            item, kind=kind, approval=Approval() if withdrawn else item.approval
                        )
                    ),
                    withdrawn,
                )
            )
        return out


def edit_content(db: Database, item_id: int, edit: ContentEdit) -> Item:
    """Change an item's title, text, basis, slogans or days. What is aired is the script, so
    its approval stays."""
    changes = {k: v for k, v in edit.__dict__.items() if v is not KEEP}
    if not changes:
        raise InputError(_("item {id}: nothing to change", id=item_id))
    with db.unit_of_work() as uow:
        item = uow.items.get(item_id)
        _editable(item)
        return uow.items.save(replace(item, **changes))


def send_back(db: Database, item_id: int, by: str, at: datetime, note: str) -> Item:
    """An approver returns an item to the office with a comment (what to put right)."""
    note = " ".join(unicodedata.normalize("NFC", note).split())
    if not note:
        raise InputError(_("say what to put right: the comment is empty"))
    if len(note) > MAX_NOTE:
        raise InputError(
            _("the comment has {n} characters; keep it under {limit}", n=len(note), limit=MAX_NOTE)
        )
    with db.unit_of_work() as uow:
        item = uow.items.get(item_id)
        _editable(item)
        if item.kind is not ItemKind.PROPAGANDA:
            raise InputError(
                _("item {id} is administrative and is not aired; nothing to approve", id=item_id)
            )
        return uow.items.save(item.returned_by(by, at, note))


# --- what waits for whom ------------------------------------------------------------------------


def directives_for(db: Database, user: User) -> list[Directive]:
    """The guidance documents a person works on (without their text), newest first."""
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        found = uow.directives.summaries()
    out = []
    for d in found:
        path = _office_path(tree, d.office_code)
        if sees_content_of(user, path):
            out.append(d)
    return sorted(out, key=lambda d: d.id or 0, reverse=True)


def _office_path(tree: StationTree, code: str | None) -> list[str] | None:
    if code is None:
        return None
    if code not in tree:
        return [code]
    return [code, *(a.code for a in reversed(tree.ancestors(code)))]


def check_directive(db: Database, user: User, directive_id: int) -> Directive:
    """A directive the person may work on (its text included); another office's is not found."""
    with db.unit_of_work() as uow:
        directive = uow.directives.get(directive_id)
        tree = uow.stations.outline()
    if not sees_content_of(user, _office_path(tree, directive.office_code)):
        raise NotFoundError(
            _("no directive {id}; see 'broadcaster directive list'", id=directive_id)
        )
    return directive


def check_item(db: Database, user: User, item_id: int) -> tuple[Item, Directive | None]:
    """An item the person may work on, with its directive."""
    with db.unit_of_work() as uow:
        item = uow.items.get(item_id)
    if item.directive_id is None:
        return item, None
    try:
        return item, check_directive(db, user, item.directive_id)
    except NotFoundError:
        raise NotFoundError(_("no item {id}; see 'broadcaster items list'", id=item_id)) from None


@dataclass(frozen=True)
class Waiting:
    item: Item
    directive: Directive


def approval_queue(db: Database, user: User) -> list[Waiting]:
    """Propaganda items with a script that wait for an approver, in the person's reach, by
    document (newest first) and in document order."""
    reachable = {d.id: d for d in directives_for(db, user)}
    with db.unit_of_work() as uow:
        drafts = uow.items.list(kind=ItemKind.PROPAGANDA, state=ApprovalState.DRAFT)
    waiting = [
        Waiting(i, reachable[i.directive_id])
        for i in drafts
        if i.script.strip() and i.directive_id in reachable
    ]
    return sorted(waiting, key=lambda w: (-(w.item.directive_id or 0), w.item.position))
