"""Read a station tree from TOML, reporting every mistake with its line and path.

Format (see ``schedules/example.toml``)::

    [[station]]
    code = "XA-DAKMIL"
    name = "Đài truyền thanh xã Đắk Mil"
    kind = "commune"              # province | region | district | commune | cluster
    parent = "KV-DAKMIL"
    office = false                # a planning office for the stations below it
    timezone = "Asia/Ho_Chi_Minh" # inherited when absent, like every clock setting
    quiet_hours = "21:30-05:00"
    allow_quiet_hours = false
    max_sessions_per_day = 3
    max_minutes_per_session = 60
    targets = { normal = 2, priority = 5 }  # airings per item and week; inherited per priority

    [[station.session]]           # any session here replaces the parent's sessions
    name = "Sáng"
    days = "daily"                # "mon-fri", "T2-T6", ["mon", "wed"], "daily"
    start = "05:30"
    minutes = 30

    [[station.session.block]]     # a fixed block inside the session
    kind = "relay"                # relay | station_id | other
    title = "Tiếp âm Thời sự Đài Tiếng nói Việt Nam"
    source = "VOV1"
    start = "06:00"
    minutes = 30
"""

from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from ..domain.errors import InputError, Problem, ValidationFailed, os_reason, toml_error
from ..domain.messages import Msg, _
from ..domain.stations import (
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    BlockKind,
    ClockSettings,
    FixedBlock,
    QuietHours,
    Session,
    Station,
    StationKind,
    StationTargets,
)
from ..domain.validation import validate_stations

MAX_FILE_BYTES = 5 * 1024 * 1024

T = TypeVar("T")
K = TypeVar("K", bound=Enum)

STATION_KEYS = {
    "code",
    "name",
    "kind",
    "parent",
    "office",
    "airs",
    "timezone",
    "quiet_hours",
    "allow_quiet_hours",
    "max_sessions_per_day",
    "max_minutes_per_session",
    "targets",
    "session",
    "sessions",
}
SESSION_KEYS = {"name", "days", "start", "minutes", "block"}
BLOCK_KEYS = {"kind", "title", "source", "start", "minutes"}

TARGET_KEYS = ("normal", "priority")
#: the same ceiling as an item's own target (``broadcaster items set --target``)
MAX_TARGET = 50

_TIME = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*$")


@dataclass
class _Locator:
    """Maps table paths like station[2].session[1] to line numbers by counting headers."""

    lines: list[str]
    headers: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        counters: dict[str, int] = {}
        stack: dict[str, str] = {}
        for no, line in enumerate(self.lines, start=1):
            m = re.match(r"^\s*\[\[\s*([A-Za-z_.\s]+?)\s*\]\]", line)
            if not m:
                continue
            name = re.sub(r"\s+", "", m.group(1))
            parent = name.rsplit(".", 1)[0] if "." in name else ""
            prefix = stack.get(parent, "") if parent else ""
            key = f"{prefix}{name.rsplit('.', 1)[-1]}"
            index = counters.get(f"{prefix}|{key}", 0)
            counters[f"{prefix}|{key}"] = index + 1
            path = f"{key}[{index}]"
            stack[name] = f"{path}."
            # deeper tables restart their counters under a new parent
            for other in list(stack):
                if other.startswith(name + "."):
                    del stack[other]
            self.headers[path] = [no]

    def line_of(self, path: str, key: str | None = None) -> int | None:
        entry = self.headers.get(path)
        if entry is None:
            return None
        start = entry[0]
        if key is None:
            return start
        for no in range(start, len(self.lines)):
            text = self.lines[no]
            if re.match(r"^\s*\[", text):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", text):
                return no + 1
        return start


