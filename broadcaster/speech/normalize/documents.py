"""Document numbers of guidance documents (353/KH-UBND, 137/2015/NĐ-CP, 21-NQ/TW): the number
always read, the issuer's code dropped or spelt."""

from __future__ import annotations

import re

from .letters import spell
from .numbers import read_int_str
from .options import Dialect
from .text import sub

_CODE_PART = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
_CODE = rf"{_CODE_PART}(?:[-–]{_CODE_PART})*(?:/{_CODE_PART}(?:[-–]{_CODE_PART})*)*"
# 353/KH-UBND, 3717 /UBND-VX, 137/2015/NĐ-CP, 28/2019/TT-BLĐTBXH
_DOC_SLASH = re.compile(rf"(?<![\w/.,])(\d+)(?:/(\d{{4}}))?\s?/\s?({_CODE})(?![\w])")
# 21-NQ/TW, 49-KL/TW
_DOC_DASH = re.compile(rf"(?<![\w/.,])(\d+)[-–]({_CODE_PART}(?:[-–]{_CODE_PART})*/{_CODE})(?![\w])")
# "Số: /STTTT-TTBCXB" (number left blank in a draft)
_DOC_BLANK = re.compile(rf"(?<!\w)([Ss]ố\s*:?)\s*/({_CODE})(?![\w])")


def _code_words(code: str, dialect: Dialect) -> str:
    out = []
    for part in re.split(r"([-–/])", code):
        if part in ("-", "–"):
            out.append("gạch")
        elif part == "/":
            out.append("trên")
        elif part:
            out.append(spell(part, dialect))
    return " ".join(out)


def document_numbers(line: str, dialect: Dialect, *, spell_codes: bool) -> str:
    """Read before anything else can take the slash for a date or the dash for a range."""

    def slash(m: re.Match[str]) -> str:
        number, year, code = m.group(1), m.group(2), m.group(3)
        words = read_int_str(number, dialect)
        if spell_codes:
            if year:
                words += " trên " + read_int_str(year, dialect)
            return f"{words} trên {_code_words(code, dialect)}"
        if year:
            words += " năm " + read_int_str(year, dialect)
        return words

    def dash(m: re.Match[str]) -> str:
        words = read_int_str(m.group(1), dialect)
        if spell_codes:
            return f"{words} gạch {_code_words(m.group(2), dialect)}"
        return words

    def blank(m: re.Match[str]) -> str:
        if spell_codes:
            return f"{m.group(1)} trên {_code_words(m.group(2), dialect)}"
        return m.group(1)

    line = sub(_DOC_SLASH, line, slash)
    line = sub(_DOC_DASH, line, dash)
    return sub(_DOC_BLANK, line, blank)
