"""Benchmark: announcement audio over the seed scripts (issue 4 §6).

    .venv/bin/python scripts/bench_speech.py [--seeds DIR] [--minutes 30]

1. cold: espeak-ng alone, then the whole pipeline (normalise → espeak-ng → trim → loudness →
   MP3 → cache), as × real time over the seed documents' announcement scripts;
2. warm: the same scripts again, all from the cache (nothing synthesised);
3. one session of ``--minutes`` assembled from the cached segments by broadcaster's audio code
   versus a plain ``ffmpeg -f concat`` of the same files (re-encoding, as one would by hand).

Each figure is printed with the machine's load average (``uptime``): on a shared machine a
figure taken under load says little. The last line is a one-line summary.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar

from broadcaster.audio import assemble, measure_file
from broadcaster.domain.clock import FixedClock
from broadcaster.speech.engines import EspeakEngine
from broadcaster.speech.normalize import normalize_text
from broadcaster.speech.settings import SpeechSettings
from broadcaster.usecases.speech import default_jobs, make_synthesizer

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = REPO / "schedules" / "guidance"
GAP = timedelta(seconds=2)
P = ParamSpec("P")
R = TypeVar("R")


def seed_scripts(seeds: Path) -> list[str]:
    """The announcement scripts broadcaster drafts from the seed documents."""
    files = sorted(p for p in seeds.iterdir() if p.suffix in {".txt", ".md", ".docx", ".pdf"})
    scripts: list[str] = []
    from broadcaster.ingest import read_guidance

    for path in files:
        _extracted, documents = read_guidance(path)
        scripts += [i.script for d in documents for i in d.items if i.script and i.script.strip()]
    return scripts


def timed(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> tuple[R, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--quick", action="store_true", help="8 scripts, a 5-minute session")
    args = parser.parse_args()
    if not args.seeds.is_dir():
        print(f"seed documents not found at {args.seeds}: using {EXAMPLES}")
        args.seeds = EXAMPLES
    scripts = seed_scripts(args.seeds)
    if args.quick:
        scripts, args.minutes = scripts[:8], min(args.minutes, 5.0)
    if not scripts:
        sys.exit(f"no scripts found in {args.seeds}")
    speech = SpeechSettings(engine="espeak-ng")
    chars = sum(len(s) for s in scripts)
    print(f"{len(scripts)} seed scripts, {chars:,} characters; {load()} at the start")

    with tempfile.TemporaryDirectory(prefix="bench-speech-") as tmp:
        work = Path(tmp)

        # 1a. espeak-ng alone (normalised text in, WAV out)
        espeak = EspeakEngine(voice=speech.espeak_voice, rate=speech.espeak_rate)
        spoken = [normalize_text(s, speech.normalize_options()) for s in scripts]
        start = time.perf_counter()
        for i, text in enumerate(spoken):
            espeak.synthesize(text, work / f"raw{i}")
        engine_s = time.perf_counter() - start

        # 1b. the whole pipeline, cold cache
        synth = make_synthesizer(
            speech, work / "audio", FixedClock(datetime(2026, 5, 4, tzinfo=UTC)), engine=espeak
        )
        rendered, cold_s = timed(
            lambda: [synth.render(s, label=f"script {n}") for n, s in enumerate(scripts)]
        )
        audio_s = sum(r.duration.total_seconds() for r in rendered)
        assert all(r.synthesized for r in rendered)
        loudness = [r.entry.loudness_lufs for r in rendered]
        print(
            f"cold: {audio_s / 60:.1f} min of speech; espeak-ng alone {engine_s:.2f} s "
            f"({audio_s / engine_s:.0f}× real time); whole pipeline {cold_s:.2f} s "
            f"({audio_s / cold_s:.0f}× real time, {cold_s / len(scripts) * 1000:.0f} ms a script); "
            f"loudness {min(loudness):.1f} to {max(loudness):.1f} LUFS; {load()}"
        )

        # 1c. the whole pipeline, cold, in parallel as 'speech synth' runs it
        jobs = default_jobs(espeak)
        parallel = make_synthesizer(
            speech,
            work / "audio-parallel",
            FixedClock(datetime(2026, 5, 4, tzinfo=UTC)),
            engine=espeak,
        )
        with ThreadPoolExecutor(jobs) as pool:
            _, parallel_s = timed(
                lambda: list(pool.map(lambda s: parallel.render(s, label="script"), scripts))
            )
        print(
            f"cold, {jobs} parallel renders (as 'speech synth' does): {parallel_s:.2f} s "
            f"({audio_s / parallel_s:.0f}× real time); {load()}"
        )

        # 2. warm cache
        again, warm_s = timed(
            lambda: [synth.render(s, label=f"script {n}") for n, s in enumerate(scripts)]
        )
        assert not any(r.synthesized for r in again)
        print(
            f"warm: {len(scripts)} scripts from the cache in {warm_s:.3f} s "
            f"({warm_s / len(scripts) * 1000:.1f} ms a script, nothing synthesised)"
        )

        # 3. one session from cached segments
        target = args.minutes * 60
        parts: list[Path] = []
        total = 0.0
        while total < target:
            r = rendered[len(parts) % len(rendered)]
            parts.append(r.path)
            total += r.duration.total_seconds() + GAP.total_seconds()
        ours, ours_s = timed(
            assemble, parts, work / "ours.mp3", gap=GAP, bitrate_kbps=speech.bitrate_kbps
        )

        gap_file = work / "gap.mp3"
        subprocess.run(
            [
                "ffmpeg",
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "anullsrc=r=44100:cl=mono",
                "-t",
                f"{GAP.total_seconds():.3f}",
                "-c:a",
                "libmp3lame",
                "-b:a",
                f"{speech.bitrate_kbps}k",
                str(gap_file),
            ],
            check=True,
        )
        listing = work / "list.txt"
        listing.write_text(
            "".join(
                (f"file '{gap_file}'\n" if i else "") + f"file '{p}'\n" for i, p in enumerate(parts)
            ),
            encoding="utf-8",
        )
        base = [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
        ]
        _, plain_s = timed(
            subprocess.run,
            [
                *base,
                "-c:a",
                "libmp3lame",
                "-b:a",
                f"{speech.bitrate_kbps}k",
                str(work / "plain.mp3"),
            ],
            check=True,
        )
        _, copy_s = timed(subprocess.run, [*base, "-c", "copy", str(work / "copy.mp3")], check=True)
        session_lufs = measure_file(ours.path).integrated_lufs
        print(
            f"session: {len(parts)} segments, {ours.duration_ms / 60000:.1f} min, {session_lufs:.1f} LUFS; "
            f"broadcaster {ours_s:.2f} s ({'frames copied' if ours.copied else 're-encoded'}); "
            f"plain ffmpeg -f concat re-encoding {plain_s:.2f} s; ffmpeg -f concat -c copy {copy_s:.2f} s"
        )

    ratio = ours_s / plain_s
    print(
        f"bench_speech: {len(scripts)} seed scripts ({audio_s / 60:.1f} min): espeak-ng "
        f"{audio_s / engine_s:.0f}x real time, full pipeline {audio_s / cold_s:.0f}x cold "
        f"({audio_s / parallel_s:.0f}x with {jobs} jobs), "
        f"warm cache {warm_s * 1000:.0f} ms; {ours.duration_ms / 60000:.0f}-min session "
        f"{ours_s:.2f} s vs ffmpeg concat {plain_s:.2f} s (ratio {ratio:.2f}); {load()}"
    )


if __name__ == "__main__":
    main()
