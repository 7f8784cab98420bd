"""Words a user reads, kept as a message id and its values until they are shown.

Code writes ``_("{n} stations loaded from {path}", n=n, path=path)``: an English message id
with named placeholders. The result is a :class:`Msg`, not a string; it is turned into text in
the language of whoever reads it (Vietnamese by default, English on request) when it is shown:
printed by the CLI, put in an API error, written to the agent's log or a page. An exception
keeps its message and values (``exc.message``), so each entry point translates it for its own
reader. Plural forms go through :func:`_n`.

The catalogues themselves (gettext ``.po``/``.mo`` files) are read by :mod:`broadcaster.i18n`;
this module only keeps the active translation per context (thread, request, task).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any, Protocol


class Translations(Protocol):
    """What :mod:`gettext` translations offer."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str: ...


class _Untranslated:
    """The message ids as they are (English), when no catalogue is active."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if n == 1 else msgid2


_active: ContextVar[Translations] = ContextVar("broadcaster_translations")
#: the process's language where no context chose one (threads start without a context)
_default: list[Translations] = []
#: makes the default on first use (set by the package: the Vietnamese catalogue)
_default_loader: list[Callable[[], Translations]] = []


def set_default(translations: Translations) -> None:
    """The language of every context that did not choose one (the whole process)."""
    _default[:] = [translations]


def default() -> Translations:
    return _fallback()


def set_default_loader(loader: Callable[[], Translations]) -> None:
    _default_loader[:] = [loader]


def _fallback() -> Translations:
    if not _default:
        _default.append(_default_loader[0]() if _default_loader else _Untranslated())
    return _default[0]


def active() -> Translations:
    found = _active.get(None)
    return found if found is not None else _fallback()


def activate(translations: Translations) -> Token[Translations]:
    """Make ``translations`` the language of this context; returns a token to reset it."""
    return _active.set(translations)


def deactivate(token: Token[Translations]) -> None:
    _active.reset(token)


@contextmanager
def speaking(translations: Translations) -> Iterator[None]:
    """Within the block, messages are shown in ``translations``' language."""
    token = activate(translations)
    try:
        yield
    finally:
        deactivate(token)


class Msg:
    """A message id and its values, shown in the active language when turned into text."""

    __slots__ = ("msgid", "n", "params", "plural")

    def __init__(
        self,
        msgid: str,
        params: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        n: int | None = None,
    ) -> None:
        self.msgid = msgid
        self.params = dict(params or {})
        self.plural = plural
        self.n = n

    def render(self, translations: Translations | None = None) -> str:
        t = translations or active()
        if self.plural is not None and self.n is not None:
            template = t.ngettext(self.msgid, self.plural, self.n)
        else:
            template = t.gettext(self.msgid)
        if not self.params:
            return template
        values = {k: render(v, t) for k, v in self.params.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # a translation that names a value the message does not have: show the original
            return self.msgid.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __rich__(self) -> str:
        # rich (the CLI's tables) shows a message as its text
        return self.render()

    def __repr__(self) -> str:
        return f"Msg({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Msg):
            return (self.msgid, self.params, self.plural, self.n) == (
                other.msgid,
                other.params,
                other.plural,
                other.n,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural, self.n))

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)


def render(value: object, translations: Translations | None = None) -> Any:
    """``value`` as shown: messages in the active language, other values as they are (so a
    number keeps its format spec: ``{seconds:.1f}``)."""
    if isinstance(value, Msg):
        return value.render(translations)
    return value


def _(msgid: str, /, **params: Any) -> Msg:
    """A message to show, in English with ``{named}`` placeholders (extracted by Babel)."""
    return Msg(msgid, params)


def _n(singular: str, plural: str, n: int, /, **params: Any) -> Msg:
    """A message with plural forms; ``{n}`` is the count."""
    return Msg(singular, {"n": n, **params}, plural=plural, n=n)


def N_(msgid: str) -> str:
    """Mark a string for the catalogue without making it a message (translated later with
    :func:`translate`): constant tables, command help."""
    return msgid


def translate(text: str, translations: Translations | None = None) -> str:
    """A plain string looked up in the catalogue (help texts, labels marked with :func:`N_`)."""
    return (translations or active()).gettext(text) if text else text


#: weekdays as a user reads them next to a date (T2 … CN in Vietnamese)
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday_short(weekday: int) -> str:
    """``T2`` … ``CN`` (Monday is 0), in the active language."""
    return translate(WEEKDAYS[weekday])
