"""``broadcaster emergency``: send an emergency bulletin from the office, and follow it up."""

from __future__ import annotations

import functools
import getpass
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.domain.distribution import BodyState, Emergency, Principal, Scope
from broadcaster.domain.messages import _, _n
from broadcaster.i18n import fmt_datetime, fmt_time
from broadcaster.usecases.emergencies import (
    MAX_REPEAT,
    BulletinRequest,
    BulletinStatus,
    bulletin_status,
    cancel_emergency,
    complete_body,
    correct_emergency,
    create_emergency,
    delivery_counts,
    prepare_recording,
    recent_bulletins,
)

from . import App, headers, pass_app

#: how often a followed bulletin's deliveries are counted again
FOLLOW_EVERY = 1.0


@click.group("emergency")
def command() -> None:
    """Emergency bulletins (disasters, fire, epidemics): they preempt every station's programme."""


@dataclass(frozen=True)
class _Content:
    """What a bulletin says and where it goes, as the options of 'send' and 'correct' give it."""

    text: str | None
    text_file: click.utils.LazyFile | None
    audio_file: Path | None
    stations: str | None
    repeat: int
    expires_minutes: int
    follow: bool | None
    follow_seconds: float | None


def _content_options(f: Callable[..., None]) -> Callable[..., None]:
    """The content options, handed to the command as one ``content`` (a :class:`_Content`)."""

    @functools.wraps(f)
    def collect(*args: Any, **kwargs: Any) -> None:
        names = [field.name for field in fields(_Content)]
        content = _Content(**{name: kwargs.pop(name) for name in names})
        f(*args, content=content, **kwargs)

    for option in reversed(
        [
            click.option("--text", help="What is read out (spoken offline by espeak-ng)."),
            click.option(
                "--text-file",
                type=click.File("r", encoding="utf-8"),
                help="Read the text from a UTF-8 file ('-' for standard input).",
            ),
            click.option(
                "--audio",
                "audio_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="A recorded bulletin instead of text (any format ffmpeg reads).",
            ),
            click.option(
                "--stations",
                help="Only these stations (comma-separated codes); default: every "
                "station that airs under the office.",
            ),
            click.option(
                "--repeat",
                type=click.IntRange(1, MAX_REPEAT),
                default=1,
                show_default=True,
                help="How many times each station plays it.",
            ),
            click.option(
                "--expires",
                "expires_minutes",
                type=click.IntRange(1, 24 * 60),
                default=60,
                show_default=True,
                help="Minutes during which a station that comes online still plays it.",
            ),
            click.option(
                "--follow/--no-follow",
                default=None,
                help="Show live how many stations received and started it, until all have "
                "or Ctrl-C (default: when the output is a terminal).",
            ),
            click.option(
                "--timeout",
                "follow_seconds",
                type=click.FloatRange(0, 24 * 3600),
                help="Stop following after this many seconds.",
            ),
        ]
    ):
        collect = option(collect)
    return collect


def _request(app: App, title: str, content: _Content, office: str | None) -> BulletinRequest:
    text, audio_file, stations = content.text, content.audio_file, content.stations
    if content.text_file is not None:
        text = content.text_file.read()
    if bool(text and text.strip()) == bool(audio_file):
        raise click.UsageError(
            str(_("give the bulletin's words (--text or --text-file) or --audio FILE, one of them"))
        )
    audio_hash = (
        prepare_recording(app.settings, audio_file, db=app.database, office=office, clock=app.clock)
        if audio_file
        else None
    )
    chosen = tuple(c.strip() for c in stations.split(",") if c.strip()) if stations else None
    return BulletinRequest(
        title=title,
        text=text if not audio_file else None,
        audio_hash=audio_hash,
        stations=chosen,
        repeat=content.repeat,
        expires_in=timedelta(minutes=content.expires_minutes),
        office=office,
    )


def _principal(office: str) -> Principal:
    who = os.environ.get("USER") or _login()
    return Principal(token_id=0, scope=Scope.OFFICE, station_code=office, label=f"{who} (CLI)")


