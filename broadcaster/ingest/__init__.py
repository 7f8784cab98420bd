"""Guidance intake: read a guidance file, find its documents and topics, draft their scripts.

An adapter (files, python-docx, pypdf, Jinja2) around a pure parser::

    extracted = extract_file("guidance.docx")
    documents = parse_extracted(extracted)            # list[ParsedDocument]
    documents = ScriptRenderer.default().apply(documents)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import _
from broadcaster.domain.script_check import check_script

from .extract import DEFAULT_MAX_MB, ExtractedText, extract_bytes, extract_file
from .limits import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_DOCX_PARTS,
    DEFAULT_MAX_DOCX_XML_MB,
    DEFAULT_MAX_PDF_PAGES,
    DEFAULT_MAX_UNPACK_RATIO,
    DEFAULT_MAX_UNPACKED_MB,
    MAX_DEPTH_CEILING,
    MB,
    IntakeLimits,
    Progress,
    no_progress,
)
from .parser import ParsedDocument, parse_text
from .scripts import DEFAULT_READING_RATE, ScriptRenderer, estimate_seconds


@dataclass(frozen=True)
class IngestSettings:
    """The ``[ingest]`` section of the settings file (``BROADCASTER_INGEST_*`` in the environment)."""

    #: larger files are refused before they are read
    max_file_mb: float = DEFAULT_MAX_MB
    #: reading speed for estimated durations, syllables per minute
    reading_rate: int = DEFAULT_READING_RATE
    #: a Jinja2 file replacing the default announcement template
    script_template: Path | None = None
    #: a .docx or PDF that unpacks to more is refused (a zip bomb, a damaged file)
    max_unpacked_mb: float = DEFAULT_MAX_UNPACKED_MB
    #: a .docx holding more XML is refused (python-docx needs ~25 times as much memory)
    max_docx_xml_mb: float = DEFAULT_MAX_DOCX_XML_MB
    #: a .docx part over 5 MB that unpacks to more times its packed size is refused
    max_unpack_ratio: float = DEFAULT_MAX_UNPACK_RATIO
    #: a .docx holding more parts (files inside the archive) is refused
    max_docx_parts: int = DEFAULT_MAX_DOCX_PARTS
    #: a PDF with more pages is refused
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    #: numbering (1.1.1…) or tables nested deeper are refused
    max_depth: int = DEFAULT_MAX_DEPTH

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.startswith("max_") and not value > 0:
                raise ConfigError(
                    _("[ingest] {name} = {value} must be above 0", name=f.name, value=repr(value))
                )
        if self.max_depth > MAX_DEPTH_CEILING:
            raise ConfigError(
                _(
                    "[ingest] max_depth = {value} is over {ceiling}; guidance is numbered a few "
                    "levels deep",
                    value=self.max_depth,
                    ceiling=MAX_DEPTH_CEILING,
                )
            )

    def limits(self) -> IntakeLimits:
        return IntakeLimits(
            max_unpacked_bytes=int(self.max_unpacked_mb * MB),
            max_docx_xml_bytes=int(self.max_docx_xml_mb * MB),
            max_unpack_ratio=self.max_unpack_ratio,
            max_docx_parts=self.max_docx_parts,
            max_pdf_pages=self.max_pdf_pages,
            max_depth=self.max_depth,
        )

    def renderer(self) -> ScriptRenderer:
        if self.script_template is not None:
            return ScriptRenderer.from_file(self.script_template, self.reading_rate)
        return ScriptRenderer.default(self.reading_rate)


def parse_extracted(
    extracted: ExtractedText,
    limits: IntakeLimits | None = None,
    progress: Progress = no_progress,
) -> list[ParsedDocument]:
    """The documents of an extracted file, with their provenance (file name, SHA-256)."""
    from dataclasses import replace

    limits = limits or IntakeLimits()
    documents = parse_text(
        extracted.text,
        name=extracted.name,
        wrapped=extracted.wrapped,
        max_depth=limits.max_depth,
        progress=progress,
    )
    return [
        replace(
            d,
            directive=replace(
                d.directive, source_name=Path(extracted.name).name, source_sha256=extracted.sha256
            ),
        )
        for d in documents
    ]


def read_guidance(
    source: str | Path,
    settings: IngestSettings | None = None,
    progress: Progress = no_progress,
) -> tuple[ExtractedText, list[ParsedDocument]]:
    """Extract, parse and draft scripts for one file (``-``: standard input); writes nothing.

    ``progress(stage, done, total)`` hears how far it got (see :data:`Progress`)."""
    settings = settings or IngestSettings()
    renderer = settings.renderer()
    limits = settings.limits()
    extracted = extract_file(source, max_mb=settings.max_file_mb, limits=limits, progress=progress)
    documents = parse_extracted(extracted, limits, progress)
    return extracted, renderer.apply(documents, progress)


__all__ = [
    "DEFAULT_MAX_MB",
    "DEFAULT_READING_RATE",
    "ExtractedText",
    "IngestSettings",
    "IntakeLimits",
    "ParsedDocument",
    "Progress",
    "ScriptRenderer",
    "check_script",
    "estimate_seconds",
    "extract_bytes",
    "extract_file",
    "parse_extracted",
    "parse_text",
    "read_guidance",
]
