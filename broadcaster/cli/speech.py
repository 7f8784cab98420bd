"""``broadcaster speech``: normalise text, check engines, synthesise announcements, the cache."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from broadcaster.speech.normalize import normalize_text
from broadcaster.speech.settings import ENGINES, SpeechSettings

from . import App, pass_app


def speech_settings(app: App, **overrides: object) -> SpeechSettings:
    return app.settings.section("speech", SpeechSettings, **overrides)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def mmss(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@click.group("speech")
def command() -> None:
    """Announcement audio: Vietnamese text normalisation, speech engines, synthesis, cache."""


@command.command("normalize")
@click.argument("text")
@click.option(
    "--dialect",
    type=click.Choice(["north", "south"]),
    help="Reading of numbers: north (nghìn, linh) or south (ngàn, lẻ). Default: [speech] dialect.",
)
@click.option(
    "--codes",
    "document_codes",
    type=click.Choice(["drop", "spell"]),
    help="Document codes such as /KH-UBND: drop them or spell them. Default: [speech] document_codes.",
)
@pass_app
def normalize(app: App, text: str, dialect: str | None, document_codes: str | None) -> None:
    """Print TEXT as it will be read aloud, on one line.

    TEXT "-" reads standard input: each input line gives one output line.
    """
    options = speech_settings(
        app, dialect=dialect, document_codes=document_codes
    ).normalize_options()
    lines = sys.stdin.read().splitlines() if text == "-" else [" ".join(text.splitlines())]
    for line in lines:
        spoken = normalize_text(line, options)
        click.echo(" ".join(spoken.split()))


@command.command("engines")
@pass_app
def engines(app: App) -> None:
    """Show each speech engine and whether it can be used right now."""
    from broadcaster.usecases import speech as uc  # loads storage only when needed

    table = Table("engine", "usable", "offline", "detail")
    for s in uc.engine_statuses(speech_settings(app)):
        name = f"{s.name} (selected)" if s.selected else s.name
        table.add_row(
            name,
            "yes" if s.usable else "[red]no[/red]",
            "yes" if s.offline else "no",
            s.detail,
        )
    app.console.print(table)


@command.command("synth")
@click.argument("items", nargs=-1, type=int)
@click.option("--all-approved", is_flag=True, help="Every approved item that has a script.")
@click.option("--text", help="Synthesise this text instead of items (not stored as a segment).")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="Speech engine for this run. Default: [speech] engine (auto).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --text: also copy the MP3 to this file.",
)
@pass_app
def synth(
    app: App,
    items: tuple[int, ...],
    all_approved: bool,
    text: str | None,
    engine: str | None,
    out: Path | None,
) -> None:
    """Make the announcement audio of ITEMs (or all approved items, or a --text).

    Scripts are normalised, spoken by the engine, trimmed, brought to the loudness target and
    saved as MP3. Audio already made with the same text and settings is reused, not made again.
    """
    from broadcaster.usecases import speech as uc  # loads storage only when needed

    chosen = sum(bool(x) for x in (items, all_approved, text is not None))
    if chosen != 1:
        raise click.UsageError("give item numbers, --all-approved or --text (exactly one)")
    if out is not None and text is None:
        raise click.UsageError("--out works with --text only; item audio stays in the cache")
    speech = speech_settings(app, engine=engine)
    synthesizer = uc.make_synthesizer(speech, app.settings.audio_dir, app.clock, warn=warn)
    if text is not None:
        rendered = uc.synthesize_text(synthesizer, text, out)
        state = "synthesised" if rendered.synthesized else "from cache"
        app.console.print(
            f"{mmss(rendered.entry.duration_ms)} of speech ({rendered.entry.engine}, "
            f"{rendered.entry.loudness_lufs:.1f} LUFS, {state}): {out or rendered.path}"
        )
        return
    selected, recorded = uc.select_items(app.database, item_ids=items, all_approved=all_approved)
    if not selected:
        app.console.print("no approved items to synthesise")
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=app.console,
        transient=True,
    )
    with progress:
        task = progress.add_task("tổng hợp tiếng nói", total=len(selected))

        def advance(item: object, _result: object) -> None:
            progress.advance(task)

        report = uc.synthesize_items(app.database, synthesizer, selected, on_item=advance)
    for r in report.results:
        state = "made" if r.synthesized else "cached"
        app.console.print(
            f"item {r.item.id}: {mmss(round(r.segment.duration.total_seconds() * 1000))} "
            f"{state} ({r.segment.engine}) {r.segment.path}"
        )
    engines_used = ", ".join(f"{n} {name}" for name, n in sorted(report.engines.items()))
    summary = (
        f"{len(report.results)} item(s) have audio: {report.synthesized} synthesised"
        f"{f' ({engines_used})' if engines_used else ''}, {report.cached} from cache"
    )
    if recorded:
        summary += f"; {len(recorded)} kept on their recording"
    app.console.print(summary)
    if report.problems:
        raise uc.SynthesisIncomplete(len(report.results), report.problems)


@command.group("cache")
def cache() -> None:
    """The audio cache (<audio_dir>/cache): size and clean-up."""


@cache.command("stats")
@pass_app
def cache_stats(app: App) -> None:
    """Show how many files the cache holds, their size and length."""
    from broadcaster.usecases import speech as uc  # loads storage only when needed

    s = uc.cache_stats(app.database, app.settings.audio_dir)
    root = app.settings.audio_cache_dir
    by_engine = ", ".join(f"{name} {n}" for name, n in sorted(s.by_engine.items())) or "none"
    app.console.print(f"cache: {root}")
    app.console.print(
        f"{s.files} file(s), {megabytes(s.bytes)}, {mmss(s.duration_ms)} of audio ({by_engine})"
    )
    app.console.print(
        f"{s.unreferenced} file(s) used by no segment ({megabytes(s.unreferenced_bytes)}); "
        "'broadcaster speech cache prune' deletes them"
    )


@cache.command("prune")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@pass_app
def cache_prune(app: App, dry_run: bool) -> None:
    """Delete cached audio that no segment uses, and leftovers of interrupted runs."""
    from broadcaster.usecases import speech as uc  # loads storage only when needed

    r = uc.prune_cache(app.database, app.settings.audio_dir, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    app.console.print(
        f"{verb} {r.removed} file(s), {megabytes(r.freed_bytes)}; kept {r.kept} in use"
    )
