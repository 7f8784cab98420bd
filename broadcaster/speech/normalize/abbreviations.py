"""The abbreviation dictionary (shipped, with a station's file merged over it) and the passes
that expand abbreviations or drop one that only repeats the words before it."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _

from .letters import fold
from .options import NormalizeOptions
from .text import sub

_DEFAULT_FILE = "abbreviations.toml"
#: shipped beside it and merged over it: what guidance documents abbreviate (issue 16)
_GUIDANCE_FILE = "abbreviations_guidance.toml"


def _parse_table(raw: bytes, source: str) -> dict[str, str]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(
            _(
                "{source}: not UTF-8 text ({reason}); save it as UTF-8",
                source=source,
                reason=str(exc),
            )
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            _(
                "{source}: invalid TOML ({reason}); fix the line named",
                source=source,
                reason=str(exc),
            )
        ) from exc
    table = data.get("abbreviations")
    if not isinstance(table, dict):
        raise InputError(
            _(
                "{source}: no [abbreviations] table; write entries as {example} under a line "
                "`[abbreviations]`",
                source=source,
                example='`"UBND" = "Ủy ban nhân dân"`',
            )
        )
    result: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise InputError(
                _(
                    '{source}: abbreviations."{key}" is {type}, not text; write the spoken words '
                    "in quotes",
                    source=source,
                    key=key,
                    type=type(value).__name__,
                )
            )
        result[unicodedata.normalize("NFC", key.strip())] = unicodedata.normalize(
            "NFC", " ".join(value.split())
        )
    return result


@lru_cache(maxsize=1)
def _default_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name in (_DEFAULT_FILE, _GUIDANCE_FILE):
        raw = resources.files("broadcaster.speech").joinpath("data", name).read_bytes()
        table.update(_parse_table(raw, f"broadcaster/speech/data/{name}"))
    return table


def _read_extra(path: Path) -> dict[str, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return _parse_table(raw, str(path))


def _unreadable(path: Path, exc: OSError) -> InputError:
    return InputError(
        _(
            "abbreviations file {path} cannot be read ({reason}); check the path given with "
            "--abbreviations",
            path=str(path),
            reason=exc.strerror or str(exc),
        )
    )


def load_abbreviations(path: Path | None = None) -> dict[str, str]:
    """The abbreviation dictionary: the shipped one, with ``path``'s entries merged over it.

    In ``path`` an empty value removes an entry of the shipped dictionary.
    """
    table = dict(_default_table())
    if path is not None:
        for key, value in _read_extra(path).items():
            if value:
                table[key] = value
            else:
                table.pop(key, None)
    return table


def _key_pattern(key: str, has_bare: bool) -> str:
    parts: list[str] = []
    for ch in key:
        if ch == " ":
            if not parts or parts[-1] not in (r"\s+", r"\s*[-–]\s*", r"\s*&\s*"):
                parts.append(r"\s+")
        elif ch in "&-":
            if parts and parts[-1] == r"\s+":
                parts.pop()
            parts.append(r"\s*[-–]\s*" if ch == "-" else r"\s*&\s*")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if key.endswith(".") and has_bare:
        # "TT. HĐND" is Thường trực; "theo TT." ends a sentence and leaves "TT" (thông tư) and "."
        return body + r"(?=\s+\S)"
    # letters, not digits, bound a key: "TƯ5", "COVID19" still hold an abbreviation
    return body + r"(?![^\W\d_])"


@dataclass(frozen=True)
class Dictionary:
    """The table compiled into one pattern that finds any of its keys."""

    table: dict[str, str]
    pattern: re.Pattern[str] | None
    lookup: dict[str, str]  # canonical (spaces collapsed, & and - unspaced) → words


def _canonical(text: str) -> str:
    text = re.sub(r"\s*([&\-–])\s*", r"\1", text).replace("–", "-")
    return " ".join(text.split())


def _compile_dictionary(table: dict[str, str], source: str) -> Dictionary:
    keys = sorted((k for k in table if k), key=len, reverse=True)
    if not keys:
        return Dictionary(table, None, {})
    first = "".join(sorted({re.escape(k[0]) for k in keys}))
    alternation = "|".join(_key_pattern(k, k.rstrip(".") in table) for k in keys)
    pattern = re.compile(rf"(?=[{first}])(?<![^\W\d_])(?:{alternation})")
    for key, value in table.items():
        found = pattern.search(value)
        if found:
            raise InputError(
                _(
                    '{source}: the words for "{key}" contain the abbreviation "{found}"; write it '
                    "out in words",
                    source=source,
                    key=key,
                    found=found.group(0),
                )
            )
        if re.search(r"[0-9]", value):
            raise InputError(
                _(
                    '{source}: the words for "{key}" contain digits ("{value}"); write numbers '
                    "as words",
                    source=source,
                    key=key,
                    value=value,
                )
            )
    lookup = {_canonical(k): v for k, v in table.items()}
    return Dictionary(table, pattern, lookup)


@lru_cache(maxsize=16)
def _compiled(path: str | None, _mtime: int, _size: int) -> Dictionary:
    source = path or f"broadcaster/speech/data/{_DEFAULT_FILE}"
    return _compile_dictionary(load_abbreviations(Path(path) if path else None), source)


def dictionary_for(options: NormalizeOptions) -> Dictionary:
    """The compiled dictionary for ``options``, compiled again when its file changes."""
    path = options.abbreviations_file
    if path is None:
        return _compiled(None, 0, 0)
    try:
        stat = path.stat()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return _compiled(str(path), stat.st_mtime_ns, stat.st_size)


_PAREN_ABBR = re.compile(r"\s*\(\s*([A-ZĐ][A-Za-zĐđ&.\-]*[A-Za-zĐđ])\s*\)")
_WORD = re.compile(r"\w+")
_SKIPPABLE = {"va", "cua", "cac", "voi"}


def _repeats(before: Iterable[str], abbr: str, table: dict[str, str]) -> bool:
    """Whether ``abbr`` (from "words (ABBR)") abbreviates the words just before it."""
    words = list(before)
    expansion = table.get(abbr)
    if expansion:
        spoken = [fold(w) for w in _WORD.findall(expansion)]
        if spoken and [fold(w) for w in words[-len(spoken) :]] == spoken:
            return True
    letters = [fold(ch) for ch in abbr if ch.isupper()]
    if len(letters) < 2:
        return False
    i, j = len(letters) - 1, len(words) - 1
    while i >= 0 and j >= 0:
        word = fold(words[j])
        if word and word[0] == letters[i]:
            i -= 1
            j -= 1
        elif word in _SKIPPABLE:
            j -= 1
        else:
            return False
    return i < 0


def repeated_abbreviations(line: str, dictionary: Dictionary) -> str:
    """Drop the bracket of "Ủy ban nhân dân (UBND)": it would only repeat the words before it."""
    table = dictionary.table

    def drop_if_repeat(m: re.Match[str]) -> str:
        abbr = m.group(1)
        before = _WORD.findall(m.string[max(0, m.start() - 300) : m.start()])
        if _repeats(before, abbr, table):
            return ""
        return m.group(0)

    return _PAREN_ABBR.sub(drop_if_repeat, line)


def abbreviations(line: str, dictionary: Dictionary) -> str:
    """Every abbreviation of the dictionary replaced by its words."""
    pattern = dictionary.pattern
    if pattern is None:
        return line
    lookup = dictionary.lookup
    return sub(pattern, line, lambda m: lookup.get(_canonical(m.group(0)), m.group(0)))
