"""Draft announcement scripts for propaganda items, from an editable Jinja2 template.

The draft reads the substance of the topic to listeners: an opening naming the document it
implements, the body without the sentences that assign work to agencies ("Đề nghị các cơ quan
báo chí…"), the slogans at the end. Staff edit it before approval (``broadcaster items edit``).

A script is what listeners hear: Vietnamese content, whatever language the interface speaks.
So the template and the words made here ("ngày … tháng … năm …", "số …", "của …") are not
interface text and do not go through the message catalogue; only the errors do.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import Directive, DocumentRef, Item, ItemKind, PartialDate
from broadcaster.domain.messages import _

from .limits import Progress, no_progress
from .parser import ParsedDocument

#: syllables per minute a station announcer reads at (Vietnamese words are syllables);
#: loudspeaker announcements are read slower than studio news (≈ 160–180)
DEFAULT_READING_RATE = 150
DEFAULT_TEMPLATE = "announcement.txt.j2"

_WORD = re.compile(r"\w+")
_OPENING_QUOTE = re.compile(r"[“\"]")
# compiled once: substance() runs them for every line of every item
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BULLET_MARK = re.compile(r"^\s*[-–•+]\s*")
_ASSIGNS_WORK = re.compile(
    r"^(?:Đồng thời\s+)?(?:Đề nghị|Yêu cầu|Giao|Chỉ đạo|Phối hợp với)\s+(?:các\s+|cho\s+|UBND\s+)?"
    r"(?:cơ quan|đơn vị|phòng|ban|ngành|ủy ban|uỷ ban|UBND|trung tâm|đài|báo|địa phương|hệ thống|"
    r"cổng|trang|xã|huyện|sở)",
    re.IGNORECASE,
)
_AGENCY_SUBJECT = re.compile(
    r"^(?:Sở|Phòng|Trung tâm|Đài|Báo|Ban|Ủy ban|UBND|Các cơ quan|Các đơn vị)\b[^.]{0,120}?"
    r"\b(?:chủ trì|phối hợp|có trách nhiệm|xây dựng kế hoạch|chỉ đạo)\b",
)
_VERB = re.compile(
    r"(?<!báo chí, )(?<!cơ quan )\b(?:tuyên truyền|thông tin|phổ biến|vận động|đưa tin|truyền thông)\b\s*(?:,\s*)?(?:về\s+)?",
    re.IGNORECASE,
)


def estimate_seconds(script: str, rate: int = DEFAULT_READING_RATE) -> int:
    """Seconds to read a script aloud at ``rate`` syllables per minute."""
    if rate <= 0:
        raise InputError(
            _("reading rate {rate} is not positive; use syllables per minute, e.g. 150", rate=rate)
        )
    words = len(_WORD.findall(script))
    return math.ceil(words * 60 / rate) if words else 0


def _sentences(paragraph: str) -> list[str]:
    pieces = _SENTENCE_END.split(paragraph)
    out: list[list[str]] = []  # each sentence's pieces, joined once at the end
    for piece in pieces:
        if out and piece[:1].islower():
            out[-1].append(piece)
        elif piece:
            out.append([piece])
    return [" ".join(parts) for parts in out]


def _quotes_a_slogan(sentence: str, slogans: dict[int, set[str]]) -> bool:
    """Whether an opening quote in the sentence is followed by one of the slogans (by length:
    testing every slogan against every sentence is quadratic)."""
    for m in _OPENING_QUOTE.finditer(sentence):
        start = m.end()
        for length, texts in slogans.items():
            if sentence[start : start + length] in texts:
                return True
    return False


def substance(text: str, slogans: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The paragraphs of an item's text a listener should hear (slogans are read apart)."""
    kept: list[str] = []
    fallback: list[str] = []
    by_length: dict[int, set[str]] = {}
    for x in slogans:
        by_length.setdefault(len(x), set()).add(x)
    for raw in text.split("\n"):
        para = _BULLET_MARK.sub("", raw).strip()
        para = re.sub(r"\s*\.?/\.?$", ".", para) if para.endswith(("./.", "/.", "./")) else para
        if not para:
            continue
        sentences = []
        for s in _sentences(para):
            if by_length and _quotes_a_slogan(s, by_length):
                continue
            if _ASSIGNS_WORK.match(s) or _AGENCY_SUBJECT.match(s):
                verb = _VERB.search(s)
                rest = s[verb.end() :].strip() if verb else ""
                if len(rest.split()) >= 6:
                    fallback.append(rest[:1].upper() + rest[1:])
                continue
            sentences.append(s)
        if sentences:
            kept.append(" ".join(sentences))
    return kept or fallback


def date_text(d: PartialDate | None) -> str | None:
    if d is None:
        return None
    if d.day and d.month and d.year:
        return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    if d.month and d.year:
        return f"tháng {d.month} năm {d.year}"
    if d.day and d.month:
        return f"{d.day} tháng {d.month}"
    return f"năm {d.year}" if d.year else None


def describe_directive(d: Directive) -> str:
    """'Công văn số 3717/UBND-VX ngày 03 tháng 11 năm 2021 của Ủy ban nhân dân thị xã Duyên Hải'."""
    parts = [d.doc_type or "Văn bản"]
    if d.number and not d.number.startswith("/"):
        parts.append(f"số {d.number}")
    when = date_text(d.date)
    if when:
        parts.append(when)
    if d.issuer:
        parts.append(f"của {d.issuer}")
    return " ".join(parts)


