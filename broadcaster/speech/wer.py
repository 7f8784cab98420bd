"""Word error rate and word alignment between a script and what a recogniser heard.

Pure functions over strings: the benchmark and ``broadcaster speech check`` both use them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_WORD = re.compile(r"\w+", re.UNICODE)

Op = Literal["ok", "sub", "del", "ins"]


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, in NFC (recognisers and scripts differ in both)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@dataclass(frozen=True)
class Step:
    """One step of the alignment: a script word (or none) against a heard word (or none)."""

    op: Op
    ref_index: int | None
    ref: str | None
    hyp: str | None


def align(reference: list[str], hypothesis: list[str]) -> list[Step]:
    """The minimum-edit alignment (Levenshtein) of heard words to script words."""
    n, m = len(reference), len(hypothesis)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = reference[i - 1] == hypothesis[j - 1]
            cost[i][j] = min(
                cost[i - 1][j - 1] + (0 if same else 1),
                cost[i - 1][j] + 1,
                cost[i][j - 1] + 1,
            )
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = reference[i - 1] == hypothesis[j - 1]
            if cost[i][j] == cost[i - 1][j - 1] + (0 if same else 1):
                op: Op = "ok" if same else "sub"
                steps.append(Step(op, i - 1, reference[i - 1], hypothesis[j - 1]))
                i, j = i - 1, j - 1
                continue
        if i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            steps.append(Step("del", i - 1, reference[i - 1], None))
            i -= 1
        else:
            steps.append(Step("ins", i - 1 if i > 0 else None, None, hypothesis[j - 1]))
            j -= 1
    steps.reverse()
    return steps


@dataclass(frozen=True)
class ErrorCount:
    errors: int
    reference_words: int

    @property
    def rate(self) -> float:
        return self.errors / self.reference_words if self.reference_words else 0.0

    def __add__(self, other: ErrorCount) -> ErrorCount:
        return ErrorCount(self.errors + other.errors, self.reference_words + other.reference_words)


def word_errors(reference: str, hypothesis: str) -> ErrorCount:
    """Substitutions + deletions + insertions, and the script's word count."""
    ref, hyp = words(reference), words(hypothesis)
    errors = sum(1 for s in align(ref, hyp) if s.op != "ok")
    return ErrorCount(errors, len(ref))
