"""Word error rate, alignment, and the listening check's sentence comparison."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from broadcaster.speech.wer import align, word_errors, words
from broadcaster.usecases.speech_check import compare_sentences


def test_words_ignore_case_punctuation_and_composition() -> None:
    assert words("Ủy ban, nhân dân.") == words("ủy ban nhân dân") == ["ủy", "ban", "nhân", "dân"]
    assert words("Hoa\u0300") == ["hoà"]  # decomposed input is composed


def test_wer_counts_substitutions_deletions_and_insertions() -> None:
    count = word_errors("ngày mười lăm tháng tám", "ngày mười năm tháng tám nhé")
    assert (count.errors, count.reference_words) == (2, 5)
    assert count.rate == 0.4


def test_nothing_heard_is_every_word_wrong() -> None:
    assert word_errors("xin chào bà con", "").rate == 1.0


@given(st.lists(st.sampled_from(["một", "hai", "ba", "xã", "thôn"]), max_size=8))
def test_a_perfect_hearing_has_no_errors(ref: list[str]) -> None:
    steps = align(ref, ref)
    assert all(s.op == "ok" for s in steps) and len(steps) == len(ref)


@given(
    st.lists(st.sampled_from(["một", "hai", "ba"]), max_size=6),
    st.lists(st.sampled_from(["một", "hai", "bốn"]), max_size=6),
)
def test_alignment_covers_both_sides(ref: list[str], hyp: list[str]) -> None:
    steps = align(ref, hyp)
    assert [s.ref for s in steps if s.ref is not None] == ref
    assert [s.hyp for s in steps if s.hyp is not None] == hyp


def test_a_misheard_number_flags_its_sentence_only() -> None:
    script = (
        "Ủy ban nhân dân xã thông báo. "
        "Từ ngày mười lăm tháng tám, toàn xã ra quân diệt lăng quăng bọ gậy."
    )
    heard = "ủy ban nhân dân xã thông báo từ ngày mười năm tháng tám toàn xã ra quân diệt lăng quăng bọ gậy"

    first, second = compare_sentences(script, heard)

    assert not first.flagged and first.count.errors == 0
    assert second.flagged and second.missed == ("lăm",) and second.heard == ("năm",)
    assert second.facts_missed == ("lăm",)


def test_a_missed_place_name_is_flagged() -> None:
    script = "Bà con thôn Tân Lập chú ý lắng nghe thông báo của xã hôm nay nhé."
    heard = "bà con thôn tân lạc chú ý lắng nghe thông báo của xã hôm nay nhé"
    (only,) = compare_sentences(script, heard)
    assert only.flagged and only.missed == ("lập",)


def test_one_harmless_slip_in_a_long_sentence_is_not_flagged() -> None:
    script = "Đề nghị bà con tích cực hưởng ứng phong trào vệ sinh môi trường trong tuần này."
    heard = "đề nghị bà con tích cực hưởng ứng phong trào vệ sinh môi trường trong tuần nay"
    (only,) = compare_sentences(script, heard)
    assert not only.flagged and only.count.errors == 1
