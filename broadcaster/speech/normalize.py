"""Vietnamese text normalisation for speech.

Turns a guidance document's Vietnamese into what an announcer would say: numbers, dates, times,
ratios, units, phone numbers, document numbers, Roman numerals and abbreviations become words, so
that a TTS engine (gTTS, espeak-ng) never has to guess. One input line gives one output line; the
output is NFC and holds no digit and no abbreviation from the dictionary.

The rules run as ordered regex passes over each line; the order matters (a document number must be
read before its slash looks like a date, a phone number before its dots look like thousands, a
dash between two numbers must become "đến" before the numbers become words). The module is pure
apart from reading its abbreviation file (cached).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from broadcaster.domain.errors import InputError

__all__ = ["NormalizeOptions", "load_abbreviations", "normalize_text", "read_number"]

Dialect = Literal["north", "south"]
CodeMode = Literal["drop", "spell"]


@dataclass(frozen=True)
class NormalizeOptions:
    """How to read a text aloud.

    ``dialect``: "north" reads 1.005 as "một nghìn không trăm linh năm", "south" as "một ngàn không
    trăm lẻ năm" (and 24 as "hai mươi bốn" rather than "hai mươi tư").
    ``document_codes``: in "Kế hoạch số 353/KH-UBND" the number is always read; the code after the
    slash is dropped ("drop") or spelt letter by letter ("spell": "trên ca hát gạch u bê en đê").
    ``abbreviations_file``: a TOML file with an ``[abbreviations]`` table merged over the shipped one.
    """

    dialect: Dialect = "north"
    document_codes: CodeMode = "drop"
    abbreviations_file: Path | None = None


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


@dataclass(frozen=True)
class _Lexicon:
    thousand: str  # nghìn / ngàn
    odd: str  # linh / lẻ: the word before a lone unit after "trăm" (105)
    four: str  # tư / bốn: 4 after "mươi" (24)


_LEXICA: dict[str, _Lexicon] = {
    "north": _Lexicon("nghìn", "linh", "tư"),
    "south": _Lexicon("ngàn", "lẻ", "bốn"),
}


def _triple(n: int, full: bool, lex: _Lexicon) -> list[str]:
    """Words for 0 < n < 1000; ``full`` reads the hundreds even when zero (không trăm)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(lex.odd)
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append(lex.four)
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _int_words(n: int, lex: _Lexicon, leading: bool) -> list[str]:
    if n >= 1_000_000_000:
        high, low = divmod(n, 1_000_000_000)
        words = [*_int_words(high, lex, leading), "tỷ"]
        if low:
            words += _int_words(low, lex, leading=False)
        return words
    words = []
    started = not leading
    for value, name in (
        (n // 1_000_000 % 1000, "triệu"),
        (n // 1000 % 1000, lex.thousand),
        (n % 1000, ""),
    ):
        if value == 0:
            continue
        words += _triple(value, started, lex)
        if name:
            words.append(name)
        started = True
    return words


def read_number(n: int, dialect: Dialect = "north") -> str:
    """Read a whole number the way a Vietnamese announcer does (22074 → hai mươi hai nghìn …)."""
    if n < 0:
        return "âm " + read_number(-n, dialect)
    if n == 0:
        return "không"
    return " ".join(_int_words(n, _LEXICA[dialect], leading=True))


def _read_digits(digits: str) -> str:
    return " ".join(_DIGITS[int(d)] for d in digits if d.isdigit())


def _read_int_str(digits: str, dialect: Dialect) -> str:
    """A run of digits as written: codes with leading zeros and very long runs digit by digit."""
    if (len(digits) >= 3 and digits[0] == "0") or len(digits) > 15:
        return _read_digits(digits)
    return read_number(int(digits), dialect)


def _read_fraction(digits: str, dialect: Dialect) -> str:
    # 65,4 → bốn; 3,14 → mười bốn; 0,05 → không năm; 2,125 → một hai năm (as announcers do)
    if len(digits) <= 2 and digits[0] != "0":
        return read_number(int(digits), dialect)
    return _read_digits(digits)


def _read_decimal(text: str, dialect: Dialect) -> str:
    whole, _, frac = text.partition(",")
    words = read_number(int(whole.replace(".", "")), dialect)
    if frac:
        words += " phẩy " + _read_fraction(frac, dialect)
    return words


# --------------------------------------------------------------------------------------------
# Letters, months, Roman numerals
# --------------------------------------------------------------------------------------------

# Letter names as Vietnamese media spell acronyms (VTV: vê tê vê, VNPT: vê en pê tê).
_LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em", "N": "en", "O": "o",
    "P": "pê", "Q": "cu", "R": "e rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê", "W": "vê kép",
    "X": "ích", "Y": "i", "Z": "dét",
}  # fmt: skip

_MONTHS = (
    "", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai",
)  # fmt: skip

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
# Only I, V and X: "mục C", "phần D" are item letters, not 100 and 500.
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN_RE = re.compile(rf"{_ROMAN}\Z")


def _roman_value(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _spell(token: str, dialect: Dialect) -> str:
    """Spell an acronym/code: letters by name, digit runs as numbers, & as "và"."""
    words: list[str] = []
    for part in re.findall(r"\d+|[^\W\d_]|&", token):
        if part[0].isdigit():
            words.append(_read_int_str(part, dialect))
        elif part == "&":
            words.append("và")
        else:
            words.append(_LETTER_NAMES.get(part.upper(), part.lower()))
    return " ".join(words)


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d), to compare initials and words."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?\Z"
)


