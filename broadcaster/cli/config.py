"""``broadcaster config show``: the settings in effect and where each one comes from."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from broadcaster.config import SECTIONS
from broadcaster.domain.errors import BroadcasterError, ConfigError
from broadcaster.domain.messages import _, _n

from . import App, pass_app

#: settings whose values are secrets: shown by their first characters only
SECRETS = {"token"}


def section_classes() -> dict[str, type[Any]]:
    """Each feature's section and the dataclass that reads it (imported here, not at start-up)."""
    from broadcaster.agent.settings import AgentSettings
    from broadcaster.api.settings import ApiSettings
    from broadcaster.i18n import UiSettings
    from broadcaster.ingest import IngestSettings
    from broadcaster.speech.settings import SpeechSettings
    from broadcaster.usecases.emergencies import EmergencySettings
    from broadcaster.usecases.planner_settings import PlannerConfig
    from broadcaster.usecases.station_board import MailSettings
    from broadcaster.web.settings import WebSettings

    return {
        "ingest": IngestSettings,
        "speech": SpeechSettings,
        "planner": PlannerConfig,
        "api": ApiSettings,
        "agent": AgentSettings,
        "emergency": EmergencySettings,
        "ui": UiSettings,
        "web": WebSettings,
        "mail": MailSettings,
    }


def _shown(name: str, value: Any) -> str:
    if value is None:
        return "–"
    if name in SECRETS:
        text = str(value)
        return text[:8] + "…" if len(text) > 8 else "…"
    if name.endswith("_api_key") or name == "password":  # not even its first characters
        return "***" if value else "''"
    text = str(value)
    if name == "database_url":  # never print a database password
        text = re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", text)
    if isinstance(value, Path | str) and not text:
        return "''"
    return text


@click.group("config")
def command() -> None:
    """The configuration: settings in effect and where they come from."""


@command.command("show")
@click.argument("section", required=False, type=click.Choice(SECTIONS), metavar="[SECTION]")
@pass_app
def show(app: App, section: str | None) -> None:
    """Show every setting in effect, its value and where it comes from (default, the file,
    a BROADCASTER_* variable or a flag). Every section is checked: a mistake anywhere in the
    configuration is reported here, naming the file or variable, before a command trips on it.
    With a SECTION (broadcaster, speech, agent…), only that one is shown.
    """
    settings = app.settings
    if settings.config_file:
        app.console.print(_("configuration file: {path}", path=settings.config_file), markup=False)
    else:
        app.console.print(
            _(
                "configuration file: none (looked for $BROADCASTER_CONFIG, ./broadcaster.toml, "
                "~/.config/broadcaster/config.toml)"
            ),
            markup=False,
        )
    rows: dict[str, list[tuple[str, str, str]]] = {}
    if section in (None, "broadcaster"):
        rows["broadcaster"] = [
            (name, _shown(name, getattr(settings, name)), settings.sources.get(name, "default"))
            for name in ("database_url", "data_dir", "audio_dir", "timezone")
        ]
    problems: list[str] = []
    for name, cls in section_classes().items():
        if section not in (None, name):
            continue
        try:
            values = settings.section(name, cls)
            sources = settings.section_sources(name, cls)
        except BroadcasterError as exc:
            problems.append(str(exc))
            continue
        rows[name] = [
            (f.name, _shown(f.name, getattr(values, f.name)), sources[f.name])
            for f in dataclasses.fields(values)
        ]
    for name, entries in rows.items():
        table = Table(title=Text(f"[{name}]"), title_justify="left", show_edge=False)
        for column in (_("setting"), _("value"), _("from")):
            table.add_column(str(column), overflow="fold")
        for name, value, source in entries:
            set_here = source != "default"
            style = "bold" if set_here else ""  # what someone set stands out
            shown = source if set_here else str(_("default"))
            table.add_row(*(Text(cell, style=style) for cell in (name, value, shown)))
        app.console.print(table)
    if problems:
        raise ConfigError(
            _n(
                "{n} problem in the configuration: {problems}",
                "{n} problems in the configuration: {problems}",
                len(problems),
                problems="; ".join(problems),
            )
        )
