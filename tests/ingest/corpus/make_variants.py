"""One guidance document of this corpus as the office would also send it: .docx and .pdf.

Usage: .venv/bin/python tests/ingest/corpus/make_variants.py OUT_DIR

``make_variants(out_dir)`` writes ``NAME.docx`` and ``NAME.pdf`` of ``NAME.txt`` (default
:data:`VARIANT_OF`) into ``out_dir`` with a copy of ``NAME.expect.json``: the same guidance in
three forms, which must give the same facts and be stored once. Nothing binary is committed: tests
and ``scripts/bench_intake.py`` build the files into a temporary folder.

Both files are laid out like a signed office document: the header is a two-column table (the
issuing office and its number on the left, the national motto, place and date on the right), the
body one paragraph per line of the text with its numbered headings in bold, and the closing a
two-column table ("Nơi nhận" on the left, the signature on the right). Line 1 of the text (the
source address, a convention of this corpus) is not part of the document and is left out. The
PDF embeds DejaVu Sans (it has every Vietnamese letter) so that its text layer reads back.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
VARIANT_OF = "tanhoa-ubndxa-sxh-2024"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

_SECTION = re.compile(r"^[IVX]+\.\s")  # I., II.: section headings, in bold
_TITLE_WORDS = ("KẾ HOẠCH", "HƯỚNG DẪN", "CÔNG VĂN", "THÔNG BÁO", "ĐỀ CƯƠNG")


@dataclass(frozen=True)
class Layout:
    """The parts of a formal document's text, as its .docx or PDF lays them out."""

    office: list[str]  # left header column: issuing office lines and "Số: …"
    motto: list[str]  # right header column: national motto, then place and date
    title: list[str]  # document type (KẾ HOẠCH…) and its subject line
    body: list[str]  # one paragraph per line
    recipients: list[str]  # "Nơi nhận:" and its lines
    signature: list[str]  # TM./KT. lines, the signer's name


def layout(text: str) -> Layout:
    """Split a corpus text (line 1 the source address) of the formal shape into its parts."""
    lines = [line.rstrip() for line in text.splitlines()[1:]]
    motto_at = next(i for i, line in enumerate(lines) if line.startswith("CỘNG HÒA"))
    office = [line for line in lines[:motto_at] if line]
    rest = lines[motto_at:]
    place_at = next(i for i, line in enumerate(rest) if ", ngày " in line)
    motto = rest[: place_at + 1]
    rest = rest[place_at + 1 :]
    while rest and not rest[0]:
        rest.pop(0)
    title = []
    if rest and rest[0].startswith(_TITLE_WORDS):
        title = [rest.pop(0)]
        if rest and rest[0]:
            title.append(rest.pop(0))
    closing_at = next(i for i, line in enumerate(rest) if line.startswith("Nơi nhận"))
    body = [line for line in rest[:closing_at] if line]
    tail = [line for line in rest[closing_at:] if line]
    signature_at = next(i for i, line in enumerate(tail) if re.match(r"(TM|KT|TL)\.", line))
    return Layout(office, motto, title, body, tail[:signature_at], tail[signature_at:])


def write_docx(parts: Layout, path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = " ".join(parts.title)
    doc.core_properties.author = parts.signature[-1] if parts.signature else ""
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    def cell_lines(cell, lines: list[str], bold_first: int) -> None:
        cell.paragraphs[0].text = ""
        for n, line in enumerate(lines):
            p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line).bold = n < bold_first

    header = doc.add_table(rows=1, cols=2)
    cell_lines(header.cell(0, 0), parts.office, bold_first=len(parts.office) - 1)
    cell_lines(header.cell(0, 1), parts.motto, bold_first=2)
    for line in parts.title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True
    for line in parts.body:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.add_run(line).bold = bool(_SECTION.match(line))
    closing = doc.add_table(rows=1, cols=2)
    cell_lines(closing.cell(0, 0), parts.recipients, bold_first=1)
    cell_lines(closing.cell(0, 1), parts.signature, bold_first=len(parts.signature) - 1)
    doc.save(str(path))
    return path


def write_pdf(parts: Layout, path: Path) -> Path:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_BOLD)))
    normal = ParagraphStyle("body", fontName="DejaVuSans", fontSize=11, leading=15)
    body = ParagraphStyle("justified", parent=normal, alignment=TA_JUSTIFY, spaceAfter=4)
    bold = ParagraphStyle("heading", parent=body, fontName="DejaVuSans-Bold")
    centred = ParagraphStyle("centred", parent=normal, alignment=TA_CENTER)
    centred_bold = ParagraphStyle("centred-bold", parent=centred, fontName="DejaVuSans-Bold")

    def column(lines: list[str], bold_first: int) -> list[Paragraph]:
        return [
            Paragraph(escape(line), centred_bold if n < bold_first else centred)
            for n, line in enumerate(lines)
        ]

    story: list = [
        Table(
            [[column(parts.office, len(parts.office) - 1), column(parts.motto, 2)]],
            colWidths=[75 * mm, 95 * mm],
        ),
        Spacer(1, 6 * mm),
    ]
    story += [Paragraph(escape(line), centred_bold) for line in parts.title]
    story.append(Spacer(1, 4 * mm))
    for line in parts.body:
        story.append(Paragraph(escape(line), bold if _SECTION.match(line) else body))
    story.append(Spacer(1, 6 * mm))
    story.append(
        Table(
            [[column(parts.recipients, 1), column(parts.signature, len(parts.signature) - 1)]],
            colWidths=[85 * mm, 85 * mm],
        )
    )
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=" ".join(parts.title),
        author=parts.signature[-1] if parts.signature else "",
        invariant=1,  # the same bytes on every run
    )
    document.build(story)
    return path


def make_variants(out_dir: Path, name: str = VARIANT_OF) -> list[Path]:
    """Write ``name``.docx and ``name``.pdf (and a copy of its expectation) into ``out_dir``;
    returns the two documents."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = layout((HERE / f"{name}.txt").read_text(encoding="utf-8"))
    shutil.copyfile(HERE / f"{name}.expect.json", out_dir / f"{name}.expect.json")
    return [write_docx(parts, out_dir / f"{name}.docx"), write_pdf(parts, out_dir / f"{name}.pdf")]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    for written in make_variants(Path(sys.argv[1])):
        print(written)