def describe_ref(ref: DocumentRef) -> str:
    parts = [ref.type or "Văn bản"]
    if ref.number:
        parts.append(f"số {ref.number}")
    if ref.date:
        parts.append(f"ngày {ref.date.day:02d} tháng {ref.date.month:02d} năm {ref.date.year}")
    if ref.issuer:
        parts.append(f"của {ref.issuer}")
    return " ".join(parts)


def readable_topic(item: Item) -> str:
    topic = item.topic or item.title
    words = topic.split()
    # lower-case the first word unless it is a name ("Phong trào “…”" keeps its capital)
    if (
        words
        and words[0][1:].islower()
        and not topic.startswith(
            ("Ngày", "Tháng", "Tuần", "Phong trào", "Chương trình", "Đề án", "Lễ", "Cuộc")
        )
    ):
        topic = topic[:1].lower() + topic[1:]
    return topic


@dataclass(frozen=True)
class ScriptRenderer:
    """Renders an item's draft script; ``source_name`` names the template in error messages."""

    template_source: str
    source_name: str = f"broadcaster/ingest/templates/{DEFAULT_TEMPLATE}"
    reading_rate: int = DEFAULT_READING_RATE

    @classmethod
    def default(cls, reading_rate: int = DEFAULT_READING_RATE) -> ScriptRenderer:
        # the announcement is what listeners hear, always in Vietnamese: the template is content,
        # not interface, so it has no i18n extension and its words stay out of the catalogue
        text = (
            resources.files("broadcaster.ingest")
            .joinpath("templates", DEFAULT_TEMPLATE)
            .read_text("utf-8")
        )
        return cls(text, reading_rate=reading_rate)

    @classmethod
    def from_file(cls, path: Path, reading_rate: int = DEFAULT_READING_RATE) -> ScriptRenderer:
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise InputError(
                _(
                    "{path}: script template not found; check [ingest] script_template or "
                    "--template",
                    path=str(path),
                )
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                _(
                    "{path}: cannot read the script template ({reason}); save it as UTF-8 text",
                    path=str(path),
                    reason=str(exc),
                )
            ) from exc
        return cls(text, str(path), reading_rate)

    def _template(self) -> jinja2.Template:
        # compiled once per renderer: compiling is most of the cost of a short script
        cached: jinja2.Template | None = self.__dict__.get("_compiled")
        if cached is not None:
            return cached
        compiled = self._compile()
        object.__setattr__(self, "_compiled", compiled)
        return compiled

    def _compile(self) -> jinja2.Template:
        # a station's own template too holds what listeners hear (Vietnamese content): no i18n
        env = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            autoescape=False,
        )
        try:
            return env.from_string(self.template_source)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{self.source_name}:{exc.lineno}"
            raise InputError(
                _(
                    "{where}: script template error: {reason}; fix the template",
                    where=where,
                    reason=exc.message or "",
                )
            ) from exc

    def render(self, directive: Directive, item: Item) -> str:
        """The draft script of one item (an empty string for administrative items)."""
        if item.kind is not ItemKind.PROPAGANDA:
            return ""
        # a bullet under "Nội dung tuyên truyền" is a point of the directive's own plan: the
        # documents it cites are its subject, not what it implements
        cites = item.basis and "•" not in item.number
        source = describe_ref(item.basis[0]) if cites else describe_directive(directive)
        observances = [
            {"name": o.name, "date_text": f"{o.day} tháng {o.month}" if o.day and o.month else None}
            for o in item.observances
        ]
        context: dict[str, Any] = {
            "item": item,
            "directive": {
                "doc_type": directive.doc_type,
                "number": directive.number,
                "issuer": directive.issuer,
                "subject": directive.subject,
                "date_text": date_text(directive.date),
                "describe": describe_directive(directive),
            },
            "source": source,
            "topic": readable_topic(item),
            "paragraphs": substance(item.text, item.slogans),
            "slogans": list(item.slogans),
            "theme": item.theme,
            "observances": observances,
        }
        try:
            text = self._template().render(**context)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f"{self.source_name}:{line}" if line else self.source_name
            raise InputError(
                _(
                    "{where}: script template error: {reason}; fix the template",
                    where=where,
                    reason=str(exc),
                )
            ) from exc
        text = unicodedata.normalize("NFC", text)
        lines = [ln.strip() for ln in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def apply(
        self, documents: list[ParsedDocument], progress: Progress = no_progress
    ) -> list[ParsedDocument]:
        """Documents whose propaganda items carry a draft script and its estimated duration."""
        out = []
        total = sum(len(doc.items) for doc in documents)
        done = 0
        for doc in documents:
            items = []
            for item in doc.items:
                progress("scripts", done, total)
                done += 1
                script = self.render(doc.directive, item)
                seconds = estimate_seconds(script, self.reading_rate) if script else None
                items.append(
                    replace(
                        item,
                        script=script,
                        estimated_duration=timedelta(seconds=seconds) if seconds else None,
                    )
                )
            out.append(replace(doc, items=tuple(items)))
        progress("scripts", total, total)
        return out
