from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GUIDANCE = REPO / "schedules" / "guidance"


@pytest.fixture(scope="session")
def seed_002(seeds_dir: Path) -> Path:
    return next(seeds_dir.glob("002_*.txt"))


@pytest.fixture(scope="session")
def seed_003(seeds_dir: Path) -> Path:
    return next(seeds_dir.glob("003_*.txt"))


@pytest.fixture(scope="session")
def guidance_dir() -> Path:
    return GUIDANCE
