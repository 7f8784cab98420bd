"""A document's text cut into pieces for the review page: plain text and items' passages.

Each piece knows its character offset in the directive's text (the page's script turns a
selection back into offsets from them) and which items' passages cover it. Passages may
overlap (a merged item, an item added over another) or point outside the text (a text
stored again): overlapping ones share the pieces they cover, unusable ones are left out and
the item says its passage is unknown.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from broadcaster.domain.items import Item


@dataclass(frozen=True)
class Piece:
    start: int
    text: str
    #: ids of the items whose passage covers this piece (document order)
    items: tuple[int, ...] = ()
    #: ids of the items whose passage begins here (a link to each is put before the piece)
    begins: tuple[int, ...] = ()


def usable_passage(item: Item, size: int) -> tuple[int, int] | None:
    """The item's passage when it lies inside a text of ``size`` characters."""
    span = item.passage
    if span is None or item.id is None:
        return None
    start, end = span
    if not 0 <= start < end <= size:
        return None
    return start, end


def pieces(text: str, items: Sequence[Item]) -> list[Piece]:
    """The text cut at every passage's start and end, in order; shown in a ``pre-wrap`` block
    (a PDF's page breaks become line breaks: one character for one, so offsets hold)."""
    shown = text.replace("\f", "\n")
    spans: list[tuple[int, int, int]] = []
    for item in items:
        span = usable_passage(item, len(text))
        if span is not None and item.id is not None:
            spans.append((span[0], span[1], item.id))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(n for s, e, n in spans if s <= start and end <= e)
        begins = tuple(n for s, _, n in spans if s == start)
        out.append(Piece(start, shown[start:end], covering, begins))
    return out
