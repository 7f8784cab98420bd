"""``broadcaster plan``: plan an office's week, look at it, see why targets were missed, publish."""

from __future__ import annotations

import getpass
import json
import os
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import click
from rich.markup import escape
from rich.table import Table

from broadcaster.db.plans_json import plan_to_dict
from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import Msg, _, _n
from broadcaster.domain.planning import WeeklyPlan, resolve_week
from broadcaster.domain.planning.weeks import duration_words
from broadcaster.domain.stations import format_hhmm
from broadcaster.i18n import fmt_date, fmt_day
from broadcaster.playlists.weekly import render_weekly_html
from broadcaster.reports.model import governing_body
from broadcaster.usecases.planner_settings import planner_settings
from broadcaster.usecases.plans import (
    DRAFT_LABEL,
    load_plan,
    plan_office_week,
    publish_office_week,
    unpublished_next_week,
)
from broadcaster.usecases.reports import parse_day

from . import App, format_option, pass_app
from .dates import today

office_option = click.option("--office", required=True, help="Code of the planning office.")
week_option = click.option(
    "--week", required=True, help="ISO week, e.g. 2026-W48, or a day in it (24/11/2026, 24/11)."
)


def _week(text: str, app: App | None = None) -> date | str:
    """An ISO week (2026-W48) or any day in it (2026-11-24, 24/11/2026, 24/11)."""
    if "W" in text.upper():
        return text
    try:
        return resolve_week(parse_day(text, "--week", today(app) if app else None))
    except InputError:
        raise click.BadParameter(
            str(
                _(
                    "{value} is not a week; write it like 2026-W48 or give a day in it "
                    "(2026-11-24, 24/11/2026 or 24/11)",
                    value=repr(text),
                )
            )
        ) from None


@click.group("plan")
def command() -> None:
    """Weekly airtime plans: plan a week, show it, explain shortfalls, publish it."""


def _summary(app: App, plan: WeeklyPlan, label: str | Msg) -> None:
    s = plan.summary
    heading = escape(str(_("Weekly plan {week}", week=plan.label)))
    rest = _(
        "({label}) — office {office}: {stations} stations, {sessions} sessions, "
        "{fill:.0%} of the free airtime filled",
        label=label,
        office=plan.office,
        stations=s.stations,
        sessions=s.sessions,
        fill=s.fill,
    )
    app.console.print(f"[bold]{heading}[/bold] {escape(str(rest))}")
    say(app, fill_line(plan))
    for a in s.attainment:
        say(
            app,
            _(
                "{priority}: {planned}/{target} airings ({ratio:.0%} of the target)",
                priority=a.priority.label,
                planned=a.planned,
                target=a.target,
                ratio=a.ratio,
            ),
        )
    if plan.shortfalls:
        say(
            app,
            _n(
                "{n} target not met; see 'broadcaster plan explain --office {office} "
                "--week {week}'",
                "{n} targets not met; see 'broadcaster plan explain --office {office} "
                "--week {week}'",
                len(plan.shortfalls),
                office=plan.office,
                week=plan.label,
            ),
        )
    if s.unplaced:
        items = ", ".join(str(_("item {id}", id=i)) for i in s.unplaced)
        say(app, _("not placed: {items}", items=items))
    for k in s.skipped:
        say(
            app,
            _(
                "not scheduled: item {id} «{title}»: {reason}",
                id=k.item_id,
                title=k.title,
                reason=k.reason,
            ),
        )


def fill_line(plan: WeeklyPlan) -> Msg:
    """How the week's airtime is spent, and the session with the most unplanned silence."""
    sessions = [s for sp in plan.stations for s in sp.sessions]
    fills = [s.fill for s in sessions]

    def total(part: str) -> str:
        return str(duration_words(sum((getattr(f, part) for f in fills), timedelta())))

    worst = max(sessions, key=lambda s: s.fill.silence_ratio, default=None)
    where = ": " + worst.label if worst is not None and worst.fill.silence else ""
    return _(
        "airtime: announcements {content}, filler (chimes, programmes, relays) {filler}, "
        "fixed programmes {fixed}, unplanned silence {silence} (at most {worst:.0%} of a "
        "session{where})",
        content=total("content"),
        filler=total("filler"),
        fixed=total("fixed"),
        silence=total("silence"),
        worst=worst.fill.silence_ratio if worst else 0.0,
        where=where,
    )


def say(app: App, text: object, indent: str = "  ") -> None:
    """A line under the plan's heading, never read as markup (titles may hold brackets)."""
    app.console.print(f"{indent}{text}", markup=False)


def print_plan(app: App, plan: WeeklyPlan, label: str | Msg, station: str | None = None) -> None:
    """The summary and, per station, a grid of sessions by day with the items in each."""
    _summary(app, plan, label)
    stations = [plan.station(station)] if station else list(plan.stations)
    for sp in stations:
        title = _("{name} ({code}) — week {week}", name=sp.name, code=sp.code, week=plan.label)
        table = Table(title=str(title), title_justify="left")
        table.add_column(str(_("Session")))
        for d in plan.days:
            table.add_column(fmt_day(d))
        rows: dict[tuple[str, str], list[str]] = {}
        for s in sp.sessions:
            key = (format_hhmm(s.start.time()), s.name)
            row = rows.setdefault(key, [""] * 7)
            ids = [
                f"{'*' if e.priority and e.priority.value == 'priority' else ''}{e.item_id}"
                for e in s.announcements
            ]
            row[(s.day - plan.monday).days] = (" ".join(ids) or "–") + (" 🔒" if s.frozen else "")
        for (hhmm, name), cells in sorted(rows.items()):
            table.add_row(f"{name} {hhmm}", *cells)
        app.console.print(table)
    say(app, _("numbers: item ids; *: priority; 🔒: a past session, kept as it was"), "")


