"""``broadcaster speech``: normalise text, check engines, synthesise announcements, the cache."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from broadcaster.domain.messages import N_, Msg, _, _n
from broadcaster.speech.normalize import normalize_text
from broadcaster.speech.settings import ENGINES, SpeechSettings

from . import App, headers, pass_app

if TYPE_CHECKING:
    from broadcaster.speech.piper import PiperVoiceFile


def speech_settings(app: App, **overrides: object) -> SpeechSettings:
    return app.settings.section("speech", SpeechSettings, **overrides)


def warn(message: str | Msg) -> None:
    click.echo(_("warning: {message}", message=message), err=True)


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
    help="Reading of numbers: the northern or the southern words. Default: [speech] dialect.",
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
    """Show each speech engine and whether it can be used right now, then the Piper voices.

    With [speech] engine = "auto" the engines of [speech] engines are tried in their order.
    """
    from broadcaster.speech.piper import installed_voices
    from broadcaster.usecases import speech as uc  # loads storage only when needed

    speech = speech_settings(app)
    voices = uc.voices_dir(app.settings.audio_dir)
    table = Table(*headers(_("engine"), _("usable"), _("offline"), _("detail")))
    yes, no = str(_("yes")), str(_("no"))
    for s in uc.engine_statuses(speech, voices):
        name = str(_("{engine} (selected)", engine=s.name)) if s.selected else s.name
        table.add_row(
            name,
            yes if s.usable else f"[red]{no}[/red]",
            yes if s.offline else no,
            escape(s.detail),  # details name settings such as [speech] fpt_api_key
        )
    app.console.print(table)
    app.console.print(_("order: {engines}", engines=" → ".join(speech.engines)), markup=False)
    found = installed_voices(voices)
    if not found:
        app.console.print(_("no Piper voices in {folder}", folder=voices), markup=False)
    for v in found:
        _say_voice(app, N_("Piper voice {name}: {language}, {rate} Hz ({path})"), v)


@command.group("voices")
def voices_group() -> None:
    """Piper voices installed for this office (<audio_dir>/voices)."""


@voices_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def voices_add(app: App, file: Path) -> None:
    """Check a Piper voice FILE.onnx (with FILE.onnx.json beside it) and install it.

    The voice is loaded and speaks a word before it is copied; set [speech] piper_voice to its
    name to use it, or leave piper_voice empty to use the first Vietnamese voice.
    """
    from broadcaster.speech.piper import add_voice
    from broadcaster.usecases import speech as uc

    voice = add_voice(file, uc.voices_dir(app.settings.audio_dir))
    _say_voice(app, N_("voice {name} ({language}, {rate} Hz) installed: {path}"), voice)


def _say_voice(app: App, message: str, voice: PiperVoiceFile) -> None:
    """Print ``message`` (an ``N_`` text) naming the voice's {name}, {language}, {rate} and {path}."""
    app.console.print(
        _(
            message,
            name=voice.name,
            language=voice.language,
            rate=voice.sample_rate,
            path=voice.model,
        ),
        markup=False,
    )


@command.command("check")
@click.argument("items", nargs=-1, type=int, required=True)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    help="Flag a sentence when more than this share of its words were not heard as written.",
)
@pass_app
def check(app: App, items: tuple[int, ...], threshold: float) -> None:
    """Listen to ITEMs' audio with the speech recogniser and flag sentences that differ from
    the script (numbers, names, dates), before the item is approved.

    Needs the offline recogniser (pip install viet-asr). Exits with 1 when a sentence is flagged.
    """
    from broadcaster.speech.recognize import Recognizer
    from broadcaster.usecases import speech_check as uc

    results = uc.check_items(
        app.database,
        items,
        audio_dir=app.settings.audio_dir,
        speech=speech_settings(app),
        recognizer=Recognizer(),
        threshold=threshold,
    )
    for r in results:
        _say_check(app, r)
    if any(r.flagged for r in results):
        raise SystemExit(1)


def _say_check(app: App, r: Any) -> None:
    app.console.print(
        _n(
            "item {id}: {rate:.0%} of the words differ; {n} sentence to listen to again",
            "item {id}: {rate:.0%} of the words differ; {n} sentences to listen to again",
            len(r.flagged),
            id=r.item_id,
            rate=r.count.rate,
        ),
        markup=False,
    )
    for s in r.flagged:
        app.console.print(f"  ✗ {s.text}", markup=False)
        if s.missed:
            app.console.print(
                _(
                    "    not heard: {missed}; heard instead: {heard}",
                    missed=" ".join(s.missed),
                    heard=" ".join(s.heard) or "–",
                ),
                markup=False,
            )
        if s.facts_missed:
            app.console.print(
                _("    numbers not heard: {words}", words=" ".join(s.facts_missed)), markup=False
            )


