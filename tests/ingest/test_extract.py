"""Reading files: formats, bad inputs and the one-line errors users see."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from broadcaster.domain.errors import InputError
from broadcaster.ingest import extract_bytes, extract_file, parse_extracted
from broadcaster.ingest.text import strip_markdown, to_paragraphs

from .conversions import scanned_pdf, to_pdf

SMALL = """Số: 12/HD-VHXH
Xã Tân An, ngày 02 tháng 3 năm 2026

1. Tuyên truyền phòng, chống cháy rừng mùa khô

Người dân không đốt nương rẫy khi có gió lớn.
"""


def error_of(data: bytes, name: str) -> str:
    with pytest.raises(InputError) as info:
        parse_extracted(extract_bytes(data, name))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(name)
    return message


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  ", "\ufeff".encode()])
def test_empty_file_is_refused(data: bytes) -> None:
    message = error_of(data, "trong.txt")
    assert "tệp rỗng" in message or "tệp không có chữ" in message


def test_binary_file_is_refused() -> None:
    data = bytes(range(256)) * 40
    assert "là dữ liệu nhị phân" in error_of(data, "anh.jpg")


def test_scanned_pdf_is_refused_without_ocr() -> None:
    message = error_of(scanned_pdf(), "ban-scan.pdf")
    assert "bản quét" in message and "OCR" in message


def test_damaged_pdf_is_refused() -> None:
    assert "tệp PDF không đọc được" in error_of(b"%PDF-1.4\n garbage \x00\x01", "hong.pdf")


def test_old_word_doc_is_refused_with_a_conversion_hint() -> None:
    assert "lưu thành .docx" in error_of(b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "cu.doc")


def test_spreadsheet_is_not_a_word_document() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "là bảng tính" in error_of(buf.getvalue(), "bang.docx")


def test_a_letter_without_numbered_parts_keeps_what_it_asks() -> None:
    data = "Kính gửi các thôn.\n\nĐề nghị các thôn họp dân vào tối thứ Bảy.\n".encode()
    (doc,) = parse_extracted(extract_bytes(data, "thong-bao.txt"))
    assert [(i.kind.value, i.text) for i in doc.items] == [
        ("administrative", "Đề nghị các thôn họp dân vào tối thứ Bảy")
    ]


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "lon.txt"
    path.write_bytes(SMALL.encode() + b" " * 2_200_000)
    with pytest.raises(InputError) as info:
        extract_file(path, max_mb=2)
    assert str(info.value).startswith(str(path))
    assert "vượt giới hạn 2 MB" in str(info.value)
    assert extract_file(path, max_mb=3).size > 2_000_000


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="không có tệp này"):
        extract_file(tmp_path / "khong-co.txt")


def test_markdown_emphasis_and_headings_are_not_content() -> None:
    text = "### **1. Tuyên truyền** về *Ngày Môi trường*\n\n\\- [Bộ TN&MT](https://monre.gov.vn) <http://a.vn>"
    assert strip_markdown(text) == "1. Tuyên truyền về Ngày Môi trường\n\n- Bộ TN&MT http://a.vn"


def test_hard_line_breaks_inside_sentences_are_joined() -> None:
    text = (
        "1. Tuyên truyền phòng, chống sốt xuất huyết (theo Công văn số\n"
        "2390/UBND-KGVX ngày 17/5/2021 của UBND tỉnh)\n"
        "\n"
        "Người dân cần lật úp dụng cụ chứa nước, diệt\n"
        "\n"
        "loăng quăng, bọ gậy.\n"
        "2. Tuyên truyền an toàn giao thông"
    )
    assert to_paragraphs(text) == [
        "1. Tuyên truyền phòng, chống sốt xuất huyết (theo Công văn số 2390/UBND-KGVX ngày 17/5/2021 của UBND tỉnh)",
        "Người dân cần lật úp dụng cụ chứa nước, diệt loăng quăng, bọ gậy.",
        "2. Tuyên truyền an toàn giao thông",
    ]


def test_pdf_text_is_wrapped_and_joined_back(tmp_path: Path) -> None:
    pdf = to_pdf(
        SMALL.replace("mùa khô", "mùa khô năm 2026 trên địa bàn các thôn vùng cao " * 3),
        font_size=14,
    )
    (doc,) = parse_extracted(extract_bytes(pdf, "small.pdf"))
    title = doc.items[0].title
    assert title.startswith(
        "Tuyên truyền phòng, chống cháy rừng mùa khô năm 2026 trên địa bàn các thôn vùng cao mùa khô"
    )
    assert "\n" not in title and "Người dân" not in title
    assert doc.items[0].text.split("\n")[-1] == "Người dân không đốt nương rẫy khi có gió lớn."


def test_decomposed_unicode_is_normalised_to_nfc() -> None:
    import unicodedata

    data = unicodedata.normalize("NFD", SMALL).encode("utf-8")
    (doc,) = parse_extracted(extract_bytes(data, "nfd.txt"))
    assert doc.items[0].title == "Tuyên truyền phòng, chống cháy rừng mùa khô"
