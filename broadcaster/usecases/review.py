"""What the console's guidance pages show: a document's items and how far each list got.

The repairs themselves are in :mod:`broadcaster.usecases.item_repair`; this module only reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from broadcaster.db import Database
from broadcaster.domain.accounts import User
from broadcaster.domain.items import ApprovalState, Directive, Item, ItemKind

from .item_repair import check_directive


@dataclass(frozen=True)
class ItemCounts:
    """A document's items as an office reads a list of documents."""

    propaganda: int = 0
    administrative: int = 0
    approved: int = 0
    #: propaganda drafts with a script: what waits for an approver
    waiting: int = 0


def _count(items: Iterable[Item]) -> ItemCounts:
    propaganda = administrative = approved = waiting = 0
    for item in items:
        if item.kind is not ItemKind.PROPAGANDA:
            administrative += 1
            continue
        propaganda += 1
        if item.approval.state is ApprovalState.APPROVED:
            approved += 1
        elif item.approval.state is ApprovalState.DRAFT and item.script.strip():
            waiting += 1
    return ItemCounts(propaganda, administrative, approved, waiting)


def item_counts(db: Database, directive_ids: Iterable[int]) -> dict[int, ItemCounts]:
    """Each directive's items counted (retired items left out), by directive id."""
    wanted = set(directive_ids)
    by_directive: dict[int, list[Item]] = {n: [] for n in wanted}
    with db.unit_of_work() as uow:
        for item in uow.items.list():
            if item.directive_id in wanted:
                by_directive[item.directive_id].append(item)
    return {n: _count(items) for n, items in by_directive.items()}


def review_of(db: Database, user: User, directive_id: int) -> tuple[Directive, list[Item]]:
    """A directive the person may work on (its text included) and its items in document
    order, retired ones left out; another office's directive is not found."""
    directive = check_directive(db, user, directive_id)
    with db.unit_of_work() as uow:
        items = uow.items.list(directive_id=directive_id)
    return directive, items
