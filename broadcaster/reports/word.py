"""DOCX (python-docx): shared layout of formal Vietnamese administrative documents.

Layout after Decree 30/2020/NĐ-CP: A4, Times New Roman 13–14, the issuing body top left, the
national motto top right, the title centred, signature blocks at the end.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from broadcaster.domain.reconcile import Figures

from .model import (
    AiringReport,
    fmt_date,
    fmt_minutes,
    fmt_pct,
    fmt_time,
    long_date_vi,
    summary_rows,
)

FONT = "Times New Roman"
TEXT_WIDTH = 16.5  # cm: A4 less the 3 cm and 1.5 cm side margins
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

TOPIC_HEADINGS = (
    "Đài",
    "Kế hoạch (lượt)",
    "Đã phát",
    "Phát một phần",
    "Bị ngắt",
    "Không phát",
    "Phút đã phát",
    "Tỷ lệ đạt",
)
STATION_HEADINGS = (
    "Đài",
    "Buổi theo kế hoạch",
    "Buổi đã phát",
    "Kế hoạch (lượt)",
    "Đã phát",
    "Không phát",
    "Tổng phút phát sóng",
    "Bản tin khẩn cấp",
    "Tỷ lệ đạt",
)
PRIORITY_HEADINGS = (
    "Mức ưu tiên",
    "Kế hoạch (lượt)",
    "Đã phát",
    "Phát một phần",
    "Bị ngắt",
    "Không phát",
    "Phút đã phát",
    "Tỷ lệ đạt",
)
SHORTFALL_HEADINGS = ("STT", "Ngày", "Giờ", "Đài", "Nội dung", "Kết quả", "Lý do")
UNPLANNED_HEADINGS = ("STT", "Ngày", "Giờ", "Đài", "Nội dung", "Kết quả", "Phút")


def new_document(*, landscape: bool = False) -> DocumentType:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    # Word takes the East Asian font from a separate attribute; set it so nothing falls back
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(3)
    return doc


def para(
    doc: DocumentType | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align: str = "left",
    indent: bool = False,
    keep_with_next: bool = False,
) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = keep_with_next
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    if size:
        run.font.size = Pt(size)


def _cell_text(
    cell: _Cell, text: str, *, bold: bool = False, size: float = 11, center: bool = False
) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def grid(
    doc: DocumentType,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric_from: int = 1,
    bold_last: bool = False,
    widths: Sequence[float] | None = None,
) -> Table:
    """A bordered table; columns from ``numeric_from`` are centred; ``widths`` in cm."""
    table: Table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headings):
        _cell_text(table.rows[0].cells[i], h, bold=True, center=True)
    for n, values in enumerate(rows):
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        last = bold_last and n == len(rows) - 1
        for i, v in enumerate(values):
            _cell_text(cells[i], v, center=i >= numeric_from, bold=last)
    if widths is not None:
        set_widths(table, widths)
    doc.add_paragraph()
    return table


def set_widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in cm; Word reads them from every cell, LibreOffice from the grid."""
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Cm(w)
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Cm(w)


def even_widths(first: float, count: int, total: float = TEXT_WIDTH) -> list[float]:
    """A wide first column, the rest sharing what is left."""
    return [first] + [(total - first) / (count - 1)] * (count - 1)


def heading_block(
    doc: DocumentType,
    *,
    parent: str | None,
    office: str,
    number_prefix: str,
    place: str | None,
    signed_on: str,
) -> None:
    """Issuing body on the left, national motto on the right."""
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, (6.5, TEXT_WIDTH - 6.5))
    left, right = table.rows[0].cells
    left.text = right.text = ""
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if parent:
        r = first.add_run(parent.upper())
        r.font.size = Pt(12)
        p = left.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(office.upper())
    else:
        r = first.add_run(office.upper())
    r.bold = True
    r.font.size = Pt(12)
    p = left.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"Số:       /{number_prefix}").font.size = Pt(13)

    first = right.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = first.add_run(MOTTO)
    r.bold = True
    r.font.size = Pt(12)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(MOTTO_2)
    r.bold = True
    r.underline = True
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(f"{place or '………'}, {signed_on}")
    r.italic = True
    doc.add_paragraph()