@command.command("week")
@office_option
@week_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole plan as JSON.")
@pass_app
def week(app: App, office: str, week: str, as_json: bool) -> None:
    """Plan a week for every station of an office and keep it as a draft.

    Uses the approved items and each station's broadcast clock. If a version of this week was
    already published, what has already aired is kept and the rest changes as little as it can.
    Publish the draft with 'broadcaster plan publish'.
    """
    settings = planner_settings(app.settings)
    plan, _version = plan_office_week(
        app.database,
        office,
        _week(week, app),
        app.clock.now(),
        settings,
        audio_dir=app.settings.audio_dir,
    )
    if as_json:
        click.echo(json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2))
        return
    _summary(app, plan, DRAFT_LABEL)
    say(
        app,
        _(
            "draft saved; see it with 'broadcaster plan show --office {office} --week {week}', "
            "publish it with 'broadcaster plan publish --office {office} --week {week}'",
            office=office,
            week=plan.label,
        ),
        "",
    )
    _remind(app, office)


@command.command("show")
@office_option
@week_option
@click.option("--station", help="Only this station.")
@click.option("--published", is_flag=True, help="Show the newest published version, not the draft.")
@format_option(
    ["text", "html"],
    "text",
    help="text: grids here; html: a printable page per station (A4 landscape) to sign.",
)
@pass_app
def show(app: App, office: str, week: str, station: str | None, published: bool, fmt: str) -> None:
    """Show the week as a grid per station: sessions by day, with the items in each.

    With --format html, print a page per station to check, sign and post: sessions by day with
    titles and durations, the week's topics with their basis, and the targets not met.
    """
    plan, label = load_plan(app.database, office, _week(week, app), draft=not published)
    if station is not None:
        plan.station(station)  # a clear error for a station not in this plan
    if fmt == "html":
        with app.database.unit_of_work() as uow:
            tree = uow.stations.tree()
        above = tree.ancestors(office)
        page = render_weekly_html(
            plan,
            label,
            tree.get(office).name,
            station,
            draft=label == DRAFT_LABEL,
            parent_name=governing_body(above[-1]) if above else None,
        )
        click.echo(page, nl=False)
        return
    print_plan(app, plan, label, station)
    _remind(app, office)


@command.command("explain")
@office_option
@week_option
@click.option("--station", help="Only this station.")
@click.option("--item", "item_id", type=int, help="Only this item.")
@click.option("--published", is_flag=True, help="Explain the newest published version.")
@pass_app
def explain(
    app: App, office: str, week: str, station: str | None, item_id: int | None, published: bool
) -> None:
    """Say, for every target not met, which constraint binds and what would fix it."""
    plan, label = load_plan(app.database, office, _week(week, app), draft=not published)
    _summary(app, plan, label)
    shown = [
        f
        for f in plan.shortfalls
        if (station is None or f.station_code == station)
        and (item_id is None or f.item_id == item_id)
    ]
    if not shown:
        app.console.print(
            _("every target is met")
            if not plan.shortfalls
            else _("no unmet target matches the filter")
        )
        return
    for f in shown:
        click.echo(f"- {f.message}")  # one line each, never wrapped


@command.command("publish")
@office_option
@week_option
@click.option("--by", "by", help="Who publishes (default: your login name).")
@pass_app
def publish(app: App, office: str, week: str, by: str | None) -> None:
    """Freeze the draft as the next published version; stations get it on their next pull.

    A later publication of the same week is a new version; what changed is listed.
    """
    who = by or os.environ.get("USER") or _login()
    result = publish_office_week(app.database, office, _week(week, app), app.clock.now(), who)
    v = result.version
    say(
        app,
        _(
            "weekly plan {week} of {office} published: version {version} ({who})",
            week=v.week,
            office=office,
            version=v.version,
            who=who,
        ),
        "",
    )
    _remind(app, office)
    if result.diff is None:
        return
    say(app, result.diff.summary(), "")
    for change in result.diff.changes[:200]:
        click.echo(f"  {change.describe()}")
    if len(result.diff.changes) > 200:
        say(app, _("… and {n} other changes", n=len(result.diff.changes) - 200))


def _remind(app: App, office: str) -> None:
    """From Friday, a line on stderr while next week is unpublished: its stations would
    otherwise replay an old programme (the fallback)."""
    tz = ZoneInfo(app.settings.timezone)
    monday = unpublished_next_week(app.database, office, app.clock.now().astimezone(tz).date())
    if monday is not None:
        sunday = monday + timedelta(days=6)
        first = f"{monday:%d/%m}"  # the week's year is the Sunday's
        click.echo(
            _(
                "reminder: next week's plan ({monday} to {sunday}) of {office} is not published; "
                "publish it before Monday so the stations do not play the fallback programme "
                "('broadcaster plan week --office {office} --week {iso}')",
                monday=first,
                sunday=fmt_date(sunday),
                office=office,
                iso=monday.isoformat(),
            ),
            err=True,
        )


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
