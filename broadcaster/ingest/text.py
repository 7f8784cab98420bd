"""From extracted text to logical paragraphs: markdown stripped, hard line breaks joined.

Guidance documents reach us with lines broken in the middle of sentences (PDF text layers,
e-mails, text pasted from a PDF viewer, page breaks in converted files). A line is joined to the
one before it unless it starts something of its own (a numbered heading, a bullet, a header field)
or the line before it ended a sentence.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from .limits import Progress, no_progress

PAGE_BREAK = "\f"

# --- structural line starts -------------------------------------------------------------------

ROMAN_VALUES = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
    "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15,
}  # fmt: skip
RE_ROMAN = re.compile(r"^(?P<num>[IVX]{1,4})\s*[.)/:–-]\s*(?P<rest>\S.*)$")
# "1/ Nội dung" needs its space: "98/KH-UBND …" at the start of a wrapped line is a citation
RE_ARABIC = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,2})*)\s*(?:[.)]\s*|/\s+)(?P<rest>[^\d\s.)/].*)$")
RE_ARABIC_NODOT = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\s+(?P<rest>[^\d\s].*)$")
RE_LETTER = re.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
#: "Bài 1: Ý nghĩa …": the pieces a plan has aired, one by one
RE_ARTICLE = re.compile(r"^Bài\s+(?P<num>\d{1,2})\s*[:.–-]\s*(?P<rest>\S.*)$")
RE_BULLET = re.compile(r"^[-–—•▪●◦+*]\s*(?P<rest>(?:[^\W\d_]|[“\"‘(]).*)$")

# capital "Số" only: "số 1520/SYT-NVY" at the start of a wrapped line is a citation
RE_NUMBER_LINE = re.compile(r"^(?:Số|SỐ)\s*(?:hiệu|HIỆU)?\s*[:.]?\s*(?P<num>[^\s/]*\s*/\s*\S+)")
RE_SUBJECT_LINE = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\b\s*[:.]?\s*(?P<rest>.*)$")
RE_ADDRESSEE_LINE = re.compile(r"^Kính\s+gửi\s*[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)
RE_RECIPIENTS_LINE = re.compile(r"^Nơi\s+nhận\s*[:.]?", re.IGNORECASE)
RE_MOTTO = re.compile(
    # a Party body's documents carry "ĐẢNG CỘNG SẢN VIỆT NAM" where the State's carry the motto
    r"^(?:CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*[-–—]\s*Tự\s+do|"
    r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM\s*$)",
    re.IGNORECASE,
)
# "ngày ..... tháng ..... năm": possessive runs (*+), or a long run of dots without "năm"
# after it is tried at every split between the two runs around the missing day
RE_PLACE_DATE = re.compile(
    r"^(?P<place>[^\W\d_][^,\d:;()]{1,40}?)\s*,\s*ngày\b[\s.…_]*+(?P<day>\d{1,2})?[\s.…_]*+"
    r"tháng[\s.…_]*+(?P<month>\d{1,2})?[\s.…_]*+năm\s*+(?P<year>\d{4})",
    re.IGNORECASE,
)
RE_SIGNER_PREFIX = re.compile(
    r"^(?:KT|TM|TL|TUQ|Q|PP|K/T|T/M|T/L)\s*[./]\s*[^\W\d_]", re.IGNORECASE
)

#: a line naming an agency starts a new header line ("UBND TỈNH X" / "SỞ Y")
RE_AGENCY_LINE = re.compile(
    r"^(?:SỞ|PHÒNG|BAN|TRUNG TÂM|ỦY BAN|UỶ BAN|UBND|ĐÀI|CỤC|BỘ|CHI CỤC|VĂN PHÒNG|HỘI|"
    r"ĐẢNG ỦY|ĐẢNG UỶ|TỈNH ỦY|HUYỆN ỦY|THỊ ỦY|BỘ CHỈ HUY|BAN CHỈ HUY|CÔNG AN)\b"
)

_TERMINAL = (".", ";", ":", "!", "?", "./.", "/.")
_DASH_NUMBER = re.compile(r"^[-–]\s*\d")


def is_upper_line(line: str) -> bool:
    """Written in capitals (headings, issuing bodies): at least three letters, none lower-case."""
    # filter() runs at C speed and stops early: this is asked of every paragraph, long ones too
    if any(c.isalpha() for c in filter(str.islower, line)):
        return False
    return len(list(itertools.islice(filter(str.isalpha, line), 3))) == 3


def marker_of(line: str) -> tuple[str, str, str] | None:
    """(kind, label, rest) when the line opens a numbered part or a bullet."""
    m = RE_ROMAN.match(line)
    if m and m.group("num") in ROMAN_VALUES:
        return "roman", m.group("num"), m.group("rest")
    m = RE_ARABIC.match(line) or RE_ARABIC_NODOT.match(line)
    if m:
        return "arabic", m.group("num"), m.group("rest")
    m = RE_LETTER.match(line)
    if m:
        return "letter", m.group("num"), m.group("rest")
    m = RE_ARTICLE.match(line)
    if m:
        return "article", m.group("num"), m.group("rest")
    m = RE_BULLET.match(line)
    if m:
        glyph = line[0]
        return "bullet", "-" if glyph in "-–—" else glyph, m.group("rest")
    return None


def starts_field(line: str) -> bool:
    """A header or closing field that always begins its own line."""
    return bool(
        RE_NUMBER_LINE.match(line)
        or RE_SUBJECT_LINE.match(line)
        or RE_ADDRESSEE_LINE.match(line)
        or RE_RECIPIENTS_LINE.match(line)
        or RE_MOTTO.match(line)
        or RE_PLACE_DATE.match(line)
        or RE_SIGNER_PREFIX.match(line)
    )


def starts_structure(line: str) -> bool:
    return marker_of(line) is not None or starts_field(line)


# --- markdown ---------------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_MD_BULLET = re.compile(r"^[ \t]*([*+])[ \t]+", re.MULTILINE)
_MD_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
# a link's text holds no bracket: on a long line of "[" (or "<http:") without a closing
# one, a match would otherwise be tried to the end of the line from every bracket
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,1000})\]\(([^)\s]{1,2000})\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]{1,2000})>")
_MD_STRONG = re.compile(r"\*\*|__")
_MD_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def _strip_heading(line: str) -> str:
    stripped = line.lstrip(" ")
    if stripped.startswith("#") and len(line) - len(stripped) <= 3:
        body = stripped.lstrip("#")
        if len(stripped) - len(body) <= 6 and (not body or body[0] in " \t"):
            return body.strip(" \t").rstrip("#").rstrip(" \t")
    return line


def strip_markdown(text: str) -> str:
    """Markdown emphasis, headings, links and escapes are formatting, not content."""
    # each pattern runs only when the character it needs is there: most guidance is plain
    # text, and a pass over 20 MB costs a tenth of a second or more
    text = _MD_RULE.sub("", text)
    if "#" in text:
        text = "\n".join(_strip_heading(line) for line in text.split("\n"))
    if "*" in text or "+" in text:
        # the glyph stays: "* Nội dung:" over "+ Ý nghĩa …" is a list inside a list
        text = _MD_BULLET.sub(r"\1 ", text)
    if ">" in text:
        text = _MD_QUOTE.sub("", text)
    if "](" in text:
        text = _MD_LINK.sub(lambda m: m.group(1) if "://" not in m.group(1) else m.group(2), text)
    if "<" in text:
        text = _MD_AUTOLINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_STRONG.sub("", text)
    if "*" in text:
        text = _MD_EM.sub(r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text) if "\\" in text else text


# --- characters -------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def clean_characters(text: str) -> str:
    """NFC, one kind of space, no invisible or control characters; form feeds mark pages."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)  # the spaces are not line breaks: one pass over the text
    return "\n".join(line.strip() for line in text.split("\n"))


