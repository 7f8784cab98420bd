"""Shared set-up for speech tests: items in a database, a counting engine, seed scripts."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import responses

from broadcaster.db import Database
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.items import Approval, ApprovalState, Item
from broadcaster.speech.engines import EspeakEngine, Synthesis

NOW = datetime(2026, 5, 4, 1, 30, tzinfo=UTC)


@pytest.fixture
def no_network() -> Iterator[responses.RequestsMock]:
    """Any HTTP request a test did not fake fails as if the machine were offline."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


class CountingEspeak(EspeakEngine):
    """The real espeak-ng, counting how often it is asked to speak."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.calls = 0
        self._lock = threading.Lock()  # items are rendered in parallel

    def synthesize(self, text: str, out: Path) -> Synthesis:
        with self._lock:
            self.calls += 1
        return super().synthesize(text, out)


def clock() -> FixedClock:
    return FixedClock(NOW)


def add_items(db: Database, *scripts: str, approved: bool = True) -> list[Item]:
    approval = Approval(ApprovalState.APPROVED, "Chủ tịch UBND xã", NOW) if approved else Approval()
    with db.unit_of_work() as uow:
        return [
            uow.items.add(Item(title=f"Tin số {i + 1}", script=s, approval=approval, position=i))
            for i, s in enumerate(scripts)
        ]


def seed_scripts(seeds_dir: Path, *, least: int = 300, most: int = 900) -> list[str]:
    """Paragraphs of the real guidance documents, of announcement length."""
    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("**", "")
        out += [
            " ".join(p.split())
            for p in re.split(r"\n\s*\n", text)
            if least <= len(" ".join(p.split())) <= most
        ]
    return out