@command.command("send")
@click.option("--office", required=True, help="Office sending the bulletin.")
@click.option("--title", required=True, help="Short title, as the stations and the log show it.")
@_content_options
@pass_app
def send(app: App, office: str, title: str, content: _Content) -> None:
    """Send a bulletin now. Every connected station stops what it plays within seconds,
    sounds the attention signal and the spoken lead-in, then the bulletin, and resumes its
    schedule. A text is spoken while the stations already sound the signal.

    Give the words (--text or --text-file) or a recording (--audio).
    """
    request = _request(app, title, content, office)
    e = create_emergency(app.database, app.settings, app.clock, _principal(office), request)
    _after_sending(app, e, content)


@command.command("correct")
@click.argument("emergency_id", type=click.IntRange(1, 2**63 - 1))
@click.option("--title", help="New title (default: the bulletin's own).")
@_content_options
@pass_app
def correct(app: App, emergency_id: int, title: str | None, content: _Content) -> None:
    """Send a correction of a bulletin: the stations stop the old one and play the new one
    (to the same stations unless --stations names others)."""
    old = bulletin_status(app.database, emergency_id).emergency
    request = _request(app, title or old.title, content, old.office_code)
    e = correct_emergency(
        app.database, app.settings, app.clock, _principal(old.office_code), emergency_id, request
    )
    app.console.print(
        _(
            "bulletin #{old} is replaced by correction #{new}",
            old=emergency_id,
            new=e.id,
        ),
        markup=False,
    )
    _after_sending(app, e, content)


@command.command("cancel")
@click.argument("emergency_id", type=click.IntRange(1, 2**63 - 1))
@click.option("--reason", help="Why, e.g. a false alarm (shown to the stations and in the log).")
@pass_app
def cancel(app: App, emergency_id: int, reason: str | None) -> None:
    """Withdraw a bulletin: stations playing it stop within seconds and log it cancelled;
    stations that have not played it yet never will."""
    office = bulletin_status(app.database, emergency_id).emergency.office_code
    e = cancel_emergency(app.database, app.clock, _principal(office), emergency_id, reason)
    tz = ZoneInfo(app.settings.timezone)
    assert e.cancelled_at is not None
    app.console.print(
        _(
            "emergency bulletin #{id} «{title}» cancelled at {at}; the stations playing it "
            "will stop",
            id=e.id,
            title=e.title,
            at=fmt_datetime(e.cancelled_at, tz, seconds=True),
        ),
        markup=False,
        soft_wrap=True,
    )


def _after_sending(app: App, e: Emergency, content: _Content) -> None:
    shown = ", ".join(e.stations[:12])
    if len(e.stations) > 12:
        shown = str(
            _n(
                "{listed} and {n} other station",
                "{listed} and {n} other stations",
                len(e.stations) - 12,
                listed=shown,
            )
        )
    app.console.print(
        _n(
            "emergency bulletin #{id} «{title}» sent to {n} station: {stations}; the connected "
            "stations sound the signal and the lead-in at once",
            "emergency bulletin #{id} «{title}» sent to {n} stations: {stations}; the connected "
            "stations sound the signal and the lead-in at once",
            len(e.stations),
            id=e.id,
            title=e.title,
            stations=shown,
        ),
        markup=False,
        soft_wrap=True,
    )
    if e.body_state is BodyState.PENDING:
        began = time.monotonic()
        app.console.print(_("synthesising the bulletin's words…"), markup=False)
        done = complete_body(app.database, app.settings, app.clock, e.id)
        took = time.monotonic() - began
        if done is None:
            app.console.print(
                _("another server is synthesising the bulletin's words"), markup=False
            )
        else:
            app.console.print(
                _n(
                    "the words are ready ({seconds:.1f} s of audio, synthesised in "
                    "{took:.1f} s), played {n} time after the lead-in",
                    "the words are ready ({seconds:.1f} s of audio, synthesised in "
                    "{took:.1f} s), played {n} times after the lead-in",
                    done.repeat,
                    seconds=(done.duration_ms or 0) / 1000,
                    took=took,
                ),
                markup=False,
            )
    follow = content.follow
    if follow is None:
        follow = sys.stdout.isatty()
    if follow:
        _follow(app, e.id, content.follow_seconds)
    app.console.print(_("follow it: 'broadcaster emergency show {id}'", id=e.id), markup=False)


