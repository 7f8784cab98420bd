"""Vietnamese text normalisation for speech.

Turns a guidance document's Vietnamese into what an announcer would say: numbers, dates, times,
ratios, units, phone numbers, document numbers, Roman numerals and abbreviations become words, so
that a TTS engine (gTTS, espeak-ng) never has to guess. One input line gives one output line; the
output is NFC and holds no digit and no abbreviation from the dictionary.

The rules run as ordered regex passes over each line (:func:`_read_line`), one module a subject:
``contacts`` (web and e-mail addresses, phones), ``documents`` (document numbers),
``abbreviations``, ``letters`` (acronyms, Roman numerals), ``numbers`` (and units), ``dates``
(with times, ranges, ordinals) and ``text`` (markup in, symbols and spacing out). The order matters
(a document number must be read before its slash looks like a date, a phone number before its dots
look like thousands, a dash between two numbers must become "đến" before the numbers become
words). The package is pure apart from reading its abbreviation file (cached).
"""

from __future__ import annotations

import unicodedata

from .abbreviations import (
    Dictionary,
    abbreviations,
    dictionary_for,
    load_abbreviations,
    repeated_abbreviations,
)
from .contacts import phones, urls
from .dates import dates, ordinals_months_romans, ranges, times
from .documents import document_numbers
from .letters import alnum_acronyms, unknown_acronyms
from .numbers import numbers, per_unit, read_number
from .options import CodeMode, Dialect, NormalizeOptions
from .text import clean, symbols

__all__ = [
    "CodeMode",
    "Dialect",
    "NormalizeOptions",
    "load_abbreviations",
    "normalize_text",
    "read_number",
]


_PLAIN = NormalizeOptions()


def normalize_text(text: str, options: NormalizeOptions = _PLAIN) -> str:
    """Rewrite Vietnamese ``text`` as it should be spoken; one output line per input line.

    >>> normalize_text("Phát lúc 17h30 tại 8/8 huyện")
    'Phát lúc mười bảy giờ ba mươi phút tại tám trên tám huyện'
    """
    dictionary = dictionary_for(options)
    text = unicodedata.normalize("NFC", text)
    out = "\n".join(_read_line(line, options, dictionary) for line in text.split("\n"))
    return unicodedata.normalize("NFC", out)


def _read_line(text: str, options: NormalizeOptions, dictionary: Dictionary) -> str:
    """The passes over one line, in the order that keeps each from misreading another's."""
    dialect = options.dialect
    text = clean(text)
    if not text.strip():
        return ""
    text = urls(text, dialect)
    text = repeated_abbreviations(text, dictionary)
    text = document_numbers(text, dialect, spell_codes=options.document_codes == "spell")
    text = phones(text)
    text = abbreviations(text, dictionary)
    text = alnum_acronyms(text, dialect)
    text = per_unit(text)
    text = ranges(text)
    text = dates(text, dialect)
    text = times(text, dialect)
    text = ordinals_months_romans(text, dialect)
    text = numbers(text, dialect)
    text = unknown_acronyms(text, dialect)
    return symbols(text)
