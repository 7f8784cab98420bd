"""Synthesise the announcement chime (a two-tone bell) into audio/chime.mp3.

    .venv/bin/python scripts/make_chime.py [OUT]

Pure synthesis, so the shipped file can be rebuilt anywhere and nothing is downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

from broadcaster.audio.chime import make_chime

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "audio" / "chime.mp3"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    result = make_chime(out)
    print(
        f"{out}: {result.duration_ms / 1000:.1f} s, {result.loudness.integrated_lufs:.1f} LUFS, "
        f"true peak {result.loudness.true_peak_dbtp:.1f} dBTP"
    )


if __name__ == "__main__":
    main()
