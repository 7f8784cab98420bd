"""Addresses a listener may need to note: web addresses, e-mail addresses, phone numbers."""

from __future__ import annotations

import re

from .letters import spell
from .numbers import read_digits
from .options import Dialect
from .text import sub

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

_PHONE_KEYWORD = re.compile(
    r"(?<!\w)((?i:số\s+điện\s+thoại|điện\s+thoại|đường\s+dây\s+nóng|tổng\s+đài|hotline|fax)|SĐT|ĐT)"
    r"(\s*:?\s*)(\+?\d(?:[ .\-]?\d){2,13})(?![\w])"
)
_PHONE_CALL = re.compile(
    r"(?<!\w)((?i:gọi)(?:\s+(?:ngay|đến|tới|vào))?(?:\s+số)?\s+)(11\d)(?![\w])"
)
_PHONE = re.compile(r"(?<![\w.,/+])((?:\+84|0)(?:[ .\-]?\d){8,10})(?![\w]|[.,]\d)")
_HOTLINE = re.compile(r"(?<![\w.,/])((?:1800|1900)[ .]?\d{2,4}(?:[ .]?\d{2,4})?)(?![\w]|[.,]\d)")


def _spoken_host(host: str, dialect: Dialect) -> str:
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
                pieces.append(read_digits(piece))
            elif not re.search(r"[aeiouy]", piece) or len(piece) == 1:
                pieces.append(spell(piece.upper(), dialect))
            else:
                pieces.append(piece)
        spoken.append(" ".join(pieces))
    return " chấm ".join(spoken)


def urls(line: str, dialect: Dialect) -> str:
    """E-mail and web addresses read by their host ("a còng", "chấm", "vê en")."""

    def email(m: re.Match[str]) -> str:
        user = " chấm ".join(p for p in m.group(1).split(".") if p)
        return f"{user} a còng {_spoken_host(m.group(2), dialect)}"

    def url(m: re.Match[str]) -> str:
        address = re.sub(r"^(?:https?://)?\s*", "", m.group(0)).rstrip("/.")
        return _spoken_host(address.split("/", 1)[0], dialect)

    line = sub(_EMAIL, line, email)
    return sub(_URL, line, url)


def _digit_groups(number: str) -> str:
    """A phone number digit by digit, in the groups it is written in (a bare mobile in 4-3-3)."""
    number = number.strip()
    prefix = ""
    if number.startswith("+"):
        prefix, number = "cộng ", number[1:]
    chunks = [c for c in re.split(r"[ .\-]+", number) if c]
    if len(chunks) == 1 and chunks[0][0] == "0" and len(chunks[0]) in (10, 11):
        digits = chunks[0]
        chunks = [digits[:4], digits[4:7], digits[7:]]
    return prefix + ", ".join(read_digits(c) for c in chunks)


def phones(line: str) -> str:
    """Phone numbers digit by digit: after a keyword, an emergency 11x, a mobile, a hotline."""

    def keyword(m: re.Match[str]) -> str:
        word = m.group(1)
        if word == "SĐT":
            word = "số điện thoại"
        elif word == "ĐT":
            word = "điện thoại"
        return f"{word}{m.group(2) or ' '}{_digit_groups(m.group(3))}"

    line = sub(_PHONE_KEYWORD, line, keyword)
    line = sub(_PHONE_CALL, line, lambda m: m.group(1) + read_digits(m.group(2)))
    line = sub(_PHONE, line, lambda m: _digit_groups(m.group(1)))

    def hotline(m: re.Match[str]) -> str:
        # 1900 xxxx and 1800 xxxxxx have 8 or 10 digits; 190000000000 is an amount
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) not in (8, 10):
            return m.group(0)
        if digits == m.group(1):
            # written whole, 18000001 is an amount; a line is written 1800 1567 or comes
            # after a word such as "đường dây nóng" (read digit by digit above)
            return m.group(0)
        return _digit_groups(m.group(1))

    return sub(_HOTLINE, line, hotline)
