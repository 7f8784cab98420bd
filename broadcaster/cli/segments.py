"""``broadcaster segments``: recorded audio and the list of finished segments."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.table import Table

from broadcaster.domain.messages import N_, _, translate
from broadcaster.i18n import fmt_datetime
from broadcaster.usecases import speech as uc

from . import App, headers, pass_app
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
    target = _("item {id}", id=s.item_id) if s.item_id is not None else _("no item")
    app.console.print(
        _(
            "segment {id} ({target}): {length}, {lufs:.1f} LUFS, {path}",
            id=s.id,
            target=target,
            length=mmss(round(s.duration.total_seconds() * 1000)),
            lufs=s.loudness_lufs,
            path=app.settings.audio_dir / s.path,
        ),
        markup=False,
        soft_wrap=True,
    )


@command.command("list")
@click.option("--item", "item_id", type=int, help="Only this item's segments.")
@pass_app
def list_(app: App, item_id: int | None) -> None:
    """List segments: item, kind, engine, length, loudness and file."""
    segments = uc.list_segments(app.database, item_id=item_id)
    if not segments:
        app.console.print(_("no segments yet; run 'broadcaster speech synth --all-approved'"))
        return
    zone = ZoneInfo(app.settings.timezone)
    table = Table(
        *headers(
            _("id"),
            _("item"),
            _("kind"),
            _("engine/voice"),
            _("length"),
            "LUFS",
            _("made"),
            _("file"),
        )
    )
    for s in segments:
        source = f"{s.engine}/{s.voice}" if s.engine else (s.source_name or "")
        table.add_row(
            str(s.id),
            str(s.item_id) if s.item_id is not None else "-",
            segment_kind(s.kind.value),
            source,
            mmss(round(s.duration.total_seconds() * 1000)),
            f"{s.loudness_lufs:.1f}",
            fmt_datetime(s.created_at, zone),
            s.path,
        )
    app.console.print(table)


#: segment kinds as a user reads them
SEGMENT_KINDS = {"tts": N_("synthesised speech"), "recorded": N_("recording")}


def segment_kind(kind: str) -> str:
    return translate(SEGMENT_KINDS[kind]) if kind in SEGMENT_KINDS else kind
