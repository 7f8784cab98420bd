"""The ``broadcaster`` command line: one module per noun, errors mapped once, here."""

from __future__ import annotations

import ast
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import update_wrapper
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from broadcaster import __version__
from broadcaster.clock import SystemClock
from broadcaster.config import Settings, load_settings
from broadcaster.domain.clock import Clock
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import Msg, _

F = TypeVar("F", bound=Callable[..., Any])

#: modules under broadcaster.cli that each expose ``command`` (a click command or group)
COMMAND_MODULES = [
    "db",
    "config",
    "stations",
    "demo",
    "tokens",
    "users",
    "serve",
    "pull",
    "agent",
    "airings",
    "emergency",
    "cluster",
    "report",
    "speech",
    "segments",
    "directive",
    "items",
    "plan",
    "playlist",
]


def headers(*names: str | Msg) -> list[str]:
    """A table's column headers, in the reader's language: ``Table(*headers(_("id"), …))``."""
    return [str(name) for name in names]


def format_option(
    choices: Sequence[str], default: str, help: str | None = None
) -> Callable[[F], F]:
    """``--format`` (passed as ``fmt``): one of ``choices``, ``default`` shown in the help."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help=help,
    )


def make_console() -> Console:
    # piped output (files, CI logs) gets a wide fixed width instead of wrapping at 80
    return Console(highlight=False, width=None if sys.stdout.isatty() else 132)


@dataclass
class App:
    """What every command needs, built once from the layered configuration."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    console: Console = field(default_factory=lambda: make_console())
    _database: Any = None

    @property
    def database(self) -> Any:
        """The database, with its schema created on first use (an empty database only)."""
        if self._database is None:
            from broadcaster.db import Database

            db = Database(self.settings.database_url)
            db.ensure_schema()
            self._database = db
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None


@dataclass(frozen=True)
class Overrides:
    """What code that runs the CLI in-process (the tests, the demo) sets instead of the
    defaults: ``main(args, obj=Overrides(clock=FixedClock(…)))``."""

    clock: Clock | None = None


def get_app(ctx: click.Context) -> App:
    app = ctx.find_object(App)
    if app is None:
        raise click.UsageError(str(_("broadcaster context is missing")))  # pragma: no cover
    return app


def pass_app(f: F) -> F:
    """Decorator: pass the :class:`App` as the first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return ctx.invoke(f, get_app(ctx), *args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def _listed(name: str) -> click.Command:
    """A stand-in for ``broadcaster.cli.<name>``'s command bearing its help, read from the
    module's source (its ``command`` function's ``help=`` or docstring); the command itself
    when the source cannot be read."""
    try:
        tree = ast.parse(Path(__file__).with_name(f"{name}.py").read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        tree = ast.Module(body=[], type_ignores=[])
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "command":
            given: list[str] = [
                kw.value.value
                for deco in node.decorator_list
                if isinstance(deco, ast.Call)
                and isinstance(deco.func, ast.Attribute)
                and deco.func.attr in ("command", "group")
                for kw in deco.keywords
                if kw.arg == "help"
                and isinstance(kw.value, ast.Constant)
                and isinstance(kw.value.value, str)
            ]
            return click.Command(name, help=given[0] if given else ast.get_docstring(node))
    command: click.Command = importlib.import_module(f"broadcaster.cli.{name}").command
    return command


class BroadcasterGroup(click.Group):
    """Turns the project's errors into one ``error: …`` line and exit status 1.

    Subcommands load when first named (each module under ``broadcaster.cli`` is one noun), so
    ``broadcaster speech normalize`` does not pay for the web server, the scheduler or the
    report writers.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"broadcaster.cli.{cmd_name}")
            self.add_command(module.command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``broadcaster --help`` lists the commands with their help read from each module's
        source, not by importing every one of them (FastAPI, the planner and the report
        writers took seconds before the list appeared)."""
        names = self.list_commands(ctx)
        listed = {name: self.commands.get(name) or _listed(name) for name in names}
        click.Group.format_commands(click.Group(commands=listed), ctx, formatter)

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        """Everything the command shows is in one language (see :mod:`.i18n`)."""
        from .i18n import language, speaking

        argv = list(sys.argv[1:] if args is None else args)
        with speaking(language(argv, os.environ)):
            return super().main(argv, *a, **kw)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BroadcasterError as exc:
            app = ctx.find_object(App)
            if app is not None and app.settings.debug:
                raise
            click.echo(str(_("error: {message}", message=exc)), err=True)
            ctx.exit(1)
        finally:
            app = ctx.find_object(App)
            if app is not None:
                app.close()


@click.group(cls=BroadcasterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (TOML). Default: ./broadcaster.toml or ~/.config/broadcaster/config.toml.",
)
@click.option("--database-url", help="Database URL; overrides BROADCASTER_DATABASE_URL.")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    help="Language of everything shown: vi (default) or en; also BROADCASTER_LANG, [ui] lang.",
)
@click.version_option(__version__, prog_name="broadcaster")
@click.pass_context
def main(
    ctx: click.Context,
    config_file: Path | None,
    database_url: str | None,
    debug: bool,
    lang: str | None,
) -> None:
    """broadcaster: plan and run the airtime of grassroots radio stations.

    Import guidance documents, make announcement audio, plan each week's sessions for every
    station of an office, hand out daily playlists, play them and report what was aired.
    """
    try:
        settings = load_settings(config_file, database_url=database_url, debug=debug)
    except BroadcasterError as exc:
        if debug:
            raise
        click.echo(str(_("error: {message}", message=exc)), err=True)
        ctx.exit(1)
    given = ctx.obj if isinstance(ctx.obj, Overrides) else Overrides()
    ctx.obj = App(settings=settings, clock=given.clock or SystemClock())


def run() -> None:  # pragma: no cover - console entry point alias
    main(prog_name="broadcaster")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
