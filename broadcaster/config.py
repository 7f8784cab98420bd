"""Configuration, layered: defaults → TOML file → ``BROADCASTER_*`` environment → flags.

Built once at start-up and passed down. Top-level settings live on :class:`Settings`; each adapter
declares its own section as a dataclass and reads it with :meth:`Settings.section`, e.g.::

    @dataclass(frozen=True)
    class SpeechSettings:
        engine: str = "auto"
        bitrate_kbps: int = 64

    speech = settings.section("speech", SpeechSettings)

A section ``[speech]`` in the TOML file, then ``BROADCASTER_SPEECH_ENGINE`` in the environment,
then values a command passes through ``overrides`` take precedence in that order.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .domain.errors import ConfigError, os_reason, toml_error
from .domain.messages import Msg, _

T = TypeVar("T")

ENV_PREFIX = "BROADCASTER_"
CONFIG_NAMES = ("broadcaster.toml",)


#: the tables a configuration file may hold: [broadcaster] and one per feature
SECTIONS = (
    *("broadcaster", "ingest", "speech", "planner", "api", "agent", "emergency", "ui", "web"),
    "mail",
)


def default_data_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(
        Path(env.get("HOME", "~")).expanduser() / ".local" / "share"
    )
    return Path(base) / "broadcaster"


@dataclass(frozen=True)
class Settings:
    """Settings every part of broadcaster shares."""

    data_dir: Path
    database_url: str
    audio_dir: Path
    timezone: str = "Asia/Ho_Chi_Minh"
    config_file: Path | None = None
    debug: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    #: where each [broadcaster] setting came from (see :meth:`section_sources`)
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def audio_cache_dir(self) -> Path:
        return self.audio_dir / "cache"

    def section(self, name: str, cls: type[T], **overrides: Any) -> T:
        """Build a section dataclass from defaults, the TOML table, env and overrides."""
        values, sources = self._layer(name, cls, overrides)
        try:
            return cls(**values)
        except ConfigError as exc:  # the section's own checks do not know where values came from
            given = ", ".join(sources.values())
            if not given:
                raise
            raise ConfigError(
                _("{error} (values from: {sources})", error=exc.args[0], sources=given)
            ) from exc

    def section_sources(self, name: str, cls: type[Any], **overrides: Any) -> dict[str, str]:
        """Where each field of a section comes from: ``default``, the file's ``[name] field``,
        an environment variable's name, or a ``--flag``."""
        _values, sources = self._layer(name, cls, overrides)
        return {f.name: sources.get(f.name, "default") for f in dataclasses.fields(cls)}

    def _layer(
        self, name: str, cls: type[Any], overrides: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        table = self.raw.get(name, {})
        if not isinstance(table, Mapping):
            raise ConfigError(
                _("{where}: [{section}] must be a table", where=self._where(), section=name)
            )
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(
                _(
                    "{where}: unknown setting {section}.{key}; "
                    "known settings in [{section}]: {known}",
                    where=self._where(),
                    section=name,
                    key=unknown[0],
                    known=", ".join(sorted(known)),
                )
            )
        layered = {**self.overrides.get(name, {}), **overrides}
        sources: dict[str, str] = {}
        for f in dataclasses.fields(cls):
            key = f"{ENV_PREFIX}{name.upper()}_{f.name.upper()}"
            if f.name in layered and layered[f.name] is not None:
                sources[f.name] = f"--{f.name.replace('_', '-')}"
                values[f.name] = _coerce(layered[f.name], hints[f.name], sources[f.name])
            elif key in self.env:
                sources[f.name] = key
                values[f.name] = _coerce(self.env[key], hints[f.name], key)
            elif f.name in table:
                sources[f.name] = f"{self._where()} [{name}] {f.name}"
                values[f.name] = _coerce(table[f.name], hints[f.name], sources[f.name])
        return values, sources

    def _where(self) -> str | Msg:
        return str(self.config_file) if self.config_file else _("configuration")


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None or (
            isinstance(value, str) and value.strip().lower() in {"", "none", "null"}
        ):
            return None
        return _coerce(value, args[0], where)
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(value)
        if hint is int:
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if hint is float:
            return float(value)
        if hint is Path:
            return Path(str(value)).expanduser()
        if hint is str:
            return str(value)
        if origin in (tuple, list):
            items = value.split(",") if isinstance(value, str) else list(value)
            (inner, *_rest) = typing.get_args(hint) or (str,)
            converted = [
                _coerce(v.strip() if isinstance(v, str) else v, inner, where) for v in items
            ]
            return tuple(converted) if origin is tuple else converted
        if origin is dict or hint is dict:
            if not isinstance(value, Mapping):
                raise ValueError(value)
            return dict(value)
    except (TypeError, ValueError):
        name = getattr(hint, "__name__", str(hint))
        raise ConfigError(
            _("{where}: {value!r} is not a valid {type}", where=where, value=value, type=name)
        ) from None
    return value


def find_config_file(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(
                _("config file {path} does not exist; check the --config path", path=explicit)
            )
        return explicit
    if env.get(f"{ENV_PREFIX}CONFIG"):
        path = Path(env[f"{ENV_PREFIX}CONFIG"]).expanduser()
        if not path.is_file():
            raise ConfigError(_("BROADCASTER_CONFIG names {path}, which does not exist", path=path))
        return path
    for name in CONFIG_NAMES:
        if Path(name).is_file():
            return Path(name)
    user = Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", "~")).expanduser() / ".config")
    candidate = user / "broadcaster" / "config.toml"
    return candidate if candidate.is_file() else None


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        # the parser's own words are English: the Vietnamese message names the place instead
        reason, line, column = toml_error(exc)
        if line is None:
            raise ConfigError(
                _(
                    "{path}: not valid TOML ({error}); fix the file or pass another --config",
                    path=path,
                    error=reason,
                )
            ) from exc
        raise ConfigError(
            _(
                "{path}: not valid TOML at line {line}, column {column} ({error}); fix the "
                "file or pass another --config",
                path=path,
                line=line,
                column=column,
                error=reason,
            )
        ) from exc
    except OSError as exc:
        raise ConfigError(
            _("{path}: cannot read ({error})", path=path, error=os_reason(exc))
        ) from exc


def load_settings(
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    database_url: str | None = None,
    debug: bool = False,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """Layer defaults, the TOML file, the environment and flags into :class:`Settings`."""
    env = dict(os.environ if env is None else env)
    path = find_config_file(config_file, env)
    raw = read_toml(path) if path else {}
    top = raw.get("broadcaster", {})
    if not isinstance(top, Mapping):
        raise ConfigError(_("{path}: [broadcaster] must be a table", path=path))
    allowed = {"data_dir", "database_url", "audio_dir", "timezone"}
    unknown = sorted(set(top) - allowed)
    if unknown:
        raise ConfigError(
            _(
                "{path}: unknown setting broadcaster.{key}; known: {known}",
                path=path,
                key=unknown[0],
                known=", ".join(sorted(allowed)),
            )
        )

    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise ConfigError(
            _(
                "{path}: unknown section [{section}]; known sections: {known}",
                path=path,
                section=unknown[0],
                known=", ".join(f"[{s}]" for s in SECTIONS),
            )
        )
    sources: dict[str, str] = {}

    def pick(key: str, default: Any) -> Any:
        env_key = f"{ENV_PREFIX}{key.upper()}"
        if env.get(env_key):
            sources[key] = env_key
            return env[env_key]
        if key in top:
            sources[key] = f"{path} [broadcaster] {key}"
            return top[key]
        sources[key] = "default"
        return default

    data_dir = Path(str(pick("data_dir", default_data_dir(env)))).expanduser()
    url = pick("database_url", None) or f"sqlite:///{data_dir / 'broadcaster.db'}"
    if database_url:
        url, sources["database_url"] = database_url, "--database-url"
    audio_dir = Path(str(pick("audio_dir", data_dir / "audio"))).expanduser()
    return Settings(
        data_dir=data_dir,
        database_url=str(url),
        audio_dir=audio_dir,
        timezone=str(pick("timezone", "Asia/Ho_Chi_Minh")),
        config_file=path,
        debug=debug,
        raw=raw,
        env=env,
        overrides=overrides or {},
        sources=sources,
    )
