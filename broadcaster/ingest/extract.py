"""Reading guidance files: plain text and Markdown, .docx and PDF with a text layer.

Every failure is an :class:`~broadcaster.domain.errors.InputError` whose one-line message names
the file, the problem and what to do; library exceptions never escape.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import N_, Msg, _, _n

from .encodings import decode_bytes
from .limits import (
    MB,
    RATIO_MIN_BYTES,
    IntakeLimits,
    Progress,
    hostile,
    no_progress,
    size_text,
)
from .text import PAGE_BREAK, clean_characters, strip_markdown

DEFAULT_MAX_MB = 20.0


@dataclass(frozen=True)
class ExtractedText:
    """The text of one file, NFC, lines separated by ``\\n`` (``\\f`` lines between PDF pages)."""

    name: str
    text: str
    format: str  # "text", "markdown", "docx", "pdf"
    encoding: str | None
    sha256: str
    size: int
    wrapped: bool | None  # True: lines cut at the page width (PDF); None: let the parser judge


def read_source(
    source: str | Path, *, max_bytes: int = int(DEFAULT_MAX_MB * MB), stdin: BinaryIO | None = None
) -> tuple[str, bytes]:
    """The bytes of a file (``-``: standard input), refusing over-size files before reading."""
    limit_mb = max_bytes / MB
    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(
                _(
                    "{name}: more than {limit_mb:g} MB, over the limit for guidance documents; "
                    "split the document or raise [ingest] max_file_mb",
                    name="<stdin>",
                    limit_mb=limit_mb,
                )
            )
        return "<stdin>", data
    path = Path(source)
    name = str(source)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(
                _(
                    "{name}: is a folder, not a document; give a .txt, .md, .docx or .pdf file",
                    name=name,
                )
            )
        if size > max_bytes:
            raise InputError(
                _(
                    "{name}: {size_mb:.1f} MB is over the {limit_mb:g} MB limit for guidance "
                    "documents; split the document or raise [ingest] max_file_mb",
                    name=name,
                    size_mb=size / MB,
                    limit_mb=limit_mb,
                )
            )
        return name, path.read_bytes()
    except FileNotFoundError:
        raise InputError(_("{name}: no such file; check the path", name=name)) from None
    except PermissionError:
        raise InputError(
            _("{name}: permission denied; check the file's permissions", name=name)
        ) from None
    except OSError as exc:
        raise InputError(
            _("{name}: cannot read ({reason})", name=name, reason=exc.strerror or str(exc))
        ) from exc


def extract_file(
    source: str | Path,
    *,
    max_mb: float = DEFAULT_MAX_MB,
    limits: IntakeLimits | None = None,
    progress: Progress = no_progress,
) -> ExtractedText:
    """Read and extract one file (``-``: standard input)."""
    name, data = read_source(source, max_bytes=int(max_mb * MB))
    progress("read", len(data), len(data))
    return extract_bytes(data, name, limits=limits)


def extract_bytes(data: bytes, name: str, *, limits: IntakeLimits | None = None) -> ExtractedText:
    """Extract the text of a document given as bytes; ``name`` is used in messages and for
    the format when the bytes do not tell (``.md``). Archives and PDFs are read within
    ``limits`` (the defaults when not given)."""
    limits = limits or IntakeLimits()
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(_("{name}: the file is empty; nothing to import", name=name))
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        text = _pdf_text(data, name, limits)
        return ExtractedText(name, text, "pdf", None, sha, len(data), True)
    if data.startswith(b"PK\x03\x04"):
        text = _docx_text(data, name, limits)
        return ExtractedText(name, text, "docx", None, sha, len(data), False)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            _(
                "{name}: an old Word .doc file; open it in Word or LibreOffice and save it as "
                ".docx (or run: libreoffice --headless --convert-to docx FILE)",
                name=name,
            )
        )
    if data.startswith(b"{\\rtf"):
        raise InputError(
            _("{name}: an RTF file; save it as .docx or plain text (UTF-8) first", name=name)
        )
    decoded = decode_bytes(data)
    if decoded is None:
        raise InputError(
            _(
                "{name}: binary data, not a text, .docx or PDF document; "
                "give the guidance as .txt, .md, .docx or a PDF with a text layer",
                name=name,
            )
        )
    is_markdown = name.lower().endswith((".md", ".markdown"))
    text = clean_characters(strip_markdown(decoded.text))
    if not text.strip():
        raise InputError(_("{name}: the file holds no text; nothing to import", name=name))
    return ExtractedText(
        name, text, "markdown" if is_markdown else "text", decoded.encoding, sha, len(data), None
    )


# --- PDF --------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:Trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[-–\s]*$", re.IGNORECASE)
_COLUMN_GAP = re.compile(r"\S( {6,})\S")


_PDF_REMEDY = _("export it again as PDF")


@contextmanager
def _pypdf_limits(max_bytes: int) -> Iterator[None]:
    """pypdf's own decompression bounds (75 MB a stream by default) set to ours, for this
    read only (pypdf ≥ 6 keeps them in a context variable)."""
    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:  # pragma: no cover - older pypdf: its fixed bounds apply
        yield
        return
    bound = max_bytes + 1
    with apply(
        zlib_maximum_output_length=bound,
        lzw_maximum_output_length=bound,
        run_length_maximum_output_length=bound,
        brotli_maximum_output_length=bound,
        array_based_stream_maximum_output_length=bound,
    ):
        yield


def _flate_size(raw: bytes, limit: int) -> int:
    """What a /FlateDecode stream inflates to, counted a megabyte at a time and never held
    (stops counting past ``limit``)."""
    inflater = zlib.decompressobj()
    total = 0
    data = raw
    while not inflater.eof:
        try:
            chunk = inflater.decompress(data, _CHUNK)
        except zlib.error:
            break  # damaged: pypdf decides what it can still read
        total += len(chunk)
        if total > limit:
            break
        data = inflater.unconsumed_tail
        if not chunk and not data:
            break
    return total


def _content_bytes(page: Any, limit: int) -> int:
    """How many bytes a page's content streams unpack to. Deflated streams are measured
    before pypdf unpacks them (pypdf holds what it unpacks: a 300 MB stream would take 300 MB
    of memory to refuse); pypdf's own bound, set to the same limit, covers other filters."""
    streams = page.get("/Contents")
    streams = streams.get_object() if streams is not None else None
    if streams is None:
        return 0
    measured = 0
    for ref in streams if isinstance(streams, list) else [streams]:
        stream = ref.get_object()
        raw = getattr(stream, "_data", None)
        filters = stream.get("/Filter")
        filters = filters if isinstance(filters, list) else [filters]
        if isinstance(raw, bytes) and filters == ["/FlateDecode"]:
            measured += _flate_size(raw, limit - measured)
            if measured > limit:
                return measured
    contents = page.get_contents()
    return max(measured, len(contents.get_data())) if contents is not None else measured


