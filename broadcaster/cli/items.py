"""``broadcaster items``: review imported topics, edit their scripts, approve them for airing."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import ApprovalState, Daypart, Item, ItemKind, Priority
from broadcaster.usecases.directives import approvable_items, approve_items, edit_script
from broadcaster.usecases.items import describe_gap, parse_planning_edit, set_items_planning
from broadcaster.usecases.planner_settings import planner_config

from . import App, pass_app
from .directive import ingest_settings, items_table, say


@click.group("items")
def command() -> None:
    """Topics to air (items): list, show, edit scripts, set planning attributes, approve."""


@command.command("list")
@click.option("--directive", "directive_id", type=int, help="Only items of this imported document.")
@click.option(
    "--kind",
    type=click.Choice(["propaganda", "administrative", "all"]),
    default="propaganda",
    show_default=True,
    help="Propaganda items are aired; administrative ones are kept for the record.",
)
@click.option(
    "--state", type=click.Choice(["draft", "approved"]), help="Only drafts or only approved items."
)
@pass_app
def list_(app: App, directive_id: int | None, kind: str, state: str | None) -> None:
    """List items with their number, kind, basis, slogans and approval."""
    with app.database.unit_of_work() as uow:
        items = uow.items.list(
            directive_id=directive_id,
            kind=None if kind == "all" else ItemKind(kind),
            state=ApprovalState(state) if state else None,
        )
    if not items:
        say(app, "no items match; import guidance with 'broadcaster directive import FILE'")
        return
    app.console.print(items_table(items, with_ids=True))
    approved = sum(1 for i in items if i.approval.approved)
    say(app, f"{len(items)} items, {approved} approved, {len(items) - approved} drafts")


@command.command("show")
@click.argument("item_id", type=int)
@pass_app
def show(app: App, item_id: int) -> None:
    """Show one item in full: text, basis, slogans, observances and its script."""
    with app.database.unit_of_work() as uow:
        item = uow.items.get(item_id)
        directive = uow.directives.get(item.directive_id) if item.directive_id else None
    render_item(app, item, directive.number if directive else None)


#: option names as a user types them, by Item field
_OPTION_NAMES = {
    "priority": "priority",
    "target_per_week": "target",
    "valid_from": "from",
    "valid_until": "until",
    "dayparts": "dayparts",
    "min_gap": "min-gap",
    "stations": "stations",
    "title": "title",
}


@command.command("set")
@click.argument("item_ids", type=int, nargs=-1, required=True, metavar="ITEM_ID...")
@click.option("--priority", metavar="normal|priority", help="Thông thường or ưu tiên.")
@click.option(
    "--target",
    metavar="N|default",
    help="Airings per week at each station (0-50); 'default' follows the priority and station.",
)
@click.option("--from", "valid_from", metavar="DATE", help="First day it may air ('none': open).")
@click.option("--until", "valid_until", metavar="DATE", help="Last day it may air ('none': open).")
@click.option(
    "--dayparts",
    metavar="sang,trua,chieu|any",
    help="Only in these parts of the day: sáng (before 11:00), trưa (11:00-14:00), "
    "chiều (from 14:00); 'any' lifts the restriction.",
)
@click.option(
    "--min-gap",
    metavar="1d|12h|90m|none",
    help="Least time between the starts of two sessions it airs in.",
)
@click.option(
    "--stations",
    metavar="CODE,CODE|all",
    help="Only these stations (a commune, or an office or region for every station below it).",
)
@click.option("--title", help="A new title (what playlists and reports show).")
@pass_app
def set_(
    app: App,
    item_ids: tuple[int, ...],
    priority: str | None,
    target: str | None,
    valid_from: str | None,
    valid_until: str | None,
    dayparts: str | None,
    min_gap: str | None,
    stations: str | None,
    title: str | None,
) -> None:
    """Set how items are planned: priority, weekly target, window, dayparts, gap, stations.

    Several items take the same change, all or none. Dates are written 2026-05-20 or
    20/05/2026. The approval stays: only editing the script withdraws it. Re-plan the week
    afterwards with 'broadcaster plan week'.
    """
    edit = parse_planning_edit(
        priority=priority,
        target=target,
        valid_from=valid_from,
        valid_until=valid_until,
        dayparts=dayparts,
        min_gap=min_gap,
        stations=stations,
        title=title,
    )
    for result in set_items_planning(app.database, item_ids, edit):
        item = result.item
        if result.changed:
            names = ", ".join(_OPTION_NAMES[n] for n in result.changed)
            approval = "still approved" if item.approval.approved else "still a draft"
            say(app, f"item {item.id}: set {names} ({approval})")
        else:
            say(app, f"item {item.id}: nothing changed (the values were already set)")
        app.console.print(
            f"[bold]{escape(f'{item.id}. [{item.number}] {item.title}')}[/bold]", soft_wrap=True
        )
        info = Table.grid(padding=(0, 2))
        info.add_column(style="dim")
        info.add_column(overflow="fold")
        for label, value in planning_rows(app, item):
            info.add_row(label, value)
        app.console.print(info)


@command.command("edit")
@click.argument("item_id", type=int)
@click.option(
    "--script-file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Take the new script from this UTF-8 file ('-' reads standard input) instead of $EDITOR.",
)
@pass_app
def edit(app: App, item_id: int, script_file: Path | None) -> None:
    """Edit an item's announcement script (opens $EDITOR unless --script-file is given).

    Editing an approved item's script withdraws its approval: approve it again after review.
    """
    with app.database.unit_of_work() as uow:
        item = uow.items.get(item_id)
    if script_file is not None:
        script = _read_script(script_file)
    else:
        edited = click.edit(item.script, extension=".txt", require_save=True)
        if edited is None:
            say(app, f"item {item_id}: script not saved in the editor; nothing changed")
            return
        script = edited
    if script.strip() == item.script.strip():
        say(app, f"item {item_id}: script unchanged")
        return
    rate = ingest_settings(app).reading_rate
    updated, withdrawn = edit_script(app.database, item_id, script, rate)
    seconds = updated.estimated_duration.total_seconds() if updated.estimated_duration else 0
    say(app, f"item {item_id}: script saved (~{seconds:.0f} s at {rate} syllables/min)")
    if withdrawn:
        say(app, f"item {item_id}: approval withdrawn; approve it again after review")


def _read_script(path: Path) -> str:
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
        else:
            data = path.read_bytes()
        return data.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the --script-file path") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the script as UTF-8"
        ) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


@command.command("approve")
@click.argument("item_ids", type=int, nargs=-1)
@click.option(
    "--directive",
    "directive_id",
    type=int,
    help="Approve every propaganda item of this imported document that has a script.",
)
@click.option("--by", "by", help="Who approves (default: your login name).")
@pass_app
def approve(app: App, item_ids: tuple[int, ...], directive_id: int | None, by: str | None) -> None:
    """Approve items' scripts for airing, recording who approved them and when.

    All or nothing: if any item cannot be approved (unknown, administrative, no script), every
    such item is listed and none is approved.
    """
    ids = list(item_ids)
    if directive_id is not None:
        ids += [n for n in approvable_items(app.database, directive_id) if n not in ids]
    if not ids:
        raise click.UsageError("give item ids, or --directive ID for all of a document's items")
    who = by or _login_name()
    for item, before in approve_items(app.database, ids, who, app.clock.now()):
        if before.approved:
            at = before.at.isoformat(timespec="minutes") if before.at else "?"
            say(app, f"item {item.id}: already approved by {before.by} at {at}")
        else:
            at = item.approval.at.isoformat(timespec="minutes") if item.approval.at else "?"
            say(app, f"item {item.id}: approved by {item.approval.by} at {at} — {item.title}")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        raise InputError("cannot tell who you are; pass --by NAME") from None


def render_item(app: App, item: Item, directive_number: str | None) -> None:
    kind = "tuyên truyền" if item.kind is ItemKind.PROPAGANDA else "hành chính (không phát)"
    app.console.print(
        f"[bold]{escape(f'{item.id}. [{item.number}] {item.title}')}[/bold]", soft_wrap=True
    )
    info = Table.grid(padding=(0, 2))
    info.add_column(style="dim")
    info.add_column(overflow="fold")
    info.add_row("Loại", kind)
    if directive_number is not None or item.directive_id:
        info.add_row("Văn bản", f"{item.directive_id} ({directive_number or 'không số'})")
    if item.approval.approved:
        at = item.approval.at.isoformat(timespec="minutes") if item.approval.at else "?"
        info.add_row("Duyệt", f"{item.approval.by}, {at}")
    else:
        info.add_row("Duyệt", "nháp (chưa duyệt)")
    for b in item.basis:
        info.add_row("Căn cứ", b.describe())
    if item.theme:
        info.add_row("Chủ đề", f"“{item.theme}”")
    for s in item.slogans:
        info.add_row("Khẩu hiệu", f"“{s}”")
    for o in item.observances:
        info.add_row("Ngày lễ", f"{o.name} ({o.iso() or 'không rõ ngày'})")
    if item.kind is ItemKind.PROPAGANDA:
        for label, value in planning_rows(app, item):
            info.add_row(label, value)
    elif item.valid_from or item.valid_until:
        info.add_row("Hiệu lực", f"{item.valid_from or '…'} – {item.valid_until or '…'}")
    if item.effective_duration:
        info.add_row("Thời lượng", f"~{item.effective_duration.total_seconds():.0f} giây")
    app.console.print(info)
    app.console.rule("Nội dung")
    app.console.print(item.text, markup=False)
    if item.script:
        app.console.rule("Kịch bản phát thanh")
        app.console.print(item.script, markup=False)


_DAYPART_LABELS = {
    Daypart.MORNING: "sáng (trước 11:00)",
    Daypart.NOON: "trưa (11:00–14:00)",
    Daypart.EVENING: "chiều, tối (từ 14:00)",
}


def planning_rows(app: App, item: Item) -> list[tuple[str, str]]:
    """An item's planning attributes as (Vietnamese label, value) rows."""
    if item.target_per_week is not None:
        target = f"{item.target_per_week} lượt/tuần tại mỗi đài (riêng của mục này)"
    else:
        default = planner_config(app.settings).default_targets.get(item.priority, 0)
        target = (
            f"mặc định: {default} lượt/tuần tại mỗi đài theo mức ưu tiên "
            "(đài có thể đặt chỉ tiêu riêng)"
        )
    if item.priority is Priority.EMERGENCY:
        target = "không xếp lịch (phát khẩn)"
    if item.valid_from or item.valid_until:
        window = f"{item.valid_from or '…'} – {item.valid_until or '…'}"
    else:
        window = "không giới hạn"
    order = list(Daypart)
    dayparts = ", ".join(_DAYPART_LABELS[d] for d in sorted(item.dayparts, key=order.index))
    gap = describe_gap(item.min_gap)
    return [
        ("Mức ưu tiên", str(item.priority.label)),
        ("Chỉ tiêu", target),
        ("Hiệu lực", window),
        ("Khung giờ", dayparts or "mọi buổi phát"),
        ("Giãn cách", f"tối thiểu {gap} giữa hai lần phát" if item.min_gap else gap),
        ("Đài phát", ", ".join(sorted(item.stations)) or "mọi đài của đơn vị lập kế hoạch"),
    ]
