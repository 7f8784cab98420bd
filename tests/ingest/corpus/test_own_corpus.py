"""The corpus is well formed: every document has an expectation in the shared corpus's form, and
the .docx and .pdf forms of one document hold the same text as its .txt."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from broadcaster.ingest import extract_file

from .make_variants import HERE, VARIANT_OF, make_variants

FIELDS = [
    "place",
    "date",
    "number",
    "issuer",
    "basis",
    "propaganda_topics",
    "administrative",
    "observances",
    "period",
    "slogans",
    "complete",
]
DOCUMENTS = sorted(HERE.glob("*.txt"))
ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def test_there_are_enough_documents() -> None:
    assert len(DOCUMENTS) >= 12


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem)
def test_expectation_has_the_shared_corpus_form(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("https://")
    expect = json.loads(document.with_suffix(".expect.json").read_text(encoding="utf-8"))
    assert list(expect) == FIELDS
    assert expect["date"] is None or ISO.match(expect["date"])
    assert set(expect["period"]) == {"start", "end"}
    for day in expect["period"].values():
        assert day is None or re.match(r"^\d{4}-\d{2}-\d{2}$", day)
    for ref in expect["basis"]:
        assert set(ref) == {"number", "date"}
        assert ref["date"] is None or ISO.match(ref["date"])
        # as the text writes it, give or take spaces ("115- HD/BTGW")
        assert ref["number"].replace(" ", "") in re.sub(r"\s+", "", text)
    for observance in expect["observances"]:
        assert set(observance) == {"name", "date"}
        assert observance["date"] is None or re.match(r"^--\d{2}-\d{2}$", observance["date"])
    flat = " ".join(text.split())
    for slogan in expect["slogans"]:
        assert " ".join(slogan.split()) in flat  # verbatim
    assert all(isinstance(t, str) and t for t in expect["propaganda_topics"])
    assert all(isinstance(t, str) and t for t in expect["administrative"])
    assert isinstance(expect["complete"], bool)


def test_docx_and_pdf_hold_the_text_of_the_txt(tmp_path: Path) -> None:
    text = (HERE / f"{VARIANT_OF}.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    made = make_variants(tmp_path)
    assert [p.suffix for p in made] == [".docx", ".pdf"]
    assert (tmp_path / f"{VARIANT_OF}.expect.json").is_file()
    for path in made:
        assert words(extract_file(path).text) == words(text), path.name
