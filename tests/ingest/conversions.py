"""Test helpers: the seed documents converted the way offices receive them (.docx with a
header table, PDF with a text layer, Windows-1258 and TCVN3 bytes)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

_HEADER_LEFT = re.compile(r"^(?:Số\s*:|V/v|[A-ZĐỦ][A-ZĐÀ-Ỹ ]+$)")
_BODY_START = re.compile(r"^(?:Kính gửi|Căn cứ|Thực hiện|Để|KẾ HOẠCH|\d+\.)")


def plain(text: str) -> str:
    """The seed text without its Markdown emphasis, as a word processor would hold it."""
    return text.replace("**", "").replace("*", "")


def blocks(text: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n\s*\n", plain(text)) if b.strip()]


def to_docx(text: str) -> bytes:
    """A .docx like an office's: the header in a two-column table, one paragraph per block
    with the original line breaks kept as soft breaks."""
    import docx

    document = docx.Document()
    parts = blocks(text)
    header: list[str] = []
    while parts and not _BODY_START.match(parts[0]) and len(header) < 6:
        header.append(parts.pop(0))
    if header:
        left = [
            b
            for b in header
            if _HEADER_LEFT.match(b.split("\n")[0]) and not b.startswith("CỘNG HÒA")
        ]
        right = [b for b in header if b not in left]
        table = document.add_table(rows=1, cols=2)
        for cell, cell_blocks in zip(table.rows[0].cells, (left, right), strict=True):
            cell.paragraphs[0].text = ""
            for i, b in enumerate(cell_blocks):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                _add_lines(p, b)
    for b in parts:
        _add_lines(document.add_paragraph(), b)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_lines(paragraph: object, block: str) -> None:
    lines = block.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)  # type: ignore[attr-defined]
        if i < len(lines) - 1:
            run.add_break()


def to_pdf(text: str, *, font_size: float = 11) -> bytes:
    """A PDF with a text layer, wrapped at the page width like any PDF export."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
    style = ParagraphStyle(
        "body", fontName="DejaVuSans", fontSize=font_size, leading=font_size * 1.3, spaceAfter=8
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4)
    doc.build([Paragraph(escape(b).replace("\n", "<br/>"), style) for b in blocks(text)])
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A 'scan': a page that is only an image, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for y in range(60, 760, 24):
        draw.line((40, y, 560, y), fill=0, width=3)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(image), 30, 30, width=530, height=780)
    c.showPage()
    c.save()
    return out.getvalue()