@command.command("synth")
@click.argument("items", nargs=-1, type=int)
@click.option("--all-approved", is_flag=True, help="Every approved item that has a script.")
@click.option("--text", help="Synthesise this text instead of items (not stored as a segment).")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="Speech engine for this run. Default: [speech] engine (auto: the [speech] engines in order).",
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
        raise click.UsageError(str(_("give item numbers, --all-approved or --text (exactly one)")))
    if out is not None and text is None:
        raise click.UsageError(
            str(_("--out works with --text only; item audio stays in the cache"))
        )
    speech = speech_settings(app, engine=engine)
    synthesizer = uc.make_synthesizer(speech, app.settings.audio_dir, app.clock, warn=warn)
    if text is not None:
        _say_text(app, uc.synthesize_text(synthesizer, text, out), out)
        return
    selected, recorded = uc.select_items(app.database, item_ids=items, all_approved=all_approved)
    if not selected:
        app.console.print(_("no approved items to synthesise"))
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=app.console,
        transient=True,
    )
    with progress:
        task = progress.add_task(str(_("synthesising speech")), total=len(selected))

        def advance(item: object, _result: object) -> None:
            progress.advance(task)

        report = uc.synthesize_items(app.database, synthesizer, selected, on_item=advance)
    _say_report(app, report, len(recorded))
    if report.problems:
        raise uc.SynthesisIncomplete(len(report.results), report.problems)


def _say_text(app: App, rendered: Any, out: Path | None) -> None:
    values = {
        "length": mmss(rendered.entry.duration_ms),
        "engine": rendered.entry.engine,
        "lufs": rendered.entry.loudness_lufs,
        "path": out or rendered.path,
    }
    app.console.print(
        _("{length} of speech ({engine}, {lufs:.1f} LUFS, synthesised): {path}", **values)
        if rendered.synthesized
        else _("{length} of speech ({engine}, {lufs:.1f} LUFS, from cache): {path}", **values),
        markup=False,
    )


def _say_report(app: App, report: Any, recorded: int) -> None:
    """A line per item, then the summary."""
    for r in report.results:
        values = {
            "id": r.item.id,
            "length": mmss(round(r.segment.duration.total_seconds() * 1000)),
            "engine": r.segment.engine,
            "path": r.segment.path,
        }
        app.console.print(
            _("item {id}: {length} made ({engine}) {path}", **values)
            if r.synthesized
            else _("item {id}: {length} from cache ({engine}) {path}", **values),
            markup=False,
        )
    engines_used = ", ".join(f"{n} {name}" for name, n in sorted(report.engines.items()))
    counts = {
        "synthesised": report.synthesized,
        "engines": f" ({engines_used})" if engines_used else "",
        "cached": report.cached,
    }
    if recorded:
        summary = _n(
            "{n} item has audio: {synthesised} synthesised{engines}, {cached} from cache; "
            "{recorded} kept on their recording",
            "{n} items have audio: {synthesised} synthesised{engines}, {cached} from cache; "
            "{recorded} kept on their recording",
            len(report.results),
            recorded=recorded,
            **counts,
        )
    else:
        summary = _n(
            "{n} item has audio: {synthesised} synthesised{engines}, {cached} from cache",
            "{n} items have audio: {synthesised} synthesised{engines}, {cached} from cache",
            len(report.results),
            **counts,
        )
    app.console.print(summary, markup=False)


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
    by_engine = ", ".join(f"{name} {n}" for name, n in sorted(s.by_engine.items())) or _("none")
    app.console.print(_("cache: {folder}", folder=root), markup=False)
    app.console.print(
        _n(
            "{n} file, {size}, {length} of audio ({engines})",
            "{n} files, {size}, {length} of audio ({engines})",
            s.files,
            size=megabytes(s.bytes),
            length=mmss(s.duration_ms),
            engines=by_engine,
        ),
        markup=False,
    )
    app.console.print(
        _n(
            "{n} file used by no segment ({size}); 'broadcaster speech cache prune' deletes them",
            "{n} files used by no segment ({size}); 'broadcaster speech cache prune' deletes them",
            s.unreferenced,
            size=megabytes(s.unreferenced_bytes),
        ),
        markup=False,
    )


@cache.command("prune")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@pass_app
def cache_prune(app: App, dry_run: bool) -> None:
    """Delete cached audio that no segment uses, and leftovers of interrupted runs."""
    from broadcaster.usecases import speech as uc  # loads storage only when needed

    r = uc.prune_cache(app.database, app.settings.audio_dir, dry_run=dry_run)
    values = {"size": megabytes(r.freed_bytes), "kept": r.kept}
    app.console.print(
        _n(
            "would delete {n} file, {size}; {kept} in use are kept",
            "would delete {n} files, {size}; {kept} in use are kept",
            r.removed,
            **values,
        )
        if dry_run
        else _n(
            "deleted {n} file, {size}; {kept} in use are kept",
            "deleted {n} files, {size}; {kept} in use are kept",
            r.removed,
            **values,
        )
    )
