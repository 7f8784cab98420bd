"""Demo step: plan the example office's week, show the grid and the shortfalls, publish it,
write one station's printable playlist and the office's USB export."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from broadcaster.cli.plan import print_plan
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.items import Item
from broadcaster.domain.messages import N_, _, translate
from broadcaster.domain.planning import WeeklyPlan
from broadcaster.playlists import render_html
from broadcaster.playlists.weekly import render_weekly_html
from broadcaster.reports.model import governing_body
from broadcaster.usecases.letterheads import playlist_letterhead
from broadcaster.usecases.planner_settings import planner_settings
from broadcaster.usecases.plans import (
    DRAFT_LABEL,
    plan_office_week,
    publish_office_week,
    station_playlist,
)
from broadcaster.usecases.playlist_export import export_office_week

if TYPE_CHECKING:
    from . import DemoRun

#: who publishes in the demo (a role, in the demo's language)
DEMO_PUBLISHER = N_("Head of the Centre (demo)")
#: at most this many shortfall explanations are printed; 'plan explain' lists them all
SHOWN_SHORTFALLS = 8


def busiest_week(items: list[Item], fallback: date) -> date:
    """The Monday of the week in which the most approved items may air (earliest on a tie).

    The example guidance covers a few weeks of 2026; planning one of those weeks keeps the
    demo meaningful whatever the date it runs on.
    """
    bounds = [d for i in items for d in (i.valid_from, i.valid_until) if d is not None]
    if not bounds:
        return fallback - timedelta(days=fallback.weekday())
    first, last = min(bounds), max(bounds)
    monday = first - timedelta(days=first.weekday())
    best, best_count = monday, -1
    while monday <= last:
        days = [monday + timedelta(days=n) for n in range(7)]
        count = sum(1 for i in items if any(i.is_valid_on(d) for d in days))
        if count > best_count:
            best, best_count = monday, count
        monday += timedelta(weeks=1)
    return best


def step_plan(run: DemoRun) -> None:
    app, console = run.app, run.app.console
    office = run.notes.get("office")
    if not isinstance(office, str):
        console.print(_("no planning office in the demo's station file: nothing to plan"))
        return
    with app.database.unit_of_work() as uow:
        items = uow.items.approved()
        tz = ZoneInfo(uow.stations.tree().clock(office).timezone)
    monday = busiest_week(items, app.clock.now().astimezone(tz).date())
    iso = monday.isocalendar()
    week = f"{iso[0]}-W{iso[1]:02d}"
    run.heading(_("Planning the airtime of week {week} for {office}", week=week, office=office))
    # the office plans on the Friday before the week, as it would in real life
    planned_at = datetime.combine(monday - timedelta(days=3), time(15, 0), tz)
    if isinstance(app.clock, FixedClock):  # the demo's own time has come to that Friday
        app.clock.set(planned_at)
    settings, audio_dir = planner_settings(app.settings), app.settings.audio_dir
    plan, _version = plan_office_week(
        app.database, office, monday, planned_at, settings, audio_dir=audio_dir
    )
    print_plan(app, plan, DRAFT_LABEL)
    for f in plan.shortfalls[:SHOWN_SHORTFALLS]:
        console.print(f"- {f.message}", markup=False, soft_wrap=True)
    if len(plan.shortfalls) > SHOWN_SHORTFALLS:
        console.print(
            _(
                "… {n} more: 'broadcaster plan explain --office {office} --week {week}'",
                n=len(plan.shortfalls) - SHOWN_SHORTFALLS,
                office=office,
                week=week,
            ),
            markup=False,
        )
    publisher = translate(DEMO_PUBLISHER)
    published = publish_office_week(app.database, office, monday, planned_at, publisher)
    version = published.version.version
    console.print(
        _("version {version} published ({who})", version=version, who=publisher), markup=False
    )

    _write_sheet(run, published.plan, office, week, version)

    # one station's first day with something planned: its printable playlist
    station, day = _first_station_day(published.plan)
    folder = run.out / "playlists"
    folder.mkdir(parents=True, exist_ok=True)
    if station is not None and day is not None:
        found = station_playlist(app.database, station, day)
        page = folder / f"{station}-{day.isoformat()}.html"
        head = playlist_letterhead(app.database, station)
        page.write_text(render_html(found.playlist, found.version, head), encoding="utf-8")
        console.print(
            _("printable playlist: {path}", path=page.resolve()), markup=False, soft_wrap=True
        )
        run.notes["playlist"] = found
    usb = run.out / "usb"
    export = export_office_week(app.database, office, monday, usb, app.settings.audio_dir)
    console.print(
        _(
            "USB: {playlists} playlists of {stations} stations, {audio} audio files → {folder}",
            playlists=export.total,
            stations=len(export.playlists),
            audio=export.audio_files,
            folder=usb.resolve(),
        ),
        markup=False,
        soft_wrap=True,
    )
    run.notes["plan"] = published.plan
    run.notes["week"] = week


def _write_sheet(
    run: DemoRun, plan: WeeklyPlan, office: str, week: str, version: int | None
) -> None:
    """The week on paper, a page per station, to sign and post."""
    app = run.app
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    office_name, above = tree.get(office).name, tree.ancestors(office)
    sheet = run.out / f"ke-hoach-{office}-{week}.html"
    sheet.write_text(
        render_weekly_html(
            plan,
            str(_("version {version}", version=version)),
            office_name,
            parent_name=governing_body(above[-1]) if above else None,
        ),
        encoding="utf-8",
    )
    app.console.print(
        _("printable weekly plan: {path}", path=sheet.resolve()), markup=False, soft_wrap=True
    )


def _first_station_day(plan: object) -> tuple[str | None, date | None]:
    for sp in getattr(plan, "stations", ()):
        days = sorted({s.day for s in sp.sessions if s.announcements})
        if days:
            return sp.code, days[0]
    return None, None
