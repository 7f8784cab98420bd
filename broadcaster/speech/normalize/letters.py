"""Letters and Roman numerals: acronyms spelt the way Vietnamese media spell them."""

from __future__ import annotations

import re
import unicodedata

from .numbers import read_int_str, read_number
from .options import Dialect
from .text import sub

# Letter names as Vietnamese media spell acronyms (VTV: vê tê vê, VNPT: vê en pê tê).
_LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em", "N": "en", "O": "o",
    "P": "pê", "Q": "cu", "R": "e rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê", "W": "vê kép",
    "X": "ích", "Y": "i", "Z": "dét",
}  # fmt: skip

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
# Only I, V and X: "mục C", "phần D" are item letters, not 100 and 500.
ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN_RE = re.compile(rf"{ROMAN}\Z")


def roman_value(text: str) -> int:
    """The value of a Roman numeral of I, V and X (XIV → 14)."""
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def spell(token: str, dialect: Dialect) -> str:
    """Spell an acronym/code: letters by name, digit runs as numbers, & as "và"."""
    words: list[str] = []
    for part in re.findall(r"\d+|[^\W\d_]|&", token):
        if part[0].isdigit():
            words.append(read_int_str(part, dialect))
        elif part == "&":
            words.append("và")
        else:
            words.append(_LETTER_NAMES.get(part.upper(), part.lower()))
    return " ".join(words)


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), to compare initials and words."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?\Z"
)


def _is_syllable(token: str) -> bool:
    """True for a plausible Vietnamese syllable written in capitals (BAN, KINH), not UBND."""
    return _SYLLABLE_RE.match(fold(token)) is not None


_ALNUM_ACRONYM = re.compile(r"(?<![\w/])(?:[A-ZĐ]/)?[A-ZĐ]+\d[A-ZĐ0-9]*(?![\w])")
_ACRONYM = re.compile(r"(?<![\w'’])[A-ZĐ]{2,}(?![\w'’])")
_LONE_CONSONANT = re.compile(r"(?<![\w'’.])[BCDĐFGHJKLMNPQRSTVWXZ](?![\w'’])")


def alnum_acronyms(line: str, dialect: Dialect) -> str:
    """Codes of letters and digits (F0, COVID19, H5N1) spelt before their digits become numbers."""
    return sub(_ALNUM_ACRONYM, line, lambda m: spell(m.group(0), dialect))


def unknown_acronyms(line: str, dialect: Dialect) -> str:
    """Capitals left after the dictionary: a Roman numeral read, a syllable kept, others spelt."""

    def acronym(m: re.Match[str]) -> str:
        token = m.group(0)
        if _ROMAN_RE.match(token):
            return read_number(roman_value(token), dialect)
        if _is_syllable(token):
            return token
        return spell(token, dialect)

    line = sub(_ACRONYM, line, acronym)
    return sub(_LONE_CONSONANT, line, lambda m: _LETTER_NAMES[m.group(0)])