def _follow(app: App, emergency_id: int, seconds: float | None) -> None:
    """Count deliveries until every station has started, Ctrl-C, or ``seconds``."""
    began = time.monotonic()
    last: tuple[int, int] | None = None
    try:
        while True:
            counts = delivery_counts(app.database, emergency_id)
            now = (counts.received, counts.started)
            if now != last:
                app.console.print(
                    "  "
                    + _(
                        "after {seconds:5.1f} s: {received}/{targets} stations received it, "
                        "{started}/{targets} started it",
                        seconds=time.monotonic() - began,
                        received=counts.received,
                        started=counts.started,
                        targets=counts.targets,
                    ),
                    markup=False,
                )
                last = now
            if counts.targets and counts.started >= counts.targets:
                app.console.print(_("every station has played the bulletin"), markup=False)
                return
            if seconds is not None and time.monotonic() - began >= seconds:
                return
            time.sleep(FOLLOW_EVERY)
    except KeyboardInterrupt:
        app.console.print(_("stopped following; the bulletin is still being played"), markup=False)


@command.command("list")
@click.option("--office", help="Only bulletins of this office and the offices below it.")
@click.option(
    "--limit",
    type=click.IntRange(1, 500),
    default=20,
    show_default=True,
    help="How many bulletins to show.",
)
@pass_app
def list_(app: App, office: str | None, limit: int) -> None:
    """The newest bulletins with how many stations have acknowledged them."""
    found = recent_bulletins(app.database, office, limit)
    if not found:
        app.console.print(_("no emergency bulletins yet"))
        return
    tz = ZoneInfo(app.settings.timezone)
    table = Table(
        *headers(
            "#",
            _("sent at"),
            _("office"),
            _("title"),
            _("received"),
            _("played"),
            _("expires / cancelled"),
        )
    )
    for s in found:
        e = s.emergency
        until = (
            str(_("cancelled {at}", at=fmt_datetime(e.cancelled_at, tz)))
            if e.cancelled_at
            else fmt_datetime(e.expires_at, tz)
        )
        table.add_row(
            str(e.id),
            fmt_datetime(e.created_at, tz, seconds=True),
            e.office_code,
            e.title,
            f"{s.acknowledged}/{len(s.deliveries)}",
            f"{s.started}/{len(s.deliveries)}",
            until,
        )
    app.console.print(table)


@command.command("show")
@click.argument("emergency_id", type=click.IntRange(1, 2**63 - 1))
@pass_app
def show(app: App, emergency_id: int) -> None:
    """One bulletin and, per station, when it acknowledged and started playing it."""
    s: BulletinStatus = bulletin_status(app.database, emergency_id)
    e, tz = s.emergency, ZoneInfo(app.settings.timezone)
    app.console.print(
        _(
            "emergency bulletin #{id} «{title}» of {office}, sent {at} by {by}; "
            "{received}/{targets} stations received it, {started}/{targets} played it",
            id=e.id,
            title=e.title,
            office=e.office_code,
            at=fmt_datetime(e.created_at, tz, seconds=True),
            by=e.created_by or "–",
            received=s.acknowledged,
            started=s.started,
            targets=len(s.deliveries),
        ),
        markup=False,
        soft_wrap=True,
    )
    if e.replaces:
        app.console.print(_("correction of bulletin #{id}", id=e.replaces), markup=False)
    if e.cancelled_at:
        values = {
            "at": fmt_datetime(e.cancelled_at, tz, seconds=True),
            "by": e.cancelled_by or "–",
        }
        app.console.print(
            _("cancelled at {at} by {by}: {reason}", reason=e.cancel_reason, **values)
            if e.cancel_reason
            else _("cancelled at {at} by {by}", **values),
            markup=False,
            soft_wrap=True,
        )
    if e.body_state is BodyState.PENDING:
        app.console.print(_("the bulletin's words are being synthesised"), markup=False)
    elif e.body_state is BodyState.FAILED:
        app.console.print(
            _("the bulletin's words could not be synthesised: {error}", error=e.body_error),
            markup=False,
        )
    if e.text:
        app.console.print(e.text, markup=False, soft_wrap=True)
    table = Table(*headers(_("station"), _("received"), _("started playing"), _("after (seconds)")))
    for d in s.deliveries:
        lag = f"{(d.started_at - e.created_at).total_seconds():.1f}" if d.started_at else "–"
        table.add_row(
            d.station_code,
            fmt_time(d.acked_at, tz, seconds=True) if d.acked_at else str(_("not yet")),
            fmt_time(d.started_at, tz, seconds=True) if d.started_at else "–",
            lag,
        )
    app.console.print(table)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
