"""Test helpers: hostile and oversized inputs built in the test (no committed binaries).

A .docx whose XML unpacks to hundreds of megabytes, one that lies about its sizes, one with
thousands of parts or tables nested thousands deep; PDFs with a huge stream or thousands of
pages; a guidance text of nearly 20 MB shaped to hit every costly pattern of the parser; a
text whose numbering nests thousands of levels deep.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

MB = 1024 * 1024
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def blank_docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def docx_with_body(chunks: Iterable[bytes], *, extra_parts: int = 0) -> bytes:
    """A real .docx (python-docx's blank one) whose word/document.xml body is ``chunks``,
    written through the compressor piece by piece so the test never holds it unpacked."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blank_docx())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info.filename))
                continue
            target = zipfile.ZipInfo("word/document.xml", date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(target, "w") as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}">'
                         "<w:body>".encode())  # fmt: skip
                for chunk in chunks:
                    fh.write(chunk)
                fh.write(b"</w:body></w:document>")
        for n in range(extra_parts):
            dst.writestr(f"word/extra/part{n}.xml", b"<a/>")
    return out.getvalue()


def _paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def zip_bomb_docx(unpacked_mb: int = 300) -> bytes:
    """≈ 0.7 MB on disk, ``unpacked_mb`` of XML inside (the audit's file: 786 KB → 288 MB)."""
    block = (b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>") * 1000
    return docx_with_body(
        [_paragraph("1. Tuyên truyền"), *[block] * (unpacked_mb * MB // len(block))]
    )


def lying_docx(real_mb: int = 50, claimed_kb: int = 40) -> bytes:
    """A .docx whose central directory claims word/document.xml is ``claimed_kb`` unpacked
    while it really unpacks to ``real_mb``."""
    block = (b"<w:p><w:r><w:t>" + b"B" * 1000 + b"</w:t></w:r></w:p>") * 100
    data = bytearray(docx_with_body([block] * (real_mb * MB // len(block))))
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        pos = 0
        while (pos := data.find(signature, pos)) >= 0:
            name_at = pos + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, pos + size_at, claimed_kb * 1024)
            pos += 4
    return bytes(data)


def docx_with_parts(parts: int) -> bytes:
    return docx_with_body([_paragraph("1. Tuyên truyền phòng, chống cháy rừng")], extra_parts=parts)


def docx_with_nested_tables(depth: int) -> bytes:
    """Tables inside tables inside tables, ``depth`` deep."""
    opening = b"<w:tbl><w:tr><w:tc>" + _paragraph("Nội dung")
    closing = b"</w:tc></w:tr></w:tbl>"
    topic = _paragraph("1. Tuyên truyền phòng, chống cháy rừng mùa khô")
    return docx_with_body([opening * depth, topic, closing * depth])


# --- PDF ------------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return (
        f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    )


def _deflate(pieces: Iterable[bytes]) -> bytes:
    c = zlib.compressobj(6)
    return b"".join(c.compress(p) for p in pieces) + c.flush()


_TEXT = b"BT /F1 11 Tf 72 760 Td (1. Tuyen truyen phong, chong chay rung mua kho) Tj ET\n"


def pdf_with_streams(stream_mb: Iterable[int]) -> bytes:
    """One page per stream; each page's content unpacks to ``mb`` megabytes (a line of text,
    then blank operators)."""
    sizes = list(stream_mb)
    n = len(sizes)
    filler = b"%" + b" " * (MB - 2) + b"\n"  # a comment: bytes to unpack, no operators
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Count {n} /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(n))}] >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, mb in enumerate(sizes):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(_stream(_deflate([_TEXT, *[filler] * mb])))
    return _pdf(objects)


def pdf_with_pages(pages: int) -> bytes:
    """``pages`` pages sharing one small content stream."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Count {pages} /Kids [{' '.join(f'{5 + i} 0 R' for i in range(pages))}] >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(_deflate([_TEXT])),
    ]
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>"
        )
    return _pdf(objects)


# --- text -----------------------------------------------------------------------------------

HEADER = """ỦY BAN NHÂN DÂN XÃ NAM BÌNH
PHÒNG VĂN HÓA - XÃ HỘI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 45/HD-VHXH

Nam Bình, ngày 18 tháng 5 năm 2026

HƯỚNG DẪN
Nội dung tuyên truyền trên hệ thống truyền thanh xã

I. NỘI DUNG TUYÊN TRUYỀN

"""

#: wrapped lines (joined back into one paragraph), each with what the parser looks for:
#: cited documents, observance days, slogan cues, dotted blanks, requests to agencies
_BODY_LINES = (
    "thực hiện Kế hoạch số 112/KH-SVHTTDL ngày 08/5/2026 của Sở Văn hóa, Thể thao và Du lịch\n"
    "và Công văn số 1520/SYT-NVY của Sở Y tế (theo Hướng dẫn số 76/HD-SNNMT của Sở Nông nghiệp\n"
    "và Môi trường) hưởng ứng Ngày Môi trường thế giới 05/6 và Ngày Gia đình Việt Nam với\n"
    "khẩu hiệu tuyên truyền của xã, đề nghị các thôn rà soát, thời hạn ngày ....... tháng\n"
    "..... năm ....., bà con thu gom rác thải, đậy kín dụng cụ chứa nước [xem thêm tại trang\n"
)


def big_guidance(target_bytes: int, items: int = 20) -> str:
    """A guidance text of about ``target_bytes`` (UTF-8): ``items`` numbered topics, each a
    single paragraph of wrapped lines full of citations, days and slogan cues."""
    per_item = max(1, (target_bytes - len(HEADER.encode())) // items)
    repeats = max(1, per_item // len(_BODY_LINES.encode()))
    parts = [HEADER]
    for n in range(1, items + 1):
        parts.append(f"{n}. Tuyên truyền phòng, chống sốt xuất huyết đợt {n}:\n")
        parts.append("Bà con lưu ý,\n" + _BODY_LINES * repeats)
        parts.append("\n")
    return "".join(parts)


def deep_numbering(levels: int) -> str:
    """Numbered headings each one level below the last: 1., 1.1., 1.1.1., …"""
    lines = [HEADER]
    for k in range(1, levels + 1):
        lines.append(".".join(["1"] * k) + f". Tuyên truyền cấp {k}\n")
    return "\n".join(lines)
