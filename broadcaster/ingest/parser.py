"""Guidance text → directives and items.

Vietnamese administrative documents follow one layout (Decree 30/2020/NĐ-CP): issuing body and
national motto, number (số hiệu), place and date, type and subject (or "V/v …"), addressees
(Kính gửi), an opening citing what the document implements, numbered parts (I., 1., 1.1., a),
dash bullets), then recipients (Nơi nhận) and the signature. The parser reads that layout, not
any one file: fields are found by their shape wherever they sit in the header, numbering is
accepted only when it continues a sequence, and a file holding two documents (a cover letter and
the plan it forwards) is split where the second header begins.

Pure: text in, values out.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field, replace

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import (
    Directive,
    DocumentRef,
    Item,
    ItemKind,
    Observance,
    PartialDate,
    Period,
)
from broadcaster.domain.messages import _

from .limits import DEFAULT_MAX_DEPTH, Progress, no_progress
from .numbering import Node, build_tree
from .refs import (
    RE_REF,
    TYPE_CODES,
    clean_phrase,
    find_observances,
    find_period,
    find_refs,
    find_slogans,
    find_theme,
    first_ref_from,
    normalize_number,
    type_from_number,
)
from .text import (
    RE_ADDRESSEE_LINE,
    RE_AGENCY_LINE,
    RE_MOTTO,
    RE_NUMBER_LINE,
    RE_PLACE_DATE,
    RE_RECIPIENTS_LINE,
    RE_SIGNER_PREFIX,
    RE_SUBJECT_LINE,
    is_upper_line,
    marker_of,
    to_paragraphs,
)


@dataclass(frozen=True)
class ParsedDocument:
    """One document found in a file: its header as a Directive and its numbered parts as Items
    (ids, scripts and provenance are filled in later)."""

    directive: Directive
    items: tuple[Item, ...]

    @property
    def propaganda(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind is ItemKind.PROPAGANDA)


# --- vocabulary -------------------------------------------------------------------------------

TYPE_TITLES = {
    "KẾ HOẠCH": "Kế hoạch", "HƯỚNG DẪN": "Hướng dẫn", "THÔNG BÁO": "Thông báo",
    "CÔNG VĂN": "Công văn", "CHƯƠNG TRÌNH": "Chương trình", "BÁO CÁO": "Báo cáo",
    "QUYẾT ĐỊNH": "Quyết định", "CHỈ THỊ": "Chỉ thị", "CÔNG ĐIỆN": "Công điện",
    "ĐỀ CƯƠNG": "Đề cương", "NGHỊ QUYẾT": "Nghị quyết", "THÔNG TRI": "Thông tri",
    "TỜ TRÌNH": "Tờ trình", "ĐỀ ÁN": "Đề án", "KẾT LUẬN": "Kết luận",
}  # fmt: skip
_BODY_START = re.compile(
    r"^(?:Căn cứ|Thực hiện|Triển khai|Để|Nhằm|Theo|Trong|Hiện nay|Qua|Nhân dịp|Hưởng ứng|Tiếp tục|"
    r"Ngày \d|Vừa qua|Thời gian qua|Trên cơ sở)\b"
)
_ROLE_LINE = re.compile(
    r"^(?:KT|TM|TL|TUQ|Q|PP)?\.?\s*(?:PHÓ\s+)?(?:GIÁM ĐỐC|CHỦ TỊCH|TRƯỞNG|BÍ THƯ|CHÁNH|"
    r"GIÁM ĐỐC SỞ|PHÓ GIÁM ĐỐC|TRƯỞNG PHÒNG|TRƯỞNG BAN|CỤC TRƯỞNG)\b"
)
_AGENCY_NOUN = RE_AGENCY_LINE
_ISSUER_IN_TEXT = re.compile(
    r"(?:^|[,;.]\s*)((?:Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Ban|Phòng|Trung tâm|Đài|Cục|Bộ)"
    r"\s[^,.;:()“”\"]{2,80}?)\s+(?:đề nghị|xây dựng|ban hành|hướng dẫn|thông báo|triển khai|yêu cầu|"
    r"có ý kiến|nhận được|trân trọng)"
)
_ISSUER_ABBREVIATIONS = {
    "STTTT": "Sở Thông tin và Truyền thông",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SVHTT": "Sở Văn hóa và Thể thao",
    "SYT": "Sở Y tế",
    "UBND": "Ủy ban nhân dân",
    "BTGTU": "Ban Tuyên giáo Tỉnh ủy",
    "VHTT": "Phòng Văn hóa và Thông tin",
    "VHXH": "Phòng Văn hóa - Xã hội",
}
_PROPER_NAMES = {
    "thông tin và truyền thông": "Thông tin và Truyền thông",
    "văn hóa, thể thao và du lịch": "Văn hóa, Thể thao và Du lịch",
    "văn hoá, thể thao và du lịch": "Văn hóa, Thể thao và Du lịch",
    "văn hóa và thể thao": "Văn hóa và Thể thao",
    "văn hóa và thông tin": "Văn hóa và Thông tin",
    "văn hóa - xã hội": "Văn hóa - Xã hội",
    "văn hóa, khoa học và thông tin": "Văn hóa, Khoa học và Thông tin",
    "y tế": "Y tế",
    "giáo dục và đào tạo": "Giáo dục và Đào tạo",
    "tài nguyên và môi trường": "Tài nguyên và Môi trường",
    "nông nghiệp và môi trường": "Nông nghiệp và Môi trường",
    "nông nghiệp và phát triển nông thôn": "Nông nghiệp và Phát triển nông thôn",
    "lao động - thương binh và xã hội": "Lao động - Thương binh và Xã hội",
    "kế hoạch và đầu tư": "Kế hoạch và Đầu tư",
    "tài chính": "Tài chính",
    "nội vụ": "Nội vụ",
    "tư pháp": "Tư pháp",
    "công thương": "Công Thương",
    "khoa học và công nghệ": "Khoa học và Công nghệ",
    "tuyên giáo": "Tuyên giáo",
    "chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn": "Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn",
}
_ISSUER_MAX = 300
_PLACE_WORDS = re.compile(
    r"\b(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)\s+(?!(?:ủy|uỷ|đoàn)\b)([^\s,]+(?:\s+[^\s,]+)*)$"
)

_ADMIN_LABEL = re.compile(
    r"^(?:mục đích|yêu cầu|kinh phí|tổ chức thực hiện|phương thức|hình thức|thời gian|tiến độ|"
    r"trách nhiệm|nhiệm vụ|phân công|chế độ báo cáo|báo cáo|đối tượng|phạm vi|giải pháp|"
    r"các cơ quan|cơ quan|đơn vị|các đơn vị|khen thưởng|điều khoản|hiệu lực|kiến nghị|đề xuất|"
    r"tổ chức|chỉ tiêu|lực lượng|phương tiện)\b",
    re.IGNORECASE,
)
_CONTENT_LABEL = re.compile(
    r"^(?:các\s+|một số\s+)?(?:nội dung|chủ đề|khẩu hiệu|thông điệp|trọng tâm|định hướng)\b",
    re.IGNORECASE,
)
_SLOGAN_LABEL = re.compile(r"^(?:các\s+|một số\s+)?khẩu hiệu\b", re.IGNORECASE)
_PROPAGANDA_START = re.compile(
    r"^(?:tiếp tục\s+|tăng cường\s+|đẩy mạnh\s+|tập trung\s+)?(?:tuyên truyền|truyền thông|thông tin|"
    r"phổ biến|vận động|hưởng ứng|giới thiệu|kỷ niệm|cổ động|phòng,?\s*chống|khuyến cáo|"
    r"nâng cao nhận thức|cảnh báo)\b",
    re.IGNORECASE,
)
_AGENCY_START = re.compile(
    r"^(?:các\s+)?(?:sở|phòng|ban|trung tâm|ủy ban|uỷ ban|ubnd|đài|báo|hội|công an|bộ chỉ huy|"
    r"ban chỉ huy|đoàn|liên đoàn|mặt trận|cơ quan|đơn vị|thủ trưởng|chủ tịch|giám đốc|trạm|"
    r"văn phòng|thanh tra|chi cục|cục|bộ|tỉnh đoàn|huyện đoàn|ngành|địa phương|xã|phường|"
    r"ubmttq|đề nghị|giao|yêu cầu)\b",
    re.IGNORECASE,
)
_ADMIN_TEXT = re.compile(
    r"kinh phí|chế độ báo cáo|báo cáo (?:kết quả|về)|gửi báo cáo|trước ngày \d|dự toán",
    re.IGNORECASE,
)
_CLOSING_START = re.compile(
    r"^(?:Trên đây là|Trong quá trình (?:tổ chức )?(?:triển khai )?thực hiện)", re.IGNORECASE
)
_CLOSING_PLEASE = re.compile(r"đề nghị", re.IGNORECASE)
_CLOSING_REFERS = re.compile(
    r"các nội dung trên|nội dung nêu trên|kế hoạch này|hướng dẫn này|công văn này|"
    r"văn bản này|thông báo này",
    re.IGNORECASE,
)


def _is_closing(text: str) -> bool:
    """Closing formulas ("Đề nghị các đơn vị … thực hiện tốt Kế hoạch này./.") are not topics:
    "đề nghị" and, later on the same line, words pointing back at this document."""
    if _CLOSING_START.match(text):
        return True
    for line in text.split("\n"):
        # the first "đề nghị" has the most line after it: one search from there is enough
        please = _CLOSING_PLEASE.search(line)
        if please and _CLOSING_REFERS.search(line, please.end()):
            return True
    return False


_BASIS_PAREN = re.compile(
    r"\s*\((?:theo|thực hiện|căn cứ|kèm theo|triển khai)\b[^()]*(?:\([^()]*\)[^()]*)*\)\s*$",
    re.IGNORECASE,
)
_BASIS_CUE = re.compile(
    r"(?:theo|căn cứ|thực hiện|triển khai|quy định tại|tại)\s+(?:đúng\s+)?$", re.IGNORECASE
)


# --- entry point ------------------------------------------------------------------------------


def parse_text(
    text: str,
    *,
    name: str = "<text>",
    wrapped: bool | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    progress: Progress = no_progress,
) -> list[ParsedDocument]:
    """Parse a guidance text into its documents; raises InputError when no topic is found,
    or when its numbering nests deeper than ``max_depth`` levels."""
    paragraphs = to_paragraphs(text, wrapped, progress)
    if not paragraphs:
        raise InputError(_("{name}: the file holds no text; nothing to import", name=name))
    context = _Context(name, max_depth, progress)
    documents = [
        doc
        for i, chunk in enumerate(split_documents(paragraphs))
        if (doc := _parse_one(chunk, i, context))
    ]
    documents = [
        replace(d, directive=replace(d.directive, part=i)) for i, d in enumerate(documents)
    ]
    if not any(d.items for d in documents):
        raise InputError(
            _(
                "{name}: no numbered topics found (looked for '1.', 'I.', '1.1.', 'a)' and '-' "
                "items after the document header); check that this is a guidance document with "
                "its topics numbered",
                name=name,
            )
        )
    return documents


@dataclass(frozen=True)
class _Context:
    """What parsing one file carries along: its name for messages, its bounds, progress."""

    name: str
    max_depth: int
    progress: Progress


# --- splitting a file into documents ----------------------------------------------------------


def split_documents(paragraphs: list[str]) -> list[list[str]]:
    """Split where a new header (number line or national motto) follows a closed document."""
    ends = [
        i
        for i, p in enumerate(paragraphs)
        if RE_RECIPIENTS_LINE.match(p) or RE_SIGNER_PREFIX.match(p)
    ]
    anchors = [i for i, p in enumerate(paragraphs) if RE_NUMBER_LINE.match(p) or RE_MOTTO.match(p)]
    starts = [0]
    bodies: dict[tuple[int, int], bool] = {}  # (start, first end): numbered parts between?
    for a in anchors:
        # the ends after the current document's start and before this anchor, by bisection:
        # a file of many short documents has as many anchors as ends
        first = bisect.bisect_right(ends, starts[-1])
        last = bisect.bisect_left(ends, a) - 1
        if first > last:
            continue
        span = (starts[-1], ends[first])
        if span not in bodies:
            bodies[span] = any(
                (mk := marker_of(p)) is not None and mk[0] != "bullet"
                for p in paragraphs[span[0] : span[1]]
            )
        if not bodies[span]:
            continue
        closed_last = ends[last]
        start = a
        while (
            start - 1 > closed_last
            and is_upper_line(paragraphs[start - 1])
            and not RE_SIGNER_PREFIX.match(paragraphs[start - 1])
            and not _ROLE_LINE.match(paragraphs[start - 1])
            and not RE_MOTTO.match(paragraphs[start - 1])
        ):
            start -= 1
        # the motto line right before the anchor belongs to the new header too
        while start - 1 > closed_last and RE_MOTTO.match(paragraphs[start - 1]):
            start -= 1
        starts.append(start)
    starts.append(len(paragraphs))
    return [paragraphs[a:b] for a, b in itertools.pairwise(starts) if b > a]


# --- one document -----------------------------------------------------------------------------


@dataclass
class _Header:
    number: str | None = None
    doc_type: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    place: str | None = None
    date: PartialDate | None = None
    subject: str | None = None
    addressees: list[str] = field(default_factory=list)
    has_subject_line: bool = False


def _read_header(paragraphs: list[str]) -> tuple[_Header, int]:
    """The header fields and the index of the first body paragraph."""
    h = _Header()
    i = 0
    expect_subject = False
    seen_field = False
    limit = min(len(paragraphs), 40)
    while i < limit:
        p = paragraphs[i]
        mk = marker_of(p)
        if RE_MOTTO.match(p):
            seen_field = True
        elif (m := RE_NUMBER_LINE.match(p)) and h.number is None:
            h.number = normalize_number(m.group("num"))
            seen_field = True
            rest = p[m.end() :].strip()
            if rest and RE_SUBJECT_LINE.match(rest):
                h.subject = clean_phrase(RE_SUBJECT_LINE.match(rest).group("rest"))  # type: ignore[union-attr]
                h.has_subject_line = True
        elif (m := RE_PLACE_DATE.match(p)) and h.date is None:
            h.place = clean_phrase(m.group("place"))
            h.date = PartialDate(
                int(m.group("year")),
                int(m.group("month")) if m.group("month") else None,
                int(m.group("day")) if m.group("day") else None,
            )
            if h.date.month is not None and not 1 <= h.date.month <= 12:
                h.date = PartialDate(h.date.year)
            seen_field = True
        elif m := RE_SUBJECT_LINE.match(p):
            h.subject = clean_phrase(m.group("rest"))
            h.has_subject_line = True
            seen_field = True
        elif m := RE_ADDRESSEE_LINE.match(p):
            seen_field = True
            inline = m.group("rest").strip()
            if inline:
                h.addressees.extend(_split_addressees(inline))
            while (
                i + 1 < len(paragraphs)
                and (mk2 := marker_of(paragraphs[i + 1]))
                and mk2[0] == "bullet"
            ):
                i += 1
                h.addressees.append(_clean_addressee(mk2[2]))
        elif is_upper_line(p) and (mk is None or mk[0] == "bullet") and not _ROLE_LINE.match(p):
            title = p.strip(" .:")
            if title in TYPE_TITLES:
                h.doc_type = TYPE_TITLES[title]
                expect_subject = True
            elif expect_subject and h.subject is None:
                h.subject = clean_phrase(p)
                expect_subject = False
            elif not h.addressees and (
                (h.number is None and h.date is None and h.subject is None)
                or (not h.issuer_lines and h.doc_type is None)
            ):
                # the issuing body comes first, or after the number when a table is read
                # column by column
                h.issuer_lines.append(p)
            else:
                break
            seen_field = True
            i += 1
            continue
        elif (
            expect_subject
            and h.subject is None
            and mk is None
            and not _BODY_START.match(p)
            and len(p) < 400
        ):
            h.subject = clean_phrase(p)
            expect_subject = False
        else:
            break
        i += 1
    if not seen_field:
        return _Header(), 0
    return h, i


def _split_addressees(text: str) -> list[str]:
    parts = [p for p in re.split(r";\s*|\s+-\s+(?=[A-ZĐ])", text) if p.strip()]
    return [_clean_addressee(p) for p in parts]


def _clean_addressee(text: str) -> str:
    return text.strip().strip(";,.").strip()


def _smart_case(upper: str) -> str:
    """'ỦY BAN NHÂN DÂN THỊ XÃ DUYÊN HẢI' → 'Ủy ban nhân dân thị xã Duyên Hải'."""
    text = re.sub(r"\s+", " ", upper).strip().lower()
    for plain, proper in _PROPER_NAMES.items():
        text = text.replace(plain, proper)
    m = _PLACE_WORDS.search(text)
    if m:
        place = " ".join(w[:1].upper() + w[1:] for w in m.group(2).split())
        text = text[: m.start(2)] + place
    text = re.sub(r"\bubnd\b", "UBND", text)
    return text[:1].upper() + text[1:]


def _issuer(h: _Header, preamble: list[str], number: str | None) -> str | None:
    lines = [ln for ln in h.issuer_lines if not RE_MOTTO.match(ln)]
    if lines:
        # "UBND TỈNH X / SỞ Y": the issuing body is the last agency named
        start = max((i for i, ln in enumerate(lines) if _AGENCY_NOUN.match(ln)), default=0)
        # an issuing body is a few words: a capitalised block of a damaged file is not one
        return _smart_case(" ".join(lines[start:])[:_ISSUER_MAX])
    for p in preamble:
        m = _ISSUER_IN_TEXT.search(p)
        if m:
            return clean_phrase(m.group(1))
    if number and "/" in number:
        for code in re.split(r"[-/]", number.split("/", 1)[1]):
            if code in _ISSUER_ABBREVIATIONS:
                return _ISSUER_ABBREVIATIONS[code]
    return None


def _signer(tail: list[str]) -> str | None:
    for p in reversed(tail):
        words = p.split()
        if (
            marker_of(p) is None
            and 2 <= len(words) <= 5
            and all(
                w.isalpha() and w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in words
            )
        ):
            return p.strip()
    return None


def _first_item_index(body: list[str]) -> int:
    """Where the numbered parts begin: the opening before it is the preamble."""
    for i, p in enumerate(body):
        mk = marker_of(p)
        if mk and mk[0] != "bullet" and mk[1] in ("1", "I", "a"):
            return i
    for i, p in enumerate(body):
        mk = marker_of(p)
        if mk and mk[0] == "bullet":
            return i
    return len(body)


def _strip_closing(body: list[str]) -> list[str]:
    body = list(body)
    for _attempt in range(2):
        if not body:
            break
        last = body[-1]
        if marker_of(last) is not None:
            break
        if last.rstrip().endswith(("./.", "/.", "./")) or _is_closing(last):
            body.pop()
        else:
            break
    return body


# --- items ------------------------------------------------------------------------------------


@dataclass
class _Leaf:
    node: Node
    path: str
    text_lines: list[str]
    slogans_from_children: list[str] = field(default_factory=list)


def _label_kind(heading: str) -> ItemKind | None:
    h = heading.strip().rstrip(":.")
    if len(h.split()) > 14:
        return None
    if _CONTENT_LABEL.match(h):
        return ItemKind.PROPAGANDA
    if _ADMIN_LABEL.match(h):
        return ItemKind.ADMINISTRATIVE
    return None


def _is_content_section(node: Node) -> bool:
    return node.kind == "root" or _label_kind(node.heading) is ItemKind.PROPAGANDA


def _flatten_bullets(node: Node, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for c in node.children:
        lines.append(("  " * depth) + "- " + c.heading)
        lines.extend(c.body)
        lines.extend(_flatten_bullets(c, depth + 1))
    return lines


def _collect(node: Node, path: list[str], out: list[_Leaf]) -> None:
    bullet_no = 0
    for child in node.children:
        if child.kind == "bullet":
            bullet_no += 1
            label = f"•{bullet_no}"
        else:
            label = child.label
        if child.kind == "arabic" and path and "." in child.label:
            child_path = (
                [*path[:-1], child.label]
                if path[-1] == child.label.rsplit(".", 1)[0]
                else [*path, child.label]
            )
        else:
            child_path = [*path, label]
        _emit(child, child_path, out)


def _emit(node: Node, path: list[str], out: list[_Leaf]) -> None:
    dotted = ".".join(path)
    if not node.children:
        out.append(_Leaf(node, dotted, list(node.body)))
        return
    if _SLOGAN_LABEL.match(node.heading.strip()):
        slogans = [clean_phrase(c.heading) for c in node.children]
        out.append(_Leaf(node, dotted, [*node.body, *("- " + s for s in slogans)], slogans))
        return
    numbered = [c for c in node.children if c.kind != "bullet"]
    if not numbered and not _is_content_section(node):
        out.append(_Leaf(node, dotted, [*node.body, *_flatten_bullets(node)]))
        return
    _collect(node, path, out)


def _title_of(heading: str) -> str:
    title = _BASIS_PAREN.sub("", heading).strip()
    if is_upper_line(title):
        title = title[:1] + title[1:].lower()
    colon = title.find(": ")
    if len(title) > 100 and 0 < colon <= 100 and len(title[:colon].split()) >= 2:
        # "Phòng, chống xâm hại trẻ em: hướng dẫn cha mẹ …" — the topic is before the colon
        title = title[:colon]
    if len(title) > 160:
        title = _first_clause(title)
    return title.rstrip(":;,. ").strip() or heading.strip()


def _first_clause(text: str) -> str:
    depth = 0
    for i, c in enumerate(text):
        if c in "(“":
            depth += 1
        elif c in ")”" and depth:
            depth -= 1
        elif depth == 0 and c in ".;:" and (i + 1 == len(text) or text[i + 1] == " ") and i > 20:
            text = text[:i]
            break
    if len(text) > 160:
        cut = text[:157].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") + "…"
    return text


def _classify(node: Node) -> ItemKind:
    own = _label_kind(node.heading)
    if own is not None:
        return own
    ancestor = node.parent
    while ancestor is not None and ancestor.kind != "root":
        kind = _label_kind(ancestor.heading)
        if kind is not None:
            return kind
        ancestor = ancestor.parent
    head = node.heading.strip()
    if _PROPAGANDA_START.match(head):
        return ItemKind.PROPAGANDA
    if _AGENCY_START.match(head) or _ADMIN_TEXT.search(head[:200]) or _is_closing(head):
        return ItemKind.ADMINISTRATIVE
    return ItemKind.PROPAGANDA


def _item_basis(heading: str, text: str) -> tuple[DocumentRef, ...]:
    refs = find_refs(heading)
    if refs:
        return tuple(refs)
    cited: dict[DocumentRef, None] = {}
    for m in RE_REF.finditer(text):
        if _BASIS_CUE.search(text[max(0, m.start() - 30) : m.start()]):
            ref = first_ref_from(text, m.start())
            if ref is not None:
                cited.setdefault(ref)
    return tuple(cited)


def _make_item(leaf: _Leaf, position: int, period: Period | None) -> Item:
    node = leaf.node
    heading = node.heading.strip()
    title = _title_of(heading)
    # a heading cut to its first clause is also the first paragraph of the text
    cut = title.rstrip("…") != _BASIS_PAREN.sub("", heading).strip().rstrip(":;,. ")
    long_heading = cut or node.kind == "bullet"
    text_lines = (
        [heading, *leaf.text_lines] if long_heading or not leaf.text_lines else leaf.text_lines
    )
    text = "\n".join(line for line in text_lines if line.strip())
    whole = f"{heading}\n{text}"
    slogans = leaf.slogans_from_children or find_slogans(whole)
    if not slogans and _SLOGAN_LABEL.match(heading):
        slogans = [
            clean_phrase(re.sub(r"^[-–•+]\s*", "", ln)) for ln in leaf.text_lines if ln.strip()
        ]
    observances: list[Observance] = find_observances(whole)
    return Item(
        title=title,
        topic=_topic_of(title),
        number=leaf.path,
        kind=_classify(node),
        text=text,
        basis=_item_basis(heading, text),
        slogans=tuple(slogans),
        theme=find_theme(whole),
        observances=tuple(observances),
        valid_from=period.start if period else None,
        valid_until=period.end if period else None,
        position=position,
    )


_TOPIC_PREFIX = re.compile(
    r"^(?:tuyên truyền|truyền thông|thông tin)\s*(?:về\s+|,\s*)?", re.IGNORECASE
)


def _topic_of(title: str) -> str:
    topic = _TOPIC_PREFIX.sub("", title).strip() or title
    return (topic[:1].upper() + topic[1:])[:200]


def _parse_one(paragraphs: list[str], index: int, context: _Context) -> ParsedDocument | None:
    header, body_start = _read_header(paragraphs)
    end = next(
        (
            i
            for i in range(body_start, len(paragraphs))
            if RE_RECIPIENTS_LINE.match(paragraphs[i]) or RE_SIGNER_PREFIX.match(paragraphs[i])
        ),
        len(paragraphs),
    )
    body = _strip_closing(paragraphs[body_start:end])
    tail = paragraphs[end:]
    first = _first_item_index(body)
    preamble, numbered = body[:first], body[first:]
    root = build_tree(numbered, name=context.name, max_depth=context.max_depth)
    leaves: list[_Leaf] = []
    _collect(root, [], leaves)
    number = header.number
    subject = header.subject
    doc_type = type_from_number(number) or header.doc_type
    if doc_type is None and header.has_subject_line:
        doc_type = "Công văn"
    period = None
    for source in _period_sources(root, subject, preamble):
        period = find_period(source)
        if period:
            break
    basis: list[DocumentRef] = []
    numbers: set[str | None] = set()
    for p in preamble:
        for r in find_refs(p):
            if r.number not in numbers:
                numbers.add(r.number)
                basis.append(r)
    directive = Directive(
        number=number,
        doc_type=doc_type,
        issuer=_issuer(header, preamble, number),
        place=header.place,
        date=header.date,
        subject=subject,
        addressees=tuple(a for a in header.addressees if a),
        signer=_signer(tail),
        period=period,
        basis=tuple(basis),
        part=index,
    )
    made: list[Item] = []
    for pos, leaf in enumerate(leaves):
        context.progress("topics", pos, len(leaves))
        made.append(_make_item(leaf, pos, period))
    context.progress("topics", len(leaves), len(leaves))
    items = tuple(made)
    if not items and not (number or header.date or header.subject):
        return None
    return ParsedDocument(directive, items)


def _period_sources(root: Node, subject: str | None, preamble: list[str]) -> list[str]:
    """Where a period is stated, most specific first: a "Thời gian thực hiện" part, the
    subject line, the opening paragraphs."""
    sources: list[str] = []

    def visit(node: Node) -> None:
        if re.match(
            r"^thời gian(?: thực hiện| tuyên truyền| triển khai)?\b", node.heading, re.IGNORECASE
        ):
            sources.append(" ".join([node.heading, *node.body]))
        for c in node.children:
            visit(c)

    visit(root)
    if subject:
        sources.append(subject)
    sources.extend(preamble)
    return sources


__all__ = ["TYPE_CODES", "ParsedDocument", "parse_text", "split_documents"]