def _is_syllable(token: str) -> bool:
    """True for a plausible Vietnamese syllable written in capitals (BAN, KINH), not UBND."""
    return _SYLLABLE_RE.match(_fold(token)) is not None


# --------------------------------------------------------------------------------------------
# Abbreviation dictionary
# --------------------------------------------------------------------------------------------

_DEFAULT_FILE = "abbreviations.toml"


def _parse_table(raw: bytes, source: str) -> dict[str, str]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc}); save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: invalid TOML ({exc}); fix the line named") from exc
    table = data.get("abbreviations")
    if not isinstance(table, dict):
        raise InputError(
            f'{source}: no [abbreviations] table; write entries as `"UBND" = "Ủy ban nhân dân"` '
            "under a line `[abbreviations]`"
        )
    result: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise InputError(
                f'{source}: abbreviations."{key}" is {type(value).__name__}, not text; '
                "write the spoken words in quotes"
            )
        result[unicodedata.normalize("NFC", key.strip())] = unicodedata.normalize(
            "NFC", " ".join(value.split())
        )
    return result


@lru_cache(maxsize=1)
def _default_table() -> dict[str, str]:
    raw = resources.files("broadcaster.speech").joinpath("data", _DEFAULT_FILE).read_bytes()
    return _parse_table(raw, f"broadcaster/speech/data/{_DEFAULT_FILE}")


def _read_extra(path: Path) -> dict[str, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"abbreviations file {path} cannot be read ({exc.strerror}); "
            "check the path given with --abbreviations"
        ) from exc
    return _parse_table(raw, str(path))


def load_abbreviations(path: Path | None = None) -> dict[str, str]:
    """The abbreviation dictionary: the shipped one, with ``path``'s entries merged over it.

    In ``path`` an empty value removes an entry of the shipped dictionary.
    """
    table = dict(_default_table())
    if path is not None:
        for key, value in _read_extra(path).items():
            if value:
                table[key] = value
            else:
                table.pop(key, None)
    return table


def _key_pattern(key: str, has_bare: bool) -> str:
    parts: list[str] = []
    for ch in key:
        if ch == " ":
            if not parts or parts[-1] not in (r"\s+", r"\s*[-–]\s*", r"\s*&\s*"):
                parts.append(r"\s+")
        elif ch in "&-":
            if parts and parts[-1] == r"\s+":
                parts.pop()
            parts.append(r"\s*[-–]\s*" if ch == "-" else r"\s*&\s*")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if key.endswith(".") and has_bare:
        # "TT. HĐND" is Thường trực; "theo TT." ends a sentence and leaves "TT" (thông tư) and "."
        return body + r"(?=\s+\S)"
    # letters, not digits, bound a key: "TƯ5", "COVID19" still hold an abbreviation
    return body + r"(?![^\W\d_])"


@dataclass(frozen=True)
class _Dictionary:
    table: dict[str, str]
    pattern: re.Pattern[str] | None
    lookup: dict[str, str]  # canonical (spaces collapsed, & and - unspaced) → words


def _canonical(text: str) -> str:
    text = re.sub(r"\s*([&\-–])\s*", r"\1", text).replace("–", "-")
    return " ".join(text.split())


def _compile_dictionary(table: dict[str, str], source: str) -> _Dictionary:
    keys = sorted((k for k in table if k), key=len, reverse=True)
    if not keys:
        return _Dictionary(table, None, {})
    first = "".join(sorted({re.escape(k[0]) for k in keys}))
    alternation = "|".join(_key_pattern(k, k.rstrip(".") in table) for k in keys)
    pattern = re.compile(rf"(?=[{first}])(?<![^\W\d_])(?:{alternation})")
    for key, value in table.items():
        found = pattern.search(value)
        if found:
            raise InputError(
                f'{source}: the words for "{key}" contain the abbreviation "{found.group(0)}"; '
                "write it out in words"
            )
        if re.search(r"[0-9]", value):
            raise InputError(
                f'{source}: the words for "{key}" contain digits ("{value}"); write numbers as words'
            )
    lookup = {_canonical(k): v for k, v in table.items()}
    return _Dictionary(table, pattern, lookup)


