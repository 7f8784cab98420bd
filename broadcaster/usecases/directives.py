"""Import guidance documents and review their items: parse, store as drafts, edit, approve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from broadcaster.db import Database
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import Approval, ApprovalState, Directive, Item, ItemKind
from broadcaster.domain.messages import Msg, _, _n
from broadcaster.ingest import ExtractedText, ParsedDocument
from broadcaster.ingest.scripts import DEFAULT_READING_RATE, estimate_seconds


@dataclass(frozen=True)
class ImportResult:
    directives: tuple[Directive, ...]
    items: tuple[Item, ...]
    already_imported: bool


def import_documents(
    db: Database, extracted: ExtractedText, documents: list[ParsedDocument], now: datetime
) -> ImportResult:
    """Store a file's documents and items as drafts, in one transaction.

    The same file (by SHA-256) imported again changes nothing and returns what is stored.
    """
    (result,) = import_files(db, [(extracted, documents)], now)
    return result


def import_files(
    db: Database,
    files: Sequence[tuple[ExtractedText, Sequence[ParsedDocument]]],
    now: datetime,
) -> list[ImportResult]:
    """Store several files' documents and items as drafts, all in one transaction.

    A file already stored (by SHA-256), or given twice, changes nothing the second time.
    """
    results: list[ImportResult] = []
    with db.unit_of_work() as uow:
        for extracted, documents in files:
            existing = uow.directives.find_by_sha256(extracted.sha256)
            if existing:
                items = [i for d in existing for i in uow.items.list(directive_id=d.id)]
                results.append(ImportResult(tuple(existing), tuple(items), True))
                continue
            stored_directives: list[Directive] = []
            stored_items: list[Item] = []
            for doc in documents:
                directive = uow.directives.add(
                    replace(
                        doc.directive,
                        source_name=doc.directive.source_name or extracted.name,
                        source_sha256=extracted.sha256,
                        imported_at=now,
                    )
                )
                stored_directives.append(directive)
                for item in doc.items:
                    stored_items.append(
                        uow.items.add(replace(item, directive_id=directive.id, approval=Approval()))
                    )
            results.append(ImportResult(tuple(stored_directives), tuple(stored_items), False))
    return results


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
        withdrawn = item.approval.approved and script != item.script
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
    if item.kind is not ItemKind.PROPAGANDA:
        return _(
            "item {id} ({number} {title}) is administrative and is not aired; only propaganda "
            "items are approved",
            id=item.id,
            number=item.number,
            title=item.title[:60],
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
        if len(problems) == 1 and len(item_ids) == 1:
            raise (NotFoundError if unknown else InputError)(problems[0])
        if problems:
            # the list is text in the reader's language: it is shown as soon as it is raised
            listed = "\n".join(f"  - {p}" for p in problems)
            raise InputError(
                _n(
                    "{n} of {total} items cannot be approved, nothing was approved:\n{problems}",
                    "{n} of {total} items cannot be approved, nothing was approved:\n{problems}",
                    len(problems),
                    total=len(item_ids),
                    problems=listed,
                )
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
