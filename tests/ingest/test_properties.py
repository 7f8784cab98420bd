"""Whatever text arrives, the parser answers with items or with one of the project's errors."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadcaster.domain.errors import BroadcasterError
from broadcaster.ingest import ScriptRenderer, extract_bytes, parse_extracted

GUIDANCE = Path(__file__).resolve().parents[2] / "schedules" / "guidance"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
CORPUS = [p.read_text("utf-8") for p in sorted([*GUIDANCE.glob("*.txt"), *SEEDS.glob("*.txt")])]
RENDERER = ScriptRenderer.default()

vietnamese = st.text(
    alphabet=st.sampled_from(
        list(
            'aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐÂ0123456789.,;:()/-–“”"*#\n'
        )
    ),
    max_size=400,
)


def run(data: bytes) -> None:
    try:
        documents = parse_extracted(extract_bytes(data, "fuzz.txt"))
        RENDERER.apply(documents)
    except BroadcasterError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=600), vietnamese))
def test_random_unicode_raises_only_project_errors(text: str) -> None:
    run(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_project_errors(data: bytes) -> None:
    run(data)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    doc=st.sampled_from(CORPUS),
    cuts=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.floats(0, 1),
            st.sampled_from(["", "\n", "\n\n", "1. ", "- ", "“", "(theo ", "Số: ", "I. ", "./."]),
        ),
        max_size=8,
    ),
)
def test_mutated_guidance_raises_only_project_errors(
    doc: str, cuts: list[tuple[float, float, str]]
) -> None:
    text = doc
    for a, b, insert in cuts:
        i, j = sorted((int(a * len(text)), int(b * len(text))))
        # delete a stretch, or duplicate it, with something structural at the seam
        text = text[:i] + insert + (text[i:j] if len(insert) % 2 else "") + text[j:]
    run(text.encode("utf-8", errors="surrogatepass"))
