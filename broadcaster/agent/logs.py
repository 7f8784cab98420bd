"""The agent's log: an operator's log, in the operator's language, times in the station's zone.

It has three depths:

- by default, what an operator follows: what played, what was missed or cut and why,
  bulletins received, played and cancelled, the fallback programme, pulls that changed
  something, the office out of reach, the token about to expire — one short sentence a line,
  written to ``broadcaster.agent`` at INFO and above;
- with ``-v``, also the operator's detailed lines: each upload, each retry, each heartbeat
  that did not get through (``broadcaster.agent`` at DEBUG);
- with ``broadcaster --debug agent run``, also the internals: the scheduler's own lines
  (APScheduler's "Run time of job … was missed"), HTTP requests, job ids and the tracebacks of
  failures (``broadcaster.agent.internals`` and every library's logger). Without it, a
  library's line below ERROR is never shown.

Each line starts with the time in the station's zone, ``07/12/2026 05:30:02,417`` (to the
millisecond, for the tools that read the log), then the message; a warning or an error says
so first. The lines other programs look for (``tests/agent/helpers.py``,
``scripts/chaos_playout.py``) have their message ids here, and :func:`line_pattern` finds them
in any language.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import IO, Any
from zoneinfo import ZoneInfo

from broadcaster.domain.messages import N_, Msg, Translations, _, translate
from broadcaster.i18n import fmt_datetime

#: the operator's log
log = logging.getLogger("broadcaster.agent")
#: what only a developer needs (tracebacks, job ids): shown with --debug only
internals = logging.getLogger("broadcaster.agent.internals")

# --- the lines other programs look for, by their message ids --------------------------------
#: the agent has scheduled its entries (after it logged what it missed while down)
STARTED = N_(
    "agent {version} for station {station} started ({player} player); entries scheduled: {n}"
)
#: an entry starts to play
PLAYING = N_("playing «{title}» (planned {planned})")
#: an entry played to its end
PLAYED = N_("played «{title}» to the end")
#: an entry will not play: ``why`` says what happened
MISSED = N_("missed «{title}» (planned {planned}): {why}")

#: the word before a line of each level (none for information)
LEVEL_WORDS = {
    logging.WARNING: N_("WARNING"),
    logging.ERROR: N_("ERROR"),
    logging.CRITICAL: N_("ERROR"),
}


def line(msgid: str, /, **values: Any) -> Msg:
    """One of the lines above, with its values."""
    return Msg(msgid, values)


class StationFormatter(logging.Formatter):
    """``07/12/2026 05:30:02,417 message``, in the station's zone; warnings and errors say
    so; with ``debug`` the logger's name and any traceback too."""

    def __init__(self, tz: tzinfo, *, debug: bool = False) -> None:
        super().__init__()
        self.tz = tz
        self.debug = debug

    def stamp(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, self.tz)
        return f"{fmt_datetime(at, self.tz, seconds=True)},{int(record.msecs):03d}"

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        word = LEVEL_WORDS.get(record.levelno)
        if word is not None:
            text = f"{translate(word)}: {text}"
        if self.debug:
            text = f"[{record.name}] {text}"
            if record.exc_info:
                text = f"{text}\n{self.formatException(record.exc_info)}"
        return f"{self.stamp(record)} {text}"


class _OperatorLines(logging.Filter):
    """Without --debug: the agent's own lines, and a library's only from ERROR up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == internals.name or record.name.startswith(internals.name + "."):
            return False
        if record.name == "broadcaster" or record.name.startswith("broadcaster."):
            return True
        return record.levelno >= logging.ERROR


def configure_logging(
    timezone: str | tzinfo,
    *,
    verbose: bool = False,
    debug: bool = False,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Write the agent's log to ``stream`` (stderr): the operator's lines, ``verbose`` adds
    the detailed ones, ``debug`` the internals. Replaces the root logger's handlers."""
    tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(StationFormatter(tz, debug=debug))
    if not debug:
        handler.addFilter(_OperatorLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.ERROR)
    logging.getLogger("broadcaster").setLevel(logging.DEBUG if verbose or debug else logging.INFO)
    internals.setLevel(logging.DEBUG if debug else logging.CRITICAL + 1)
    return handler


def guarded(job: Callable[[], None], what: Msg) -> Callable[[], None]:
    """``job``, never raising: an unexpected failure is one operator line (``what`` failed)
    and a traceback behind --debug, so the scheduler's own error line never shows."""

    def run() -> None:
        try:
            job()
        except Exception as exc:
            log.error(
                _(
                    "{what} failed unexpectedly ({error}); the agent carries on",
                    what=what,
                    error=describe(exc),
                )
            )
            internals.debug("%s failed", what, exc_info=True)

    return run


def describe(exc: BaseException) -> str:
    """An unexpected exception in one line: the project's message, or the kind and text."""
    from broadcaster.domain.errors import BroadcasterError

    if isinstance(exc, BroadcasterError):
        return str(exc)
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- finding lines in the log (for tests and scripts) ---------------------------------------

#: the time at the start of every line
STAMP = re.compile(r"^(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d,\d{3}) (.*)$")


def parse_stamp(text: str, tz: tzinfo) -> datetime:
    """The time of a line (``07/12/2026 05:30:02,417``, in the station's zone ``tz``)."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M:%S,%f").replace(tzinfo=tz)


def without_level(text: str, translations: Translations) -> tuple[int, str]:
    """A line's level and message, from the text after its time: the word a warning or an
    error starts with (in ``translations``' language) is taken off."""
    for level, word in LEVEL_WORDS.items():
        prefix = f"{translate(word, translations)}: "
        if text.startswith(prefix):
            return level, text[len(prefix) :]
    return logging.INFO, text


def line_pattern(msgid: str, translations: Translations, **groups: str) -> re.Pattern[str]:
    """A regular expression for the message ``msgid`` as written in ``translations``'
    language, each value a named group matching the pattern given (``title=r".+?"``); a
    value not named matches anything."""
    names = re.findall(r"\{([A-Za-z_]\w*)", msgid)
    marks = {name: f"\x00{i}\x00" for i, name in enumerate(names)}
    text = re.escape(Msg(msgid, marks).render(translations))
    for name, mark in marks.items():
        group = f"(?P<{name}>{groups[name]})" if name in groups else ".*?"
        text = text.replace(re.escape(mark), group, 1)
    return re.compile(text)
