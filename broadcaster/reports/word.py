"""DOCX (python-docx): shared layout of formal Vietnamese administrative documents.

Layout after Decree 30/2020/NĐ-CP: A4, Times New Roman 13–14, the issuing body top left, the
national motto top right, the title centred, signature blocks at the end. The words come from
the message catalogue, looked up when a document is made (the reader's language).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from broadcaster.domain.messages import N_, _, translate
from broadcaster.domain.reconcile import AiringLine, ReportPeriod

from .model import (
    PRIORITY_HEADINGS,
    SHORTFALL_HEADINGS,
    STATION_HEADINGS,
    TOPIC_HEADINGS,
    UNPLANNED_HEADINGS,
    AiringReport,
    fmt_attainment,
    fmt_date,
    fmt_minutes,
    fmt_pct,
    fmt_time,
    fmt_value,
    headings,
    long_date,
    period_span,
    printed_figures,
    summary_rows,
)

FONT = "Times New Roman"
TEXT_WIDTH = 16.5  # cm: A4 less the 3 cm and 1.5 cm side margins
MOTTO = N_("SOCIALIST REPUBLIC OF VIETNAM")
MOTTO_2 = N_("Independence - Freedom - Happiness")
SIGN_HINT = N_("(Signature and full name)")
SIGN_SEAL_HINT = N_("(Signature, full name and seal)")


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
    p.add_run(str(_("No.:       /{prefix}", prefix=number_prefix))).font.size = Pt(13)

    first = right.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = first.add_run(translate(MOTTO))
    r.bold = True
    r.font.size = Pt(12)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(translate(MOTTO_2))
    r.bold = True
    r.underline = True
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(f"{place or '………'}, {signed_on}")
    r.italic = True
    doc.add_paragraph()


def formal_document(
    *,
    parent: str | None,
    office: str,
    number_prefix: str,
    place: str | None,
    signed: date,
    title: str,
    subtitle: str,
    period: ReportPeriod,
    bold_period: bool,
) -> DocumentType:
    """A new document opened as Decree 30 wants: the header blocks, then its title."""
    doc = new_document()
    heading_block(
        doc,
        parent=parent,
        office=office,
        number_prefix=number_prefix,
        place=place,
        signed_on=long_date(signed),
    )
    title_block(doc, title, subtitle, period, bold_period=bold_period)
    return doc


def title_block(
    doc: DocumentType, title: str, subtitle: str, period: ReportPeriod, *, bold_period: bool
) -> None:
    """The document's name, what it is about and its period, centred under the header."""
    para(doc, title, bold=True, size=14, align="center")
    para(doc, subtitle, bold=True, align="center")
    para(
        doc,
        f"({period_span(period)})",
        bold=bold_period,
        italic=not bold_period,
        align="center",
    )


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
        for _line in range(3):
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
    doc = formal_document(
        parent=report.parent_name,
        office=report.office.name,
        number_prefix="BC-",
        place=report.place,
        signed=report.generated_at.date(),
        title=str(_("REPORT")),
        subtitle=str(_("Results of information and outreach on the grassroots radio system")),
        period=report.period,
        bold_period=True,
    )
    para(doc)
    _overview(doc, report)
    _by_item(doc, report)
    r = report.reconciliation
    _section(
        doc,
        N_("III. RESULTS BY STATION"),
        STATION_HEADINGS,
        _station_rows(report),
        widths=even_widths(4.1, 9),
    )
    _section(
        doc,
        N_("IV. RESULTS BY PRIORITY LEVEL"),
        PRIORITY_HEADINGS,
        [(str(p.priority.label), *printed_figures(p.figures)) for p in r.by_priority],
        widths=even_widths(3.3, 8),
        none=N_("No planned airings."),
    )
    _section(
        doc,
        N_("V. AIRINGS THAT FELL SHORT, AND WHY"),
        SHORTFALL_HEADINGS,
        _numbered(report, r.shortfalls, _shortfall_cells),
        widths=(1.2, 2.2, 1.3, 3.0, 3.3, 2.0, 3.5),
        numeric_from=99,
        none=N_("No airing fell short."),
    )
    _section(
        doc,
        N_("VI. AIRINGS OUTSIDE THE PLAN"),
        UNPLANNED_HEADINGS,
        _numbered(report, r.unplanned, _unplanned_cells),
        widths=(1.2, 2.2, 1.3, 3.5, 4.8, 2.2, 1.3),
        numeric_from=99,
        none=N_("No unplanned airings."),
    )
    _closing(doc, report)
    return to_bytes(doc)


def _section(
    doc: DocumentType,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float],
    numeric_from: int = 1,
    none: str | None = None,
) -> None:
    """A numbered section with one table, or ``none`` said instead of an empty table (the
    title, headings and ``none`` are message ids, marked with ``N_``)."""
    para(doc, translate(title), bold=True, keep_with_next=True)
    if rows or none is None:
        grid(doc, headings(columns), rows, numeric_from=numeric_from, widths=widths)
    else:
        para(doc, translate(none), indent=True)