@lru_cache(maxsize=16)
def _dictionary_for(path: str | None, _mtime: int, _size: int) -> _Dictionary:
    source = path or f"broadcaster/speech/data/{_DEFAULT_FILE}"
    return _compile_dictionary(load_abbreviations(Path(path) if path else None), source)


def _dictionary(options: NormalizeOptions) -> _Dictionary:
    path = options.abbreviations_file
    if path is None:
        return _dictionary_for(None, 0, 0)
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError(
            f"abbreviations file {path} cannot be read ({exc.strerror}); "
            "check the path given with --abbreviations"
        ) from exc
    return _dictionary_for(str(path), stat.st_mtime_ns, stat.st_size)


# --------------------------------------------------------------------------------------------
# Patterns (compiled once)
# --------------------------------------------------------------------------------------------

_VERTICAL_SPACE = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\t]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
_CAP = "\x01"  # marks a number that starts a sentence, to capitalise its first word

_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_EMPHASIS = re.compile(r"\*+")
_BULLET = re.compile(r"^\s*[-–—•▪●+]\s+")
_END_SLASH = re.compile(r"\.?/\.?(?=\s*$)")
_SENTENCE_NUMBER = re.compile(r"(^|[.!?…]\s+)(?=\d)")

_EMAIL = re.compile(r"(?<![\w.])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_URL_TAIL = r"[^\s<>()\[\]\"“”,;]*[^\s<>()\[\]\"“”,;.!?:'’]"  # a final "." ends the sentence
_URL = re.compile(
    rf"(?:https?://\s?|(?<![\w.])www\.){_URL_TAIL}"
    rf"|(?<![\w.@/])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov|edu|int|info)(?:/(?:{_URL_TAIL})?)?(?![\w])"
)
_TLD_WORDS = {
    "vn": "vê en", "com": "com", "net": "nét", "org": "o e rờ giê", "gov": "giê o vê",
    "edu": "e dê u", "int": "i en tê", "info": "in phô",
}  # fmt: skip

_PAREN_ABBR = re.compile(r"\s*\(\s*([A-ZĐ][A-Za-zĐđ&.\-]*[A-Za-zĐđ])\s*\)")
_WORD = re.compile(r"\w+")
_SKIPPABLE = {"va", "cua", "cac", "voi"}

_CODE_PART = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
_CODE = rf"{_CODE_PART}(?:[-–]{_CODE_PART})*(?:/{_CODE_PART}(?:[-–]{_CODE_PART})*)*"
# 353/KH-UBND, 3717 /UBND-VX, 137/2015/NĐ-CP, 28/2019/TT-BLĐTBXH
_DOC_SLASH = re.compile(rf"(?<![\w/.,])(\d+)(?:/(\d{{4}}))?\s?/\s?({_CODE})(?![\w])")
# 21-NQ/TW, 49-KL/TW
_DOC_DASH = re.compile(rf"(?<![\w/.,])(\d+)[-–]({_CODE_PART}(?:[-–]{_CODE_PART})*/{_CODE})(?![\w])")
# "Số: /STTTT-TTBCXB" (number left blank in a draft)
_DOC_BLANK = re.compile(rf"(?<!\w)([Ss]ố\s*:?)\s*/({_CODE})(?![\w])")

_PHONE_KEYWORD = re.compile(
    r"(?<!\w)((?i:số\s+điện\s+thoại|điện\s+thoại|đường\s+dây\s+nóng|tổng\s+đài|hotline|fax)|SĐT|ĐT)"
    r"(\s*:?\s*)(\+?\d(?:[ .\-]?\d){2,13})(?![\w])"
)
_PHONE_CALL = re.compile(
    r"(?<!\w)((?i:gọi)(?:\s+(?:ngay|đến|tới|vào))?(?:\s+số)?\s+)(11\d)(?![\w])"
)
_PHONE = re.compile(r"(?<![\w.,/+])((?:\+84|0)(?:[ .\-]?\d){8,10})(?![\w]|[.,]\d)")
_HOTLINE = re.compile(r"(?<![\w.,/])((?:1800|1900)[ .]?\d{2,4}(?:[ .]?\d{2,4})?)(?![\w]|[.,]\d)")

_ALNUM_ACRONYM = re.compile(r"(?<![\w/])(?:[A-ZĐ]/)?[A-ZĐ]+\d[A-ZĐ0-9]*(?![\w])")
_PER_WORDS = (
    "ngày|tháng|năm|tuần|giờ|phút|người|hộ|lượt|lần|con|buổi|suất|xuất|chiếc|cái|kg|km|ha|m2|m²|"
    "tấn|lít|tạ|sào|công|học sinh|em"
)
_PER = re.compile(rf"(\d[\d.,]*\s?[^\W\d_]+)\s?/\s?({_PER_WORDS})(?![\w])")

_DATE_DASHED = re.compile(r"(?<![\w/.,\-])(\d{1,2})([.\-])(\d{1,2})\2(\d{4})(?![\w]|[.,\-/]\d)")
_DAY_DASH_MONTH = re.compile(r"(?<!\w)((?i:ngày)\s+)(\d{1,2})-(\d{1,2})(?![\w/.,\-–])")
_RANGE_DASH = re.compile(r"(?:(?<=\d)|(?<=\d[h%'’]))\s*[-–—]\s*(?=\d)")
_NEGATIVE = re.compile(r"(?:(?<=^)|(?<=[\s(]))[-−](?=\d)")

_DMY = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/]|[.,]\d)")
_MY = re.compile(r"(?<![\w/.,])(?:([Tt]háng|THÁNG)\s+)?(\d{1,2})/(\d{4})(?![\w/]|[.,]\d)")
_DM = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)")
_SLASH_NUMBERS = re.compile(r"(?<=\d)\s*/\s*(?=\d)")
_COLON_NUMBERS = re.compile(r"(?<=\d):(?=\d)")  # a scale or ratio (1:500); times are read first
_PREV_WORD = re.compile(r"(\w+)\W*\Z")
_NEXT_WORDS = re.compile(r"\W{0,3}(\w+)(?:\s+(\w+))?")

