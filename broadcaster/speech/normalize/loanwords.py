"""Loanwords spelled for espeak-ng, which reads them with English rules (data/espeak_respell.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

RESPELL_FILE = Path(__file__).resolve().parents[1] / "data" / "espeak_respell.toml"


@cache
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    with RESPELL_FILE.open("rb") as fh:
        table = {k.lower(): v for k, v in tomllib.load(fh)["respell"].items()}
    keys = sorted(table, key=len, reverse=True)  # "website" before "web"
    alternatives = "|".join(re.escape(k).replace(r"\ ", r"[\s-]+") for k in keys)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), table


def respell_loanwords(text: str) -> str:
    """``text`` with each listed loanword in its Vietnamese spelling (a capital kept)."""
    pattern, table = _table()

    def spell(m: re.Match[str]) -> str:
        said = table[re.sub(r"[\s-]+", " ", m.group(0).lower())]
        return said[:1].upper() + said[1:] if m.group(0)[:1].isupper() else said

    return pattern.sub(spell, text)
