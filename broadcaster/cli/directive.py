"""``broadcaster directive``: read guidance documents and import their topics as draft items."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.markup import escape
from rich.table import Table

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Directive, Item, ItemKind
from broadcaster.ingest import ExtractedText, IngestSettings, ParsedDocument, read_guidance
from broadcaster.ingest.jsonout import parsed_json
from broadcaster.ingest.scripts import date_text
from broadcaster.usecases.directives import ImportResult, import_files

from . import App, pass_app

F = TypeVar("F", bound=Callable[..., Any])


def say(app: App, text: str) -> None:
    """One message line: never wrapped or styled (file names may hold brackets)."""
    app.console.print(text, soft_wrap=True, markup=False, highlight=False)


#: 'directive parse' lists this many items of a document in its table
PARSE_TABLE_ROWS = 500
#: files this big say on stderr how far reading them got
PROGRESS_MIN_BYTES = 1024 * 1024
_STAGES = {"paragraphs": "joining lines", "topics": "finding topics", "scripts": "drafting scripts"}
_UNITS = {"paragraphs": "lines", "topics": "topics", "scripts": "scripts"}


class StderrProgress:
    """Reading a big file tells stderr what it is doing: a line per stage and per quarter of
    it (on a terminal, one line rewritten), so a long import is visibly at work."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.active = False
        self.tty = sys.stderr.isatty()
        self.shown: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "read":
            self.active = total >= PROGRESS_MIN_BYTES
            if self.active:
                self._line(f"{self.name}: {total / 1024 / 1024:.1f} MB, reading the text…")
            return
        if not self.active or stage not in _STAGES:
            return
        quarter = 4 * done // total if total else 4
        if self.shown == (stage, quarter):  # a line per quarter of each stage is enough
            return
        self.shown = (stage, quarter)
        percent = 100 * done // total if total else 100
        units = _UNITS[stage]
        self._line(f"{self.name}: {_STAGES[stage]}, {percent}% ({done:,} of {total:,} {units})")

    def _line(self, text: str) -> None:
        if self.tty:
            click.echo(f"\r\x1b[K{text}", err=True, nl=False)
        else:
            click.echo(text, err=True)

    def finish(self) -> None:
        if self.tty and self.active:
            click.echo("\r\x1b[K", err=True, nl=False)
        self.active = False


def read_with_progress(
    file: str, settings: IngestSettings
) -> tuple[ExtractedText, list[ParsedDocument]]:
    """read_guidance, with progress on stderr for big files; the progress line is cleared
    before an error is shown."""
    progress = StderrProgress(file if file != "-" else "<stdin>")
    try:
        return read_guidance(file, settings, progress)
    finally:
        progress.finish()


def ingest_settings(
    app: App,
    *,
    template: Path | None = None,
    reading_rate: int | None = None,
    max_mb: float | None = None,
) -> IngestSettings:
    return app.settings.section(
        "ingest",
        IngestSettings,
        script_template=template,
        reading_rate=reading_rate,
        max_file_mb=max_mb,
    )


def _ingest_options(f: F) -> F:
    f = click.option(
        "--max-mb",
        type=float,
        help="Refuse larger files (default 20, setting [ingest] max_file_mb).",
    )(f)
    f = click.option(
        "--reading-rate",
        type=click.IntRange(min=60, max=400),
        help="Reading speed for estimated durations, syllables per minute (default 150).",
    )(f)
    f = click.option(
        "--template",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Jinja2 announcement template replacing the default one.",
    )(f)
    return f


@click.group("directive")
def command() -> None:
    """Guidance documents (hướng dẫn tuyên truyền): read them, import their topics."""


