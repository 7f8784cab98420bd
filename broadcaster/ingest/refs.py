"""Things found inside sentences: cited documents, dates, slogans, themes, observance days."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

from broadcaster.domain.items import DocumentRef, Observance, Period

# compiled once: each runs for every citation or day named in a text
_NUMBER_SPACES = re.compile(r"\s*([/-])\s*")
_NUMBER_BLANK = re.compile(r"^[.…_\s]+")
_COMMA_NEXT = re.compile(r",\s*(\S)")
_COMMA_WORD = re.compile(r",\s*(\S+)")
_LETTER = re.compile(r"[^\W\d_]")
_WHITESPACE = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")

# --- dates ------------------------------------------------------------------------------------

DATE_PATTERN = (
    r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s*(?:năm|/|,)\s*\d{4})"
)
_DATE_PARTS = re.compile(
    r"(?P<d>\d{1,2})\s*(?:[/.-]|\s+tháng\s+)\s*(?P<m>\d{1,2})\s*(?:[/.-]|năm|,)\s*(?P<y>\d{4})"
)


def parse_date(text: str) -> date | None:
    m = _DATE_PARTS.search(text)
    if not m:
        return None
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


# --- document references ----------------------------------------------------------------------

DOC_TYPES = (
    "Thông tư liên tịch", "Công văn", "Công điện", "Kế hoạch", "Quyết định", "Hướng dẫn",
    "Thông tư", "Nghị định", "Nghị quyết", "Chỉ thị", "Kết luận", "Thông báo", "Thông tri",
    "Chương trình", "Luật", "Văn bản", "Báo cáo", "Tờ trình", "Đề án", "Quy định", "Pháp lệnh",
)  # fmt: skip
_TYPE_ALT = "|".join(re.escape(t) for t in sorted(DOC_TYPES, key=len, reverse=True))
_CANONICAL = {t.lower(): t for t in DOC_TYPES}
RE_REF = re.compile(
    # a law is cited by its name before its number: "Luật Đất đai số 31/2024/QH15"
    rf"(?<![\w])(?:(?P<type>{_TYPE_ALT})|(?P<law>Luật)(?:\s+[^\W\d][\w]*,?){{1,16}}?(?=\s+số\b))"
    r"\s+(?:số\s*:?\s*)?"
    # possessive: giving back a letter of "1520SYT…" can never let "/" match, but would be
    # tried for every split of a long run of digits
    r"(?P<number>\d[\wĐđ&]*+(?:\s?[/-]\s?[\wĐđ&.]*[\wĐđ&])+)",
    re.IGNORECASE,
)
_REF_DATE = re.compile(rf"\s*,?\s*(?:ban hành\s+)?ngày\s*(?P<date>{DATE_PATTERN})", re.IGNORECASE)
_REF_OF = re.compile(r"\s*,?\s*của\s+", re.IGNORECASE)
_ISSUER_STOP = re.compile(
    r"\s+(?:về việc|về|v/v|ban hành|phê duyệt|quy định|hướng dẫn|triển khai|nhằm|đã|thì|để|"
    r"trên địa bàn|đối với|tại|theo|gồm|như sau)\b"
    rf"|[;:!?()“”\"]|\.(?:\s|$)|[,]?\s+(?:và|,)\s*(?:{_TYPE_ALT})\b|\s+và\s+(?:{_TYPE_ALT})\b",
    re.IGNORECASE,
)

# type codes in document numbers ("46/KH-…", "04/HD-…")
TYPE_CODES = {
    "KH": "Kế hoạch", "HD": "Hướng dẫn", "TB": "Thông báo", "QĐ": "Quyết định", "CV": "Công văn",
    "BC": "Báo cáo", "CT": "Chỉ thị", "NQ": "Nghị quyết", "KL": "Kết luận", "TTr": "Tờ trình",
    "CĐ": "Công điện", "CTr": "Chương trình", "ĐA": "Đề án", "TT": "Thông tư", "NĐ": "Nghị định",
    "QC": "Quy chế", "QyĐ": "Quy định",
}  # fmt: skip


def normalize_number(raw: str) -> str:
    """'3717 /UBND-VX' → '3717/UBND-VX'; '…/KH-UBND' → '/KH-UBND' (number left blank)."""
    text = _NUMBER_SPACES.sub(r"\1", raw.strip())
    text = _NUMBER_BLANK.sub("", text)
    return text.rstrip(".,;:")


def same_number_key(number: str | None) -> str:
    """What two ways of writing one number share: "60-NQ/TW" and "60/NQ-TW" are one
    resolution (offices write the separators either way)."""
    return re.sub(r"[\s/\-–]+", "/", (number or "").strip().upper())


def type_from_number(number: str | None) -> str | None:
    if not number or "/" not in number:
        return None
    after = number.split("/", 1)[1]
    for code in re.split(r"[-/]", after):
        if code in TYPE_CODES:
            return TYPE_CODES[code]
    return None


#: how far around a citation its parenthesis and issuer are looked for: a parenthesis or an
#: issuer is a few words long, and scanning the whole text for each citation is quadratic
_PAREN_REACH = 2000
_ISSUER_REACH = 600
_PARENS = re.compile(r"[()]")


def _paren_depth_end(text: str, pos: int, start: int = 0) -> int | None:
    """End of the parenthesis enclosing ``pos`` (None when not inside one), looking no
    further back than ``start`` nor further than :data:`_PAREN_REACH` either way."""
    depth = 0
    lo = max(start, pos - _PAREN_REACH)
    for c in reversed(_PARENS.findall(text, lo, pos)):
        if c == ")":
            depth += 1
        elif depth == 0:
            close = text.find(")", pos, pos + _PAREN_REACH)
            return close if close >= 0 else min(len(text), pos + _PAREN_REACH)
        else:
            depth -= 1
    return None


def _cut_issuer(tail: str, inside_parens: bool) -> str | None:
    end = len(tail)
    m = _ISSUER_STOP.search(tail)
    if m:
        end = m.start()
    if not inside_parens:
        # outside parentheses a comma ends the issuer unless a capitalised name goes on
        for cm in _COMMA_NEXT.finditer(tail, 0, end):
            if not cm.group(1)[0].isupper():
                end = cm.start()
                break
    issuer = tail[:end].strip(" ,.-–")
    words = issuer.split()
    if not words or len(words) > 16:
        return " ".join(words[:16]) or None
    return issuer


def _ref_at(text: str, m: re.Match[str], scope: int = 0) -> DocumentRef | None:
    """The document a match of :data:`RE_REF` cites, with its date and issuer when given
    (None when its number is not a document number); ``scope``: where the text begins for
    telling whether the citation sits inside a parenthesis."""
    number = normalize_number(m.group("number"))
    if "/" not in number or not _LETTER.search(number):
        return None
    pos = m.end()
    when = None
    dm = _REF_DATE.match(text, pos)
    if dm:
        when = parse_date(dm.group("date"))
        pos = dm.end()
    issuer = None
    om = _REF_OF.match(text, pos)
    if om:
        close = _paren_depth_end(text, m.start(), scope)
        end = close if close is not None else len(text)
        issuer = _cut_issuer(text[om.end() : min(end, om.end() + _ISSUER_REACH)], close is not None)
        if when is None and issuer:  # "… của UBND tỉnh ngày 17/5/2021"
            dm2 = _REF_DATE.match(text, om.end() + len(issuer))
            if dm2:
                when = parse_date(dm2.group("date"))
    return DocumentRef(
        type=_CANONICAL.get((m.group("type") or "Luật").lower(), m.group("type") or "Luật"),
        number=number,
        date=when,
        issuer=issuer or None,
    )


def find_refs(text: str) -> list[DocumentRef]:
    """Every numbered document cited in a text, with its date and issuer when given."""
    refs: list[DocumentRef] = []
    seen: set[str] = set()
    for m in RE_REF.finditer(text):
        ref = _ref_at(text, m)
        key = (ref.number or "").lower() if ref is not None else ""
        if ref is None or key in seen:
            continue
        seen.add(key)
        refs.append(ref)
    return refs


def first_ref_from(text: str, start: int) -> DocumentRef | None:
    """The first document cited from ``start`` on, read as if the text began there
    (what ``find_refs(text[start:])[0]`` gives, without copying the rest of the text)."""
    for m in RE_REF.finditer(text, start):
        ref = _ref_at(text, m, scope=start)
        if ref is not None:
            return ref
    return None


# --- quoted phrases: slogans and themes -------------------------------------------------------

_QUOTE = re.compile(r"[“\"]([^“”\"\n]{2,300})[”\"]")
_SLOGAN_CUE = re.compile(r"khẩu\s+hiệu", re.IGNORECASE)
_THEME = re.compile(
    r"chủ\s+đề\s*(?:năm\s+\d{4}\s*)?(?:là\s*)?:?\s*[“\"]([^“”\"\n]{2,300})[”\"]", re.IGNORECASE
)
_QUOTE_MAX = 302  # the longest match of _QUOTE
_LISTED = re.compile(r"^[-–•+]\s*(.+)$")
#: separators up to the next opening quote ("; “…”", ", và “…”")
_NEXT_QUOTE = re.compile(r"[\s;,.–-]*(?:(?:và|hoặc)\s*)?(?=[“\"])")


def clean_phrase(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip(" .;,*_'\"“”‘’")


def find_slogans(text: str) -> list[str]:
    """Quoted phrases that follow the word "khẩu hiệu" (one chain of quotes per cue), and the
    bullet lines under a line ending in "khẩu hiệu …:"."""
    slogans: list[str] = []
    for cue in _SLOGAN_CUE.finditer(text):
        # the first quote must open within 60 characters of the cue: look no further (a
        # search to the end of the text for every cue is quadratic)
        first = _QUOTE.search(text, cue.end(), cue.end() + 61 + _QUOTE_MAX)
        if not first:
            continue
        lead = text[cue.end() : first.start()]
        if len(lead) > 60 or "\n" in lead or "." in lead.rstrip(":").strip():
            continue
        pos = first.start()
        while True:
            q = _QUOTE.match(text, pos)
            if not q:
                break
            slogans.append(clean_phrase(q.group(1)))
            # the next quote counts when only separators ("; ", ", và ") stand before it
            gap = _NEXT_QUOTE.match(text, q.end())
            if not gap:
                break
            pos = gap.end()
    lines = text.split("\n")
    listed = 0  # lines before this were listed under an earlier cue
    for i, line in enumerate(lines):
        if i < listed:  # a cue inside that list would only list its rest again
            continue
        if _SLOGAN_CUE.search(line) and line.rstrip().endswith(":"):
            j = i + 1
            while j < len(lines) and (fm := _LISTED.match(lines[j].strip())):
                slogans.append(clean_phrase(fm.group(1)))
                j += 1
            listed = j
    return _unique(s for s in slogans if s)


def find_theme(text: str) -> str | None:
    m = _THEME.search(text)
    return clean_phrase(m.group(1)) if m else None


def _unique(values: object) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for v in values:  # type: ignore[attr-defined]
        key = str(v).casefold()
        if key not in seen:
            seen.add(key)
            out.append(str(v))
    return out


# --- observance days --------------------------------------------------------------------------

_TONE_PLACEMENT = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oé": "óe", "oè": "òe",
    "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


def fold(text: str) -> str:
    """A comparison key: lower case, one tone placement (hoá = hóa), no punctuation."""
    text = unicodedata.normalize("NFC", text).casefold()
    for old, new in _TONE_PLACEMENT.items():
        text = text.replace(old, new)
    text = _PUNCTUATION.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()


#: observance days whose date everyone knows, so guidance often names them without one
KNOWN_OBSERVANCES: dict[str, tuple[int, int]] = {
    fold(name): (day, month)
    for name, day, month in (
        ("Ngày Thầy thuốc Việt Nam", 27, 2),
        ("Ngày Biên phòng toàn dân", 3, 3),
        ("Ngày Quốc tế Phụ nữ", 8, 3),
        ("Ngày Nước thế giới", 22, 3),
        ("Ngày Sách và Văn hóa đọc Việt Nam", 21, 4),
        ("Ngày Sách Việt Nam", 21, 4),
        ("Ngày thế giới phòng, chống sốt rét", 25, 4),
        ("Ngày Giải phóng miền Nam", 30, 4),
        ("Ngày Quốc tế Lao động", 1, 5),
        ("Ngày Quốc tế Đa dạng sinh học", 22, 5),
        ("Ngày Phòng, chống thiên tai Việt Nam", 22, 5),
        ("Ngày Thế giới không thuốc lá", 31, 5),
        ("Ngày Quốc tế Thiếu nhi", 1, 6),
        ("Ngày Môi trường thế giới", 5, 6),
        ("Ngày ASEAN phòng, chống sốt xuất huyết", 15, 6),
        ("Ngày Gia đình Việt Nam", 28, 6),
        ("Ngày toàn dân phòng, chống ma túy", 26, 6),
        ("Ngày Quốc tế phòng, chống ma túy", 26, 6),
        ("Ngày Dân số thế giới", 11, 7),
        ("Ngày Thế giới phòng, chống đuối nước", 25, 7),
        ("Ngày Thương binh - Liệt sĩ", 27, 7),
        ("Ngày Quốc khánh", 2, 9),
        ("Ngày Quốc tế Người cao tuổi", 1, 10),
        ("Ngày toàn dân phòng cháy và chữa cháy", 4, 10),
        ("Ngày toàn dân phòng cháy, chữa cháy", 4, 10),
        ("Ngày toàn dân PCCC", 4, 10),
        ("Ngày truyền thống lực lượng Cảnh sát phòng cháy, chữa cháy", 4, 10),
        ("Ngày Chuyển đổi số quốc gia", 10, 10),
        ("Ngày Phụ nữ Việt Nam", 20, 10),
        ("Ngày Pháp luật Việt Nam", 9, 11),
        ("Ngày Đại đoàn kết toàn dân tộc", 18, 11),
        ("Ngày Nhà giáo Việt Nam", 20, 11),
        ("Ngày Thế giới phòng, chống AIDS", 1, 12),
        ("Ngày Dân số Việt Nam", 26, 12),
        ("Ngày truyền thống ngành Dân số Việt Nam", 26, 12),
        ("Ngày thành lập Quân đội nhân dân Việt Nam", 22, 12),
    )
}
_KNOWN_KEYS = sorted(KNOWN_OBSERVANCES, key=len, reverse=True)
#: other spellings of one day, so it is listed once
_SAME_DAY = {
    fold("Ngày toàn dân PCCC"): fold("Ngày toàn dân phòng cháy và chữa cháy"),
    fold("Ngày toàn dân phòng cháy, chữa cháy"): fold("Ngày toàn dân phòng cháy và chữa cháy"),
    fold("Ngày Sách Việt Nam"): fold("Ngày Sách và Văn hóa đọc Việt Nam"),
}

_GENERIC_DAY = {"quốc tế", "thế giới", "toàn dân", "truyền thống", "thành lập", "kỷ niệm", "hội"}
_DAY_START = re.compile(r"(?<![\w])(?P<word>[Nn]gày)\s+(?=[^\W\d_])")
_NOT_A_NAME = frozenset(
    [
        "càng",
        "này",
        "đó",
        "nay",
        "mai",
        "sau",
        "trước",
        "thứ",
        "đầu",
        "cuối",
        "mới",
        "làm",
        "nào",
        "ấy",
        "kia",
        "đêm",
        "tháng",
        "công",
        "hết",
        "qua",
        "tới",
        "nghỉ",
        "đó,",
        "đã",
        "được",
        "có",
    ]
)
# where a day's name ends; every branch after the first begins with a space, written once so
# the search tries the words only after a space (it runs for every "Ngày" in a text)
_NAME_STOP = re.compile(
    r"[()\[\];:.!?“”\"\n]|\s(?:[-–]\s*\d|\d|\s*(?:năm|hàng năm|hằng năm|nhằm|được|với|tại|trên|"
    r"của|gắn|theo|để|cho|vào|lần|sẽ|đã|diễn ra|là)\b|\s*và\s+(?=[Nn]gày|[Tt]háng|[Tt]uần|\d))"
)
_NAME_COMMA_GOES_ON = frozenset({"chống", "chữa", "cứu", "trừ", "phòng"})
_AFTER_DATE = re.compile(
    r"^\s*(?:[-–(:,]\s*)?(?:ngày\s*)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?(?!\d)"
)


def _known_day(k: str) -> tuple[str, tuple[int, int] | None]:
    """A folded day name's key (one for every spelling of one day) and its date when the day
    is a well-known one."""
    for known in _KNOWN_KEYS:
        if k == known or k.startswith(known + " "):
            return (_SAME_DAY.get(known, known) if k == known else k), KNOWN_OBSERVANCES[known]
    return k, None


def find_observances(text: str) -> list[Observance]:
    """Days named in a text ("Ngày toàn dân phòng, chống ma túy - 26/6"), with their date when
    the text gives it or the day is a well-known one."""
    found: list[Observance] = []
    seen: dict[str, int] = {}
    known_days: dict[str, tuple[str, tuple[int, int] | None]] = {}  # name → key, its day
    for m in _DAY_START.finditer(text):
        rest = text[m.end() : m.end() + 400]
        head = rest.split(maxsplit=1)
        first_word = head[0].strip(",.;:") if head else ""
        if first_word.lower() in _NOT_A_NAME:
            continue
        if m.group("word") == "ngày" and not first_word[:1].isupper():
            continue
        stop = _NAME_STOP.search(rest)
        body = rest[: stop.start()] if stop else rest[:200]
        # a comma ends the name unless the name goes on ("phòng, chống")
        for cm in _COMMA_WORD.finditer(body):
            if cm.group(1).lower().strip(",") not in _NAME_COMMA_GOES_ON:
                body = body[: cm.start()]
                break
        words = body.split()[:16]
        while words and words[-1].lower() in {"và", "các", "của", "-", "–"}:
            words.pop()
        if len(words) < 2 or fold(" ".join(words)) in _GENERIC_DAY:
            continue  # "Ngày quốc tế và Ngày toàn dân …": a half of a name, not a day
        name = "Ngày " + " ".join(words).rstrip(",")
        after = m.end() + len(" ".join(words))
        day = month = year = None
        day, month, year, origin = _date_after(text, after)
        if name not in known_days:
            known_days[name] = _known_day(fold(name))
        k, known_date = known_days[name]
        if known_date is not None and day is None:
            day, month = known_date
        _add_observance(found, seen, k, Observance(name, month, day, year, origin))
    for m in _ANNIVERSARY.finditer(text):
        named = _anniversary_name(text[max(0, m.start() - 120) : m.start()])
        d, mo, y1 = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if named and (d, mo) == (int(m.group(4)), int(m.group(5))) and y1 < int(m.group(6)):
            key = _known_day(fold(named))[0] if named.startswith(("Ngày", "ngày")) else fold(named)
            _add_observance(found, seen, key, Observance(named, mo, d, None, y1))
    return found


def _date_after(text: str, after: int) -> tuple[int | None, int | None, int | None, int | None]:
    """The day, month and year written after a day's name, and the year it began when the
    date is its anniversary range ("(19/5/1890 - 19/5/2025)": yearly, since 1890)."""
    dm = _AFTER_DATE.match(text[after : after + 30])
    if not dm:
        return None, None, None, None
    day, month = int(dm.group("d")), int(dm.group("m"))
    year = int(dm.group("y")) if dm.group("y") else None
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year or 2024, month)[1]):
        return None, None, None, None
    rm = _RANGE_END.match(text, after + dm.end())
    if (
        year
        and rm
        and (int(rm.group(1)), int(rm.group(2)), True) == (day, month, int(rm.group(3)) > year)
    ):
        return day, month, None, year
    return day, month, year, None


def _add_observance(found: list[Observance], seen: dict[str, int], key: str, o: Observance) -> None:
    """One observance per day named: a later mention gives the date an earlier one lacked."""
    if key in seen:
        n = seen[key]
        if found[n].day is None and o.day is not None:
            found[n] = o
        elif found[n].origin is None and o.origin is not None and found[n].day == o.day:
            found[n] = replace(found[n], year=None, origin=o.origin)
        return
    seen[key] = len(found)
    found.append(o)


# "(19/8/1945 - 19/8/2024)": an anniversary, the day named right before it
_ANNIVERSARY = re.compile(
    r"\(\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*[-–]\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*\)"
)
_RANGE_END = re.compile(r"\s*[-–]\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_NAME_OPENS = re.compile(
    r"(?:\d+\s+năm|kỷ niệm|chào mừng|hưởng ứng|và|[,;.:!?“”\"()\n])\s*", re.IGNORECASE
)


def _anniversary_name(before: str) -> str | None:
    """'… kỷ niệm 79 năm Cách mạng tháng Tám' → 'Cách mạng tháng Tám'."""
    before = before.rstrip()
    cuts = [m.end() for m in _NAME_OPENS.finditer(before)]
    name = before[cuts[-1] :] if cuts else before
    name = name.strip(" -–")
    words = name.split()
    if not (2 <= len(words) <= 14) or not name[:1].isupper():
        return None
    return name


# --- the period a directive covers ------------------------------------------------------------

_DAY_MONTH = r"\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?"
_RANGE = re.compile(
    rf"từ\s+(?:ngày\s*)?(?P<a>{DATE_PATTERN}|{_DAY_MONTH})\s*(?:đến|tới|-|–)\s*(?:hết\s+)?"
    rf"(?:ngày\s*)?(?P<b>{DATE_PATTERN})",
    re.IGNORECASE,
)
_MONTHS = re.compile(
    r"từ\s+(?:đầu\s+)?tháng\s*(?P<m1>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y1>\d{4}))?\s*(?:đến|tới|-|–)\s*"
    r"(?:hết\s+|cuối\s+)?tháng\s*(?P<m2>\d{1,2})\s*(?:/|năm)\s*(?P<y2>\d{4})",
    re.IGNORECASE,
)
_QUARTER = re.compile(r"\bquý\s+(?P<q>IV|III|II|I|[1-4])\s*(?:/|năm)\s*(?P<y>\d{4})", re.IGNORECASE)
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WEEK = re.compile(
    r"(?P<from>từ\s+)?tuần\s*(?:thứ\s*)?(?P<w>\d)\s*[,\-–]?\s*(?:của\s+)?tháng\s*(?P<m>\d{1,2})"
    r"\s*(?:/|năm|-)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_YEARS = re.compile(
    r"giai\s+đoạn\s*(?:năm\s*|từ\s*)?(?P<a>\d{4})\s*(?:-|–|đến)\s*(?:năm\s*)?(?P<b>\d{4})",
    re.IGNORECASE,
)
# "ngày 26 tháng 9 năm 2025" is a day, not the month of September
_MONTH = re.compile(
    r"(?<!\d/)(?<!\d\s)tháng\s*(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})", re.IGNORECASE
)
_FROM = re.compile(rf"(?:liên tục|bắt đầu)\s+từ\s+(?:ngày\s*)?(?P<a>{DATE_PATTERN})", re.IGNORECASE)
_QUOTED = re.compile(r"[“\"][^“”\"]*[”\"]")
# dates that are not a period: a law's effective date, a deadline for reporting back
_NOT_PERIOD = re.compile(
    rf"(?:có hiệu lực(?: thi hành)?|trước|chậm nhất)\s+(?:từ\s+)?(?:ngày\s*)?(?:{DATE_PATTERN}|{_DAY_MONTH})",
    re.IGNORECASE,
)


def week_of_month(year: int, month: int, week: int) -> tuple[date, date] | None:
    """Week ``week`` of a month, Monday to Sunday. Week 1 is the week holding the 1st when the
    1st falls Monday–Thursday, else the week after (most of its days are in the month)."""
    if not (1 <= month <= 12 and 1 <= week <= 6):
        return None
    first = date(year, month, 1)
    monday = first - timedelta(days=first.weekday())
    if first.weekday() > 3:
        monday += timedelta(days=7)
    start = monday + timedelta(weeks=week - 1)
    return start, start + timedelta(days=6)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _ranges(plain: str) -> Period | None:
    """Every "từ ngày … đến ngày …" of a text, as one envelope (two windows of flag-hanging
    give one period); a first day without its year takes the second's."""
    spans: list[tuple[date, date, str]] = []
    for m in _RANGE.finditer(plain):
        end = parse_date(m.group("b"))
        if end is None:
            continue
        start = parse_date(m.group("a"))
        if start is None:
            parts = re.findall(r"\d+", m.group("a"))
            try:
                start = date(end.year, int(parts[1]), int(parts[0]))
            except ValueError:
                continue
            if start > end:
                start = start.replace(year=end.year - 1)
        if start <= end:
            spans.append((start, end, clean_phrase(m.group(0))))
    if not spans:
        return None
    text = spans[0][2] if len(spans) == 1 else "; ".join(s[2] for s in spans)
    return Period(text, min(s[0] for s in spans), max(s[1] for s in spans))


