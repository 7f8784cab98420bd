"""``broadcaster plan``: plan an office's week, look at it, see why targets were missed, publish."""

from __future__ import annotations

import getpass
import json
import os
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.db.plans_json import plan_to_dict
from broadcaster.domain.messages import weekday_short
from broadcaster.domain.planning import WeeklyPlan, resolve_week
from broadcaster.domain.stations import format_hhmm
from broadcaster.playlists.weekly import render_weekly_html
from broadcaster.usecases.planner_settings import planner_settings
from broadcaster.usecases.plans import (
    DRAFT_LABEL,
    load_plan,
    plan_office_week,
    publish_office_week,
    unpublished_next_week,
)

from . import App, pass_app

office_option = click.option("--office", required=True, help="Code of the planning office.")
week_option = click.option(
    "--week", required=True, help="ISO week, e.g. 2026-W48 (or a date in it)."
)


def _week(text: str) -> date | str:
    if "W" in text.upper():
        return text
    try:
        return resolve_week(date.fromisoformat(text))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a week; write it like 2026-W48") from None


@click.group("plan")
def command() -> None:
    """Weekly airtime plans: plan a week, show it, explain shortfalls, publish it."""


def _summary(app: App, plan: WeeklyPlan, label: str) -> None:
    s = plan.summary
    app.console.print(
        f"[bold]Kế hoạch tuần {plan.label}[/bold] ({label}) — đơn vị {plan.office}: "
        f"{s.stations} đài, {s.sessions} buổi phát, lấp đầy {s.fill:.0%} thời lượng trống"
    )
    for a in s.attainment:
        app.console.print(
            f"  {a.priority.label}: {a.planned}/{a.target} lượt phát ({a.ratio:.0%} chỉ tiêu)"
        )
    if plan.shortfalls:
        app.console.print(
            f"  {len(plan.shortfalls)} chỉ tiêu chưa đạt; xem 'broadcaster plan explain "
            f"--office {plan.office} --week {plan.label}'"
        )
    if s.unplaced:
        app.console.print("  chưa xếp được: " + ", ".join(f"mục {i}" for i in s.unplaced))
    for k in s.skipped:
        app.console.print(f"  không xếp lịch: mục {k.item_id} «{k.title}»: {k.reason}")


def print_plan(app: App, plan: WeeklyPlan, label: str, station: str | None = None) -> None:
    """The summary and, per station, a grid of sessions by day with the items in each."""
    _summary(app, plan, label)
    stations = [plan.station(station)] if station else list(plan.stations)
    for sp in stations:
        table = Table(title=f"{sp.name} ({sp.code}) — tuần {plan.label}", title_justify="left")
        table.add_column("Buổi")
        for d in plan.days:
            table.add_column(f"{weekday_short(d.weekday())} {d.day:02d}/{d.month:02d}")
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
    app.console.print("số: mã mục; *: ưu tiên; 🔒: buổi đã qua, giữ nguyên")


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
    plan, _ = plan_office_week(app.database, office, _week(week), app.clock.now(), settings)
    if as_json:
        click.echo(json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2))
        return
    _summary(app, plan, DRAFT_LABEL)
    app.console.print(
        f"đã lưu bản nháp; xem lịch bằng 'broadcaster plan show --office {office} --week "
        f"{plan.label}', công bố bằng 'broadcaster plan publish --office {office} --week {plan.label}'"
    )
    _remind(app, office)


@command.command("show")
@office_option
@week_option
@click.option("--station", help="Only this station.")
@click.option("--published", is_flag=True, help="Show the newest published version, not the draft.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html"]),
    default="text",
    show_default=True,
    help="text: grids here; html: a printable page per station (A4 landscape) to sign.",
)
@pass_app
def show(app: App, office: str, week: str, station: str | None, published: bool, fmt: str) -> None:
    """Show the week as a grid per station: sessions by day, with the items in each.

    With --format html, print a page per station to check, sign and post: sessions by day with
    titles and durations, the week's topics with their basis, and the targets not met.
    """
    plan, label = load_plan(app.database, office, _week(week), draft=not published)
    if station is not None:
        plan.station(station)  # a clear error for a station not in this plan
    if fmt == "html":
        with app.database.unit_of_work() as uow:
            office_name = uow.stations.get(office).name
        is_draft = label == DRAFT_LABEL
        click.echo(render_weekly_html(plan, label, office_name, station, draft=is_draft), nl=False)
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
    plan, label = load_plan(app.database, office, _week(week), draft=not published)
    _summary(app, plan, label)
    shown = [
        f
        for f in plan.shortfalls
        if (station is None or f.station_code == station)
        and (item_id is None or f.item_id == item_id)
    ]
    if not shown:
        app.console.print(
            "mọi chỉ tiêu đều đạt"
            if not plan.shortfalls
            else "không có chỉ tiêu chưa đạt nào khớp bộ lọc"
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
    result = publish_office_week(app.database, office, _week(week), app.clock.now(), who)
    v = result.version
    app.console.print(
        f"đã công bố kế hoạch tuần {v.week} của {office}: phiên bản {v.version} ({who})"
    )
    _remind(app, office)
    if result.diff is None:
        return
    app.console.print(result.diff.summary_vi())
    for change in result.diff.changes[:200]:
        click.echo(f"  {change.describe()}")
    if len(result.diff.changes) > 200:
        app.console.print(f"  … và {len(result.diff.changes) - 200} thay đổi khác")


def _remind(app: App, office: str) -> None:
    """From Friday, a line on stderr while next week is unpublished: its stations would
    otherwise replay an old programme (the fallback)."""
    tz = ZoneInfo(app.settings.timezone)
    monday = unpublished_next_week(app.database, office, app.clock.now().astimezone(tz).date())
    if monday is not None:
        sunday = monday + timedelta(days=6)
        click.echo(
            f"nhắc: kế hoạch tuần sau (từ {monday:%d/%m} đến {sunday:%d/%m/%Y}) của {office} "
            "chưa công bố; công bố trước thứ Hai để các đài không phải phát chương trình dự phòng "
            f"('broadcaster plan week --office {office} --week {monday.isoformat()}')",
            err=True,
        )


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