@command.command("parse")
@click.argument("file")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the parsed document as JSON (see README)."
)
@_ingest_options
@pass_app
def parse(
    app: App,
    file: str,
    as_json: bool,
    template: Path | None,
    reading_rate: int | None,
    max_mb: float | None,
) -> None:
    """Show what a guidance file holds, writing nothing.

    FILE is a .txt, .md, .docx or a PDF with a text layer (old TCVN3/VNI and Windows-1258
    files are converted); '-' reads standard input. Lists the document header and every
    numbered topic with its kind, basis documents, slogans and the draft script's length.
    """
    settings = ingest_settings(app, template=template, reading_rate=reading_rate, max_mb=max_mb)
    extracted, documents = read_with_progress(file, settings)
    if as_json:
        click.echo(json.dumps(parsed_json(documents, extracted), ensure_ascii=False, indent=2))
        return
    render_parsed(app, extracted, documents)


@command.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_ingest_options
@pass_app
def import_(
    app: App,
    files: tuple[str, ...],
    template: Path | None,
    reading_rate: int | None,
    max_mb: float | None,
) -> None:
    """Import guidance files: their documents and topics become draft items.

    Each topic keeps its basis documents, slogans, dates and a draft announcement script;
    review them with 'broadcaster items list' and approve them with 'broadcaster items approve'.
    Importing the same file again changes nothing. Every file is read first: if any of them
    cannot be read, every problem is listed and nothing is stored.
    """
    settings = ingest_settings(app, template=template, reading_rate=reading_rate, max_mb=max_mb)
    parsed: list[tuple[ExtractedText, list[ParsedDocument]]] = []
    problems: list[str] = []
    for file in files:
        try:
            parsed.append(read_with_progress(file, settings))
        except InputError as e:
            problems.append(str(e))
    if problems and len(files) == 1:
        raise InputError(problems[0])
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise InputError(
            f"{len(problems)} of {len(files)} files cannot be imported, nothing was stored:\n"
            f"{listed}\nfix or leave out those files and run the import again"
        )
    results = import_files(app.database, parsed, app.clock.now())
    for (extracted, _), result in zip(parsed, results, strict=True):
        _say_imported(app, extracted, result)
    say(app, "review: broadcaster items list --state draft; approve: broadcaster items approve ID")


def _say_imported(app: App, extracted: ExtractedText, result: ImportResult) -> None:
    ids = ", ".join(str(d.id) for d in result.directives)
    if result.already_imported:
        say(
            app,
            f"{extracted.name}: already imported (directive {ids}, SHA-256 {extracted.sha256[:12]}…); "
            "nothing changed",
        )
        return
    propaganda = sum(1 for i in result.items if i.kind is ItemKind.PROPAGANDA)
    admin = len(result.items) - propaganda
    docs = len(result.directives)
    say(
        app,
        f"{extracted.name}: imported {docs} document{'s' if docs != 1 else ''} (directive {ids}), "
        f"{propaganda} propaganda items and {admin} administrative, all drafts",
    )
    for d in result.directives:
        say(app, f"  {d.id}: {describe_header(d)}")


@command.command("list")
@pass_app
def list_(app: App) -> None:
    """List imported guidance documents with their item counts."""
    with app.database.unit_of_work() as uow:
        directives = uow.directives.list()
        counts = {
            d.id: len(uow.items.list(directive_id=d.id, kind=ItemKind.PROPAGANDA))
            for d in directives
        }
    if not directives:
        say(app, "no guidance imported yet; import one with 'broadcaster directive import FILE'")
        return
    table = Table(title="Văn bản hướng dẫn đã nhập", title_justify="left")
    for col in ("ID", "Loại", "Số", "Cơ quan ban hành", "Ngày", "Mục tuyên truyền", "Tệp"):
        table.add_column(col)
    for d in directives:
        table.add_row(
            str(d.id),
            d.doc_type or "–",
            d.number or "–",
            d.issuer or "–",
            d.date.iso() if d.date else "–",
            str(counts[d.id]),
            f"{d.source_name or '–'}" + (f" (phần {d.part + 1})" if d.part else ""),
        )
    app.console.print(table)


