"""A document cited as officials write it: "Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh".

The kind of document (from its stored type, else read from the symbol of its number), its number
and symbol, its date (day/month/year without leading zeros) and the body that issued it, shortened
the way it is written in a basis ("UBND tỉnh", "Sở VHTT&DL", "Ban Chỉ đạo …"). A part that is not
known is left out with its words: never "Công văn số /STTTT" or a bare "Kế hoạch".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from .messages import Msg, _

#: the abbreviation in a number's symbol ("353/KH-UBND") and the kind of document it names
#: (Decree 30/2020/NĐ-CP, appendix III)
KINDS_BY_SYMBOL = {
    "KH": "Kế hoạch",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "CV": "Công văn",
    "BC": "Báo cáo",
    "CTr": "Chương trình",
    "TTr": "Tờ trình",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TT": "Thông tư",
}

#: full names of departments and ministries and how a basis writes them
_SHORT_NAMES = (
    ("Thông tin và Truyền thông", "TT&TT"),
    ("Văn hóa, Thể thao và Du lịch", "VHTT&DL"),
    ("Văn hóa - Thể thao và Du lịch", "VHTT&DL"),
    ("Văn hóa, Thông tin, Thể thao và Du lịch", "VHTTTT&DL"),
    ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT"),
    ("Nông nghiệp và Môi trường", "NN&MT"),
    ("Tài nguyên và Môi trường", "TN&MT"),
    ("Kế hoạch và Đầu tư", "KH&ĐT"),
    ("Lao động - Thương binh và Xã hội", "LĐ-TB&XH"),
    ("Lao động, Thương binh và Xã hội", "LĐ-TB&XH"),
    ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Khoa học và Công nghệ", "KH&CN"),
    ("Giao thông vận tải", "GTVT"),
    ("Văn hóa - Xã hội", "VH-XH"),
    ("Văn hóa và Thông tin", "VH&TT"),
    ("Văn hóa - Thông tin", "VH-TT"),
    ("VHTTDL", "VHTT&DL"),
    ("TTTT", "TT&TT"),
)
#: the bodies whose name is shortened after them ("Sở …", "Bộ …", "Phòng …")
_SHORTENED_BODIES = ("Sở", "Bộ", "Phòng")
_LEVELS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "xã", "phường")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold(text: str) -> str:
    """For comparing names: NFC, lower case, 'hoá' and 'hóa' alike (old and new tone marks)."""
    text = _nfc(text).lower()
    for old, new in (("oá", "óa"), ("oà", "òa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa")):
        text = text.replace(old, new)
    return text.replace("uỷ", "ủy").replace("uý", "úy")


def short_issuer(issuer: str | None) -> str:
    """The issuing body as written in a basis: "Ủy ban nhân dân tỉnh" → "UBND tỉnh",
    "Sở Văn hóa, Thể thao và Du lịch" → "Sở VHTT&DL", "Ban chỉ đạo …" → "Ban Chỉ đạo …"."""
    name = " ".join(_nfc(issuer or "").split()).strip(" ,;.")
    if _fold(name).startswith("của "):
        name = name[4:].strip()
    if not name:
        return ""
    folded = _fold(name)
    if folded.startswith("ủy ban nhân dân"):
        name, folded = "UBND" + name[len("ủy ban nhân dân") :], "ubnd" + folded[15:]
    if folded.startswith("ubnd "):
        rest = name[5:]
        for level in sorted(_LEVELS, key=len, reverse=True):
            if _fold(rest).startswith(level + " ") or _fold(rest) == level:
                rest = level + rest[len(level) :]
                break
        return "UBND " + rest
    if folded.startswith("ban chỉ đạo"):
        return "Ban Chỉ đạo" + name[len("ban chỉ đạo") :]
    body, _sep, rest = name.partition(" ")
    if body in _SHORTENED_BODIES and rest:
        for full, short in _SHORT_NAMES:
            after = rest[len(full) :]
            if _fold(rest).startswith(_fold(full)) and not after[:1].isalnum():
                return f"{body} {short}{after}"
    return name


def clean_number(number: str | None) -> str:
    """The number and symbol ("353/KH-UBND"), spaces around its dashes and slashes closed up;
    empty when the number itself is missing ("/STTTT-TTBCXB", "…/KH-UBND")."""
    text = re.sub(r"\s*([/-])\s*", r"\1", " ".join(_nfc(number or "").split()))
    return text if text[:1].isdigit() else ""


def kind_of_number(number: str) -> str | None:
    """The kind a number's symbol names ("353/KH-UBND": Kế hoạch; "11-CT/TW": Chỉ thị); a
    symbol of an office only ("318/UBND-VP") is a letter (Công văn), as Decree 30 writes it."""
    parts = [p for p in re.split(r"[/-]", number) if p]
    for part in parts[1:]:
        if part in KINDS_BY_SYMBOL:
            return KINDS_BY_SYMBOL[part]
    if len(parts) >= 2 and "/" in number and not any(p.isdigit() for p in parts[1:]):
        return "Công văn"
    return None


def short_date(day: date) -> str:
    """14/5/2021: the day and month without leading zeros, as in a basis."""
    return f"{day.day}/{day.month}/{day.year}"


def cite(
    kind: str | None,
    number: str | None,
    day: date | None,
    issuer: str | None,
    *,
    month: int | None = None,
    year: int | None = None,
) -> str:
    """The citation, in the active language: "Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND
    tỉnh"; "" when nothing but the kind (or nothing at all) is known. ``month`` and ``year``
    date a document whose day is not known ("tháng 5/2021")."""
    number = clean_number(number)
    body = short_issuer(issuer)
    kind = " ".join(_nfc(kind or "").split()) or (kind_of_number(number) if number else None)
    if not (number or day or year or body):
        return ""
    text: str | Msg = kind or _("Document")
    if number:
        text = _("{document} no. {number}", document=text, number=number)
    if day:
        text = _("{document} of {date}", document=text, date=short_date(day))
    elif year and month:
        text = _("{document} of {month}/{year}", document=text, month=month, year=year)
    elif year:
        text = _("{document} of the year {year}", document=text, year=year)
    if body:
        text = _("{document} by {issuer}", document=text, issuer=body)
    return str(text)
