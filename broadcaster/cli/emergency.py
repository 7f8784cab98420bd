"""``broadcaster emergency``: send an emergency bulletin from the office, and follow it up."""

from __future__ import annotations

import getpass
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.domain.distribution import Principal, Scope
from broadcaster.usecases.emergencies import (
    MAX_REPEAT,
    BulletinRequest,
    BulletinStatus,
    bulletin_status,
    create_emergency,
    prepare_recording,
    recent_bulletins,
)

from . import App, pass_app


@click.group("emergency")
def command() -> None:
    """Emergency bulletins (disasters, fire, epidemics): they preempt every station's programme."""


@command.command("send")
@click.option("--office", required=True, help="Office sending the bulletin.")
@click.option("--title", required=True, help="Short title, e.g. 'Cảnh báo lũ quét'.")
@click.option("--text", help="What is read out (spoken offline by espeak-ng).")
@click.option(
    "--text-file",
    type=click.File("r", encoding="utf-8"),
    help="Read the text from a UTF-8 file ('-' for standard input).",
)
@click.option(
    "--audio",
    "audio_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A recorded bulletin instead of text (any format ffmpeg reads).",
)
@click.option(
    "--stations",
    help="Only these stations (comma-separated codes); default: every "
    "station that airs under the office.",
)
@click.option(
    "--repeat",
    type=click.IntRange(1, MAX_REPEAT),
    default=1,
    show_default=True,
    help="How many times each station plays it.",
)
@click.option(
    "--expires",
    "expires_minutes",
    type=click.IntRange(1, 24 * 60),
    default=60,
    show_default=True,
    help="Minutes during which a station that comes online still plays it.",
)
@pass_app
def send(
    app: App,
    office: str,
    title: str,
    text: str | None,
    text_file: click.utils.LazyFile | None,
    audio_file: Path | None,
    stations: str | None,
    repeat: int,
    expires_minutes: int,
) -> None:
    """Send a bulletin now: agents pick it up within seconds, stop what they play, play it,
    and resume their schedule.

    Give the words (--text or --text-file) or a recording (--audio).
    """
    if text_file is not None:
        text = text_file.read()
    if bool(text and text.strip()) == bool(audio_file):
        raise click.UsageError(
            "give the bulletin's words (--text or --text-file) or --audio FILE, one of them"
        )
    audio_hash = prepare_recording(app.settings, audio_file) if audio_file else None
    who = os.environ.get("USER") or _login()
    principal = Principal(token_id=0, scope=Scope.OFFICE, station_code=office, label=f"{who} (CLI)")
    chosen = tuple(c.strip() for c in stations.split(",") if c.strip()) if stations else None
    request = BulletinRequest(
        title=title,
        text=text if not audio_file else None,
        audio_hash=audio_hash,
        stations=chosen,
        repeat=repeat,
        expires_in=timedelta(minutes=expires_minutes),
        office=office,
    )
    e = create_emergency(app.database, app.settings, app.clock, principal, request)
    seconds = (e.duration_ms or 0) / 1000
    app.console.print(
        f"đã gửi bản tin khẩn cấp #{e.id} «{e.title}» ({seconds:.1f} giây, phát {e.repeat} lần) "
        f"tới {len(e.stations)} đài: {', '.join(e.stations)}",
        markup=False,
        soft_wrap=True,
    )
    app.console.print(f"theo dõi: broadcaster emergency show {e.id}", markup=False)


@command.command("list")
@click.option("--office", help="Only bulletins of this office and the offices below it.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@pass_app
def list_(app: App, office: str | None, limit: int) -> None:
    """The newest bulletins with how many stations have acknowledged them."""
    found = recent_bulletins(app.database, office, limit)
    if not found:
        app.console.print("no emergency bulletins yet")
        return
    tz = ZoneInfo(app.settings.timezone)
    table = Table("#", "gửi lúc", "đơn vị", "tiêu đề", "đã nhận", "hết hạn")
    for s in found:
        e = s.emergency
        table.add_row(
            str(e.id),
            f"{e.created_at.astimezone(tz):%d/%m/%Y %H:%M:%S}",
            e.office_code,
            e.title,
            f"{s.acknowledged}/{len(s.deliveries)}",
            f"{e.expires_at.astimezone(tz):%d/%m %H:%M}",
        )
    app.console.print(table)


@command.command("show")
@click.argument("emergency_id", type=int)
@pass_app
def show(app: App, emergency_id: int) -> None:
    """One bulletin and, per station, when it acknowledged and started playing it."""
    s: BulletinStatus = bulletin_status(app.database, emergency_id)
    e, tz = s.emergency, ZoneInfo(app.settings.timezone)
    app.console.print(
        f"bản tin khẩn cấp #{e.id} «{e.title}» của {e.office_code}, gửi {e.created_at.astimezone(tz):%d/%m/%Y %H:%M:%S}"
        f" bởi {e.created_by or '–'}; {s.acknowledged}/{len(s.deliveries)} đài đã nhận",
        markup=False,
        soft_wrap=True,
    )
    if e.text:
        app.console.print(e.text, markup=False, soft_wrap=True)
    table = Table("đài", "đã nhận", "bắt đầu phát", "sau (giây)")
    for d in s.deliveries:
        lag = f"{(d.started_at - e.created_at).total_seconds():.1f}" if d.started_at else "–"
        table.add_row(
            d.station_code,
            f"{d.acked_at.astimezone(tz):%H:%M:%S}" if d.acked_at else "chưa",
            f"{d.started_at.astimezone(tz):%H:%M:%S}" if d.started_at else "–",
            lag,
        )
    app.console.print(table)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
