"""Benchmark: how well a listener would understand each speech engine (issue 20).

    .venv/bin/python scripts/bench_intelligibility.py [--engines espeak-ng,piper] \
        [--recordings DIR] [--tune] [--jobs 2]

Synthesises the fixed announcement sentences of scripts/data/intelligibility.toml (dates,
numbers, places, abbreviations, slogans), each normalised as broadcaster reads it, with every
engine that can run here (espeak-ng with its shipped defaults and with broadcaster's tuned
settings, Piper with each installed voice, FPT.AI / Viettel / Google when configured and
reachable), transcribes each with the offline recogniser (viet-asr, a dev dependency) and prints
the word error rate per engine and per sentence class. Natural recordings of the same sentences,
where an office puts them in ``--recordings`` as ``<id>.wav`` (or .mp3/.m4a/.ogg/.flac), are
printed beside as the reference. ``--tune`` searches espeak-ng's voice variant, rate, pitch range
and word gap one at a time for the lowest error rate. The last line is a one-line summary.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from broadcaster.speech.engines import EngineUnavailable, EspeakEngine, SpeechEngine, SpeechError
from broadcaster.speech.normalize import normalize_text
from broadcaster.speech.recognize import Recognizer, recognizer_installed
from broadcaster.speech.settings import SpeechSettings
from broadcaster.speech.wer import ErrorCount, word_errors

REPO = Path(__file__).resolve().parents[1]
SENTENCES = REPO / "scripts" / "data" / "intelligibility.toml"
RECORDING_SUFFIXES = (".wav", ".mp3", ".m4a", ".ogg", ".flac", ".opus")
#: espeak-ng as it comes (what broadcaster used before issue 20)
ESPEAK_DEFAULT = EspeakEngine(
    voice="vi", rate=110, pitch=50, variant="", pitch_range=100, word_gap=0
)


@dataclass(frozen=True)
class Sentence:
    id: str
    cls: str
    text: str
    spoken: str


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    heard: str
    count: ErrorCount


def load_sentences(path: Path = SENTENCES) -> list[Sentence]:
    options = SpeechSettings().normalize_options()
    with path.open("rb") as fh:
        rows = tomllib.load(fh)["sentence"]
    return [
        Sentence(r["id"], r["class"], r["text"], normalize_text(r["text"], options).strip())
        for r in rows
    ]


def score_files(
    asr: Recognizer, sentences: list[Sentence], audio: Callable[[Sentence], Path | None]
) -> list[Scored]:
    out = []
    for s in sentences:
        path = audio(s)
        if path is None:
            continue
        heard = asr.transcribe(path)
        out.append(Scored(s, heard, word_errors(s.spoken, heard)))
    return out


def score_engine(
    asr: Recognizer, engine: SpeechEngine, sentences: list[Sentence], jobs: int
) -> list[Scored]:
    """Synthesise every sentence (``jobs`` at a time), then transcribe each."""
    with tempfile.TemporaryDirectory(prefix="bench-intel-") as tmp:

        def make(s: Sentence) -> Path:
            return engine.synthesize(s.spoken, Path(tmp) / s.id).path

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            paths = dict(zip((s.id for s in sentences), pool.map(make, sentences), strict=True))
        return score_files(asr, sentences, lambda s: paths[s.id])


def total(scored: Iterable[Scored]) -> ErrorCount:
    return sum((s.count for s in scored), ErrorCount(0, 0))


def by_class(scored: list[Scored]) -> dict[str, ErrorCount]:
    out: dict[str, ErrorCount] = {}
    for s in scored:
        out[s.sentence.cls] = out.get(s.sentence.cls, ErrorCount(0, 0)) + s.count
    return out


def pct(count: ErrorCount | None) -> str:
    return "–" if count is None or not count.reference_words else f"{100 * count.rate:5.1f}%"


def candidate_engines(
    speech: SpeechSettings, names: list[str] | None, voices: Path | None, piper_voice: str
) -> list[SpeechEngine]:
    """espeak-ng default and tuned, then each engine of the chain that says it can run here."""
    from broadcaster.usecases.speech import chain_engines

    tuned = EspeakEngine(
        voice=speech.espeak_voice,
        rate=speech.espeak_rate,
        pitch=speech.espeak_pitch,
        variant=speech.espeak_variant,
        pitch_range=speech.espeak_pitch_range,
        word_gap=speech.espeak_word_gap,
    )
    out: list[SpeechEngine] = [ESPEAK_DEFAULT, tuned]
    if piper_voice:
        speech = SpeechSettings(piper_voice=piper_voice)
    for engine in chain_engines(speech, voices):
        if engine.name == "espeak-ng" or (names and engine.name not in names):
            continue
        status = engine.available()
        if status.usable:
            out.append(engine)
        else:
            print(f"  {engine.name}: skipped ({status.detail})")
    return [e for e in out if not names or e.name in names]


def label(engine: SpeechEngine) -> str:
    params = ",".join(f"{k}={v}" for k, v in engine.identity().params)
    return f"{engine.name}[{engine.identity().voice}{',' + params if params else ''}]"


def tune(asr: Recognizer, sentences: list[Sentence], jobs: int) -> EspeakEngine:
    """Coordinate search: each setting in turn, keeping the best (one round: each trial
    transcribes every sentence, about a minute on two busy cores)."""
    choices: dict[str, list[object]] = {
        "voice": ["vi", "vi-vn-x-central", "vi-vn-x-south"],
        "variant": ["", "m3", "f2", "klatt"],
        "rate": [90, 110, 130],
        "pitch_range": [100, 150, 200],
        "word_gap": [0, 1, 3],
    }
    best = ESPEAK_DEFAULT
    best_rate = total(score_engine(asr, best, sentences, jobs)).rate
    seen = {label(best): best_rate}
    for field, values in choices.items():
        for value in values:
            candidate = _with(best, field, value)
            key = label(candidate)
            if key not in seen:
                seen[key] = total(score_engine(asr, candidate, sentences, jobs)).rate
                print(f"  tune {key}: {100 * seen[key]:.1f}%", flush=True)
            if seen[key] < best_rate:
                best, best_rate = candidate, seen[key]
    return best


def _with(engine: EspeakEngine, field: str, value: object) -> EspeakEngine:
    fresh = EspeakEngine(
        voice=engine.voice,
        rate=engine.rate,
        pitch=engine.pitch,
        variant=engine.variant,
        pitch_range=engine.pitch_range,
        word_gap=engine.word_gap,
    )
    setattr(fresh, field, value)
    return fresh


def recordings_for(folder: Path | None) -> Callable[[Sentence], Path | None]:
    def find(s: Sentence) -> Path | None:
        if folder is None:
            return None
        for suffix in RECORDING_SUFFIXES:
            if (folder / f"{s.id}{suffix}").is_file():
                return folder / f"{s.id}{suffix}"
        return None

    return find


def report(results: dict[str, list[Scored]], sentences: list[Sentence], verbose: bool) -> None:
    classes = list(dict.fromkeys(s.cls for s in sentences))
    names = list(results)
    width = max(len(n) for n in names)
    print(f"\n{'engine':<{width}}  {'all':>6}  " + "  ".join(f"{c[:7]:>7}" for c in classes))
    for name in names:
        cls = by_class(results[name])
        print(
            f"{name:<{width}}  {pct(total(results[name])):>6}  "
            + "  ".join(f"{pct(cls.get(c)):>7}" for c in classes)
        )
    print("\nper sentence (WER), columns:")
    for n, name in enumerate(names, 1):
        print(f"  [{n}] {name}")
    print(
        f"{'id':<10} {'class':<13} " + " ".join(f"{f'[{n}]':>7}" for n in range(1, len(names) + 1))
    )
    for s in sentences:
        row = []
        for n in names:
            hit = next((x for x in results[n] if x.sentence.id == s.id), None)
            row.append(f"{pct(hit.count if hit else None):>7}")
        print(f"{s.id:<10} {s.cls:<13} " + " ".join(row))
        if verbose:
            print(f"{'':<24}script: {s.spoken}")
            for n in names:
                hit = next((x for x in results[n] if x.sentence.id == s.id), None)
                if hit:
                    print(f"{'':<24}[{names.index(n) + 1}] {hit.heard}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=Path, default=SENTENCES)
    parser.add_argument("--recordings", type=Path, default=None)
    parser.add_argument("--engines", help="comma-separated engine names (default: all usable)")
    parser.add_argument("--tune", action="store_true", help="search espeak-ng's settings")
    parser.add_argument("--voices", type=Path, help="Piper voices folder (<audio_dir>/voices)")
    parser.add_argument(
        "--piper-voice", default="", help="a Piper voice: a name in --voices or a FILE.onnx"
    )
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--verbose", "-v", action="store_true", help="print what was heard")
    args = parser.parse_args()
    if not recognizer_installed():
        sys.exit("viet-asr is not installed: .venv/bin/pip install -e '.[dev]'")
    sentences = load_sentences(args.sentences)
    asr = Recognizer()
    start = time.perf_counter()
    print(f"{len(sentences)} sentences, load {os.getloadavg()[0]:.2f}")
    results: dict[str, list[Scored]] = {}
    if args.recordings is not None:
        natural = score_files(asr, sentences, recordings_for(args.recordings))
        if natural:
            results[f"natural ({len(natural)} recordings)"] = natural
        else:
            print(f"  no recordings named <id>.wav in {args.recordings}")
    if args.tune:
        best = tune(asr, sentences, args.jobs)
        print(f"  best: {label(best)}")
        results["espeak-ng tuned*"] = score_engine(asr, best, sentences, args.jobs)
    names = args.engines.split(",") if args.engines else None
    speech = SpeechSettings()
    for engine in candidate_engines(speech, names, args.voices, args.piper_voice):
        name = label(engine)
        if name in results:
            continue
        try:
            results[name] = score_engine(asr, engine, sentences, args.jobs)
        except (EngineUnavailable, SpeechError) as exc:
            print(f"  {name}: failed ({exc})")
    report(results, sentences, args.verbose)
    summary = "; ".join(f"{n} {pct(total(r)).strip()}" for n, r in results.items())
    took = time.perf_counter() - start
    print(f"\nsummary: WER over {len(sentences)} sentences: {summary} ({took:.0f} s)")


if __name__ == "__main__":
    main()