_ADDRESS_BEFORE = {"ngõ", "ngách", "hẻm", "kiệt", "nhà", "số"}
_DATE_BEFORE = {
    "ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "từ", "đến", "trước", "sau",
    "đường", "phố",  # streets named after dates: đường 3/2, phố 30/4
}  # fmt: skip
_COUNTED = {
    "huyện", "xã", "phường", "thị", "thành", "tỉnh", "quận", "đơn", "trường", "người", "hộ",
    "thôn", "bon", "buôn", "bản", "ấp", "khóm", "tổ", "ca", "tiêu", "chỉ", "cơ", "điểm", "xóm",
    "làng", "khu", "địa", "sở", "ban", "ngành", "phòng", "học", "câu", "bài", "lớp", "trạm",
    "đội", "nhóm", "hội", "doanh", "bệnh", "chi", "đảng", "thí", "vùng", "tuyến", "nội", "lượt",
    "trận", "khối", "công", "dự", "cụm", "chiếc", "con", "cái", "căn", "ngôi", "mô", "gia",
    "đoàn", "cán", "hợp", "phiếu", "ý", "thành viên", "nhiệm", "mục", "cuộc", "trang", "thủ",
}  # fmt: skip
_FRACTION_NEXT = {"số", "dân", "diện", "tổng", "lượng", "khối", "quãng", "thời"}

_TIME_HM = re.compile(
    r"(?<![\w:.,])([01]?\d|2[0-4])[hHg:]([0-5]\d)(?:(?:['’]|\s?phút)(?!\w))?(?![\w]|[.,:]\d)"
)
_TIME_H = re.compile(r"(?<![\w:.,])([01]?\d|2[0-4])\s?[hH](?![\w])")

_ORDINAL = re.compile(rf"(?<!\w)([Tt]hứ|THỨ)\s+(\d+|{_ROMAN})(?![\w])")
_MONTH = re.compile(r"(?<!\w)([Tt]háng|THÁNG)\s+(\d{1,2})(?![\w/]|[.,]\d)")
_ROMAN_AFTER = re.compile(
    r"(?<!\w)((?i:khóa|khoá|kỳ|kì|lần|phần|chương|mục|quý|đại hội|thế kỷ|thế kỉ|phụ lục|tập|phiên))"
    rf"\s+({_ROMAN})(?:/(\d{{4}}))?(?![\w])"
)
_ROMAN_HEADING = re.compile(rf"^(\s*)({_ROMAN})\.(?=\s)")