def _pdf_text(data: bytes, name: str, limits: IntakeLimits) -> str:
    try:
        import pypdf
        from pypdf.errors import LimitReachedError, PyPdfError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError(_("{name}: reading PDF needs the 'pypdf' package", name=name)) from exc
    budget = limits.max_unpacked_bytes
    limit_mb = f"{limits.max_unpacked_mb:g} MB"
    too_big = _pdf_too_big(name, limit_mb)
    number = 0
    try:
        with _pypdf_limits(budget):
            reader = pypdf.PdfReader(io.BytesIO(data))
            _check_pdf_reader(reader, name, limits)
            pages: list[str] = []
            images = 0
            unpacked = 0
            for number, page in enumerate(reader.pages, start=1):
                unpacked += _content_bytes(page, budget - unpacked)
                if unpacked > budget:
                    raise InputError(too_big(number))
                pages.append(_page_text(page))
                images += _count_images(page)
    except InputError:
        raise
    except LimitReachedError as exc:  # pypdf's own bounds, ours among them
        # pypdf's words are all that tells its bounds apart (it has one exception for them)
        if "decompress" in str(exc).lower() or "output" in str(exc).lower():
            raise InputError(too_big(number)) from exc
        raise InputError(
            _(
                "{name}: the PDF is over a safety bound of the PDF reader ({reason}); {advice}",
                name=name,
                reason=str(exc),
                advice=hostile(_PDF_REMEDY, "max_unpacked_mb"),
            )
        ) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError, ZeroDivisionError) as exc:  # fmt: skip
        raise _unreadable(N_("{name}: not a readable PDF ({error}: {reason})"), name, exc) from exc
    _check_text_layer(name, pages, images)
    cleaned = clean_characters(f"\n{PAGE_BREAK}\n".join(pages))
    return cleaned


def _unreadable(message: str, name: str, exc: BaseException) -> InputError:
    """The refusal of a file its reading library failed on: ``message`` is a message id (marked
    with ``N_``) given the file's ``name``, the library's ``error`` (its class) and ``reason``."""
    return InputError(Msg(message, {"name": name, "error": type(exc).__name__, "reason": str(exc)}))


