"""The ``directive parse --json`` contract (documented in README; keep it stable)."""

from __future__ import annotations

from typing import Any

from broadcaster.domain.items import Directive, Item, Observance, Period

from .extract import ExtractedText
from .parser import ParsedDocument

SCHEMA_VERSION = 1


def observance_json(o: Observance) -> dict[str, Any]:
    out: dict[str, Any] = {"name": o.name, "date": o.iso()}
    if o.origin is not None:
        out["origin"] = o.origin  # a yearly day written with the year it began
    return out


def period_json(p: Period | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "text": p.text,
        "start": p.start.isoformat() if p.start else None,
        "end": p.end.isoformat() if p.end else None,
    }


def directive_json(d: Directive) -> dict[str, Any]:
    return {
        "part": d.part,
        "type": d.doc_type,
        "number": d.number,
        "issuer": d.issuer,
        "place": d.place,
        "date": d.date.iso() if d.date else None,
        "subject": d.subject,
        "addressees": list(d.addressees),
        "signer": d.signer,
        "period": period_json(d.period),
        "basis": [b.to_json() for b in d.basis],
    }


def item_json(item: Item, part: int) -> dict[str, Any]:
    seconds = item.estimated_duration.total_seconds() if item.estimated_duration else None
    return {
        "part": part,
        "number": item.number,
        "title": item.title,
        "kind": item.kind.value,
        "basis": [b.to_json() for b in item.basis],
        "slogans": list(item.slogans),
        "theme": item.theme,
        "observances": [observance_json(o) for o in item.observances],
        "valid_from": item.valid_from.isoformat() if item.valid_from else None,
        "valid_until": item.valid_until.isoformat() if item.valid_until else None,
        "text": item.text,
        "script": item.script or None,
        "estimated_seconds": round(seconds) if seconds is not None else None,
    }


def parsed_json(
    documents: list[ParsedDocument], source: ExtractedText | None = None
) -> dict[str, Any]:
    """``document`` is the first document of the file, ``items`` the items of every document
    (each with its ``part``), ``documents`` every document header in file order."""
    out: dict[str, Any] = {"schema": SCHEMA_VERSION}
    if source is not None:
        out["file"] = {
            "name": source.name,
            "sha256": source.sha256,
            "format": source.format,
            "encoding": source.encoding,
            "bytes": source.size,
        }
    out["document"] = directive_json(documents[0].directive) if documents else None
    out["documents"] = [directive_json(d.directive) for d in documents]
    out["items"] = [item_json(i, d.directive.part) for d in documents for i in d.items]
    return out
