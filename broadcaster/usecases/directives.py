"""Import guidance documents and review their items: parse, store as drafts, edit, approve."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from broadcaster.db import Database, UnitOfWork
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import Approval, ApprovalState, Directive, Item, ItemKind
from broadcaster.domain.messages import Msg, _, _n
from broadcaster.domain.passages import fingerprint, locate
from broadcaster.domain.script_check import ScriptProblem, check_script
from broadcaster.ingest import ExtractedText, ParsedDocument
from broadcaster.ingest.scripts import DEFAULT_READING_RATE, estimate_seconds

from .items import item_values, retired_message


@dataclass(frozen=True)
class ImportResult:
    directives: tuple[Directive, ...]
    items: tuple[Item, ...]
    #: this file, or the same document in another format or encoding, was imported before:
    #: ``directives`` and ``items`` are those stored then
    already_imported: bool
    #: other documents stored before with the same number (a revision, or a different copy)
    same_number: tuple[Directive, ...] = ()
    #: what the script check finds in the drafts stored now: only the scripts with problems
    problems: tuple[ScriptReview, ...] = ()


@dataclass(frozen=True)
class ScriptReview:
    """An item and what the script check finds in its script (nothing: fit to air)."""

    item: Item
    problems: tuple[ScriptProblem, ...]

    @property
    def fit(self) -> bool:
        return not self.problems


def review_scripts(items: Sequence[Item]) -> list[ScriptReview]:
    """The script check of each propaganda item (administrative items are not aired, so
    their text is never a script)."""
    return [
        ScriptReview(i, tuple(check_script(i.script)))
        for i in items
        if i.kind is ItemKind.PROPAGANDA
    ]


def check_items(
    db: Database, item_ids: Sequence[int] = (), directive_id: int | None = None
) -> list[ScriptReview]:
    """The script check of the items asked for, or of every propaganda item (of one
    directive with ``directive_id``). An unknown id or an administrative one asked for by id is
    an error naming it: there is nothing of it to air."""
    with db.unit_of_work() as uow:
        if directive_id is not None:
            uow.directives.get(directive_id)  # a clear error for an unknown directive
        if not item_ids:
            items = uow.items.list(directive_id=directive_id, kind=ItemKind.PROPAGANDA)
            return review_scripts(items)
        found = {i.id: i for i in uow.items.list(ids=item_ids)}
    wanted = list(dict.fromkeys(item_ids))
    problems: list[Msg] = [
        _("no item {id}; see 'broadcaster items list'", id=n) for n in wanted if n not in found
    ]
    problems += [
        _(
            "item {id} ({number} {title}) is administrative and is not aired; it has no "
            "script to check",
            **item_values(found[n]),
        )
        for n in wanted
        if n in found and found[n].kind is not ItemKind.PROPAGANDA
    ]
    _refuse(
        problems,
        len(wanted),
        unknown=wanted[0] not in found,
        summary=lambda n, listed: _n(
            "{n} of {total} items cannot be checked:\n{problems}",
            "{n} of {total} items cannot be checked:\n{problems}",
            n,
            total=len(wanted),
            problems=listed,
        ),
    )
    return review_scripts([found[n] for n in wanted])


def _refuse(
    problems: Sequence[Msg], asked: int, *, unknown: bool, summary: Callable[[int, str], Msg]
) -> None:
    """Raise for the problems found in the items asked for: the problem itself when one item
    was asked for (NotFoundError when it is ``unknown``), else ``summary`` of how many there
    are and the list of them."""
    if len(problems) == 1 and asked == 1:
        raise (NotFoundError if unknown else InputError)(problems[0])
    if problems:
        # the list is text in the reader's language: it is shown as soon as it is raised
        listed = "\n".join(f"  - {p}" for p in problems)
        raise InputError(summary(len(problems), listed))


def default_office(db: Database) -> str | None:
    """The office guidance belongs to when none is named: the top of the station tree (None
    with no stations, or several tops)."""
    with db.unit_of_work() as uow:
        roots = uow.stations.outline().roots()
    return roots[0].code if len(roots) == 1 else None


def import_documents(
    db: Database,
    extracted: ExtractedText,
    documents: list[ParsedDocument],
    now: datetime,
    office: str | None = None,
) -> ImportResult:
    """Store a file's documents and items as drafts, in one transaction.

    The same file (by SHA-256) imported again changes nothing and returns what is stored.
    """
    (result,) = import_files(db, [(extracted, documents)], now, office)
    return result


def import_files(
    db: Database,
    files: Sequence[tuple[ExtractedText, Sequence[ParsedDocument]]],
    now: datetime,
    office: str | None = None,
) -> list[ImportResult]:
    """Store several files' documents and items as drafts for ``office`` (whose people work
    on them), all in one transaction; each document keeps its text, each item its passage.

    A file already stored, the same document in another format or encoding (the same words),
    or a file given twice, changes nothing the second time.
    """
    results: list[ImportResult] = []
    with db.unit_of_work() as uow:
        if office is not None:
            office = uow.stations.outline().get(office).code  # a clear error when unknown
        for extracted, documents in files:
            content = fingerprint(extracted.text)
            existing = uow.directives.find_by_sha256(
                extracted.sha256
            ) or uow.directives.find_by_content(content)
            if existing:
                items = [i for d in existing for i in uow.items.list(directive_id=d.id)]
                results.append(ImportResult(tuple(existing), tuple(items), True))
                continue
            results.append(_store_file(uow, extracted, documents, now, office, content))
    return results


def _store_file(
    uow: UnitOfWork,
    extracted: ExtractedText,
    documents: Sequence[ParsedDocument],
    now: datetime,
    office: str | None,
    content: str,
) -> ImportResult:
    stored_directives: list[Directive] = []
    stored_items: list[Item] = []
    same: dict[int, Directive] = {}
    for doc in documents:
        number = (doc.directive.number or "").strip()
        if number:
            same.update((d.id, d) for d in uow.directives.find_by_number(number) if d.id)
        directive = uow.directives.add(
            replace(
                doc.directive,
                source_name=doc.directive.source_name or extracted.name,
                source_sha256=extracted.sha256,
                imported_at=now,
                text=extracted.text,
                office_code=office,
                content_sha256=content,
            )
        )
        stored_directives.append(directive)
        spans = locate(extracted.text, [i.title for i in doc.items], [i.text for i in doc.items])
        for item, span in zip(doc.items, spans, strict=True):
            stored_items.append(
                uow.items.add(
                    replace(
                        item,
                        directive_id=directive.id,
                        approval=Approval(),
                        passage_start=span[0] if span else None,
                        passage_end=span[1] if span else None,
                    )
                )
            )
    reviews = tuple(r for r in review_scripts(stored_items) if not r.fit)
    return ImportResult(
        tuple(stored_directives), tuple(stored_items), False, tuple(same.values()), reviews
    )


def edit_script(
    db: Database, item_id: int, script: str, reading_rate: int = DEFAULT_READING_RATE
) -> tuple[Item, bool]:
    """Replace an item's script. An approved item goes back to draft: what was approved is not
    what will be aired any more. Returns the item and whether its approval was withdrawn."""
    script = script.strip()
    if not script:
        raise InputError(_("item {id}: the new script is empty; nothing was changed", id=item_id))
    with db.unit_of_work() as uow:
        item = uow.items.get(item_id)
        if item.retired:
            raise InputError(retired_message(item))
        # what was approved (or sent back) is not what will be aired any more
        withdrawn = item.approval.state is not ApprovalState.DRAFT and script != item.script
        seconds = estimate_seconds(script, reading_rate)
        updated = replace(
            item,
            script=script,
            estimated_duration=timedelta(seconds=seconds),
            approval=Approval() if withdrawn else item.approval,
        )
        return uow.items.save(updated), withdrawn


def approve_item(db: Database, item_id: int, by: str, at: datetime) -> Item:
    """Record who approved an item's script for airing, and when."""
    ((item, _before),) = approve_items(db, [item_id], by, at)
    return item


