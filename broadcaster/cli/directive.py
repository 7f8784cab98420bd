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
from broadcaster.domain.items import Directive, Item, ItemKind, Observance, PartialDate
from broadcaster.domain.messages import N_, Msg, _, _n, translate
from broadcaster.ingest import ExtractedText, IngestSettings, ParsedDocument, read_guidance
from broadcaster.ingest.jsonout import parsed_json
from broadcaster.usecases.directives import (
    ImportResult,
    ScriptReview,
    default_office,
    import_files,
)

from . import App, pass_app

F = TypeVar("F", bound=Callable[..., Any])


def say(app: App, text: str | Msg) -> None:
    """One message line: never wrapped or styled (file names may hold brackets)."""
    app.console.print(text, soft_wrap=True, markup=False, highlight=False)


def indented(text: str | Msg) -> str:
    """A line that belongs to the one above it."""
    return f"  {text}"


#: 'directive parse' lists this many items of a document in its table
PARSE_TABLE_ROWS = 500
#: files this big say on stderr how far reading them got
PROGRESS_MIN_BYTES = 1024 * 1024
_STAGES = {
    "paragraphs": N_("joining lines"),
    "topics": N_("finding topics"),
    "scripts": N_("drafting scripts"),
}


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
                self._line(
                    _(
                        "{name}: {size:.1f} MB, reading the text…",
                        name=self.name,
                        size=total / 1024 / 1024,
                    )
                )
            return
        if not self.active or stage not in _STAGES:
            return
        quarter = 4 * done // total if total else 4
        if self.shown == (stage, quarter):  # a line per quarter of each stage is enough
            return
        self.shown = (stage, quarter)
        percent = 100 * done // total if total else 100
        self._line(
            _(
                "{name}: {stage}, {percent}% ({done} of {total})",
                name=self.name,
                stage=translate(_STAGES[stage]),
                percent=percent,
                done=done,
                total=total,
            )
        )

    def _line(self, text: str | Msg) -> None:
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
    """Guidance documents for propaganda: read them, import their topics."""


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
@click.option(
    "--office",
    metavar="CODE",
    help="The office whose people review and approve it in the console (default: the top "
    "of the station tree).",
)
@_ingest_options
@pass_app
def import_(
    app: App,
    files: tuple[str, ...],
    office: str | None,
    template: Path | None,
    reading_rate: int | None,
    max_mb: float | None,
) -> None:
    """Import guidance files: their documents and topics become draft items.

    Each topic keeps its basis documents, slogans, dates and a draft announcement script;
    review them with 'broadcaster items list' and approve them with 'broadcaster items approve'.
    Importing the same file again, or the same document in another format or encoding,
    changes nothing. Every file is read first: if any of them cannot be read, every problem
    is listed and nothing is stored.
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
            _(
                "{problems} of {files} files cannot be imported, nothing was stored:\n"
                "{listed}\nfix or leave out those files and run the import again",
                problems=len(problems),
                files=len(files),
                listed=listed,
            )
        )
    results = import_files(
        app.database, parsed, app.clock.now(), office or default_office(app.database)
    )
    for (extracted, _documents), result in zip(parsed, results, strict=True):
        _say_imported(app, extracted, result)
    say(
        app,
        _(
            "review: 'broadcaster items list --state draft'; "
            "approve: 'broadcaster items approve ID'"
        ),
    )


def say_review(app: App, review: ScriptReview) -> None:
    """One item's script check: a line for the item, then a line per problem."""
    item = review.item
    if review.fit:
        say(app, _("item {id}: fit to air — {title}", id=item.id, title=item.title))
        return
    say(
        app,
        _n(
            "item {id}: {n} problem in its script — {title}",
            "item {id}: {n} problems in its script — {title}",
            len(review.problems),
            id=item.id,
            title=item.title,
        ),
    )
    for problem in review.problems:
        say(app, indented(f"- {problem.message}"))


