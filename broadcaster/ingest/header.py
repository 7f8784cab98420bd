"""The header of a guidance document: issuing body, number, place and date, type and subject.

Decree 30/2020/NĐ-CP puts these fields first, and most files keep them there; but guidance also
reaches offices as portal pages (a URL line, menus, a headline, "Lượt xem"), as news summaries
naming the plan in a sentence ("ngày 10/6/2020, UBND thành phố Huế ban hành Kế hoạch số …") and
with the number only in a footer ("(Nguồn: Từ Công văn số …)"). The fields are read from the
header block when there is one, and from those sentences when it says nothing. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from broadcaster.domain.items import PartialDate

from .places import PLACE_IN_TEXT
from .refs import clean_phrase, normalize_number
from .text import (
    RE_ADDRESSEE_LINE,
    RE_AGENCY_LINE,
    RE_MOTTO,
    RE_NUMBER_LINE,
    RE_PLACE_DATE,
    RE_SUBJECT_LINE,
    is_upper_line,
    marker_of,
)

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


# --- the header block -------------------------------------------------------------------------


@dataclass
class Header:
    number: str | None = None
    doc_type: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    place: str | None = None
    date: PartialDate | None = None
    subject: str | None = None
    addressees: list[str] = field(default_factory=list)
    has_subject_line: bool = False


def _read_fields(paragraphs: list[str], start: int = 0) -> tuple[Header, int]:
    """The header fields from ``start`` on, and the index of the first body paragraph."""
    h = Header()
    i = start
    expect_subject = False
    seen_field = False
    limit = min(len(paragraphs), start + 40)
    while i < limit:
        p = paragraphs[i]
        mk = marker_of(p)
        if _ORNAMENT.match(p):
            pass  # the "*" or "***" under a party body's name
        elif RE_MOTTO.match(p):
            seen_field = True
        elif (m := RE_NUMBER_LINE.match(p)) and h.number is None:
            h.number = normalize_number(m.group("num"))
            seen_field = True
            rest = p[m.end() :].strip()
            if rest and RE_SUBJECT_LINE.match(rest):
                h.subject = clean_phrase(RE_SUBJECT_LINE.match(rest).group("rest"))  # type: ignore[union-attr]
                h.has_subject_line = True
        elif (m := RE_PLACE_DATE.match(p)) and h.date is None:
            h.place, h.date = clean_phrase(m.group("place")), _date_of(m)
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
            typed = _TYPE_LED.match(title)
            if title in TYPE_TITLES:
                h.doc_type = TYPE_TITLES[title]
                expect_subject = True
            elif typed and h.doc_type is None and h.subject is None:
                # "ĐỀ CƯƠNG TUYÊN TRUYỀN SẮP XẾP …": the type and the subject on one line
                h.doc_type = TYPE_TITLES[typed.group(1)]
                h.subject = clean_phrase(_smart_case(typed.group(2)))
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
        return Header(), start
    return h, i


def _date_of(m: re.Match[str]) -> PartialDate:
    """The date of a place-and-date line ("ngày … tháng 5 năm 2021" leaves the day blank)."""
    month = int(m.group("month")) if m.group("month") else None
    if month is not None and not 1 <= month <= 12:
        return PartialDate(int(m.group("year")))
    return PartialDate(int(m.group("year")), month, int(m.group("day")) if m.group("day") else None)


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


_TYPE_LED = re.compile(
    "^(" + "|".join(sorted(TYPE_TITLES, key=len, reverse=True)) + r")\s+(\S.{3,})$"
)
_AGENCY_WORDS = (
    r"(?:Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Ban|Phòng|Trung tâm|Đài|Cục|Bộ|Công an|"
    r"Đoàn|BCH|Hội|Huyện ủy|Tỉnh ủy|Đảng ủy|Thành ủy|Mặt trận|Ủy ban MTTQ|Chi cục|Văn phòng)"
)
# an issuing body named in a sentence: a comma goes on only before a capitalised word
# ("Sở Văn hóa, Thể thao và Du lịch"), and "đã có Công văn …" is what it did, not its name
_ISSUER_IN_TEXT = re.compile(
    rf"(?:^|[,;.]\s+|\)\s*,?\s*)(?P<who>{_AGENCY_WORDS}\s(?:[^,.;:()“”\"\n]|,\s(?=[A-ZĐ])){{2,100}}?)"
    r"\s+(?:đã\s+|vừa\s+|cũng\s+)?(?:đề nghị|xây dựng|ban hành|hướng dẫn|thông báo|triển khai|"
    r"yêu cầu|có ý kiến|nhận được|trân trọng|gửi|có\s+(?=[A-ZĐ]))"
)
_ISSUING = re.compile(
    r"(?:ban hành|có|gửi|phát hành|ký)\s+$|\(\s*Nguồn\s*:\s*(?:[Tt]ừ\s+|[Tt]heo\s+)?$",
    re.IGNORECASE,
)
_DATE_BEFORE = re.compile(
    r"[Nn]gày\s+(?P<d>\d{1,2})(?:\s*[/.-]\s*|\s+tháng\s+)(?P<m>\d{1,2})(?:\s*[/.-]\s*|\s+năm\s+)"
    r"(?P<y>\d{4})\s*,\s*$"
)
_ORNAMENT = re.compile(r"^[*\-_=~.•\s]+$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_CHROME = re.compile(
    r"^(?:Lượt xem|Lượt truy cập|Ngày đăng|Đăng ngày|Cập nhật|Ngày cập nhật|Cỡ chữ|In bài|Bản in|"
    r"Chia sẻ|Gửi bài|Gửi email|Trang chủ|Tin tức|Tin hoạt động|Thông tin điều hành|Bình luận|"
    r"Tác giả|Nguồn tin|Xem thêm|Tin liên quan)\b|Lượt xem\s*:|\|\s*(?:In bài|Zalo|Facebook)",
    re.IGNORECASE,
)
_SOURCE_FOOTER = re.compile(r"^\(?\s*Nguồn\s*:", re.IGNORECASE)
_PAGE_DATE = re.compile(
    r"^(?:(?P<place>[^\W\d_][^,\d:;()]{1,40}?)\s*,\s*)?(?:ngày\s*)?\d{1,2}(?:\s*[/.-]\s*\d{1,2}"
    r"\s*[/.-]\s*\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})\s*\.?$",
    re.IGNORECASE,
)
_LEVEL = r"(?:tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)"
_BARE_LEVEL = re.compile(rf"\s(?P<level>{_LEVEL})$")


def is_chrome(paragraph: str) -> bool:
    """Page chrome of a portal ("Lượt xem: 14", "Chia sẻ: Facebook | Zalo", a URL) and the
    source footer "(Nguồn: …)": read for the header, never a topic nor a listener's words."""
    return (
        bool(_URL.match(paragraph) or _SOURCE_FOOTER.match(paragraph) or _CHROME.search(paragraph))
        and len(paragraph.split()) <= 40
    )


