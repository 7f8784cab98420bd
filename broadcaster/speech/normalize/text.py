"""The first and last passes over a line (markup out, symbols and spacing tidied), and the
substitution helper every pass uses."""

from __future__ import annotations

import re
from collections.abc import Callable

#: marks a number that starts a sentence, to capitalise its first word once it is words
CAP = "\x01"

_VERTICAL_SPACE = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\t]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")

_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_EMPHASIS = re.compile(r"\*+")
_BULLET = re.compile(r"^\s*[-–—•▪●+]\s+")
_END_SLASH = re.compile(r"\.?/\.?(?=\s*$)")
_SENTENCE_NUMBER = re.compile(r"(^|[.!?…]\s+)(?=\d)")

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
_CAPITALISE = re.compile(CAP + r"\s*(\w)")


def sub(pattern: re.Pattern[str], text: str, fn: Callable[[re.Match[str]], str]) -> str:
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


def clean(line: str) -> str:
    """Control characters, Markdown links, emphasis and bullets out; sentence-initial numbers marked."""
    line = _CONTROL.sub(" ", _VERTICAL_SPACE.sub(" ", line))

    def link(m: re.Match[str]) -> str:
        text, href = m.group(1).strip(), m.group(2)
        return href if not text or re.match(r"(?:https?:|www\.)", text) else text

    line = _MD_LINK.sub(link, line)
    line = _ANGLE_URL.sub(r"\1", line)
    line = _EMPHASIS.sub("", line)
    line = _BULLET.sub("", line)
    line = _END_SLASH.sub(".", line)
    return _SENTENCE_NUMBER.sub(lambda m: m.group(1) + CAP, line)


def symbols(line: str) -> str:
    """The symbols left after the words (&, %, slashes, dashes) read or dropped; spacing tidied."""
    line = sub(_AMPERSAND, line, lambda m: " và ")
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
    return line.replace(CAP, "").strip()
