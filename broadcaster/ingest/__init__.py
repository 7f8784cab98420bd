"""Guidance intake: read a guidance file, find its documents and topics, draft their scripts.

An adapter (files, python-docx, pypdf, Jinja2) around a pure parser::

    extracted = extract_file("guidance.docx")
    documents = parse_extracted(extracted)            # list[ParsedDocument]
    documents = ScriptRenderer.default().apply(documents)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .extract import DEFAULT_MAX_MB, ExtractedText, extract_bytes, extract_file
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

    def renderer(self) -> ScriptRenderer:
        if self.script_template is not None:
            return ScriptRenderer.from_file(self.script_template, self.reading_rate)
        return ScriptRenderer.default(self.reading_rate)


def parse_extracted(extracted: ExtractedText) -> list[ParsedDocument]:
    """The documents of an extracted file, with their provenance (file name, SHA-256)."""
    from dataclasses import replace

    documents = parse_text(extracted.text, name=extracted.name, wrapped=extracted.wrapped)
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
    source: str | Path, settings: IngestSettings | None = None
) -> tuple[ExtractedText, list[ParsedDocument]]:
    """Extract, parse and draft scripts for one file (``-``: standard input); writes nothing."""
    settings = settings or IngestSettings()
    renderer = settings.renderer()
    extracted = extract_file(source, max_mb=settings.max_file_mb)
    return extracted, renderer.apply(parse_extracted(extracted))


__all__ = [
    "DEFAULT_MAX_MB",
    "DEFAULT_READING_RATE",
    "ExtractedText",
    "IngestSettings",
    "ParsedDocument",
    "ScriptRenderer",
    "estimate_seconds",
    "extract_bytes",
    "extract_file",
    "parse_extracted",
    "parse_text",
    "read_guidance",
]
