"""``broadcaster stations``: the station tree and broadcast clocks."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from broadcaster.domain.items import Priority
from broadcaster.domain.messages import weekday_short
from broadcaster.domain.stations import (
    Station,
    StationTargets,
    StationTree,
)
from broadcaster.usecases.planner_settings import planner_config
from broadcaster.usecases.stations import load_stations

from . import App, pass_app


@click.group("stations")
def command() -> None:
    """Station tree and broadcast clocks (sessions, relays, quiet hours)."""


@command.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def load(app: App, file: Path) -> None:
    """Check a station file (TOML) and store its stations.

    Stations already stored are updated by code; new ones are added. If the file has any
    mistake, nothing is stored and every mistake is listed with its line.
    """
    result = load_stations(app.database, file)
    app.console.print(
        f"{file}: {result.added} stations added, {result.updated} updated "
        f"({len(result.tree)} in the registry)"
    )


@command.command("list")
@pass_app
def list_(app: App) -> None:
    """Show the station tree: codes, names, levels and weekly airtime."""
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    if not len(tree):
        app.console.print("no stations yet; load some with 'broadcaster stations load FILE'")
        return
    app.console.print(station_tree_table(tree))


@command.command("show")
@click.argument("code")
@pass_app
def show(app: App, code: str) -> None:
    """Show one station's weekly session grid, fixed blocks and limits."""
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    render_station(app, tree, tree.get(code))


def station_tree_table(tree: StationTree) -> Table:
    table = Table(title="Cây đài truyền thanh", title_justify="left")
    table.add_column("Mã")
    table.add_column("Tên")
    table.add_column("Cấp")
    table.add_column("Lập kế hoạch", justify="center")
    table.add_column("Buổi/tuần", justify="right")
    table.add_column("Phút/tuần", justify="right")
    for s in tree.ordered():
        clock = tree.clock(s.code)
        indent = "  " * tree.depth(s.code)
        airs = s.broadcasts
        table.add_row(
            f"{indent}{s.code}",
            s.name,
            s.kind.label,
            "✓" if s.is_office else "",
            str(sum(len(x.days) for x in clock.sessions)) if airs else "–",
            f"{clock.weekly_minutes():g}" if airs else "–",
        )
    return table


def _clock_source(tree: StationTree, station: Station) -> str:
    if station.clock.sessions is not None:
        return "riêng của đài"
    for ancestor in reversed(tree.ancestors(station.code)):
        if ancestor.clock.sessions is not None:
            return f"kế thừa từ {ancestor.name} ({ancestor.code})"
    return "chưa có buổi phát"


def _targets_source(tree: StationTree, station: Station) -> str:
    own = station.targets.by_priority()
    inherited = [a for a in tree.ancestors(station.code) if a.targets.by_priority()]
    if own and not inherited:
        return "riêng của đài"
    names = ", ".join(f"{a.name} ({a.code})" for a in reversed(inherited))
    return ("riêng của đài, còn lại " if own else "") + f"kế thừa từ {names}"


def session_grid(tree: StationTree, station: Station) -> Table:
    clock = tree.clock(station.code)
    table = Table(title=f"Lịch buổi phát hằng tuần — {station.name}", title_justify="left")
    table.add_column("Buổi")
    table.add_column("Giờ")
    for label in (weekday_short(i) for i in range(7)):
        table.add_column(label, justify="center")
    table.add_column("Cố định (tiếp âm, nhạc hiệu)")
    for s in sorted(clock.sessions, key=lambda x: (x.start, x.name)):
        blocks = "; ".join(b.describe() for b in s.fixed_blocks) or "–"
        table.add_row(
            s.name,
            s.span,
            *["●" if d in s.days else "" for d in range(7)],
            blocks,
        )
    return table


def render_station(app: App, tree: StationTree, station: Station) -> None:
    clock = tree.clock(station.code)
    path = " › ".join(a.name for a in [*tree.ancestors(station.code), station])
    app.console.print(f"[bold]{station.name}[/bold] ({station.code}) — {station.kind.label}")
    app.console.print(f"  {path}")
    office = tree.office_of(station.code)
    if office is not None:
        app.console.print(f"  đơn vị lập kế hoạch: {office.name} ({office.code})")
    app.console.print(
        f"  múi giờ {clock.timezone}; giờ yên tĩnh {clock.quiet_hours.describe()}"
        + (" (được phép phát)" if clock.allow_quiet_hours else "")
        + f"; tối đa {clock.max_sessions_per_day or '–'} buổi/ngày, "
        f"{clock.max_minutes_per_session or '–'} phút/buổi"
    )
    app.console.print(f"  lịch phát: {_clock_source(tree, station)}")
    targets = tree.targets(station.code)
    defaults = planner_config(app.settings).default_targets
    shown = StationTargets(defaults[Priority.NORMAL], defaults[Priority.PRIORITY])
    if targets.by_priority():
        source = _targets_source(tree, station)
        if len(targets.by_priority()) < 2:
            source += ", còn lại theo mặc định [planner]"
        line = f"  chỉ tiêu mỗi mục: {targets.over(shown).describe()} ({source})"
    else:
        line = f"  chỉ tiêu mỗi mục: {shown.describe()} (mặc định [planner])"
    app.console.print(line, markup=False)
    if not station.broadcasts:
        app.console.print("  (không phát chương trình riêng)")
    if clock.sessions:
        app.console.print(session_grid(tree, station))
    children = tree.children(station.code)
    if children:
        app.console.print("  trực thuộc: " + ", ".join(f"{c.name} ({c.code})" for c in children))