def _check_pdf_reader(reader: Any, name: str, limits: IntakeLimits) -> None:
    """Refuse a PDF that is locked or has far more pages than a guidance document."""
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError(
            _("{name}: the PDF is password-protected; ask for an unprotected copy", name=name)
        )
    count = len(reader.pages)
    if count > limits.max_pdf_pages:
        raise InputError(
            _(
                "{name}: the PDF has {count:,} pages, over the limit of {limit:,}; "
                "split it into parts, or raise [ingest] max_pdf_pages",
                name=name,
                count=count,
                limit=limits.max_pdf_pages,
            )
        )


def _check_text_layer(name: str, pages: list[str], images: int) -> None:
    """Refuse a PDF without text to read: no pages, or pages that are pictures (no OCR)."""
    if not pages:
        raise InputError(_("{name}: the PDF has no pages; nothing to import", name=name))
    chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if chars < 20 * len(pages):
        raise InputError(
            _n(
                "{name}: the PDF is a scanned document (page images, {chars} characters of text "
                "in {n} page); broadcaster does not do OCR: ask the sender for the .docx or a "
                "PDF exported from Word",
                "{name}: the PDF is a scanned document (page images, {chars} characters of text "
                "in {n} pages); broadcaster does not do OCR: ask the sender for the .docx or a "
                "PDF exported from Word",
                len(pages),
                name=name,
                chars=chars,
            )
            if images
            else _n(
                "{name}: the PDF has no text (no text layer, {chars} characters of text in {n} "
                "page); broadcaster does not do OCR: ask the sender for the .docx or a PDF "
                "exported from Word",
                "{name}: the PDF has no text (no text layer, {chars} characters of text in {n} "
                "pages); broadcaster does not do OCR: ask the sender for the .docx or a PDF "
                "exported from Word",
                len(pages),
                name=name,
                chars=chars,
            )
        )


def _pdf_too_big(name: str, limit_mb: str) -> Callable[[int], Msg]:
    """The refusal of a PDF that unpacks to more than ``limit_mb``, by page ``number`` (0: before
    the pages were counted)."""

    def refusal(number: int) -> Msg:
        advice = hostile(_PDF_REMEDY, "max_unpacked_mb")
        if number:
            return _(
                "{name}: the PDF unpacks to more than {limit} by page {page}, over the {limit} "
                "limit; {advice}",
                name=name,
                limit=limit_mb,
                page=number,
                advice=advice,
            )
        return _(
            "{name}: the PDF unpacks to more than {limit}, over the {limit} limit; {advice}",
            name=name,
            limit=limit_mb,
            advice=advice,
        )

    return refusal


def _page_text(page: Any) -> str:
    from pypdf.errors import LimitReachedError

    try:
        text = page.extract_text(extraction_mode="layout")
    except LimitReachedError:  # a bound, not an odd font: plain mode would hit it again
        raise
    except Exception:  # layout mode fails on some odd fonts where plain mode still works
        try:
            text = page.extract_text() or ""
        except LimitReachedError:
            raise
        except Exception as exc:  # pypdf raises many kinds on damaged pages
            # shown as the reason of "not a readable PDF"
            raise ValueError(_("page text cannot be read: {reason}", reason=str(exc))) from exc
    lines: list[str] = []
    for line in (text or "").split("\n"):
        # two columns side by side (issuing body | national motto): give each its own line
        line = _COLUMN_GAP.sub(lambda m: m.group(0)[0] + "\n" + m.group(0)[-1], line)
        lines.extend(part.strip() for part in line.split("\n"))
    # running page numbers at the top or bottom of the page are not content
    while lines and (not lines[0] or _PAGE_NUMBER.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1] or _PAGE_NUMBER.match(lines[-1])):
        lines.pop()
    return "\n".join(lines)


def _count_images(page: Any) -> int:
    try:
        return len(page.images)
    except Exception:
        return 0


# --- DOCX -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_DOCX_REMEDY = _("save it again from Word")
#: "<w:tbl>" opens a table ("<w:tblPr>", "<w:tblGrid>" do not), "</w:tbl>" closes one
_TABLE_TAG = re.compile(rb"<w:tbl[\s>]|</w:tbl>")
_CHUNK = 1024 * 1024


def _is_xml(part: str) -> bool:
    return part.endswith((".xml", ".rels"))