# --- joining ----------------------------------------------------------------------------------


def _starts_lower(line: str) -> bool:
    for c in line:
        if c.isalpha():
            return c.islower()
        if c not in "“\"‘'(":
            return False
    return False


def _dash_number(line: str) -> bool:
    """'- 2030” trên địa bàn…': a wrapped range, not a bullet."""
    return bool(_DASH_NUMBER.match(line))


def _ends_sentence(line: str) -> bool:
    return line.endswith(_TERMINAL)


def looks_wrapped(lines: list[str]) -> bool:
    """Lines cut at a fixed width (PDF, e-mail) rather than one paragraph per line."""
    lengths = sorted(len(x) for x in lines if x and x != PAGE_BREAK)
    if len(lengths) < 8:
        return False
    p90 = lengths[int(len(lengths) * 0.9)]
    return p90 <= 120


#: how much of a paragraph's start decides whether the next line may join it (its header
#: fields are short); the whole paragraph would make joining quadratic in its length
_HEAD = 2000


def to_paragraphs(
    text: str, wrapped: bool | None = None, progress: Progress = no_progress
) -> list[str]:
    """Logical paragraphs (one per numbered heading, bullet, header field or prose paragraph)."""
    lines = text.split("\n")
    if wrapped is None:
        wrapped = looks_wrapped(lines)
    lengths = sorted(len(x) for x in lines if x and x != PAGE_BREAK)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    paragraphs: list[str] = []
    parts: list[str] = []  # the lines of the paragraph being joined
    head = ""  # its first _HEAD characters
    last_line = ""
    gap = ""  # "" same block, "blank" after a blank line, "page" after a page break
    for n, raw in enumerate(lines, start=1):
        if n % 20_000 == 0:
            progress("paragraphs", n, len(lines))
        line = raw.strip()
        if line == PAGE_BREAK or not line:
            if parts:
                gap = "page" if line == PAGE_BREAK or gap == "page" else "blank"
            continue
        if parts and _should_join(head, last_line, line, gap, wrapped, width):
            parts.append(line)
            if len(head) < _HEAD:
                head = f"{head} {line}"[:_HEAD]
        else:
            if parts:
                paragraphs.append(" ".join(parts))
            parts = [line]
            head = line[:_HEAD]
        last_line = line
        gap = ""
    if parts:
        paragraphs.append(" ".join(parts))
    progress("paragraphs", len(lines), len(lines))
    return paragraphs


def _should_join(para: str, prev: str, line: str, gap: str, wrapped: bool, width: int) -> bool:
    if starts_structure(line) and not _dash_number(line):
        return False
    if RE_MOTTO.match(para) or RE_NUMBER_LINE.match(para) or RE_PLACE_DATE.match(para):
        return False
    if RE_RECIPIENTS_LINE.match(para) or (RE_SIGNER_PREFIX.match(para) and not is_upper_line(line)):
        return False
    prev_upper, line_upper = is_upper_line(prev), is_upper_line(line)
    if prev_upper and line_upper:
        return gap == "" and not _ends_sentence(prev) and not RE_AGENCY_LINE.match(line)
    if prev_upper != line_upper and not _starts_lower(line):
        return False
    if _ends_sentence(prev):
        return False
    lower = _starts_lower(line) or _dash_number(line)
    if gap == "blank":
        return lower
    # "…(theo Công văn số" / "2390/UBND-KGVX ngày …": a number that is not a heading goes on
    lower = lower or line[:1].isdigit()
    long_line = width > 0 and len(prev) >= 0.7 * width
    if gap == "page":
        return lower or (wrapped and long_line and not prev.endswith((")", "”", '"')))
    return lower or (wrapped and long_line)