class _Reader:
    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.locator = _Locator(text.splitlines())
        self.problems: list[Problem] = []

    def where(self, path: str, key: str | None = None) -> str:
        line = self.locator.line_of(path, key)
        place = f"{path}.{key}" if key else path
        return f"{self.source}:{line} ({place})" if line else f"{self.source} ({place})"

    def problem(self, message: Msg, path: str, key: str | None = None) -> None:
        self.problems.append(Problem(message, self.where(path, key)))

    # --- values ---------------------------------------------------------------------------------
    def text(
        self, table: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(_("missing '{key}'", key=key), path)
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(
                _("'{key}' must be a non-empty text, got {value!r}", key=key, value=value),
                path,
                key,
            )
            return None
        return unicodedata.normalize("NFC", value.strip())

    def integer(
        self, table: dict[str, Any], key: str, path: str, *, minimum: int = 1
    ) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(
                _(
                    "'{key}' must be a whole number ≥ {minimum}, got {value!r}",
                    key=key,
                    minimum=minimum,
                    value=value,
                ),
                path,
                key,
            )
            return None
        return value

    def boolean(self, table: dict[str, Any], key: str, path: str) -> bool | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(
                _("'{key}' must be true or false, got {value!r}", key=key, value=value), path, key
            )
            return None
        return value

    def clock_time(self, table: dict[str, Any], key: str, path: str) -> time | None:
        value = table.get(key)
        if value is None:
            self.problem(_("missing '{key}' (a time like \"05:30\")", key=key), path)
            return None
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        m = _TIME.match(str(value))
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            self.problem(
                _(
                    "'{key}' = {value!r} is not a time; write it as HH:MM, e.g. \"05:30\"",
                    key=key,
                    value=value,
                ),
                path,
                key,
            )
            return None
        return time(int(m.group(1)), int(m.group(2)))

    def minutes(self, table: dict[str, Any], key: str, path: str) -> timedelta | None:
        value = table.get(key)
        if value is None:
            self.problem(_("missing '{key}' (length in minutes)", key=key), path)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.problem(
                _("'{key}' must be a number of minutes > 0, got {value!r}", key=key, value=value),
                path,
                key,
            )
            return None
        return timedelta(minutes=value)

    def choice(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        kinds: type[K],
        *,
        what: Msg,
        default: str | None = None,
    ) -> K | None:
        """One of the values of the enum ``kinds`` (in any case); ``what`` names it in a problem."""
        text = self.text(table, key, path, required=default is None) or default
        if text is None:
            return None
        try:
            return kinds(text.lower())
        except ValueError:
            self.problem(
                _(
                    "{what} {value!r} is unknown; use one of {choices}",
                    what=what,
                    value=text,
                    choices=", ".join(k.value for k in kinds),
                ),
                path,
                key,
            )
            return None

    def tables(
        self,
        value: Any,
        path: str,
        key: str,
        parse: Callable[[dict[str, Any], str], T | None],
        *,
        header: str,
        what: Msg,
        one: Msg,
    ) -> list[T] | None:
        """The ``[[header]]`` tables under ``key``, each parsed at its own path (those with a
        problem left out); None when ``value`` is not a list of tables."""
        if not isinstance(value, list):
            self.problem(
                _("{what} must be written as [[{header}]] tables", what=what, header=header),
                path,
                key,
            )
            return None
        out = []
        for j, t in enumerate(value):
            if not isinstance(t, dict):
                self.problem(
                    _("{one} must be a [[{header}]] table", one=one, header=header),
                    f"{path}.{key}[{j}]",
                )
            elif (parsed := parse(t, f"{path}.{key}[{j}]")) is not None:
                out.append(parsed)
        return out

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    _(
                        "unknown setting '{key}'; allowed here: {allowed}",
                        key=key,
                        allowed=", ".join(sorted(allowed)),
                    ),
                    path,
                    key,
                )


def _parse_days(value: Any) -> frozenset[int] | None:
    names = {n: i for i, n in enumerate(WEEKDAY_NAMES)}
    names.update({n.lower(): i for i, n in enumerate(WEEKDAY_CODES)})
    parts: list[str]
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"daily", "hằng ngày", "hàng ngày", "all"}:
            return frozenset(range(7))
        parts = [p.strip() for p in text.split(",")]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = [v.strip().lower() for v in value]
    else:
        return None
    days: set[int] = set()
    for part in parts:
        if "-" in part:
            a, _, b = part.partition("-")
            if a.strip() not in names or b.strip() not in names:
                return None
            lo, hi = names[a.strip()], names[b.strip()]
            if lo > hi:
                return None
            days.update(range(lo, hi + 1))
        elif part in names:
            days.add(names[part])
        else:
            return None
    return frozenset(days)


def _parse_quiet(value: Any) -> QuietHours | None:
    if not isinstance(value, str) or "-" not in value:
        return None
    a, _, b = value.partition("-")
    ma, mb = _TIME.match(a), _TIME.match(b)
    if not ma or not mb:
        return None
    try:
        return QuietHours(
            time(int(ma.group(1)), int(ma.group(2))), time(int(mb.group(1)), int(mb.group(2)))
        )
    except ValueError:
        return None


