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
    Period,
)
from broadcaster.domain.messages import _

from .header import (
    _ROLE_LINE,
    Header,
    Lead,
    header_issuer,
    is_chrome,
    issuer_from_number,
    issuer_in_text,
    own_document,
    place_in,
    read_header,
    with_place,
)
from .limits import DEFAULT_MAX_DEPTH, Progress, no_progress
from .numbering import PARAGRAPH, Node, build_tree
from .places import place_from_url
from .prose import (
    clause_kind,
    instruction_to_officials,
    prose_items,
    sentences,
    with_document_extras,
)
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
    same_number_key,
    type_from_number,
)
from .text import (
    RE_MOTTO,
    RE_NUMBER_LINE,
    RE_RECIPIENTS_LINE,
    RE_SIGNER_PREFIX,
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

_ADMIN_LABEL = re.compile(
    r"^(?:mục đích|yêu cầu|kinh phí|tổ chức thực hiện|phương thức|hình thức|thời gian|tiến độ|"
    r"trách nhiệm|nhiệm vụ|phân công|chế độ báo cáo|báo cáo|đối tượng|phạm vi|giải pháp|"
    r"các cơ quan|cơ quan|đơn vị|các đơn vị|khen thưởng|điều khoản|hiệu lực|kiến nghị|đề xuất|"
    r"tổ chức|chỉ tiêu|lực lượng|phương tiện|(?:các|những) hoạt động|"
    # a meeting's or an event's particulars beside "Thời gian": where, who attends
    r"địa điểm|thành phần)\b",
    re.IGNORECASE,
)
_CONTENT_LABEL = re.compile(
    r"^(?:các\s+|một số\s+)?(?:nội dung|chủ đề|khẩu hiệu|thông điệp|trọng tâm|định hướng)\b"
    # what a law or a policy changes is what listeners are told: "II. Những điểm mới của Luật …"
    r"|^(?:những\s+|các\s+|một số\s+)?(?:điểm mới|quy định mới|chính sách mới)\b"
    # "1. Công tác tuyên truyền" over bullets: the bullets are what is publicised
    r"|^công tác (?:thông tin,?\s*)?tuyên truyền$",
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
    r"ubmttq|đề nghị|giao|yêu cầu|thôn|xóm|ấp|tổ dân phố|khu phố|khối phố)\b",
    re.IGNORECASE,
)
_AIRS_ABOUT = re.compile(
    r"\bphát\s+(?:các\s+)?(?:tin,?\s*)?(?:bài|tin bài|chương trình)\b[^;]*?\svề\s"
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
    r"(?:theo|căn cứ|thực hiện|triển khai|quy định tại|tại|đã ban hành)\s+(?:đúng\s+)?$",
    re.IGNORECASE,
)
#: "Thực hiện Nghị quyết số 60/NQ-TW ngày … và Kết luận số 137-KL/TW …": what joins a
#: second document to a cited one (its date between them)
_BASIS_JOIN = re.compile(r"^[^.;:()]{0,40}?(?:,|\bvà|\bcùng)\s*$", re.IGNORECASE)


# --- entry point ------------------------------------------------------------------------------


def parse_text(
    text: str,
    *,
    name: str = "<text>",
    wrapped: bool | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    progress: Progress = no_progress,
) -> list[ParsedDocument]:
    """Parse a guidance text into its documents (at least one: a text where nothing is found
    gives a document with what was read); raises InputError for a file with no text, or
    numbering nested deeper than ``max_depth`` levels."""
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
    if not documents:
        # nothing found is still a document: stored with what was read, for the office to
        # complete (a guidance is never refused for its shape)
        header, _start, lead = read_header(paragraphs)
        directive = _directive(
            header,
            lead,
            paragraphs,
            [],
            [],
            build_tree([], name=name, max_depth=max_depth),
            0,
            paragraphs,
            [],
        )
        documents = [ParsedDocument(directive, ())]
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
            # "Đài truyền thanh xã phát thông báo này …; … UBND xã trân trọng thông báo./.":
            # the closing formula goes, the duties before it stay
            said = sentences(last)
            while said and (_is_closing(said[-1]) or len(said[-1].split()) <= 12):
                said.pop()
            if said:
                body.append(" ".join(said))
                break
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
        # "Thành phần: Chủ tịch, các Phó Chủ tịch …": a short duty label before the colon
        label, colon, _rest = h.partition(":")
        if colon and len(label.split()) <= 3 and _ADMIN_LABEL.match(label.strip()):
            return ItemKind.ADMINISTRATIVE
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
        elif child.kind == "article":
            label = f"Bài {child.label}"
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
    if _sub_points_of_one_subject(node):
        out.append(_Leaf(node, dotted, [*node.body, *_sub_point_lines(node)]))
        return
    numbered = [c for c in node.children if c.kind != "bullet"]
    if not numbered and not _is_content_section(node):
        out.append(_Leaf(node, dotted, [*node.body, *_flatten_bullets(node)]))
        return
    _collect(node, path, out)


def _sub_points_of_one_subject(node: Node) -> bool:
    """ "2. Dấu hiệu bệnh … và cách xử trí" over a), b): the sub-points tell one subject, so
    they are one topic. Not under a label ("Nội dung tuyên truyền", "Khẩu hiệu"), not when
    the heading introduces a list ("… các nội dung sau:"), not when a sub-point has its own."""
    heading = node.heading.strip()
    return (
        node.kind in ("roman", "arabic")
        and bool(heading)
        and not heading.endswith(":")
        and _label_kind(heading) is None
        and any(c.kind == "letter" for c in node.children)
        and all(c.kind in ("letter", "bullet") and not c.children for c in node.children)
    )


def _sub_point_lines(node: Node) -> list[str]:
    # without their "a)": the lines are read out as they stand in the draft script
    return [line for c in node.children for line in (c.heading, *c.body)]


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
    if node.kind == "article":  # "Bài 2: …" is a piece to air, whatever heads the list
        return ItemKind.PROPAGANDA
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
    # the heading's subject and verb: "Đài truyền thanh phát các bài về …" is airtime,
    # "Tổ chức Ngày hội …", "Các thôn treo cờ …" are duties
    said = clause_kind(head)
    if said is not None and _AGENCY_START.match(head) and not _AIRS_ABOUT.search(head):
        return ItemKind.ADMINISTRATIVE  # an office told to pass a plan on to its staff
    if said is not None:
        return said[0]
    if _AGENCY_START.match(head) or _ADMIN_TEXT.search(head[:200]) or _is_closing(head):
        return ItemKind.ADMINISTRATIVE
    return ItemKind.PROPAGANDA


def _item_basis(heading: str, text: str) -> tuple[DocumentRef, ...]:
    refs = find_refs(heading)
    if refs:
        return tuple(refs)
    cited: dict[str, DocumentRef] = {}
    previous_end: int | None = None  # where the last cited document's number ends
    for m in RE_REF.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        joined = previous_end is not None and _BASIS_JOIN.match(
            _REF_DATE_PREFIX.sub("", text[previous_end : m.start()])
        )
        if _BASIS_CUE.search(before) or joined:
            ref = first_ref_from(text, m.start())
            if ref is not None:
                cited.setdefault(same_number_key(ref.number), ref)
                previous_end = m.end()
                continue
        previous_end = None
    return tuple(cited.values())


_REF_DATE_PREFIX = re.compile(r"^\s*,?\s*(?:ban hành\s+)?ngày\s*[\d/.\-]+", re.IGNORECASE)


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


#: "… tập trung tuyên truyền các nội dung sau:" right before the list: what follows is content
_LISTS_CONTENTS = re.compile(
    r"\b(?:tuyên truyền|phổ biến|thông tin)\b[^.;]*\b(?:các|những) nội dung(?: chính)?"
    r"(?: sau| sau đây| như sau)?\s*:\s*$",
    re.IGNORECASE,
)


def _listed_content(node: Node) -> bool:
    """A bullet of the list the opening introduces as contents: content, unless an office is
    its subject ("Các xã tổ chức …")."""
    head = node.heading.strip()
    return (
        node.kind == "bullet"
        and node.parent is not None
        and node.parent.kind == "root"
        and node.label != PARAGRAPH
        and not _AGENCY_START.match(head)
        and not _ADMIN_TEXT.search(head[:200])
        and not instruction_to_officials(head)
    )


def _one_spelling(items: list[Item], directive: Directive) -> tuple[Item, ...]:
    """One document written two ways in one guidance ("60-NQ/TW" here, "60/NQ-TW" there) is
    one reference: each item cites it as the document first wrote it."""
    first: dict[str, DocumentRef] = {}
    for ref in [*directive.basis, *(r for i in items for r in i.basis)]:
        key = same_number_key(ref.number)
        kept = first.setdefault(key, ref)
        if kept.date is None and ref.date is not None:
            first[key] = replace(kept, date=ref.date)
    return tuple(
        replace(
            i,
            basis=tuple(
                {
                    same_number_key(r.number): first[same_number_key(r.number)] for r in i.basis
                }.values()
            ),
        )
        for i in items
    )


def _parse_one(paragraphs: list[str], index: int, context: _Context) -> ParsedDocument | None:
    header, body_start, lead = read_header(paragraphs)
    end = next(
        (
            i
            for i in range(body_start, len(paragraphs))
            if RE_RECIPIENTS_LINE.match(paragraphs[i]) or RE_SIGNER_PREFIX.match(paragraphs[i])
        ),
        len(paragraphs),
    )
    inside = paragraphs[body_start:end]
    footers = [p for p in inside if is_chrome(p)]
    body_all = [p for p in inside if not is_chrome(p)]
    body = _strip_closing(body_all)
    tail = paragraphs[end:]
    first = _first_item_index(body)
    preamble, numbered = body[:first], body[first:]
    root = build_tree(numbered, name=context.name, max_depth=context.max_depth)
    leaves: list[_Leaf] = []
    _collect(root, [], leaves)
    closing = body_all[len(body) :] if body == body_all[: len(body)] else body_all[-1:]
    directive = _directive(header, lead, preamble, footers, tail, root, index, paragraphs, closing)
    made: list[Item] = []
    listed = bool(preamble) and bool(_LISTS_CONTENTS.search(preamble[-1]))
    for pos, leaf in enumerate(leaves):
        context.progress("topics", pos, len(leaves))
        item = _make_item(leaf, pos, directive.period)
        if listed and _listed_content(leaf.node) and item.kind is ItemKind.ADMINISTRATIVE:
            item = replace(item, kind=ItemKind.PROPAGANDA)
        made.append(item)
    context.progress("topics", len(leaves), len(leaves))
    if not made:
        made = prose_items(preamble, directive.period)
    items = with_document_extras(
        _one_spelling(made, directive), header.subject, preamble, directive.period
    )
    if not items and not (directive.number or directive.date or directive.subject):
        return None
    return ParsedDocument(directive, items)


def _directive(
    header: Header,
    lead: Lead,
    preamble: list[str],
    footers: list[str],
    tail: list[str],
    root: Node,
    index: int,
    paragraphs: list[str],
    closing: list[str],
) -> Directive:
    """The document's header fields, from its header block or, when that is silent, from
    the sentences and footers that state them."""
    own = own_document([*preamble, *footers])
    number = header.number or (own.number if own else None)
    subject = header.subject
    doc_type = type_from_number(number) or header.doc_type
    if doc_type is None and header.has_subject_line:
        doc_type = "Công văn"
    period = document_period(root, subject, [*preamble, *_all_text(root), *closing])
    basis: list[DocumentRef] = []
    numbers = {same_number_key(number)}
    for p in preamble:
        for r in find_refs(p):
            if same_number_key(r.number) not in numbers:
                numbers.add(same_number_key(r.number))
                basis.append(r)
    issuer = (
        header_issuer(header)
        or (own.issuer if own else None)
        or issuer_in_text(preamble)
        or issuer_from_number(number)
    )
    place = (
        header.place
        or lead.place
        or place_in(issuer)
        or place_in(subject)
        or place_from_url(lead.url, "\n".join(paragraphs))
    )
    return Directive(
        number=number,
        doc_type=doc_type,
        issuer=with_place(issuer, place),
        place=place,
        date=header.date or (own.date if own else None),
        subject=subject,
        addressees=tuple(a for a in header.addressees if a),
        signer=_signer(tail),
        period=period,
        basis=tuple(basis),
        part=index,
    )


_TIME_LABEL = re.compile(r"^(?:[*•+–-]\s*)?thời gian\b", re.IGNORECASE)
_AIRING = re.compile(r"\b(?:phát|tuyên truyền|phát sóng|tiếp sóng|phát thanh)\b", re.IGNORECASE)
_HAPPENING = re.compile(
    r"\b(?:diễn ra|được tổ chức|tổ chức từ|treo cờ|triển khai từ|thực hiện từ)\b", re.IGNORECASE
)
_CITES = re.compile(r"^(?:Căn cứ|Thực hiện|Theo)\s", re.IGNORECASE)
_AIRTIME_SUBJECT = re.compile(
    r"tuyên truyền|hưởng ứng|kỷ niệm|chiến dịch|tháng hành động|tuần lễ|phòng,? chống",
    re.IGNORECASE,
)


def _all_text(node: Node) -> list[str]:
    out: list[str] = []
    for c in node.children:
        out.extend([c.heading, *c.body, *_all_text(c)])
    return out


def document_period(root: Node, subject: str | None, body: list[str]) -> Period | None:
    """The period the guidance is aired in, most telling first: a "Thời gian …" part or line
    (with the lines listed under it), a subject about airtime, a sentence about airing ("phát … từ ngày …"), one about
    the event ("diễn ra từ …"), the opening paragraphs. A law's
    effective date, a deadline or a meeting's month is not it."""
    labelled: list[str] = []

    def visit(node: Node) -> None:
        if _TIME_LABEL.match(node.heading):
            labelled.append(" ".join([node.heading, *node.body, *_all_text(node)]))
        for c in node.children:
            visit(c)

    visit(root)
    for n, p in enumerate(body):
        if _TIME_LABEL.match(p):
            # the windows listed under "Thời gian …:" (one per line, a bullet or not)
            listed = itertools.takewhile(lambda q: find_period(q) is not None, body[n + 1 :])
            labelled.append(" ".join([p, *listed]))
    # what the document cites ("Căn cứ Kế hoạch … về tuyên truyền tháng 5 …") is not its period
    said = [s for p in body for s in sentences(p) if not _CITES.match(s)]
    tiers: list[tuple[list[str], bool]] = [
        (labelled, True),
        ([subject] if subject and _AIRTIME_SUBJECT.search(subject) else [], False),
        ([s for s in said if _AIRING.search(s)], True),
        ([s for s in said if _HAPPENING.search(s)], False),
        ([p for p in body[:3] if _AIRTIME_SUBJECT.search(p)], False),
    ]
    for texts, open_start in tiers:
        for text in texts:
            period = find_period(text, open_start)
            if period:
                return period
    return None


__all__ = ["TYPE_CODES", "ParsedDocument", "parse_text", "split_documents"]
