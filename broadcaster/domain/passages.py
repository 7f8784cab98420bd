"""Where an item stands in its document's text, and a document's fingerprint.

The review page shows a document's text beside the items read from it and highlights each
item's passage; an office adds an item from a passage it selects. A passage is a pair of
character offsets into the directive's stored text.

The fingerprint recognises the same document imported again in another format or encoding:
it is taken over the words alone (NFC, case folded), so line breaks, page breaks, table cells,
spacing and punctuation that differ between a .docx, its PDF and a plain-text copy do not
change it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
#: how much of an item's title is looked for (titles are cut or joined differently by formats)
_PROBE = 48


def fingerprint(text: str) -> str:
    """SHA-256 of the text's words, NFC and case folded, one space between them."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _loose(text: str) -> tuple[str, list[int]]:
    """The text with every run of white space made one space and case folded, and for each
    character of it the offset of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    last_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if last_space:
                continue
            out.append(" ")
            last_space = True
        else:
            out.append(ch.casefold() if len(ch.casefold()) == 1 else ch)
            last_space = False
        where.append(i)
    return "".join(out), where


def locate(
    text: str, heads: Sequence[str], tails: Sequence[str] = ()
) -> list[tuple[int, int] | None]:
    """The passage of each item in ``text``, the items given in document order by their
    title and, optionally, their body text.

    Each title is looked for after the previous item's start; a passage runs to the end of
    its body text, or else to the next found item's start (the last one to the end of the
    text). An item not found gets None.
    """
    loose, where = _loose(text)
    starts: list[int | None] = []
    cursor = 0
    for head in heads:
        probe = _SPACE.sub(" ", head).strip().casefold()[:_PROBE]
        found = loose.find(probe, cursor) if probe else -1
        if found < 0:
            starts.append(None)
            continue
        starts.append(found)
        cursor = found + 1
    spans: list[tuple[int, int] | None] = []
    for n, start in enumerate(starts):
        if start is None:
            spans.append(None)
            continue
        nxt = next((s for s in starts[n + 1 :] if s is not None), len(loose))
        body = tails[n] if n < len(tails) else ""
        probe = _SPACE.sub(" ", body).strip().casefold()[-_PROBE:]
        at = loose.find(probe, start, nxt + len(probe)) if probe else -1
        end = min(at + len(probe), nxt) if at >= 0 else nxt
        # back over the spaces before the next item
        while end > start + 1 and loose[end - 1] == " ":
            end -= 1
        spans.append((_line_start(text, where[start]), where[end - 1] + 1))
    return spans


def _line_start(text: str, at: int) -> int:
    """Back to the start of the line when only the item's number stands before its title."""
    line = text.rfind("\n", 0, at) + 1
    return (
        line
        if at - line <= 12 and not any(c.isalpha() and c.islower() for c in text[line:at])
        else at
    )


def excerpt(text: str | None, span: tuple[int, int] | None, limit: int = 2000) -> str:
    """The passage's text (at most ``limit`` characters), or "" when it is not known."""
    if not text or span is None:
        return ""
    start, end = span
    return text[max(0, start) : min(len(text), end, start + limit)]