def _overview(doc: DocumentType, report: AiringReport) -> None:
    """I: the period in one paragraph, and the headline figures."""
    r = report.reconciliation
    t = r.totals
    para(doc, str(_("I. GENERAL SITUATION")), bold=True, keep_with_next=True)
    if r.empty:
        para(doc, " ".join(str(n) for n in r.notes), indent=True, align="justify")
    else:
        overview = _(
            "During the period, the radio stations of {office} ({stations}) aired {aired} of "
            "{due} planned airings (attainment {pct}); partly aired: {partial}; interrupted for "
            "an emergency bulletin: {interrupted}; not aired: {missed}. Time on air: {minutes} "
            "minutes, including emergency bulletins: {emergencies}; unplanned airings: "
            "{unplanned}.",
            stations=len(r.station_codes),
            office=report.office.name,
            aired=t.aired,
            due=t.due,
            pct=fmt_pct(t.attainment_pct),
            partial=t.partial,
            interrupted=t.interrupted,
            missed=t.missed,
            minutes=fmt_minutes(r.seconds_on_air / 60),
            emergencies=r.emergencies,
            unplanned=len(r.unplanned),
        )
        para(doc, str(overview), indent=True, align="justify")
        for note in r.notes:
            para(doc, str(note), italic=True, indent=True)
    grid(
        doc,
        headings((N_("Indicator"), N_("Value"))),
        [(k, fmt_value(v)) for k, v in summary_rows(report)],
        widths=(11.5, 5),
    )


def _by_item(doc: DocumentType, report: AiringReport) -> None:
    """II: each item, the document it implements, and its figures at each station."""
    r = report.reconciliation
    para(doc, str(_("II. RESULTS BY TOPIC")), bold=True, keep_with_next=True)
    if not r.by_item:
        para(doc, str(_("No topic was in the broadcast plan of the period.")), indent=True)
    for n, item in enumerate(r.by_item, start=1):
        heading = report.item_heading(item.item_id, item.title)
        para(doc, f"{n}. {heading}", bold=True, keep_with_next=True)
        document = report.item_document(item.item_id)
        implements = _("Implements: {document}", document=document or _("(no directive recorded)"))
        para(doc, str(implements), italic=True, keep_with_next=True)
        priority = _("Priority level: {priority}.", priority=item.priority.label)
        para(doc, str(priority), italic=True, keep_with_next=True)
        rows = [
            (report.station_name(f.station_code), *printed_figures(f.figures))
            for f in r.by_item_station
            if f.item_id == item.item_id
        ]
        rows.append((str(_("Total")), *printed_figures(item.figures)))
        grid(doc, headings(TOPIC_HEADINGS), rows, bold_last=True, widths=even_widths(4.5, 8))


def _station_rows(report: AiringReport) -> list[tuple[str, ...]]:
    return [
        (
            report.station_name(s.station_code),
            str(s.sessions_planned),
            str(s.sessions_held),
            str(s.figures.planned),
            str(s.figures.aired),
            str(s.figures.missed),
            fmt_minutes(s.minutes_on_air),
            str(s.emergencies),
            fmt_attainment(s.figures),
        )
        for s in report.reconciliation.by_station
    ]


def _numbered(
    report: AiringReport,
    lines: Sequence[AiringLine],
    cells: Callable[[AiringLine], tuple[str, str, str]],
) -> list[tuple[str, ...]]:
    """Numbered rows of airings: STT, day, time, station, then ``cells`` (time, title, last)."""
    rows: list[tuple[str, ...]] = []
    for i, x in enumerate(lines, start=1):
        time, title, last = cells(x)
        station = report.station_name(x.station_code)
        rows.append((str(i), fmt_date(x.day), time, station, title, str(x.outcome.label), last))
    return rows


def _shortfall_cells(x: AiringLine) -> tuple[str, str, str]:
    return fmt_time(x.planned_start), x.title, x.reason


def _unplanned_cells(x: AiringLine) -> tuple[str, str, str]:
    title = str(_("{title} (emergency)", title=x.title)) if x.emergency else x.title
    return fmt_time(x.when), title, fmt_minutes(x.minutes_aired)


def _closing(doc: DocumentType, report: AiringReport) -> None:
    """The closing sentence, the two signatures and the recipients."""
    closing = _(
        "The above is the report on the results of information and outreach on the grassroots "
        "radio system of {office} {period}.",
        office=report.office.name,
        period=period_span(report.period),
    )
    para(doc, str(closing), indent=True, align="justify")
    para(doc)
    signature_blocks(
        doc,
        (str(_("PREPARED BY")), translate(SIGN_HINT)),
        (str(_("HEAD OF OFFICE")), translate(SIGN_SEAL_HINT)),
    )
    para(doc, str(_("Recipients:")), bold=True, italic=True, size=12)
    if report.parent_name:
        para(doc, str(_("- {body} (for their information);", body=report.parent_name)), size=11)
    para(doc, str(_("- Filed: VT.")), size=11)
