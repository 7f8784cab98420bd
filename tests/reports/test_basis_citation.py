"""Issue 19: a basis is printed as officials cite it, "Kế hoạch số 353/KH-UBND ngày 14/5/2021 của
UBND tỉnh": kind, number, date without leading zeros, the issuer shortened; a part not known is
left out with its words (never "Công văn số /STTTT-TTBCXB", never a bare "Kế hoạch")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from broadcaster.domain import messages
from broadcaster.domain.citation import cite, short_issuer
from broadcaster.domain.items import DocumentRef, PartialDate
from broadcaster.i18n import translations
from broadcaster.ingest import IngestSettings, read_guidance
from broadcaster.reports.model import describe_directive


@pytest.fixture(autouse=True)
def vietnamese() -> Iterator[None]:
    token = messages.activate(translations("vi"))
    yield
    messages.deactivate(token)


@pytest.mark.parametrize(
    ("issuer", "written"),
    [
        ("UBND tỉnh", "UBND tỉnh"),
        ("Ủy ban nhân dân tỉnh", "UBND tỉnh"),
        ("Uỷ ban nhân dân thị xã Duyên Hải", "UBND thị xã Duyên Hải"),
        ("UBND Thành phố Hà Nội", "UBND thành phố Hà Nội"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở VHTT&DL"),
        ("Sở VHTTDL tỉnh Lâm Đồng", "Sở VHTT&DL tỉnh Lâm Đồng"),
        ("Sở Thông tin và Truyền thông tỉnh", "Sở TT&TT tỉnh"),
        ("Bộ Thông tin và Truyền thông", "Bộ TT&TT"),
        ("Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
        ("Phòng Văn hóa - Xã hội", "Phòng VH-XH"),
        ("Ban chỉ đạo phong trào toàn dân đoàn kết", "Ban Chỉ đạo phong trào toàn dân đoàn kết"),
        ("của Bộ Chính trị, Ban Bí thư", "Bộ Chính trị, Ban Bí thư"),
        ("Sở Y tế", "Sở Y tế"),
        ("Ủy ban Thường vụ Quốc hội", "Ủy ban Thường vụ Quốc hội"),
        ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
    ],
)
def test_the_issuer_is_shortened_as_officials_write_it(issuer: str, written: str) -> None:
    assert short_issuer(issuer) == written


@pytest.mark.parametrize(
    ("ref", "written"),
    [
        (
            DocumentRef("Kế hoạch", "353/KH-UBND", date(2021, 5, 14), "UBND tỉnh"),
            "Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh",
        ),
        # the kind read from the number's symbol; a symbol of an office only is a letter
        (
            DocumentRef(None, "2592/KH-UBND", date(2020, 6, 10), "UBND thành phố Huế"),
            "Kế hoạch số 2592/KH-UBND ngày 10/6/2020 của UBND thành phố Huế",
        ),
        (
            DocumentRef(None, "1194/STTTT-TTBCXB", None, "Sở Thông tin và Truyền thông"),
            "Công văn số 1194/STTTT-TTBCXB của Sở TT&TT",
        ),
        (DocumentRef(None, "11-CT/TW"), "Chỉ thị số 11-CT/TW"),
        # a number without its figure, a stray space in the symbol
        (
            DocumentRef("Công văn", "/STTTT-TTBCXB", None, "Sở Thông tin và Truyền thông"),
            "Công văn của Sở TT&TT",
        ),
        (
            DocumentRef("Công văn", "49/UBND -VHTT", date(2021, 8, 12), "UBND Thành phố Hà Tĩnh"),
            "Công văn số 49/UBND-VHTT ngày 12/8/2021 của UBND thành phố Hà Tĩnh",
        ),
        # nothing but the kind: nothing at all rather than a bare "Kế hoạch"
        (DocumentRef("Kế hoạch"), ""),
        (DocumentRef(), ""),
        (
            DocumentRef("Kế hoạch", "344/KH-UBND", date(2021, 5, 11)),
            "Kế hoạch số 344/KH-UBND ngày 11/5/2021",
        ),
    ],
)
def test_a_basis_is_cited_in_the_official_form(ref: DocumentRef, written: str) -> None:
    assert ref.describe() == written


def test_a_date_without_its_day_is_its_month() -> None:
    assert cite("Công văn", None, None, "Sở Y tế", month=5, year=2021) == (
        "Công văn tháng 5/2021 của Sở Y tế"
    )
    assert (
        cite("Kế hoạch", "12/KH-UBND", None, None, year=2021) == "Kế hoạch số 12/KH-UBND năm 2021"
    )


def test_english_readers_get_the_same_parts() -> None:
    token = messages.activate(translations("en"))
    try:
        ref = DocumentRef("Kế hoạch", "353/KH-UBND", date(2021, 5, 14), "Ủy ban nhân dân tỉnh")
        assert ref.describe() == "Kế hoạch no. 353/KH-UBND of 14/5/2021 by UBND tỉnh"
    finally:
        messages.deactivate(token)


def test_the_real_guidance_documents_cite_their_bases_officially(seeds_dir: Path) -> None:
    (doc,) = read_guidance(str(seeds_dir / "003_ed0b20cf13c2d255.txt"), IngestSettings())[1]
    bases = {ref.describe() for item in doc.items for ref in item.basis}
    assert "Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh" in bases
    assert "Công văn số 2390/UBND-KGVX ngày 17/5/2021 của UBND tỉnh" in bases
    assert "Hướng dẫn số 04/HD-SVHTTDL ngày 18/5/2021 của Sở VHTT&DL" in bases
    assert not [b for b in bases if "số /" in b or " 0" in b.split("ngày")[-1][:3]], bases
    # the letter itself: "Số: /STTTT-TTBCXB", "ngày   tháng 5 năm 2021"
    assert doc.directive.date == PartialDate(2021, 5, None)
    written = describe_directive(doc.directive)
    assert written.startswith("Công văn tháng 5/2021 của Sở TT&TT về hướng dẫn một số nội dung")
    assert "/STTTT" not in written


def test_the_examples_guidance_cites_its_bases_officially(repo_dir: Path) -> None:
    guidance = repo_dir / "schedules" / "guidance"
    written = {}
    for path in sorted(guidance.glob("*.txt")):
        for doc in read_guidance(str(path), IngestSettings())[1]:
            written[doc.directive.number] = describe_directive(doc.directive).split(" về ")[0]
    assert written == {
        "318/UBND-VP": "Công văn số 318/UBND-VP ngày 14/5/2026 của UBND xã Nam Bình",
        "45/HD-VHXH": "Hướng dẫn số 45/HD-VHXH ngày 18/5/2026 của Phòng VH-XH",
    }
