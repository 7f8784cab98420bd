"""``broadcaster segments``: recorded audio and the list of finished segments."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.usecases import speech as uc

from . import App, pass_app
from .speech import mmss, speech_settings


@click.group("segments")
def command() -> None:
    """Finished audio: register recordings, list what each item will play."""


@command.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--item", "item_id", type=int, help="The item this recording is the audio of.")
@pass_app
def add(app: App, file: Path, item_id: int | None) -> None:
    """Register a recording (music, a programme, a piece in a minority language) as a segment.

    The file is decoded, trimmed, brought to the loudness target and stored as MP3; the item's
    duration becomes the recording's. Files ffmpeg cannot decode are refused.
    """
    result = uc.add_recorded(
        app.database,
        file,
        speech=speech_settings(app),
        audio_dir=app.settings.audio_dir,
        clock=app.clock,
        item_id=item_id,
    )
    s = result.segment
    target = f"item {s.item_id}" if s.item_id is not None else "no item"
    app.console.print(
        f"segment {s.id} ({target}): {mmss(round(s.duration.total_seconds() * 1000))}, "
        f"{s.loudness_lufs:.1f} LUFS, {app.settings.audio_dir / s.path}"
    )


@command.command("list")
@click.option("--item", "item_id", type=int, help="Only this item's segments.")
@pass_app
def list_(app: App, item_id: int | None) -> None:
    """List segments: item, kind, engine, length, loudness and file."""
    segments = uc.list_segments(app.database, item_id=item_id)
    if not segments:
        app.console.print("no segments yet; run 'broadcaster speech synth --all-approved'")
        return
    zone = ZoneInfo(app.settings.timezone)
    table = Table("id", "item", "kind", "engine/voice", "length", "LUFS", "made", "file")
    for s in segments:
        source = f"{s.engine}/{s.voice}" if s.engine else (s.source_name or "")
        table.add_row(
            str(s.id),
            str(s.item_id) if s.item_id is not None else "-",
            s.kind.value,
            source,
            mmss(round(s.duration.total_seconds() * 1000)),
            f"{s.loudness_lufs:.1f}",
            s.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            s.path,
        )
    app.console.print(table)