_UNITS = {
    "km/h": "ki lô mét trên giờ", "m/s": "mét trên giây", "km²": "ki lô mét vuông",
    "km2": "ki lô mét vuông", "m²": "mét vuông", "m2": "mét vuông", "m³": "mét khối",
    "m3": "mét khối", "km": "ki lô mét", "cm": "xăng ti mét", "mm": "mi li mét", "ha": "héc ta",
    "kg": "ki lô gam", "mg": "mi li gam", "ml": "mi li lít", "kWh": "ki lô oát giờ",
    "kW": "ki lô oát", "MW": "mê ga oát", "°C": "độ xê", "℃": "độ xê", "°": "độ",
    "%": "phần trăm", "m": "mét", "g": "gam", "đ": "đồng",
}  # fmt: skip
_UNIT = re.compile(
    r"(?<=\d)\s?("
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    + r")(?![\w])"
)

_NUMBER = re.compile(
    r"(?<!\d)(?:"
    r"(?P<th>\d{1,3}(?:\.\d{3})+(?:,\d+)?)"
    r"|(?P<dec>\d+,\d+)"
    r"|(?P<dot>\d+(?:\.\d+)+)"
    r"|(?P<int>\d+)"
    r")(?!\d)"
)
_ANY_DIGITS = re.compile(r"\d+")

_ACRONYM = re.compile(r"(?<![\w'’])[A-ZĐ]{2,}(?![\w'’])")
_LONE_CONSONANT = re.compile(r"(?<![\w'’.])[BCDĐFGHJKLMNPQRSTVWXZ](?![\w'’])")

_AMPERSAND = re.compile(r"\s*&\s*")
_WORD_SLASH = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])")
_SLASH = re.compile(r"\s*/\s*")
_SPACED_DASH = re.compile(r"\s+[-–—]+\s+|(?<=\w)[-–—]+\s+|\s+[-–—]+(?=\w)|(?<=\w)[—]+(?=\w)")
_INNER_HYPHEN = re.compile(r"(?<=\w)[-–](?=\w)")
_PERCENT = re.compile(r"\s*%")
_SPACES = re.compile(r"[ ]{2,}")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?…)\]”’])")
_SPACE_AFTER = re.compile(r"([(\[“‘])\s+")
_DOUBLE_COMMA = re.compile(r",(?:\s*,)+")
_COMMA_STOP = re.compile(r",\s*([.;:!?])")
_LEADING_COMMA = re.compile(r"^\s*,\s*|(?<=[(\[“])\s*,\s*")
_CAPITALISE = re.compile(_CAP + r"\s*(\w)")


# --------------------------------------------------------------------------------------------
# The passes
# --------------------------------------------------------------------------------------------


def _sub(pattern: re.Pattern[str], text: str, fn: Callable[[re.Match[str]], str]) -> str:
    """``pattern.sub`` that keeps a space between the replacement and an adjacent word."""

    def replace(m: re.Match[str]) -> str:
        rep = fn(m)
        if not rep:
            return rep
        s, e, whole = m.start(), m.end(), m.string
        if s > 0 and whole[s - 1].isalnum() and rep[0].isalnum():
            rep = " " + rep
        if e < len(whole) and whole[e].isalnum() and rep[-1].isalnum():
            rep += " "
        return rep

    return pattern.sub(replace, text)


