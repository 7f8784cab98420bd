"""Intake is bounded: archives that unpack to too much, too many parts or pages, nesting too
deep are refused with one line saying what is wrong and what to do; big texts still parse.

No assertion here is about time: a file the parser handles in linear time makes these tests
fast, and the CLI tests run the biggest text in a subprocess with a generous guard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadcaster.domain.errors import ConfigError, InputError
from broadcaster.domain.messages import speaking
from broadcaster.i18n import translations
from broadcaster.ingest import IngestSettings, extract_bytes, parse_extracted, read_guidance

from . import bombs


def refusal(data: bytes, name: str, settings: IngestSettings | None = None) -> str:
    settings = settings or IngestSettings()
    with pytest.raises(InputError) as info:
        parse_extracted(
            extract_bytes(data, name, limits=settings.limits()), limits=settings.limits()
        )
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


def test_a_docx_zip_bomb_is_refused_from_its_central_directory() -> None:
    message = refusal(bombs.zip_bomb_docx(300), "bom.docx")
    assert "tệp .docx giải nén ra 300 MB, vượt giới hạn 200 MB" in message
    assert "có thể tệp bị hỏng hoặc không phải văn bản hướng dẫn" in message
    assert "hãy lưu lại từ Word, hoặc tăng [ingest] max_unpacked_mb" in message


def test_a_docx_part_packed_far_tighter_than_a_document_is_refused() -> None:
    message = refusal(bombs.zip_bomb_docx(20), "nen.docx")
    assert "phần word/document.xml của tệp .docx giải nén từ" in message
    assert "thành 20 MB" in message
    assert "vượt giới hạn 200 lần" in message and "[ingest] max_unpack_ratio" in message


def test_a_docx_holding_more_xml_than_a_document_is_refused() -> None:
    message = refusal(bombs.zip_bomb_docx(2), "xml.docx", IngestSettings(max_docx_xml_mb=1))
    assert "tệp .docx chứa 2.7 MB XML, vượt giới hạn 1 MB" in message  # 0.8 MB: styles
    assert "[ingest] max_docx_xml_mb" in message


def test_a_docx_that_lies_about_its_sizes_is_refused_as_damaged() -> None:
    message = refusal(bombs.lying_docx(real_mb=50, claimed_kb=40), "doi.docx")
    assert "bị hỏng" in message and "word/document.xml" in message
    assert "hãy lưu lại từ Word" in message


def test_a_docx_with_thousands_of_parts_is_refused() -> None:
    message = refusal(bombs.docx_with_parts(3000), "nhieu.docx")
    assert re.search(r"tệp \.docx chứa 30\d\d phần, vượt giới hạn 1000;", message)
    assert "[ingest] max_docx_parts" in message


def test_tables_nested_thousands_deep_in_a_docx_are_refused() -> None:
    message = refusal(bombs.docx_with_nested_tables(3000), "long.docx")
    assert "có bảng lồng nhau" in message and "cấp, vượt giới hạn 20" in message
    assert "[ingest] max_depth" in message


def test_tables_nested_a_few_deep_still_read() -> None:
    (doc,) = parse_extracted(extract_bytes(bombs.docx_with_nested_tables(3), "bang.docx"))
    assert doc.directive is not None


def test_a_pdf_stream_that_unpacks_to_hundreds_of_megabytes_is_refused() -> None:
    message = refusal(bombs.pdf_with_streams([300]), "bom.pdf")
    assert "tệp PDF giải nén ra hơn 200 MB tính đến trang 1, vượt giới hạn 200 MB" in message
    assert "hãy xuất lại thành PDF, hoặc tăng [ingest] max_unpacked_mb" in message


def test_pdf_streams_count_together_against_the_limit() -> None:
    pdf = bombs.pdf_with_streams([4, 4, 4])
    (doc,) = parse_extracted(extract_bytes(pdf, "ba-trang.pdf"))
    assert doc.items
    message = refusal(pdf, "ba-trang.pdf", IngestSettings(max_unpacked_mb=10))
    assert "tệp PDF giải nén ra hơn 10 MB tính đến trang 3, vượt giới hạn 10 MB" in message


def test_a_pdf_with_thousands_of_pages_is_refused() -> None:
    message = refusal(bombs.pdf_with_pages(1500), "dai.pdf")
    assert "tệp PDF có 1500 trang, vượt giới hạn 1000" in message
    assert "[ingest] max_pdf_pages" in message


def test_numbering_nested_thousands_of_levels_deep_is_refused() -> None:
    message = refusal(bombs.deep_numbering(3000).encode(), "sau.txt")
    assert "phần đánh số lồng nhau 21 cấp" in message
    assert "vượt giới hạn 20" in message and "[ingest] max_depth" in message


def test_a_refusal_reads_in_english_on_request() -> None:
    with speaking(translations("en")):
        message = refusal(bombs.pdf_with_pages(1500), "dai.pdf")
    assert "the PDF has 1,500 pages, over the limit of 1,000; split it into parts" in message
    assert "[ingest] max_pdf_pages" in message


def test_numbering_a_few_levels_deep_still_parses() -> None:
    (doc,) = parse_extracted(extract_bytes(bombs.deep_numbering(6).encode(), "sau.txt"))
    assert [i.number for i in doc.items] == ["I.1.1.1.1.1.1"]


def test_every_costly_pattern_at_once_still_parses_to_the_right_items(tmp_path: Path) -> None:
    """The shape that took minutes per megabyte: each topic one paragraph of wrapped lines
    full of citations, days, slogan cues and dotted blanks (here 2 MB; the CLI test runs 19.5)."""
    path = tmp_path / "lon.txt"
    path.write_text(bombs.big_guidance(2 * bombs.MB), "utf-8")
    _, (doc,) = read_guidance(path)
    assert doc.directive.number == "45/HD-VHXH"
    assert [i.number for i in doc.items] == [f"I.{n}" for n in range(1, 21)]
    first = doc.items[0]
    # "thực hiện Kế hoạch số 112/… của Sở … và Công văn số 1520/…": both are implemented
    assert [b.number for b in first.basis] == ["112/KH-SVHTTDL", "1520/SYT-NVY", "76/HD-SNNMT"]
    assert [(o.name, o.day, o.month) for o in first.observances] == [
        ("Ngày Môi trường thế giới", 5, 6),
        ("Ngày Gia đình Việt Nam", 28, 6),
    ]
    assert first.script and first.estimated_duration is not None


@pytest.mark.parametrize(
    "field",
    [
        "max_unpacked_mb",
        "max_docx_xml_mb",
        "max_unpack_ratio",
        "max_docx_parts",
        "max_pdf_pages",
        "max_depth",
    ],
)
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        IngestSettings(**{field: 0})
