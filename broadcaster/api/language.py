"""The language of an answer.

The API follows what the calling program asks for (``?lang=``, ``Accept-Language``); the
console's pages are Vietnamese unless the person chose English (``?lang=en`` once, kept in a
cookie) — a browser set up in English on an office PC does not make them English. Otherwise
the server's ``[ui] lang``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from broadcaster.domain import messages
from broadcaster.domain.messages import Msg
from broadcaster.i18n import DEFAULT_LANGUAGE, LANGUAGES, translations

LANG_COOKIE = "bc_lang"


def chosen(accept: str | None, query: str | None, default: str) -> str:
    if query:
        asked = parse_qs(query).get("lang", [""])[0]
        if asked in LANGUAGES:
            return asked
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return default


class Language:
    """ASGI middleware: each request is answered in its language."""

    def __init__(self, app: ASGIApp, *, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        query = scope.get("query_string", b"").decode("latin-1")
        if scope.get("path", "").startswith("/api/"):
            accept = headers.get(b"accept-language", b"").decode("latin-1")
            lang = chosen(accept, query, self.default)
            with messages.speaking(translations(lang)):
                await self.app(scope, receive, send)
            return
        kept = _cookie(headers.get(b"cookie", b"").decode("latin-1"))
        lang = chosen(None, query, kept if kept in LANGUAGES else self.default)
        remember = lang if parse_qs(query).get("lang") else None

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                cookie = f"{LANG_COOKIE}={remember}; Path=/; Max-Age=31536000; SameSite=Lax"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        with messages.speaking(translations(lang)):
            await self.app(scope, receive, send_with_cookie)


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE:
            return value
    return None


@contextmanager
def speaking_to(request: Request) -> Iterator[None]:
    """Within the block, messages are in ``request``'s language: for what is answered outside
    the :class:`Language` middleware (an unexpected error)."""
    default = getattr(request.app.state, "language", DEFAULT_LANGUAGE)
    lang = chosen(request.headers.get("accept-language"), request.url.query, default)
    with messages.speaking(translations(lang)):
        yield


def in_server_language(message: Msg) -> str:
    """A line for the server's own log: in the server's language, not the language of the
    request during which it is written."""
    return message.render(messages.default())