@command.command("show")
@click.argument("directive_id", type=int)
@pass_app
def show(app: App, directive_id: int) -> None:
    """Show one imported document's header and its items."""
    with app.database.unit_of_work() as uow:
        directive = uow.directives.get(directive_id)
        items = uow.items.list(directive_id=directive_id)
    render_header(app, directive)
    app.console.print(items_table(items, with_ids=True))


# --- rendering --------------------------------------------------------------------------------


def describe_header(d: Directive) -> str:
    parts = [d.doc_type or "Văn bản"]
    if d.number:
        parts.append(f"số {d.number}")
    if d.issuer:
        parts.append(f"— {d.issuer}")
    where = ", ".join(x for x in (d.place, date_text(d.date)) if x)
    if where:
        parts.append(f"({where})")
    return " ".join(parts)


def render_header(app: App, d: Directive) -> None:
    app.console.print(f"[bold]{escape(describe_header(d))}[/bold]", soft_wrap=True)
    if d.subject:
        say(app, f"  Về việc: {d.subject}")
    if d.period:
        span = " – ".join(
            x.strftime("%d/%m/%Y") if x else "…" for x in (d.period.start, d.period.end)
        )
        say(app, f"  Thời gian: {d.period.text} ({span})")
    if d.addressees:
        say(app, "  Kính gửi: " + "; ".join(d.addressees))
    for b in d.basis:
        say(app, f"  Căn cứ: {b.describe()}")
    if d.signer:
        say(app, f"  Người ký: {d.signer}")


def items_table(items: list[Item] | tuple[Item, ...], *, with_ids: bool = False) -> Table:
    table = Table(show_lines=False)
    if with_ids:
        table.add_column("ID", justify="right")
    table.add_column("Số")
    table.add_column("Loại")
    table.add_column("Tiêu đề", overflow="fold")
    table.add_column("Căn cứ", overflow="fold")
    table.add_column("KH", justify="right")
    table.add_column("Ngày lễ")
    table.add_column("~giây", justify="right")
    if with_ids:
        table.add_column("Duyệt")
    for i in items:
        basis = "; ".join(
            " ".join(
                x for x in (b.type, b.number, b.date.strftime("%d/%m/%Y") if b.date else None) if x
            )
            for b in i.basis[:2]
        ) + (" …" if len(i.basis) > 2 else "")
        obs = ", ".join(dict.fromkeys(o.iso() or o.name for o in i.observances))
        seconds = i.effective_duration.total_seconds() if i.effective_duration else None
        row = [
            i.number,
            "tuyên truyền" if i.kind is ItemKind.PROPAGANDA else "hành chính",
            i.title,
            basis or "–",
            str(len(i.slogans)) if i.slogans else "",
            obs,
            f"{seconds:.0f}" if seconds else "",
        ]
        if with_ids:
            row = [str(i.id), *row, "✓" if i.approval.approved else "nháp"]
        table.add_row(*row)
    return table


def render_parsed(app: App, extracted: ExtractedText, documents: list[ParsedDocument]) -> None:
    encoding = (
        f", {extracted.encoding}" if extracted.encoding and extracted.encoding != "utf-8" else ""
    )
    say(
        app,
        f"{extracted.name}: {extracted.format}{encoding}, {len(documents)} document"
        f"{'s' if len(documents) != 1 else ''} (nothing was written)",
    )
    for doc in documents:
        app.console.print()
        render_header(app, doc.directive)
        n_prop = len(doc.propaganda)
        say(app, f"  {n_prop} propaganda items, {len(doc.items) - n_prop} administrative")
        if doc.items:
            # a table of thousands of rows takes rich longer than parsing and helps nobody
            app.console.print(items_table(doc.items[:PARSE_TABLE_ROWS]))
        if len(doc.items) > PARSE_TABLE_ROWS:
            say(
                app,
                f"  … and {len(doc.items) - PARSE_TABLE_ROWS:,} more items not shown; "
                "see them all with --json",
            )