def signature_blocks(
    doc: DocumentType,
    left: tuple[str, str],
    right: tuple[str, str],
    names: tuple[str, str] = ("", ""),
) -> None:
    """Two signature blocks side by side: (title, instruction) each, room to sign, a name."""
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, (TEXT_WIDTH / 2, TEXT_WIDTH / 2))
    for cell, (title, hint), name in zip(table.rows[0].cells, (left, right), names, strict=True):
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        r = p.add_run(title)
        r.bold = True
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        r = p.add_run(hint)
        r.italic = True
        for _ in range(3):
            cell.add_paragraph().paragraph_format.keep_with_next = True
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(name).bold = True


def to_bytes(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the airing report ------------------------------------------------------------------------


def render_docx(report: AiringReport) -> bytes:
    """The formal report "BÁO CÁO Kết quả thông tin, tuyên truyền …" for the period."""
    r = report.reconciliation
    t = r.totals
    doc = new_document()
    heading_block(
        doc,
        parent=report.parent_name,
        office=report.office.name,
        number_prefix="BC-",
        place=report.place,
        signed_on=long_date_vi(report.generated_at.date()),
    )
    para(doc, "BÁO CÁO", bold=True, size=14, align="center")
    para(
        doc,
        "Kết quả thông tin, tuyên truyền trên hệ thống truyền thanh cơ sở",
        bold=True,
        align="center",
    )
    para(
        doc,
        f"(từ ngày {fmt_date(r.period.start)} đến ngày {fmt_date(r.period.end)})",
        bold=True,
        align="center",
    )
    para(doc)

    para(doc, "I. TÌNH HÌNH CHUNG", bold=True, keep_with_next=True)
    stations = len(r.station_codes)
    if r.empty:
        para(doc, " ".join(r.notes), indent=True, align="justify")
    else:
        para(
            doc,
            f"Trong kỳ báo cáo, {stations} đài truyền thanh thuộc {report.office.name} "
            f"thực hiện {t.aired}/{t.due} lượt phát theo kế hoạch (đạt {fmt_pct(t.attainment_pct)}), "
            f"{t.partial} lượt phát một phần, {t.interrupted} lượt bị ngắt để phát bản tin khẩn "
            f"cấp, {t.missed} lượt không phát; tổng thời lượng phát sóng "
            f"{fmt_minutes(r.seconds_on_air / 60)} phút, trong đó {r.emergencies} bản tin khẩn cấp "
            f"và {len(r.unplanned)} lượt phát ngoài kế hoạch.",
            indent=True,
            align="justify",
        )
        for note in r.notes:
            para(doc, note, italic=True, indent=True)
    grid(
        doc,
        ("Chỉ tiêu", "Giá trị"),
        [(k, _value(v)) for k, v in summary_rows(report)],
        widths=(11.5, 5),
    )

    para(doc, "II. KẾT QUẢ THEO TỪNG NỘI DUNG TUYÊN TRUYỀN", bold=True, keep_with_next=True)
    if not r.by_item:
        para(doc, "Không có nội dung nào trong kế hoạch phát của kỳ báo cáo.", indent=True)
    titles = {f.item_id: f.title for f in r.by_item}
    for n, item in enumerate(r.by_item, start=1):
        para(
            doc,
            f"{n}. {item_heading(report, item.item_id, titles[item.item_id])}",
            bold=True,
            keep_with_next=True,
        )
        document = report.item_document(item.item_id)
        para(
            doc,
            f"Thực hiện: {document}" if document else "Thực hiện: (chưa ghi văn bản chỉ đạo)",
            italic=True,
            keep_with_next=True,
        )
        para(doc, f"Mức ưu tiên: {item.priority.label_vi}.", italic=True, keep_with_next=True)
        rows = [
            _topic_row(report.station_name(f.station_code), f.figures)
            for f in r.by_item_station
            if f.item_id == item.item_id
        ]
        rows.append(_topic_row("Cộng", item.figures))
        grid(doc, TOPIC_HEADINGS, rows, bold_last=True, widths=even_widths(4.5, 8))

    para(doc, "III. KẾT QUẢ THEO TỪNG ĐÀI", bold=True, keep_with_next=True)
    grid(
        doc,
        STATION_HEADINGS,
        [
            (
                report.station_name(s.station_code),
                str(s.sessions_planned),
                str(s.sessions_held),
                str(s.figures.planned),
                str(s.figures.aired),
                str(s.figures.missed),
                fmt_minutes(s.minutes_on_air),
                str(s.emergencies),
                fmt_pct(s.figures.attainment_pct),
            )
            for s in r.by_station
        ],
        widths=even_widths(4.1, 9),
    )

    para(doc, "IV. KẾT QUẢ THEO MỨC ƯU TIÊN", bold=True, keep_with_next=True)
    if r.by_priority:
        grid(
            doc,
            PRIORITY_HEADINGS,
            [_topic_row(p.priority.label_vi, p.figures) for p in r.by_priority],
            widths=even_widths(3.3, 8),
        )
    else:
        para(doc, "Không có lượt phát theo kế hoạch.", indent=True)

    para(doc, "V. CÁC LƯỢT PHÁT KHÔNG ĐẠT VÀ LÝ DO", bold=True, keep_with_next=True)
    if r.shortfalls:
        grid(
            doc,
            SHORTFALL_HEADINGS,
            [
                (
                    str(i),
                    fmt_date(x.day),
                    fmt_time(x.planned_start),
                    report.station_name(x.station_code),
                    x.title,
                    x.outcome.label_vi,
                    x.reason,
                )
                for i, x in enumerate(r.shortfalls, start=1)
            ],
            numeric_from=99,
            widths=(1.2, 2.2, 1.3, 3.0, 3.3, 2.0, 3.5),
        )
    else:
        para(doc, "Không có lượt phát nào không đạt.", indent=True)

    para(doc, "VI. CÁC LƯỢT PHÁT NGOÀI KẾ HOẠCH", bold=True, keep_with_next=True)
    if r.unplanned:
        grid(
            doc,
            UNPLANNED_HEADINGS,
            [
                (
                    str(i),
                    fmt_date(x.day),
                    fmt_time(x.when),
                    report.station_name(x.station_code),
                    x.title + (" (khẩn cấp)" if x.emergency else ""),
                    x.outcome.label_vi,
                    fmt_minutes(x.minutes_aired),
                )
                for i, x in enumerate(r.unplanned, start=1)
            ],
            numeric_from=99,
            widths=(1.2, 2.2, 1.3, 3.5, 4.8, 2.2, 1.3),
        )
    else:
        para(doc, "Không có lượt phát ngoài kế hoạch.", indent=True)

    para(
        doc,
        f"Trên đây là báo cáo kết quả thông tin, tuyên truyền trên hệ thống truyền thanh cơ sở "
        f"của {report.office.name} từ ngày {fmt_date(r.period.start)} đến ngày "
        f"{fmt_date(r.period.end)}.",
        indent=True,
        align="justify",
    )
    para(doc)
    signature_blocks(
        doc,
        ("NGƯỜI LẬP BÁO CÁO", "(Ký, ghi rõ họ tên)"),
        ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"),
    )
    para(doc, "Nơi nhận:", bold=True, italic=True, size=12)
    if report.parent_name:
        para(doc, f"- {report.parent_name} (để báo cáo);", size=11)
    para(doc, "- Lưu: VT.", size=11)
    return to_bytes(doc)


def item_heading(report: AiringReport, item_id: int, title: str) -> str:
    """ "Phòng, chống dịch sốt xuất huyết (mục II.1 của văn bản)"."""
    number = report.item_number(item_id)
    text = report.items[item_id].title if item_id in report.items else title
    return f"{text} (mục {number} của văn bản)" if number else text


def _value(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return fmt_minutes(v)
    return str(v)


def _topic_row(label: str, f: Figures) -> tuple[str, ...]:
    return (
        label,
        str(f.planned),
        str(f.aired),
        str(f.partial),
        str(f.interrupted),
        str(f.missed),
        fmt_minutes(f.minutes_aired),
        fmt_pct(f.attainment_pct),
    )
