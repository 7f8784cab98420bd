"""The guidance documents' abbreviations and foreign disease names, read as an announcer says
them (issue 16): broadcaster/speech/data/abbreviations_guidance.toml beside the general list."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from broadcaster.speech.normalize import NormalizeOptions, load_abbreviations, normalize_text

DATA = resources.files("broadcaster.speech").joinpath("data")
REPO = Path(__file__).resolve().parents[2]
CORPORA = [
    REPO / "tests" / "ingest" / "corpus",
    REPO.parent / "shared" / "corpus",
    REPO / "schedules" / "guidance",
]


def _keys(name: str) -> set[str]:
    return set(tomllib.loads(DATA.joinpath(name).read_text("utf-8"))["abbreviations"])


def test_the_guidance_list_repeats_no_key_of_the_general_one() -> None:
    general, guidance = _keys("abbreviations.toml"), _keys("abbreviations_guidance.toml")
    assert len(guidance) > 80
    assert not general & guidance
    assert guidance <= set(load_abbreviations())


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "Sở VHTT&DL tỉnh Lào Cai",
            "Sở Văn hóa, Thể thao và Du lịch tỉnh Lào Cai",
        ),
        ("Sở VHTT & DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("cuộc bầu cử ĐBQH khóa XVI", "cuộc bầu cử đại biểu Quốc hội khóa mười sáu"),
        ("gặp gỡ ĐBQH, ĐBHĐND", "gặp gỡ đại biểu Quốc hội, đại biểu Hội đồng nhân dân"),
        ("bệnh sốt xuất huyết Dengue", "bệnh sốt xuất huyết Đen gơ"),
        ("muỗi Aedes aegypti truyền virus Zika", "muỗi A đét ê gíp ti truyền vi rút Di ca"),
        ("tiêm vaccine sởi - Rubella", "tiêm vắc xin sởi, Ru bê la"),
        ("Phòng VH-XH xã", "Phòng Văn hóa, Xã hội xã"),
        (
            "sắp xếp ĐVHC, tổ chức CQĐP hai cấp",
            "sắp xếp đơn vị hành chính, tổ chức chính quyền địa phương hai cấp",
        ),
        ("Phòng QLVH&GĐ", "Phòng Quản lý văn hóa và Gia đình"),
    ],
)
def test_guidance_abbreviations_are_read_in_words(text: str, spoken: str) -> None:
    assert normalize_text(text) == spoken


def test_an_extra_file_still_overrides_the_shipped_guidance_words(tmp_path: Path) -> None:
    extra = tmp_path / "a.toml"
    extra.write_text('[abbreviations]\n"Dengue" = "Đăng gơ"\n"ĐBQH" = ""\n', "utf-8")
    options = NormalizeOptions(abbreviations_file=extra)
    assert normalize_text("sốt Dengue", options) == "sốt Đăng gơ"
    assert "ĐBQH" not in load_abbreviations(extra)


#: what the corpus documents abbreviate that the general list did not know
FOUND_IN_THE_CORPUS = ["ĐVHC", "CQĐP", "VHXH", "VNeID"]


def test_the_corpus_abbreviations_are_in_the_list_and_leave_no_spelt_letters() -> None:
    if not CORPORA[1].is_dir():
        pytest.skip(f"corpus not found at {CORPORA[1]} (it ships beside the repo in CI)")
    texts = "\n".join(
        p.read_text("utf-8") for corpus in CORPORA for p in sorted(corpus.glob("*.txt"))
    )
    table = load_abbreviations()
    for key in FOUND_IN_THE_CORPUS:
        assert key in texts and key in table, key
    out = normalize_text(texts)
    for key in FOUND_IN_THE_CORPUS:
        assert not re.search(rf"(?<!\w){re.escape(key)}(?!\w)", out), key
