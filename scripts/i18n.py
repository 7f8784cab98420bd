"""The message catalogue's tooling (Babel): extract the messages, update the .po files, compile.

    .venv/bin/python scripts/i18n.py update [--area cli]  # new messages into the .po files
    .venv/bin/python scripts/i18n.py compile    # .po → .mo (the install runs this)
    .venv/bin/python scripts/i18n.py check [--area cli]   # every message translated, vi and en

Messages are found in the code (``_("…")``, ``_n("…", "…", n)``, ``N_("…")``), in the Jinja2
templates of the pages (``{{ _("…") }}``; the printed pages of the media and reports areas use
jinja2.ext.i18n, whose values are ``%(name)s`` and plurals ``ngettext``), in the CLI's
command and option help (walked from the click commands) and, for click's own words
(``Usage:``, ``Show this message and exit.``…), in the installed click package. Each area of
the code has its catalogue file (see broadcaster/i18n.py ``AREAS``), so people translating
different areas never edit the same file. The last line of every command is a summary.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcaster.i18n import AREAS, LANGUAGES, LOCALE_DIR, translated_only  # noqa: E402

PACKAGE = REPO / "broadcaster"
#: where each area's messages are written (relative to broadcaster/)
SOURCES = {
    "core": ["domain", "usecases", "db", "registry", "config.py", "i18n.py"],
    "media": ["ingest", "speech", "audio", "playlists"],
    "cli": ["cli", "demo"],
    "api": ["api"],
    "agent": ["agent"],
    "web": ["web"],
    "reports": ["reports"],
}
#: ngettext: the plural of the printed pages' templates (jinja2.ext.i18n, media and reports)
KEYWORDS = {"_": None, "_n": (1, 2), "N_": None, "ngettext": (1, 2)}
#: a value a message names: {name} in the code, %(name)s in templates of jinja2.ext.i18n
PLACEHOLDER = re.compile(r"(?:\{|%\()([A-Za-z_][A-Za-z0-9_]*)")


def _from_code(area: str) -> Iterator[tuple[str | tuple[str, str], str]]:
    for name in SOURCES.get(area, []):
        path = PACKAGE / name
        if path.is_file():
            found = extract_from_dir(
                str(path.parent),
                method_map=[(path.name, "python")],
                keywords=KEYWORDS,
            )
        elif path.is_dir():
            # Python, and Jinja2 templates (pages, printed pages) with the same _() and _n()
            found = extract_from_dir(
                str(path),
                method_map=[("**.py", "python"), ("**/templates/**.j2", "jinja2")],
                keywords=KEYWORDS,
                options_map={"**/templates/**.j2": {"extensions": ""}},
            )
        else:
            continue
        for filename, lineno, message, _comments, _context in found:
            where = f"broadcaster/{name}/{filename}" if path.is_dir() else f"broadcaster/{name}"
            yield message, f"{where}:{lineno}"


def _help(text: str | None) -> str | None:
    if not text:
        return None
    return inspect.cleandoc(text).partition("\f")[0].strip() or None


def _from_click_commands() -> Iterator[tuple[str, str]]:
    """Every command's and option's help, as the CLI shows it."""
    import importlib

    import click

    from broadcaster.cli import COMMAND_MODULES, main

    def walk(cmd: click.Command, path: str) -> Iterator[tuple[str, str]]:
        for text in (cmd.help, cmd.short_help, cmd.epilog):
            if (h := _help(text)) is not None:
                yield h, path
        for param in cmd.params:
            if isinstance(param, click.Option) and (h := _help(param.help)) is not None:
                yield h, f"{path} {param.opts[0]}"
            if param.metavar:
                # "ITEM_ID...", "[SECTION]": the word inside is what is looked up when shown
                core = param.metavar.strip("[].")
                if core:
                    yield core, f"{path} {param.name}"
        if isinstance(cmd, click.Group):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, f"{path} {name}")

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"broadcaster.cli.{name}")
        yield from walk(module.command, f"broadcaster {name}")
    yield from walk(main, "broadcaster")


#: click's words that Babel cannot see (written inside f-strings in click's code, or made from
#: a type's name: the metavars of options)
CLICK_EXTRA = (
    "Usage:",
    "[OPTIONS]",
    "COMMAND [ARGS]...",
    "TEXT",
    "INTEGER",
    "FLOAT",
    "BOOLEAN",
    "FILENAME",
    "FILE",
    "PATH",
    "DIRECTORY",
    "CHOICE",
    "UUID",
    "DATETIME",
    "INTEGER RANGE",
    "FLOAT RANGE",
)


def _from_click() -> Iterator[tuple[str | tuple[str, str], str]]:
    import click

    for text in CLICK_EXTRA:
        yield text, "click/formatting.py"
    folder = Path(click.__file__).parent
    for filename, lineno, message, _c, _x in extract_from_dir(
        str(folder), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}
    ):
        yield message, f"click/{filename}:{lineno}"


def template(area: str) -> Catalog:
    catalog = Catalog(project="broadcaster", charset="utf-8")
    if area == "click":
        found = _from_click()
    elif area == "cli":
        found = iter([*_from_code(area), *_from_click_commands()])
    else:
        found = _from_code(area)
    for message, where in found:
        if isinstance(message, tuple):
            catalog.add(message[:2], locations=[(where, 0)])
        elif message:
            catalog.add(message, locations=[(where, 0)])
    return catalog


def _po(lang: str, area: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{area}.po"


def _read(path: Path, lang: str) -> Catalog:
    if not path.is_file():
        return Catalog(locale=lang, project="broadcaster", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update(areas: tuple[str, ...] = AREAS) -> str:
    added = 0
    for area in areas:
        tpl = template(area)
        for lang in LANGUAGES:
            path = _po(lang, area)
            catalog = _read(path, lang)
            before = {m.id for m in catalog if m.id}
            catalog.update(tpl, no_fuzzy_matching=True)
            for m in catalog:
                if not m.id:
                    continue
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                if lang == "en" and not any(strings):
                    m.string = m.id  # English is the source language
                m.flags.discard("fuzzy")
            added += len({m.id for m in catalog if m.id} - before)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                write_po(fh, catalog, width=100, sort_output=True, omit_header=False)
    return f"SUMMARY: {added} new messages across {len(areas)} areas × {len(LANGUAGES)} languages"


def compile_all() -> str:
    count = 0
    for lang in LANGUAGES:
        for area in AREAS:
            path = _po(lang, area)
            if not path.is_file():
                continue
            catalog = translated_only(_read(path, lang))
            with path.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)
            count += 1
    return f"SUMMARY: {count} catalogues compiled in {LOCALE_DIR}"


def problems(areas: tuple[str, ...] = AREAS) -> list[str]:
    """What is missing or wrong: messages in the code without a translation in a language,
    and translations naming values their message does not have."""
    out: list[str] = []
    for area in areas:
        tpl = template(area)
        for lang in LANGUAGES:
            catalog = _read(_po(lang, area), lang)
            for m in tpl:
                if not m.id:
                    continue
                known = catalog.get(m.id)
                where = m.locations[0][0] if m.locations else "?"
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strings = known.string if known is not None else None
                texts = strings if isinstance(strings, tuple) else (strings,)
                if known is None or not all(texts):
                    out.append(f"{lang}/{area}.po: {ids[0]!r} ({where}) is not translated")
                    continue
                allowed = {p for i in ids for p in PLACEHOLDER.findall(i)}
                for text in texts:
                    extra = set(PLACEHOLDER.findall(text or "")) - allowed
                    if extra:
                        out.append(
                            f"{lang}/{area}.po: {ids[0]!r} translated with unknown "
                            f"{', '.join(sorted(extra))}"
                        )
    return out + collisions(areas)


def collisions(areas: tuple[str, ...] = AREAS) -> list[str]:
    """One English id translated differently in two areas: the catalogues are looked up in
    order (core first), so the later area's wording would silently never be shown. Give one
    of them its own id (e.g. "Serial no." rather than "No.")."""
    out: list[str] = []
    for lang in LANGUAGES:
        first: dict[str, tuple[str, tuple[str, ...]]] = {}
        for area in AREAS:
            for m in translated_only(_read(_po(lang, area), lang)):
                if not m.id:
                    continue
                key = m.id if isinstance(m.id, str) else m.id[0]
                texts = m.string if isinstance(m.string, tuple) else (m.string,)
                seen = first.setdefault(key, (area, texts))
                if seen[1] != texts and (area in areas or seen[0] in areas):
                    out.append(
                        f"{lang}/{area}.po: {key!r} is {texts[0]!r} here but {seen[1][0]!r} in "
                        f"{seen[0]}.po, which wins; give one of them its own id"
                    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update", "compile", "check"])
    parser.add_argument(
        "--area", action="append", choices=AREAS, help="only this area (repeatable); default all"
    )
    args = parser.parse_args()
    areas = tuple(args.area) if args.area else AREAS
    if args.action == "update":
        print(update(areas))
    elif args.action == "compile":
        print(compile_all())
    else:
        found = problems(areas)
        for line in found:
            print(line)
        print(f"SUMMARY: {len(found)} problems")
        raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
