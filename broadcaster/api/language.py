"""The language of an answer: what the caller asks for (``Accept-Language`` or ``?lang=``),
else the server's ``[ui] lang``; error messages are shown in it."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from broadcaster.domain import messages
from broadcaster.i18n import LANGUAGES, translations


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
        accept = headers.get(b"accept-language", b"").decode("latin-1")
        lang = chosen(accept, scope.get("query_string", b"").decode("latin-1"), self.default)
        with messages.speaking(translations(lang)):
            await self.app(scope, receive, send)
