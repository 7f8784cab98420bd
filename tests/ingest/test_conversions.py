"""The same documents as offices send them — .docx, PDF, Windows-1258, TCVN3, VNI, UTF-16 —
parse to the same items as the UTF-8 text."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcaster.ingest import extract_bytes, parse_extracted
from broadcaster.ingest.encodings import encode_tcvn3, encode_vni, encode_windows_1258

from .conversions import to_docx, to_pdf

FORMATS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "docx": ("docx", to_docx),
    "pdf": ("pdf", to_pdf),
    "windows-1258": ("txt", encode_windows_1258),
    "tcvn3": ("txt", encode_tcvn3),
    "vni": ("txt", encode_vni),
    "utf-16": ("txt", lambda t: t.encode("utf-16")),
    "utf-8-bom": ("txt", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
}


def summary(data: bytes, name: str, fold: bool) -> list[tuple[object, ...]]:
    def f(s: str | None) -> str | None:
        return s.casefold() if fold and s else s

    out: list[tuple[object, ...]] = []
    for doc in parse_extracted(extract_bytes(data, name)):
        d = doc.directive
        out.append(("doc", d.number, d.date, d.place and f(d.place), d.part))
        for i in doc.items:
            out.append(
                (
                    i.number,
                    f(i.title),
                    i.kind,
                    tuple((b.type, b.number, b.date, f(b.issuer)) for b in i.basis),
                    tuple(f(s) for s in i.slogans),
                    f(i.theme),
                    tuple((f(o.name), o.month, o.day) for o in i.observances),
                )
            )
    return out


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("which", ["002", "003", "guidance-0", "guidance-1"])
def test_converted_documents_parse_to_the_same_items(
    fmt: str, which: str, request: pytest.FixtureRequest, guidance_dir: Path
) -> None:
    if which.startswith("guidance"):
        path = sorted(guidance_dir.glob("*.txt"))[int(which[-1])]
    else:
        seeds: Path = request.getfixturevalue("seeds_dir")
        path = next(seeds.glob(f"{which}_*.txt"))
    text = path.read_text("utf-8")
    ext, convert = FORMATS[fmt]
    # TCVN3 has no capital letters with tones ("Ủ" is stored as "ủ"): compare case-blind
    fold = fmt == "tcvn3"
    want = summary(text.encode("utf-8"), path.name, fold)
    got = summary(convert(text), f"{path.stem}.{ext}", fold)
    assert got == want
    assert sum(1 for row in want if row[0] != "doc") >= 4


def test_legacy_encodings_are_detected_and_named(seed_003_text: str) -> None:
    for encoder, name in (
        (encode_tcvn3, "tcvn3"),
        (encode_vni, "vni"),
        (encode_windows_1258, "windows-1258"),
    ):
        extracted = extract_bytes(encoder(seed_003_text), "old.txt")
        assert extracted.encoding == name
        assert "Tuyên truyền phòng, chống sốt xuất huyết" in extracted.text


def test_docx_typed_in_a_legacy_font_is_converted(seed_003_text: str) -> None:
    """A .docx typed with .VnTime keeps TCVN3 codes inside Unicode text ("Tuyªn truyÒn")."""
    legacy_text = encode_tcvn3(seed_003_text).decode("cp1252", errors="replace")
    extracted = extract_bytes(to_docx(legacy_text), "vntime.docx")
    assert "Tuyên truyền phòng, chống sốt xuất huyết" in extracted.text
    docs = parse_extracted(extracted)
    assert len(docs[0].items) == 19


@pytest.fixture
def seed_003_text(seed_003: Path) -> str:
    return seed_003.read_text("utf-8")