def parse_station_toml(
    text: str, source: str = "<stations>", existing: Sequence[Station] = ()
) -> list[Station]:
    """Stations from TOML text; :class:`ValidationFailed` lists every problem with its place.

    The file is checked together with ``existing`` stations (those already stored), so it may
    name a parent that is not in the file; a station in the file replaces a stored one by code.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(source, [_not_toml(exc, source)]) from exc
    reader = _Reader(source, text)
    raw_stations = data.get("station", data.get("stations"))
    for key in data:
        if key not in {"station", "stations"}:
            reader.problems.append(
                Problem(
                    _(
                        "unknown top-level table '{key}'; a station file holds [[station]] entries",
                        key=key,
                    ),
                    source,
                )
            )
    if not isinstance(raw_stations, list) or not raw_stations:
        raise ValidationFailed(
            source,
            [
                *reader.problems,
                Problem(_("no [[station]] entries found; see schedules/example.toml"), source),
            ],
        )
    stations = [
        s for i, t in enumerate(raw_stations) if (s := _station(reader, t, f"station[{i}]"))
    ]
    problems = list(reader.problems)
    if not problems:
        merged = {s.code: s for s in existing}
        file_codes = [s.code for s in stations]
        for code in file_codes:
            merged.pop(code, None)
        problems = validate_stations([*merged.values(), *stations])
    if problems:
        raise ValidationFailed(source, problems)
    return stations


def _not_toml(exc: tomllib.TOMLDecodeError, source: str) -> Problem:
    # the parser's own words are English: the Vietnamese message names the place instead
    reason, line, column = toml_error(exc)
    if line is None:
        return Problem(
            _("not valid TOML: {error}; fix the syntax (see schedules/example.toml)", error=reason),
            source,
        )
    return Problem(
        _(
            "not valid TOML at column {column}: {error}; fix the syntax "
            "(see schedules/example.toml)",
            column=column,
            error=reason,
        ),
        f"{source}:{line}",
    )


def _station(r: _Reader, t: dict[str, Any], path: str) -> Station | None:
    before = len(r.problems)
    r.unknown_keys(t, STATION_KEYS, path)
    code = r.text(t, "code", path)
    name = r.text(t, "name", path)
    kind = r.choice(t, "kind", path, StationKind, what=_("station kind"))
    parent = r.text(t, "parent", path, required=False)
    tz = r.text(t, "timezone", path, required=False)
    if tz is not None:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            r.problem(
                _("time zone {tz!r} is unknown; use an IANA name like Asia/Ho_Chi_Minh", tz=tz),
                path,
                "timezone",
            )
    quiet = None
    if "quiet_hours" in t:
        quiet = _parse_quiet(t["quiet_hours"])
        if quiet is None:
            r.problem(
                _(
                    'quiet_hours = {value!r} is not a range; write it as "21:30-05:00"',
                    value=t["quiet_hours"],
                ),
                path,
                "quiet_hours",
            )
    sessions: tuple[Session, ...] | None = None
    raw_sessions = t.get("session", t.get("sessions"))
    if raw_sessions is not None:
        parsed = r.tables(
            raw_sessions,
            path,
            "session",
            lambda s, at: _session(r, s, at),
            header="station.session",
            what=_("sessions"),
            one=_("a session"),
        )
        sessions = tuple(parsed) if parsed is not None else None
    clock = ClockSettings(
        sessions=sessions,
        timezone=tz,
        quiet_hours=quiet,
        allow_quiet_hours=r.boolean(t, "allow_quiet_hours", path),
        max_sessions_per_day=r.integer(t, "max_sessions_per_day", path),
        max_minutes_per_session=r.integer(t, "max_minutes_per_session", path),
        where=r.where(path),
    )
    office = r.boolean(t, "office", path)
    airs = r.boolean(t, "airs", path)
    targets = _targets(r, t.get("targets"), path)
    if len(r.problems) > before or code is None or name is None or kind is None:
        return None
    return Station(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        is_office=bool(office),
        airs=airs,
        clock=clock,
        where=r.where(path),
        targets=targets or StationTargets(),
    )


def _targets(r: _Reader, value: Any, path: str) -> StationTargets | None:
    """``targets = { normal = 2, priority = 5 }``: weekly airings per item, by priority."""
    if value is None:
        return None
    if not isinstance(value, dict):
        r.problem(
            _(
                "'targets' must be a table, got {value!r}; "
                "write it like targets = {{ normal = 2, priority = 5 }}",
                value=value,
            ),
            path,
            "targets",
        )
        return None
    found: dict[str, int] = {}
    for key, n in value.items():
        if key == "emergency":
            r.problem(
                _(
                    "targets.emergency: emergency bulletins are not planned, they are sent "
                    "('broadcaster emergency send'); remove it"
                ),
                path,
                "targets",
            )
        elif key not in TARGET_KEYS:
            r.problem(
                _(
                    "targets.{key}: unknown priority; use {first} or {second}",
                    key=key,
                    first=TARGET_KEYS[0],
                    second=TARGET_KEYS[1],
                ),
                path,
                "targets",
            )
        elif isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_TARGET:
            r.problem(
                _(
                    "targets.{key} must be a whole number of airings per week from 0 to "
                    "{limit}, got {value!r}",
                    key=key,
                    limit=MAX_TARGET,
                    value=n,
                ),
                path,
                "targets",
            )
        else:
            found[key] = n
    return StationTargets(normal=found.get("normal"), priority=found.get("priority"))


def _session(r: _Reader, t: dict[str, Any], path: str) -> Session | None:
    before = len(r.problems)
    r.unknown_keys(t, SESSION_KEYS, path)
    name = r.text(t, "name", path, required=False) or "Buổi phát"
    days = _parse_days(t.get("days", "daily"))
    if days is None:
        r.problem(
            _(
                'days = {value!r} is not understood; write "daily", "mon-fri", "T2-T6" '
                'or a list like ["mon", "wed"]',
                value=t.get("days"),
            ),
            path,
            "days",
        )
    start = r.clock_time(t, "start", path)
    length = r.minutes(t, "minutes", path)
    blocks = r.tables(
        t.get("block", []),
        path,
        "block",
        lambda b, at: _block(r, b, at),
        header="station.session.block",
        what=_("fixed blocks"),
        one=_("a fixed block"),
    )
    if len(r.problems) > before or days is None or start is None or length is None:
        return None
    return Session(
        name=name,
        days=days,
        start=start,
        length=length,
        fixed_blocks=tuple(blocks or ()),
        where=r.where(path),
    )


def _block(r: _Reader, t: dict[str, Any], path: str) -> FixedBlock | None:
    before = len(r.problems)
    r.unknown_keys(t, BLOCK_KEYS, path)
    kind = r.choice(t, "kind", path, BlockKind, what=_("block kind"), default="relay")
    title = r.text(t, "title", path)
    source = r.text(t, "source", path, required=False) or ""
    start = r.clock_time(t, "start", path)
    length = r.minutes(t, "minutes", path)
    if len(r.problems) > before or kind is None or title is None:
        return None
    if start is None or length is None:
        return None
    return FixedBlock(
        kind=kind, title=title, start=start, length=length, source=source, where=r.where(path)
    )


def load_station_file(path: Path, existing: Sequence[Station] = ()) -> list[Station]:
    """Read and validate a station file; every problem is reported at once."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({error}); check the path", path=path, error=os_reason(exc))
        ) from exc
    if size > MAX_FILE_BYTES:
        raise InputError(
            _(
                "{path}: {size} KiB is too large for a station file (limit 5 MiB)",
                path=path,
                size=size // 1024,
            )
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError(
            _("{path}: the file is empty; see schedules/example.toml for the format", path=path)
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode": UTF-16 with a byte order mark, safe to read as such
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                _(
                    "{path}: marked as UTF-16 but cannot be read as such (byte {byte}); "
                    "save the file as UTF-8 and try again",
                    path=path,
                    byte=exc.start,
                )
            ) from exc
        return parse_station_toml(unicodedata.normalize("NFC", text), str(path), existing)
    if b"\x00" in data:
        raise InputError(_("{path}: this is a binary file, not a TOML station file", path=path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            _(
                "{path}: not UTF-8 (byte {byte}); save the file as UTF-8 and try again",
                path=path,
                byte=exc.start,
            )
        ) from exc
    return parse_station_toml(unicodedata.normalize("NFC", text), str(path), existing)