def _check_docx_archive(zf: zipfile.ZipFile, name: str, limits: IntakeLimits) -> None:
    """Refuse an archive that would unpack to too much, before python-docx opens it: first by
    what its central directory says, then by the bytes it really unpacks to (a directory may
    lie), counting how deep its tables nest on the way."""
    infos = zf.infolist()
    _check_docx_directory(infos, name, limits)
    _check_docx_unpacked(zf, infos, name, limits)


def _check_docx_directory(infos: list[zipfile.ZipInfo], name: str, limits: IntakeLimits) -> None:
    """Refuse an archive by what its central directory says it holds."""
    if len(infos) > limits.max_docx_parts:
        raise InputError(
            _(
                "{name}: the .docx holds {count:,} parts, over the limit of {limit:,}; {advice}",
                name=name,
                count=len(infos),
                limit=limits.max_docx_parts,
                advice=hostile(_DOCX_REMEDY, "max_docx_parts"),
            )
        )
    limit_mb = f"{limits.max_unpacked_mb:g} MB"
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unpacked_bytes:
        raise InputError(
            _(
                "{name}: the .docx unpacks to {size}, over the {limit} limit; {advice}",
                name=name,
                size=size_text(declared),
                limit=limit_mb,
                advice=hostile(_DOCX_REMEDY, "max_unpacked_mb"),
            )
        )
    # python-docx holds every XML part as a tree, about 25 bytes of memory per byte of XML
    xml = sum(i.file_size for i in infos if _is_xml(i.filename))
    if xml > limits.max_docx_xml_bytes:
        raise InputError(
            _(
                "{name}: the .docx holds {size} of XML, over the {limit_mb:g} MB limit; {advice}",
                name=name,
                size=size_text(xml),
                limit_mb=limits.max_docx_xml_mb,
                advice=hostile(_DOCX_REMEDY, "max_docx_xml_mb"),
            )
        )
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_MIN_BYTES and ratio > limits.max_unpack_ratio:
            raise InputError(
                _(
                    "{name}: the .docx part {part} unpacks to {size} from {packed} ({ratio:.0f} "
                    "times), over the limit of {limit:g} times; {advice}",
                    name=name,
                    part=info.filename,
                    size=size_text(info.file_size),
                    packed=size_text(info.compress_size),
                    ratio=ratio,
                    limit=limits.max_unpack_ratio,
                    advice=hostile(_DOCX_REMEDY, "max_unpack_ratio"),
                )
            )


def _check_docx_unpacked(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: IntakeLimits
) -> None:
    """Refuse an archive by the bytes it really unpacks to, and by how deep its tables nest."""
    budget = limits.max_unpacked_bytes
    limit_mb = f"{limits.max_unpacked_mb:g} MB"
    unpacked = 0
    for info in infos:
        depth = deepest = 0
        tail = b""
        part = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    part += len(chunk)
                    unpacked += len(chunk)
                    if part > info.file_size:
                        raise zipfile.BadZipFile("more bytes than its directory states")
                    if unpacked > budget:
                        raise InputError(
                            _(
                                "{name}: the .docx unpacks to more than {limit}, over the "
                                "{limit} limit; {advice}",
                                name=name,
                                limit=limit_mb,
                                advice=hostile(_DOCX_REMEDY, "max_unpacked_mb"),
                            )
                        )
                    if info.filename != "word/document.xml":
                        continue
                    window = tail + chunk
                    for m in _TABLE_TAG.finditer(window):
                        if m.end() <= len(tail):
                            continue  # counted with the previous chunk
                        depth += -1 if m.group().startswith(b"</") else 1
                        deepest = max(deepest, depth)
                    tail = window[-16:]
        except InputError:
            raise
        except RuntimeError as exc:  # zipfile: "File … is encrypted, password required"
            raise InputError(
                _(
                    "{name}: the .docx is password-protected; ask for an unprotected copy",
                    name=name,
                )
            ) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise InputError(
                _(
                    "{name}: the .docx is damaged (part {part}: {reason}); {remedy}",
                    name=name,
                    part=info.filename,
                    reason=str(exc),
                    remedy=_DOCX_REMEDY,
                )
            ) from exc
        if deepest > limits.max_depth:
            raise InputError(
                _(
                    "{name}: the .docx nests tables {depth:,} deep, over the limit of {limit}; "
                    "{advice}",
                    name=name,
                    depth=deepest,
                    limit=limits.max_depth,
                    advice=hostile(_DOCX_REMEDY, "max_depth"),
                )
            )