def _say_imported(app: App, extracted: ExtractedText, result: ImportResult) -> None:
    ids = ", ".join(str(d.id) for d in result.directives)
    if result.already_imported:
        say(
            app,
            _(
                "{name}: already imported (directive {ids}, from {source}); nothing changed",
                name=extracted.name,
                ids=ids,
                source=result.directives[0].source_name or "?",
            ),
        )
        return
    propaganda = sum(1 for i in result.items if i.kind is ItemKind.PROPAGANDA)
    admin = len(result.items) - propaganda
    docs = len(result.directives)
    say(
        app,
        _n(
            "{name}: imported {n} document (directive {ids}), {propaganda} propaganda items "
            "and {admin} administrative, all drafts",
            "{name}: imported {n} documents (directive {ids}), {propaganda} propaganda items "
            "and {admin} administrative, all drafts",
            docs,
            name=extracted.name,
            ids=ids,
            propaganda=propaganda,
            admin=admin,
        ),
    )
    for d in result.directives:
        say(app, indented(f"{d.id}: {describe_header(d)}"))
    for d in result.same_number:
        say(
            app,
            indented(
                _(
                    "note: directive {id} ({source}) has the same number {number} with other "
                    "words; a revision? delete the old items with 'broadcaster items delete'",
                    id=d.id,
                    source=d.source_name or "?",
                    number=d.number,
                )
            ),
        )
    if result.problems:
        say(
            app,
            indented(
                _n(
                    "the script check found problems in {n} draft script; fix them with "
                    "'broadcaster items edit ID' before approving",
                    "the script check found problems in {n} draft scripts; fix them with "
                    "'broadcaster items edit ID' before approving",
                    len(result.problems),
                )
            ),
        )
        for review in result.problems:
            say_review(app, review)


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
        say(app, _("no guidance imported yet; import one with 'broadcaster directive import FILE'"))
        return
    table = Table(title=str(_("Imported guidance documents")), title_justify="left")
    for col in (
        _("ID"),
        _("Type"),
        _("Number"),
        _("Issued by"),
        _("Date"),
        _("Propaganda items"),
        _("File"),
    ):
        table.add_column(str(col))
    for d in directives:
        source = d.source_name or "–"
        table.add_row(
            str(d.id),
            d.doc_type or "–",
            d.number or "–",
            d.issuer or "–",
            partial_date(d.date) or "–",
            str(counts[d.id]),
            str(_("{file} (part {part})", file=source, part=d.part + 1)) if d.part else source,
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


def partial_date(d: PartialDate | Observance | None) -> str | None:
    """A date as written in the documents' own order, day first: 05/05/2021, 05/2021, 19/05."""
    if d is None:
        return None
    if d.day and d.month and d.year:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if d.month and d.year:
        return f"{d.month:02d}/{d.year}"
    if d.day and d.month:
        return f"{d.day:02d}/{d.month:02d}"
    return str(d.year) if d.year else None


def describe_header(d: Directive) -> str:
    parts = [d.doc_type or str(_("Document"))]
    if d.number:
        parts.append(str(_("No. {number}", number=d.number)))
    if d.issuer:
        parts.append(f"— {d.issuer}")
    where = ", ".join(x for x in (d.place, partial_date(d.date)) if x)
    if where:
        parts.append(f"({where})")
    return " ".join(parts)


def render_header(app: App, d: Directive) -> None:
    app.console.print(f"[bold]{escape(describe_header(d))}[/bold]", soft_wrap=True)
    if d.subject:
        say(app, indented(_("Subject: {subject}", subject=d.subject)))
    if d.period:
        span = " – ".join(
            x.strftime("%d/%m/%Y") if x else "…" for x in (d.period.start, d.period.end)
        )
        say(app, indented(_("Period: {period} ({span})", period=d.period.text, span=span)))
    if d.addressees:
        say(app, indented(_("To: {addressees}", addressees="; ".join(d.addressees))))
    for b in d.basis:
        say(app, indented(_("Basis: {basis}", basis=b.describe())))
    if d.signer:
        say(app, indented(_("Signed by: {signer}", signer=d.signer)))


def items_table(items: list[Item] | tuple[Item, ...], *, with_ids: bool = False) -> Table:
    table = Table(show_lines=False)
    if with_ids:
        table.add_column(str(_("ID")), justify="right")
    table.add_column(str(_("No.")))
    table.add_column(str(_("Kind")))
    table.add_column(str(_("Title")), overflow="fold")
    table.add_column(str(_("Basis")), overflow="fold")
    table.add_column(str(_("Slogans")), justify="right")
    table.add_column(str(_("Observances")))
    table.add_column(str(_("~seconds")), justify="right")
    if with_ids:
        table.add_column(str(_("Approval")))
    for i in items:
        basis = "; ".join(
            " ".join(
                x for x in (b.type, b.number, b.date.strftime("%d/%m/%Y") if b.date else None) if x
            )
            for b in i.basis[:2]
        ) + (" …" if len(i.basis) > 2 else "")
        obs = ", ".join(dict.fromkeys(partial_date(o) or o.name for o in i.observances))
        seconds = i.effective_duration.total_seconds() if i.effective_duration else None
        row = [
            i.number,
            str(_("propaganda") if i.kind is ItemKind.PROPAGANDA else _("administrative")),
            i.title,
            basis or "–",
            str(len(i.slogans)) if i.slogans else "",
            obs,
            f"{seconds:.0f}" if seconds else "",
        ]
        if with_ids:
            state = (
                "✓"
                if i.approval.approved
                else str(_("sent back") if i.approval.returned else _("draft"))
            )
            row = [str(i.id), *row, state]
        table.add_row(*row)
    return table


def render_parsed(app: App, extracted: ExtractedText, documents: list[ParsedDocument]) -> None:
    encoding = (
        f", {extracted.encoding}" if extracted.encoding and extracted.encoding != "utf-8" else ""
    )
    say(
        app,
        _n(
            "{name}: {format}{encoding}, {n} document (nothing was written)",
            "{name}: {format}{encoding}, {n} documents (nothing was written)",
            len(documents),
            name=extracted.name,
            format=extracted.format,
            encoding=encoding,
        ),
    )
    for doc in documents:
        app.console.print()
        render_header(app, doc.directive)
        n_prop = len(doc.propaganda)
        say(
            app,
            indented(
                _(
                    "{propaganda} propaganda items, {admin} administrative",
                    propaganda=n_prop,
                    admin=len(doc.items) - n_prop,
                )
            ),
        )
        if doc.items:
            # a table of thousands of rows takes rich longer than parsing and helps nobody
            app.console.print(items_table(doc.items[:PARSE_TABLE_ROWS]))
        if len(doc.items) > PARSE_TABLE_ROWS:
            say(
                app,
                indented(
                    _(
                        "… and {n} more items not shown; see them all with --json",
                        n=len(doc.items) - PARSE_TABLE_ROWS,
                    )
                ),
            )
