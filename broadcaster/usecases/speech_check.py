"""A listening check before approval: what a recogniser hears in an item's audio, against its script.

Each sentence of the script (as it is read, normalised) is compared word by word with what the
offline recogniser heard; sentences that differ too much are flagged with the script's words that
were not heard, numbers and names first, so a wrong reading is caught before it airs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcaster.db import Database
from broadcaster.domain.errors import NotFoundError
from broadcaster.domain.messages import _
from broadcaster.speech.normalize import normalize_text
from broadcaster.speech.recognize import Recognizer
from broadcaster.speech.settings import SpeechSettings
from broadcaster.speech.wer import ErrorCount, Step, align, words
from broadcaster.usecases.speech import require_audio

_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")

#: words that carry the facts of an announcement: numbers, and the northern/southern readings
NUMBER_WORDS = frozenset(
    [
        "không",
        "một",
        "mốt",
        "hai",
        "ba",
        "bốn",
        "tư",
        "năm",
        "lăm",
        "nhăm",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mươi",
        "trăm",
        "nghìn",
        "ngàn",
        "triệu",
        "tỷ",
        "linh",
        "lẻ",
        "phẩy",
        "rưỡi",
    ]
)

#: a sentence is flagged when a number or a name was not heard as written, or when more than
#: this share of its words were not (the recogniser itself mishears about one word in twelve)
DEFAULT_THRESHOLD = 0.2


@dataclass(frozen=True)
class SentenceCheck:
    text: str
    count: ErrorCount
    #: script words not heard as written (numbers and names are what matter most)
    missed: tuple[str, ...]
    #: what was heard in their place
    heard: tuple[str, ...]
    flagged: bool

    @property
    def facts_missed(self) -> tuple[str, ...]:
        return tuple(w for w in self.missed if w in NUMBER_WORDS)


@dataclass(frozen=True)
class ItemCheck:
    item_id: int
    segment_path: Path
    heard: str
    sentences: tuple[SentenceCheck, ...]

    @property
    def count(self) -> ErrorCount:
        return sum((s.count for s in self.sentences), ErrorCount(0, 0))

    @property
    def flagged(self) -> tuple[SentenceCheck, ...]:
        return tuple(s for s in self.sentences if s.flagged)


def _names(sentence: str) -> set[str]:
    """Capitalised words after the first: the places and people a listener must catch."""
    found = re.findall(r"\w+", sentence)
    return {w.lower() for w in found[1:] if w[:1].isupper()}


def compare_sentences(
    spoken: str, heard: str, threshold: float = DEFAULT_THRESHOLD
) -> list[SentenceCheck]:
    """Each sentence of ``spoken`` against the part of ``heard`` aligned with it."""
    sentences = [s for s in _SENTENCE_END.split(spoken.strip()) if words(s)]
    ref: list[str] = []
    spans: list[tuple[int, int]] = []
    for s in sentences:
        start = len(ref)
        ref += words(s)
        spans.append((start, len(ref)))
    steps = align(ref, words(heard))
    out = []
    for s, (start, end) in zip(sentences, spans, strict=True):
        mine: list[Step] = [
            st for st in steps if st.ref_index is not None and start <= st.ref_index < end
        ]
        errors = sum(1 for st in mine if st.op != "ok")
        missed = tuple(st.ref for st in mine if st.op in ("sub", "del") and st.ref)
        heard_words = tuple(st.hyp for st in mine if st.op in ("sub", "ins") and st.hyp)
        count = ErrorCount(errors, end - start)
        names = _names(s)
        important = any(w in NUMBER_WORDS or w in names for w in missed)
        flagged = count.rate > threshold or important
        out.append(SentenceCheck(s.strip(), count, missed, heard_words, flagged))
    return out


def check_items(
    db: Database,
    item_ids: Sequence[int],
    *,
    audio_dir: Path,
    speech: SpeechSettings,
    recognizer: Recognizer,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[ItemCheck]:
    """Transcribe each item's current audio and compare it with its script, sentence by sentence."""
    with db.unit_of_work() as uow:
        items = {i.id: i for i in uow.items.list(ids=item_ids)}
        current = uow.segments.current_for_items(list(item_ids))
    missing = [n for n in item_ids if n not in items]
    if missing:
        raise NotFoundError(
            _("no item {id}; see 'broadcaster items list'", id=", ".join(map(str, missing)))
        )
    require_audio(item_ids, current)
    options = speech.normalize_options()
    out = []
    for n in dict.fromkeys(item_ids):
        path = audio_dir / current[n].path
        spoken = normalize_text(items[n].script, options)
        heard = recognizer.transcribe(path)
        checks = compare_sentences(spoken, heard, threshold)
        out.append(ItemCheck(n, path, heard, tuple(checks)))
    return out
