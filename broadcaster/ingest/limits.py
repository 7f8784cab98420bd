"""How much one guidance file may make intake do, and the callback that reports progress.

A guidance document is a few pages of text. A file that unpacks to hundreds of megabytes, holds
thousands of parts or pages, or nests its numbering or tables dozens of levels deep is damaged
or hostile; refusing it early keeps one upload from exhausting the machine's memory or time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from broadcaster.domain.messages import Msg, _

MB = 1024 * 1024

DEFAULT_MAX_UNPACKED_MB = 200.0
DEFAULT_MAX_DOCX_XML_MB = 30.0
DEFAULT_MAX_UNPACK_RATIO = 200.0
DEFAULT_MAX_DOCX_PARTS = 1000
DEFAULT_MAX_PDF_PAGES = 1000
DEFAULT_MAX_DEPTH = 20
#: deeper than this the parser's recursion would not fit Python's stack
MAX_DEPTH_CEILING = 100
#: parts smaller than this are never refused for their compression ratio: small XML parts
#: (styles, settings) legitimately compress very well
RATIO_MIN_BYTES = 5 * MB

#: ``progress(stage, done, total)``; stages: ``read`` (bytes), ``paragraphs`` (lines),
#: ``topics`` (paragraphs), ``scripts`` (items)
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True)
class IntakeLimits:
    """The bounds one file is read within (from the ``[ingest]`` settings)."""

    max_unpacked_bytes: int = int(DEFAULT_MAX_UNPACKED_MB * MB)
    max_docx_xml_bytes: int = int(DEFAULT_MAX_DOCX_XML_MB * MB)
    max_unpack_ratio: float = DEFAULT_MAX_UNPACK_RATIO
    max_docx_parts: int = DEFAULT_MAX_DOCX_PARTS
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    max_depth: int = DEFAULT_MAX_DEPTH

    @property
    def max_unpacked_mb(self) -> float:
        return self.max_unpacked_bytes / MB

    @property
    def max_docx_xml_mb(self) -> float:
        return self.max_docx_xml_bytes / MB


def size_text(n: int) -> str:
    """'300 MB', '4.5 MB', '720 KB': a size as a person reads it."""
    if n >= 10 * MB:
        return f"{n / MB:.0f} MB"
    if n >= MB:
        return f"{n / MB:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def hostile(remedy: Msg, setting: str) -> Msg:
    """The common end of a refusal for a file far outside what guidance looks like."""
    return _(
        "it is probably damaged or not a guidance document: {remedy}, or raise [ingest] {setting}",
        remedy=remedy,
        setting=setting,
    )
