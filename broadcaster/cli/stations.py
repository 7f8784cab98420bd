"""``broadcaster stations``: the station tree and broadcast clocks."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from broadcaster.domain.items import Priority
from broadcaster.domain.messages import Msg, _, _n, weekday_short
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
        _n(
            "{file}: {n} station added, {updated} updated ({total} in the registry)",
            "{file}: {n} stations added, {updated} updated ({total} in the registry)",
            result.added,
            file=file,
            updated=result.updated,
            total=len(result.tree),
        ),
        markup=False,
    )


@command.command("list")
@pass_app
def list_(app: App) -> None:
    """Show the station tree: codes, names, levels and weekly airtime."""
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    if not len(tree):
        app.console.print(_("no stations yet; load some with 'broadcaster stations load FILE'"))
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
    table = Table(title=str(_("Station tree")), title_justify="left")
    table.add_column(str(_("Code")))
    table.add_column(str(_("Name")))
    table.add_column(str(_("Level")))
    table.add_column(str(_("Plans")), justify="center")
    table.add_column(str(_("Sessions/week")), justify="right")
    table.add_column(str(_("Minutes/week")), justify="right")
    for s in tree.ordered():
        clock = tree.clock(s.code)
        indent = "  " * tree.depth(s.code)
        airs = s.broadcasts
        table.add_row(
            f"{indent}{s.code}",
            s.name,
            str(s.kind.label),
            "✓" if s.is_office else "",
            str(sum(len(x.days) for x in clock.sessions)) if airs else "–",
            f"{clock.weekly_minutes():g}" if airs else "–",
        )
    return table


def _clock_source(tree: StationTree, station: Station) -> Msg:
    if station.clock.sessions is not None:
        return _("the station's own")
    for ancestor in reversed(tree.ancestors(station.code)):
        if ancestor.clock.sessions is not None:
            return _("inherited from {name} ({code})", name=ancestor.name, code=ancestor.code)
    return _("no sessions yet")


def _targets_source(tree: StationTree, station: Station, *, complete: bool) -> Msg:
    """Where a station's targets come from; ``complete``: they set every priority."""
    own = station.targets.by_priority()
    inherited = [a for a in tree.ancestors(station.code) if a.targets.by_priority()]
    names = ", ".join(f"{a.name} ({a.code})" for a in reversed(inherited))
    if own and not inherited:
        return (
            _("the station's own")
            if complete
            else _("the station's own, the rest by default [planner]")
        )
    if own:
        return (
            _("the station's own, the rest inherited from {names}", names=names)
            if complete
            else _(
                "the station's own, the rest inherited from {names} or by default [planner]",
                names=names,
            )
        )
    return (
        _("inherited from {names}", names=names)
        if complete
        else _("inherited from {names}, the rest by default [planner]", names=names)
    )


def session_grid(tree: StationTree, station: Station) -> Table:
    clock = tree.clock(station.code)
    title = _("Weekly sessions — {station}", station=station.name)
    table = Table(title=str(title), title_justify="left")
    table.add_column(str(_("Session")))
    table.add_column(str(_("Time")))
    for label in (weekday_short(i) for i in range(7)):
        table.add_column(label, justify="center")
    table.add_column(str(_("Fixed (relays, station jingles)")))
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
    app.console.print(
        f"[bold]{escape(station.name)}[/bold] " + escape(f"({station.code}) — {station.kind.label}")
    )
    say(app, path)
    office = tree.office_of(station.code)
    if office is not None:
        say(app, _("planning office: {name} ({code})", name=office.name, code=office.code))
    values = {
        "zone": clock.timezone,
        "quiet": clock.quiet_hours.describe(),
        "sessions": clock.max_sessions_per_day or "–",
        "minutes": clock.max_minutes_per_session or "–",
    }
    say(
        app,
        _(
            "time zone {zone}; quiet hours {quiet} (airing allowed); at most {sessions} "
            "sessions a day, {minutes} minutes a session",
            **values,
        )
        if clock.allow_quiet_hours
        else _(
            "time zone {zone}; quiet hours {quiet}; at most {sessions} sessions a day, "
            "{minutes} minutes a session",
            **values,
        ),
    )
    say(app, _("sessions: {source}", source=_clock_source(tree, station)))
    targets = tree.targets(station.code)
    defaults = planner_config(app.settings).default_targets
    shown = StationTargets(defaults[Priority.NORMAL], defaults[Priority.PRIORITY])
    if targets.by_priority():
        complete = len(targets.by_priority()) >= 2
        source = _targets_source(tree, station, complete=complete)
        line = _(
            "targets for each item: {targets} ({source})",
            targets=targets.over(shown).describe(),
            source=source,
        )
    else:
        line = _("targets for each item: {targets} (default [planner])", targets=shown.describe())
    say(app, line)
    if not station.broadcasts:
        say(app, _("(airs no programme of its own)"))
    if clock.sessions:
        app.console.print(session_grid(tree, station))
    children = tree.children(station.code)
    if children:
        names = ", ".join(f"{c.name} ({c.code})" for c in children)
        say(app, _("under it: {stations}", stations=names))


def say(app: App, text: object) -> None:
    """A line under the station's name, never read as markup."""
    app.console.print(f"  {text}", markup=False)