def find_period(text: str, open_start: bool = False) -> Period | None:
    """The period a text states ("Từ tuần 4, tháng 5/2021", "từ ngày 15/5 đến ngày 22/5/2022",
    "từ tháng 4 đến tháng 6 năm 2023", "quý IV năm 2025", "Giai đoạn 2022 - 2030"), skipping
    names in quotes, effective dates and deadlines; ``open_start``: "liên tục từ ngày …" too
    (a period with no end)."""
    plain = _NOT_PERIOD.sub(" ", _QUOTED.sub(" ", text))
    found = _ranges(plain)
    if found:
        return found
    m = _MONTHS.search(plain)
    if m:
        y2, m1, m2 = int(m.group("y2")), int(m.group("m1")), int(m.group("m2"))
        y1 = int(m.group("y1")) if m.group("y1") else (y2 if m1 <= m2 else y2 - 1)
        if 1 <= m1 <= 12 and 1 <= m2 <= 12 and (y1, m1) <= (y2, m2):
            return Period(clean_phrase(m.group(0)), date(y1, m1, 1), _month_end(y2, m2))
    m = _WEEK.search(plain)
    if m:
        week = week_of_month(int(m.group("y")), int(m.group("m")), int(m.group("w")))
        if week:
            end = None if m.group("from") else week[1]
            return Period(clean_phrase(m.group(0)), week[0], end)
    m = _QUARTER.search(plain)
    if m:
        q, y = _QUARTERS[m.group("q").upper()], int(m.group("y"))
        return Period(clean_phrase(m.group(0)), date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
    m = _YEARS.search(plain)
    if m and int(m.group("a")) <= int(m.group("b")):
        return Period(
            clean_phrase(m.group(0)), date(int(m.group("a")), 1, 1), date(int(m.group("b")), 12, 31)
        )
    m = _MONTH.search(plain)
    if m and 1 <= int(m.group("m")) <= 12:
        y, mo = int(m.group("y")), int(m.group("m"))
        return Period(clean_phrase(m.group(0)), date(y, mo, 1), _month_end(y, mo))
    m = _FROM.search(plain) if open_start else None
    if m and (start := parse_date(m.group("a"))):
        return Period(clean_phrase(m.group(0)), start, None)
    return None