class _Reader:
    """Applies the passes to one line, for one set of options."""

    def __init__(self, options: NormalizeOptions, dictionary: _Dictionary) -> None:
        self.dialect: Dialect = options.dialect
        self.spell_codes = options.document_codes == "spell"
        self.dictionary = dictionary

    # -- helpers ---------------------------------------------------------------------------
    def num(self, digits: str) -> str:
        return _read_int_str(digits, self.dialect)

    def date(self, day: str, month: str, year: str | None = None) -> str:
        words = f"{self.num(day)} tháng {_MONTHS[int(month)]}"
        if year is not None:
            words += f" năm {self.num(year)}"
        return words

    def spoken_host(self, host: str) -> str:
        labels = [label for label in host.lower().split(".") if label]
        if labels and labels[0] == "www":
            labels = labels[1:]
        spoken: list[str] = []
        for label in labels:
            if label in _TLD_WORDS:
                spoken.append(_TLD_WORDS[label])
                continue
            pieces = []
            for piece in re.findall(r"\d+|[a-z]+|[^\W\d_]+", label):
                if piece.isdigit():
                    pieces.append(_read_digits(piece))
                elif not re.search(r"[aeiouy]", piece) or len(piece) == 1:
                    pieces.append(_spell(piece.upper(), self.dialect))
                else:
                    pieces.append(piece)
            spoken.append(" ".join(pieces))
        return " chấm ".join(spoken)

    # -- passes ----------------------------------------------------------------------------
    def clean(self, line: str) -> str:
        line = _CONTROL.sub(" ", _VERTICAL_SPACE.sub(" ", line))

        def link(m: re.Match[str]) -> str:
            text, href = m.group(1).strip(), m.group(2)
            return href if not text or re.match(r"(?:https?:|www\.)", text) else text

        line = _MD_LINK.sub(link, line)
        line = _ANGLE_URL.sub(r"\1", line)
        line = _EMPHASIS.sub("", line)
        line = _BULLET.sub("", line)
        line = _END_SLASH.sub(".", line)
        return _SENTENCE_NUMBER.sub(lambda m: m.group(1) + _CAP, line)

    def urls(self, line: str) -> str:
        def email(m: re.Match[str]) -> str:
            user = " chấm ".join(p for p in m.group(1).split(".") if p)
            return f"{user} a còng {self.spoken_host(m.group(2))}"

        def url(m: re.Match[str]) -> str:
            address = re.sub(r"^(?:https?://)?\s*", "", m.group(0)).rstrip("/.")
            return self.spoken_host(address.split("/", 1)[0])

        line = _sub(_EMAIL, line, email)
        return _sub(_URL, line, url)

    def repeated_abbreviations(self, line: str) -> str:
        table = self.dictionary.table

        def drop_if_repeat(m: re.Match[str]) -> str:
            abbr = m.group(1)
            before = _WORD.findall(m.string[max(0, m.start() - 300) : m.start()])
            if _repeats(before, abbr, table):
                return ""
            return m.group(0)

        return _PAREN_ABBR.sub(drop_if_repeat, line)

    def document_numbers(self, line: str) -> str:
        def code_words(code: str) -> str:
            parts = re.split(r"([-–/])", code)
            out = []
            for part in parts:
                if part in ("-", "–"):
                    out.append("gạch")
                elif part == "/":
                    out.append("trên")
                elif part:
                    out.append(_spell(part, self.dialect))
            return " ".join(out)

        def slash(m: re.Match[str]) -> str:
            number, year, code = m.group(1), m.group(2), m.group(3)
            words = self.num(number)
            if self.spell_codes:
                if year:
                    words += " trên " + self.num(year)
                return f"{words} trên {code_words(code)}"
            if year:
                words += " năm " + self.num(year)
            return words

        def dash(m: re.Match[str]) -> str:
            words = self.num(m.group(1))
            if self.spell_codes:
                return f"{words} gạch {code_words(m.group(2))}"
            return words

        def blank(m: re.Match[str]) -> str:
            if self.spell_codes:
                return f"{m.group(1)} trên {code_words(m.group(2))}"
            return m.group(1)

        line = _sub(_DOC_SLASH, line, slash)
        line = _sub(_DOC_DASH, line, dash)
        return _sub(_DOC_BLANK, line, blank)

    def phones(self, line: str) -> str:
        def groups(number: str) -> str:
            number = number.strip()
            prefix = ""
            if number.startswith("+"):
                prefix, number = "cộng ", number[1:]
            chunks = [c for c in re.split(r"[ .\-]+", number) if c]
            if len(chunks) == 1 and chunks[0][0] == "0" and len(chunks[0]) in (10, 11):
                digits = chunks[0]
                chunks = [digits[:4], digits[4:7], digits[7:]]
            return prefix + ", ".join(_read_digits(c) for c in chunks)

        def keyword(m: re.Match[str]) -> str:
            word = m.group(1)
            if word == "SĐT":
                word = "số điện thoại"
            elif word == "ĐT":
                word = "điện thoại"
            return f"{word}{m.group(2) or ' '}{groups(m.group(3))}"

        line = _sub(_PHONE_KEYWORD, line, keyword)
        line = _sub(_PHONE_CALL, line, lambda m: m.group(1) + _read_digits(m.group(2)))
        line = _sub(_PHONE, line, lambda m: groups(m.group(1)))

        def hotline(m: re.Match[str]) -> str:
            # 1900 xxxx and 1800 xxxxxx have 8 or 10 digits; 190000000000 is an amount
            digits = re.sub(r"\D", "", m.group(1))
            return groups(m.group(1)) if len(digits) in (8, 10) else m.group(0)

        return _sub(_HOTLINE, line, hotline)

    def abbreviations(self, line: str) -> str:
        pattern = self.dictionary.pattern
        if pattern is None:
            return line
        lookup = self.dictionary.lookup
        return _sub(pattern, line, lambda m: lookup.get(_canonical(m.group(0)), m.group(0)))

    def alnum_acronyms(self, line: str) -> str:
        return _sub(_ALNUM_ACRONYM, line, lambda m: _spell(m.group(0), self.dialect))

    def per_unit(self, line: str) -> str:
        def per(m: re.Match[str]) -> str:
            unit = m.group(2)
            return f"{m.group(1)} mỗi {_UNITS.get(unit, unit)}"

        return _PER.sub(per, line)

    def ranges(self, line: str) -> str:
        def dashed_date(m: re.Match[str]) -> str:
            day, month = int(m.group(1)), int(m.group(3))
            if 1 <= day <= 31 and 1 <= month <= 12:
                return f"{m.group(1)}/{m.group(3)}/{m.group(4)}"
            return m.group(0)

        def day_dash_month(m: re.Match[str]) -> str:
            # "ngày 20-11" is 20 November; "ngày 15-16/5" stays a range
            day, month = int(m.group(2)), int(m.group(3))
            if 1 <= day <= 31 and 1 <= month <= 12:
                return f"{m.group(1)}{m.group(2)}/{m.group(3)}"
            return m.group(0)

        line = _DATE_DASHED.sub(dashed_date, line)
        line = _DAY_DASH_MONTH.sub(day_dash_month, line)
        line = _RANGE_DASH.sub(" đến ", line)
        return _NEGATIVE.sub("âm ", line)

    def dates(self, line: str) -> str:
        def dmy(m: re.Match[str]) -> str:
            day, month = int(m.group(1)), int(m.group(2))
            if 1 <= day <= 31 and 1 <= month <= 12:
                return self.date(m.group(1), m.group(2), m.group(3))
            return m.group(0)

        def my(m: re.Match[str]) -> str:
            keyword, month, year = m.group(1), m.group(2), m.group(3)
            if not 1 <= int(month) <= 12:
                return m.group(0)
            prev = _PREV_WORD.search(m.string, 0, m.start())
            if keyword is None and prev and prev.group(1).lower() == "số":
                return f"{self.num(month)} năm {self.num(year)}"
            return f"{keyword or 'tháng'} {_MONTHS[int(month)]} năm {self.num(year)}"

        def dm(m: re.Match[str]) -> str:
            a, b = m.group(1), m.group(2)
            prev = _PREV_WORD.search(m.string, max(0, m.start() - 40), m.start())
            nxt = _NEXT_WORDS.match(m.string, m.end())
            prev_word = (
                prev.group(1).lower()
                if prev and m.string[prev.end(1) : m.start()].strip() == ""
                else ""
            )
            next_word = nxt.group(1).lower() if nxt else ""
            next_two = f"{next_word} {nxt.group(2).lower()}" if nxt and nxt.group(2) else ""
            valid_date = 1 <= int(a) <= 31 and 1 <= int(b) <= 12
            if valid_date and prev_word in _DATE_BEFORE:
                return self.date(a, b)
            if next_word in _FRACTION_NEXT and int(a) < int(b):
                return f"{self.num(a)} phần {self.num(b)}"
            if (
                next_word in _COUNTED
                or next_two in _COUNTED
                or prev_word in _ADDRESS_BEFORE
                or not valid_date
            ):
                return f"{self.num(a)} trên {self.num(b)}"
            return self.date(a, b)

        line = _sub(_DMY, line, dmy)
        line = _sub(_MY, line, my)
        line = _sub(_DM, line, dm)
        return _SLASH_NUMBERS.sub(" trên ", line)

    def times(self, line: str) -> str:
        def hm(m: re.Match[str]) -> str:
            hour, minute = m.group(1), m.group(2)
            words = f"{self.num(hour)} giờ"
            if int(minute):
                words += f" {self.num(minute)} phút"
            return words

        line = _sub(_TIME_HM, line, hm)
        line = _sub(_TIME_H, line, lambda m: f"{self.num(m.group(1))} giờ")
        return _COLON_NUMBERS.sub(" trên ", line)

    def ordinals_months_romans(self, line: str) -> str:
        def ordinal(m: re.Match[str]) -> str:
            raw = m.group(2)
            value = int(raw) if raw.isdigit() else _roman_value(raw)
            if value == 1:
                return f"{m.group(1)} nhất"
            if value == 4:
                return f"{m.group(1)} tư"
            return f"{m.group(1)} {read_number(value, self.dialect)}"

        def month(m: re.Match[str]) -> str:
            value = int(m.group(2))
            if 1 <= value <= 12:
                return f"{m.group(1)} {_MONTHS[value]}"
            return f"{m.group(1)} {self.num(m.group(2))}"

        def roman(m: re.Match[str]) -> str:
            words = f"{m.group(1)} {read_number(_roman_value(m.group(2)), self.dialect)}"
            if m.group(3):
                words += f" năm {self.num(m.group(3))}"
            return words

        def heading(m: re.Match[str]) -> str:
            words = read_number(_roman_value(m.group(2)), self.dialect)
            return f"{m.group(1)}{words[0].upper()}{words[1:]}."

        line = _sub(_ORDINAL, line, ordinal)
        line = _sub(_MONTH, line, month)
        line = _sub(_ROMAN_AFTER, line, roman)
        return _ROMAN_HEADING.sub(heading, line)

    def numbers(self, line: str) -> str:
        line = _UNIT.sub(lambda m: " " + _UNITS[m.group(1)], line)

        def number(m: re.Match[str]) -> str:
            if m.group("th") is not None:
                return _read_decimal(m.group("th"), self.dialect)
            if m.group("dec") is not None:
                return _read_decimal(m.group("dec"), self.dialect)
            if m.group("dot") is not None:
                return " chấm ".join(self.num(p) for p in m.group("dot").split("."))
            return self.num(m.group("int"))

        line = _sub(_NUMBER, line, number)
        # other scripts' digits (Python's \d is Unicode): never let one through
        return _sub(_ANY_DIGITS, line, lambda m: _read_digits(m.group(0)))

    def unknown_acronyms(self, line: str) -> str:
        def acronym(m: re.Match[str]) -> str:
            token = m.group(0)
            if _ROMAN_RE.match(token):
                return read_number(_roman_value(token), self.dialect)
            if _is_syllable(token):
                return token
            return _spell(token, self.dialect)

        line = _sub(_ACRONYM, line, acronym)
        return _sub(_LONE_CONSONANT, line, lambda m: _LETTER_NAMES[m.group(0)])

    def symbols(self, line: str) -> str:
        line = _sub(_AMPERSAND, line, lambda m: " và ")
        line = _PERCENT.sub(" phần trăm", line)
        line = _WORD_SLASH.sub(", ", line)
        line = _SLASH.sub(" ", line)
        line = _SPACED_DASH.sub(", ", line)
        line = _INNER_HYPHEN.sub(" ", line)
        line = _SPACES.sub(" ", line)
        line = _SPACE_BEFORE.sub(r"\1", line)
        line = _SPACE_AFTER.sub(r"\1", line)
        line = _DOUBLE_COMMA.sub(",", line)
        line = _COMMA_STOP.sub(r"\1", line)
        line = _LEADING_COMMA.sub("", line)
        line = _CAPITALISE.sub(lambda m: m.group(1).upper(), line)
        return line.replace(_CAP, "").strip()

    def line(self, text: str) -> str:
        text = self.clean(text)
        if not text.strip():
            return ""
        text = self.urls(text)
        text = self.repeated_abbreviations(text)
        text = self.document_numbers(text)
        text = self.phones(text)
        text = self.abbreviations(text)
        text = self.alnum_acronyms(text)
        text = self.per_unit(text)
        text = self.ranges(text)
        text = self.dates(text)
        text = self.times(text)
        text = self.ordinals_months_romans(text)
        text = self.numbers(text)
        text = self.unknown_acronyms(text)
        return self.symbols(text)


