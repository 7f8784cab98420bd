"""``broadcaster items add|delete|merge|split|send-back``: put right what the importer read."""

from __future__ import annotations

import click

from broadcaster.domain.items import Item, ItemKind
from broadcaster.domain.messages import _
from broadcaster.usecases.item_repair import (
    add_item,
    delete_items,
    merge_items,
    send_back,
    split_item,
)

from . import App, pass_app
from .directive import say

KINDS = click.Choice(["propaganda", "administrative"])


def _line(item: Item) -> str:
    return f"{item.id}. [{item.number}] {item.title}" if item.number else f"{item.id}. {item.title}"


@click.command("add")
@click.argument("directive_id", type=int)
@click.option("--title", required=True, help="The item's title (what playlists show).")
@click.option(
    "--kind",
    type=KINDS,
    default="propaganda",
    show_default=True,
    metavar="KIND",
    help="propaganda (aired) or administrative (kept for the record).",
)
@click.option("--text", "text", default="", help="What the document says about it.")
@click.option("--number", default="", help="Its number in the document, e.g. II.3.")
@pass_app
def add(app: App, directive_id: int, title: str, kind: str, text: str, number: str) -> None:
    """Add a topic the importer missed to an imported document, as a draft.

    Write its script with 'broadcaster items edit ID', then approve it.
    """
    item = add_item(
        app.database, directive_id, title, kind=ItemKind(kind), text=text, number=number
    )
    say(
        app,
        _("item {id} added to directive {directive}, a draft", id=item.id, directive=directive_id),
    )
    say(app, f"  {_line(item)}")


@click.command("delete")
@click.argument("item_ids", type=int, nargs=-1, required=True, metavar="ITEM_ID...")
@pass_app
def delete(app: App, item_ids: tuple[int, ...]) -> None:
    """Delete items the importer invented, all or none.

    A draft goes for good. An item that was approved or has aired is retired instead: it leaves
    the lists and every plan made from now on, and past reports still name it.
    """
    removed = delete_items(app.database, item_ids, app.clock.now())
    for item in removed.deleted:
        say(app, _("item {id} deleted: {title}", id=item.id, title=item.title))
    for item in removed.retired:
        say(
            app,
            _(
                "item {id} retired (it was approved or has aired; kept for the record): {title}",
                id=item.id,
                title=item.title,
            ),
        )


@click.command("merge")
@click.argument("item_ids", type=int, nargs=-1, required=True, metavar="ITEM_ID...")
@pass_app
def merge(app: App, item_ids: tuple[int, ...]) -> None:
    """Merge items of one document that are one topic (a), b), c) read as three).

    The first in the document keeps its title; texts, scripts, basis, slogans and days are
    joined. The result is a draft: approve it again.
    """
    kept, removed = merge_items(app.database, item_ids, app.clock.now())
    gone = [i.id for i in (*removed.deleted, *removed.retired)]
    say(
        app,
        _(
            "items {gone} merged into item {id}, a draft",
            gone=", ".join(map(str, gone)),
            id=kept.id,
        ),
    )
    say(app, f"  {_line(kept)}")


@click.command("split")
@click.argument("item_id", type=int)
@click.option(
    "--at-line",
    type=click.IntRange(min=2),
    required=True,
    help="The line of the item's text (as 'broadcaster items show' prints it) where the "
    "second item starts; that line becomes its title.",
)
@pass_app
def split(app: App, item_id: int, at_line: int) -> None:
    """Split an item that holds two topics into two at a line of its text.

    The first keeps its script and approval; the second is a new draft right after it.
    """
    with app.database.unit_of_work() as uow:
        text = uow.items.get(item_id).text
    lines = text.splitlines(keepends=True)
    if at_line > len(lines):
        raise click.BadParameter(
            str(_("the item's text has {n} lines", n=len(lines))), param_hint="--at-line"
        )
    first, second = split_item(app.database, item_id, sum(len(x) for x in lines[: at_line - 1]))
    say(app, _("item {id} split in two:", id=item_id))
    say(app, f"  {_line(first)}")
    say(app, f"  {_line(second)}")


@click.command("send-back")
@click.argument("item_id", type=int)
@click.option("--comment", required=True, help="What the office should put right.")
@click.option("--by", "by", required=True, help="Who sends it back.")
@pass_app
def send_back_(app: App, item_id: int, comment: str, by: str) -> None:
    """Send an item back to the office with a comment instead of approving it."""
    item = send_back(app.database, item_id, by, app.clock.now(), comment)
    say(app, _("item {id} sent back by {by}: {note}", id=item.id, by=by, note=item.approval.note))


COMMANDS = (add, delete, merge, split, send_back_)