@dataclass
class Lead:
    """What a portal page shows before the document: its address, headline, place."""

    url: str | None = None
    headline: str | None = None
    place: str | None = None


def _headline_like(p: str) -> bool:
    return (
        len(p.split()) <= 40
        and not p.rstrip().endswith((".", ":", ";"))
        and marker_of(p) is None
        and not RE_AGENCY_LINE.match(p)
        and not _TYPE_LED.match(p.strip(" .:"))
        and p.strip(" .:") not in TYPE_TITLES
        and not (RE_NUMBER_LINE.match(p) or RE_MOTTO.match(p) or RE_PLACE_DATE.match(p))
        and not (RE_SUBJECT_LINE.match(p) or RE_ADDRESSEE_LINE.match(p) or _BODY_START.match(p))
    )


def _skip_lead(paragraphs: list[str]) -> tuple[int, Lead]:
    """Where the document begins after a portal page's lead lines, and what they said."""
    lead = Lead()
    i = 0
    while i < min(len(paragraphs), 12):
        p = paragraphs[i]
        if _URL.match(p):
            lead.url = lead.url or p
        elif is_chrome(p):
            pass
        elif m := _PAGE_DATE.match(p):
            # the page's date is when it was posted, not the document's; its place is the office's
            if m.group("place") and lead.place is None:
                lead.place = clean_phrase(m.group("place"))
        elif lead.url and lead.headline is None and _headline_like(p):
            lead.headline = clean_phrase(p)
        else:
            break
        i += 1
    return i, lead


def read_header(paragraphs: list[str]) -> tuple[Header, int, Lead]:
    """The header fields, the index of the first body paragraph, and the page's lead lines."""
    start, lead = _skip_lead(paragraphs)
    header, body_start = _read_fields(paragraphs, start)
    if header.subject is None and lead.headline:
        typed = re.match(
            "^(" + "|".join(TYPE_TITLES.values()) + r")\s+(\S.*)$", lead.headline, re.IGNORECASE
        )
        header.subject = lead.headline
        if typed and header.doc_type is None:
            header.doc_type = typed.group(1)[:1].upper() + typed.group(1)[1:].lower()
    return header, body_start, lead


# --- facts stated in sentences ----------------------------------------------------------------


@dataclass(frozen=True)
class OwnDocument:
    """The document a news item or a footer reports ("UBND tỉnh ban hành Công văn số …")."""

    number: str
    date: PartialDate | None
    issuer: str | None