def _repeats(before: Iterable[str], abbr: str, table: dict[str, str]) -> bool:
    """Whether ``abbr`` (from "words (ABBR)") abbreviates the words just before it."""
    words = list(before)
    expansion = table.get(abbr)
    if expansion:
        spoken = [_fold(w) for w in _WORD.findall(expansion)]
        if spoken and [_fold(w) for w in words[-len(spoken) :]] == spoken:
            return True
    letters = [_fold(ch) for ch in abbr if ch.isupper()]
    if len(letters) < 2:
        return False
    i, j = len(letters) - 1, len(words) - 1
    while i >= 0 and j >= 0:
        word = _fold(words[j])
        if word and word[0] == letters[i]:
            i -= 1
            j -= 1
        elif word in _SKIPPABLE:
            j -= 1
        else:
            return False
    return i < 0


def normalize_text(text: str, options: NormalizeOptions = NormalizeOptions()) -> str:
    """Rewrite Vietnamese ``text`` as it should be spoken; one output line per input line.

    >>> normalize_text("Phát lúc 17h30 tại 8/8 huyện")
    'Phát lúc mười bảy giờ ba mươi phút tại tám trên tám huyện'
    """
    reader = _Reader(options, _dictionary(options))
    text = unicodedata.normalize("NFC", text)
    out = "\n".join(reader.line(line) for line in text.split("\n"))
    return unicodedata.normalize("NFC", out)
