"""Screenshots of pages in Debian's headless Chromium, for tests that check a page renders."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


def screenshot(page: Path, out: Path, size: str, tmp: Path) -> bytes:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (apt install chromium)")
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp / 'profile'}",
            f"--screenshot={out}",
            f"--window-size={size}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert out.is_file(), proc.stderr.decode("utf-8", "replace")[-2000:]
    return out.read_bytes()