def own_document(paragraphs: list[str]) -> OwnDocument | None:
    """The first document the text says its author issued or had ("… ban hành Kế hoạch số",
    "Sở Y tế đã có Công văn số", "(Nguồn: Từ Công văn số …)"); documents cited as basis
    ("Thực hiện …") are not it."""
    from .refs import RE_REF, first_ref_from

    for p in paragraphs:
        for m in RE_REF.finditer(p):
            before = p[max(0, m.start() - 60) : m.start()]
            cue = _ISSUING.search(before)
            if not cue:
                continue
            ref = first_ref_from(p, m.start())
            if ref is None or not ref.number:
                continue
            when = PartialDate(ref.date.year, ref.date.month, ref.date.day) if ref.date else None
            issuer = ref.issuer if cue.group(0).lstrip().startswith("(") else None
            who = _subject_before(p[: m.start() - len(before) + cue.start()])
            if issuer is None and who is not None:
                issuer, who_date = who
                when = when or who_date
            return OwnDocument(ref.number, when, issuer)
    return None


def _subject_before(text: str) -> tuple[str, PartialDate | None] | None:
    """The agency a clause ends with ("…, UBND thành phố Huế"), and a date opening it."""
    start = max(text.rfind(". "), text.rfind("; "), text.rfind(", "))
    who = text[start + 2 :] if start >= 0 else text
    who = who.strip()
    if not re.match(_AGENCY_WORDS + r"\b", who) or len(who.split()) > 16:
        return None
    when = None
    dm = _DATE_BEFORE.search(text[: start + 2]) if start >= 0 else None
    if dm:
        when = PartialDate(int(dm.group("y")), int(dm.group("m")), int(dm.group("d")))
    return clean_phrase(re.sub(r"\s+(?:đã|vừa|cũng)$", "", who)), when


def issuer_in_text(paragraphs: list[str]) -> str | None:
    for p in paragraphs:
        m = _ISSUER_IN_TEXT.search(p)
        if m:
            return clean_phrase(m.group("who"))
    return None


def header_issuer(h: Header) -> str | None:
    """The issuing body of the header block: the last agency named ("UBND TỈNH X / SỞ Y" is
    Sở Y); a party committee's board keeps its committee ("Ban Tuyên giáo Huyện ủy Nam Đàn")."""
    lines = [ln for ln in h.issuer_lines if not RE_MOTTO.match(ln)]
    agencies = [i for i, ln in enumerate(lines) if _AGENCY_NOUN.match(ln)]
    if not agencies:
        return None  # a portal's capitalised menu or category line is not an issuing body
    start = agencies[-1]
    name = _smart_case(" ".join(lines[start:])[:_ISSUER_MAX])
    party = next(
        (
            lines[i]
            for i in agencies[:-1]
            if re.match(r"^(?:TỈNH|HUYỆN|THÀNH|THỊ|ĐẢNG)\s+[ỦU]Y\b", lines[i])
        ),
        None,
    )
    if party and name.startswith("Ban ") and not re.search(r"[ủu]y\b", name, re.IGNORECASE):
        committee = _smart_case(party)
        name = f"{name} {committee[:1].upper()}{committee[1:]}"
    return name


def issuer_from_number(number: str | None) -> str | None:
    if number and "/" in number:
        for code in re.split(r"[-/]", number.split("/", 1)[1]):
            if code in _ISSUER_ABBREVIATIONS:
                return _ISSUER_ABBREVIATIONS[code]
    return None


def place_in(text: str | None) -> str | None:
    """The first named place in a text ("UBND xã Duyên Hà" → "xã Duyên Hà")."""
    if not text:
        return None
    m = PLACE_IN_TEXT.search(text)
    return f"{m.group('level')} {m.group('name')}" if m else None


def with_place(issuer: str | None, place: str | None) -> str | None:
    """ "UBND tỉnh" completed with the office's place ("UBND tỉnh Quảng Trị") when the text
    names it; a level word alone says nothing of where."""
    if not issuer or not place:
        return issuer
    m = _BARE_LEVEL.search(issuer)
    if not m:
        return issuer
    p = PLACE_IN_TEXT.match(place)
    if p is None:
        return f"{issuer} {place}" if place[:1].isupper() else issuer
    return f"{issuer} {p.group('name')}" if p.group("level") == m.group("level") else issuer


__all__ = [
    "TYPE_TITLES",
    "Header",
    "Lead",
    "OwnDocument",
    "header_issuer",
    "is_chrome",
    "issuer_from_number",
    "issuer_in_text",
    "own_document",
    "place_in",
    "read_header",
    "with_place",
]
