"""The message catalogue: gettext catalogues (Babel), Vietnamese by default, English on request.

Catalogues live in ``broadcaster/locale/<lang>/LC_MESSAGES/<area>.po``, one file per area of the
code (core, cli, api, agent, web, reports) plus click's own words; the install compiles them to
``.mo`` (``scripts/i18n.py compile``, run by ``make``). A checkout whose ``.mo`` files are missing
or older than their ``.po`` still speaks: the ``.po`` is compiled in memory.

The language comes from ``--lang``, else ``BROADCASTER_LANG``, else ``[ui] lang``, else ``vi``.
Times a user reads are shown in the station's zone, 24-hour, day first (``T2 07/12/2026 05:30``).
"""

from __future__ import annotations

import functools
import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from .domain import messages
from .domain.errors import ConfigError
from .domain.messages import Translations, _

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
#: the catalogue files of each language, in lookup order
AREAS = ("core", "media", "cli", "api", "agent", "web", "reports", "click")


@dataclass(frozen=True)
class UiSettings:
    """The ``[ui]`` settings section: the language everything a user reads is in."""

    #: vi (Vietnamese) or en (English)
    lang: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        check_language(self.lang, "[ui] lang")


def check_language(lang: str, where: str) -> str:
    if lang not in LANGUAGES:
        raise ConfigError(
            _("{where} = {lang!r} is not a language here; use vi or en", where=where, lang=lang)
        )
    return lang


def _compiled(po: Path) -> gettext.GNUTranslations:
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, translated_only(catalog))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translated_only(catalog: Any) -> Any:
    """The catalogue without its untranslated messages: Babel would write a missing plural as
    the singular, where the message id (with both forms) must show instead."""
    for message in list(catalog):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not all(strings):
            catalog.delete(message.id, context=message.context)
    return catalog


@functools.cache
def translations(lang: str) -> Translations:
    """Every catalogue of ``lang`` chained into one (the first that knows a message wins)."""
    check_language(lang, "language")
    chain: gettext.NullTranslations = gettext.NullTranslations()
    found = False
    for area in AREAS:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{area}.po"
        if not po.is_file():
            continue
        part = _compiled(po)
        if not found:
            chain, found = part, True
        else:
            chain.add_fallback(part)
    return chain


# --- dates and times as a user reads them -------------------------------------------------------


def weekday_short(day: date) -> str:
    return messages.weekday_short(day.weekday())


def local(value: datetime, tz: tzinfo) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a time shown to a user must be aware")
    return value.astimezone(tz)


def fmt_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def fmt_day(day: date) -> str:
    """``T2 07/12``: a weekday and a date within the week everyone is looking at."""
    return f"{weekday_short(day)} {day:%d/%m}"


def fmt_time(value: datetime | time, tz: tzinfo | None = None, *, seconds: bool = False) -> str:
    t = local(value, tz).time() if isinstance(value, datetime) and tz is not None else value
    return f"{t:%H:%M:%S}" if seconds else f"{t:%H:%M}"


def fmt_datetime(value: datetime, tz: tzinfo, *, seconds: bool = False) -> str:
    """``07/12/2026 05:30`` in the zone ``tz`` (the station's, or the office's)."""
    at = local(value, tz)
    return f"{at:%d/%m/%Y} {fmt_time(at, seconds=seconds)}"
