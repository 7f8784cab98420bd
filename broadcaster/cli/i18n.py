"""The CLI in one language: its own messages, each command's help, and click's own words.

click writes "Usage:", "Options:", "Show this message and exit." and its error messages
through :func:`gettext.gettext`; they are routed to the catalogue's ``click`` area here, and
every command's and option's help (their docstrings and ``help=``) is looked up when shown.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from broadcaster.config import find_config_file, read_toml
from broadcaster.domain import messages
from broadcaster.domain.errors import BroadcasterError
from broadcaster.i18n import DEFAULT_LANGUAGE, LANGUAGES, check_language, translations

LANG_ENV = "BROADCASTER_LANG"


def _gettext(text: str) -> str:
    return messages.translate(text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return messages.active().ngettext(singular, plural, n)


def _help(text: str | None) -> str | None:
    if not text:
        return text
    shown = inspect.cleandoc(text).partition("\f")[0].strip()
    return messages.translate(shown)


def _with_help(method: Callable[..., Any], *names: str) -> Callable[..., Any]:
    """``method`` run with the object's help attributes in the active language."""

    def translated(self: Any, *args: Any, **kwargs: Any) -> Any:
        saved = {n: getattr(self, n) for n in names}
        try:
            for n, value in saved.items():
                setattr(self, n, _help(value))
            return method(self, *args, **kwargs)
        finally:
            for n, value in saved.items():
                setattr(self, n, value)

    return translated


_installed = False


HELP_OPTION = "Show this message and exit."


def install() -> None:
    """Route click's words and every help text through the catalogue (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    command = click.Command
    command.format_help_text = _with_help(command.format_help_text, "help")  # type: ignore[method-assign]
    command.format_epilog = _with_help(command.format_epilog, "epilog")  # type: ignore[method-assign]
    command.get_short_help_str = _with_help(  # type: ignore[method-assign]
        command.get_short_help_str, "help", "short_help"
    )
    option = click.Option
    option.get_help_record = _with_help(option.get_help_record, "help")  # type: ignore[method-assign]
    command.collect_usage_pieces = _with_help(  # type: ignore[method-assign]
        command.collect_usage_pieces, "options_metavar"
    )
    group = click.MultiCommand
    group.collect_usage_pieces = _with_help(  # type: ignore[method-assign]
        group.collect_usage_pieces, "options_metavar", "subcommand_metavar"
    )
    make_metavar = click.core.Parameter.make_metavar

    def translated_metavar(self: click.core.Parameter) -> str:
        shown: str = make_metavar(self)
        # "[TEXT]...", "FILE": the words inside are looked up, the brackets kept
        core = shown.strip("[].")
        return shown.replace(core, messages.translate(core)) if core else shown

    click.core.Parameter.make_metavar = translated_metavar  # type: ignore[method-assign]

    # click 8.1.8 makes each command's --help option once and keeps it, with its help text
    # already in the language of that moment: keep the English id instead, translated when
    # shown (get_help_record above), so a later run in another language reads its own
    help_init = click.decorators.HelpOption.__init__

    def english_help_init(self: click.Option, *args: Any, **kwargs: Any) -> None:
        help_init(self, *args, **kwargs)  # type: ignore[arg-type]
        self.help = HELP_OPTION

    click.decorators.HelpOption.__init__ = english_help_init  # type: ignore[method-assign]
    _path_names_when_shown()


def _path_names_when_shown() -> None:
    """``click.Path`` names itself ("file", "directory", "path": its metavar and its errors) in
    the language active when the command's module is imported; name it by its flags each time
    it is read instead, in the language of that moment, as the help texts are."""

    def name(self: click.Path) -> str:
        english = "path"
        if self.file_okay and not self.dir_okay:
            english = "file"
        elif self.dir_okay and not self.file_okay:
            english = "directory"
        return messages.translate(english)

    def set_name(self: click.Path, value: str) -> None:
        """click's own ``__init__`` sets the word of its language; the flags say it already."""

    click.Path.name = property(name, set_name)  # type: ignore[assignment]


def language(args: Sequence[str], env: dict[str, str] | os._Environ[str]) -> str:
    """``--lang`` on the command line, else ``BROADCASTER_LANG``, else ``[ui] lang`` in the
    settings file, else Vietnamese."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in LANGUAGES else DEFAULT_LANGUAGE
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGUAGES else DEFAULT_LANGUAGE
    if env.get(LANG_ENV):
        try:
            return check_language(env[LANG_ENV], LANG_ENV)
        except BroadcasterError:
            return DEFAULT_LANGUAGE
    return _from_file(args, env) or DEFAULT_LANGUAGE


def _from_file(args: Sequence[str], env: Any) -> str | None:
    explicit = None
    for i, arg in enumerate(args):
        if arg == "--config" and i + 1 < len(args):
            explicit = Path(args[i + 1])
    try:
        path = find_config_file(explicit, env)
        ui = read_toml(path).get("ui", {}) if path else {}
    except BroadcasterError:
        return None  # the command itself reports the broken file, in the default language
    lang = ui.get("lang") if isinstance(ui, dict) else None
    return lang if lang in LANGUAGES else None


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Everything shown in the block — and in the threads it starts — is in ``lang``."""
    install()
    chosen = translations(lang)
    before = messages.default()
    token = messages.activate(chosen)
    messages.set_default(chosen)
    try:
        yield
    finally:
        messages.deactivate(token)
        messages.set_default(before)
