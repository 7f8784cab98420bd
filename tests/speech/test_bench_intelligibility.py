"""scripts/bench_intelligibility.py: its sentences, and natural recordings found and scored."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.audio.tones import tone

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_intelligibility.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_intelligibility", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class HeardAsWritten:
    """A recogniser that hears a recording's sentence exactly, except for one word of date-1."""

    def __init__(self, sentences: list[object]) -> None:
        self.sentences = sentences

    def transcribe(self, path: Path) -> str:
        s = next(x for x in self.sentences if x.id == path.stem)  # type: ignore[attr-defined]
        spoken: str = s.spoken  # type: ignore[attr-defined]
        return spoken.replace("mười lăm", "mười năm") if s.id == "date-1" else spoken  # type: ignore[attr-defined]


def test_twenty_plus_sentences_of_every_class_normalised() -> None:
    b = bench()
    sentences = b.load_sentences()
    assert len(sentences) >= 20
    assert {"date", "number", "place", "abbreviation", "slogan"} <= {s.cls for s in sentences}
    assert all(not any(c.isdigit() for c in s.spoken) for s in sentences)
    assert len({s.id for s in sentences}) == len(sentences)


def test_an_offices_recordings_are_scored_as_the_reference(tmp_path: Path) -> None:
    b = bench()
    sentences = b.load_sentences()
    tone(tmp_path / "date-1.wav", seconds=0.5)
    tone(tmp_path / "slogan-2.mp3", seconds=0.5)

    scored = b.score_files(HeardAsWritten(sentences), sentences, b.recordings_for(tmp_path))

    assert [s.sentence.id for s in scored] == ["date-1", "slogan-2"]
    assert [s.count.errors for s in scored] == [1, 0]
    assert (
        b.pct(b.total(scored)).strip()
        == f"{100 / sum(s.count.reference_words for s in scored):.1f}%"
    )
