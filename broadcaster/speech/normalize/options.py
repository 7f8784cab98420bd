"""How a text is to be read aloud: dialect, document codes, an extra abbreviation file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
