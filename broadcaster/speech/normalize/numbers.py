"""Numbers as words: whole numbers by dialect, digit runs, decimals, units of measure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .options import Dialect
from .text import sub

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


def read_digits(digits: str) -> str:
    return " ".join(_DIGITS[int(d)] for d in digits if d.isdigit())


def read_int_str(digits: str, dialect: Dialect) -> str:
    """A run of digits as written: codes with leading zeros and very long runs digit by digit."""
    if (len(digits) >= 3 and digits[0] == "0") or len(digits) > 15:
        return read_digits(digits)
    return read_number(int(digits), dialect)


def _read_fraction(digits: str, dialect: Dialect) -> str:
    # 65,4 → bốn; 3,14 → mười bốn; 0,05 → không năm; 2,125 → một hai năm (as announcers do)
    if len(digits) <= 2 and digits[0] != "0":
        return read_number(int(digits), dialect)
    return read_digits(digits)


def _read_decimal(text: str, dialect: Dialect) -> str:
    whole, _, frac = text.partition(",")
    words = read_number(int(whole.replace(".", "")), dialect)
    if frac:
        words += " phẩy " + _read_fraction(frac, dialect)
    return words


_PER_WORDS = (
    "ngày|tháng|năm|tuần|giờ|phút|người|hộ|lượt|lần|con|buổi|suất|xuất|chiếc|cái|kg|km|ha|m2|m²|"
    "tấn|lít|tạ|sào|công|học sinh|em"
)
_PER = re.compile(rf"(\d[\d.,]*\s?[^\W\d_]+)\s?/\s?({_PER_WORDS})(?![\w])")

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


def per_unit(line: str) -> str:
    """Read "50 người/ngày" as "50 người mỗi ngày" before the slash can look like a date."""

    def per(m: re.Match[str]) -> str:
        unit = m.group(2)
        return f"{m.group(1)} mỗi {_UNITS.get(unit, unit)}"

    return _PER.sub(per, line)


def numbers(line: str, dialect: Dialect) -> str:
    """Units after a number, then every number left (thousands, decimals, dotted, plain)."""
    line = _UNIT.sub(lambda m: " " + _UNITS[m.group(1)], line)

    def number(m: re.Match[str]) -> str:
        if m.group("th") is not None:
            return _read_decimal(m.group("th"), dialect)
        if m.group("dec") is not None:
            return _read_decimal(m.group("dec"), dialect)
        if m.group("dot") is not None:
            return " chấm ".join(read_int_str(p, dialect) for p in m.group("dot").split("."))
        return read_int_str(m.group("int"), dialect)

    line = sub(_NUMBER, line, number)
    # other scripts' digits (Python's \d is Unicode): never let one through
    return sub(_ANY_DIGITS, line, lambda m: read_digits(m.group(0)))
