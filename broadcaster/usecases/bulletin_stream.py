"""The server-sent events of one station's bulletins, for the API's stream and the operator's
page alike: what is stored after a cursor, then each change as the hub hands it over, each
bulletin state once, a comment line as keep-alive."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Protocol


class BulletinFeed(Protocol):
    """The emergency hub of the process (broadcaster.api.hub.EmergencyHub), as used here."""

    def subscribe(self, code: str) -> Any: ...

    def unsubscribe(self, sub: Any) -> None: ...

    def backlog(self, code: str, since: int) -> list[Any]: ...


async def bulletin_frames(
    hub: BulletinFeed, code: str, cursor: int, keepalive: float
) -> AsyncIterator[bytes]:
    sub = hub.subscribe(code)  # before the backlog: nothing stored meanwhile is missed
    sent: dict[int, int] = {}
    try:
        yield b"retry: 3000\n\n"
        for b in hub.backlog(code, cursor):
            sent[b.id] = b.seq
            yield b.frame
        while True:
            try:
                async with asyncio.timeout(keepalive):
                    b = await sub.queue.get()
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if sent.get(b.id, -1) >= b.seq:
                continue
            sent[b.id] = b.seq
            yield b.frame
    finally:
        hub.unsubscribe(sub)