def _docx_text(data: bytes, name: str, limits: IntakeLimits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                _check_docx_archive(zf, name, limits)
    except zipfile.BadZipFile as exc:
        raise InputError(
            _(
                "{name}: a damaged ZIP/.docx file ({reason}); save the document again",
                name=name,
                reason=str(exc),
            )
        ) from exc
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            refusal = _(
                "{name}: a spreadsheet (.xlsx), not a Word document; save the guidance as "
                ".docx or PDF",
                name=name,
            )
        elif "content.xml" in names:
            refusal = _(
                "{name}: an OpenDocument file, not a Word document; save the guidance as "
                ".docx or PDF",
                name=name,
            )
        else:
            refusal = _(
                "{name}: a ZIP archive, not a Word document; save the guidance as .docx or PDF",
                name=name,
            )
        raise InputError(refusal)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                blocks.append(numbering.label(block) + block.text)
            elif isinstance(block, Table):
                blocks.extend(_table_lines(block, numbering))
    except InputError:
        raise
    except Exception as exc:
        if "depth" in str(exc).lower():  # libxml2 stops at 256 levels of XML
            raise InputError(
                _(
                    "{name}: the .docx nests its content more than 256 levels deep; {advice}",
                    name=name,
                    advice=hostile(_DOCX_REMEDY, "max_depth"),
                )
            ) from exc
        raise _unreadable(
            N_("{name}: not a readable .docx ({error}: {reason})"), name, exc
        ) from exc
    text = clean_characters("\n\n".join(blocks))
    if not text.strip():
        raise InputError(_("{name}: the .docx holds no text; nothing to import", name=name))
    # legacy-font documents (.VnTime, VNI-Times) keep their codes inside Unicode text
    from .encodings import repair_legacy

    return clean_characters(repair_legacy(text).text)


def _table_lines(table: Any, numbering: _Numbering) -> list[str]:
    """Tables in guidance are either the two-column header (issuing body | motto) or a list of
    topics (STT | Nội dung | …): a numbered row becomes a numbered line. (How deep tables
    nest was bounded before the document was opened.)"""
    lines: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            parts = [numbering.label(p) + p.text for p in cell.paragraphs]
            for inner in cell.tables:
                parts.extend(_table_lines(inner, numbering))
            cells.append("\n".join(parts).strip())
        cells = [c for c in cells if c]
        if not cells:
            continue
        first = cells[0].rstrip(".")
        if len(cells) > 1 and (first.isdigit() or first in ("I", "II", "III", "IV", "V", "VI")):
            lines.append(f"{first}. " + " – ".join(c.replace("\n", " ") for c in cells[1:]))
        else:
            lines.extend(cells)
    return lines


class _Numbering:
    """Word's automatic list numbers are not in the paragraph text: rebuild them."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numbering: dict[str | None, Any] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[ilvl] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[an.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                self.formats[(num.get(f"{_W}numId", ""), ilvl)] = spec

    def _num_pr(self, paragraph: Any) -> Any:
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        # "List Number" numbers through its style; python-docx finds a paragraph's style by
        # scanning every style of the document, so each style's answer is kept
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        if style_id not in self.style_numbering:
            self.style_numbering[style_id] = self._style_num_pr(paragraph)
        return self.style_numbering[style_id]

    @staticmethod
    def _style_num_pr(paragraph: Any) -> Any:
        try:
            style = paragraph.style
        except (KeyError, ValueError, AttributeError):
            return None
        while style is not None:
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                return sppr.numPr
            style = style.base_style
        return None

    def label(self, paragraph: Any) -> str:
        if not self.formats:
            return ""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.numId, num_pr.ilvl
        if num_id_el is None:
            return ""
        num_id = str(num_id_el.val)
        ilvl = int(ilvl_el.val) if ilvl_el is not None else 0
        if not 0 <= ilvl < 9:  # Word numbers nine levels; anything else is not a list level
            return ""
        spec = self.formats.get((num_id, ilvl))
        if spec is None:
            return ""
        fmt, template, start = spec
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        out = template
        for level in range(ilvl + 1):
            lvl_fmt = self.formats.get((num_id, level), ("decimal", "", 1))[0]
            out = out.replace(f"%{level + 1}", _format_number(counters[level] or 1, lvl_fmt))
        return out + " " if out else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = "abcdđeghiklmnopqrstuvxy"[(n - 1) % 23]
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("upperRoman", "lowerRoman"):
        vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out, rest = "", n
        for v, s in vals:
            while rest >= v:
                out, rest = out + s, rest - v
        return out if fmt == "upperRoman" else out.lower()
    return str(n)
