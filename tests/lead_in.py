"""The emergency lead-in, made once per test process and copied into each test's audio cache.

Making it takes espeak-ng and two loudness passes (about two seconds); every office in the
tests would otherwise make the same file again.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from broadcaster.config import load_settings
from broadcaster.usecases.emergencies import lead_in

_made: Path | None = None


def seed_lead_in(audio_dir: Path) -> None:
    """Put a ready lead-in (made with the default settings) into ``audio_dir``'s cache."""
    global _made
    if shutil.which("espeak-ng") is None:
        return
    if _made is None:
        home = Path(tempfile.mkdtemp(prefix="lead-in-"))
        settings = load_settings(
            None,
            {
                "HOME": str(home),
                "BROADCASTER_DATA_DIR": str(home / "data"),
                "BROADCASTER_AUDIO_DIR": str(home / "audio"),
            },
        )
        lead_in(settings)
        _made = home / "audio" / "cache"
    shutil.copytree(_made, audio_dir / "cache", dirs_exist_ok=True)
