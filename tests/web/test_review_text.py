"""The review page's text pieces: every character once, in order, each passage marked."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from broadcaster.domain.items import Item
from broadcaster.web.pages.review import split_points
from broadcaster.web.pages.review_text import pieces


def _item(n: int, start: int | None, end: int | None) -> Item:
    return Item(f"mục {n}", id=n, passage_start=start, passage_end=end)


def test_a_passage_is_one_marked_piece_between_plain_ones():
    text = "Đầu.\n1. Phòng chống thiên tai\nCuối."
    start = text.index("1.")
    end = text.index("\nCuối")
    found = pieces(text, [_item(7, start, end)])
    assert [(p.start, p.items, p.begins) for p in found] == [
        (0, (), ()),
        (start, (7,), (7,)),
        (end, (), ()),
    ]
    assert found[1].text == "1. Phòng chống thiên tai"


def test_overlapping_passages_share_the_piece_they_both_cover():
    text = "abcdefghij"
    found = pieces(text, [_item(1, 0, 6), _item(2, 4, 10)])
    assert [(p.text, p.items, p.begins) for p in found] == [
        ("abcd", (1,), (1,)),
        ("ef", (1, 2), (2,)),
        ("ghij", (2,), ()),
    ]


def test_a_passage_outside_the_text_or_unknown_is_left_out():
    found = pieces("ngắn", [_item(1, 2, 99), _item(2, None, None), _item(3, 3, 3)])
    assert [(p.text, p.items) for p in found] == [("ngắn", ())]


def test_a_pdf_page_break_is_shown_as_a_line_break_keeping_offsets():
    found = pieces("trang 1\ftrang 2", [_item(1, 8, 15)])
    assert [(p.start, p.text) for p in found] == [(0, "trang 1\n"), (8, "trang 2")]


@given(
    st.text(min_size=0, max_size=60),
    st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
)
def test_the_pieces_hold_the_whole_text_in_order(text, spans):
    items = [_item(n + 1, a, b) for n, (a, b) in enumerate(spans)]
    found = pieces(text, items)
    assert "".join(p.text for p in found) == text.replace("\f", "\n")
    assert all(a.start + len(a.text) == b.start for a, b in itertools.pairwise(found))
    for p in found:
        for n in p.items:
            a, b = spans[n - 1]
            assert a <= p.start and p.start + len(p.text) <= b


def test_an_item_is_split_before_a_line_or_else_before_a_sentence():
    lines = "Dòng một.\nDòng hai.\n\n  Dòng ba."
    assert split_points(lines) == [
        (lines.index("Dòng hai"), "Dòng hai."),
        (lines.index("Dòng ba"), "Dòng ba."),
    ]
    one_line = "Câu một. Câu hai; câu ba"
    assert [at for at, _ in split_points(one_line)] == [
        one_line.index("Câu hai"),
        one_line.index("câu ba"),
    ]
    assert split_points("Chỉ một câu") == []
