"""``broadcaster items``: review imported topics, edit their scripts, approve them for airing."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.markup import escape
from rich.table import Table

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import ApprovalState, Daypart, Item, ItemKind, Priority
from broadcaster.domain.messages import N_, Msg, _, _n, translate
from broadcaster.i18n import fmt_date, fmt_datetime
from broadcaster.usecases.directives import (
    approvable_items,
    approve_items,
    check_items,
    edit_script,
)
from broadcaster.usecases.item_repair import set_kind
from broadcaster.usecases.items import describe_gap, parse_planning_edit, set_items_planning
from broadcaster.usecases.planner_settings import planner_config

from . import App, pass_app
from .directive import ingest_settings, items_table, partial_date, say, say_review


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
    metavar="KIND",
    help="propaganda (aired), administrative (kept for the record) or all.",
)
@click.option(
    "--state",
    type=click.Choice(["draft", "approved", "returned"]),
    help="Only drafts, only approved items or only those sent back.",
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
        say(app, _("no items match; import guidance with 'broadcaster directive import FILE'"))
        return
    app.console.print(items_table(items, with_ids=True))
    approved = sum(1 for i in items if i.approval.approved)
    say(
        app,
        _n(
            "{n} item: {approved} approved, {drafts} drafts",
            "{n} items: {approved} approved, {drafts} drafts",
            len(items),
            approved=approved,
            drafts=len(items) - approved,
        ),
    )


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
@click.option("--priority", metavar="normal|priority", help="Normal or priority.")
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
    help="Only in these parts of the day: sang or morning (before 11:00), trua or noon "
    "(11:00-14:00), chieu or evening (from 14:00); 'any' lifts the restriction.",
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
@click.option(
    "--kind",
    type=click.Choice(["propaganda", "administrative"]),
    metavar="KIND",
    help="propaganda (aired) or administrative (kept for the record, not aired).",
)
@pass_app
def set_(app: App, item_ids: tuple[int, ...], kind: str | None, **planning: str | None) -> None:
    """Set how items are planned: kind, priority, weekly target, window, dayparts, gap, stations.

    Several items take the same change, all or none. Dates are written 2026-05-20 or
    20/05/2026. The approval stays: only editing the script (or making an item
    administrative) withdraws it. Re-plan the week afterwards with 'broadcaster plan week'.
    """
    # planning: the options besides --kind, by parse_planning_edit's names (None: not given)
    planning_given = any(v is not None for v in planning.values())
    # the options are checked before anything is stored: a bad date leaves the kind as it was
    edit = parse_planning_edit(**planning)
    if kind is not None:
        for item, withdrawn in set_kind(app.database, item_ids, ItemKind(kind)):
            shown = _("propaganda") if item.kind is ItemKind.PROPAGANDA else _("administrative")
            say(app, _("item {id}: kind {kind}", id=item.id, kind=shown))
            if withdrawn:
                say(app, _("item {id}: approval withdrawn; it is not aired", id=item.id))
        if not planning_given:
            return
    for result in set_items_planning(app.database, item_ids, edit):
        item = result.item
        if result.changed:
            names = ", ".join(_OPTION_NAMES[n] for n in result.changed)
            if item.approval.approved:
                say(app, _("item {id}: set {names} (still approved)", id=item.id, names=names))
            else:
                say(app, _("item {id}: set {names} (still a draft)", id=item.id, names=names))
        else:
            say(app, _("item {id}: nothing changed (the values were already set)", id=item.id))
        app.console.print(
            f"[bold]{escape(f'{item.id}. [{item.number}] {item.title}')}[/bold]", soft_wrap=True
        )
        info = Table.grid(padding=(0, 2))
        info.add_column(style="dim")
        info.add_column(overflow="fold")
        for label, value in planning_rows(app, item):
            _info_row(info, label, value)
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
            say(app, _("item {id}: script not saved in the editor; nothing changed", id=item_id))
            return
        script = edited
    if script.strip() == item.script.strip():
        say(app, _("item {id}: script unchanged", id=item_id))
        return
    rate = ingest_settings(app).reading_rate
    updated, withdrawn = edit_script(app.database, item_id, script, rate)
    seconds = updated.estimated_duration.total_seconds() if updated.estimated_duration else 0
    say(
        app,
        _(
            "item {id}: script saved (~{seconds:.0f} s at {rate} syllables/min)",
            id=item_id,
            seconds=seconds,
            rate=rate,
        ),
    )
    if withdrawn:
        say(app, _("item {id}: approval withdrawn; approve it again after review", id=item_id))


def _read_script(path: Path) -> str:
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
        else:
            data = path.read_bytes()
        return data.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            _("{path}: no such file; check the --script-file path", path=path)
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            _(
                "{path}: not UTF-8 text (byte {byte}); save the script as UTF-8",
                path=path,
                byte=exc.start,
            )
        ) from exc
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({reason})", path=path, reason=exc.strerror or exc)
        ) from exc


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
        raise click.UsageError(
            str(_("give item ids, or --directive ID for all of a document's items"))
        )
    who = by or _login_name()
    tz = ZoneInfo(app.settings.timezone)
    for item, before in approve_items(app.database, ids, who, app.clock.now()):
        if before.approved:
            at = fmt_datetime(before.at, tz) if before.at else "?"
            say(
                app,
                _("item {id}: already approved by {by} at {at}", id=item.id, by=before.by, at=at),
            )
        else:
            at = fmt_datetime(item.approval.at, tz) if item.approval.at else "?"
            say(
                app,
                _(
                    "item {id}: approved by {by} at {at} — {title}",
                    id=item.id,
                    by=item.approval.by,
                    at=at,
                    title=item.title,
                ),
            )


@command.command("check")
@click.argument("item_ids", type=int, nargs=-1, metavar="[ITEM_ID...]")
@click.option(
    "--directive",
    "directive_id",
    type=int,
    help="Only the propaganda items of this imported document.",
)
@pass_app
def check(app: App, item_ids: tuple[int, ...], directive_id: int | None) -> None:
    """Check announcement scripts for what should not go on air, each problem on its line.

    Without ITEM_ID, every propaganda item is checked (--directive: one document's). The check
    finds instructions meant for officials, sentences cut off, source notes, web addresses, a
    document named without its number and empty scripts; it changes nothing. The exit status
    is 1 when a script has a problem, so the check can stop a batch job.
    """
    if item_ids and directive_id is not None:
        raise click.UsageError(str(_("give item ids or --directive ID, not both")))
    reviews = check_items(app.database, item_ids, directive_id)
    if not reviews:
        say(app, _("no propaganda items to check; import guidance first"))
        return
    for review in reviews:
        say_review(app, review)
    unfit = sum(1 for r in reviews if not r.fit)
    say(
        app,
        _n(
            "{n} script checked: {fit} fit to air, {unfit} with problems",
            "{n} scripts checked: {fit} fit to air, {unfit} with problems",
            len(reviews),
            fit=len(reviews) - unfit,
            unfit=unfit,
        ),
    )
    if unfit:
        click.get_current_context().exit(1)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        raise InputError(_("cannot tell who you are; pass --by NAME")) from None


def render_item(app: App, item: Item, directive_number: str | None) -> None:
    kind = _("propaganda") if item.kind is ItemKind.PROPAGANDA else _("administrative (not aired)")
    app.console.print(
        f"[bold]{escape(f'{item.id}. [{item.number}] {item.title}')}[/bold]", soft_wrap=True
    )
    info = Table.grid(padding=(0, 2))
    info.add_column(style="dim")
    info.add_column(overflow="fold")
    _info_row(info, _("Kind"), kind)
    if directive_number is not None or item.directive_id:
        _info_row(
            info,
            _("Document"),
            _(
                "{id} ({number})",
                id=item.directive_id,
                number=directive_number or _("no number"),
            ),
        )
    if item.approval.approved:
        tz = ZoneInfo(app.settings.timezone)
        at = fmt_datetime(item.approval.at, tz) if item.approval.at else "?"
        _info_row(info, _("Approval"), f"{item.approval.by}, {at}")
    elif item.approval.returned:
        tz = ZoneInfo(app.settings.timezone)
        at = fmt_datetime(item.approval.at, tz) if item.approval.at else "?"
        _info_row(
            info,
            _("Approval"),
            _(
                "sent back by {by}, {at}: {note}",
                by=item.approval.by,
                at=at,
                note=item.approval.note,
            ),
        )
    else:
        _info_row(info, _("Approval"), _("draft (not approved)"))
    for b in item.basis:
        _info_row(info, _("Basis"), b.describe())
    if item.theme:
        _info_row(info, _("Theme"), f"“{item.theme}”")
    for s in item.slogans:
        _info_row(info, _("Slogan"), f"“{s}”")
    for o in item.observances:
        when = partial_date(o) or _("date not known")
        _info_row(info, _("Observance"), f"{o.name} ({when})")
    if item.kind is ItemKind.PROPAGANDA:
        for label, value in planning_rows(app, item):
            _info_row(info, label, value)
    elif item.valid_from or item.valid_until:
        _info_row(info, _("Valid"), _window(item))
    if item.effective_duration:
        _info_row(
            info,
            _("Duration"),
            _("~{seconds:.0f} seconds", seconds=item.effective_duration.total_seconds()),
        )
    app.console.print(info)
    app.console.rule(str(_("Text")))
    app.console.print(item.text, markup=False)
    if item.script:
        app.console.rule(str(_("Announcement script")))
        app.console.print(item.script, markup=False)


def _info_row(info: Table, label: Msg | str, value: Msg | str) -> None:
    # rich measures text, not messages: each cell is shown as the text it reads
    info.add_row(str(label), str(value))


_DAYPART_LABELS = {
    Daypart.MORNING: N_("morning (before 11:00)"),
    Daypart.NOON: N_("noon (11:00–14:00)"),
    Daypart.EVENING: N_("afternoon and evening (from 14:00)"),
}


def _window(item: Item) -> str:
    first = fmt_date(item.valid_from) if item.valid_from else "…"
    last = fmt_date(item.valid_until) if item.valid_until else "…"
    return f"{first} – {last}"


def planning_rows(app: App, item: Item) -> list[tuple[Msg, Msg | str]]:
    """An item's planning attributes as (label, value) rows."""
    target: Msg
    if item.target_per_week is not None:
        target = _("{n} airings a week at each station (this item's own)", n=item.target_per_week)
    else:
        default = planner_config(app.settings).default_targets.get(item.priority, 0)
        target = _(
            "default: {n} airings a week at each station by priority "
            "(a station may set its own targets)",
            n=default,
        )
    if item.priority is Priority.EMERGENCY:
        target = _("not scheduled (aired as an emergency)")
    window: Msg | str = _window(item) if item.valid_from or item.valid_until else _("no limit")
    order = list(Daypart)
    dayparts = ", ".join(
        translate(_DAYPART_LABELS[d]) for d in sorted(item.dayparts, key=order.index)
    )
    gap = describe_gap(item.min_gap)
    return [
        (_("Priority level"), item.priority.label),
        (_("Target"), target),
        (_("Valid"), window),
        (_("Dayparts"), dayparts or _("every session")),
        (
            _("Gap"),
            _("at least {gap} between two airings", gap=gap) if item.min_gap else gap,
        ),
        (
            _("Stations"),
            ", ".join(sorted(item.stations)) or _("every station of the planning office"),
        ),
    ]


def _register() -> None:
    from .items_repair import COMMANDS

    for repair in COMMANDS:
        command.add_command(repair)


_register()