def _cannot_approve(item: Item) -> Msg | None:
    if item.retired:
        return retired_message(item)
    if item.kind is not ItemKind.PROPAGANDA:
        return _(
            "item {id} ({number} {title}) is administrative and is not aired; only propaganda "
            "items are approved",
            **item_values(item),
        )
    if not item.script.strip():
        return _(
            "item {id} has no script; write one with 'broadcaster items edit {id}'", id=item.id
        )
    return None


def approve_items(
    db: Database, item_ids: Sequence[int], by: str, at: datetime
) -> list[tuple[Item, Approval]]:
    """Approve items' scripts for airing, all or none: each item with its approval before.

    An unknown id, an administrative item or an empty script stops the whole approval, and the
    error lists every such item.
    """
    by = by.strip()
    if not by:
        raise InputError(_("approver name is empty; pass --by NAME"))
    if not item_ids:
        raise InputError(_("no items to approve; give item ids or --directive ID"))
    with db.unit_of_work() as uow:
        found = {i.id: i for i in uow.items.list(ids=item_ids)}
        unknown = [
            _("no item {id}; see 'broadcaster items list'", id=n)
            for n in item_ids
            if n not in found
        ]
        problems = unknown + [
            p
            for n in dict.fromkeys(item_ids)
            if n in found and (p := _cannot_approve(found[n])) is not None
        ]
        _refuse(
            problems,
            len(item_ids),
            unknown=bool(unknown),
            summary=lambda n, listed: _n(
                "{n} of {total} items cannot be approved, nothing was approved:\n{problems}",
                "{n} of {total} items cannot be approved, nothing was approved:\n{problems}",
                n,
                total=len(item_ids),
                problems=listed,
            ),
        )
        out: list[tuple[Item, Approval]] = []
        for n in dict.fromkeys(item_ids):
            item = found[n]
            if item.approval.state is ApprovalState.APPROVED:
                out.append((item, item.approval))
            else:
                out.append((uow.items.save(item.approved_by(by, at)), item.approval))
        return out


def approvable_items(db: Database, directive_id: int) -> list[int]:
    """A directive's propaganda items that have a script, in order (for approving them all)."""
    with db.unit_of_work() as uow:
        uow.directives.get(directive_id)  # a clear error for an unknown directive
        items = uow.items.list(directive_id=directive_id, kind=ItemKind.PROPAGANDA)
        return [i.id for i in items if i.id is not None and i.script.strip()]
